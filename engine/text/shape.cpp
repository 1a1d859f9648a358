// Shaping with HarfBuzz, and case mapping with ICU.
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "text/internal.h"

namespace trang::text {

namespace {
struct HbBufferDeleter {
  void operator()(hb_buffer_t* b) const { hb_buffer_destroy(b); }
};
}  // namespace

const std::vector<UnitGlyph>& shape_cached(Face& face, std::string_view text,
                                           const std::string& language,
                                           const std::vector<std::string>& features) {
  std::string key;
  key.reserve(language.size() + 1 + text.size());
  key.append(language).push_back('\x1f');
  for (const std::string& f : features) key.append(f).push_back('\x1e');
  if (!features.empty()) key.push_back('\x1f');
  key.append(text);
  auto it = face.shape_cache.find(key);
  if (it != face.shape_cache.end()) return it->second;

  std::unique_ptr<hb_buffer_t, HbBufferDeleter> buf(hb_buffer_create());
  hb_buffer_add_utf8(buf.get(), text.data(), static_cast<int>(text.size()), 0,
                     static_cast<int>(text.size()));
  // The language selects locl substitutions (Vietnamese has its own accent placement in
  // many fonts); script and direction come from the text itself.
  hb_buffer_set_language(buf.get(), hb_language_from_string(language.c_str(), -1));
  hb_buffer_guess_segment_properties(buf.get());
  std::vector<hb_feature_t> feats;
  for (const std::string& f : features) {
    hb_feature_t feat;
    if (hb_feature_from_string(f.c_str(), static_cast<int>(f.size()), &feat)) feats.push_back(feat);
  }
  hb_shape(face.hb.get(), buf.get(), feats.data(), static_cast<unsigned>(feats.size()));

  unsigned n = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf.get(), &n);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf.get(), &n);
  std::vector<UnitGlyph> glyphs(n);
  for (unsigned i = 0; i < n; ++i)
    glyphs[i] = {info[i].codepoint, pos[i].x_advance, pos[i].x_offset, pos[i].y_offset,
                 info[i].cluster};
  return face.shape_cache.emplace(std::move(key), std::move(glyphs)).first->second;
}

std::pair<int32_t, int32_t> glyph_ink(Face& face, uint32_t gid) {
  if (face.ink.empty()) {
    size_t n = face.program->advances.size();
    face.ink.assign(n, {0, 0});
    face.ink_known.assign(n, false);
  }
  if (gid >= face.ink.size()) return {0, 0};
  if (!face.ink_known[gid]) {
    hb_glyph_extents_t e{};
    if (hb_font_get_glyph_extents(face.hb.get(), gid, &e))
      face.ink[gid] = {e.y_bearing, e.y_bearing + e.height};  // height is negative
    face.ink_known[gid] = true;
  }
  return face.ink[gid];
}

namespace {
std::string map_case(std::string_view utf8, const std::string& language, bool upper) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::Locale loc(language.c_str());
  if (upper) s.toUpper(loc); else s.toLower(loc);
  std::string out;
  s.toUTF8String(out);
  return out;
}
}  // namespace

std::string to_upper(std::string_view utf8, const std::string& language) {
  return map_case(utf8, language, true);
}
std::string to_lower(std::string_view utf8, const std::string& language) {
  return map_case(utf8, language, false);
}

}  // namespace trang::text
