// The property table (property_table.h) against what users read: docs/stylesheets.md lists
// every property with the table's inheritance and initial value, and nothing the table lacks.
// Adding a row without its documentation fails here, with the line to add.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "style/properties.h"
#include "style_test_util.h"

namespace trang::style {
namespace {

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {
    // A '|' escaped as '\|' belongs to the cell (the values column uses it for CSS's '|').
    if (line[i] == '|' && line[i - 1] != '\\') {
      size_t b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

// The names a first cell documents: each `name`, and for "`border-top-width` ...
// `border-left-width`" the four sides.
std::vector<std::string> names_in(const std::string& cell) {
  std::vector<std::string> out;
  for (size_t at = cell.find('`'); at != std::string::npos; at = cell.find('`', at)) {
    size_t end = cell.find('`', at + 1);
    if (end == std::string::npos) break;
    out.push_back(cell.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  if (cell.find("...") != std::string::npos) {
    std::vector<std::string> more;
    for (const std::string& n : out)
      if (size_t t = n.find("-top"); t != std::string::npos)
        for (const char* side : {"-right", "-bottom", "-left"})
          more.push_back(n.substr(0, t) + side + n.substr(t + 4));
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

struct DocRow {
  std::string section;
  std::vector<std::string> cells;
};

// Rows of the tables whose first column is "property" or "descriptor", by documented name
// (the first row naming it wins).
std::map<std::string, DocRow> documented() {
  std::ifstream in(std::string(TRANG_SOURCE_DIR) + "/docs/stylesheets.md");
  std::map<std::string, DocRow> out;
  std::string line, section;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) section = line.substr(3);
    if (line.rfind("| property |", 0) == 0 || line.rfind("| descriptor |", 0) == 0) {
      in_table = true;
      continue;
    }
    if (line.rfind("|", 0) != 0) {
      in_table = false;
      continue;
    }
    if (!in_table || line.rfind("|---", 0) == 0) continue;
    std::vector<std::string> c = cells(line);
    for (const std::string& n : names_in(c[0])) out.emplace(n, DocRow{section, c});
  }
  return out;
}

TEST(PropertyTable, EveryPropertyIsDocumentedAsTheTableSays) {
  std::map<std::string, DocRow> docs = documented();
  ASSERT_GT(docs.size(), 50u) << "docs/stylesheets.md not found or not read";
  for (const PropertyDef& p : longhand_defs()) {
    std::string name(p.name);
    std::string expected = std::string(p.expected);
    if (expected.rfind("expected ", 0) == 0) expected = expected.substr(9);
    std::string line = "| `" + name + "` | " + expected + " | `" + std::string(p.initial) +
                       "` |" + (p.context == DeclContext::Page ? "" : p.inherited ? " yes |" : " no |");
    auto it = docs.find(name);
    if (it == docs.end()) {
      ADD_FAILURE() << "'" << name << "' is not in docs/stylesheets.md; add a row such as\n"
                    << line;
      continue;
    }
    const std::vector<std::string>& c = it->second.cells;
    ASSERT_GE(c.size(), 3u) << name;
    EXPECT_NE(c[2].find(std::string(p.initial)), std::string::npos)
        << name << ": the table's initial value is " << p.initial << ", the docs say " << c[2];
    if (p.context == DeclContext::Page) {
      EXPECT_EQ(it->second.section, "@page") << name << " belongs in the @page table";
    } else {
      ASSERT_GE(c.size(), 4u) << name;
      EXPECT_EQ(c[3], p.inherited ? "yes" : "no") << name << ": inherited is " << p.inherited;
    }
  }
  for (const auto& [name, grammar] : shorthand_defs())
    EXPECT_TRUE(docs.count(std::string(name))) << "shorthand '" << name << "' is not documented";
}

TEST(PropertyTable, TheDocsNameNothingTheTableLacks) {
  std::map<std::string, std::string_view> known;
  for (const PropertyDef& p : longhand_defs()) known[std::string(p.name)] = p.name;
  for (const auto& [name, grammar] : shorthand_defs()) known[std::string(name)] = name;
  for (const auto& [name, row] : documented()) {
    if (row.section == "Properties" || row.section == "@page") {
      EXPECT_TRUE(known.count(name)) << "docs/stylesheets.md documents '" << name
                                     << "', which property_table.h does not have";
    }
  }
}

// A keyword row is parsed, inherited and computed from its row alone.
TEST(PropertyTable, KeywordRowsParseAndCompute) {
  auto r = test::resolve("body { text-wrap: balance; hyphens: auto }\np { break-before: page }",
                         test::small_article());
  EXPECT_EQ(r.of("p1").text_wrap, TextWrap::Balance);   // inherited
  EXPECT_EQ(r.of("p1").hyphens, Hyphens::Auto);         // inherited
  EXPECT_EQ(r.of("p1").break_before, BreakValue::Page);
  EXPECT_EQ(r.of("e").break_before, BreakValue::Auto);  // not inherited: the initial value
  EXPECT_EQ(test::parse_messages("p { text-transform: capitalize }"),
            std::vector<std::string>{
                "t.css:1:21: warning: invalid value for 'text-transform': 'capitalize' "
                "('capitalize' is not supported yet)\n  hint: expected none, uppercase or "
                "lowercase"});
  EXPECT_EQ(test::parse_messages("p { hyphens: atuo }"),
            std::vector<std::string>{
                "t.css:1:14: warning: invalid value for 'hyphens': 'atuo' (did you mean "
                "'auto'?)\n  hint: expected none, manual or auto"});
}

// A features row: its keyword's OpenType features, inherited, before font-feature-settings.
TEST(PropertyTable, FeatureRowsGiveOpenTypeFeatures) {
  auto r = test::resolve("p { font-variant-position: super; font-feature-settings: \"liga\" off }"
                         "em { font-variant-position: normal }",
                         test::small_article());
  EXPECT_EQ(r.of("p1").font_features, (std::vector<std::string>{"sups", "liga=0"}));
  EXPECT_EQ(r.of("e").font_features, std::vector<std::string>{"liga=0"});
  auto sub = test::resolve("article { font-variant-position: sub }", test::small_article());
  EXPECT_EQ(sub.of("e").font_features, std::vector<std::string>{"subs"});  // inherited
}

}  // namespace
}  // namespace trang::style
