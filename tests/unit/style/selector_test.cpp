// Selectors 3 and 4: what matches, and specificity (§9; Selectors 4 §16).
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

// The last message about `sel`, which must be dropped.
std::string one(const std::string& sel) {
  Diagnostics d;
  EXPECT_TRUE(parse(sel, d).empty()) << sel;
  auto f = test::formatted(d);
  return f.empty() ? std::string() : f.back();
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

TEST(Specificity, Selectors4PseudoClassesWithArguments) {
  // §16: :not() and :is() count as their most specific argument, :where() as nothing,
  // :nth-child(An+B of S) as one pseudo-class plus the most specific of S.
  EXPECT_EQ(spec(":not(#x)"), Specificity::of(1, 0, 0));
  EXPECT_EQ(spec("p:not(.a, #b)"), Specificity::of(1, 0, 1));
  EXPECT_EQ(spec("p:not(body p.a)"), Specificity::of(0, 1, 3));
  EXPECT_EQ(spec(":is(p, .a)"), Specificity::of(0, 1, 0));
  EXPECT_EQ(spec(":is(em, strong) a"), Specificity::of(0, 0, 2));
  EXPECT_EQ(spec(":where(#x, .y) p"), Specificity::of(0, 0, 1));
  EXPECT_EQ(spec("p:where(:not(#x))"), Specificity::of(0, 0, 1));
  EXPECT_EQ(spec(":not(:where(#x))"), Specificity::of(0, 0, 0));
  EXPECT_EQ(spec("p:nth-child(2n+1)"), Specificity::of(0, 1, 1));
  EXPECT_EQ(spec("p:nth-last-of-type(2)"), Specificity::of(0, 1, 1));
  EXPECT_EQ(spec(":nth-child(2 of #x, p)"), Specificity::of(1, 1, 0));
  EXPECT_EQ(spec("body p:nth-child(odd)"), Specificity::of(0, 1, 2));
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

TEST_F(Matching, AttributeFlags) {
  // Selectors 4 §6.3: 'i' compares ASCII case-insensitively with every operator, 's' (the
  // default for XML) case-sensitively; an empty value never matches ^= $= *= ~=.
  EXPECT_EQ(match("[data=A-B i]"), "p1");
  EXPECT_EQ(match("[data=A-B s]"), "");
  EXPECT_EQ(match("[data=a-b S]"), "p1");
  EXPECT_EQ(match("[data|=A i]"), "p1");
  EXPECT_EQ(match("[data^=A i]"), "p1");
  EXPECT_EQ(match("[data$=B i]"), "p1");
  EXPECT_EQ(match("[data*='-B' i]"), "p1");
  EXPECT_EQ(match("[class~=LEAD i]"), "p1");
  EXPECT_EQ(match("[class~=LEAD]"), "");
  EXPECT_EQ(match("[data^='']"), "");
  EXPECT_EQ(match("[data$='']"), "");
  EXPECT_EQ(match("[data*='']"), "");
  EXPECT_EQ(match("[class~='']"), "");
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

TEST_F(Matching, NthChild) {
  // body's children: figure (1), p1 (2), p2 (3), box (4); the text before the figure does not
  // count.
  EXPECT_EQ(match(":nth-child(2)"), "b c p1 p3");
  EXPECT_EQ(match("p:nth-child(odd)"), "p2");
  EXPECT_EQ(match("p:nth-child(even)"), "p1 p3");
  EXPECT_EQ(match("p:nth-child(2n+1)"), "p2");
  EXPECT_EQ(match("body > :nth-child(-n+2)"), "f p1");
  EXPECT_EQ(match("body > :nth-child(n+3)"), "p2 bx");
  EXPECT_EQ(match("body > :nth-child(3n)"), "p2");
  EXPECT_EQ(match("body > :nth-child(0n+0)"), "");
  EXPECT_EQ(match("body > :nth-child(-2n+4)"), "p1 bx");
  EXPECT_EQ(match(":nth-child(1)"), match(":first-child"));
  EXPECT_EQ(match("body > :nth-last-child(1)"), "bx");
  EXPECT_EQ(match("body > :nth-last-child(-n+2)"), "p2 bx");
  EXPECT_EQ(match(":nth-last-child(1)"), match(":last-child"));
}

TEST_F(Matching, NthChildOfSelector) {
  // Only the siblings matching S count, and the element must match S itself.
  EXPECT_EQ(match(":nth-child(1 of p)"), "p1 p3");
  EXPECT_EQ(match(":nth-child(2 of p)"), "p2");
  EXPECT_EQ(match(":nth-child(odd of p, figure)"), "f p2 p3");
  EXPECT_EQ(match(":nth-last-child(1 of p)"), "p2 p3");
  EXPECT_EQ(match(":nth-child(1 of :not(.lead))"), "root h f img t");
  EXPECT_EQ(match("body > :nth-child(1 of body > p:not(.lead))"), "p2");
}

TEST_F(Matching, NthOfType) {
  EXPECT_EQ(match("p:nth-of-type(1)"), "p1 p3");
  EXPECT_EQ(match("p:nth-of-type(2)"), "p2");
  EXPECT_EQ(match("p:nth-last-of-type(1)"), "p2 p3");
  EXPECT_EQ(match("p:nth-last-of-type(2)"), "p1");
  EXPECT_EQ(match(":nth-of-type(1)"), match(":first-of-type"));
}

TEST_F(Matching, AnPlusBSpellings) {
  // CSS Syntax 3 §6: case, signs and the whitespace the grammar allows.
  for (const char* sel : {"p:nth-child(2n+1)", "p:nth-child( 2n + 1 )", "p:nth-child(2N+1)",
                          "p:nth-child(2n +1)", "p:nth-child(2n+ 1)", "p:nth-child(+2n+1)",
                          "p:nth-child(2n-1)", "p:nth-child(2n - 1)", "p:nth-child(2n- 1)",
                          "p:nth-child(ODD)", "p:nth-child(-2n+3)", "p:nth-child(3)",
                          "p:nth-child(+3)"})
    EXPECT_EQ(match(sel), "p2") << sel;
  for (const char* sel : {"body > :nth-child(n)", "body > :nth-child(+n)",
                          "body > :nth-child(n+1)", "body > :nth-child(+n-0)",
                          "body > :nth-child(1n)", "body > :nth-child(-n+4)",
                          "body > *"})
    EXPECT_EQ(match(sel), "f p1 p2 bx") << sel;
}

TEST_F(Matching, NotIsWhere) {
  EXPECT_EQ(match("body > :not(p)"), "f bx");
  EXPECT_EQ(match("p:not(.lead)"), "p2 p3");
  EXPECT_EQ(match("p:not(.lead, #p3)"), "p2");
  EXPECT_EQ(match("p:not(box p)"), "p1 p2");  // a complex argument looks at the ancestors
  EXPECT_EQ(match("p:not(figure ~ p)"), "p3");
  EXPECT_EQ(match("p:not(:nth-child(2))"), "p2");
  EXPECT_EQ(match(":not(:not(p))"), "p1 p2 p3");
  EXPECT_EQ(match(":is(figure, box) > :first-child"), "img t");
  EXPECT_EQ(match(":is(box p, #p2)"), "p2 p3");
  EXPECT_EQ(match(":where(#bx) p"), "p3");
  EXPECT_EQ(match("p:is(:nth-child(2), :last-child)"), "p1 p3");
}

TEST_F(Matching, EmptyAllowsWhitespace) {
  // Selectors 4 §14.2: whitespace text does not make an element non-empty; other text and any
  // element child do.
  a = test::make_article(E("article", {.id = "root"},
                           {E("body", {.id = "b"},
                              {E("p", {.id = "none"}), E("p", {.id = "ws"}, {T(" \n\t ")}),
                               E("p", {.id = "text"}, {T(" x ")}),
                               E("p", {.id = "elem"}, {E("br", {.id = "br"})})})}));
  EXPECT_EQ(match("p:empty"), "none ws");
  EXPECT_EQ(match(":empty"), "none ws br");
}

TEST(SelectorErrors, GarbageIsAWarningAndDropsTheList) {
  Diagnostics d;
  EXPECT_TRUE(parse("p, 12px", d).empty());
  EXPECT_EQ(test::formatted(d),
            std::vector<std::string>{
                "t.css:1:4: warning: expected a selector, found '12px' (rule ignored)"});
}

TEST(SelectorErrors, Messages) {
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
  EXPECT_EQ(one("p:has(.x)"),
            "t.css:1:2: warning: unsupported pseudo-class ':has()' (rule ignored)");
}

TEST(SelectorErrors, PseudoClassArguments) {
  const std::string hint = "\n  hint: write odd, even, 3, 2n+1 or -n+3";
  EXPECT_EQ(one("p:nth-child(2n+)"),
            "t.css:1:13: warning: invalid An+B '2n+' in ':nth-child()' (rule ignored)" + hint);
  EXPECT_EQ(one("p:nth-of-type(oddd)"),
            "t.css:1:15: warning: invalid An+B 'oddd' in ':nth-of-type()' (rule ignored)" + hint);
  EXPECT_EQ(one("p:nth-child()"),
            "t.css:1:3: warning: expected An+B in ':nth-child()' (rule ignored)" + hint);
  EXPECT_EQ(one("p:nth-child(of p)"),
            "t.css:1:3: warning: expected An+B in ':nth-child()' (rule ignored)" + hint);
  EXPECT_EQ(one("p:nth-child(2 of)"),
            "t.css:1:3: warning: expected a selector in ':nth-child()' (rule ignored)");
  EXPECT_EQ(one("p:nth-of-type(2 of .x)"),
            "t.css:1:17: warning: 'of' is allowed only in ':nth-child()' and "
            "':nth-last-child()' (rule ignored)");
  EXPECT_EQ(one("p:nth-child"), "t.css:1:2: warning: ':nth-child' needs an argument (rule "
                                "ignored)\n  hint: write ':nth-child(...)'");
  EXPECT_EQ(one("p:first-child(2)"), "t.css:1:2: warning: ':first-child' takes no argument "
                                     "(rule ignored)\n  hint: write ':first-child'");
  EXPECT_EQ(one("p:not()"), "t.css:1:3: warning: expected a selector in ':not()' (rule ignored)");
  EXPECT_EQ(one("p:not(.a,)"), "t.css:1:9: warning: expected a selector after ',' (rule ignored)");
  EXPECT_EQ(one("p:nth-child(2 of p, )"),
            "t.css:1:19: warning: expected a selector after ',' (rule ignored)");
  EXPECT_EQ(one("p:not(> p)"), "t.css:1:7: warning: expected a selector, found '>' (rule ignored)");
  EXPECT_EQ(one("p:is( )"), "t.css:1:3: warning: expected a selector in ':is()' (rule ignored)");
  EXPECT_EQ(one("p:not(p::first-line)"),
            "t.css:1:7: warning: a pseudo-element cannot be inside ':not()' (rule ignored)");
  EXPECT_EQ(one("p:not(:hover)"),
            "t.css:1:7: warning: unsupported pseudo-class ':hover' (rule ignored)");
  EXPECT_EQ(one("p:not(:frist-child)"), "t.css:1:7: warning: unknown pseudo-class "
                                        "':frist-child' (rule ignored)\n  hint: did you mean "
                                        "'first-child'?");
  EXPECT_EQ(one("p:nth-child(1 of :nth-child(2))"),
            "t.css:1:18: warning: ':nth-child()' inside the 'of' of ':nth-child()' is not "
            "supported (rule ignored)");
  EXPECT_EQ(one("p:nth-child(1 of :not(.x ~ p))"),
            "t.css:1:26: warning: '+' and '~' inside the 'of' of ':nth-child()' are not "
            "supported (rule ignored)");
  EXPECT_EQ(spec(":not(.x ~ p)"), Specificity::of(0, 1, 1));  // fine outside an 'of'
  EXPECT_EQ(one(":not(:not(:not(:not(:not(p)))))"),
            "t.css:1:22: warning: selectors nested more than 4 deep are not supported (rule "
            "ignored)");
  EXPECT_EQ(one("p:nht-child(2)"), "t.css:1:2: warning: unknown pseudo-class ':nht-child()' "
                                   "(rule ignored)\n  hint: did you mean 'nth-child'?");
}

TEST_F(Matching, IsAndWhereForgiveABadArgument) {
  // Selectors 4 §4.2: the bad selector is dropped from the list with a warning; the rule stays.
  Diagnostics d;
  auto list = parse("p:where(:frist-child, .lead), :is(:hover, box p,, #p2 ::first-line, )", d);
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(test::formatted(d),
            (std::vector<std::string>{
                "t.css:1:9: warning: unknown pseudo-class ':frist-child' (dropped from "
                "':where()')\n  hint: did you mean 'first-child'?",
                "t.css:1:35: warning: unsupported pseudo-class ':hover' (dropped from ':is()')",
                "t.css:1:49: warning: expected a selector before ',' (dropped from ':is()')",
                "t.css:1:51: warning: a pseudo-element cannot be inside ':is()' (dropped from "
                "':is()')",
                "t.css:1:67: warning: expected a selector after ',' (dropped from ':is()')"}));
  EXPECT_EQ(match("p:where(:frist-child, .lead), :is(:hover, box p,, #p2 ::first-line)"),
            "p1 p3");
  // Nothing left: :is() matches nothing, and :not() of it everything.
  EXPECT_EQ(match("p:is(:hover)"), "");
  EXPECT_EQ(match("p:not(:is(:hover))"), "p1 p2 p3");
  // A :not() inside :is() is dropped whole with its bad argument; outside, the rule goes.
  EXPECT_EQ(match(":is(:not(:hover), #p2)"), "p2");
}

TEST(SelectorErrors, BadAnPlusB) {
  // CSS Syntax 3 §6.2: no space inside "2n" or between '+' and n, one sign before b, integers.
  for (const char* arg : {"+ n", "2 n", "n +", "2n - -1", "2n + +1", "1.5n", "odd 1", "- n",
                          "n- +1", "3x", "+-n", "n-a", "--n", "2n1", "1.5", "n - 1.0", "even n",
                          "2n+1 2", "'2'", "#2"}) {
    Diagnostics d;
    EXPECT_TRUE(parse(std::string("p:nth-child(") + arg + ")", d).empty()) << arg;
    EXPECT_EQ(d.all().size(), 1u) << arg;
  }
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
