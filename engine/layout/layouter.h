// Internal to the layout library: the Layouter and what its files share. The method
// definitions live in layout.cpp, setting.cpp, ahead.cpp, flow.cpp, figures.cpp, boxes.cpp,
// table.cpp and furniture.cpp; no other stage includes this header.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "layout/layout.h"

namespace trang::layout::detail {

using model::Kind;
using model::Node;

// A page while the layouter draws on it: its items by layer, painted in this order (a box's
// background goes under its text though it is drawn after). Layouter::run turns each sheet
// into the frame of a page.
struct Sheet : PageSetup {
  std::vector<FillItem> fills;
  std::vector<ImageItem> images;
  std::vector<RuleItem> rules;
  std::vector<GlyphRun> runs;
  std::vector<LinkItem> links;
};

// The article as it is being laid out: a PageTree of sheets.
struct Draft {
  std::vector<Sheet> pages;
  std::vector<OutlineEntry> outline;
  DocInfo info;
  Pt columns_top;
};

// A paragraph set into lines, ready to be poured into columns.
struct SetBlock {
  std::vector<text::Line> lines;
  Pt line_height;
  Pt margin_top, margin_bottom;
  // Extra space above line k (k >= 1) so that its stacked diacritics clear the descenders of
  // line k - 1; empty when it is zero everywhere (as almost always: then a pour reads nothing
  // more). Not used when line k starts a column.
  std::vector<Pt> clearance;
  Pt clear(size_t k) const { return clearance.empty() ? Pt() : clearance[k]; }
  size_t widows = 2, orphans = 2;
  size_t cap_lines = 0;  // lines its drop cap sinks into (0: none)
  // Its own border and padding (a block with a background, border or padding, decorates()):
  // above the first line and below the last; the lines are already set inside them.
  Pt deco_head, deco_foot;
  bool decorated = false;
  bool avoid_break_inside = false;
  bool keep_with_next = false;  // subheads, break-after: avoid
  style::BreakValue break_before = style::BreakValue::Auto;
  style::BreakValue break_after = style::BreakValue::Auto;

  // Height of lines [from, to) when `from` starts the column (its clearance dropped).
  Pt height(size_t from, size_t to) const {
    Pt h;
    for (size_t k = from; k < to; ++k) h += line_height + (k > from ? clear(k) : Pt());
    return h;
  }
};

// A background, a visible border or padding (CSS Backgrounds 3, CSS 2.1 §8).
bool has_decoration(const style::ComputedStyle& s);
// Whether layout draws `block`'s decoration around its own lines (the blocks that hold
// text; boxes and table parts draw theirs around what they hold, captions none yet).
bool decorates(const model::Node& block, const style::ComputedStyle& s);

// The borders of `s` at the edges of `r`, each centred half its width inside; the top and
// bottom ones where `top` and `bottom` say the box has that edge here.
void draw_borders(Sheet& page, const style::ComputedStyle& s, const Rect& r, bool top = true,
                  bool bottom = true);

// The column blocks set so far, by node index: a slot per node, and the blocks in the order
// they were set, which is the order every pour reads them in, in chunks of contiguous blocks
// (a std::map lookup, then a deque's four blocks per allocation, made every balancing pour of
// a long article miss the cache on each block).
class SetBlocks {
 public:
  const SetBlock* find(uint32_t node) const {
    if (node >= slot_.size() || !slot_[node]) return nullptr;
    size_t at = slot_[node] - 1;
    return &chunks_[at / kChunk][at % kChunk];
  }
  bool count(uint32_t node) const { return find(node) != nullptr; }
  const SetBlock& add(uint32_t node, SetBlock b) {
    if (slot_.size() <= node) slot_.resize(node + 1, 0);
    if (size_ % kChunk == 0) chunks_.push_back(std::make_unique<SetBlock[]>(kChunk));
    SetBlock& at = chunks_.back()[size_ % kChunk] = std::move(b);
    slot_[node] = static_cast<uint32_t>(++size_);
    return at;
  }
  void erase(uint32_t node) {  // the block is set again (its storage stays until the end)
    if (node < slot_.size()) slot_[node] = 0;
  }
  // The last pour is done with the block (its glyphs already taken, place_line): its lines
  // are freed, and a later read would set it again.
  void release(uint32_t node) {
    if (!count(node)) return;
    size_t at = slot_[node] - 1;
    chunks_[at / kChunk][at % kChunk] = SetBlock();
    slot_[node] = 0;
  }
  void clear() { *this = SetBlocks(); }

 private:
  static constexpr size_t kChunk = 256;
  std::vector<uint32_t> slot_;  // 1 + position in setting order; 0: not set
  std::vector<std::unique_ptr<SetBlock[]>> chunks_;  // blocks never move: references stay valid
  size_t size_ = 0;
};

// The column frames of one page and where the next line goes.
struct Flow {
  Pt x0, measure;       // content box
  Pt top, bottom;       // of the column area on this page
  int columns = 1;
  Pt col_width, gap;
  int col = 0;
  Pt cursor;            // top of the free space in the current column
  Pt pending_margin;    // collapsed margin waiting above the next block
  bool column_empty = true;
};

// A paragraph handed to the parallel map (ahead.cpp): its input, then its lines at `measure`
// and the warnings setting it gave, handed over when the pour takes it.
struct AheadJob {
  uint32_t block = 0;
  Pt measure;
  text::ParagraphInput in;
  std::vector<text::Line> lines;
  Diagnostics diags;
  bool done = false;  // false: the pour sets it itself
};

class Layouter {
 public:
  Layouter(const model::Article& article, const style::StyledDocument& styles,
           const Resources& res, text::FontCache& fonts, const Options& options,
           Diagnostics& diags)
      : article_(article), styles_(styles), res_(res), fonts_(fonts), options_(options),
        diags_(diags) {}

  PageTree run();
  PageTree finish();  // the sheets as frames

 private:
  const style::ComputedStyle& style(const Node& n) const { return styles_.styles[n.index]; }
  bool displayed(const Node& n) const { return style(n).display != style::Display::None; }

  text::ParagraphInput paragraph_input(const Node& block);
  std::string list_marker(const Node& item) const;
  // Adds the text of n's ::before or ::after (style::StyledDocument::before, after) as a span.
  void add_generated(const std::map<uint32_t, style::StyledDocument::Generated>& which,
                     const Node& n, const std::string& href, const std::string& lang,
                     text::ParagraphInput& in);
  void collect_spans(const Node& n, const std::string& href, const std::string& lang, text::ParagraphInput& in);
  std::string other_language(const Node& n, const std::string& outer) const;
  uint32_t text_style(const style::ComputedStyle& cs, text::ParagraphInput& in);
  SetBlock set_block(const Node& block, Pt measure);
  // Column content is set once and poured as often as balancing needs.
  const SetBlock& column_block(const Node& block);
  void pour(const std::vector<const Node*>& flow, Pt last_page_height);
  void pour_once(const std::vector<const Node*>& flow, Pt last_page_height);
  // Pours the last time with the last page's columns balanced; false when there is nothing to
  // balance (one column, no pages, layout stopped) and no pour was made.
  bool balance_last_page(const std::vector<const Node*>& flow);

  void new_page();
  bool next_column();
  // `label`: the list marker the line begins with (a list item's first line), whose glyphs
  // are tagged Lbl rather than LBody.
  void place_line(const text::Line& line, Pt line_height, Pt x, Pt top,
                  std::string_view label = {});
  void split_label(GlyphRun& g, std::string_view& label, std::vector<GlyphRun>& runs);
  // The structure element a block's lines belong to in tagged PDF (page_tree.h, StructTag).
  StructTag tag_for(const Node& block) const;
  void head(const Node& block);
  void flow_block(const Node& block, const Node* next = nullptr);
  void force_break(style::BreakValue v);
  void flow_lines(const SetBlock& b, const Node* heading = nullptr, const Node* block = nullptr);
  void flow_figure(const Node& figure);
  void flow_container(const Node& n);
  void draw_column_rules(Sheet& page, Pt top, Pt bottom);

  // Stylesheet features (drop caps, ::first-line, figures, boxes, page furniture).
  struct FigureGeom {
    int span = 1;
    Pt span_w, img_w, img_h, caption_h;
    double aspect = 2.0 / 3.0;
    const Node* img = nullptr;
    std::shared_ptr<const image::Image> image;
    // object-fit: cover, for a picture box made shorter than the picture: the whole picture's
    // height at img_w (more than img_h; 0 when nothing is cropped) and what stays in view.
    Pt pic_h;
    double object_x = 0.5, object_y = 0.5;
    bool cover = false;
    std::vector<const SetBlock*> captions;
    bool scaled_down = false;  // taller than a column with its caption: made to fit
  };
  // A box whose decoration is being drawn: the piece in the current column starts at `top`.
  struct OpenBox {
    const Node* node;
    size_t page;
    int col;
    Pt top;
    bool first;
    Pt continued_inset;  // room above the content when the box continues in a new column
    Pt left, right;      // inset of the column by the boxes around it
    // Where its piece's background goes among the page's fills: under what was drawn inside
    // it since the piece began (a nested box's background closes before its own does).
    size_t fills_at = 0;
  };
  struct StringMark {
    size_t page;
    std::string name, value;
    uint32_t node = 0;
  };
  // Records string-set of a block on the page its first line lands on (scope guard).
  struct StringScope {
    Layouter& l;
    const Node& block;
    size_t page, runs;
    StringScope(Layouter& layouter, const Node& b)
        : l(layouter), block(b), page(layouter.tree_.pages.size() - 1),
          runs(layouter.tree_.pages.empty() ? 0 : layouter.tree_.pages.back().runs.size()) {}
    ~StringScope() { l.note_strings(block, page, runs); }
  };
  std::vector<text::Line> set_lines(const Node& block, Pt measure);
  // Paragraphs set ahead of the pour by a parallel map (ahead.cpp).
  std::string chain_key(const style::ComputedStyle& cs) const;
  bool chains_ready(const Node& n) const;
  void list_ahead_candidates(const Node& n);
  void add_ahead_candidate(const Node& block);
  void set_ahead(const Node& block);
  std::optional<text::LineRun> drop_cap(const style::ComputedStyle& cs,
                                        const style::ComputedStyle& ls, Pt measure,
                                        text::ParagraphInput& in, size_t& lines, uint32_t block);
  void add_first_line_style(const style::ComputedStyle& cs, text::ParagraphInput& in);
  style::ComputedStyle first_line_style(const style::ComputedStyle& span,
                                        const style::ComputedStyle& block) const;
  Pt span_width(int span) const;
  const FigureGeom& figure_geom(const Node& figure, int span);
  FigureGeom compute_figure_geom(const Node& figure, int span);
  // `g` with its picture scaled down so that picture and caption fit `room`; nullopt when
  // that would leave the picture under `min_share` of its height.
  static FigureGeom shortened(const FigureGeom& g, Pt h);
  void place_bottom_float(const Node& figure, const FigureGeom& g, Pt need);
  static std::optional<FigureGeom> fitted(const FigureGeom& g, Pt room, double min_share);
  // The foot of the current column as the frame gives it (not shortened by balancing).
  Pt frame_bottom();
  void place_pinned();
  void place_column_pins();
  void pin(const Node& figure, int col);
  Pt span_reserve(const Node& figure) const;
  bool span_fits(const Node& figure, int span, int col, Pt min_height = Pt());
  Pt draw_figure(const Node& figure, const FigureGeom& g, int col, Pt top, bool at_top,
                 bool at_bottom);
  bool label_placeholder(const Node& img, const Rect& r);
  Pt place_span_at_top(const Node& figure, int span, int col);
  Pt column_top(int col) const;
  void shift_column(int col, Pt top, Pt bottom, Pt by);
  void on_page_start();
  void on_column_start();
  void on_column_end();
  void flush_deferred();
  void reset_features();
  void flow_box(const Node& box);
  // Tables (table.cpp): geometry made once per table and column width, drawn per pour.
  struct TableGeom;
  std::pair<Pt, Pt> cell_content_widths(const Node& cell);
  void check_table_styles(const Node& table);
  const TableGeom& table_geom(const Node& table, Pt in_l, Pt avail);
  void draw_table_row(const TableGeom& g, size_t row, Pt x, Pt top, bool repeat = false);
  Pt draw_table_piece(const TableGeom& g, const style::ComputedStyle& ts, Pt x, Pt top,
                      bool caption, size_t from, size_t to);
  Pt draw_table_span(const Node& table, int span, int col, Pt top);
  void flow_table(const Node& table);
  std::optional<Pt> content_height(const Node& n);
  void draw_box_piece(const OpenBox& b, Pt bottom, bool last);
  void draw_decoration(Sheet& page, const style::ComputedStyle& s, Rect r, bool top, bool bottom,
                       size_t fills_at = SIZE_MAX);
  std::string content_text(const std::vector<style::ContentItem>& items, const Node* node,
                           size_t page, size_t pages,
                           const std::vector<std::map<std::string, std::string>>* first = nullptr,
                           const std::vector<std::map<std::string, std::string>>* last = nullptr,
                           const std::vector<std::map<std::string, std::string>>* start = nullptr,
                           const std::vector<std::set<std::string>>* set_here = nullptr) const;
  void note_strings(const Node& block, size_t page_before, size_t runs_before);
  void add_page_furniture();
  // Publication layout (Options::regions): page k is poured into region k.
  const Region& region_at(size_t page);
  void apply_region(size_t page);
  Pt page_bottom(size_t page);

  const model::Article& article_;
  const style::StyledDocument& styles_;
  const Resources& res_;
  text::FontCache& fonts_;
  const Options& options_;
  Diagnostics& diags_;

  Draft tree_;
  Flow flow_;
  Pt head_cursor_;
  bool stopped_ = false;
  bool trial_ = false;
  // Set for the pour whose pages are kept when no later pour will read the set lines again:
  // place_line then moves their glyphs into the page instead of copying them.
  bool consume_ = false;
  // What place_line stamps on the runs it places (GlyphRun::tag): set by whoever places a
  // block's lines, empty (an artifact) otherwise.
  StructTag tag_;
  std::string label_;  // the marker of the list item being poured (list_marker), for place_line
  uint32_t list_ = StructTag::kNone;  // the list whose items are being poured
  std::set<uint32_t> diacritics_warned_;  // blocks warned about touching diacritics
  std::set<uint32_t> drop_caps_warned_;   // blocks warned about a drop cap too wide
  // Blocks whose drop cap a short column could not hold: the lines it may sink into there.
  std::map<uint32_t, int> cap_limit_;
  std::map<std::tuple<uint32_t, int, double>, FigureGeom> geom_cache_;  // figure_geom's
  std::set<uint32_t> figures_warned_;  // figures warned about being scaled down
  size_t last_cap_lines_ = 0;  // lines the drop cap of the block set last sinks into
  uint32_t keep_skipped_ = UINT32_MAX;  // the subhead that left an empty column (flow_block)
  style::BreakValue pending_break_ = style::BreakValue::Auto;  // break-after of the last block        // a balancing trial: report nothing, only find out if it fits
  size_t limit_page_ = SIZE_MAX;  // the page whose columns are shortened to balance them
  Pt limit_height_;
  std::vector<Pt> column_limits_;  // per column of the limit page; later columns: limit_height_
  Pt limit_for(int col) const {
    return col < static_cast<int>(column_limits_.size()) ? column_limits_[col] : limit_height_;
  }
  Pt first_top_;              // top of the column area on page 1 (under the head)
  // Page 1's items of the head.
  size_t head_runs_ = 0, head_links_ = 0, head_rules_ = 0, head_fills_ = 0;
  size_t head_outline_ = 0;
  SetBlocks set_cache_;
  std::map<std::pair<uint32_t, int>, SetBlock> span_cache_;  // captions of spanning figures
  std::map<uint32_t, std::pair<Pt, Pt>> inset_;  // left/right inset of blocks inside boxes
  const style::ComputedStyle* first_line_ = nullptr;  // while collecting a ::first-line
  const style::ComputedStyle* first_line_block_ = nullptr;  // the block's own style
  std::vector<const Node*> defer_page_;    // spanning figures waiting for the next page
  // A spanning figure reached where its columns are taken is pinned to the top of the page
  // its anchor fell on, a column figure that would go to the next page to the top of its
  // column, and the pour starts again (pour()). By figure index; col -1: a spanning figure.
  struct Pin {
    size_t page;
    int col;
    const Node* figure;
  };
  std::map<uint32_t, Pin> pins_;
  std::set<uint32_t> pinned_placed_;  // pinned figures drawn in this pour
  bool repour_ = false;
  bool can_pin_ = false;
  bool has_figures_ = false;  // the article has figures (pour() settles pins first)
  std::vector<const Node*> defer_column_;  // floats waiting for the next column
  std::vector<Pt> col_top_;                // per column: top under spanning figures
  Pt bottom_raise_;                        // column foot taken by bottom floats
  Pt bottom_before_floats_;                // the column foot before them
  std::vector<OpenBox> open_boxes_;
  std::map<uint32_t, std::shared_ptr<TableGeom>> tables_;  // table_geom's, by table
  std::set<uint32_t> spans_warned_;  // tables too tall to span columns, warned about
  std::vector<StringMark> string_marks_;
  // Font chains by (families, weight, italic): one fontconfig query per distinct style.
  std::map<std::string, std::pair<std::vector<FontId>, uint32_t>> chains_;  // faces, fallback list
  std::vector<Region> regions_;  // Options::regions, asked once per page
  // The column blocks the parallel map may set (no drop cap, ::first-line or box inset), in
  // document order; built once, before the first pour.
  std::vector<const Node*> candidates_;
  size_t ahead_from_ = 0;  // candidates_ before this one were looked at for a batch
  std::unordered_map<uint32_t, AheadJob> ahead_;  // set ahead, by block, not taken yet
  size_t ahead_taken_ = 0;  // paragraphs the pour took from the map
  std::vector<std::unique_ptr<text::FontCache>> clones_;  // the map's, one per thread
  bool refresh_clones_ = false;  // a clone lacked a face or dictionary in the last batch
};

// The text of an element with white space collapsed, for bookmarks.
std::string plain_text(const Node& n);

}  // namespace trang::layout::detail
