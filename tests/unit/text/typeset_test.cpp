// Hyphenation, greedy vs total fit, protrusion and ink extents, on the real Noto fonts.
#include <gtest/gtest.h>

#include <cmath>

#include "text/text.h"
#include "text_support.h"

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

// Font expansion (-trang-font-expansion): a paragraph that sets loosely in a narrow column.
const char* kLoose =
    "Theo báo cáo của cơ quan Thường trực Ban Chỉ đạo 35 Thành ủy, từ đầu tháng 7/2025 đến nay, "
    "công tác tuyên truyền, định hướng dư luận, phản bác các quan điểm sai trái, thù địch được "
    "kịp thời và hiệu quả; truyền tải được những thông điệp tích cực và thông tin chính thống, "
    "đầy đủ về chủ trương, đường lối của Đảng, chính sách và pháp luật của Nhà nước; các vấn đề "
    "thời sự, các ngày lễ, kỷ niệm trọng đại của đất nước và thành phố.";

// Where the line's last glyph ends, relative to the line start.
Pt line_end(const Line& l) { return l.runs.back().x + l.runs.back().width; }

double max_ratio(const std::vector<Line>& lines) {
  double m = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) m = std::max(m, std::abs(lines[i].ratio));
  return m;
}

TEST_F(Typeset, ExpansionMakesWordSpacesMoreEven) {
  int looser_without = 0;
  for (double measure : {110.0, 130.0, 150.0, 170.0}) {
    ParagraphInput in = input(kLoose, "vi");
    auto plain = set_paragraph(in, Pt(measure), fonts, diags);
    in.expansion = 0.02;
    auto expanded = set_paragraph(in, Pt(measure), fonts, diags);
    // The word spaces (the glue's ratio, what is left after the glyphs took their step) vary
    // less and reach less far.
    EXPECT_LT(sum_sq_ratios(expanded), sum_sq_ratios(plain)) << measure;
    EXPECT_LE(max_ratio(expanded), max_ratio(plain)) << measure;
    looser_without += max_ratio(expanded) < max_ratio(plain);
    int expanded_lines = 0;
    for (const Line& l : expanded) expanded_lines += l.expansion != 0;
    EXPECT_GT(expanded_lines, 0) << measure;
  }
  EXPECT_GE(looser_without, 3);  // the loosest line gets tighter in (nearly) every measure
}

TEST_F(Typeset, ExpandedLinesFillTheMeasureWithinTheLimitInSteps) {
  for (double limit : {0.01, 0.02, 0.05}) {
    ParagraphInput in = input(kLoose, "vi");
    in.expansion = limit;
    auto lines = set_paragraph(in, Pt(140), fonts, diags);
    ASSERT_GT(lines.size(), 3u);
    double step = limit / kExpansionSteps;
    for (size_t i = 0; i < lines.size(); ++i) {
      const Line& l = lines[i];
      bool last = i + 1 == lines.size();
      EXPECT_LE(std::abs(l.expansion), limit + 1e-12) << "line " << i;
      double steps = l.expansion / step;
      EXPECT_NEAR(steps, std::round(steps), 1e-9) << "line " << i << " is not on a step";
      for (const LineRun& r : l.runs) EXPECT_DOUBLE_EQ(r.hscale, 1 + l.expansion);
      if (last) {
        EXPECT_EQ(l.expansion, 0) << "the last line is not expanded";
        continue;
      }
      // Justified lines end exactly at the measure: the glue took what the glyphs did not.
      EXPECT_NEAR(l.width.v, 140, 1e-6) << "line " << i;
      EXPECT_NEAR(line_end(l).v, 140, 1e-6) << "line " << i;
      EXPECT_GE(l.ratio, -1) << "line " << i;
    }
  }
}

TEST_F(Typeset, ExpandedGlyphsAreScaledCopiesOfTheNaturalOnes) {
  ParagraphInput in = input("Thường trực Thường trực", "vi");
  auto plain = set_paragraph(in, Pt(70), fonts, diags);
  in.expansion = 0.02;
  auto wide = set_paragraph(in, Pt(70), fonts, diags);
  ASSERT_EQ(plain.size(), 2u);
  ASSERT_EQ(wide.size(), 2u);
  ASSERT_EQ(text_of(plain[0]), "Thường trực");
  ASSERT_EQ(text_of(wide[0]), "Thường trực");
  const LineRun& a = plain[0].runs.at(0);
  const LineRun& b = wide[0].runs.at(0);
  double scale = 1 + wide[0].expansion;
  EXPECT_GT(wide[0].expansion, 0);
  EXPECT_DOUBLE_EQ(b.hscale, scale);
  ASSERT_EQ(a.glyphs.size(), b.glyphs.size());
  for (const Cluster& c : b.clusters)
    for (uint32_t g = c.first_glyph; g < c.first_glyph + c.glyph_count; ++g) {
      EXPECT_EQ(a.glyphs[g].gid, b.glyphs[g].gid);
      if (c.text == " ") continue;  // the word space is glue: it takes the rest, unscaled
      EXPECT_NEAR(b.glyphs[g].advance.v, a.glyphs[g].advance.v * scale, 1e-9) << c.text;
      EXPECT_NEAR(b.glyphs[g].dx.v, a.glyphs[g].dx.v * scale, 1e-9) << c.text;
      EXPECT_EQ(b.glyphs[g].dy, a.glyphs[g].dy) << c.text;
    }
  // Both fill the measure; the expanded line leaves less to its one word space.
  EXPECT_NEAR(plain[0].width.v, 70, 1e-6);
  EXPECT_NEAR(wide[0].width.v, 70, 1e-6);
  EXPECT_LT(wide[0].ratio, plain[0].ratio);
  // A forced break (here the only line, justified by text-align-last) is never expanded.
  ParagraphInput one = input("Thường trực", "vi");
  one.expansion = 0.02;
  one.align_last = Align::Justify;
  auto last = set_paragraph(one, Pt(300), fonts, diags);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].expansion, 0);
  EXPECT_EQ(last[0].runs[0].hscale, 1);
}

TEST_F(Typeset, ExpansionIsOffByDefaultAndIgnoredForRaggedText) {
  auto same = [](const std::vector<Line>& x, const std::vector<Line>& y) {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i].width != y[i].width || x[i].ratio != y[i].ratio || x[i].runs.size() != y[i].runs.size())
        return false;
      for (size_t k = 0; k < x[i].runs.size(); ++k) {
        const LineRun& a = x[i].runs[k];
        const LineRun& b = y[i].runs[k];
        if (a.x != b.x || a.width != b.width || a.hscale != 1 || b.hscale != 1 ||
            a.glyphs.size() != b.glyphs.size())
          return false;
        for (size_t g = 0; g < a.glyphs.size(); ++g)
          if (a.glyphs[g].gid != b.glyphs[g].gid || a.glyphs[g].advance != b.glyphs[g].advance ||
              a.glyphs[g].dx != b.glyphs[g].dx)
            return false;
      }
    }
    return true;
  };
  ParagraphInput in = input(kLoose, "vi");
  auto off = set_paragraph(in, Pt(140), fonts, diags);
  in.expansion = 0;
  EXPECT_TRUE(same(off, set_paragraph(in, Pt(140), fonts, diags)));
  for (Align a : {Align::Left, Align::Right, Align::Center}) {
    ParagraphInput ragged = input(kLoose, "vi");
    ragged.align = a;
    auto plain = set_paragraph(ragged, Pt(140), fonts, diags);
    ragged.expansion = 0.02;
    EXPECT_TRUE(same(plain, set_paragraph(ragged, Pt(140), fonts, diags)));
  }
}

TEST_F(Typeset, ExpansionWithHyphensAndProtrusionStillFillsTheMeasure) {
  std::string text;
  for (int i = 0; i < 3; ++i) text += std::string(kEnglish) + " ";
  ParagraphInput in = input(text, "en");
  in.hyphenation.enabled = true;
  in.protrusion = true;
  in.expansion = 0.02;
  auto lines = set_paragraph(in, Pt(120), fonts, diags);
  int hyphenated = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    hyphenated += lines[i].hyphenated;
    // With protrusion the line's width is the measure; its ink may hang past it.
    EXPECT_NEAR(lines[i].width.v, 120, 1e-6) << "line " << i << ": " << text_of(lines[i]);
    EXPECT_LE(std::abs(lines[i].expansion), 0.02 + 1e-12);
  }
  EXPECT_GT(hyphenated, 0);
}

// The breaker on hand-made items: boxes that may stretch and shrink by 2% of their width.
TEST(BreakLinesExpansion, FontStretchOfBoxesCountsExceptAtAForcedBreak) {
  using T = Item::Type;
  std::vector<Item> plain, wide;
  const double w[] = {10, 15, 8, 20, 12, 9, 14, 6, 18, 11, 13, 17, 7, 10, 16, 12, 9, 15,
                      11, 8, 19, 13, 10, 14, 7, 12, 16, 9};
  for (double x : w) {
    if (!plain.empty()) plain.push_back({T::Glue, 3, 1.5, 1});
    plain.push_back({T::Box, x});
  }
  plain.push_back({T::Penalty, 0, 0, 0, kInfPenalty});
  plain.push_back({T::Glue, 0, 1e6, 0});
  plain.push_back({T::Penalty, 0, 0, 0, -kInfPenalty});
  wide = plain;
  for (Item& it : wide)
    if (it.type == T::Box) it.stretch = it.shrink = 0.02 * it.width;
  EXPECT_EQ(wide[0].debug(), "box 10+0.2-0.2");
  BreakParams loose;
  loose.tolerance = 1000;
  auto a = break_lines(plain, {100}, loose);
  auto b = break_lines(wide, {100}, loose);
  ASSERT_TRUE(a && b);
  double worst_a = 0, worst_b = 0;
  for (size_t l = 0; l + 1 < a->ratios.size(); ++l) worst_a = std::max(worst_a, a->ratios[l]);
  for (size_t l = 0; l + 1 < b->ratios.size(); ++l) worst_b = std::max(worst_b, b->ratios[l]);
  EXPECT_LT(worst_b, worst_a);
  // A line ended by a forced break: only its glue counts.
  std::vector<Item> one = {{T::Box, 40, 0.8, 0.8}, {T::Glue, 3, 1.5, 1}, {T::Box, 40, 0.8, 0.8},
                           {T::Penalty, 0, 0, 0, -kInfPenalty}};
  auto forced = break_lines(one, {84});
  ASSERT_TRUE(forced);
  EXPECT_DOUBLE_EQ(forced->ratios[0], 1.0 / 1.5);
  // Ended by an ordinary break instead (a word follows on the last line), the glyphs share
  // the stretch: (84 - 83) / (1.5 + 1.6).
  one.pop_back();
  for (const Item& it : std::vector<Item>{{T::Glue, 3, 1.5, 1}, {T::Box, 5, 0.1, 0.1},
                                          {T::Penalty, 0, 0, 0, kInfPenalty}, {T::Glue, 0, 1e6, 0},
                                          {T::Penalty, 0, 0, 0, -kInfPenalty}})
    one.push_back(it);
  auto open = break_lines(one, {84});
  ASSERT_TRUE(open);
  ASSERT_EQ(open->ends.size(), 2u);
  EXPECT_NEAR(open->ratios[0], 1.0 / 3.1, 1e-12);
}

}  // namespace
}  // namespace trang::text
