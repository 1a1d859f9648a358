// Each property parsed, validated and computed; units; colours.
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::E;
using test::kEps;
using test::T;

// Style of the element #x in article > body > p#x > em#e, with `decls` on #x and no other
// rules (plus `extra` rules).
test::Result on_p(const std::string& decls, const std::string& extra = "") {
  auto a = test::make_article(E(
      "article", {.id = "root"},
      {E("body", {.id = "b"}, {E("p", {.id = "x"}, {T("x"), E("em", {.id = "e"}, {T("y")})})})}));
  return test::resolve(extra + "\np { " + decls + " }", std::move(a));
}

ComputedStyle p_style(const std::string& decls) {
  auto r = on_p(decls);
  EXPECT_EQ(test::formatted(r.diags), std::vector<std::string>{}) << decls;
  return r.of("x");
}

double font_size(const std::string& value) { return p_style("font-size: " + value).font_size.v; }

TEST(Units, AbsoluteLengthsConvertToPoints) {
  EXPECT_NEAR(font_size("72pt"), 72, kEps);
  EXPECT_NEAR(font_size("25.4mm"), 72, kEps);
  EXPECT_NEAR(font_size("2.54cm"), 72, kEps);
  EXPECT_NEAR(font_size("1in"), 72, kEps);
  EXPECT_NEAR(font_size("96px"), 72, kEps);
  EXPECT_NEAR(font_size("1pc"), 12, kEps);
  EXPECT_NEAR(font_size("6pc"), 72, kEps);
  EXPECT_NEAR(font_size("101.6q"), 72, kEps);
  EXPECT_NEAR(font_size("4Q"), 72.0 / 25.4, kEps);
  EXPECT_NEAR(font_size("10PT"), 10, kEps);  // units are ASCII case-insensitive
}

TEST(Units, RelativeLengths) {
  // The parent (body) has the initial 12pt.
  EXPECT_NEAR(font_size("2em"), 24, kEps);
  EXPECT_NEAR(font_size("150%"), 18, kEps);
  EXPECT_NEAR(font_size("0.5rem"), 6, kEps);
  // em on other properties is the element's own font size.
  auto s = p_style("font-size: 10pt; text-indent: 2em; margin-top: 1.5em; letter-spacing: 0.1em");
  EXPECT_NEAR(s.text_indent.v, 20, kEps);
  EXPECT_NEAR(s.margin_top.v, 15, kEps);
  EXPECT_NEAR(s.letter_spacing.v, 1, kEps);
}

TEST(Units, RemIsTheRootFontSize) {
  auto r = on_p("font-size: 2rem; margin-left: 1rem", "article { font-size: 9pt }");
  EXPECT_NEAR(r.of("x").font_size.v, 18, kEps);
  EXPECT_NEAR(r.of("x").margin_left.v, 9, kEps);
  // rem in the root's own font-size is the initial font size (12pt).
  auto r2 = on_p("", "article { font-size: 2rem }");
  EXPECT_NEAR(r2.of("root").font_size.v, 24, kEps);
}

TEST(Units, ZeroNeedsNoUnit) { EXPECT_NEAR(p_style("text-indent: 0").text_indent.v, 0, kEps); }

TEST(FontSize, Keywords) {
  EXPECT_NEAR(font_size("medium"), 12, kEps);
  EXPECT_NEAR(font_size("small"), 9.75, kEps);
  EXPECT_NEAR(font_size("large"), 13.5, kEps);
  EXPECT_NEAR(font_size("xx-large"), 24, kEps);
  EXPECT_NEAR(font_size("larger"), 14.4, kEps);
  EXPECT_NEAR(font_size("smaller"), 10, kEps);
}

TEST(FontSize, NestedEmCompounds) {
  auto r = on_p("font-size: 2em", "body { font-size: 10pt } em { font-size: 0.5em }");
  EXPECT_NEAR(r.of("x").font_size.v, 20, kEps);
  EXPECT_NEAR(r.of("e").font_size.v, 10, kEps);
}

TEST(FontFamily, ListsQuotedAndUnquoted) {
  auto s = p_style("font-family: \"Noto Serif\", Noto   Sans, 'DejaVu Serif', serif");
  EXPECT_EQ(s.font_family,
            (std::vector<std::string>{"Noto Serif", "Noto Sans", "DejaVu Serif", "serif"}));
}

TEST(FontWeight, KeywordsNumbersAndRelative) {
  EXPECT_EQ(p_style("font-weight: bold").font_weight, 700);
  EXPECT_EQ(p_style("font-weight: normal").font_weight, 400);
  EXPECT_EQ(p_style("font-weight: 300").font_weight, 300);
  EXPECT_EQ(p_style("font-weight: 650").font_weight, 650);
  EXPECT_EQ(p_style("font-weight: bolder").font_weight, 700);   // from 400
  EXPECT_EQ(p_style("font-weight: lighter").font_weight, 100);  // from 400
  auto r = on_p("font-weight: 600", "em { font-weight: bolder }");
  EXPECT_EQ(r.of("e").font_weight, 900);
}

TEST(FontStyle, ItalicAndOblique) {
  EXPECT_EQ(p_style("font-style: italic").font_style, FontStyle::Italic);
  EXPECT_EQ(p_style("font-style: oblique").font_style, FontStyle::Italic);
  EXPECT_EQ(p_style("font-style: oblique 10deg").font_style, FontStyle::Italic);
  EXPECT_EQ(p_style("font-style: normal").font_style, FontStyle::Normal);
}

TEST(LineHeight, Forms) {
  EXPECT_NEAR(p_style("font-size: 10pt; line-height: normal").line_height.v, 12, kEps);
  EXPECT_NEAR(p_style("font-size: 10pt; line-height: 1.5").line_height.v, 15, kEps);
  EXPECT_NEAR(p_style("font-size: 10pt; line-height: 14pt").line_height.v, 14, kEps);
  EXPECT_NEAR(p_style("font-size: 10pt; line-height: 130%").line_height.v, 13, kEps);
  EXPECT_NEAR(p_style("font-size: 10pt; line-height: 1.25em").line_height.v, 12.5, kEps);
  // Initial value: normal, on the element's own size.
  EXPECT_NEAR(p_style("font-size: 20pt").line_height.v, 24, kEps);
}

TEST(LineHeight, NumberIsInheritedAsTheNumber) {
  // CSS 2.1 §10.8.1: the child recomputes a number against its own font size...
  auto r = on_p("font-size: 10pt; line-height: 1.5", "em { font-size: 20pt }");
  EXPECT_NEAR(r.of("x").line_height.v, 15, kEps);
  EXPECT_NEAR(r.of("e").line_height.v, 30, kEps);
  // ... but inherits a percentage or an em as the computed length.
  auto r2 = on_p("font-size: 10pt; line-height: 150%", "em { font-size: 20pt }");
  EXPECT_NEAR(r2.of("e").line_height.v, 15, kEps);
  auto r3 = on_p("font-size: 10pt; line-height: 1.5em", "em { font-size: 20pt }");
  EXPECT_NEAR(r3.of("e").line_height.v, 15, kEps);
  // `normal` behaves as the number 1.2.
  auto r4 = on_p("font-size: 10pt; line-height: normal", "em { font-size: 20pt }");
  EXPECT_NEAR(r4.of("e").line_height.v, 24, kEps);
}

TEST(Color, Forms) {
  auto rgb = [](const std::string& v) { return p_style("color: " + v).color; };
  EXPECT_EQ(rgb("#f00"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("#FF0000"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("#ff0000ff"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("rgb(255, 0, 0)"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("rgb(255 0 0)"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("rgb(100%, 0%, 0%)"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("rgba(255, 0, 0, 1)"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("red"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("RED"), Color::rgb(1, 0, 0));
  EXPECT_EQ(rgb("hsl(0, 100%, 50%)"), Color::rgb(1, 0, 0));
  Color navy = rgb("navy");
  EXPECT_EQ(navy.space, Color::Space::Rgb);
  EXPECT_NEAR(navy.c[2], 128 / 255.0, 1e-6);
  Color gray = rgb("grey");
  EXPECT_NEAR(gray.c[0], 128 / 255.0, 1e-6);
  Color c = rgb("rgb(51, 102, 153)");
  EXPECT_NEAR(c.c[0], 0.2, 1e-6);
  EXPECT_NEAR(c.c[1], 0.4, 1e-6);
  EXPECT_NEAR(c.c[2], 0.6, 1e-6);
}

TEST(Color, CmykStaysCmyk) {
  Color c = p_style("color: cmyk(0, 0.95, 0.85, 0.3)").color;
  EXPECT_EQ(c.space, Color::Space::Cmyk);
  EXPECT_NEAR(c.c[0], 0, 1e-6);
  EXPECT_NEAR(c.c[1], 0.95, 1e-6);
  EXPECT_NEAR(c.c[2], 0.85, 1e-6);
  EXPECT_NEAR(c.c[3], 0.3, 1e-6);
  Color p = p_style("color: cmyk(10%, 20%, 30%, 100%)").color;
  EXPECT_EQ(p.space, Color::Space::Cmyk);
  EXPECT_NEAR(p.c[1], 0.2, 1e-6);
  EXPECT_NEAR(p.c[3], 1, 1e-6);
  EXPECT_EQ(p_style("color: device-cmyk(0 0 0 1)").color, Color::cmyk(0, 0, 0, 1));
}

TEST(Color, InitialIsBlackGray) {
  EXPECT_EQ(p_style("").color, Color::gray(0));
  EXPECT_EQ(p_style("color: red; color: initial").color, Color::gray(0));
}

TEST(Text, AlignTransformIndentSpacing) {
  EXPECT_EQ(p_style("text-align: left").text_align, TextAlign::Left);
  EXPECT_EQ(p_style("text-align: right").text_align, TextAlign::Right);
  EXPECT_EQ(p_style("text-align: center").text_align, TextAlign::Center);
  EXPECT_EQ(p_style("text-align: justify").text_align, TextAlign::Justify);
  EXPECT_EQ(p_style("text-align: start").text_align, TextAlign::Left);
  EXPECT_EQ(p_style("text-align: end").text_align, TextAlign::Right);
  EXPECT_EQ(p_style("text-transform: uppercase").text_transform, TextTransform::Uppercase);
  EXPECT_EQ(p_style("text-transform: lowercase").text_transform, TextTransform::Lowercase);
  EXPECT_EQ(p_style("text-transform: none").text_transform, TextTransform::None);
  EXPECT_NEAR(p_style("text-indent: -3mm").text_indent.v, -3 * 72 / 25.4, kEps);
  EXPECT_NEAR(p_style("letter-spacing: 0.5pt").letter_spacing.v, 0.5, kEps);
  EXPECT_NEAR(p_style("letter-spacing: normal").letter_spacing.v, 0, kEps);
}

TEST(Display, Values) {
  EXPECT_EQ(p_style("display: none").display, Display::None);
  EXPECT_EQ(p_style("display: inline").display, Display::Inline);
  EXPECT_EQ(p_style("display: block").display, Display::Block);
  // Initial: what the element is in the article language.
  auto r = on_p("");
  EXPECT_EQ(r.of("x").display, Display::Block);
  EXPECT_EQ(r.of("e").display, Display::Inline);
}

TEST(Margin, ShorthandOneToFourValues) {
  auto m = [](const std::string& v) {
    auto s = p_style("margin: " + v);
    return std::vector<double>{s.margin_top.v, s.margin_right.v, s.margin_bottom.v,
                               s.margin_left.v};
  };
  EXPECT_EQ(m("1pt"), (std::vector<double>{1, 1, 1, 1}));
  EXPECT_EQ(m("1pt 2pt"), (std::vector<double>{1, 2, 1, 2}));
  EXPECT_EQ(m("1pt 2pt 3pt"), (std::vector<double>{1, 2, 3, 2}));
  EXPECT_EQ(m("1pt 2pt 3pt 4pt"), (std::vector<double>{1, 2, 3, 4}));
  auto s = p_style("margin: 1pt; margin-left: 5pt; margin-top: 7pt; margin-right: 6pt; "
                   "margin-bottom: 8pt");
  EXPECT_EQ(s.margin_top.v, 7);
  EXPECT_EQ(s.margin_right.v, 6);
  EXPECT_EQ(s.margin_bottom.v, 8);
  EXPECT_EQ(s.margin_left.v, 5);
}

TEST(ColumnSpan, Values) {
  EXPECT_TRUE(p_style("column-span: all").column_span_all);
  EXPECT_FALSE(p_style("column-span: all; column-span: none").column_span_all);
  auto r = on_p("column-span: all");
  EXPECT_FALSE(r.of("e").column_span_all);  // not inherited
}

TEST(FontExpansion, NoneAutoAndPercentagesInherited) {
  EXPECT_DOUBLE_EQ(p_style("").expansion, 0.02);  // on (auto) unless turned off
  EXPECT_EQ(p_style("-trang-font-expansion: none").expansion, 0);
  EXPECT_DOUBLE_EQ(p_style("-trang-font-expansion: auto").expansion, 0.02);
  EXPECT_DOUBLE_EQ(p_style("-trang-font-expansion: 1.5%").expansion, 0.015);
  EXPECT_DOUBLE_EQ(p_style("-trang-font-expansion: 5%").expansion, 0.05);
  EXPECT_EQ(p_style("-trang-font-expansion: 0%").expansion, 0);
  EXPECT_DOUBLE_EQ(p_style("-trang-font-expansion: AUTO").expansion, 0.02);
  auto r = on_p("-trang-font-expansion: 1%");
  EXPECT_DOUBLE_EQ(r.of("e").expansion, 0.01);  // inherited
  EXPECT_DOUBLE_EQ(r.of("b").expansion, 0.02);
  EXPECT_EQ(on_p("-trang-font-expansion: auto", "em { -trang-font-expansion: none }")
                .of("e").expansion, 0);
}

TEST(RuntAndStackCost, DefaultsKeywordsAndPercentagesInherited) {
  ComputedStyle plain = p_style("");
  EXPECT_EQ(plain.runt_cost, 1);  // on by default
  EXPECT_DOUBLE_EQ(plain.runt_width, 0.2);
  EXPECT_EQ(plain.stack_cost, 1);
  EXPECT_EQ(p_style("-trang-runt-cost: none").runt_cost, 0);
  EXPECT_EQ(p_style("-trang-runt-cost: AUTO").runt_cost, 1);
  EXPECT_DOUBLE_EQ(p_style("-trang-runt-cost: 250%").runt_cost, 2.5);
  EXPECT_EQ(p_style("-trang-stack-cost: none").stack_cost, 0);
  EXPECT_DOUBLE_EQ(p_style("-trang-stack-cost: 50%").stack_cost, 0.5);
  EXPECT_DOUBLE_EQ(p_style("-trang-runt-width: 33%").runt_width, 0.33);
  auto r = on_p("-trang-runt-cost: 300%; -trang-stack-cost: none; -trang-runt-width: 10%");
  EXPECT_DOUBLE_EQ(r.of("e").runt_cost, 3);  // inherited
  EXPECT_EQ(r.of("e").stack_cost, 0);
  EXPECT_DOUBLE_EQ(r.of("e").runt_width, 0.1);
  EXPECT_EQ(r.of("b").runt_cost, 1);
}

TEST(RuntAndStackCost, BadValuesAreWarnedWithTheirPosition) {
  auto r = on_p("-trang-runt-cost: 5000%");
  EXPECT_EQ(r.of("x").runt_cost, 10);  // clamped
  ASSERT_EQ(test::formatted(r.diags).size(), 1u);
  EXPECT_EQ(test::formatted(r.diags)[0].rfind(
                "t.css:2:23: warning: out-of-range value for '-trang-runt-cost': 5000% "
                "(clamped to 1000%)", 0), 0u) << test::formatted(r.diags)[0];
  auto w = on_p("-trang-runt-width: 150%");
  EXPECT_EQ(w.of("x").runt_width, 1);
  ASSERT_EQ(test::formatted(w.diags).size(), 1u);
  for (const char* prop : {"-trang-runt-cost", "-trang-stack-cost", "-trang-runt-width"}) {
    for (const char* bad : {"2", "-1%", "2pt", "yes", "1% 2%"}) {
      auto b = on_p(std::string(prop) + ": " + bad);
      EXPECT_EQ(b.of("x").runt_cost, 1) << prop << ": " << bad;
      EXPECT_EQ(b.of("x").stack_cost, 1) << prop << ": " << bad;
      EXPECT_DOUBLE_EQ(b.of("x").runt_width, 0.2) << prop << ": " << bad;
      auto msgs = test::formatted(b.diags);
      ASSERT_EQ(msgs.size(), 1u) << prop << ": " << bad;
      EXPECT_NE(msgs[0].find(std::string("warning: invalid value for '") + prop + "'"),
                std::string::npos) << msgs[0];
    }
  }
  // `none` and `auto` are costs, not widths.
  EXPECT_EQ(test::formatted(on_p("-trang-runt-width: none").diags).size(), 1u);
}

TEST(FontExpansion, BadValuesAreWarnedWithTheirPosition) {
  // Too much is clamped to the 5% limit; a wrong kind of value is dropped.
  auto r = on_p("-trang-font-expansion: 8%");
  EXPECT_DOUBLE_EQ(r.of("x").expansion, 0.05);
  ASSERT_EQ(test::formatted(r.diags).size(), 1u);
  EXPECT_EQ(test::formatted(r.diags)[0].rfind(
                "t.css:2:28: warning: out-of-range value for '-trang-font-expansion': 8% "
                "(clamped to 5%)", 0), 0u) << test::formatted(r.diags)[0];
  for (const char* bad : {"2", "-1%", "2pt", "yes", "1% 2%"}) {
    auto b = on_p(std::string("-trang-font-expansion: ") + bad);
    EXPECT_DOUBLE_EQ(b.of("x").expansion, 0.02) << bad;  // the declaration is dropped
    auto msgs = test::formatted(b.diags);
    ASSERT_EQ(msgs.size(), 1u) << bad;
    EXPECT_EQ(msgs[0].rfind("t.css:2:28: warning: invalid value for '-trang-font-expansion'", 0), 0u)
        << msgs[0];
    EXPECT_NE(msgs[0].find("percentage up to 5%"), std::string::npos) << msgs[0];
  }
}

TEST(Properties, NamesAndKeywordsAreCaseInsensitive) {
  auto s = p_style("FONT-SIZE: 11PT; Text-Align: JUSTIFY; COLOR: Red");
  EXPECT_NEAR(s.font_size.v, 11, kEps);
  EXPECT_EQ(s.text_align, TextAlign::Justify);
  EXPECT_EQ(s.color, Color::rgb(1, 0, 0));
}

TEST(Properties, LaterDeclarationInABlockWins) {
  EXPECT_NEAR(p_style("font-size: 8pt; font-size: 9pt").font_size.v, 9, kEps);
}

}  // namespace
}  // namespace trang::style
