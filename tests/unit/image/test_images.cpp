#include "test_images.h"

#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace trang::image::test {

uint8_t pattern(int x, int y, int c) { return static_cast<uint8_t>(x * 23 + y * 41 + c * 67); }

uint8_t smooth_pattern(int x, int y, int c) {
  double v = 128 + 60 * std::sin((x + 7 * c) / 11.0) * std::cos((y - 5 * c) / 17.0) +
             (x + 2 * y + 40 * c) % 64 - 32;
  return static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
}

std::string encode_jpeg(const JpegSpec& spec) {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);  // encoding our own good data: default (exit) handling will do
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = spec.width;
  c.image_height = spec.height;
  c.input_components = spec.input == JCS_GRAYSCALE ? 1 : spec.input == JCS_CMYK ? 4 : 3;
  c.in_color_space = spec.input;
  jpeg_set_defaults(&c);
  if (spec.stored != JCS_UNKNOWN) jpeg_set_colorspace(&c, spec.stored);
  if (!spec.adobe_marker) c.write_Adobe_marker = FALSE;
  c.arith_code = spec.arithmetic ? TRUE : FALSE;
  c.density_unit = static_cast<UINT8>(spec.density_unit);
  c.X_density = static_cast<UINT16>(spec.x_density);
  c.Y_density = static_cast<UINT16>(spec.y_density);
  jpeg_set_quality(&c, spec.quality, TRUE);
  if (spec.h_samp) c.comp_info[0].h_samp_factor = spec.h_samp;
  if (spec.v_samp) c.comp_info[0].v_samp_factor = spec.v_samp;
  c.restart_interval = static_cast<unsigned>(spec.restart_interval);
  if (spec.progressive) jpeg_simple_progression(&c);
  jpeg_start_compress(&c, TRUE);
  if (!spec.app1.empty())
    jpeg_write_marker(&c, JPEG_APP0 + 1, reinterpret_cast<const JOCTET*>(spec.app1.data()),
                      static_cast<unsigned>(spec.app1.size()));
  if (!spec.app2.empty())
    jpeg_write_marker(&c, JPEG_APP0 + 2, reinterpret_cast<const JOCTET*>(spec.app2.data()),
                      static_cast<unsigned>(spec.app2.size()));
  std::vector<JSAMPLE> row(size_t(spec.width) * c.input_components);
  while (c.next_scanline < c.image_height) {
    int y = static_cast<int>(c.next_scanline);
    for (int x = 0; x < spec.width; ++x)
      for (int k = 0; k < c.input_components; ++k)
        row[size_t(x) * c.input_components + k] =
            spec.smooth ? smooth_pattern(x, y, k) : pattern(x, y, k);
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&c, rows, 1);
  }
  jpeg_finish_compress(&c);
  std::string out(reinterpret_cast<char*>(buf), size);
  jpeg_destroy_compress(&c);
  std::free(buf);
  return out;
}

namespace {
void put16(std::string& s, uint32_t v, bool be) {
  if (be) { s += char(v >> 8); s += char(v & 0xFF); }
  else { s += char(v & 0xFF); s += char(v >> 8); }
}
void put32(std::string& s, uint32_t v, bool be) {
  if (be) { put16(s, v >> 16, be); put16(s, v & 0xFFFF, be); }
  else { put16(s, v & 0xFFFF, be); put16(s, v >> 16, be); }
}
}  // namespace

std::string exif_with_orientation(int orientation, bool be) {
  std::string s("Exif\0\0", 6);
  s += be ? "MM" : "II";
  put16(s, 42, be);
  put32(s, 8, be);           // IFD0 right after the TIFF header
  put16(s, 2, be);           // two entries: an unrelated one first, then Orientation
  put16(s, 0x010F, be);      // Make, ASCII, 4 bytes inline
  put16(s, 2, be);
  put32(s, 4, be);
  s += "abc";
  s += '\0';
  put16(s, 274, be);         // Orientation, SHORT, count 1
  put16(s, 3, be);
  put32(s, 1, be);
  put16(s, static_cast<uint32_t>(orientation), be);
  put16(s, 0, be);
  put32(s, 0, be);           // no next IFD
  return s;
}

void patch_jpeg_size(std::string& jpeg, int width, int height) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    auto m = static_cast<unsigned char>(jpeg[i + 1]);
    if (static_cast<unsigned char>(jpeg[i]) == 0xFF && m >= 0xC0 && m <= 0xCF && m != 0xC4 &&
        m != 0xC8 && m != 0xCC) {
      jpeg[i + 5] = char(height >> 8);
      jpeg[i + 6] = char(height & 0xFF);
      jpeg[i + 7] = char(width >> 8);
      jpeg[i + 8] = char(width & 0xFF);
      return;
    }
  }
  throw std::runtime_error("no SOF marker");
}

namespace {
void append_to_string(png_structp png, png_bytep data, size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}
void flush_nothing(png_structp) {}

int png_channels(int color_type) {
  switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
    default: return 1;  // palette: one index per pixel
  }
}

// One row of samples as libpng wants them for `spec` (packed for depths < 8).
std::vector<uint8_t> png_row(const PngSpec& spec, int y) {
  const int ch = png_channels(spec.color_type);
  const bool has_alpha = spec.color_type & PNG_COLOR_MASK_ALPHA;
  std::vector<uint8_t> row;
  if (spec.color_type == PNG_COLOR_TYPE_PALETTE || spec.bit_depth < 8) {
    const int entries = spec.color_type == PNG_COLOR_TYPE_PALETTE
                            ? static_cast<int>(spec.palette.size() / 3) : (1 << spec.bit_depth);
    row.assign((size_t(spec.width) * spec.bit_depth + 7) / 8, 0);
    for (int x = 0; x < spec.width; ++x) {
      int v = (x + y) % entries;
      size_t bit = size_t(x) * spec.bit_depth;
      row[bit / 8] |= static_cast<uint8_t>(v << (8 - spec.bit_depth - bit % 8));
    }
    return row;
  }
  for (int x = 0; x < spec.width; ++x)
    for (int k = 0; k < ch; ++k) {
      bool alpha = has_alpha && k == ch - 1;
      uint8_t v = alpha ? (spec.opaque_alpha ? 255 : pattern(x, y, 3)) : pattern(x, y, k);
      row.push_back(v);
      if (spec.bit_depth == 16) row.push_back(v);  // v * 257, big-endian
    }
  return row;
}
}  // namespace

std::string encode_png(const PngSpec& spec) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, append_to_string, flush_nothing);
  png_set_IHDR(png, info, spec.width, spec.height, spec.bit_depth, spec.color_type,
               spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) {
    std::vector<png_color> pal;
    for (size_t i = 0; i + 2 < spec.palette.size(); i += 3)
      pal.push_back({spec.palette[i], spec.palette[i + 1], spec.palette[i + 2]});
    png_set_PLTE(png, info, pal.data(), static_cast<int>(pal.size()));
  }
  if (!spec.trns.empty())
    png_set_tRNS(png, info, spec.trns.data(), static_cast<int>(spec.trns.size()), nullptr);
  if (spec.phys_ppm)
    png_set_pHYs(png, info, spec.phys_ppm, spec.phys_ppm, PNG_RESOLUTION_METER);
  png_write_info(png, info);
  std::vector<std::vector<uint8_t>> rows;
  std::vector<png_bytep> ptrs;
  for (int y = 0; y < spec.height; ++y) rows.push_back(png_row(spec, y));
  for (auto& r : rows) ptrs.push_back(r.data());
  png_write_image(png, ptrs.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

namespace {
uint32_t get32(const std::string& s, size_t i) {
  auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}
void put32_be(std::string& s, size_t i, uint32_t v) {
  for (int k = 0; k < 4; ++k) s[i + k] = char((v >> (24 - 8 * k)) & 0xFF);
}
}  // namespace

size_t find_png_chunk(const std::string& png, const char* type) {
  size_t at = 8;
  while (at + 12 <= png.size()) {
    uint32_t len = get32(png, at);
    if (png.compare(at + 4, 4, type) == 0) return at;
    at += 12 + size_t(len);
  }
  return std::string::npos;
}


void fix_png_crc(std::string& png, size_t at) {
  uint32_t len = get32(png, at);
  uint32_t crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(png.data() + at + 4), 4 + len));
  put32_be(png, at + 8 + len, crc);
}

void patch_png_size(std::string& png, uint32_t width, uint32_t height) {
  size_t at = find_png_chunk(png, "IHDR");
  if (at == std::string::npos) throw std::runtime_error("no IHDR");
  put32_be(png, at + 8, width);
  put32_be(png, at + 12, height);
  fix_png_crc(png, at);
}

}  // namespace trang::image::test
