#include <gtest/gtest.h>

#include <charconv>
#include <clocale>
#include <cmath>
#include <random>

#include "core/core.h"

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

TEST(Hash64, PairIsTwoHashesInOnePass) {
  std::mt19937_64 rng(11);
  for (size_t n : {0, 1, 7, 8, 9, 63, 64, 65, 1000, 4099}) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    auto [a, b] = hash64_pair(bytes, 1, 0x2545f4914f6cdd1dull);
    EXPECT_EQ(a, hash64(bytes, 1)) << n;
    EXPECT_EQ(b, hash64(bytes, 0x2545f4914f6cdd1dull)) << n;
  }
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
  std::string s;
  append_utf8(s, U'ệ');
  append_utf8(s, 0x1F600);
  EXPECT_EQ(s, "ệ\xF0\x9F\x98\x80");
}

}  // namespace trang

namespace trang {
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
