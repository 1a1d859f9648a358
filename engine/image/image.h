// Images read and checked by trang. libharu's own file loaders abort() or embed garbage on
// damaged input (notes/libharu-glyph-text.md), so every image is decoded or validated here and
// handed on as plain, trusted data.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/core.h"

namespace trang::image {

// An allocator that leaves new elements uninitialised (default-, not value-initialised). A
// photo's buffer is sized and then filled by read(): zeroing its 350 KB first was 1% of a
// batch. Whoever grows a Bytes writes every new byte.
template <class T>
struct UninitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  UninitAllocator() = default;
  template <class U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
// A file's bytes or an image's samples.
using Bytes = std::vector<uint8_t, UninitAllocator<uint8_t>>;

struct Image {
  enum class Kind : uint8_t {
    Jpeg,  // `data` is the original JPEG file, validated, passed through without re-encoding
    Raw,   // `data` is 8-bit samples, row-major, `components` per pixel, no padding
  };
  Kind kind = Kind::Raw;
  int width = 0;
  int height = 0;
  int components = 3;  // 1 gray, 3 RGB, 4 CMYK
  bool adobe_inverted = false;  // CMYK JPEG written by Adobe apps (inverted values, needs /Decode)
  // A 3-component JPEG stored as plain RGB with no Adobe marker to say so. PDF's DCTDecode
  // assumes YCbCr for three components (ColorTransform 1), so the writer must add
  // /DecodeParms <</ColorTransform 0>> or the colours come out wrong.
  bool jpeg_rgb_untransformed = false;
  // EXIF Orientation of a JPEG (1..8, TIFF tag 274); 1 means "as stored". The pixels stay as
  // stored: layout swaps width/height for 5..8 and the writer turns the placement
  // (layout::ImageItem::orientation).
  int exif_orientation = 1;
  Bytes data;
  std::vector<uint8_t> alpha;  // 8-bit soft mask, width*height bytes; empty when opaque
  double dpi_x = 0, dpi_y = 0;  // resolution recorded in the file, 0 when unknown
  std::string path;             // the file it came from
  // False for a JPEG loaded with Check::HeaderOnly until check_image_data has decoded its scan
  // data. render() may write a PDF meanwhile, but keeps it only once every placed image is
  // checked (cli/render.cpp, ImageChecks).
  bool data_checked = true;
  // For a JPEG: two 64-bit hashes of the file (core's hash64, two seeds), computed once when it
  // is read; the check's verdict cache and the PDF's /ID use them instead of hashing the bytes
  // again. Not collision-resistant against a crafted file (docs/security.md). {0, 0}: none.
  uint64_t content_hash[2] = {0, 0};
};

struct Limits {
  uint64_t max_pixels = 100'000'000;   // refuse decompression bombs before decoding
  uint64_t max_file_bytes = 200u << 20;
};

// Reads an image file (JPEG or PNG, recognised by content, not by name). On any problem
// reports an error at `ref` (the article position that names the image) mentioning the file
// and returns nullopt. Never aborts, never reads past the file.
// What load_image proves before it returns. Complete: everything, the image can be embedded.
// HeaderOnly: a JPEG's markers and header are checked (size, colour layout, orientation: all
// that layout needs) but its scan data is left to check_image_data, which can run while layout
// does. PNG is always complete: its pixels are decoded because they go into the PDF re-compressed.
enum class Check : uint8_t { Complete, HeaderOnly };

std::optional<Image> load_image(const std::string& path, const SourcePos& ref, Diagnostics& diags,
                                const Limits& limits = {}, Check check = Check::Complete);

// The same from bytes already in memory; `name` is used in messages.
std::optional<Image> decode_image(const std::string& bytes, const std::string& name,
                                  const SourcePos& ref, Diagnostics& diags,
                                  const Limits& limits = {},
                                  Check check = Check::Complete);

// The second half of Check::HeaderOnly: checks a JPEG's scan data by its structure (about 25 µs
// for a 1600x1067 photo), decoding it in full (about 4 ms) only when the structure leaves a
// doubt; reports truncation or corruption as an error at `ref` (and a recoverable oddity as a
// warning), and marks the image checked. True when the image may be embedded; nothing to do for other images.
// Verdicts are remembered for the life of the process by content (size and a 128-bit hash),
// so a photo that a batch places in many articles, or that watch re-renders, is decoded once.
// Thread-safe.
bool check_image_data(Image& img, const SourcePos& ref, Diagnostics& diags);

// Re-codes a JPEG without touching its pixels: the same DCT coefficients and quantisation
// tables, written progressive with Huffman tables optimised for this image (what
// `jpegtran -optimize -progressive -copy none` does). Photos from cameras and editors come out
// 5-10% smaller and decode pixel for pixel as before. Markers that do not affect the picture are
// dropped; kept are what says how to read its colours and orientation: the JFIF APP0 (implied
// YCbCr, density), an Adobe APP14 (CMYK inverted, RGB untransformed) and ICC profile APP2
// chunks byte for byte, and an EXIF APP1 whose Orientation is not 1 (jpeg_optimize.cpp).
// nullopt when the input is not a sound 8-bit Huffman-coded grey, RGB or CMYK JPEG of at most
// 100 million pixels (any libjpeg warning counts), or when the result would not be smaller:
// the caller keeps the original. Thread-safe.
std::optional<Bytes> optimize_jpeg(const Bytes& jpeg);

// optimize_jpeg applied to a checked JPEG in place (render --optimize-images): its data and
// content hash replaced when the re-coded file is smaller. Results are remembered for the life
// of the process by content, like check_image_data's verdicts, so a batch re-codes a photo it
// places again and again once. Returns whether the data changed. Thread-safe.
bool optimize_image_data(Image& img);

}  // namespace trang::image
