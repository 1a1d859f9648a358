// Internals shared by the text stage's files. Not part of the stage's public surface.
#pragma once

#include <hb.h>
#include <unicode/brkiter.h>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/text.h"

struct _HyphenDict;  // libhyphen's dictionary (hyphen.h), kept out of this header

namespace trang::text {

struct HbFontDeleter {
  void operator()(hb_font_t* f) const { hb_font_destroy(f); }
};
using HbFont = std::unique_ptr<hb_font_t, HbFontDeleter>;
struct HbBufferDeleter {
  void operator()(hb_buffer_t* b) const { hb_buffer_destroy(b); }
};
using HbBuffer = std::unique_ptr<hb_buffer_t, HbBufferDeleter>;
struct HbPlanDeleter {
  void operator()(hb_shape_plan_t* p) const { hb_shape_plan_destroy(p); }
};
using HbPlan = std::unique_ptr<hb_shape_plan_t, HbPlanDeleter>;

// A glyph as shaped, in font units, before it is scaled to a size.
struct UnitGlyph {
  uint32_t gid;
  int32_t advance, dx, dy;
  uint32_t cluster;  // byte offset in the shaped text
};

// A text shaped in one face, as cached: the glyphs in font units and what every use of them
// needs, worked out once (a Vietnamese article shapes each syllable once and sets it hundreds
// of times).
struct ShapedText {
  std::vector<UnitGlyph> glyphs;
  struct Span {
    uint32_t first_glyph, glyph_count;  // glyphs of one cluster
    uint32_t byte_begin, byte_len;      // the text it stands for
  };
  std::vector<Span> clusters;  // in glyph order
  // Ink extents over the glyphs that have ink, y offsets included, in font units (y up).
  bool has_ink = false;
  int32_t ink_top = 0, ink_bottom = 0;
  bool has_notdef = false;  // a glyph 0: some character has no glyph in the face
};

struct Face {
  std::shared_ptr<FontProgram> program;
  HbFont hb;  // scale = units per em, so positions come out in font units
  FaceMetrics metrics;
  // Shaped words, keyed by language + '\x1f' + text: the same syllables come back again and
  // again in Vietnamese prose, and shaping is the costliest step per word.
  std::unordered_map<std::string, ShapedText> shape_cache;
  // Ink top and bottom of each glyph in font units (y up), filled on first use.
  std::vector<std::pair<int32_t, int32_t>> ink;
  std::vector<bool> ink_known;
  // Shaping state reused from word to word: one buffer, and a shape plan per script,
  // language and features (hb_shape would look the plan up, and the feature variations with
  // it, on every call: a third of the cost of shaping a short word).
  HbBuffer buffer;
  std::map<std::string, HbPlan> plans;
  // Whether the face has a glyph for each code point below kCmapCacheSize: 0 not asked yet,
  // 1 yes, 2 no. Choosing a font asks for every character of the text.
  static constexpr char32_t kCmapCacheSize = 0x3000;
  std::vector<uint8_t> has_glyph_cache;
};

// Ink extents of a glyph, in font units: {top, bottom} above/below the baseline (y up).
std::pair<int32_t, int32_t> glyph_ink(Face& face, uint32_t gid);

struct HyphenDictDeleter {
  void operator()(::_HyphenDict* d) const;
};
using HyphenDictPtr = std::unique_ptr<::_HyphenDict, HyphenDictDeleter>;

// The hyphenation dictionary for a BCP 47 language (libhyphen, Debian's hyphen-* packages),
// or nullptr: Vietnamese and languages without a dictionary are never hyphenated.
::_HyphenDict* hyphen_dictionary(FontCache::Impl& cache, const std::string& language);

struct FontCache::Impl {
  std::vector<std::unique_ptr<Face>> faces;
  std::map<std::string, FontId> by_file;     // "path#index" -> face
  std::map<std::string, std::optional<FontId>> by_request;  // "family|weight|italic"
  std::map<std::string, std::vector<std::string>> fallbacks;  // from catalog.txt
  std::map<std::string, std::string> file_hints;  // "family|weight|i/r" -> known file
  bool reported_no_font = false;
  // Lazy fallback lists (chain_lazy): the family names still to try, with weight and style,
  // and the faces resolved so far.
  struct Fallback {
    std::vector<std::string> names;
    int weight = 400;
    bool italic = false;
    size_t resolved = 0;  // names[0..resolved) have been looked up
    std::vector<FontId> faces;
  };
  std::vector<Fallback> fallback_lists;
  std::map<std::string, uint32_t> fallback_ids;  // "families|weight|style" -> list
  struct Declared {
    int weight;
    bool italic;
    FontId id;
  };
  std::map<std::string, std::vector<Declared>> declared;  // @font-face, by lower-case family
  std::map<std::string, HyphenDictPtr> hyphen_dicts;  // by language; null = none found
  // UAX #14 line break iterators by language, built once (building one costs more than
  // breaking a long paragraph with it) and reset with setText for each paragraph.
  std::map<std::string, std::unique_ptr<icu::BreakIterator>> line_breakers;
  // A frozen clone (FontCache::frozen_clone): the original's dictionaries, borrowed, and
  // whether a lookup needed something the clone does not have.
  bool frozen = false;
  bool frozen_miss = false;
  std::map<std::string, ::_HyphenDict*> borrowed_hyphen_dicts;
};

// Shapes `text` (one font, one style) with HarfBuzz; cached per face.
// `features` are HarfBuzz feature strings ("smcp", "liga=0"); they are part of the cache key.
const ShapedText& shape_cached(Face& face, std::string_view text,
                                           const std::string& language,
                                           const std::vector<std::string>& features = {});

}  // namespace trang::text
