// Tests of what tagged PDF adds to the content writer and the document's strings: marked-content
// sequences that go on over several runs, and text strings written as literals.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pdf/content.h"
#include "pdf/fonts.h"
#include "pdf/meta.h"
#include "test_support.h"

namespace trang::pdf {
namespace {

constexpr bool kHex = true;
using test::TextFixture;

// The lines of one paragraph go on in one marked-content sequence: one BDC, one EMC, the moves
// between them inside it; the next element's run closes it before its own move.
TEST(Tagging, ContinuedRunsShareOneMarkedContentSequence) {
  TextFixture f;
  std::string out;
  detail::TextObject text(out, kHex);
  text.set_mark("/P <</MCID 0>> BDC\n");
  f.write(text, f.run(10, 700));
  text.continue_mark();
  f.write(text, f.run(10, 687.5));
  text.set_mark("/Caption <</MCID 1>> BDC\n");
  f.write(text, f.run(10, 675));
  text.close();
  EXPECT_EQ(out,
            "q\nBT\n10 700 Td\n/P <</MCID 0>> BDC\n0 g\n/F1 10 Tf\n[<00010002>] TJ\n"
            "0 -12.5 TD\n[<00010002>] TJ\n"
            "EMC\nT*\n/Caption <</MCID 1>> BDC\n[<00010002>] TJ\n"
            "EMC\nET\nQ\n");
}

// A move that would begin the text object again (inexact as a sum: 514.129 to 501.629) is
// written relatively inside a continued sequence, which may not cross ET; a new sequence
// still begins the text object again, outside any marked content.
TEST(Tagging, ContinuedSequenceNeverCrossesTheTextObject) {
  TextFixture f;
  std::string out;
  detail::TextObject text(out, kHex);
  text.set_mark("/P <</MCID 0>> BDC\n");
  f.write(text, f.run(42.52, 514.129));
  text.continue_mark();
  f.write(text, f.run(42.52, 501.629));
  text.close();
  EXPECT_EQ(out.find("ET\nBT"), std::string::npos) << out;
  EXPECT_NE(out.find("0 -12.5 TD\n"), std::string::npos) << out;

  out.clear();
  text.set_mark("/P <</MCID 0>> BDC\n");
  f.write(text, f.run(42.52, 514.129));
  text.set_mark("/P <</MCID 1>> BDC\n");
  f.write(text, f.run(42.52, 501.629));
  text.close();
  EXPECT_NE(out.find("EMC\nET\nBT\n42.52 501.629 Td\n/P <</MCID 1>> BDC\n"), std::string::npos)
      << out;
}

// /Alt and other text strings: ASCII as it is, anything else UTF-16BE with a byte order mark,
// raw bytes but for the escapes of ISO 32000-1 §7.3.4.2.
TEST(Tagging, TextStringsAreLiterals) {
  EXPECT_EQ(detail::pdf_text_literal("Quang (canh)\\"), "(Quang \\(canh\\)\\\\)");
  EXPECT_EQ(detail::pdf_text_literal("Hội"), std::string("(\xFE\xFF\x00H\x1E\xD9\x00i)", 10));
  // U+0A29 and U+0D28 hold the bytes of LF and CR; U+2829 those of parentheses.
  EXPECT_EQ(detail::pdf_text_literal("\xE0\xA8\xA9\xE0\xB4\xA8\xE2\xA0\xA9"),
            std::string("(\xFE\xFF\\n\\)\\r\\(\\(\\))", 16));
}

}  // namespace
}  // namespace trang::pdf
