// Issue 3's properties, pseudo-elements, @page variants and margin boxes, @import and
// @font-face: each parsed and computed, each error and warning with its exact position.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::E;
using test::kEps;
using test::parse_messages;
using test::resolve;
using test::small_article;
using test::T;
using Msgs = std::vector<std::string>;
namespace fs = std::filesystem;

// A message starts with `prefix` (the rest is a hint or a long list).
#define EXPECT_PREFIX(msg, prefix)                                            \
  EXPECT_EQ(std::string(msg).substr(0, std::string(prefix).size()), std::string(prefix))

const ComputedStyle& p1(const test::Result& r) { return r.of("p1"); }

TEST(Typography, FontFeatureSettingsAndCaps) {
  auto r = resolve("p { font-feature-settings: \"liga\" off, \"ss01\", \"salt\" 2 }", small_article());
  EXPECT_EQ(p1(r).font_features, (std::vector<std::string>{"liga=0", "ss01", "salt=2"}));
  // Inherited by the <em> inside; caps come first, then the explicit settings.
  r = resolve("p { font-feature-settings: \"onum\"; font-variant-caps: all-small-caps }",
              small_article());
  EXPECT_EQ(r.of("e").font_features, (std::vector<std::string>{"smcp", "c2sc", "onum"}));
  EXPECT_EQ(r.of("e").font_variant_caps, FontVariantCaps::AllSmallCaps);
  EXPECT_TRUE(r.of("h").font_features.empty());
  r = resolve("p { font-variant-caps: small-caps }", small_article());
  EXPECT_EQ(p1(r).font_features, std::vector<std::string>{"smcp"});
  r = resolve("p { font-variant-caps: small-caps } em { font-feature-settings: normal }",
              small_article());
  EXPECT_EQ(r.of("e").font_features, std::vector<std::string>{"smcp"});
}

TEST(Typography, FontFeatureErrors) {
  EXPECT_PREFIX(parse_messages("p { font-feature-settings: liga }")[0],
            "t.css:1:28: warning: invalid value for 'font-feature-settings': 'liga' (a feature "
            "tag is a quoted");
  EXPECT_PREFIX(parse_messages("p {\n  font-feature-settings: \"ligature\";\n}")[0],
            "t.css:2:26: warning: invalid value for 'font-feature-settings': '\"ligature\"' "
            "('ligature' is not a four-letter OpenType feature tag)");
  EXPECT_EQ(parse_messages("p { font-variant-caps: smallcaps }")[0],
            "t.css:1:24: warning: invalid value for 'font-variant-caps': 'smallcaps' (did you "
            "mean 'small-caps'?)\n  hint: expected normal, small-caps, all-small-caps, "
            "petite-caps, all-petite-caps, unicase or titling-caps");
}

TEST(Typography, WordSpacingAndAlignLast) {
  auto r = resolve("p { font-size: 10pt; word-spacing: 0.2em; text-align-last: center }",
                   small_article());
  EXPECT_NEAR(p1(r).word_spacing.v, 2, kEps);
  EXPECT_EQ(p1(r).text_align_last, TextAlignLast::Center);
  EXPECT_NEAR(r.of("e").word_spacing.v, 2, kEps);  // inherited as a length
  r = resolve("p { word-spacing: normal; text-align-last: end }", small_article());
  EXPECT_NEAR(p1(r).word_spacing.v, 0, kEps);
  EXPECT_EQ(p1(r).text_align_last, TextAlignLast::Right);
  EXPECT_EQ(r.of("h").text_align_last, TextAlignLast::Auto);
  EXPECT_PREFIX(parse_messages("p { text-align-last: middle }")[0],
            "t.css:1:22: warning: invalid value for 'text-align-last': 'midd");
}

TEST(Breaking, HyphensWidowsOrphansBreaks) {
  auto r = resolve(
      "article { hyphens: auto; hyphenate-limit-chars: 6 3; hyphenate-limit-lines: 3;"
      " widows: 3; orphans: 4 }"
      "p { break-before: column; break-after: avoid-page; break-inside: avoid }",
      small_article());
  const ComputedStyle& s = p1(r);
  EXPECT_EQ(s.hyphens, Hyphens::Auto);
  EXPECT_EQ(s.hyphenate_word_min, 6);
  EXPECT_EQ(s.hyphenate_before_min, 3);
  EXPECT_EQ(s.hyphenate_after_min, 3);  // a missing third value is the second
  EXPECT_EQ(s.hyphenate_limit_lines, 3);
  EXPECT_EQ(s.widows, 3);
  EXPECT_EQ(s.orphans, 4);
  EXPECT_EQ(s.break_before, BreakValue::Column);
  EXPECT_EQ(s.break_after, BreakValue::Avoid);
  EXPECT_EQ(s.break_inside, BreakValue::Avoid);
  EXPECT_EQ(r.of("b").break_before, BreakValue::Auto);  // not inherited
  r = resolve("p { hyphenate-limit-chars: auto auto 4; hyphenate-limit-lines: no-limit;"
              " break-before: right }", small_article());
  EXPECT_EQ(p1(r).hyphenate_word_min, 5);
  EXPECT_EQ(p1(r).hyphenate_before_min, 2);
  EXPECT_EQ(p1(r).hyphenate_after_min, 4);
  EXPECT_EQ(p1(r).hyphenate_limit_lines, 1 << 30);  // no-limit: more than any paragraph has
  EXPECT_EQ(p1(r).break_before, BreakValue::Page);
  EXPECT_EQ(parse_messages("p { widows: 0 }")[0],
            "t.css:1:13: warning: invalid value for 'widows': '0' (the smallest value is 1)\n"
            "  hint: expected a whole number of 1 or more");
  EXPECT_PREFIX(parse_messages("p { orphans: 1.5 }")[0],
            "t.css:1:14: warning: invalid value for 'orphans': '1.5' (expected a whole numb");
  EXPECT_PREFIX(parse_messages("p { break-inside: page }")[0],
            "t.css:1:19: warning: invalid value for 'break-inside': 'page'");
}

TEST(Breaking, TrangProperties) {
  auto r = resolve("p { -trang-line-breaking: greedy; -trang-protrusion: auto;"
                   " -trang-font-expansion: auto; -trang-diacritic-clearance: warn }",
                   small_article());
  EXPECT_EQ(p1(r).line_breaking, LineBreaking::Greedy);
  EXPECT_TRUE(p1(r).protrusion);
  EXPECT_DOUBLE_EQ(p1(r).expansion, 0.02);
  EXPECT_FALSE(p1(r).clear_diacritics);
  EXPECT_TRUE(r.of("e").protrusion);  // inherited
  EXPECT_FALSE(r.of("h").protrusion);
  EXPECT_PREFIX(parse_messages("p { -trang-line-breaking: knuth }")[0],
            "t.css:1:27: warning: invalid value for '-trang-line-breaking': 'knuth'");
}

TEST(Boxes, ColorsBordersPadding) {
  auto r = resolve(
      "p { color: #ff0000; background-color: cmyk(0.1, 0, 0, 0); border: 1pt solid;"
      " border-left: 3pt dashed blue; padding: 2mm 4pt; font-size: 10pt }",
      small_article());
  const ComputedStyle& s = p1(r);
  EXPECT_TRUE(s.has_background);
  EXPECT_EQ(s.background_color, Color::cmyk(0.1f, 0, 0, 0));
  EXPECT_NEAR(s.border_top.width.v, 1, kEps);
  EXPECT_EQ(s.border_top.style, RuleStyle::Solid);
  EXPECT_EQ(s.border_top.color, Color::rgb(1, 0, 0));  // currentcolor
  EXPECT_NEAR(s.border_left.width.v, 3, kEps);
  EXPECT_EQ(s.border_left.style, RuleStyle::Dashed);
  EXPECT_EQ(s.border_left.color, Color::rgb(0, 0, 1));
  EXPECT_NEAR(s.padding_top.v, 72 / 25.4 * 2, 1e-4);
  EXPECT_NEAR(s.padding_right.v, 4, kEps);
  EXPECT_NEAR(s.padding_left.v, 4, kEps);
  EXPECT_FALSE(r.of("e").has_background);  // not inherited
  EXPECT_NEAR(r.of("e").padding_top.v, 0, kEps);
  r = resolve("p { border-width: 1pt 2pt; border-style: solid none; border-color: red;"
              " background: transparent }", small_article());
  EXPECT_NEAR(p1(r).border_top.width.v, 1, kEps);
  EXPECT_NEAR(p1(r).border_bottom.width.v, 1, kEps);
  EXPECT_NEAR(p1(r).border_right.width.v, 0, kEps);  // style none: used width 0
  EXPECT_FALSE(p1(r).border_right.visible());
  EXPECT_FALSE(p1(r).has_background);
  EXPECT_EQ(parse_messages("p {\n  padding: -1pt;\n}")[0],
            "t.css:2:12: warning: invalid value for 'padding': '-1pt' (a padding cannot be "
            "negative)\n  hint: expected one to four lengths (top, right, bottom, left)");
  EXPECT_PREFIX(parse_messages("p { border: 1pt solid red blue }")[0],
            "t.css:1:13: warning: invalid value for 'border': '1pt solid re");
}

TEST(Colors, SpotColorWithFallback) {
  auto r = resolve("p { color: spot(\"PANTONE 185 C\", cmyk(0, .91, .76, 0)) }", small_article());
  EXPECT_EQ(p1(r).color.space, Color::Space::Cmyk);
  EXPECT_EQ(p1(r).color.spot, "PANTONE 185 C");
  EXPECT_NEAR(p1(r).color.c[1], 0.91, 1e-6);
  EXPECT_EQ(r.of("e").color.spot, "PANTONE 185 C");
  EXPECT_PREFIX(parse_messages("p { color: spot(\"X\", #ff0000) }")[0],
            "t.css:1:12: warning: invalid value for 'color': 'spot(\"X\", #ff0000)' (the "
            "fallback of a spot colour must be cmyk())");
  EXPECT_PREFIX(parse_messages("p { color: spot(X) }")[0],
            "t.css:1:12: warning: invalid value for 'color': 'spot(X)' (spot() takes an ink "
            "name in quotes and a c");
}

TEST(Figures, WidthFloatSpanBleed) {
  auto r = resolve("p { width: 60%; float: top; column-span: 2; -trang-bleed: left top }",
                   small_article());
  EXPECT_EQ(p1(r).width_kind, ComputedStyle::WidthKind::Percent);
  EXPECT_NEAR(p1(r).width_percent, 60, kEps);
  EXPECT_EQ(p1(r).float_, Float::Top);
  EXPECT_EQ(p1(r).column_span, 2);
  EXPECT_FALSE(p1(r).column_span_all);
  EXPECT_EQ(p1(r).bleed, kBleedLeft | kBleedTop);
  r = resolve("p { width: 40mm; float: bottom; column-span: all; -trang-bleed: all }",
              small_article());
  EXPECT_EQ(p1(r).width_kind, ComputedStyle::WidthKind::Length);
  EXPECT_NEAR(p1(r).width.v, 40 * 72 / 25.4, 1e-4);
  EXPECT_EQ(p1(r).float_, Float::Bottom);
  EXPECT_TRUE(p1(r).column_span_all);
  EXPECT_EQ(p1(r).bleed, kBleedLeft | kBleedRight | kBleedTop | kBleedBottom);
  EXPECT_EQ(r.of("e").float_, Float::None);
  EXPECT_PREFIX(parse_messages("p { float: right }")[0],
            "t.css:1:12: warning: invalid value for 'float': 'right' ('rig");
  EXPECT_PREFIX(parse_messages("p { -trang-bleed: left left }")[0],
            "t.css:1:19: warning: invalid value for '-trang-bleed': 'left left' (a side is na");
  EXPECT_PREFIX(parse_messages("p { column-span: 0 }")[0],
            "t.css:1:18: warning: invalid value for 'column-span': '0' (the number of columns "
            "is a whole num");
}

TEST(GeneratedContent, StringSet) {
  auto r = resolve("headline { string-set: title content(text), kind \"tin\" attr(id) }",
                   small_article());
  const auto& ss = r.of("h").string_set;
  ASSERT_EQ(ss.size(), 2u);
  EXPECT_EQ(ss[0].name, "title");
  ASSERT_EQ(ss[0].value.size(), 1u);
  EXPECT_EQ(ss[0].value[0].kind, ContentItem::Kind::ElementText);
  EXPECT_EQ(ss[1].name, "kind");
  ASSERT_EQ(ss[1].value.size(), 2u);
  EXPECT_EQ(ss[1].value[0].value, "tin");
  EXPECT_EQ(ss[1].value[1].kind, ContentItem::Kind::Attr);
  EXPECT_TRUE(r.of("p1").string_set.empty());
  EXPECT_PREFIX(parse_messages("p { string-set: x counter(page) }")[0],
            "t.css:1:17: warning: invalid value for 'string-set': 'x counter(page)' (counter() "
            "is not available in string-");
  EXPECT_PREFIX(parse_messages("p { string-set: x }")[0],
            "t.css:1:17: warning: invalid value for 'string-set': 'x' ('x' needs a value, e.g. "
            "cont");
}

TEST(Page, BleedMarksGrid) {
  auto r = resolve("@page { bleed: 3mm; marks: crop cross; -trang-baseline-grid: 12.5pt }",
                   small_article());
  EXPECT_NEAR(r.doc.page.bleed.v, 3 * 72 / 25.4, 1e-4);
  EXPECT_TRUE(r.doc.page.crop_marks);
  EXPECT_TRUE(r.doc.page.cross_marks);
  EXPECT_NEAR(r.doc.page.baseline_grid.v, 12.5, kEps);
  r = resolve("@page { marks: crop }", small_article());
  EXPECT_NEAR(r.doc.page.bleed.v, 6, kEps);  // bleed: auto with crop marks
  EXPECT_FALSE(r.doc.page.cross_marks);
  r = resolve("@page { marks: none }", small_article());
  EXPECT_NEAR(r.doc.page.bleed.v, 0, kEps);
  EXPECT_FALSE(r.doc.page.crop_marks);
  r = resolve("body { column-fill: auto }", small_article());
  EXPECT_FALSE(r.doc.page.column_fill_balance);
  EXPECT_PREFIX(parse_messages("@page { marks: crop crop }")[0],
            "t.css:1:16: warning: invalid value for 'marks': 'crop c");
  EXPECT_EQ(parse_messages("p { bleed: 3mm }")[0],
            "t.css:1:5: warning: property 'bleed' applies only in @page (ignored)\n"
            "  hint: move it into an @page { ... } rule");
}

TEST(Page, FirstLeftRightAndMarginBoxes) {
  auto r = resolve(
      "@page { margin: 10mm; @top-center { content: string(section); font-size: 8pt }\n"
      "        @bottom-right { content: counter(page) \" / \" counter(pages, upper-roman) } }\n"
      "@page :first { margin-top: 30mm; @top-center { content: none } }\n"
      "@page :left { marks: crop; @bottom-right { content: none }\n"
      "              @bottom-left { content: \"p. \" counter(page); color: red } }\n",
      small_article());
  const StyledDocument& d = r.doc;
  EXPECT_NEAR(d.page.margin_top.v, mm(10).v, 1e-6);
  EXPECT_NEAR(d.first_page.margin_top.v, mm(30).v, 1e-6);
  EXPECT_NEAR(d.left_page.margin_top.v, mm(10).v, 1e-6);
  ASSERT_EQ(d.page.margin_boxes.size(), 2u);
  EXPECT_EQ(d.page.margin_boxes[0].pos, MarginBoxPos::TopCenter);
  EXPECT_EQ(d.page.margin_boxes[0].content[0].kind, ContentItem::Kind::String);
  EXPECT_EQ(d.page.margin_boxes[0].content[0].value, "section");
  EXPECT_NEAR(d.page.margin_boxes[0].style.font_size.v, 8, kEps);
  EXPECT_EQ(d.page.margin_boxes[0].style.text_align, TextAlign::Center);
  const MarginBox& folio = d.page.margin_boxes[1];
  EXPECT_EQ(folio.pos, MarginBoxPos::BottomRight);
  EXPECT_EQ(folio.style.text_align, TextAlign::Right);
  ASSERT_EQ(folio.content.size(), 3u);
  EXPECT_EQ(folio.content[0].kind, ContentItem::Kind::CounterPage);
  EXPECT_EQ(folio.content[1].value, " / ");
  EXPECT_EQ(folio.content[2].kind, ContentItem::Kind::CounterPages);
  EXPECT_EQ(folio.content[2].counter_style, CounterStyle::UpperRoman);
  // :first drops the running head; page 1 is a right page, so it keeps the folio.
  ASSERT_EQ(d.first_page.margin_boxes.size(), 1u);
  EXPECT_EQ(d.first_page.margin_boxes[0].pos, MarginBoxPos::BottomRight);
  // :left: its own folio on the left, in red, and crop marks.
  ASSERT_EQ(d.left_page.margin_boxes.size(), 2u);
  EXPECT_EQ(d.left_page.margin_boxes[1].pos, MarginBoxPos::BottomLeft);
  EXPECT_EQ(d.left_page.margin_boxes[1].style.color, Color::rgb(1, 0, 0));
  EXPECT_TRUE(d.left_page.crop_marks);
  EXPECT_FALSE(d.right_page.crop_marks);
  EXPECT_EQ(d.right_page.margin_boxes.size(), 2u);
  EXPECT_TRUE(r.diags.all().empty());
}

TEST(Page, MarginBoxErrors) {
  EXPECT_PREFIX(parse_messages("@page {\n  @top-left { content: counter(chapter) }\n}")[0]
                ,
            "t.css:2:24: warning: invalid value for 'content': 'counter(chapter)' (margin "
            "boxes count pages: counter(page) and counter(pages))");
  EXPECT_PREFIX(parse_messages("@page { @top-left { margin: 0 } }")[0],
            "t.css:1:21: warning: property 'margin' does not apply in a page margin box (ign");
  EXPECT_PREFIX(parse_messages("@page { @top-left { content: string(x, middle) } }")[0],
            "t.css:1:30: warning: invalid value for 'content': 'string(x, middle)' (expected "
            "first, start, last");
}

TEST(PseudoElements, FirstLetterAndFirstLine) {
  auto r = resolve(
      "p { font-size: 10pt; color: blue }\n"
      "p:first-child::first-letter { initial-letter: 3; color: red; font-weight: bold }\n"
      "p::first-line { font-variant-caps: small-caps }\n"
      "p:first-letter { initial-letter: 2 1 }\n",  // CSS 2 single colon; less specific
      small_article());
  const model::Node* p = test::find_id(r.article.root, "p1");
  ASSERT_TRUE(r.doc.first_letter.count(p->index));
  const ComputedStyle& fl = r.doc.first_letter.at(p->index);
  EXPECT_NEAR(fl.initial_letter, 3, kEps);
  EXPECT_EQ(fl.initial_letter_sink, 3);
  EXPECT_EQ(fl.color, Color::rgb(1, 0, 0));
  EXPECT_EQ(fl.font_weight, 700);
  EXPECT_NEAR(fl.font_size.v, 10, kEps);  // inherited from its paragraph
  // The element itself is untouched.
  EXPECT_EQ(r.of("p1").color, Color::rgb(0, 0, 1));
  EXPECT_EQ(r.of("p1").font_weight, 400);
  const model::Node* p2 = test::find_id(r.article.root, "p2");
  ASSERT_TRUE(r.doc.first_letter.count(p2->index));
  EXPECT_NEAR(r.doc.first_letter.at(p2->index).initial_letter, 2, kEps);
  EXPECT_EQ(r.doc.first_letter.at(p2->index).initial_letter_sink, 1);
  ASSERT_TRUE(r.doc.first_line.count(p->index));
  EXPECT_EQ(r.doc.first_line.at(p->index).font_features, std::vector<std::string>{"smcp"});
  EXPECT_FALSE(r.doc.first_line.count(test::find_id(r.article.root, "h")->index));
  EXPECT_PREFIX(parse_messages("p::first-letter { initial-letter: 0 }")[0],
            "t.css:1:35: warning: invalid value for 'initial-letter': '0' (the size is a number "
            "of lines");
}

// Files for @import and @font-face, in a fresh folder.
class Files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trang-style-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  // Parses `file`, returns the messages with the folder replaced by "D".
  Msgs parse(const std::string& file, Stylesheet* out = nullptr,
             const std::string& article = {}, Diagnostics* keep = nullptr) {
    Diagnostics d;
    std::ifstream in(file, std::ios::binary);
    std::string css((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Stylesheet s = parse_stylesheet(css, file, d, article);
    if (keep) *keep = d;
    Msgs m;
    for (const std::string& x : test::formatted(d)) {
      std::string y = x;
      for (size_t at; (at = y.find(dir_.string())) != std::string::npos;)
        y.replace(at, dir_.string().size(), "D");
      m.push_back(y);
    }
    if (out) *out = std::move(s);
    return m;
  }
  fs::path dir_;
};

TEST_F(Files, ImportRelativeAndInOrder) {
  write("sub/colors.css", "p { color: red; font-size: 8pt }\n");
  write("base.css", "@import url(\"sub/colors.css\");\np { color: blue }\n");
  std::string main = write("main.css", "@import \"base.css\";\nem { color: green }\n");
  Stylesheet s;
  EXPECT_EQ(parse(main, &s), Msgs{});
  EXPECT_EQ(stylesheet_files(s).size(), 3u);
  test::Result r;
  r.article = small_article();
  r.doc = resolve_styles(r.article, {&s}, r.diags);
  EXPECT_EQ(r.of("p1").color, Color::rgb(0, 0, 1));  // base.css comes after what it imports
  EXPECT_NEAR(r.of("p1").font_size.v, 8, kEps);
  EXPECT_EQ(r.of("e").color, Color::rgb(0, static_cast<float>(128 / 255.0), 0));
}

TEST_F(Files, ImportErrors) {
  write("a.css", "@import \"b.css\";\n");
  write("b.css", "p { color: red }\n@import \"a.css\";\n");  // too late: ignored, no cycle
  EXPECT_EQ(parse(write("m.css", "@import \"a.css\";\n")),
            Msgs{"D/b.css:2:1: warning: @import after other rules is ignored (CSS Cascade 4 "
                 "§2.1)\n  hint: move it to the top of the stylesheet"});
  write("c.css", "@import \"d.css\";\n");
  write("d.css", "@import 'c.css';\n");
  EXPECT_EQ(parse((dir_ / "c.css").string()),
            Msgs{"D/d.css:1:9: error: @import cycle: c.css -> d.css -> c.css\n"
                 "  hint: a stylesheet cannot import itself, directly or through others"});
  std::string sub = write("sub/x.css", "@import \"../../outside.css\";\n");
  EXPECT_PREFIX(parse(sub)[0],
            "D/sub/x.css:1:9: error: cannot import '../../outside.css' is outside the stylesheet");
  EXPECT_EQ(parse(write("n.css", "\n  @import \"nope.css\";")),
            Msgs{"D/n.css:2:11: error: cannot import 'nope.css': no such file"});
}

TEST_F(Files, FontFace) {
  fs::copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", dir_ / "sub" / "My.ttf");
  Stylesheet s;
  EXPECT_EQ(parse(write("f.css", "@font-face {\n  font-family: \"My Sans\";\n"
                                 "  src: url(sub/My.ttf) format(\"truetype\");\n"
                                 "  font-weight: bold;\n  font-style: italic;\n}\n"),
                  &s),
            Msgs{});
  ASSERT_EQ(font_faces(s).size(), 1u);
  const FontFace& f = font_faces(s)[0];
  EXPECT_EQ(f.family, "My Sans");
  EXPECT_EQ(f.weight, 700);
  EXPECT_TRUE(f.italic);
  ASSERT_EQ(f.sources.size(), 1u);
  EXPECT_EQ(f.sources[0].path, (dir_ / "sub" / "My.ttf").string());
  EXPECT_EQ(f.pos.line, 3);
  EXPECT_EQ(f.pos.col, 8);
  EXPECT_EQ(parse(write("g.css", "@font-face { font-family: X;\n src: url(missing.ttf) }")),
            Msgs{"D/g.css:2:7: error: font file 'missing.ttf': no such file"});
  EXPECT_EQ(parse(write("h.css", "@font-face { src: url(sub/My.ttf) }")),
            Msgs{"D/h.css:1:1: error: @font-face without font-family (ignored)"});
  EXPECT_PREFIX(parse(write("i.css", "@font-face { font-family: X; src: url(/etc/passwd) }"))[0],
                "D/i.css:1:35: error: font file '/etc/passwd' is outside the stylesheet's fold");
  Diagnostics codes;
  parse(write("k.css", "@font-face { font-family: X; src: url(/etc/passwd) }"), nullptr, {},
        &codes);
  ASSERT_EQ(codes.all().size(), 1u);
  EXPECT_EQ(codes.all()[0].code, "css-file-outside");
  EXPECT_EQ(parse(write("j.css", "@font-face { font-family: X; src: url(sub/My.ttf); "
                                 "font-wieght: 700 }")),
            Msgs{"D/j.css:1:52: warning: unknown @font-face descriptor 'font-wieght' (ignored)\n"
                 "  hint: did you mean 'font-weight'?"});
}

}  // namespace
}  // namespace trang::style

namespace trang::style {
namespace {

// CSS Fonts 4 §4.3: src is a list of alternatives; local() names an installed face.
TEST_F(Files, FontFaceLocalAndAlternatives) {
  fs::copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", dir_ / "sub" / "My.ttf");
  Stylesheet s;
  EXPECT_EQ(parse(write("f.css", "@font-face {\n  font-family: Mine;\n"
                                 "  src: local(\"DejaVu Sans Bold\"), local(Foo Bar),\n"
                                 "       url(sub/My.ttf) format(\"truetype\");\n}\n"),
                  &s),
            Msgs{});
  ASSERT_EQ(font_faces(s).size(), 1u);
  const FontFace& f = font_faces(s)[0];
  ASSERT_EQ(f.sources.size(), 3u);
  EXPECT_EQ(f.sources[0].local, "DejaVu Sans Bold");
  EXPECT_EQ(f.sources[1].local, "Foo Bar");
  EXPECT_EQ(f.sources[2].path, (dir_ / "sub" / "My.ttf").string());
  EXPECT_EQ(f.sources[2].pos.line, 4);
  EXPECT_EQ(parse(write("g.css", "@font-face { font-family: X; src: local() }")),
            Msgs{"D/g.css:1:35: error: local() needs a font's full name\n"
                 "  hint: e.g. local(\"Noto Serif Bold\")"});
}

// The project: fonts/ beside css/ is usable when the article lies in the project, and never
// what is outside it.
TEST_F(Files, FontsBesideTheCssFolder) {
  fs::create_directories(dir_ / "css");
  fs::create_directories(dir_ / "fonts");
  fs::copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", dir_ / "fonts" / "My.ttf");
  std::string article = write("a.xml", "<article/>");
  std::string sheet =
      write("css/s.css", "@font-face { font-family: Mine; src: url(../fonts/My.ttf) }\n");
  Stylesheet s;
  EXPECT_EQ(parse(sheet, &s, article), Msgs{});
  ASSERT_EQ(font_faces(s).size(), 1u);
  EXPECT_EQ(font_faces(s)[0].sources[0].path, (dir_ / "fonts" / "My.ttf").string());
  // Without the article the project is the sheet's folder alone.
  EXPECT_PREFIX(parse(sheet)[0],
                "D/css/s.css:1:38: error: font file '../fonts/My.ttf' is outside the "
                "stylesheet's folder");
  // With it, still nothing outside the project.
  std::string out = write("css/t.css", "@font-face { font-family: X; src: url(../../x.ttf) }");
  EXPECT_PREFIX(parse(out, nullptr, article)[0],
                "D/css/t.css:1:35: error: font file '../../x.ttf' is outside the project's "
                "folders");
}

// A sheet named without a folder ("s.css") resolves against the working directory: a
// missing file is "no such file", not "outside".
TEST_F(Files, MissingFileOfASheetWithoutAFolder) {
  std::string sheet = write("s.css", "@import \"nope.css\";\n");
  fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  Diagnostics d;
  parse_stylesheet("@import \"nope.css\";\n@font-face { font-family: X; src: url(no.ttf) }",
                   "s.css", d);
  fs::current_path(cwd);
  EXPECT_EQ(test::formatted(d),
            (Msgs{"s.css:1:9: error: cannot import 'nope.css': no such file",
                  "s.css:2:35: error: font file 'no.ttf': no such file"}));
  ASSERT_EQ(d.all().size(), 2u);
  EXPECT_EQ(d.all()[0].code, "css-file-not-found");
}

}  // namespace
}  // namespace trang::style
