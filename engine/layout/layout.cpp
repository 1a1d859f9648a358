#include "layout/layout.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>

namespace trang::layout {
namespace {

using model::Kind;
using model::Node;

// A paragraph set into lines, ready to be poured into columns.
struct SetBlock {
  std::vector<text::Line> lines;
  Pt line_height;
  Pt margin_top, margin_bottom;
  // Extra space above line k (k >= 1) so that its stacked diacritics clear the descenders of
  // line k - 1; zero almost everywhere. Not used when line k starts a column.
  std::vector<Pt> clearance;
  size_t widows = 2, orphans = 2;
  bool avoid_break_inside = false;
  bool keep_with_next = false;  // subheads, break-after: avoid
  style::BreakValue break_before = style::BreakValue::Auto;
  style::BreakValue break_after = style::BreakValue::Auto;

  // Height of lines [from, to) when `from` starts the column (its clearance dropped).
  Pt height(size_t from, size_t to) const {
    Pt h;
    for (size_t k = from; k < to; ++k) h += line_height + (k > from ? clearance[k] : Pt());
    return h;
  }
};

// The space to add between two lines of one block so that no mark of `below` touches ink of
// `above` where they overlap horizontally (with a hairline of air, 0.04 em).
Pt clearance_between(const text::Line& above, const text::Line& below, Pt line_height, Pt size) {
  Pt need;
  for (const text::Line::InkBox& a : above.ink_extremes) {
    if (a.bottom >= Pt()) continue;
    for (const text::Line::InkBox& b : below.ink_extremes) {
      if (b.x1 <= a.x0 || a.x1 <= b.x0) continue;
      Pt reach = b.top - a.bottom + size * 0.04;  // baseline distance the pair needs
      need = std::max(need, reach - line_height);
    }
  }
  return need;
}

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

// Paragraphs set ahead of the pour on a second thread. The pour sets the column blocks one by
// one, in its own order; the helper takes the blocks it was given from the last one backwards,
// with a frozen clone of the font cache, and the pour claims each block when it reaches it: the
// helper's lines if they are ready, waiting if the helper is setting it, or setting it itself if
// the helper has not started it (or gave it up because its clone lacked a face or a fallback).
// The helper's warnings are handed over at the claim, so they come out where and when they did.
class ParagraphHelper {
 public:
  struct Job {
    uint32_t block = 0;
    Pt measure;
    text::ParagraphInput in;
  };
  // `patient`: the pour waits for the helper to set every block it was given instead of
  // setting the ones not started itself (a test hook: every handed-out paragraph then goes
  // through the helper, whatever the scheduling).
  explicit ParagraphHelper(bool patient = false)
      : patient_(patient), thread_([this] { work(); }) {}
  ~ParagraphHelper() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    work_.notify_all();
    thread_.join();
  }
  ParagraphHelper(const ParagraphHelper&) = delete;
  ParagraphHelper& operator=(const ParagraphHelper&) = delete;

  // More blocks, with a clone of the font cache made after their inputs were built: the helper
  // takes it before its next paragraph (a later clone serves the earlier blocks as well).
  void add(std::vector<Job> jobs, std::unique_ptr<text::FontCache> fonts) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (Job& j : jobs) {
        uint32_t block = j.block;
        if (slots_.emplace(block, Slot{std::move(j)}).second) ++open_;
      }
      next_fonts_ = std::move(fonts);
    }
    work_.notify_all();
  }

  enum class Claim { NotListed, SetHere, Taken };
  // The pour asks for `block` set at `measure`: Taken fills `lines` and adds the warnings to
  // `diags`; SetHere hands the input over, for the caller to set; NotListed: neither.
  Claim claim(uint32_t block, Pt measure, text::ParagraphInput& in, std::vector<text::Line>& lines,
              Diagnostics& diags) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto it = slots_.find(block);
    if (it == slots_.end()) return Claim::NotListed;
    Slot& s = it->second;
    if (s.job.measure != measure || s.state == State::Claimed) return Claim::NotListed;
    done_.wait(lock, [&] {
      return s.state != State::Helper && !(patient_ && s.state == State::Open);
    });
    State was = s.state;
    if (was == State::Open) --open_;
    s.state = State::Claimed;
    if (was == State::Done) {
      lines = std::move(s.lines);
      for (const Diagnostic& d : s.diags.all()) diags.add(d);
      return Claim::Taken;
    }
    in = std::move(s.job.in);
    return Claim::SetHere;
  }

 private:
  enum class State : uint8_t { Open, Helper, Done, Abandoned, Claimed };
  struct Slot {
    Job job;
    State state = State::Open;
    std::vector<text::Line> lines;
    Diagnostics diags;
  };

  void work() {
    std::unique_ptr<text::FontCache> fonts, old;
    for (;;) {
      Slot* s = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [&] { return stop_ || open_ > 0; });
        if (stop_) return;
        if (next_fonts_) {
          old = std::move(fonts);
          fonts = std::move(next_fonts_);
        }
        // The last open block: the pour comes from the front.
        for (auto it = slots_.rbegin(); it != slots_.rend(); ++it)
          if (it->second.state == State::Open) {
            s = &it->second;
            break;
          }
        s->state = State::Helper;
        --open_;
      }
      old.reset();
      std::vector<text::Line> lines;
      Diagnostics diags;
      bool ok = false;
      try {
        fonts->clear_frozen_miss();
        lines = text::set_paragraph(s->job.in, s->job.measure, *fonts, diags);
        ok = !fonts->frozen_miss();
      } catch (...) {  // out of memory: the pour sets it itself
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (ok) {
          s->lines = std::move(lines);
          s->diags = std::move(diags);
          s->state = State::Done;
        } else {
          s->state = State::Abandoned;
        }
      }
      done_.notify_all();
    }
  }

  std::mutex mutex_;  // guards everything below but the thread
  std::condition_variable work_, done_;
  std::map<uint32_t, Slot> slots_;  // by block, in document order
  size_t open_ = 0;                 // slots in State::Open
  std::unique_ptr<text::FontCache> next_fonts_;
  bool stop_ = false;
  const bool patient_;
  std::thread thread_;  // last: started when everything above is ready
};

class Layouter {
 public:
  Layouter(const model::Article& article, const style::StyledDocument& styles,
           const Resources& res, text::FontCache& fonts, const Options& options,
           Diagnostics& diags)
      : article_(article), styles_(styles), res_(res), fonts_(fonts), options_(options),
        diags_(diags) {}

  PageTree run();

 private:
  const style::ComputedStyle& style(const Node& n) const { return styles_.styles[n.index]; }
  bool displayed(const Node& n) const { return style(n).display != style::Display::None; }

  text::ParagraphInput paragraph_input(const Node& block);
  std::string list_marker(const Node& item) const;
  void collect_spans(const Node& n, const std::string& href, text::ParagraphInput& in);
  uint32_t text_style(const style::ComputedStyle& cs, text::ParagraphInput& in);
  SetBlock set_block(const Node& block, Pt measure);
  // Column content is set once and poured as often as balancing needs.
  const SetBlock& column_block(const Node& block);
  void pour(const std::vector<const Node*>& flow, Pt last_page_height);
  // Pours the last time with the last page's columns balanced; false when there is nothing to
  // balance (one column, no pages, layout stopped) and no pour was made.
  bool balance_last_page(const std::vector<const Node*>& flow);

  void new_page();
  bool next_column();
  void place_line(const text::Line& line, Pt line_height, Pt x, Pt top);
  void head(const Node& block);
  void flow_block(const Node& block, const Node* next = nullptr);
  void force_break(style::BreakValue v);
  void flow_lines(const SetBlock& b, const Node* heading = nullptr);
  void flow_figure(const Node& figure);
  void flow_container(const Node& n);
  void draw_column_rules(Page& page, Pt top, Pt bottom);

  // Stylesheet features (drop caps, ::first-line, figures, boxes, page furniture).
  struct FigureGeom {
    int span = 1;
    Pt span_w, img_w, img_h, caption_h;
    double aspect = 2.0 / 3.0;
    const Node* img = nullptr;
    const image::Image* image = nullptr;
    uint32_t image_index = 0;
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
  // Paragraphs set ahead on the second core (ParagraphHelper).
  std::string chain_key(const style::ComputedStyle& cs) const;
  void chain_keys(const Node& n, std::vector<std::string>& keys) const;
  void list_helper_candidates(const Node& n);
  void add_helper_candidate(const Node& block);
  void maybe_start_helper(const Node& current);
  std::optional<text::LineRun> drop_cap(const style::ComputedStyle& cs,
                                        const style::ComputedStyle& ls, Pt measure,
                                        text::ParagraphInput& in, size_t& lines);
  style::ComputedStyle first_line_style(const style::ComputedStyle& span,
                                        const style::ComputedStyle& block) const;
  Pt span_width(int span) const;
  const FigureGeom& figure_geom(const Node& figure, int span);
  FigureGeom compute_figure_geom(const Node& figure, int span);
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
  void draw_box_piece(const OpenBox& b, Pt bottom, bool last);
  std::string content_text(const std::vector<style::ContentItem>& items, const Node* node,
                           size_t page, size_t pages,
                           const std::vector<std::map<std::string, std::string>>* first = nullptr,
                           const std::vector<std::map<std::string, std::string>>* last = nullptr,
                           const std::vector<std::map<std::string, std::string>>* start = nullptr,
                           const std::vector<std::set<std::string>>* set_here = nullptr) const;
  static std::string roman(size_t n, bool upper);
  void note_strings(const Node& block, size_t page_before, size_t runs_before);
  void add_page_furniture();
  // Publication layout (Options::frames): page k is poured into frame k.
  const Frame& frame_at(size_t page);
  void apply_frame(size_t page);
  Pt page_bottom(size_t page);

  const model::Article& article_;
  const style::StyledDocument& styles_;
  const Resources& res_;
  text::FontCache& fonts_;
  const Options& options_;
  Diagnostics& diags_;

  PageTree tree_;
  Flow flow_;
  Pt head_cursor_;
  bool stopped_ = false;
  bool trial_ = false;
  // Set for the pour whose pages are kept when no later pour will read the set lines again:
  // place_line then moves their glyphs into the page instead of copying them.
  bool consume_ = false;
  std::set<uint32_t> diacritics_warned_;  // blocks warned about touching diacritics
  std::map<std::tuple<uint32_t, int, double>, FigureGeom> geom_cache_;  // figure_geom's
  std::set<uint32_t> figures_warned_;  // figures warned about being scaled down
  size_t last_cap_lines_ = 0;  // lines the drop cap of the block set last sinks into
  style::BreakValue pending_break_ = style::BreakValue::Auto;  // break-after of the last block        // a balancing trial: report nothing, only find out if it fits
  size_t limit_page_ = SIZE_MAX;  // the page whose columns are shortened to balance them
  Pt limit_height_;
  std::vector<Pt> column_limits_;  // per column of the limit page; later columns: limit_height_
  Pt limit_for(int col) const {
    return col < static_cast<int>(column_limits_.size()) ? column_limits_[col] : limit_height_;
  }
  Pt first_top_;              // top of the column area on page 1 (under the head)
  size_t head_runs_ = 0, head_links_ = 0, head_rules_ = 0;  // page 1 items of the head
  size_t head_outline_ = 0;
  std::map<uint32_t, SetBlock> set_cache_;
  std::map<std::pair<uint32_t, int>, SetBlock> span_cache_;  // captions of spanning figures
  std::map<uint32_t, std::pair<Pt, Pt>> inset_;  // left/right inset of blocks inside boxes
  const style::ComputedStyle* first_line_ = nullptr;  // while collecting a ::first-line
  size_t first_line_chars_ = 0;                      // characters it still covers
  const style::ComputedStyle* first_line_block_ = nullptr;  // the block's own style
  std::vector<const Node*> defer_page_;    // spanning figures waiting for the next page
  std::vector<const Node*> defer_column_;  // floats waiting for the next column
  std::vector<Pt> col_top_;                // per column: top under spanning figures
  Pt bottom_raise_;                        // column foot taken by bottom floats
  std::vector<OpenBox> open_boxes_;
  std::vector<StringMark> string_marks_;
  // Font chains by (families, weight, italic): one fontconfig query per distinct style.
  std::map<std::string, std::pair<std::vector<FontId>, uint32_t>> chains_;  // faces, fallback list
  std::vector<Frame> frames_;  // Options::frames, asked once per page
  // The column blocks a helper may set (no drop cap, ::first-line or box inset), in document
  // order, with the font chains their input needs; built once, before the first pour.
  struct Candidate {
    const Node* block;
    std::vector<std::string> keys;
  };
  std::vector<Candidate> candidates_;
  std::set<uint32_t> handed_out_;  // blocks listed for a helper already
  size_t chains_checked_ = SIZE_MAX;  // chains_.size() when candidates_ were last looked at
  // Last: destroyed (stopped and joined) before anything it might still be reading.
  size_t helper_taken_ = 0;  // paragraphs the pour took from the helper
  std::unique_ptr<ParagraphHelper> helper_;
};

// The text of an element with white space collapsed, for bookmarks.
std::string plain_text(const Node& n) {
  std::string raw;
  model::visit(n, [&](const Node& x) {
    if (x.kind == Kind::Text) raw += x.text;
    if (x.kind == Kind::LineBreak) raw += ' ';
  });
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') { space = !out.empty(); continue; }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Layouter::chain_key(const style::ComputedStyle& cs) const {
  std::string key;
  for (const auto& f : cs.font_family) key += f + ',';
  key += std::to_string(cs.font_weight) + (cs.font_style == style::FontStyle::Italic ? "i" : "r");
  return key;
}

uint32_t Layouter::text_style(const style::ComputedStyle& cs, text::ParagraphInput& in) {
  std::string key = chain_key(cs);
  auto it = chains_.find(key);
  if (it == chains_.end()) {
    uint32_t fallback = text::kNoFallback;
    std::vector<FontId> chain = fonts_.chain_lazy(
        cs.font_family, cs.font_weight, cs.font_style == style::FontStyle::Italic, fallback, diags_);
    it = chains_.emplace(key, std::make_pair(std::move(chain), fallback)).first;
  }
  text::TextStyle ts{it->second.first, cs.font_size, cs.color, cs.letter_spacing, article_.lang};
  ts.fallback = it->second.second;
  ts.features = cs.font_features;
  ts.word_spacing = cs.word_spacing;
  for (size_t i = 0; i < in.styles.size(); ++i) {
    const text::TextStyle& o = in.styles[i];
    if (o.fonts == ts.fonts && o.fallback == ts.fallback && o.size == ts.size && o.color == ts.color &&
        o.letter_spacing == ts.letter_spacing && o.features == ts.features &&
        o.word_spacing == ts.word_spacing)
      return static_cast<uint32_t>(i);
  }
  in.styles.push_back(std::move(ts));
  return static_cast<uint32_t>(in.styles.size() - 1);
}

void Layouter::collect_spans(const Node& n, const std::string& href, text::ParagraphInput& in) {
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    const style::ComputedStyle& cs = style(c);
    switch (c.kind) {
      case Kind::Text: {
        std::string t(c.text);
        if (first_line_ && first_line_chars_ > 0) {
          // ::first-line: the first characters take the first-line style (set_lines).
          size_t cut = 0;
          while (cut < t.size() && first_line_chars_ > 0) {
            unsigned char b = static_cast<unsigned char>(t[cut]);
            size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
            if (b != ' ' && b != '\n' && b != '\t' && b != '\r') --first_line_chars_;
            cut += len;
          }
          cut = std::min(cut, t.size());
          style::ComputedStyle fs = first_line_style(cs, *first_line_block_);
          std::string head = t.substr(0, cut);
          if (fs.text_transform == style::TextTransform::Uppercase) head = text::to_upper(head, article_.lang);
          if (fs.text_transform == style::TextTransform::Lowercase) head = text::to_lower(head, article_.lang);
          in.spans.push_back({std::move(head), text_style(fs, in), href});
          t.erase(0, cut);
          if (t.empty()) break;
        }
        if (cs.text_transform == style::TextTransform::Uppercase) t = text::to_upper(t, article_.lang);
        if (cs.text_transform == style::TextTransform::Lowercase) t = text::to_lower(t, article_.lang);
        in.spans.push_back({std::move(t), text_style(cs, in), href});
        break;
      }
      case Kind::LineBreak:
        in.spans.push_back({"\u2028", text_style(cs, in), href});
        break;
      case Kind::Link: {
        const std::string* h = c.attribute("href");
        collect_spans(c, h ? *h : href, in);
        break;
      }
      default:
        collect_spans(c, href, in);
    }
  }
}

text::ParagraphInput Layouter::paragraph_input(const Node& block) {
  const style::ComputedStyle& cs = style(block);
  text::ParagraphInput in;
  text_style(cs, in);  // the block's own style first: its font gives the paragraph's spaces
  switch (cs.text_align) {
    case style::TextAlign::Left: in.align = text::Align::Left; break;
    case style::TextAlign::Right: in.align = text::Align::Right; break;
    case style::TextAlign::Center: in.align = text::Align::Center; break;
    case style::TextAlign::Justify: in.align = text::Align::Justify; break;
  }
  switch (cs.text_align_last) {
    case style::TextAlignLast::Auto: break;
    case style::TextAlignLast::Left: in.align_last = text::Align::Left; break;
    case style::TextAlignLast::Right: in.align_last = text::Align::Right; break;
    case style::TextAlignLast::Center: in.align_last = text::Align::Center; break;
    case style::TextAlignLast::Justify: in.align_last = text::Align::Justify; break;
  }
  in.indent = cs.text_indent;
  in.pos = block.pos;
  in.hyphenation.enabled = cs.hyphens == style::Hyphens::Auto;
  in.hyphenation.word_min = cs.hyphenate_word_min;
  in.hyphenation.before_min = cs.hyphenate_before_min;
  in.hyphenation.after_min = cs.hyphenate_after_min;
  in.hyphenation.limit_lines = cs.hyphenate_limit_lines;
  in.greedy = cs.line_breaking == style::LineBreaking::Greedy;
  in.protrusion = cs.protrusion;
  in.expansion = cs.expansion;
  if (block.kind == Kind::ListItem) in.spans.push_back({list_marker(block), 0, ""});
  collect_spans(block, "", in);
  return in;
}

// "• " for bullet lists, "3. " for the third item of a numbered one.
std::string Layouter::list_marker(const Node& item) const {
  const Node* list = nullptr;
  model::visit(article_.root, [&](const Node& n) {
    if (n.kind == Kind::List)
      for (const Node& c : n.children)
        if (&c == &item) list = &n;
  });
  if (!list) return "• ";
  const std::string* type = list->attribute("type");
  if (!type || *type != "number") return "• ";
  int k = 0;
  for (const Node& c : list->children) {
    if (c.kind == Kind::ListItem) ++k;
    if (&c == &item) break;
  }
  return std::to_string(k) + ". ";
}

SetBlock Layouter::set_block(const Node& block, Pt measure) {
  const style::ComputedStyle& cs = style(block);
  SetBlock b;
  b.lines = set_lines(block, measure - cs.margin_left - cs.margin_right);
  b.line_height = cs.line_height;
  b.margin_top = cs.margin_top;
  b.margin_bottom = cs.margin_bottom;
  b.widows = static_cast<size_t>(std::max(1, cs.widows));
  b.orphans = static_cast<size_t>(std::max(1, cs.orphans));
  // The lines beside a drop cap stay together: the letter must not be split from them.
  b.orphans = std::max(b.orphans, std::min(last_cap_lines_, b.lines.size()));
  b.avoid_break_inside = cs.break_inside == style::BreakValue::Avoid;
  b.keep_with_next = block.kind == Kind::Subhead || cs.break_after == style::BreakValue::Avoid;
  b.break_before = cs.break_before;
  b.break_after = cs.break_after;
  b.clearance.assign(b.lines.size(), Pt());
  bool warned = false;
  for (size_t k = 1; k < b.lines.size(); ++k) {
    Pt need = clearance_between(b.lines[k - 1], b.lines[k], b.line_height, cs.font_size);
    if (need <= Pt()) continue;
    if (cs.clear_diacritics) {
      b.clearance[k] = need;
    } else if (!warned && diacritics_warned_.insert(block.index).second) {
      // Once per block: a block is set once per width, whichever pour (trial or not) asks.
      warned = true;
      diags_.warning(block.pos, "diacritics of line " + std::to_string(k + 1) +
                                    " touch the line above at line-height " +
                                    format_number(cs.line_height.v, 2) + "pt",
                     "raise line-height or set -trang-diacritic-clearance: auto");
    }
  }
  for (text::Line& l : b.lines)
    for (text::LineRun& r : l.runs) r.x += cs.margin_left;
  return b;
}

const SetBlock& Layouter::column_block(const Node& block) {
  auto it = set_cache_.find(block.index);
  if (it == set_cache_.end()) it = set_cache_.emplace(block.index, set_block(block, flow_.col_width)).first;
  return it->second;
}

void Layouter::new_page() {
  const style::PageStyle& ps = styles_.page;
  if (static_cast<int>(tree_.pages.size()) >= options_.max_pages) {
    if (!stopped_ && !trial_)
      diags_.add({Diagnostic::Severity::Error, {article_.file},
                  "layout stopped after " + std::to_string(options_.max_pages) +
                      " pages; the rest of the article is overset",
                  "raise --max-pages if the article really is this long", true});
    stopped_ = true;
    return;
  }
  Page p;
  p.width = ps.width;
  p.height = ps.height;
  p.bleed = ps.bleed;
  p.crop_marks = ps.crop_marks;
  p.cross_marks = ps.cross_marks;
  p.label = std::to_string(tree_.pages.size() + 1);
  tree_.pages.push_back(std::move(p));
  flow_.top = tree_.pages.size() == 1 ? first_top_ : ps.height - ps.margin_top;
  flow_.bottom = ps.margin_bottom;
  if (options_.frames) {
    apply_frame(tree_.pages.size() - 1);
    if (tree_.pages.size() > 1) flow_.top = frame_at(tree_.pages.size() - 1).top;
    flow_.bottom = page_bottom(tree_.pages.size() - 1);
  }
  if (tree_.pages.size() - 1 == limit_page_) flow_.bottom = std::max(flow_.bottom, flow_.top - limit_for(0));
  flow_.col = 0;
  flow_.cursor = flow_.top;
  flow_.pending_margin = Pt();
  flow_.column_empty = true;
  on_page_start();
}

bool Layouter::next_column() {
  if (stopped_) return false;
  on_column_end();
  if (flow_.col + 1 < flow_.columns) {
    ++flow_.col;
    flow_.cursor = flow_.top;
    if (tree_.pages.size() - 1 == limit_page_)
      flow_.bottom = std::max(page_bottom(limit_page_), flow_.top - limit_for(flow_.col));
  } else {
    draw_column_rules(tree_.pages.back(), flow_.top, flow_.bottom);
    new_page();
    if (stopped_) return false;
  }
  flow_.pending_margin = Pt();
  flow_.column_empty = true;
  on_column_start();
  return true;
}

void Layouter::draw_column_rules(Page& page, Pt top, Pt bottom) {
  const style::PageStyle& ps = styles_.page;
  if (ps.column_rule_width.v <= 0) return;
  for (int c = 1; c < flow_.columns; ++c) {
    Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * c - flow_.gap / 2;
    // A figure spanning both columns covers the rule between them.
    Pt t = std::min({top, column_top(c - 1), column_top(c)});
    if (t <= bottom) continue;
    page.rules.push_back({x, t, x, bottom, ps.column_rule_width, ps.column_rule_color});
  }
}

// Places a line whose line box starts at `top`: the baseline sits half the leading plus the
// ascent below it (CSS 2.1 §10.8.1), so lines of any font share one baseline grid per block.
void Layouter::place_line(const text::Line& line, Pt line_height, Pt x, Pt top) {
  // A balancing trial only asks whether everything fits; copying every glyph of every page
  // into runs that are thrown away was most of the cost of balancing a long article.
  if (trial_) return;
  Page& page = tree_.pages.back();
  Pt half_leading = (line_height - line.ascent - line.descent) / 2;
  Pt baseline = top - half_leading - line.ascent;
  for (const text::LineRun& r : line.runs) {
    GlyphRun g{r.font, r.size, r.color, x + r.x, baseline, {}, {}, r.hscale};
    if (consume_) {
      // The last pour: nothing reads this line's glyphs again, so the page takes them over
      // instead of copying (a second copy of every glyph was most of a long article's peak
      // memory). The lines are the Layouter's own (set_cache_, span_cache_, head()'s), never
      // const objects.
      auto& owned = const_cast<text::LineRun&>(r);
      g.glyphs = std::move(owned.glyphs);
      g.clusters = std::move(owned.clusters);
    } else {
      g.glyphs = r.glyphs;
      g.clusters = r.clusters;
    }
    if (!r.href.empty())
      page.links.push_back({Rect{x + r.x, baseline - line.descent, r.width, line.ascent + line.descent},
                            r.href});
    page.runs.push_back(std::move(g));
  }
}

void Layouter::head(const Node& block) {
  SetBlock b = set_block(block, flow_.measure);
  head_cursor_ -= b.margin_top;
  if (block.kind == Kind::Headline && !b.lines.empty())
    tree_.outline.push_back({plain_text(block), 0, 0, head_cursor_});
  for (size_t k = 0; k < b.lines.size(); ++k) {
    head_cursor_ -= b.clearance[k];
    place_line(b.lines[k], b.line_height, flow_.x0, head_cursor_);
    head_cursor_ -= b.line_height;
  }
  head_cursor_ -= b.margin_bottom;
}

// Pours a set paragraph into the columns, keeping `orphans` lines together at the foot of a
// column and `widows` at the head of the next (CSS Fragmentation 3 §4.4).
void Layouter::flow_lines(const SetBlock& b, const Node* heading) {
  size_t n = b.lines.size();
  size_t i = 0;
  Pt margin = std::max(flow_.pending_margin, b.margin_top);
  // On a baseline grid (-trang-baseline-grid), blocks whose line height is a whole number of
  // grid steps start on the grid, so lines align across neighbouring columns whatever sits
  // above them (figures, captions, subheads of other sizes).
  Pt grid = styles_.page.baseline_grid;
  bool on_grid = false;
  if (grid > Pt(0.5)) {
    double steps = b.line_height / grid;
    on_grid = std::abs(steps - std::round(steps)) < 1e-3 && std::round(steps) >= 1;
  }
  auto snap = [&](Pt y) {
    if (!on_grid) return y;
    double k = std::ceil((flow_.top - y) / grid - 1e-6);
    return flow_.top - grid * std::max(0.0, k);
  };
  auto lift = [&](Pt extra) {  // clearance, in whole grid steps when on the grid
    return on_grid && extra > Pt() ? grid * std::ceil(extra / grid - 1e-6) : extra;
  };
  while (i < n && !stopped_) {
    Pt gap = flow_.column_empty ? Pt() : margin;
    Pt start = snap(flow_.cursor - gap);
    gap = flow_.cursor - start;
    Pt room = flow_.cursor - gap - flow_.bottom;
    size_t fit = 0;
    for (Pt used; i + fit < n; ++fit) {
      Pt h = b.line_height + (fit > 0 || !flow_.column_empty ? lift(b.clearance[i + fit]) : Pt());
      if (used + h > room + Pt(1e-6)) break;
      used += h;
    }
    size_t left = n - i;
    size_t take = std::min(fit, left);
    if (take < left) {
      if (b.avoid_break_inside && i == 0 && !flow_.column_empty) take = 0;
      // Widows: leave at least `widows` lines for the next column.
      if (left - take < b.widows) take = left > b.widows ? left - b.widows : 0;
      // Orphans: a paragraph does not start with fewer than `orphans` lines at a column foot.
      if (i == 0 && take < b.orphans) take = 0;
    }
    if (take == 0 && flow_.column_empty) take = std::max<size_t>(1, std::min(fit, left));
    if (take == 0) {
      if (!next_column()) return;
      continue;
    }
    flow_.cursor -= gap;
    Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * flow_.col;
    if (heading && i == 0)
      tree_.outline.push_back({plain_text(*heading), 1,
                               static_cast<uint32_t>(tree_.pages.size() - 1), flow_.cursor});
    for (size_t k = 0; k < take; ++k) {
      if (k > 0 || !flow_.column_empty) flow_.cursor -= lift(b.clearance[i + k]);
      place_line(b.lines[i + k], b.line_height, x, flow_.cursor);
      flow_.cursor -= b.line_height;
    }
    i += take;
    flow_.column_empty = false;
    margin = Pt();
    if (i < n && !next_column()) return;
  }
  flow_.pending_margin = b.margin_bottom;
}

// Applies a forced break (break-before/after: column | page) before the next block.
void Layouter::force_break(style::BreakValue v) {
  if (v == style::BreakValue::Column && !flow_.column_empty) {
    next_column();
  } else if (v == style::BreakValue::Page && !(flow_.col == 0 && flow_.column_empty)) {
    for (size_t pages = tree_.pages.size(); tree_.pages.size() == pages && !stopped_;)
      if (!next_column()) break;
  }
}

void Layouter::flow_block(const Node& block, const Node* next) {
  if (!displayed(block)) return;
  StringScope strings(*this, block);
  const SetBlock& b = column_block(block);
  force_break(pending_break_);
  pending_break_ = style::BreakValue::Auto;
  force_break(b.break_before);
  if (b.keep_with_next && next && !flow_.column_empty && next->kind != Kind::Figure &&
      next->kind != Kind::Body && next->kind != Kind::Box && next->kind != Kind::List) {
    // A subhead goes with the first lines of what follows it (CSS break-after: avoid).
    const SetBlock& nb = column_block(*next);
    Pt need = std::max(flow_.pending_margin, b.margin_top) + b.height(0, b.lines.size()) +
              std::max(b.margin_bottom, nb.margin_top) +
              nb.height(0, std::min(nb.lines.size(), nb.orphans));
    if (flow_.cursor - need < flow_.bottom) next_column();
  }
  if (!b.lines.empty()) flow_lines(b, block.kind == Kind::Subhead ? &block : nullptr);
  pending_break_ = b.break_after;
}

void Layouter::flow_container(const Node& n) {
  const Node* prev = nullptr;
  auto flow_one = [&](const Node& c, const Node* next) {
    switch (c.kind) {
      case Kind::Figure: flow_figure(c); break;
      case Kind::Box: flow_box(c); break;
      case Kind::Body: case Kind::List: flow_container(c); break;
      case Kind::Text: break;
      default: flow_block(c, next);
    }
  };
  for (const Node& c : n.children) {
    if (stopped_) return;
    if (!displayed(c) || c.kind == Kind::Text) continue;
    if (prev) flow_one(*prev, &c);
    prev = &c;
  }
  if (prev && !stopped_) flow_one(*prev, nullptr);
}


// Lays the column content out from the end of the head on page 1. With `last_page_height`
// non-zero, the columns of page `limit_page_` are only that tall.
void Layouter::pour(const std::vector<const Node*>& flow, Pt last_page_height) {
  tree_.pages.resize(1);
  tree_.outline.resize(head_outline_);
  Page& first = tree_.pages.front();
  first.runs.resize(head_runs_);
  first.links.resize(head_links_);
  first.rules.resize(head_rules_);
  first.images.clear();
  first.fills.clear();
  stopped_ = false;
  pending_break_ = style::BreakValue::Auto;
  reset_features();
  limit_height_ = last_page_height;
  flow_.top = first_top_;
  flow_.bottom = styles_.page.margin_bottom;
  if (options_.frames) {
    apply_frame(0);
    flow_.bottom = page_bottom(0);
  }
  if (limit_page_ == 0) flow_.bottom = std::max(flow_.bottom, flow_.top - limit_for(0));
  flow_.col = 0;
  flow_.cursor = flow_.top;
  flow_.pending_margin = Pt();
  flow_.column_empty = true;
  for (const Node* c : flow) {
    if (stopped_) break;
    if (c->kind == Kind::Body) flow_container(*c);
    else if (c->kind == Kind::Figure) flow_figure(*c);
    else flow_block(*c);
  }
  flush_deferred();
  if (!tree_.pages.empty()) {
    Pt rule_bottom = flow_.col == 0 ? flow_.cursor : flow_.bottom;
    draw_column_rules(tree_.pages.back(), flow_.top, rule_bottom);
  }
}

// Column balancing: the last page's columns are made as short as possible while everything
// still fits on that page, found by bisection on the column height (each trial re-pours the
// already set lines, which is cheap). Orphans and widows still hold in every trial.
bool Layouter::balance_last_page(const std::vector<const Node*>& flow) {
  if (flow_.columns < 2 || stopped_ || tree_.pages.empty()) return false;
  size_t pages = tree_.pages.size();
  limit_page_ = pages - 1;
  Pt full = flow_.top - page_bottom(pages - 1);
  trial_ = true;
  // The shortest height for the columns from `first` on (the earlier ones as in `fixed`) that
  // still holds everything on this page. pour() takes it as the height of those columns.
  std::vector<Pt> fixed;
  auto shortest = [&](Pt lo, Pt hi) {
    column_limits_ = fixed;
    for (int i = 0; i < 14 && hi - lo > Pt(0.5); ++i) {
      Pt mid = (lo + hi) / 2;
      pour(flow, mid);
      if (!stopped_ && tree_.pages.size() == pages) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  // First every column as short as possible; then each later column as short as the rest
  // allows, so a remainder is spread a line per column (H, H-1, H-1) instead of all of it
  // being left to the last column (H, H, H-2).
  // The searches start from nothing: a nearly empty last page fits columns far shorter than
  // half the page (starting at half, its first column kept ten lines and the others five).
  Pt h = shortest(Pt(), full);
  for (int c = 1; c < flow_.columns; ++c) {
    fixed.push_back(h);
    h = shortest(Pt(), h);
  }
  trial_ = false;
  column_limits_ = fixed;
  consume_ = true;
  pour(flow, h);
  consume_ = false;
  limit_page_ = SIZE_MAX;
  column_limits_.clear();
  return true;
}

// --- stylesheet features: drop caps, ::first-line, figures, boxes, page furniture ---------

// Sets a block's lines, with its ::first-letter as a drop cap (CSS Inline 3 initial-letter)
// and its ::first-line style; `measure` is the width the lines get.
std::vector<text::Line> Layouter::set_lines(const Node& block, Pt measure) {
  const style::ComputedStyle& cs = style(block);
  auto inset = inset_.find(block.index);
  Pt left, right;
  if (inset != inset_.end()) {
    left = inset->second.first;
    right = inset->second.second;
    measure = measure - left - right;
  }
  auto letter_it = styles_.first_letter.find(block.index);
  const style::ComputedStyle* letter =
      letter_it != styles_.first_letter.end() && letter_it->second.initial_letter >= 1
          ? &letter_it->second : nullptr;
  auto line_it = styles_.first_line.find(block.index);
  const style::ComputedStyle* first_line =
      line_it != styles_.first_line.end() ? &line_it->second : nullptr;

  text::ParagraphInput in;
  bool have_input = false;
  bool plain = !letter && !first_line && inset == inset_.end();
  if (plain && !candidates_.empty()) {
    maybe_start_helper(block);
    std::vector<text::Line> lines;
    ParagraphHelper::Claim c =
        helper_ ? helper_->claim(block.index, measure, in, lines, diags_) : ParagraphHelper::Claim::NotListed;
    if (c == ParagraphHelper::Claim::Taken) {
      ++helper_taken_;
      last_cap_lines_ = 0;
      return lines;
    }
    have_input = c == ParagraphHelper::Claim::SetHere;
  }
  if (!have_input) in = paragraph_input(block);
  std::optional<text::LineRun> cap;
  size_t cap_lines = 0;
  if (letter) cap = drop_cap(cs, *letter, measure, in, cap_lines);
  // With a ::first-line the paragraph is set twice; the first setting reports nothing.
  Diagnostics first_pass;
  std::vector<text::Line> lines =
      text::set_paragraph(in, measure, fonts_, first_line ? first_pass : diags_);
  if (first_line && !lines.empty()) {
    // The words of the first line, found by a first setting, take the ::first-line style; a
    // second setting places them. (If the restyled words no longer fit one line, the style
    // may end a word early or late.)
    size_t chars = 0;
    for (const text::LineRun& r : lines[0].runs)
      for (const Cluster& c : r.clusters)
        for (size_t i = 0; i < c.text.size(); ++i)
          if ((c.text[i] & 0xC0) != 0x80 && c.text[i] != ' ') ++chars;
    first_line_ = first_line;
    first_line_block_ = &cs;
    first_line_chars_ = chars;
    in = paragraph_input(block);
    first_line_ = nullptr;
    if (letter) cap = drop_cap(cs, *letter, measure, in, cap_lines);
    lines = text::set_paragraph(in, measure, fonts_, diags_);
  }
  last_cap_lines_ = cap ? cap_lines : 0;
  if (cap && !lines.empty()) {
    // The letter sits on the baseline of the last line it sinks into, at the line's start.
    size_t at = std::min(cap_lines, lines.size()) - 1;
    lines[at].runs.push_back(std::move(*cap));
  }
  if (left.v != 0)
    for (text::Line& l : lines)
      for (text::LineRun& r : l.runs) r.x += left;
  return lines;
}

// Lists the blocks of `n` that the pour sets at the column width, as flow_container walks them:
// not those inside boxes (inset), nor images.
void Layouter::list_helper_candidates(const Node& n) {
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    switch (c.kind) {
      case Kind::Figure:
        for (const Node& f : c.children)
          if (displayed(f) && f.kind != Kind::Image) add_helper_candidate(f);
        break;
      case Kind::Box: case Kind::Text: break;
      case Kind::Body: case Kind::List: list_helper_candidates(c); break;
      default: add_helper_candidate(c);
    }
  }
}

void Layouter::add_helper_candidate(const Node& block) {
  auto letter = styles_.first_letter.find(block.index);
  if (letter != styles_.first_letter.end() && letter->second.initial_letter >= 1) return;
  if (styles_.first_line.count(block.index)) return;
  Candidate c{&block, {chain_key(style(block))}};
  chain_keys(block, c.keys);
  std::sort(c.keys.begin(), c.keys.end());
  c.keys.erase(std::unique(c.keys.begin(), c.keys.end()), c.keys.end());
  candidates_.push_back(std::move(c));
}

// The font chains paragraph_input asks text_style for, as collect_spans walks the block.
void Layouter::chain_keys(const Node& n, std::vector<std::string>& keys) const {
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    if (c.kind == Kind::Text || c.kind == Kind::LineBreak) keys.push_back(chain_key(style(c)));
    else chain_keys(c, keys);
  }
}

// Hands the helper the candidates not set yet whose inputs can be built now without a font being
// resolved: every chain they need is in chains_ already. Building them early then changes
// nothing in the font cache, so faces keep the ids a sequential run gives them; the others are
// left to the pour, in its order, or handed over later, when chains_ has grown.
void Layouter::maybe_start_helper(const Node& current) {
  constexpr size_t kMinJobs = 24;  // fewer are not worth a thread and a clone of the font cache
  if (chains_.size() == chains_checked_) return;
  chains_checked_ = chains_.size();
  std::vector<const Node*> ready;
  for (const Candidate& c : candidates_) {
    const Node& b = *c.block;
    if (&b == &current || set_cache_.count(b.index) || handed_out_.count(b.index)) continue;
    if (std::all_of(c.keys.begin(), c.keys.end(),
                    [&](const std::string& k) { return chains_.count(k) > 0; }))
      ready.push_back(&b);
  }
  if (ready.size() < kMinJobs || !render_threads()) return;
  // Test hooks (tests/e2e/test_typeset.py): TRANG_LAYOUT_HELPER=0 sets every paragraph on this
  // thread, =all lets the helper set every paragraph it is given; the two must give the same
  // bytes.
  const char* mode = std::getenv("TRANG_LAYOUT_HELPER");
  if (mode && std::string_view(mode) == "0") return;
  bool patient = mode && std::string_view(mode) == "all";
  std::vector<ParagraphHelper::Job> jobs;
  jobs.reserve(ready.size());
  for (const Node* b : ready) {
    const style::ComputedStyle& cs = style(*b);
    handed_out_.insert(b->index);
    jobs.push_back({b->index, flow_.col_width - cs.margin_left - cs.margin_right, paragraph_input(*b)});
  }
  if (!helper_) helper_ = std::make_unique<ParagraphHelper>(patient);
  helper_->add(std::move(jobs), fonts_.frozen_clone());
}

// Takes the first letter (with punctuation before it, CSS Pseudo-Elements 4 §2.2.1) out of
// `in`, sets it at the size that spans `initial-letter` lines, and gives the first lines slots
// beside it. Returns the letter's glyph run, or nothing when the paragraph has no letter.
std::optional<text::LineRun> Layouter::drop_cap(const style::ComputedStyle& cs,
                                                 const style::ComputedStyle& ls, Pt measure,
                                                 text::ParagraphInput& in, size_t& lines) {
  size_t si = 0;
  while (si < in.spans.size() &&
         in.spans[si].text.find_first_not_of(" \t\r\n") == std::string::npos)
    ++si;
  if (si == in.spans.size()) return std::nullopt;
  std::string& t = in.spans[si].text;
  size_t b = t.find_first_not_of(" \t\r\n");
  std::u32string cps;
  if (!decode_utf8(std::string_view(t).substr(b), cps) || cps.empty()) return std::nullopt;
  size_t k = 0;
  std::string letter;
  auto take = [&] { append_utf8(letter, cps[k++]); };
  while (k < cps.size() && u_ispunct(cps[k])) take();
  if (k == cps.size() || u_isspace(cps[k])) return std::nullopt;
  take();
  while (k < cps.size() && (u_getCombiningClass(cps[k]) != 0 ||
                            u_charType(cps[k]) == U_NON_SPACING_MARK))
    take();

  int n = std::max(1, static_cast<int>(std::lround(ls.initial_letter)));
  int sink = std::max(1, ls.initial_letter_sink);
  text::ParagraphInput cap;
  uint32_t st = text_style(ls, cap);
  if (cap.styles[st].fonts.empty()) return std::nullopt;
  // CSS Inline 3 §7.4: the letter's cap height spans from the first line's cap height to the
  // baseline of line n.
  text::TextStyle& body = in.styles.front();
  double body_cap = body.fonts.empty() ? 0.7 : fonts_.metrics(body.fonts.front()).cap_height;
  double cap_ratio = fonts_.metrics(cap.styles[st].fonts.front()).cap_height;
  if (cap_ratio <= 0.1) cap_ratio = 0.7;
  Pt size = (cs.line_height * (n - 1) + body.size * body_cap) / cap_ratio;
  cap.styles[st].size = size;
  cap.spans.push_back({letter, st, ""});
  cap.align = text::Align::Left;
  cap.pos = in.pos;
  std::vector<text::Line> set = text::set_paragraph(cap, measure * 4, fonts_, diags_);
  if (set.empty() || set[0].runs.empty()) return std::nullopt;
  text::LineRun run = set[0].runs[0];
  Pt gap = cs.font_size * 0.3;
  Pt offset = set[0].width + gap;
  if (offset > measure * 0.5) return std::nullopt;  // a column too narrow: no drop cap
  t.erase(b, letter.size());
  if (t.find_first_not_of(" \t\r\n") == std::string::npos) t.clear();
  in.indent = Pt(0);
  in.slots.assign(static_cast<size_t>(sink), {offset, measure - offset});
  lines = static_cast<size_t>(sink);
  run.x = Pt(0);
  return run;
}

// The style of the first line's text: the ::first-line properties that differ from the
// block's own replace the span's (CSS Pseudo-Elements 4 §2.1: first-line inherits from the
// block, so inline children keep what they set themselves).
style::ComputedStyle Layouter::first_line_style(const style::ComputedStyle& span,
                                                const style::ComputedStyle& block) const {
  const style::ComputedStyle& fl = *first_line_;
  style::ComputedStyle s = span;
  if (fl.font_family != block.font_family) s.font_family = fl.font_family;
  if (fl.font_weight != block.font_weight) s.font_weight = fl.font_weight;
  if (fl.font_style != block.font_style) s.font_style = fl.font_style;
  if (fl.font_size != block.font_size) s.font_size = fl.font_size;
  if (!(fl.color == block.color)) s.color = fl.color;
  if (fl.letter_spacing != block.letter_spacing) s.letter_spacing = fl.letter_spacing;
  if (fl.word_spacing != block.word_spacing) s.word_spacing = fl.word_spacing;
  if (fl.font_features != block.font_features) s.font_features = fl.font_features;
  if (fl.text_transform != block.text_transform) s.text_transform = fl.text_transform;
  return s;
}

// --- figures ---

// Width of `span` columns starting at the current one.
Pt Layouter::span_width(int span) const {
  return flow_.col_width * span + flow_.gap * (span - 1);
}

// Cached: a figure's geometry depends only on it and its span, and balancing pours the same
// figures some thirty times.
const Layouter::FigureGeom& Layouter::figure_geom(const Node& figure, int span) {
  Pt span_w = span_width(span);
  auto key = std::make_tuple(figure.index, span, span_w.v);
  auto it = geom_cache_.find(key);
  if (it == geom_cache_.end()) it = geom_cache_.emplace(key, compute_figure_geom(figure, span)).first;
  const FigureGeom& g = it->second;
  if (g.scaled_down && !trial_ && figures_warned_.insert(figure.index).second)
    diags_.warning(figure.pos, "figure is taller than a column; scaled down to fit");
  return g;
}

Layouter::FigureGeom Layouter::compute_figure_geom(const Node& figure, int span) {
  const style::ComputedStyle& fs = style(figure);
  FigureGeom g;
  g.span = span;
  g.span_w = span_width(span);
  for (const Node& c : figure.children) {
    if (!displayed(c)) continue;
    if (c.kind == Kind::Image) {
      g.img = &c;
    } else if (span == 1) {
      g.captions.push_back(&column_block(c));
    } else {
      auto key = std::make_pair(c.index, span);
      auto it = span_cache_.find(key);
      if (it == span_cache_.end()) it = span_cache_.emplace(key, set_block(c, g.span_w)).first;
      g.captions.push_back(&it->second);
    }
  }
  g.img_w = g.span_w;
  if (fs.width_kind == style::ComputedStyle::WidthKind::Percent)
    g.img_w = std::min(g.span_w, g.span_w * (fs.width_percent / 100));
  else if (fs.width_kind == style::ComputedStyle::WidthKind::Length)
    g.img_w = std::min(g.span_w, fs.width);
  double aspect = 2.0 / 3.0;
  if (g.img) {
    auto it = res_.image_of_node.find(g.img->index);
    if (it != res_.image_of_node.end()) {
      g.image = &res_.images[it->second];
      g.image_index = it->second;
      aspect = static_cast<double>(g.image->height) / g.image->width;
      // EXIF orientations 5..8 turn the picture a quarter: it is seen height by width.
      if (g.image->exif_orientation >= 5 && g.image->exif_orientation <= 8) aspect = 1 / aspect;
    }
  }
  g.aspect = aspect;
  g.img_h = g.img_w * aspect;
  for (const SetBlock* c : g.captions)
    g.caption_h += c->margin_top + c->height(0, c->lines.size()) + c->margin_bottom;
  const style::PageStyle& ps = styles_.page;
  Pt column_h = ps.height - ps.margin_top - ps.margin_bottom;
  // A picture taller than a whole column is scaled down so that it and its caption fit.
  if (g.img_h + g.caption_h > column_h) {
    Pt h = column_h - g.caption_h;
    if (h.v < column_h.v * 0.2) h = column_h * 0.2;
    g.img_w = g.img_w * (h / g.img_h);
    g.img_h = h;
    g.scaled_down = true;
  }
  return g;
}

// Draws a figure with its top at `top` across `g.span` columns from column `col`; returns the
// bottom of what it drew. `at_top`/`at_bottom`: the figure touches the column area's top or
// bottom edge, so it may bleed there.
Pt Layouter::draw_figure(const Node& figure, const FigureGeom& g, int col, Pt top, bool at_top,
                         bool at_bottom) {
  const style::ComputedStyle& fs = style(figure);
  Page& page = tree_.pages.back();
  Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * col;
  Rect r{x + (g.span_w - g.img_w) / 2, top - g.img_h, g.img_w, g.img_h};
  // -trang-bleed: the artwork runs past the trim edge by the page's bleed, on the sides where
  // it touches the edge of the column area; it grows with its aspect ratio kept.
  uint8_t bleed = fs.bleed;
  if (bleed) {
    Pt bl = page.bleed;
    Pt left = r.x, right = r.right();
    bool can_left = col == 0, can_right = col + g.span >= flow_.columns;
    if ((bleed & style::kBleedLeft) && can_left) left = -bl;
    if ((bleed & style::kBleedRight) && can_right) right = page.width + bl;
    if ((bleed & (style::kBleedLeft | style::kBleedRight)) && !can_left && !can_right && !trial_)
      diags_.warning(figure.pos, "figure cannot bleed: it does not touch the page's side edge");
    r.x = left;
    r.w = right - left;
    r.h = r.w * g.aspect;
    if ((bleed & style::kBleedTop) && at_top) r.y = page.height + bl - r.h;
    else r.y = top - r.h;
    if ((bleed & style::kBleedBottom) && at_bottom && !(bleed & style::kBleedTop)) {
      r.y = -bl;
      r.h = std::max(r.h, top - r.y);
    }
  }
  if (g.image) {
    page.images.push_back({g.image_index, r, g.img->attribute("alt") ? *g.img->attribute("alt") : "",
                           static_cast<uint8_t>(std::clamp(g.image->exif_orientation, 1, 8))});
  } else if (g.img) {
    // An image that could not be read (a warning said so): a gray box with a thin outline
    // holds its place, so the page shows that a picture is missing, and says which one: its
    // alt text (else its file name) in the middle, or a cross where there is no room for it.
    page.fills.push_back({r, Color::gray(0.85f)});
    Pt w = Pt{0.5};
    Color c = Color::gray(0.45f);
    page.rules.push_back({r.x, r.y, r.right(), r.y, w, c});
    page.rules.push_back({r.x, r.y + r.h, r.right(), r.y + r.h, w, c});
    page.rules.push_back({r.x, r.y, r.x, r.y + r.h, w, c});
    page.rules.push_back({r.right(), r.y, r.right(), r.y + r.h, w, c});
    if (!label_placeholder(*g.img, r)) {
      page.rules.push_back({r.x, r.y, r.right(), r.y + r.h, w, c});
      page.rules.push_back({r.x, r.y + r.h, r.right(), r.y, w, c});
    }
  }
  Pt y = std::min(top, r.y);
  for (const SetBlock* c : g.captions) {
    y -= c->margin_top;
    for (size_t k = 0; k < c->lines.size(); ++k) {
      if (k > 0) y -= c->clearance[k];
      place_line(c->lines[k], c->line_height, x, y);
      y -= c->line_height;
    }
    y -= c->margin_bottom;
  }
  return y;
}

// The label of an unreadable image's placeholder box `r`: the image's alt text, else the name of
// its file, set in the image's font, centred, in dark gray, an em inside the box; as many lines
// as the box holds. False when there is nothing to say or no room to say it.
bool Layouter::label_placeholder(const Node& img, const Rect& r) {
  std::string label;
  if (const std::string* alt = img.attribute("alt")) label = *alt;
  if (label.find_first_not_of(" \t\r\n") == std::string::npos) {
    const std::string* src = img.attribute("src");
    label = src ? std::filesystem::path(*src).filename().string() : "";
  }
  if (label.find_first_not_of(" \t\r\n") == std::string::npos) return false;
  style::ComputedStyle cs = style(img);
  cs.color = Color::gray(0.3f);
  Pt pad = cs.font_size;
  Pt measure = r.w - pad * 2;
  Pt lh = cs.line_height;
  if (measure < cs.font_size * 4 || lh.v <= 0 || r.h < lh + pad * 2) return false;
  text::ParagraphInput in;
  uint32_t st = text_style(cs, in);
  if (in.styles[st].fonts.empty()) return false;
  in.spans.push_back({label, st, ""});
  in.align = text::Align::Center;
  in.pos = img.pos;
  // The image's warning was given; the label's own (a glyph missing) would only repeat it.
  Diagnostics quiet;
  std::vector<text::Line> lines = text::set_paragraph(in, measure, fonts_, quiet);
  size_t fit = std::min(lines.size(), static_cast<size_t>((r.h - pad * 2).v / lh.v));
  if (fit == 0) return false;
  Pt top = r.y + r.h / 2 + lh * (static_cast<double>(fit) / 2);
  for (size_t k = 0; k < fit; ++k) place_line(lines[k], lh, r.x + pad, top - lh * static_cast<double>(k));
  return true;
}

// Column spans: a figure across `span` columns from column `col`, at the top of what is free
// in them; those columns start below it. Returns the new top of the spanned columns.
Pt Layouter::place_span_at_top(const Node& figure, int span, int col) {
  const style::ComputedStyle& fs = style(figure);
  if (col + span > flow_.columns) col = 0;
  const FigureGeom& g = figure_geom(figure, span);
  Pt top = flow_.top;
  for (int c = col; c < col + span; ++c) top = std::min(top, column_top(c));
  bool at_top = top >= styles_.page.height - styles_.page.margin_top - Pt(0.01);
  Pt bottom = draw_figure(figure, g, col, top, at_top, false) - fs.margin_bottom;
  col_top_.resize(static_cast<size_t>(flow_.columns), Pt(1e9));
  for (int c = col; c < col + span; ++c)
    col_top_[static_cast<size_t>(c)] = std::min(col_top_[static_cast<size_t>(c)], bottom);
  return bottom;
}

void Layouter::flow_figure(const Node& figure) {
  const style::ComputedStyle& fs = style(figure);
  int span = std::clamp(fs.column_span, 1, flow_.columns);
  if (span > 1) {
    // At the top of the current column when nothing is in it yet, else at the top of the
    // next columns when the span fits to their right (the text goes on beside it), else at
    // the top of the next page.
    bool top_free = flow_.column_empty && flow_.cursor >= column_top(flow_.col) - Pt(0.01);
    if (top_free && flow_.col + span <= flow_.columns) {
      flow_.cursor = std::min(flow_.cursor, place_span_at_top(figure, span, flow_.col));
    } else if (flow_.col + 1 + span <= flow_.columns) {
      place_span_at_top(figure, span, flow_.col + 1);
    } else {
      defer_page_.push_back(&figure);
    }
    return;
  }
  const FigureGeom& g = figure_geom(figure, 1);
  Pt body_h = g.img_h + g.caption_h;
  Pt margin = std::max(flow_.pending_margin, fs.margin_top);
  if (fs.float_ == style::Float::Top || fs.float_ == style::Float::Bottom) {
    Pt need = body_h + (fs.float_ == style::Float::Top ? fs.margin_bottom : fs.margin_top);
    if (flow_.column_empty && fs.float_ == style::Float::Top) {
      flow_.cursor = draw_figure(figure, g, flow_.col, flow_.cursor, false, false) - fs.margin_bottom;
      return;
    }
    if (flow_.cursor - need < flow_.bottom) {
      defer_column_.push_back(&figure);
      return;
    }
    if (fs.float_ == style::Float::Top) {
      // Move what the column holds so far down, and put the figure above it.
      Pt top = column_top(flow_.col);
      shift_column(flow_.col, top, flow_.cursor, need);
      draw_figure(figure, g, flow_.col, top, false, false);
      flow_.cursor -= need;
    } else {
      draw_figure(figure, g, flow_.col, flow_.bottom + body_h, false, true);
      flow_.bottom += need;
      bottom_raise_ += need;
    }
    return;
  }
  Pt need = body_h + (flow_.column_empty ? Pt() : margin);
  if (flow_.cursor - need < flow_.bottom && !flow_.column_empty) {
    if (!next_column()) return;
  }
  if (!flow_.column_empty) flow_.cursor -= margin;
  flow_.cursor = draw_figure(figure, g, flow_.col, flow_.cursor, false, false);
  flow_.column_empty = false;
  flow_.pending_margin = fs.margin_bottom;
}

Pt Layouter::column_top(int col) const {
  if (static_cast<size_t>(col) < col_top_.size()) return std::min(flow_.top, col_top_[static_cast<size_t>(col)]);
  return flow_.top;
}

// Moves every item of column `col` of the current page that lies between `top` and `bottom`
// down by `by` (to make room for a figure floated to the column's top).
void Layouter::shift_column(int col, Pt top, Pt bottom, Pt by) {
  Page& page = tree_.pages.back();
  Pt x0 = flow_.x0 + (flow_.col_width + flow_.gap) * col - Pt(0.01);
  Pt x1 = x0 + flow_.col_width + Pt(0.02);
  auto in = [&](Pt x, Pt y) { return x >= x0 && x < x1 && y <= top + Pt(0.01) && y >= bottom - Pt(0.01); };
  for (GlyphRun& r : page.runs)
    if (in(r.x, r.y)) r.y -= by;
  for (LinkItem& l : page.links)
    if (in(l.rect.x, l.rect.y)) l.rect.y -= by;
  for (ImageItem& i : page.images)
    if (in(i.rect.x, i.rect.y)) i.rect.y -= by;
  for (FillItem& f : page.fills)
    if (in(f.rect.x, f.rect.y)) f.rect.y -= by;
  for (RuleItem& r : page.rules)
    if (in(r.x1, std::min(r.y1, r.y2)) && std::max(r.y1, r.y2) <= top + Pt(0.01)) {
      r.y1 -= by;
      r.y2 -= by;
    }
  for (OpenBox& b : open_boxes_)
    if (b.page == tree_.pages.size() - 1 && b.col == col) b.top -= by;
}

// Called when a new page starts (end of new_page): spanning figures that waited go on top.
void Layouter::on_page_start() {
  col_top_.clear();
  bottom_raise_ = Pt();
  std::vector<const Node*> waiting;
  waiting.swap(defer_page_);
  for (const Node* f : waiting)
    place_span_at_top(*f, std::clamp(style(*f).column_span, 1, flow_.columns), 0);
  flow_.cursor = std::min(flow_.cursor, column_top(flow_.col));
}

// Called when a column starts (end of next_column): its top under spanning figures, floats
// that waited for it, and the boxes that continue into it.
void Layouter::on_column_start() {
  flow_.cursor = std::min(flow_.cursor, column_top(flow_.col));
  std::vector<const Node*> waiting;
  waiting.swap(defer_column_);
  for (const Node* f : waiting) {
    const style::ComputedStyle& fs = style(*f);
    const FigureGeom& g = figure_geom(*f, 1);
    if (fs.float_ == style::Float::Bottom) {
      draw_figure(*f, g, flow_.col, flow_.bottom + g.img_h + g.caption_h, false, true);
      Pt need = g.img_h + g.caption_h + fs.margin_top;
      flow_.bottom += need;
      bottom_raise_ += need;
    } else {
      flow_.cursor = draw_figure(*f, g, flow_.col, flow_.cursor, false, false) - fs.margin_bottom;
    }
  }
  for (OpenBox& b : open_boxes_) {
    b.page = tree_.pages.size() - 1;
    b.col = flow_.col;
    b.top = flow_.cursor;
    b.first = false;
    flow_.cursor -= b.continued_inset;
  }
}

// Called before the flow leaves a column (start of next_column): boxes still open draw their
// piece in it; a bottom float's reserve ends with the column.
void Layouter::on_column_end() {
  for (OpenBox& b : open_boxes_) draw_box_piece(b, flow_.bottom, false);
  flow_.bottom -= bottom_raise_;
  bottom_raise_ = Pt();
}

// Figures still waiting when the text has ended get a column or page of their own.
void Layouter::flush_deferred() {
  for (int guard = 0; (!defer_column_.empty() || !defer_page_.empty()) && guard < 4 && !stopped_; ++guard) {
    if (!defer_page_.empty()) {
      size_t pages = tree_.pages.size();
      while (tree_.pages.size() == pages && !stopped_)
        if (!next_column()) break;
    } else {
      next_column();
    }
  }
}

// --- boxes: background, border, padding (CSS Backgrounds 3, CSS 2.1 §8) ---

bool has_decoration(const style::ComputedStyle& s) {
  return s.has_background || s.border_top.visible() || s.border_right.visible() ||
         s.border_bottom.visible() || s.border_left.visible() || s.padding_top.v > 0 ||
         s.padding_bottom.v > 0 || s.padding_left.v > 0 || s.padding_right.v > 0;
}

void Layouter::flow_box(const Node& box) {
  const style::ComputedStyle& s = style(box);
  if (!has_decoration(s)) {
    flow_container(box);
    return;
  }
  // The content of the box is set narrower by the box's margins, borders and padding.
  Pt in_left = s.margin_left + s.border_left.width + s.padding_left;
  Pt in_right = s.margin_right + s.border_right.width + s.padding_right;
  model::visit(box, [&](const Node& d) {
    if (&d == &box) return;
    auto parent = inset_.find(box.index);
    Pt l = in_left + (parent != inset_.end() ? parent->second.first : Pt());
    Pt r = in_right + (parent != inset_.end() ? parent->second.second : Pt());
    inset_[d.index] = {l, r};
  });
  Pt margin = std::max(flow_.pending_margin, s.margin_top);
  Pt head = s.border_top.width + s.padding_top;
  if (!flow_.column_empty) {
    if (flow_.cursor - margin - head - s.line_height * 2 < flow_.bottom) {
      if (!next_column()) return;
    } else {
      flow_.cursor -= margin;
    }
  }
  flow_.pending_margin = Pt();
  OpenBox ob{&box, tree_.pages.size() - 1, flow_.col, flow_.cursor, true,
             s.padding_top};
  open_boxes_.push_back(ob);
  flow_.cursor -= head;
  flow_container(box);
  if (open_boxes_.empty()) return;  // stopped
  flow_.cursor -= flow_.pending_margin;
  flow_.cursor -= s.padding_bottom + s.border_bottom.width;
  OpenBox done = open_boxes_.back();
  open_boxes_.pop_back();
  draw_box_piece(done, flow_.cursor, true);
  flow_.pending_margin = s.margin_bottom;
  flow_.column_empty = false;
}

// One piece of a box's decoration in one column: the background, then the borders (the top
// border only on the first piece, the bottom one only on the last: box-decoration-break: slice).
void Layouter::draw_box_piece(const OpenBox& b, Pt bottom, bool last) {
  const style::ComputedStyle& s = style(*b.node);
  if (b.page >= tree_.pages.size() || b.top <= bottom) return;
  Page& page = tree_.pages[b.page];
  Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * b.col + s.margin_left;
  Pt w = flow_.col_width - s.margin_left - s.margin_right;
  Rect r{x, bottom, w, b.top - bottom};
  if (s.has_background) page.fills.push_back({r, s.background_color});
  auto rule = [&](const style::BorderSide& side, Pt x1, Pt y1, Pt x2, Pt y2) {
    if (side.visible()) page.rules.push_back({x1, y1, x2, y2, side.width, side.color});
  };
  Pt ht = s.border_top.width / 2, hb = s.border_bottom.width / 2;
  Pt hl = s.border_left.width / 2, hr = s.border_right.width / 2;
  if (b.first) rule(s.border_top, r.x, r.top() - ht, r.right(), r.top() - ht);
  if (last) rule(s.border_bottom, r.x, r.y + hb, r.right(), r.y + hb);
  rule(s.border_left, r.x + hl, r.y, r.x + hl, r.top());
  rule(s.border_right, r.right() - hr, r.y, r.right() - hr, r.top());
}

// --- named strings and margin boxes (CSS GCPM 3 §1, CSS Paged Media 3 §5) ---

// Resolves a content list against an element (string-set) or a page (margin boxes).
std::string Layouter::content_text(const std::vector<style::ContentItem>& items, const Node* node,
                                   size_t page, size_t pages,
                                   const std::vector<std::map<std::string, std::string>>* first,
                                   const std::vector<std::map<std::string, std::string>>* last,
                                   const std::vector<std::map<std::string, std::string>>* start,
                                   const std::vector<std::set<std::string>>* set_here) const {
  std::string out;
  for (const style::ContentItem& it : items) {
    switch (it.kind) {
      case style::ContentItem::Kind::Literal: out += it.value; break;
      case style::ContentItem::Kind::ElementText:
        if (node) out += plain_text(*node);
        break;
      case style::ContentItem::Kind::Attr:
        if (node && node->attribute(it.value)) out += *node->attribute(it.value);
        break;
      case style::ContentItem::Kind::CounterPage:
      case style::ContentItem::Kind::CounterPages: {
        size_t n = it.kind == style::ContentItem::Kind::CounterPage ? page + 1 : pages;
        out += it.roman ? roman(n, it.upper) : std::to_string(n);
        break;
      }
      case style::ContentItem::Kind::String: {
        if (!first) break;
        const std::map<std::string, std::string>* m = nullptr;
        switch (it.which) {
          case style::ContentItem::Which::First: m = &(*first)[page]; break;
          case style::ContentItem::Which::Last: m = &(*last)[page]; break;
          case style::ContentItem::Which::Start: m = &(*start)[page]; break;
          case style::ContentItem::Which::FirstExcept:
            if (!(*set_here)[page].count(it.value)) m = &(*start)[page];
            break;
        }
        if (m) {
          auto f = m->find(it.value);
          if (f != m->end()) out += f->second;
        }
        break;
      }
    }
  }
  return out;
}

std::string Layouter::roman(size_t n, bool upper) {
  static constexpr std::pair<int, const char*> kTable[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
      {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
  std::string out;
  for (const auto& [v, s] : kTable)
    while (n >= static_cast<size_t>(v)) out += s, n -= static_cast<size_t>(v);
  if (upper)
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Records the named strings a block and its descendants set, on the page where the block's
// first line landed.
void Layouter::note_strings(const Node& block, size_t page_before, size_t runs_before) {
  size_t page = page_before;
  if (tree_.pages.size() > page_before + 1 && page_before < tree_.pages.size() &&
      tree_.pages[page_before].runs.size() == runs_before)
    page = page_before + 1;
  model::visit(block, [&](const Node& n) {
    if (n.kind == Kind::Text) return;
    for (const style::StringSet& s : style(n).string_set)
      string_marks_.push_back({page, s.name, content_text(s.value, &n, page, 0), n.index});
  });
}

// Running heads and folios: the margin boxes of each page's @page rules (CSS Paged Media 3
// §5.3), with named strings (GCPM 3 §1.2) and page counters, set as one line each.
void Layouter::add_page_furniture() {
  size_t pages = tree_.pages.size();
  if (pages == 0) return;
  // Named strings start as the article's metadata, then follow string-set (GCPM 3 §1.2.2).
  std::map<std::string, std::string> carry;
  const model::Metadata& m = article_.meta;
  carry["section"] = m.section;
  carry["date"] = m.date;
  carry["title"] = article_.headline();
  for (const std::string& a : m.authors) carry["author"] += (carry["author"].empty() ? "" : ", ") + a;
  carry["source"] = m.source;
  // Strings set by elements outside the flow (the head, the article) count on page 1.
  std::vector<StringMark> marks;
  model::visit(article_.root, [&](const Node& n) {
    if (n.kind == Kind::Text) return;
    for (const style::StringSet& s : style(n).string_set) {
      bool found = false;
      for (const StringMark& mk : string_marks_) found |= mk.name == s.name && mk.node == n.index;
      if (!found) marks.push_back({0, s.name, content_text(s.value, &n, 0, 0), n.index});
    }
  });
  for (const StringMark& mk : string_marks_) marks.push_back(mk);
  std::stable_sort(marks.begin(), marks.end(),
                   [](const StringMark& a, const StringMark& b) { return a.page < b.page; });
  std::vector<std::map<std::string, std::string>> first(pages), last(pages), start(pages);
  std::vector<std::set<std::string>> set_here(pages);
  size_t mi = 0;
  for (size_t p = 0; p < pages; ++p) {
    start[p] = carry;
    first[p] = carry;
    std::set<std::string> seen;
    for (; mi < marks.size() && marks[mi].page <= p; ++mi) {
      if (seen.insert(marks[mi].name).second) first[p][marks[mi].name] = marks[mi].value;
      carry[marks[mi].name] = marks[mi].value;
      set_here[p].insert(marks[mi].name);
    }
    last[p] = carry;
  }

  for (size_t p = 0; p < pages; ++p) {
    // Page 1 is a right page (CSS Paged Media 3 §4.3.2, left-to-right).
    const style::PageStyle& ps = p == 0 ? styles_.first_page
                                 : (p % 2 == 1 ? styles_.left_page : styles_.right_page);
    Page& page = tree_.pages[p];
    page.bleed = ps.bleed;
    page.crop_marks = ps.crop_marks;
    page.cross_marks = ps.cross_marks;
    Pt left = ps.margin_left, width = ps.width - ps.margin_left - ps.margin_right;
    for (const style::MarginBox& box : ps.margin_boxes) {
      std::string textv = content_text(box.content, nullptr, p, pages, &first, &last, &start,
                                       &set_here);
      if (textv.find_first_not_of(" \t") == std::string::npos) continue;
      const style::ComputedStyle& bs = box.style;
      if (bs.text_transform == style::TextTransform::Uppercase) textv = text::to_upper(textv, article_.lang);
      if (bs.text_transform == style::TextTransform::Lowercase) textv = text::to_lower(textv, article_.lang);
      text::ParagraphInput in;
      uint32_t st = text_style(bs, in);
      in.spans.push_back({textv, st, ""});
      switch (bs.text_align) {
        case style::TextAlign::Right: in.align = text::Align::Right; break;
        case style::TextAlign::Center: in.align = text::Align::Center; break;
        default: in.align = text::Align::Left;
      }
      in.pos = SourcePos{article_.file};
      Diagnostics quiet;
      std::vector<text::Line> lines = text::set_paragraph(in, width, fonts_, trial_ ? quiet : diags_);
      if (lines.empty()) continue;
      bool top = box.pos == style::MarginBoxPos::TopLeft || box.pos == style::MarginBoxPos::TopCenter ||
                 box.pos == style::MarginBoxPos::TopRight;
      // Vertically centred in the page margin (§5.3.2: vertical-align: middle).
      Pt area_top = top ? ps.height : ps.margin_bottom;
      Pt area_h = top ? ps.margin_top : ps.margin_bottom;
      Pt lh = bs.line_height;
      Pt y = area_top - (area_h - lh) / 2;
      Page& target = tree_.pages[p];  // (place_line draws on the last page)
      Pt half_leading = (lh - lines[0].ascent - lines[0].descent) / 2;
      Pt baseline = y - half_leading - lines[0].ascent;
      for (const text::LineRun& r : lines[0].runs)
        target.runs.push_back({r.font, r.size, r.color, left + r.x, baseline, r.glyphs, r.clusters});
    }
  }
}

const Frame& Layouter::frame_at(size_t page) {
  while (frames_.size() <= page) frames_.push_back(options_.frames(frames_.size()));
  return frames_[page];
}

void Layouter::apply_frame(size_t page) {
  if (!options_.frames) return;
  const Frame& f = frame_at(page);
  flow_.x0 = f.x0;
  flow_.measure = f.measure;
  flow_.columns = std::max(1, f.columns);
  flow_.gap = f.gap;
  flow_.col_width = (flow_.measure - flow_.gap * (flow_.columns - 1)) / flow_.columns;
}

// The foot of the column area on `page`: the frame's with Options::frames, else the @page's.
Pt Layouter::page_bottom(size_t page) {
  return options_.frames ? frame_at(page).bottom : styles_.page.margin_bottom;
}

void Layouter::reset_features() {
  defer_page_.clear();
  defer_column_.clear();
  col_top_.clear();
  bottom_raise_ = Pt();
  open_boxes_.clear();
  string_marks_.clear();
}

PageTree Layouter::run() {
  const style::PageStyle& ps = styles_.page;
  flow_.x0 = ps.margin_left;
  flow_.measure = ps.width - ps.margin_left - ps.margin_right;
  flow_.columns = std::max(1, ps.column_count);
  flow_.gap = ps.column_gap;
  flow_.col_width = (flow_.measure - flow_.gap * (flow_.columns - 1)) / flow_.columns;
  if (flow_.col_width.v < 36) {
    diags_.error({article_.file}, "columns are narrower than half an inch; check the margins, "
                                  "column-count and column-gap");
    return {};
  }
  first_top_ = ps.height - ps.margin_top;
  if (options_.frames) {
    apply_frame(0);
    first_top_ = frame_at(0).top;
  }
  new_page();

  // The head: leading blocks that span all columns.
  head_cursor_ = flow_.top;
  size_t first_flow = 0;
  const auto& top = article_.root.children;
  while (first_flow < top.size() &&
         (!displayed(top[first_flow]) ||
          (top[first_flow].kind != Kind::Body && top[first_flow].kind != Kind::Figure &&
           style(top[first_flow]).column_span_all))) {
    if (displayed(top[first_flow])) head(top[first_flow]);
    ++first_flow;
  }
  if (head_cursor_ < flow_.top) {
    // A hairline under the head separates it from the columns, as newspapers do.
    Pt y = head_cursor_ - Pt(2);
    tree_.pages.back().rules.push_back({flow_.x0, y, flow_.x0 + flow_.measure, y, Pt(0.5), Color::gray(0)});
    flow_.cursor = y - Pt(8);
  }
  head_outline_ = tree_.outline.size();
  head_runs_ = tree_.pages.front().runs.size();
  head_links_ = tree_.pages.front().links.size();
  head_rules_ = tree_.pages.front().rules.size();
  first_top_ = flow_.cursor;
  std::vector<const Node*> flow;
  for (size_t i = first_flow; i < top.size(); ++i)
    if (displayed(top[i])) flow.push_back(&top[i]);
  // With columns to balance, the first pour only counts pages (a trial): balancing pours again
  // for real. Otherwise, or when balancing cannot run, one real pour takes the set lines over.
  bool balance = flow_.columns >= 2;
  for (const Node* c : flow) {
    if (c->kind == Kind::Body) {
      list_helper_candidates(*c);
    } else if (c->kind == Kind::Figure) {
      for (const Node& f : c->children)
        if (displayed(f) && f.kind != Kind::Image) add_helper_candidate(f);
    } else {
      add_helper_candidate(*c);
    }
  }
  trial_ = balance;
  pour(flow, Pt());
  trial_ = false;
  // Every column block is set now: later pours only read set_cache_.
  helper_.reset();
  // TRANG_TIMINGS=1 (cli/render.cpp): how much the helper did, beside the stage times.
  if (helper_taken_ > 0 && std::getenv("TRANG_TIMINGS"))
    std::fprintf(stderr, "trang: %zu paragraphs set ahead on a second thread\n", helper_taken_);
  candidates_.clear();
  if (!balance || !balance_last_page(flow)) {
    consume_ = true;
    pour(flow, Pt());
    consume_ = false;
  }
  if (!options_.frames) add_page_furniture();  // a publication draws its own

  const model::Metadata& m = article_.meta;
  tree_.info.title = article_.headline();
  for (const std::string& a : m.authors) tree_.info.author += (tree_.info.author.empty() ? "" : ", ") + a;
  tree_.info.subject = m.section;
  for (const std::string& k : m.keywords) tree_.info.keywords += (tree_.info.keywords.empty() ? "" : ", ") + k;
  tree_.info.language = article_.lang;
  tree_.info.date = m.date;
  for (size_t f = 0; f < fonts_.size(); ++f) tree_.fonts.push_back(fonts_.program(static_cast<FontId>(f)));
  return std::move(tree_);
}

}  // namespace

PageTree layout_article(const model::Article& article, const style::StyledDocument& styles,
                        const Resources& resources, text::FontCache& fonts,
                        const Options& options, Diagnostics& diags) {
  Layouter l(article, styles, resources, fonts, options, diags);
  return l.run();
}

}  // namespace trang::layout
