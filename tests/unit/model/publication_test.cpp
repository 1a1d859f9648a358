// The publication reader and the NITF reader (model/publication.h).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/publication.h"
#include "helpers.h"

namespace trang::model {
namespace {

using test::find;
using test::messages;

namespace fs = std::filesystem;

std::string text_of(const Node& n) {
  std::string out;
  visit(n, [&](const Node& x) { if (x.kind == Kind::Text) out += x.text; });
  return out;
}

// A folder with a few article files, for the publication's references.
struct Folder {
  fs::path dir = fs::temp_directory_path() / ("trang-pub-" + std::to_string(::getpid()));
  Folder() {
    fs::create_directories(dir / "a");
    std::ofstream(dir / "a" / "one.xml") << "<article><headline>Một</headline><body/></article>";
    std::ofstream(dir / "outside.xml") << "<article/>";
  }
  ~Folder() { fs::remove_all(dir); }
};

TEST(Publication, ReadsTitleMastheadAndEntries) {
  Folder f;
  Publication p;
  Diagnostics d;
  std::string xml =
      "<publication xml:lang=\"vi\">\n"
      "  <title>Bản tin</title><issue>Số 3</issue><date>2025-11-20</date>\n"
      "  <masthead tagline=\"Khẩu hiệu\"/>\n"
      "  <article src=\"one.xml\" area=\"40%\" columns=\"2\" section=\"Thời sự\"/>\n"
      "  <article src=\"one.xml\" new-page=\"true\" area=\"rest\"/>\n"
      "</publication>\n";
  ASSERT_TRUE(parse_publication(xml, "p.xml", (f.dir / "a").string(), p, d)) << messages(d);
  EXPECT_EQ(p.title, "Bản tin");
  EXPECT_EQ(p.issue, "Số 3");
  EXPECT_EQ(p.tagline, "Khẩu hiệu");
  ASSERT_EQ(p.articles.size(), 2u);
  EXPECT_DOUBLE_EQ(p.articles[0].area, 0.4);
  EXPECT_EQ(p.articles[0].columns, 2);
  EXPECT_EQ(p.articles[0].section, "Thời sự");
  EXPECT_FALSE(p.articles[0].new_page);
  EXPECT_TRUE(p.articles[1].new_page);
  EXPECT_TRUE(p.articles[1].area_rest);
  EXPECT_EQ(p.articles[0].pos.line, 4);
  EXPECT_EQ(p.articles[0].pos.col, 3);
  EXPECT_EQ(fs::path(p.articles[0].path).filename(), "one.xml");
}

TEST(Publication, MissingArticleNamesLineAndColumn) {
  Folder f;
  Publication p;
  Diagnostics d;
  std::string xml = "<publication><title>T</title>\n  <article src=\"khong-co.xml\"/>\n</publication>";
  EXPECT_FALSE(parse_publication(xml, "issue.xml", (f.dir / "a").string(), p, d));
  EXPECT_NE(messages(d).find("issue.xml:2:3: error: article file 'khong-co.xml' not found"),
            std::string::npos) << messages(d);
}

TEST(Publication, ArticleOutsideTheFolderIsRefused) {
  Folder f;
  Publication p;
  Diagnostics d;
  std::string xml = "<publication><title>T</title><article src=\"../outside.xml\"/></publication>";
  EXPECT_FALSE(parse_publication(xml, "issue.xml", (f.dir / "a").string(), p, d));
  EXPECT_NE(messages(d).find("issue.xml:1:30: error: article '../outside.xml' is outside the "
                             "publication's folder"),
            std::string::npos) << messages(d);
}

TEST(Publication, BadValuesAndUnknownElements) {
  Folder f;
  Publication p;
  Diagnostics d;
  std::string xml =
      "<publication><title>T</title>\n"
      "<artcle src=\"one.xml\"/>\n"
      "<article src=\"one.xml\" area=\"7\" columns=\"0\"/>\n"
      "</publication>";
  EXPECT_FALSE(parse_publication(xml, "i.xml", (f.dir / "a").string(), p, d));
  std::string m = messages(d);
  EXPECT_NE(m.find("i.xml:2:1: error: unknown element <artcle> in a publication\n"
                   "  hint: did you mean <article>?"), std::string::npos) << m;
  EXPECT_NE(m.find("i.xml:3:1: error: columns must be a whole number from 1 to 6, not '0'"),
            std::string::npos) << m;
  EXPECT_NE(m.find("i.xml:3:1: error: area must be a percentage"), std::string::npos) << m;
}

TEST(Publication, MalformedXmlHasAPosition) {
  Publication p;
  Diagnostics d;
  EXPECT_FALSE(parse_publication("<publication>\n<title>T</publication>", "i.xml", ".", p, d));
  EXPECT_NE(messages(d).find("i.xml:2:"), std::string::npos) << messages(d);
  EXPECT_NE(messages(d).find("<title> opened at line 2, column 1 is not closed"), std::string::npos);
}

TEST(Publication, SniffsTheRootElement) {
  Folder f;
  std::ofstream(f.dir / "n.xml") << "<?xml version=\"1.0\"?>\n<!-- c -->\n<nitf><body/></nitf>";
  EXPECT_EQ(sniff_root_element((f.dir / "n.xml").string()), "nitf");
  EXPECT_EQ(sniff_root_element((f.dir / "a" / "one.xml").string()), "article");
}

// A story shaped as NITF 3.x has it: head/docdata, body.head, body.content, body.end.
const char* kStory = R"(<?xml version="1.0" encoding="UTF-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN">
  <head>
    <title>Tiêu đề phụ</title>
    <docdata>
      <doc-id id-string="tin-123"/>
      <date.issue norm="20251115T070000+0700"/>
      <du-key key="tin"/>
      <key-list><keyword key="chợ nổi"/><keyword key="Cái Răng"/></key-list>
    </docdata>
    <pubdata type="print" name="Báo Mẫu" position.section="Du lịch"/>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Chợ nổi đón khách</hl1><hl2>Ghe xuồng nhộn nhịp</hl2></hedline>
      <byline>Bài: <person>Quốc Huy</person></byline>
      <dateline><location><city>Cần Thơ</city></location>, 15/11</dateline>
      <abstract><p>Tóm tắt một.</p><p>Tóm tắt hai.</p></abstract>
    </body.head>
    <body.content>
      <p>Đoạn <em>nghiêng</em>, <a href="https://example.org/">liên kết</a>, <q>trích</q><br/>xuống dòng.</p>
      <hl2>Tiêu đề nhỏ</hl2>
      <media media-type="image">
        <media-reference source="anh.jpg" alternate-text="Ghe trên sông"/>
        <media-caption>Chú thích ảnh</media-caption>
        <media-producer>Ảnh: Quốc Huy</media-producer>
      </media>
      <block><p>Trong khối.</p></block>
      <bq><block><p>Câu trích.</p></block><credit>Ông Út</credit></bq>
      <ul><li>Một</li><li>Hai</li></ul>
    </body.content>
    <body.end><tagline>Quốc Huy</tagline></body.end>
  </body>
</nitf>
)";

TEST(Nitf, ReadsHeadBodyAndMetadata) {
  Folder f;
  std::ofstream(f.dir / "a" / "anh.jpg") << "x";
  Article a;
  Diagnostics d;
  ASSERT_TRUE(parse_nitf(kStory, "s.nitf.xml", (f.dir / "a").string(), a, d)) << messages(d);
  EXPECT_EQ(d.warning_count(), 0) << messages(d);
  EXPECT_EQ(a.meta.id, "tin-123");
  EXPECT_EQ(a.meta.date, "2025-11-15");
  EXPECT_EQ(a.meta.source, "Báo Mẫu");
  EXPECT_EQ(a.meta.section, "Du lịch");
  ASSERT_EQ(a.meta.keywords.size(), 2u);
  EXPECT_EQ(a.meta.keywords[0], "chợ nổi");
  EXPECT_EQ(a.headline(), "Chợ nổi đón khách");
  EXPECT_EQ(text_of(*find(a.root, Kind::Lead, 0)), "Ghe xuồng nhộn nhịp");
  EXPECT_EQ(text_of(*find(a.root, Kind::Lead, 1)), "Tóm tắt một.Tóm tắt hai.");
  EXPECT_EQ(text_of(*find(a.root, Kind::Dateline)), "Cần Thơ, 15/11");
  const Node* p = find(a.root, Kind::Paragraph);
  ASSERT_TRUE(p);
  EXPECT_EQ(text_of(*p), "Đoạn nghiêng, liên kết, \u201Ctrích\u201Dxuống dòng.");
  EXPECT_TRUE(find(*p, Kind::Emphasis));
  ASSERT_TRUE(find(*p, Kind::Link));
  EXPECT_EQ(*find(*p, Kind::Link)->attribute("href"), "https://example.org/");
  EXPECT_TRUE(find(*p, Kind::LineBreak));
  EXPECT_EQ(text_of(*find(a.root, Kind::Subhead)), "Tiêu đề nhỏ");
  const Node* img = find(a.root, Kind::Image);
  ASSERT_TRUE(img);
  EXPECT_EQ(*img->attribute("alt"), "Ghe trên sông");
  EXPECT_TRUE(img->attribute("resolved-path"));
  EXPECT_EQ(text_of(*find(a.root, Kind::Caption)), "Chú thích ảnh");
  EXPECT_EQ(text_of(*find(a.root, Kind::Credit)), "Ảnh: Quốc Huy");
  EXPECT_EQ(text_of(*find(a.root, Kind::PullQuote)), "Câu trích. \u2014 Ông Út");
  EXPECT_EQ(text_of(*find(a.root, Kind::ListItem, 1)), "Hai");
  // Bylines print at the article's foot: body first, then the bylines.
  ASSERT_GE(a.root.children.size(), 2u);
  EXPECT_EQ(a.root.children[a.root.children.size() - 2].kind, Kind::Byline);
  EXPECT_EQ(text_of(a.root.children.back()), "Quốc Huy");
  // Every node has its own pre-order index, as styles are looked up by it.
  uint32_t next = 0;
  visit(a.root, [&](const Node& n) { EXPECT_EQ(n.index, next++); });
  EXPECT_EQ(a.node_count, next);
}

TEST(Nitf, UnknownElementsKeepTheirTextAndWarn) {
  Article a;
  Diagnostics d;
  std::string path = std::string(TRANG_TEST_DATA) + "/nitf/unknown-elements.nitf.xml";
  ASSERT_TRUE(read_any_article(path, a, d)) << messages(d);
  std::string m = messages(d);
  EXPECT_NE(m.find(path + ":14:22: warning: NITF element <xyz-tag> in <p> has no place in the "
                   "article model; its text is kept"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":15:7: warning: NITF element <widget> in <body.content>"),
            std::string::npos) << m;
  // A table has its place now: it is read as one, without a warning.
  EXPECT_EQ(m.find("<table>"), std::string::npos) << m;
  std::string all = text_of(a.root);
  EXPECT_NE(all.find("Đoạn đầu có chữ lạ ở giữa."), std::string::npos) << all;
  EXPECT_NE(all.find("Khối không quen biết"), std::string::npos) << all;
  const Node* table = find(a.root, Kind::Table);
  ASSERT_TRUE(table);
  EXPECT_EQ(text_of(*find(*table, Kind::TableCell, 1)), "Ô hai");
}

TEST(Nitf, ErrorsNameFileLineAndColumn) {
  Article a;
  Diagnostics d;
  EXPECT_FALSE(parse_nitf("<nitf>\n<body><body.content>\n<p>x</body.content></body></nitf>",
                          "s.xml", ".", a, d));
  EXPECT_NE(messages(d).find("s.xml:3:"), std::string::npos) << messages(d);
  Diagnostics d2;
  EXPECT_FALSE(parse_nitf("<nitf><body><body.content>\n  <media><media-reference source=\"../khong.jpg\" "
                          "alternate-text=\"x\"/></media></body.content></body></nitf>",
                          "s.xml", ".", a, d2));
  EXPECT_NE(messages(d2).find("s.xml:2:10: error: image '../khong.jpg' is outside the article's folder"),
            std::string::npos) << messages(d2);
  Diagnostics d3;
  EXPECT_FALSE(parse_nitf("<nitf><head/></nitf>", "s.xml", ".", a, d3));
  EXPECT_NE(messages(d3).find("s.xml:1:1: error: an NITF document needs a <body>"),
            std::string::npos);
}

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("trang-wire-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

TEST(Publication, WarnsOfDuplicates) {
  Scratch f;
  f.write("a.nitf.xml", "<nitf><body><body.content><p>a</p></body.content></body></nitf>");
  f.write("b.xml", "<article id=\"s1\"><headline>B</headline><body/></article>");
  f.write("c.xml", "<article><meta><id>s1</id></meta><headline>C</headline><body/></article>");
  std::string pub = f.write("issue.xml",
                            "<publication><title>T</title>\n"
                            "<article src=\"a.nitf.xml\"/>\n"
                            "<article src=\"b.xml\"/>\n"
                            "<article src=\"./a.nitf.xml\"/>\n"
                            "<article src=\"c.xml\"/>\n"
                            "</publication>");
  Publication p;
  Diagnostics d;
  ASSERT_TRUE(read_publication(pub, p, d)) << messages(d);
  EXPECT_NE(messages(d).find(pub + ":4:1: warning: article './a.nitf.xml' is listed twice (first at "
                                   "line 2); it will print twice"),
            std::string::npos) << messages(d);
  std::vector<Article> articles(p.articles.size());
  for (size_t i = 0; i < p.articles.size(); ++i)
    ASSERT_TRUE(read_any_article(p.articles[i].path, articles[i], d)) << messages(d);
  Diagnostics ids;
  check_article_ids(p, articles, ids);
  EXPECT_EQ(messages(ids), pub + ":5:1: warning: articles 'c.xml' and 'b.xml' (line 3) have the "
                                 "same id 's1'\n  hint: two versions of one story? keep the one to print\n");
}

}  // namespace
}  // namespace trang::model
