// A font file as the PDF writer needs it: bytes plus the few metrics a FontDescriptor and a
// /W array need. Built by text/ (FreeType + HarfBuzz) and handed downstream as a plain value,
// so pdf/ never sees a shaping or FreeType type.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trang {

// Index of a font in a render's font table (text::FontCache, layout::PageTree::fonts).
using FontId = uint32_t;

// The bytes of a font file, shared by the shaper, the subsetter and the writer. A font
// installed on the system is mapped from its file, read-only: pages come from the page cache
// as shaping and subsetting reach them, where reading it copied every page of four 600 KB
// faces into fresh memory (the largest share of a one-page render's page faults). Package
// managers replace font files by renaming, so a mapped file does not change under us; one
// cut short in place all the same makes the render fail with a message, not a SIGBUS (map).
// A font from an article's folder (@font-face) is read into memory instead: someone could
// truncate it while it is mapped.
class FontBytes {
 public:
  static std::shared_ptr<const FontBytes> copy(std::string bytes);
  // nullptr when the file cannot be opened or mapped. A mapped file cut short while it is
  // mapped (a font package's file truncated and rewritten in place during a run) would make
  // reading its lost pages raise SIGBUS; instead they read as zeros, and
  // take_truncated_font() names the file, so the render can fail with a message.
  static std::shared_ptr<const FontBytes> map(const std::string& path);
  // Either of the above; nullptr on any error or when larger than `max_size`.
  static std::shared_ptr<const FontBytes> load(const std::string& path, bool map_it,
                                               size_t max_size);

  FontBytes(const FontBytes&) = delete;
  FontBytes& operator=(const FontBytes&) = delete;
  ~FontBytes();

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_, size_}; }

 private:
  FontBytes() = default;
  std::string owned_;
  void* mapping_ = nullptr;  // munmap'd by the destructor
  int guard_slot_ = -1;      // its entry in the SIGBUS guard's table (font_bytes.cpp)
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// The path of a mapped font file found cut short since the last call (FontBytes::map), or an
// empty string. A render calls it when it is done: a font that changed under it means glyphs
// drawn from zeros, so the render fails.
std::string take_truncated_font();

struct FontProgram {
  std::string path;             // where it was read from (for messages and reports)
  std::string postscript_name;  // from the name table; used for /BaseFont (with a subset tag)
  std::string family;           // family name as the catalogue knows it
  std::shared_ptr<const FontBytes> bytes;  // the whole sfnt file, shared with the shaper
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
