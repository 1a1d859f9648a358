// The PDF stage: writes a PageTree with libharu. Text goes out as glyph IDs through Type0 /
// CIDFontType2 / Identity-H fonts, subset with hb-subset, each with a ToUnicode CMap.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "image/image.h"
#include "layout/page_tree.h"

namespace trang::pdf {

// What the file is for (docs/print-and-archive.md).
enum class Profile : uint8_t {
  Screen,   // plain PDF 1.6: colours as the stylesheet gives them, MediaBox = trim
  Print,    // PDF/X-4 (ISO 15930-7): CMYK, TrimBox/BleedBox, marks, GTS_PDFX output intent
  Archive,  // PDF/A-2a (ISO 19005-2; 2b untagged): XMP, sRGB output intent, RGB/gray colours
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
  // Show a space glyph (U+0020 in ToUnicode) between the words of a line, so that every text
  // extractor finds the word breaks (docs/print-and-archive.md). Off only to check that the
  // glyphs change no pixel (a test hook, cli/render.cpp).
  bool word_spaces = true;
  // Tagged PDF (PDF/UA-1 structure, ISO 14289-1): a structure tree built from the items' tags
  // (layout::StructTag) in reading order, every painted item in marked content, page furniture
  // as artifacts, /MarkInfo, /Lang, DisplayDocTitle and pdfuaid in the XMP. Off gives the
  // smallest file (--no-tags).
  bool tagged = true;
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

// A written PDF, in pieces. The writer's own bytes are one string, `own`; the bytes of each
// embedded JPEG, which are most of a page of photos, are not copied into it but borrowed from
// the image that holds them and go in before own[at]. Copying them would cost three passes
// over every photo (libharu's stream buffer, the document string, the file), a fifth of a
// batch's time. `keep` holds the images the bytes are borrowed from.
struct PdfBytes {
  struct Borrowed {
    size_t at = 0;  // offset in `own` these bytes go before
    const uint8_t* data = nullptr;
    size_t size = 0;
  };
  std::string own;
  std::vector<Borrowed> borrowed;  // in document order (`at` ascending)
  std::shared_ptr<const void> keep;

  size_t size() const;
  // The document in order, as views of `own` and of the borrowed bytes.
  std::vector<std::string_view> pieces() const;
  std::string joined() const;
  // The first and the last `n` bytes (or all, when shorter): the batch stamps' digest.
  std::string head(size_t n) const;
  std::string tail(size_t n) const;
};

// Renders the tree to PDF bytes, each page's frame in paint order, each placed image embedded
// once; the result borrows their JPEG bytes (PdfBytes). Returns nullopt after reporting an
// error (never a partial document).
std::optional<PdfBytes> write_pdf_pieces(const layout::PageTree& tree, const Options& options,
                                         Diagnostics& diags, WriteReport* report = nullptr);

// The same, consuming the tree: each page's frame is freed once its text is written, which
// lowers the peak of a long article (the tree is left with its pages' setups only).
std::optional<PdfBytes> write_pdf_pieces(layout::PageTree&& tree, const Options& options,
                                         Diagnostics& diags, WriteReport* report = nullptr);

// The same document as one string (tests, fuzzing).
std::optional<std::string> write_pdf(const layout::PageTree& tree, const Options& options,
                                     Diagnostics& diags, WriteReport* report = nullptr);

}  // namespace trang::pdf
