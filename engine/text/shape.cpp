// Shaping with HarfBuzz, and case mapping with ICU.
#include <algorithm>

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "text/internal.h"

namespace trang::text {

const ShapedText& shape_cached(Face& face, std::string_view text,
                                           const std::string& language,
                                           const std::vector<std::string>& features) {
  // The key is built in a buffer kept per thread: most words are looked up, not shaped, and
  // a fresh key string per word (longer ones allocate) was a good part of the lookup.
  thread_local std::string key;
  key.clear();
  key.append(language).push_back('\x1f');
  for (const std::string& f : features) key.append(f).push_back('\x1e');
  if (!features.empty()) key.push_back('\x1f');
  key.append(text);
  auto it = face.shape_cache.find(key);
  if (it != face.shape_cache.end()) return it->second;

  if (!face.buffer) face.buffer.reset(hb_buffer_create());
  hb_buffer_t* buf = face.buffer.get();
  hb_buffer_clear_contents(buf);
  hb_buffer_add_utf8(buf, text.data(), static_cast<int>(text.size()), 0,
                     static_cast<int>(text.size()));
  // The language selects locl substitutions (Vietnamese has its own accent placement in
  // many fonts); script and direction come from the text itself.
  hb_buffer_set_language(buf, hb_language_from_string(language.c_str(), -1));
  hb_buffer_guess_segment_properties(buf);
  hb_segment_properties_t props;
  hb_buffer_get_segment_properties(buf, &props);
  // The plan for these properties and features, made once per face.
  std::string plan_key(key, 0, key.size() - text.size());
  plan_key.append(std::to_string(props.script)).push_back(static_cast<char>('0' + props.direction));
  HbPlan& plan = face.plans[plan_key];
  std::vector<hb_feature_t> feats;
  for (const std::string& f : features) {
    hb_feature_t feat;
    if (hb_feature_from_string(f.c_str(), static_cast<int>(f.size()), &feat)) feats.push_back(feat);
  }
  if (!plan)
    plan.reset(hb_shape_plan_create_cached(hb_font_get_face(face.hb.get()), &props, feats.data(),
                                           static_cast<unsigned>(feats.size()), nullptr));
  hb_shape_plan_execute(plan.get(), face.hb.get(), buf, feats.data(),
                        static_cast<unsigned>(feats.size()));

  unsigned n = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
  ShapedText out;
  out.glyphs.resize(n);
  for (unsigned i = 0; i < n; ++i) {
    UnitGlyph& g = out.glyphs[i];
    g = {info[i].codepoint, pos[i].x_advance, pos[i].x_offset, pos[i].y_offset, info[i].cluster};
    if (g.gid == 0) out.has_notdef = true;
    auto [top, bottom] = glyph_ink(face, g.gid);
    if (top != bottom) {
      int32_t t = top + g.dy, b = bottom + g.dy;
      out.ink_top = out.has_ink ? std::max(out.ink_top, t) : t;
      out.ink_bottom = out.has_ink ? std::min(out.ink_bottom, b) : b;
      out.has_ink = true;
    }
    // A cluster is a run of glyphs with the same cluster value (HarfBuzz's default cluster
    // level keeps them monotone for left-to-right text); its text runs to the next cluster's.
    if (i == 0 || info[i - 1].cluster != g.cluster) {
      uint32_t next = static_cast<uint32_t>(text.size());
      for (unsigned j = i + 1; j < n; ++j)
        if (info[j].cluster != g.cluster) { next = info[j].cluster; break; }
      out.clusters.push_back({i, 0, g.cluster, next > g.cluster ? next - g.cluster : 0});
    }
    out.clusters.back().glyph_count++;
  }
  return face.shape_cache.emplace(key, std::move(out)).first->second;
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
