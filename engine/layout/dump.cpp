// A text dump of the page tree: one line per item, numbers rounded to 0.01 pt, so golden
// files give small readable diffs.
#include <filesystem>

#include "layout/page_tree.h"

namespace trang::layout {
namespace {
std::string n(Pt p) { return format_number(p.v, 2); }
std::string color_components(const Color& c) {
  switch (c.space) {
    case Color::Space::Gray: return "gray(" + format_number(c.c[0], 3) + ")";
    case Color::Space::Rgb:
      return "rgb(" + format_number(c.c[0], 3) + "," + format_number(c.c[1], 3) + "," +
             format_number(c.c[2], 3) + ")";
    case Color::Space::Cmyk:
      return "cmyk(" + format_number(c.c[0], 3) + "," + format_number(c.c[1], 3) + "," +
             format_number(c.c[2], 3) + "," + format_number(c.c[3], 3) + ")";
  }
  return {};
}
// The alpha only where there is one, so dumps of opaque pages read as before.
std::string color(const Color& c) {
  return color_components(c) + (c.alpha != 1 ? " a" + format_number(c.alpha, 3) : "");
}
// The frame's items in paint order, a group's indented under it.
void dump_frame(const Frame& f, const PageTree& tree, int depth, std::string& out) {
  std::string pad(static_cast<size_t>(depth) * 2, ' ');
  for (const Item& item : f.items) {
    if (const auto* fi = std::get_if<FillItem>(&item)) {
      out += pad + "fill " + n(fi->rect.x) + " " + n(fi->rect.y) + " " + n(fi->rect.w) + " " +
             n(fi->rect.h) + " " + color(fi->color) + "\n";
    } else if (const auto* im = std::get_if<ImageItem>(&item)) {
      out += pad + "image " + (im->image ? std::filesystem::path(im->image->path).filename().string() : "?") + " " + n(im->rect.x) + " " +
             n(im->rect.y) + " " + n(im->rect.w) + " " + n(im->rect.h);
      // object-fit: cover: where the whole picture is, of which the rect shows a part.
      if (im->picture)
        out += " crop " + n(im->picture->x) + " " + n(im->picture->y) + " " + n(im->picture->w) + " " +
               n(im->picture->h);
      if (im->opacity != 1) out += " a" + format_number(im->opacity, 3);
      out += "\n";
    } else if (const auto* r = std::get_if<RuleItem>(&item)) {
      static constexpr const char* kStroke[] = {"", " dashed", " dotted", " double"};
      out += pad + "rule " + n(r->x1) + " " + n(r->y1) + " " + n(r->x2) + " " + n(r->y2) + " w" +
             n(r->width) + kStroke[static_cast<int>(r->stroke)] + "\n";
    } else if (const auto* g = std::get_if<GlyphRun>(&item)) {
      Pt w;
      for (const Glyph& gl : g->glyphs) w += gl.advance;
      std::string text;
      for (const Cluster& c : g->clusters) text += c.text;
      const std::string& font = tree.fonts.size() > g->font && tree.fonts[g->font]
                                    ? tree.fonts[g->font]->postscript_name : std::to_string(g->font);
      out += pad + "text " + n(g->x) + " " + n(g->y) + " w" + n(w) + " " + font + " " + n(g->size) +
             " " + color(g->color) + " \"" + text + "\"";
      // Font expansion: the glyphs drawn this many percent of their width (PDF Tz).
      if (g->hscale != 1) out += " tz" + format_number(g->hscale * 100, 2);
      out += "\n";
    } else if (const auto* l = std::get_if<LinkItem>(&item)) {
      out += pad + "link " + n(l->rect.x) + " " + n(l->rect.y) + " " + n(l->rect.w) + " " +
             n(l->rect.h) + " " + l->uri + "\n";
    } else if (const auto* gr = std::get_if<Group>(&item)) {
      out += pad + "group " + n(gr->x) + " " + n(gr->y) + "\n";
      if (gr->frame) dump_frame(*gr->frame, tree, depth + 1, out);
    }
  }
}

}  // namespace

std::string dump(const PageTree& tree) {
  std::string out;
  for (size_t i = 0; i < tree.pages.size(); ++i) {
    const Page& p = tree.pages[i];
    out += "page " + std::to_string(i + 1) + " " + n(p.width) + "x" + n(p.height) + "\n";
    // A publication page: its modules (grid columns, rectangle) and its white space.
    for (const ModuleBox& m : p.modules)
      out += "  module " + m.name + (m.continuation ? " (continued)" : "") + " columns " +
             std::to_string(m.column + 1) + "-" + std::to_string(m.column + m.columns) + " " +
             n(m.rect.x) + " " + n(m.rect.y) + " " + n(m.rect.w) + " " + n(m.rect.h) + "\n";
    if (p.white >= 0) out += "  white " + format_number(p.white * 100, 1) + "%\n";
    dump_frame(p.content, tree, 1, out);
  }
  return out;
}

}  // namespace trang::layout
