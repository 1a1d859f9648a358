// A font file as the PDF writer needs it: bytes plus the few metrics a FontDescriptor and a
// /W array need. Built by text/ (FreeType + HarfBuzz) and handed downstream as a plain value,
// so pdf/ never sees a shaping or FreeType type.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace trang {

// Index of a font in a render's font table (text::FontCache, layout::PageTree::fonts).
using FontId = uint32_t;

struct FontProgram {
  std::string path;             // where it was read from (for messages and reports)
  std::string postscript_name;  // from the name table; used for /BaseFont (with a subset tag)
  std::string family;           // family name as the catalogue knows it
  std::shared_ptr<const std::string> bytes;  // the whole sfnt file, shared with the shaper
  unsigned face_index = 0;      // index inside a collection (.ttc); 0 for a plain .ttf/.otf
  int units_per_em = 1000;
  // Metrics in font units, as a FontDescriptor wants them (PDF 32000-1 §9.8).
  int ascender = 0;
  int descender = 0;  // negative below the baseline
  int cap_height = 0;
  int x_height = 0;
  int bbox[4] = {0, 0, 0, 0};  // xMin yMin xMax yMax
  double italic_angle = 0;
  bool bold = false;
  bool italic = false;
  bool fixed_pitch = false;
  bool serif = false;
  // Horizontal advance of every glyph of the face, in font units (hmtx), for /W.
  std::vector<uint16_t> advances;
};

}  // namespace trang
