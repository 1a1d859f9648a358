// Shaped glyphs and the text they stand for: produced by text/, positioned by layout/, written
// by pdf/. Kept in core because all three speak it.
#pragma once

#include <cstdint>
#include <string>

#include "core/core.h"

namespace trang {

// One shaped glyph, placed relative to the pen. `advance` is the pen movement actually wanted
// (font advance plus kerning, letter spacing and, for spaces of justified lines, the stretch);
// the writer reconciles it with the font's /W width through TJ adjustments.
struct Glyph {
  uint32_t gid = 0;
  Pt advance;
  Pt dx;  // GPOS x offset of the glyph from the pen position
  Pt dy;  // GPOS y offset (marks); the writer uses text rise for it
};

// The source text a run of glyphs stands for. Clusters partition the glyphs of a run in order.
// A one-glyph cluster maps that glyph to `text` in the ToUnicode CMap; any other shape (several
// glyphs for one text, or a glyph already mapped to different text) is written with /ActualText.
struct Cluster {
  uint32_t first_glyph = 0;
  uint32_t glyph_count = 0;
  std::string text;  // UTF-8, NFC
};

}  // namespace trang
