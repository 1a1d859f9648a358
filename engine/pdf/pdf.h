// The PDF stage: writes a PageTree with libharu. Text goes out as glyph IDs through Type0 /
// CIDFontType2 / Identity-H fonts, subset with hb-subset, each with a ToUnicode CMap.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/core.h"
#include "image/image.h"
#include "layout/page_tree.h"

namespace trang::pdf {

struct Options {
  // Flate-compress page content streams and ToUnicode CMaps. Off makes the content readable
  // for debugging; font files and raw images are binary and stay compressed either way.
  bool compress = true;
  // Deterministic output: no clock in the file, a fixed /ID derived from the content. The same
  // input then gives the same bytes. On by default; off adds CreationDate from the clock.
  bool deterministic = true;
  std::string producer = "trang";  // Info /Producer; empty leaves it out
};

// Renders the tree to PDF bytes. `images` is the table ImageItem::image indexes into.
// Returns nullopt after reporting an error (never a partial document).
std::optional<std::string> write_pdf(const layout::PageTree& tree,
                                     const std::vector<image::Image>& images,
                                     const Options& options, Diagnostics& diags);

}  // namespace trang::pdf
