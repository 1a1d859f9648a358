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

// What the file is for (docs/print-and-archive.md).
enum class Profile : uint8_t {
  Screen,   // plain PDF 1.6: colours as the stylesheet gives them, MediaBox = trim
  Print,    // PDF/X-4 (ISO 15930-7): CMYK, TrimBox/BleedBox, marks, GTS_PDFX output intent
  Archive,  // PDF/A-2b (ISO 19005-2): XMP, sRGB output intent, colours as RGB/gray
};
const char* profile_name(Profile profile);  // "screen", "print", "archive"

struct Options {
  // Flate-compress page content streams and ToUnicode CMaps. Off makes the content readable
  // for debugging; font files and raw images are binary and stay compressed either way.
  bool compress = true;
  // Deterministic output: no clock in the file, a fixed /ID derived from the content. The same
  // input then gives the same bytes. On by default; off adds CreationDate from the clock.
  bool deterministic = true;
  std::string producer = "trang";  // Info /Producer; empty leaves it out

  Profile profile = Profile::Screen;
  // Print: the press's ICC profile (a CMYK output profile), embedded as the output intent's
  // DestOutputProfile and used by lcms2 to convert RGB. Empty: naive RGB -> CMYK and no
  // embedded profile (the file then names the condition only; see the docs).
  std::string output_profile;       // the profile's bytes
  std::string output_profile_name;  // its file, for messages
  // The printing condition the output intent names (ICC characterization registry).
  std::string output_condition = "FOGRA39";
  std::string output_condition_info = "Coated FOGRA39 (ISO 12647-2:2004)";
  // Print: what a page gets when the stylesheet asks for no bleed and no marks.
  Pt default_bleed = mm(3);
  bool default_crop_marks = true;
  // The document date when the article has none (seconds since 1970, UTC): the CLI passes
  // SOURCE_DATE_EPOCH here. PDF/X requires CreationDate and ModDate.
  std::optional<int64_t> fallback_time;
};

// Facts the writer learned that preflight reports.
struct WriteReport {
  struct Font {
    std::string name;  // PostScript name
    std::string path;  // the file
    size_t glyphs = 0; // glyphs used
  };
  std::vector<Font> fonts;                // in first-use order
  size_t rgb_colors_converted = 0;        // print: RGB fills, rules, text turned into CMYK
  size_t rgb_images_converted = 0;        // print: RGB images re-encoded as CMYK
  size_t cmyk_converted = 0;              // archive: CMYK colours and images turned into RGB
  bool output_profile_embedded = false;   // print: DestOutputProfile written
  std::string date_source;                // "article", "SOURCE_DATE_EPOCH", "clock" or "none"
};

// Renders the tree to PDF bytes. `images` is the table ImageItem::image indexes into.
// Returns nullopt after reporting an error (never a partial document).
std::optional<std::string> write_pdf(const layout::PageTree& tree,
                                     const std::vector<image::Image>& images,
                                     const Options& options, Diagnostics& diags,
                                     WriteReport* report = nullptr);

}  // namespace trang::pdf
