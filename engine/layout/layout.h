// The layout stage: an article with computed styles becomes pages of positioned items.
//
// Page 1 starts with the article's head (kicker, headline, lead: every leading block whose
// style says `column-span: all`) across the full measure; everything after flows through the
// page's columns, column after column and page after page. Figures sit in a column at column
// width with their caption directly below, never split from it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "image/image.h"
#include "layout/page_tree.h"
#include "model/model.h"
#include "style/style.h"
#include "text/text.h"

namespace trang::layout {

// Files the article refers to, loaded before layout.
struct Resources {
  // Shared with the frames that place them (ImageItem); render's checks may still mark them
  // checked or re-code their bytes until the PDF is written (cli/render.cpp).
  std::vector<std::shared_ptr<image::Image>> images;
  std::map<uint32_t, uint32_t> image_of_node;  // model::Node::index of an <image> -> images[]
  std::vector<SourcePos> image_pos;  // per images[] entry: the <image> that first named it
};

// A region of a page an article is poured into (publication layout, layout/publication.h):
// its column area in page coordinates and its own column count.
struct Region {
  Pt x0, measure;  // left edge and width
  Pt top, bottom;  // of the column area (y upwards)
  int columns = 1;
  Pt gap;
};

struct Options {
  int max_pages = 500;  // stops runaway layout; reaching it is an error
  int orphans = 2;      // lines of a paragraph that must stay together at a column's foot
  int widows = 2;       // ... and at the head of the next column
  // With regions: page k of the result is poured into regions(k) (asked once per page, in
  // order) instead of the @page grid, the head sits at the top of region 0, and no running
  // heads or folios
  // are drawn (the publication draws its own). Empty: the @page grid on every page.
  std::function<Region(size_t page)> regions;
  // A publication's composition is checked against the composer's invariants and a fault is
  // an internal error (std::logic_error). Off only to look at a faulty composition in tests.
  bool check_composition = true;
  // Threads that set paragraphs ahead of the pour (a parallel map, each over its own frozen
  // clone of the font cache); 1: every paragraph on the calling thread. The bytes are the
  // same either way.
  unsigned threads = 1;
  // When set, receives how many paragraphs the parallel map set (TRANG_TIMINGS reports it).
  size_t* set_ahead = nullptr;
};

PageTree layout_article(const model::Article& article, const style::StyledDocument& styles,
                        const Resources& resources, text::FontCache& fonts,
                        const Options& options, Diagnostics& diags);

}  // namespace trang::layout
