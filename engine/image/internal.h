// What the readers in engine/image share (image.cpp, png.cpp, jpeg_structure.cpp); internal to
// the library, not part of its face (image.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "image/image.h"

namespace trang::image::detail {

// Puts every message about one image in the same shape, at the article position that named it:
// "cannot read image 'photo.jpg': truncated JPEG data".
class Reporter {
 public:
  Reporter(const std::string& name, const SourcePos& ref, Diagnostics& diags)
      : name_(name), ref_(ref), diags_(diags) {}

  std::nullopt_t fail(const std::string& what, std::string hint = {}) const {
    diags_.error(ref_, "cannot read image '" + name_ + "': " + what, std::move(hint));
    return std::nullopt;
  }
  void warn(const std::string& what, std::string hint = {}) const {
    diags_.warning(ref_, "image '" + name_ + "': " + what, std::move(hint));
  }

 private:
  const std::string& name_;
  const SourcePos& ref_;
  Diagnostics& diags_;
};

// Copies a C string into a fixed buffer; used inside C callbacks, where nothing may throw.
template <size_t N>
void copy_message(char (&dst)[N], const char* src) {
  std::snprintf(dst, N, "%s", src ? src : "");
}

// Checks width × height against the limit before any pixel is decoded, so a 30000×30000
// header on a 100-byte file (a decompression bomb) costs nothing. Reports and returns true when
// over.
bool too_many_pixels(uint64_t width, uint64_t height, const Limits& limits, const Reporter& r);

// Decodes a PNG file in full (png.cpp): 8-bit samples, alpha split into its own plane.
std::optional<Image> decode_png(std::string_view bytes, const Limits& limits, const Reporter& r);

// Whether a JPEG's markers and entropy-coded segments prove it whole without decoding it
// (jpeg_structure.cpp): SOI, tables and frame well-formed, every scan's tables defined, its
// restart markers in order and as many as its MCUs need, the file ending at an EOI that follows
// a scan of every component. False means "in doubt", not "broken": the caller decodes.
bool jpeg_structure_sound(const uint8_t* data, size_t size);

}  // namespace trang::image::detail
