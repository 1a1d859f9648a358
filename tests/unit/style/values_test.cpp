// Values computed late: custom properties and var() (CSS Variables 1), calc(), min(), max()
// and clamp() (CSS Values 4 §10), @supports (CSS Conditional 3 §6), and the units ex, ch, vw,
// vh, vmin and vmax (CSS Values 4 §6).
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::E;
using test::kEps;
using Msgs = std::vector<std::string>;

// --- var() ---

TEST(Var, InheritedFromRootAndOverriddenOnAnElement) {
  auto r = test::resolve(
      ":root { --size: 10pt; --ink: red }\n"
      "p { font-size: var(--size); color: var(--ink) }\n"
      "#p2 { --size: 14pt }",
      test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.of("p1").font_size.v, 10, kEps);
  EXPECT_NEAR(r.of("p2").font_size.v, 14, kEps);  // substituted on each element
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));
}

TEST(Var, EmInTheValueIsTheElementsOwn) {
  // The var() holds tokens, not a length: 2em is computed where it is used.
  auto r = test::resolve(":root { --gap: 2em } p { font-size: 10pt; text-indent: var(--gap) }",
                         test::small_article());
  EXPECT_NEAR(r.of("p1").text_indent.v, 20, kEps);
}

TEST(Var, FallbacksNestedVarAndCascadeOrder) {
  auto r = test::resolve(
      ":root { --b: 9pt }\n"
      "#p1 { font-size: var(--missing, var(--b)) }\n"
      "#p2 { font-size: var(--missing, var(--also-missing, 11pt)) }\n"
      "#h { --x: 20pt; --x: 21pt; font-size: var(--x) }",
      test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.of("p1").font_size.v, 9, kEps);
  EXPECT_NEAR(r.of("p2").font_size.v, 11, kEps);
  EXPECT_NEAR(r.of("h").font_size.v, 21, kEps);
}

TEST(Var, CustomPropertyNamesAreCaseSensitive) {
  auto r = test::resolve(":root { --Size: 20pt; --size: 9pt } p { font-size: var(--Size) }",
                         test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 20, kEps);
}

TEST(Var, ShorthandsAndPartsOfAValue) {
  auto r = test::resolve(
      ":root { --w: 2pt; --side: 3pt 4pt }\n"
      "#p1 { margin: 1pt var(--side) 5pt }\n"
      "#p2 { font: italic var(--w) * 5 \"Noto Sans\" }\n",  // not a calc: invalid
      test::small_article());
  EXPECT_NEAR(r.of("p1").margin_top.v, 1, kEps);
  EXPECT_NEAR(r.of("p1").margin_right.v, 3, kEps);
  EXPECT_NEAR(r.of("p1").margin_bottom.v, 4, kEps);
  EXPECT_NEAR(r.of("p1").margin_left.v, 5, kEps);
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].pos.line, 3);
  EXPECT_NE(r.diags.all()[0].message.find("after var() substitution"), std::string::npos)
      << r.diags.all()[0].message;
}

TEST(Var, UndefinedWithoutFallbackUnsetsTheProperty) {
  auto r = test::resolve("p { color: red } #p1 { color: var(--nope) }\n#b { color: blue }",
                         test::small_article());
  // color inherits: unset is inherit, so p1 takes the body's blue, not red.
  EXPECT_EQ(r.of("p1").color, Color::rgb(0, 0, 1));
  EXPECT_EQ(test::formatted(r.diags),
            Msgs{"t.css:1:31: warning: 'color' is invalid at computed-value time: var(--nope) has "
                 "no value (undefined or invalid) and no fallback (the property is unset)\n  hint: define it, "
                 "e.g. :root { --nope: ...; }, or give a fallback: var(--name, value)"});
}

TEST(Var, InvalidAfterSubstitutionWarnsAtTheDeclaration) {
  auto r = test::resolve(":root { --c: 12pt }\np { font-size: 10pt; color: var(--c) }",
                         test::small_article());
  ASSERT_EQ(r.diags.all().size(), 1u);  // once, though two paragraphs use it
  const Diagnostic& d = r.diags.all()[0];
  EXPECT_EQ(d.pos.line, 2);
  EXPECT_EQ(d.pos.col, 29);
  EXPECT_NE(d.message.find("invalid value for 'color': '12pt'"), std::string::npos) << d.message;
  EXPECT_EQ(r.of("p1").color, Color::gray(0));
}

TEST(Var, CyclesMakeEveryPropertyInThemInvalid) {
  auto r = test::resolve(
      ":root { --a: var(--b); --b: var(--a); --c: 7pt }\n"
      "p { font-size: var(--a, var(--c)) }\n"
      "#p2 { --self: var(--self); font-size: var(--self) }",
      test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 7, kEps);  // --a is invalid: the fallback is used
  EXPECT_NEAR(r.of("p2").font_size.v, 12, kEps);  // unset: inherited
  Msgs m = test::formatted(r.diags);
  ASSERT_EQ(m.size(), 4u) << ::testing::PrintToString(m);
  // The innermost of the cycle is found first.
  EXPECT_EQ(m[0], "t.css:1:24: warning: custom property '--b' refers to itself through var() "
                  "(cycle: --a, --b); it is invalid, and what uses it takes its fallback or is "
                  "unset");
  EXPECT_NE(m[1].find("t.css:1:9: warning: custom property '--a'"), std::string::npos);
  EXPECT_NE(m[2].find("t.css:3:7: warning: custom property '--self'"), std::string::npos);
  EXPECT_NE(m[3].find("t.css:3:39: warning: 'font-size' is invalid at computed-value time"),
            std::string::npos);
}

TEST(Var, TokensStayApart) {
  // var(--n)pt is the number 12 and the ident pt, not 12pt (CSS Variables 1 §3.1).
  auto r = test::resolve(":root { --n: 12 } p { font-size: var(--n)pt }", test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 12, kEps);
  ASSERT_EQ(r.diags.all().size(), 1u);
}

TEST(Var, InPageRules) {
  auto r = test::resolve(":root { --m: 20mm } @page { margin: var(--m) }", test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.doc.page.margin_top.v, mm(20).v, 1e-9);
  EXPECT_NEAR(r.doc.page.margin_left.v, mm(20).v, 1e-9);
}

// --- calc() ---

double indent(const std::string& value) {
  auto r = test::resolve("p { font-size: 10pt; text-indent: " + value + " }",
                         test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{}) << value;
  return r.of("p1").text_indent.v;
}

TEST(Calc, Arithmetic) {
  EXPECT_NEAR(indent("calc(1in + 3pt)"), 75, kEps);
  EXPECT_NEAR(indent("calc(2em - 5pt)"), 15, kEps);
  EXPECT_NEAR(indent("calc(2 * 3pt + 1em / 2)"), 11, kEps);
  EXPECT_NEAR(indent("calc((1em + 2pt) * 2)"), 24, kEps);
  EXPECT_NEAR(indent("calc(1em - (2pt - calc(1pt * 3)))"), 11, kEps);
  EXPECT_NEAR(indent("calc(-1 * 4pt)"), -4, kEps);
  EXPECT_NEAR(indent("min(1em, 8pt, 30pt)"), 8, kEps);
  EXPECT_NEAR(indent("max(1em, 8pt)"), 10, kEps);
  EXPECT_NEAR(indent("clamp(2pt, 1em, 6pt)"), 6, kEps);
  EXPECT_NEAR(indent("clamp(12pt, 1em, 16pt)"), 12, kEps);
  EXPECT_NEAR(indent("calc(3pt + max(1em, 2pt) * 2)"), 23, kEps);
}

TEST(Calc, NumbersWhereANumberIsRead) {
  auto r = test::resolve(
      "#b { column-count: calc(6 / 2) }\n"
      "p { font-size: 10pt; line-height: calc(1.2 * 1.25); widows: calc(1 + 2); "
      "font-weight: max(400, 700) }",
      test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.of("p1").line_height.v, 15, kEps);
  EXPECT_EQ(r.of("p1").widows, 3);
  EXPECT_EQ(r.of("p1").font_weight, 700);
  EXPECT_EQ(r.doc.page.column_count, 3);
  Msgs m = test::parse_messages("p { widows: calc(5 / 2) }");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].find("expected a whole number"), std::string::npos) << m[0];
}

TEST(Calc, FontSizeAgainstTheParent) {
  auto r = test::resolve("#b { font-size: 10pt } p { font-size: calc(1em + 2pt) }",
                         test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 12, kEps);
  auto r2 = test::resolve("#b { font-size: 10pt } p { font-size: calc(150% - 1pt) }",
                          test::small_article());
  EXPECT_NEAR(r2.of("p1").font_size.v, 14, kEps);
}

TEST(Calc, WithVar) {
  auto r = test::resolve(":root { --gap: 4pt } p { text-indent: calc(2 * var(--gap)) }",
                         test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.of("p1").text_indent.v, 8, kEps);
}

TEST(Calc, PercentOfTheColumnPlusALength) {
  auto r = test::resolve("p { font-size: 10pt; width: calc(100% - 2em) }",
                         test::small_article());
  EXPECT_EQ(r.of("p1").width_kind, ComputedStyle::WidthKind::Percent);
  EXPECT_NEAR(r.of("p1").width_percent, 100, kEps);
  EXPECT_NEAR(r.of("p1").width.v, -20, kEps);
}

TEST(Calc, ClampedIntoThePropertysRangeWhenResolved) {
  auto r = test::resolve("body { column-count: 2; font-size: 10pt; column-gap: calc(1em - 30pt) }\n"
                         "p { padding-left: calc(2pt - 1em); text-indent: calc(2pt - 1em) }",
                         test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.doc.page.column_gap.v, 0, kEps);       // not negative
  EXPECT_NEAR(r.of("p1").padding_left.v, 0, kEps);     // not negative
  EXPECT_NEAR(r.of("p1").text_indent.v, -8, kEps);     // may be negative
  Msgs m = test::parse_messages("p { margin-top: calc(1e300pt * 1e300) }");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].find("calc(): the result is too large"), std::string::npos) << m[0];
}

TEST(Calc, ErrorsSayWhy) {
  auto msg = [](const std::string& v) {
    Msgs m = test::parse_messages("p { text-indent: " + v + " }");
    return m.size() == 1 ? m[0] : ::testing::PrintToString(m);
  };
  EXPECT_EQ(msg("calc(1em / 0)"),
            "t.css:1:18: warning: invalid value for 'text-indent': 'calc(1em / 0)' (calc(): "
            "division by zero)\n  hint: expected a length such as 4mm, 1em or 0");
  EXPECT_NE(msg("calc(1em + 2)").find("(calc(): cannot add a number and a length)"),
            std::string::npos);
  EXPECT_NE(msg("calc(1em * 2pt)").find("a length times a length"), std::string::npos);
  EXPECT_NE(msg("calc(2pt / 1pt)").find("only a number can divide"), std::string::npos);
  EXPECT_NE(msg("calc(1em -2pt)").find("missing operator"), std::string::npos);
  EXPECT_NE(msg("calc(1em+2pt)").find("need a space on both sides"), std::string::npos);
  EXPECT_NE(msg("calc(2 * 3)").find("a length needs a unit, e.g. '6pt'"), std::string::npos);
  EXPECT_NE(msg("calc(10%)").find("percentages are not supported here yet"), std::string::npos);
  EXPECT_NE(msg("clamp(1pt, 2pt)").find("clamp() takes three values"), std::string::npos);
  EXPECT_NE(msg("calc(1em + 3xy)").find("unknown unit 'xy'"), std::string::npos);
}

// --- @supports ---

TEST(Supports, AppliesWhatTrangSupports) {
  auto size = [](const std::string& cond) {
    auto r = test::resolve("@supports " + cond + " { p { font-size: 20pt } }",
                           test::small_article());
    EXPECT_EQ(test::formatted(r.diags), Msgs{}) << cond;
    return r.of("p1").font_size.v;
  };
  EXPECT_NEAR(size("(column-gap: 1em)"), 20, kEps);
  EXPECT_NEAR(size("(display: grid)"), 12, kEps);  // parsed with a warning: not supported
  EXPECT_NEAR(size("(colr: red)"), 12, kEps);
  EXPECT_NEAR(size("not (display: grid)"), 20, kEps);
  EXPECT_NEAR(size("(color: red) and (width: calc(100% - 1em))"), 20, kEps);
  EXPECT_NEAR(size("(color: red) and (float: right)"), 12, kEps);
  EXPECT_NEAR(size("(display: flex) or (hyphens: auto)"), 20, kEps);
  EXPECT_NEAR(size("((display: flex) or (color: blue)) and (not (display: grid))"), 20, kEps);
  EXPECT_NEAR(size("selector(p > em)"), 20, kEps);
  EXPECT_NEAR(size("selector(p:hover)"), 12, kEps);
  EXPECT_NEAR(size("(color: var(--x))"), 20, kEps);
  EXPECT_NEAR(size("font-format(woff2)"), 12, kEps);  // a function CSS may add: false
}

TEST(Supports, AMalformedConditionWarns) {
  EXPECT_EQ(test::parse_messages("@supports (color: red) and (color: blue) or (x: y) { }"),
            Msgs{"t.css:1:1: warning: @supports condition '(color: red) and (color: blue) or "
                 "(x: y)' is not valid (rule ignored)\n  hint: write e.g. @supports "
                 "(column-gap: 1em) and (not selector(a > b))"});
}

// --- units ---

TEST(Units, ExAndChAreHalfAnEmAndViewportUnitsThePageArea) {
  auto r = test::resolve(
      "@page { size: A4; margin: 20mm 15mm }\n"
      "#p1 { font-size: 10pt; text-indent: 2ex; letter-spacing: 1ch }\n"
      "#p2 { text-indent: 10vw; margin-top: 10vh; margin-bottom: 1vmin; margin-left: 1vmax }",
      test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.of("p1").text_indent.v, 10, kEps);
  EXPECT_NEAR(r.of("p1").letter_spacing.v, 5, kEps);
  EXPECT_NEAR(r.of("p2").text_indent.v, mm(18).v, 1e-9);     // 10% of 180mm
  EXPECT_NEAR(r.of("p2").margin_top.v, mm(25.7).v, 1e-9);    // 10% of 257mm
  EXPECT_NEAR(r.of("p2").margin_bottom.v, mm(1.8).v, 1e-9);
  EXPECT_NEAR(r.of("p2").margin_left.v, mm(2.57).v, 1e-9);
}

TEST(Units, TheQuietFirstPassOverPageLosesNoWarning) {
  // @page is read once before the elements, for vw and vh: its warnings come from the second.
  auto r = test::resolve("@page { margin: var(--m); @top-center { content: 'x'; font-size: 90em } }",
                         test::small_article());
  Msgs m = test::formatted(r.diags);
  ASSERT_EQ(m.size(), 2u) << ::testing::PrintToString(m);
  EXPECT_NE(m[0].find("var(--m) has no value"), std::string::npos) << m[0];
  EXPECT_NE(m[1].find("'90em' computes to 1080pt (clamped to 500pt)"), std::string::npos) << m[1];
}

TEST(Units, APageSizeInEmsButNotInViewportUnits) {
  auto r = test::resolve("@page { size: calc(100mm + 2em) 20em; margin: 10mm }", test::small_article());
  EXPECT_EQ(test::formatted(r.diags), Msgs{});
  EXPECT_NEAR(r.doc.page.width.v, mm(100).v + 24, 1e-9);
  EXPECT_NEAR(r.doc.page.height.v, 240, 1e-9);
  Msgs m = test::parse_messages("@page { size: calc(10vw + 1in) 100mm }");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].find("a page size cannot be in vw or vh"), std::string::npos) << m[0];
}

TEST(Units, ExAndChComeFromTheFontWhenTheFontsAreLent) {
  std::vector<std::vector<std::string>> asked;
  FontRatiosFn ratios = [&](const std::vector<std::string>& families, int /*weight*/, bool italic) {
    asked.push_back(families);
    return italic ? FontRatios{0.25, 1} : FontRatios{0.45, 0.6};
  };
  Diagnostics diags;
  Stylesheet sheet = parse_stylesheet(
      "#b { font-size: 20pt }\n"
      "#p1 { font-size: 1ex; text-indent: 2ch; font-family: \"A\", \"B\" }\n"
      "#p2 { font-style: italic; text-indent: calc(2ex + 1ch) }", "t.css", diags);
  model::Article a = test::small_article();
  StyledDocument doc = resolve_styles(a, {&sheet}, diags, ratios);
  EXPECT_EQ(test::formatted(diags), Msgs{});
  auto of = [&](std::string_view id) { return doc.styles.at(test::find_id(a.root, id)->index); };
  EXPECT_NEAR(of("p1").font_size.v, 9, kEps);      // the parent's font: 0.45 x 20pt
  EXPECT_NEAR(of("p1").text_indent.v, 10.8, kEps);  // its own size: 2 x 0.6 x 9pt
  EXPECT_NEAR(of("p2").text_indent.v, 30, kEps);    // italic: 2 x 0.25 x 20 + 1 x 20
  // Asked once per font, only for elements that use ex or ch.
  EXPECT_EQ(asked.size(), 3u);
}

}  // namespace
}  // namespace trang::style
