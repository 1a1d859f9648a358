// The writer, fonts: the Type0 / CIDFont / FontDescriptor dictionaries, font file,
// /W and ToUnicode of each subset (ISO 32000-1 §9.6-9.10).
#include "pdf/writer.h"

namespace trang::pdf::writer {

// Fills in the Type0 font made at first use, now that every used glyph and its text are known:
// Type0 -> CIDFontType2 (or CIDFontType0 for CFF outlines) -> FontDescriptor -> font file,
// plus the ToUnicode CMap (ISO 32000-1 §9.7 composite fonts, §9.8, §9.9, §9.10.3).
bool Writer::finish_font(FontState& font) {
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

}  // namespace trang::pdf::writer
