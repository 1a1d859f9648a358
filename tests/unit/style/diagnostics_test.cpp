// Every syntax error and warning, with its exact text, line and column; and recovery: the
// rest of the sheet still applies.
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::kEps;
using test::parse_messages;
using Msgs = std::vector<std::string>;

// The first message's first line (without its hint).
std::string first(const std::string& css) {
  Msgs m = parse_messages(css);
  if (m.empty()) return "(no message)";
  return m[0].substr(0, m[0].find('\n'));
}

TEST(Warnings, UnknownPropertyWithSuggestion) {
  EXPECT_EQ(parse_messages("body {\n  font-size: 9pt;\n    colum-count: 3;\n}"),
            Msgs{"t.css:3:5: warning: unknown property 'colum-count' (ignored)\n"
                 "  hint: did you mean 'column-count'?"});
}

TEST(Warnings, UnknownPropertyWithoutSuggestion) {
  EXPECT_EQ(parse_messages("p { zzzz-frobnicate: 1 }"),
            Msgs{"t.css:1:5: warning: unknown property 'zzzz-frobnicate' (ignored)"});
}

TEST(Warnings, NotYetSupportedProperty) {
  EXPECT_EQ(parse_messages("p { vertical-align: top }"),
            Msgs{"t.css:1:5: warning: property 'vertical-align' is not supported yet (ignored)"});
}

TEST(Warnings, InvalidValues) {
  EXPECT_EQ(parse_messages("p {\n  font-size: huge;\n}"),
            Msgs{"t.css:2:14: warning: invalid value for 'font-size': 'huge'\n"
                 "  hint: expected a length (9.5pt, 3.5mm, 1.2em), a percentage, or xx-small, "
                 "x-small, small, medium, large, x-large, xx-large, xxx-large, smaller, larger"});
  EXPECT_EQ(parse_messages("p { text-indent: 12 }"),
            Msgs{"t.css:1:18: warning: invalid value for 'text-indent': '12' (a length needs "
                 "a unit, e.g. '12pt')\n  hint: expected a length such as 4mm, 1em or 0"});
  EXPECT_EQ(parse_messages("p { margin-top: 3pts }"),
            Msgs{"t.css:1:17: warning: invalid value for 'margin-top': '3pts' (unknown unit "
                 "'pts'; did you mean 'pt'?)\n  hint: expected a length such as 4mm, 1em or 0"});
  EXPECT_EQ(parse_messages("p { display: blok }"),
            Msgs{"t.css:1:14: warning: invalid value for 'display': 'blok' (did you mean "
                 "'block'?)\n  hint: expected block, inline or none"});
  EXPECT_EQ(parse_messages("p { color: cmyk(0, 100, 100, 0) }"),
            Msgs{"t.css:1:12: warning: invalid value for 'color': 'cmyk(0, 100, 100, 0)' "
                 "(cmyk() components are numbers from 0 to 1 or percentages from 0% to 100%)\n"
                 "  hint: expected a colour: #rrggbb, #rgb, #rrggbbaa, rgb(r g b), rgb(r g b / alpha), "
                 "rgba(r, g, b, alpha), hsl(h s% l% / alpha), cmyk(c, m, y, k), spot(\"ink name\", "
                 "cmyk(c, m, y, k)), transparent or a name such as black"});
  EXPECT_EQ(first("p { color: rgba(0, 0, 0, half) }"),
            "t.css:1:12: warning: invalid value for 'color': 'rgba(0, 0, 0, half)' (the alpha "
            "is a number from 0 to 1 or a percentage)");
  EXPECT_EQ(first("p { color: #12345 }"),
            "t.css:1:12: warning: invalid value for 'color': '#12345' (a hex colour has 3, 4, 6 "
            "or 8 digits)");
  EXPECT_EQ(first("p { color: bleu }"),
            "t.css:1:12: warning: invalid value for 'color': 'bleu' (unknown colour name; did "
            "you mean 'blue'?)");
  EXPECT_EQ(first("p { font-weight: 1200 }"),
            "t.css:1:18: warning: invalid value for 'font-weight': '1200' (a weight is a "
            "number from 1 to 1000)");
  EXPECT_EQ(first("p { column-count: 2.5 }"),
            "t.css:1:19: warning: invalid value for 'column-count': '2.5' (the number of "
            "columns must be a whole number)");
  EXPECT_EQ(first("p { column-gap: 5 mm }"),
            "t.css:1:17: warning: invalid value for 'column-gap': '5 mm' (no space between a "
            "number and its unit: write '5mm')");
  EXPECT_EQ(first("p { font-size: 9pt 10pt }"),
            "t.css:1:16: warning: invalid value for 'font-size': '9pt 10pt' (expected a single "
            "value)");
  EXPECT_EQ(first("p { margin: 1pt 2pt 3pt 4pt 5pt }"),
            "t.css:1:13: warning: invalid value for 'margin': '1pt 2pt 3pt 4pt 5pt' (at most "
            "four values)");
  EXPECT_EQ(first("p { margin-left: 10% }"),
            "t.css:1:18: warning: invalid value for 'margin-left': '10%' (percentage margins "
            "are not supported on elements yet)");
  EXPECT_EQ(first("p { font-family: \"Noto Serif\" serif }"),
            "t.css:1:18: warning: invalid value for 'font-family': '\"Noto Serif\" serif' (put "
            "a comma between family names)");
  EXPECT_EQ(first("@page { size: A6 }"),
            "t.css:1:15: warning: invalid value for 'size': 'A6' (unknown page size 'A6')");
  EXPECT_EQ(first("@page { size: A4 landscpae }"),
            "t.css:1:15: warning: invalid value for 'size': 'A4 landscpae' (did you mean "
            "'landscape'?)");
}

TEST(Warnings, InvalidDeclarationIsDropped) {
  auto r = test::resolve("p { font-size: 11pt; font-size: huge; color: red; color: nope }",
                         test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 11, kEps);
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));
  EXPECT_EQ(r.diags.warning_count(), 2);
}

TEST(Warnings, MissingValue) {
  EXPECT_EQ(parse_messages("p { color: ; }"),
            Msgs{"t.css:1:5: warning: missing value for 'color' (ignored)\n  hint: expected a "
                 "colour: #rrggbb, #rgb, #rrggbbaa, rgb(r g b), rgb(r g b / alpha), "
                 "rgba(r, g, b, alpha), hsl(h s% l% / alpha), cmyk(c, m, y, k), "
                 "spot(\"ink name\", cmyk(c, m, y, k)), transparent or a name such as black"});
}

TEST(Warnings, OutOfRangeValuesAreClamped) {
  EXPECT_EQ(parse_messages("p { font-size: 800pt }"),
            Msgs{"t.css:1:16: warning: out-of-range value for 'font-size': 800pt (clamped to "
                 "500pt)"});
  EXPECT_EQ(parse_messages("p { font-size: 0.2pt }"),
            Msgs{"t.css:1:16: warning: out-of-range value for 'font-size': 0.2pt (clamped to "
                 "1pt)"});
  EXPECT_EQ(parse_messages("p { line-height: -2pt }"),
            Msgs{"t.css:1:18: warning: out-of-range value for 'line-height': -2pt (clamped to "
                 "0pt)"});
  EXPECT_EQ(parse_messages("p { line-height: -1.5 }"),
            Msgs{"t.css:1:18: warning: out-of-range value for 'line-height': -1.5 (clamped to "
                 "0)"});
  EXPECT_EQ(parse_messages("p { column-gap: -1mm }"),
            Msgs{"t.css:1:17: warning: out-of-range value for 'column-gap': -2.83pt (clamped "
                 "to 0pt)"});
  auto r = test::resolve("p { font-size: 800pt; line-height: -1 }", test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 500, kEps);
  EXPECT_NEAR(r.of("p1").line_height.v, 0, kEps);
}

TEST(Warnings, RelativeFontSizeOutOfRangeIsClampedOnceWhenComputed) {
  auto r = test::resolve("article { font-size: 100pt }\np { font-size: 8em }",
                         test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 500, kEps);
  EXPECT_NEAR(r.of("p2").font_size.v, 500, kEps);
  EXPECT_EQ(test::formatted(r.diags),
            Msgs{"t.css:2:16: warning: out-of-range value for 'font-size': '8em' computes to "
                 "800pt (clamped to 500pt)"});
}

TEST(Warnings, WrongContext) {
  EXPECT_EQ(parse_messages("p { size: A4 }"),
            Msgs{"t.css:1:5: warning: property 'size' applies only in @page (ignored)\n"
                 "  hint: move it into an @page { ... } rule"});
  EXPECT_EQ(parse_messages("@page {\n  color: red;\n}"),
            Msgs{"t.css:2:3: warning: property 'color' does not apply in @page (ignored)"});
}

TEST(Warnings, AtRules) {
  EXPECT_EQ(parse_messages("@import \"other.css\";\n"
                           "@font-face { font-family: X; src: url(x.ttf) }"),
            (Msgs{"t.css:1:9: error: cannot import 'other.css': no such file",
                  "t.css:2:35: error: font file 'x.ttf': no such file"}));
  EXPECT_EQ(parse_messages("@media print { p { color: red } }"), Msgs{});
  EXPECT_EQ(parse_messages("@media print and (color) { p { colr: red } }"),
            (Msgs{"t.css:1:18: warning: media feature '(color)' is not evaluated: taken as true for the "
                  "printed page",
                  "t.css:1:32: warning: unknown property 'colr' (ignored)\n  hint: did you mean 'color'?"}));
  EXPECT_EQ(parse_messages("@media screen { p { colr: red } }"), Msgs{});
  // A feature query that fails skips its block without a word (CSS Conditional 3 §6).
  EXPECT_EQ(parse_messages("@supports (display: grid) { p { colr: red } }"), Msgs{});
  EXPECT_EQ(parse_messages("@supports (display: block) { p { colr: red } }"),
            Msgs{"t.css:1:34: warning: unknown property 'colr' (ignored)\n  hint: did you mean 'color'?"});
  EXPECT_EQ(parse_messages("@pgae { size: A4 }"),
            Msgs{"t.css:1:1: warning: unknown at-rule '@pgae' (ignored)\n  hint: did you mean "
                 "'@page'?"});
  EXPECT_EQ(parse_messages("@charset \"utf-8\";"), Msgs{});
  EXPECT_EQ(parse_messages("@page { @top-center { content: 'x' } }"), Msgs{});
  EXPECT_EQ(parse_messages("@page { @left-middle { content: 'x' } }"),
            Msgs{"t.css:1:9: warning: page margin box '@left-middle' is not supported yet "
                 "(ignored)\n  hint: trang draws @top-left, @top-center, @top-right and the "
                 "three @bottom- boxes"});
  EXPECT_EQ(parse_messages("@page :frist { size: A4 }"),
            Msgs{"t.css:1:7: warning: unknown page selector ':frist' (@page rule ignored)\n"
                 "  hint: did you mean 'first'?"});
}

TEST(Warnings, CustomProperties) {
  // Any value is valid for a custom property (CSS Variables 1 §2), even one with a colon.
  EXPECT_EQ(parse_messages("p { --accent: red; --odd: a: b [c] }"), Msgs{});
}

TEST(Errors, UnclosedBlockAtEof) {
  EXPECT_EQ(parse_messages("p { color: red }\nh {\n  color: blue;\n"),
            (Msgs{"t.css:2:1: warning: unknown element 'h' in selector",
                  "t.css:2:3: error: unclosed '{' (no matching '}' before the end of the file)"}));
  // The rule is still applied, as CSS says (a block closes at end of file).
  auto r = test::resolve("p { color: red", test::small_article());
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));
  EXPECT_EQ(r.diags.error_count(), 1);
}

TEST(Errors, UnclosedFunction) {
  // Only the innermost unclosed bracket is reported (the '{' around it is unclosed only
  // because of it), and the value that ran to the end of the file is dropped silently.
  EXPECT_EQ(parse_messages("p {\n  color: rgb(1, 2, 3;\n}\nbody { column-count: 2 }"),
            Msgs{"t.css:2:10: error: unclosed 'rgb(' (no matching ')' before the end of the "
                 "file)"});
}

TEST(Errors, NestedUnclosedBlocksReportTheInnermost) {
  EXPECT_EQ(parse_messages("p { color: red;\nbody [x { color: blue }"),
            (Msgs{"t.css:2:1: error: expected ':' after property name 'body', found "
                  "'[x { color: blue }'\n  hint: write it as 'body: value;'",
                  "t.css:2:6: error: unclosed '[' (no matching ']' before the end of the file)"}));
}

TEST(Errors, ForgottenCloseBrace) {
  // The next rule lands inside the open block: it is a declaration without ':' there.
  EXPECT_EQ(parse_messages("p {\n  color: red;\n\nbody { color: blue }\n"),
            (Msgs{"t.css:1:3: error: unclosed '{' (no matching '}' before the end of the file)",
                  "t.css:4:1: error: expected ':' after property name 'body', found "
                  "'{ color: blue }'\n  hint: is a '}' missing before it? This looks like the "
                  "start of a new rule"}));
}

TEST(Warnings, GarbageWhereASelectorShouldBeDropsOnlyThatRule) {
  EXPECT_EQ(parse_messages("p { color: red }\n  12px { color: blue }\np { font-size: 9pt }"),
            Msgs{"t.css:2:3: warning: expected a selector, found '12px' (rule ignored)"});
  EXPECT_EQ(parse_messages("p { color: red } } body { color: blue }"),
            Msgs{"t.css:1:18: warning: unexpected '}' (no block is open) (rule ignored)\n"
                 "  hint: remove it, or check the braces before it"});
  EXPECT_EQ(parse_messages("{ color: red }"),
            Msgs{"t.css:1:1: warning: expected a selector before '{' (rule ignored)"});
  EXPECT_EQ(parse_messages("p % q { color: red }"),
            Msgs{"t.css:1:3: warning: expected a selector, found '%' (rule ignored)"});
  EXPECT_EQ(parse_messages("p.x%q { color: red }"),
            Msgs{"t.css:1:4: warning: unexpected '%' in selector (rule ignored)"});
}

TEST(Errors, StrayCloseBraceAtEnd) {
  EXPECT_EQ(parse_messages("p { color: red }\n}"),
            Msgs{"t.css:2:1: error: unexpected '}' (no block is open)\n"
                 "  hint: remove it, or check the braces before it"});
}

TEST(Errors, SelectorWithoutBlockAtEof) {
  EXPECT_EQ(parse_messages("p { color: red }\nbody > p"),
            Msgs{"t.css:2:1: error: expected '{' after 'body > p', found end of file"});
}

TEST(Errors, MissingColonAndBadPropertyName) {
  EXPECT_EQ(parse_messages("p {\n  color red;\n  font-size: 9pt;\n}"),
            Msgs{"t.css:2:3: error: expected ':' after property name 'color', found 'red'\n"
                 "  hint: write it as 'color: value;'"});
  EXPECT_EQ(parse_messages("p { 12px; color: red }"),
            Msgs{"t.css:1:5: error: expected a property name, found '12px'"});
  // Recovery: the next declaration still applies.
  auto r = test::resolve("p { color red; font-size: 9pt; 5: x; text-indent: 2pt }",
                         test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 9, kEps);
  EXPECT_NEAR(r.of("p1").text_indent.v, 2, kEps);
  EXPECT_EQ(r.diags.error_count(), 2);
}

TEST(Errors, UnterminatedStringInAValue) {
  // The bad string ends at the newline (CSS Syntax 3 §4.3.5). The ';' inside it was part of
  // the string, so the declaration runs on to the next ';' and swallows the line after, as in
  // every browser; it is dropped without a second message, and parsing goes on.
  const char* css = "p {\n  font-family: \"Noto Sans;\n  font-size: 9pt;\n  color: red;\n}";
  EXPECT_EQ(parse_messages(css),
            Msgs{"t.css:2:16: error: unterminated string (a string cannot span lines)\n"
                 "  hint: close it with \" or continue the line with '\\'"});
  auto r = test::resolve(css, test::small_article());
  EXPECT_EQ(r.of("p1").font_family, std::vector<std::string>{"Noto Serif"});  // initial
  EXPECT_NEAR(r.of("p1").font_size.v, 12, kEps);                              // swallowed
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));
}

TEST(Errors, UnterminatedComment) {
  EXPECT_EQ(parse_messages("p { color: red }\n/* the end"),
            Msgs{"t.css:2:1: error: unterminated comment\n  hint: close it with '*/'"});
}

TEST(Errors, AllProblemsAreReportedInSourceOrder) {
  std::string css =
      "p { colr: red }\n"          // 1: unknown property
      "12px { color: red }\n"      // 2: bad selector
      "p { font-size: big }\n"     // 3: invalid value
      "@import 'x.css';\n"         // 4: too late
      "p { color red }\n"          // 5: missing colon
      "body { column-count: 3 }\n" // 6: fine
      "p { color: blue";           // 7: unclosed
  Msgs m = parse_messages(css);
  ASSERT_EQ(m.size(), 6u);
  EXPECT_EQ(m[0].substr(0, 50), "t.css:1:5: warning: unknown property 'colr' (ignor");
  EXPECT_EQ(m[1].substr(0, 35), "t.css:2:1: warning: expected a sele");
  EXPECT_EQ(m[2].substr(0, 38), "t.css:3:16: warning: invalid value for");
  EXPECT_EQ(m[3].substr(0, 34), "t.css:4:1: warning: @import after ");
  EXPECT_EQ(m[4].substr(0, 31), "t.css:5:5: error: expected ':' ");
  EXPECT_EQ(m[5].substr(0, 30), "t.css:7:3: error: unclosed '{'");
  // And what was valid still applies.
  auto r = test::resolve(css, test::small_article());
  EXPECT_EQ(r.doc.page.column_count, 3);
  EXPECT_EQ(r.of("p1").color, Color::rgb(0, 0, 1));
}

TEST(Errors, ColumnsCountCodePoints) {
  // A Vietnamese comment before the problem on the same line: columns are code points.
  EXPECT_EQ(parse_messages("/* Tiêu đề */ p { colr: red }"),
            Msgs{"t.css:1:19: warning: unknown property 'colr' (ignored)\n"
                 "  hint: did you mean 'color'?"});
}

TEST(Errors, EmptyInputAndOnlyComments) {
  EXPECT_EQ(parse_messages(""), Msgs{});
  EXPECT_EQ(parse_messages("/* nothing */\n\n"), Msgs{});
}

}  // namespace
}  // namespace trang::style

namespace trang::style {
namespace {

// CSS Syntax 3 §5.4.6: without the ';' the next declaration is part of this one's value and
// the whole is invalid; the message says what happened instead of blaming the value.
TEST(Warnings, MissingSemicolonIsNamed) {
  EXPECT_EQ(parse_messages("p {\n  color: red\n  font-size: 9pt;\n  text-indent: 2pt }"),
            Msgs{"t.css:3:3: warning: missing ';' before 'font-size'? ('color' and 'font-size' "
                 "are both ignored)\n  hint: end each declaration with ';': color: ...; "
                 "font-size: ...;"});
  auto r = test::resolve("p { color: red font-size: 9pt; text-indent: 2pt }",
                         test::small_article());
  EXPECT_EQ(r.of("p1").color, Color::gray(0));    // dropped, as CSS drops it
  EXPECT_NEAR(r.of("p1").font_size.v, 12, kEps);  // dropped with it
  EXPECT_NEAR(r.of("p1").text_indent.v, 2, kEps); // the one after still applies
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].code, "css-missing-semicolon");
}

// A bad selector drops its rule only: the rest of the sheet applies and nothing is an error.
TEST(Warnings, BadSelectorDropsOnlyItsRule) {
  auto r = test::resolve("p { color: red }\np % q, p { font-size: 9pt }\n"
                         "p > { text-indent: 5pt }\np { text-indent: 2pt }",
                         test::small_article());
  EXPECT_EQ(r.diags.error_count(), 0);
  ASSERT_EQ(r.diags.all().size(), 2u);
  EXPECT_EQ(r.diags.all()[0].code, "css-bad-selector");
  EXPECT_EQ(r.diags.all()[0].pos.line, 2);
  EXPECT_EQ(r.diags.all()[1].pos.line, 3);
  EXPECT_EQ(r.of("p1").color, Color::rgb(1, 0, 0));
  EXPECT_NEAR(r.of("p1").font_size.v, 12, kEps);
  EXPECT_NEAR(r.of("p1").text_indent.v, 2, kEps);
}

// Tools read the code, not the English.
TEST(Warnings, StableCodes) {
  auto code = [](const std::string& css) {
    Diagnostics d;
    parse_stylesheet(css, "t.css", d);
    return d.all().empty() ? std::string("(none)") : d.all()[0].code;
  };
  EXPECT_EQ(code("p { colr: red }"), "css-unknown-property");
  EXPECT_EQ(code("p { vertical-align: top }"), "css-unsupported-property");
  EXPECT_EQ(code("p { color: reed }"), "css-invalid-value");
  EXPECT_EQ(code("p { color: }"), "css-missing-value");
  EXPECT_EQ(code("p { size: A4 }"), "css-wrong-context");
  EXPECT_EQ(code("p { column-count: 50 }"), "css-out-of-range");
  EXPECT_EQ(code("p:hovr { color: red }"), "css-unknown-pseudo-class");
  EXPECT_EQ(code("p::befor { color: red }"), "css-unknown-pseudo-element");
  EXPECT_EQ(code("p:hover { color: red }"), "css-unsupported-selector");
  EXPECT_EQ(code("headine { color: red }"), "css-unknown-element");
  EXPECT_EQ(code("@pgae { }"), "css-unknown-at-rule");
}

// font-family names are checked against what the render can use.
TEST(Warnings, UnknownFontFamily) {
  Diagnostics d;
  Stylesheet s = parse_stylesheet(
      "p {\n  font-family: \"Noto Serf\", serif;\n}\nheadline { font-family: \"Noto Serif\" }", "t.css",
      d);
  ASSERT_EQ(d.all().size(), 0u);
  std::vector<std::string> installed = {"DejaVu Sans", "Noto Sans", "Noto Serif"};
  auto has = [&](const std::string& f) {
    return std::find(installed.begin(), installed.end(), f) != installed.end();
  };
  check_font_families(s, {&s}, has, [&] { return installed; }, d);
  EXPECT_EQ(test::formatted(d),
            Msgs{"t.css:2:16: warning: no font has the family 'Noto Serf' (the text falls back "
                 "to the next family or the catalogue's)\n  hint: installed families close to "
                 "it: 'Noto Serif', 'Noto Sans', 'DejaVu Sans'"});
  ASSERT_EQ(d.all().size(), 1u);
  EXPECT_EQ(d.all()[0].code, "css-unknown-font-family");
}

}  // namespace
}  // namespace trang::style
