// Selectors 3: what matches, and specificity (§9).
#include <gtest/gtest.h>

#include "style/selector.h"
#include "style/tokenizer.h"
#include "style_test_util.h"

namespace trang::style {
namespace {

using test::Attrs;
using test::E;
using test::T;

std::vector<ComplexSelector> parse(const std::string& text, Diagnostics& d) {
  auto tokens = css::tokenize(text + "{}", "t.css", d);
  css::ParseContext ctx{text, "t.css", d};
  auto rules = css::parse_rules(tokens, ctx);
  std::vector<ComplexSelector> out;
  if (rules.size() == 1 && !parse_selector_list(rules[0].prelude, ctx, out)) out.clear();
  return out;
}

Specificity spec(const std::string& sel) {
  Diagnostics d;
  auto s = parse(sel, d);
  EXPECT_EQ(s.size(), 1u) << sel;
  EXPECT_EQ(d.all().size(), 0u) << sel;
  return s.empty() ? Specificity{} : s[0].specificity;
}

TEST(Specificity, Selectors3Examples) {
  // Selectors 3 §9 examples, with our element names.
  EXPECT_EQ(spec("*"), Specificity::of(0, 0, 0));
  EXPECT_EQ(spec("p"), Specificity::of(0, 0, 1));
  EXPECT_EQ(spec("body p"), Specificity::of(0, 0, 2));
  EXPECT_EQ(spec("body > p + p"), Specificity::of(0, 0, 3));
  EXPECT_EQ(spec("p[lang]"), Specificity::of(0, 1, 1));
  EXPECT_EQ(spec("body p.note"), Specificity::of(0, 1, 2));
  EXPECT_EQ(spec("p.a.b"), Specificity::of(0, 2, 1));
  EXPECT_EQ(spec("#x"), Specificity::of(1, 0, 0));
  EXPECT_EQ(spec("p:first-child"), Specificity::of(0, 1, 1));
  EXPECT_EQ(spec("#a .b p:first-child"), Specificity::of(1, 2, 1));
  EXPECT_LT(spec("p.a.b.c.d.e.f.g.h.i.j.k"), spec("#x"));  // no carrying from b into a
}

TEST(Specificity, ListHasOneSelectorPerItem) {
  Diagnostics d;
  auto s = parse("p, body > p.x ,#y", d);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[1].specificity, Specificity::of(0, 1, 2));
  EXPECT_EQ(s[2].specificity, Specificity::of(1, 0, 0));
}

class Matching : public ::testing::Test {
 protected:
  // article > (headline, body#b > (figure#f > (image#img, caption#c), p#p1.lead.x[data=a-b],
  //                                 p#p2, box#bx > (title#t, p#p3)))
  model::Article a = test::make_article(E(
      "article", {.id = "root"},
      {E("headline", {.id = "h"}, {T("H")}),
       E("body", {.id = "b"},
         {T("\n  "),
          E("figure", {.id = "f"}, {E("image", {.id = "img", .other = {{"src", "x.jpg"}}}),
                                    E("caption", {.id = "c"}, {T("C")})}),
          E("p", {.id = "p1", .classes = {"lead", "x"}, .other = {{"data", "a-b"}}}, {T("1")}),
          E("p", {.id = "p2"}, {T("2")}),
          E("box", {.id = "bx"},
            {E("title", {.id = "t"}, {T("T")}), E("p", {.id = "p3"}, {T("3")})})})}));

  // Ids of the elements `selector` matches, in document order.
  std::string match(const std::string& selector) {
    Diagnostics d;
    auto list = parse(selector, d);
    EXPECT_FALSE(list.empty()) << selector;
    std::string out;
    walk(a.root, nullptr, 0, list, out);
    return out;
  }

  void walk(const model::Node& n, const ElementRef* parent, size_t index,
            const std::vector<ComplexSelector>& list, std::string& out) {
    ElementRef self{&n, parent, index};
    for (const ComplexSelector& s : list) {
      if (matches(s, self)) {
        out += (out.empty() ? "" : " ") + n.id;
        break;
      }
    }
    for (size_t i = 0; i < n.children.size(); ++i) walk(n.children[i], &self, i, list, out);
  }
};

TEST_F(Matching, TypeUniversalClassId) {
  EXPECT_EQ(match("p"), "p1 p2 p3");
  EXPECT_EQ(match("*"), "root h b f img c p1 p2 bx t p3");  // elements only, never text
  EXPECT_EQ(match(".lead"), "p1");
  EXPECT_EQ(match("p.lead.x"), "p1");
  EXPECT_EQ(match("p.lead.y"), "");
  EXPECT_EQ(match("#p2"), "p2");
  EXPECT_EQ(match("*#p2"), "p2");
  EXPECT_EQ(match("P"), "");  // XML element names are case-sensitive
}

TEST_F(Matching, Attributes) {
  EXPECT_EQ(match("[src]"), "img");
  EXPECT_EQ(match("[src=\"x.jpg\"]"), "img");
  EXPECT_EQ(match("[src=y]"), "");
  EXPECT_EQ(match("[data|=a]"), "p1");
  EXPECT_EQ(match("[data^=a]"), "p1");
  EXPECT_EQ(match("[data$=b]"), "p1");
  EXPECT_EQ(match("[data*='-']"), "p1");
  EXPECT_EQ(match("[class~=x]"), "p1");
  EXPECT_EQ(match("[id=P1 i]"), "p1");
  EXPECT_EQ(match("[id=P1]"), "");
}

TEST_F(Matching, Combinators) {
  EXPECT_EQ(match("body p"), "p1 p2 p3");
  EXPECT_EQ(match("body > p"), "p1 p2");
  EXPECT_EQ(match("article p"), "p1 p2 p3");
  EXPECT_EQ(match("article > p"), "");
  EXPECT_EQ(match("box p"), "p3");
  EXPECT_EQ(match("figure + p"), "p1");
  EXPECT_EQ(match("figure ~ p"), "p1 p2");
  EXPECT_EQ(match("p + p"), "p2");
  EXPECT_EQ(match("body figure caption"), "c");
  EXPECT_EQ(match("article > body > figure > image"), "img");
}

TEST_F(Matching, SelectorList) { EXPECT_EQ(match("caption, #h,title"), "h c t"); }

TEST_F(Matching, StructuralPseudoClasses) {
  // Text nodes are not siblings that count (the whitespace before the figure).
  EXPECT_EQ(match("p:first-child"), "");
  EXPECT_EQ(match(":first-child"), "root h f img t");
  EXPECT_EQ(match("p:first-of-type"), "p1 p3");
  EXPECT_EQ(match("p:last-child"), "p3");
  EXPECT_EQ(match("p:last-of-type"), "p2 p3");
  EXPECT_EQ(match(":only-child"), "root");
  EXPECT_EQ(match(":root"), "root");
  EXPECT_EQ(match("image:empty"), "img");
  EXPECT_EQ(match("box > :first-child"), "t");
}

TEST(SelectorErrors, GarbageIsAWarningAndDropsTheList) {
  Diagnostics d;
  EXPECT_TRUE(parse("p, 12px", d).empty());
  EXPECT_EQ(test::formatted(d),
            std::vector<std::string>{
                "t.css:1:4: warning: expected a selector, found '12px' (rule ignored)"});
}

TEST(SelectorErrors, Messages) {
  auto one = [](const std::string& sel) {
    Diagnostics d;
    EXPECT_TRUE(parse(sel, d).empty()) << sel;
    auto f = test::formatted(d);
    return f.empty() ? std::string() : f.back();
  };
  EXPECT_EQ(one("p >"), "t.css:1:3: warning: selector ends with the combinator '>' (rule ignored)");
  EXPECT_EQ(one("p,,q"), "t.css:1:3: warning: expected a selector before ',' (rule ignored)");
  EXPECT_EQ(one("p."), "t.css:1:2: warning: expected a class name after '.' (rule ignored)");
  EXPECT_EQ(one("#1x"), "t.css:1:1: warning: '#1x' is not a valid id selector (rule ignored)\n"
                        "  hint: an id cannot start with a digit");
  EXPECT_EQ(one("p[=x]"), "t.css:1:2: warning: invalid attribute selector '[=x]': expected an "
                          "attribute name (rule ignored)");
  EXPECT_EQ(one("p:hover"), "t.css:1:2: warning: unsupported pseudo-class ':hover' (rule ignored)");
  EXPECT_EQ(one("p:frist-child"), "t.css:1:2: warning: unknown pseudo-class ':frist-child' "
                                  "(rule ignored)\n  hint: did you mean 'first-child'?");
  EXPECT_EQ(one("p:hovr"), "t.css:1:2: warning: unknown pseudo-class ':hovr' (rule ignored)\n"
                           "  hint: did you mean 'hover'?");
  EXPECT_EQ(one("p:nth-chlid(2)"), "t.css:1:2: warning: unknown pseudo-class ':nth-chlid()' "
                                   "(rule ignored)\n  hint: did you mean 'nth-child'?");
  EXPECT_EQ(one("p::befor"), "t.css:1:2: warning: unknown pseudo-element '::befor' (rule "
                             "ignored)\n  hint: did you mean 'before'?");
  EXPECT_EQ(one("p::before"), "t.css:1:2: warning: pseudo-element '::before' is not "
                              "supported (rule ignored)");
  EXPECT_EQ(one("p::first-leter"), "t.css:1:2: warning: unknown pseudo-element "
                                   "'::first-leter' (rule ignored)\n  hint: did you mean "
                                   "'first-letter'?");
  EXPECT_EQ(one("p::first-line::first-letter"),
            "t.css:1:14: warning: a selector has at most one pseudo-element (rule ignored)");
  EXPECT_EQ(one("p::first-line .x"),
            "t.css:1:1: warning: a pseudo-element must come last in a selector (rule ignored)");
  EXPECT_EQ(one("p:not(.x)"),
            "t.css:1:2: warning: unsupported pseudo-class ':not()' (rule ignored)");
}

TEST(SelectorErrors, UnknownElementIsAWarningAndTheRuleIsKept) {
  Diagnostics d;
  auto s = parse("body headine", d);
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(test::formatted(d),
            std::vector<std::string>{"t.css:1:6: warning: unknown element 'headine' in selector\n"
                                     "  hint: did you mean 'headline'?"});
}

}  // namespace
}  // namespace trang::style
