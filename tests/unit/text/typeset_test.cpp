// Hyphenation, greedy vs total fit, protrusion and ink extents, on the real Noto fonts.
#include <gtest/gtest.h>

#include <cmath>

#include "text/text.h"

namespace trang::text {
namespace {

const char* kEnglish =
    "Typographers have long understood that the justification of narrow newspaper columns "
    "depends on hyphenation: without it, interword spaces stretch unpleasantly, producing "
    "rivers of white that wander down the column and distract the reader considerably.";

class Typeset : public ::testing::Test {
 protected:
  ParagraphInput input(const std::string& text, const std::string& lang) {
    ParagraphInput in;
    TextStyle st;
    st.fonts = fonts.chain({"Noto Serif"}, 400, false, diags);
    st.size = Pt(10);
    st.language = lang;
    in.styles.push_back(st);
    in.spans.push_back({text, 0, ""});
    return in;
  }
  static std::string text_of(const Line& l) {
    std::string s;
    for (const LineRun& r : l.runs)
      for (const Cluster& c : r.clusters) s += c.text;
    return s;
  }
  static double sum_sq_ratios(const std::vector<Line>& lines) {
    double s = 0;
    for (size_t i = 0; i + 1 < lines.size(); ++i) s += lines[i].ratio * lines[i].ratio;
    return s;
  }
  FontCache fonts;
  Diagnostics diags;
};

TEST_F(Typeset, EnglishIsHyphenatedAndReadsBackWhole) {
  ParagraphInput in = input(kEnglish, "en");
  in.hyphenation.enabled = true;
  auto lines = set_paragraph(in, Pt(130), fonts, diags);
  int hyphenated = 0;
  std::string joined;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].width.v, 130.01);
    std::string t = text_of(lines[i]);
    if (lines[i].hyphenated) {
      ++hyphenated;
      ASSERT_EQ(t.back(), '-');
      t.pop_back();
      joined += t;
    } else {
      joined += t + (i + 1 < lines.size() ? " " : "");
    }
  }
  EXPECT_GT(hyphenated, 0);
  EXPECT_EQ(joined, kEnglish);
}

TEST_F(Typeset, VietnameseIsNeverHyphenated) {
  ParagraphInput in = input(
      "Đối với cuộc thi chính luận về bảo vệ nền tảng tư tưởng của Đảng năm 2025, do Ban Chỉ "
      "đạo 35 Trung ương tổ chức, Thành ủy Cần Thơ đạt giải Tập thể xuất sắc.", "vi");
  in.hyphenation.enabled = true;
  for (const Line& l : set_paragraph(in, Pt(110), fonts, diags)) EXPECT_FALSE(l.hyphenated);
}

TEST_F(Typeset, NoMoreHyphenatedLinesInARowThanAllowed) {
  std::string text;
  for (int i = 0; i < 4; ++i) text += std::string(kEnglish) + " ";
  ParagraphInput in = input(text, "en");
  in.hyphenation.enabled = true;
  in.hyphenation.limit_lines = 1;
  auto lines = set_paragraph(in, Pt(100), fonts, diags);
  int total = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    total += lines[i].hyphenated;
    EXPECT_FALSE(lines[i].hyphenated && lines[i + 1].hyphenated) << "lines " << i << "," << i + 1;
  }
  EXPECT_GT(total, 0);
}

TEST_F(Typeset, TotalFitSpacesMoreEvenlyThanGreedy) {
  std::string text;
  for (int i = 0; i < 3; ++i)
    text += "Hai là, nâng cao hơn nữa chất lượng, hiệu quả công tác nắm tình hình, dự báo. Phải "
            "chủ động, nhạy bén, nắm chắc diễn biến tư tưởng trong cán bộ, đảng viên và Nhân dân. ";
  ParagraphInput in = input(text, "vi");
  auto total = set_paragraph(in, Pt(150), fonts, diags);
  in.greedy = true;
  auto greedy = set_paragraph(in, Pt(150), fonts, diags);
  for (const Line& l : greedy) EXPECT_LE(l.width.v, 150.01);
  EXPECT_LT(sum_sq_ratios(total), sum_sq_ratios(greedy));
}

TEST_F(Typeset, ProtrudingCommaHangsIntoTheMargin) {
  ParagraphInput in = input(
      "một, hai, ba, bốn, năm, sáu, bảy, tám, chín, mười, mười một, mười hai, mười ba, mười "
      "bốn, mười lăm, mười sáu, mười bảy, mười tám.", "vi");
  in.protrusion = true;
  auto lines = set_paragraph(in, Pt(120), fonts, diags);
  int hanging = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const LineRun& r = lines[i].runs.back();
    Pt end = r.x + r.width;
    if (r.clusters.back().text == ",") {
      EXPECT_GT(end.v, 120.5) << "line " << i << " ends in a comma that does not hang";
      ++hanging;
    }
    EXPECT_LE(end.v, 120 + 5);  // at most part of a comma
  }
  EXPECT_GT(hanging, 0);
}

TEST_F(Typeset, StackedDiacriticsReachAboveTheCapHeight) {
  auto plain = set_paragraph(input("ECO", "vi"), Pt(300), fonts, diags);
  auto stacked = set_paragraph(input("ỄCỖ", "vi"), Pt(300), fonts, diags);
  ASSERT_EQ(plain.size(), 1u);
  ASSERT_EQ(stacked.size(), 1u);
  EXPECT_GT(stacked[0].ink_ascent.v, plain[0].ink_ascent.v + 1.5);
  EXPECT_GT(stacked[0].ink_ascent.v, 9.0);  // above the 10pt body's ascender
  auto descender = set_paragraph(input("ỰY gọi", "vi"), Pt(300), fonts, diags);
  EXPECT_GT(descender[0].ink_descent.v, 2.0);
}

}  // namespace
}  // namespace trang::text
