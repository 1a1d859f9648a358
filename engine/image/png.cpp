// PNG reading with libpng, set up to report instead of abort()ing. The same discipline as the
// JPEG reader (image.cpp): every call into libpng sits in a small guarded function that does
// the setjmp and holds no C++ object with a destructor; the state lives in a context struct.
#include <algorithm>
#include <csetjmp>
#include <cstring>
#include <memory>
#include <vector>

#include <png.h>

#include "image/internal.h"

namespace trang::image {
namespace {

using detail::copy_message;
using detail::Reporter;
using detail::too_many_pixels;

// What libpng needs while it runs. Owned by the caller; destroyed after any longjmp.
struct PngContext {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;  // the whole file, read through png_read_from_memory
  size_t size = 0;
  size_t pos = 0;
  char error[256] = "";
  char warning[256] = "";  // the first one: libpng explains a bad IHDR in warnings

  PngContext() = default;
  PngContext(const PngContext&) = delete;
  PngContext& operator=(const PngContext&) = delete;
  ~PngContext() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

// libpng's default handler prints to stderr and, without a jmp_buf, abort()s. Ours records the
// message and jumps back to the guarded call.
[[noreturn]] void png_on_error(png_structp png, png_const_charp message) {
  auto* ctx = static_cast<PngContext*>(png_get_error_ptr(png));
  if (ctx->error[0] == '\0') copy_message(ctx->error, message);
  png_longjmp(png, 1);
}

// libpng warns about ancillary chunks it drops (bad CRC in a text chunk, a dubious iCCP
// profile); the pixels are unaffected, so warnings are not reported on their own. The first is
// kept because png_check_IHDR says what is wrong with a header only in warnings before its
// error ("Image width is zero in IHDR", then "Invalid IHDR data").
void png_on_warning(png_structp png, png_const_charp message) {
  auto* ctx = static_cast<PngContext*>(png_get_error_ptr(png));
  if (ctx->warning[0] == '\0') copy_message(ctx->warning, message);
}

void png_read_from_memory(png_structp png, png_bytep out, size_t length) {
  auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
  if (length > ctx->size - ctx->pos) png_error(png, "truncated PNG data");
  std::memcpy(out, ctx->data + ctx->pos, length);
  ctx->pos += length;
}

// Guarded: creates the reader and reads every chunk before the image data (IHDR, PLTE, tRNS,
// pHYs...). The per-dimension limit is libpng's own check at IHDR; the pixel product is
// checked by the caller right after, still before any IDAT is inflated.
bool png_guarded_read_info(PngContext& ctx, const Limits& limits) {
  ctx.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, png_on_error, png_on_warning);
  if (!ctx.png) {
    copy_message(ctx.error, "not enough memory to decode the PNG");
    return false;
  }
  if (setjmp(png_jmpbuf(ctx.png))) return false;
  ctx.info = png_create_info_struct(ctx.png);
  if (!ctx.info) png_error(ctx.png, "not enough memory to decode the PNG");
  png_set_read_fn(ctx.png, &ctx, png_read_from_memory);
  uint64_t max_side = std::min<uint64_t>(limits.max_pixels, PNG_UINT_31_MAX);
  png_set_user_limits(ctx.png, static_cast<png_uint_32>(max_side),
                      static_cast<png_uint_32>(max_side));
  png_set_chunk_malloc_max(ctx.png, 16u << 20);  // one ancillary chunk (iCCP, zTXt...) at most
  png_set_chunk_cache_max(ctx.png, 1000);        // sPLT/tEXt/unknown chunks kept at most
  png_read_info(ctx.png, ctx.info);
  return true;
}

// Guarded: asks libpng for 8-bit gray, gray+alpha, RGB or RGBA, whatever the file holds, and
// returns the channel count (0 when libpng failed).
int png_guarded_set_transforms(PngContext& ctx) {
  if (setjmp(png_jmpbuf(ctx.png))) return 0;
  png_structp png = ctx.png;
  png_set_expand(png);    // palette -> RGB, gray 1/2/4 -> 8 bits, tRNS -> alpha channel
  png_set_scale_16(png);  // 16 -> 8 bits, rounded (png_set_strip_16 would truncate)
  png_set_interlace_handling(png);
  png_read_update_info(png, ctx.info);
  return png_get_channels(png, ctx.info);
}

// Guarded: inflates and unfilters every row, then reads the chunks after the image data up to
// IEND (a file cut after its last IDAT is still a truncated file).
bool png_guarded_read_rows(PngContext& ctx, png_bytepp rows) {
  if (setjmp(png_jmpbuf(ctx.png))) return false;
  png_read_image(ctx.png, rows);
  png_read_end(ctx.png, nullptr);
  return true;
}

// Words libpng's terse messages for the user; keeps libpng's own text for the rest.
std::string describe_png_problem(const PngContext& ctx) {
  std::string_view m = ctx.error;
  if (m == "truncated PNG data" || m == "Not enough image data") return "truncated PNG data";
  std::string_view why = ctx.warning;
  if (m == "Invalid IHDR data" && why.find("exceeds user limit") != std::string_view::npos)
    return "image is too large (its width or height alone is over the pixel limit)";
  if (m == "Invalid IHDR data" && !why.empty())
    return "invalid PNG header (" + std::string(why) + ")";
  if (m.find("CRC error") != std::string_view::npos)
    return "corrupt PNG data (" + std::string(m) + ")";
  if (m.empty()) return "invalid PNG data";
  return "invalid PNG data (" + std::string(m) + ")";
}

// pHYs in pixels per metre, when its unit is the metre (unit 0 only gives the aspect ratio).
void png_density(const PngContext& ctx, Image& img) {
  png_uint_32 x = 0, y = 0;
  int unit = 0;
  if (!png_get_pHYs(ctx.png, ctx.info, &x, &y, &unit) || unit != PNG_RESOLUTION_METER) return;
  if (x == 0 || y == 0) return;
  img.dpi_x = x * 0.0254;
  img.dpi_y = y * 0.0254;
}

// Splits interleaved colour+alpha in place: colour is compacted to the front of `img.data`
// (writes never overtake reads, colour being narrower than colour+alpha), alpha goes to its
// own plane. An alpha plane that is opaque everywhere is dropped: it would only cost an SMask.
void split_alpha(Image& img, int channels) {
  const int color = channels - 1;
  const size_t pixels = size_t(img.width) * size_t(img.height);
  img.alpha.resize(pixels);
  uint8_t* d = img.data.data();
  bool opaque = true;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* src = d + i * channels;
    uint8_t a = src[color];
    for (int k = 0; k < color; ++k) d[i * color + k] = src[k];
    img.alpha[i] = a;
    opaque = opaque && a == 255;
  }
  img.data.resize(pixels * color);
  img.data.shrink_to_fit();
  img.components = color;
  if (opaque) img.alpha = {};
}

// Whether every chunk's declared length fits in the file (PNG spec §5.3). libpng allocates a
// chunk's buffer from its declared length before reading it: a 193-byte file declaring a
// 1.9 GB chunk made it allocate 1.9 GB (found by tests/fuzz/fuzz_image). A chunk longer than
// the rest of the file can never be read, so it is refused here first.
bool png_chunks_fit(std::string_view b) {
  auto u32 = [&](size_t at) {
    return (uint32_t{static_cast<uint8_t>(b[at])} << 24) |
           (uint32_t{static_cast<uint8_t>(b[at + 1])} << 16) |
           (uint32_t{static_cast<uint8_t>(b[at + 2])} << 8) | uint32_t{static_cast<uint8_t>(b[at + 3])};
  };
  size_t pos = 8;
  while (pos + 8 <= b.size()) {
    uint64_t len = u32(pos);
    if (len > 0x7fffffffu || pos + 12 + len > b.size()) return false;
    bool end = b.compare(pos + 4, 4, "IEND") == 0;
    pos += 12 + static_cast<size_t>(len);
    if (end) break;
  }
  return true;
}

}  // namespace

std::optional<Image> detail::decode_png(std::string_view bytes, const Limits& limits,
                                        const Reporter& r) {
  if (!png_chunks_fit(bytes))
    return r.fail("truncated PNG data: a chunk is longer than the rest of the file");
  auto ctx = std::make_unique<PngContext>();
  ctx->data = reinterpret_cast<const uint8_t*>(bytes.data());
  ctx->size = bytes.size();
  if (!png_guarded_read_info(*ctx, limits)) return r.fail(describe_png_problem(*ctx));

  Image img;
  img.kind = Image::Kind::Raw;
  img.width = static_cast<int>(png_get_image_width(ctx->png, ctx->info));
  img.height = static_cast<int>(png_get_image_height(ctx->png, ctx->info));
  if (too_many_pixels(img.width, img.height, limits, r)) return std::nullopt;
  png_density(*ctx, img);

  int channels = png_guarded_set_transforms(*ctx);
  if (channels < 1 || channels > 4) return r.fail(describe_png_problem(*ctx));
  const size_t row_bytes = png_get_rowbytes(ctx->png, ctx->info);
  if (row_bytes != size_t(img.width) * size_t(channels))
    return r.fail("invalid PNG data (unexpected row layout)");

  img.data.resize(row_bytes * size_t(img.height));
  std::vector<png_bytep> rows(size_t(img.height));
  for (size_t y = 0; y < rows.size(); ++y) rows[y] = img.data.data() + y * row_bytes;
  if (!png_guarded_read_rows(*ctx, rows.data())) return r.fail(describe_png_problem(*ctx));

  img.components = channels;
  if (channels == 2 || channels == 4) split_alpha(img, channels);
  return img;
}

}  // namespace trang::image
