#include "pdf/fonts.h"

#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>

#include "core/core.h"

namespace trang::pdf::detail {

namespace {

// A ToUnicode destination string may hold up to 512 bytes (Adobe TN #5411 §1.4.5); a longer
// cluster text goes out as /ActualText instead.
constexpr size_t kMaxMappedUnits = 256;
// "The number of entries in a bfchar/bfrange block shall not exceed 100" (TN #5411 §1.4.5,
// ISO 32000-1 §9.10.3).
constexpr size_t kMaxCMapBlock = 100;

constexpr char kHexDigits[] = "0123456789ABCDEF";

void append_hex4(std::string& out, uint32_t v) {
  char buf[4] = {kHexDigits[(v >> 12) & 0xF], kHexDigits[(v >> 8) & 0xF],
                 kHexDigits[(v >> 4) & 0xF], kHexDigits[v & 0xF]};
  out.append(buf, 4);
}

bool is_single_bmp_unit(const std::u16string& s) {
  return s.size() == 1 && (s[0] < 0xD800 || s[0] > 0xDFFF);
}

struct HbBlobFree { void operator()(hb_blob_t* b) const { hb_blob_destroy(b); } };
struct HbFaceFree { void operator()(hb_face_t* f) const { hb_face_destroy(f); } };
struct HbInputFree { void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); } };
struct HbPlanFree { void operator()(hb_subset_plan_t* p) const { hb_subset_plan_destroy(p); } };
using BlobPtr = std::unique_ptr<hb_blob_t, HbBlobFree>;
using FacePtr = std::unique_ptr<hb_face_t, HbFaceFree>;
using InputPtr = std::unique_ptr<hb_subset_input_t, HbInputFree>;
using PlanPtr = std::unique_ptr<hb_subset_plan_t, HbPlanFree>;

bool has_table(hb_face_t* face, hb_tag_t tag) {
  BlobPtr table(hb_face_reference_table(face, tag));
  return hb_blob_get_length(table.get()) > 0;
}

}  // namespace

FontUsage::FontUsage(size_t glyph_count) : entry_(glyph_count, kUnused) {}

void FontUsage::use(uint32_t gid) {
  if (gid >= entry_.size()) entry_.resize(gid + 1, kUnused);
  if (entry_[gid] != kUnused) return;
  entry_[gid] = kUsed;
  used_.push_back(gid);
}

FontUsage::Map FontUsage::map(uint32_t gid, std::u16string_view text) {
  use(gid);
  if (entry_[gid] >= kFirstText) return texts_[entry_[gid] - kFirstText] == text ? Map::Same : Map::Conflict;
  if (text.empty() || text.size() > kMaxMappedUnits) return Map::Conflict;
  entry_[gid] = kFirstText + static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(text);
  return Map::Added;
}

void FontUsage::add_alternate(uint32_t gid, std::u16string_view text) {
  use(gid);
  if (text.empty() || text.size() > kMaxMappedUnits) return;
  auto key = std::make_pair(gid, std::u16string(text));
  if (alternate_index_.count(key)) return;
  alternate_index_.emplace(key, static_cast<uint32_t>(alternates_.size()));
  alternates_.push_back({gid, std::move(key.second)});
}

int64_t FontUsage::alternate(uint32_t gid, std::u16string_view text) const {
  if (alternates_.empty()) return -1;
  auto it = alternate_index_.find(std::make_pair(gid, std::u16string(text)));
  return it == alternate_index_.end() ? -1 : static_cast<int64_t>(it->second);
}

std::vector<uint32_t> FontUsage::used_glyphs() const {
  std::vector<uint32_t> out = used_;
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<uint32_t> FontUsage::mapped_glyphs() const {
  std::vector<uint32_t> out;
  for (uint32_t g : used_)
    if (entry_[g] >= kFirstText) out.push_back(g);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<uint32_t, char32_t>> FontUsage::characters() const {
  std::vector<std::pair<uint32_t, char32_t>> out;
  for (uint32_t g : mapped_glyphs()) {
    const std::u16string& t = text(g);
    if (is_single_bmp_unit(t)) {
      out.push_back({g, t[0]});
    } else if (t.size() == 2 && t[0] >= 0xD800 && t[0] <= 0xDBFF && t[1] >= 0xDC00 &&
               t[1] <= 0xDFFF) {  // a surrogate pair
      out.push_back({g, 0x10000 + ((char32_t(t[0]) - 0xD800) << 10) + (t[1] - 0xDC00)});
    }
  }
  return out;
}

bool append_utf16(std::u16string& out, std::string_view s) {
  bool ok = true;
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    if (!next_utf8(s, i, cp)) {
      out.push_back(0xFFFD);
      ok = false;
      ++i;  // resynchronise on the next byte
      continue;
    }
    if (cp < 0x10000) {
      out.push_back(static_cast<char16_t>(cp));
    } else {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    }
  }
  return ok;
}

void append_hex_utf16(std::string& out, std::u16string_view text) {
  for (char16_t u : text) append_hex4(out, u);
}

std::string tounicode_cmap(const FontUsage& usage, const CidMap& cids) {
  // The mapped glyphs by code (CID), each with its text.
  struct Entry {
    uint32_t code;
    const std::u16string* text;
  };
  std::vector<Entry> entries;
  for (uint32_t g : usage.mapped_glyphs()) entries.push_back({cids.cid(g), &usage.text(g)});
  for (size_t k = 0; k < usage.alternates().size() && cids.has_alternate(k); ++k)
    entries.push_back({cids.alternate_cid(static_cast<uint32_t>(k)), &usage.alternates()[k].text});
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.code < b.code; });

  // Split into bfrange runs and single bfchar entries. A bfrange maps lo..hi to dst..dst+n by
  // incrementing the destination's last byte, so the source codes must differ only in their
  // last byte and the destination must not carry out of its last byte (TN #5411 §1.4.5).
  struct Range { size_t lo, hi; };  // indices into entries
  std::vector<Range> ranges;
  std::vector<size_t> chars;
  for (size_t i = 0; i < entries.size();) {
    uint32_t lo = entries[i].code;
    const std::u16string& first = *entries[i].text;
    size_t j = i + 1;
    if (is_single_bmp_unit(first)) {
      while (j < entries.size()) {
        uint32_t c = entries[j].code;
        const std::u16string& t = *entries[j].text;
        uint32_t step = c - lo;
        if (c != entries[j - 1].code + 1 || (c >> 8) != (lo >> 8) || !is_single_bmp_unit(t) ||
            t[0] != first[0] + step || (static_cast<uint32_t>(t[0]) >> 8) != (first[0] >> 8u))
          break;
        ++j;
      }
    }
    if (j - i >= 2) {
      ranges.push_back({i, j - 1});
    } else {
      chars.push_back(i);
      j = i + 1;
    }
    i = j;
  }

  std::string out;
  out.reserve(400 + chars.size() * 24 + ranges.size() * 24);
  out +=
      "/CIDInit /ProcSet findresource begin\n"
      "12 dict begin\n"
      "begincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n"
      "/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  for (size_t b = 0; b < chars.size(); b += kMaxCMapBlock) {
    size_t n = std::min(kMaxCMapBlock, chars.size() - b);
    out += std::to_string(n);
    out += " beginbfchar\n";
    for (size_t k = b; k < b + n; ++k) {
      const Entry& e = entries[chars[k]];
      out += '<';
      append_hex4(out, e.code);
      out += "> <";
      append_hex_utf16(out, *e.text);
      out += ">\n";
    }
    out += "endbfchar\n";
  }
  for (size_t b = 0; b < ranges.size(); b += kMaxCMapBlock) {
    size_t n = std::min(kMaxCMapBlock, ranges.size() - b);
    out += std::to_string(n);
    out += " beginbfrange\n";
    for (size_t k = b; k < b + n; ++k) {
      const Entry& lo = entries[ranges[k].lo];
      out += '<';
      append_hex4(out, lo.code);
      out += "> <";
      append_hex4(out, entries[ranges[k].hi].code);
      out += "> <";
      append_hex_utf16(out, *lo.text);
      out += ">\n";
    }
    out += "endbfrange\n";
  }
  out +=
      "endcmap\n"
      "CMapName currentdict /CMap defineresource pop\n"
      "end\n"
      "end\n";
  return out;
}

std::vector<WidthRange> width_ranges(const FontProgram& font, const std::vector<uint32_t>& gids,
                                     const CidMap& cids, const FontUsage* usage) {
  // (CID, width) in CID order; the width is the original glyph's.
  std::vector<std::pair<uint32_t, int>> by_cid;
  by_cid.reserve(gids.size());
  for (uint32_t g : gids) by_cid.emplace_back(cids.cid(g), width_1000(font, g));
  if (usage)
    for (size_t k = 0; k < usage->alternates().size() && cids.has_alternate(k); ++k)
      by_cid.emplace_back(cids.alternate_cid(static_cast<uint32_t>(k)),
                          width_1000(font, usage->alternates()[k].gid));
  std::sort(by_cid.begin(), by_cid.end());
  std::vector<WidthRange> out;
  for (size_t i = 0; i < by_cid.size(); ++i) {
    if (out.empty() || by_cid[i].first != by_cid[i - 1].first + 1)
      out.push_back({by_cid[i].first, {}});
    out.back().widths.push_back(by_cid[i].second);
  }
  return out;
}

std::string cid_to_gid_map(const FontUsage& usage, const CidMap& cids) {
  size_t n = 0;
  while (n < usage.alternates().size() && cids.has_alternate(n)) ++n;
  if (n == 0) return {};
  uint32_t end = cids.alternate_cid(static_cast<uint32_t>(n));
  std::string out;
  out.reserve(size_t(end) * 2);
  auto put = [&out](uint32_t gid) {
    out += static_cast<char>((gid >> 8) & 0xFF);
    out += static_cast<char>(gid & 0xFF);
  };
  for (uint32_t c = 0; c < cids.alternate_cid(0); ++c) put(c);  // the subset's own glyphs
  for (size_t k = 0; k < n; ++k) put(cids.cid(usage.alternates()[k].gid));
  return out;
}

std::string subset_tag(std::string_view postscript_name, const std::vector<uint32_t>& gids) {
  // FNV-1a over the name and the glyph set, then a SplitMix64 finaliser so that neighbouring
  // glyph sets still spread over all six letters.
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](uint8_t byte) {
    h ^= byte;
    h *= 0x100000001b3ull;
  };
  for (char c : postscript_name) mix(static_cast<uint8_t>(c));
  mix(0);
  for (uint32_t g : gids) {
    mix(static_cast<uint8_t>(g));
    mix(static_cast<uint8_t>(g >> 8));
    mix(static_cast<uint8_t>(g >> 16));
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  std::string tag(6, 'A');
  for (char& c : tag) {
    c = static_cast<char>('A' + h % 26);
    h /= 26;
  }
  return tag;
}

std::string base_font_name(const FontProgram& font) {
  auto clean = [](std::string_view in) {
    std::string s;
    for (char c : in) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7F) continue;
      if (std::string_view("()<>[]{}/%#").find(c) != std::string_view::npos) continue;
      s += c;
      if (s.size() == 63) break;
    }
    return s;
  };
  std::string name = clean(font.postscript_name);
  if (name.empty()) name = clean(font.family);
  if (name.empty()) name = "Font";
  return name;
}

int descriptor_flags(const FontProgram& font) {
  int flags = 0;
  if (font.fixed_pitch) flags |= 1 << 0;
  if (font.serif) flags |= 1 << 1;
  // Symbolic: the glyphs are reached by glyph ID, not through a standard Latin encoding, and a
  // Vietnamese subset is not a subset of the Standard Latin character set (§9.8.2).
  flags |= 1 << 2;
  if (font.italic) flags |= 1 << 6;
  if (font.bold) flags |= 1 << 18;  // ForceBold
  return flags;
}

namespace {
// Tables no subset keeps: layout tables are of no use to a PDF consumer, and keeping GSUB would
// pull every glyph reachable by substitution into the subset.
constexpr hb_tag_t kDroppedTables[] = {
    HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('m', 'o', 'r', 'x'),
    HB_TAG('k', 'e', 'r', 'x')};

// Tables a TrueType (glyf) subset is not made from: the glyph names of post, the rasterizer
// hints of gasp and the cmap, none of which a CIDFontType2 needs: it is reached through CIDs
// and CIDToGIDMap, and read as text through ToUnicode. (dvipdfmx, XeTeX's PDF writer, embeds
// them without any of the three.) They are left out of the face a subset is made from, not
// only out of the subset, because hb-subset's plan read all of post's glyph names and walked
// all of the font's cmap (3000 code points for Noto Serif) for every subset: a batch of 60
// articles ran 894 million instructions (callgrind) with them and 790 million without.
// The subset gets a cmap all the same, made by cmap_table from the characters the document
// uses its glyphs for: FreeType's autohinter finds a font's alignment zones through the cmap,
// and Ghostscript drew every glyph a pixel differently without one (with this one, the same
// pixels as with hb-subset's). CFF fonts are embedded as OpenType, whole, and keep all three.
constexpr hb_tag_t kDroppedFromTrueType[] = {
    HB_TAG('p', 'o', 's', 't'), HB_TAG('g', 'a', 's', 'p'), HB_TAG('c', 'm', 'a', 'p')};

bool dropped(hb_tag_t tag, bool truetype) {
  auto in = [tag](const auto& tags) {
    return std::find(std::begin(tags), std::end(tags), tag) != std::end(tags);
  };
  return in(kDroppedTables) || (truetype && in(kDroppedFromTrueType));
}

// `face` without the tables no subset of it keeps (the others are shared, not copied), or
// null when out of memory. Every subset is made from such a face, so that all of them,
// before and after hb_subset_preprocess, come from the same tables; and preprocessing
// re-serialises every table of its face: for a Noto face GSUB and GPOS were more than half
// of its 5 ms, all of it wasted.
FacePtr without_dropped_tables(hb_face_t* face, bool truetype) {
  FacePtr out(hb_face_builder_create());
  if (!out || out.get() == hb_face_get_empty()) return nullptr;
  hb_tag_t tags[64];
  unsigned start = 0;
  for (;;) {
    unsigned n = 64;
    hb_face_get_table_tags(face, start, &n, tags);
    if (n == 0) break;
    for (unsigned i = 0; i < n; ++i) {
      if (dropped(tags[i], truetype)) continue;
      BlobPtr table(hb_face_reference_table(face, tags[i]));
      if (!hb_face_builder_add_table(out.get(), tags[i], table.get())) return nullptr;
    }
    start += n;
  }
  return out;
}

void put16(std::string& out, uint32_t v) {
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}
void put32(std::string& out, uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xFFFF);
}

// A cmap table (OpenType "cmap", version 0) mapping each code point of `pairs` (code point,
// glyph ID; sorted, code points unique, none a surrogate) to its glyph: a Windows Unicode BMP
// subtable (3,1) of format 4, and when any code point lies beyond the BMP a full-repertoire one
// (3,10) of format 12, as fonts carry them. Runs of consecutive code points on consecutive
// glyphs make one segment (idDelta, no glyph array). Empty when the BMP part would not fit in
// format 4's 64 KB (8000 runs: more characters than any subset here has).
std::string cmap_table(const std::vector<std::pair<char32_t, uint32_t>>& pairs) {
  struct Run {
    uint32_t first, last, glyph;  // code points first..last on glyphs glyph..
  };
  std::vector<Run> runs;
  for (const auto& [cp, gid] : pairs) {
    bool continues = !runs.empty() && cp == runs.back().last + 1 &&
                     gid == runs.back().glyph + (cp - runs.back().first);
    if (continues) {
      runs.back().last = cp;
    } else {
      runs.push_back({cp, cp, gid});
    }
  }
  // Format 4: the BMP runs (split at U+FFFF, which is the closing segment's), then 0xFFFF.
  std::vector<Run> bmp;
  for (const Run& r : runs) {
    if (r.first >= 0xFFFF) break;
    bmp.push_back({r.first, std::min<uint32_t>(r.last, 0xFFFE), r.glyph});
  }
  bmp.push_back({0xFFFF, 0xFFFF, 0});
  size_t segments = bmp.size();
  if (segments > 8000) return {};
  unsigned entry_selector = 0;
  while ((2u << entry_selector) <= segments) ++entry_selector;
  unsigned search_range = 2u << entry_selector;  // 2 x the largest power of two <= segments
  std::string f4;
  put16(f4, 4);
  put16(f4, static_cast<uint32_t>(16 + 8 * segments));
  put16(f4, 0);  // language
  put16(f4, static_cast<uint32_t>(2 * segments));
  put16(f4, search_range);
  put16(f4, entry_selector);
  put16(f4, static_cast<uint32_t>(2 * segments - search_range));
  for (const Run& r : bmp) put16(f4, r.last);
  put16(f4, 0);  // reservedPad
  for (const Run& r : bmp) put16(f4, r.first);
  // idDelta: added to the code point modulo 65536 gives the glyph; the closing segment maps
  // 0xFFFF to glyph 0 (0xFFFF + 1).
  for (const Run& r : bmp) put16(f4, r.first == 0xFFFF ? 1 : (r.glyph - r.first) & 0xFFFF);
  for (size_t i = 0; i < segments; ++i) put16(f4, 0);  // idRangeOffset
  std::string f12;
  if (!runs.empty() && runs.back().last > 0xFFFF) {
    put16(f12, 12);
    put16(f12, 0);
    put32(f12, static_cast<uint32_t>(16 + 12 * runs.size()));
    put32(f12, 0);  // language
    put32(f12, static_cast<uint32_t>(runs.size()));
    for (const Run& r : runs) {
      put32(f12, r.first);
      put32(f12, r.last);
      put32(f12, r.glyph);
    }
  }
  std::string out;
  uint32_t tables = f12.empty() ? 1 : 2;
  put16(out, 0);  // version
  put16(out, tables);
  uint32_t offset = 4 + 8 * tables;
  put16(out, 3);
  put16(out, 1);
  put32(out, offset);
  if (!f12.empty()) {
    put16(out, 3);
    put16(out, 10);
    put32(out, offset + static_cast<uint32_t>(f4.size()));
  }
  out += f4;
  out += f12;
  return out;
}

// The hb_face a font is subset from: the font without the tables no subset keeps
// (without_dropped_tables), kept for the life of the process, as HarfBuzz builds its tables'
// accelerators (glyf's loca, for one) on a face once and a batch subsets the same four faces
// for every article. From a face's second use on it is hb_subset_preprocess'ed: about 2.5 ms
// once (more than one subset costs, so a single render never pays it), then each subset takes
// a third of the time, with the same bytes. The face's tables hold a reference to the font's
// bytes, so a cached face never outlives them. Bounded; thread-safe.
FacePtr subset_source(const FontProgram& font) {
  constexpr size_t kMaxFaces = 64;
  struct Source {
    FacePtr face;
    int uses = 0;
  };
  static std::mutex mutex;
  static std::map<std::pair<const FontBytes*, unsigned>, Source> faces;
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_pair(font.bytes.get(), font.face_index);
  auto it = faces.find(key);
  if (it == faces.end()) {
    auto* owner = new std::shared_ptr<const FontBytes>(font.bytes);
    BlobPtr blob(hb_blob_create_or_fail(
        font.bytes->data(), static_cast<unsigned>(font.bytes->size()), HB_MEMORY_MODE_READONLY,
        owner, [](void* p) { delete static_cast<std::shared_ptr<const FontBytes>*>(p); }));
    if (!blob) return nullptr;  // hb_blob_create_or_fail has called the destroy function
    FacePtr whole(hb_face_create(blob.get(), font.face_index));
    if (!whole) return nullptr;
    bool truetype = !has_table(whole.get(), HB_TAG('C', 'F', 'F', ' '));
    FacePtr face = without_dropped_tables(whole.get(), truetype);
    if (!face) return nullptr;
    if (faces.size() >= kMaxFaces) faces.clear();
    it = faces.emplace(key, Source{std::move(face), 0}).first;
  }
  Source& src = it->second;
  if (++src.uses == 2) {
    FacePtr pre(hb_subset_preprocess(src.face.get()));
    if (pre && pre.get() != hb_face_get_empty()) src.face = std::move(pre);
  }
  return FacePtr(hb_face_reference(src.face.get()));
}
}  // namespace

std::optional<SubsetFont> subset_font(const FontProgram& font, const std::vector<uint32_t>& gids,
                                      const std::vector<std::pair<uint32_t, char32_t>>& chars,
                                      std::string& error) {
  if (!font.bytes || font.bytes->empty()) {
    error = "the font has no data";
    return std::nullopt;
  }
  if (font.bytes->size() > 0x7FFFFFFFu) {
    error = "the font file is too large";
    return std::nullopt;
  }
  FacePtr face = subset_source(font);
  if (!face) {
    error = "out of memory reading the font";
    return std::nullopt;
  }
  if (hb_face_get_glyph_count(face.get()) == 0) {
    error = "the font data is not a readable OpenType/TrueType face";
    return std::nullopt;
  }
  if (has_table(face.get(), HB_TAG('C', 'F', 'F', '2'))) {
    error = "CFF2 (variable) outlines cannot be embedded in PDF";
    return std::nullopt;
  }
  bool cff = has_table(face.get(), HB_TAG('C', 'F', 'F', ' '));
  if (!cff && !has_table(face.get(), HB_TAG('g', 'l', 'y', 'f'))) {
    error = "the font has neither TrueType (glyf) nor CFF outlines";
    return std::nullopt;
  }

  // The input is made once per thread and only its glyph set and flags change: making one
  // (default sets, the name IDs and layout features hb-subset keeps) cost a third as much as
  // planning a subset.
  thread_local InputPtr cached;
  if (!cached) {
    InputPtr made(hb_subset_input_create_or_fail());
    if (!made) {
      error = "out of memory preparing the font subset";
      return std::nullopt;
    }
    hb_set_t* drop = hb_subset_input_set(made.get(), HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (hb_tag_t t : kDroppedTables) hb_set_add(drop, t);
    if (!hb_set_allocation_successful(drop)) {
      error = "out of memory preparing the font subset";
      return std::nullopt;
    }
    cached = std::move(made);
  }
  hb_subset_input_t* input = cached.get();
  hb_set_t* glyphs = hb_subset_input_glyph_set(input);
  hb_set_clear(glyphs);
  hb_set_add(glyphs, 0);  // .notdef, which a CIDFont falls back to (§9.7.6.3)
  for (uint32_t g : gids) hb_set_add(glyphs, g);
  // Drop TrueType hinting (fpgm, prep, cvt and the glyphs' instructions, about a third of a
  // Noto subset): PDF renderers draw unhinted or autohinted outlines, and print never
  // hints. WeasyPrint and LaTeX's PDF fonts omit it too. TrueType glyphs are renumbered, CFF
  // glyphs keep their IDs (SubsetFont in fonts.h says why).
  unsigned flags = HB_SUBSET_FLAGS_NO_HINTING;
  if (cff) flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
  hb_subset_input_set_flags(input, flags);
  if (!hb_set_allocation_successful(glyphs)) {
    error = "out of memory preparing the font subset";
    return std::nullopt;
  }

  // The plan fixes the subset's glyph set (the used glyphs, .notdef and the components of
  // composite glyphs, which the caller does not know about) and their new IDs; the CIDs must
  // come from it, not from the used glyphs' ranks.
  PlanPtr plan(hb_subset_plan_create_or_fail(face.get(), input));
  if (!plan) {
    error = "hb-subset could not plan the font subset";
    return std::nullopt;
  }
  SubsetFont result;
  result.cff = cff;
  std::vector<uint16_t> cids;  // TrueType: original glyph ID -> subset glyph ID
  if (!cff) {
    const hb_map_t* old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan.get());
    uint32_t top = gids.empty() ? 0 : *std::max_element(gids.begin(), gids.end());
    cids.assign(size_t(top) + 1, 0);
    // .notdef must stay glyph 0: CID 0 is what a CIDFont falls back to (§9.7.6.3).
    if (hb_map_get(old_to_new, 0) != 0) {
      error = "hb-subset did not keep .notdef as glyph 0";
      return std::nullopt;
    }
    for (uint32_t g : gids) {
      hb_codepoint_t to = hb_map_get(old_to_new, g);
      if (to == HB_MAP_VALUE_INVALID || to > 0xFFFF) {
        error = "hb-subset left glyph " + std::to_string(g) + " out of the subset";
        return std::nullopt;
      }
      cids[g] = static_cast<uint16_t>(to);
    }
  }

  FacePtr sub(hb_subset_plan_execute_or_fail(plan.get()));
  if (!sub) {
    error = "hb-subset could not subset the font";
    return std::nullopt;
  }
  result.glyph_count = hb_face_get_glyph_count(sub.get());
  // Alternate codes follow the subset's glyphs (CidMap).
  if (!cff) result.cids = CidMap(std::move(cids), result.glyph_count);
  if (!cff) {
    // The subset's own cmap (kDroppedFromTrueType says why), in the subset's glyph IDs. A
    // character used with two glyphs maps to the one with the lower original ID.
    std::vector<std::pair<char32_t, uint32_t>> pairs;
    pairs.reserve(chars.size());
    for (const auto& [gid, cp] : chars) {
      uint32_t to = result.cids.cid(gid);  // 0: not in the subset (or .notdef)
      if (to != 0 && cp != 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF))
        pairs.push_back({cp, to});
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                pairs.end());
    std::string table = cmap_table(pairs);
    if (!pairs.empty() && !table.empty()) {
      BlobPtr blob(hb_blob_create_or_fail(table.data(), static_cast<unsigned>(table.size()),
                                          HB_MEMORY_MODE_DUPLICATE, nullptr, nullptr));
      // The subset is a builder face (hb-subset makes one); were it not, it goes without.
      if (blob) hb_face_builder_add_table(sub.get(), HB_TAG('c', 'm', 'a', 'p'), blob.get());
    }
  }
  BlobPtr out(hb_face_reference_blob(sub.get()));
  unsigned len = 0;
  const char* data = hb_blob_get_data(out.get(), &len);
  if (!data || len == 0) {
    error = "hb-subset produced an empty font";
    return std::nullopt;
  }
  result.bytes.assign(data, len);
  return result;
}

}  // namespace trang::pdf::detail
