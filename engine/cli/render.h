// One render, from an article file to PDF bytes: every stage in order. The CLI (render, and
// later batch and watch) and the end-to-end tests call this; it prints nothing.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "pdf/pdf.h"

namespace trang {

namespace text {
class FontCache;
}

// A user stylesheet parsed and checked once for many renders (a batch): with the built-in
// default, its @imports, and its @font-face files read and checked. Immutable, so the renders
// of a batch's workers share it.
struct PreparedStylesheet;
// Prepares the stylesheet at `path`; its errors and warnings go to `diags`, once, however
// many renders then use it (a sheet with errors should not be used: check diags).
std::shared_ptr<const PreparedStylesheet> prepare_stylesheet(const std::string& path,
                                                             Diagnostics& diags);

struct RenderRequest {
  std::string article;     // path of the article XML
  std::string stylesheet;  // optional user stylesheet, cascaded over the built-in default
  int max_pages = 500;
  bool want_dump = false;  // fill RenderResult::layout_dump
  // Optional: a font cache that outlives this render, so that a batch finds, reads and
  // checks each face once and shapes each word once (text::FontCache keeps a shaping cache
  // per face). Not thread-safe: one cache per thread or process. Null: a fresh cache.
  // The PDF does not depend on what the cache held before (fonts are numbered by first use).
  text::FontCache* fonts = nullptr;
  // Output profile (docs/print-and-archive.md): "screen" (default), "print" (PDF/X-4) or
  // "archive" (PDF/A-2b). `output_profile`: the press's CMYK ICC file, print only.
  std::string profile = "screen";
  std::string output_profile;
  // --assets: folders images may come from besides the article's own (docs/security.md).
  std::vector<std::string> assets;
  // --optimize-images: JPEGs re-coded losslessly, progressive with optimised Huffman tables
  // (image::optimize_image_data): 4-10% smaller, about 25 ms per megapixel-and-a-half photo.
  bool optimize_images = false;
  // --no-tags: an untagged PDF (no structure tree, no marked content), a little smaller.
  bool tagged = true;
  // Optional: `stylesheet` prepared before (prepare_stylesheet), used instead of parsing it;
  // its diagnostics are not repeated in this render's.
  std::shared_ptr<const PreparedStylesheet> prepared;
};

// What preflight (cli/preflight.h) needs to know about a render beyond its diagnostics.
struct RenderFacts {
  struct Image {
    std::string path;
    int page = 0;                  // 1-based
    int width_px = 0, height_px = 0;
    double width_pt = 0, height_pt = 0;  // as placed
    int components = 0;            // 1 gray, 3 RGB, 4 CMYK
    bool jpeg = false;
  };
  struct Font {
    std::string name, path;
    size_t glyphs = 0;
  };
  bool laid_out = false;  // layout ran (images below are known)
  bool written = false;   // the PDF writer ran (fonts and conversions below are known)
  std::vector<Image> images;
  std::vector<Font> fonts;
  size_t rgb_colors_converted = 0, rgb_images_converted = 0, cmyk_converted = 0;
  bool output_profile_embedded = false;
  std::string date_source;
};

struct RenderResult {
  // nullopt when an error was reported. It borrows the photos' bytes (pdf::PdfBytes) and
  // keeps them alive itself.
  std::optional<pdf::PdfBytes> pdf;
  std::string layout_dump;
  int pages = 0;
  // Every file the render read, in the order read: the article, the stylesheet (when given),
  // the sheets it @imports and the @font-face files it names, then each image. A batch hashes them to tell whether an output is up to date.
  std::vector<std::string> inputs;
  RenderFacts facts;
};

RenderResult render(const RenderRequest& request, Diagnostics& diags);

// Whether write_file_atomically waits for the data to reach the disk before the file is named.
// Durable: a power cut cannot leave an empty file under the new name (batch, whose stamps say
// an output is done). Fast: the naming alone, so neither a failed nor a killed trang leaves a
// partial file, but the kernel writes the data back when it likes (render, watch: fsync was
// an eighth of a one-page render).
enum class Sync : uint8_t { Durable, Fast };

// Writes `bytes` to `path` so that a reader never sees a partial file and a failed write leaves
// nothing behind: as an unnamed file in the same folder (O_TMPFILE), linked in under `path`
// when complete (over an existing file: under a temporary name, then renamed over it), so that
// even a killed trang leaves nothing; where the filesystem cannot, through a temporary file
// ".NAME.XXXXXX" and a rename.
bool write_file_atomically(const std::string& path, const std::string& bytes, Diagnostics& diags,
                           Sync sync = Sync::Durable);
// The same for a file made of `pieces`, written one after the other (a PDF's, PdfBytes::pieces).
// `before_rename`, when given, is called with the file's descriptor once the bytes are in it and
// before it has its name (a batch stores the stamp there: batch::attach_stamp); when it returns
// false the file is never named, and the hook reports why. Every failure names the system's
// reason (strerror).
bool write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces,
                           Diagnostics& diags, Sync sync = Sync::Durable,
                           const std::function<bool(int fd)>& before_rename = nullptr);

}  // namespace trang
