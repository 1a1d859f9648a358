// FontCache: finds faces through fontconfig, checks them with FreeType, shapes with HarfBuzz.
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <hb-ot.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "text/internal.h"

namespace trang::embedded {
extern const std::string_view kFontCatalog;
}

namespace trang::text {
namespace {

std::string trim(std::string s) {
  size_t a = s.find_first_not_of(" \t\r");
  size_t b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::map<std::string, std::vector<std::string>> parse_catalog(std::string_view text) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    line = trim(line.substr(0, line.find('#')));
    size_t colon = line.find(':');
    if (line.empty() || colon == std::string::npos) continue;
    std::vector<std::string>& chain = out[lower(trim(line.substr(0, colon)))];
    std::istringstream rest(line.substr(colon + 1));
    for (std::string f; std::getline(rest, f, ',');)
      if (!trim(f).empty()) chain.push_back(trim(f));
  }
  return out;
}

// The catalogue's "file FAMILY | WEIGHT | normal|italic | PATH" lines, keyed like
// FontCache::Impl::by_request ("family|weight|i" or "...|r").
std::map<std::string, std::string> parse_file_hints(std::string_view text) {
  std::map<std::string, std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    line = trim(line.substr(0, line.find('#')));
    if (line.rfind("file ", 0) != 0) continue;
    std::vector<std::string> f;
    std::istringstream rest(line.substr(5));
    for (std::string x; std::getline(rest, x, '|');) f.push_back(trim(x));
    if (f.size() != 4) continue;
    out[lower(f[0]) + '|' + f[1] + '|' + (f[2] == "italic" ? "i" : "r")] = f[3];
  }
  return out;
}

struct FcPatternDeleter {
  void operator()(FcPattern* p) const { FcPatternDestroy(p); }
};
struct FcObjectSetDeleter {
  void operator()(FcObjectSet* s) const { FcObjectSetDestroy(s); }
};
struct FcFontSetDeleter {
  void operator()(FcFontSet* s) const { FcFontSetDestroy(s); }
};
struct FtLibraryDeleter {
  void operator()(FT_Library l) const { FT_Done_FreeType(l); }
};
struct FtFaceDeleter {
  void operator()(FT_Face f) const { FT_Done_Face(f); }
};
struct HbFaceDeleter {
  void operator()(hb_face_t* f) const { hb_face_destroy(f); }
};

// Where fontconfig has `family` at this weight and slant; empty when it is not installed.
// fontconfig always answers with *some* font, so the family of the match is checked.
std::pair<std::string, int> fc_lookup(const std::string& family, int weight, bool italic) {
  std::unique_ptr<FcPattern, FcPatternDeleter> pat(FcPatternCreate());
  FcPatternAddString(pat.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcPatternAddInteger(pat.get(), FC_WEIGHT, FcWeightFromOpenType(weight));
  FcPatternAddInteger(pat.get(), FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcConfigSubstitute(nullptr, pat.get(), FcMatchPattern);
  FcDefaultSubstitute(pat.get());
  FcResult result;
  std::unique_ptr<FcPattern, FcPatternDeleter> match(FcFontMatch(nullptr, pat.get(), &result));
  if (!match) return {};
  FcChar8* fam = nullptr;
  FcChar8* file = nullptr;
  int index = 0;
  if (FcPatternGetString(match.get(), FC_FAMILY, 0, &fam) != FcResultMatch ||
      FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch)
    return {};
  FcPatternGetInteger(match.get(), FC_INDEX, 0, &index);
  if (lower(reinterpret_cast<const char*>(fam)) != lower(family)) return {};
  return {reinterpret_cast<const char*>(file), index};
}

// Whether every table the sfnt directory lists lies inside the file (OpenType spec, "Table
// Directory"). FreeType opens a truncated font happily and fails only when a glyph or table
// is reached; hb-subset then fails at write time. Collections (ttcf) are left to FreeType.
bool sfnt_tables_inside(std::string_view b) {
  auto u16 = [&](size_t at) { return (static_cast<uint8_t>(b[at]) << 8) | static_cast<uint8_t>(b[at + 1]); };
  auto u32 = [&](size_t at) { return (static_cast<uint32_t>(u16(at)) << 16) | u16(at + 2); };
  if (b.size() < 12) return false;
  if (b.compare(0, 4, "ttcf") == 0) return true;
  size_t tables = u16(4);
  if (12 + 16 * tables > b.size()) return false;
  for (size_t i = 0; i < tables; ++i) {
    size_t rec = 12 + 16 * i;
    uint64_t end = uint64_t{u32(rec + 8)} + u32(rec + 12);
    if (end > b.size()) return false;
  }
  return true;
}

// Reads and checks a font file: FreeType must open it and the metrics must be sane before
// HarfBuzz or the PDF writer ever see it. Returns nullptr on any problem.
// `map_it`: map the file rather than read it (FontBytes): for installed fonts, not for an
// article's own.
std::unique_ptr<Face> load_face(const std::string& path, int index, bool map_it) {
  std::shared_ptr<const FontBytes> bytes = FontBytes::load(path, map_it, size_t(256) << 20);
  if (!bytes) return nullptr;
  FT_Library lib_raw = nullptr;
  if (FT_Init_FreeType(&lib_raw)) return nullptr;
  std::unique_ptr<FT_LibraryRec_, FtLibraryDeleter> lib(lib_raw);
  FT_Face ft_raw = nullptr;
  if (FT_New_Memory_Face(lib.get(), reinterpret_cast<const FT_Byte*>(bytes->data()),
                         static_cast<FT_Long>(bytes->size()), index, &ft_raw))
    return nullptr;
  std::unique_ptr<FT_FaceRec_, FtFaceDeleter> ft(ft_raw);
  if (!FT_IS_SFNT(ft.get()) || ft->units_per_EM == 0 || ft->num_glyphs <= 0 ||
      ft->num_glyphs > 65535)
    return nullptr;
  if (!sfnt_tables_inside(bytes->view())) return nullptr;

  auto p = std::make_shared<FontProgram>();
  p->path = path;
  p->bytes = bytes;
  p->face_index = static_cast<unsigned>(index);
  p->family = ft->family_name ? ft->family_name : "";
  const char* ps = FT_Get_Postscript_Name(ft.get());
  p->postscript_name = ps ? ps : "Font";
  p->units_per_em = ft->units_per_EM;
  p->ascender = ft->ascender;
  p->descender = ft->descender;
  p->bbox[0] = static_cast<int>(ft->bbox.xMin);
  p->bbox[1] = static_cast<int>(ft->bbox.yMin);
  p->bbox[2] = static_cast<int>(ft->bbox.xMax);
  p->bbox[3] = static_cast<int>(ft->bbox.yMax);
  p->bold = ft->style_flags & FT_STYLE_FLAG_BOLD;
  p->italic = ft->style_flags & FT_STYLE_FLAG_ITALIC;
  p->fixed_pitch = FT_IS_FIXED_WIDTH(ft.get());
  if (auto* os2 = static_cast<TT_OS2*>(FT_Get_Sfnt_Table(ft.get(), FT_SFNT_OS2))) {
    p->cap_height = os2->version >= 2 ? os2->sCapHeight : 0;
    p->x_height = os2->version >= 2 ? os2->sxHeight : 0;
    // sFamilyClass 1..7 are the serif classes (OpenType OS/2 spec, IBM family classes).
    int cls = os2->sFamilyClass >> 8;
    p->serif = cls >= 1 && cls <= 7;
  }
  if (p->cap_height == 0) p->cap_height = static_cast<int>(p->ascender * 0.9);
  if (p->x_height == 0) p->x_height = p->cap_height * 2 / 3;
  if (auto* post = static_cast<TT_Postscript*>(FT_Get_Sfnt_Table(ft.get(), FT_SFNT_POST)))
    p->italic_angle = post->italicAngle / 65536.0;

  // HarfBuzz shares the same bytes: the blob points into the FontProgram's bytes, which the
  // Face keeps alive as long as the hb_font.
  hb_blob_t* blob = hb_blob_create(bytes->data(), static_cast<unsigned>(bytes->size()),
                                   HB_MEMORY_MODE_READONLY, nullptr, nullptr);
  std::unique_ptr<hb_face_t, HbFaceDeleter> hbface(hb_face_create(blob, index));
  hb_blob_destroy(blob);
  auto face = std::make_unique<Face>();
  face->hb.reset(hb_font_create(hbface.get()));
  hb_ot_font_set_funcs(face->hb.get());
  hb_font_set_scale(face->hb.get(), p->units_per_em, p->units_per_em);

  unsigned n = static_cast<unsigned>(ft->num_glyphs);
  std::vector<hb_codepoint_t> gids(n);
  std::vector<hb_position_t> adv(n);
  for (unsigned g = 0; g < n; ++g) gids[g] = g;
  hb_font_get_glyph_h_advances(face->hb.get(), n, gids.data(), sizeof(hb_codepoint_t), adv.data(),
                               sizeof(hb_position_t));
  p->advances.resize(n);
  for (unsigned g = 0; g < n; ++g)
    p->advances[g] = static_cast<uint16_t>(std::clamp<hb_position_t>(adv[g], 0, 65535));

  double upem = p->units_per_em;
  face->metrics.ascender = p->ascender / upem;
  face->metrics.descender = p->descender / upem;
  face->metrics.cap_height = p->cap_height / upem;
  face->metrics.x_height = p->x_height / upem;
  hb_codepoint_t zero;
  if (hb_font_get_nominal_glyph(face->hb.get(), '0', &zero) && zero < n)
    face->metrics.zero_advance = adv[zero] / upem;
  face->program = std::move(p);
  return face;
}

}  // namespace

FontCache::FontCache() : impl_(std::make_unique<Impl>()) {
  impl_->fallbacks = parse_catalog(trang::embedded::kFontCatalog);
  impl_->file_hints = parse_file_hints(trang::embedded::kFontCatalog);
}
FontCache::FontCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FontCache::~FontCache() = default;

std::unique_ptr<FontCache> FontCache::frozen_clone() const {
  const Impl& from = *impl_;
  auto impl = std::make_unique<Impl>();
  impl->frozen = true;
  impl->faces.reserve(from.faces.size());
  for (const std::unique_ptr<Face>& f : from.faces) {
    auto face = std::make_unique<Face>();
    face->program = f->program;
    face->hb.reset(hb_font_create(hb_font_get_face(f->hb.get())));
    hb_ot_font_set_funcs(face->hb.get());
    int x_scale = 0, y_scale = 0;
    hb_font_get_scale(f->hb.get(), &x_scale, &y_scale);
    hb_font_set_scale(face->hb.get(), x_scale, y_scale);
    face->metrics = f->metrics;
    impl->faces.push_back(std::move(face));
  }
  impl->by_file = from.by_file;
  impl->by_request = from.by_request;
  impl->fallbacks = from.fallbacks;
  impl->file_hints = from.file_hints;
  impl->reported_no_font = from.reported_no_font;
  impl->fallback_lists = from.fallback_lists;
  impl->fallback_ids = from.fallback_ids;
  impl->declared = from.declared;
  impl->borrowed_hyphen_dicts = from.borrowed_hyphen_dicts;
  for (const auto& [language, dict] : from.hyphen_dicts)
    impl->borrowed_hyphen_dicts[language] = dict.get();
  // Line breakers are not copied: the clone makes its own on first use (ICU builds them
  // thread-safely), rather than clone iterators still holding the original's last text.
  return std::unique_ptr<FontCache>(new FontCache(std::move(impl)));
}

bool FontCache::frozen_miss() const { return impl_->frozen_miss; }
void FontCache::clear_frozen_miss() { impl_->frozen_miss = false; }

std::optional<FontId> FontCache::find(const std::string& family, int weight, bool italic) {
  std::string key = lower(family) + '|' + std::to_string(weight) + '|' + (italic ? "i" : "r");
  auto it = impl_->by_request.find(key);
  if (it != impl_->by_request.end()) return it->second;
  if (impl_->frozen) {  // a clone never loads a face: the original must answer
    impl_->frozen_miss = true;
    return std::nullopt;
  }
  std::optional<FontId> result;
  // Faces the stylesheet declared (@font-face) come first: CSS Fonts 4 §4.1 says a declared
  // family hides an installed one of the same name. Same style first, then the nearest weight.
  if (auto d = impl_->declared.find(lower(family)); d != impl_->declared.end()) {
    const Impl::Declared* best = nullptr;
    auto cost = [&](const Impl::Declared& x) {
      return (x.italic != italic ? 10000 : 0) + std::abs(x.weight - weight);
    };
    for (const Impl::Declared& x : d->second)
      if (!best || cost(x) < cost(*best)) best = &x;
    if (best) {
      impl_->by_request[key] = best->id;
      return best->id;
    }
  }
  // A known file for exactly this face skips fontconfig; it must really be that face.
  if (auto h = impl_->file_hints.find(key); h != impl_->file_hints.end()) {
    std::string fkey = h->second + "#0";
    if (auto f = impl_->by_file.find(fkey); f != impl_->by_file.end()) {
      impl_->by_request[key] = f->second;
      return f->second;
    }
    std::error_code ec;
    if (std::filesystem::is_regular_file(h->second, ec)) {
      if (auto face = load_face(h->second, 0, true)) {
        const FontProgram& p = *face->program;
        if (lower(p.family) == lower(family) && p.italic == italic && p.bold == (weight >= 600)) {
          FontId id = static_cast<FontId>(impl_->faces.size());
          impl_->faces.push_back(std::move(face));
          impl_->by_file[fkey] = id;
          impl_->by_request[key] = id;
          return id;
        }
      }
    }
  }
  auto [file, index] = fc_lookup(family, weight, italic);
  if (!file.empty()) {
    std::string fkey = file + '#' + std::to_string(index);
    auto f = impl_->by_file.find(fkey);
    if (f != impl_->by_file.end()) {
      result = f->second;
    } else if (auto face = load_face(file, index, true)) {
      FontId id = static_cast<FontId>(impl_->faces.size());
      impl_->faces.push_back(std::move(face));
      impl_->by_file[fkey] = id;
      result = id;
    }
  }
  impl_->by_request[key] = result;
  return result;
}

std::vector<FontId> FontCache::chain(const std::vector<std::string>& families, int weight,
                                     bool italic, Diagnostics& diags) {
  std::vector<std::string> names = families;
  auto add_fallbacks = [&](const std::string& fam) {
    auto it = impl_->fallbacks.find(lower(fam));
    if (it != impl_->fallbacks.end()) names.insert(names.end(), it->second.begin(), it->second.end());
  };
  if (!families.empty()) add_fallbacks(families.front());
  add_fallbacks("*");
  std::vector<FontId> out;
  for (const std::string& name : names) {
    std::optional<FontId> id = find(name, weight, italic);
    if (id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  }
  if (out.empty() && !impl_->reported_no_font) {
    impl_->reported_no_font = true;
    diags.error({}, "no usable font found for '" + (families.empty() ? "*" : families.front()) + "'",
                "install fonts-noto-core (scripts/setup.sh does)");
  }
  return out;
}

std::vector<FontId> FontCache::chain_lazy(const std::vector<std::string>& families, int weight,
                                          bool italic, uint32_t& fallback, Diagnostics& diags) {
  std::vector<std::string> names;
  auto add_fallbacks = [&](const std::string& fam) {
    auto it = impl_->fallbacks.find(lower(fam));
    if (it != impl_->fallbacks.end()) names.insert(names.end(), it->second.begin(), it->second.end());
  };
  if (!families.empty()) add_fallbacks(families.front());
  add_fallbacks("*");
  std::vector<FontId> out;
  for (const std::string& name : families) {
    std::optional<FontId> id = find(name, weight, italic);
    if (id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  }
  // None of the requested families is installed: the first fallback that is becomes the font.
  size_t used = 0;
  while (out.empty() && used < names.size())
    if (std::optional<FontId> id = find(names[used++], weight, italic)) out.push_back(*id);
  if (out.empty()) return chain(families, weight, italic, diags);  // reports "no usable font"
  names.erase(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(used));
  std::string key;
  for (const std::string& f : families) key += lower(f) + ',';
  key += '|' + std::to_string(weight) + (italic ? "i" : "r");
  auto it = impl_->fallback_ids.find(key);
  if (it == impl_->fallback_ids.end()) {
    impl_->fallback_lists.push_back({std::move(names), weight, italic, 0, {}});
    it = impl_->fallback_ids.emplace(key, static_cast<uint32_t>(impl_->fallback_lists.size() - 1)).first;
  }
  fallback = it->second;
  return out;
}

std::optional<FontId> FontCache::fallback_font(uint32_t fallback, char32_t cp) {
  if (fallback >= impl_->fallback_lists.size()) return std::nullopt;
  Impl::Fallback& fb = impl_->fallback_lists[fallback];
  for (FontId f : fb.faces)
    if (has_glyph(f, cp)) return f;
  while (fb.resolved < fb.names.size()) {
    std::optional<FontId> id = find(fb.names[fb.resolved], fb.weight, fb.italic);
    if (impl_->frozen_miss) return std::nullopt;  // the list stays as the original left it
    ++fb.resolved;
    if (!id || std::find(fb.faces.begin(), fb.faces.end(), *id) != fb.faces.end()) continue;
    fb.faces.push_back(*id);
    if (has_glyph(*id, cp)) return id;
  }
  return std::nullopt;
}

std::vector<FontId> FontCache::fallback_faces(uint32_t fallback) const {
  if (fallback >= impl_->fallback_lists.size()) return {};
  const Impl::Fallback& fb = impl_->fallback_lists[fallback];
  // The original may have resolved more of the list by the time it would have asked.
  if (impl_->frozen && fb.resolved < fb.names.size()) impl_->frozen_miss = true;
  return fb.faces;
}

bool FontCache::add_face_file(const std::string& family, int weight, bool italic,
                              const std::string& path, const SourcePos& where,
                              Diagnostics& diags) {
  std::string fkey = path + "#0";
  FontId id;
  if (auto f = impl_->by_file.find(fkey); f != impl_->by_file.end()) {
    id = f->second;
  } else {
    std::unique_ptr<Face> face = load_face(path, 0, false);
    if (!face) {
      std::ifstream probe(path, std::ios::binary);
      diags.error(where, probe ? "font file '" + path + "' is damaged or not a TrueType/OpenType "
                                                        "font (FreeType cannot read it)"
                               : "font file '" + path + "' cannot be read",
                  "use a .ttf or .otf file");
      return false;
    }
    id = static_cast<FontId>(impl_->faces.size());
    impl_->faces.push_back(std::move(face));
    impl_->by_file[fkey] = id;
  }
  impl_->declared[lower(family)].push_back({weight, italic, id});
  // Requests answered before this declaration are asked again.
  for (auto it = impl_->by_request.begin(); it != impl_->by_request.end();)
    it = it->first.starts_with(lower(family) + '|') ? impl_->by_request.erase(it) : std::next(it);
  return true;
}

bool FontCache::has_family(const std::string& family) const {
  if (impl_->declared.count(lower(family))) return true;
  // The catalogue's own files answer without fontconfig, whose first use (reading its
  // configuration and caches) costs more than a short render.
  std::string prefix = lower(family) + '|';
  std::error_code ec;
  for (const auto& [key, file] : impl_->file_hints)
    if (key.compare(0, prefix.size(), prefix) == 0 && std::filesystem::is_regular_file(file, ec))
      return true;
  std::unique_ptr<FcPattern, FcPatternDeleter> pat(FcPatternCreate());
  FcPatternAddString(pat.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  std::unique_ptr<FcObjectSet, FcObjectSetDeleter> os(FcObjectSetBuild(FC_FAMILY, nullptr));
  std::unique_ptr<FcFontSet, FcFontSetDeleter> set(FcFontList(nullptr, pat.get(), os.get()));
  return set && set->nfont > 0;
}

std::vector<std::string> FontCache::installed_families() const {
  std::unique_ptr<FcPattern, FcPatternDeleter> pat(FcPatternCreate());
  std::unique_ptr<FcObjectSet, FcObjectSetDeleter> os(FcObjectSetBuild(FC_FAMILY, nullptr));
  std::unique_ptr<FcFontSet, FcFontSetDeleter> set(FcFontList(nullptr, pat.get(), os.get()));
  std::vector<std::string> out;
  for (int i = 0; set && i < set->nfont; ++i) {
    FcChar8* fam = nullptr;
    for (int k = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, k, &fam) == FcResultMatch; ++k)
      out.emplace_back(reinterpret_cast<const char*>(fam));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string FontCache::local_face_file(const std::string& name) const {
  for (const char* key : {FC_FULLNAME, FC_POSTSCRIPT_NAME}) {
    std::unique_ptr<FcPattern, FcPatternDeleter> pat(FcPatternCreate());
    FcPatternAddString(pat.get(), key, reinterpret_cast<const FcChar8*>(name.c_str()));
    std::unique_ptr<FcObjectSet, FcObjectSetDeleter> os(FcObjectSetBuild(FC_FILE, nullptr));
    std::unique_ptr<FcFontSet, FcFontSetDeleter> set(FcFontList(nullptr, pat.get(), os.get()));
    FcChar8* file = nullptr;
    if (set && set->nfont > 0 &&
        FcPatternGetString(set->fonts[0], FC_FILE, 0, &file) == FcResultMatch)
      return reinterpret_cast<const char*>(file);
  }
  return {};
}

void FontCache::forget_declared_faces() {
  for (const auto& [family, faces] : impl_->declared)
    for (auto it = impl_->by_request.begin(); it != impl_->by_request.end();)
      it = it->first.starts_with(family + '|') ? impl_->by_request.erase(it) : std::next(it);
  impl_->declared.clear();
}

bool FontCache::has_glyph(FontId font, char32_t cp) const {
  if (font >= impl_->faces.size()) return false;
  Face& face = *impl_->faces[font];
  hb_codepoint_t g;
  if (cp >= Face::kCmapCacheSize) return hb_font_get_nominal_glyph(face.hb.get(), cp, &g);
  if (face.has_glyph_cache.empty()) face.has_glyph_cache.assign(Face::kCmapCacheSize, 0);
  uint8_t& known = face.has_glyph_cache[cp];
  if (known == 0) known = hb_font_get_nominal_glyph(face.hb.get(), cp, &g) ? 1 : 2;
  return known == 1;
}

FaceMetrics FontCache::metrics(FontId font) const { return impl_->faces.at(font)->metrics; }

std::shared_ptr<const FontProgram> FontCache::program(FontId font) const {
  return impl_->faces.at(font)->program;
}

size_t FontCache::size() const { return impl_->faces.size(); }

}  // namespace trang::text
