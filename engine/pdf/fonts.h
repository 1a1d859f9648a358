// Internal to pdf/: what a composite font needs besides libharu objects. Kept free of libharu
// and HarfBuzz types so the unit tests can check the CMap text, /W ranges and subset tags
// without writing a document.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/font_program.h"

namespace trang::pdf::detail {

// Glyphs of one font used in the document, and the text each glyph stands for in the
// ToUnicode CMap (ISO 32000-1 §9.10.3). A glyph maps to the first text it is seen with; the
// writer marks every later, different use with /ActualText instead (§14.9.4).
class FontUsage {
 public:
  explicit FontUsage(size_t glyph_count = 0);

  // Marks `gid` as used (it goes into the subset and the /W array).
  void use(uint32_t gid);

  // Outcome of offering a glyph's text to the CMap.
  enum class Map : uint8_t {
    Added,     // the glyph had no text; it now maps to `text`
    Same,      // the glyph already maps to exactly `text`
    Conflict,  // the glyph maps to other text: this use needs /ActualText
  };
  // Records `text` (UTF-16, not empty) for `gid` unless it already has one. Also marks it used.
  Map map(uint32_t gid, std::u16string_view text);

  // A glyph reached from a second text (a small capital drawn with the capital's glyph, which
  // maps to the capital): `text` (UTF-16, not empty, different from the glyph's own) gets a
  // code of its own for the same glyph, its k-th alternate (CidMap::alternate_cid), so that
  // readers that ignore /ActualText (MuPDF 1.21, pdfminer) read it from ToUnicode too. Records
  // the pair unless known (a text too long for a CMap entry gets none). Marks the glyph used.
  void add_alternate(uint32_t gid, std::u16string_view text);
  // The k of (gid, text), or -1 when it has none.
  int64_t alternate(uint32_t gid, std::u16string_view text) const;
  struct Alternate {
    uint32_t gid;
    std::u16string text;
  };
  // In the order of first use: k is the index.
  const std::vector<Alternate>& alternates() const { return alternates_; }

  // Used glyph IDs, ascending.
  std::vector<uint32_t> used_glyphs() const;
  // Glyph IDs that have a text, ascending.
  std::vector<uint32_t> mapped_glyphs() const;
  // (glyph ID, code point) for the mapped glyphs whose text is one character, ascending by
  // glyph: what a subset's own cmap maps (subset_font).
  std::vector<std::pair<uint32_t, char32_t>> characters() const;
  // The text of a mapped glyph (mapped_glyphs); empty for any other.
  const std::u16string& text(uint32_t gid) const {
    static const std::u16string none;
    return gid < entry_.size() && entry_[gid] >= kFirstText ? texts_[entry_[gid] - kFirstText] : none;
  }
  size_t glyph_count() const { return entry_.size(); }

 private:
  // Per glyph: unused, used without a text, or kFirstText + the index of its text in texts_.
  // (A string per glyph of the font cost more to make and free than the rest of the document's
  // font work: Noto Serif has 3000 glyphs, a page uses a hundred.)
  enum : uint32_t { kUnused = 0, kUsed = 1, kFirstText = 2 };
  std::vector<uint32_t> entry_;
  std::vector<std::u16string> texts_;
  std::vector<uint32_t> used_;  // the used glyphs in the order of first use (no scan of entry_)
  std::vector<Alternate> alternates_;
  std::map<std::pair<uint32_t, std::u16string>, uint32_t, std::less<>> alternate_index_;
};

// Converts UTF-8 to UTF-16 (astral code points as surrogate pairs), appending to `out`.
// Invalid sequences become U+FFFD; returns false when there were any.
bool append_utf16(std::u16string& out, std::string_view utf8);

// Appends UTF-16 code units as upper-case hex, four digits each (the form of a PDF hex string
// and of CMap destination strings).
void append_hex_utf16(std::string& out, std::u16string_view text);

// The CID a glyph of the original font is written as: a two-byte code through Identity-H
// (§9.7.5.2), and with /CIDToGIDMap /Identity (§9.7.4.2) also the glyph's ID in the embedded
// subset. A default CidMap is the identity (a subset that retained the original glyph IDs);
// otherwise it holds hb-subset's renumbering, and a glyph that is not in the subset reads as
// CID 0 (.notdef).
//
// Alternate codes (FontUsage::add_alternate) follow the subset's glyphs: the k-th is CID
// `alternate_base + k`, which the CIDFont's /CIDToGIDMap stream (cid_to_gid_map) sends to the
// glyph. Only a TrueType subset has them; a CIDFontType0 has no CIDToGIDMap (§9.7.4.2), and
// there the other texts of a glyph stay /ActualText.
class CidMap {
 public:
  CidMap() = default;
  // `cids`: by original glyph ID, the glyph's ID in the subset. `alternate_base`: the first
  // CID after the subset's glyphs (its glyph count); 0 for no alternate codes.
  explicit CidMap(std::vector<uint16_t> cids, uint32_t alternate_base = 0)
      : cids_(std::move(cids)), alternate_base_(alternate_base) {}

  uint32_t cid(uint32_t gid) const {
    if (cids_.empty()) return gid;
    return gid < cids_.size() ? cids_[gid] : 0;
  }
  bool identity() const { return cids_.empty(); }
  // Whether the k-th alternate has a code (two-byte codes end at 0xFFFF).
  bool has_alternate(uint64_t k) const {
    return alternate_base_ != 0 && alternate_base_ + k <= 0xFFFF;
  }
  uint32_t alternate_cid(uint32_t k) const { return alternate_base_ + k; }

 private:
  std::vector<uint16_t> cids_;
  uint32_t alternate_base_ = 0;
};

// The /CIDToGIDMap stream (§9.7.4.2: two bytes, big-endian, per CID from 0) of a CIDFontType2
// whose alternate codes are in use: the glyphs themselves, then each alternate's glyph. Empty
// when there is none, and /CIDToGIDMap /Identity does.
std::string cid_to_gid_map(const FontUsage& usage, const CidMap& cids);

// The ToUnicode CMap program for the mapped glyphs of `usage`, and its alternate codes that
// `cids` has (ISO 32000-1 §9.10.3, Adobe
// Technical Note #5411): two-byte codes = the glyphs' CIDs, bfrange for runs of consecutive
// CIDs with consecutive single-unit BMP values that stay within one low byte, bfchar for the
// rest, at most 100 entries per block.
std::string tounicode_cmap(const FontUsage& usage, const CidMap& cids = {});

// A glyph's advance in the 1000-units-per-em glyph space of a CIDFont (§9.7.4.3), rounded to
// an integer. The content writer reconciles with this same value, so rounding never moves a
// glyph.
inline int width_1000(const FontProgram& font, uint32_t gid) {
  if (gid >= font.advances.size() || font.units_per_em <= 0) return 0;
  long v = static_cast<long>(font.advances[gid]) * 1000;
  long upem = font.units_per_em;
  return static_cast<int>((v + upem / 2) / upem);  // advances are unsigned: plain rounding
}

// One `c [w1 w2 ...]` group of a CIDFont /W array (§9.7.4.3): widths of consecutive CIDs.
struct WidthRange {
  uint32_t first = 0;  // CID
  std::vector<int> widths;
};
// The widths of the used glyphs `gids` (original glyph IDs, each advance from the original
// font), and of the alternate codes of `usage` that `cids` has, grouped into ranges of
// consecutive CIDs, in CID order.
std::vector<WidthRange> width_ranges(const FontProgram& font, const std::vector<uint32_t>& gids,
                                     const CidMap& cids = {}, const FontUsage* usage = nullptr);

// Six upper-case letters that name a subset (§9.9.2 "subset tag"), derived from the font and
// the glyph set so that the same input always gives the same name and different subsets of
// one font in different files get different names.
std::string subset_tag(std::string_view postscript_name, const std::vector<uint32_t>& gids);

// The PostScript name reduced to what a PDF name and a BaseFont may hold: printable ASCII
// without delimiters or spaces, at most 63 characters (the PostScript name limit). Falls back
// to the family, then to "Font".
std::string base_font_name(const FontProgram& font);

// FontDescriptor /Flags (§9.8.2, table 123).
int descriptor_flags(const FontProgram& font);

// A subset font file made with hb-subset: `gids`, .notdef and whatever they need (the
// components of composite glyphs).
//
// TrueType outlines: glyphs renumbered compactly, in the order of their original IDs, and
// `cids` says where each went; the content, /W and ToUnicode use the new IDs as CIDs with
// /CIDToGIDMap /Identity. Retaining the original IDs instead would give the subset an hmtx
// and a loca entry for every glyph up to the highest used one (two thirds of a Noto subset).
//
// CFF outlines: glyph IDs retained and `cids` is the identity, CID = original glyph ID as
// before. A CIDFontType0 has no /CIDToGIDMap (§9.7.4.2): a viewer finds a CID's glyph through
// the CFF charset when the CFF is CID-keyed and takes the CID as the glyph index when it is
// not, so renumbering would have to be checked against both readings and the charset
// hb-subset writes; that has not been done. The cost is an hmtx entry and an empty CharString
// for every glyph up to the highest used one (a CFF has no loca).
struct SubsetFont {
  std::string bytes;
  bool cff = false;  // CFF outlines ('CFF ' table): embed as FontFile3 /OpenType, CIDFontType0
  CidMap cids;       // original glyph ID -> CID (= glyph ID in `bytes`)
  unsigned glyph_count = 0;  // glyphs in the subset (maxp.numGlyphs)
};
// `gids`: the used glyphs, original IDs. `chars`: (original glyph ID, code point) for the
// glyphs that stand for one character, from which a TrueType subset's cmap is made (fonts.cpp,
// kDroppedFromTrueType); without them it has none. Returns nullopt and sets `error` when the
// font cannot be read or subset.
std::optional<SubsetFont> subset_font(const FontProgram& font, const std::vector<uint32_t>& gids,
                                      const std::vector<std::pair<uint32_t, char32_t>>& chars,
                                      std::string& error);

}  // namespace trang::pdf::detail
