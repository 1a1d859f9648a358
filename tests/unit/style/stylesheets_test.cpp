// The ready stylesheets: the embedded default and stylesheets/*.css parse with no diagnostic
// and give the documented look.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "style_test_util.h"

namespace trang::style {
namespace {

using test::E;
using test::T;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every element of the article model, in a typical arrangement.
model::Article full_article() {
  return test::make_article(E(
      "article", {.id = "root"},
      {E("kicker", {.id = "kicker"}, {T("Thành ủy Cần Thơ")}),
       E("headline", {.id = "headline"}, {T("Ban Chỉ đạo 35")}),
       E("lead", {.id = "lead"}, {T("Sapo")}),
       E("dateline", {.id = "dateline"}, {T("Cần Thơ, 20/11")}),
       E("body", {.id = "body"},
         {E("figure", {.id = "figure"},
            {E("image", {.id = "image", .other = {{"src", "a.jpg"}}}),
             E("caption", {.id = "caption"}, {T("Quang cảnh hội nghị")}),
             E("credit", {.id = "credit"}, {T("Ảnh: Sen Hồng")})}),
          E("p", {.id = "p1"}, {T("Theo "), E("em", {.id = "em"}, {T("báo cáo")}), T(" của "),
                                E("strong", {.id = "strong"}, {T("Ban")}), E("br", {.id = "br"}),
                                E("a", {.id = "a", .other = {{"href", "x"}}}, {T("link")})}),
          E("p", {.id = "p2"}, {T("Đối với")}),
          E("subhead", {.id = "subhead"}, {T("Nhiệm vụ")}),
          E("p", {.id = "p3"}, {T("Một là")}),
          E("pullquote", {.id = "pullquote"}, {T("Trích")}),
          E("list", {.id = "list"}, {E("item", {.id = "item"}, {T("a")})}),
          E("box", {.id = "box"}, {E("title", {.id = "title"}, {T("T")}),
                                   E("p", {.id = "boxp"}, {T("b")})})}),
       E("byline", {.id = "byline"}, {T("Tin, ảnh: Sen Hồng")})}));
}

TEST(DefaultStylesheet, IsEmbeddedAndMatchesTheFile) {
  EXPECT_FALSE(default_stylesheet_text().empty());
  EXPECT_EQ(default_stylesheet_text(),
            read(std::string(TRANG_SOURCE_DIR) + "/stylesheets/default.css"));
}

TEST(DefaultStylesheet, ParsesWithNoDiagnostics) {
  Diagnostics d;
  parse_stylesheet(default_stylesheet_text(), "default.css", d);
  EXPECT_EQ(test::formatted(d), std::vector<std::string>{});
}

TEST(DefaultStylesheet, ResolvesWithNoDiagnostics) {
  auto r = test::resolve(std::string(default_stylesheet_text()), full_article());
  EXPECT_EQ(test::formatted(r.diags), std::vector<std::string>{});
}

TEST(DefaultStylesheet, NewspaperLook) {
  auto r = test::resolve(std::string(default_stylesheet_text()), full_article());
  const PageStyle& page = r.doc.page;
  EXPECT_NEAR(page.width.v, mm(210).v, 1e-9);
  EXPECT_NEAR(page.height.v, mm(297).v, 1e-9);
  EXPECT_NEAR(page.margin_top.v, mm(18).v, 1e-9);
  EXPECT_NEAR(page.margin_left.v, mm(15).v, 1e-9);
  EXPECT_NEAR(page.margin_bottom.v, mm(20).v, 1e-9);
  EXPECT_EQ(page.column_count, 3);
  EXPECT_NEAR(page.column_gap.v, mm(5).v, 1e-9);

  const ComputedStyle& p2 = r.of("p2");
  EXPECT_EQ(p2.font_family, std::vector<std::string>{"Noto Serif"});
  EXPECT_NEAR(p2.font_size.v, 9.5, 1e-9);
  EXPECT_NEAR(p2.line_height.v, 12.5, 1e-9);
  EXPECT_EQ(p2.text_align, TextAlign::Justify);
  EXPECT_NEAR(p2.text_indent.v, 9.5, 1e-9);
  EXPECT_EQ(p2.color, Color::cmyk(0, 0, 0, 1));
  EXPECT_NEAR(r.of("p1").text_indent.v, 0, 1e-9);  // the first paragraph
  EXPECT_NEAR(r.of("p3").text_indent.v, 0, 1e-9);  // after a subhead
  EXPECT_NEAR(r.of("boxp").text_indent.v, 0, 1e-9);

  const ComputedStyle& h = r.of("headline");
  EXPECT_EQ(h.font_family, std::vector<std::string>{"Noto Serif"});
  EXPECT_EQ(h.font_weight, 700);
  EXPECT_NEAR(h.font_size.v, 26, 1e-9);
  EXPECT_NEAR(h.line_height.v, 30, 1e-9);
  EXPECT_TRUE(h.column_span_all);

  const ComputedStyle& k = r.of("kicker");
  EXPECT_EQ(k.font_family, std::vector<std::string>{"Noto Sans"});
  EXPECT_EQ(k.font_weight, 700);
  EXPECT_EQ(k.text_transform, TextTransform::Uppercase);
  EXPECT_EQ(k.color.space, Color::Space::Cmyk);
  EXPECT_GT(k.color.c[1], 0.8f);  // red: magenta and yellow
  EXPECT_GT(k.color.c[2], 0.8f);

  const ComputedStyle& lead = r.of("lead");
  EXPECT_EQ(lead.font_weight, 700);
  EXPECT_NEAR(lead.font_size.v, 11.5, 1e-9);
  EXPECT_NEAR(lead.line_height.v, 15, 1e-9);
  EXPECT_TRUE(lead.column_span_all);

  EXPECT_EQ(r.of("subhead").font_family, std::vector<std::string>{"Noto Sans"});
  EXPECT_EQ(r.of("subhead").font_weight, 700);
  const ComputedStyle& cap = r.of("caption");
  EXPECT_EQ(cap.font_family, std::vector<std::string>{"Noto Sans"});
  EXPECT_EQ(cap.font_style, FontStyle::Italic);
  EXPECT_NEAR(cap.font_size.v, 8, 1e-9);
  EXPECT_NEAR(cap.line_height.v, 10, 1e-9);
  EXPECT_EQ(cap.text_align, TextAlign::Left);
  EXPECT_NEAR(r.of("credit").font_size.v, 7, 1e-9);
  EXPECT_EQ(r.of("byline").text_align, TextAlign::Right);
  EXPECT_EQ(r.of("byline").font_weight, 700);
  EXPECT_EQ(r.of("pullquote").font_style, FontStyle::Italic);
  EXPECT_GT(r.of("pullquote").font_size.v, 9.5);
  EXPECT_EQ(r.of("em").font_style, FontStyle::Italic);
  EXPECT_EQ(r.of("em").display, Display::Inline);
  EXPECT_EQ(r.of("strong").font_weight, 700);
  EXPECT_EQ(r.of("image").display, Display::Block);
  EXPECT_EQ(r.of("br").display, Display::Inline);

  // Only the two families the fonts catalogue is built around.
  model::visit(r.article.root, [&](const model::Node& n) {
    for (const std::string& f : r.doc.styles[n.index].font_family)
      EXPECT_TRUE(f == "Noto Serif" || f == "Noto Sans") << f;
  });
}

TEST(ArchiveStylesheet, ParsesWithNoDiagnosticsAlone) {
  Diagnostics d;
  parse_stylesheet(read(std::string(TRANG_SOURCE_DIR) + "/stylesheets/archive.css"),
                   "archive.css", d);
  EXPECT_EQ(test::formatted(d), std::vector<std::string>{});
}

TEST(ArchiveStylesheet, OverTheDefault) {
  auto r = test::resolve_sheets(
      {std::string(default_stylesheet_text()),
       read(std::string(TRANG_SOURCE_DIR) + "/stylesheets/archive.css")},
      full_article());
  EXPECT_EQ(test::formatted(r.diags), std::vector<std::string>{});
  EXPECT_EQ(r.doc.page.column_count, 2);
  EXPECT_NEAR(r.doc.page.column_rule_width.v, 0, 1e-9);
  EXPECT_GE(r.doc.page.margin_left.v, mm(20).v);
  EXPECT_NEAR(r.doc.page.width.v, mm(210).v, 1e-9);
  EXPECT_NEAR(r.of("p2").font_size.v, 10.5, 1e-9);
}

TEST(ArchiveStylesheet, AloneToo) {
  auto r = test::resolve(read(std::string(TRANG_SOURCE_DIR) + "/stylesheets/archive.css"),
                         full_article());
  EXPECT_EQ(test::formatted(r.diags), std::vector<std::string>{});
  EXPECT_EQ(r.doc.page.column_count, 2);
}

}  // namespace
}  // namespace trang::style
