// Reads the article XML (pugixml) into the model. See docs/article-model.md.
//
// The reader checks what pugixml does not: UTF-8 validity, NUL characters, DOCTYPE, the element
// vocabulary and where each element may appear, and image paths. Positions come from pugixml's
// byte offsets mapped through a LineIndex, so every message names file:line:col.
#include "model/model.h"
#include "model/xml_input.h"

#include "core/confine.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <optional>
#include <pugixml.hpp>
#include <sstream>

namespace trang::model {
namespace {

namespace fs = std::filesystem;

struct ElementInfo {
  const char* name;
  Kind kind;
  bool is_inline;  // may appear inside running text
};

// The vocabulary. Order is irrelevant; names are what authors type.
constexpr std::array kElements = {
    ElementInfo{"article", Kind::Article, false},   ElementInfo{"kicker", Kind::Kicker, false},
    ElementInfo{"headline", Kind::Headline, false}, ElementInfo{"lead", Kind::Lead, false},
    ElementInfo{"byline", Kind::Byline, false},     ElementInfo{"dateline", Kind::Dateline, false},
    ElementInfo{"body", Kind::Body, false},         ElementInfo{"p", Kind::Paragraph, false},
    ElementInfo{"subhead", Kind::Subhead, false},   ElementInfo{"pullquote", Kind::PullQuote, false},
    ElementInfo{"list", Kind::List, false},         ElementInfo{"item", Kind::ListItem, false},
    ElementInfo{"box", Kind::Box, false},           ElementInfo{"title", Kind::BoxTitle, false},
    ElementInfo{"figure", Kind::Figure, false},     ElementInfo{"image", Kind::Image, false},
    ElementInfo{"caption", Kind::Caption, false},   ElementInfo{"credit", Kind::Credit, false},
    ElementInfo{"em", Kind::Emphasis, true},        ElementInfo{"strong", Kind::Strong, true},
    ElementInfo{"a", Kind::Link, true},             ElementInfo{"br", Kind::LineBreak, true},
    ElementInfo{"table", Kind::Table, false},       ElementInfo{"thead", Kind::TableSection, false},
    ElementInfo{"tbody", Kind::TableSection, false}, ElementInfo{"tfoot", Kind::TableSection, false},
    ElementInfo{"tr", Kind::TableRow, false},       ElementInfo{"th", Kind::TableCell, false},
    ElementInfo{"td", Kind::TableCell, false},
};

// Metadata elements live in <meta> and fill Article::meta instead of the tree.
constexpr std::array kMetaElements = {"id", "section", "date", "author", "source", "keywords"};

// What may contain what. Text-bearing blocks hold inline content; containers hold blocks.
enum class Content { Blocks, Inline, Figure, Empty, ArticleTop, Table, Rows, Cells };

Content content_of(Kind k) {
  switch (k) {
    case Kind::Article: return Content::ArticleTop;
    case Kind::Body: case Kind::Box: return Content::Blocks;
    case Kind::List: return Content::Blocks;  // items only, checked separately
    case Kind::Figure: return Content::Figure;
    case Kind::Table: return Content::Table;
    case Kind::TableSection: return Content::Rows;
    case Kind::TableRow: return Content::Cells;
    case Kind::Image: case Kind::LineBreak: return Content::Empty;
    default: return Content::Inline;
  }
}

const ElementInfo* find_element(std::string_view name) {
  for (const auto& e : kElements)
    if (name == e.name) return &e;
  return nullptr;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggest_element(std::string_view name) {
  std::string best;
  size_t best_d = 3;
  for (const auto& e : kElements) {
    size_t d = edit_distance(name, e.name);
    if (d < best_d) { best_d = d; best = e.name; }
  }
  return best.empty() ? std::string() : "did you mean <" + best + ">?";
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

class Reader {
 public:
  Reader(std::string_view xml, const std::string& file, const std::string& base_dir,
         const std::vector<std::string>& assets, Article& out, Diagnostics& diags)
      : xml_(xml), lines_(xml), file_(file), base_dir_(base_dir), assets_(assets), out_(out),
        diags_(diags) {}

  bool run();

 private:
  SourcePos pos(size_t offset) const { return lines_.position(file_, offset); }
  SourcePos pos(const pugi::xml_node& n) const { return xml::position(xml_, lines_, file_, n); }
  void error(const pugi::xml_node& n, std::string msg, std::string hint = {}) {
    diags_.error(pos(n), std::move(msg), std::move(hint));
  }

  void read_meta(const pugi::xml_node& meta);
  void read_element(const pugi::xml_node& x, const ElementInfo& info, Node& into);
  void read_children(const pugi::xml_node& x, Node& parent, Content content);
  void read_attributes(const pugi::xml_node& x, Node& n);
  void check_image(const pugi::xml_node& x, Node& n);
  void check_cell(const pugi::xml_node& x, const Node& n);

  std::string_view xml_;
  LineIndex lines_;
  const std::string& file_;
  const std::string& base_dir_;
  const std::vector<std::string>& assets_;  // --assets folders images may also come from
  std::optional<Confinement> confinement_;  // the article's folder and assets_, made at the first image
  Article& out_;
  Diagnostics& diags_;
  uint32_t next_index_ = 0;
  int depth_ = 0;
  std::string lang_;  // xml:lang of the element being read, inherited (the article's at its root)
};

// BCP 47 in its plain form (RFC 5646 §2.1): subtags of 1-8 letters or digits joined by '-',
// the first of letters. Written into the PDF as it is.
bool is_language_tag(std::string_view s) {
  if (s.empty() || s.size() > 35 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  size_t run = 0;
  for (char c : s) {
    if (c == '-') {
      if (run == 0) return false;
      run = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) && ++run <= 8) {
      continue;
    } else {
      return false;
    }
  }
  return run > 0;
}

// Deep nesting would recurse deeply in the reader and in every later stage; no real article
// nests anywhere near this.
constexpr int kMaxDepth = 64;

void Reader::read_attributes(const pugi::xml_node& x, Node& n) {
  for (const auto& a : x.attributes()) {
    std::string name = a.name();
    std::string value = to_nfc(a.value());
    if (name == "id") n.id = value;
    if (name == "class") {
      std::istringstream ss(value);
      for (std::string c; ss >> c;) n.classes.push_back(c);
    }
    n.attributes.emplace_back(std::move(name), std::move(value));
  }
}

void Reader::check_image(const pugi::xml_node& x, Node& n) {
  const std::string* src = n.attribute("src");
  if (!src || src->empty()) {
    error(x, "<image> needs a src attribute", "<image src=\"photo.jpg\" alt=\"...\"/>");
    return;
  }
  if (!n.attribute("alt"))
    diags_.warning(pos(x), "<image src=\"" + *src + "\"> has no alt text",
                   "describe the picture in alt=\"...\" for readers who cannot see it");
  // Relative to the article's folder; a file not there may be in an --assets folder.
  // Either way the canonical path must stay inside those folders (core/confine.h).
  if (!confinement_) {
    std::vector<std::string> roots{base_dir_};
    roots.insert(roots.end(), assets_.begin(), assets_.end());
    confinement_.emplace(std::move(roots));
  }
  ConfinedPath c = confinement_->find(*src);
  using S = ConfinedPath::Status;
  switch (c.status) {
    case S::Ok: break;
    case S::Url: error(x, "image '" + *src + "' is a URL; trang reads only local files"); return;
    case S::Absolute:
      error(x, "image '" + *src + "' is an absolute path; give it relative to the article's folder");
      return;
    case S::Outside:
      error(x, "image '" + *src + "' is outside the article's folder",
            assets_.empty() ? "put it beside the article, or name its folder with --assets DIR"
                            : "allowed: the article's folder and the --assets folders");
      return;
    case S::Missing:
      error(x, "image file '" + *src + "' not found", "looked for " + c.path);
      return;
    case S::NotRegular:
      error(x, "image '" + *src + "' is not a regular file (a directory, device or FIFO)");
      return;
  }
  fs::path full(c.path);
  n.attributes.emplace_back("resolved-path", full.string());
}

// colspan: a whole number, at most kMaxColspan (a typo of 10000 columns would make a table
// no page holds). rowspan is not laid out: the cell takes one row, and a warning says so.
void Reader::check_cell(const pugi::xml_node& x, const Node& n) {
  if (const std::string* span = n.attribute("colspan")) {
    if (parse_colspan(*span) == 0)
      error(x, "colspan must be a whole number from 1 to " + std::to_string(kMaxColspan) +
                   ", not '" + *span + "'");
  }
  if (const std::string* rows = n.attribute("rowspan"); rows && *rows != "1")
    diags_.warning(pos(x), "rowspan is not supported; the cell takes one row",
                   "repeat the cell's text in the rows below, or split the table");
}

void Reader::read_element(const pugi::xml_node& x, const ElementInfo& info, Node& n) {
  n.kind = info.kind;
  n.name = info.name;
  n.pos = pos(x);
  n.index = next_index_++;
  read_attributes(x, n);
  // A part in another language than the article's is tagged with it (/Lang in the PDF):
  // every element inside it says so too, so later stages read it off the element itself.
  const std::string* lang = n.attribute("xml:lang");
  if (lang && !is_language_tag(*lang)) {
    diags_.warning(pos(x), "xml:lang=\"" + *lang + "\" is not a language tag: the element keeps '" + lang_ + "'",
                   "write a BCP 47 tag such as en, fr or zh-Hant");
    std::erase_if(n.attributes, [](const auto& a) { return a.first == "xml:lang"; });
    lang = nullptr;
  }
  std::string inherited = lang_;
  if (info.kind == Kind::Article) {
    lang_ = out_.lang;
  } else if (lang) {
    lang_ = *lang;
  } else if (lang_ != out_.lang) {
    n.attributes.emplace_back("xml:lang", lang_);
  }
  if (info.kind == Kind::Link && !n.attribute("href"))
    error(x, "<a> needs an href attribute");
  if (info.kind == Kind::Figure) {
    const std::string* p = n.attribute("placement");
    if (p && *p != "column" && *p != "span" && *p != "top" && *p != "bottom")
      error(x, "unknown figure placement '" + *p + "'", "use column, span, top or bottom");
  }
  if (info.kind == Kind::Image) check_image(x, n);
  if (info.kind == Kind::TableCell) check_cell(x, n);
  if (++depth_ > kMaxDepth) {
    error(x, "elements nested more than " + std::to_string(kMaxDepth) + " deep");
  } else {
    read_children(x, n, content_of(info.kind));
  }
  --depth_;
  lang_ = std::move(inherited);
}

void Reader::read_children(const pugi::xml_node& x, Node& parent, Content content) {
  // Room for every child at once: growing a body of a million paragraphs by doubling moved
  // its 224-byte nodes twenty times over (a third of reading such an article).
  size_t room = 0;
  for (const auto& c : x.children())
    room += c.type() == pugi::node_element ||
            (content == Content::Inline && (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata));
  parent.children.reserve(room);
  for (const auto& c : x.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      std::string_view t = c.value();
      if (content == Content::Inline) {
        Node text;
        text.kind = Kind::Text;
        text.text = to_nfc(t);
        text.pos = pos(c);
        text.index = next_index_++;
        parent.children.push_back(std::move(text));
      } else if (!is_blank(t)) {
        error(c, "text directly inside <" + parent.name + "> is not allowed",
              content == Content::Blocks || content == Content::ArticleTop ? "wrap it in <p>...</p>"
              : content == Content::Figure ? "put it in a <caption>"
                                           : "put it in a cell: <tr><td>...</td></tr>");
      }
      continue;
    }
    if (c.type() != pugi::node_element) continue;  // comments, processing instructions
    std::string_view name = c.name();
    if (content == Content::ArticleTop && name == "meta") {
      read_meta(c);
      continue;
    }
    const ElementInfo* info = find_element(name);
    if (!info) {
      error(c, "unknown element <" + std::string(name) + ">", suggest_element(name));
      continue;
    }
    bool ok = false;
    switch (content) {
      case Content::Inline: ok = info->is_inline; break;
      case Content::Empty: ok = false; break;
      case Content::Figure:
        ok = info->kind == Kind::Image || info->kind == Kind::Caption || info->kind == Kind::Credit;
        break;
      case Content::Blocks:
        ok = parent.kind == Kind::List ? info->kind == Kind::ListItem
             : !info->is_inline && info->kind != Kind::Article && info->kind != Kind::Image &&
                   info->kind != Kind::Caption && info->kind != Kind::Credit &&
                   info->kind != Kind::ListItem && info->kind != Kind::Body &&
                   info->kind != Kind::TableSection && info->kind != Kind::TableRow &&
                   info->kind != Kind::TableCell &&
                   (info->kind != Kind::BoxTitle || parent.kind == Kind::Box);
        break;
      case Content::Table:  // one caption, first; then rows, bare or in thead/tbody/tfoot
        ok = info->kind == Kind::TableSection || info->kind == Kind::TableRow ||
             (info->kind == Kind::Caption && parent.children.empty());
        break;
      case Content::Rows: ok = info->kind == Kind::TableRow; break;
      case Content::Cells: ok = info->kind == Kind::TableCell; break;
      case Content::ArticleTop:
        ok = info->kind == Kind::Kicker || info->kind == Kind::Headline ||
             info->kind == Kind::Lead || info->kind == Kind::Byline ||
             info->kind == Kind::Dateline || info->kind == Kind::Body ||
             info->kind == Kind::Figure;
        break;
    }
    if (!ok) {
      error(c, "<" + std::string(name) + "> is not allowed inside <" + parent.name + ">");
      continue;
    }
    Node child;
    read_element(c, *info, child);
    parent.children.push_back(std::move(child));
  }
}

void Reader::read_meta(const pugi::xml_node& meta) {
  for (const auto& c : meta.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = c.name();
    if (std::find(kMetaElements.begin(), kMetaElements.end(), name) == kMetaElements.end()) {
      error(c, "unknown metadata element <" + std::string(name) + ">",
            "use id, section, date, author, source or keywords");
      continue;
    }
    std::string value = xml::collapse_ws(to_nfc(c.text().get()));
    if (name == "id") out_.meta.id = value;
    else if (name == "section") out_.meta.section = value;
    else if (name == "date") out_.meta.date = value;
    else if (name == "author") out_.meta.authors.push_back(value);
    else if (name == "source") out_.meta.source = value;
    else if (name == "keywords") {
      std::istringstream ss(value);
      for (std::string k; std::getline(ss, k, ',');) {
        k = xml::collapse_ws(k);
        if (!k.empty()) out_.meta.keywords.push_back(k);
      }
    }
  }
}

bool Reader::run() {
  int errors_before = diags_.error_count();
  pugi::xml_document doc;
  // xml::parse checks what pugixml does not (UTF-8, NUL, DOCTYPE) and keeps the single spaces
  // between inline elements ("<em>a</em> <b>b</b>"); blank text between blocks is dropped by
  // read_children.
  if (!xml::parse(xml_, file_, lines_, doc, diags_)) return false;
  pugi::xml_node root;
  for (const auto& c : doc.children()) {
    if (c.type() != pugi::node_element) continue;
    if (root) {
      error(c, "a second root element <" + std::string(c.name()) + ">",
            "an article file holds exactly one <article>");
      return false;
    }
    root = c;
  }
  if (!root || std::string_view(root.name()) != "article") {
    diags_.error(root ? pos(root) : SourcePos{file_, 1, 1},
                 "the root element must be <article>",
                 root ? "found <" + std::string(root.name()) + ">" : "the file has no elements");
    return false;
  }
  if (auto lang = root.attribute("xml:lang")) out_.lang = lang.value();
  if (out_.lang.empty()) out_.lang = "vi";
  read_element(root, *find_element("article"), out_.root);
  if (out_.meta.id.empty()) out_.meta.id = out_.root.id;
  out_.node_count = next_index_;

  bool has_headline = std::any_of(out_.root.children.begin(), out_.root.children.end(),
                                  [](const Node& n) { return n.kind == Kind::Headline; });
  if (!has_headline) diags_.warning(pos(root), "the article has no <headline>");
  return diags_.error_count() == errors_before;
}

}  // namespace

int parse_colspan(std::string_view s) {
  if (s.empty() || s.size() > 4) return 0;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v >= 1 && v <= kMaxColspan ? v : 0;
}

const std::string* Node::attribute(std::string_view name) const {
  for (const auto& [k, v] : attributes)
    if (k == name) return &v;
  return nullptr;
}

std::string Article::headline() const {
  std::string out;
  for (const Node& c : root.children) {
    if (c.kind != Kind::Headline) continue;
    visit(c, [&](const Node& n) {
      if (n.kind == Kind::Text) out += n.text;
      if (n.kind == Kind::LineBreak) out += ' ';
    });
    break;
  }
  return xml::collapse_ws(out);
}

std::string to_nfc(std::string_view utf8) {
  // Fast path: pure ASCII is always NFC.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return (c & 0x80) == 0; }))
    return std::string(utf8);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(utf8);
  // Most text arrives composed already: checking it in UTF-8 is far cheaper than converting
  // it to UTF-16 and back (input with invalid UTF-8 fails the check and is normalised below).
  icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(utf8);
  status = U_ZERO_ERROR;
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString n = nfc->normalize(s, status);
  if (U_FAILURE(status)) return std::string(utf8);
  std::string out;
  n.toUTF8String(out);
  return out;
}

bool parse_article(std::string_view xml, const std::string& file, const std::string& base_dir,
                   Article& out, Diagnostics& diags, const std::vector<std::string>& assets) {
  out = Article{};
  out.file = file;
  out.base_dir = base_dir;
  Reader reader(xml, file, base_dir, assets, out, diags);
  return reader.run();
}

bool read_article(const std::string& path, Article& out, Diagnostics& diags,
                  const std::vector<std::string>& assets) {
  xml::File f;
  if (!xml::read_file(path, f, diags)) return false;
  return parse_article(f.text, path, f.dir, out, diags, assets);
}

}  // namespace trang::model
