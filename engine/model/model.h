// The article model: what an article says, independent of how it looks.
// Read from XML (see docs/article-model.md and docs/article.rng); all text is NFC.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/core.h"

namespace trang::model {

// What a node is. Element names in the XML map onto these one to one (see kElementNames in
// model.cpp); stylesheets select on the element name, so both are kept on the node.
enum class Kind : uint8_t {
  Article,
  Kicker,      // small line above the headline
  Headline,
  Lead,        // subheadline / sapo
  Byline,
  Dateline,
  Body,
  Paragraph,
  Subhead,
  PullQuote,
  List,
  ListItem,
  Box,         // sidebar
  BoxTitle,
  Figure,
  Image,       // inside a figure: src, alt
  Caption,
  Credit,
  // Tables (NITF's and the native model's <table>): a Table holds an optional Caption, then
  // rows, directly or in TableSections (thead, tbody, tfoot: the name tells which); a row
  // holds cells (th, a header cell, or td; colspan="N"), whose content is inline.
  Table,
  TableSection,
  TableRow,
  TableCell,
  Emphasis,    // inline
  Strong,      // inline
  Link,        // inline, href
  LineBreak,   // inline
  Text,        // character data
};

// Where a figure wants to go. Layout treats it as a hint.
enum class Placement : uint8_t { Column, Span, Top, Bottom };

struct Node {
  Kind kind = Kind::Text;
  std::string name;  // element name as written (for selectors); empty for Text
  std::string id;
  std::vector<std::string> classes;
  std::vector<std::pair<std::string, std::string>> attributes;  // all attributes, in order
  std::string text;  // Text nodes: NFC text, whitespace as in the source
  std::vector<Node> children;
  SourcePos pos;
  uint32_t index = 0;  // pre-order position in the article; styles are looked up by it

  // Attribute value, or empty.
  const std::string* attribute(std::string_view name) const;
};

struct Metadata {
  std::string id;
  std::string section;
  std::string date;  // ISO 8601 as written
  std::vector<std::string> authors;
  std::string source;
  std::vector<std::string> keywords;
};

struct Article {
  std::string file;      // path of the XML file as given
  std::string base_dir;  // folder images are resolved against
  std::string lang = "vi";
  Metadata meta;
  Node root;             // Kind::Article
  uint32_t node_count = 0;

  // Headline text (concatenated, whitespace collapsed), for document info and messages.
  std::string headline() const;
};

// Reads an article from a file. Errors (bad XML, unknown elements, missing attributes,
// image files that do not exist) are reported with file:line:col; returns false when any
// error was reported. Images must resolve (after symlinks) inside the article's folder or one
// of the `assets` folders (--assets; docs/security.md).
bool read_article(const std::string& path, Article& out, Diagnostics& diags,
                  const std::vector<std::string>& assets = {});

// The same from text in memory; `file` names it in messages, `base_dir` resolves images.
bool parse_article(std::string_view xml, const std::string& file, const std::string& base_dir,
                   Article& out, Diagnostics& diags, const std::vector<std::string>& assets = {});

// The widest colspan a table cell may have.
constexpr int kMaxColspan = 64;

// A cell's colspan attribute ("3") as a number from 1 to kMaxColspan; 0 when it is anything
// else (the readers report it, layout takes 1).
int parse_colspan(std::string_view s);

// NFC normalisation (ICU). Vietnamese arrives both precomposed and decomposed.
std::string to_nfc(std::string_view utf8);

// Calls f(node) for every node in pre-order.
template <class F>
void visit(const Node& n, F&& f) {
  f(n);
  for (const Node& c : n.children) visit(c, f);
}

}  // namespace trang::model
