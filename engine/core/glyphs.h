// Shaped glyphs and the text they stand for: produced by text/, positioned by layout/, written
// by pdf/. Kept in core because all three speak it.
#pragma once

#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/core.h"

namespace trang {

// The text of one cluster: a few bytes of UTF-8 (a letter, a letter with its marks, the
// letters of a ligature). A document has about one cluster per glyph, and each is copied from
// the shaped word to its line and its page, so the bytes are kept inline, up to kInline of
// them, and only a longer text (an emoji sequence, a run of marks) goes to the heap. 16
// bytes, where a std::string took 32 and a cluster 40: clusters were the largest part of a
// long article's peak memory. Reads as a std::string_view.
class ClusterText {
 public:
  static constexpr size_t kInline = 12;

  ClusterText() noexcept = default;
  ClusterText(std::string_view s) { assign(s); }  // NOLINT(google-explicit-constructor)
  ClusterText(const char* s) : ClusterText(std::string_view(s)) {}  // NOLINT
  ClusterText(const std::string& s) : ClusterText(std::string_view(s)) {}  // NOLINT
  ClusterText(const ClusterText& o) { assign(o.view()); }
  ClusterText(ClusterText&& o) noexcept : size_(o.size_) {
    std::memcpy(bytes_, o.bytes_, kInline);
    o.size_ = 0;
  }
  ClusterText& operator=(const ClusterText& o) {
    if (this != &o) {
      ClusterText copy(o);
      *this = std::move(copy);
    }
    return *this;
  }
  ClusterText& operator=(ClusterText&& o) noexcept {
    if (this != &o) {
      release();
      size_ = o.size_;
      std::memcpy(bytes_, o.bytes_, kInline);
      o.size_ = 0;
    }
    return *this;
  }
  ~ClusterText() { release(); }

  const char* data() const noexcept { return size_ <= kInline ? bytes_ : heap(); }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  char operator[](size_t i) const noexcept { return data()[i]; }
  std::string_view view() const noexcept { return {data(), size_}; }
  operator std::string_view() const noexcept { return view(); }  // NOLINT

  friend bool operator==(const ClusterText& a, const ClusterText& b) noexcept {
    return a.view() == b.view();
  }
  friend bool operator==(const ClusterText& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const ClusterText& a, const char* b) noexcept {
    return a.view() == std::string_view(b);
  }

 private:
  char* heap() const noexcept {
    char* p = nullptr;
    std::memcpy(&p, bytes_, sizeof p);
    return p;
  }
  void assign(std::string_view s) {
    if (s.size() <= kInline) {
      std::memcpy(bytes_, s.data(), s.size());
    } else {
      if (s.size() > UINT32_MAX) throw std::length_error("cluster text too long");
      char* p = new char[s.size()];
      std::memcpy(p, s.data(), s.size());
      std::memcpy(bytes_, &p, sizeof p);
    }
    size_ = static_cast<uint32_t>(s.size());
  }
  void release() noexcept {
    if (size_ > kInline) delete[] heap();
    size_ = 0;
  }

  uint32_t size_ = 0;
  char bytes_[kInline] = {};  // the text, or (beyond kInline bytes) the heap pointer to it
};

std::ostream& operator<<(std::ostream& out, const ClusterText& t);

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
  ClusterText text;  // UTF-8, NFC
};

}  // namespace trang
