// What image.cpp and jpeg_optimize.cpp share about JPEG; internal to engine/image (not part of
// the library's face, image.h). Include <cstdio> and <jpeglib.h> before this header.
#pragma once

#include <cstddef>
#include <cstdint>

#include "image/image.h"

namespace trang::image::detail {

// More scans than any encoder writes; a crafted progressive file can otherwise hold tens of
// thousands of tiny scans and make decoding crawl (libjpeg-turbo's djpeg -maxscans guards the
// same way).
inline constexpr int kMaxJpegScans = 1000;

// Components for the JPEG colour spaces PDF's DCTDecode can show; 0 for the others.
int jpeg_components(const jpeg_decompress_struct& c);

// The Orientation tag (274) of IFD0 in an APP1 "Exif" segment (its payload, after the length),
// or 1 when absent or malformed. Bounds-checked: the segment is untrusted.
int exif_orientation(const uint8_t* seg, size_t size);

// Sets Image::content_hash from the image's data (core's hash128).
void hash_content(Image& img);

// What the per-process caches of JPEG work (the data check's verdicts, the re-coded files) are
// keyed by: the file's size and its content hash.
struct ContentKey {
  uint64_t size, h1, h2;
  explicit ContentKey(const Image& img)
      : size(img.data.size()), h1(img.content_hash[0]), h2(img.content_hash[1]) {}
  bool operator==(const ContentKey&) const = default;
  struct Hash {
    size_t operator()(const ContentKey& k) const { return static_cast<size_t>(k.h1 ^ k.size); }
  };
};

}  // namespace trang::image::detail
