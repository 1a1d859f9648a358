// Tables: NITF's and the native model's <table> set as a grid of cells in a column
// (docs/article-model.md, "Tables"; docs/stylesheets.md, "Tables").
//
// Column widths follow the automatic table layout of CSS 2.1 §17.5.2.2: each column lies
// between its min-content width (the widest word of its cells) and its max-content width (their
// lines unbroken), a cell spanning columns widening them evenly when it needs more than they
// have (§17.5.2.2 step 2), and the room between min and max shared in proportion. The grid then
// fills the column, as `width: 100%` (or the table's own `width`). A table is not split across
// columns unless it is taller than a column; then it breaks between rows, and the header rows
// (thead, else a first row of th cells) repeat at the top of each column it continues in, as
// CSS 2.1 §17.2 has thead repeat on each page. Borders are drawn per cell at its edges (so two
// cells' borders coincide, as with border-collapse); a row's background under its cells'.
#include "layout/layouter.h"
#include "layout/pages.h"

#include <algorithm>
#include <set>

namespace trang::layout::detail {

struct Layouter::TableGeom {
  struct Cell {
    const Node* node = nullptr;
    size_t col = 0, span = 1;
    SetBlock block;  // the content, set at the cell's content width
  };
  struct Row {
    const Node* node = nullptr;
    std::vector<Cell> cells;
    Pt height;
  };
  Pt avail;                      // the width it was made for (the column's)
  Pt x_offset;                   // from the column's left edge to the table's border edge
  Pt width;                      // of the grid, inside the table's own borders
  std::vector<Pt> col_x, col_w;  // from the grid's left edge
  std::vector<Row> rows;         // as printed: header rows, body rows, footer rows
  size_t header_rows = 0;        // rows[0, header_rows) repeat where the table continues
  std::optional<SetBlock> caption;
  const Node* caption_node = nullptr;
  Pt caption_h;                  // with its margins
  uint32_t index = 0;            // the table's node
};

namespace {

bool is_header_cell(const Node& n) { return n.kind == Kind::TableCell && n.name == "th"; }

Pt hpad(const style::ComputedStyle& s) {
  return s.padding_left + s.padding_right + s.border_left.width + s.border_right.width;
}

Pt vpad(const style::ComputedStyle& s) {
  return s.padding_top + s.padding_bottom + s.border_top.width + s.border_bottom.width;
}

bool has_box(const style::ComputedStyle& s) {
  return s.border_top.visible() || s.border_right.visible() || s.border_bottom.visible() ||
         s.border_left.visible() || s.padding_top.v > 0 || s.padding_bottom.v > 0 ||
         s.padding_left.v > 0 || s.padding_right.v > 0;
}

// Widest run end of the lines: the width the text takes, whatever its alignment in `measure`.
Pt natural_width(const std::vector<text::Line>& lines) {
  Pt w;
  for (const text::Line& l : lines)
    for (const text::LineRun& r : l.runs) w = std::max(w, r.x + r.width);
  return w;
}

}  // namespace

// Min-content and max-content widths of a cell's content (CSS Sizing 3 §5.1): its widest word,
// each set alone in its own style, and its lines set without a break but the forced ones.
std::pair<Pt, Pt> Layouter::cell_content_widths(const Node& cell) {
  text::ParagraphInput in = paragraph_input(cell);
  in.align = text::Align::Left;
  in.align_last.reset();
  in.expansion = 0;
  in.hyphenation.enabled = false;
  in.greedy = true;
  in.slots.clear();
  // Measuring words alone repeats the cell's warnings (a glyph missing): the real setting
  // gives them once.
  Diagnostics quiet;
  constexpr Pt kUnbounded = Pt(1e5);
  Pt max_w = natural_width(text::set_paragraph(in, kUnbounded, fonts_, quiet));
  Pt min_w;
  std::set<std::pair<std::string, uint32_t>> seen;
  text::ParagraphInput word = in;
  word.indent = Pt();
  for (const text::Span& s : in.spans) {
    size_t i = 0;
    while (i < s.text.size()) {
      size_t j = s.text.find_first_of(" \t\r\n", i);
      if (j == std::string::npos) j = s.text.size();
      if (j > i && seen.emplace(s.text.substr(i, j - i), s.style).second) {
        word.spans = {{s.text.substr(i, j - i), s.style, ""}};
        min_w = std::max(min_w, natural_width(text::set_paragraph(word, kUnbounded, fonts_, quiet)));
      }
      i = j + 1;
    }
  }
  return {min_w, std::max(min_w, max_w)};
}

// Warns once per table for each property set on its parts that a table does not use, so that
// nothing in a stylesheet is silently ignored.
void Layouter::check_table_styles(const Node& table) {
  std::set<std::string> said;
  auto warn = [&](const Node& n, const std::string& what, const char* hint = "") {
    if (said.insert(n.name + what).second) diags_.warning(n.pos, what, hint);
  };
  const style::ComputedStyle& ts = style(table);
  if (ts.float_ != style::Float::None) warn(table, "float does not apply to <table> (ignored)");
  if (ts.padding_top.v > 0 || ts.padding_bottom.v > 0 || ts.padding_left.v > 0 ||
      ts.padding_right.v > 0)
    warn(table, "padding on <table> does not apply: its cells touch its borders (ignored)",
         "set padding on th and td");
  model::visit(table, [&](const Node& n) {
    if (&n == &table || !displayed(n)) return;
    const style::ComputedStyle& s = style(n);
    std::string tag = "<" + n.name + ">";
    if (n.kind == Kind::TableCell) {
      if (s.margin_top.v != 0 || s.margin_bottom.v != 0 || s.margin_left.v != 0 ||
          s.margin_right.v != 0)
        warn(n, "margin does not apply to table cells " + tag + " (ignored)", "use padding");
      if (s.width_kind != style::ComputedStyle::WidthKind::Auto)
        warn(n, "width on a table cell " + tag + " is not supported (ignored)",
             "column widths come from the cells' content");
      if (s.float_ != style::Float::None) warn(n, "float does not apply to " + tag + " (ignored)");
    } else if (n.kind == Kind::TableRow || n.kind == Kind::TableSection) {
      if (has_box(s))
        warn(n, "borders and padding on " + tag + " are not drawn (ignored)",
             "set them on the row's th and td");
      if (n.kind == Kind::TableSection && s.has_background)
        warn(n, "background on " + tag + " is not drawn (ignored)", "set it on tr, th or td");
      if (s.margin_top.v != 0 || s.margin_bottom.v != 0)
        warn(n, "margin does not apply to " + tag + " (ignored)");
    }
  });
}

// The table's geometry for a width of `avail` (the column's, or the columns' it spans, less
// the insets of the boxes around it), `in_l` from the left edge of that width.
const Layouter::TableGeom& Layouter::table_geom(const Node& table, Pt in_l, Pt avail) {
  const style::ComputedStyle& ts = style(table);
  auto found = tables_.find(table.index);
  if (found != tables_.end() && found->second->avail == avail) return *found->second;
  // Warnings come with the geometry, made once whichever pour (trial or not) asks first.
  bool first = found == tables_.end();
  if (first) check_table_styles(table);

  auto g = std::make_shared<TableGeom>();
  g->avail = avail;
  g->x_offset = in_l + ts.margin_left;
  // Rows as printed: thead's, then the body's (tbody or bare tr), then tfoot's, whatever the
  // order of the source (HTML 4 put tfoot before tbody).
  std::vector<const Node*> head, body, foot;
  for (const Node& c : table.children) {
    if (!displayed(c)) continue;
    if (c.kind == Kind::Caption && !g->caption_node) g->caption_node = &c;
    if (c.kind == Kind::TableRow) body.push_back(&c);
    if (c.kind != Kind::TableSection) continue;
    auto& into = c.name == "thead" ? head : c.name == "tfoot" ? foot : body;
    for (const Node& r : c.children)
      if (r.kind == Kind::TableRow && displayed(r)) into.push_back(&r);
  }
  // No thead: a first row of header cells only is the header.
  if (head.empty() && !body.empty()) {
    const Node& top_row = *body.front();
    bool all_th = std::any_of(top_row.children.begin(), top_row.children.end(),
                              [](const Node& c) { return c.kind == Kind::TableCell; });
    for (const Node& c : top_row.children)
      if (c.kind == Kind::TableCell && displayed(c) && !is_header_cell(c)) all_th = false;
    if (all_th) {
      head.push_back(body.front());
      body.erase(body.begin());
    }
  }
  g->header_rows = head.size();
  size_t cols = 0;
  for (const auto* part : {&head, &body, &foot}) {
    for (const Node* r : *part) {
      TableGeom::Row row;
      row.node = r;
      size_t col = 0;
      for (const Node& c : r->children) {
        if (c.kind != Kind::TableCell || !displayed(c)) continue;
        TableGeom::Cell cell;
        cell.node = &c;
        cell.col = col;
        const std::string* span = c.attribute("colspan");
        cell.span = span ? static_cast<size_t>(std::max(1, model::parse_colspan(*span))) : 1;
        col += cell.span;
        row.cells.push_back(std::move(cell));
      }
      cols = std::max(cols, col);
      g->rows.push_back(std::move(row));
    }
  }

  // Column widths (CSS 2.1 §17.5.2.2): min and max per column from the one-column cells, then
  // the spanning cells, narrowest span first, widen what they span evenly where they need it.
  std::vector<Pt> mn(cols), mx(cols);
  std::vector<const TableGeom::Cell*> spanning;
  std::map<const Node*, std::pair<Pt, Pt>> widths;
  for (const TableGeom::Row& row : g->rows) {
    for (const TableGeom::Cell& cell : row.cells) {
      auto [lo, hi] = cell_content_widths(*cell.node);
      Pt extra = hpad(style(*cell.node));
      widths[cell.node] = {lo + extra, hi + extra};
      if (cell.span == 1) {
        mn[cell.col] = std::max(mn[cell.col], lo + extra);
        mx[cell.col] = std::max(mx[cell.col], hi + extra);
      } else {
        spanning.push_back(&cell);
      }
    }
  }
  std::stable_sort(spanning.begin(), spanning.end(),
                   [](const auto* a, const auto* b) { return a->span < b->span; });
  for (const TableGeom::Cell* cell : spanning) {
    auto [lo, hi] = widths[cell->node];
    size_t end = std::min(cols, cell->col + cell->span);
    auto widen = [&](std::vector<Pt>& v, Pt need) {
      Pt have;
      for (size_t c = cell->col; c < end; ++c) have += v[c];
      if (need <= have) return;
      Pt each = (need - have) / static_cast<double>(end - cell->col);
      for (size_t c = cell->col; c < end; ++c) v[c] += each;
    };
    widen(mn, lo);
    widen(mx, hi);
  }
  for (size_t c = 0; c < cols; ++c) mx[c] = std::max(mx[c], mn[c]);

  Pt width = avail - ts.margin_left - ts.margin_right - ts.border_left.width - ts.border_right.width;
  if (ts.width_kind == style::ComputedStyle::WidthKind::Length) width = std::min(width, ts.width);
  if (ts.width_kind == style::ComputedStyle::WidthKind::Percent)
    width = std::min(width, width * (ts.width_percent / 100) + ts.width);
  width = std::max(width, Pt(1));
  Pt sum_mn, sum_mx;
  for (size_t c = 0; c < cols; ++c) {
    sum_mn += mn[c];
    sum_mx += mx[c];
  }
  g->col_w.assign(cols, Pt());
  for (size_t c = 0; c < cols; ++c) {
    if (sum_mx <= width) {  // every line unbroken, and the room left shared in proportion
      g->col_w[c] = sum_mx.v > 0 ? mx[c] * (width / sum_mx) : width / static_cast<double>(cols);
    } else if (sum_mn <= width) {  // between: each column gets its share of the room
      double t = sum_mx > sum_mn ? (width - sum_mn) / (sum_mx - sum_mn) : 0;
      g->col_w[c] = mn[c] + (mx[c] - mn[c]) * t;
    } else {  // narrower than its words: squeezed, and the words break (the text stage warns)
      g->col_w[c] = mn[c] * (width / sum_mn);
    }
  }
  if (sum_mn > width && first)
    diags_.warning(table.pos, "the table is wider than the column: its " + std::to_string(cols) +
                                  " columns need " + format_number(sum_mn.v, 1) + "pt, the column has " +
                                  format_number(width.v, 1) + "pt",
                   "set a smaller font-size or padding on the table's cells");
  g->col_x.assign(cols, Pt());
  for (size_t c = 1; c < cols; ++c) g->col_x[c] = g->col_x[c - 1] + g->col_w[c - 1];
  g->width = cols ? g->col_x.back() + g->col_w.back() : width;

  // The cells set at their widths; a row is as tall as its tallest cell.
  for (TableGeom::Row& row : g->rows) {
    for (TableGeom::Cell& cell : row.cells) {
      const style::ComputedStyle& cs = style(*cell.node);
      Pt w;
      for (size_t c = cell.col; c < std::min(cols, cell.col + cell.span); ++c) w += g->col_w[c];
      // set_block takes the margins off the measure; a cell has none (check_table_styles).
      cell.block = set_block(*cell.node, w - hpad(cs) + cs.margin_left + cs.margin_right);
      Pt h = vpad(cs) + cell.block.height(0, cell.block.lines.size());
      row.height = std::max(row.height, h);
    }
  }
  if (g->caption_node) {
    g->caption = set_block(*g->caption_node, g->width);
    g->caption_h = g->caption->margin_top + g->caption->height(0, g->caption->lines.size()) +
                   g->caption->margin_bottom;
  }
  g->index = table.index;
  tables_[table.index] = g;
  return *g;
}

// Draws row `k` of `g` with its top at `top`, the grid's left edge at `x`.
void Layouter::draw_table_row(const TableGeom& g, size_t k, Pt x, Pt top, bool repeat) {
  const TableGeom::Row& row = g.rows[k];
  Sheet& page = tree_.pages.back();
  StructTag outer = tag_;  // a table may be drawn in the middle of a paragraph's pour
  const style::ComputedStyle& rs = style(*row.node);
  if (rs.has_background && !trial_)
    page.fills.push_back({Rect{x, top - row.height, g.width, row.height}, rs.background_color});
  for (const TableGeom::Cell& cell : row.cells) {
    const style::ComputedStyle& s = style(*cell.node);
    Pt cx = x + g.col_x[cell.col];
    Pt cw;
    for (size_t c = cell.col; c < std::min(g.col_w.size(), cell.col + cell.span); ++c) cw += g.col_w[c];
    Rect r{cx, top - row.height, cw, row.height};
    if (!trial_) {
      if (s.has_background) page.fills.push_back({r, s.background_color});
      draw_borders(page, s, r);
    }
    const SetBlock& b = cell.block;
    // Header rows repeated where the table continues are artifacts (notes/tagged-pdf.md §5).
    tag_ = {};
    if (!repeat) {
      tag_.push(g.index, StructRole::Table);
      tag_.push(row.node->index, StructRole::TR);
      tag_.push(cell.node->index, is_header_cell(*cell.node) ? StructRole::TH : StructRole::TD);
    }
    Pt y = top - s.border_top.width - s.padding_top;
    // set_block moved the lines right by the cell's margin, which a cell does not have.
    Pt lx = cx + s.border_left.width + s.padding_left - s.margin_left;
    for (size_t i = 0; i < b.lines.size(); ++i) {
      if (i > 0) y -= b.clear(i);
      place_line(b.lines[i], b.line_height, lx, y);
      y -= b.line_height;
    }
  }
  tag_ = outer;
}

// Draws a piece of table `g` with its top at `top`, the table's left edge at `x`: the caption
// when `caption`, then in the table's frame the header rows and rows [from, to). Returns the
// bottom of the frame.
Pt Layouter::draw_table_piece(const TableGeom& g, const style::ComputedStyle& ts, Pt x, Pt top,
                              bool caption, size_t from, size_t to) {
  size_t fill = 0;
  if (ts.has_background && !trial_) {  // painted under the cells: its size is known at the end
    fill = tree_.pages.back().fills.size();
    tree_.pages.back().fills.push_back({Rect{}, ts.background_color});
  }
  Pt gx = x + ts.border_left.width;
  Pt y = top;
  if (caption && g.caption) {
    Pt cy = y - g.caption->margin_top;
    StructTag outer = tag_;
    tag_ = {};
    tag_.push(g.index, StructRole::Table);
    tag_.push(g.caption_node->index, StructRole::Caption);
    for (size_t i = 0; i < g.caption->lines.size(); ++i) {
      if (i > 0) cy -= g.caption->clear(i);
      place_line(g.caption->lines[i], g.caption->line_height, gx, cy);  // margins: in the lines
      cy -= g.caption->line_height;
    }
    tag_ = outer;
    y -= g.caption_h;
  }
  Pt frame_top = y;
  y -= ts.border_top.width;
  // The header rows are drawn again in every piece: their glyphs are copied, never taken over
  // by the page (place_line's last-pour move).
  bool consume = consume_;
  consume_ = false;
  for (size_t k = 0; k < g.header_rows; ++k) {
    draw_table_row(g, k, gx, y, !caption);
    y -= g.rows[k].height;
  }
  consume_ = consume;
  for (size_t k = from; k < to; ++k) {
    draw_table_row(g, k, gx, y);
    y -= g.rows[k].height;
  }
  y -= ts.border_bottom.width;
  if (!trial_) {
    Sheet& page = tree_.pages.back();
    Rect r{x, y, g.width + ts.border_left.width + ts.border_right.width, frame_top - y};
    if (ts.has_background) page.fills[fill].rect = r;
    draw_borders(page, ts, r);
  }
  return y;
}

// A table across `span` columns from column `col` with its top at `top` (column spans, as a
// figure's: place_span_at_top); never split. Returns its bottom, with its margin.
Pt Layouter::draw_table_span(const Node& table, int span, int col, Pt top) {
  const style::ComputedStyle& ts = style(table);
  const TableGeom& g = table_geom(table, Pt(), span_width(span));
  Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * col + g.x_offset;
  return draw_table_piece(g, ts, x, top, true, g.header_rows, g.rows.size()) - ts.margin_bottom;
}

void Layouter::flow_table(const Node& table) {
  if (!displayed(table)) return;
  StringScope strings(*this, table);
  const style::ComputedStyle& ts = style(table);
  force_break(pending_break_);
  pending_break_ = style::BreakValue::Auto;
  force_break(ts.break_before);
  auto height = [&](const TableGeom& g, bool caption, size_t from, size_t to) {
    Pt h = (caption ? g.caption_h : Pt()) + ts.border_top.width + ts.border_bottom.width;
    for (size_t k = 0; k < g.header_rows; ++k) h += g.rows[k].height;
    for (size_t k = from; k < to; ++k) h += g.rows[k].height;
    return h;
  };
  // column-span: across the columns at their top, as a spanning figure, when it fits a page's
  // columns; a spanning table is never split, so a taller one is set in one column.
  int span = std::clamp(ts.column_span, 1, flow_.columns);
  if (span > 1) {
    const TableGeom& g = table_geom(table, Pt(), span_width(span));
    const style::PageStyle& ps = styles_.page;
    Pt column_h = ps.height - ps.margin_top - ps.margin_bottom;
    if (height(g, true, g.header_rows, g.rows.size()) + ts.margin_top + ts.margin_bottom <= column_h) {
      // As a spanning figure: at the top of the current column when nothing is in it yet,
      // else at the top of the next columns when the span fits to their right (the text
      // goes on beside it), else at the top of the next page (figures.cpp draws it there).
      bool top_free = flow_.column_empty && flow_.cursor >= column_top(flow_.col) - Pt(0.01);
      if (top_free && flow_.col + span <= flow_.columns)
        flow_.cursor = std::min(flow_.cursor, place_span_at_top(table, span, flow_.col));
      else if (flow_.col + 1 + span <= flow_.columns)
        place_span_at_top(table, span, flow_.col + 1);
      else
        defer_page_.push_back(&table);
      pending_break_ = ts.break_after;
      return;
    }
    if (!trial_ && spans_warned_.insert(table.index).second)
      diags_.warning(table.pos, "the table is taller than the page's columns: it is set in one "
                                "column, not across " + std::to_string(span));
  }
  Pt in_l, in_r;
  if (auto it = inset_.find(table.index); it != inset_.end()) std::tie(in_l, in_r) = it->second;
  const TableGeom& g = table_geom(table, in_l, flow_.col_width - in_l - in_r);
  size_t rows = g.rows.size(), k = g.header_rows;
  Pt margin = std::max(flow_.pending_margin, ts.margin_top);
  if (!flow_.column_empty) {
    Pt room = flow_.cursor - margin - flow_.bottom;
    // Whole in the next column when it fits a column; else split, but not before its head
    // and first row.
    Pt all = height(g, true, k, rows), first = height(g, true, k, std::min(rows, k + 1));
    if ((all > room && all <= flow_.top - flow_.bottom) || first > room)
      if (!next_column()) return;
  }
  for (bool caption = true; !stopped_; caption = false) {
    if (!flow_.column_empty) flow_.cursor -= margin;
    margin = Pt();
    // As many rows as the column holds under the header, one at least (a row taller than a
    // column goes where it starts).
    Pt room = flow_.cursor - flow_.bottom - height(g, caption, k, k);
    size_t end = k;
    for (Pt used; end < rows && (end == k || used + g.rows[end].height <= room); ++end)
      used += g.rows[end].height;
    Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * flow_.col + g.x_offset;
    flow_.cursor = draw_table_piece(g, ts, x, flow_.cursor, caption, k, end);
    flow_.column_empty = false;
    k = end;
    if (k >= rows || !next_column()) break;
  }
  flow_.pending_margin = ts.margin_bottom;
  pending_break_ = ts.break_after;
}

}  // namespace trang::layout::detail
