// Fuzz target: image validation and decoding (image::decode_image), JPEG and PNG, with a
// pixel budget small enough that a header lie cannot make a run slow.
#include <cstddef>
#include <cstdint>
#include <string>

#include "image/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trang::Diagnostics diags;
  trang::image::Limits limits;
  limits.max_pixels = 4'000'000;
  auto img = trang::image::decode_image(std::string(reinterpret_cast<const char*>(data), size),
                                        "fuzz.img", {}, diags, limits);
  if (img) {
    // What the writer relies on: the sample buffer matches the header.
    size_t want = static_cast<size_t>(img->width) * img->height * img->components;
    if (img->kind == trang::image::Image::Kind::Raw && img->data.size() != want) __builtin_trap();
    if (!img->alpha.empty() && img->alpha.size() != static_cast<size_t>(img->width) * img->height)
      __builtin_trap();
  }
  return 0;
}
