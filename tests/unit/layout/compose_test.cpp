// The page composer on generated publications: 1 to 30 articles of random length, with
// random areas, column spans, new-page barriers, figures, boxes and lists, from a fixed list of
// seeds. Whatever the mix, the composer's invariants hold (composition_faults is empty and
// layout_publication does not throw), every article starts on a page and each of its words is
// on some page, and the same input composes to the same pages.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "layout/publication.h"

namespace trang::layout {
namespace {

using model::Kind;

const char* kWords[] = {"tăng", "cường", "sự", "lãnh", "đạo,", "chỉ", "đạo", "tuyệt", "đối,",
                        "trực", "tiếp", "của", "các", "cấp", "ủy", "đảng.", "Người", "dân",
                        "phường", "Ninh", "Kiều", "hưởng", "ứng", "phong", "trào"};

std::string words(std::mt19937& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += std::string(i ? " " : "") + kWords[rng() % std::size(kWords)];
  return s;
}

std::string read(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// One generated issue, read and styled as trang render does.
struct Issue {
  model::Publication pub;
  std::vector<model::Article> articles;
  std::vector<style::StyledDocument> styled;
  std::vector<Resources> res;
  model::Article furniture;
  style::StyledDocument furniture_styles;
  std::vector<std::string> article_words;  // per article: its body text, for reading back

  std::vector<PublicationPiece> pieces() const {
    std::vector<PublicationPiece> out;
    for (size_t i = 0; i < articles.size(); ++i) out.push_back({&pub.articles[i], &articles[i], &styled[i], &res[i]});
    return out;
  }
};

class Compose : public ::testing::Test {
 protected:
  void SetUp() override {
    sheets.push_back(style::parse_stylesheet(style::default_stylesheet_text(), "default.css", diags));
    std::string css = std::string(TRANG_SOURCE_DIR) + "/stylesheets/newsletter.css";
    sheets.push_back(style::parse_stylesheet(read(css), css, diags));
    ASSERT_FALSE(diags.has_errors());
  }

  void generate(uint32_t seed, Issue& is) {
    std::mt19937 rng(seed);
    int n = 1 + static_cast<int>(rng() % 30);
    is.pub.file = "issue-" + std::to_string(seed) + ".xml";
    is.pub.base_dir = TRANG_TEST_DATA;
    is.pub.title = "Bản tin thử";
    is.pub.issue = "Số " + std::to_string(seed);
    is.articles.resize(static_cast<size_t>(n));
    std::vector<const style::Stylesheet*> order;
    for (const auto& s : sheets) order.push_back(&s);
    for (int a = 0; a < n; ++a) {
      model::PublicationEntry e;
      e.src = "a" + std::to_string(a) + ".xml";
      e.pos = SourcePos{is.pub.file, a + 2, 3};
      switch (rng() % 8) {
        case 0: e.area = 0.10; break;
        case 1: e.area = 0.12; break;
        case 2: e.area = 0.45; break;
        case 3: e.area = 1; e.area_rest = true; break;
        default: break;
      }
      e.columns = static_cast<int>(rng() % 5) - 1;  // -1, 0: the grid's
      if (e.columns < 0) e.columns = 0;
      e.new_page = rng() % 5 == 0;
      is.pub.articles.push_back(e);

      std::string body, text;
      int paras = 1 + static_cast<int>(rng() % 12);
      for (int p = 0; p < paras; ++p) {
        std::string t = words(rng, 5 + static_cast<int>(rng() % 120));
        body += "<p>" + t + "</p>";
        text += t + " ";
        if (rng() % 6 == 0) {
          std::string c = words(rng, 3 + static_cast<int>(rng() % 12));
          body += std::string("<figure") + (rng() % 3 == 0 ? " placement=\"span\"" : "") +
                  "><image src=\"red-blue-40x20.jpg\" alt=\"ảnh\"/><caption>" + c + "</caption></figure>";
          text += c + " ";
        }
        if (rng() % 10 == 0) {
          std::string b = words(rng, 4), l1 = words(rng, 6), l2 = words(rng, 9);
          body += "<box><title>" + b + "</title><list><item>" + l1 + "</item><item>" + l2 + "</item></list></box>";
          text += b + " " + l1 + " " + l2 + " ";
        }
      }
      std::string head = words(rng, 4 + static_cast<int>(rng() % 10));
      std::string xml = "<article xml:lang=\"vi\"><headline>" + head + "</headline><body>" + body +
                        "</body></article>";
      Diagnostics pd;
      bool ok = model::parse_article(xml, e.src, TRANG_TEST_DATA, is.articles[static_cast<size_t>(a)], pd);
      for (const Diagnostic& x : pd.all()) ADD_FAILURE() << x.format();
      ASSERT_TRUE(ok);
      is.article_words.push_back(text);
    }
    for (const model::Article& a : is.articles) {
      is.styled.push_back(style::resolve_styles(a, order, diags));
      Resources r;
      image::Image img;
      img.kind = image::Image::Kind::Raw;
      img.width = 1600;
      img.height = 1067;
      model::visit(a.root, [&](const model::Node& nd) {
        if (nd.kind != Kind::Image) return;
        r.image_of_node[nd.index] = static_cast<uint32_t>(r.images.size());
        r.images.push_back(std::make_shared<image::Image>(img));
        r.image_pos.push_back(nd.pos);
      });
      is.res.push_back(std::move(r));
    }
    is.furniture = publication_furniture(is.pub);
    is.furniture_styles = style::resolve_styles(is.furniture, order, diags);
  }

  PageTree compose(const Issue& is, Diagnostics& d, bool check = true) {
    Options o;
    o.check_composition = check;
    return layout_publication(is.pub, is.pieces(), is.furniture, is.furniture_styles, nullptr, fonts, o, d);
  }

  std::vector<style::Stylesheet> sheets;
  text::FontCache fonts;
  Diagnostics diags;
};

std::string all_text(const PageTree& t) {
  std::string s;
  for (const Page& p : t.pages)
    for (const GlyphRun& r : items_of<GlyphRun>(p.content)) {
      for (const Cluster& c : r.clusters) s += c.text.view();
      s += ' ';
    }
  return s;
}

TEST_F(Compose, InvariantsHoldOnGeneratedPublications) {
  const uint32_t seeds[] = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597};
  for (uint32_t seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Issue is;
    generate(seed, is);
    Diagnostics d;
    PageTree t;
    try {
      t = compose(is, d);
    } catch (const std::exception& e) {
      // The faulty pages, to look at what went wrong.
      std::string path = ::testing::TempDir() + "compose-seed-" + std::to_string(seed) + ".dump";
      Diagnostics quiet;
      std::ofstream(path) << dump(compose(is, quiet, false));
      ADD_FAILURE() << e.what() << "\npage tree: " << path;
      continue;
    }
    for (const Diagnostic& x : d.all())
      EXPECT_NE(x.severity, Diagnostic::Severity::Error) << x.format();
    EXPECT_EQ(composition_faults(t), std::vector<std::string>{});
    // Every article has a module; each module's article is one of the issue's.
    std::vector<int> first(is.articles.size(), 0);
    for (const Page& p : t.pages)
      for (const ModuleBox& m : p.modules) {
        ASSERT_LT(m.article, is.articles.size());
        if (!m.continuation) ++first[m.article];
      }
    for (size_t a = 0; a < first.size(); ++a) EXPECT_GE(first[a], 1) << "article " << a << " never starts";
    // Words come back: the last words of every article are somewhere on the pages (a lost
    // continuation or a dropped frame loses them first).
    std::string text = all_text(t);
    for (size_t a = 0; a < is.article_words.size(); ++a) {
      std::istringstream ws(is.article_words[a]);
      std::vector<std::string> w{std::istream_iterator<std::string>(ws), {}};
      ASSERT_FALSE(w.empty());
      EXPECT_NE(text.find(w.back()), std::string::npos) << "article " << a << " lost \"" << w.back() << "\"";
    }
    // No page but the last is without modules.
    for (size_t p = 0; p + 1 < t.pages.size(); ++p) EXPECT_FALSE(t.pages[p].modules.empty()) << "page " << p + 1;
  }
}

TEST_F(Compose, SameInputSamePages) {
  Issue is;
  generate(42, is);
  Diagnostics d1, d2;
  EXPECT_EQ(dump(compose(is, d1)), dump(compose(is, d2)));
}

}  // namespace
}  // namespace trang::layout
