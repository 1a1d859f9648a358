// Figures: geometry, drawing (with bleed and placeholders), column spans, top and bottom floats,
// and the page and column hooks that place the floats waiting for them.
#include "layout/layouter.h"

#include <algorithm>
#include <filesystem>

namespace trang::layout::detail {

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
  // The artwork's width: the span, narrowed by the figure's width and max-width, then by the
  // image's own (its percentages of what the figure gives it), never wider than the span.
  auto narrow = [](Pt w, style::ComputedStyle::WidthKind kind, Pt len, double percent) {
    using K = style::ComputedStyle::WidthKind;
    if (kind == K::Percent) return std::clamp(w * (percent / 100) + len, Pt(1), w);
    if (kind == K::Length) return std::clamp(len, Pt(1), w);
    return w;
  };
  g.img_w = narrow(g.span_w, fs.width_kind, fs.width, fs.width_percent);
  g.img_w = narrow(g.img_w, fs.max_width_kind, fs.max_width, fs.max_width_percent);
  double aspect = 2.0 / 3.0;
  if (g.img) {
    auto it = res_.image_of_node.find(g.img->index);
    if (it != res_.image_of_node.end()) {
      g.image = res_.images[it->second];
      aspect = static_cast<double>(g.image->height) / g.image->width;
      // EXIF orientations 5..8 turn the picture a quarter: it is seen height by width.
      if (g.image->exif_orientation >= 5 && g.image->exif_orientation <= 8) aspect = 1 / aspect;
    }
  }
  g.aspect = aspect;
  g.img_h = g.img_w * aspect;
  if (g.img) {
    const style::ComputedStyle& is = style(*g.img);
    g.img_w = narrow(g.img_w, is.width_kind, is.width, is.width_percent);
    g.img_w = narrow(g.img_w, is.max_width_kind, is.max_width, is.max_width_percent);
    g.img_h = g.img_w * aspect;
    g.cover = is.object_fit == style::ObjectFit::Cover;
    g.object_x = is.object_x;
    g.object_y = is.object_y;
  }
  for (const SetBlock* c : g.captions)
    g.caption_h += c->margin_top + c->height(0, c->lines.size()) + c->margin_bottom;
  const style::PageStyle& ps = styles_.page;
  Pt column_h = ps.height - ps.margin_top - ps.margin_bottom;
  // A picture taller than a whole column is cropped (object-fit: cover) or scaled down so
  // that it and its caption fit.
  if (g.img_h + g.caption_h > column_h) {
    Pt h = column_h - g.caption_h;
    if (h.v < column_h.v * 0.2) h = column_h * 0.2;
    if (!g.cover) g.scaled_down = true;
    g = shortened(g, h);
  }
  return g;
}

// Draws a figure with its top at `top` across `g.span` columns from column `col`; returns the
// bottom of what it drew. `at_top`/`at_bottom`: the figure touches the column area's top or
// bottom edge, so it may bleed there.
Pt Layouter::draw_figure(const Node& figure, const FigureGeom& g, int col, Pt top, bool at_top,
                         bool at_bottom) {
  const style::ComputedStyle& fs = style(figure);
  Sheet& page = tree_.pages.back();
  // A figure may be drawn in the middle of a paragraph's pour (deferred to a column's top):
  // its tags are its own, and the paragraph's come back after it.
  StructTag outer = tag_;
  tag_ = {};
  Pt x = flow_.x0 + (flow_.col_width + flow_.gap) * col;
  Rect r{x + (g.span_w - g.img_w) / 2, top - g.img_h, g.img_w, g.img_h};
  Pt pic_h = g.pic_h > g.img_h ? g.pic_h : g.img_h;  // the whole picture, cropped to r
  // -trang-bleed: the artwork runs past the trim edge by the page's bleed, on the sides where
  // it touches the edge of the column area; it grows with its aspect ratio kept.
  uint8_t bleed = fs.bleed;
  if (bleed) {
    Pt bl = page.bleed;
    Pt left = r.x, right = r.right();
    // Only where the column area is the page's: a module inside a publication page does not
    // bleed across its neighbours.
    const style::PageStyle& ps = styles_.page;
    bool can_left = col == 0 && flow_.x0 <= ps.margin_left + Pt(0.5);
    bool can_right = col + g.span >= flow_.columns &&
                     flow_.x0 + flow_.measure >= ps.width - ps.margin_right - Pt(0.5);
    if ((bleed & style::kBleedLeft) && can_left) left = -bl;
    if ((bleed & style::kBleedRight) && can_right) right = page.width + bl;
    if ((bleed & (style::kBleedLeft | style::kBleedRight)) && !can_left && !can_right && !trial_)
      diags_.warning(figure.pos, "figure cannot bleed: it does not touch the page's side edge");
    r.x = left;
    pic_h = pic_h * ((right - left) / r.w);
    r.h = r.h * ((right - left) / r.w);
    r.w = right - left;
    if ((bleed & style::kBleedTop) && at_top) r.y = page.height + bl - r.h;
    else r.y = top - r.h;
    if ((bleed & style::kBleedBottom) && at_bottom && !(bleed & style::kBleedTop)) {
      r.y = -bl;
      r.h = std::max(r.h, top - r.y);
      pic_h = std::max(pic_h, r.h);
    }
  }
  // The figure is a Figure holding its picture's Figure and its captions (tagged PDF): a
  // reader that speaks the outer /Alt, which the writer makes of the picture's alt text and
  // the captions, skips nothing.
  StructTag figure_tag;
  figure_tag.push(figure.index, StructRole::Figure);
  if (g.image) {
    ImageItem item{g.image, r, g.img->attribute("alt") ? *g.img->attribute("alt") : "",
                   static_cast<uint8_t>(std::clamp(g.image->exif_orientation, 1, 8)), std::nullopt};
    item.tag = figure_tag;
    item.tag.push(g.img->index, StructRole::Figure);
    item.opacity = static_cast<float>(style(*g.img).opacity);
    if (pic_h > r.h + Pt(0.01)) {
      // object-position: the point that far across and down the picture sits that far across
      // and down the box.
      Pt pic_w = pic_h / g.aspect;
      item.picture = Rect{r.x - (pic_w - r.w) * g.object_x, r.top() + (pic_h - r.h) * g.object_y - pic_h,
                          pic_w, pic_h};
    }
    page.images.push_back(std::move(item));
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
  // The captions' nodes, in g.captions' order (compute_figure_geom), for their tags.
  std::vector<const Node*> caption_nodes;
  for (const Node& c : figure.children)
    if (displayed(c) && c.kind != Kind::Image) caption_nodes.push_back(&c);
  for (size_t i = 0; i < g.captions.size(); ++i) {
    const SetBlock* c = g.captions[i];
    tag_ = figure_tag;
    if (i < caption_nodes.size()) tag_.push(caption_nodes[i]->index, StructRole::Caption);
    y -= c->margin_top;
    for (size_t k = 0; k < c->lines.size(); ++k) {
      if (k > 0) y -= c->clear(k);
      size_t first = page.runs.size();
      place_line(c->lines[k], c->line_height, x, y);
      for (size_t r = first; r < page.runs.size(); ++r) page.runs[r].role = GlyphRun::Role::Caption;
      y -= c->line_height;
    }
    y -= c->margin_bottom;
  }
  tag_ = outer;
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

std::optional<Layouter::FigureGeom> Layouter::fitted(const FigureGeom& g, Pt room, double min_share) {
  if (g.img_h + g.caption_h <= room) return g;
  Pt h = room - g.caption_h;
  if (h <= Pt() || h / g.img_h < min_share) return std::nullopt;
  return shortened(g, h);
}

// `g` with a picture box `h` high. Scaled down whole; with object-fit: cover, cropped at its
// full width instead, down to kMinCrop of the picture's height, and scaled beyond that.
Layouter::FigureGeom Layouter::shortened(const FigureGeom& g, Pt h) {
  constexpr double kMinCrop = 0.5;  // a crop that keeps less loses what the photo shows
  FigureGeom f = g;
  Pt full = g.pic_h > Pt() ? g.pic_h : g.img_h;
  if (!g.cover || h >= full) {
    f.img_w = g.img_w * (h / g.img_h);
    f.pic_h = g.pic_h * (h / g.img_h);
  } else if (h >= full * kMinCrop) {
    f.pic_h = full;
  } else {
    double k = h / (full * kMinCrop);
    f.img_w = g.img_w * k;
    f.pic_h = full * k;
  }
  f.img_h = h;
  return f;
}

Pt Layouter::frame_bottom() { return page_bottom(tree_.pages.size() - 1) + bottom_raise_; }

// Column spans: a figure across `span` columns from column `col`, at the top of what is free
// in them, scaled down where the page has less room than it needs; those columns start below
// it. Returns the new top of the spanned columns. A table spans the same way (table.cpp),
// drawn whole.
Pt Layouter::place_span_at_top(const Node& figure, int span, int col) {
  const style::ComputedStyle& fs = style(figure);
  if (col + span > flow_.columns) col = 0;
  Pt top = flow_.top;
  for (int c = col; c < col + span; ++c) top = std::min(top, column_top(c));
  Pt bottom;
  if (figure.kind == Kind::Table) {
    bottom = draw_table_span(figure, span, col, top);
  } else {
    const FigureGeom& g0 = figure_geom(figure, span);
    Pt room = top - frame_bottom() - fs.margin_bottom;
    // The text under it keeps two fifths of the room: a picture that filled a page or a
    // module and left a line or two under it would read as the story's end.
    constexpr double kSpanTextShare = 0.4;
    Pt keep = std::max(span_reserve(figure), room * kSpanTextShare);
    std::optional<FigureGeom> g = fitted(g0, room - keep, 0);
    if (!g) g = fitted(g0, room, 0);
    bool at_top = top >= styles_.page.height - styles_.page.margin_top - Pt(0.01);
    bottom = draw_figure(figure, g ? *g : g0, col, top, at_top, false) - fs.margin_bottom;
  }
  col_top_.resize(static_cast<size_t>(flow_.columns), Pt(1e9));
  for (int c = col; c < col + span; ++c)
    col_top_[static_cast<size_t>(c)] = std::min(col_top_[static_cast<size_t>(c)], bottom);
  return bottom;
}

// Room kept under a spanning figure for a couple of lines of its text.
Pt Layouter::span_reserve(const Node& figure) const { return style(figure).line_height * 2; }

// Whether a spanning figure at the top of what is free in columns [col, col + span) keeps a
// third of its height at least (or, given `min_height`, is that tall at least), with room for
// its caption and a couple of lines under it.
bool Layouter::span_fits(const Node& figure, int span, int col, Pt min_height) {
  Pt top = flow_.top;
  for (int c = col; c < col + span && c < flow_.columns; ++c) top = std::min(top, column_top(c));
  Pt room = top - frame_bottom() - style(figure).margin_bottom - span_reserve(figure);
  const FigureGeom& g = figure_geom(figure, span);
  if (min_height > Pt()) return room - g.caption_h >= min_height;
  return fitted(g, room, 1.0 / 3).has_value();
}

// Pins `figure` to the top of this page (col -1) or of column `col`, and stops this pour so
// that pour() starts again with it.
void Layouter::pin(const Node& figure, int col) {
  pins_[figure.index] = {tree_.pages.size() - 1, col, &figure};
  repour_ = true;
  stopped_ = true;
}

// Spanning figures pinned to the top of this page (pour()), in document order. One that
// would keep under a third of its height here waits for the next page.
void Layouter::place_pinned() {
  size_t page = tree_.pages.size() - 1;
  for (auto& [index, pin] : pins_) {
    if (pin.page != page || pin.col >= 0 || pinned_placed_.count(index)) continue;
    int span = std::clamp(style(*pin.figure).column_span, 1, flow_.columns);
    // Where a third of its height does not fit, smaller still rather than on the next page,
    // which the text may not reach: down to an inch.
    if (!span_fits(*pin.figure, span, 0) && !span_fits(*pin.figure, span, 0, Pt(72))) {
      pin.page = page + 1;
      continue;
    }
    place_span_at_top(*pin.figure, span, 0);
    pinned_placed_.insert(index);
  }
  flow_.cursor = std::min(flow_.cursor, column_top(flow_.col));
  place_column_pins();
}

// Column figures pinned to the top of the current column (pour()): the text that was above
// them there goes on below.
void Layouter::place_column_pins() {
  size_t page = tree_.pages.size() - 1;
  for (auto& [index, pin] : pins_) {
    if (pin.page != page || pin.col != flow_.col || pinned_placed_.count(index)) continue;
    const style::ComputedStyle& fs = style(*pin.figure);
    const FigureGeom& g = figure_geom(*pin.figure, 1);
    std::optional<FigureGeom> fit = fitted(g, flow_.cursor - frame_bottom(), 0);
    pinned_placed_.insert(index);
    if (!fit) {
      defer_column_.push_back(pin.figure);
      continue;
    }
    flow_.cursor = draw_figure(*pin.figure, *fit, flow_.col, flow_.cursor, false, false);
    flow_.column_empty = false;
    flow_.pending_margin = fs.margin_bottom;
  }
}

void Layouter::flow_figure(const Node& figure) {
  const style::ComputedStyle& fs = style(figure);
  int span = std::clamp(fs.column_span, 1, flow_.columns);
  // Pinned: drawn at the top of its page or column already, or waiting for a later page.
  if (pins_.count(figure.index)) return;
  if (span > 1) {
    // At the top of the current column when nothing is in it yet, else at the top of the
    // next columns when the span fits to their right (the text goes on beside it), else
    // pinned to the top of this page (the pour starts again), else at the top of the next.
    bool top_free = flow_.column_empty && flow_.cursor >= column_top(flow_.col) - Pt(0.01);
    if (top_free && flow_.col + span <= flow_.columns && span_fits(figure, span, flow_.col)) {
      flow_.cursor = std::min(flow_.cursor, place_span_at_top(figure, span, flow_.col));
    } else if (flow_.col + 1 + span <= flow_.columns && span_fits(figure, span, flow_.col + 1)) {
      place_span_at_top(figure, span, flow_.col + 1);
    } else if (can_pin_) {
      pin(figure, -1);
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
      if (flow_.col + 1 >= flow_.columns && can_pin_) {
        // The next column is on the next page, which the text may not reach: the top of
        // this one instead.
        pin(figure, flow_.col);
        return;
      }
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
      place_bottom_float(figure, g, need);
    }
    return;
  }
  // In the column where the text is, scaled down to keep no less than 60% of its height; else
  // at the top of the next column, as large as that column allows. Scaling looks at the
  // frame's foot, not at a balancing trial's shortened column, so every pour scales alike.
  // Where the next column is on the next page, a smaller picture beats one cut off from
  // the page its text is on: down to a third.
  Pt top = flow_.column_empty ? flow_.cursor : flow_.cursor - margin;
  bool last_column = flow_.col + 1 >= flow_.columns;
  std::optional<FigureGeom> fit =
      fitted(g, top - frame_bottom(), flow_.column_empty ? 0 : last_column ? 1.0 / 3 : 0.6);
  if (!flow_.column_empty && (!fit || top - fit->img_h - fit->caption_h < flow_.bottom)) {
    if (last_column && can_pin_) {
      // Not to the next page on its own: to the top of this column, the text there after it.
      pin(figure, flow_.col);
      return;
    }
    if (!next_column()) return;
    top = flow_.cursor;
    fit = fitted(g, top - frame_bottom(), 0);
  }
  if (!fit) {
    // Not even its caption fits this column (a short frame): it waits for the next one
    // rather than run past the frame's foot.
    defer_column_.push_back(&figure);
    return;
  }
  flow_.cursor = draw_figure(figure, *fit, flow_.col, top, false, false);
  flow_.column_empty = false;
  flow_.pending_margin = fs.margin_bottom;
}

// A bottom float at the foot of the frame's column (under what earlier floats took), not of a
// column a balancing trial shortened: figures are scaled against the frame's foot
// (frame_bottom), so this is where they expect it.
void Layouter::place_bottom_float(const Node& figure, const FigureGeom& g, Pt need) {
  if (bottom_raise_ <= Pt()) bottom_before_floats_ = flow_.bottom;
  Pt foot = frame_bottom();
  draw_figure(figure, g, flow_.col, foot + g.img_h + g.caption_h, false, true);
  bottom_raise_ += need;
  flow_.bottom = std::max(flow_.bottom, frame_bottom());
}

Pt Layouter::column_top(int col) const {
  if (static_cast<size_t>(col) < col_top_.size()) return std::min(flow_.top, col_top_[static_cast<size_t>(col)]);
  return flow_.top;
}

// Moves every item of column `col` of the current page that lies between `top` and `bottom`
// down by `by` (to make room for a figure floated to the column's top).
void Layouter::shift_column(int col, Pt top, Pt bottom, Pt by) {
  Sheet& page = tree_.pages.back();
  Pt x0 = flow_.x0 + (flow_.col_width + flow_.gap) * col - Pt(0.01);
  Pt x1 = x0 + flow_.col_width + Pt(0.02);
  auto in = [&](Pt x, Pt y) { return x >= x0 && x < x1 && y <= top + Pt(0.01) && y >= bottom - Pt(0.01); };
  for (GlyphRun& r : page.runs)
    if (in(r.x, r.y)) r.y -= by;
  for (LinkItem& l : page.links)
    if (in(l.rect.x, l.rect.y)) l.rect.y -= by;
  for (ImageItem& i : page.images)
    if (in(i.rect.x, i.rect.y)) translate(i, Pt(), -by);
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
  place_pinned();
}

// Called when a column starts (end of next_column): its top under spanning figures, floats
// that waited for it, and the boxes that continue into it.
void Layouter::on_column_start() {
  flow_.cursor = std::min(flow_.cursor, column_top(flow_.col));
  place_column_pins();
  std::vector<const Node*> waiting;
  waiting.swap(defer_column_);
  for (const Node* f : waiting) {
    const style::ComputedStyle& fs = style(*f);
    const FigureGeom& g = figure_geom(*f, 1);
    if (fs.float_ == style::Float::Bottom) {
      Pt need = g.img_h + g.caption_h + fs.margin_top;
      if (flow_.cursor - need < flow_.bottom) {
        defer_column_.push_back(f);  // not under what this column already holds
        continue;
      }
      place_bottom_float(*f, g, need);
    } else if (std::optional<FigureGeom> fit = fitted(g, flow_.cursor - frame_bottom(), 0)) {
      flow_.cursor = draw_figure(*f, *fit, flow_.col, flow_.cursor, false, false) - fs.margin_bottom;
    } else {
      defer_column_.push_back(f);  // this column is too short for it as well
    }
  }
  for (OpenBox& b : open_boxes_) {
    b.page = tree_.pages.size() - 1;
    b.col = flow_.col;
    b.top = flow_.cursor;
    b.fills_at = tree_.pages.back().fills.size();
    b.first = false;
    flow_.cursor -= b.continued_inset;
  }
}

// Called before the flow leaves a column (start of next_column): boxes still open draw their
// piece in it; a bottom float's reserve ends with the column.
void Layouter::on_column_end() {
  for (OpenBox& b : open_boxes_) draw_box_piece(b, flow_.bottom, false);
  if (bottom_raise_ > Pt()) flow_.bottom = bottom_before_floats_;
  bottom_raise_ = Pt();
}

// Figures still waiting when the text has ended get a column or page of their own.
void Layouter::flush_deferred() {
  // A figure pinned to a page the text did not reach waits like any spanning figure.
  for (auto& [index, pin] : pins_)
    if (!pinned_placed_.count(index) && !stopped_) {
      if (pin.col >= 0) defer_column_.push_back(pin.figure);
      else defer_page_.push_back(pin.figure);
      pinned_placed_.insert(index);
    }
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

}  // namespace trang::layout::detail
