#include <cerrno>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <vector>

#include "core/confine.h"
#include "core/core.h"
#include "core/font_program.h"
#include "core/glyphs.h"

namespace trang {

TEST(Pt, MillimetresAndArithmetic) {
  EXPECT_NEAR(mm(25.4).v, 72.0, 1e-9);
  EXPECT_EQ((Pt(3) + Pt(4)).v, 7);
  EXPECT_EQ((Pt(10) / Pt(4)), 2.5);
  EXPECT_LT(Pt(1), Pt(2));
}

TEST(FormatNumber, RoundsTrimsAndIgnoresLocale) {
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(2.0), "2");
  EXPECT_EQ(format_number(-0.0001), "0");  // never "-0"
  EXPECT_EQ(format_number(0.12345, 3), "0.123");
  EXPECT_EQ(format_number(-12.5, 1), "-12.5");
  // A decimal comma locale must not leak into PDF numbers (libharu pitfall 12).
  if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
    EXPECT_EQ(format_number(1.25, 2), "1.25");
    std::setlocale(LC_NUMERIC, "C");
  }
}

// The writer formats numbers through append_number's integer path; it must print what rounding
// the double and printing it in fixed notation prints, for every value a page can hold.
TEST(FormatNumber, IntegerPathMatchesFixedNotation) {
  auto reference = [](double v, int decimals) {
    double scale = std::pow(10.0, decimals);
    double r = std::round(v * scale) / scale;
    if (r == 0) return std::string("0");
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed, decimals);
    std::string s(buf, res.ptr);
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s;
  };
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> page(-20000, 20000), small(-2, 2);
  for (int i = 0; i < 200000; ++i) {
    double v = i % 2 ? page(rng) : small(rng);
    int d = i % 7;
    ASSERT_EQ(format_number(v, d), reference(v, d)) << v << " at " << d << " decimals";
  }
  for (double v : {0.0005, -0.0005, 0.0015, 2.5e-4, 999.9995, -999.9995, 1e11, -1e11})
    EXPECT_EQ(format_number(v, 3), reference(v, 3)) << v;
  std::string out = "x ";
  append_number(out, 12.3456, 2);
  EXPECT_EQ(out, "x 12.35");
}

TEST(Hash128, IsXxh3AndSeesEveryByte) {
  // XXH3-128 of the empty input, as published with xxHash.
  auto empty = hash128("");
  EXPECT_EQ(empty[1], 0x99aa06d3014798d8ull);
  EXPECT_EQ(empty[0], 0x6001c324468d497full);
  std::mt19937_64 rng(11);
  std::string bytes(1 << 20, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  auto whole = hash128(bytes);
  EXPECT_EQ(hash128(bytes), whole);
  for (size_t at : {size_t{0}, size_t{4097}, bytes.size() - 1}) {
    std::string changed = bytes;
    changed[at] ^= 1;
    auto h = hash128(changed);
    EXPECT_NE(h[0], whole[0]) << at;
    EXPECT_NE(h[1], whole[1]) << at;
  }
  EXPECT_NE(hash128(std::string(64, '\0')), hash128(std::string(65, '\0')));
}

TEST(LineIndex, ColumnsCountCodePointsNotBytes) {
  std::string text = "<a>\n  <Đồng>x</Đồng>\n";
  LineIndex idx(text);
  SourcePos p = idx.position("f.xml", text.find('x'));
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(p.col, 9);  // "  <Đồng>" is 8 code points but 11 bytes
  EXPECT_EQ(idx.position("f.xml", 0).line, 1);
  EXPECT_EQ(idx.position("f.xml", 9999).line, 3);  // clamped to the end
}

TEST(Diagnostic, FormatsLikeACompiler) {
  Diagnostic d{Diagnostic::Severity::Error, {"article.xml", 12, 7}, "unknown element <figue>",
               "did you mean <figure>?"};
  EXPECT_EQ(d.format(), "article.xml:12:7: error: unknown element <figue>\n  hint: did you mean <figure>?");
  Diagnostic w{Diagnostic::Severity::Warning, {"a.css", 0, 0}, "x", ""};
  EXPECT_EQ(w.format(), "a.css: warning: x");
}

TEST(Diagnostics, CountsBySeverity) {
  Diagnostics d;
  d.warning({"a"}, "w");
  EXPECT_FALSE(d.has_errors());
  d.error({"a"}, "e");
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.warning_count(), 1);
  EXPECT_EQ(d.all().size(), 2u);
}

TEST(Utf8, DecodesAndRejectsBadSequences) {
  std::u32string out;
  EXPECT_TRUE(decode_utf8("Việt", out));
  EXPECT_EQ(out, U"Việt");
  size_t bad = 0;
  EXPECT_FALSE(decode_utf8("ab\xC3", out, &bad));  // truncated
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(decode_utf8("\xC0\xAF", out, &bad));  // overlong '/'
  EXPECT_FALSE(decode_utf8("\xED\xA0\x80", out, &bad));  // surrogate
  EXPECT_FALSE(decode_utf8("x\xFFy", out, &bad));
  EXPECT_EQ(bad, 1u);
  // valid_utf8 draws the same line at the same byte.
  for (std::string_view text : {"Việt", "ab\xC3", "\xC0\xAF", "\xED\xA0\x80", "x\xFFy",
                                "\xF4\x90\x80\x80", "abc \xF0\x9F\x98\x80"}) {
    size_t a = 99, b = 99;
    EXPECT_EQ(valid_utf8(text, &a), decode_utf8(text, out, &b)) << text;
    EXPECT_EQ(a, b) << text;
  }
  std::string s;
  append_utf8(s, U'ệ');
  append_utf8(s, 0x1F600);
  EXPECT_EQ(s, "ệ\xF0\x9F\x98\x80");
}

}  // namespace trang

namespace trang {
// A cluster's text reads back as it was given, short (inline) or long (on the heap), through
// copies, moves and assignments between the two kinds; clusters are 24 bytes.
TEST(ClusterText, KeepsItsBytesThroughCopiesAndMoves) {
  static_assert(sizeof(ClusterText) == 16);
  static_assert(sizeof(Cluster) == 24);
  const std::string letter = "\u1EC7";                                // ệ, 3 bytes
  const std::string inline_max(ClusterText::kInline, 'x');             // the longest inline
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";  // 18 bytes: heap
  for (const std::string& s : {std::string(), letter, inline_max, inline_max + "y", family}) {
    ClusterText t(s);
    EXPECT_EQ(t.view(), s);
    EXPECT_EQ(t.size(), s.size());
    EXPECT_EQ(t.empty(), s.empty());
    ClusterText copy(t);
    EXPECT_EQ(copy, t);
    EXPECT_EQ(copy.view(), s);
    if (s.size() > ClusterText::kInline) {
      EXPECT_NE(copy.data(), t.data());  // its own bytes
    }
    ClusterText moved(std::move(copy));
    EXPECT_EQ(moved.view(), s);
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from text is empty
    for (const std::string& other : {letter, family}) {
      ClusterText a(other);
      a = t;  // copy-assign over either kind
      EXPECT_EQ(a.view(), s);
      ClusterText b(other);
      b = ClusterText(s);  // move-assign over either kind
      EXPECT_EQ(b.view(), s);
    }
    ClusterText& self = t;
    t = self;
    EXPECT_EQ(t.view(), s);
    std::ostringstream out;
    out << t;
    EXPECT_EQ(out.str(), s);
  }
  // As a std::string_view: appended, compared, indexed.
  std::vector<Cluster> clusters = {{0, 1, "c"}, {1, 3, letter}, {4, 1, family}};
  std::string all;
  for (const Cluster& c : clusters) all += c.text;
  EXPECT_EQ(all, "c" + letter + family);
  EXPECT_TRUE(clusters[0].text == "c");
  EXPECT_EQ(clusters[1].text[0], letter[0]);
  EXPECT_EQ(std::string(clusters[2].text), family);
}

TEST(LineIndex, LookupsInAnyOrderAgree) {
  std::string text = "ab\nĐồng chí\nx";
  LineIndex a(text);
  std::vector<SourcePos> forward, backward;
  for (size_t i = 0; i <= text.size(); ++i) forward.push_back(a.position("f", i));
  LineIndex b(text);
  for (size_t i = text.size() + 1; i-- > 0;) backward.push_back(b.position("f", i));
  for (size_t i = 0; i <= text.size(); ++i) {
    EXPECT_EQ(forward[i].line, backward[text.size() - i].line) << i;
    EXPECT_EQ(forward[i].col, backward[text.size() - i].col) << i;
  }
  EXPECT_EQ(a.position("f", text.find('x')).col, 1);
  EXPECT_EQ(a.position("f", text.find("chí")).col, 6);
}
}  // namespace trang

namespace trang {

// read_regular_file: what an article or stylesheet read gets for each kind of file, and a FIFO
// answers at once instead of blocking the read.
class ReadRegularFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/trang-read-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& bytes) {
    std::string path = dir_ + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    return path;
  }
  std::string dir_;
};

TEST_F(ReadRegularFile, ReadsARegularFileWhole) {
  std::string out = "stale";
  EXPECT_EQ(read_regular_file(write("a.xml", "<article/>"), 100, out), ReadStatus::Ok);
  EXPECT_EQ(out, "<article/>");
  EXPECT_EQ(read_regular_file(write("empty.xml", ""), 100, out), ReadStatus::Ok);
  EXPECT_EQ(out, "");
  std::string big(70000, 'x');
  EXPECT_EQ(read_regular_file(write("big.xml", big), 70000, out), ReadStatus::Ok);
  EXPECT_EQ(out, big);
}

TEST_F(ReadRegularFile, RefusesWhatIsNotARegularFileOfTheAllowedSize) {
  std::string out = "stale";
  EXPECT_EQ(read_regular_file(dir_ + "/none.xml", 100, out), ReadStatus::Missing);
  EXPECT_EQ(out, "");
  EXPECT_EQ(read_regular_file(dir_ + "/none/a.xml", 100, out), ReadStatus::Missing);
  EXPECT_EQ(read_regular_file(dir_, 100, out), ReadStatus::NotRegular);
  EXPECT_EQ(read_regular_file("/dev/zero", 100, out), ReadStatus::NotRegular);
  std::string fifo = dir_ + "/pipe.xml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(read_regular_file(fifo, 100, out), ReadStatus::NotRegular);  // and did not block
  std::string path = write("long.xml", std::string(101, 'y'));
  EXPECT_EQ(read_regular_file(path, 100, out), ReadStatus::TooLarge);
  EXPECT_EQ(out, "");
  EXPECT_EQ(read_status_message(ReadStatus::NotRegular), "not a regular file");
  EXPECT_EQ(read_status_message(ReadStatus::Missing), "no such file");
}

// A file that cannot be read says why, as the system does: /proc/self/mem is a regular file
// whose first page is unmapped, so reading it fails with EIO even for root.
TEST_F(ReadRegularFile, UnreadableGivesTheSystemsReason) {
  std::string out;
  int error = 0;
  ASSERT_EQ(read_regular_file("/proc/self/mem", 100, out, false, &error), ReadStatus::Unreadable);
  EXPECT_EQ(error, EIO);
  EXPECT_EQ(read_status_message(ReadStatus::Unreadable, error), "cannot read the file: Input/output error");
  EXPECT_EQ(read_status_message(ReadStatus::Unreadable), "cannot read the file");
}

TEST_F(ReadRegularFile, HeadOnlyReadsTheFirstBytesOfALargerFile) {
  std::string out;
  std::string path = write("long.xml", "<publication>" + std::string(5000, ' '));
  EXPECT_EQ(read_regular_file(path, 13, out, /*head_only=*/true), ReadStatus::Ok);
  EXPECT_EQ(out, "<publication>");
  EXPECT_EQ(read_regular_file(path, 1 << 20, out, /*head_only=*/true), ReadStatus::Ok);
  EXPECT_EQ(out.size(), 5013u);
}

// Confinement: a plain file name in a root is judged without resolving the root again, but a
// symlink there is still followed to where it points.
TEST_F(ReadRegularFile, ConfinementJudgesPlainNamesAndFollowsTheirSymlinks) {
  namespace fs = std::filesystem;
  fs::create_directories(dir_ + "/article");
  fs::create_directories(dir_ + "/assets");
  fs::create_directories(dir_ + "/article/photos");
  write("article/photo.jpg", "jpeg");
  write("assets/logo.png", "png");
  write("secret.txt", "no");
  fs::create_symlink(dir_ + "/secret.txt", dir_ + "/article/leak.jpg");
  fs::create_symlink("photo.jpg", dir_ + "/article/alias.jpg");
  std::string article = dir_ + "/article", assets = dir_ + "/assets";
  std::string canonical = fs::canonical(article).string();
  Confinement c({article, assets});
  using S = ConfinedPath::Status;

  ConfinedPath ok = c.find("photo.jpg");
  EXPECT_EQ(ok.status, S::Ok);
  EXPECT_EQ(ok.path, canonical + "/photo.jpg");
  EXPECT_EQ(c.find("leak.jpg").status, S::Outside);  // a symlink out is judged by its target
  ConfinedPath alias = c.find("alias.jpg");
  EXPECT_EQ(alias.status, S::Ok);
  EXPECT_EQ(alias.path, canonical + "/photo.jpg");
  ConfinedPath missing = c.find("none.jpg");
  EXPECT_EQ(missing.status, S::Missing);
  EXPECT_EQ(missing.path, canonical + "/none.jpg");
  EXPECT_EQ(c.find("photos").status, S::NotRegular);
  EXPECT_EQ(c.find("..").status, S::Outside);
  EXPECT_EQ(c.find("../secret.txt").status, S::Outside);
  EXPECT_EQ(c.find("/etc/passwd").status, S::Absolute);
  EXPECT_EQ(c.find("https://example.com/a.jpg").status, S::Url);
  ConfinedPath logo = c.find("logo.png");  // not beside the article: found in the assets
  EXPECT_EQ(logo.status, S::Ok);
  EXPECT_EQ(logo.path, fs::canonical(assets).string() + "/logo.png");
  // The one-off form agrees.
  EXPECT_EQ(confine_path("photo.jpg", article, {article}).path, ok.path);
  EXPECT_EQ(confine_path("leak.jpg", article, {article}).status, S::Outside);
}

// A mapped font file cut short under trang (rewritten in place during a run): reading its lost
// pages raised SIGBUS and killed the process. Now they read as zeros, the pages still in the
// file read as they were, and take_truncated_font() names the file once.
TEST_F(ReadRegularFile, MappedFontCutShortReadsZerosAndIsNamed) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::string bytes(3 * page, 'F');
  std::string path = write("cut.ttf", bytes);
  auto font = FontBytes::map(path);
  ASSERT_TRUE(font);
  ASSERT_EQ(font->size(), 3 * page);
  EXPECT_EQ(take_truncated_font(), "");
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(page)), 0);
  const volatile char* data = font->data();
  EXPECT_EQ(data[0], 'F');
  EXPECT_EQ(data[2 * page + 5], '\0');  // SIGBUS before: a page past the end of the file
  EXPECT_EQ(data[page + 1], '\0');
  EXPECT_EQ(data[page - 1], 'F');
  EXPECT_EQ(take_truncated_font(), path);
  EXPECT_EQ(take_truncated_font(), "");
  // A font read into memory is not the guard's business, and a fault elsewhere is not either
  // (the default action still applies: not tested, it ends the process).
  auto copy = FontBytes::copy(bytes);
  EXPECT_EQ(copy->data()[2 * page], 'F');
}

}  // namespace trang
