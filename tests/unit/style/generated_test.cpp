// Generated content: content lists parsed, counters with CSS Lists 3 scoping, quotes, list
// markers, and the warnings where content has no place.
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::Attrs;
using test::E;
using test::T;
using Msgs = std::vector<std::string>;

// The text of `id`'s ::before (or ::after), or "<none>".
std::string gen(const test::Result& r, std::string_view id, bool after = false) {
  const model::Node* n = test::find_id(r.article.root, id);
  if (!n) return "<no node>";
  const auto& m = after ? r.doc.after : r.doc.before;
  auto it = m.find(n->index);
  return it == m.end() ? "<none>" : it->second.text;
}

std::string marker(const test::Result& r, std::string_view id) {
  const model::Node* n = test::find_id(r.article.root, id);
  auto it = r.doc.marker.find(n->index);
  return it == r.doc.marker.end() ? "<none>" : it->second.text;
}

// body > (h2#s1, p#a, p#b, h2#s2, p#c, box > (h2#s3, p#d)), h2 being subheads.
model::Article sections() {
  return test::make_article(E(
      "article", {.id = "root"},
      {E("body", {.id = "body"},
         {E("subhead", {.id = "s1"}, {T("Một")}), E("p", {.id = "a"}, {T("a")}),
          E("p", {.id = "b"}, {T("b")}), E("subhead", {.id = "s2"}, {T("Hai")}),
          E("p", {.id = "c"}, {T("c")}),
          E("box", {.id = "box"},
            {E("subhead", {.id = "s3"}, {T("Ba")}), E("p", {.id = "d"}, {T("d")})})})}));
}

TEST(Generated, ContentList) {
  auto r = test::resolve(
      "p::before { content: \"\\201C\" attr(id) \" x\" }"
      "p::after { content: \"(h\\1EBF t)\" }",  // CSS escapes: U+201C, ế (a space ends one)
      sections());
  EXPECT_EQ(gen(r, "a"), "\u201C" "a x");
  EXPECT_EQ(gen(r, "a", true), "(h\u1EBFt)");
  EXPECT_EQ(gen(r, "s1"), "<none>");
  EXPECT_TRUE(r.diags.all().empty()) << test::formatted(r.diags)[0];
}

TEST(Generated, Css2SingleColonForms) {
  auto r = test::resolve("subhead:before { content: \"<\" } subhead:after { content: \">\" }",
                         sections());
  EXPECT_EQ(gen(r, "s1"), "<");
  EXPECT_EQ(gen(r, "s1", true), ">");
  EXPECT_TRUE(r.diags.all().empty());
}

TEST(Generated, ContentIsNfc) {
  // "hết" written decomposed: e + U+0302 + U+0301 comes out as the one code point U+1EBF.
  auto r = test::resolve("p::after { content: \" (he\\302\\301t)\" }", sections());
  EXPECT_EQ(gen(r, "a", true), " (h\u1EBFt)");
}

TEST(Generated, NoneAndNormalGenerateNothing) {
  auto r = test::resolve("p::before { content: \"x\" } p#a::before { content: none }"
                         "p#b::before { content: normal } p#c::before { display: none }",
                         sections());
  EXPECT_EQ(gen(r, "a"), "<none>");
  EXPECT_EQ(gen(r, "b"), "<none>");
  EXPECT_EQ(gen(r, "c"), "<none>");
  EXPECT_EQ(gen(r, "d"), "x");
}

TEST(Generated, CounterResetScopesToFollowingSiblings) {
  // CSS Lists 3 §4.5: the box's own reset makes a nested counter; counters() shows both.
  auto r = test::resolve(
      "body, box { counter-reset: sec }"
      "subhead { counter-increment: sec; counter-reset: para }"
      "p { counter-increment: para }"
      "subhead::before { content: counters(sec, \".\") \" \" }"
      "p::before { content: counter(sec) \".\" counter(para) }",
      sections());
  EXPECT_EQ(gen(r, "s1"), "1 ");
  EXPECT_EQ(gen(r, "a"), "1.1");
  EXPECT_EQ(gen(r, "b"), "1.2");
  EXPECT_EQ(gen(r, "s2"), "2 ");
  EXPECT_EQ(gen(r, "c"), "2.1");  // s2's reset replaced s1's counter of the same name
  EXPECT_EQ(gen(r, "s3"), "2.1 ");
  EXPECT_EQ(gen(r, "d"), "1.1");
}

TEST(Generated, CounterSetIncrementOrderAndStyles) {
  auto r = test::resolve(
      "p { counter-increment: n 2 }"
      "p#b { counter-set: n 40 }"  // reset, increment, then set: 40
      "p::before { content: counter(n) counter(n, lower-roman) counter(n, upper-alpha) }",
      sections());
  EXPECT_EQ(gen(r, "a"), "2iiB");
  EXPECT_EQ(gen(r, "b"), "40xlAN");
  EXPECT_EQ(gen(r, "c"), "42xliiAP");
}

TEST(Generated, CounterNotInScopeStartsAtZero) {
  auto r = test::resolve("p::before { content: counter(x) counters(y, \"-\") }", sections());
  EXPECT_EQ(gen(r, "a"), "00");
}

TEST(Generated, FormatCounter) {
  EXPECT_EQ(format_counter(1994, CounterStyle::UpperRoman), "MCMXCIV");
  EXPECT_EQ(format_counter(4000, CounterStyle::LowerRoman), "4000");  // out of range: decimal
  EXPECT_EQ(format_counter(0, CounterStyle::LowerAlpha), "0");
  EXPECT_EQ(format_counter(27, CounterStyle::LowerAlpha), "aa");
  EXPECT_EQ(format_counter(-3, CounterStyle::Decimal), "-3");
  EXPECT_EQ(format_counter(5, CounterStyle::Square), "\u25AA");
  EXPECT_EQ(format_counter(5, CounterStyle::None), "");
}

TEST(Generated, Quotes) {
  auto r = test::resolve(
      "p::before { content: open-quote open-quote open-quote }"
      "p::after { content: close-quote close-quote close-quote close-quote }"
      "p#b { quotes: \"«\" \"»\" }",
      sections());
  EXPECT_EQ(gen(r, "a"), "\u201C\u2018\u2018");
  EXPECT_EQ(gen(r, "a", true), "\u2019\u2019\u201D");  // the fourth closes nothing
  EXPECT_EQ(gen(r, "b"), "«««");
}

// body > (list#l1 > (item#i1, item#i2 > list#l2 > (item#i3)), list#l3 > item#i4)
model::Article lists() {
  return test::make_article(E(
      "article", {.id = "root"},
      {E("body", {.id = "body"},
         {E("list", {.id = "l1"},
            {E("item", {.id = "i1"}, {T("a")}),
             E("item", {.id = "i2"}, {T("b")})}),
          E("list", {.id = "l3"}, {E("item", {.id = "i4"}, {T("c")}),
                                   E("item", {.id = "i5"}, {T("d")})})})}));
}

TEST(Generated, ListMarkers) {
  auto r = test::resolve("", lists());
  EXPECT_EQ(marker(r, "i1"), "\u2022 ");
  r = test::resolve("list { list-style-type: decimal } list#l3 { list-style: upper-roman }",
                    lists());
  EXPECT_EQ(marker(r, "i1"), "1. ");
  EXPECT_EQ(marker(r, "i2"), "2. ");
  EXPECT_EQ(marker(r, "i4"), "I. ");  // each list counts its own items
  EXPECT_EQ(marker(r, "i5"), "II. ");
  r = test::resolve("item::marker { content: \"(\" counter(list-item, lower-alpha) \") \" }"
                    "item#i5::marker { content: none }"
                    "list#l3 { list-style-type: none }",
                    lists());
  EXPECT_EQ(marker(r, "i2"), "(b) ");
  EXPECT_EQ(marker(r, "i4"), "(a) ");
  EXPECT_EQ(marker(r, "i5"), "");
  r = test::resolve("list { list-style-type: none }", lists());
  EXPECT_EQ(marker(r, "i1"), "");
}

TEST(Generated, Warnings) {
  auto r = test::resolve(
      "p { content: \"x\" }\n"
      "box::before { content: \"y\" }\n"
      "p::before { content: counter(page) }\n"
      "p::after { content: string(title) }\n"
      "list { list-style: square inside }\n"
      "list { list-style-type: lower-greek }\n",
      sections());
  EXPECT_EQ(test::formatted(r.diags),
            (Msgs{"t.css:3:22: warning: invalid value for 'content': 'counter(page)' "
                  "(counter(page) counts pages in page margin boxes only)\n  hint: expected none, "
                  "normal, or strings, counter(name), counters(name, \".\"), attr(name), "
                  "open-quote and close-quote; in margin boxes counter(page), counter(pages) and "
                  "string(name)",
                  "t.css:4:21: warning: invalid value for 'content': 'string(title)' (string() is "
                  "available in page margin boxes only)\n  hint: expected none, normal, or "
                  "strings, counter(name), counters(name, \".\"), attr(name), open-quote and "
                  "close-quote; in margin boxes counter(page), counter(pages) and string(name)",
                  "t.css:5:27: warning: 'inside' in list-style is not supported (ignored): the "
                  "marker is text at the start of the item's first line",
                  "t.css:6:25: warning: invalid value for 'list-style-type': 'lower-greek' "
                  "('lower-greek' is not supported yet)\n  hint: expected disc, circle, square, "
                  "decimal, lower-roman, upper-roman, lower-alpha, upper-alpha or none",
                  "t.css:1:5: warning: 'content' on <p> is not applied: content is generated by "
                  "::before, ::after, ::marker and page margin boxes (ignored)",
                  "t.css:2:15: warning: 'content' of ::before or ::after on <box> is not "
                  "applied: generated content is set in elements that hold text (p, headline, "
                  "item, caption, em...) (ignored)"}));
}

}  // namespace
}  // namespace trang::style
