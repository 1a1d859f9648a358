// Image reading and validation. libharu's loaders trust their input (notes/libharu-glyph-text.md:
// abort() on a bad PNG, truncated JPEGs embedded as-is), so trang checks every image itself,
// with libjpeg-turbo and libpng (png.cpp) set up to report instead of exiting, and hands on only
// data that decoded completely or whose structure proves it whole (jpeg_structure.cpp).
//
// Both C libraries signal fatal errors by longjmp. Each call into them happens inside a small
// "guarded" function that does the setjmp and holds no C++ objects with destructors, so the
// jump never skips one; the state they touch lives in a context struct owned (RAII) by the
// caller. Callbacks write messages into fixed char buffers: nothing may allocate (and so throw)
// while a C frame is on the stack.
#include "image/image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

// jpeglib.h needs FILE and size_t declared first (<cstdio>), and must precede jerror.h, whose
// message list depends on jconfig.h's feature macros.
#include <jpeglib.h>
#include <jerror.h>

#include "image/internal.h"
#include "image/jpeg_internal.h"

namespace trang::image {

bool detail::too_many_pixels(uint64_t width, uint64_t height, const Limits& limits,
                             const Reporter& r) {
  if (width * height <= limits.max_pixels) return false;
  r.fail("image is too large (" + std::to_string(width) + "x" + std::to_string(height) +
             " pixels, limit " + std::to_string(limits.max_pixels) + " pixels)",
         "scale the image down before placing it");
  return true;
}

namespace {

using detail::copy_message;
using detail::decode_png;
using detail::Reporter;
using detail::too_many_pixels;

// ---------------------------------------------------------------------------------------------
// Sizes in messages

std::string human_size(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  if (bytes < (1u << 20)) return format_number(static_cast<double>(bytes) / 1024.0, 1) + " KB";
  return format_number(static_cast<double>(bytes) / (1024.0 * 1024.0), 1) + " MB";
}

std::string too_large_file(uint64_t size, const Limits& limits) {
  return "file is too large (" + human_size(size) + ", limit " + human_size(limits.max_file_bytes) +
         ")";
}

// ---------------------------------------------------------------------------------------------
// Format recognition, by content only: a PNG named photo.jpg is still a PNG.

enum class Format { Jpeg, Png, Unknown };

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

Format sniff(std::string_view bytes) {
  if (starts_with(bytes, "\xFF\xD8\xFF")) return Format::Jpeg;
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n")) return Format::Png;
  return Format::Unknown;
}

// Names formats people commonly try, so the message says what the file is, not just what it
// is not. Empty when unrecognised.
std::string other_format_name(std::string_view b) {
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return "GIF";
  if (starts_with(b, std::string_view("II*\0", 4)) || starts_with(b, std::string_view("MM\0*", 4)))
    return "TIFF";
  if (starts_with(b, "RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return "WebP";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    std::string_view brand = b.substr(8, 4);
    if (brand == "avif" || brand == "avis") return "AVIF";
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1") return "HEIF";
  }
  if (starts_with(b, "BM")) return "BMP";
  if (starts_with(b, "%PDF")) return "PDF";
  if (starts_with(b, "<svg") || starts_with(b, "<?xml")) return "SVG/XML";
  return {};
}

// ---------------------------------------------------------------------------------------------
// JPEG

using detail::exif_orientation;
using detail::jpeg_components;
using detail::kMaxJpegScans;

// What libjpeg needs while it runs. Owned by the caller; destroyed after any longjmp.
struct JpegContext {
  jpeg_decompress_struct cinfo{};
  jpeg_error_mgr err{};
  jpeg_progress_mgr progress{};
  std::jmp_buf jump{};
  bool created = false;
  char fatal[JMSG_LENGTH_MAX + 64] = "";  // why decoding stopped
  char warning[JMSG_LENGTH_MAX] = "";     // first recoverable problem

  JpegContext() = default;
  JpegContext(const JpegContext&) = delete;
  JpegContext& operator=(const JpegContext&) = delete;
  ~JpegContext() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
};

JpegContext& jpeg_context(j_common_ptr c) { return *static_cast<JpegContext*>(c->client_data); }

// Turns libjpeg's message for `code` into ours; truncation gets one plain wording whichever
// way libjpeg noticed it.
void describe_jpeg_problem(j_common_ptr c, int code, char (&out)[JMSG_LENGTH_MAX + 64]) {
  char text[JMSG_LENGTH_MAX];
  c->err->format_message(c, text);
  switch (code) {
    case JERR_INPUT_EOF:
    case JWRN_JPEG_EOF: copy_message(out, "truncated JPEG data"); return;
    case JERR_EMPTY_IMAGE: copy_message(out, "the image has zero width or height"); return;
    case JERR_OUT_OF_MEMORY: copy_message(out, "not enough memory to decode the JPEG"); return;
    default: break;
  }
  constexpr std::string_view kCorrupt = "Corrupt JPEG data: ";
  const char* detail = std::strncmp(text, kCorrupt.data(), kCorrupt.size()) == 0
                           ? text + kCorrupt.size() : text;
  std::snprintf(out, sizeof out, "invalid JPEG data (%s)", detail);
}

[[noreturn]] void jpeg_on_error(j_common_ptr c) {
  JpegContext& ctx = jpeg_context(c);
  describe_jpeg_problem(c, c->err->msg_code, ctx.fatal);
  std::longjmp(ctx.jump, 1);
}

// libjpeg reports damage it can paper over as warnings and goes on, filling in grey: a truncated
// file still "decodes". Damage to the entropy-coded data would be printed as a broken picture,
// so it stops decoding like an error; harmless oddities (stray bytes between markers, an odd
// JFIF version) are kept as a warning.
bool jpeg_warning_is_fatal(int code) {
  switch (code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL: return true;
    default: return false;
  }
}

void jpeg_on_message(j_common_ptr c, int level) {
  if (level >= 0) return;  // trace output, not a problem
  JpegContext& ctx = jpeg_context(c);
  int code = c->err->msg_code;
  if (jpeg_warning_is_fatal(code)) {
    describe_jpeg_problem(c, code, ctx.fatal);
    std::longjmp(ctx.jump, 1);
  }
  if (ctx.warning[0] == '\0') c->err->format_message(c, ctx.warning);
}

void jpeg_on_progress(j_common_ptr c) {
  if (!c->is_decompressor) return;
  auto* d = reinterpret_cast<j_decompress_ptr>(c);
  if (d->input_scan_number > kMaxJpegScans) {
    JpegContext& ctx = jpeg_context(c);
    std::snprintf(ctx.fatal, sizeof ctx.fatal, "invalid JPEG data (more than %d scans)",
                  kMaxJpegScans);
    std::longjmp(ctx.jump, 1);
  }
}

// Guarded: sets up the decoder and reads the markers up to the first scan.
bool jpeg_guarded_read_header(JpegContext& ctx, const uint8_t* data, size_t size) {
  if (setjmp(ctx.jump)) return false;
  ctx.cinfo.err = jpeg_std_error(&ctx.err);
  ctx.err.error_exit = jpeg_on_error;
  ctx.err.emit_message = jpeg_on_message;
  ctx.cinfo.client_data = &ctx;  // jpeg_create_decompress keeps it
  jpeg_create_decompress(&ctx.cinfo);
  ctx.created = true;
  ctx.progress.progress_monitor = jpeg_on_progress;
  ctx.cinfo.progress = &ctx.progress;
  jpeg_mem_src(&ctx.cinfo, data, static_cast<unsigned long>(size));
  jpeg_save_markers(&ctx.cinfo, JPEG_APP0 + 1, 0xFFFF);  // EXIF, for the orientation
  jpeg_read_header(&ctx.cinfo, TRUE);
  return true;
}

// Guarded: decodes every scanline, and then the rest of the file up to EOI, only to prove the
// data is complete and sound; the pixels are thrown away (the PDF embeds the original bytes).
// Scaling to 1/8 skips almost all of the IDCT but still entropy-decodes every coefficient,
// which is where truncation and corruption show.
bool jpeg_guarded_decode_all(JpegContext& ctx) {
  if (setjmp(ctx.jump)) return false;
  j_decompress_ptr d = &ctx.cinfo;
  d->scale_num = 1;
  d->scale_denom = 8;
  d->dct_method = JDCT_IFAST;
  d->do_fancy_upsampling = FALSE;
  jpeg_start_decompress(d);
  // libjpeg's own pool: released by jpeg_destroy_decompress, so nothing leaks on a longjmp.
  JSAMPARRAY row = (*d->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(d), JPOOL_IMAGE,
                                           d->output_width * d->output_components, 1);
  while (d->output_scanline < d->output_height) jpeg_read_scanlines(d, row, 1);
  jpeg_finish_decompress(d);
  return true;
}

}  // namespace

// Components for the JPEG colour spaces PDF's DCTDecode can show; 0 for the others.
int detail::jpeg_components(const jpeg_decompress_struct& c) {
  switch (c.jpeg_color_space) {
    case JCS_GRAYSCALE: return c.num_components == 1 ? 1 : 0;
    case JCS_RGB:
    case JCS_YCbCr: return c.num_components == 3 ? 3 : 0;
    case JCS_CMYK:
    case JCS_YCCK: return c.num_components == 4 ? 4 : 0;
    default: return 0;
  }
}

namespace {

uint32_t read_u16(const uint8_t* p, bool big_endian) {
  return big_endian ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0];
}
uint32_t read_u32(const uint8_t* p, bool big_endian) {
  return big_endian ? (uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]
                    : (uint32_t(p[3]) << 24) | (p[2] << 16) | (p[1] << 8) | p[0];
}

}  // namespace

// The Orientation tag (274) of IFD0 in an APP1 "Exif" segment (EXIF 2.32 §4.6.4, TIFF 6.0
// §2), or 1 when absent or malformed. Every offset is bounds-checked: the segment is untrusted.
void detail::hash_content(Image& img) {
  std::string_view bytes(reinterpret_cast<const char*>(img.data.data()), img.data.size());
  auto h = hash128(bytes);
  img.content_hash[0] = h[0];
  img.content_hash[1] = h[1];
}

int detail::exif_orientation(const uint8_t* seg, size_t size) {
  constexpr size_t kHeader = 6;  // "Exif\0\0"
  if (size < kHeader + 8 || std::memcmp(seg, "Exif\0\0", kHeader) != 0) return 1;
  const uint8_t* tiff = seg + kHeader;
  size_t n = size - kHeader;
  bool big = tiff[0] == 'M' && tiff[1] == 'M';
  if (!big && !(tiff[0] == 'I' && tiff[1] == 'I')) return 1;
  if (read_u16(tiff + 2, big) != 42) return 1;
  uint32_t ifd = read_u32(tiff + 4, big);
  if (ifd > n || n - ifd < 2) return 1;
  uint32_t count = read_u16(tiff + ifd, big);
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = ifd + 2 + size_t(i) * 12;
    if (at + 12 > n) return 1;
    const uint8_t* e = tiff + at;
    constexpr uint32_t kOrientation = 274, kShort = 3;
    if (read_u16(e, big) != kOrientation) continue;
    if (read_u16(e + 2, big) != kShort || read_u32(e + 4, big) != 1) return 1;
    uint32_t v = read_u16(e + 8, big);
    return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
  }
  return 1;
}

namespace {

// An image file's content hash (Image::content_hash, core's hash128).
using ContentHash = std::array<uint64_t, 2>;

int jpeg_exif_orientation(const jpeg_decompress_struct& c) {
  for (jpeg_saved_marker_ptr m = c.marker_list; m; m = m->next)
    if (m->marker == JPEG_APP0 + 1) {
      int o = exif_orientation(m->data, m->data_length);
      if (o != 1) return o;
    }
  return 1;
}

// JFIF density, when it is a real resolution (unit 0 only gives the aspect ratio).
void jpeg_density(const jpeg_decompress_struct& c, Image& img) {
  if (!c.saw_JFIF_marker || c.X_density == 0 || c.Y_density == 0) return;
  double per_inch = c.density_unit == 1 ? 1.0 : c.density_unit == 2 ? 2.54 : 0.0;
  img.dpi_x = c.X_density * per_inch;
  img.dpi_y = c.Y_density * per_inch;
}

// Checks the header before any scan is decoded: size, colour layout, what DCTDecode can carry.
bool jpeg_header_acceptable(const jpeg_decompress_struct& c, const Limits& limits,
                            const Reporter& r) {
  if (c.image_width == 0 || c.image_height == 0) {
    r.fail("the image has zero width or height");
    return false;
  }
  if (too_many_pixels(c.image_width, c.image_height, limits, r)) return false;
  if (jpeg_components(c) == 0) {
    r.fail("unsupported JPEG colour layout (" + std::to_string(c.num_components) +
           " components)", "save it as a grey, RGB or CMYK JPEG");
    return false;
  }
  if (c.arith_code) {
    // libjpeg-turbo decodes it, but PDF specifies DCTDecode for Huffman-coded (baseline and
    // progressive) JPEG, and many viewers and RIPs cannot show arithmetic coding.
    r.fail("arithmetic-coded JPEG is not supported in PDF",
           "save it again as a baseline or progressive JPEG");
    return false;
  }
  return true;
}

// A verdict on a JPEG's data, remembered by content (check_image_data).
struct JpegVerdict {
  bool ok = false;
  std::string fatal;    // why not, when !ok
  std::string warning;  // a recoverable oddity, when ok
};

// Judges a JPEG's data by its structure (jpeg_structure_sound), and decodes all of it
// (jpeg_guarded_decode_all) only when the structure leaves a doubt, unless a file with the same
// bytes was judged before in this process. Bounded: the table is emptied at kMaxVerdicts.
JpegVerdict jpeg_data_verdict(const Image& img) {
  constexpr size_t kMaxVerdicts = 4096;
  static std::mutex mutex;
  static std::unordered_map<detail::ContentKey, JpegVerdict, detail::ContentKey::Hash> verdicts;
  detail::ContentKey key(img);
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = verdicts.find(key);
    if (it != verdicts.end()) return it->second;
  }
  JpegVerdict v;
  if (detail::jpeg_structure_sound(img.data.data(), img.data.size())) {
    v.ok = true;
  } else {
    auto ctx = std::make_unique<JpegContext>();
    bool header = jpeg_guarded_read_header(*ctx, img.data.data(), img.data.size());
    ctx->warning[0] = '\0';  // the header's own warning was given when the header was read
    v.ok = header && jpeg_guarded_decode_all(*ctx);
    if (!v.ok) v.fatal = ctx->fatal;
    else v.warning = ctx->warning;
  }
  std::lock_guard<std::mutex> lock(mutex);
  if (verdicts.size() >= kMaxVerdicts) verdicts.clear();
  verdicts.emplace(key, v);
  return v;
}

bool check_jpeg_data(const Image& img, const Reporter& r) {
  JpegVerdict v = jpeg_data_verdict(img);
  if (!v.ok) {
    r.fail(v.fatal);
    return false;
  }
  if (!v.warning.empty()) r.warn("damaged JPEG data (" + v.warning + ")");
  return true;
}

// `file` is the whole file; a JPEG is embedded as it is, so the Image takes it over.
// `known`: the file's content hash when it is already known (FileHashes), else null.
std::optional<Image> decode_jpeg(Bytes& file, const Limits& limits,
                                 const Reporter& r, Check check, const ContentHash* known) {
  std::string_view bytes(reinterpret_cast<const char*>(file.data()), file.size());
  auto ctx = std::make_unique<JpegContext>();  // large (jmp_buf, libjpeg structs): off the stack
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  if (!jpeg_guarded_read_header(*ctx, data, bytes.size())) return r.fail(ctx->fatal);
  const jpeg_decompress_struct& c = ctx->cinfo;
  if (!jpeg_header_acceptable(c, limits, r)) return std::nullopt;

  Image img;
  img.kind = Image::Kind::Jpeg;
  img.width = static_cast<int>(c.image_width);
  img.height = static_cast<int>(c.image_height);
  img.components = jpeg_components(c);
  // Photoshop writes CMYK/YCCK inverted and says so with its APP14 marker (libjpeg's
  // jdapimin.c makes the same assumption).
  img.adobe_inverted = img.components == 4 && c.saw_Adobe_marker;
  img.jpeg_rgb_untransformed = c.jpeg_color_space == JCS_RGB && !c.saw_Adobe_marker;
  img.exif_orientation = jpeg_exif_orientation(c);
  jpeg_density(c, img);

  // A damaged header's warning (stray bytes between markers) shows now; the data's, when it is
  // decoded.
  if (ctx->warning[0] != '\0') r.warn(std::string("damaged JPEG data (") + ctx->warning + ")");
  ctx.reset();
  img.data = std::move(file);
  if (known) {
    img.content_hash[0] = (*known)[0];
    img.content_hash[1] = (*known)[1];
  } else {
    detail::hash_content(img);
  }
  if (check == Check::HeaderOnly) {
    img.data_checked = false;
    return img;
  }
  if (!check_jpeg_data(img, r)) return std::nullopt;
  return img;
}

// ---------------------------------------------------------------------------------------------
// Files


// Content hashes of JPEG files already read by this process, by identity: a batch reads the same
// photos (a folder's, a publication's masthead) for article after article, and hashing 700 KB of
// photos was a twentieth of an article's work. The hash is what the data check's verdicts and
// the PDF's /ID go by; it is the same whether it was computed or remembered. Thread-safe (images
// load on several threads). Bounded: past the limit, new files are simply hashed.
class FileHashes {
 public:
  std::optional<ContentHash> find(const std::optional<FileIdentity>& id) {
    if (!id) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = known_.find(*id);
    if (it == known_.end()) return std::nullopt;
    return it->second;
  }
  void add(const std::optional<FileIdentity>& id, ContentHash h) {
    if (!id) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (known_.size() < kMaxFiles) known_.emplace(*id, h);
  }

 private:
  static constexpr size_t kMaxFiles = 100000;
  std::mutex mutex_;
  std::map<FileIdentity, ContentHash> known_;
};
FileHashes& file_hashes() {
  static FileHashes hashes;
  return hashes;
}

// Reads the whole file after checking what it is and how big, so a directory, a FIFO or a
// 10 GB file named in an article fails with a message instead of hanging or exhausting memory.
bool read_image_file(const std::string& path, const Limits& limits, Bytes& out,
                     const Reporter& r, std::optional<FileIdentity>& identity) {
  auto refuse = [&r](const std::string& why) {
    r.fail(why);
    return false;
  };
  if (path.empty()) return refuse("no file name given");
  // Opened first and then asked what it is, so the answer is about the file that is read.
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return refuse(errno == ENOENT ? "file not found" : std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return refuse(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return refuse("it is a directory, not an image file");
  if (!S_ISREG(st.st_mode)) return refuse("not a regular file");
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > limits.max_file_bytes) return refuse(too_large_file(size, limits));
  out.resize(size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, out.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got != size) return refuse("read error");
  // What was read, as the file was after reading it (a file rewritten meanwhile has new times).
  identity = file_identity(fd);
  if (identity && identity->size != size) identity.reset();
  return true;
}

std::optional<Image> decode_checked(Bytes& file, const Limits& limits,
                                    const Reporter& r, Check check, const ContentHash* known) {
  std::string_view bytes(reinterpret_cast<const char*>(file.data()), file.size());
  if (bytes.empty()) return r.fail("the file is empty");
  if (bytes.size() > limits.max_file_bytes) return r.fail(too_large_file(bytes.size(), limits));
  switch (sniff(bytes)) {
    case Format::Jpeg: return decode_jpeg(file, limits, r, check, known);
    case Format::Png: return decode_png(bytes, limits, r);
    case Format::Unknown: break;
  }
  std::string other = other_format_name(bytes);
  if (!other.empty())
    return r.fail(other + " images are not supported", "convert it to PNG or JPEG");
  return r.fail("not a JPEG or PNG file", "trang reads JPEG and PNG images");
}

// decode_image's body, for a file already in memory that it may take over.
std::optional<Image> decode_file(Bytes& file, const std::string& name,
                                 const SourcePos& ref, Diagnostics& diags, const Limits& limits,
                                 Check check, const ContentHash* known = nullptr) {
  Reporter r(name, ref, diags);
  try {
    std::optional<Image> img = decode_checked(file, limits, r, check, known);
    if (img) img->path = name;
    return img;
  } catch (const std::bad_alloc&) {
    // One oversized image must not end a batch: it is this image's failure, not the run's.
    return r.fail("not enough memory to decode it");
  } catch (const std::length_error&) {
    return r.fail("not enough memory to decode it");
  }
}

}  // namespace

std::optional<Image> decode_image(const std::string& bytes, const std::string& name,
                                  const SourcePos& ref, Diagnostics& diags, const Limits& limits,
                                  Check check) {
  Bytes file;
  try {
    file.assign(bytes.begin(), bytes.end());
  } catch (const std::bad_alloc&) {
    Reporter(name, ref, diags).fail("not enough memory to decode it");
    return std::nullopt;
  }
  return decode_file(file, name, ref, diags, limits, check);
}

std::optional<Image> load_image(const std::string& path, const SourcePos& ref, Diagnostics& diags,
                                const Limits& limits, Check check) {
  Reporter r(path, ref, diags);
  Bytes file;
  std::optional<FileIdentity> identity;
  try {
    if (!read_image_file(path, limits, file, r, identity)) return std::nullopt;
  } catch (const std::bad_alloc&) {
    return r.fail("not enough memory to read it");
  }
  std::optional<ContentHash> known = file_hashes().find(identity);
  std::optional<Image> img =
      decode_file(file, path, ref, diags, limits, check, known ? &*known : nullptr);
  if (img && img->kind == Image::Kind::Jpeg && !known)
    file_hashes().add(identity, {img->content_hash[0], img->content_hash[1]});
  return img;
}

bool check_image_data(Image& img, const SourcePos& ref, Diagnostics& diags) {
  if (img.data_checked) return true;
  Reporter r(img.path, ref, diags);
  try {
    img.data_checked = check_jpeg_data(img, r);
  } catch (const std::bad_alloc&) {
    r.fail("not enough memory to decode it");
  }
  return img.data_checked;
}

}  // namespace trang::image
