// Tests of the PDF stage. The writer's output is checked with the tools a reviewer or a print
// shop would use (pdffonts, pdftotext, pdfimages, pdfinfo, pdftoppm, qpdf), on hand-made pages
// of text shaped from a real font; the CMap, /W and TJ builders are also tested directly.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <jpeglib.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "pdf/content.h"
#include "pdf/fonts.h"
#include "pdf/pdf.h"
#include "test_support.h"

namespace trang::pdf {
namespace {

namespace fs = std::filesystem;
using test::run_tool;
using test::TestFont;
using test::TextFixture;

// NFC, as the model stage hands text on.
const std::string kHeadline = "Đồng chí Trần Văn Huyến phát biểu chỉ đạo";
const std::string kSecond = "Tin, ảnh: Sen Hồng";

std::vector<std::string> nonempty_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\f' || line.back() == ' ' || line.back() == '\r'))
      line.pop_back();
    while (!line.empty() && line.front() == '\f') line.erase(0, 1);
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// One operator of a content stream with its operands, read as a PDF reader reads them (ISO
// 32000-1 §7.2, §7.3): literal strings unescaped, with a raw end-of-line read as 0x0A
// (§7.3.4.2), hex strings decoded. Strings inside a dictionary operand (ActualText) are left out.
struct ContentOp {
  std::string op;
  std::vector<std::string> numbers;  // numeric operands as written
  std::vector<std::string> strings;  // string operands, also those inside an array
  bool hex = false;                  // one of the strings was written in hex
};

std::vector<ContentOp> parse_content(std::string_view s) {
  std::vector<ContentOp> ops;
  ContentOp cur;
  int dict = 0;
  auto space = [](char c) { return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; };
  auto delim = [](char c) { return std::string_view("()<>[]{}/%").find(c) != std::string_view::npos; };
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (space(c)) {
      ++i;
    } else if (c == '%') {
      while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
    } else if (c == '(') {
      std::string str;
      int depth = 1;
      for (++i; i < s.size();) {
        char d = s[i++];
        if (d == '\\') {
          char e = s[i++];
          if (e == 'n') str += '\n';
          else if (e == 'r') str += '\r';
          else if (e == 't') str += '\t';
          else if (e == 'b') str += '\b';
          else if (e == 'f') str += '\f';
          else if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k) v = v * 8 + (s[i++] - '0');
            str += static_cast<char>(v);
          } else if (e == '\r') {
            if (i < s.size() && s[i] == '\n') ++i;  // a line continuation
          } else if (e != '\n') {
            str += e;
          }
        } else if (d == '\r') {
          if (i < s.size() && s[i] == '\n') ++i;
          str += '\n';  // every end-of-line reads as 0x0A
        } else if (d == '(') {
          ++depth;
          str += d;
        } else if (d == ')') {
          if (--depth == 0) break;
          str += d;
        } else {
          str += d;
        }
      }
      if (!dict) cur.strings.push_back(str);
    } else if (c == '<' && i + 1 < s.size() && s[i + 1] == '<') {
      ++dict;
      i += 2;
    } else if (c == '>' && i + 1 < s.size() && s[i + 1] == '>') {
      --dict;
      i += 2;
    } else if (c == '<') {
      std::string hex;
      for (++i; i < s.size() && s[i] != '>'; ++i)
        if (!space(s[i])) hex += s[i];
      ++i;
      if (hex.size() % 2) hex += '0';
      std::string str;
      for (size_t k = 0; k < hex.size(); k += 2) str += static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16));
      if (!dict) {
        cur.strings.push_back(str);
        cur.hex = true;
      }
    } else if (c == '[' || c == ']' || c == '{' || c == '}') {
      ++i;
    } else {
      size_t start = i++;
      while (i < s.size() && !space(s[i]) && !delim(s[i])) ++i;
      std::string tok(s.substr(start, i - start));
      if (c == '/' || dict) {
        // a name, or anything inside a dictionary: not needed
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
        cur.numbers.push_back(tok);
      } else {
        cur.op = tok;
        ops.push_back(std::move(cur));
        cur = {};
      }
    }
  }
  return ops;
}

// The two-byte codes (Identity-H) of the strings shown by an operator.
std::vector<uint32_t> codes_of(const ContentOp& op) {
  std::vector<uint32_t> codes;
  for (const std::string& str : op.strings)
    for (size_t k = 0; k + 1 < str.size(); k += 2)
      codes.push_back(static_cast<unsigned char>(str[k]) << 8 | static_cast<unsigned char>(str[k + 1]));
  return codes;
}

// A font face over bytes the caller keeps alive, for reading subsets and originals back.
class Face {
 public:
  explicit Face(std::string_view bytes) {
    hb_blob_t* blob = hb_blob_create(bytes.data(), unsigned(bytes.size()), HB_MEMORY_MODE_READONLY,
                                     nullptr, nullptr);
    face_ = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    font_ = hb_font_create(face_);
  }
  ~Face() {
    hb_font_destroy(font_);
    hb_face_destroy(face_);
  }
  Face(const Face&) = delete;
  Face& operator=(const Face&) = delete;

  unsigned glyph_count() const { return hb_face_get_glyph_count(face_); }
  hb_glyph_extents_t extents(uint32_t gid) const {
    hb_glyph_extents_t ext{};
    hb_font_get_glyph_extents(font_, gid, &ext);
    return ext;
  }
  int advance(uint32_t gid) const { return hb_font_get_glyph_h_advance(font_, gid); }
  // The glyph's outline and advance as a string, to compare a subset's glyph with the original.
  std::string shape_of(uint32_t gid) const {
    hb_glyph_extents_t e = extents(gid);
    return std::to_string(e.x_bearing) + ' ' + std::to_string(e.y_bearing) + ' ' +
           std::to_string(e.width) + ' ' + std::to_string(e.height) + " adv " +
           std::to_string(advance(gid));
  }
  // The glyph the font's cmap gives `cp` (0 when none).
  uint32_t nominal(char32_t cp) const {
    hb_codepoint_t g = 0;
    return hb_font_get_nominal_glyph(font_, cp, &g) ? g : 0;
  }
  bool has_table(hb_tag_t tag) const {
    hb_blob_t* blob = hb_face_reference_table(face_, tag);
    bool has = hb_blob_get_length(blob) > 0;
    hb_blob_destroy(blob);
    return has;
  }

 private:
  hb_face_t* face_ = nullptr;
  hb_font_t* font_ = nullptr;
};

class PdfWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    serif_ = new TestFont(test::kNotoSerif);
    music_ = new TestFont(test::kNotoMusic);
  }
  static void TearDownTestSuite() {
    delete serif_;
    delete music_;
    serif_ = music_ = nullptr;
  }

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("trang_pdf_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (std::getenv("TRANG_KEEP_TEST_FILES")) return;  // for looking at the files by hand
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path save(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    test::write_file(p, bytes);
    return p;
  }

  static std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

  // Two A4 pages: headline and byline text, a fill, a CMYK rule, a JPEG placed on both pages,
  // a raw RGB image with alpha, a link.
  layout::PageTree sample_tree() const {
    layout::PageTree tree;
    tree.fonts = {serif_->program()};
    tree.info.title = "Cần Thơ: Ban Chỉ đạo 35";
    tree.info.author = "Sen Hồng";
    tree.info.subject = "Tin tức";
    tree.info.keywords = "Cần Thơ, Ban Chỉ đạo 35";
    tree.info.language = "vi";

    std::vector<std::shared_ptr<image::Image>> images = sample_images();
    layout::Page p1;
    p1.width = Pt(595.276);
    p1.height = Pt(841.89);
    p1.content.push(layout::FillItem{{Pt(50), Pt(50), Pt(100), Pt(40)}, Color::gray(0.9f)});
    p1.content.push(layout::ImageItem{images[0], {Pt(300), Pt(500), Pt(160), Pt(80)}, "photo"});
    p1.content.push(layout::RuleItem{Pt(72), Pt(740), Pt(520), Pt(740), Pt(0.5), Color::cmyk(1, 0, 0, 0)});
    layout::GlyphRun head = serif_->shape(kHeadline, 0, 16, 72, 760);
    head.color = Color::cmyk(0, 0, 0, 1);
    p1.content.push(head);
    p1.content.push(layout::LinkItem{{Pt(72), Pt(755), Pt(200), Pt(20)}, "https://example.com/tin tức"});

    layout::Page p2 = p1;
    p2.content.items.clear();
    p2.content.push(layout::ImageItem{images[0], {Pt(300), Pt(500), Pt(160), Pt(80)}, "photo"});
    p2.content.push(layout::ImageItem{images[1], {Pt(100), Pt(300), Pt(100), Pt(60)}, "overlay"});
    layout::GlyphRun by = serif_->shape(kSecond, 0, 10, 72, 700);
    by.color = Color::rgb(0.2f, 0.2f, 0.6f);
    p2.content.push(by);
    tree.pages = {p1, p2};
    return tree;
  }

  static std::vector<std::shared_ptr<image::Image>> sample_images() {
    auto photo = std::make_shared<image::Image>();
    photo->kind = image::Image::Kind::Jpeg;
    photo->width = 16;
    photo->height = 8;
    photo->components = 3;
    photo->data = test::make_jpeg(16, 8, 3);
    photo->path = "photo.jpg";

    auto overlay = std::make_shared<image::Image>();
    overlay->kind = image::Image::Kind::Raw;
    overlay->width = 10;
    overlay->height = 6;
    overlay->components = 3;
    overlay->data.resize(10 * 6 * 3);
    overlay->alpha.resize(10 * 6);
    for (size_t i = 0; i < overlay->data.size(); ++i) overlay->data[i] = uint8_t(i * 7);
    for (size_t i = 0; i < overlay->alpha.size(); ++i) overlay->alpha[i] = uint8_t(i * 4);
    overlay->path = "overlay.png";
    return {photo, overlay};
  }

  // The n-th item of type T on a page (to change it).
  template <class T>
  static T& nth(layout::Page& page, size_t n = 0) {
    for (layout::Item& item : page.content.items)
      if (T* t = std::get_if<T>(&item); t && n-- == 0) return *t;
    throw std::out_of_range("no such item");
  }

  // A page of `w` x `h` points holding `items`.
  static layout::Page page_of(Pt w, Pt h, std::vector<layout::Item> items = {}) {
    layout::Page page;
    page.width = w;
    page.height = h;
    page.content.items = std::move(items);
    return page;
  }

  std::string write(const layout::PageTree& tree, const Options& options = {}) {
    Diagnostics diags;
    std::optional<std::string> pdf = write_pdf(tree, options, diags);
    for (const auto& d : diags.all()) ADD_FAILURE() << d.format();
    EXPECT_TRUE(pdf.has_value());
    return pdf.value_or("");
  }

  std::string text_of(const fs::path& pdf, int page = 0) {
    std::string range = page ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    auto r = run_tool("pdftotext -enc UTF-8" + range + " " + q(pdf) + " -");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return r.out;
  }

  // An A4 page holding `run` alone, in font `f`.
  static layout::PageTree one_run(const TestFont& f, const layout::GlyphRun& run) {
    layout::PageTree tree;
    tree.fonts = {f.program()};
    tree.pages = {page_of(Pt(595), Pt(842), {run})};
    return tree;
  }

  // Writes `run` alone on a page and reads back each word's left and right edge (pdftotext).
  std::map<std::string, std::pair<double, double>> word_boxes(const TestFont& f,
                                                              const layout::GlyphRun& run,
                                                              const std::string& name) {
    fs::path pdf = save(name, write(one_run(f, run)));
    auto r = run_tool("pdftotext -bbox " + q(pdf) + " -");
    EXPECT_EQ(r.status, 0) << r.err;
    std::regex word("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\" yMax=\"[0-9.]+\">([^<]*)</word>");
    std::map<std::string, std::pair<double, double>> boxes;
    for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), word); it != std::sregex_iterator(); ++it)
      boxes[(*it)[3]] = {std::stod((*it)[1]), std::stod((*it)[2])};
    return boxes;
  }

  static TestFont* serif_;
  static TestFont* music_;
  fs::path dir_;
};

TestFont* PdfWriterTest::serif_ = nullptr;
TestFont* PdfWriterTest::music_ = nullptr;

// ---- the document as the tools see it -------------------------------------------------------

TEST_F(PdfWriterTest, FontIsType0CidTrueTypeEmbeddedSubsetWithToUnicode) {
  fs::path pdf = save("fonts.pdf", write(sample_tree()));
  auto r = run_tool("pdffonts " + q(pdf));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  auto lines = nonempty_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;  // header, rule, one font
  const std::string& font = lines[2];
  EXPECT_TRUE(std::regex_search(font, std::regex("^[A-Z]{6}\\+NotoSerif-Regular ")))
      << font;
  EXPECT_NE(font.find("CID TrueType"), std::string::npos) << font;
  EXPECT_NE(font.find("Identity-H"), std::string::npos) << font;
  EXPECT_TRUE(std::regex_search(font, std::regex(" yes +yes +yes ")))
      << "want emb yes, sub yes, uni yes: " << font;
}

TEST_F(PdfWriterTest, FontDictionariesHaveTheRequiredEntries) {
  Options options;
  options.compress = false;
  std::string bytes = write(sample_tree(), options);
  fs::path pdf = save("dicts.pdf", bytes);
  auto r = run_tool("qpdf --qdf --object-streams=disable " + q(pdf) + " -");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string& s = r.out;
  for (const char* key :
       {"/Subtype /Type0", "/Encoding /Identity-H", "/DescendantFonts", "/ToUnicode",
        "/Subtype /CIDFontType2", "/CIDToGIDMap /Identity", "/Registry (Adobe)",
        "/Ordering (Identity)", "/Supplement 0", "/Type /FontDescriptor", "/Flags",
        "/FontBBox", "/ItalicAngle", "/Ascent", "/Descent", "/CapHeight", "/StemV",
        "/FontFile2", "/Length1", "/W ["})
    EXPECT_NE(s.find(key), std::string::npos) << key;
  // ToUnicode is a well-formed CMap.
  EXPECT_NE(s.find("begincodespacerange\n<0000> <FFFF>\nendcodespacerange"), std::string::npos);
  EXPECT_NE(s.find("beginbfchar"), std::string::npos);
  // The font file stays Flate-compressed even when content is not.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(bytes, m, std::regex("/Length1 [0-9]+[^>]*/Filter (\\[ ?)?/FlateDecode")));
}

TEST_F(PdfWriterTest, TextExtractsAsExactNfc) {
  fs::path pdf = save("text.pdf", write(sample_tree()));
  EXPECT_EQ(nonempty_lines(text_of(pdf, 1)), std::vector<std::string>{kHeadline});
  EXPECT_EQ(nonempty_lines(text_of(pdf, 2)), std::vector<std::string>{kSecond});
}

TEST_F(PdfWriterTest, QpdfCheckPasses) {
  for (bool compress : {true, false}) {
    Options options;
    options.compress = compress;
    fs::path pdf = save("check.pdf", write(sample_tree(), options));
    auto r = run_tool("qpdf --check " + q(pdf));
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("No syntax or stream encoding errors"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");
  }
}

TEST_F(PdfWriterTest, SameInputGivesSameBytes) {
  std::string a = write(sample_tree());
  std::string b = write(sample_tree());
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(a == b) << "two writes of the same tree differ";
  EXPECT_EQ(a.find("/CreationDate"), std::string::npos);
  EXPECT_EQ(a.find("/ModDate"), std::string::npos);
  EXPECT_NE(a.find("/ID ["), std::string::npos);
  EXPECT_EQ(a.substr(0, 8), "%PDF-1.6");

  // Different content gives a different /ID.
  layout::PageTree other = sample_tree();
  nth<layout::GlyphRun>(other.pages[1]) = serif_->shape("Tin, ảnh: Sen Hồng.", 0, 10, 72, 700);
  std::string c = write(other);
  auto id = [](const std::string& s) {
    std::smatch m;
    std::regex_search(s, m, std::regex("/ID \\[[^\\]]*\\]"));
    return m.str();
  };
  ASSERT_FALSE(id(a).empty());
  EXPECT_NE(id(a), id(c));
}

TEST_F(PdfWriterTest, NonDeterministicModeAddsCreationDate) {
  Options options;
  options.deterministic = false;
  fs::path pdf = save("dated.pdf", write(sample_tree(), options));
  auto r = run_tool("pdfinfo " + q(pdf));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("CreationDate:"), std::string::npos) << r.out;
  EXPECT_EQ(run_tool("qpdf --check " + q(pdf)).status, 0);
}

TEST_F(PdfWriterTest, InfoDictionaryAndLanguage) {
  Options options;
  options.producer = "trang-test 0.1";
  std::string bytes = write(sample_tree(), options);
  fs::path pdf = save("info.pdf", bytes);
  auto r = run_tool("pdfinfo " + q(pdf));
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* line :
       {"Title: +Cần Thơ: Ban Chỉ đạo 35\n", "Author: +Sen Hồng\n", "Subject: +Tin tức\n",
        "Keywords: +Cần Thơ, Ban Chỉ đạo 35\n", "Creator: +trang\n",
        "Producer: +trang-test 0.1\n", "PDF version: +1.6\n", "Pages: +2\n"})
    EXPECT_TRUE(std::regex_search(r.out, std::regex(line))) << line << "\n" << r.out;
  EXPECT_EQ(r.out.find("CreationDate"), std::string::npos) << r.out;
  EXPECT_EQ(bytes.find("Haru"), std::string::npos) << "libharu's own Producer leaked";
  EXPECT_NE(bytes.find("/Lang (vi)"), std::string::npos);
}

TEST_F(PdfWriterTest, EmptyProducerIsLeftOut) {
  Options options;
  options.producer.clear();
  std::string bytes = write(sample_tree(), options);
  EXPECT_EQ(bytes.find("/Producer"), std::string::npos);
  EXPECT_NE(bytes.find("/Creator (trang)"), std::string::npos);
}

TEST_F(PdfWriterTest, ActualTextClustersExtractOnce) {
  const TestFont& f = *serif_;
  uint32_t c = f.glyph('c'), o = f.glyph('o'), circ = f.glyph(0x0302), grave = f.glyph(0x0300),
           n = f.glyph('n'), hyphen = f.glyph('-'), x = f.glyph('x');
  ASSERT_TRUE(c && o && circ && grave && n && hyphen && x);
  const FontProgram& prog = *f.program();
  double size = 20;
  auto adv = [&](uint32_t g) { return Pt(prog.advances[g] * size / prog.units_per_em); };

  layout::GlyphRun run;
  run.font = 0;
  run.size = Pt(size);
  run.x = Pt(72);
  run.y = Pt(700);
  Pt mark_dx = -adv(o) * 0.5;
  run.glyphs = {{c, adv(c), {}, {}},
                {o, adv(o), {}, {}},  // "ồ" as o + two combining marks: one cluster
                {circ, Pt(0), mark_dx, Pt(2)},
                {grave, Pt(0), mark_dx, Pt(5)},
                {n, adv(n), {}, {}},
                {hyphen, adv(hyphen), {}, {}},
                {hyphen, adv(hyphen), {}, {}},  // same glyph, other text (U+2010)
                {x, adv(x), {}, {}},
                {hyphen, adv(hyphen), {}, {}}};  // a break hyphen that stands for no text
  run.clusters = {{0, 1, "c"}, {1, 3, "ồ"},       {4, 1, "n"}, {5, 1, "-"},
                  {6, 1, "‐"}, {7, 1, "x"}, {8, 1, ""}};
  // A later run maps o to "o": inside the ActualText span above that must not leak.
  layout::GlyphRun plain = f.shape("ox", 0, size, 72, 600);

  layout::PageTree tree;
  tree.fonts = {f.program()};
  layout::Page page;
  page.width = Pt(595);
  page.height = Pt(842);
  page.content.items = {run, plain};
  tree.pages = {page};

  Options options;
  options.compress = false;
  std::string bytes = write(tree, options);
  EXPECT_NE(bytes.find("/Span <</ActualText <FEFF1ED3>>> BDC"), std::string::npos);
  // The hyphen glyph standing for U+2010 has a code of its own, mapped in ToUnicode, so that
  // readers that ignore ActualText read it too; the CIDFont maps that code to the glyph.
  EXPECT_EQ(bytes.find("<FEFF2010>"), std::string::npos);
  EXPECT_TRUE(std::regex_search(bytes, std::regex("<[0-9A-F]{4}> <2010>")));
  EXPECT_TRUE(std::regex_search(bytes, std::regex("/CIDToGIDMap \\d+ 0 R")));
  EXPECT_NE(bytes.find("/Span <</ActualText ()>> BDC"), std::string::npos);
  EXPECT_NE(bytes.find(" Ts\n"), std::string::npos) << "mark offsets need text rise";
  fs::path pdf = save("actual.pdf", bytes);
  EXPECT_EQ(nonempty_lines(text_of(pdf)), (std::vector<std::string>{"cồn-‐x", "ox"}));
  EXPECT_EQ(run_tool("qpdf --check " + q(pdf)).status, 0);
  // The same spans around codes in literal strings, with Ts and Tc carried between the runs
  // of the shared text object.
  fs::path packed = save("actual-packed.pdf", write(tree));
  EXPECT_EQ(nonempty_lines(text_of(packed)), (std::vector<std::string>{"cồn-‐x", "ox"}));
  EXPECT_EQ(run_tool("qpdf --check " + q(packed)).status, 0);
  for (const char* name : {"actual", "actual-packed"})
    ASSERT_EQ(run_tool("pdftoppm -r 150 -gray " + q(dir_ / (std::string(name) + ".pdf")) + " " +
                       q(dir_ / name)).status, 0);
  EXPECT_EQ(test::read_file(dir_ / "actual-1.pgm"), test::read_file(dir_ / "actual-packed-1.pgm"));
}

// Glyph codes go into the content as two-byte binary literal strings. Codes with a byte that is
// a string delimiter, the backslash or an end-of-line byte are escaped, so each reads back as
// the same code and the line extracts as written; the readable form (compression off) spells
// the same codes in hex, and both draw the same pixels.
TEST_F(PdfWriterTest, LiteralStringCodesReadBackAsTheSameGlyphs) {
  // Every printable ASCII character: the subset numbers some 95 glyphs, so CIDs 0x0A, 0x0D,
  // 0x28, 0x29 and 0x5C are all among the codes.
  std::string text;
  for (char c = '!'; c <= '~'; ++c) text += c;
  layout::PageTree tree;
  tree.fonts = {serif_->program()};
  layout::Page page;
  page.width = Pt(595);
  page.height = Pt(842);
  page.content.items = {serif_->shape(text, 0, 7, 20, 400)};
  tree.pages = {page};
  Options readable;
  readable.compress = false;
  fs::path compact = save("literal.pdf", write(tree)),
           hex = save("hex.pdf", write(tree, readable));
  auto shown = [&](const fs::path& pdf, bool want_hex, std::string& content) {
    std::string bytes = test::read_file(pdf);
    std::smatch m;
    EXPECT_TRUE(std::regex_search(bytes, m, std::regex("/Contents (\\d+) 0 R")));
    auto r = run_tool("qpdf --show-object=" + m[1].str() + " --filtered-stream-data " + q(pdf));
    EXPECT_EQ(r.status, 0) << r.err;
    content = r.out;
    std::vector<uint32_t> codes;
    for (const ContentOp& op : parse_content(content)) {
      if (op.op != "TJ") continue;
      EXPECT_EQ(op.hex, want_hex) << pdf;
      for (uint32_t c : codes_of(op)) codes.push_back(c);
    }
    return codes;
  };
  std::string literal_content, hex_content;
  std::vector<uint32_t> codes = shown(compact, false, literal_content);
  EXPECT_EQ(codes, shown(hex, true, hex_content));
  EXPECT_EQ(codes.size(), nth<layout::GlyphRun>(page).glyphs.size());
  for (uint32_t special : {0x0A, 0x0D, 0x28, 0x29, 0x5C})
    EXPECT_NE(std::find(codes.begin(), codes.end(), special), codes.end()) << special;
  for (const char* escaped : {"\\n", "\\r", "\\(", "\\)", "\\\\"})
    EXPECT_NE(literal_content.find(std::string(1, '\0') + escaped), std::string::npos) << escaped;
  // No raw end-of-line byte inside a string: the content has no CR, and every line that opens
  // a TJ array closes it.
  EXPECT_EQ(literal_content.find('\r'), std::string::npos);
  std::istringstream lines(literal_content);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] == '[') {
      EXPECT_EQ(line.substr(line.size() - 4), "] TJ") << line;
    }
  }
  EXPECT_EQ(nonempty_lines(text_of(compact)), std::vector<std::string>{text});
  EXPECT_EQ(nonempty_lines(text_of(hex)), std::vector<std::string>{text});
  for (const char* name : {"literal", "hex"}) {
    auto r = run_tool("pdftoppm -r 150 -gray " + q(dir_ / (std::string(name) + ".pdf")) + " " +
                      q(dir_ / name));
    ASSERT_EQ(r.status, 0) << r.err;
  }
  EXPECT_EQ(test::read_file(dir_ / "literal-1.pgm"), test::read_file(dir_ / "hex-1.pgm"));
  EXPECT_LT(literal_content.size(), hex_content.size() * 2 / 3);
}

// The runs of a page share text objects and move relative to each other, yet every word lands
// exactly where it does when its run is the only one on the page: pdftotext reports the same
// boxes to the last printed digit. Lines at a steady leading, one crossing y = 512 (where a
// relative move would not sum exactly), a second font mid-line, an expanded line, a jump to
// another column.
TEST_F(PdfWriterTest, SharedTextObjectsPlaceEveryWordAsARunOfItsOwn) {
  const TestFont& f = *serif_;
  std::vector<layout::GlyphRun> runs;
  const char* lines[] = {"Đồng chí Trần", "Văn Huyến phát", "biểu chỉ đạo", "Tin, ảnh:",
                         "Sen Hồng", "Thành ủy Cần Thơ"};
  for (int i = 0; i < 6; ++i) runs.push_back(f.shape(lines[i], 0, 9.5, 42.519685, 539.129 - 12.5 * i));
  runs.push_back(f.shape("giữa dòng", 0, 7, 42.519685 + 60.25, 539.129 - 12.5 * 3));
  runs.push_back(f.shape("Cần Thơ", 0, 11, 217.3228346, 700.4));
  runs[4].hscale = 1.015;
  for (layout::Glyph& g : runs[4].glyphs) g.advance = g.advance * 1.015;
  auto boxes = [&](const std::vector<layout::GlyphRun>& page_runs, const std::string& name) {
    layout::PageTree tree;
    tree.fonts = {f.program()};
    layout::Page page;
    page.width = Pt(595);
    page.height = Pt(842);
    page.content.items.assign(page_runs.begin(), page_runs.end());
    tree.pages = {page};
    fs::path pdf = save(name, write(tree));
    auto r = run_tool("pdftotext -bbox " + q(pdf) + " -");
    EXPECT_EQ(r.status, 0) << r.err;
    std::multiset<std::string> out;
    std::regex word("<word [^>]*>[^<]*</word>");
    for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), word); it != std::sregex_iterator(); ++it)
      out.insert(it->str());
    return out;
  };
  std::multiset<std::string> alone;
  for (size_t i = 0; i < runs.size(); ++i)
    for (const std::string& w : boxes({runs[i]}, "alone" + std::to_string(i) + ".pdf")) alone.insert(w);
  EXPECT_EQ(boxes(runs, "shared.pdf"), alone);
  EXPECT_GE(alone.size(), 20u);
}

std::map<uint32_t, std::u16string> parse_cmap(const std::string& cmap);  // below

// The /W array of a PDF written without compression, as CID -> width (one CIDFont only).
std::map<uint32_t, int> parse_widths(const std::string& pdf) {
  std::map<uint32_t, int> out;
  size_t at = pdf.find("/W [");
  if (at == std::string::npos) return out;
  std::istringstream in(pdf.substr(at + 4));
  std::string tok;
  uint32_t cid = 0;
  bool inside = false;
  while (in >> tok) {
    if (tok == "[") {
      inside = true;
    } else if (tok == "]") {
      if (!inside) break;
      inside = false;
    } else if (inside) {
      out[cid++] = std::stoi(tok);
    } else {
      cid = static_cast<uint32_t>(std::stoul(tok));
    }
  }
  return out;
}

// The TrueType subset holds the used glyphs renumbered, not every glyph up to the highest used
// ID, and the content's codes, /W and ToUnicode all speak of the new IDs.
TEST_F(PdfWriterTest, TrueTypeSubsetIsRenumberedAndCodesWidthsAndTextAgree) {
  const TestFont& f = *serif_;
  const FontProgram& prog = *f.program();
  // Precomposed Vietnamese letters are composites in Noto Serif: their components come along.
  layout::GlyphRun run = f.shape(kHeadline, 0, 16, 72, 760);
  layout::PageTree tree = one_run(f, run);
  Options options;
  options.compress = false;
  std::string bytes = write(tree, options);
  fs::path pdf = save("renumbered.pdf", bytes);

  std::smatch m;
  ASSERT_TRUE(std::regex_search(bytes, m, std::regex("/FontFile2 (\\d+) 0 R")));
  auto file = run_tool("qpdf --show-object=" + m[1].str() + " --filtered-stream-data " + q(pdf));
  ASSERT_EQ(file.status, 0) << file.err;
  Face subset(file.out), original(prog.bytes->view());
  std::set<uint32_t> used;
  for (const auto& g : run.glyphs) used.insert(g.gid);
  ASSERT_GT(*used.rbegin(), 500u) << "the test wants a high glyph ID";
  EXPECT_GE(subset.glyph_count(), used.size() + 1);
  EXPECT_LT(subset.glyph_count(), 2 * (used.size() + 1))
      << "maxp.numGlyphs: the used glyphs, .notdef and components, not " << *used.rbegin() + 1;

  // The codes of the TJ strings, one per glyph, in order (the run has no ActualText spans).
  std::vector<uint32_t> codes;
  std::regex tj("\\[([^\\]]*)\\] TJ"), hex("<([0-9A-F]+)>");
  for (auto a = std::sregex_iterator(bytes.begin(), bytes.end(), tj); a != std::sregex_iterator(); ++a) {
    std::string array = (*a)[1];
    for (auto h = std::sregex_iterator(array.begin(), array.end(), hex); h != std::sregex_iterator(); ++h) {
      std::string digits = (*h)[1];
      ASSERT_EQ(digits.size() % 4, 0u) << digits;
      for (size_t i = 0; i < digits.size(); i += 4) codes.push_back(std::stoul(digits.substr(i, 4), nullptr, 16));
    }
  }
  ASSERT_EQ(codes.size(), run.glyphs.size()) << bytes;
  std::map<uint32_t, int> widths = parse_widths(bytes);
  size_t at = bytes.find("/CIDInit"), end = bytes.find("endcmap", at);
  ASSERT_NE(end, std::string::npos);
  std::map<uint32_t, std::u16string> cmap = parse_cmap(bytes.substr(at, end - at));
  EXPECT_EQ(widths.size(), used.size()) << "/W lists the used glyphs";

  std::map<uint32_t, uint32_t> code_of, gid_of;
  for (size_t i = 0; i < codes.size(); ++i) {
    uint32_t gid = run.glyphs[i].gid, code = codes[i];
    EXPECT_LT(code, subset.glyph_count());
    EXPECT_EQ(code_of.emplace(gid, code).first->second, code) << "glyph " << gid;
    EXPECT_EQ(gid_of.emplace(code, gid).first->second, gid) << "code " << code;
    EXPECT_EQ(subset.shape_of(code), original.shape_of(gid))
        << "code " << code << " draws glyph " << gid;
    ASSERT_EQ(widths.count(code), 1u) << "code " << code << " has no width";
    EXPECT_EQ(widths[code], detail::width_1000(prog, gid)) << "code " << code;
  }
  for (const auto& c : run.clusters) {
    if (c.glyph_count != 1) continue;
    std::u16string text;
    detail::append_utf16(text, c.text);
    EXPECT_TRUE(cmap[codes[c.first_glyph]] == text) << "ToUnicode of code " << codes[c.first_glyph];
  }
  for (const auto& [code, text] : cmap) EXPECT_EQ(gid_of.count(code), 1u) << "stray code " << code;
  EXPECT_EQ(nonempty_lines(text_of(pdf)), std::vector<std::string>{kHeadline});
}

TEST_F(PdfWriterTest, AstralTextUsesSurrogatePairs) {
  const std::string clef = "\xF0\x9D\x84\x9E";  // U+1D11E MUSICAL SYMBOL G CLEF
  ASSERT_NE(music_->glyph(0x1D11E), 0u);
  layout::PageTree tree;
  tree.fonts = {serif_->program(), music_->program()};
  layout::Page page;
  page.width = Pt(400);
  page.height = Pt(300);
  page.content.items = {serif_->shape("Khóa", 0, 14, 40, 200), music_->shape(clef, 1, 28, 40, 120)};
  tree.pages = {page};
  Options options;
  options.compress = false;
  std::string bytes = write(tree, options);
  EXPECT_NE(bytes.find("<D834DD1E>"), std::string::npos) << "astral ToUnicode entry";
  fs::path pdf = save("astral.pdf", bytes);
  EXPECT_EQ(nonempty_lines(text_of(pdf)), (std::vector<std::string>{"Khóa", clef}));
  auto r = run_tool("pdffonts " + q(pdf));
  EXPECT_EQ(nonempty_lines(r.out).size(), 4u) << r.out;
  EXPECT_EQ(count(r.out, "CID TrueType"), 2u) << r.out;
}

TEST_F(PdfWriterTest, CffFontIsEmbeddedAsOpenTypeCidFontType0) {
  if (!fs::exists(test::kCffFont)) GTEST_SKIP() << test::kCffFont << " not installed";
  TestFont cff(test::kCffFont);
  const std::string text = "Café déjà vu – «Noël»";  // C059 has no Vietnamese
  layout::PageTree tree;
  tree.fonts = {cff.program()};
  layout::Page page;
  page.width = Pt(400);
  page.height = Pt(200);
  page.content.items = {cff.shape(text, 0, 18, 30, 100)};
  for (const auto& g : nth<layout::GlyphRun>(page).glyphs) ASSERT_NE(g.gid, 0u) << "font lacks a glyph";
  tree.pages = {page};
  fs::path pdf = save("cff.pdf", write(tree));
  auto r = run_tool("pdffonts " + q(pdf));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("CID Type 0C (OT)"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("[A-Z]{6}\\+C059-Roman +CID Type 0C \\(OT\\) +"
                                                  "Identity-H +yes +yes +yes")))
      << r.out;
  EXPECT_EQ(nonempty_lines(text_of(pdf)), std::vector<std::string>{text});
  EXPECT_EQ(run_tool("qpdf --check " + q(pdf)).status, 0);
  auto render = run_tool("pdftoppm -r 36 -gray " + q(pdf) + " " + q(dir_ / "cff"));
  EXPECT_EQ(render.status, 0);
  EXPECT_EQ(render.err, "") << "the subset CFF must load without complaint";
}

TEST_F(PdfWriterTest, ImagesAppearWithTheirSizesAndAreLoadedOnce) {
  fs::path pdf = save("images.pdf", write(sample_tree()));
  auto r = run_tool("pdfimages -list " + q(pdf));
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = nonempty_lines(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;  // header, rule, jpeg p1, jpeg p2, image + smask p2
  // page num type width height color comp bpc enc interp object ID ...
  std::regex row("^ *(\\d+) +\\d+ +(\\w+) +(\\d+) +(\\d+) +(\\w+) +(\\d) +(\\d+) +(\\w+) +\\w+ +(\\d+)");
  std::vector<std::smatch> rows(4);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(std::regex_search(lines[2 + i], rows[i], row)) << lines[2 + i];
  EXPECT_EQ(rows[0][2], "image");
  EXPECT_EQ(rows[0][3], "16");
  EXPECT_EQ(rows[0][4], "8");
  EXPECT_EQ(rows[0][5], "rgb");
  EXPECT_EQ(rows[0][8], "jpeg");
  EXPECT_EQ(rows[1][1], "2");
  EXPECT_EQ(rows[1][9], rows[0][9]) << "the JPEG placed twice is one object";
  EXPECT_EQ(rows[2][2], "image");
  EXPECT_EQ(rows[2][3], "10");
  EXPECT_EQ(rows[2][4], "6");
  EXPECT_EQ(rows[2][5], "rgb");
  EXPECT_EQ(rows[3][2], "smask");
  EXPECT_EQ(rows[3][5], "gray");
  EXPECT_EQ(rows[3][3], "10");
}

// A JPEG's bytes are lent to the document (PdfBytes), not copied into it, and the pieces make
// the same file as the one-string form: the JPEG byte for byte between "stream" and
// "endstream", and every offset after it right (qpdf checks the xref).
TEST_F(PdfWriterTest, JpegBytesAreLentAndThePiecesMakeTheDocument) {
  layout::PageTree tree = sample_tree();
  const image::Image& photo = *nth<layout::ImageItem>(tree.pages[0]).image;
  Diagnostics diags;
  std::optional<PdfBytes> pdf = write_pdf_pieces(tree, {}, diags);
  ASSERT_TRUE(pdf.has_value());
  ASSERT_EQ(pdf->borrowed.size(), 1u);  // placed twice, embedded once; the PNG is re-encoded
  const PdfBytes::Borrowed& jpeg = pdf->borrowed[0];
  EXPECT_EQ(jpeg.data, photo.data.data());
  EXPECT_EQ(jpeg.size, photo.data.size());

  std::string whole = pdf->joined();
  EXPECT_EQ(whole.size(), pdf->size());
  EXPECT_EQ(whole, write(tree));
  std::string bytes(photo.data.begin(), photo.data.end());
  ASSERT_GE(jpeg.at, 8u);
  EXPECT_EQ(whole.substr(jpeg.at - 8, 8), "stream\r\n");
  EXPECT_EQ(whole.substr(jpeg.at, bytes.size()), bytes);
  EXPECT_EQ(whole.substr(jpeg.at + bytes.size(), 10), "\nendstream");
  // The /Length, an indirect object written after the stream.
  EXPECT_NE(whole.find("obj\n" + std::to_string(bytes.size()) + "\nendobj"), std::string::npos);

  std::vector<std::string_view> pieces = pdf->pieces();
  EXPECT_EQ(pieces.size(), 3u);  // before the JPEG, the JPEG, after it
  for (size_t n : {size_t(0), size_t(1), jpeg.at, jpeg.at + 3, jpeg.at + bytes.size() + 5,
                   whole.size(), whole.size() + 10}) {
    EXPECT_EQ(pdf->head(n), whole.substr(0, n)) << n;
    EXPECT_EQ(pdf->tail(n), whole.substr(whole.size() - std::min(n, whole.size()))) << n;
  }

  fs::path file = save("lent.pdf", whole);
  auto r = run_tool("qpdf --check " + q(file));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;
}

TEST_F(PdfWriterTest, CmykImagesAndAdobeInvertedDecode) {
  std::vector<std::shared_ptr<image::Image>> images;
  for (int i = 0; i < 3; ++i) images.push_back(std::make_shared<image::Image>());
  for (int i = 0; i < 2; ++i) {
    images[i]->kind = image::Image::Kind::Jpeg;
    images[i]->width = images[i]->height = 8;
    images[i]->components = 4;
    images[i]->data = test::make_jpeg(8, 8, 4);
    images[i]->adobe_inverted = i == 1;
  }
  images[2]->kind = image::Image::Kind::Raw;
  images[2]->width = 4;
  images[2]->height = 4;
  images[2]->components = 4;
  images[2]->data.assign(4 * 4 * 4, 0x40);
  layout::PageTree tree;
  layout::Page page = page_of(Pt(300), Pt(300));
  for (uint32_t i = 0; i < 3; ++i)
    page.content.push(layout::ImageItem{images[i], {Pt(10 + 90.0 * i), Pt(10), Pt(80), Pt(80)}, ""});
  tree.pages = {page};
  Options options;
  options.compress = false;
  std::string bytes = write(tree, options);
  fs::path pdf = save("cmyk.pdf", bytes);
  EXPECT_EQ(count(bytes, "/Decode"), 1u) << "only the Adobe-inverted JPEG gets /Decode";
  EXPECT_TRUE(std::regex_search(bytes, std::regex("/Decode \\[ ?1 0 1 0 1 0 1 0 ?\\]")));
  auto r = run_tool("pdfimages -list " + q(pdf));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count(r.out, " cmyk "), 3u) << r.out;
  EXPECT_EQ(count(r.out, " jpeg "), 2u) << r.out;
  // The raw image is Flate-compressed even with compress = false.
  EXPECT_EQ(count(bytes, "/FlateDecode"), 1u);
  EXPECT_EQ(run_tool("qpdf --check " + q(pdf)).status, 0);
}

// A JPEG whose samples are stored as RGB (not YCbCr) must not be colour-transformed by the
// viewer. poppler guesses right from the JPEG's own markers either way, but viewers that
// follow the specification apply ColorTransform 1 to any three-component DCT image, so the
// key must be in the file.
TEST_F(PdfWriterTest, RgbStoredJpegKeepsItsColours) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* mem = nullptr;
  unsigned long mem_size = 0;
  jpeg_mem_dest(&cinfo, &mem, &mem_size);
  cinfo.image_width = cinfo.image_height = 16;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_colorspace(&cinfo, JCS_RGB);  // no YCbCr conversion, no JFIF marker
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<uint8_t> row(16 * 3);
  for (int x = 0; x < 16; ++x) row[x * 3] = 255;
  while (cinfo.next_scanline < 16) {
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  auto image = std::make_shared<image::Image>();
  image->kind = image::Image::Kind::Jpeg;
  image->width = image->height = 16;
  image->components = 3;
  image->jpeg_rgb_untransformed = true;
  image->data.assign(mem, mem + mem_size);
  jpeg_destroy_compress(&cinfo);
  free(mem);
  layout::PageTree tree;
  layout::Page page;
  page.width = page.height = Pt(100);
  page.content.push(layout::ImageItem{image, {Pt(0), Pt(0), Pt(100), Pt(100)}, ""});
  tree.pages = {page};
  std::string bytes = write(tree);
  EXPECT_TRUE(std::regex_search(bytes, std::regex("/DecodeParms (<<\\s*/ColorTransform 0\\s*>>|\\d+ 0 R)")));
  EXPECT_NE(bytes.find("/ColorTransform 0"), std::string::npos);
  image->jpeg_rgb_untransformed = false;
  EXPECT_EQ(write(tree).find("/ColorTransform"), std::string::npos);
  image->jpeg_rgb_untransformed = true;
  fs::path pdf = save("rgbjpeg.pdf", bytes);
  auto r = run_tool("pdftoppm -r 18 -f 1 -l 1 " + q(pdf) + " " + q(dir_ / "rgbjpeg"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::string ppm = test::read_file(dir_ / "rgbjpeg-1.ppm");
  ASSERT_GT(ppm.size(), 3u);
  // The last pixel of the binary PPM: red high, green and blue low.
  auto px = reinterpret_cast<const unsigned char*>(ppm.data() + ppm.size() - 3);
  EXPECT_GT(px[0], 200);
  EXPECT_LT(px[1], 60);
  EXPECT_LT(px[2], 60);
}

TEST_F(PdfWriterTest, ColoursUseTheirDeviceOperators) {
  Options options;
  options.compress = false;
  std::string bytes = write(sample_tree(), options);
  EXPECT_NE(bytes.find("0 0 0 1 k\n"), std::string::npos) << "CMYK text fill";
  EXPECT_NE(bytes.find("1 0 0 0 K\n"), std::string::npos) << "CMYK rule stroke";
  EXPECT_NE(bytes.find("0.9 g\n"), std::string::npos) << "gray fill";
  EXPECT_NE(bytes.find("0.2 0.2 0.6 rg\n"), std::string::npos) << "RGB text fill";
  EXPECT_NE(bytes.find("50 50 100 40 re f\n"), std::string::npos);
  EXPECT_NE(bytes.find("0.5 w 72 740 m 520 740 l S\n"), std::string::npos);
  // Raw text sits in q BT ... ET Q with its own Tf (pitfall 5); tagged, an untagged run is an
  // artifact whose marked content opens after the run's move.
  EXPECT_TRUE(std::regex_search(
      bytes, std::regex("q\nBT\n72 760 Td\n/Artifact BMC\n0 0 0 1 k\n/F1 16 Tf\n\\[<")));
  // Painting order: fill, image, rule, text.
  size_t fill = bytes.find("re f"), image = bytes.find(" Do"), rule = bytes.find(" l S"),
         text = bytes.find("] TJ");
  EXPECT_LT(fill, image);
  EXPECT_LT(image, rule);
  EXPECT_LT(rule, text);
}

TEST_F(PdfWriterTest, AdvancesOffsetsAndStretchedSpacesPlaceGlyphs) {
  const TestFont& f = *serif_;
  const FontProgram& prog = *f.program();
  double size = 20, x0 = 100;
  layout::GlyphRun run = f.shape("AB CD", 0, size, x0, 500);
  ASSERT_EQ(run.glyphs.size(), 5u);
  run.glyphs[0].dx = Pt(1.5);      // a GPOS-like offset on the first glyph
  run.glyphs[2].advance = Pt(30);  // a justified space
  double expect_cd = x0 + run.glyphs[0].advance.v + run.glyphs[1].advance.v + 30;
  double expect_cd_end = expect_cd + run.glyphs[3].advance.v +
                         prog.advances[run.glyphs[4].gid] * size / prog.units_per_em;
  auto boxes = word_boxes(f, run, "pos.pdf");
  ASSERT_EQ(boxes.count("AB"), 1u);
  ASSERT_EQ(boxes.count("CD"), 1u);
  EXPECT_NEAR(boxes["AB"].first, x0 + 1.5, 0.02);
  EXPECT_NEAR(boxes["CD"].first, expect_cd, 0.02);
  EXPECT_NEAR(boxes["CD"].second, expect_cd_end, 0.02);
}

// Font expansion: layout scales every advance and offset; the writer draws the shapes wider
// with Tz and must leave each glyph where layout put it, the last one ending at the line's end.
TEST_F(PdfWriterTest, ExpandedRunKeepsLayoutPositions) {
  const TestFont& f = *serif_;
  const FontProgram& prog = *f.program();
  double size = 20, x0 = 100, scale = 1.02;
  layout::GlyphRun run = f.shape("AB CD", 0, size, x0, 500);
  ASSERT_EQ(run.glyphs.size(), 5u);
  for (layout::Glyph& g : run.glyphs) {
    g.advance = g.advance * scale;
    g.dx = g.dx * scale;
  }
  run.glyphs[2].advance = Pt(30);  // the justified space: glue, not scaled
  run.hscale = scale;
  double expect_cd = x0 + run.glyphs[0].advance.v + run.glyphs[1].advance.v + 30;
  double expect_cd_end = expect_cd + run.glyphs[3].advance.v +
                         prog.advances[run.glyphs[4].gid] * size / prog.units_per_em * scale;
  auto boxes = word_boxes(f, run, "expanded.pdf");
  ASSERT_EQ(boxes.count("AB"), 1u);
  ASSERT_EQ(boxes.count("CD"), 1u);
  EXPECT_NEAR(boxes["AB"].first, x0, 0.02);
  EXPECT_NEAR(boxes["CD"].first, expect_cd, 0.02);
  EXPECT_NEAR(boxes["CD"].second, expect_cd_end, 0.02);
}

TEST_F(PdfWriterTest, LinksAreUriAnnotationsWithoutBorder) {
  fs::path pdf = save("links.pdf", write(sample_tree()));
  auto r = run_tool("qpdf --qdf --object-streams=disable " + q(pdf) + " -");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("/URI (https://example.com/tin%20t%E1%BB%A9c)"), std::string::npos);
  EXPECT_NE(r.out.find("/Subtype /Link"), std::string::npos);
  EXPECT_TRUE(std::regex_search(r.out, std::regex("/Border \\[\\s*0\\s+0\\s+0\\s*\\]")));
  EXPECT_EQ(count(r.out, "/Annots"), 1u);
}

TEST_F(PdfWriterTest, RendersVisibleText) {
  fs::path pdf = save("render.pdf", write(sample_tree()));
  auto r = run_tool("pdftoppm -r 50 -gray -f 1 -l 1 -x 40 -y 44 -W 400 -H 20 " + q(pdf) + " " +
                    q(dir_ / "page"));
  ASSERT_EQ(r.status, 0) << r.err;
  fs::path pgm;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().extension() == ".pgm") pgm = e.path();
  ASSERT_FALSE(pgm.empty());
  std::string img = test::read_file(pgm);
  // P5 header: "P5\n<w> <h>\n255\n", then the pixels.
  size_t header_end = 0;
  for (int newlines = 0; header_end < img.size() && newlines < 3; ++header_end)
    if (img[header_end] == '\n') ++newlines;
  size_t dark = 0;
  for (size_t i = header_end; i < img.size(); ++i) dark += static_cast<uint8_t>(img[i]) < 128;
  EXPECT_GT(dark, 200u) << "the headline band should hold glyph ink";
}

// A page's frame is painted in order, a group's items where the group stands: one shared frame
// placed twice draws its text at both places and embeds its picture once, and a fill painted
// after a run covers it.
TEST_F(PdfWriterTest, GroupsArePaintedWhereTheyStandInOrder) {
  auto frame = std::make_shared<layout::Frame>();
  frame->push(serif_->shape("Trang", 0, 12, 50, 700));
  frame->push(layout::ImageItem{sample_images()[0], {Pt(50), Pt(600), Pt(80), Pt(40)}, ""});
  auto page_with = [&](bool fill_last) {
    layout::PageTree tree;
    tree.fonts = {serif_->program()};
    layout::Page page = page_of(Pt(595), Pt(842));
    page.content.push(layout::Group{Pt(0), Pt(0), frame});
    page.content.push(layout::Group{Pt(300), Pt(-400), frame});
    layout::FillItem white{{Pt(40), Pt(90), Pt(120), Pt(30)}, Color::gray(1)};
    if (!fill_last) page.content.push(white);
    page.content.push(serif_->shape("Hidden", 0, 12, 50, 100));
    if (fill_last) page.content.push(white);
    tree.pages = {page};
    return tree;
  };
  fs::path pdf = save("groups.pdf", write(page_with(true)));
  auto r = run_tool("pdftotext -bbox " + q(pdf) + " -");
  ASSERT_EQ(r.status, 0) << r.err;
  std::regex word("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\"[^>]*>Trang</word>");
  std::vector<std::pair<double, double>> at;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), word); it != std::sregex_iterator(); ++it)
    at.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  ASSERT_EQ(at.size(), 2u) << r.out;
  EXPECT_NEAR(at[0].first, 50, 0.5);
  EXPECT_NEAR(at[1].first, 350, 0.5);
  EXPECT_NEAR(at[1].second - at[0].second, 400, 0.5);  // pdftotext's y runs downwards

  auto images = run_tool("pdfimages -list " + q(pdf));
  auto rows = nonempty_lines(images.out);
  ASSERT_EQ(rows.size(), 4u) << images.out;  // header, rule, two placements
  auto object = [](const std::string& row) {
    std::istringstream in(row);
    std::string f;
    for (int i = 0; i <= 10; ++i) in >> f;
    return f;
  };
  EXPECT_EQ(object(rows[2]), object(rows[3])) << "one image object for both placements";

  // Ink under the white fill: none when the fill comes after the run, some when before.
  auto ink = [&](const layout::PageTree& tree, const std::string& name) {
    fs::path file = save(name + ".pdf", write(tree));
    auto t = run_tool("pdftoppm -r 72 -gray -x 40 -y 722 -W 120 -H 30 " + q(file) + " " + q(dir_ / name));
    EXPECT_EQ(t.status, 0) << t.err;
    std::string img = test::read_file(dir_ / (name + "-1.pgm"));
    size_t header_end = 0;
    for (int newlines = 0; header_end < img.size() && newlines < 3; ++header_end)
      if (img[header_end] == '\n') ++newlines;
    size_t dark = 0;
    for (size_t i = header_end; i < img.size(); ++i) dark += static_cast<uint8_t>(img[i]) < 128;
    return dark;
  };
  EXPECT_EQ(ink(page_with(true), "covered"), 0u);
  EXPECT_GT(ink(page_with(false), "shown"), 50u);
}

// ---- errors ---------------------------------------------------------------------------------

TEST_F(PdfWriterTest, BadInputIsReportedNotWritten) {
  layout::PageTree tree = sample_tree();
  nth<layout::GlyphRun>(tree.pages[0]).glyphs[3].gid = 60000;
  nth<layout::GlyphRun>(tree.pages[1]).font = 7;
  nth<layout::ImageItem>(tree.pages[1]).image = nullptr;
  auto damaged = std::make_shared<image::Image>(*nth<layout::ImageItem>(tree.pages[1], 1).image);
  damaged->data.pop_back();
  nth<layout::ImageItem>(tree.pages[1], 1).image = damaged;
  Diagnostics diags;
  auto pdf = write_pdf(tree, {}, diags);
  EXPECT_FALSE(pdf.has_value());
  std::string all;
  for (const auto& d : diags.all()) all += d.format() + "\n";
  EXPECT_EQ(diags.error_count(), 4) << all;
  EXPECT_NE(all.find("glyph 60000 is not in font 'NotoSerif-Regular'"), std::string::npos) << all;
  EXPECT_NE(all.find("page 2: font 7 is not in the font table"), std::string::npos) << all;
  EXPECT_NE(all.find("page 2: an image item holds no image"), std::string::npos) << all;
  EXPECT_NE(all.find("overlay.png: error: raw image data holds 179 bytes, 180 expected"),
            std::string::npos)
      << all;
}

TEST_F(PdfWriterTest, EmptyTreeIsAnError) {
  Diagnostics diags;
  EXPECT_FALSE(write_pdf(layout::PageTree{}, {}, diags).has_value());
  EXPECT_EQ(diags.error_count(), 1);
}

TEST_F(PdfWriterTest, LibharuErrorsBecomeDiagnostics) {
  layout::PageTree tree = sample_tree();
  // libharu refuses a string longer than 65535 bytes (HPDF_LIMIT_MAX_STRING_LEN); the writer
  // does not check link lengths itself, so the refusal comes from libharu's error handler.
  nth<layout::LinkItem>(tree.pages[0]).uri = "https://example.com/" + std::string(70000, 'a');
  Diagnostics diags;
  auto pdf = write_pdf(tree, {}, diags);
  EXPECT_FALSE(pdf.has_value());
  ASSERT_EQ(diags.error_count(), 1);
  std::string msg = diags.all()[0].format();
  EXPECT_NE(msg.find("error: PDF writer: "), std::string::npos) << msg;
  EXPECT_NE(msg.find("(libharu 0x"), std::string::npos) << msg;
  EXPECT_NE(msg.find("while adding a link"), std::string::npos) << msg;
}

// ---- size ----------------------------------------------------------------------------------

// How fast is bench/run.sh's business; this checks that a document of this size is sound.
TEST_F(PdfWriterTest, TwentyPagesOfTextAreWritten) {
  const std::vector<std::string> sentences = {
      "Theo báo cáo của cơ quan Thường trực Ban Chỉ đạo 35 Thành ủy, từ đầu tháng",
      "công tác tuyên truyền, định hướng dư luận, phản bác các quan điểm sai trái,",
      "truyền tải được những thông điệp tích cực và thông tin chính thống, đầy đủ",
      "về chủ trương, đường lối của Đảng, chính sách và pháp luật của Nhà nước;"};
  std::vector<layout::GlyphRun> lines;
  for (const auto& s : sentences) {
    layout::GlyphRun run = serif_->shape(s, 0, 10, 50, 0);
    for (auto& g : run.glyphs)  // justified: every space stretched
      if (g.gid == serif_->glyph(' ')) g.advance += Pt(1.37);
    lines.push_back(std::move(run));
  }
  layout::PageTree tree;
  tree.fonts = {serif_->program()};
  size_t glyphs = 0;
  for (int p = 0; p < 20; ++p) {
    layout::Page page;
    page.width = Pt(595);
    page.height = Pt(842);
    for (int l = 0; l < 30; ++l) {
      layout::GlyphRun run = lines[l % lines.size()];
      run.y = Pt(800 - l * 25.0);
      glyphs += run.glyphs.size();
      page.content.push(std::move(run));
    }
    tree.pages.push_back(std::move(page));
  }
  ASSERT_GT(glyphs, 40000u);
  std::string bytes = write(tree);
  fs::path pdf = save("twenty.pdf", bytes);
  EXPECT_EQ(run_tool("qpdf --check " + q(pdf)).status, 0);
  auto lines_out = nonempty_lines(text_of(pdf, 20));
  ASSERT_EQ(lines_out.size(), 30u);
  EXPECT_EQ(lines_out[0], sentences[0]);
}

// ---- the builders, without a document -------------------------------------------------------

// Reads a ToUnicode CMap back into gid -> UTF-16 and checks block sizes on the way.
std::map<uint32_t, std::u16string> parse_cmap(const std::string& cmap) {
  std::map<uint32_t, std::u16string> out;
  auto hex_units = [](const std::string& h) {
    std::u16string s;
    for (size_t i = 0; i + 4 <= h.size(); i += 4)
      s.push_back(static_cast<char16_t>(std::stoul(h.substr(i, 4), nullptr, 16)));
    return s;
  };
  std::istringstream in(cmap);
  std::string line;
  std::regex begin("^(\\d+) begin(bfchar|bfrange)$");
  std::regex chr("^<([0-9A-F]{4})> <([0-9A-F]+)>$");
  std::regex rng("^<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>$");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!std::regex_match(line, m, begin)) continue;
    size_t n = std::stoul(m[1]);
    bool range = m[2] == "bfrange";
    EXPECT_LE(n, 100u);
    for (size_t i = 0; i < n; ++i) {
      std::getline(in, line);
      if (range) {
        EXPECT_TRUE(std::regex_match(line, m, rng)) << line;
        uint32_t lo = std::stoul(m[1], nullptr, 16), hi = std::stoul(m[2], nullptr, 16);
        uint32_t dst = std::stoul(m[3], nullptr, 16);
        EXPECT_EQ(lo >> 8, hi >> 8) << "a range must stay within one last byte: " << line;
        EXPECT_LE((dst & 0xFF) + (hi - lo), 0xFFu) << "destination carries: " << line;
        for (uint32_t g = lo; g <= hi; ++g) out[g] = std::u16string(1, char16_t(dst + g - lo));
      } else {
        EXPECT_TRUE(std::regex_match(line, m, chr)) << line;
        out[std::stoul(m[1], nullptr, 16)] = hex_units(m[2]);
      }
    }
    std::getline(in, line);
    EXPECT_EQ(line, range ? "endbfrange" : "endbfchar");
  }
  return out;
}

TEST(ToUnicodeCMap, RoundTripsWithBlocksOfAtMostHundred) {
  detail::FontUsage usage(0x400);
  std::map<uint32_t, std::u16string> want;
  auto add = [&](uint32_t gid, std::u16string text) {
    EXPECT_EQ(usage.map(gid, text), detail::FontUsage::Map::Added);
    want[gid] = text;
  };
  // 250 consecutive glyphs with consecutive letters, crossing the 0x100 glyph boundary and the
  // U+00FF -> U+0100 destination boundary: must split into several valid ranges.
  for (uint32_t i = 0; i < 250; ++i) add(0xC0 + i, std::u16string(1, char16_t(0x80 + i)));
  // 150 scattered glyphs with unrelated text: bfchar, in two blocks.
  for (uint32_t i = 0; i < 150; ++i) add(0x200 + 2 * i, std::u16string(1, char16_t(0x4E00 + 3 * i)));
  add(0x3F0, u"ffi");                // a ligature: one glyph, three characters
  add(0x3F1, u"\U0001D11E");         // astral: a surrogate pair
  usage.use(0x3F2);                  // used, no text
  std::string cmap = detail::tounicode_cmap(usage);
  EXPECT_NE(cmap.find("<03F1> <D834DD1E>"), std::string::npos);
  EXPECT_NE(cmap.find("<03F0> <006600660069>"), std::string::npos);
  EXPECT_NE(cmap.find("beginbfrange"), std::string::npos);
  EXPECT_EQ(parse_cmap(cmap), want);
  EXPECT_EQ(cmap.find("begincmap"), cmap.find("begincmap"));
  EXPECT_NE(cmap.find("/CMapType 2 def"), std::string::npos);
  EXPECT_NE(cmap.find("CMapName currentdict /CMap defineresource pop"), std::string::npos);
}

TEST(ToUnicodeCMap, FirstTextWinsAndLaterOnesConflict) {
  detail::FontUsage usage(10);
  EXPECT_EQ(usage.map(3, u"-"), detail::FontUsage::Map::Added);
  EXPECT_EQ(usage.map(3, u"-"), detail::FontUsage::Map::Same);
  EXPECT_EQ(usage.map(3, u"\u2010"), detail::FontUsage::Map::Conflict);
  EXPECT_EQ(usage.text(3), u"-");
  EXPECT_EQ(usage.map(4, u""), detail::FontUsage::Map::Conflict);
  EXPECT_EQ(usage.used_glyphs(), (std::vector<uint32_t>{3, 4}));
  EXPECT_EQ(usage.mapped_glyphs(), (std::vector<uint32_t>{3}));
}

// The characters a subset's cmap maps: glyphs whose text is one code point, in the BMP or as a
// surrogate pair; not a glyph with two characters (a ligature) or with none.
TEST(FontUsage, CharactersAreTheGlyphsWithOneCodePoint) {
  detail::FontUsage usage(10);
  usage.map(7, u"\u1EC7");
  usage.map(2, u"\U0001D11E");
  usage.map(5, u"fi");
  usage.map(4, u"a");
  usage.use(6);
  using Pairs = std::vector<std::pair<uint32_t, char32_t>>;
  EXPECT_EQ(usage.characters(), (Pairs{{2, U'\U0001D11E'}, {4, U'a'}, {7, U'\u1EC7'}}));
}

// A glyph reached from a second text (small capital "ả" drawn with the glyph of "Ả") gets a
// code of its own after the subset's glyphs: in ToUnicode with that text, in /W with the
// glyph's width, and sent to the glyph by the CIDToGIDMap stream.
TEST(FontUsage, SecondTextOfAGlyphGetsAnAlternateCode) {
  detail::FontUsage usage(10);
  EXPECT_EQ(usage.map(7, u"\u1EA2"), detail::FontUsage::Map::Added);
  EXPECT_EQ(usage.map(7, u"\u1EA3"), detail::FontUsage::Map::Conflict);
  usage.add_alternate(7, u"\u1EA3");
  usage.add_alternate(7, u"\u1EA3");  // known: no second code
  usage.add_alternate(3, u"");        // no text, no code
  usage.map(8, u"b");
  EXPECT_EQ(usage.alternate(7, u"\u1EA3"), 0);
  EXPECT_EQ(usage.alternate(7, u"x"), -1);
  EXPECT_EQ(usage.alternates().size(), 1u);

  // Original glyphs 7 and 8 are subset glyphs 1 and 2, of 3 with .notdef: the alternate is 3.
  std::vector<uint16_t> to(10, 0);
  to[7] = 1, to[8] = 2;
  detail::CidMap cids(to, 3);
  EXPECT_EQ(cids.alternate_cid(0), 3u);
  std::string cmap = detail::tounicode_cmap(usage, cids);
  EXPECT_NE(cmap.find("<0001> <1EA2>"), std::string::npos) << cmap;
  EXPECT_NE(cmap.find("<0003> <1EA3>"), std::string::npos) << cmap;
  EXPECT_EQ(detail::cid_to_gid_map(usage, cids), std::string("\0\0\0\1\0\2\0\1", 8));
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 500);
  font.advances[7] = 640;
  auto ranges = detail::width_ranges(font, {7, 8}, cids, &usage);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(ranges[0].first, 1u);
  EXPECT_EQ(ranges[0].widths, (std::vector<int>{640, 500, 640}));

  // Without alternate codes (CFF: glyph IDs kept, no CIDToGIDMap) nothing changes.
  detail::CidMap identity;
  EXPECT_FALSE(identity.has_alternate(0));
  EXPECT_EQ(detail::cid_to_gid_map(usage, identity), "");
  EXPECT_EQ(detail::tounicode_cmap(usage, identity).find("<1EA3>"), std::string::npos);
}

TEST(Utf16, ConvertsAndReplacesInvalid) {
  std::u16string s;
  EXPECT_TRUE(detail::append_utf16(s, "Đ\xF0\x9D\x84\x9E"));
  EXPECT_EQ(s, u"Đ\U0001D11E");
  s.clear();
  EXPECT_FALSE(detail::append_utf16(s, "a\xC3"));
  EXPECT_EQ(s, u"a\uFFFD");
  std::string hex;
  detail::append_hex_utf16(hex, u"\u1EA1\U0001D11E");
  EXPECT_EQ(hex, "1EA1D834DD1E");
}

TEST(Widths, GroupConsecutiveGlyphsInThousandths) {
  FontProgram font;
  font.units_per_em = 2048;
  font.advances = {1000, 2048, 1024, 500, 0, 1229};
  auto ranges = detail::width_ranges(font, {0, 1, 2, 5});
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0].first, 0u);
  EXPECT_EQ(ranges[0].widths, (std::vector<int>{488, 1000, 500}));
  EXPECT_EQ(ranges[1].first, 5u);
  EXPECT_EQ(ranges[1].widths, (std::vector<int>{600}));
}

// With a renumbered subset the CMap's codes are the new IDs, in their order, whatever the
// original IDs were.
TEST(ToUnicodeCMap, CodesAreCids) {
  detail::FontUsage usage(2000);
  usage.map(700, u"a");
  usage.map(701, u"b");
  usage.map(900, u"c");
  usage.map(1500, u"ffi");
  usage.use(1600);  // used, no text
  std::vector<uint16_t> to(1601, 0);
  to[900] = 1, to[700] = 2, to[701] = 3, to[1500] = 4, to[1600] = 5;
  std::string cmap = detail::tounicode_cmap(usage, detail::CidMap(to));
  std::map<uint32_t, std::u16string> want = {{1, u"c"}, {2, u"a"}, {3, u"b"}, {4, u"ffi"}};
  EXPECT_EQ(parse_cmap(cmap), want) << cmap;
  EXPECT_NE(cmap.find("<0002> <0003> <0061>"), std::string::npos) << "a..b is a range" << cmap;
  EXPECT_EQ(cmap.find("<02BC>"), std::string::npos) << "no original glyph ID is a code" << cmap;
}

TEST(Widths, RangesOfCidsWithTheOriginalGlyphsWidths) {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances = {500, 100, 200, 300, 400, 600, 700, 800, 900, 1000};
  std::vector<uint16_t> to(10, 0);
  to[2] = 1, to[5] = 2, to[9] = 3, to[7] = 5;
  auto ranges = detail::width_ranges(font, {2, 5, 7, 9}, detail::CidMap(to));
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0].first, 1u);
  EXPECT_EQ(ranges[0].widths, (std::vector<int>{200, 600, 1000}));
  EXPECT_EQ(ranges[1].first, 5u);
  EXPECT_EQ(ranges[1].widths, (std::vector<int>{800}));
}

TEST(SubsetTag, SixLettersFromTheGlyphSet) {
  std::string a = detail::subset_tag("NotoSerif-Regular", {1, 2, 3});
  EXPECT_TRUE(std::regex_match(a, std::regex("[A-Z]{6}")));
  EXPECT_EQ(a, detail::subset_tag("NotoSerif-Regular", {1, 2, 3}));
  EXPECT_NE(a, detail::subset_tag("NotoSerif-Regular", {1, 2, 4}));
  EXPECT_NE(a, detail::subset_tag("NotoSans-Regular", {1, 2, 3}));
  FontProgram f;
  f.postscript_name = "Noto Serif (Bold)/x";
  EXPECT_EQ(detail::base_font_name(f), "NotoSerifBoldx");
}

TEST(Subset, RenumbersTrueTypeGlyphsCompactly) {
  TestFont font(test::kNotoSerif);
  const FontProgram& prog = *font.program();
  Face original(prog.bytes->view());
  ASSERT_GT(original.glyph_count(), 2000u);
  // 'ạ' is a composite in Noto Serif (a and the dot below, glyph 2910): its components go
  // into the subset without being asked for, and get IDs of their own.
  uint32_t a = font.glyph(U'ạ'), z = font.glyph('Z'), x = font.glyph('x');
  ASSERT_TRUE(a && z && x);
  std::vector<uint32_t> used = {z, x, a};
  std::sort(used.begin(), used.end());
  std::string error;
  auto sub = detail::subset_font(prog, used, {}, error);
  ASSERT_TRUE(sub) << error;
  EXPECT_FALSE(sub->cff);
  EXPECT_FALSE(sub->cids.identity());
  EXPECT_LT(sub->bytes.size(), prog.bytes->size() / 20);

  Face subset(sub->bytes);
  EXPECT_EQ(subset.glyph_count(), sub->glyph_count);
  // .notdef, the three used glyphs and the composite's few components; not the thousands of
  // glyphs below the highest used ID, as with retained IDs.
  EXPECT_GE(sub->glyph_count, 4u);
  EXPECT_LE(sub->glyph_count, 8u);
  EXPECT_EQ(sub->cids.cid(0), 0u) << ".notdef stays glyph 0";
  std::set<uint32_t> cids;
  for (uint32_t g : used) {
    uint32_t c = sub->cids.cid(g);
    EXPECT_GT(c, 0u);
    EXPECT_LT(c, sub->glyph_count);
    cids.insert(c);
    EXPECT_EQ(subset.shape_of(c), original.shape_of(g))
        << "glyph " << g << " is glyph " << c << " of the subset, with its outline and advance";
  }
  EXPECT_EQ(cids.size(), used.size()) << "each used glyph has a CID of its own";
  // The composite's components came along: the subset has more glyphs than asked for, and the
  // composite still draws (its extents above, accent included, match the original's).
  EXPECT_GT(sub->glyph_count, used.size() + 1);

  FontProgram junk;
  junk.bytes = FontBytes::copy("not a font at all");
  EXPECT_FALSE(detail::subset_font(junk, {1}, {}, error));
  EXPECT_FALSE(error.empty());
}

// A TrueType subset is made without the font's post, gasp and cmap, and gets a cmap of its own
// for the characters the document uses its glyphs for (fonts.cpp, kDroppedFromTrueType), in the
// subset's glyph IDs: HarfBuzz and FreeType read each character to its glyph, in the BMP
// (format 4) and beyond it (format 12), and no other.
TEST(Subset, TrueTypeSubsetHasItsOwnCmapOfTheCharactersUsed) {
  FT_Library ft = nullptr;
  ASSERT_EQ(FT_Init_FreeType(&ft), 0);
  struct Case {
    const char* path;
    std::u32string used;  // characters, each used with its nominal glyph
  };
  // abc: consecutive characters on consecutive glyphs (one segment); 𝄞𝄢: beyond the BMP.
  for (const Case& c : {Case{test::kNotoSerif, U"Zxạabcệ"}, Case{test::kNotoMusic, U"\U0001D11E\U0001D122"}}) {
    SCOPED_TRACE(c.path);
    if (!fs::exists(c.path)) GTEST_SKIP() << c.path << " not installed";
    TestFont font(c.path);
    std::vector<uint32_t> used;
    std::vector<std::pair<uint32_t, char32_t>> chars;
    for (char32_t cp : c.used) {
      uint32_t g = font.glyph(cp);
      ASSERT_NE(g, 0u) << "U+" << std::hex << uint32_t(cp);
      used.push_back(g);
      chars.push_back({g, cp});
    }
    std::sort(used.begin(), used.end());
    std::string error;
    auto sub = detail::subset_font(*font.program(), used, chars, error);
    ASSERT_TRUE(sub) << error;
    Face subset(sub->bytes);
    EXPECT_TRUE(subset.has_table(HB_TAG('c', 'm', 'a', 'p')));
    EXPECT_FALSE(subset.has_table(HB_TAG('p', 'o', 's', 't')));
    EXPECT_FALSE(subset.has_table(HB_TAG('g', 'a', 's', 'p')));
    FT_Face face = nullptr;
    ASSERT_EQ(FT_New_Memory_Face(ft, reinterpret_cast<const FT_Byte*>(sub->bytes.data()),
                                 static_cast<FT_Long>(sub->bytes.size()), 0, &face), 0);
    ASSERT_EQ(FT_Select_Charmap(face, FT_ENCODING_UNICODE), 0);
    for (const auto& [g, cp] : chars) {
      uint32_t want = sub->cids.cid(g);
      EXPECT_EQ(subset.nominal(cp), want) << "HarfBuzz, U+" << std::hex << uint32_t(cp);
      EXPECT_EQ(FT_Get_Char_Index(face, cp), want) << "FreeType, U+" << std::hex << uint32_t(cp);
    }
    for (char32_t other : {U'Q', U'\u1EA0', U'\U0001D120'}) {
      EXPECT_EQ(subset.nominal(other), 0u);
      EXPECT_EQ(FT_Get_Char_Index(face, other), 0u);
    }
    FT_Done_Face(face);
    // Without characters the subset has no cmap at all.
    auto bare = detail::subset_font(*font.program(), used, {}, error);
    ASSERT_TRUE(bare) << error;
    EXPECT_FALSE(Face(bare->bytes).has_table(HB_TAG('c', 'm', 'a', 'p')));
  }
  FT_Done_FreeType(ft);
}

// CFF outlines keep their glyph IDs (fonts.h, SubsetFont): CID = original glyph ID.
TEST(Subset, CffKeepsGlyphIds) {
  if (!fs::exists(test::kCffFont)) GTEST_SKIP() << test::kCffFont << " not installed";
  TestFont font(test::kCffFont);
  const FontProgram& prog = *font.program();
  uint32_t e = font.glyph(U'é'), z = font.glyph('z');
  ASSERT_TRUE(e && z);
  std::vector<uint32_t> used = {std::min(e, z), std::max(e, z)};
  std::string error;
  auto sub = detail::subset_font(prog, used, {}, error);
  ASSERT_TRUE(sub) << error;
  EXPECT_TRUE(sub->cff);
  EXPECT_TRUE(sub->cids.identity());
  EXPECT_EQ(sub->cids.cid(e), e);
  EXPECT_GT(sub->glyph_count, used.back()) << "IDs retained up to the highest used one";
  Face original(prog.bytes->view()), subset(sub->bytes);
  for (uint32_t g : used) EXPECT_EQ(subset.shape_of(g), original.shape_of(g)) << g;
}

// The readable spelling of glyph codes (Options::compress off): hex strings.
constexpr bool kHex = true;

TEST(Content, TjAdjustmentsReconcileAdvancesWithWidths) {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 500);  // every glyph 500/1000 em: 5 pt at 10 pt
  detail::FontUsage usage(10);
  layout::GlyphRun run;
  run.size = Pt(10);
  run.x = Pt(10);
  run.y = Pt(20);
  run.color = Color::gray(0);
  // (Letters further apart than 0.08 em would make the word an ActualText span for poppler,
  // content.cpp: spaced_words.)
  run.glyphs = {{1, Pt(5), {}, {}},       // as wide as /W: no number
                {2, Pt(5.3), {}, {}},     // 0.3 pt wider: -30 before the next glyph
                {3, Pt(5), Pt(0.4), {}},  // drawn 0.4 pt right: -40, then +40 after it
                {4, Pt(5), {}, Pt(3)}};   // raised 3 pt: Ts
  run.clusters = {{0, 1, "a"}, {1, 1, "b"}, {2, 1, "c"}, {3, 1, "d"}};
  std::string out;
  std::u16string scratch;
  detail::RunFont rf{"F1", &font, &usage};
  auto issues = detail::append_run(out, run, rf, scratch, nullptr, kHex);
  EXPECT_EQ(issues.bad_clusters, 0u);
  EXPECT_EQ(out,
            "q\nBT\n10 20 Td\n0 g\n/F1 10 Tf\n"
            "[<00010002>-70<0003>] TJ\n3 Ts\n[40<0004>] TJ\nET\nQ\n");
  EXPECT_EQ(usage.mapped_glyphs(), (std::vector<uint32_t>{1, 2, 3, 4}));
}

// The written code is the glyph's CID; where the text position goes is still worked out from
// the original glyph's width (which /W gives the CID).
TEST(Content, CodesAreCidsAndPositionsUseTheOriginalWidths) {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 300);
  font.advances[7] = 500;
  font.advances[8] = 700;
  detail::FontUsage usage(10);
  std::vector<uint16_t> to(10, 0);
  to[7] = 1, to[8] = 2;
  detail::CidMap cids(to);
  layout::GlyphRun run;
  run.size = Pt(10);
  run.color = Color::gray(0);
  run.glyphs = {{7, Pt(5), {}, {}}, {8, Pt(7), {}, {}}, {7, Pt(5.5), {}, {}}, {8, Pt(7), {}, {}}};
  run.clusters = {{0, 1, "a"}, {1, 1, "b"}, {2, 1, "a"}, {3, 1, "b"}};
  std::string out;
  std::u16string scratch;
  detail::RunFont rf{"F1", &font, &usage, &cids};
  detail::append_run(out, run, rf, scratch, nullptr, kHex);
  EXPECT_EQ(out,
            "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n"
            "[<000100020001>-50<0002>] TJ\nET\nQ\n");
  EXPECT_EQ(usage.mapped_glyphs(), (std::vector<uint32_t>{7, 8})) << "usage keeps original IDs";
}

TEST(Content, HorizontalScalingIsTzAndDividesTheAdjustments) {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 500);  // 5 pt at 10 pt, 5.1 pt at Tz 102
  detail::FontUsage usage(10);
  layout::GlyphRun run;
  run.size = Pt(10);
  run.x = Pt(10);
  run.y = Pt(20);
  run.color = Color::gray(0);
  run.hscale = 1.02;
  run.glyphs = {{1, Pt(5.1), {}, {}},            // as wide as /W at 102%: no number
                {2, Pt(5.355), {}, {}},          // 0.255 pt wider: -25 (times Th = 0.255 pt)
                {3, Pt(5.1), Pt(0.255), {}},     // drawn 0.255 pt right: -25, then +25
                {4, Pt(0), Pt(-4.08), Pt(3)},    // a mark over glyph 3, ending the cluster
                {5, Pt(5.1), {}, {}}};
  run.clusters = {{0, 1, "a"}, {1, 1, "b"}, {2, 2, "c\u0302"}, {4, 1, "d"}};
  std::string out;
  std::u16string scratch;
  detail::append_run(out, run, {"F1", &font, &usage}, scratch, nullptr, kHex);
  // The mark ends 1.02 pt past the cluster: Tc -1 (text space) times Th brings the pen back.
  EXPECT_EQ(out,
            "q\nBT\n10 20 Td\n0 g\n/F1 10 Tf\n102 Tz\n"
            "[<00010002>] TJ\n/Span <</ActualText <FEFF00630302>>> BDC\n[-50<0003>] TJ\n"
            "3 Ts\n-1 Tc\n[425<0004>] TJ\n0 Tc\nEMC\n0 Ts\n[<0005>] TJ\nET\nQ\n");
  // Unscaled runs write no Tz.
  run.hscale = 1;
  out.clear();
  detail::append_run(out, run, {"F1", &font, &usage}, scratch);
  EXPECT_EQ(out.find("Tz"), std::string::npos) << out;
}

TEST(Content, MultiGlyphClusterIsActualTextSpanningTheCluster) {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 500);
  detail::FontUsage usage(10);
  layout::GlyphRun run;
  run.size = Pt(10);
  run.color = Color::gray(0);
  run.glyphs = {{1, Pt(5), {}, {}},               // base
                {2, Pt(0), Pt(-2.5), Pt(3)},      // mark over it, raised
                {3, Pt(5), {}, {}}};
  run.clusters = {{0, 2, "x\u0302"}, {2, 1, "y"}};
  std::string out;
  std::u16string scratch;
  detail::append_run(out, run, {"F1", &font, &usage}, scratch, nullptr, kHex);
  // The mark's Tc makes the span end where the cluster ends (5 pt), without moving any glyph.
  EXPECT_EQ(out,
            "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n"
            "/Span <</ActualText <FEFF00780302>>> BDC\n[<0001>] TJ\n3 Ts\n-2.5 Tc\n"
            "[250<0002>] TJ\n0 Tc\nEMC\n0 Ts\n[<0003>] TJ\nET\nQ\n");
  // Glyphs of the span are used but get no ToUnicode text of their own.
  EXPECT_EQ(usage.used_glyphs(), (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(usage.mapped_glyphs(), (std::vector<uint32_t>{3}));
}

// Words and their spaces as layout sets them: glyph 9 is the space (2.5 pt wide at 10 pt),
// here shrunk to 2 pt between words of 5 pt glyphs.
layout::GlyphRun spaced_words(const std::vector<std::string>& words) {
  layout::GlyphRun run;
  run.size = Pt(10);
  run.color = Color::gray(0);
  uint32_t next = 1;
  for (size_t w = 0; w < words.size(); ++w) {
    if (w > 0) {
      run.clusters.push_back({static_cast<uint32_t>(run.glyphs.size()), 1, " "});
      run.glyphs.push_back({9, Pt(2), {}, {}});
    }
    run.clusters.push_back({static_cast<uint32_t>(run.glyphs.size()), 1, words[w]});
    run.glyphs.push_back({next++, Pt(5), {}, {}});
  }
  return run;
}

FontProgram spaced_font() {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 500);
  font.advances[9] = 250;
  return font;
}

// Word spaces are the font's space glyph, mapped to U+0020, inside the TJ array; a number
// after it puts the next word where layout set it.
TEST(Content, WordSpaceIsTheSpaceGlyphMappedToU0020) {
  FontProgram font = spaced_font();
  detail::FontUsage usage(10);
  std::string out;
  std::u16string scratch;
  detail::append_run(out, spaced_words({"ba", "cơ"}), {"F1", &font, &usage}, scratch, nullptr, kHex);
  EXPECT_EQ(out, "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n[<00010009>50<0002>] TJ\nET\nQ\n");
  EXPECT_EQ(usage.text(9), u" ");
  EXPECT_NE(detail::tounicode_cmap(usage).find("<0009> <0020>"), std::string::npos);
}

// A run whose words are all one letter: poppler would take its even gaps for letter spacing
// and print the line as one word (content.cpp, single_letter_join). Its first two words and
// the space between them are one ActualText span; the other spaces are plain, and every glyph
// keeps its place and its own ToUnicode text.
TEST(Content, SingleLetterWordsJoinTheFirstTwoWords) {
  FontProgram font = spaced_font();
  detail::FontUsage usage(10);
  std::string out;
  std::u16string scratch;
  detail::append_run(out, spaced_words({"a", "\u1EA3", "\u0110"}), {"F1", &font, &usage}, scratch,
                     nullptr, kHex);
  EXPECT_EQ(out,
            "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n"
            "/Span <</ActualText <FEFF006100201EA3>>> BDC\n[<00010009>50<0002>] TJ\nEMC\n"
            "[<0009>50<0003>] TJ\nET\nQ\n");
  EXPECT_EQ(usage.text(1), u"a");
  EXPECT_EQ(usage.text(9), u" ");
  // A run of one word and its space (the next word in another run): the span is the word and
  // the space, the space stretched (Tc) to the run's end, where the next word starts.
  layout::GlyphRun one = spaced_words({"a"});
  one.clusters.push_back({1, 1, " "});
  one.glyphs.push_back({9, Pt(2), {}, {}});
  out.clear();
  detail::append_run(out, one, {"F1", &font, &usage}, scratch, nullptr, kHex);
  EXPECT_EQ(out,
            "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n"
            "/Span <</ActualText <FEFF00610020>>> BDC\n[<0001>] TJ\n-0.5 Tc\n[<0009>] TJ\n0 Tc\n"
            "EMC\nET\nQ\n");
  // A word of two letters anywhere in the run: nothing to join.
  detail::FontUsage fresh(10);
  out.clear();
  detail::append_run(out, spaced_words({"a", "\u1EA3", "ba"}), {"F1", &font, &fresh}, scratch,
                     nullptr, kHex);
  EXPECT_EQ(out.find("BDC"), std::string::npos) << out;
}

// Letters more than 0.08 em apart (letter-spacing): poppler would split the word at every
// gap over 0.1 em, so each such word is one ActualText span; closer letters are left alone.
TEST(Content, LetterSpacedWordsAreOneSpanEach) {
  FontProgram font = spaced_font();
  detail::FontUsage usage(10);
  // "xy z" with 1.5 pt (0.15 em) between x and y: x and y one span, z alone.
  layout::GlyphRun run;
  run.size = Pt(10);
  run.color = Color::gray(0);
  run.glyphs = {{1, Pt(6.5), {}, {}}, {2, Pt(6.5), {}, {}}, {9, Pt(2), {}, {}}, {3, Pt(5), {}, {}}};
  run.clusters = {{0, 1, "x"}, {1, 1, "y"}, {2, 1, " "}, {3, 1, "z"}};
  std::string out;
  std::u16string scratch;
  detail::append_run(out, run, {"F1", &font, &usage}, scratch, nullptr, kHex);
  EXPECT_EQ(out,
            "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n"
            "/Span <</ActualText <FEFF00780079>>> BDC\n[<0001>-150<0002>] TJ\nEMC\n"
            "[-150<0009>50<0003>] TJ\nET\nQ\n");
  // 0.05 em apart: nothing to join.
  run.glyphs[0].advance = Pt(5.5);
  run.glyphs[1].advance = Pt(5.5);
  detail::FontUsage fresh(10);
  out.clear();
  detail::append_run(out, run, {"F1", &font, &fresh}, scratch, nullptr, kHex);
  EXPECT_EQ(out.find("BDC"), std::string::npos) << out;
}

// The test hook that leaves the space glyphs out keeps every other glyph where it was.
TEST(Content, WithoutWordSpacesTheWordsStayInPlace) {
  FontProgram font = spaced_font();
  detail::FontUsage usage(10);
  layout::GlyphRun run = spaced_words({"a", "b", "c"});
  detail::record_run(run, usage, *std::make_unique<std::u16string>());
  std::string out;
  std::u16string scratch;
  detail::TextObject text(out, kHex, /*word_spaces=*/false);
  text.write_run(run, "F1", font, usage, detail::CidMap(), scratch);
  text.close();
  EXPECT_EQ(out, "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n[<0001>-200<0002>-200<0003>] TJ\nET\nQ\n");
}

// The writer shows the alternate code where there is one, and needs no ActualText then.
TEST(Content, SecondTextOfAGlyphIsWrittenWithItsAlternateCode) {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 500);
  detail::FontUsage usage(10);
  layout::GlyphRun run;
  run.size = Pt(10);
  run.color = Color::gray(0);
  run.glyphs = {{1, Pt(5), {}, {}}, {1, Pt(5), {}, {}}};
  run.clusters = {{0, 1, "A"}, {1, 1, "a"}};
  std::string out;
  std::u16string scratch;
  detail::CidMap cids(std::vector<uint16_t>{0, 1}, 2);
  detail::append_run(out, run, {"F1", &font, &usage, &cids}, scratch, nullptr, kHex);
  EXPECT_EQ(out, "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n[<00010002>] TJ\nET\nQ\n");
  // Codes as glyph IDs (no alternate codes): ActualText, as before.
  detail::FontUsage plain(10);
  out.clear();
  detail::append_run(out, run, {"F1", &font, &plain}, scratch, nullptr, kHex);
  EXPECT_NE(out.find("/Span <</ActualText <FEFF0061>>> BDC"), std::string::npos) << out;
}

TEST(Content, BadClustersAreCountedAndSkipped) {
  FontProgram font;
  font.units_per_em = 1000;
  font.advances.assign(10, 500);
  detail::FontUsage usage(10);
  layout::GlyphRun run;
  run.size = Pt(10);
  run.glyphs = {{1, Pt(5), {}, {}}, {2, Pt(5), {}, {}}};
  run.clusters = {{0, 1, "a"}, {0, 1, "again"}, {1, 5, "past the end"}};
  std::string out;
  std::u16string scratch;
  auto issues = detail::append_run(out, run, {"F1", &font, &usage}, scratch, nullptr, kHex);
  EXPECT_EQ(issues.bad_clusters, 2u);
  EXPECT_NE(out.find("[<00010002>] TJ"), std::string::npos) << out;
  EXPECT_EQ(usage.used_glyphs(), (std::vector<uint32_t>{1, 2}));
}

// The runs of a page share one text object; colour, font, Tz and Ts are written when they
// change, and each run moves to its start relative to the line before.
TEST(Content, ConsecutiveRunsShareATextObjectAndWriteOnlyWhatChanges) {
  TextFixture f;
  std::vector<layout::GlyphRun> runs = {f.run(10, 700), f.run(10, 687.5), f.run(10, 675),
                                        f.run(20, 675, 8), f.run(10, 662.5), f.run(10, 650),
                                        f.run(10, 637.5)};
  runs[3].color = Color::rgb(1, 0, 0);  // a run in another font and colour on the same line
  runs[4].hscale = 1.02;                // an expanded line, then one that is not
  runs[5].glyphs[1].dy = Pt(3);         // a raised last glyph: the next run lowers it again
  std::string out;
  detail::TextObject text(out, kHex);
  for (size_t i = 0; i < runs.size(); ++i) f.write(text, runs[i], i == 3 ? "F2" : "F1");
  text.close();
  EXPECT_EQ(out,
            "q\nBT\n10 700 Td\n0 g\n/F1 10 Tf\n[<00010002>] TJ\n"
            "0 -12.5 TD\n[<00010002>] TJ\n"
            "T*\n[<00010002>] TJ\n"
            "10 0 Td\n1 0 0 rg\n/F2 8 Tf\n[<00010002>] TJ\n"
            "-10 -12.5 TD\n0 g\n/F1 10 Tf\n102 Tz\n[<0001>9.8<0002>] TJ\n"
            "T*\n100 Tz\n[<0001>] TJ\n3 Ts\n[<0002>] TJ\n"
            "T*\n0 Ts\n[<00010002>] TJ\n"
            "ET\nQ\n");
  // After close, the next run begins a new text object and writes its whole state again.
  out.clear();
  f.write(text, runs[0]);
  text.close();
  EXPECT_EQ(out, "q\nBT\n10 700 Td\n0 g\n/F1 10 Tf\n[<00010002>] TJ\nET\nQ\n");
}

// Where a reader's floating-point sum of a move would not come exactly to the number it reads
// from the position written absolutely (here from 514.129 to 501.629: the sum leaves the binade
// of 512), the text object is begun again and the run placed from the origin.
TEST(Content, InexactMoveBeginsTheTextObjectAgain) {
  TextFixture f;
  std::string out;
  detail::TextObject text(out, kHex);
  for (double y : {526.629, 514.129, 501.629, 489.129}) f.write(text, f.run(42.52, y));
  text.close();
  EXPECT_EQ(out,
            "q\nBT\n42.52 526.629 Td\n0 g\n/F1 10 Tf\n[<00010002>] TJ\n"
            "0 -12.5 TD\n[<00010002>] TJ\n"
            "ET\nBT\n42.52 501.629 Td\n[<00010002>] TJ\n"
            "T*\n[<00010002>] TJ\n"
            "ET\nQ\n");
}

// A number as three kinds of reader read it: correctly rounded to double (strtod) and to float,
// and digit by digit in double as poppler's lexer does (xf += 0.1^k * digit).
struct ReadNumber {
  double exact_thousandths;
  double as_double;
  float as_float;
  double digit_by_digit;
};
ReadNumber read_number(const std::string& s) {
  ReadNumber r{};
  std::from_chars(s.data(), s.data() + s.size(), r.as_double);
  std::from_chars(s.data(), s.data() + s.size(), r.as_float);
  bool neg = s[0] == '-';
  size_t dot = s.find('.');
  std::string whole = s.substr(neg, dot == std::string::npos ? std::string::npos : dot - neg);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  EXPECT_LE(frac.size(), 3u) << s;
  double xf = whole.empty() ? 0 : std::stod(whole), scale = 0.1;
  for (char c : frac) {
    double step = scale * (c - '0');
    xf = xf + step;
    scale *= 0.1;
  }
  r.digit_by_digit = neg ? -xf : xf;
  double t = whole.empty() ? 0 : std::stod(whole) * 1000;
  for (size_t k = 0; k < 3; ++k) t += (k < frac.size() ? frac[k] - '0' : 0) * (k == 0 ? 100 : k == 1 ? 10 : 1);
  r.exact_thousandths = neg ? -t : t;
  return r;
}

// Every run starts where a `1 0 0 1 x y Tm` of its own would put it (x and y rounded to
// thousandths as append_number writes them): exactly in decimal, and to the last bit for
// readers that sum the moves in double or float, after however many moves; and a column of
// lines at a steady leading costs a T* a line.
TEST(Content, RunsStartExactlyWhereTheirOwnTmWouldPutThem) {
  TextFixture f;
  std::vector<layout::GlyphRun> runs;
  uint64_t seed = 12345;
  auto rnd = [&] {  // deterministic, so a failure can be reproduced
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(seed >> 11) / 9007199254740992.0;
  };
  size_t steady_lines = 0;  // lines of the column at 12.5 pt that follow a line
  for (double x0 : {42.519685, 217.3228346, 392.1259843}) {
    double leading = x0 < 100 ? 12.5 : x0 < 300 ? 11.7 : 12.000004;
    for (int line = 0; line < 60; ++line) {
      double y = 790.61 - line * leading;
      runs.push_back(f.run(x0, y));
      if (line % 9 == 4) {
        runs.push_back(f.run(x0 + 60 * rnd(), y));  // a second font mid-line
      } else if (leading == 12.5 && line % 9 != 5) {
        ++steady_lines;
      }
    }
  }
  for (int k = 0; k < 200; ++k) runs.push_back(f.run(rnd() * 600 - 50, rnd() * 900 - 50));
  std::string out;
  detail::TextObject text(out, kHex);
  for (const auto& r : runs) f.write(text, r);
  text.close();

  struct Reader {
    double exact = 0, d = 0, p = 0;
    float fl = 0;
  } x, y;
  double leading[4] = {};
  float leading_f = 0;
  auto move = [&](const ReadNumber& dx, const ReadNumber& dy) {
    x.exact += dx.exact_thousandths, y.exact += dy.exact_thousandths;
    x.d += dx.as_double, y.d += dy.as_double;
    x.p += dx.digit_by_digit, y.p += dy.digit_by_digit;
    x.fl += dx.as_float, y.fl += dy.as_float;
  };
  size_t shown = 0, next_line = 0, bts = 0;
  bool fresh = false;  // a move since the last string shown
  for (const ContentOp& op : parse_content(out)) {
    if (op.op == "BT") {
      x = y = {};
      ++bts;
    } else if (op.op == "Td" || op.op == "TD") {
      ASSERT_EQ(op.numbers.size(), 2u);
      ReadNumber dx = read_number(op.numbers[0]), dy = read_number(op.numbers[1]);
      move(dx, dy);
      if (op.op == "TD") {
        leading[0] = -dy.exact_thousandths, leading[1] = -dy.as_double;
        leading[2] = -dy.digit_by_digit, leading_f = -dy.as_float;
      }
      fresh = true;
    } else if (op.op == "T*") {
      x.exact += 0, y.exact -= leading[0];
      y.d -= leading[1], y.p -= leading[2], y.fl -= leading_f;
      fresh = true;
      ++next_line;
    } else if (op.op == "Tm") {
      ADD_FAILURE() << "no Tm expected: a move that is not exact begins the text object again";
    } else if (op.op == "TJ" && fresh) {
      ASSERT_LT(shown, runs.size());
      const layout::GlyphRun& r = runs[shown++];
      fresh = false;
      std::string ax = format_number(r.x.v), ay = format_number(r.y.v);
      ReadNumber rx = read_number(ax), ry = read_number(ay);
      EXPECT_EQ(x.exact, rx.exact_thousandths) << "run " << shown - 1 << " at " << ax;
      EXPECT_EQ(y.exact, ry.exact_thousandths) << "run " << shown - 1 << " at " << ay;
      EXPECT_EQ(x.d, rx.as_double) << ax;
      EXPECT_EQ(y.d, ry.as_double) << ay;
      EXPECT_EQ(x.p, rx.digit_by_digit) << ax;
      EXPECT_EQ(y.p, ry.digit_by_digit) << ay;
      EXPECT_EQ(x.fl, rx.as_float) << ax;
      EXPECT_EQ(y.fl, ry.as_float) << ay;
    }
  }
  EXPECT_EQ(shown, runs.size());
  // The 12.5 pt column is written with T* but where a sum leaves a binade (512, 256, 128);
  // the other columns, whose leadings are no binary fractions, and the random jumps begin the
  // text object again more often.
  EXPECT_GE(next_line + 4, steady_lines) << out.substr(0, 3000);
  EXPECT_LT(bts, runs.size());
}

// Glyph codes are two bytes each in a literal string; the delimiters, the backslash and the
// end-of-line bytes are escaped, in either byte of a code.
TEST(Content, CodesAreLiteralStringsWithSpecialBytesEscaped) {
  TextFixture f;
  std::vector<uint16_t> to(10, 0);
  to[1] = 0x000A, to[2] = 0x000D, to[3] = 0x0028, to[4] = 0x0029, to[5] = 0x005C;
  to[6] = 0x0A0D, to[7] = 0x2829, to[8] = 0x5C41;
  f.cids = detail::CidMap(to);
  layout::GlyphRun r = f.run(0, 0, 10, {1, 2, 3, 4, 5, 6, 7, 8});
  std::string out;
  detail::TextObject text(out);
  f.write(text, r);
  text.close();
  using namespace std::string_literals;
  EXPECT_EQ(out, "q\nBT\n0 0 Td\n0 g\n/F1 10 Tf\n"
                 "[(\0\\n\0\\r\0\\(\0\\)\0\\\\\\n\\r\\(\\)\\\\A)] TJ\nET\nQ\n"s);
  std::vector<ContentOp> ops = parse_content(out);
  auto tj = std::find_if(ops.begin(), ops.end(), [](const ContentOp& op) { return op.op == "TJ"; });
  ASSERT_NE(tj, ops.end());
  EXPECT_FALSE(tj->hex);
  EXPECT_EQ(codes_of(*tj), (std::vector<uint32_t>{0x0A, 0x0D, 0x28, 0x29, 0x5C, 0x0A0D, 0x2829,
                                                  0x5C41}));
}

}  // namespace
}  // namespace trang::pdf
