// Lossless JPEG re-coding: the DCT coefficients and quantisation tables are read and written
// back unchanged, only the entropy coding changes (progressive scans, Huffman tables built for
// this image), as `jpegtran -optimize -progressive -copy none` does (libjpeg-turbo's
// transupp/jpegtran use the same calls: jpeg_read_coefficients, jpeg_copy_critical_parameters,
// jpeg_write_coefficients).
//
// libjpeg is driven as in image.cpp: every call happens inside a small "guarded" function that
// does the setjmp and holds no C++ objects with destructors; the state lives in a context struct
// owned by the caller; the callbacks never allocate. Everything a call needs is allocated before
// the guarded function runs, so nothing can throw while a C frame is on the stack.
//
// Which markers survive, and why (the picture and its colours must mean exactly what they meant):
//   JFIF APP0   kept (written anew by libjpeg from the parsed version and density, without any
//               thumbnail) when the original had one: it implies YCbCr for three components
//               and carries the resolution trang reads.
//   APP1 EXIF   kept byte for byte when its Orientation is not 1 (trang turns the placement by
//               it); dropped otherwise. Other APP1 (XMP) dropped.
//   APP2 ICC    every ICC_PROFILE chunk kept byte for byte, in order: it defines the colours.
//   APP14 Adobe kept byte for byte, never written anew: its transform flag decides YCbCr vs RGB
//               and YCCK vs CMYK, and its presence that CMYK is inverted, both for libjpeg and
//               for a PDF DCTDecode filter. libjpeg's own Adobe marker is suppressed, so a file
//               without one does not gain one (that would flip adobe_inverted for CMYK, and
//               jpeg_rgb_untransformed for RGB).
//   the rest    (COM, other APPn, restart markers) dropped: they do not affect the decoded
//               picture. Component ids are copied, so libjpeg's guess of RGB from 'R','G','B'
//               ids still holds.
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_map>

#include "image/image.h"

// jpeglib.h needs FILE and size_t declared first (<cstdio>).
#include <jpeglib.h>

#include "image/jpeg_internal.h"

namespace trang::image {
namespace {

// What libjpeg needs while it re-codes one file. Owned by the caller; destroyed after any
// longjmp. The decompressor owns the coefficient arrays, so it lives until the compressor is
// done with them.
struct TranscodeContext {
  jpeg_decompress_struct src{};
  jpeg_compress_struct dst{};
  jpeg_error_mgr src_err{};
  jpeg_error_mgr dst_err{};
  jpeg_progress_mgr progress{};
  jpeg_destination_mgr dest{};
  std::jmp_buf jump{};
  bool src_created = false;
  bool dst_created = false;
  // The output goes into a buffer allocated before libjpeg runs, as large as the input: filling
  // it means the result would not be smaller, and the re-coding stops there. (jpeg_mem_dest
  // would grow a malloc'd buffer whose address the caller only learns at the end, so a longjmp
  // mid-way would leak it.)
  uint8_t* out = nullptr;
  size_t capacity = 0;
  size_t written = 0;

  TranscodeContext() = default;
  TranscodeContext(const TranscodeContext&) = delete;
  TranscodeContext& operator=(const TranscodeContext&) = delete;
  ~TranscodeContext() {
    if (dst_created) jpeg_destroy_compress(&dst);
    if (src_created) jpeg_destroy_decompress(&src);
  }
};

TranscodeContext& transcode_context(j_common_ptr c) {
  return *static_cast<TranscodeContext*>(c->client_data);
}

[[noreturn]] void transcode_on_error(j_common_ptr c) { std::longjmp(transcode_context(c).jump, 1); }

// Every warning stops the re-coding, not only the ones image.cpp treats as damage: libjpeg
// papers over a problem by guessing (grey for missing data, YCbCr for an unknown Adobe
// transform), and a re-coded file would carry the guess as if it were the picture. The caller
// keeps the original, which is always correct.
void transcode_on_message(j_common_ptr c, int level) {
  if (level < 0) std::longjmp(transcode_context(c).jump, 1);
}

void transcode_on_progress(j_common_ptr c) {
  if (!c->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(c)->input_scan_number > detail::kMaxJpegScans)
    std::longjmp(transcode_context(c).jump, 1);
}

void dest_init(j_compress_ptr c) {
  TranscodeContext& ctx = transcode_context(reinterpret_cast<j_common_ptr>(c));
  ctx.dest.next_output_byte = ctx.out;
  ctx.dest.free_in_buffer = ctx.capacity;
}

// libjpeg calls this as soon as the buffer is full (after the byte that filled it), so a result
// that finishes here is at least as large as the input: not worth having.
boolean dest_full(j_compress_ptr c) {
  std::longjmp(transcode_context(reinterpret_cast<j_common_ptr>(c)).jump, 1);
}

void dest_term(j_compress_ptr c) {
  TranscodeContext& ctx = transcode_context(reinterpret_cast<j_common_ptr>(c));
  ctx.written = ctx.capacity - ctx.dest.free_in_buffer;
}

void install_error_manager(j_common_ptr c, jpeg_error_mgr& err) {
  c->err = jpeg_std_error(&err);
  err.error_exit = transcode_on_error;
  err.emit_message = transcode_on_message;
}

// Guarded: creates both codecs and reads the source's markers up to its first scan, saving the
// ones that may be kept.
bool transcode_guarded_read_header(TranscodeContext& ctx, const uint8_t* data, size_t size) {
  if (setjmp(ctx.jump)) return false;
  install_error_manager(reinterpret_cast<j_common_ptr>(&ctx.src), ctx.src_err);
  ctx.src.client_data = &ctx;
  jpeg_create_decompress(&ctx.src);
  ctx.src_created = true;
  install_error_manager(reinterpret_cast<j_common_ptr>(&ctx.dst), ctx.dst_err);
  ctx.dst.client_data = &ctx;
  jpeg_create_compress(&ctx.dst);
  ctx.dst_created = true;

  ctx.progress.progress_monitor = transcode_on_progress;
  ctx.src.progress = &ctx.progress;
  jpeg_mem_src(&ctx.src, data, static_cast<unsigned long>(size));
  jpeg_save_markers(&ctx.src, JPEG_APP0 + 1, 0xFFFF);   // EXIF
  jpeg_save_markers(&ctx.src, JPEG_APP0 + 2, 0xFFFF);   // ICC profile
  jpeg_save_markers(&ctx.src, JPEG_APP0 + 14, 0xFFFF);  // Adobe (libjpeg still parses it)
  jpeg_read_header(&ctx.src, TRUE);
  return true;
}

// Whether a saved source marker is written to the result (the policy at the top of the file).
bool keep_marker(const jpeg_marker_struct& m) {
  auto starts = [&m](const char* tag, size_t n) {
    return m.data_length >= n && std::memcmp(m.data, tag, n) == 0;
  };
  switch (m.marker) {
    case JPEG_APP0 + 1: return detail::exif_orientation(m.data, m.data_length) != 1;
    case JPEG_APP0 + 2: return starts("ICC_PROFILE\0", 12);
    case JPEG_APP0 + 14: return starts("Adobe", 5);
    default: return false;
  }
}

// Guarded: reads every coefficient (to EOI: a truncated file stops here), then writes them as a
// progressive JPEG with optimised Huffman tables into ctx.out.
bool transcode_guarded_recode(TranscodeContext& ctx) {
  if (setjmp(ctx.jump)) return false;
  jpeg_decompress_struct& src = ctx.src;
  jpeg_compress_struct& dst = ctx.dst;
  jvirt_barray_ptr* coefficients = jpeg_read_coefficients(&src);

  ctx.dest.init_destination = dest_init;
  ctx.dest.empty_output_buffer = dest_full;
  ctx.dest.term_destination = dest_term;
  dst.dest = &ctx.dest;
  // Colour space, component ids, sampling, quantisation tables, JFIF version and density.
  jpeg_copy_critical_parameters(&src, &dst);
  dst.write_JFIF_header = src.saw_JFIF_marker;
  dst.write_Adobe_marker = FALSE;  // the original's, if any, is copied verbatim below
  dst.optimize_coding = TRUE;
  jpeg_simple_progression(&dst);
  jpeg_write_coefficients(&dst, coefficients);  // SOI, and JFIF APP0 if asked
  for (jpeg_saved_marker_ptr m = src.marker_list; m; m = m->next)
    if (keep_marker(*m)) jpeg_write_marker(&dst, m->marker, m->data, m->data_length);
  jpeg_finish_compress(&dst);
  jpeg_finish_decompress(&src);
  return true;
}

// What this re-coder takes: 8-bit Huffman-coded grey, RGB/YCbCr or CMYK/YCCK (the layouts
// DCTDecode can carry), of a size whose coefficient arrays (2 bytes per sample per component)
// stay reasonable.
bool transcodable(const jpeg_decompress_struct& c) {
  if (c.arith_code || c.data_precision != 8) return false;  // PDF needs Huffman; 12-bit
  if (detail::jpeg_components(c) == 0) return false;
  if (c.image_width == 0 || c.image_height == 0) return false;
  constexpr uint64_t kMaxPixels = Limits{}.max_pixels;
  return uint64_t{c.image_width} * c.image_height <= kMaxPixels;
}

std::optional<Bytes> optimize(const Bytes& jpeg) {
  // Shorter than any JPEG with a scan; also keeps capacity non-zero.
  if (jpeg.size() < 128) return std::nullopt;
  auto ctx = std::make_unique<TranscodeContext>();  // large (jmp_buf, libjpeg structs)
  Bytes out(jpeg.size());
  ctx->out = out.data();
  ctx->capacity = out.size();
  if (!transcode_guarded_read_header(*ctx, jpeg.data(), jpeg.size())) return std::nullopt;
  if (!transcodable(ctx->src)) return std::nullopt;
  if (!transcode_guarded_recode(*ctx)) return std::nullopt;
  if (ctx->written == 0 || ctx->written >= jpeg.size()) return std::nullopt;
  out.resize(ctx->written);
  out.shrink_to_fit();
  return out;
}

}  // namespace

std::optional<Bytes> optimize_jpeg(const Bytes& jpeg) {
  try {
    return optimize(jpeg);
  } catch (const std::bad_alloc&) {
    return std::nullopt;  // the original is still there and still good
  }
}

bool optimize_image_data(Image& img) {
  if (img.kind != Image::Kind::Jpeg || !img.data_checked) return false;
  // nullptr: re-coding did not help (or failed): keep the original.
  using Result = std::shared_ptr<const Bytes>;
  constexpr size_t kMaxBytes = size_t(64) << 20;  // re-coded photos kept, per process
  static std::mutex mutex;
  static std::unordered_map<detail::ContentKey, Result, detail::ContentKey::Hash> done;
  static size_t held = 0;
  detail::ContentKey key(img);
  Result result;
  bool known = false;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = done.find(key);
    if (it != done.end()) {
      result = it->second;
      known = true;
    }
  }
  if (!known) {
    if (auto out = optimize_jpeg(img.data))
      result = std::make_shared<const Bytes>(std::move(*out));
    std::lock_guard<std::mutex> lock(mutex);
    size_t bytes = result ? result->size() : 0;
    if (held + bytes > kMaxBytes) {
      done.clear();
      held = 0;
    }
    done.emplace(key, result);
    held += bytes;
  }
  if (!result) return false;
  img.data = *result;
  detail::hash_content(img);
  return true;
}

}  // namespace trang::image
