// Internal to the layout library: the page composer of a publication (publication.h).
//
// The composer works on the page grid (the columns of the publication's stylesheet): each
// article part becomes a module, a rectangle of whole grid columns, placed on a skyline of
// what is still free in each column. publication_furniture.cpp sets the publication's own elements
// (masthead, contents, jump lines, running heads); compose.cpp places the modules;
// invariants.cpp measures white space and checks what composition must never break.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "layout/publication.h"

namespace trang::layout::compose {

// The page grid: `columns` columns of equal width with `gap` between them.
struct Grid {
  Pt left, column_width, gap;
  int columns = 1;
  Pt x(int c) const { return left + (column_width + gap) * c; }
  Pt width(int w) const { return column_width * w + gap * (w - 1); }
};

// The furniture's elements, in the pre-order of publication_furniture's tree.
enum Furniture : uint32_t {
  kPublication, kMasthead, kMastheadTitle, kMastheadTagline, kMastheadIssue, kContents,
  kContentsTitle, kContentsEntry, kJumpTo, kJumpFrom, kContinuedHead, kFurnitureCount
};
inline constexpr const char* kFurnitureNames[] = {
    "publication", "masthead", "masthead-title", "masthead-tagline", "masthead-issue", "contents",
    "contents-title", "contents-entry", "jump-to", "jump-from", "continued-head"};

// One layout run of an article into regions (Options::regions), and the page each is on.
struct Run {
  PageTree tree;
  std::vector<Region> regions;
  std::vector<size_t> page_of;  // per frame asked for
  Diagnostics diags;
  bool has_content(size_t k) const;  // text, a picture or a fill on layout page k
  bool overflows() const;  // content in a frame after the first
  Pt lowest(size_t k) const;  // lowest ink on layout page k (the frame's top when empty)
  size_t chars() const;       // visible_chars of every page
};

// Whether layout pages [from, to) of `r` hold any of the article's body text.
bool has_text(const Run& r, size_t from, size_t to);

// Lines of body text on layout page `k` of `r`: the most any of its columns holds.
int text_rows(const Run& r, size_t k);

// The lowest ink of a frame's items below `from`.
Pt lowest_ink(const Frame& f, Pt from);

// Non-space characters a frame's glyph runs stand for (text conservation).
size_t visible_chars(const Frame& f);

// Share of `page.body` that is white: not covered by any module, or inside a module under
// the last ink of a column (a ragged column end); in cells one grid column wide, 4 mm deep.
double white_share(const Page& page, const Grid& grid);

// What a composed publication must never do (docs/article-model.md, "Publications"): each
// string names the page and the modules concerned; empty when everything holds.
std::vector<std::string> faults(const PageTree& tree);

class Composer {
 public:
  Composer(const model::Publication& pub, const std::vector<PublicationPiece>& pieces,
           const model::Article& furniture, const style::StyledDocument& fstyles,
           std::shared_ptr<const image::Image> masthead, text::FontCache& fonts, const Options& options,
           Diagnostics& diags);

  PageTree run();

 private:
  // Free space of one page: per grid column, the top of what is still free (y upwards).
  struct PageState {
    std::vector<Pt> top;
    Pt body_top, bottom;
  };
  // Where a module may start: grid columns [col, col + w) of `page`, its content from `top`.
  struct Slot {
    size_t page = 0;
    int col = 0, w = 1;
    Pt top;
    Pt rule_y;  // a separating rule above the module at this height; 0 = none
  };
  // An article cut at the foot of its first part, continued on a later page.
  struct Jump {
    size_t piece = 0;
    Region area;        // frame 0 of the first part, with the jump line's room taken off
    size_t page = 0;   // where the first part is
    Pt line_top;       // top of the jump line
    size_t to_page = 0;
  };

  // What phase 1 has placed so far, to try a page again another way and keep the better.
  struct Placed {
    PageTree tree;
    std::deque<PageState> states;
    size_t cur = 0;
    std::vector<size_t> start_page, placed_chars, laid_chars, left;
    std::vector<std::string> page_section;
    std::vector<Jump> jumps;
    Diagnostics diags;
  };

  // --- placement (compose.cpp; continuations, compose_rest.cpp)
  Placed snapshot(const std::vector<size_t>& left, const std::vector<Jump>& jumps) const;
  void restore(Placed s, std::vector<size_t>& left, std::vector<Jump>& jumps);
  PageState& state(size_t p);
  bool used(size_t p) const;
  Slot slot_at(size_t p, int col, int w, Pt free);
  std::optional<Slot> slot_on(size_t p, int fixed_w, Pt need);
  std::vector<Slot> segments(size_t p, Pt need);
  Region region_at(const Slot& s, Pt top, Pt bottom) const;
  std::pair<Region, size_t> flow_region(size_t p, int col, int w, Pt need, bool keep_width = false);
  // Lays article `piece` out into regions(k) = {region k, the page it is on}.
  Run lay(size_t piece, const std::function<std::pair<Region, size_t>(size_t)>& regions);
  Pt line_height(size_t piece) const;
  // -trang-min-lines of the article: body lines a column of its first part needs under its head.
  int min_lines(size_t piece) const;
  const style::StyledDocument& styles_for(size_t piece, int columns);
  bool place_on(size_t i, size_t p, bool barrier_next, bool whole, std::vector<Jump>& jumps);
  bool place_at(size_t i, Slot sl, bool barrier_next, bool whole, std::vector<Jump>& jumps);
  void place_first_parts(std::vector<Jump>& jumps);
  void place_continuation(Jump& j);
  // Puts layout pages [from, to) of a run on their pages as modules of `piece`, each a group
  // holding the page's frame (taken from `r`); the first module also takes the page's items
  // from `head_items` on (a continuation head drawn before).
  void commit(size_t piece, Run& r, size_t from, size_t to, bool continuation,
              const Slot* slot, Pt first_bottom = Pt(-1), size_t head_items = SIZE_MAX);
  void settle_rest(Jump& j, const Slot& s, Run& r, size_t to);
  int last_text_column(const Jump& j);
  void separators();
  void check(const std::vector<size_t>& placed_chars, const std::vector<size_t>& laid_chars);

  // --- furniture (publication_furniture.cpp)
  const style::ComputedStyle& fs(Furniture f) const { return fstyles_.styles[f]; }
  Page& page(size_t p);
  Pt column_top() const { return ps_.height - ps_.margin_top; }
  std::string section_of(const PublicationPiece& pc) const;
  // Text in a furniture element's style: set into lines of `width`.
  std::vector<text::Line> set(Furniture f, const std::string& s, Pt width,
                              std::optional<text::Align> align = std::nullopt);
  // Places `lines` with the first line box's top at `top`; returns the bottom of the last.
  Pt place(Page& pg, const std::vector<text::Line>& lines, Pt line_height, Pt x, Pt top);
  // The wording of a furniture element with attr(...) filled in, or `fallback`.
  std::string content(Furniture f, const std::map<std::string, std::string>& attrs,
                      const std::string& fallback) const;
  std::string jump_from_text(size_t piece, size_t page) const;
  std::string jump_to_text(size_t piece, size_t page) const;
  Pt jump_room() const;
  // Height of a continuation's head (continued head and jump-from line) at `width`.
  Pt continuation_head_height(size_t piece, size_t from_page, Pt width);
  Pt draw_continuation_head(size_t piece, size_t from_page, size_t p, Pt x, Pt width, Pt top);
  void masthead();
  Pt contents_height();
  void draw_contents();
  void furniture_per_page();

  const model::Publication& pub_;
  const std::vector<PublicationPiece>& pieces_;
  const model::Article& furniture_;
  const style::StyledDocument& fstyles_;
  std::shared_ptr<const image::Image> masthead_;
  text::FontCache& fonts_;
  const Options& options_;
  Diagnostics& diags_;
  const style::PageStyle& ps_;

  PageTree tree_;
  Grid grid_;
  Pt measure_;
  Pt first_bottom_;    // foot of the article area on page 1 (over the contents box)
  Pt contents_top_;
  Pt masthead_bottom_;
  std::deque<PageState> states_;  // a deque: references stay valid as pages are added
  size_t cur_ = 0;     // the page the last first part started on
  std::vector<size_t> start_page_;  // per piece
  std::vector<std::string> page_section_;
  std::vector<size_t> placed_chars_, laid_chars_;  // per piece: text conservation
  std::map<std::string, std::pair<std::vector<FontId>, uint32_t>> chains_;
  std::map<std::pair<size_t, int>, style::StyledDocument> scaled_;  // styles_for's
  int min_legs_;  // place_at narrows a short story until its legs are this many lines deep
};

}  // namespace trang::layout::compose
