// Tests of painting at an alpha (ISO 32000-1 §11.6.4.4): the ExtGState a colour's alpha or a
// picture's opacity is painted through, set where it changes and nowhere else.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "pdf/content.h"
#include "pdf/pdf.h"
#include "test_support.h"

namespace trang::pdf {
namespace {

using test::TextFixture;

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// In a shared text object the alpha is set where it changes, back to 1 by the opaque state,
// and not at all in a new text object whose q starts at 1.
TEST(Alpha, TextObjectSetsTheAlphaWhereItChanges) {
  TextFixture f;
  std::string out;
  detail::TextObject text(out, /*hex=*/true);
  layout::GlyphRun half = f.run(10, 700), opaque = f.run(10, 687.5), again = f.run(10, 675);
  half.color.alpha = 0.5f;
  again.color.alpha = 0.5f;
  text.write_run(half, "F1", f.font, f.usage, f.cids, f.scratch, nullptr, "E1");
  text.write_run(half, "F1", f.font, f.usage, f.cids, f.scratch, nullptr, "E1");
  text.write_run(opaque, "F1", f.font, f.usage, f.cids, f.scratch, nullptr, "E2");
  text.write_run(again, "F1", f.font, f.usage, f.cids, f.scratch, nullptr, "E1");
  text.close();
  text.write_run(opaque, "F1", f.font, f.usage, f.cids, f.scratch, nullptr, "E2");
  text.close();
  EXPECT_EQ(out,
            "q\nBT\n10 700 Td\n0 g\n/E1 gs\n/F1 10 Tf\n[<00010002>] TJ\n0 0 Td\n[<00010002>] TJ\n"
            "0 -12.5 TD\n/E2 gs\n[<00010002>] TJ\nT*\n/E1 gs\n[<00010002>] TJ\nET\nQ\n"
            "q\nBT\n10 687.5 Td\n0 g\n/F1 10 Tf\n[<00010002>] TJ\nET\nQ\n");
}

class AlphaWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { serif_ = new test::TestFont(test::kNotoSerif); }
  static void TearDownTestSuite() {
    delete serif_;
    serif_ = nullptr;
  }

  // An A4 page: a fill, a rule, a picture and a run, painted at `alpha` (the picture at
  // `alpha` opacity), then an opaque run.
  static layout::PageTree tree(float alpha) {
    layout::PageTree t;
    t.fonts = {serif_->program()};
    layout::Page p;
    p.width = Pt(595.276);
    p.height = Pt(841.89);
    Color red = Color::rgb(1, 0, 0);
    red.alpha = alpha;
    auto picture = std::make_shared<image::Image>();
    picture->kind = image::Image::Kind::Raw;
    picture->width = picture->height = 2;
    picture->components = 3;
    picture->data.assign(12, 200);
    picture->path = "p.png";
    layout::ImageItem image{picture, {Pt(300), Pt(500), Pt(100), Pt(100)}, "p"};
    image.opacity = alpha;
    layout::GlyphRun run = serif_->shape("Cần Thơ", 0, 16, 72, 760);
    run.color = red;
    layout::GlyphRun plain = serif_->shape("Cần Thơ", 0, 16, 72, 740);
    p.content.items = {layout::FillItem{{Pt(50), Pt(50), Pt(100), Pt(40)}, red},
                       layout::RuleItem{Pt(72), Pt(700), Pt(520), Pt(700), Pt(1), red}, image, run,
                       plain};
    t.pages = {p};
    return t;
  }

  static std::string write(const layout::PageTree& tree, Profile profile) {
    Options options;
    options.compress = false;
    options.profile = profile;
    Diagnostics diags;
    std::optional<std::string> pdf = write_pdf(tree, options, diags);
    EXPECT_TRUE(pdf.has_value());
    return pdf.value_or("");
  }

  static test::TestFont* serif_;
};
test::TestFont* AlphaWriterTest::serif_ = nullptr;

TEST_F(AlphaWriterTest, EveryKindOfItemIsPaintedThroughAnExtGState) {
  for (Profile profile : {Profile::Screen, Profile::Print, Profile::Archive}) {
    std::string pdf = write(tree(0.5f), profile);
    // One state for 0.5 and one for 1 (the opaque run after the transparent one).
    EXPECT_EQ(count(pdf, "/Type /ExtGState"), 2u);
    EXPECT_TRUE(std::regex_search(pdf, std::regex("/ca 0\\.5")));
    EXPECT_TRUE(std::regex_search(pdf, std::regex("/CA 0\\.5")));
    // The fill and the rule each in a q/Q that sets it; the picture in its own q; the run
    // inside its text object, then back to 1 for the opaque run.
    EXPECT_TRUE(std::regex_search(pdf, std::regex("q\n/E1 gs\n[^\n]* (rg|k)\n50 50 100 40 re f\nQ\n")));
    EXPECT_TRUE(std::regex_search(pdf, std::regex("q\n/E1 gs\n[^\n]* (RG|K)\n1 w 72 700 m 520 700 l S\nQ\n")));
    EXPECT_TRUE(std::regex_search(pdf, std::regex("q\n/E1 gs\n[^\n]* cm\n/X1 Do\nQ\n")));
    EXPECT_TRUE(std::regex_search(pdf, std::regex("/E1 gs\n/F1 16 Tf\n[^\n]*TJ\n[^\n]*TD\n[^\n]* (g|k)\n/E2 gs\n[^\n]*TJ\n")));
    // Blended in the profile's space (§11.4.7): a page group, as soft masks get.
    if (profile != Profile::Screen) {
      EXPECT_NE(pdf.find(profile == Profile::Print ? "/CS /DeviceCMYK" : "/CS /DeviceRGB"),
                std::string::npos);
    }
  }
}

TEST_F(AlphaWriterTest, OpaqueWritesNoStateAndNoGroup) {
  std::string pdf = write(tree(1), Profile::Archive);
  EXPECT_EQ(pdf.find("ExtGState"), std::string::npos);
  EXPECT_EQ(pdf.find(" gs\n"), std::string::npos);
  EXPECT_EQ(pdf.find("/Transparency"), std::string::npos);
}

// A fill or rule at alpha 0 (a transparent border) is left out; text at alpha 0 is kept, to
// be found and copied though not seen (color: transparent).
TEST_F(AlphaWriterTest, NothingToPaintAtAlphaZeroButText) {
  std::string pdf = write(tree(0), Profile::Screen);
  EXPECT_EQ(pdf.find("50 50 100 40 re f"), std::string::npos);
  EXPECT_EQ(pdf.find("72 700 m 520 700 l S"), std::string::npos);
  EXPECT_TRUE(std::regex_search(pdf, std::regex("/ca 0\n")));
  EXPECT_EQ(count(pdf, "] TJ"), 2u);
}

}  // namespace
}  // namespace trang::pdf
