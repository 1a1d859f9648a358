#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/model.h"
#include "helpers.h"

namespace trang::model {
namespace {

std::string errors(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d.all()) out += x.format() + "\n";
  return out;
}

bool parse(std::string_view xml, Article& a, Diagnostics& d) {
  return parse_article(xml, "a.xml", TRANG_TEST_DATA, a, d);
}

using test::all_text;

TEST(Model, ReadsTheSampleArticle) {
  Article a;
  Diagnostics d;
  ASSERT_TRUE(read_article(std::string(TRANG_SOURCE_DIR) + "/samples/can-tho/article.xml", a, d))
      << errors(d);
  EXPECT_EQ(a.lang, "vi");
  EXPECT_EQ(a.meta.authors, std::vector<std::string>{"Sen Hồng"});
  EXPECT_EQ(a.meta.keywords.size(), 3u);
  EXPECT_NE(a.headline().find("Ban Chỉ đạo 35"), std::string::npos);
  int figures = 0, captions = 0;
  visit(a.root, [&](const Node& n) {
    figures += n.kind == Kind::Figure;
    captions += n.kind == Kind::Caption;
  });
  EXPECT_EQ(figures, 2);
  EXPECT_EQ(captions, 2);
  EXPECT_EQ(a.root.children.back().kind, Kind::Byline);
}

TEST(Model, NormalizesDecomposedTextToNfc) {
  Article nfc, nfd;
  Diagnostics d;
  // "Việt Nam" precomposed, and with e + U+0323 (dot below) + U+0302 (circumflex).
  ASSERT_TRUE(parse("<article><headline>Vi\xE1\xBB\x87t Nam</headline></article>", nfc, d));
  ASSERT_TRUE(parse("<article><headline>Vie\xCC\xA3\xCC\x82t Nam</headline></article>", nfd, d));
  EXPECT_EQ(all_text(nfc.root), "Việt Nam");
  EXPECT_EQ(all_text(nfd.root), all_text(nfc.root));
  EXPECT_EQ(to_nfc("Đa\xCC\x80"), "Đà");
}

TEST(Model, InlineStructureAndSpacesAreKept) {
  Article a;
  Diagnostics d;
  ASSERT_TRUE(parse("<article><headline>H</headline><body><p>Một <em>hai</em> <strong>ba</strong>"
                    "<br/><a href=\"https://x.vn\">bốn</a></p></body></article>", a, d)) << errors(d);
  const Node& p = a.root.children[1].children[0];
  ASSERT_EQ(p.kind, Kind::Paragraph);
  EXPECT_EQ(all_text(p), "Một hai ba\nbốn");
  std::vector<Kind> kinds;
  for (const Node& c : p.children) kinds.push_back(c.kind);
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::Text, Kind::Emphasis, Kind::Text, Kind::Strong,
                                       Kind::LineBreak, Kind::Link}));
  EXPECT_EQ(*p.children.back().attribute("href"), "https://x.vn");
}

TEST(Model, NodeIndicesArePreOrderAndDense) {
  Article a;
  Diagnostics d;
  ASSERT_TRUE(parse("<article><headline>H <em>e</em></headline></article>", a, d));
  std::vector<uint32_t> seen;
  visit(a.root, [&](const Node& n) { seen.push_back(n.index); });
  for (uint32_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
  EXPECT_EQ(a.node_count, seen.size());
}

struct BadCase {
  const char* xml;
  const char* expected;  // the first diagnostic, formatted
};

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, ReportsFileLineAndColumn) {
  Article a;
  Diagnostics d;
  EXPECT_FALSE(parse(GetParam().xml, a, d));
  ASSERT_FALSE(d.all().empty());
  EXPECT_EQ(d.all().front().format(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Model, BadInput,
    ::testing::Values(
        BadCase{"<article>\n  <headline>x</headline>\n  <body><p>open\n</body></article>",
                "a.xml:4:1: error: malformed XML: Start-end tags mismatch\n  hint: <p> opened at line 3, column 9 is not closed"},
        BadCase{"<article>\n <body>\n  <figue/>\n </body>\n</article>",
                "a.xml:3:3: error: unknown element <figue>\n  hint: did you mean <figure>?"},
        BadCase{"<article>\n<body><figure><image src=\"nope.jpg\" alt=\"x\"/></figure></body></article>",
                "a.xml:2:15: error: image file 'nope.jpg' not found\n  hint: looked for " TRANG_TEST_DATA "/nope.jpg"},
        BadCase{"<article><body><figure><image src=\"../../etc/passwd\" alt=\"\"/></figure></body></article>",
                "a.xml:1:24: error: image '../../etc/passwd' is outside the article's folder\n"
                "  hint: put it beside the article, or name its folder with --assets DIR"},
        BadCase{"<article><body><figure><image src=\"/etc/passwd\" alt=\"\"/></figure></body></article>",
                "a.xml:1:24: error: image '/etc/passwd' is an absolute path; give it relative to the article's folder"},
        BadCase{"<article><body><p>a\xFF</p></body></article>",
                "a.xml:1:20: error: invalid UTF-8 byte sequence\n  hint: save the file as UTF-8"},
        BadCase{"<article><body><p>a&#0;b</p></body></article>",
                "a.xml:1:20: error: character reference to NUL (&#0;) is not allowed"},
        BadCase{"<!DOCTYPE x [<!ENTITY a \"b\">]>\n<article/>",
                "a.xml:1:1: error: a DOCTYPE with an internal subset ([...]) is not allowed\n"
                "  hint: keep only <!DOCTYPE name SYSTEM \"...\"> or PUBLIC; trang reads no DTD and expands no entities"},
        BadCase{"<?xml version=\"1.0\"?>\n<!DOCTYPE article SYSTEM \"a.dtd\" [\n<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<article/>",
                "a.xml:2:1: error: a DOCTYPE with an internal subset ([...]) is not allowed\n"
                "  hint: keep only <!DOCTYPE name SYSTEM \"...\"> or PUBLIC; trang reads no DTD and expands no entities"},
        BadCase{"<!DOCTYPE article SYSTEM \"never-closed.dtd\"",
                "a.xml:1:1: error: a DOCTYPE with an internal subset ([...]) is not allowed\n"
                "  hint: keep only <!DOCTYPE name SYSTEM \"...\"> or PUBLIC; trang reads no DTD and expands no entities"},
        BadCase{"<story/>", "a.xml:1:1: error: the root element must be <article>\n  hint: found <story>"},
        BadCase{"<article/><article/>",
                "a.xml:1:11: error: a second root element <article>\n  hint: an article file holds exactly one <article>"},
        BadCase{"<article><body><p>x<p>y</p></p></body></article>",
                "a.xml:1:20: error: <p> is not allowed inside <p>"},
        BadCase{"<article><body>loose text</body></article>",
                "a.xml:1:16: error: text directly inside <body> is not allowed\n  hint: wrap it in <p>...</p>"},
        BadCase{"", "a.xml:1:1: error: malformed XML: No document element found"}));

// Newsroom files name their DTD; trang never reads it, and the article reads as without it.
TEST(Model, DoctypeWithoutInternalSubsetIsAccepted) {
  for (const char* doctype :
       {"<!DOCTYPE article SYSTEM \"article.dtd\">",
        "<!DOCTYPE article PUBLIC \"-//trang//DTD article//EN\" 'http://example.org/a[1].dtd'>",
        "<!DOCTYPE article>"}) {
    Article a;
    Diagnostics d;
    std::string xml = std::string("<?xml version=\"1.0\"?>\n") + doctype +
                      "\n<article><headline>Tin</headline><body><p>x</p></body></article>";
    EXPECT_TRUE(parse(xml, a, d)) << doctype << "\n" << errors(d);
    EXPECT_EQ(a.headline(), "Tin");
  }
}

TEST(Model, TablesInTheBody) {
  Article a;
  Diagnostics d;
  ASSERT_TRUE(parse("<article><headline>H</headline><body>\n<table class=\"scores\">"
                    "<caption>Kết quả</caption><thead><tr><th>Đội</th><th>Điểm</th></tr></thead>"
                    "<tr><td colspan=\"2\">Cần <em>Thơ</em></td></tr>"
                    "<tbody><tr><td>A</td><td rowspan=\"3\">1</td></tr></tbody></table>"
                    "<box><table><tr><td>x</td></tr></table></box></body></article>",
                    a, d))
      << errors(d);
  EXPECT_NE(errors(d).find("a.xml:2:"), std::string::npos) << errors(d);  // the rowspan warning
  const Node& table = a.root.children[1].children[0];
  EXPECT_EQ(table.kind, Kind::Table);
  EXPECT_EQ(table.classes, std::vector<std::string>{"scores"});
  EXPECT_EQ(table.children[0].kind, Kind::Caption);
  EXPECT_EQ(table.children[1].kind, Kind::TableSection);
  EXPECT_EQ(table.children[2].kind, Kind::TableRow);
  EXPECT_EQ(table.children[2].children[0].kind, Kind::TableCell);
  EXPECT_EQ(*table.children[2].children[0].attribute("colspan"), "2");
}

INSTANTIATE_TEST_SUITE_P(
    Tables, BadInput,
    ::testing::Values(
        BadCase{"<article><body><tr><td>x</td></tr></body></article>",
                "a.xml:1:16: error: <tr> is not allowed inside <body>"},
        BadCase{"<article><body><table><td>x</td></table></body></article>",
                "a.xml:1:23: error: <td> is not allowed inside <table>"},
        BadCase{"<article><body><table><tr>loose</tr></table></body></article>",
                "a.xml:1:27: error: text directly inside <tr> is not allowed\n  hint: put it in a cell: <tr><td>...</td></tr>"},
        BadCase{"<article><body><table><tr><td colspan=\"0\">x</td></tr></table></body></article>",
                "a.xml:1:27: error: colspan must be a whole number from 1 to 64, not '0'"},
        BadCase{"<article><body><table><tr><td>x</td></tr><caption>late</caption></table></body></article>",
                "a.xml:1:42: error: <caption> is not allowed inside <table>"},
        BadCase{"<article><body><p><table/></p></body></article>",
                "a.xml:1:19: error: <table> is not allowed inside <p>"}));

TEST(Model, DeepNestingIsRefusedNotACrash) {
  std::string xml = "<article><body><p>";
  for (int i = 0; i < 5000; ++i) xml += "<em>";
  xml += "x";
  for (int i = 0; i < 5000; ++i) xml += "</em>";
  xml += "</p></body></article>";
  Article a;
  Diagnostics d;
  EXPECT_FALSE(parse(xml, a, d));
  EXPECT_NE(errors(d).find("nested more than"), std::string::npos) << errors(d);
}

TEST(Model, MissingFileIsAnError) {
  Article a;
  Diagnostics d;
  EXPECT_FALSE(read_article("/nonexistent/article.xml", a, d));
  EXPECT_EQ(d.all().front().format(), "/nonexistent/article.xml: error: no such file");
}

// A part in another language keeps its xml:lang, and every element inside it says so too (the
// PDF marks its text with /Lang); one naming the article's own language adds nothing, and a
// value that is no language tag warns, naming where, and is dropped.
TEST(Model, AnotherLanguageInsideTheArticleIsKept) {
  Article a;
  Diagnostics d;
  ASSERT_TRUE(parse("<article xml:lang=\"vi\"><headline>H</headline><body>\n"
                    "<p>Xin chào <em xml:lang=\"en\">hello <strong>dear</strong></em> <em xml:lang=\"vi\">bạn</em></p>\n"
                    "<p xml:lang=\"en GB\">x</p>"
                    "</body></article>",
                    a, d))
      << errors(d);
  const Node& p = a.root.children.back().children.front();
  const Node& em = p.children[1];
  ASSERT_NE(em.attribute("xml:lang"), nullptr);
  EXPECT_EQ(*em.attribute("xml:lang"), "en");
  ASSERT_NE(em.children[1].attribute("xml:lang"), nullptr);  // <strong>, inherited
  EXPECT_EQ(*em.children[1].attribute("xml:lang"), "en");
  EXPECT_EQ(p.attribute("xml:lang"), nullptr);
  EXPECT_EQ(d.warning_count(), 1) << errors(d);
  EXPECT_NE(errors(d).find("a.xml:3:1: warning: xml:lang=\"en GB\" is not a language tag"), std::string::npos)
      << errors(d);
  EXPECT_EQ(a.root.children.back().children.back().attribute("xml:lang"), nullptr);
}

}  // namespace
}  // namespace trang::model
