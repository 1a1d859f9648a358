// Hostile input never crashes, hangs or reports outside the file: every prefix of the default
// stylesheet, random CSS-ish bytes, deep nesting. (A fuzz target would do this at scale; these
// are its deterministic seeds. Run under TRANG_SANITIZE=ON to catch memory errors.)
#include <gtest/gtest.h>

#include <cstdint>

#include "style_test_util.h"

namespace trang::style {
namespace {

// Parses, cascades over the small article, and checks every diagnostic has a position.
void exercise(const std::string& css) {
  test::Result r = test::resolve(css, test::small_article());
  for (const Diagnostic& d : r.diags.all()) {
    ASSERT_EQ(d.pos.file, "t.css") << d.format();
    ASSERT_GE(d.pos.line, 1) << d.format();
    ASSERT_GE(d.pos.col, 1) << d.format();
    ASSERT_FALSE(d.message.empty());
  }
  ASSERT_EQ(r.doc.styles.size(), r.article.node_count);
  ASSERT_GE(r.doc.page.column_count, 1);
  ASSERT_LE(r.doc.page.column_count, 20);
  ASSERT_GT(r.doc.page.width.v, 0);
}

TEST(Robustness, EveryPrefixOfTheDefaultStylesheet) {
  std::string css(default_stylesheet_text());
  for (size_t n = 0; n <= css.size(); ++n) {
    exercise(css.substr(0, n));
    if (HasFatalFailure()) {
      ADD_FAILURE() << "prefix of " << n << " bytes";
      return;
    }
  }
}

TEST(Robustness, RandomCssLikeInput) {
  static const std::string kAlphabet[] = {
      "p", "body", " ", "\n", "{", "}", "(", ")", "[", "]", ":", ";", ",", ".", "#", "*", ">",
      "+", "~", "\"", "'", "\\", "/*", "*/", "@page", "@import", "!", "important", "color",
      "font-size", "margin", "size", "column-count", "column-rule", "12pt", "1.5em", "50%",
      "-3", "red", "rgb(", "cmyk(", "url(", "inherit", "initial", "A4", "landscape", "ầ", "\xFF",
      "=", "|", "^", "$", "first-child", "-", "e", "0", "9", "--x", "<!--", "-->"};
  uint64_t state = 0x2545F4914F6CDD1DULL;  // fixed seed: deterministic
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string css;
    int parts = static_cast<int>(next() % 60);
    for (int i = 0; i < parts; ++i) css += kAlphabet[next() % std::size(kAlphabet)];
    exercise(css);
    if (HasFatalFailure()) {
      ADD_FAILURE() << "input: " << css;
      return;
    }
  }
}

TEST(Robustness, DeepNestingIsLimited) {
  std::string css = "p { color: " + std::string(100000, '(') + " }\np { font-size: 9pt }";
  test::Result r = test::resolve(css, test::small_article());
  // "p { color: " is 11 columns; the '{' is level 1, so the 200th level is the paren at
  // column 210, the first one skipped is at 211.
  EXPECT_EQ(test::formatted(r.diags),
            (std::vector<std::string>{
                "t.css:1:210: error: unclosed '(' (no matching ')' before the end of the file)",
                "t.css:1:211: error: blocks nested more than 200 deep (the innermost are "
                "ignored)"}));
  std::string blocks = std::string(50000, '{') + std::string(50000, '}') + " p { color: red }";
  exercise(blocks);
  std::string funcs;
  for (int i = 0; i < 50000; ++i) funcs += "rgb(";
  exercise("p { color: " + funcs + " }");
}

TEST(Robustness, HugeNumbers) {
  test::Result r = test::resolve(
      "p { font-size: 1e400pt; line-height: -1e400; margin: 1e300pt; column-count: 1e30 }"
      "body { column-count: 99999999999999999999 }",
      test::small_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 500, 1e-9);
  EXPECT_NEAR(r.of("p1").line_height.v, 0, 1e-9);
  EXPECT_NEAR(r.of("p1").margin_top.v, 14400, 1e-9);
  EXPECT_GE(r.doc.page.column_count, 1);
  EXPECT_LE(r.doc.page.column_count, 20);
  for (const Diagnostic& d : r.diags.all()) EXPECT_EQ(d.severity, Diagnostic::Severity::Warning);
}

}  // namespace
}  // namespace trang::style
