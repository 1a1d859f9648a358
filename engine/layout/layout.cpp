#include "layout/layout.h"

#include <algorithm>
#include <cmath>

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
  void balance_last_page(const std::vector<const Node*>& flow);

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
  style::BreakValue pending_break_ = style::BreakValue::Auto;  // break-after of the last block        // a balancing trial: report nothing, only find out if it fits
  size_t limit_page_ = SIZE_MAX;  // the page whose columns are shortened to balance them
  Pt limit_height_;
  Pt first_top_;              // top of the column area on page 1 (under the head)
  size_t head_runs_ = 0, head_links_ = 0, head_rules_ = 0;  // page 1 items of the head
  size_t head_outline_ = 0;
  std::map<uint32_t, SetBlock> set_cache_;
  // Font chains by (families, weight, italic): one fontconfig query per distinct style.
  std::map<std::string, std::vector<FontId>> chains_;
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

uint32_t Layouter::text_style(const style::ComputedStyle& cs, text::ParagraphInput& in) {
  std::string key;
  for (const auto& f : cs.font_family) key += f + ',';
  key += std::to_string(cs.font_weight) + (cs.font_style == style::FontStyle::Italic ? "i" : "r");
  auto it = chains_.find(key);
  if (it == chains_.end())
    it = chains_.emplace(key, fonts_.chain(cs.font_family, cs.font_weight,
                                           cs.font_style == style::FontStyle::Italic, diags_)).first;
  text::TextStyle ts{it->second, cs.font_size, cs.color, cs.letter_spacing, article_.lang};
  for (size_t i = 0; i < in.styles.size(); ++i) {
    const text::TextStyle& o = in.styles[i];
    if (o.fonts == ts.fonts && o.size == ts.size && o.color == ts.color &&
        o.letter_spacing == ts.letter_spacing)
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
        std::string t = c.text;
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
  in.indent = cs.text_indent;
  in.pos = block.pos;
  in.hyphenation.enabled = cs.hyphens == style::Hyphens::Auto;
  in.hyphenation.word_min = cs.hyphenate_word_min;
  in.hyphenation.before_min = cs.hyphenate_before_min;
  in.hyphenation.after_min = cs.hyphenate_after_min;
  in.hyphenation.limit_lines = cs.hyphenate_limit_lines;
  in.greedy = cs.line_breaking == style::LineBreaking::Greedy;
  in.protrusion = cs.protrusion;
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
  b.lines = text::set_paragraph(paragraph_input(block), measure - cs.margin_left - cs.margin_right,
                                fonts_, diags_);
  b.line_height = cs.line_height;
  b.margin_top = cs.margin_top;
  b.margin_bottom = cs.margin_bottom;
  b.widows = static_cast<size_t>(std::max(1, cs.widows));
  b.orphans = static_cast<size_t>(std::max(1, cs.orphans));
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
    } else if (!warned && !trial_) {
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
      diags_.error({article_.file}, "layout stopped after " + std::to_string(options_.max_pages) +
                                        " pages; the rest of the article is overset");
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
  if (tree_.pages.size() - 1 == limit_page_) flow_.bottom = std::max(flow_.bottom, flow_.top - limit_height_);
  flow_.col = 0;
  flow_.cursor = flow_.top;
  flow_.pending_margin = Pt();
  flow_.column_empty = true;
}

bool Layouter::next_column() {
  if (stopped_) return false;
  if (flow_.col + 1 < flow_.columns) {
    ++flow_.col;
    flow_.cursor = flow_.top;
  } else {
    draw_column_rules(tree_.pages.back(), flow_.top, flow_.bottom);
    new_page();
    if (stopped_) return false;
  }
  flow_.pending_margin = Pt();
  flow_.column_empty = true;
  return true;
}

void Layouter::draw_column_rules(Page& page, Pt top, Pt bottom) {
  const style::PageStyle& ps = styles_.page;
  if (ps.column_rule_width.v <= 0) return;
  for (int c = 1; c < flow_.columns; ++c) {
    Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * c - flow_.gap / 2;
    page.rules.push_back({x, top, x, bottom, ps.column_rule_width, ps.column_rule_color});
  }
}

// Places a line whose line box starts at `top`: the baseline sits half the leading plus the
// ascent below it (CSS 2.1 §10.8.1), so lines of any font share one baseline grid per block.
void Layouter::place_line(const text::Line& line, Pt line_height, Pt x, Pt top) {
  Page& page = tree_.pages.back();
  Pt half_leading = (line_height - line.ascent - line.descent) / 2;
  Pt baseline = top - half_leading - line.ascent;
  for (const text::LineRun& r : line.runs) {
    GlyphRun g{r.font, r.size, r.color, x + r.x, baseline, r.glyphs, r.clusters};
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
  while (i < n && !stopped_) {
    Pt gap = flow_.column_empty ? Pt() : margin;
    Pt room = flow_.cursor - gap - flow_.bottom;
    size_t fit = 0;
    for (Pt used; i + fit < n; ++fit) {
      Pt h = b.line_height + (fit > 0 || !flow_.column_empty ? b.clearance[i + fit] : Pt());
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
      if (k > 0 || !flow_.column_empty) flow_.cursor -= b.clearance[i + k];
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
      case Kind::Body: case Kind::Box: case Kind::List: flow_container(c); break;
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

void Layouter::flow_figure(const Node& figure) {
  const style::ComputedStyle& fs = style(figure);
  const Node* img = nullptr;
  std::vector<const SetBlock*> captions;
  for (const Node& c : figure.children) {
    if (!displayed(c)) continue;
    if (c.kind == Kind::Image) img = &c;
    else captions.push_back(&column_block(c));
  }
  Pt cw = flow_.col_width;
  Pt img_h = cw * (2.0 / 3.0);
  const image::Image* image = nullptr;
  if (img) {
    auto it = res_.image_of_node.find(img->index);
    if (it != res_.image_of_node.end()) {
      image = &res_.images[it->second];
      img_h = cw * (static_cast<double>(image->height) / image->width);
    }
  }
  Pt caption_h;
  for (const SetBlock* c : captions)
    caption_h += c->margin_top + c->line_height * static_cast<double>(c->lines.size()) + c->margin_bottom;
  const style::PageStyle& ps = styles_.page;
  Pt column_h = ps.height - ps.margin_top - ps.margin_bottom;
  // A picture taller than a whole column is scaled down so that it and its caption fit.
  Pt img_w = cw;
  if (img_h + caption_h > column_h) {
    Pt h = column_h - caption_h;
    if (h.v < column_h.v * 0.2) h = column_h * 0.2;
    img_w = cw * (h / img_h);
    img_h = h;
    if (!trial_) diags_.warning(figure.pos, "figure is taller than a column; scaled down to fit");
  }
  Pt margin = std::max(flow_.pending_margin, fs.margin_top);
  Pt need = img_h + caption_h + (flow_.column_empty ? Pt() : margin);
  if (flow_.cursor - need < flow_.bottom && !flow_.column_empty) {
    if (!next_column()) return;
  }
  if (!flow_.column_empty) flow_.cursor -= margin;
  Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * flow_.col;
  Page& page = tree_.pages.back();
  Rect r{x + (cw - img_w) / 2, flow_.cursor - img_h, img_w, img_h};
  if (image) {
    page.images.push_back({res_.image_of_node.at(img->index), r,
                           img->attribute("alt") ? *img->attribute("alt") : ""});
  } else {
    page.fills.push_back({r, Color::gray(0.85f)});
  }
  flow_.cursor -= img_h;
  for (const SetBlock* c : captions) {
    flow_.cursor -= c->margin_top;
    for (const text::Line& l : c->lines) {
      place_line(l, c->line_height, x, flow_.cursor);
      flow_.cursor -= c->line_height;
    }
    flow_.cursor -= c->margin_bottom;
  }
  flow_.column_empty = false;
  flow_.pending_margin = fs.margin_bottom;
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
  limit_height_ = last_page_height;
  flow_.top = first_top_;
  flow_.bottom = styles_.page.margin_bottom;
  if (limit_page_ == 0) flow_.bottom = std::max(flow_.bottom, flow_.top - limit_height_);
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
  if (!tree_.pages.empty()) {
    Pt rule_bottom = flow_.col == 0 ? flow_.cursor : flow_.bottom;
    draw_column_rules(tree_.pages.back(), flow_.top, rule_bottom);
  }
}

// Column balancing: the last page's columns are made as short as possible while everything
// still fits on that page, found by bisection on the column height (each trial re-pours the
// already set lines, which is cheap). Orphans and widows still hold in every trial.
void Layouter::balance_last_page(const std::vector<const Node*>& flow) {
  if (flow_.columns < 2 || stopped_ || tree_.pages.empty()) return;
  size_t pages = tree_.pages.size();
  limit_page_ = pages - 1;
  Pt full = flow_.top - styles_.page.margin_bottom;
  Pt lo = full / flow_.columns * 0.5, hi = full;
  trial_ = true;
  for (int i = 0; i < 14 && hi - lo > Pt(0.5); ++i) {
    Pt mid = (lo + hi) / 2;
    pour(flow, mid);
    if (!stopped_ && tree_.pages.size() == pages) hi = mid;
    else lo = mid;
  }
  trial_ = false;
  pour(flow, hi);
  limit_page_ = SIZE_MAX;
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
  pour(flow, Pt());
  balance_last_page(flow);

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
