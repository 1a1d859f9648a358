// Flow into columns: pages, columns, placing lines, orphans and widows, forced breaks, and
// balancing the last page's columns.
#include "layout/layouter.h"
#include "layout/pages.h"

#include <algorithm>
#include <cmath>

namespace trang::layout::detail {

void Layouter::new_page() {
  const style::PageStyle& ps = styles_.page;
  if (static_cast<int>(tree_.pages.size()) >= options_.max_pages) {
    if (!stopped_ && !trial_)
      diags_.add({Diagnostic::Severity::Error, {article_.file},
                  "layout stopped after " + std::to_string(options_.max_pages) +
                      (options_.max_pages == 1 ? " page" : " pages") +
                      "; the rest of the article is overset",
                  "raise --max-pages if the article really is this long", true});
    stopped_ = true;
    return;
  }
  // A finished page's runs lose the slack of their vector's doubling (a third of it).
  if (!tree_.pages.empty()) tree_.pages.back().runs.shrink_to_fit();
  static_cast<PageSetup&>(tree_.pages.emplace_back()) = blank_page(ps, tree_.pages.size());
  // Top and bottom margins are the page's own (@page :first, :left, :right).
  const style::PageStyle& own = page_style(styles_, tree_.pages.size() - 1);
  flow_.top = tree_.pages.size() == 1 ? first_top_ : ps.height - own.margin_top;
  flow_.bottom = own.margin_bottom;
  if (options_.regions) {
    apply_region(tree_.pages.size() - 1);
    if (tree_.pages.size() > 1) flow_.top = region_at(tree_.pages.size() - 1).top;
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

void Layouter::draw_column_rules(Sheet& page, Pt top, Pt bottom) {
  const style::PageStyle& ps = styles_.page;
  if (ps.column_rule_width.v <= 0) return;
  for (int c = 1; c < flow_.columns; ++c) {
    Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * c - flow_.gap / 2;
    // A figure spanning both columns covers the rule between them.
    Pt t = std::min({top, column_top(c - 1), column_top(c)});
    if (t <= bottom) continue;
    page.rules.push_back(styled_rule(ps.column_rule_style, x, t, x, bottom, ps.column_rule_width,
                                     ps.column_rule_color));
  }
}

// Places a line whose line box starts at `top`: the baseline sits half the leading plus the
// ascent below it (CSS 2.1 §10.8.1), so lines of any font share one baseline grid per block.
void Layouter::place_line(const text::Line& line, Pt line_height, Pt x, Pt top,
                          std::string_view label) {
  // A balancing trial only asks whether everything fits; copying every glyph of every page
  // into runs that are thrown away was most of the cost of balancing a long article.
  if (trial_) return;
  Sheet& page = tree_.pages.back();
  Pt half_leading = (line_height - line.ascent - line.descent) / 2;
  Pt baseline = top - half_leading - line.ascent;
  for (const text::LineRun& r : line.runs) {
    GlyphRun g{r.font, r.size, r.color, x + r.x, baseline, {}, {}, r.hscale};
    g.tag = tag_;
    g.tag.initial = r.initial;
    g.lang = r.lang;
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
                            r.href, tag_});
    if (!label.empty()) split_label(g, label, page.runs);
    page.runs.push_back(std::move(g));
  }
}

// A list item's marker ("• ", "3. ") leads its first line: the clusters that spell it go into
// a run of their own tagged Lbl, beside the LBody (ISO 32000-1 §14.8.4.3.3). Consumes from
// `label` what it finds; a marker the clusters do not spell (restyled by ::first-line) stays
// in the LBody.
void Layouter::split_label(GlyphRun& g, std::string_view& label, std::vector<GlyphRun>& runs) {
  if (g.tag.depth != 3 || g.tag.leaf().role != StructRole::LBody) {
    label = {};
    return;
  }
  size_t n = 0;
  std::string_view rest = label;
  for (; n < g.clusters.size() && !rest.empty(); ++n) {
    std::string_view t = g.clusters[n].text.view();
    if (t.empty() || rest.substr(0, t.size()) != t) {
      label = {};
      return;
    }
    rest.remove_prefix(t.size());
  }
  label = rest;
  if (n == 0) return;
  StructTag lbl = g.tag;
  lbl.path[2].role = StructRole::Lbl;
  if (n == g.clusters.size()) {
    g.tag = lbl;
    return;
  }
  uint32_t split = g.clusters[n].first_glyph;
  GlyphRun head = g;
  head.tag = lbl;
  head.glyphs.assign(g.glyphs.begin(), g.glyphs.begin() + split);
  head.clusters.assign(g.clusters.begin(), g.clusters.begin() + static_cast<std::ptrdiff_t>(n));
  for (const Glyph& gl : head.glyphs) g.x += gl.advance;
  g.glyphs.erase(g.glyphs.begin(), g.glyphs.begin() + split);
  g.clusters.erase(g.clusters.begin(), g.clusters.begin() + static_cast<std::ptrdiff_t>(n));
  for (Cluster& c : g.clusters) c.first_glyph -= split;
  runs.push_back(std::move(head));
}

// Pours a set paragraph into the columns, keeping `orphans` lines together at the foot of a
// column and `widows` at the head of the next (CSS Fragmentation 3 §4.4).
void Layouter::flow_lines(const SetBlock& b, const Node* heading, const Node* block) {
  size_t n = b.lines.size();
  size_t i = 0;
  // A decorated block is a box around its own lines: its border and padding above the first
  // line and below the last, a piece of background and side borders in each column it uses.
  bool deco = b.decorated && block;
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
    Pt head = deco && i == 0 ? b.deco_head : Pt();
    Pt room = flow_.cursor - gap - head - flow_.bottom;
    size_t fit = 0;
    for (Pt used; i + fit < n; ++fit) {
      Pt h = b.line_height + (fit > 0 || !flow_.column_empty ? lift(b.clear(i + fit)) : Pt());
      if (deco && i + fit + 1 == n) h += b.deco_foot;
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
    // An empty column takes a line even when it is too short for one (no endless loop), unless
    // a figure took its top or foot: then the text goes on in the next column.
    bool whole = flow_.cursor >= flow_.top - Pt(0.01) && bottom_raise_ <= Pt(0.01);
    if (whole && fit == 0 && options_.regions) {
      // A publication's region too short for a line (a long head in a narrow module): the
      // text goes on in the next region when that one is taller, rather than past this foot.
      const Region& next = region_at(tree_.pages.size());
      whole = next.top - next.bottom < room + b.line_height;
    }
    if (take == 0 && flow_.column_empty && (fit > 0 || whole)) take = std::max<size_t>(1, std::min(fit, left));
    if (take == 0) {
      if (!next_column()) return;
      continue;
    }
    flow_.cursor -= gap;
    if (deco && i == 0) {
      OpenBox ob{block, tree_.pages.size() - 1, flow_.col, flow_.cursor, true, Pt(), Pt(), Pt(),
                 tree_.pages.back().fills.size()};
      if (auto it = inset_.find(block->index); it != inset_.end())
        std::tie(ob.left, ob.right) = it->second;
      open_boxes_.push_back(ob);
      flow_.cursor -= head;
    }
    Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * flow_.col;
    if (heading && i == 0)
      tree_.outline.push_back({plain_text(*heading), 1,
                               static_cast<uint32_t>(tree_.pages.size() - 1), flow_.cursor});
    for (size_t k = 0; k < take; ++k) {
      if (k > 0 || !flow_.column_empty) flow_.cursor -= lift(b.clear(i + k));
      place_line(b.lines[i + k], b.line_height, x, flow_.cursor,
                 i + k == 0 ? std::string_view(label_) : std::string_view());
      flow_.cursor -= b.line_height;
    }
    i += take;
    if (deco && i == n && !open_boxes_.empty()) {
      flow_.cursor -= b.deco_foot;
      OpenBox done = open_boxes_.back();
      open_boxes_.pop_back();
      draw_box_piece(done, flow_.cursor, true);
    }
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
  const SetBlock* set = &column_block(block);
  force_break(pending_break_);
  pending_break_ = style::BreakValue::Auto;
  force_break(set->break_before);
  // A drop cap must stay in its column. Where a paragraph starts in an empty column too short
  // for the lines its letter sinks into (under a spanning figure, a module's last lines), the
  // letter would part from its first lines and reach up out of the next column: the paragraph
  // is set again with a letter as many lines tall as the column holds, or none (drop_cap).
  if (set->cap_lines > 1 && flow_.column_empty && set->lines.size() > set->cap_lines &&
      set->line_height > Pt()) {
    double fit = std::floor((flow_.cursor - flow_.bottom) / set->line_height + 1e-6);
    if (fit >= 0 && fit < static_cast<double>(set->cap_lines)) {
      cap_limit_[block.index] = static_cast<int>(fit);
      set_cache_.erase(block.index);
      set = &column_block(block);
    }
  }
  const SetBlock& b = *set;
  if (b.keep_with_next && next && next->kind != Kind::Figure && next->kind != Kind::Body &&
      next->kind != Kind::Box && next->kind != Kind::List && next->kind != Kind::Table) {
    // A subhead goes with the first lines of what follows it (CSS break-after: avoid). An
    // empty column too short for them (under a spanning figure, at the foot of a module) is
    // left once too: the next one is usually taller.
    const SetBlock& nb = column_block(*next);
    while (!stopped_) {
      Pt need = std::max(flow_.pending_margin, b.margin_top) + b.deco_head +
                b.height(0, b.lines.size()) + b.deco_foot +
                std::max(b.margin_bottom, nb.margin_top) +
                nb.height(0, std::min(nb.lines.size(), nb.orphans));
      if (flow_.cursor - need >= flow_.bottom) break;
      if (flow_.column_empty) {
        if (keep_skipped_ == block.index) break;
        keep_skipped_ = block.index;
      }
      if (!next_column()) break;
    }
  }
  tag_ = tag_for(block);
  if (block.kind == Kind::ListItem) label_ = list_marker(block);
  if (!b.lines.empty()) flow_lines(b, block.kind == Kind::Subhead ? &block : nullptr, &block);
  tag_ = {};
  label_.clear();
  pending_break_ = b.break_after;
  if (consume_ && !trial_) set_cache_.release(block.index);
}

void Layouter::flow_container(const Node& n) {
  const Node* prev = nullptr;
  uint32_t list = list_;
  list_ = n.kind == Kind::List ? n.index : StructTag::kNone;
  auto flow_one = [&](const Node& c, const Node* next) {
    switch (c.kind) {
      case Kind::Figure: flow_figure(c); break;
      case Kind::Box: flow_box(c); break;
      case Kind::Table: flow_table(c); break;
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
  list_ = list;
}
// Lays the column content out from the end of the head on page 1. With `last_page_height`
// non-zero, the columns of page `limit_page_` are only that tall.
void Layouter::pour(const std::vector<const Node*>& flow, Pt last_page_height) {
  if (!has_figures_) {
    pour_once(flow, last_page_height);
    return;
  }
  // Figures may pin themselves to the top of the page (spanning) or column their anchor falls
  // on, which moves the text after them: pour as a trial until the pins settle (each pass
  // pins at most one more figure), then once more for real with the settled pins.
  pins_.clear();
  bool trial = trial_, consume = consume_;
  trial_ = true;
  consume_ = false;
  for (int pass = 0; pass < 8; ++pass) {
    repour_ = false;
    can_pin_ = pass < 7;
    pour_once(flow, last_page_height);
    if (!repour_) break;
  }
  trial_ = trial;
  consume_ = consume;
  can_pin_ = false;
  if (!trial) pour_once(flow, last_page_height);
}

void Layouter::pour_once(const std::vector<const Node*>& flow, Pt last_page_height) {
  tree_.pages.resize(1);
  tree_.outline.resize(head_outline_);
  Sheet& first = tree_.pages.front();
  first.runs.resize(head_runs_);
  first.links.resize(head_links_);
  first.rules.resize(head_rules_);
  first.images.clear();
  first.fills.resize(head_fills_);
  stopped_ = false;
  pending_break_ = style::BreakValue::Auto;
  reset_features();
  limit_height_ = last_page_height;
  flow_.top = first_top_;
  flow_.bottom = page_style(styles_, 0).margin_bottom;
  if (options_.regions) {
    apply_region(0);
    flow_.bottom = page_bottom(0);
  }
  if (limit_page_ == 0) flow_.bottom = std::max(flow_.bottom, flow_.top - limit_for(0));
  flow_.col = 0;
  flow_.cursor = flow_.top;
  flow_.pending_margin = Pt();
  flow_.column_empty = true;
  pinned_placed_.clear();
  place_pinned();
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

}  // namespace trang::layout::detail
