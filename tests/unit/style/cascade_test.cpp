// The cascade (CSS Cascade 4 §6): specificity, order of appearance, sheet order,
// !important; inheritance and the CSS-wide keywords.
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::E;
using test::kEps;
using test::T;

double size_of(const test::Result& r, std::string_view id) { return r.of(id).font_size.v; }

TEST(Cascade, HigherSpecificityWinsRegardlessOfOrder) {
  // Most specific first, least specific last: order alone would give 11pt everywhere.
  auto r = test::resolve(
      "body #p2 { font-size: 31pt }\n"   // (1,0,1)
      "#p2 { font-size: 30pt }\n"        // (1,0,0)
      "body p.note { font-size: 20pt }\n"  // (0,1,2)
      "p.note { font-size: 15pt }\n"     // (0,1,1)
      "body > p { font-size: 12pt }\n"   // (0,0,2)
      "p { font-size: 11pt }",            // (0,0,1)
      test::small_article());
  EXPECT_TRUE(r.diags.all().empty());
  EXPECT_NEAR(size_of(r, "p1"), 12, kEps);
  EXPECT_NEAR(size_of(r, "p2"), 31, kEps);
  auto r2 =
      test::resolve("p.note { font-size: 15pt } p { font-size: 11pt }", test::small_article());
  EXPECT_NEAR(size_of(r2, "p2"), 15, kEps);
}

TEST(Cascade, LaterRuleWinsAtEqualSpecificity) {
  auto r = test::resolve("p { font-size: 11pt } p { font-size: 13pt }", test::small_article());
  EXPECT_NEAR(size_of(r, "p1"), 13, kEps);
  auto r2 = test::resolve(".note { color: red } p { color: blue } [class] { color: lime }",
                          test::small_article());
  EXPECT_EQ(r2.of("p2").color, Color::rgb(0, 1, 0));
}

TEST(Cascade, MostSpecificMatchingSelectorOfAListCounts) {
  // The list's #p2 (1,0,0) beats .note (0,1,0) even though the list comes first.
  auto r = test::resolve("#p2, em { font-size: 21pt } .note { font-size: 9pt }",
                         test::small_article());
  EXPECT_NEAR(size_of(r, "p2"), 21, kEps);
}

TEST(Cascade, LaterSheetWinsAtEqualSpecificity) {
  auto r = test::resolve_sheets({"p { font-size: 11pt; color: red }", "p { font-size: 12.5pt }"},
                         test::small_article());
  EXPECT_NEAR(size_of(r, "p1"), 12.5, kEps);
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));  // untouched by the second sheet
}

TEST(Cascade, EarlierSheetWinsWithHigherSpecificity) {
  // Sheets are one origin in order: specificity still counts across them.
  auto r = test::resolve_sheets({"body p { font-size: 11pt }", "p { font-size: 14pt }"},
                         test::small_article());
  EXPECT_NEAR(size_of(r, "p1"), 11, kEps);
}

TEST(Cascade, ImportantBeatsSpecificityAndOrder) {
  auto r = test::resolve(
      "p { font-size: 11pt !important } #p1 { font-size: 30pt } p { font-size: 8pt }",
      test::small_article());
  EXPECT_NEAR(size_of(r, "p1"), 11, kEps);
  // Spelled with space and in capitals (CSS Syntax 3 §5.4.6).
  auto r2 = test::resolve("p { color: red ! IMPORTANT } #p1 { color: blue }",
                          test::small_article());
  EXPECT_EQ(r2.of("p1").color, Color::rgb(1, 0, 0));
}

TEST(Cascade, ImportantInAnEarlierSheetBeatsNormalInALaterOne) {
  auto r = test::resolve_sheets({"p { font-size: 11pt !important }", "#p1 { font-size: 14pt }"},
                         test::small_article());
  EXPECT_NEAR(size_of(r, "p1"), 11, kEps);
  // Among important declarations, specificity and order apply again.
  auto r2 = test::resolve_sheets(
      {"p { font-size: 11pt !important }", "body p { font-size: 14pt !important }"},
      test::small_article());
  EXPECT_NEAR(size_of(r2, "p1"), 14, kEps);
}

TEST(Inheritance, InheritedPropertiesFlowDown) {
  auto r = test::resolve(
      "article { font-family: \"Noto Sans\"; font-size: 9pt; font-weight: bold; "
      "font-style: italic; line-height: 11pt; color: #336699; text-align: justify; "
      "text-transform: uppercase; text-indent: 4pt; letter-spacing: 1pt }",
      test::small_article());
  const ComputedStyle& e = r.of("e");  // article > body > p > em
  EXPECT_EQ(e.font_family, std::vector<std::string>{"Noto Sans"});
  EXPECT_NEAR(e.font_size.v, 9, kEps);
  EXPECT_EQ(e.font_weight, 700);
  EXPECT_EQ(e.font_style, FontStyle::Italic);
  EXPECT_NEAR(e.line_height.v, 11, kEps);
  EXPECT_NEAR(e.color.c[2], 0.6, 1e-6);
  EXPECT_EQ(e.text_align, TextAlign::Justify);
  EXPECT_EQ(e.text_transform, TextTransform::Uppercase);
  EXPECT_NEAR(e.text_indent.v, 4, kEps);
  EXPECT_NEAR(e.letter_spacing.v, 1, kEps);
}

TEST(Inheritance, NonInheritedPropertiesDoNot) {
  auto r = test::resolve("body { margin: 5pt; display: none; column-span: all }",
                         test::small_article());
  EXPECT_NEAR(r.of("b").margin_left.v, 5, kEps);
  EXPECT_EQ(r.of("b").display, Display::None);
  const ComputedStyle& p = r.of("p1");
  EXPECT_NEAR(p.margin_top.v, 0, kEps);
  EXPECT_NEAR(p.margin_left.v, 0, kEps);
  EXPECT_EQ(p.display, Display::Block);
  EXPECT_FALSE(p.column_span_all);
}

TEST(Inheritance, InheritKeywordWorksOnNonInheritedProperties) {
  auto r = test::resolve(
      "body { margin: 1pt 2pt 3pt 4pt; display: none; column-span: all }"
      "p { margin: inherit; display: inherit; column-span: inherit }",
      test::small_article());
  const ComputedStyle& p = r.of("p1");
  EXPECT_NEAR(p.margin_top.v, 1, kEps);
  EXPECT_NEAR(p.margin_right.v, 2, kEps);
  EXPECT_NEAR(p.margin_bottom.v, 3, kEps);
  EXPECT_NEAR(p.margin_left.v, 4, kEps);
  EXPECT_EQ(p.display, Display::None);
  EXPECT_TRUE(p.column_span_all);
}

TEST(Inheritance, InheritTakesTheComputedValueNotTheSpecified) {
  // body's 2em is 20pt there; p inherits 20pt, not "2em" of its own 20pt.
  auto r = test::resolve(
      "article { font-size: 10pt } body { text-indent: 2em }"
      "p { font-size: 20pt; text-indent: inherit }",
      test::small_article());
  EXPECT_NEAR(r.of("p1").text_indent.v, 20, kEps);
}

TEST(Inheritance, InitialKeyword) {
  auto r = test::resolve(
      "article { font-size: 9pt; color: red; font-family: \"Noto Sans\"; text-align: right }"
      "p { font-size: initial; color: initial; font-family: initial; text-align: initial;"
      "    line-height: initial; font-weight: initial }"
      "em { display: initial }",
      test::small_article());
  const ComputedStyle& p = r.of("p1");
  EXPECT_NEAR(p.font_size.v, 12, kEps);
  EXPECT_EQ(p.color, Color::gray(0));
  EXPECT_EQ(p.font_family, std::vector<std::string>{"Noto Serif"});
  EXPECT_EQ(p.text_align, TextAlign::Left);
  EXPECT_NEAR(p.line_height.v, 14.4, kEps);
  EXPECT_EQ(p.font_weight, 400);
  EXPECT_EQ(r.of("e").display, Display::Inline);
}

TEST(Inheritance, UnsetIsInheritOrInitial) {
  auto r = test::resolve(
      "body { color: red; margin-top: 5pt } p { color: blue; color: unset; margin-top: unset }",
      test::small_article());
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));
  EXPECT_NEAR(r.of("p1").margin_top.v, 0, kEps);
}

TEST(Inheritance, InheritOnTheRootIsInitial) {
  auto r = test::resolve("article { font-size: inherit; color: inherit }", test::small_article());
  EXPECT_NEAR(r.of("root").font_size.v, 12, kEps);
  EXPECT_TRUE(r.diags.all().empty());
}

TEST(Inheritance, CurrentColor) {
  auto r = test::resolve("body { color: red } p { color: currentcolor }", test::small_article());
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));
}

TEST(TextNodes, TakeTheirParentsStyle) {
  auto a = test::small_article();
  auto r = test::resolve(
      "p { font-size: 13pt; color: red; margin-top: 3pt } em { font-style: italic }", a);
  const model::Node* p1 = test::find_id(r.article.root, "p1");
  ASSERT_NE(p1, nullptr);
  const model::Node& text = p1->children[0];
  ASSERT_EQ(text.kind, model::Kind::Text);
  const ComputedStyle& ts = r.doc.styles.at(text.index);
  EXPECT_NEAR(ts.font_size.v, 13, kEps);
  EXPECT_EQ(ts.color, Color::rgb(1, 0, 0));
  const model::Node& em_text = p1->children[1].children[0];
  EXPECT_EQ(r.doc.styles.at(em_text.index).font_style, FontStyle::Italic);
}

TEST(Resolve, StylesVectorCoversEveryNode) {
  auto r = test::resolve("", test::small_article());
  EXPECT_EQ(r.doc.styles.size(), r.article.node_count);
}

TEST(Resolve, NoSheetsGivesInitialValues) {
  model::Article a = test::small_article();
  Diagnostics d;
  StyledDocument doc = resolve_styles(a, {}, d);
  EXPECT_TRUE(d.all().empty());
  EXPECT_NEAR(doc.styles[0].font_size.v, 12, kEps);
  EXPECT_EQ(doc.page.column_count, 1);  // column-count: auto
  EXPECT_NEAR(doc.page.width.v, mm(210).v, kEps);
}

}  // namespace
}  // namespace trang::style
