// The layout stage's output: pages, each a frame of positioned items (text runs, images,
// rules, fills, links and groups of them, as Typst's frames). This is all the PDF writer sees.
// Coordinates are PDF page space: points, origin bottom-left, y upwards.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/core.h"
#include "core/font_program.h"
#include "core/glyphs.h"
#include "image/image.h"

namespace trang::layout {

using trang::Cluster;
using trang::Glyph;

// What a structure element is (ISO 32000-1 §14.8.4 standard types), for tagged PDF.
enum class StructRole : uint8_t {
  Artifact,  // not part of the text: page furniture, decoration (§14.8.2.2)
  H1, H2, P, BlockQuote, Figure, Caption, L, LI,
  Lbl,  // a list item's bullet or number, before its LBody (sorts before it)
  LBody, Table, TR, TH, TD, Div,
  Link,  // a link annotation's element, beside the element its text is in
};

// Where an item belongs in the document's structure: a path of up to three elements, outermost
// first, each named by the model node it stands for (pre-order index, so sorting by it is the
// article's reading order) and its role. A paragraph is {P}; a list item {L, LI, LBody}; a table
// cell {Table, TR, TD}. Items with the same node and role are parts of one element, however many
// columns and pages it spans. Plain values: the writer needs no model headers to build the tree.
struct StructTag {
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Level {
    uint32_t node = kNone;
    StructRole role = StructRole::Artifact;
  };
  Level path[3];
  uint8_t depth = 0;  // 0: an artifact
  // Read before the element's other content, though drawn after some of it: a drop cap, which
  // is drawn with the last line it sinks into.
  bool initial = false;

  bool artifact() const { return depth == 0; }
  const Level& leaf() const { return path[depth - 1]; }
  void push(uint32_t node, StructRole role) {
    if (depth < 3) path[depth++] = {node, role};
  }
};

// Glyphs of one font, size and colour on one baseline, starting at (x, y).
struct GlyphRun {
  FontId font = 0;
  Pt size;
  Color color;
  Pt x, y;
  std::vector<Glyph> glyphs;
  std::vector<Cluster> clusters;
  // Horizontal scale of the glyph shapes (font expansion, -trang-font-expansion): 1 as
  // designed, 1.015 = 1.5% wider. Advances and offsets in `glyphs` already include it; the
  // writer draws the shapes to match (PDF Tz).
  double hscale = 1;
  // What the run is part of: the article's text, its head (kicker, headline, lead), a
  // figure's caption, or page furniture (running heads, continuation heads, jump lines). The
  // composer's checks read it.
  enum class Role : uint8_t { Text, Head, Caption, Furniture };
  Role role = Role::Text;
  // Its element in tagged PDF; furniture and untagged runs are artifacts.
  StructTag tag;
  std::string lang;  // BCP 47 language where it is not the document's (/Lang), else empty
};

// A placed image. The picture is held by shared reference: placing one photo twice, or in
// two articles of a publication, is one image, and the writer embeds it once.
struct ImageItem {
  std::shared_ptr<const image::Image> image;
  Rect rect;  // the picture as seen, after `orientation`
  std::string alt;
  // EXIF orientation (TIFF tag 274, 1..8) the writer applies when it places the stored pixels
  // in `rect`: 1 as stored, 2 mirrored, 3 turned 180°, 4 flipped, 5 transposed, 6 turned 90°
  // clockwise, 7 transversed, 8 turned 90° counter-clockwise. For 5..8 the stored width runs
  // along rect.h.
  uint8_t orientation = 1;
  // A cropped picture (object-fit: cover): the whole of it is placed here and only what
  // falls inside `rect` shows.
  std::optional<Rect> picture;
  // Its Figure element (with `alt` as /Alt); untagged pictures are artifacts.
  StructTag tag;
  // The opacity it is painted with (its element's and their ancestors' `opacity`), 0..1.
  float opacity = 1;
};

// A stroked line segment (column rules, underlines, placeholder outlines).
struct RuleItem {
  Pt x1, y1, x2, y2;
  Pt width;
  Color color;
  // How the line is stroked (CSS border-style, column-rule-style): dashes and dots of the
  // width's measure; a double line is two lines of a third of the width, a third apart.
  enum class Stroke : uint8_t { Solid, Dashed, Dotted, Double };
  Stroke stroke = Stroke::Solid;
};

// A filled rectangle (backgrounds, placeholders for images that could not be read).
struct FillItem {
  Rect rect;
  Color color;
};

// A clickable area pointing at a URI.
struct LinkItem {
  Rect rect;
  std::string uri;
  StructTag tag;  // the element of the text it covers
};

struct Frame;

// A frame placed inside another, its origin at (x, y) of the outer frame. The inner frame is
// shared, not copied: the composer puts an article's laid-out page on the publication's page
// as a group.
struct Group {
  Pt x, y;
  std::shared_ptr<const Frame> frame;
};

using Item = std::variant<FillItem, ImageItem, RuleItem, GlyphRun, LinkItem, Group>;

// A rectangle of positioned items, painted in order: a later item over an earlier one.
// Coordinates are the frame's own, origin bottom-left.
struct Frame {
  Pt width, height;
  std::vector<Item> items;
  template <class T>
  void push(T item) { items.emplace_back(std::move(item)); }
};

inline void translate(GlyphRun& r, Pt dx, Pt dy) { r.x += dx; r.y += dy; }
inline void translate(ImageItem& i, Pt dx, Pt dy) {
  i.rect.x += dx;
  i.rect.y += dy;
  if (i.picture) {
    i.picture->x += dx;
    i.picture->y += dy;
  }
}
inline void translate(FillItem& f, Pt dx, Pt dy) { f.rect.x += dx; f.rect.y += dy; }
inline void translate(LinkItem& l, Pt dx, Pt dy) { l.rect.x += dx; l.rect.y += dy; }
inline void translate(RuleItem& r, Pt dx, Pt dy) {
  r.x1 += dx; r.x2 += dx;
  r.y1 += dy; r.y2 += dy;
}
inline void translate(Group& g, Pt dx, Pt dy) { g.x += dx; g.y += dy; }

// Calls fn(item, dx, dy) for every item of `frame` but the groups, in paint order, the items of
// a group where the group stands: (dx, dy) is what to add to the item's coordinates to have
// them in `frame`'s.
template <class Fn>
void for_each_item(const Frame& frame, Fn&& fn, Pt dx = Pt(), Pt dy = Pt()) {
  for (const Item& item : frame.items) {
    if (const Group* g = std::get_if<Group>(&item)) {
      if (g->frame) for_each_item(*g->frame, fn, dx + g->x, dy + g->y);
    } else {
      fn(item, dx, dy);
    }
  }
}

// The items of type T in `frame` and its groups, in paint order, in `frame`'s coordinates.
template <class T>
std::vector<T> items_of(const Frame& frame) {
  std::vector<T> out;
  for_each_item(frame, [&](const Item& item, Pt dx, Pt dy) {
    if (const T* t = std::get_if<T>(&item)) {
      out.push_back(*t);
      translate(out.back(), dx, dy);
    }
  });
  return out;
}

// A module of a publication page (layout/publication.h): the rectangle of whole grid columns
// that one part of an article (its first part or a continuation) occupies. What it holds is
// the group content.items[item] of its page.
struct ModuleBox {
  std::string name;      // the article's file as the publication lists it
  uint32_t article = 0;  // its index in the publication
  bool continuation = false;
  int column = 0, columns = 1;  // grid columns it spans
  Rect rect;
  uint32_t item = 0;
};

// What a page is, apart from what is on it.
struct PageSetup {
  Pt width, height;           // the trimmed page (TrimBox); the writer adds bleed and marks
  Pt bleed;                   // how far artwork may run past the trim edge (BleedBox)
  bool crop_marks = false;    // draw crop marks outside the bleed (print profile)
  bool cross_marks = false;   // draw registration marks outside the bleed
  std::string label;          // page label (the folio as printed, e.g. "1")
};

struct Page : PageSetup {
  Frame content;  // the page's items, in page coordinates, the size of the page
  // Publications only: the text area modules are placed in, the modules in placement order,
  // and the share of the text area that no module item covers (0..1; -1 = not measured).
  Rect body;
  std::vector<ModuleBox> modules;
  double white = -1;
};

// Document information from the article's metadata (PDF Info dictionary).
struct DocInfo {
  std::string title;
  std::string author;
  std::string subject;
  std::string keywords;
  std::string language;  // BCP 47, e.g. "vi"
  std::string date;      // as given in the article (ISO 8601); empty = none
};

// A bookmark: a headline or subhead and where it is (PDF outlines, ISO 32000-1 §12.3.3).
struct OutlineEntry {
  std::string title;
  int level = 0;      // 0 = article headline, 1 = subhead
  uint32_t page = 0;  // index into PageTree::pages
  Pt y;               // top of the heading's first line
};

struct PageTree {
  std::vector<Page> pages;
  std::vector<OutlineEntry> outline;  // in reading order
  std::vector<std::shared_ptr<const FontProgram>> fonts;  // indexed by FontId
  DocInfo info;
  // Where the columns start under the head on the first page (y, points): what the head
  // leaves of the first frame.
  Pt columns_top;
};

// A readable text dump of the tree, one item per line, for golden tests and --dump-layout.
std::string dump(const PageTree& tree);

}  // namespace trang::layout
