// The rule index (style/rule_index.h): rules bucketed by the rightmost compound of their
// selectors must cascade exactly as matching every rule against every element would.
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::E;
using test::kEps;
using test::T;

// An article whose elements each select several buckets: an id, two classes (one twice),
// other attributes, and a name.
model::Article bucket_article() {
  return test::make_article(E(
      "article", {.id = "root"},
      {E("body", {.id = "b"},
         {E("p", {.id = "p1", .classes = {"a", "b", "a"}, .other = {{"data-k", "v"}}},
            {T("Một "), E("em", {.id = "e", .classes = {"b"}}, {T("hai")})}),
          E("p", {.id = "p2", .other = {{"lang", "en-GB"}}}, {T("Ba")})})}));
}

// Rules that match, one per kind of bucket, written so that order and specificity decide
// between buckets: a full scan gives p1 16pt (the id), p2 13pt (the attribute rule, later than
// `:last-child` at equal specificity), body 12.5pt (`:last-child` over `*`).
constexpr const char* kMatching =
    "* { font-size: 9pt }\n"
    "p { font-size: 11pt }\n"
    ".a { font-size: 12pt }\n"
    "[data-k] { font-size: 14pt }\n"          // same specificity as .a, later: wins on p1
    "body > p.b { font-size: 15pt }\n"
    "#p1 { font-size: 16pt }\n"
    ":last-child { font-size: 12.5pt }\n"
    "[lang|=en] { font-size: 13pt }\n"
    "em.b { font-size: 17pt }\n"
    "p > * { letter-spacing: 1pt }\n";

TEST(RuleIndex, BucketsCascadeAsAFullScan) {
  auto r = test::resolve(kMatching, bucket_article());
  EXPECT_TRUE(r.diags.all().empty());
  EXPECT_NEAR(r.of("p1").font_size.v, 16, kEps);
  EXPECT_NEAR(r.of("p2").font_size.v, 13, kEps);
  EXPECT_NEAR(r.of("e").font_size.v, 17, kEps);
  EXPECT_NEAR(r.of("e").letter_spacing.v, 1, kEps);
  EXPECT_NEAR(r.of("b").font_size.v, 12.5, kEps);
}

TEST(RuleIndex, ThousandsOfRulesThatCannotMatchChangeNothing) {
  // Each bucket crowded with rules for names, ids, classes and attributes the article lacks,
  // before and after the matching ones: the result is the same.
  std::string noise;
  for (int i = 0; i < 3000; ++i)
    noise += ".x" + std::to_string(i) + " { font-size: 40pt } #y" + std::to_string(i) +
             " p { font-size: 41pt } [z" + std::to_string(i) + "] { font-size: 42pt } " +
             "p.a.q" + std::to_string(i) + " { font-size: 43pt }\n";
  auto r = test::resolve(noise + kMatching + noise, bucket_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 16, kEps);
  EXPECT_NEAR(r.of("p2").font_size.v, 13, kEps);
  EXPECT_NEAR(r.of("e").font_size.v, 17, kEps);
  EXPECT_NEAR(r.of("b").font_size.v, 12.5, kEps);
}

TEST(RuleIndex, OrderRunsOnAcrossSheets) {
  // The second sheet's `.a` (same specificity, later) beats the first sheet's `[data-k]`,
  // though each sheet has an index of its own.
  auto r = test::resolve_sheets({"[data-k] { font-size: 14pt }", ".a { font-size: 12pt }"},
                                bucket_article());
  EXPECT_NEAR(r.of("p1").font_size.v, 12, kEps);
  auto r2 = test::resolve_sheets({".a { font-size: 12pt !important }", "[data-k] { font-size: 14pt }"},
                                 bucket_article());
  EXPECT_NEAR(r2.of("p1").font_size.v, 12, kEps);
}

TEST(RuleIndex, SubjectsOfOnlyPseudoClassesAreTriedOnEveryElement) {
  // Rightmost compounds with no id, class, attribute or name (`:not(...)`, `:nth-child()`,
  // `:is()`) land in the bucket every element looks in; they cascade with the rest by
  // specificity: `:not(#p2)` (1,0,0) beats `p.a` (0,1,1) though it comes first, and `p`
  // beats the later `:where(#p2)` (0,0,0).
  auto r = test::resolve("p { font-size: 12pt }\n"
                         ":not(#p2) { font-size: 19pt }\n"
                         "p.a { font-size: 11pt }\n"
                         "body > :nth-child(2) { letter-spacing: 2pt }\n"
                         ":is(em, #nothing) { letter-spacing: 3pt }\n"
                         ":where(#p2) { font-size: 21pt }\n",
                         bucket_article());
  EXPECT_TRUE(r.diags.all().empty());
  EXPECT_NEAR(r.of("p1").font_size.v, 19, kEps);
  EXPECT_NEAR(r.of("p2").font_size.v, 12, kEps);
  EXPECT_NEAR(r.of("p2").letter_spacing.v, 2, kEps);
  EXPECT_NEAR(r.of("p1").letter_spacing.v, 0, kEps);
  EXPECT_NEAR(r.of("e").letter_spacing.v, 3, kEps);
}

}  // namespace
}  // namespace trang::style
