// What a composed publication must hold (compose.h): modules inside the text area and apart,
// every item inside its own module, figures on a page with their article's text; and the
// white space measure that --dump-layout reports per page.
#include <algorithm>
#include <cmath>

#include "layout/compose.h"

namespace trang::layout::compose {
namespace {

constexpr Pt kSlack{1.5};   // rounding of lines against frame edges
constexpr Pt kCell = mm(4);  // the white space measure's cell depth

Pt run_width(const GlyphRun& r) {
  Pt w;
  for (const Glyph& g : r.glyphs) w += g.advance;
  return w;
}

// The box a run's ink may take: its advance, from a descender's depth to an ascender's height.
Rect run_box(const GlyphRun& r) {
  return Rect{r.x, r.y - r.size * 0.25, run_width(r), r.size};
}

bool inside(const Rect& a, const Rect& outer) {
  return a.x >= outer.x - kSlack && a.right() <= outer.right() + kSlack && a.y >= outer.y - kSlack &&
         a.top() <= outer.top() + kSlack;
}

Rect clip(const Rect& a, const Rect& to) {
  Pt x0 = std::max(a.x, to.x), y0 = std::max(a.y, to.y);
  Pt x1 = std::min(a.right(), to.right()), y1 = std::min(a.top(), to.top());
  return Rect{x0, y0, std::max(Pt(), x1 - x0), std::max(Pt(), y1 - y0)};
}

std::string n(Pt p) { return format_number(p.v, 1); }

// The first `chars` characters of a run's text, for a message (never a split character).
std::string excerpt(const GlyphRun& r, size_t chars = 40) {
  std::string text;
  for (const Cluster& c : r.clusters) text += c.text.view();
  size_t i = 0;
  char32_t cp = 0;
  for (size_t k = 0; k < chars && i < text.size(); ++k)
    if (!next_utf8(text, i, cp)) break;
  return text.substr(0, i);
}

std::string where(size_t page, const ModuleBox& m) {
  return "page " + std::to_string(page + 1) + ", " + m.name + (m.continuation ? " (continued)" : "") +
         " [" + n(m.rect.x) + ", " + n(m.rect.y) + ", " + n(m.rect.w) + " x " + n(m.rect.h) + "]";
}

}  // namespace

Pt lowest_ink(const Frame& f, Pt from) {
  Pt y = from;
  for_each_item(f, [&](const Item& item, Pt, Pt dy) {
    if (const auto* r = std::get_if<GlyphRun>(&item)) y = std::min(y, r->y + dy - r->size * 0.3);
    else if (const auto* i = std::get_if<ImageItem>(&item)) y = std::min(y, i->rect.y + dy);
    else if (const auto* fi = std::get_if<FillItem>(&item)) y = std::min(y, fi->rect.y + dy);
    else if (const auto* ru = std::get_if<RuleItem>(&item)) y = std::min({y, ru->y1 + dy, ru->y2 + dy});
  });
  return y;
}

size_t visible_chars(const Frame& f) {
  size_t n = 0;
  for_each_item(f, [&](const Item& item, Pt, Pt) {
    if (const auto* r = std::get_if<GlyphRun>(&item))
      for (const Cluster& c : r->clusters)
        for (char ch : c.text.view()) n += ch != ' ' && ch != '\t' && ch != '\n';
  });
  return n;
}

namespace {

// The items of type T a module holds, in page coordinates.
template <class T>
std::vector<T> module_items(const Page& pg, const ModuleBox& m) {
  const Group* g = m.item < pg.content.items.size() ? std::get_if<Group>(&pg.content.items[m.item]) : nullptr;
  if (!g || !g->frame) return {};
  std::vector<T> out = items_of<T>(*g->frame);
  for (T& t : out) translate(t, g->x, g->y);
  return out;
}

}  // namespace

double white_share(const Page& page, const Grid& grid) {
  if (page.modules.empty() || page.body.h <= Pt(0)) return -1;
  // White is what no module covers, and inside a module the foot of a column under its last
  // ink (a ragged column end): cells one grid column wide and kCell deep.
  int rows = std::max(1, static_cast<int>(page.body.h / kCell));
  std::vector<char> covered(static_cast<size_t>(rows * grid.columns), 0);
  auto row_of = [&](Pt y) { return static_cast<int>((page.body.top() - y) / kCell); };
  for (const ModuleBox& m : page.modules) {
    std::vector<GlyphRun> runs = module_items<GlyphRun>(page, m);
    std::vector<ImageItem> images = module_items<ImageItem>(page, m);
    std::vector<FillItem> fills = module_items<FillItem>(page, m);
    for (int col = m.column; col < m.column + m.columns && col < grid.columns; ++col) {
      Pt x0 = grid.x(col), x1 = x0 + grid.column_width;
      // The lowest ink of this module in this column.
      Pt low = m.rect.top();
      auto take = [&](const Rect& r) {
        if (r.right() > x0 && r.x < x1) low = std::min(low, r.y);
      };
      for (const GlyphRun& r : runs) take(run_box(r));
      for (const ImageItem& i : images) take(i.rect);
      for (const FillItem& f : fills) take(f.rect);
      low = std::max(low, m.rect.y);
      int r0 = std::max(0, row_of(m.rect.top()));
      int r1 = std::min(rows - 1, row_of(low));
      for (int row = r0; row <= r1; ++row) covered[static_cast<size_t>(row * grid.columns + col)] = 1;
    }
  }
  size_t white = static_cast<size_t>(std::count(covered.begin(), covered.end(), 0));
  return static_cast<double>(white) / static_cast<double>(covered.size());
}

std::vector<std::string> faults(const PageTree& tree) {
  std::vector<std::string> out;
  for (size_t p = 0; p < tree.pages.size(); ++p) {
    const Page& pg = tree.pages[p];
    size_t text_runs = 0;
    for (size_t a = 0; a < pg.modules.size(); ++a) {
      const ModuleBox& m = pg.modules[a];
      if (!inside(m.rect, pg.body))
        out.push_back(where(p, m) + ": the module leaves the text area");
      for (size_t b = a + 1; b < pg.modules.size(); ++b) {
        Rect c = clip(m.rect, pg.modules[b].rect);
        if (c.w > kSlack && c.h > kSlack)
          out.push_back(where(p, m) + " overlaps " + pg.modules[b].name + " by " + n(c.w) + " x " + n(c.h));
      }
      std::vector<GlyphRun> runs = module_items<GlyphRun>(pg, m);
      for (const GlyphRun& r : runs) {
        if (!inside(Rect{r.x, r.y, run_width(r), Pt()}, m.rect)) {
          out.push_back(where(p, m) + ": text \"" + excerpt(r) + "\" at (" + n(r.x) +
                        ", " + n(r.y) + ") lies outside the module");
          break;
        }
      }
      for (const GlyphRun& r : runs) text_runs += r.role == GlyphRun::Role::Text;
      for (const ImageItem& i : module_items<ImageItem>(pg, m)) {
        const Rect& im = i.rect;
        if (!inside(clip(im, pg.body), m.rect))
          out.push_back(where(p, m) + ": a picture (" + n(im.x) + ", " + n(im.y) + ", " + n(im.w) +
                        " x " + n(im.h) + ") lies outside the module");
        // Its article's text on the page, not only its caption.
        bool text = std::any_of(runs.begin(), runs.end(),
                                [](const GlyphRun& r) { return r.role == GlyphRun::Role::Text; });
        if (!text) out.push_back(where(p, m) + ": a picture without its article's text");
      }
    }
    // Nothing printed over a picture: another picture, or a line of text.
    std::vector<ImageItem> images = items_of<ImageItem>(pg.content);
    std::vector<GlyphRun> all_runs = pg.modules.empty() ? std::vector<GlyphRun>() : items_of<GlyphRun>(pg.content);
    for (size_t a = 0; a < images.size() && !pg.modules.empty(); ++a) {
      Rect im = images[a].rect;
      Rect core{im.x + kSlack, im.y + kSlack, im.w - kSlack * 2, im.h - kSlack * 2};
      for (size_t b = a + 1; b < images.size(); ++b) {
        Rect c = clip(core, images[b].rect);
        if (c.w > Pt() && c.h > Pt())
          out.push_back("page " + std::to_string(p + 1) + ": two pictures overlap by " + n(c.w) + " x " + n(c.h));
      }
      for (const GlyphRun& g : all_runs) {
        Rect body{g.x, g.y - g.size * 0.15, run_width(g), g.size * 0.6};
        Rect c = clip(core, body);
        if (c.w > Pt() && c.h > Pt()) {
          out.push_back("page " + std::to_string(p + 1) + ": text \"" + excerpt(g) +
                        "\" printed over a picture");
          break;
        }
      }
    }
    if (!pg.modules.empty() && text_runs == 0)
      out.push_back("page " + std::to_string(p + 1) + " holds no text of any article");
  }
  return out;
}

}  // namespace trang::layout::compose
