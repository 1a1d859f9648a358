// Fonts, shaping and whole paragraphs, on the real Noto fonts.
#include <gtest/gtest.h>

#include <algorithm>

#include "text/text.h"
#include "text_support.h"

namespace trang::text {
namespace {

class Paragraphs : public ::testing::Test {
 protected:
  ParagraphInput input(std::string text, Align align = Align::Justify, double size = 10) {
    ParagraphInput in;
    TextStyle st;
    st.fonts = fonts.chain({"Noto Serif"}, 400, false, diags);
    st.size = Pt(size);
    in.styles.push_back(st);
    in.spans.push_back({std::move(text), 0, ""});
    in.align = align;
    return in;
  }
  FontCache fonts;
  Diagnostics diags;
};

const char* kVietnamese =
    "Hai là, nâng cao hơn nữa chất lượng, hiệu quả công tác nắm tình hình, dự báo. Phải chủ "
    "động, nhạy bén, nắm chắc diễn biến tư tưởng trong cán bộ, đảng viên và Nhân dân, kịp thời "
    "phát hiện những vấn đề mới phát sinh.";

TEST_F(Paragraphs, FindsNotoThroughFontconfigAndNeverSubstitutes) {
  auto serif = fonts.find("Noto Serif", 400, false);
  ASSERT_TRUE(serif);
  EXPECT_EQ(fonts.program(*serif)->postscript_name, "NotoSerif-Regular");
  auto bold = fonts.find("Noto Serif", 700, false);
  ASSERT_TRUE(bold);
  EXPECT_EQ(fonts.program(*bold)->postscript_name, "NotoSerif-Bold");
  EXPECT_FALSE(fonts.find("No Such Family 123", 400, false));
  EXPECT_EQ(fonts.find("Noto Serif", 400, false), serif);  // cached, same id
}

// What the stylesheet checks ask of the cache: a family there is (catalogued, installed in
// any style, or declared), the installed names for hints, and local() by full name.
TEST_F(Paragraphs, FamiliesThereAreAndFacesByFullName) {
  EXPECT_TRUE(fonts.has_family("Noto Serif"));      // the catalogue's file
  EXPECT_TRUE(fonts.has_family("dejavu serif"));    // fontconfig, any case
  EXPECT_FALSE(fonts.has_family("Noto Serf"));
  std::vector<std::string> all = fonts.installed_families();
  EXPECT_TRUE(std::binary_search(all.begin(), all.end(), std::string("DejaVu Sans")));
  std::string bold = fonts.local_face_file("DejaVu Serif Bold");
  EXPECT_TRUE(bold.ends_with("DejaVuSerif-Bold.ttf")) << bold;
  EXPECT_EQ(fonts.local_face_file("DejaVuSerif-Bold"), bold);  // PostScript name
  EXPECT_EQ(fonts.local_face_file("No Such Face"), "");
  EXPECT_TRUE(fonts.add_face_file("Mine", 400, false, bold, {}, diags));
  EXPECT_TRUE(fonts.has_family("Mine"));
}

TEST_F(Paragraphs, VietnameseLettersShapeToRealGlyphs) {
  auto lines = set_paragraph(input("Đồng chí Trần Văn Huyến ệ ữ ổ ặ ỹ"), Pt(1000), fonts, diags);
  ASSERT_EQ(lines.size(), 1u);
  for (const LineRun& r : lines[0].runs)
    for (const Glyph& g : r.glyphs) EXPECT_NE(g.gid, 0u);
  EXPECT_EQ(text_of(lines[0]), "Đồng chí Trần Văn Huyến ệ ữ ổ ặ ỹ");
  EXPECT_TRUE(diags.all().empty());
}

TEST_F(Paragraphs, NoLineIsWiderThanTheMeasureAndTextIsKept) {
  for (double measure : {120.0, 150.0, 170.0, 250.0}) {
    auto lines = set_paragraph(input(kVietnamese), Pt(measure), fonts, diags);
    ASSERT_GT(lines.size(), 1u);
    std::string all;
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_LE(lines[i].width.v, measure + 0.01) << "line " << i << " at " << measure;
      if (i + 1 < lines.size()) {
        EXPECT_NEAR(lines[i].width.v, measure, 0.01) << "justified line " << i;
        all += text_of(lines[i]);
      } else {
        all += text_of(lines[i]);
      }
    }
    // Every line ends where a space was: joining lines with spaces gives the paragraph back.
    std::string joined;
    for (size_t i = 0; i < lines.size(); ++i) joined += (i ? " " : "") + text_of(lines[i]);
    EXPECT_EQ(joined, kVietnamese);
  }
}

TEST_F(Paragraphs, RaggedLinesAreNotStretched) {
  auto lines = set_paragraph(input(kVietnamese, Align::Left), Pt(150), fonts, diags);
  ASSERT_GT(lines.size(), 2u);
  for (const Line& l : lines) EXPECT_LE(l.width.v, 150.01);
  bool some_short = false;
  for (size_t i = 0; i + 1 < lines.size(); ++i) some_short |= lines[i].width.v < 145;
  EXPECT_TRUE(some_short);
}

TEST_F(Paragraphs, WhiteSpaceCollapsesAcrossSpans) {
  ParagraphInput in = input("  Một   hai\n\tba ");
  in.spans.push_back({"  bốn", 0, ""});
  auto lines = set_paragraph(in, Pt(500), fonts, diags);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(text_of(lines[0]), "Một hai ba bốn");
}

TEST_F(Paragraphs, LineSeparatorForcesABreak) {
  auto lines = set_paragraph(input("Một hai \u2028 ba"), Pt(500), fonts, diags);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(text_of(lines[0]), "Một hai");
  EXPECT_EQ(text_of(lines[1]), "ba");
}

TEST_F(Paragraphs, AWordWiderThanTheColumnIsBrokenWithAWarning) {
  // No break opportunity inside (UAX #14 would break a URL after its slashes).
  std::string word = "Nguyễnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn";
  auto lines = set_paragraph(input("Xem " + word + " nhé"), Pt(80), fonts, diags);
  ASSERT_GT(lines.size(), 2u);
  for (const Line& l : lines) EXPECT_LE(l.width.v, 80.01);
  ASSERT_FALSE(diags.all().empty());
  EXPECT_NE(diags.all().front().message.find("wider than the column"), std::string::npos);
}

TEST_F(Paragraphs, MissingGlyphsFallBackAlongTheChain) {
  // U+2605 BLACK STAR is not in Noto Serif; Noto Sans Symbols 2 has it.
  auto lines = set_paragraph(input("sao \u2605 sao"), Pt(500), fonts, diags);
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_GE(lines[0].runs.size(), 2u);
  bool found = false;
  for (const LineRun& r : lines[0].runs)
    for (const Cluster& c : r.clusters)
      if (c.text == "\u2605") {
        found = true;
        EXPECT_NE(fonts.program(r.font)->postscript_name, "NotoSerif-Regular");
        EXPECT_NE(r.glyphs[c.first_glyph].gid, 0u);
      }
  EXPECT_TRUE(found);
  EXPECT_TRUE(diags.all().empty());
}

TEST_F(Paragraphs, UppercaseKeepsVietnameseDiacritics) {
  EXPECT_EQ(to_upper("thành ủy cần thơ đạt giải", "vi"), "THÀNH ỦY CẦN THƠ ĐẠT GIẢI");
}

}  // namespace
}  // namespace trang::text

namespace trang::text {
namespace {
TEST(ParagraphSlots, FirstLinesTakeTheirSlotsThenTheFullMeasure) {
  FontCache fonts;
  Diagnostics diags;
  ParagraphInput in;
  TextStyle st;
  st.fonts = fonts.chain({"Noto Serif"}, 400, false, diags);
  in.styles.push_back(st);
  in.spans.push_back({kVietnamese, 0, ""});
  in.slots = {{Pt(30), Pt(120)}, {Pt(30), Pt(120)}};
  auto lines = set_paragraph(in, Pt(150), fonts, diags);
  ASSERT_GT(lines.size(), 3u);
  for (size_t i = 0; i < lines.size(); ++i) {
    Pt x = lines[i].runs.front().x;
    if (i < 2) {
      EXPECT_NEAR(x.v, 30, 0.01);
      EXPECT_NEAR(lines[i].width.v, 120, 0.01);
    } else if (i + 1 < lines.size()) {
      EXPECT_NEAR(x.v, 0, 0.01);
      EXPECT_NEAR(lines[i].width.v, 150, 0.01);
    }
  }
}
}  // namespace
}  // namespace trang::text

namespace trang::text {
namespace {
TEST(LazyFallback, FallbackFacesLoadOnlyWhenACharacterNeedsThem) {
  FontCache fonts;
  Diagnostics diags;
  uint32_t fb = kNoFallback;
  std::vector<FontId> chain = fonts.chain_lazy({"Noto Serif"}, 400, false, fb, diags);
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_EQ(fonts.size(), 1u);  // only Noto Serif itself is loaded
  ParagraphInput in;
  TextStyle st;
  st.fonts = chain;
  st.fallback = fb;
  in.styles.push_back(st);
  in.spans.push_back({"Việt Nam", 0, ""});
  set_paragraph(in, Pt(300), fonts, diags);
  EXPECT_EQ(fonts.size(), 1u);  // Vietnamese needs nothing else
  in.spans[0].text = "sao \u2605";
  auto lines = set_paragraph(in, Pt(300), fonts, diags);
  EXPECT_GT(fonts.size(), 1u);  // the star brought in a symbols face
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].runs.size(), 2u);
  EXPECT_NE(lines[0].runs.back().glyphs.back().gid, 0u);
  EXPECT_TRUE(diags.all().empty());
}
}  // namespace
}  // namespace trang::text
