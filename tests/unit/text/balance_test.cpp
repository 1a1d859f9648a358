// text-wrap: balance and a pinned first line, on hand-made item lists (no fonts), then
// ::first-line and small caps on whole paragraphs with the real Noto fonts.
#include <gtest/gtest.h>

#include <algorithm>

#include "text/text.h"
#include "text_support.h"

namespace trang::text {
namespace {

using T = Item::Type;

// Ragged words as set_paragraph makes them (TeX's \rightskip trick): after each word but the
// last, glue(0, +R) penalty(0) glue(3, -R), so a line may end at any space.
std::vector<Item> ragged(const std::vector<double>& w, double r = 30) {
  std::vector<Item> items;
  for (size_t i = 0; i < w.size(); ++i) {
    if (i) {
      items.push_back({T::Glue, 0, r, 0});
      items.push_back({T::Penalty, 0, 0, 0, 0});
      items.push_back({T::Glue, 3, -r, 0});
    }
    items.push_back({T::Box, w[i]});
  }
  items.push_back({T::Penalty, 0, 0, 0, kInfPenalty});
  items.push_back({T::Glue, 0, 1e6, 0});
  items.push_back({T::Penalty, 0, 0, 0, -kInfPenalty});
  return items;
}

// Natural widths of the lines of `br` (boxes and the glue between them, none at the ends).
std::vector<double> natural_widths(const std::vector<Item>& items, const Breaks& br) {
  std::vector<double> out;
  size_t start = 0;
  for (size_t end : br.ends) {
    while (start < end && items[start].type != T::Box) ++start;
    double w = 0, pending = 0;
    for (size_t k = start; k < end; ++k) {
      if (items[k].type == T::Box) { w += pending + items[k].width; pending = 0; }
      if (items[k].type == T::Glue && items[k].stretch < 1e6) pending += items[k].width;
    }
    out.push_back(w);
    start = end + 1;
  }
  return out;
}

size_t boxes_on_line(const std::vector<Item>& items, const Breaks& br, size_t line) {
  size_t from = line == 0 ? 0 : br.ends[line - 1] + 1, n = 0;
  for (size_t k = from; k < br.ends[line]; ++k) n += items[k].type == T::Box;
  return n;
}

// A headline of seven words in a 150pt measure: first fit fills line 1 with six of them and
// leaves the last word alone; balanced, the two lines carry the words evenly.
TEST(Balance, NoLoneWordOnTheLastLine) {
  auto items = ragged({24, 22, 23, 20, 22, 21, 19});
  BreakParams params;
  Breaks greedy = break_paragraph(items, {150}, params, true);
  ASSERT_EQ(greedy.ends.size(), 2u);
  EXPECT_EQ(boxes_on_line(items, greedy, 1), 1u) << "the case to fix: a lone word";
  for (bool first_fit : {true, false}) {
    Breaks plain = break_paragraph(items, {150}, params, first_fit);
    Breaks even = break_lines_balanced(items, {150}, params, first_fit);
    ASSERT_EQ(even.ends.size(), plain.ends.size()) << "balance keeps the number of lines";
    EXPECT_GE(boxes_on_line(items, even, 1), 3u);
    std::vector<double> w = natural_widths(items, even);
    double spread = *std::max_element(w.begin(), w.end()) - *std::min_element(w.begin(), w.end());
    std::vector<double> p = natural_widths(items, plain);
    double plain_spread = *std::max_element(p.begin(), p.end()) - *std::min_element(p.begin(), p.end());
    EXPECT_LT(spread, plain_spread / 3);
    for (double x : w) EXPECT_LE(x, 150 + 1e-9);
  }
}

TEST(Balance, ThreeLinesStayThreeAndEvenOut) {
  auto items = ragged({40, 35, 30, 45, 38, 33, 41, 36, 12});
  BreakParams params;
  Breaks plain = break_paragraph(items, {130}, params, false);
  Breaks even = break_lines_balanced(items, {130}, params, false);
  ASSERT_EQ(plain.ends.size(), 3u);
  ASSERT_EQ(even.ends.size(), 3u);
  std::vector<double> w = natural_widths(items, even);
  double lo = *std::min_element(w.begin(), w.end()), hi = *std::max_element(w.begin(), w.end());
  EXPECT_GT(lo, hi * 0.75) << lo << " .. " << hi;
}

TEST(Balance, OneLineAndWideBoxesAreLeftAlone) {
  BreakParams params;
  auto one = ragged({20, 20});
  EXPECT_EQ(break_lines_balanced(one, {150}, params, false).ends.size(), 1u);
  // A box as wide as the measure leaves nothing to narrow.
  auto wide = ragged({150, 10, 10});
  Breaks plain = break_paragraph(wide, {150}, params, false);
  Breaks even = break_lines_balanced(wide, {150}, params, false);
  EXPECT_EQ(even.ends, plain.ends);
}

// BreakParams::first_end: the first line ends at the given break even where total fit or first
// fit would have gone on.
TEST(FirstEnd, PinsTheFirstLineInBothBreakers) {
  auto items = ragged({30, 25, 28, 22, 26, 20, 18});
  BreakParams params;
  Breaks free = break_paragraph(items, {150}, params, false);
  ASSERT_GT(free.ends[0], 5u);
  // The break after the second word: glue, penalty, glue follow its box (item 4).
  size_t pin = 5;
  ASSERT_EQ(items[pin].type, T::Glue);
  params.first_end = pin;
  for (bool first_fit : {true, false}) {
    Breaks pinned = break_paragraph(items, {150}, params, first_fit);
    ASSERT_FALSE(pinned.ends.empty());
    EXPECT_EQ(pinned.ends[0], pin) << (first_fit ? "first fit" : "total fit");
    EXPECT_EQ(pinned.ends.back(), items.size() - 1);
  }
}

class Styled : public ::testing::Test {
 protected:
  TextStyle style(double size, std::vector<std::string> features = {}) {
    TextStyle st;
    st.fonts = fonts.chain({"Noto Serif"}, 400, false, diags);
    st.size = Pt(size);
    st.features = std::move(features);
    return st;
  }
  FontCache fonts;
  Diagnostics diags;
};

const char* kText =
    "Khoảng năm giờ sáng, khi trời còn tối, những chiếc ghe đầu tiên đã cập bến chợ nổi Cái "
    "Răng, chở đầy bưởi, xoài, khóm và rau xanh từ các huyện lân cận về bán cho thương lái.";

// ::first-line: whatever the style does to the width of the words, the styled glyphs are
// exactly those of the first line.
TEST_F(Styled, FirstLineStyleCoversExactlyTheFirstLine) {
  struct Case {
    const char* name;
    double size;
    std::vector<std::string> features;
    CaseMap map;
    Align align;
  };
  std::vector<Case> cases = {
      {"all-small-caps", 10, {"smcp", "c2sc"}, CaseMap::None, Align::Justify},
      {"uppercase", 10, {}, CaseMap::Upper, Align::Justify},
      {"larger", 12.5, {}, CaseMap::None, Align::Left},
      {"smaller", 8, {}, CaseMap::None, Align::Justify},
  };
  for (const Case& c : cases) {
    for (double measure : {120.0, 150.0, 173.0, 210.0}) {
      ParagraphInput in;
      in.styles = {style(10), style(c.size, c.features)};
      in.styles[1].color = Color::rgb(1, 0, 0);  // tells the runs apart
      in.align = c.align;
      Span span{kText, 0, ""};
      span.first_line_style = 1;
      span.first_line_case = c.map;
      in.spans.push_back(span);
      std::vector<Line> lines = set_paragraph(in, Pt(measure), fonts, diags);
      ASSERT_GT(lines.size(), 2u);
      for (size_t li = 0; li < lines.size(); ++li)
        for (const LineRun& r : lines[li].runs) {
          if (r.glyphs.empty()) continue;
          bool styled = r.color == in.styles[1].color;
          EXPECT_EQ(styled, li == 0) << c.name << " at " << measure << "pt, line " << li + 1
                                     << ": " << text_of(lines[li]);
        }
      for (const Line& l : lines) EXPECT_LE(l.width.v, measure + 0.01) << c.name;
    }
  }
}

// Small caps: letters Noto Serif has no small capital for (ả ằ ặ ố ự) are synthesized as
// smaller capitals; those it has (a đ) come from the font. Either way the clusters keep the
// source letters, so the text extracts as written.
TEST_F(Styled, SmallCapsCoverEveryVietnameseLetter) {
  ParagraphInput in;
  in.styles = {style(10, {"smcp"})};
  in.align = Align::Left;
  in.spans.push_back({"ả ằ ặ ố ự đ a", 0, ""});
  std::vector<Line> lines = set_paragraph(in, Pt(400), fonts, diags);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(text_of(lines[0]), "ả ằ ặ ố ự đ a");
  ParagraphInput plain = in;
  plain.styles[0].features.clear();
  std::vector<Line> lower = set_paragraph(plain, Pt(400), fonts, diags);
  ParagraphInput capitals = plain;
  capitals.spans[0].text = "Ả Ằ Ặ Ố Ự Đ A";
  std::vector<Line> upper = set_paragraph(capitals, Pt(400), fonts, diags);
  // Every letter differs from its lowercase glyph; the synthesized ones are the capitals'
  // glyphs at a smaller size.
  std::vector<std::pair<uint32_t, double>> got, low, cap;
  auto collect = [](const Line& l, std::vector<std::pair<uint32_t, double>>& out) {
    for (const LineRun& r : l.runs)
      for (const Cluster& c : r.clusters)
        if (c.text != " ") out.push_back({r.glyphs[c.first_glyph].gid, r.size.v});
  };
  collect(lines[0], got);
  collect(lower[0], low);
  collect(upper[0], cap);
  ASSERT_EQ(got.size(), 7u);
  ASSERT_EQ(low.size(), 7u);
  ASSERT_EQ(cap.size(), 7u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NE(got[i].first, low[i].first) << i;
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(got[i].first, cap[i].first) << "synthesized from the capital, letter " << i;
    EXPECT_GT(got[i].second, 6.9);
    EXPECT_LT(got[i].second, 8.0);
  }
  for (size_t i = 5; i < 7; ++i) {
    EXPECT_NE(got[i].first, cap[i].first) << "the font's own small capital, letter " << i;
    EXPECT_EQ(got[i].second, 10);
  }
}

// A word is synthesized whole: "của" has a small capital for c and a but not for ủ, and all
// three come out as capitals of one size (text extraction splits words where the size
// changes). With small-caps (not all-small-caps), the capital of "Khoảng" keeps its size.
TEST_F(Styled, SmallCapsSynthesizeWholeWords) {
  auto sizes = [&](const char* text, std::vector<std::string> features) {
    ParagraphInput in;
    in.styles = {style(10, std::move(features))};
    in.align = Align::Left;
    in.spans.push_back({text, 0, ""});
    std::vector<Line> lines = set_paragraph(in, Pt(400), fonts, diags);
    std::vector<double> out;
    for (const LineRun& r : lines.at(0).runs)
      for (const Cluster& c : r.clusters)
        if (c.text != " ") out.push_back(r.size.v);
    return out;
  };
  std::vector<double> cua = sizes("của cá", {"smcp", "c2sc"});
  ASSERT_EQ(cua.size(), 5u);
  EXPECT_EQ(cua[0], cua[1]);
  EXPECT_EQ(cua[1], cua[2]);
  EXPECT_LT(cua[0], 8);
  EXPECT_EQ(cua[3], 10) << "cá has small capitals in the font";
  EXPECT_EQ(cua[4], 10);
  std::vector<double> khoang = sizes("Khoảng", {"smcp"});
  ASSERT_EQ(khoang.size(), 6u);
  EXPECT_EQ(khoang[0], 10) << "the capital stays a capital";
  for (size_t i = 1; i < 6; ++i) EXPECT_LT(khoang[i], 8) << i;
}

}  // namespace
}  // namespace trang::text
