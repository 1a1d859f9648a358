// Helpers for the PDF writer tests: a real font shaped with HarfBuzz into GlyphRuns, tiny JPEG
// files, and running the poppler/qpdf command-line tools on the output.
#pragma once

#include <hb.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/font_program.h"
#include "image/image.h"
#include "layout/page_tree.h"
#include "pdf/content.h"
#include "pdf/fonts.h"

namespace trang::pdf::test {

inline constexpr const char* kNotoSerif = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf";
inline constexpr const char* kNotoMusic = "/usr/share/fonts/truetype/noto/NotoMusic-Regular.ttf";
// A CFF-outline OpenType font (fonts-urw-base35).
inline constexpr const char* kCffFont = "/usr/share/fonts/opentype/urw-base35/C059-Roman.otf";

std::string read_file(const std::filesystem::path& path);

// A font file loaded both as the writer's FontProgram and as a HarfBuzz font for shaping.
class TestFont {
 public:
  explicit TestFont(const std::string& path);
  ~TestFont();
  TestFont(const TestFont&) = delete;
  TestFont& operator=(const TestFont&) = delete;

  const std::shared_ptr<const FontProgram>& program() const { return program_; }
  // The nominal glyph of a code point (0 when the font lacks it).
  uint32_t glyph(char32_t cp) const;
  // Shapes UTF-8 text (LTR) into a run at (x, y): advances and offsets scaled to `size`,
  // clusters from HarfBuzz's byte offsets, each cluster's text the UTF-8 it covers.
  layout::GlyphRun shape(const std::string& text, FontId id, double size, double x,
                         double y) const;

 private:
  std::shared_ptr<const FontProgram> program_;
  hb_blob_t* blob_ = nullptr;
  hb_face_t* face_ = nullptr;
  hb_font_t* font_ = nullptr;
};

// A baseline JPEG of the given size made with libjpeg: components 1, 3 or 4 (CMYK).
image::Bytes make_jpeg(int width, int height, int components);

struct ToolResult {
  int status = -1;  // exit status, -1 when the command could not run
  std::string out;
  std::string err;
};
// Runs a shell command, capturing stdout and stderr.
ToolResult run_tool(const std::string& command);

// Writes bytes to a file (creating directories as needed).
void write_file(const std::filesystem::path& path, const std::string& bytes);

// A font of ten 500-unit glyphs and the state the content writer reads, for TextObject tests.
struct TextFixture {
  FontProgram font;
  detail::FontUsage usage{10};
  detail::CidMap cids;
  std::u16string scratch;
  TextFixture() {
    font.units_per_em = 1000;
    font.advances.assign(10, 500);
  }
  layout::GlyphRun run(double x, double y, double size = 10, std::vector<uint32_t> gids = {1, 2}) {
    layout::GlyphRun r;
    r.size = Pt(size);
    r.x = Pt(x);
    r.y = Pt(y);
    r.color = Color::gray(0);
    for (uint32_t g : gids) {
      r.clusters.push_back({static_cast<uint32_t>(r.glyphs.size()), 1, std::string(1, char('a' + g))});
      r.glyphs.push_back({g, Pt(size / 2), {}, {}});
    }
    detail::record_run(r, usage, scratch);
    return r;
  }
  void write(detail::TextObject& text, const layout::GlyphRun& r, std::string_view resource = "F1") {
    text.write_run(r, resource, font, usage, cids, scratch);
  }
};

}  // namespace trang::pdf::test
