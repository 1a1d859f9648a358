// Internal to pdf/: the document writer, whose member functions are defined by role in
// pdf.cpp (the run, checks, profiles, saving), pages.cpp (page content and text),
// structure.cpp (tagged PDF), images.cpp (images, colour spaces, page boxes),
// font_objects.cpp (font dictionaries) and document.cpp (outlines, info, metadata, /ID).
//
// libharu's internal headers are included without HPDF_SHARED, so HPDF_Doc and HPDF_Page are
// the real 2.3.0 structs (notes/libharu-glyph-text.md, "What works").
#pragma once

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

#include "pdf/pdf.h"
#include "pdf/color.h"
#include "pdf/content.h"
#include "pdf/fonts.h"
#include "pdf/meta.h"

namespace trang::pdf::writer {

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

const char* hpdf_error_name(HPDF_STATUS code);

std::string hex_code(HPDF_STATUS code);

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
void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) noexcept;

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

inline bool finite(Pt p) { return std::isfinite(p.v); }

// Percent-encodes what may not appear raw in a URI string (RFC 3986 §2.1): a URI in a PDF is
// 7-bit ASCII (ISO 32000-1 §12.6.4.7).
std::string encode_uri(std::string_view uri);

// Streams are Flate-compressed here, with libdeflate, rather than by libharu at save time:
// libharu runs zlib at Z_DEFAULT_COMPRESSION through 4 KB buffers; libdeflate compresses a
// whole buffer about twice as fast and a little smaller. libharu writes a stream dict's
// /Filter from HPDF_Dict::filter and deletes the entry when the filter is NONE, so for data
// compressed here the entry is written by the dict's write hook instead.
HPDF_STATUS write_flate_filter_entry(HPDF_Dict, HPDF_Stream out);

// The saved document goes straight into a std::string through a callback stream, instead of
// into libharu's memory stream (4 KB blocks) and then out of it again with
// HPDF_ReadFromStream: a whole-document copy less, which for a page of photos is a few hundred
// page faults less. Nothing may throw through libharu's C frames.
HPDF_STATUS append_to_string(HPDF_Stream stream, const HPDF_BYTE* data, HPDF_UINT size);

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
HPDF_STATUS source_read(HPDF_Stream stream, HPDF_BYTE* out, HPDF_UINT* size);
HPDF_STATUS source_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode);
HPDF_INT32 source_tell(HPDF_Stream stream);
HPDF_UINT32 source_size(HPDF_Stream stream);

// Flate-compresses `in` into `out` (zlib format). False only if libdeflate gives up, which
// the bound it is given makes impossible.
bool deflate_into(libdeflate_compressor* c, std::string_view in, std::vector<uint8_t>& out);

struct CompressorFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
using CompressorPtr = std::unique_ptr<libdeflate_compressor, CompressorFree>;

// This thread's libdeflate compressor for `level` (1..12), kept for the thread's life: one is
// a few hundred KB of tables, and making one per document cost a batch worker fresh pages
// (faults) every article. Null when it cannot be had.
libdeflate_compressor* compressor(int level);

// Flate levels (libdeflate's scale), measured on the sample's streams. Content streams are
// text: level 4 makes them 2-5% larger than libdeflate's default 6 (0.04% of the sample's PDF)
// in half the time; level 1 would make them 4% larger again. The ToUnicode CMaps come out the
// same size at levels 1 to 4 (1738 and 1732 bytes for the sample's four, 7% more than level 6),
// so they get the fastest, which is a third faster than 4. Font files barely compress at all
// (glyph outlines): level 1 makes them 1-2% larger than level 6 in half the time.
constexpr int kFlateLevel = 4;
constexpr int kCMapFlateLevel = 1;
constexpr int kFontFlateLevel = 1;

class Writer;

// Tagged PDF: the structure elements met on the pages, each once, found by (article, model
// node, role); the marked content of each page, by MCID (the ParentTree's arrays).
// An element's PDF object is an empty libharu dict whose entries its write hook spells from
// here (write_element): a libharu dict per entry, array and reference cost 1.4 KB an element,
// most of the memory of a long article.
struct Elem {
  layout::StructRole role;
  uint32_t article, node;
  int parent;                                     // -1: the article's Art (or a Div of it)
  int index;                                      // its own, in Writer::elems_
  std::vector<int> kids;                          // child elements
  std::vector<std::pair<uint32_t, int>> mcids;    // (page, MCID), in content order
  std::vector<std::pair<uint32_t, HPDF_Dict>> annots;  // Link: (page, annotation)
  HPDF_Dict dict = nullptr;
  HPDF_Dict holder = nullptr;  // parent < 0: the Art or Div that holds it
  const Writer* writer = nullptr;
};
// An Art, or a Div grouping an Art's elements: its entries written by write_group.
struct Group {
  const Writer* writer;
  bool art;
  HPDF_Dict dict;    // its own
  HPDF_Dict parent;
  std::vector<int> kids;  // elements, in reading order (an Art of Divs: none)
  std::vector<HPDF_Dict> groups;  // an Art's Divs
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
  // The writer may free each page's frame once its text is written (write_pdf_pieces of a
  // tree handed over).
  Writer(PageTree&& tree, const Options& options, Diagnostics& diags, WriteReport& report)
      : Writer(tree, options, diags, report) {
    consumable_ = &tree;
  }

  std::optional<PdfBytes> write();

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

  bool validate();

  bool valid_run(const GlyphRun& run, size_t p, std::vector<uint8_t>& font_reported);

  // ---- profiles -----------------------------------------------------------------------------

  bool print() const { return options_.profile == Profile::Print; }
  bool archive() const { return options_.profile == Profile::Archive; }

  bool prepare_profile();

  Color out_color(const Color& c);

  // ---- pages --------------------------------------------------------------------------------

  HPDF_Dict new_indirect_dict(const char* what);

  void hash(std::string_view bytes);
  void hash(std::span<const uint8_t> bytes);

  bool write_stream(HPDF_Dict dict, std::string_view bytes, bool compress, const char* what);

  bool put_stream(HPDF_Dict dict, const uint8_t* data, size_t size, bool deflated,
                  const char* what);
  bool write_stream(HPDF_Dict dict, std::span<const uint8_t> bytes, bool compress,
                    const char* what);

  bool read_from(HPDF_Dict dict, std::span<const uint8_t> bytes, const char* what);

  bool recompress(HPDF_Image img, std::span<const uint8_t> samples, const char* what);

  void record_texts();

  bool write_texts();

  void defer_stream(HPDF_Dict dict, std::string bytes, bool compress, const char* what,
                    int level = kFlateLevel);

  bool flush_pending();

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

  bool subset_fonts();

  bool write_content(HPDF_Page page, const std::string& content);

  const char* font_resource(HPDF_Page page, FontId id);

  bool write_page(const Page& page, size_t index);

  // ---- tagged PDF ---------------------------------------------------------------------------

  static const char* role_name(layout::StructRole role);

  int element(uint32_t article, const layout::StructTag& tag);

  std::string open_marked(PageMarks& marks, uint32_t article, const layout::StructTag& tag,
                          const std::string* alt, size_t page);

  bool write_structure();

  static HPDF_STATUS write_element(HPDF_Dict dict, HPDF_Stream out);
  static HPDF_STATUS write_group(HPDF_Dict dict, HPDF_Stream out);
  static HPDF_STATUS write_parent_tree(HPDF_Dict dict, HPDF_Stream out);

  bool draw_image(HPDF_Page hpage, const layout::ImageItem& item, std::string& content);

  bool set_boxes(HPDF_Page page, const Page& p, Pt bleed, bool crop, bool cross);

  bool add_page_group(HPDF_Page page);

  const char* alpha_state(HPDF_Page page, float alpha);

  HPDF_Dict icc_stream(const detail::IccProfile& icc, const char* what);

  HPDF_Dict srgb_stream();

  HPDF_Array srgb_colorspace();

  // ---- images -------------------------------------------------------------------------------

  HPDF_Image image(uint32_t index);

  // ---- fonts --------------------------------------------------------------------------------

  bool finish_font(FontState& font);

  // ---- navigation ---------------------------------------------------------------------------

  bool write_outlines();

  bool write_page_labels();

  // ---- document -----------------------------------------------------------------------------

  bool add_text(HPDF_Dict dict, const char* key, std::string_view utf8);

  bool write_info();

  bool write_output_intent();

  bool write_metadata();

  bool write_id();

  std::optional<PdfBytes> save();

  const PageTree& tree_;
  PageTree* consumable_ = nullptr;
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
    std::vector<const char*> alphas;     // per run: its alpha's ExtGState name, or ""
    std::vector<Color> colors;           // per run: its colour for the profile
    std::vector<std::string> tags;       // tagged: per run, the BDC/BMC it is drawn in
    bool marks = false;                  // print: crop and registration marks after the text
    Pt bleed;
    bool crop = false, cross = false;
    detail::RunIssues issues;
  };
  std::vector<PageText> texts_;
  std::deque<Elem> elems_;  // a deque: the dicts' write hooks point at them
  std::unordered_map<int, std::string> alts_;      // element: its /Alt
  std::unordered_map<int, std::string> captions_;  // Caption element: its text, for a Figure's /Alt
  std::deque<Group> groups_;
  mutable std::string entries_;  // the write hooks' scratch
  std::map<std::tuple<uint32_t, uint32_t, uint8_t>, int> elem_of_;
  std::vector<PageMarks> page_marks_;
  size_t actual_only_ = 0;  // clusters whose text only /ActualText gives (RunIssues)
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
  bool transparent_page_ = false;  // the current page paints a soft mask or at an alpha
  std::map<int, HPDF_Dict> alpha_states_;  // ExtGStates by alpha in thousandths, shared
  HPDF_BYTE digest_[16] = {};                      // /ID, also the XMP document ID
};

}  // namespace trang::pdf::writer
