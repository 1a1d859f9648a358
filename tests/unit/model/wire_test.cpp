// Wire NITF as it comes (issue 15): DOCTYPEs, pictures sent apart from the story, byline
// titles, ISO dates, notes, tables.
#include <gtest/gtest.h>

#include "model/date.h"
#include "model/publication.h"
#include "helpers.h"

namespace trang::model {
namespace {

using test::find;
using test::messages;
const auto& text_of = test::all_text;  // with "\n" for line breaks

std::string date(std::string_view iso, std::string_view lang) {
  std::optional<Date> d = parse_iso_date(iso);
  return d ? format_date(*d, lang) : "(not a date)";
}

TEST(Date, ParsesIsoBasicAndExtended) {
  EXPECT_EQ(date("20170102T222800+0000", "en"), "January 2, 2017");
  EXPECT_EQ(date("2017-01-02", "en"), "January 2, 2017");
  EXPECT_EQ(date("2017-01-02T22:28:00Z", "en-US"), "January 2, 2017");
  EXPECT_EQ(date("2017-12-17T15:05:00-03:00", "en"), "December 17, 2017");
  EXPECT_EQ(date("20240229", "en"), "February 29, 2024");
  // The day of the stamp's own offset: no conversion to UTC or to the machine's zone.
  EXPECT_EQ(date("20170102T235900-0800", "en"), "January 2, 2017");
  for (const char* bad : {"2017", "2017-01", "20170230", "2017-13-01", "1/2/2017", "20170102X",
                          "2017-0102", "20170102T2", "20170102T222800+0000junk", ""})
    EXPECT_FALSE(parse_iso_date(bad)) << bad;
}

TEST(Date, PrintedInTheDocumentsLanguage) {
  EXPECT_EQ(date("20170102", "vi"), "Thứ Hai, 2/1/2017");
  EXPECT_EQ(date("2025-11-20", "vi-VN"), "Thứ Năm, 20/11/2025");
  EXPECT_EQ(date("2025-11-23", "vi"), "Chủ Nhật, 23/11/2025");
  EXPECT_EQ(date("2017-12-17", "es"), "17 de diciembre de 2017");
  EXPECT_EQ(date("2017-05-17", "nb"), "17. mai 2017");
  EXPECT_EQ(date("2017-05-17", "no"), "17. mai 2017");
  EXPECT_EQ(date("2017-05-07", "de"), "2017-05-07");
  EXPECT_EQ(date("2017-05-07", ""), "2017-05-07");
}

Article nitf(const std::string& xml, Diagnostics& d, bool ok = true,
             const std::string& dir = ".") {
  Article a;
  EXPECT_EQ(parse_nitf(xml, "w.nitf.xml", dir, a, d), ok) << messages(d);
  return a;
}

std::string story(const std::string& head, const std::string& content,
                  const std::string& lang = "en") {
  return "<?xml version=\"1.0\"?>\n<!DOCTYPE nitf SYSTEM \"nitf-3-4.dtd\">\n<nitf xml:lang=\"" +
         lang + "\"><body>\n<body.head><hedline><hl1>H</hl1></hedline>" + head +
         "</body.head>\n<body.content>" + content + "</body.content></body></nitf>";
}

TEST(Wire, DoctypeWithExternalIdIsRead) {
  Diagnostics d;
  Article a = nitf(story("", "<p>x</p>"), d);
  EXPECT_EQ(a.headline(), "H");
  Diagnostics d2;
  nitf("<!DOCTYPE nitf PUBLIC \"-//IPTC//DTD NITF 3.6//EN\" \"http://www.iptc.org/nitf-3-6.dtd\">"
       "<nitf><body><body.content><p>x</p></body.content></body></nitf>", d2);
  Diagnostics d3;
  nitf("<!DOCTYPE nitf [<!ENTITY a \"b\">]>\n<nitf><body/></nitf>", d3, false);
  EXPECT_NE(messages(d3).find("w.nitf.xml:1:1: error: a DOCTYPE with an internal subset"),
            std::string::npos) << messages(d3);
}

TEST(Wire, BylineTitleGoesOnItsOwnLine) {
  Diagnostics d;
  Article a = nitf(story("<byline>By <person>Margaret Stafford</person><byttl>AP Writer</byttl></byline>"
                         "<byline>Por Manuel Fuentes, <byttl>corresponsal de EFE</byttl></byline>"
                         "<byline><byttl>Staff</byttl></byline>", ""), d);
  EXPECT_EQ(text_of(*find(a.root, Kind::Byline, 0)), "By Margaret Stafford\nAP Writer");
  EXPECT_EQ(text_of(*find(a.root, Kind::Byline, 1)), "Por Manuel Fuentes\ncorresponsal de EFE");
  EXPECT_EQ(text_of(*find(a.root, Kind::Byline, 2)), "Staff");
}

TEST(Wire, IsoDatelinesPrintAsDates) {
  Diagnostics d;
  Article en = nitf(story("<dateline><city>KANSAS CITY</city> (AP) <story.date norm=\"20170102T222800+0000\">"
                          "20170102T222800+0000</story.date></dateline>", ""), d);
  EXPECT_EQ(text_of(*find(en.root, Kind::Dateline)), "KANSAS CITY (AP) January 2, 2017");
  Article norm_only = nitf(story("<dateline>WASHINGTON <story.date norm=\"20170102T222800+0000\"/></dateline>", ""), d);
  EXPECT_EQ(text_of(*find(norm_only.root, Kind::Dateline)), "WASHINGTON January 2, 2017");
  // What a person wrote stays as written.
  Article written = nitf(story("<dateline>WASHINGTON, <story.date norm=\"20170102\">Jan. 2</story.date></dateline>", ""), d);
  EXPECT_EQ(text_of(*find(written.root, Kind::Dateline)), "WASHINGTON, Jan. 2");
  Article es = nitf(story("<dateline>Santiago de Chile, 2017-12-17T15:05:00-03:00 (EFE)</dateline>", "", "es"), d);
  EXPECT_EQ(text_of(*find(es.root, Kind::Dateline)), "Santiago de Chile, 17 de diciembre de 2017 (EFE)");
  Article vi = nitf(story("<dateline>Cần Thơ, 20251120T083000+0700.</dateline>", "", "vi"), d);
  EXPECT_EQ(text_of(*find(vi.root, Kind::Dateline)), "Cần Thơ, Thứ Năm, 20/11/2025.");
  EXPECT_EQ(d.warning_count(), 0) << messages(d);
}

TEST(Wire, NoteInBodyHeadKeepsItsTextWithAWarning) {
  Diagnostics d;
  Article a = nitf(story("\n<note><p>Eds: Updates with governor's declaration.</p></note>", "<p>Body.</p>"), d);
  EXPECT_NE(messages(d).find("w.nitf.xml:5:1: warning: NITF <note> in <body.head> is kept"),
            std::string::npos) << messages(d);
  const Node* body = find(a.root, Kind::Body);
  ASSERT_TRUE(body);
  ASSERT_GE(body->children.size(), 2u);
  EXPECT_EQ(body->children[0].kind, Kind::Box);
  EXPECT_EQ(text_of(body->children[0]), "Eds: Updates with governor's declaration.");
  // Text beside the paragraphs of a bq or abstract is kept too.
  Diagnostics d2;
  Article b = nitf(story("", "<bq>Loose words <p>A paragraph.</p><credit>Someone</credit></bq>"), d2);
  EXPECT_EQ(text_of(*find(b.root, Kind::PullQuote)), "Loose words \nA paragraph. \u2014 Someone");
}

TEST(Wire, PicturesByUrlIdOrMissingFileArePlaceholders) {
  Diagnostics d;
  Article a = nitf(story("",
                         "\n<media media-type=\"image\"><media-reference source=\"https://wire.example/p.jpg\" "
                         "alternate-text=\"A snowplow\"/><media-caption>Plow on I-70.</media-caption></media>"
                         "\n<media><media-reference mime-type=\"image/jpeg\" id=\"efe-foto-1\"/>"
                         "<media-caption>Votantes en fila.</media-caption></media>"
                         "\n<media media-type=\"image\"><media-reference source=\"urn:newsml:ap.org:2017:abc\"/>"
                         "<media-caption>By urn.</media-caption></media>"
                         "\n<media media-type=\"image\"><media-reference source=\"khong-co.jpg\" alternate-text=\"x\"/></media>"),
                   d);
  std::string m = messages(d);
  EXPECT_NE(m.find("w.nitf.xml:6:27: warning: picture 'https://wire.example/p.jpg' is a URL; trang never fetches one"),
            std::string::npos) << m;
  EXPECT_NE(m.find("w.nitf.xml:7:8: warning: picture 'efe-foto-1' referenced by id is not a file trang can read"),
            std::string::npos) << m;
  EXPECT_NE(m.find("w.nitf.xml:8:27: warning: picture 'urn:newsml:ap.org:2017:abc' is a URL"), std::string::npos) << m;
  EXPECT_NE(m.find("w.nitf.xml:9:27: warning: picture file 'khong-co.jpg' not found"), std::string::npos) << m;
  // Each is a figure with an image that has no file (the layout's placeholder), named by its
  // alt text, else its caption.
  for (size_t i = 0; i < 4; ++i) {
    const Node* img = find(a.root, Kind::Image, i);
    ASSERT_TRUE(img) << i;
    EXPECT_FALSE(img->attribute("resolved-path")) << i;
  }
  EXPECT_EQ(*find(a.root, Kind::Image, 0)->attribute("alt"), "A snowplow");
  EXPECT_EQ(*find(a.root, Kind::Image, 1)->attribute("alt"), "Votantes en fila.");
  EXPECT_EQ(*find(a.root, Kind::Image, 2)->attribute("alt"), "By urn.");
  EXPECT_EQ(text_of(*find(a.root, Kind::Caption, 1)), "Votantes en fila.");
  // A path that leaves the folder is still refused.
  Diagnostics d2;
  nitf(story("", "<media><media-reference source=\"../../etc/passwd\" alternate-text=\"x\"/></media>"), d2, false);
  EXPECT_NE(messages(d2).find("error: image '../../etc/passwd' is outside the article's folder"),
            std::string::npos) << messages(d2);
  Diagnostics d3;
  nitf(story("", "<media><media-reference source=\"/etc/passwd\" alternate-text=\"x\"/></media>"), d3, false);
  EXPECT_NE(messages(d3).find("error: image '/etc/passwd'"), std::string::npos) << messages(d3);
}

TEST(Wire, TablesAreReadAsTables) {
  Diagnostics d;
  Article a = nitf(story("",
                         "\n<table><tfoot><tr><td colspan=\"2\">Source: FAA</td></tr></tfoot>"
                         "\n<caption>Flights</caption><col width=\"20\"/>"
                         "\n<thead><tr><th>Airport</th><th>Canceled</th></tr></thead>"
                         "\n<tbody><tr><td><p>Kansas</p><p>City</p></td><td rowspan=\"2\">312</td></tr>"
                         "\n<tr><td colspan=\"many\">Omaha</td><td>87</td></tr></tbody>"
                         "\n<tr><td>Bare <em>row</em></td></tr><tr>loose</tr></table>"),
                   d);
  std::string m = messages(d);
  EXPECT_NE(m.find("w.nitf.xml:9:45: warning: rowspan is not supported; the cell takes one row"),
            std::string::npos) << m;
  EXPECT_NE(m.find("w.nitf.xml:10:5: warning: colspan must be a whole number from 1 to 64, not 'many'"),
            std::string::npos) << m;
  EXPECT_NE(m.find("w.nitf.xml:11:40: warning: text directly inside NITF <tr> is kept as a cell"),
            std::string::npos) << m;
  const Node* t = find(a.root, Kind::Table);
  ASSERT_TRUE(t);
  // The caption first, then the sections as written (layout prints tfoot last).
  ASSERT_EQ(t->children.size(), 6u);
  EXPECT_EQ(t->children[0].kind, Kind::Caption);
  EXPECT_EQ(text_of(t->children[0]), "Flights");
  EXPECT_EQ(t->children[1].name, "tfoot");
  EXPECT_EQ(t->children[2].name, "thead");
  EXPECT_EQ(t->children[3].name, "tbody");
  EXPECT_EQ(t->children[4].kind, Kind::TableRow);
  const Node& foot_cell = t->children[1].children[0].children[0];
  EXPECT_EQ(*foot_cell.attribute("colspan"), "2");
  EXPECT_EQ(t->children[2].children[0].children[0].name, "th");
  EXPECT_EQ(text_of(t->children[3].children[0].children[0]), "Kansas\nCity");
  EXPECT_FALSE(t->children[3].children[1].children[0].attribute("colspan"));
  EXPECT_TRUE(find(t->children[4], Kind::Emphasis));
  EXPECT_EQ(text_of(t->children[5]), "loose");
}

TEST(Wire, TheWireSamplesReadWithPositionedWarnings) {
  std::string dir = std::string(TRANG_TEST_DATA) + "/nitf/";
  Article a;
  Diagnostics d;
  ASSERT_TRUE(read_any_article(dir + "ap-winter-storm.nitf.xml", a, d)) << messages(d);
  EXPECT_EQ(a.lang, "en");
  EXPECT_EQ(a.meta.id, "APW-20170102-storm");
  EXPECT_EQ(text_of(*find(a.root, Kind::Dateline)), "KANSAS CITY, Mo. (AP) January 2, 2017");
  EXPECT_EQ(text_of(*find(a.root, Kind::Byline)), "By Margaret Stafford\nAP Writer");
  Article e;
  Diagnostics d2;
  ASSERT_TRUE(read_any_article(dir + "efe-elecciones.nitf.xml", e, d2)) << messages(d2);
  EXPECT_EQ(text_of(*find(e.root, Kind::Dateline)),
            "Santiago de Chile, 17 de diciembre de 2017 (EFE)");
  EXPECT_NE(messages(d2).find(dir + "efe-elecciones.nitf.xml:26:9: warning: picture "
                              "'efe-foto-20171217-0042-1' referenced by id"),
            std::string::npos) << messages(d2);
}

}  // namespace
}  // namespace trang::model
