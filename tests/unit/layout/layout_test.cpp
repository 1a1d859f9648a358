// Layout on hand-made styles (no stylesheet parsing): head, columns, figures, pages.
#include <optional>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "layout/layout.h"

namespace trang::layout {
namespace {

using model::Kind;

class Layout : public ::testing::Test {
 protected:
  // Parses `body` inside an article and gives every node a plain style: body text 10/12
  // justified Noto Serif, a 24/28 headline that spans the columns, 8/10 captions.
  void load(const std::string& body, const std::string& head = "<headline>Tiêu đề thử nghiệm</headline>") {
    std::string xml = "<article xml:lang=\"vi\">" + head + "<body>" + body + "</body></article>";
    ASSERT_TRUE(model::parse_article(xml, "t.xml", TRANG_TEST_DATA, article, diags));
    styled.styles.assign(article.node_count, style::ComputedStyle{});
    std::vector<const model::Node*> stack;
    style_tree(article.root, style::ComputedStyle{});
    styled.page = style::PageStyle{};
  }
  void style_tree(const model::Node& n, style::ComputedStyle inherited) {
    style::ComputedStyle cs = inherited;
    cs.margin_top = cs.margin_bottom = Pt();
    cs.column_span_all = false;
    switch (n.kind) {
      case Kind::Headline:
        cs.font_size = Pt(24); cs.line_height = Pt(28); cs.font_weight = 700;
        cs.column_span_all = true; cs.text_align = style::TextAlign::Left;
        break;
      case Kind::Paragraph: cs.text_align = style::TextAlign::Justify; cs.margin_bottom = Pt(4); break;
      case Kind::Caption:
        cs.font_family = {"Noto Sans"}; cs.font_size = Pt(8); cs.line_height = Pt(10);
        cs.text_align = style::TextAlign::Left;
        break;
      case Kind::Emphasis: cs.font_style = style::FontStyle::Italic; break;
      default: break;
    }
    styled.styles[n.index] = cs;
    for (const model::Node& c : n.children) style_tree(c, cs);
  }
  PageTree run(Options opt = {}) {
    return layout_article(article, styled, res, fonts, opt, diags);
  }
  static std::string para(int words) {
    static const char* kWords[] = {"tăng", "cường", "sự", "lãnh", "đạo,", "chỉ", "đạo", "tuyệt",
                                   "đối,", "trực", "tiếp", "của", "các", "cấp", "ủy", "đảng."};
    std::string s = "<p>";
    for (int i = 0; i < words; ++i) s += std::string(i ? " " : "") + kWords[i % 16];
    return s + "</p>";
  }

  model::Article article;
  style::StyledDocument styled;
  Resources res;
  text::FontCache fonts;
  Diagnostics diags;
};

Pt col_width(const style::PageStyle& ps) {
  Pt measure = ps.width - ps.margin_left - ps.margin_right;
  return (measure - ps.column_gap * (ps.column_count - 1)) / ps.column_count;
}

TEST_F(Layout, HeadlineSpansAndBodyFlowsInThreeColumns) {
  std::string body;
  for (int i = 0; i < 30; ++i) body += para(60);
  load(body);
  PageTree t = run();
  ASSERT_FALSE(diags.has_errors());
  ASSERT_GE(t.pages.size(), 1u);
  const Page& p = t.pages[0];
  Pt cw = col_width(styled.page);
  std::set<int> column_xs;
  Pt headline_bottom = p.height;
  for (const GlyphRun& r : items_of<GlyphRun>(p.content)) {
    if (r.size == Pt(24)) { headline_bottom = std::min(headline_bottom, r.y); continue; }
    column_xs.insert(static_cast<int>(std::round(r.x.v)));
  }
  // Body lines start at three x positions (plus indents none here), all below the headline.
  std::set<int> starts;
  for (int x : column_xs) if (starts.empty() || x - *starts.rbegin() > 20) starts.insert(x);
  EXPECT_EQ(starts.size(), 3u);
  for (const GlyphRun& r : items_of<GlyphRun>(p.content)) {
    if (r.size == Pt(24)) continue;
    EXPECT_LT(r.y, headline_bottom);
    Pt w;
    for (const Glyph& g : r.glyphs) w += g.advance;
    int col = static_cast<int>((r.x - styled.page.margin_left) / (cw + styled.page.column_gap));
    Pt right = styled.page.margin_left + (cw + styled.page.column_gap) * col + cw;
    EXPECT_LE((r.x + w).v, right.v + 0.01);
    EXPECT_GE(r.y, styled.page.margin_bottom);
  }
}

TEST_F(Layout, LongArticleFlowsOntoMorePagesKeepingEveryLine) {
  std::string body;
  for (int i = 0; i < 60; ++i) body += para(80);
  load(body);
  PageTree t = run();
  EXPECT_GE(t.pages.size(), 3u);
  size_t words = 0;
  for (const Page& p : t.pages)
    for (const GlyphRun& r : items_of<GlyphRun>(p.content))
      for (const Cluster& c : r.clusters) words += c.text == " ";
  // 60 paragraphs of 80 words: 79 spaces each inside lines, minus one per line break.
  EXPECT_GT(words, 60u * 60u);
}

TEST_F(Layout, MaxPagesStopsRunawayLayoutWithAnError) {
  std::string body;
  for (int i = 0; i < 60; ++i) body += para(80);
  load(body);
  Options opt;
  opt.max_pages = 2;
  PageTree t = run(opt);
  EXPECT_EQ(t.pages.size(), 2u);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_NE(diags.all().back().message.find("layout stopped after 2 pages"), std::string::npos);
}

TEST_F(Layout, CaptionSitsDirectlyUnderItsImageInTheSameColumn) {
  std::string body = para(200) + para(200) +
                     "<figure><image src=\"x.jpg\" alt=\"\"/><caption>Quang cảnh hội nghị</caption></figure>" +
                     para(100);
  std::ofstream(std::string(TRANG_TEST_DATA) + "/x.jpg") << "placeholder";
  load(body);
  image::Image img;
  img.kind = image::Image::Kind::Raw;
  img.width = 1600;
  img.height = 1067;
  res.images.push_back(std::make_shared<image::Image>(img));
  model::visit(article.root, [&](const model::Node& n) {
    if (n.kind == Kind::Image) res.image_of_node[n.index] = 0;
  });
  PageTree t = run();
  ASSERT_FALSE(diags.has_errors());
  std::optional<ImageItem> im;
  size_t page = 0;
  for (size_t i = 0; i < t.pages.size() && !im; ++i)
    if (auto images = items_of<ImageItem>(t.pages[i].content); !images.empty()) { im = images[0]; page = i; }
  ASSERT_TRUE(im);
  Pt cw = col_width(styled.page);
  EXPECT_NEAR(im->rect.w.v, cw.v, 0.01);
  EXPECT_NEAR(im->rect.h.v, cw.v * 1067 / 1600, 0.01);
  std::optional<GlyphRun> cap;
  for (const GlyphRun& r : items_of<GlyphRun>(t.pages[page].content))
    if (r.size == Pt(8)) cap = r;
  ASSERT_TRUE(cap);
  EXPECT_NEAR(cap->x.v, im->rect.x.v, 0.01);
  EXPECT_LT(cap->y, im->rect.y);
  EXPECT_GT(cap->y, im->rect.y - Pt(10));  // the first caption line right under the picture
  std::remove((std::string(TRANG_TEST_DATA) + "/x.jpg").c_str());
}

TEST_F(Layout, OrphansAndWidowsKeepTwoLinesTogether) {
  std::string body;
  for (int i = 0; i < 40; ++i) body += para(23 + (i * 7) % 40);
  load(body);
  PageTree t = run();
  // Count, per column, lines of each paragraph: a paragraph never leaves a single line at the
  // foot or the head of a column. Lines of one paragraph share the same spacing, so detect
  // paragraph ends by the 4pt paragraph margin.
  for (const Page& p : t.pages) {
    std::map<int, std::vector<double>> cols;
    for (const GlyphRun& r : items_of<GlyphRun>(p.content))
      if (r.size == Pt(10)) cols[static_cast<int>(r.x.v) / 150].push_back(r.y.v);
    for (auto& [c, ys] : cols) {
      std::sort(ys.begin(), ys.end(), std::greater<>());
      ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
      ASSERT_GE(ys.size(), 2u);
      // the first two lines of a column are 12pt apart unless a paragraph ended after line 1
      // (a widow) - then they would be 16pt apart.
      EXPECT_NEAR(ys[0] - ys[1], 12, 0.01) << "widow at the head of a column";
      EXPECT_NEAR(ys[ys.size() - 2] - ys.back(), 12, 0.01) << "orphan at the foot of a column";
    }
  }
}

TEST_F(Layout, DumpIsReadable) {
  load(para(5), "<headline>Tin</headline>");
  std::string d = dump(run());
  EXPECT_EQ(d.substr(0, d.find('\n')), "page 1 595.28x841.89");
  EXPECT_NE(d.find("NotoSerif-Bold 24 gray(0) \"Tin\""), std::string::npos) << d;
  EXPECT_NE(d.find("\"tăng cường sự lãnh đạo,\""), std::string::npos) << d;
}

}  // namespace
}  // namespace trang::layout

namespace trang::layout {
namespace {

class Typesetting : public Layout {};

// Baselines of the runs of size `size`, top to bottom, one per line.
std::vector<double> baselines(const Page& p, Pt size) {
  std::vector<double> ys;
  for (const GlyphRun& r : items_of<GlyphRun>(p.content))
    if (r.size == size && (ys.empty() || std::abs(ys.back() - r.y.v) > 0.01)) ys.push_back(r.y.v);
  return ys;
}

TEST_F(Typesetting, StackedCapitalsGetClearanceAtTightLeading) {
  // An uppercase headline at line-height 1: Ự (dot below) over Ễ (circumflex and tilde).
  load(para(3), "<headline>ỰỤỴ ỰỤỴ ỰỤỴ ỄỖẪ ỄỖẪ ỄỖẪ</headline>");
  for (model::Node& n : article.root.children)
    if (n.kind == Kind::Headline) {
      style::ComputedStyle& cs = styled.styles[n.index];
      cs.line_height = cs.font_size;  // line-height: 1
      cs.margin_left = Pt(0);
    }
  // A measure that puts each group of three letters on its own line.
  styled.page.margin_right = styled.page.width - styled.page.margin_left - Pt(70);
  styled.page.column_count = 1;
  PageTree t = run();
  auto ys = baselines(t.pages[0], Pt(24));
  ASSERT_GE(ys.size(), 4u);
  double widest = 0;
  for (size_t i = 1; i < ys.size(); ++i) widest = std::max(widest, ys[i - 1] - ys[i]);
  // Ễ over Ự needs more than 24pt between baselines.
  EXPECT_GT(widest, 24.5);
  EXPECT_FALSE(diags.has_errors());

  // With clearance off the lines keep their 24pt and a warning says they touch.
  for (size_t i = 0; i < styled.styles.size(); ++i) styled.styles[i].clear_diacritics = false;
  Diagnostics d2;
  PageTree t2 = layout_article(article, styled, res, fonts, {}, d2);
  auto ys2 = baselines(t2.pages[0], Pt(24));
  for (size_t i = 1; i < ys2.size(); ++i) EXPECT_NEAR(ys2[i - 1] - ys2[i], 24, 0.01);
  ASSERT_FALSE(d2.all().empty());
  EXPECT_NE(d2.all().front().message.find("touch the line above"), std::string::npos);
}

TEST_F(Typesetting, PlainTextGetsNoExtraLeading) {
  load(para(200));
  PageTree t = run();
  auto ys = baselines(t.pages[0], Pt(10));
  ASSERT_GT(ys.size(), 10u);
  for (size_t i = 1; i < ys.size(); ++i) {
    double d = ys[i - 1] - ys[i];
    // within a column: exactly the 12pt line height (column changes jump up)
    if (d > 0) {
      EXPECT_NEAR(d, 12, 0.01);
    }
  }
}

TEST_F(Typesetting, SubheadIsKeptWithTheFirstLinesOfItsParagraph) {
  // Fill a column until a subhead lands on its last line; it must move to the next column.
  for (int filler = 20; filler < 120; filler += 7) {
    std::string body = para(filler * 6) + "<subhead>Tiêu đề phụ</subhead>" + para(80);
    load(body);
    for (model::Node& n : article.root.children[1].children)
      if (n.kind == Kind::Subhead) styled.styles[n.index].font_size = Pt(11);
    PageTree t = run();
    for (const Page& p : t.pages) {
      for (const GlyphRun& r : items_of<GlyphRun>(p.content)) {
        if (r.size != Pt(11)) continue;
        // Some body line of the same column sits at least 2 lines below the subhead.
        int below = 0;
        for (const GlyphRun& o : items_of<GlyphRun>(p.content))
          if (o.size == Pt(10) && std::abs(o.x.v - r.x.v) < 20 && o.y < r.y) ++below;
        EXPECT_GE(below, 2) << "subhead alone at a column foot (filler " << filler << ")";
      }
    }
  }
}

TEST_F(Typesetting, BreakBeforeColumnAndPage) {
  load(para(30) + "<p class=\"x\">Đoạn mới</p>" + para(30));
  for (model::Node& n : article.root.children[1].children)
    if (n.attribute("class")) styled.styles[n.index].break_before = style::BreakValue::Page;
  PageTree t = run();
  ASSERT_EQ(t.pages.size(), 2u);
  std::string page2;
  for (const GlyphRun& r : items_of<GlyphRun>(t.pages[1].content))
    for (const Cluster& c : r.clusters) page2 += c.text;
  EXPECT_EQ(page2.rfind("Đoạn mới", 0), 0u) << page2.substr(0, 80);
}

TEST_F(Typesetting, LastPageColumnsAreBalancedWithinOneLine) {
  std::string body;
  for (int i = 0; i < 9; ++i) body += para(70);
  load(body);
  PageTree t = run();
  const Page& last = t.pages.back();
  std::map<int, double> bottom;
  for (const GlyphRun& r : items_of<GlyphRun>(last.content)) {
    if (r.size != Pt(10)) continue;
    int col = static_cast<int>(r.x.v) / 150;
    bottom[col] = bottom.count(col) ? std::min(bottom[col], r.y.v) : r.y.v;
  }
  ASSERT_EQ(bottom.size(), 3u);
  double lo = 1e9, hi = -1e9;
  for (auto& [c, y] : bottom) { lo = std::min(lo, y); hi = std::max(hi, y); }
  EXPECT_LE(hi - lo, 12 + 4 + 0.01);  // one line (plus a paragraph gap)
}

}  // namespace
}  // namespace trang::layout

namespace trang::layout {
namespace {

TEST_F(Typesetting, BaselineGridAlignsLinesAcrossColumns) {
  // A figure of an awkward height in the first column throws the lines below it off the
  // rhythm of the other columns, unless the grid puts them back on it.
  std::string body = para(40) +
                     "<figure><image src=\"g.jpg\" alt=\"\"/><caption>Ảnh minh họa có chú thích dài hai dòng cho chắc</caption></figure>" +
                     para(400);
  std::ofstream(std::string(TRANG_TEST_DATA) + "/g.jpg") << "placeholder";
  auto off_grid_count = [&](Pt grid) {
    load(body);
    image::Image img;
    img.width = 1000;
    img.height = 777;
    res.images = {std::make_shared<image::Image>(img)};
    model::visit(article.root, [&](const model::Node& n) {
      if (n.kind == Kind::Image) res.image_of_node[n.index] = 0;
    });
    styled.page.baseline_grid = grid;
    PageTree t = run();
    // Body baselines relative to the first body baseline of the page, modulo 12pt.
    std::vector<double> ys = baselines(t.pages[0], Pt(10));
    double ref = -1e9;
    for (const GlyphRun& r : items_of<GlyphRun>(t.pages[0].content))
      if (r.size == Pt(10)) ref = std::max(ref, r.y.v);
    int off = 0;
    for (double y : ys) {
      double m = std::fmod(ref - y, 12.0);
      if (m > 0.01 && m < 11.99) ++off;
    }
    return off;
  };
  EXPECT_GT(off_grid_count(Pt()), 0) << "the figure does not disturb the rhythm: test proves nothing";
  EXPECT_EQ(off_grid_count(Pt(12)), 0);
  std::remove((std::string(TRANG_TEST_DATA) + "/g.jpg").c_str());
}

}  // namespace
}  // namespace trang::layout
