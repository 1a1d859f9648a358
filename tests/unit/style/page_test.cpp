// @page (CSS Paged Media 3) and the body's columns (CSS Multi-column 1) into PageStyle.
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::kEps;

PageStyle page(const std::string& css, std::vector<std::string>* messages = nullptr) {
  auto r = test::resolve(css, test::small_article());
  if (messages) *messages = test::formatted(r.diags);
  else EXPECT_EQ(test::formatted(r.diags), std::vector<std::string>{}) << css;
  return r.doc.page;
}

void expect_size_mm(const PageStyle& p, double w, double h) {
  EXPECT_NEAR(p.width.v, mm(w).v, 1e-6);
  EXPECT_NEAR(p.height.v, mm(h).v, 1e-6);
}

TEST(PageSize, NamedSizes) {
  expect_size_mm(page("@page { size: A5 }"), 148, 210);
  expect_size_mm(page("@page { size: a4 }"), 210, 297);
  expect_size_mm(page("@page { size: A3 }"), 297, 420);
  expect_size_mm(page("@page { size: B5 }"), 176, 250);
  expect_size_mm(page("@page { size: B4 }"), 250, 353);
  expect_size_mm(page("@page { size: JIS-B5 }"), 182, 257);
  PageStyle letter = page("@page { size: letter }");
  EXPECT_NEAR(letter.width.v, 612, kEps);
  EXPECT_NEAR(letter.height.v, 792, kEps);
  PageStyle legal = page("@page { size: legal }");
  EXPECT_NEAR(legal.height.v, 1008, kEps);
  PageStyle tabloid = page("@page { size: tabloid }");
  EXPECT_NEAR(tabloid.width.v, 792, kEps);
  EXPECT_NEAR(tabloid.height.v, 1224, kEps);
}

TEST(PageSize, Orientation) {
  expect_size_mm(page("@page { size: A5 landscape }"), 210, 148);
  expect_size_mm(page("@page { size: landscape A4 }"), 297, 210);
  expect_size_mm(page("@page { size: A4 portrait }"), 210, 297);
  expect_size_mm(page("@page { size: landscape }"), 297, 210);  // the default A4, turned
  expect_size_mm(page("@page { size: auto }"), 210, 297);
}

TEST(PageSize, Lengths) {
  PageStyle p = page("@page { size: 8in 10in }");
  EXPECT_NEAR(p.width.v, 576, kEps);
  EXPECT_NEAR(p.height.v, 720, kEps);
  expect_size_mm(page("@page { size: 200mm }"), 200, 200);
}

TEST(PageMargins, ShorthandLonghandsAndPercentages) {
  PageStyle p = page("@page { margin: 10mm 20mm 30mm }");
  EXPECT_NEAR(p.margin_top.v, mm(10).v, 1e-9);
  EXPECT_NEAR(p.margin_right.v, mm(20).v, 1e-9);
  EXPECT_NEAR(p.margin_bottom.v, mm(30).v, 1e-9);
  EXPECT_NEAR(p.margin_left.v, mm(20).v, 1e-9);
  PageStyle q = page("@page { size: A4; margin: 1in; margin-top: 10% ; margin-left: 10% }");
  EXPECT_NEAR(q.margin_top.v, mm(29.7).v, 1e-9);   // of the height
  EXPECT_NEAR(q.margin_left.v, mm(21).v, 1e-9);    // of the width
  EXPECT_NEAR(q.margin_bottom.v, 72, 1e-9);
}

TEST(PageMargins, DefaultsWithoutPageRule) {
  PageStyle p = page("p { color: red }");
  EXPECT_NEAR(p.margin_top.v, mm(18).v, 1e-9);
  EXPECT_NEAR(p.margin_right.v, mm(15).v, 1e-9);
  EXPECT_NEAR(p.margin_bottom.v, mm(20).v, 1e-9);
  expect_size_mm(p, 210, 297);
}

TEST(PageRules, CascadeInOrderAndImportant) {
  expect_size_mm(page("@page { size: A4 } @page { size: A5 }"), 148, 210);
  expect_size_mm(page("@page { size: A4 !important } @page { size: A5 }"), 210, 297);
}

// :first, :left and :right pages set their own top and bottom margins; their size and side
// margins stay plain @page's (one measure), and a differing one warns where it is declared.
TEST(PageRules, FirstSetsVerticalMarginsAndWarnsForTheRest) {
  auto r = test::resolve("@page :first { size: A3; margin: 0 } @page { size: A5 }", test::small_article());
  expect_size_mm(r.doc.page, 148, 210);
  EXPECT_NEAR(r.doc.page.margin_top.v, mm(18).v, 1e-9);
  expect_size_mm(r.doc.first_page, 148, 210);
  EXPECT_NEAR(r.doc.first_page.margin_top.v, 0, 1e-9);
  EXPECT_NEAR(r.doc.first_page.margin_left.v, r.doc.page.margin_left.v, 1e-9);
  EXPECT_EQ(test::formatted(r.diags),
            (std::vector<std::string>{
                "t.css:1:16: warning: 'size' on a :first, :left or :right page is not applied: every page "
                "keeps the plain @page's size and side margins (ignored)",
                "t.css:1:26: warning: 'margin-left' on a :first, :left or :right page is not applied: every "
                "page keeps the plain @page's size and side margins (ignored)",
                "t.css:1:26: warning: 'margin-right' on a :first, :left or :right page is not applied: every "
                "page keeps the plain @page's size and side margins (ignored)"}));
  page("@page :left { margin-top: 3cm } @page wide:right { size: A3 } @page :first, :blank {}");
}

TEST(Columns, FromTheBody) {
  PageStyle p = page("body { column-count: 4; column-gap: 6mm; column-rule: 0.5pt solid red }");
  EXPECT_EQ(p.column_count, 4);
  EXPECT_NEAR(p.column_gap.v, mm(6).v, 1e-9);
  EXPECT_NEAR(p.column_rule_width.v, 0.5, kEps);
  EXPECT_EQ(p.column_rule_color, Color::rgb(1, 0, 0));
  EXPECT_EQ(p.column_rule_style, RuleStyle::Solid);
}

TEST(Columns, OnlyTheBodyCounts) {
  PageStyle p = page("p { column-count: 5 } article { column-count: 2 }");
  EXPECT_EQ(p.column_count, 1);
  PageStyle q = page("article { column-count: 2 } body { column-count: inherit }");
  EXPECT_EQ(q.column_count, 2);
}

TEST(Columns, GapNormalIsOneEm) {
  PageStyle p = page("body { font-size: 10pt; column-count: 2; column-gap: normal }");
  EXPECT_NEAR(p.column_gap.v, 10, kEps);
}

TEST(Columns, RuleLonghandsAndNone) {
  PageStyle p = page(
      "body { color: cmyk(0,0,0,0.5); column-rule-style: dashed; column-rule-width: thin }");
  EXPECT_NEAR(p.column_rule_width.v, 0.75, kEps);
  EXPECT_EQ(p.column_rule_style, RuleStyle::Dashed);
  EXPECT_EQ(p.column_rule_color, Color::cmyk(0, 0, 0, 0.5f));  // currentcolor
  PageStyle q = page("body { column-rule: 1pt solid; column-rule: none }");
  EXPECT_NEAR(q.column_rule_width.v, 0, kEps);
  EXPECT_EQ(q.column_rule_style, RuleStyle::None);
  // A width with no style draws nothing (column-rule-style: none is the initial value).
  PageStyle r = page("body { column-rule-width: 2pt }");
  EXPECT_NEAR(r.column_rule_width.v, 0, kEps);
  PageStyle s = page("body { column-rule: 1pt solid cmyk(0, 0, 0, 40%); column-rule-color: blue }");
  EXPECT_EQ(s.column_rule_color, Color::rgb(0, 0, 1));
}

TEST(Columns, AbsurdCountIsClamped) {
  std::vector<std::string> m;
  PageStyle p =
      page("@page { size: A3 landscape }\nbody {\n  column-count: 50; column-gap: 0;\n}", &m);
  EXPECT_EQ(p.column_count, 20);
  EXPECT_EQ(m, std::vector<std::string>{"t.css:3:17: warning: out-of-range value for "
                                        "'column-count': 50 (clamped to 20)"});
  PageStyle q = page("body { column-count: 0 }", &m);
  EXPECT_EQ(q.column_count, 1);
  EXPECT_EQ(m.size(), 1u);
}

TEST(Columns, TooManyForThePageAreReduced) {
  std::vector<std::string> m;
  PageStyle p =
      page("@page { size: A5; margin: 10mm }\nbody { column-count: 20; column-gap: 5mm }", &m);
  // 128mm of content: columns of at least 36pt with 5mm gaps leave room for 7 (14mm each).
  EXPECT_EQ(p.column_count, 7);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0], "t.css:2:22: warning: 20 columns with a gap of 14.17pt do not fit in "
                  "362.83pt (using 7 columns)")
      << m[0];
}

TEST(PageMargins, MarginsThatLeaveNoRoomAreIgnored) {
  std::vector<std::string> m;
  PageStyle p = page("@page { size: A5; margin: 80mm }", &m);
  EXPECT_NEAR(p.margin_left.v, 0, kEps);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].find("@page margins leave a content area of only"), std::string::npos);
  // A page too small for the default margins: the size is blamed.
  PageStyle q = page("@page {\n  size: 80pt 60pt;\n}", &m);
  EXPECT_NEAR(q.margin_top.v, 0, kEps);
  EXPECT_NEAR(q.width.v, 80, kEps);
  EXPECT_EQ(m, std::vector<std::string>{"t.css:2:9: warning: @page margins leave a content "
                                        "area of only -5pt x -47.7pt (margins ignored)"});
}

}  // namespace
}  // namespace trang::style
