// Boxes: background, border and padding around flowed content, drawn a piece per column.
#include "layout/layouter.h"
#include "layout/pages.h"

#include <algorithm>
#include <optional>

namespace trang::layout::detail {

// --- boxes: background, border, padding (CSS Backgrounds 3, CSS 2.1 §8) ---

bool has_decoration(const style::ComputedStyle& s) {
  return s.has_background || s.border_top.visible() || s.border_right.visible() ||
         s.border_bottom.visible() || s.border_left.visible() || s.padding_top.v > 0 ||
         s.padding_bottom.v > 0 || s.padding_left.v > 0 || s.padding_right.v > 0;
}

bool decorates(const Node& block, const style::ComputedStyle& s) {
  switch (block.kind) {
    case Kind::Kicker: case Kind::Headline: case Kind::Lead: case Kind::Byline:
    case Kind::Dateline: case Kind::Paragraph: case Kind::Subhead: case Kind::PullQuote:
    case Kind::ListItem: case Kind::BoxTitle:
      return has_decoration(s);
    default:
      return false;
  }
}

// The height the blocks inside `n` take when poured in one column: their lines, and the
// margins between them collapsed as the pour collapses them (the first one's top margin and
// the last one's bottom margin included). nullopt when `n` holds something measured only when
// placed (a figure, a table, a decorated box).
std::optional<Pt> Layouter::content_height(const Node& n) {
  Pt h, pending;
  bool first = true;
  for (const Node& c : n.children) {
    if (!displayed(c) || c.kind == Kind::Text) continue;
    Pt top, bottom, inner;
    if (c.kind == Kind::Figure || c.kind == Kind::Table) return std::nullopt;
    if (c.kind == Kind::Body || c.kind == Kind::List || c.kind == Kind::Box) {
      std::optional<Pt> sub = content_height(c);
      if (!sub) return std::nullopt;
      const style::ComputedStyle& cs = style(c);
      // A decorated box inside: its blocks are set narrower only when it is poured.
      if (c.kind == Kind::Box && has_decoration(cs)) return std::nullopt;
      inner = *sub;
      top = c.kind == Kind::Box ? cs.margin_top : Pt();
      bottom = c.kind == Kind::Box ? cs.margin_bottom : Pt();
    } else {
      const SetBlock& b = column_block(c);
      inner = b.height(0, b.lines.size());
      top = b.margin_top;
      bottom = b.margin_bottom;
    }
    h += (first ? top : std::max(pending, top)) + inner;
    pending = bottom;
    first = false;
  }
  return h + pending;
}

void Layouter::flow_box(const Node& box) {
  const style::ComputedStyle& s = style(box);
  bool decorated = has_decoration(s);
  // The content of the box is set narrower by the box's margins, borders and padding.
  Pt in_left = s.margin_left + s.border_left.width + s.padding_left;
  Pt in_right = s.margin_right + s.border_right.width + s.padding_right;
  if (decorated)
    model::visit(box, [&](const Node& d) {
      if (&d == &box) return;
      auto parent = inset_.find(box.index);
      Pt l = in_left + (parent != inset_.end() ? parent->second.first : Pt());
      Pt r = in_right + (parent != inset_.end() ? parent->second.second : Pt());
      inset_[d.index] = {l, r};
    });
  Pt margin = std::max(flow_.pending_margin, s.margin_top);
  Pt head = decorated ? s.border_top.width + s.padding_top : Pt();
  Pt foot = decorated ? s.padding_bottom + s.border_bottom.width : Pt();
  // break-inside: avoid (the default stylesheet's for boxes): a box that does not fit the rest
  // of the column goes to the next one whole, unless it is taller than a column anyway.
  if (!flow_.column_empty && s.break_inside == style::BreakValue::Avoid) {
    if (std::optional<Pt> content = content_height(box)) {
      Pt whole = head + *content + foot;
      if (flow_.cursor - margin - whole < flow_.bottom && whole <= flow_.top - flow_.bottom) {
        if (!next_column()) return;
        margin = Pt();
      }
    }
  }
  if (!decorated) {
    flow_container(box);
    return;
  }
  if (!flow_.column_empty) {
    if (flow_.cursor - margin - head - s.line_height * 2 < flow_.bottom) {
      if (!next_column()) return;
    } else {
      flow_.cursor -= margin;
    }
  }
  flow_.pending_margin = Pt();
  OpenBox ob{&box, tree_.pages.size() - 1, flow_.col, flow_.cursor, true,
             s.padding_top, Pt(), Pt(), tree_.pages.back().fills.size()};
  if (auto it = inset_.find(box.index); it != inset_.end()) std::tie(ob.left, ob.right) = it->second;
  open_boxes_.push_back(ob);
  flow_.cursor -= head;
  flow_container(box);
  if (open_boxes_.empty()) return;  // stopped
  flow_.cursor -= flow_.pending_margin;
  flow_.cursor -= foot;
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
  Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * b.col + b.left + s.margin_left;
  Pt w = flow_.col_width - b.left - b.right - s.margin_left - s.margin_right;
  draw_decoration(tree_.pages[b.page], s, Rect{x, bottom, w, b.top - bottom}, b.first, last,
                  b.fills_at);
}

// A border box's background and borders, the top and bottom ones where `top` and `bottom`
// say the box has that edge here.
void Layouter::draw_decoration(Sheet& page, const style::ComputedStyle& s, Rect r, bool top,
                               bool bottom, size_t fills_at) {
  if (s.has_background) {
    auto at = static_cast<std::ptrdiff_t>(std::min(fills_at, page.fills.size()));
    page.fills.insert(page.fills.begin() + at, {r, s.background_color});
  }
  draw_borders(page, s, r, top, bottom);
}

void draw_borders(Sheet& page, const style::ComputedStyle& s, const Rect& r, bool top,
                  bool bottom) {
  auto rule = [&](const style::BorderSide& side, Pt x1, Pt y1, Pt x2, Pt y2) {
    if (side.visible()) page.rules.push_back(border_rule(side, x1, y1, x2, y2));
  };
  Pt ht = s.border_top.width / 2, hb = s.border_bottom.width / 2;
  Pt hl = s.border_left.width / 2, hr = s.border_right.width / 2;
  if (top) rule(s.border_top, r.x, r.top() - ht, r.right(), r.top() - ht);
  if (bottom) rule(s.border_bottom, r.x, r.y + hb, r.right(), r.y + hb);
  rule(s.border_left, r.x + hl, r.y, r.x + hl, r.top());
  rule(s.border_right, r.right() - hr, r.y, r.right() - hr, r.top());
}

}  // namespace trang::layout::detail
