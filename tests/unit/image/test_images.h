// Small JPEG and PNG files made on the fly for the image tests, plus helpers that damage them
// in precise ways (truncate, break a CRC, lie in a header).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <cstdio>
#include <jpeglib.h>

namespace trang::image::test {

// The sample value the generators write at (x, y) for channel c: distinct per channel, varied
// enough that a channel mix-up or a row shift shows.
uint8_t pattern(int x, int y, int c);
// Gently varying samples (gradients and a soft ripple), distinct per channel.
uint8_t smooth_pattern(int x, int y, int c);

struct JpegSpec {
  int width = 16;
  int height = 12;
  J_COLOR_SPACE input = JCS_RGB;       // JCS_GRAYSCALE, JCS_RGB or JCS_CMYK
  J_COLOR_SPACE stored = JCS_UNKNOWN;  // JCS_UNKNOWN: libjpeg's default for `input`
  bool adobe_marker = true;            // false: suppress the APP14 marker libjpeg would write
  bool progressive = false;
  bool arithmetic = false;
  int density_unit = 0;  // JFIF: 0 aspect only, 1 dpi, 2 dpcm
  int x_density = 1, y_density = 1;
  std::string app1;  // raw APP1 payload (e.g. an EXIF block), written when not empty
  std::string app2;  // raw APP2 payload (e.g. an ICC_PROFILE chunk), written when not empty
  int restart_interval = 0;  // in MCUs; 0: none
  // Sampling factors of the first component; 0: libjpeg's default (2x2 for YCbCr, i.e. 4:2:0).
  int h_samp = 0, v_samp = 0;
  int quality = 90;
  // Samples from smooth_pattern() instead of pattern(): closer to a photo, so that re-coding
  // it has something to gain.
  bool smooth = false;
};
std::string encode_jpeg(const JpegSpec& spec);

// A minimal EXIF APP1 payload holding only IFD0 with the Orientation tag.
std::string exif_with_orientation(int orientation, bool big_endian);

// Rewrites the dimensions in the first SOFn marker of a JPEG.
void patch_jpeg_size(std::string& jpeg, int width, int height);

struct PngSpec {
  int width = 9;
  int height = 7;
  int color_type = 2;  // PNG_COLOR_TYPE_*
  int bit_depth = 8;
  bool interlaced = false;
  std::vector<uint8_t> palette;  // RGB triples, for color type 3
  std::vector<uint8_t> trns;     // palette alpha, for color type 3
  uint32_t phys_ppm = 0;         // pixels per metre, written as pHYs when not 0
  // When set, every pixel is opaque in RGBA/GA images (alpha = 255).
  bool opaque_alpha = false;
};
// Samples come from pattern(); alpha (if any) is pattern(x, y, 3); 16-bit samples are
// pattern() * 257 so that a correct 16 -> 8 reduction gives pattern() back exactly.
std::string encode_png(const PngSpec& spec);

// Byte offset of the first chunk of `type` (its length field), or npos.
size_t find_png_chunk(const std::string& png, const char* type);
// Recomputes the CRC of the chunk starting at `at`, after the test edited its data.
void fix_png_crc(std::string& png, size_t at);
// Rewrites IHDR width/height and fixes its CRC, so libpng sees a well-formed header lie.
void patch_png_size(std::string& png, uint32_t width, uint32_t height);

}  // namespace trang::image::test
