// The PDF writer: libharu carries the document structure (pages, images, annotations, info,
// cross-reference table); fonts and page content are built here through its object API,
// because libharu's own text API takes encoded strings, not shaped glyphs.
//
// libharu's internal headers are included without HPDF_SHARED, so HPDF_Doc and HPDF_Page are
// the real 2.3.0 structs (notes/libharu-glyph-text.md, "What works").
#include "pdf/pdf.h"

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <ctime>
#include <memory>
#include <span>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "pdf/color.h"
#include "pdf/content.h"
#include "pdf/fonts.h"
#include "pdf/meta.h"

namespace trang::pdf {

namespace {

using layout::FillItem;
using layout::GlyphRun;
using layout::ImageItem;
using layout::LinkItem;
using layout::Page;
using layout::PageTree;
using layout::RuleItem;

struct DocFree {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocFree>;

const char* hpdf_error_name(HPDF_STATUS code) {
  switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_INVALID_OBJECT: return "invalid object (ownership or a null value)";
    case HPDF_INVALID_DOCUMENT: return "document is in an error state";
    case HPDF_INVALID_IMAGE: return "invalid image";
    case HPDF_INVALID_JPEG_DATA: return "not JPEG data";
    case HPDF_UNSUPPORTED_JPEG_FORMAT: return "unsupported JPEG format";
    case HPDF_INVALID_COLOR_SPACE: return "invalid colour space";
    case HPDF_PAGE_INVALID_SIZE: return "page size out of range (3..14400 pt)";
    case HPDF_PAGE_INVALID_GMODE: return "operator not allowed in the current graphics mode";
    case HPDF_NAME_OUT_OF_RANGE: return "name too long";
    case HPDF_STRING_OUT_OF_RANGE: return "string too long";
    case HPDF_BINARY_LENGTH_ERR: return "binary string too long";
    case HPDF_REAL_OUT_OF_RANGE: return "number out of range";
    case HPDF_INVALID_PARAMETER: return "invalid parameter";
    case HPDF_INVALID_URI: return "invalid URI";
    case HPDF_ZLIB_ERROR: return "zlib error";
    case HPDF_STREAM_EOF: return "unexpected end of stream";
    case HPDF_INVALID_STREAM: return "invalid stream";
    case HPDF_DICT_COUNT_ERR: return "too many dictionary entries";
    case HPDF_ARRAY_COUNT_ERR: return "too many array items";
    case HPDF_XREF_COUNT_ERR: return "too many objects";
    case HPDF_INVALID_DATE_TIME: return "invalid date";
    default: return "libharu error";
  }
}

std::string hex_code(HPDF_STATUS code) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) s += kHex[(code >> shift) & 0xF];
  return s;
}

// Where libharu's error callback reports. It reaches the callback through HPDF_New's user_data,
// so no global state is involved and several documents can be written at once.
struct ErrorSink {
  Diagnostics* diags = nullptr;
  const char* step = "creating the document";
  SourcePos pos;               // the input the current step is about, when there is one
  bool failed = false;         // an error has been reported; the document is abandoned

  void report(HPDF_STATUS code, HPDF_STATUS detail) {
    if (failed) return;  // the first error explains the rest
    failed = true;
    std::string msg = "PDF writer: ";
    if (code == HPDF_OK) {
      // Some loaders return NULL without recording a code (notes: JPEG loader on non-JPEG data).
      msg += "libharu failed without an error code";
    } else {
      msg += hpdf_error_name(code);
      msg += " (libharu ";
      msg += hex_code(code);
      if (detail != 0) msg += ", detail " + std::to_string(detail);
      msg += ')';
    }
    msg += " while ";
    msg += step;
    diags->error(pos, std::move(msg));
  }
};

// Called by libharu in C frames: nothing may propagate out of it.
void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) noexcept {
  auto* sink = static_cast<ErrorSink*>(user_data);
  try {
    sink->report(error_no, detail_no);
  } catch (...) {
    sink->failed = true;
  }
}

struct FontState {
  const FontProgram* program = nullptr;
  HPDF_Dict type0 = nullptr;  // owned by the document's xref; filled in once all pages are done
  detail::FontUsage usage;
  // Filled by Writer::subset_fonts once every run is recorded, before any text is written:
  // the content's codes are the subset's glyph IDs (subset->cids).
  std::vector<uint32_t> gids;  // used glyphs, original IDs
  std::optional<detail::SubsetFont> subset;
  std::string subset_error;
};

bool finite(Pt p) { return std::isfinite(p.v); }

// Percent-encodes what may not appear raw in a URI string (RFC 3986 §2.1): a URI in a PDF is
// 7-bit ASCII (ISO 32000-1 §12.6.4.7).
std::string encode_uri(std::string_view uri) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(uri.size());
  for (char c : uri) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

// Streams are Flate-compressed here, with libdeflate, rather than by libharu at save time:
// libharu runs zlib at Z_DEFAULT_COMPRESSION through 4 KB buffers; libdeflate compresses a
// whole buffer about twice as fast and a little smaller. libharu writes a stream dict's
// /Filter from HPDF_Dict::filter and deletes the entry when the filter is NONE, so for data
// compressed here the entry is written by the dict's write hook instead.
HPDF_STATUS write_flate_filter_entry(HPDF_Dict, HPDF_Stream out) {
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

// The saved document goes straight into a std::string through a callback stream, instead of
// into libharu's memory stream (4 KB blocks) and then out of it again with
// HPDF_ReadFromStream: a whole-document copy less, which for a page of photos is a few hundred
// page faults less. Nothing may throw through libharu's C frames.
HPDF_STATUS append_to_string(HPDF_Stream stream, const HPDF_BYTE* data, HPDF_UINT size) {
  try {
    static_cast<std::string*>(stream->attr)->append(reinterpret_cast<const char*>(data), size);
    return HPDF_OK;
  } catch (...) {
    return HPDF_SetError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
  }
}

// A read-only stream over bytes the caller keeps alive until the document is saved: libharu's
// image loader copies a JPEG into a memory stream of its own, which is swapped for one of these
// over the Image's own bytes. While saving, `lend_to` is set: the bytes are then lent to the
// document (PdfBytes::borrowed) instead of being copied out through libharu's buffer.
struct ByteSource {
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t pos = 0;
  PdfBytes* lend_to = nullptr;
  HPDF_Stream sink = nullptr;  // the document's output stream, while saving
};
// libharu writes a stream object's data by reading its stream through this function into a
// buffer until it returns HPDF_STREAM_EOF, writing each buffer to the document's stream; the
// /Length and every later xref offset come from that stream's byte count, `size`. Lending
// the whole data at once (reading nothing, EOF) and advancing the count by as much keeps both
// right. save() checks that the pieces add up to the count.
HPDF_STATUS source_read(HPDF_Stream stream, HPDF_BYTE* out, HPDF_UINT* size) {
  auto* src = static_cast<ByteSource*>(stream->attr);
  if (src->lend_to && src->pos == 0 && src->size > 0) {
    if (src->size > 0x7FFFFFFFu - src->sink->size)  // libharu counts in 32 bits
      return HPDF_SetError(stream->error, HPDF_INVALID_PARAMETER, 0);
    try {
      src->lend_to->borrowed.push_back({src->lend_to->own.size(), src->data, src->size});
    } catch (...) {
      return HPDF_SetError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    }
    src->sink->size += static_cast<HPDF_UINT32>(src->size);
    src->pos = src->size;
    *size = 0;
    return HPDF_STREAM_EOF;
  }
  size_t n = std::min<size_t>(*size, src->size - src->pos);
  if (n) std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
  *size = static_cast<HPDF_UINT>(n);
  return src->pos == src->size ? HPDF_STREAM_EOF : HPDF_OK;
}
HPDF_STATUS source_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode) {
  auto* src = static_cast<ByteSource*>(stream->attr);
  int64_t base = mode == HPDF_SEEK_SET ? 0 : mode == HPDF_SEEK_CUR ? int64_t(src->pos) : int64_t(src->size);
  int64_t to = base + pos;
  if (to < 0 || to > int64_t(src->size)) return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
  src->pos = static_cast<size_t>(to);
  return HPDF_OK;
}
HPDF_INT32 source_tell(HPDF_Stream stream) {
  return static_cast<HPDF_INT32>(static_cast<ByteSource*>(stream->attr)->pos);
}
HPDF_UINT32 source_size(HPDF_Stream stream) {
  return static_cast<HPDF_UINT32>(static_cast<ByteSource*>(stream->attr)->size);
}

// Flate-compresses `in` into `out` (zlib format). False only if libdeflate gives up, which
// the bound it is given makes impossible.
bool deflate_into(libdeflate_compressor* c, std::string_view in, std::vector<uint8_t>& out) {
  out.resize(libdeflate_zlib_compress_bound(c, in.size()));
  size_t n = libdeflate_zlib_compress(c, in.data(), in.size(), out.data(), out.size());
  out.resize(n);
  return n != 0;
}

struct CompressorFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
using CompressorPtr = std::unique_ptr<libdeflate_compressor, CompressorFree>;

// This thread's libdeflate compressor for `level` (1..12), kept for the thread's life: one is
// a few hundred KB of tables, and making one per document cost a batch worker fresh pages
// (faults) every article. Null when it cannot be had.
libdeflate_compressor* compressor(int level) {
  thread_local std::array<CompressorPtr, 13> kept;
  CompressorPtr& c = kept[static_cast<size_t>(std::clamp(level, 1, 12))];
  if (!c) c.reset(libdeflate_alloc_compressor(level));
  return c.get();
}

// Flate levels (libdeflate's scale), measured on the sample's streams. Content streams are
// text: level 4 makes them 2-5% larger than libdeflate's default 6 (0.04% of the sample's PDF)
// in half the time; level 1 would make them 4% larger again. The ToUnicode CMaps come out the
// same size at levels 1 to 4 (1738 and 1732 bytes for the sample's four, 7% more than level 6),
// so they get the fastest, which is a third faster than 4. Font files barely compress at all
// (glyph outlines): level 1 makes them 1-2% larger than level 6 in half the time.
constexpr int kFlateLevel = 4;
constexpr int kCMapFlateLevel = 1;
constexpr int kFontFlateLevel = 1;

// Tagged PDF: the structure elements met on the pages, each once, found by (article, model
// node, role); the marked content of each page, by MCID (the ParentTree's arrays).
struct Elem {
  layout::StructRole role;
  uint32_t article, node;
  int parent;                                     // -1: the article's Art
  std::vector<int> kids;                          // child elements
  std::vector<std::pair<uint32_t, int>> mcids;    // (page, MCID), in content order
  std::vector<std::pair<uint32_t, HPDF_Dict>> annots;  // Link: (page, annotation)
  std::string alt;
  std::string text;  // a Caption's text, for the /Alt of the Figure that holds it
  HPDF_Dict dict = nullptr;
};
struct PageMarks {
  std::vector<int> elems;  // by MCID
};

class Writer {
 public:
  Writer(const PageTree& tree, const Options& options, Diagnostics& diags, WriteReport& report)
      : tree_(tree), options_(options), diags_(diags), report_(report) {
    sink_.diags = &diags;
  }

  std::optional<PdfBytes> write() {
    if (!validate() || !prepare_profile()) return std::nullopt;
    doc_.reset(HPDF_New(on_hpdf_error, &sink_));
    if (!doc_) {
      if (!sink_.failed) diags_.error({}, "PDF writer: libharu could not create a document");
      return std::nullopt;
    }
    // Compression applies only to pages added after this call (pitfall 1). Font files and
    // images are binary and compressed either way; Options::compress only decides whether
    // content streams and CMaps stay readable.
    if (!ok(HPDF_SetCompressionMode(doc_.get(),
                                    options_.compress ? HPDF_COMP_ALL : HPDF_COMP_IMAGE),
            "setting compression"))
      return std::nullopt;

    fonts_.resize(tree_.fonts.size());
    image_cache_.assign(images_.size(), nullptr);  // images_: validate() listed them
    hash(std::string("profile ") + profile_name(options_.profile));
    for (size_t i = 0; i < tree_.pages.size(); ++i)
      if (!write_page(tree_.pages[i], i)) return std::nullopt;
    // The costly work that touches no libharu object runs on both cores: subsetting the fonts,
    // writing the pages' text, then compressing every stream that waited in pending_ (pages,
    // font files, CMaps). The text needs the subsets (its codes are their glyph IDs), and the
    // subsets need every run's glyphs recorded.
    record_texts();
    if (!subset_fonts() || !write_texts()) return std::nullopt;
    for (FontState* font : font_order_)
      if (!finish_font(*font)) return std::nullopt;
    if (!flush_pending()) return std::nullopt;
    if (!write_structure() || !write_outlines() || !write_page_labels() || !write_info() || !write_id() ||
        !write_output_intent() || !write_metadata())
      return std::nullopt;
    return save();
  }

 private:
  // ---- checks -------------------------------------------------------------------------------

  bool ok(HPDF_STATUS status, const char* what) {
    if (status != HPDF_OK) {
      // Some failures (object ownership) return a code without calling the handler (pitfall 3).
      sink_.step = what;
      sink_.report(status, 0);
    }
    return !sink_.failed;
  }

  template <class T>
  bool got(T* object, const char* what) {
    if (!object) {
      sink_.step = what;
      sink_.report(doc_ ? HPDF_GetError(doc_.get()) : HPDF_FAILD_TO_ALLOC_MEM, 0);
    }
    return !sink_.failed;
  }

  void step(const char* what, SourcePos pos = {}) {
    sink_.step = what;
    sink_.pos = std::move(pos);
  }

  // Everything that would make libharu fail halfway, or write an invalid file, is checked
  // before the document exists, and all of it is reported at once.
  bool validate() {
    bool good = true;
    if (tree_.pages.empty()) {
      diags_.error({}, "PDF writer: the page tree has no pages; nothing to write");
      good = false;
    }
    auto where = [](size_t page) { return "page " + std::to_string(page + 1) + ": "; };
    std::vector<uint8_t> font_reported(tree_.fonts.size(), 0);
    for (size_t p = 0; p < tree_.pages.size(); ++p) {
      const Page& page = tree_.pages[p];
      if (!finite(page.width) || !finite(page.height) || page.width.v < 3 || page.height.v < 3 ||
          page.width.v > 14400 || page.height.v > 14400) {
        diags_.error({}, where(p) + "page size " + format_number(page.width.v) + " x " +
                             format_number(page.height.v) + " pt is outside 3..14400 pt");
        good = false;
      }
      layout::for_each_item(page.content, [&](const layout::Item& item, Pt dx, Pt dy) {
        if (!finite(dx) || !finite(dy)) {
          diags_.error({}, where(p) + "a group has a non-finite position");
          good = false;
        } else if (const auto* f = std::get_if<FillItem>(&item)) {
          if (!finite(f->rect.x) || !finite(f->rect.y) || !finite(f->rect.w) || !finite(f->rect.h)) {
            diags_.error({}, where(p) + "a filled rectangle has a non-finite coordinate");
            good = false;
          }
        } else if (const auto* r = std::get_if<RuleItem>(&item)) {
          if (!finite(r->x1) || !finite(r->y1) || !finite(r->x2) || !finite(r->y2) || !finite(r->width)) {
            diags_.error({}, where(p) + "a rule has a non-finite coordinate");
            good = false;
          }
        } else if (const auto* l = std::get_if<LinkItem>(&item)) {
          if (!finite(l->rect.x) || !finite(l->rect.y) || !finite(l->rect.w) || !finite(l->rect.h)) {
            diags_.error({}, where(p) + "a link has a non-finite coordinate");
            good = false;
          }
        } else if (const auto* im = std::get_if<ImageItem>(&item)) {
          if (!im->image) {
            diags_.error({}, where(p) + "an image item holds no image");
            good = false;
          } else if (!finite(im->rect.x) || !finite(im->rect.y) || !finite(im->rect.w) ||
                     !finite(im->rect.h) ||
                     (im->picture && (!finite(im->picture->x) || !finite(im->picture->y) ||
                                      !finite(im->picture->w) || !finite(im->picture->h)))) {
            diags_.error({im->image->path}, where(p) + "an image has a non-finite position");
            good = false;
          } else if (image_index_.emplace(im->image.get(), images_.size()).second) {
            images_.push_back(im->image);
          }
        } else if (const auto* run = std::get_if<GlyphRun>(&item)) {
          good &= valid_run(*run, p, font_reported);
        }
      });
    }
    // Only placed images are embedded.
    for (const auto& placed : images_) {
      const image::Image& im = *placed;
      SourcePos pos{im.path};
      uint64_t pixels = static_cast<uint64_t>(std::max(im.width, 0)) *
                        static_cast<uint64_t>(std::max(im.height, 0));
      if (im.width <= 0 || im.height <= 0 || pixels > 0xFFFFFFFFull / 4) {
        diags_.error(pos, "image has an invalid size " + std::to_string(im.width) + " x " +
                              std::to_string(im.height));
        good = false;
        continue;
      }
      if (im.components != 1 && im.components != 3 && im.components != 4) {
        diags_.error(pos, "image has " + std::to_string(im.components) +
                              " colour components; 1 (gray), 3 (RGB) or 4 (CMYK) expected");
        good = false;
        continue;
      }
      if (im.kind == image::Image::Kind::Raw &&
          im.data.size() != pixels * static_cast<uint64_t>(im.components)) {
        diags_.error(pos, "raw image data holds " + std::to_string(im.data.size()) +
                              " bytes, " + std::to_string(pixels * im.components) + " expected");
        good = false;
      }
      if (im.kind == image::Image::Kind::Jpeg && (im.data.size() < 4 || im.data[0] != 0xFF ||
                                                  im.data[1] != 0xD8)) {
        diags_.error(pos, "image data is not a JPEG file");
        good = false;
      }
      if (!im.alpha.empty() && im.alpha.size() != pixels) {
        diags_.error(pos, "image alpha holds " + std::to_string(im.alpha.size()) + " bytes, " +
                              std::to_string(pixels) + " expected");
        good = false;
      }
    }
    return good;
  }

  // A run's font, position and glyphs, as validate() checks them on page `p`.
  bool valid_run(const GlyphRun& run, size_t p, std::vector<uint8_t>& font_reported) {
    auto where = "page " + std::to_string(p + 1) + ": ";
    if (run.font >= tree_.fonts.size() || !tree_.fonts[run.font]) {
      diags_.error({}, where + "font " + std::to_string(run.font) + " is not in the font table (" +
                           std::to_string(tree_.fonts.size()) + " fonts)");
      return false;
    }
    const FontProgram& font = *tree_.fonts[run.font];
    if (!font.bytes || font.bytes->empty() || font.units_per_em <= 0 || font.advances.empty()) {
      if (!font_reported[run.font]) {
        diags_.error({font.path}, "font '" + font.postscript_name +
                                      "' has no data, units per em or advances to embed");
        font_reported[run.font] = 1;
      }
      return false;
    }
    if (!finite(run.x) || !finite(run.y) || !finite(run.size) || run.size.v <= 0) {
      diags_.error({}, where + "a text run has a non-finite position or a size <= 0");
      return false;
    }
    size_t limit = std::min<size_t>(font.advances.size(), 0x10000);  // two-byte CIDs
    for (const auto& g : run.glyphs) {
      if (g.gid >= limit) {
        diags_.error({font.path}, where + "glyph " + std::to_string(g.gid) + " is not in font '" +
                                      font.postscript_name + "' (" +
                                      std::to_string(font.advances.size()) + " glyphs)");
        return false;
      }
      if (!finite(g.advance) || !finite(g.dx) || !finite(g.dy)) {
        diags_.error({}, where + "a glyph has a non-finite advance or offset");
        return false;
      }
    }
    return true;
  }

  // ---- profiles -----------------------------------------------------------------------------

  bool print() const { return options_.profile == Profile::Print; }
  bool archive() const { return options_.profile == Profile::Archive; }

  // Reads the output profile and decides the document date, before anything is written.
  bool prepare_profile() {
    if (print() && !options_.output_profile.empty()) {
      std::string error;
      SourcePos pos{options_.output_profile_name};
      output_icc_ = detail::read_icc(options_.output_profile, error);
      if (!output_icc_) {
        diags_.error(pos, "output profile: " + error);
        return false;
      }
      if (output_icc_->components != 4) {
        diags_.error(pos, "output profile '" + output_icc_->description + "' is not a CMYK profile",
                     "PDF/X needs the press's CMYK output profile, e.g. FOGRA39 "
                     "(ISOcoated_v2_eci.icc) or GRACoL2006");
        return false;
      }
    }
    if (print()) converter_ = std::make_unique<detail::ColorConverter>(output_icc_ ? &*output_icc_ : nullptr);
    if (print() && options_.output_profile.empty())
      diags_.warning({}, "print profile without --output-profile: the output intent names " +
                             options_.output_condition + " but embeds no ICC profile, which "
                             "PDF/X-4 requires; RGB is converted with the naive formula",
                     "pass --output-profile FILE.icc with the print shop's CMYK profile");

    // The document date (docs/print-and-archive.md, "Dates"): the article's date keeps output
    // reproducible; then SOURCE_DATE_EPOCH; PDF/X requires dates, so it falls back to the clock.
    if (!options_.deterministic) {
      date_ = detail::date_from_unix(std::time(nullptr));
      report_.date_source = "clock";
    } else if (options_.profile == Profile::Screen) {
      report_.date_source = "none";  // a screen PDF carries no date unless asked (DESIGN.md)
    } else if (auto d = detail::parse_iso_date(tree_.info.date)) {
      date_ = *d;
      report_.date_source = "article";
    } else if (options_.fallback_time) {
      date_ = detail::date_from_unix(*options_.fallback_time);
      report_.date_source = "SOURCE_DATE_EPOCH";
    } else if (print()) {
      date_ = detail::date_from_unix(std::time(nullptr));
      report_.date_source = "clock";
      diags_.warning({}, "the article has no date; PDF/X requires CreationDate, so it is the "
                         "current time and the output is not byte-reproducible",
                     "give the article a date, or set SOURCE_DATE_EPOCH");
    } else {
      report_.date_source = "none";
    }
    if (!tree_.info.date.empty() && options_.deterministic && options_.profile != Profile::Screen &&
        report_.date_source != "article")
      diags_.warning({}, "article date '" + tree_.info.date +
                             "' is not an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss][Z|+hh:mm]]); "
                             "left out of the document information");
    return true;
  }

  // A colour as the profile allows it: DeviceCMYK in print (PDF/X-4 with a CMYK output
  // intent), RGB or gray in archive (sRGB output intent: DeviceCMYK is not allowed).
  Color out_color(const Color& c) {
    if (print()) {
      if (c.space == Color::Space::Rgb) ++report_.rgb_colors_converted;
      return converter_->to_cmyk(c);
    }
    if (archive() && c.space == Color::Space::Cmyk) {
      ++report_.cmyk_converted;
      return detail::naive_to_rgb(c);
    }
    return c;
  }

  // ---- pages --------------------------------------------------------------------------------

  HPDF_Dict new_indirect_dict(const char* what) {
    HPDF_Dict dict = HPDF_Dict_New(doc_->mmgr);
    if (!got(dict, what)) return nullptr;
    // A dict must be in the xref before it goes into a container (pitfall 3).
    if (!ok(HPDF_Xref_Add(doc_->xref, dict), what)) return nullptr;
    return dict;
  }

  // XXH3-128 of each piece, seeded with the state so far, so the /ID depends on every byte and
  // on their order. libharu's MD5 went byte by byte and cost 8% of a one-page render for an
  // identifier that needs to be stable, not secret (ISO 32000-1 §14.4).
  void hash(std::string_view bytes) {
    std::array<uint64_t, 2> h = hash128(bytes, id_[0] ^ (id_[1] * 0x9e3779b97f4a7c15ull));
    id_[0] = h[0];
    id_[1] = h[1];
  }
  void hash(std::span<const uint8_t> bytes) {
    hash(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }

  // Writes `bytes` as the data of stream object `dict`, Flate-compressed when `compress`
  // (see write_flate_filter_entry). The stream must still be empty: compressed data cannot be
  // appended to.
  bool write_stream(HPDF_Dict dict, std::string_view bytes, bool compress, const char* what) {
    if (!compress || bytes.empty())
      return put_stream(dict, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), false,
                        what);
    libdeflate_compressor* c = compressor(kFlateLevel);
    if (!c || !deflate_into(c, bytes, deflated_)) return ok(HPDF_FAILD_TO_ALLOC_MEM, what);
    return put_stream(dict, deflated_.data(), deflated_.size(), true, what);
  }

  // Writes the data of stream object `dict`, which must still be empty; `deflated`: the data is
  // Flate-compressed (write_flate_filter_entry then writes its /Filter).
  bool put_stream(HPDF_Dict dict, const uint8_t* data, size_t size, bool deflated,
                  const char* what) {
    dict->filter = HPDF_STREAM_FILTER_NONE;
    if (deflated) dict->write_fn = write_flate_filter_entry;
    if (size > 0x7FFFFFFFu) return ok(HPDF_INVALID_PARAMETER, what);  // libharu counts in 32 bits
    return ok(HPDF_Stream_Write(dict->stream, data, static_cast<HPDF_UINT>(size)), what);
  }
  bool write_stream(HPDF_Dict dict, std::span<const uint8_t> bytes, bool compress,
                    const char* what) {
    return write_stream(dict, {reinterpret_cast<const char*>(bytes.data()), bytes.size()},
                        compress, what);
  }

  // Points stream object `dict` at `bytes` (alive until save) instead of libharu's copy.
  bool read_from(HPDF_Dict dict, std::span<const uint8_t> bytes, const char* what) {
    sources_.push_back(std::make_unique<ByteSource>(ByteSource{bytes.data(), bytes.size(), 0}));
    HPDF_Stream reader = HPDF_CallbackReader_New(doc_->mmgr, source_read, source_seek, source_tell,
                                                 source_size, sources_.back().get());
    if (!got(reader, what)) return false;
    HPDF_Stream_Free(dict->stream);
    dict->stream = reader;
    return true;
  }

  // libharu's raw-image loader has copied the samples into the stream, to be deflated at save
  // time by zlib; they are compressed here instead (write_stream).
  bool recompress(HPDF_Image img, std::span<const uint8_t> samples, const char* what) {
    HPDF_MemStream_FreeData(img->stream);
    return write_stream(img, samples, true, what);
  }

  // Offers the runs of every page, once all pages exist, to their fonts in document order:
  // this fixes the used glyphs and the ToUnicode entries. Each run's colour is converted for
  // the profile here too, on this thread (out_color counts the conversions for the report).
  void record_texts() {
    step("writing text");
    for (PageText& job : texts_)
      for (const GlyphRun* run : job.runs) {
        detail::record_run(*run, fonts_[run->font]->usage, scratch_);
        job.colors.push_back(out_color(run->color));
      }
  }

  // The runs of every page, after record_texts and subset_fonts: the pages' content is written
  // two at a time (write_run only reads the fonts' usage and CIDs), then each goes into its
  // page in order. The bytes do not depend on the threads. Runs painted one after the other
  // share text objects (content.h, TextObject); graphics painted between them close it. The
  // readable form (compression off) spells the glyph codes in hex.
  bool write_texts() {
    step("writing text");
    parallel_for(texts_.size(), [&](size_t i) {
      PageText& job = texts_[i];
      std::u16string scratch;
      detail::TextObject text(job.content, !options_.compress, options_.word_spaces);
      size_t g = 0;
      auto graphics_before = [&](size_t k) {
        for (; g < job.graphics.size() && job.graphics[g].first == k; ++g) {
          text.close();
          job.content += job.graphics[g].second;
        }
      };
      for (size_t k = 0; k < job.runs.size(); ++k) {
        graphics_before(k);
        // Tagged: each run is its own marked-content sequence, inside the shared text object.
        if (!job.tags.empty()) text.set_mark(job.tags[k]);
        const GlyphRun& run = *job.runs[k];
        const FontState& font = *fonts_[run.font];
        detail::RunIssues r = text.write_run(run, job.resources[k], *font.program, font.usage,
                                             font.subset->cids, scratch, &job.colors[k]);
        job.issues.bad_clusters += r.bad_clusters;
        job.issues.bad_utf8 += r.bad_utf8;
      }
      text.close();
      graphics_before(job.runs.size());
      if (job.marks) {
        if (options_.tagged) job.content += "/Artifact <</Type /Page>> BDC\n";
        detail::append_marks(job.content, job.page->width, job.page->height, job.bleed, job.crop,
                             job.cross);
        if (options_.tagged) job.content += "EMC\n";
      }
    });
    for (PageText& job : texts_) {
      if (!write_content(job.hpage, job.content)) return false;
      std::string where = "page " + std::to_string(job.index + 1) + ": ";
      if (job.issues.bad_clusters)
        diags_.warning({}, where + std::to_string(job.issues.bad_clusters) +
                               " text clusters overlap or point past their glyphs; their text is "
                               "missing from the text layer");
      if (job.issues.bad_utf8)
        diags_.warning({}, where + std::to_string(job.issues.bad_utf8) +
                               " text clusters hold invalid UTF-8 (replaced by U+FFFD)");
    }
    texts_.clear();
    return true;
  }

  // Like write_stream, but the bytes are compressed (at `level`) and written by flush_pending,
  // with the other streams waiting there, on both cores.
  void defer_stream(HPDF_Dict dict, std::string bytes, bool compress, const char* what,
                    int level = kFlateLevel) {
    pending_.push_back({dict, std::move(bytes), compress, what, level, {}});
  }

  bool flush_pending() {
    step("compressing streams");
    std::vector<char> failed(pending_.size(), 0);
    parallel_for(pending_.size(), [&](size_t i) {
      Pending& p = pending_[i];
      if (!p.compress || p.bytes.empty()) return;
      libdeflate_compressor* c = compressor(p.level);
      if (!c || !deflate_into(c, p.bytes, p.deflated)) failed[i] = 1;
    });
    for (size_t i = 0; i < pending_.size(); ++i) {
      Pending& p = pending_[i];
      if (failed[i]) return ok(HPDF_FAILD_TO_ALLOC_MEM, p.what);
      bool deflated = p.compress && !p.bytes.empty();
      bool written = deflated ? put_stream(p.dict, p.deflated.data(), p.deflated.size(), true, p.what)
                              : put_stream(p.dict, reinterpret_cast<const uint8_t*>(p.bytes.data()),
                                           p.bytes.size(), false, p.what);
      if (!written) return false;
      std::string().swap(p.bytes);
      std::vector<uint8_t>().swap(p.deflated);
    }
    pending_.clear();
    return true;
  }

  // Runs fn(i) for i in [0, n) on this thread and one more (when there is more than one item
  // and the render may start threads). fn must not touch libharu.
  template <typename Fn>
  void parallel_for(size_t n, Fn fn) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    };
    std::thread helper;
    if (n > 1 && render_threads()) {
      try {
        helper = std::thread(work);
      } catch (const std::system_error&) {
        // no thread to be had: this one does it all
      }
    }
    work();
    if (helper.joinable()) helper.join();
  }

  // Subsets every used font (hb-subset, no libharu), two at a time, once record_texts has
  // collected the used glyphs. Each result stays with its font, so the document does not depend
  // on which thread did what. False after reporting the first font, in font order, that could
  // not be subset.
  bool subset_fonts() {
    step("subsetting fonts");
    const std::vector<FontState*>& todo = font_order_;
    parallel_for(todo.size(), [&](size_t i) {
      FontState& f = *todo[i];
      f.gids = f.usage.used_glyphs();
      f.subset = detail::subset_font(*f.program, f.gids, f.usage.characters(), f.subset_error);
    });
    for (FontState* f : todo) {
      if (f->subset) continue;
      const FontProgram& prog = *f->program;
      step("embedding a font", {prog.path});
      diags_.error({prog.path}, "cannot embed font '" + prog.postscript_name + "': " +
                                    f->subset_error);
      sink_.failed = true;
      return false;
    }
    return true;
  }

  // The page's whole content stream, written once.
  bool write_content(HPDF_Page page, const std::string& content) {
    if (content.empty()) return true;
    hash(content);
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    defer_stream(attr->contents, content, options_.compress, "writing page content");
    return true;
  }

  // The page's resource name for a font, creating the font's Type0 dict on first use. The
  // font goes through the page's own font table so libharu keeps it (pitfall 4).
  const char* font_resource(HPDF_Page page, FontId id) {
    std::unique_ptr<FontState>& state = fonts_[id];
    if (!state) {
      state = std::make_unique<FontState>();
      state->program = tree_.fonts[id].get();
      state->usage = detail::FontUsage(state->program->advances.size());
      state->type0 = new_indirect_dict("creating a font");
      if (!state->type0) return nullptr;
      font_order_.push_back(state.get());
    }
    const char* name = HPDF_Page_GetLocalFontName(page, state->type0);
    got(name, "adding a font to the page resources");
    return name;
  }

  bool write_page(const Page& page, size_t index) {
    step("adding a page");
    HPDF_Page hpage = HPDF_AddPage(doc_.get());
    if (!got(hpage, "adding a page")) return false;
    pages_.push_back(hpage);
    if (!ok(HPDF_Page_SetWidth(hpage, static_cast<HPDF_REAL>(page.width.v)), "sizing a page") ||
        !ok(HPDF_Page_SetHeight(hpage, static_cast<HPDF_REAL>(page.height.v)), "sizing a page"))
      return false;
    std::string size = "page " + format_number(page.width.v) + ' ' + format_number(page.height.v);
    hash(size);
    // Print: the stylesheet's bleed and marks, or the profile's defaults when it says nothing.
    Pt bleed = page.bleed;
    bool crop = page.crop_marks, cross = page.cross_marks;
    if (print() && bleed.v <= 0 && !crop && !cross) {
      bleed = options_.default_bleed;
      crop = options_.default_crop_marks;
    }
    if (print() && !set_boxes(hpage, page, bleed, crop, cross)) return false;

    // The page's frame in paint order. Graphics go into the content stream now (fills and
    // rules in runs of their own kind share a q/Q); the text goes in later (write_texts):
    // every page's runs are recorded first, in order, then the pages' text is written on both
    // cores. Graphics painted after some text wait in job.graphics for their turn.
    PageText job;
    job.page = &page;
    job.hpage = hpage;
    job.index = index;
    std::string content;
    content.reserve(4096);
    std::vector<layout::LinkItem> links;
    std::vector<uint32_t> link_articles;
    enum class Open : uint8_t { None, Fills, Rules } open = Open::None;
    auto graphics = [&]() -> std::string& {
      if (job.runs.empty()) return content;
      if (job.graphics.empty() || job.graphics.back().first != job.runs.size())
        job.graphics.emplace_back(job.runs.size(), std::string());
      return job.graphics.back().second;
    };
    // Tagged: fills and rules are decoration (rules, boxes, table borders), artifacts of the
    // layout kind (§14.8.2.2); text and pictures get MCIDs, numbered on the page from 0.
    const bool tagged = options_.tagged;
    auto group = [&](Open kind) {
      if (open == kind) return;
      if (open != Open::None) graphics() += tagged ? "EMC\nQ\n" : "Q\n";
      if (kind != Open::None) graphics() += tagged ? "q\n/Artifact <</Type /Layout>> BDC\n" : "q\n";
      open = kind;
    };
    PageMarks& marks = page_marks_.emplace_back();
    // A publication's modules are groups, each of one article (Page::modules); everything else
    // on the page belongs to the document's first article.
    std::vector<uint32_t> article_of(page.content.items.size(), 0);
    for (const layout::ModuleBox& m : page.modules)
      if (m.item < article_of.size()) article_of[m.item] = m.article;
    uint32_t article = 0;
    bool good = true;
    auto visit = [&](const layout::Item& item, Pt dx, Pt dy) {
      if (!good) return;
      if (const auto* fill = std::get_if<FillItem>(&item)) {
        group(Open::Fills);
        Rect r = fill->rect;
        r.x += dx;
        r.y += dy;
        detail::append_fill(graphics(), {r, out_color(fill->color)});
      } else if (const auto* rule = std::get_if<RuleItem>(&item)) {
        group(Open::Rules);
        layout::RuleItem r = *rule;
        layout::translate(r, dx, dy);
        r.color = out_color(rule->color);
        detail::append_rule(graphics(), r);
      } else if (const auto* im = std::get_if<ImageItem>(&item)) {
        group(Open::None);
        layout::ImageItem placed = *im;
        layout::translate(placed, dx, dy);
        std::string& out = graphics();
        if (tagged) out += open_marked(marks, article, im->tag, &im->alt, index);
        good = draw_image(hpage, placed, out);
        if (tagged) out += "EMC\n";
      } else if (const auto* run = std::get_if<GlyphRun>(&item)) {
        if (run->glyphs.empty()) return;
        group(Open::None);
        const char* name = font_resource(hpage, run->font);
        if (!name) {
          good = false;
          return;
        }
        job.resources.push_back(name);
        if (tagged) {
          // Each run its own MCID (TextObject::set_mark); furniture (running heads, folios,
          // jump lines) is pagination, other untagged runs plain artifacts.
          bool furniture = run->role == GlyphRun::Role::Furniture;
          static const layout::StructTag kArtifact;
          const layout::StructTag& tag = furniture ? kArtifact : run->tag;
          if (tag.artifact())
            job.tags.emplace_back(furniture ? "/Artifact <</Type /Pagination>> BDC\n"
                                            : "/Artifact BMC\n");
          else
            job.tags.push_back(open_marked(marks, article, tag, nullptr, index));
          if (!tag.artifact() && tag.leaf().role == layout::StructRole::Caption) {
            std::string& text = elems_[static_cast<size_t>(element(article, tag))].text;
            if (!text.empty()) text += ' ';
            for (const Cluster& c : run->clusters) text += c.text.view();
          }
        }
        if (dx != Pt() || dy != Pt()) {
          GlyphRun& moved = job.moved.emplace_back(*run);
          layout::translate(moved, dx, dy);
          job.runs.push_back(&moved);
        } else {
          job.runs.push_back(run);
        }
      } else if (const auto* link = std::get_if<LinkItem>(&item)) {
        layout::LinkItem l = *link;
        layout::translate(l, dx, dy);
        links.push_back(std::move(l));
        link_articles.push_back(article);
      }
    };
    for (size_t i = 0; i < page.content.items.size() && good; ++i) {
      article = article_of[i];
      const layout::Item& item = page.content.items[i];
      if (const auto* g = std::get_if<layout::Group>(&item)) {
        if (g->frame) layout::for_each_item(*g->frame, visit, g->x, g->y);
      } else {
        visit(item, Pt(), Pt());
      }
    }
    group(Open::None);
    if (!good) return false;
    job.content = std::move(content);
    job.marks = print();
    job.bleed = bleed;
    job.crop = crop;
    job.cross = cross;
    texts_.push_back(std::move(job));
    if (transparent_page_ && !(options_.profile == Profile::Screen) && !add_page_group(hpage))
      return false;
    transparent_page_ = false;

    for (size_t li = 0; li < links.size(); ++li) {
      const layout::LinkItem& link = links[li];
      if (link.uri.empty()) continue;
      step("adding a link");
      std::string uri = encode_uri(link.uri);
      hash("link " + uri);
      HPDF_Rect rect{static_cast<HPDF_REAL>(link.rect.x.v), static_cast<HPDF_REAL>(link.rect.y.v),
                     static_cast<HPDF_REAL>(link.rect.right().v),
                     static_cast<HPDF_REAL>(link.rect.top().v)};
      HPDF_Annotation annot = HPDF_Page_CreateURILinkAnnot(hpage, rect, uri.c_str());
      if (!got(annot, "adding a link")) return false;
      // No border: a link in print looks like the text around it (§12.5.2, /Border [0 0 0]).
      if (!ok(HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0), "adding a link")) return false;
      // PDF/A: every annotation has the Print flag (ISO 19005-2 §6.3.2). PDF/X: a link is left
      // non-printing (no /F), so nothing but artwork and marks reaches the plate.
      if (archive() && !ok(HPDF_Dict_AddNumber(annot, "F", 4), "adding a link")) return false;
      // Tagged: an annotation says what it is (PDF/UA 7.18.1, Matterhorn 28-012), and the page
      // visits its annotations in structure order (7.18.3, 28-008/28-009).
      if (options_.tagged && (!add_text(annot, "Contents", link.uri) ||
                              !ok(HPDF_Dict_AddName(hpage, "Tabs", "S"), "adding a link")))
        return false;
      if (options_.tagged && !link.tag.artifact()) {
        // A Link element beside the element of the link's text, holding the annotation by an
        // OBJR (§14.7.4.3); its ParentTree key follows the pages' (Matterhorn 28-011).
        layout::StructTag lt = link.tag;
        lt.path[lt.depth - 1].role = layout::StructRole::Link;
        int e = element(link_articles[li], lt);
        elems_[static_cast<size_t>(e)].annots.emplace_back(static_cast<uint32_t>(index), annot);
        auto key = static_cast<HPDF_INT32>(tree_.pages.size() + link_parents_.size());
        link_parents_.push_back(e);
        if (!ok(HPDF_Dict_AddNumber(annot, "StructParent", key), "adding a link")) return false;
      }
    }
    return true;
  }

  // ---- tagged PDF ---------------------------------------------------------------------------

  static const char* role_name(layout::StructRole role) {
    using R = layout::StructRole;
    switch (role) {
      case R::Artifact: return "Artifact";
      case R::H1: return "H1";
      case R::H2: return "H2";
      case R::P: return "P";
      case R::BlockQuote: return "BlockQuote";
      case R::Figure: return "Figure";
      case R::Caption: return "Caption";
      case R::L: return "L";
      case R::LI: return "LI";
      case R::LBody: return "LBody";
      case R::Table: return "Table";
      case R::TR: return "TR";
      case R::TH: return "TH";
      case R::TD: return "TD";
      case R::Div: return "Div";
      case R::Link: return "Link";
    }
    return "P";
  }

  // The element a tag names, made (with its parents) the first time it is met.
  int element(uint32_t article, const layout::StructTag& tag) {
    int parent = -1;
    for (uint8_t d = 0; d < tag.depth; ++d) {
      const layout::StructTag::Level& l = tag.path[d];
      auto key = std::make_tuple(article, l.node, static_cast<uint8_t>(l.role));
      auto [it, added] = elem_of_.emplace(key, static_cast<int>(elems_.size()));
      if (added) {
        elems_.push_back({l.role, article, l.node, parent, {}, {}, {}, {}, {}, nullptr});
        if (parent >= 0) elems_[static_cast<size_t>(parent)].kids.push_back(it->second);
      }
      parent = it->second;
    }
    return parent;
  }

  // The operator that opens a tagged item's marked content: its element's next MCID on the
  // page (§14.7.4.2), or an artifact. `alt`: a picture's alternative text, the Figure's /Alt.
  std::string open_marked(PageMarks& marks, uint32_t article, const layout::StructTag& tag,
                          const std::string* alt, size_t page) {
    if (tag.artifact()) return "/Artifact BMC\n";
    int e = element(article, tag);
    Elem& el = elems_[static_cast<size_t>(e)];
    if (alt) {
      if (alt->find_first_not_of(" \t\r\n") != std::string::npos) {
        if (el.alt.empty()) el.alt = *alt;
      } else if (alt_warned_.insert(e).second) {
        diags_.warning({}, "page " + std::to_string(page + 1) +
                               ": a picture has no alt text; its Figure has no /Alt, which "
                               "PDF/UA requires",
                       "give the <img> an alt attribute that says what the picture shows");
      }
    }
    int mcid = static_cast<int>(marks.elems.size());
    marks.elems.push_back(e);
    if (tag.initial)
      el.mcids.emplace(el.mcids.begin(), static_cast<uint32_t>(page), mcid);
    else
      el.mcids.emplace_back(static_cast<uint32_t>(page), mcid);
    return std::string("/") + role_name(el.role) + " <</MCID " + std::to_string(mcid) + ">> BDC\n";
  }

  // The structure tree (ISO 32000-1 §14.7): Document > one Art per article > the elements in
  // the article's reading order (model order, whatever the columns and pages), each holding
  // its marked content; the ParentTree maps each page's MCIDs back to their elements.
  bool write_structure() {
    if (!options_.tagged) return true;
    step("writing the structure tree");
    const char* what = "writing the structure tree";
    HPDF_Dict root = new_indirect_dict(what);
    HPDF_Dict doc = new_indirect_dict(what);
    if (!root || !doc) return false;
    if (!ok(HPDF_Dict_AddName(root, "Type", "StructTreeRoot"), what) ||
        !ok(HPDF_Dict_Add(root, "K", doc), what) ||
        !ok(HPDF_Dict_AddName(doc, "Type", "StructElem"), what) ||
        !ok(HPDF_Dict_AddName(doc, "S", "Document"), what) ||
        !ok(HPDF_Dict_Add(doc, "P", root), what))
      return false;
    // Children in reading order: by model node, then role (an LI before its LBody).
    auto by_order = [&](int a, int b) {
      const Elem& x = elems_[static_cast<size_t>(a)];
      const Elem& y = elems_[static_cast<size_t>(b)];
      return std::tie(x.node, x.role) < std::tie(y.node, y.role);
    };
    std::map<uint32_t, std::vector<int>> arts;
    for (size_t i = 0; i < elems_.size(); ++i)
      if (elems_[i].parent < 0) arts[elems_[i].article].push_back(static_cast<int>(i));
    for (Elem& e : elems_) {
      e.dict = new_indirect_dict(what);
      if (!e.dict) return false;
    }
    HPDF_Array doc_kids = HPDF_Array_New(doc_->mmgr);
    if (!got(doc_kids, what) || !ok(HPDF_Dict_Add(doc, "K", doc_kids), what)) return false;
    for (auto& [article, top] : arts) {
      HPDF_Dict art = new_indirect_dict(what);
      HPDF_Array kids = HPDF_Array_New(doc_->mmgr);
      if (!art || !got(kids, what) || !ok(HPDF_Dict_AddName(art, "Type", "StructElem"), what) ||
          !ok(HPDF_Dict_AddName(art, "S", "Art"), what) || !ok(HPDF_Dict_Add(art, "P", doc), what) ||
          !ok(HPDF_Dict_Add(art, "K", kids), what) || !ok(HPDF_Array_Add(doc_kids, art), what))
        return false;
      std::sort(top.begin(), top.end(), by_order);
      // libharu's arrays hold at most HPDF_LIMIT_MAX_ARRAY items: an article with more
      // elements (80 000 paragraphs) groups them, in order, in Div elements of that many
      // (the generic grouping element, ISO 32000-1 Table 334).
      HPDF_Dict holder = art;
      HPDF_Array holder_kids = kids;
      for (size_t i = 0; i < top.size(); ++i) {
        if (top.size() > HPDF_LIMIT_MAX_ARRAY && i % HPDF_LIMIT_MAX_ARRAY == 0) {
          holder = new_indirect_dict(what);
          holder_kids = HPDF_Array_New(doc_->mmgr);
          if (!holder || !got(holder_kids, what) || !ok(HPDF_Dict_AddName(holder, "S", "Div"), what) ||
              !ok(HPDF_Dict_Add(holder, "P", art), what) ||
              !ok(HPDF_Dict_Add(holder, "K", holder_kids), what) ||
              !ok(HPDF_Array_Add(kids, holder), what))
            return false;
        }
        HPDF_Dict d = elems_[static_cast<size_t>(top[i])].dict;
        if (!ok(HPDF_Array_Add(holder_kids, d), what) || !ok(HPDF_Dict_Add(d, "P", holder), what))
          return false;
      }
    }
    // A Figure holding a picture's Figure and captions speaks for both: the picture's alt text,
    // then the captions (its /Alt replaces its content for a screen reader).
    for (Elem& e : elems_) {
      if (e.role != layout::StructRole::Figure || !e.alt.empty() || e.kids.empty()) continue;
      std::string alt, captions;
      for (int k : e.kids) {
        const Elem& kid = elems_[static_cast<size_t>(k)];
        if (kid.role == layout::StructRole::Figure && alt.empty()) alt = kid.alt;
        if (kid.role == layout::StructRole::Caption && !kid.text.empty())
          captions += (captions.empty() ? "" : " ") + kid.text;
      }
      e.alt = alt.empty() ? captions : captions.empty() ? alt : alt + ". " + captions;
    }
    for (Elem& e : elems_) {
      // /Type /StructElem is optional (Table 323) and left out: a 20-page article has hundreds.
      HPDF_Dict d = e.dict;
      if (!ok(HPDF_Dict_AddName(d, "S", role_name(e.role)), what)) return false;
      if (e.parent >= 0 && !ok(HPDF_Dict_Add(d, "P", elems_[static_cast<size_t>(e.parent)].dict), what))
        return false;
      if (!e.alt.empty() && !add_text(d, "Alt", e.alt)) return false;
      if (e.role == layout::StructRole::TH) {
        // A header cell heads its column (Matterhorn 15-003: TH needs /Scope).
        HPDF_Dict a = HPDF_Dict_New(doc_->mmgr);
        if (!got(a, what) || !ok(HPDF_Dict_AddName(a, "O", "Table"), what) ||
            !ok(HPDF_Dict_AddName(a, "Scope", "Column"), what) || !ok(HPDF_Dict_Add(d, "A", a), what))
          return false;
      }
      HPDF_Array k = HPDF_Array_New(doc_->mmgr);
      if (!got(k, what) || !ok(HPDF_Dict_Add(d, "K", k), what)) return false;
      if (!e.kids.empty()) {
        std::sort(e.kids.begin(), e.kids.end(), by_order);
        for (int c : e.kids)
          if (!ok(HPDF_Array_Add(k, elems_[static_cast<size_t>(c)].dict), what)) return false;
        continue;
      }
      for (auto [page, annot] : e.annots) {
        HPDF_Dict objr = HPDF_Dict_New(doc_->mmgr);
        if (!got(objr, what) || !ok(HPDF_Dict_AddName(objr, "Type", "OBJR"), what) ||
            !ok(HPDF_Dict_Add(objr, "Obj", annot), what) ||
            !ok(HPDF_Dict_Add(objr, "Pg", pages_[page]), what) || !ok(HPDF_Array_Add(k, objr), what))
          return false;
      }
      // Marked content: a bare MCID on the element's own /Pg, an MCR elsewhere (§14.7.4.2).
      if (e.mcids.empty()) continue;
      uint32_t pg = e.mcids.front().first;
      if (!ok(HPDF_Dict_Add(d, "Pg", pages_[pg]), what)) return false;
      for (auto [page, mcid] : e.mcids) {
        if (page == pg) {
          if (!ok(HPDF_Array_AddNumber(k, mcid), what)) return false;
          continue;
        }
        HPDF_Dict mcr = HPDF_Dict_New(doc_->mmgr);
        if (!got(mcr, what) || !ok(HPDF_Dict_AddName(mcr, "Type", "MCR"), what) ||
            !ok(HPDF_Dict_Add(mcr, "Pg", pages_[page]), what) ||
            !ok(HPDF_Dict_AddNumber(mcr, "MCID", mcid), what) || !ok(HPDF_Array_Add(k, mcr), what))
          return false;
      }
    }
    // The ParentTree (§14.7.4.4): page i has /StructParents i; its array gives, by MCID, the
    // element that holds that marked content.
    HPDF_Dict parents = new_indirect_dict(what);
    HPDF_Array nums = HPDF_Array_New(doc_->mmgr);
    if (!parents || !got(nums, what) || !ok(HPDF_Dict_Add(parents, "Nums", nums), what) ||
        !ok(HPDF_Dict_Add(root, "ParentTree", parents), what) ||
        !ok(HPDF_Dict_AddNumber(root, "ParentTreeNextKey",
                                static_cast<HPDF_INT32>(pages_.size() + link_parents_.size())), what))
      return false;
    for (size_t i = 0; i < pages_.size() && i < page_marks_.size(); ++i) {
      HPDF_Array arr = HPDF_Array_New(doc_->mmgr);
      if (!got(arr, what) || !ok(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(i)), what) ||
          !ok(HPDF_Array_Add(nums, arr), what) ||
          !ok(HPDF_Dict_AddNumber(pages_[i], "StructParents", static_cast<HPDF_INT32>(i)), what))
        return false;
      for (int e : page_marks_[i].elems)
        if (!ok(HPDF_Array_Add(arr, elems_[static_cast<size_t>(e)].dict), what)) return false;
    }
    for (size_t i = 0; i < link_parents_.size(); ++i)
      if (!ok(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(pages_.size() + i)), what) ||
          !ok(HPDF_Array_Add(nums, elems_[static_cast<size_t>(link_parents_[i])].dict), what))
        return false;
    // The catalog: a tagged file (§14.7.1), shown by its title (PDF/UA 7.1, Matterhorn 07-001).
    HPDF_Dict mark = HPDF_Dict_New(doc_->mmgr);
    if (!got(mark, what) || !ok(HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE), what) ||
        !ok(HPDF_Dict_Add(doc_->catalog, "MarkInfo", mark), what) ||
        !ok(HPDF_Dict_Add(doc_->catalog, "StructTreeRoot", root), what))
      return false;
    HPDF_Dict prefs = static_cast<HPDF_Dict>(
        HPDF_Dict_GetItem(doc_->catalog, "ViewerPreferences", HPDF_OCLASS_DICT));
    if (!prefs) {
      prefs = HPDF_Dict_New(doc_->mmgr);
      if (!got(prefs, what) || !ok(HPDF_Dict_Add(doc_->catalog, "ViewerPreferences", prefs), what))
        return false;
    }
    hash("tagged " + std::to_string(elems_.size()));
    return ok(HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE), what);
  }

  // Paints a placed image into `content`. The image's unit square is mapped onto the rect,
  // turned or mirrored as its EXIF orientation says (PDF 32000-1 §8.3.4 and §8.9.4: image
  // space is the unit square, the first row at the top). (s, t) = (a u + c v + e, b u + d v + f)
  // per orientation.
  bool draw_image(HPDF_Page hpage, const layout::ImageItem& item, std::string& content) {
    uint32_t index = image_index_.at(item.image.get());
    HPDF_Image img = image(index);
    if (!img) return false;
    if (!item.image->alpha.empty()) transparent_page_ = true;
    step("drawing an image", {item.image->path});
    static constexpr double kOrient[9][6] = {
        {1, 0, 0, 1, 0, 0},  {1, 0, 0, 1, 0, 0},   {-1, 0, 0, 1, 1, 0}, {-1, 0, 0, -1, 1, 1},
        {1, 0, 0, -1, 0, 1}, {0, -1, -1, 0, 1, 1}, {0, -1, 1, 0, 0, 1}, {0, 1, 1, 0, 0, 0},
        {0, 1, -1, 0, 1, 0}};
    const double* m = kOrient[item.orientation <= 8 ? item.orientation : 1];
    const Rect& at = item.picture ? *item.picture : item.rect;
    double x = at.x.v, y = at.y.v, w = at.w.v, h = at.h.v;
    // Registers the XObject in the page's resources, as HPDF_Page_ExecuteXObject would; the
    // operators go into `content`, so that the page is one stream compressed once.
    const char* xobject = HPDF_Page_GetXObjectName(hpage, img);
    if (!got(xobject, "drawing an image")) return false;
    content += "q\n";
    if (item.picture) {
      // Cropped: only what falls inside the rect shows (§8.5.4, clipping path).
      for (double v : {item.rect.x.v, item.rect.y.v, item.rect.w.v, item.rect.h.v})
        content.append(format_number(v, 4)).push_back(' ');
      content += "re W n\n";
    }
    for (double v : {w * m[0], h * m[1], w * m[2], h * m[3], x + w * m[4], y + h * m[5]})
      content.append(format_number(v, 4)).push_back(' ');
    content.append("cm\n/").append(xobject).append(" Do\nQ\n");
    hash("image " + std::to_string(index) + ' ' + format_number(item.rect.x.v) + ' ' +
         format_number(item.rect.y.v) + ' ' + format_number(item.rect.w.v) + ' ' +
         format_number(item.rect.h.v) +
         (item.orientation > 1 ? " o" + std::to_string(item.orientation) : "") +
         (item.picture ? " crop " + format_number(at.x.v) + ' ' + format_number(at.y.v) + ' ' +
                             format_number(at.w.v) + ' ' + format_number(at.h.v)
                       : ""));
    return true;
  }

  // TrimBox and BleedBox on every page (ISO 15930-7 §6.2.2; ISO 32000-1 §14.11.2). The layout's
  // coordinates stay as they are: the trim box is [0 0 w h] and the MediaBox grows outwards,
  // with a negative origin, by the bleed and the room the marks need.
  bool set_boxes(HPDF_Page page, const Page& p, Pt bleed, bool crop, bool cross) {
    const char* what = "setting the page boxes";
    double b = std::max(0.0, bleed.v);
    double m = detail::media_margin(Pt(b), crop, cross).v;
    auto box = [&](const char* key, double margin) {
      HPDF_Box r{static_cast<HPDF_REAL>(-margin), static_cast<HPDF_REAL>(-margin),
                 static_cast<HPDF_REAL>(p.width.v + margin),
                 static_cast<HPDF_REAL>(p.height.v + margin)};
      HPDF_Array a = HPDF_Box_Array_New(doc_->mmgr, r);
      return got(a, what) && ok(HPDF_Dict_Add(page, key, a), what);
    };
    hash("boxes " + format_number(b) + ' ' + format_number(m) + (crop ? " crop" : "") +
         (cross ? " cross" : ""));
    return box("MediaBox", m) && box("BleedBox", b) && box("TrimBox", 0);
  }

  // A page that paints soft-masked images gets a transparency group in the output space, so
  // compositing happens in the colour space the page is printed or archived in (§11.4.7;
  // ISO 19005-2 §6.2.10).
  bool add_page_group(HPDF_Page page) {
    const char* what = "adding a transparency group";
    HPDF_Dict group = HPDF_Dict_New(doc_->mmgr);
    return got(group, what) && ok(HPDF_Dict_AddName(group, "Type", "Group"), what) &&
           ok(HPDF_Dict_AddName(group, "S", "Transparency"), what) &&
           ok(HPDF_Dict_AddName(group, "CS", print() ? "DeviceCMYK" : "DeviceRGB"), what) &&
           ok(HPDF_Dict_Add(page, "Group", group), what);
  }

  // An ICC profile stream (§8.6.5.5), Flate-compressed.
  HPDF_Dict icc_stream(const detail::IccProfile& icc, const char* what) {
    HPDF_Dict stream = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
    if (!got(stream, what)) return nullptr;
    if (!ok(HPDF_Dict_AddNumber(stream, "N", icc.components), what) ||
        !write_stream(stream, icc.bytes, true, what))
      return nullptr;
    hash(icc.bytes);
    return stream;
  }

  HPDF_Dict srgb_stream() {
    if (!srgb_stream_) {
      if (detail::srgb_profile().bytes.empty()) {
        diags_.error({}, "PDF writer: lcms2 could not make the sRGB profile");
        sink_.failed = true;
        return nullptr;
      }
      srgb_stream_ = icc_stream(detail::srgb_profile(), "embedding the sRGB profile");
    }
    return srgb_stream_;
  }

  // [/ICCBased <sRGB stream>]: a fresh array for each use (a direct object has one owner).
  HPDF_Array srgb_colorspace() {
    HPDF_Dict icc = srgb_stream();
    if (!icc) return nullptr;
    HPDF_Array cs = HPDF_Array_New(doc_->mmgr);
    const char* what = "making an sRGB colour space";
    if (!got(cs, what) || !ok(HPDF_Array_AddName(cs, "ICCBased"), what) ||
        !ok(HPDF_Array_Add(cs, icc), what))
      return nullptr;
    return cs;
  }

  // ---- images -------------------------------------------------------------------------------

  // Loads each image of the table once, however many times it is placed.
  HPDF_Image image(uint32_t index) {
    if (image_cache_[index]) return image_cache_[index];
    const image::Image& im = *images_[index];
    step("embedding an image", {im.path});
    HPDF_Image img = nullptr;
    auto w = static_cast<HPDF_UINT>(im.width);
    auto h = static_cast<HPDF_UINT>(im.height);
    if (archive() && im.kind == image::Image::Kind::Jpeg && im.components == 4) {
      diags_.error({im.path}, "a CMYK JPEG cannot go into a PDF/A file with an sRGB output "
                              "intent (DeviceCMYK is not allowed, ISO 19005-2 §6.2.4.3)",
                   "save the photo as RGB, or render with --profile print");
      sink_.failed = true;
      return nullptr;
    }
    if (im.kind == image::Image::Kind::Jpeg) {
      // The JPEG file goes in unchanged with /DCTDecode (§7.4.8). The image dictionary is made
      // here from what image/ read and checked, rather than by HPDF_LoadJpegImageFromMem,
      // which parses the header again and copies the whole file into a stream of its own.
      const char* what = "embedding a JPEG image";
      img = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
      if (!got(img, what)) return nullptr;
      img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
      img->filter = HPDF_STREAM_FILTER_DCT_DECODE;
      const char* space = im.components == 1 ? "DeviceGray"
                          : im.components == 4 ? "DeviceCMYK" : "DeviceRGB";
      if (!ok(HPDF_Dict_AddName(img, "Type", "XObject"), what) ||
          !ok(HPDF_Dict_AddName(img, "Subtype", "Image"), what) ||
          !ok(HPDF_Dict_AddNumber(img, "Width", static_cast<HPDF_INT32>(im.width)), what) ||
          !ok(HPDF_Dict_AddNumber(img, "Height", static_cast<HPDF_INT32>(im.height)), what) ||
          !ok(HPDF_Dict_AddName(img, "ColorSpace", space), what) ||
          !ok(HPDF_Dict_AddNumber(img, "BitsPerComponent", 8), what) ||
          !read_from(img, im.data, what))
        return nullptr;
      // Adobe applications write CMYK inverted: /Decode [1 0 1 0 1 0 1 0] turns it back
      // (§8.9.5.2 Decode arrays).
      if (im.components == 4 && im.adobe_inverted) {
        HPDF_Array decode = HPDF_Array_New(doc_->mmgr);
        if (!got(decode, "embedding a CMYK JPEG") ||
            !ok(HPDF_Dict_Add(img, "Decode", decode), "embedding a CMYK JPEG"))
          return nullptr;
        for (int i = 0; i < 8; ++i)
          if (!ok(HPDF_Array_AddNumber(decode, i % 2 == 0 ? 1 : 0), "embedding a CMYK JPEG"))
            return nullptr;
      }
      // A three-component JPEG whose samples are RGB, not YCbCr (no JFIF, no Adobe marker
      // saying otherwise): DCTDecode would convert it from YCbCr unless told not to
      // (§7.4.8, Table 13, ColorTransform).
      if (im.jpeg_rgb_untransformed) {
        HPDF_Dict parms = HPDF_Dict_New(doc_->mmgr);
        if (!got(parms, "embedding an RGB JPEG") ||
            !ok(HPDF_Dict_AddNumber(parms, "ColorTransform", 0), "embedding an RGB JPEG") ||
            !ok(HPDF_Dict_Add(img, "DecodeParms", parms), "embedding an RGB JPEG"))
          return nullptr;
      }
      // Print: an RGB JPEG keeps its compressed data (re-encoding would lose quality) and is
      // tagged as sRGB, a device-independent space PDF/X-4 allows; the RIP converts it with
      // the output intent's profile (ISO 15930-7 §6.2.4).
      if (print() && im.components == 3) {
        HPDF_Array cs = srgb_colorspace();
        if (!cs || !ok(HPDF_Dict_Add(img, "ColorSpace", cs), "tagging an RGB JPEG as sRGB"))
          return nullptr;
      }
    } else {
      std::span<const uint8_t> data = im.data;
      std::vector<uint8_t> converted;
      int components = im.components;
      if (print() && components == 3) {
        converted = converter_->rgb_to_cmyk(im.data);
        components = 4;
        ++report_.rgb_images_converted;
      } else if (archive() && components == 4) {
        converted = detail::cmyk_to_rgb_pixels(im.data, false);
        components = 3;
        ++report_.cmyk_converted;
      }
      if (!converted.empty()) data = converted;
      HPDF_ColorSpace cs = components == 1   ? HPDF_CS_DEVICE_GRAY
                           : components == 3 ? HPDF_CS_DEVICE_RGB
                                             : HPDF_CS_DEVICE_CMYK;
      img = HPDF_LoadRawImageFromMem(doc_.get(), data.data(), w, h, cs, 8);
      if (!got(img, "embedding an image") || !recompress(img, data, "embedding an image"))
        return nullptr;
    }
    if (!im.alpha.empty()) {
      // Transparency as a soft mask (§11.6.5.3), a gray image of the same size.
      HPDF_Image mask = HPDF_LoadRawImageFromMem(doc_.get(), im.alpha.data(), w, h,
                                                 HPDF_CS_DEVICE_GRAY, 8);
      if (!got(mask, "embedding an image's alpha") ||
          !recompress(mask, im.alpha, "embedding an image's alpha") ||
          !ok(HPDF_Image_AddSMask(img, mask), "embedding an image's alpha"))
        return nullptr;
      hash(im.alpha);
    }
    hash("image " + std::to_string(im.width) + 'x' + std::to_string(im.height) + 'x' +
         std::to_string(im.components) + (im.adobe_inverted ? "i" : "") +
         (im.jpeg_rgb_untransformed ? "r" : ""));
    if (im.content_hash[0] != 0 || im.content_hash[1] != 0) {  // the file's hash, from image/
      char h[16];
      std::memcpy(h, im.content_hash, sizeof h);
      hash(std::string_view(h, sizeof h));
    } else {
      hash(im.data);
    }
    image_cache_[index] = img;
    return img;
  }

  // ---- fonts --------------------------------------------------------------------------------

  // Fills in the Type0 font made at first use, now that every used glyph and its text are known:
  // Type0 -> CIDFontType2 (or CIDFontType0 for CFF outlines) -> FontDescriptor -> font file,
  // plus the ToUnicode CMap (ISO 32000-1 §9.7 composite fonts, §9.8, §9.9, §9.10.3).
  bool finish_font(FontState& font) {
    const FontProgram& prog = *font.program;
    step("embedding a font", {prog.path});
    const std::vector<uint32_t>& gids = font.gids;
    std::optional<detail::SubsetFont>& subset = font.subset;  // subset_fonts made sure of it
    // The subset tag makes `pdffonts` and preflight tools see a subset (pitfall 6, §9.9.2).
    std::string base = detail::subset_tag(prog.postscript_name, gids) + '+' +
                       detail::base_font_name(prog);
    hash(base);
    hash(subset->bytes);
    report_.fonts.push_back({prog.postscript_name, prog.path, gids.size()});

    HPDF_MMgr mmgr = doc_->mmgr;
    HPDF_Xref xref = doc_->xref;
    const char* what = "embedding a font";
    auto scale = [&](int v) {
      return static_cast<HPDF_INT32>(std::lround(v * 1000.0 / prog.units_per_em));
    };

    // Font file (§9.9): our own stream, so its filter is set by hand (pitfall 2).
    HPDF_Dict file = HPDF_DictStream_New(mmgr, xref);
    if (!got(file, what)) return false;
    if (subset->cff) {
      if (!ok(HPDF_Dict_AddName(file, "Subtype", "OpenType"), what)) return false;
    } else {
      if (!ok(HPDF_Dict_AddNumber(file, "Length1",
                                  static_cast<HPDF_INT32>(subset->bytes.size())),
              what))
        return false;
    }
    defer_stream(file, std::move(subset->bytes), true, what, kFontFlateLevel);

    // FontDescriptor (§9.8): metrics in glyph space, 1000 units per em.
    HPDF_Dict desc = new_indirect_dict(what);
    if (!desc) return false;
    HPDF_Array bbox = HPDF_Array_New(mmgr);
    if (!got(bbox, what) || !ok(HPDF_Dict_AddName(desc, "Type", "FontDescriptor"), what) ||
        !ok(HPDF_Dict_AddName(desc, "FontName", base.c_str()), what) ||
        !ok(HPDF_Dict_AddNumber(desc, "Flags", detail::descriptor_flags(prog)), what) ||
        !ok(HPDF_Dict_Add(desc, "FontBBox", bbox), what))
      return false;
    for (int v : prog.bbox)
      if (!ok(HPDF_Array_AddNumber(bbox, scale(v)), what)) return false;
    int cap = prog.cap_height != 0 ? prog.cap_height : prog.ascender;
    // StemV is required but no font table records it; it only guides substitution, which an
    // embedded font never needs. A regular weight's typical value, heavier for bold.
    int stem_v = prog.bold ? 140 : 80;
    if (!ok(HPDF_Dict_AddReal(desc, "ItalicAngle", static_cast<HPDF_REAL>(prog.italic_angle)),
            what) ||
        !ok(HPDF_Dict_AddNumber(desc, "Ascent", scale(prog.ascender)), what) ||
        !ok(HPDF_Dict_AddNumber(desc, "Descent", scale(prog.descender)), what) ||
        !ok(HPDF_Dict_AddNumber(desc, "CapHeight", scale(cap)), what) ||
        !ok(HPDF_Dict_AddNumber(desc, "StemV", stem_v), what) ||
        !ok(HPDF_Dict_Add(desc, subset->cff ? "FontFile3" : "FontFile2", file), what))
      return false;
    if (prog.x_height != 0 &&
        !ok(HPDF_Dict_AddNumber(desc, "XHeight", scale(prog.x_height)), what))
      return false;

    // CIDFont (§9.7.4): CIDs are glyph IDs of the subset (subset->cids): TrueType with
    // /CIDToGIDMap /Identity over the renumbered glyphs; CFF, whose glyph IDs were retained,
    // through its charset or as glyph indices.
    HPDF_Dict cid = new_indirect_dict(what);
    if (!cid) return false;
    HPDF_Dict info = HPDF_Dict_New(mmgr);
    if (!got(info, what) || !ok(HPDF_Dict_AddName(cid, "Type", "Font"), what) ||
        !ok(HPDF_Dict_AddName(cid, "Subtype", subset->cff ? "CIDFontType0" : "CIDFontType2"),
            what) ||
        !ok(HPDF_Dict_AddName(cid, "BaseFont", base.c_str()), what) ||
        !ok(HPDF_Dict_Add(cid, "CIDSystemInfo", info), what) ||
        !ok(HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, "Adobe", nullptr)), what) ||
        !ok(HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mmgr, "Identity", nullptr)), what) ||
        !ok(HPDF_Dict_AddNumber(info, "Supplement", 0), what) ||
        !ok(HPDF_Dict_Add(cid, "FontDescriptor", desc), what))
      return false;
    // A glyph with a second text has a second code (fonts.h, CidMap): then a map is written.
    std::string cid_to_gid = detail::cid_to_gid_map(font.usage, subset->cids);
    if (!subset->cff && cid_to_gid.empty() &&
        !ok(HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity"), what))
      return false;
    if (!subset->cff && !cid_to_gid.empty()) {
      HPDF_Dict map = HPDF_DictStream_New(mmgr, xref);
      if (!got(map, what) || !ok(HPDF_Dict_Add(cid, "CIDToGIDMap", map), what)) return false;
      hash(cid_to_gid);
      defer_stream(map, std::move(cid_to_gid), true, what);
    }
    // /W (§9.7.4.3) for the used glyphs only, as `c [w1 w2 ...]` groups of consecutive CIDs,
    // each width the original glyph's advance (the content writer positions with the same).
    HPDF_Array widths = HPDF_Array_New(mmgr);
    if (!got(widths, what) || !ok(HPDF_Dict_Add(cid, "W", widths), what)) return false;
    for (const detail::WidthRange& range : detail::width_ranges(prog, gids, subset->cids, &font.usage)) {
      HPDF_Array group = HPDF_Array_New(mmgr);
      if (!ok(HPDF_Array_AddNumber(widths, static_cast<HPDF_INT32>(range.first)), what) ||
          !got(group, what) || !ok(HPDF_Array_Add(widths, group), what))
        return false;
      for (int w : range.widths)
        if (!ok(HPDF_Array_AddNumber(group, w), what)) return false;
    }

    // ToUnicode (§9.10.3).
    std::string cmap = detail::tounicode_cmap(font.usage, subset->cids);
    hash(cmap);
    HPDF_Dict tounicode = HPDF_DictStream_New(mmgr, xref);
    if (!got(tounicode, what)) return false;
    defer_stream(tounicode, std::move(cmap), options_.compress, what, kCMapFlateLevel);

    // Type0 (§9.7.6): two-byte codes = CIDs through Identity-H.
    HPDF_Array descendants = HPDF_Array_New(mmgr);
    HPDF_Dict type0 = font.type0;
    return got(descendants, what) && ok(HPDF_Dict_AddName(type0, "Type", "Font"), what) &&
           ok(HPDF_Dict_AddName(type0, "Subtype", "Type0"), what) &&
           ok(HPDF_Dict_AddName(type0, "BaseFont", base.c_str()), what) &&
           ok(HPDF_Dict_AddName(type0, "Encoding", "Identity-H"), what) &&
           ok(HPDF_Dict_Add(type0, "DescendantFonts", descendants), what) &&
           ok(HPDF_Array_Add(descendants, cid), what) &&
           ok(HPDF_Dict_Add(type0, "ToUnicode", tounicode), what);
  }

  // ---- navigation ---------------------------------------------------------------------------

  // Bookmarks (§12.3.3): a level-0 entry per headline, level-1 entries (subheads) under the
  // headline before them, each going to /XYZ at the top of the heading.
  bool write_outlines() {
    if (tree_.outline.empty()) return true;
    step("writing bookmarks");
    const char* what = "writing bookmarks";
    HPDF_Outline last_top = nullptr;
    for (const layout::OutlineEntry& e : tree_.outline) {
      if (e.page >= pages_.size() || !finite(e.y) || e.title.empty()) continue;
      HPDF_Outline parent = e.level > 0 ? last_top : nullptr;
      HPDF_Outline o = HPDF_CreateOutline(doc_.get(), parent, "", nullptr);
      if (!got(o, what) || !add_text(o, "Title", e.title)) return false;
      HPDF_Array dest = HPDF_Array_New(doc_->mmgr);
      if (!got(dest, what) || !ok(HPDF_Array_Add(dest, pages_[e.page]), what) ||
          !ok(HPDF_Array_AddName(dest, "XYZ"), what) ||
          !ok(HPDF_Array_AddNumber(dest, 0), what) ||
          !ok(HPDF_Array_AddReal(dest, static_cast<HPDF_REAL>(e.y.v)), what) ||
          !ok(HPDF_Array_Add(dest, HPDF_Null_New(doc_->mmgr)), what) ||
          !ok(HPDF_Dict_Add(o, "Dest", dest), what) ||
          !ok(HPDF_Outline_SetOpened(o, HPDF_TRUE), what))
        return false;
      hash("outline " + std::to_string(e.level) + ' ' + std::to_string(e.page) + ' ' +
           format_number(e.y.v));
      if (e.level == 0) last_top = o;
    }
    return ok(HPDF_SetPageMode(doc_.get(), HPDF_PAGE_MODE_USE_OUTLINE), what);
  }

  // /PageLabels (§12.4.2): a run of pages numbered n, n+1, ... is one decimal range; any other
  // label becomes a range of one page whose prefix is the label.
  bool write_page_labels() {
    step("writing page labels");
    const char* what = "writing page labels";
    auto number = [](const std::string& s) -> long {
      if (s.empty() || s.size() > 9 || s[0] == '0' ||
          !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
      return std::stol(s);
    };
    HPDF_Dict labels = HPDF_Dict_New(doc_->mmgr);
    HPDF_Array nums = HPDF_Array_New(doc_->mmgr);
    if (!got(labels, what) || !got(nums, what) || !ok(HPDF_Dict_Add(labels, "Nums", nums), what))
      return false;
    long expect = -1;  // the number that continues the current decimal range
    for (size_t i = 0; i < tree_.pages.size(); ++i) {
      const std::string& label = tree_.pages[i].label;
      long n = number(label);
      if (n > 0 && n == expect) {
        ++expect;
        continue;
      }
      HPDF_Dict range = HPDF_Dict_New(doc_->mmgr);
      if (!got(range, what) ||
          !ok(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(i)), what) ||
          !ok(HPDF_Array_Add(nums, range), what))
        return false;
      if (n > 0) {
        if (!ok(HPDF_Dict_AddName(range, "S", "D"), what) ||
            !ok(HPDF_Dict_AddNumber(range, "St", static_cast<HPDF_INT32>(n)), what))
          return false;
        expect = n + 1;
      } else {
        if (!label.empty() && !add_text(range, "P", label)) return false;
        expect = -1;
      }
    }
    return ok(HPDF_Dict_Add(doc_->catalog, "PageLabels", labels), what);
  }

  // ---- document -----------------------------------------------------------------------------

  // A PDF text string (§7.9.2.2): plain when it is printable ASCII (a subset of PDFDocEncoding),
  // otherwise UTF-16BE with a byte order mark, written as a hex string.
  bool add_text(HPDF_Dict dict, const char* key, std::string_view utf8) {
    hash(key);
    hash(utf8);
    bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
    });
    void* value;
    if (ascii) {
      std::string s(utf8);
      value = HPDF_String_New(doc_->mmgr, s.c_str(), nullptr);
    } else {
      std::u16string units;
      detail::append_utf16(units, utf8);
      std::vector<HPDF_BYTE> bytes;
      bytes.reserve(2 + units.size() * 2);
      bytes.push_back(0xFE);
      bytes.push_back(0xFF);
      for (char16_t u : units) {
        bytes.push_back(static_cast<HPDF_BYTE>(u >> 8));
        bytes.push_back(static_cast<HPDF_BYTE>(u & 0xFF));
      }
      value = HPDF_Binary_New(doc_->mmgr, bytes.data(), static_cast<HPDF_UINT>(bytes.size()));
    }
    return got(value, "writing document information") &&
           ok(HPDF_Dict_Add(dict, key, value), "writing document information");
  }

  bool write_info() {
    step("writing document information");
    const char* what = "writing document information";
    // Creates the Info dict if libharu has not yet (it puts its own Producer there).
    if (!ok(HPDF_SetInfoAttr(doc_.get(), HPDF_INFO_CREATOR, "trang"), what)) return false;
    HPDF_Dict info = doc_->info;
    if (!got(info, what)) return false;
    const layout::DocInfo& di = tree_.info;
    if (print() && di.title.empty()) {
      // PDF/X requires a title (ISO 15930-7 §6.7.2).
      diags_.warning({}, "the article has no headline; the PDF/X title is 'Untitled'");
      if (!add_text(info, "Title", "Untitled")) return false;
    }
    if ((!di.title.empty() && !add_text(info, "Title", di.title)) ||
        (!di.author.empty() && !add_text(info, "Author", di.author)) ||
        (!di.subject.empty() && !add_text(info, "Subject", di.subject)) ||
        (!di.keywords.empty() && !add_text(info, "Keywords", di.keywords)) ||
        !add_text(info, "Creator", "trang"))
      return false;
    if (!options_.producer.empty()) {
      if (!add_text(info, "Producer", options_.producer)) return false;
    } else if (HPDF_Dict_GetItem(info, "Producer", HPDF_OCLASS_STRING)) {
      if (!ok(HPDF_Dict_RemoveElement(info, "Producer"), what)) return false;
    }
    if (!di.language.empty()) {
      // /Lang (§14.9.2.1): a BCP 47 tag is ASCII letters, digits and hyphens.
      bool valid = std::all_of(di.language.begin(), di.language.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
      });
      if (!valid) {
        diags_.warning({}, "document language '" + di.language +
                               "' is not a BCP 47 tag; /Lang is left out");
      } else if (!add_text(doc_->catalog, "Lang", di.language)) {
        return false;
      }
    }
    if (date_) {
      // One date for both keys and for the XMP packet, which must agree (ISO 19005-2 §6.6.3).
      std::string d = detail::pdf_date(*date_);
      if (!add_text(info, "CreationDate", d) || !add_text(info, "ModDate", d)) return false;
    }
    if (print()) {
      // ISO 15930-7 §6.7.5: the version key and a Trapped key that is True or False. trang
      // does no trapping, so False.
      if (!add_text(info, "GTS_PDFXVersion", "PDF/X-4") ||
          !ok(HPDF_Dict_AddName(info, "Trapped", "False"), what))
        return false;
    }
    return true;
  }

  // The output intent (§14.11.5): PDF/X names the printing condition and embeds the press
  // profile when one was given; PDF/A names sRGB and embeds it.
  bool write_output_intent() {
    if (options_.profile == Profile::Screen) return true;
    step("writing the output intent");
    const char* what = "writing the output intent";
    HPDF_Dict intent = new_indirect_dict(what);
    if (!intent) return false;
    std::string id = print() ? options_.output_condition : "sRGB IEC61966-2.1";
    std::string info = print() ? (output_icc_ && !output_icc_->description.empty()
                                      ? output_icc_->description
                                      : options_.output_condition_info)
                               : "sRGB IEC61966-2.1";
    if (!ok(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), what) ||
        !ok(HPDF_Dict_AddName(intent, "S", print() ? "GTS_PDFX" : "GTS_PDFA1"), what) ||
        !add_text(intent, "OutputConditionIdentifier", id) ||
        !add_text(intent, "OutputCondition", info) ||
        !add_text(intent, "RegistryName", "http://www.color.org") ||
        !add_text(intent, "Info", info))
      return false;
    HPDF_Dict icc = nullptr;
    if (print() && output_icc_) {
      icc = icc_stream(*output_icc_, what);
      if (!icc) return false;
      report_.output_profile_embedded = true;
    } else if (archive()) {
      icc = srgb_stream();
      if (!icc) return false;
    }
    if (icc && !ok(HPDF_Dict_Add(intent, "DestOutputProfile", icc), what)) return false;
    HPDF_Array intents = HPDF_Array_New(doc_->mmgr);
    return got(intents, what) && ok(HPDF_Array_Add(intents, intent), what) &&
           ok(HPDF_Dict_Add(doc_->catalog, "OutputIntents", intents), what);
  }

  // The XMP packet (§14.3.2), uncompressed so that tools which do not parse PDF can find it
  // (PDF/A-1 required it unfiltered; it costs little anywhere).
  bool write_metadata() {
    // Screen PDFs carry XMP only when tagged: PDF/UA names itself there (pdfuaid:part).
    if (options_.profile == Profile::Screen && !options_.tagged) return true;
    step("writing the XMP metadata");
    const char* what = "writing the XMP metadata";
    const layout::DocInfo& di = tree_.info;
    detail::XmpFields f;
    f.title = di.title.empty() && print() ? "Untitled" : di.title;
    f.author = di.author;
    f.subject = di.subject;
    f.keywords = di.keywords;
    f.language = di.language;
    f.creator_tool = "trang";
    f.producer = options_.producer;
    if (date_) f.date = detail::xmp_date(*date_);
    f.document_id = detail::uuid_from_bytes(digest_);
    if (options_.tagged) f.pdfua_part = 1;
    if (archive()) {
      f.pdfa_part = 2;
      f.pdfa_conformance = "B";
    } else if (print()) {
      f.pdfx_version = "PDF/X-4";
      f.trapped_false = true;
    }
    std::string xmp = detail::xmp_packet(f);
    HPDF_Dict stream = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
    if (!got(stream, what)) return false;
    stream->filter = HPDF_STREAM_FILTER_NONE;
    return ok(HPDF_Dict_AddName(stream, "Type", "Metadata"), what) &&
           ok(HPDF_Dict_AddName(stream, "Subtype", "XML"), what) &&
           ok(HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(xmp.data()),
                                static_cast<HPDF_UINT>(xmp.size())),
              what) &&
           ok(HPDF_Dict_Add(doc_->catalog, "Metadata", stream), what);
  }

  // The file identifier (§14.4): a hash of everything written, so the same input gives the same
  // /ID and the file is byte-identical; outside deterministic mode the clock is mixed in.
  bool write_id() {
    step("writing the file identifier");
    const char* what = "writing the file identifier";
    if (!options_.deterministic) {
      auto now = std::chrono::system_clock::now().time_since_epoch().count();
      hash(std::to_string(now));
    }
    for (int lane = 0; lane < 2; ++lane)
      for (int k = 0; k < 8; ++k) digest_[lane * 8 + k] = static_cast<HPDF_BYTE>(id_[lane] >> (8 * k));
    HPDF_Array id = HPDF_Array_New(doc_->mmgr);
    if (!got(id, what) || !ok(HPDF_Dict_Add(doc_->trailer, "ID", id), what)) return false;
    for (int i = 0; i < 2; ++i)
      if (!ok(HPDF_Array_Add(id, HPDF_Binary_New(doc_->mmgr, digest_, sizeof digest_)), what))
        return false;
    return true;
  }

  std::optional<PdfBytes> save() {
    step("saving the document");
    // 2.3.0 has no setter for the version; the struct field is the way (pitfall 13). 1.6 covers
    // soft masks (1.4) and OpenType font files (1.6).
    doc_->pdf_version = HPDF_VER_16;
    PdfBytes out;
    size_t guess = 64u << 10;  // the JPEGs are lent (read_from), the rest is copied
    for (size_t i = 0; i < images_.size(); ++i)
      if (image_cache_[i] && images_[i]->kind != image::Image::Kind::Jpeg)
        guess += images_[i]->data.size() + images_[i]->alpha.size();
    out.own.reserve(guess + (16u << 10) * tree_.pages.size());
    // HPDF_SaveToStream writes into the document's stream when there is one; only a memory
    // stream would be emptied first (append_to_string).
    HPDF_Stream sink = HPDF_CallbackWriter_New(doc_->mmgr, append_to_string, &out.own);
    if (!got(sink, "saving the document")) return std::nullopt;
    doc_->stream = sink;  // freed with the document
    for (auto& source : sources_) {
      source->lend_to = &out;
      source->sink = sink;
    }
    if (!ok(HPDF_SaveToStream(doc_.get()), "saving the document")) return std::nullopt;
    if (sink_.failed) return std::nullopt;
    if (out.size() != sink->size) {
      diags_.error({}, "internal error: the PDF's pieces do not add up to what libharu wrote");
      return std::nullopt;
    }
    out.keep = std::make_shared<const std::vector<std::shared_ptr<const image::Image>>>(images_);
    return out;
  }

  const PageTree& tree_;
  // The placed images in first-use order (validate), and each one's place in that list.
  std::vector<std::shared_ptr<const image::Image>> images_;
  std::unordered_map<const image::Image*, uint32_t> image_index_;
  const Options& options_;
  Diagnostics& diags_;
  WriteReport& report_;
  ErrorSink sink_;
  DocPtr doc_;
  uint64_t id_[2] = {0x243f6a8885a308d3ull, 0x13198a2e03707344ull};  // /ID lanes (pi's digits)
  std::vector<std::unique_ptr<FontState>> fonts_;  // by FontId; null until first used
  // The fonts in first use, the order their objects are finished in: the bytes of an article
  // do not depend on the ids a font cache shared across a batch gave them.
  std::vector<FontState*> font_order_;
  // A page whose text is still to be written (write_page, write_texts).
  struct PageText {
    const Page* page = nullptr;
    HPDF_Page hpage = nullptr;
    size_t index = 0;
    std::string content;                 // graphics before the first run; then everything
    std::vector<const GlyphRun*> runs;   // with glyphs, in paint order
    std::deque<GlyphRun> moved;          // runs of groups with an offset, moved there
    // Graphics painted after some runs: (runs before them, their content).
    std::vector<std::pair<size_t, std::string>> graphics;
    std::vector<const char*> resources;  // per run: its font's resource name
    std::vector<Color> colors;           // per run: its colour for the profile
    std::vector<std::string> tags;       // tagged: per run, the BDC/BMC it is drawn in
    bool marks = false;                  // print: crop and registration marks after the text
    Pt bleed;
    bool crop = false, cross = false;
    detail::RunIssues issues;
  };
  std::vector<PageText> texts_;
  std::vector<Elem> elems_;
  std::map<std::tuple<uint32_t, uint32_t, uint8_t>, int> elem_of_;
  std::vector<PageMarks> page_marks_;
  std::set<int> alt_warned_;
  std::vector<int> link_parents_;  // Link elements by ParentTree key - page count
  struct Pending {
    HPDF_Dict dict;
    std::string bytes;
    bool compress;
    const char* what;
    int level;
    std::vector<uint8_t> deflated;
  };
  std::vector<Pending> pending_;  // defer_stream's, written by flush_pending
  std::vector<uint8_t> deflated_;  // write_stream's output buffer, reused
  std::vector<std::unique_ptr<ByteSource>> sources_;  // read_from's, alive until save
  std::vector<HPDF_Image> image_cache_;           // by image index; owned by the document
  std::u16string scratch_;
  std::vector<HPDF_Page> pages_;                   // in tree order, for outline destinations
  std::optional<detail::IccProfile> output_icc_;   // print: the press profile
  std::unique_ptr<detail::ColorConverter> converter_;  // print only
  std::optional<detail::DocDate> date_;            // CreationDate/ModDate/xmp dates
  HPDF_Dict srgb_stream_ = nullptr;                // one sRGB ICC stream per document
  bool transparent_page_ = false;                  // the current page paints a soft mask
  HPDF_BYTE digest_[16] = {};                      // /ID, also the XMP document ID
};

}  // namespace

const char* profile_name(Profile profile) {
  switch (profile) {
    case Profile::Screen: return "screen";
    case Profile::Print: return "print";
    case Profile::Archive: return "archive";
  }
  return "screen";
}

size_t PdfBytes::size() const {
  size_t n = own.size();
  for (const Borrowed& b : borrowed) n += b.size;
  return n;
}

std::vector<std::string_view> PdfBytes::pieces() const {
  std::vector<std::string_view> out;
  out.reserve(2 * borrowed.size() + 1);
  size_t from = 0;
  for (const Borrowed& b : borrowed) {
    if (b.at > from) out.push_back(std::string_view(own).substr(from, b.at - from));
    if (b.size) out.emplace_back(reinterpret_cast<const char*>(b.data), b.size);
    from = b.at;
  }
  if (own.size() > from) out.push_back(std::string_view(own).substr(from));
  return out;
}

std::string PdfBytes::joined() const {
  std::string out;
  out.reserve(size());
  for (std::string_view piece : pieces()) out += piece;
  return out;
}

std::string PdfBytes::head(size_t n) const {
  std::string out;
  for (std::string_view piece : pieces()) {
    if (out.size() >= n) break;
    out += piece.substr(0, n - out.size());
  }
  return out;
}

std::string PdfBytes::tail(size_t n) const {
  std::string out;  // built backwards, piece by piece
  std::vector<std::string_view> all = pieces();
  for (auto it = all.rbegin(); it != all.rend() && out.size() < n; ++it) {
    size_t take = std::min(n - out.size(), it->size());
    out.insert(0, it->substr(it->size() - take));
  }
  return out;
}

std::optional<PdfBytes> write_pdf_pieces(const layout::PageTree& tree, const Options& options,
                                         Diagnostics& diags, WriteReport* report) {
  WriteReport local;
  Writer writer(tree, options, diags, report ? *report : local);
  return writer.write();
}

std::optional<std::string> write_pdf(const layout::PageTree& tree, const Options& options,
                                     Diagnostics& diags, WriteReport* report) {
  auto pieces = write_pdf_pieces(tree, options, diags, report);
  if (!pieces) return std::nullopt;
  return pieces->joined();
}

}  // namespace trang::pdf

// libharu copies every stream byte through HPDF_MemCpy, a byte-at-a-time loop: the photos of an
// article went through it three times (into the image stream, into the saved document, and out
// of it), which was a fifth of a one-page render. JPEGs no longer pass through libharu at all
// (PdfBytes), but the other streams (fonts, content, PNG samples) still do, in libharu's 4 KB
// buffers. libharu calls it through the PLT, so this
// definition in the executable takes its place (ordinary ELF symbol interposition, as for
// malloc). Same contract: copy n bytes, return the end of the destination.
extern "C" HPDF_BYTE* HPDF_MemCpy(HPDF_BYTE* out, const HPDF_BYTE* in, HPDF_UINT n) {
  if (n != 0) std::memmove(out, in, n);
  return out + n;
}
