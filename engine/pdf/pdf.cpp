// The PDF writer: libharu carries the document structure (pages, images, annotations, info,
// cross-reference table); fonts and page content are built here through its object API,
// because libharu's own text API takes encoded strings, not shaped glyphs.
//
// The writer itself is declared in writer.h; this file holds its run, its checks, the
// profile decisions and saving, and the public entry points.
#include "pdf/writer.h"

namespace trang::pdf::writer {

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

void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) noexcept {
  auto* sink = static_cast<ErrorSink*>(user_data);
  try {
    sink->report(error_no, detail_no);
  } catch (...) {
    sink->failed = true;
  }
}

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

HPDF_STATUS write_flate_filter_entry(HPDF_Dict, HPDF_Stream out) {
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

HPDF_STATUS append_to_string(HPDF_Stream stream, const HPDF_BYTE* data, HPDF_UINT size) {
  try {
    static_cast<std::string*>(stream->attr)->append(reinterpret_cast<const char*>(data), size);
    return HPDF_OK;
  } catch (...) {
    return HPDF_SetError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
  }
}

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

bool deflate_into(libdeflate_compressor* c, std::string_view in, std::vector<uint8_t>& out) {
  out.resize(libdeflate_zlib_compress_bound(c, in.size()));
  size_t n = libdeflate_zlib_compress(c, in.data(), in.size(), out.data(), out.size());
  out.resize(n);
  return n != 0;
}

libdeflate_compressor* compressor(int level) {
  thread_local std::array<CompressorPtr, 13> kept;
  CompressorPtr& c = kept[static_cast<size_t>(std::clamp(level, 1, 12))];
  if (!c) c.reset(libdeflate_alloc_compressor(level));
  return c.get();
}

std::optional<PdfBytes> Writer::write() {
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
  // Nothing reads the frames again; freeing them lowers the peak of saving a long article.
  if (consumable_)
    for (layout::Page& page : consumable_->pages) page.content = layout::Frame();
  for (FontState* font : font_order_)
    if (!finish_font(*font)) return std::nullopt;
  if (!flush_pending()) return std::nullopt;
  if (!write_structure() || !write_outlines() || !write_page_labels() || !write_info() || !write_id() ||
      !write_output_intent() || !write_metadata())
    return std::nullopt;
  return save();
}

// Everything that would make libharu fail halfway, or write an invalid file, is checked
// before the document exists, and all of it is reported at once.
bool Writer::validate() {
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
bool Writer::valid_run(const GlyphRun& run, size_t p, std::vector<uint8_t>& font_reported) {
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

// Reads the output profile and decides the document date, before anything is written.
bool Writer::prepare_profile() {
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
Color Writer::out_color(const Color& c) {
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

std::optional<PdfBytes> Writer::save() {
  step("saving the document");
  // 2.3.0 has no setter for the version; the struct field is the way (pitfall 13). 1.6 covers
  // soft masks (1.4) and OpenType font files (1.6).
  doc_->pdf_version = HPDF_VER_16;
  PdfBytes out;
  size_t guess = 64u << 10;  // the JPEGs are lent (read_from), the rest is copied
  for (size_t i = 0; i < images_.size(); ++i)
    if (image_cache_[i] && images_[i]->kind != image::Image::Kind::Jpeg)
      guess += images_[i]->data.size() + images_[i]->alpha.size();
  // Generous: pages never touched cost no memory, while outgrowing the guess copies all that
  // was written (a long article's tagged structure is about 100 bytes an element).
  out.own.reserve(guess + (32u << 10) * tree_.pages.size() + 128 * elems_.size());
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

}  // namespace trang::pdf::writer

namespace trang::pdf {

using writer::Writer;

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

std::optional<PdfBytes> write_pdf_pieces(layout::PageTree&& tree, const Options& options,
                                         Diagnostics& diags, WriteReport* report) {
  WriteReport local;
  Writer writer(std::move(tree), options, diags, report ? *report : local);
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
