// Colours with an alpha (CSS Color 4 §4.2, §5.2, §6.2, §7) and `opacity` (§14.1): every
// syntax, out-of-range values clamped, bad forms warned with their position, and opacity
// carried into the painted colours of the element and what is inside it.
#include <gtest/gtest.h>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::E;
using test::T;

// article > body > box#x > (p#p > (T, em#e > T)); `decls` on #x, `extra` rules after.
test::Result on_box(const std::string& decls, const std::string& extra = "") {
  auto a = test::make_article(E(
      "article", {E("body", {E("box", {.id = "x"},
                               {E("p", {.id = "p"}, {T("x"), E("em", {.id = "e"}, {T("y")})})})})}));
  return test::resolve("box { " + decls + " }\n" + extra, std::move(a));
}

Color color(const std::string& value) {
  auto r = on_box("color: " + value);
  EXPECT_EQ(test::formatted(r.diags), std::vector<std::string>{}) << value;
  return r.of("x").color;
}

Color with_alpha(Color c, float a) {
  c.alpha = a;
  return c;
}

TEST(Alpha, EverySyntax) {
  const Color half_red = with_alpha(Color::rgb(1, 0, 0), 0.5f);
  EXPECT_EQ(color("rgba(255, 0, 0, 0.5)"), half_red);
  EXPECT_EQ(color("rgba(255, 0, 0, 50%)"), half_red);
  EXPECT_EQ(color("rgb(255, 0, 0, .5)"), half_red);      // rgb() takes an alpha too
  EXPECT_EQ(color("rgb(255 0 0 / 0.5)"), half_red);      // the modern syntax
  EXPECT_EQ(color("rgba(100% 0% 0% / 50%)"), half_red);  // and rgba() spelled that way
  EXPECT_EQ(color("hsl(0 100% 50% / .5)"), half_red);
  EXPECT_EQ(color("hsla(0, 100%, 50%, 0.5)"), half_red);
  EXPECT_EQ(color("hsl(0deg 100 50 / 0.5)"), half_red);  // numbers for s and l (modern)
  EXPECT_EQ(color("#ff000080"), with_alpha(Color::rgb(1, 0, 0), 128 / 255.0f));
  EXPECT_EQ(color("#F008"), with_alpha(Color::rgb(1, 0, 0), 0x88 / 255.0f));
  EXPECT_EQ(color("transparent"), with_alpha(Color::rgb(0, 0, 0), 0));
  EXPECT_EQ(color("device-cmyk(0 1 1 0 / 0.25)"), with_alpha(Color::cmyk(0, 1, 1, 0), 0.25f));
  EXPECT_EQ(color("rgb(255 0 0 / none)"), with_alpha(Color::rgb(1, 0, 0), 0));
  // An alpha of 1 is an opaque colour, equal to one written without it.
  EXPECT_EQ(color("rgba(255, 0, 0, 1)"), Color::rgb(1, 0, 0));
  EXPECT_EQ(color("#ff0000ff"), Color::rgb(1, 0, 0));
}

TEST(Alpha, OutOfRangeIsClamped) {
  EXPECT_EQ(color("rgba(300, -5, 0, 2)"), Color::rgb(1, 0, 0));
  EXPECT_EQ(color("rgb(255 0 0 / -1)"), with_alpha(Color::rgb(1, 0, 0), 0));
  EXPECT_EQ(color("rgb(255 0 0 / 150%)"), Color::rgb(1, 0, 0));
  EXPECT_EQ(color("hsl(0 150% 50% / 0.5)"), with_alpha(Color::rgb(1, 0, 0), 0.5f));
}

TEST(Alpha, BadFormsWarnWithPosition) {
  auto msgs = [](const std::string& value) {
    auto r = on_box("color: " + value);
    auto f = test::formatted(r.diags);
    return f.empty() ? std::string() : f[0].substr(0, f[0].find('\n'));
  };
  EXPECT_EQ(msgs("rgba(255, 0, 0, half)"),
            "t.css:1:14: warning: invalid value for 'color': 'rgba(255, 0, 0, half)' (the alpha "
            "is a number from 0 to 1 or a percentage)");
  EXPECT_EQ(msgs("rgb(255 0 0 /)"),
            "t.css:1:14: warning: invalid value for 'color': 'rgb(255 0 0 /)' (malformed rgb())");
  EXPECT_EQ(msgs("rgb(255 0 0 / .5 / .5)"),
            "t.css:1:14: warning: invalid value for 'color': 'rgb(255 0 0 / .5 / .5)' "
            "(malformed rgb())");
  EXPECT_EQ(msgs("#ff00008"),
            "t.css:1:14: warning: invalid value for 'color': '#ff00008' (a hex colour has 3, 4, "
            "6 or 8 digits)");
  EXPECT_EQ(msgs("hsla(red, 100%, 50%, .5)"),
            "t.css:1:14: warning: invalid value for 'color': 'hsla(red, 100%, 50%, .5)' (the "
            "hue is a number of degrees or an angle)");
  // A rejected colour leaves the one before it in force.
  auto r = on_box("color: blue; color: rgba(255, 0, 0, half)");
  EXPECT_EQ(r.of("x").color, Color::rgb(0, 0, 1));
}

TEST(Opacity, ParsedClampedAndWarned) {
  EXPECT_DOUBLE_EQ(on_box("opacity: 0.25").of("x").opacity, 0.25);
  EXPECT_DOUBLE_EQ(on_box("opacity: 40%").of("x").opacity, 0.4);
  EXPECT_DOUBLE_EQ(on_box("").of("x").opacity, 1);
  auto high = on_box("opacity: 150%");
  EXPECT_DOUBLE_EQ(high.of("x").opacity, 1);
  EXPECT_EQ(test::formatted(high.diags),
            std::vector<std::string>{"t.css:1:16: warning: out-of-range value for 'opacity': "
                                     "150% (clamped to 100%)"});
  auto low = on_box("opacity: -2");
  EXPECT_DOUBLE_EQ(low.of("x").opacity, 0);
  auto bad = on_box("opacity: half");
  EXPECT_DOUBLE_EQ(bad.of("x").opacity, 1);
  ASSERT_EQ(bad.diags.all().size(), 1u);
  EXPECT_EQ(test::formatted(bad.diags)[0].substr(0, 56),
            "t.css:1:16: warning: invalid value for 'opacity': 'half'");
}

// CSS Color 4 §14.1: opacity applies to the element and everything inside it, so what is
// painted carries the product of the element's and its ancestors' opacity; an inherited
// colour's own alpha counts once.
TEST(Opacity, PaintedIntoTheElementAndItsContent) {
  auto r = on_box("opacity: .5; color: rgba(0, 0, 255, .5); background-color: red; "
                  "border-top: 1pt solid green",
                  "em { opacity: .5 } p { background-color: #00f }");
  const ComputedStyle& box = r.of("x");
  EXPECT_DOUBLE_EQ(box.opacity, 0.5);
  EXPECT_FLOAT_EQ(box.color.alpha, 0.25f);
  EXPECT_FLOAT_EQ(box.background_color.alpha, 0.5f);
  EXPECT_FLOAT_EQ(box.border_top.color.alpha, 0.5f);
  const ComputedStyle& p = r.of("p");  // inside the box: its background fades with it
  EXPECT_DOUBLE_EQ(p.opacity, 0.5);
  EXPECT_FLOAT_EQ(p.color.alpha, 0.25f);  // inherited rgba(.5), painted at .5, not .125
  EXPECT_FLOAT_EQ(p.background_color.alpha, 0.5f);
  const ComputedStyle& em = r.of("e");
  EXPECT_DOUBLE_EQ(em.opacity, 0.25);
  EXPECT_FLOAT_EQ(em.color.alpha, 0.125f);
  // A colour set inside the faded box is faded with it.
  auto r2 = on_box("opacity: .5", "p { color: red }");
  EXPECT_EQ(r2.of("p").color, with_alpha(Color::rgb(1, 0, 0), 0.5f));
}

TEST(Opacity, TransparentBackgroundIsNone) {
  EXPECT_FALSE(on_box("background-color: transparent").of("x").has_background);
  EXPECT_FALSE(on_box("background-color: rgb(255 0 0 / 0)").of("x").has_background);
  EXPECT_TRUE(on_box("background-color: rgb(255 0 0 / 0.1)").of("x").has_background);
}

}  // namespace
}  // namespace trang::style
