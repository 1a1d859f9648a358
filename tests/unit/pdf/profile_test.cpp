// Tests of the print (PDF/X-4) and archive (PDF/A-2b) profiles, bookmarks and page labels, on
// hand-made page trees. Every requirement is checked on the written file with qpdf, poppler
// and Ghostscript, the way a print shop's or an archive's checker would see it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "pdf/color.h"
#include "pdf/content.h"
#include "pdf/meta.h"
#include "pdf/pdf.h"
#include "test_support.h"

namespace trang::pdf {
namespace {

namespace fs = std::filesystem;
using test::run_tool;

constexpr const char* kCmykIcc = "/usr/share/color/icc/ghostscript/default_cmyk.icc";

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

class ProfileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { serif_ = new test::TestFont(test::kNotoSerif); }
  static void TearDownTestSuite() {
    delete serif_;
    serif_ = nullptr;
  }
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("trang_profile_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (std::getenv("TRANG_KEEP_TEST_FILES")) return;
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Two A5 pages: an RGB headline, a gray rule, an RGB fill, a CMYK run; on page 1 a red raw
  // RGB image that bleeds off the top-left corner by 3 mm, and a link; outline entries and
  // labels "1" and "2".
  layout::PageTree tree(std::shared_ptr<const image::Image> picture = image()) const {
    layout::PageTree t;
    t.fonts = {serif_->program()};
    t.info.title = "Cần Thơ: Ban Chỉ đạo 35";
    t.info.author = "Sen Hồng";
    t.info.subject = "Tin tức";
    t.info.keywords = "Cần Thơ, Ban Chỉ đạo 35";
    t.info.language = "vi";
    t.info.date = "2023-05-12";
    layout::Page p;
    p.width = Pt(419.528);  // A5
    p.height = Pt(595.276);
    p.label = "1";
    layout::FillItem fill{{Pt(50), Pt(50), Pt(100), Pt(40)}, Color::rgb(0.9f, 0.9f, 1)};
    layout::RuleItem rule{Pt(40), Pt(500), Pt(380), Pt(500), Pt(0.5), Color::gray(0.5f)};
    layout::GlyphRun head = serif_->shape("Đồng chí Trần Văn Huyến", 0, 16, 40, 540);
    head.color = Color::rgb(0.8f, 0.1f, 0.1f);
    // Bleeds: from 3 mm outside the trim, top-left.
    layout::ImageItem bleeding{picture, {-mm(3), p.height - Pt(100), Pt(120) + mm(3), Pt(100) + mm(3)}, "x"};
    layout::LinkItem link{{Pt(40), Pt(535), Pt(200), Pt(20)}, "https://example.com/"};
    layout::Page p2 = p;
    p.content.items = {fill, bleeding, rule, head, link};
    p2.label = "2";
    layout::GlyphRun body = serif_->shape("Tin, ảnh: Sen Hồng", 0, 10, 40, 400);
    body.color = Color::cmyk(0, 0, 0, 1);
    p2.content.items = {fill, rule, body};
    t.pages = {p, p2};
    t.outline = {{"Đồng chí Trần Văn Huyến", 0, 0, Pt(556)}, {"Tin, ảnh", 1, 1, Pt(412)}};
    return t;
  }
  static std::shared_ptr<image::Image> image() {
    auto v = std::make_shared<image::Image>();
    v->kind = image::Image::Kind::Raw;
    v->width = 24;
    v->height = 20;
    v->components = 3;
    v->data.assign(24 * 20 * 3, 0);
    for (size_t i = 0; i < v->data.size(); i += 3) v->data[i] = 230;  // red
    v->path = "red.png";
    return v;
  }

  std::string write(const layout::PageTree& t, const Options& o, WriteReport* rep = nullptr,
                    bool expect_clean = true) {
    Diagnostics d;
    auto pdf = write_pdf(t, o, d, rep);
    if (expect_clean)
      for (const auto& x : d.all()) ADD_FAILURE() << x.format();
    EXPECT_TRUE(pdf.has_value());
    return pdf.value_or("");
  }
  fs::path save(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    test::write_file(p, bytes);
    return p;
  }
  static std::string q(const fs::path& p) { return "'" + p.string() + "'"; }
  // The file with every stream uncompressed and one object per block (qpdf --qdf).
  static std::string qdf(const fs::path& p) {
    auto r = run_tool("qpdf --qdf --object-streams=disable " + q(p) + " -");
    EXPECT_EQ(r.status, 0) << r.err;
    return r.out;
  }
  // The same with every run of white space made one space: arrays and dictionaries on a line.
  static std::string flat(const fs::path& p) {
    std::string s = qdf(p), out;
    for (char c : s) {
      bool ws = c == ' ' || c == '\n' || c == '\r' || c == '\t';
      if (ws && !out.empty() && out.back() == ' ') continue;
      out += ws ? ' ' : c;
    }
    return out;
  }
  static void expect_valid(const fs::path& p) {
    auto r = run_tool("qpdf --check " + q(p));
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;
    auto g = run_tool("gs -q -dNOPAUSE -dBATCH -o /dev/null -sDEVICE=nullpage " + q(p));
    EXPECT_EQ(g.status, 0) << g.out << g.err;
    EXPECT_EQ(g.out + g.err, "") << "Ghostscript complained";
  }

  Options print_options() const {
    Options o;
    o.profile = Profile::Print;
    o.output_profile = test::read_file(kCmykIcc);
    o.output_profile_name = kCmykIcc;
    return o;
  }

  static test::TestFont* serif_;
  fs::path dir_;
};
test::TestFont* ProfileTest::serif_ = nullptr;

std::vector<std::vector<double>> boxes(const std::string& qdf, const std::string& key) {
  std::vector<std::vector<double>> out;
  std::regex re("/" + key + " \\[ ?([-0-9.]+) ([-0-9.]+) ([-0-9.]+) ([-0-9.]+) ?\\]");
  for (auto it = std::sregex_iterator(qdf.begin(), qdf.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4])});
  return out;
}

TEST_F(ProfileTest, PrintHasTrimAndBleedBoxesOnEveryPage) {
  fs::path pdf = save("print.pdf", write(tree(), print_options()));
  std::string s = flat(pdf);
  auto trim = boxes(s, "TrimBox"), bleed = boxes(s, "BleedBox"), media = boxes(s, "MediaBox");
  ASSERT_EQ(trim.size(), 2u);
  ASSERT_EQ(bleed.size(), 2u);
  ASSERT_EQ(media.size(), 2u);
  double b = mm(3).v, m = detail::media_margin(mm(3), true, false).v;
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(trim[i][0], 0, 0.01);
    EXPECT_NEAR(trim[i][2], 419.528, 0.01);
    EXPECT_NEAR(trim[i][3], 595.276, 0.01);
    EXPECT_NEAR(bleed[i][0], -b, 0.01);
    EXPECT_NEAR(bleed[i][2], 419.528 + b, 0.01);
    EXPECT_NEAR(media[i][1], -m, 0.01);
    EXPECT_NEAR(media[i][3], 595.276 + m, 0.01);
    EXPECT_GT(m, b + detail::kMarkLength);  // room for marks outside the bleed
  }
  expect_valid(pdf);
}

TEST_F(ProfileTest, PrintOutputIntentInfoAndXmp) {
  WriteReport rep;
  fs::path pdf = save("print.pdf", write(tree(), print_options(), &rep));
  std::string s = qdf(pdf);
  EXPECT_NE(s.find("/S /GTS_PDFX"), std::string::npos);
  EXPECT_NE(s.find("/OutputConditionIdentifier (FOGRA39)"), std::string::npos);
  EXPECT_NE(s.find("/RegistryName (http://www.color.org)"), std::string::npos);
  EXPECT_NE(s.find("/DestOutputProfile"), std::string::npos);
  EXPECT_NE(s.find("/N 4"), std::string::npos);
  EXPECT_NE(s.find("/GTS_PDFXVersion (PDF/X-4)"), std::string::npos);
  EXPECT_NE(s.find("/Trapped /False"), std::string::npos);
  EXPECT_NE(s.find("/CreationDate (D:20230512000000+00'00')"), std::string::npos);
  EXPECT_NE(s.find("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"), std::string::npos);
  EXPECT_NE(s.find("<pdf:Trapped>False</pdf:Trapped>"), std::string::npos);
  EXPECT_NE(s.find("<xmp:CreateDate>2023-05-12T00:00:00+00:00</xmp:CreateDate>"), std::string::npos);
  EXPECT_NE(s.find("Cần Thơ: Ban Chỉ đạo 35</rdf:li>"), std::string::npos);
  EXPECT_TRUE(rep.output_profile_embedded);
  EXPECT_EQ(rep.date_source, "article");
  EXPECT_EQ(rep.rgb_colors_converted, 3u);  // the headline and the fill on both pages
  EXPECT_EQ(rep.rgb_images_converted, 1u);
  ASSERT_EQ(rep.fonts.size(), 1u);
  EXPECT_EQ(rep.fonts[0].name, "NotoSerif-Regular");
}

TEST_F(ProfileTest, PrintContentHasOnlyCmykColourOperators) {
  Options o = print_options();
  o.compress = false;
  fs::path pdf = save("print.pdf", write(tree(), o));
  std::string s = qdf(pdf);
  // Every content stream: qdf marks them with "%% Contents for page N".
  std::regex ops("(^|\\s)(rg|RG|g|G|sc|scn|SC|SCN|cs|CS)\\s");
  size_t pages = 0;
  for (size_t at = s.find("%% Contents for page"); at != std::string::npos;
       at = s.find("%% Contents for page", at + 1)) {
    size_t begin = s.find("stream\n", at), end = s.find("endstream", begin);
    std::string content = s.substr(begin, end - begin);
    std::smatch m;
    EXPECT_FALSE(std::regex_search(content, m, ops)) << "non-CMYK operator: " << m.str();
    EXPECT_NE(content.find(" k\n"), std::string::npos);
    ++pages;
  }
  EXPECT_EQ(pages, 2u);
  // The raw RGB image is CMYK now; the 50% gray rule is on the black plate only.
  EXPECT_EQ(count(s, "/ColorSpace /DeviceRGB"), 0u);
  EXPECT_NE(s.find("/ColorSpace /DeviceCMYK"), std::string::npos);
  EXPECT_NE(s.find("0 0 0 0.5 K"), std::string::npos);
  EXPECT_NE(s.find("1 1 1 1 K"), std::string::npos) << "marks in registration colour";
}

TEST_F(ProfileTest, PrintPixelsShowCropMarksOutsideTrimAndArtInTheBleed) {
  fs::path pdf = save("print.pdf", write(tree(), print_options()));
  // 72 dpi: one pixel per point; the page image starts at the MediaBox corner.
  auto r = run_tool("pdftoppm -r 72 -f 1 -l 1 " + q(pdf) + " " + q(dir_ / "p"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::string ppm = test::read_file(dir_ / "p-1.ppm");
  int w = 0, h = 0, maxv = 0, off = 0;
  ASSERT_EQ(std::sscanf(ppm.c_str(), "P6 %d %d %d%n", &w, &h, &maxv, &off), 3);
  off += 1;
  auto px = [&](int x, int y) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(ppm.data()) + off + 3 * (y * w + x);
    return std::array<int, 3>{p[0], p[1], p[2]};
  };
  auto dark = [&](int x, int y) { auto c = px(x, y); return c[0] + c[1] + c[2] < 300; };
  int m = static_cast<int>(std::lround(detail::media_margin(mm(3), true, false).v));
  int b = static_cast<int>(std::lround(mm(3).v));
  ASSERT_NEAR(w, 420 + 2 * m, 2);
  // Bottom-left corner: the horizontal crop mark lies on the trim's bottom edge (y = h - m in
  // image rows), left of the bleed; the vertical one on x = m, below the bleed.
  int ty = h - m, tx = m;
  bool hmark = false, vmark = false;
  for (int x = 0; x < tx - b - 1; ++x) hmark |= dark(x, ty) || dark(x, ty - 1);
  for (int y = ty + b + 1; y < h; ++y) vmark |= dark(tx, y) || dark(tx - 1, y);
  EXPECT_TRUE(hmark && vmark) << "no crop marks at the bottom-left corner";
  // Nothing of the marks inside the bleed zone next to that corner.
  for (int x = tx - b + 1; x < tx; ++x) EXPECT_FALSE(dark(x, ty + 2)) << x;
  // The red image runs into the bleed at the top-left: red pixels outside the trim box.
  auto c = px(tx - b / 2, m - b / 2);
  EXPECT_GT(c[0], 150);
  EXPECT_LT(c[1], 120);
  // ...but not past the bleed (it ends at the BleedBox).
  auto outside = px(tx - b - 3, m + 20);
  EXPECT_GT(outside[1], 200) << "art past the bleed";
}

TEST_F(ProfileTest, PrintWithoutProfileWarnsAndNamesTheCondition) {
  Options o;
  o.profile = Profile::Print;
  Diagnostics d;
  WriteReport rep;
  auto bytes = write_pdf(tree(), o, d, &rep);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(d.warning_count(), 1);
  EXPECT_FALSE(rep.output_profile_embedded);
  fs::path pdf = save("noprofile.pdf", *bytes);
  std::string s = qdf(pdf);
  EXPECT_NE(s.find("/OutputConditionIdentifier (FOGRA39)"), std::string::npos);
  EXPECT_EQ(s.find("/DestOutputProfile"), std::string::npos);
  expect_valid(pdf);
}

TEST_F(ProfileTest, PrintRefusesAnRgbOutputProfile) {
  Options o;
  o.profile = Profile::Print;
  o.output_profile = test::read_file("/usr/share/color/icc/ghostscript/srgb.icc");
  o.output_profile_name = "srgb.icc";
  Diagnostics d;
  EXPECT_FALSE(write_pdf(tree(), o, d).has_value());
  ASSERT_TRUE(d.has_errors());
  EXPECT_NE(d.all()[0].message.find("not a CMYK profile"), std::string::npos);
  o.output_profile = "garbage";
  Diagnostics d2;
  EXPECT_FALSE(write_pdf(tree(), o, d2).has_value());
  EXPECT_TRUE(d2.has_errors());
}

TEST_F(ProfileTest, ArchiveIsPdfA2aWithXmpAndSrgbIntent) {
  layout::PageTree t = tree();
  t.pages[1].content.push(layout::RuleItem{Pt(40), Pt(300), Pt(300), Pt(300), Pt(1), Color::cmyk(1, 0, 0, 0)});
  Options o;
  o.profile = Profile::Archive;
  o.compress = false;
  WriteReport rep;
  fs::path pdf = save("archive.pdf", write(t, o, &rep));
  std::string s = qdf(pdf);
  EXPECT_NE(s.find("/S /GTS_PDFA1"), std::string::npos);
  EXPECT_NE(s.find("/OutputConditionIdentifier (sRGB IEC61966-2.1)"), std::string::npos);
  EXPECT_NE(s.find("/DestOutputProfile"), std::string::npos);
  EXPECT_NE(s.find("/N 3"), std::string::npos);
  EXPECT_NE(s.find("/Type /Metadata"), std::string::npos);
  for (const char* field :
       {"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>A</pdfaid:conformance>",
        "<rdf:li xml:lang=\"x-default\">Cần Thơ: Ban Chỉ đạo 35</rdf:li>",
        "<dc:creator><rdf:Seq><rdf:li>Sen Hồng</rdf:li></rdf:Seq></dc:creator>",
        "<dc:language><rdf:Bag><rdf:li>vi</rdf:li></rdf:Bag></dc:language>",
        "<rdf:li>Ban Chỉ đạo 35</rdf:li>", "<pdf:Keywords>Cần Thơ, Ban Chỉ đạo 35</pdf:Keywords>",
        "<xmp:CreateDate>2023-05-12T00:00:00+00:00</xmp:CreateDate>",
        "<xmp:CreatorTool>trang</xmp:CreatorTool>", "<pdf:Producer>trang</pdf:Producer>",
        "<xmpMM:DocumentID>uuid:"})
    EXPECT_NE(s.find(field), std::string::npos) << field;
  EXPECT_NE(s.find("/CreationDate (D:20230512000000+00'00')"), std::string::npos);
  EXPECT_EQ(s.find("GTS_PDFX"), std::string::npos);
  EXPECT_EQ(s.find("/Encrypt"), std::string::npos);
  EXPECT_NE(s.find("/F 4"), std::string::npos) << "links must print in PDF/A";
  // No DeviceCMYK: the CMYK rule became RGB (cyan -> 0 1 1).
  EXPECT_NE(s.find("0 1 1 RG"), std::string::npos);
  EXPECT_EQ(s.find(" K\n"), std::string::npos);
  EXPECT_EQ(rep.cmyk_converted, 2u);  // the rule and the black text run
  // The metadata stream is not compressed.
  EXPECT_NE(test::read_file(pdf).find("<pdfaid:part>2</pdfaid:part>"), std::string::npos);
  expect_valid(pdf);
  // Untagged, level A cannot be claimed: level B, and no PDF/UA.
  o.tagged = false;
  std::string plain = qdf(save("archive-untagged.pdf", write(t, o)));
  EXPECT_NE(plain.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);
  EXPECT_EQ(plain.find("pdfuaid:part"), std::string::npos);
}

TEST_F(ProfileTest, BookmarksAndPageLabelsInEveryProfile) {
  for (Profile p : {Profile::Screen, Profile::Print, Profile::Archive}) {
    Options o = p == Profile::Print ? print_options() : Options{};
    o.profile = p;
    layout::PageTree t = tree();
    t.pages[1].label = "A-1";
    fs::path pdf = save(std::string("nav-") + profile_name(p) + ".pdf", write(t, o));
    std::string s = flat(pdf);
    EXPECT_NE(s.find("/Type /Outlines"), std::string::npos);
    EXPECT_NE(s.find("/PageMode /UseOutlines"), std::string::npos);
    // UTF-16BE title with a byte order mark: "Đồng" = 0110 1ED3 006E 0067.
    EXPECT_NE(s.find("/Title <feff01101ed3006e0067"), std::string::npos) << profile_name(p);
    EXPECT_NE(s.find("/XYZ 0 556 null"), std::string::npos);
    EXPECT_NE(s.find("/XYZ 0 412 null"), std::string::npos);
    EXPECT_TRUE(std::regex_search(s, std::regex("/Nums \\[\\s*0 << /S /D /St 1 >>\\s*1 << /P \\(A-1\\) >>")))
        << profile_name(p);
    auto labels = run_tool("qpdf --json --json-key=pagelabels " + q(pdf));
    EXPECT_NE(labels.out.find("\"/P\": \"u:A-1\""), std::string::npos) << labels.out;
    expect_valid(pdf);
  }
}

TEST_F(ProfileTest, ProfilesAreDeterministicWithAnArticleDate) {
  for (Profile p : {Profile::Print, Profile::Archive}) {
    Options o = p == Profile::Print ? print_options() : Options{};
    o.profile = p;
    EXPECT_EQ(write(tree(), o), write(tree(), o)) << profile_name(p);
  }
}

TEST_F(ProfileTest, SoftMaskedImageGivesPageATransparencyGroup) {
  std::shared_ptr<image::Image> masked = image();
  masked->alpha.assign(24 * 20, 128);
  Options o = print_options();
  Diagnostics d;
  auto bytes = write_pdf(tree(masked), o, d);
  ASSERT_TRUE(bytes);
  fs::path pdf = save("alpha.pdf", *bytes);
  std::string s = qdf(pdf);
  EXPECT_NE(s.find("/S /Transparency"), std::string::npos);
  EXPECT_NE(s.find("/CS /DeviceCMYK"), std::string::npos);
  expect_valid(pdf);
}

// ---- the pieces -------------------------------------------------------------------------------

TEST(Meta, ParsesIsoDates) {
  auto d = detail::parse_iso_date("2023-05-12T08:30:05+07:00");
  ASSERT_TRUE(d);
  EXPECT_EQ(detail::pdf_date(*d), "D:20230512083005+07'00'");
  EXPECT_EQ(detail::xmp_date(*d), "2023-05-12T08:30:05+07:00");
  EXPECT_EQ(detail::xmp_date(*detail::parse_iso_date("2024-02-29")), "2024-02-29T00:00:00+00:00");
  EXPECT_EQ(detail::pdf_date(*detail::parse_iso_date("2023-01-02T03:04Z")), "D:20230102030400+00'00'");
  for (const char* bad : {"", "12 May 2023", "2023-02-29", "2023-13-01", "2023-05-12T25:00",
                          "2023-05-12T10:00+7", "2023-05-12junk"})
    EXPECT_FALSE(detail::parse_iso_date(bad)) << bad;
  EXPECT_EQ(detail::xmp_date(detail::date_from_unix(0)), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(detail::xmp_date(detail::date_from_unix(1700000000)), "2023-11-14T22:13:20+00:00");
}

TEST(Meta, XmpEscapesAndOmitsEmptyFields) {
  detail::XmpFields f;
  f.title = "A <b> & \"c\"";
  f.keywords = " a, ,b ";
  std::string x = detail::xmp_packet(f);
  EXPECT_NE(x.find("A &lt;b&gt; &amp; &quot;c&quot;"), std::string::npos);
  EXPECT_NE(x.find("<rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li></rdf:Bag>"), std::string::npos);
  EXPECT_EQ(x.find("dc:creator"), std::string::npos);
  EXPECT_EQ(x.find("pdfaid"), std::string::npos);
  EXPECT_EQ(x.rfind("<?xpacket end=\"w\"?>"), x.size() - 19);
}

TEST(Color, NaiveConversions) {
  auto eq = [](const Color& c, float a, float b, float d, float k) {
    return std::abs(c.c[0] - a) < 1e-5 && std::abs(c.c[1] - b) < 1e-5 &&
           std::abs(c.c[2] - d) < 1e-5 && std::abs(c.c[3] - k) < 1e-5;
  };
  EXPECT_TRUE(eq(detail::naive_to_cmyk(Color::rgb(1, 0, 0)), 0, 1, 1, 0));
  EXPECT_TRUE(eq(detail::naive_to_cmyk(Color::rgb(0, 0, 0)), 0, 0, 0, 1));
  EXPECT_TRUE(eq(detail::naive_to_cmyk(Color::gray(0.25f)), 0, 0, 0, 0.75f));
  EXPECT_TRUE(eq(detail::naive_to_cmyk(Color::rgb(0.5f, 0.5f, 0.5f)), 0, 0, 0, 0.5f));
  Color rgb = detail::naive_to_rgb(Color::cmyk(1, 0, 0, 0.5f));
  EXPECT_EQ(rgb.space, Color::Space::Rgb);
  EXPECT_TRUE(eq(rgb, 0, 0.5f, 0.5f, 0));
}

TEST(Color, ManagedConversionUsesTheOutputProfile) {
  std::string err;
  auto icc = detail::read_icc(test::read_file(kCmykIcc), err);
  ASSERT_TRUE(icc) << err;
  EXPECT_EQ(icc->components, 4);
  EXPECT_FALSE(icc->description.empty());
  detail::ColorConverter managed(&*icc), naive(nullptr);
  EXPECT_TRUE(managed.managed());
  EXPECT_FALSE(naive.managed());
  Color red = managed.to_cmyk(Color::rgb(1, 0, 0));
  EXPECT_EQ(red.space, Color::Space::Cmyk);
  // A press profile makes sRGB red mostly magenta and yellow, not the naive 0 1 1 0 exactly.
  EXPECT_GT(red.c[1], 0.7f);
  EXPECT_GT(red.c[2], 0.7f);
  EXPECT_LT(red.c[0], 0.2f);
  EXPECT_FALSE(red == naive.to_cmyk(Color::rgb(1, 0, 0)));
  auto px = managed.rgb_to_cmyk(std::vector<uint8_t>{255, 0, 0, 255, 255, 255});
  ASSERT_EQ(px.size(), 8u);
  EXPECT_GT(px[1], 170);
  EXPECT_LT(px[4] + px[5] + px[6] + px[7], 10) << "white stays paper";
}

TEST(Color, SrgbProfileIsValidAndStable) {
  const auto& p = detail::srgb_profile();
  ASSERT_GT(p.bytes.size(), 128u);
  EXPECT_EQ(p.bytes.substr(36, 4), "acsp");
  EXPECT_EQ(p.bytes.substr(16, 4), "RGB ");
  std::string err;
  auto back = detail::read_icc(p.bytes, err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->components, 3);
  EXPECT_EQ(static_cast<unsigned char>(p.bytes[24]), 2000 >> 8);  // fixed date, not the clock
}

TEST(Marks, CropMarksStayOutsideTheBleed) {
  std::string out;
  detail::append_marks(out, Pt(100), Pt(200), Pt(10), true, true);
  EXPECT_NE(out.find("1 1 1 1 K"), std::string::npos);
  // Every coordinate of a crop mark segment is either on a trim edge or outside the bleed.
  std::regex seg("([-0-9.]+) ([-0-9.]+) m ([-0-9.]+) ([-0-9.]+) l S");
  int n = 0;
  for (auto it = std::sregex_iterator(out.begin(), out.end(), seg); it != std::sregex_iterator(); ++it) {
    double x1 = std::stod((*it)[1]), y1 = std::stod((*it)[2]);
    bool outside = x1 <= -10 - detail::kMarkGap + 1e-6 || x1 >= 110 + detail::kMarkGap - 1e-6 ||
                   y1 <= -10 - detail::kMarkGap + 1e-6 || y1 >= 210 + detail::kMarkGap - 1e-6;
    EXPECT_TRUE(outside) << it->str();
    ++n;
  }
  EXPECT_EQ(n, 8 + 8);  // 8 crop segments, 4 targets x 2 cross lines
  std::string none;
  detail::append_marks(none, Pt(100), Pt(200), Pt(10), false, false);
  EXPECT_EQ(none, "");
  EXPECT_EQ(detail::media_margin(Pt(10), false, false).v, 10);
}

}  // namespace
}  // namespace trang::pdf
