// Reads IPTC NITF 3.x (News Industry Text Format, https://iptc.org/standards/nitf/) into the
// article model, so a newsroom's export renders without conversion.
//
// The mapping (docs/article-model.md, "NITF"): nitf/head/docdata gives the metadata (doc-id,
// date.issue, key-list, doc.copyright), pubdata the source and section; body.head gives the
// head (hedline/hl1 the headline, hl2 and abstract leads, byline, dateline); body.content the
// body (p, hl2 subheads, block, bq, ul/ol, note, table, media as figures); body.end a
// closing byline (tagline). Inline: em, a, br, q, and the DTD's enriched-text elements (person, org,
// location, chron, ...) whose text simply runs on. What the model has no place for (definition
// lists, unknown elements) keeps its text as a paragraph and gets a warning: text
// in a newsroom's file never vanishes silently.
#include <algorithm>
#include <array>
#include <optional>

#include "core/confine.h"
#include "model/date.h"
#include "model/publication.h"
#include "model/xml_input.h"

namespace trang::model {
namespace {

// NITF 3.x %enriched-text; (plus the inline parts of byline and dateline): text that runs on.
constexpr std::array kTransparentInline = {
    "chron", "classifier", "copyrite", "copyrite.holder", "copyrite.year", "event", "function",
    "location", "sublocation", "city", "state", "region", "country", "money", "num", "frac",
    "frac-num", "frac-den", "sub", "sup", "object.title", "org", "person", "postaddr",
    "addressee", "care.of", "delivery.point", "postcode", "delivery.office", "virtloc", "lang",
    "pronounce", "alt-code", "name.given", "name.family", "function"};

// Known NITF head elements that carry nothing the model prints or stores.
constexpr std::array kQuietHead = {"tobject", "iim", "revision-history", "meta", "title",
                                   "docdata", "pubdata"};
constexpr std::array kQuietDocdata = {"correction", "evloc", "doc-id", "del-list", "urgency",
                                      "fixture", "date.issue", "date.release", "date.expire",
                                      "doc-scope", "series", "ed-msg", "du-key", "doc.copyright",
                                      "doc.rights", "key-list", "identified-content"};

template <size_t N>
bool in(const std::array<const char*, N>& names, std::string_view n) {
  return std::any_of(names.begin(), names.end(), [&](const char* s) { return n == s; });
}

// "20251120T083000+0700" (NITF's recommended form) -> "2025-11-20"; ISO dates pass through.
std::string iso_date(std::string_view norm) {
  if (norm.size() >= 8 && std::all_of(norm.begin(), norm.begin() + 8, [](char c) {
        return c >= '0' && c <= '9';
      }))
    return std::string(norm.substr(0, 4)) + "-" + std::string(norm.substr(4, 2)) + "-" +
           std::string(norm.substr(6, 2));
  return std::string(norm);
}

// A dateline's ISO 8601 stamps ("WASHINGTON 20170102T222800+0000") printed as dates in the
// article's language (model/date.h): word by word in its text, trailing punctuation kept.
void print_iso_dates(Node& n, std::string_view lang) {
  for (Node& c : n.children) {
    if (c.kind != Kind::Text) { print_iso_dates(c, lang); continue; }
    std::string out;
    const std::string& t = c.text;
    size_t i = 0;
    while (i < t.size()) {
      size_t j = t.find_first_of(" \t\r\n", i);
      if (j == std::string::npos) j = t.size();
      std::string_view word(t.data() + i, j - i);
      size_t end = word.find_last_not_of(",.;:)");
      std::string_view stamp = word.substr(0, end == std::string_view::npos ? 0 : end + 1);
      if (std::optional<Date> d = parse_iso_date(stamp))
        out += format_date(*d, lang) + std::string(word.substr(stamp.size()));
      else
        out += word;
      size_t k = t.find_first_not_of(" \t\r\n", j);
      if (k == std::string::npos) k = t.size();
      out += t.substr(j, k - j);
      i = k;
    }
    c.text = std::move(out);
  }
}

// Before a byline's <byttl>: the name's trailing comma and spaces ("By X, <byttl>"), which
// the line break replaces. True when a name is left (the title then goes on a line of its own).
bool trim_before_title(Node& into) {
  while (!into.children.empty() && into.children.back().kind == Kind::Text) {
    std::string& t = into.children.back().text;
    size_t end = t.find_last_not_of(" \t\r\n,");
    if (end != std::string::npos) {
      t.erase(end + 1);
      return true;
    }
    into.children.pop_back();
  }
  return !into.children.empty() && into.children.back().kind != Kind::LineBreak;
}

class NitfReader {
 public:
  NitfReader(std::string_view xml, const std::string& file, const std::string& base_dir,
             const std::vector<std::string>& assets, Article& out, Diagnostics& diags)
      : xml_(xml), lines_(xml), file_(file), base_dir_(base_dir), assets_(assets), out_(out),
        diags_(diags) {}

  bool run();

 private:
  SourcePos pos(const pugi::xml_node& n) const { return xml::position(xml_, lines_, file_, n); }
  Node element(const pugi::xml_node& x, Kind kind, const char* name) {
    Node n;
    n.kind = kind;
    n.name = name;
    n.pos = pos(x);
    if (auto id = x.attribute("id")) n.id = id.value();
    if (auto cls = x.attribute("class")) {
      std::string v = cls.value();
      n.attributes.emplace_back("class", v);
      size_t i = 0;
      while (i < v.size()) {
        size_t j = v.find(' ', i);
        if (j == std::string::npos) j = v.size();
        if (j > i) n.classes.push_back(v.substr(i, j - i));
        i = j + 1;
      }
    }
    if (!n.id.empty()) n.attributes.emplace_back("id", n.id);
    return n;
  }
  // A Text node of `text`, placed at `at`.
  Node text_node(std::string text, const pugi::xml_node& at) const {
    Node t;
    t.kind = Kind::Text;
    t.text = std::move(text);
    t.pos = pos(at);
    return t;
  }
  void unknown(const pugi::xml_node& x, const std::string& where, const std::string& what) {
    diags_.warning(pos(x), "NITF element <" + std::string(x.name()) + "> in <" + where +
                               "> has no place in the article model; " + what);
  }

  void read_head(const pugi::xml_node& head);
  void read_body_head(const pugi::xml_node& bh, Node& root);
  void read_blocks(const pugi::xml_node& x, Node& into);
  void read_inline(const pugi::xml_node& x, Node& into);
  void read_paragraphs_inline(const pugi::xml_node& x, Node& into);
  Node text_block(const pugi::xml_node& x, Kind kind, const char* name);
  void read_media(const pugi::xml_node& x, Node& into);
  Node read_table(const pugi::xml_node& x);
  Node read_row(const pugi::xml_node& tr);
  Node row_of_text(const pugi::xml_node& x);
  bool check_image(const pugi::xml_node& x, Node& image);
  void number(Node& n) {
    n.index = next_index_++;
    for (Node& c : n.children) number(c);
  }

  std::string_view xml_;
  LineIndex lines_;
  const std::string& file_;
  const std::string& base_dir_;
  const std::vector<std::string>& assets_;
  std::optional<Confinement> confinement_;  // the article's folder and assets_, made at the first image
  Article& out_;
  Diagnostics& diags_;
  uint32_t next_index_ = 0;
  int depth_ = 0;
  std::string head_title_;
  std::vector<Node> head_blocks_;  // body.head's note and unknown elements: first in the body
};

constexpr int kMaxDepth = 64;

void NitfReader::read_head(const pugi::xml_node& head) {
  for (const auto& c : head.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "title") head_title_ = xml::text_of(c);
    if (n == "meta") {
      std::string_view name = c.attribute("name").value();
      if (name == "section" || name == "category")
        out_.meta.section = xml::collapse_ws(to_nfc(c.attribute("content").value()));
    }
    if (n == "pubdata") {
      if (auto s = c.attribute("name")) out_.meta.source = to_nfc(s.value());
      if (auto s = c.attribute("position.section"); s && out_.meta.section.empty())
        out_.meta.section = to_nfc(s.value());
    }
    if (n == "docdata") {
      for (const auto& d : c.children()) {
        if (d.type() != pugi::node_element) continue;
        std::string_view dn = d.name();
        if (dn == "doc-id") out_.meta.id = d.attribute("id-string").value();
        else if (dn == "date.issue") out_.meta.date = iso_date(d.attribute("norm").value());
        else if (dn == "doc.copyright" && out_.meta.source.empty())
          out_.meta.source = to_nfc(d.attribute("holder").value());
        else if (dn == "key-list") {
          for (const auto& k : d.children("keyword"))
            if (std::string key = xml::collapse_ws(to_nfc(k.attribute("key").value())); !key.empty())
              out_.meta.keywords.push_back(key);
        } else if (!in(kQuietDocdata, dn)) {
          unknown(d, "docdata", "ignored");
        }
      }
    } else if (!in(kQuietHead, n)) {
      unknown(c, "head", "ignored");
    }
  }
}

void NitfReader::read_inline(const pugi::xml_node& x, Node& into) {
  if (++depth_ > kMaxDepth) {
    diags_.error(pos(x), "elements nested more than " + std::to_string(kMaxDepth) + " deep");
    --depth_;
    return;
  }
  for (const auto& c : x.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      into.children.push_back(text_node(to_nfc(c.value()), c));
      continue;
    }
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "em") {
      Node e = element(c, Kind::Emphasis, "em");
      read_inline(c, e);
      into.children.push_back(std::move(e));
    } else if (n == "a") {
      if (!c.attribute("href")) {
        read_inline(c, into);  // an anchor without a target: its text
        continue;
      }
      Node a = element(c, Kind::Link, "a");
      a.attributes.emplace_back("href", c.attribute("href").value());
      read_inline(c, a);
      into.children.push_back(std::move(a));
    } else if (n == "br") {
      into.children.push_back(element(c, Kind::LineBreak, "br"));
    } else if (n == "q") {
      Node open;
      open.kind = Kind::Text;
      open.text = "\u201C";
      open.pos = pos(c);
      into.children.push_back(open);
      read_inline(c, into);
      open.text = "\u201D";
      into.children.push_back(std::move(open));
    } else if (n == "byttl") {
      // "By X<byttl>AP Writer</byttl>": wire copy prints the title under the name.
      if (trim_before_title(into)) {
        Node br = element(c, Kind::LineBreak, "br");
        br.classes.push_back("byttl");
        into.children.push_back(std::move(br));
      }
      read_inline(c, into);
    } else if (n == "story.date") {
      // The date as written ("Jan. 2"), unless what is written is a stamp, or nothing: then
      // the norm attribute's date, printed in the article's language.
      std::string shown = xml::text_of(c);
      std::optional<Date> d = parse_iso_date(shown);
      if (!d && shown.empty()) d = parse_iso_date(c.attribute("norm").value());
      if (d) {
        into.children.push_back(text_node(format_date(*d, out_.lang), c));
      } else {
        read_inline(c, into);
      }
    } else if (in(kTransparentInline, n)) {
      read_inline(c, into);
    } else {
      unknown(c, x.name(), "its text is kept");
      read_inline(c, into);
    }
  }
  --depth_;
}

Node NitfReader::text_block(const pugi::xml_node& x, Kind kind, const char* name) {
  Node n = element(x, kind, name);
  read_inline(x, n);
  return n;
}

// A block's paragraphs as the inline content of one node (abstract, bq: p, p -> text, br,
// text). Text outside the paragraphs, and elements other than p and block, keep their text
// too (with a warning for the elements); a bq's credit is its caller's.
void NitfReader::read_paragraphs_inline(const pugi::xml_node& x, Node& into) {
  bool first = true;
  auto next = [&](const pugi::xml_node& at) {
    if (!first) into.children.push_back(element(at, Kind::LineBreak, "br"));
    first = false;
  };
  for (const auto& c : x.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      if (xml::collapse_ws(c.value()).empty()) continue;
      next(c);
      into.children.push_back(text_node(to_nfc(c.value()), c));
      continue;
    }
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "credit" && std::string_view(x.name()) == "bq") continue;
    if (n == "block") {
      if (xml::text_of(c).empty()) continue;
      next(c);
      read_paragraphs_inline(c, into);
      continue;
    }
    if (n != "p") unknown(c, x.name(), "its text is kept");
    next(c);
    read_inline(c, into);
  }
}

// Wire services send pictures apart from the story: the reference is a URL, an id in their
// picture system, or a file name the sender has and we do not. None of that stops the story
// from printing: the picture becomes a warning and a placeholder box (layout draws one for an
// <image> without a resolved-path) that names it by its alt text or caption. Only a path that
// would leave the article's folder is still an error (docs/security.md). No URL is fetched.
bool NitfReader::check_image(const pugi::xml_node& x, Node& n) {
  const std::string* src = n.attribute("src");
  const char* placeholder = "a placeholder box with its caption stands in its place";
  if (!src || src->empty()) {
    std::string ref = x.attribute("id").value();
    if (ref.empty()) ref = x.attribute("data-location").value();
    if (ref.empty()) ref = x.attribute("name").value();
    diags_.warning(pos(x), "picture " + (ref.empty() ? std::string("with no source")
                                                     : "'" + ref + "' referenced by id") +
                               " is not a file trang can read",
                   placeholder);
    return false;
  }
  if (!confinement_) {
    std::vector<std::string> roots{base_dir_};
    roots.insert(roots.end(), assets_.begin(), assets_.end());
    confinement_.emplace(std::move(roots));
  }
  ConfinedPath c = confinement_->find(*src);
  using S = ConfinedPath::Status;
  switch (c.status) {
    case S::Ok: n.attributes.emplace_back("resolved-path", c.path); return true;
    case S::Url:
      diags_.warning(pos(x), "picture '" + *src + "' is a URL; trang never fetches one",
                     std::string(placeholder) + "; put the file beside the article and name it in source=\"...\"");
      return false;
    case S::Missing:
      diags_.warning(pos(x), "picture file '" + *src + "' not found",
                     std::string(placeholder) + "; looked for " + c.path);
      return false;
    case S::Outside:
      diags_.error(pos(x), "image '" + *src + "' is outside the article's folder");
      return false;
    default:
      diags_.error(pos(x), "image '" + *src + "' " + confine_message(c.status));
      return false;
  }
}

// <media media-type="image"><media-reference source= alternate-text=/><media-caption/>
// <media-producer/></media> -> <figure><image/><caption/><credit/></figure>. Of several
// references (renditions), the first with a source; else the first (a reference by id).
void NitfReader::read_media(const pugi::xml_node& x, Node& into) {
  Node fig = element(x, Kind::Figure, "figure");
  std::string type = x.attribute("media-type").value();
  pugi::xml_node ref = x.child("media-reference");
  for (const auto& r : x.children("media-reference"))
    if (*r.attribute("source").value()) { ref = r; break; }
  std::string mime = ref.attribute("mime-type").value();
  bool picture = type.empty() ? mime.empty() || mime.rfind("image/", 0) == 0
                              : type == "image" || type == "graphic" || type == "photo";
  if (ref && picture) {
    Node img = element(ref, Kind::Image, "image");
    img.attributes.emplace_back("src", ref.attribute("source").value());
    std::string alt = to_nfc(ref.attribute("alternate-text").value());
    if (alt.empty()) alt = to_nfc(ref.attribute("name").value());
    if (!alt.empty()) img.attributes.emplace_back("alt", alt);
    else
      diags_.warning(pos(ref), "<media-reference source=\"" +
                                   std::string(ref.attribute("source").value()) +
                                   "\"> has no alternate-text",
                     "describe the picture for readers who cannot see it");
    if (!check_image(ref, img) && alt.empty()) {
      // The placeholder names the picture by what the reader will see under it.
      if (pugi::xml_node cap = x.child("media-caption"))
        if (std::string t = xml::text_of(cap); !t.empty()) img.attributes.emplace_back("alt", t);
    }
    fig.children.push_back(std::move(img));
  } else {
    diags_.warning(pos(x), "NITF <media> of type '" + (type.empty() ? mime : type) +
                               "' is not a picture trang can place; its caption is kept");
  }
  for (const auto& c : x.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "media-caption") fig.children.push_back(text_block(c, Kind::Caption, "caption"));
    else if (n == "media-producer") fig.children.push_back(text_block(c, Kind::Credit, "credit"));
    else if (n != "media-reference" && n != "media-metadata" && n != "media-object")
      unknown(c, "media", "ignored");
  }
  bool has_image = std::any_of(fig.children.begin(), fig.children.end(),
                               [](const Node& k) { return k.kind == Kind::Image; });
  if (has_image) {
    into.children.push_back(std::move(fig));
  } else {
    for (Node& k : fig.children) {  // a caption without a picture reads as a paragraph
      k.kind = Kind::Paragraph;
      k.name = "p";
      into.children.push_back(std::move(k));
    }
  }
}

// A row of one cell holding `x`'s text: what a table keeps of text or an element it has no
// place for.
Node NitfReader::row_of_text(const pugi::xml_node& x) {
  Node row = element(x, Kind::TableRow, "tr");
  Node cell = element(x, Kind::TableCell, "td");
  cell.attributes.clear();
  cell.id.clear();
  cell.classes.clear();
  if (x.type() == pugi::node_element) {
    read_inline(x, cell);
  } else {
    cell.children.push_back(text_node(to_nfc(x.value()), x));
  }
  row.children.push_back(std::move(cell));
  return row;
}

// <tr>: th and td cells, with colspan (rowspan is not laid out: a warning).
Node NitfReader::read_row(const pugi::xml_node& tr) {
  Node row = element(tr, Kind::TableRow, "tr");
  for (const auto& c : tr.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      if (xml::collapse_ws(c.value()).empty()) continue;
      diags_.warning(pos(c), "text directly inside NITF <tr> is kept as a cell");
      row.children.push_back(std::move(row_of_text(c).children.front()));
      continue;
    }
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n != "th" && n != "td") {
      unknown(c, "tr", "its text is kept as a cell");
      row.children.push_back(std::move(row_of_text(c).children.front()));
      continue;
    }
    Node cell = element(c, Kind::TableCell, n == "th" ? "th" : "td");
    if (auto span = c.attribute("colspan")) {
      if (parse_colspan(span.value()) > 0)
        cell.attributes.emplace_back("colspan", span.value());
      else
        diags_.warning(pos(c), "colspan must be a whole number from 1 to " +
                                   std::to_string(kMaxColspan) + ", not '" + span.value() +
                                   "'; the cell takes one column");
    }
    if (auto rows = c.attribute("rowspan"); rows && std::string_view(rows.value()) != "1")
      diags_.warning(pos(c), "rowspan is not supported; the cell takes one row",
                     "repeat the cell's text in the rows below, or split the table");
    if (c.child("p") || c.child("block")) read_paragraphs_inline(c, cell);
    else read_inline(c, cell);
    row.children.push_back(std::move(cell));
  }
  return row;
}

// <table> (NITF 3.x, after HTML 4): caption, thead/tbody/tfoot, tr, th/td with colspan, kept
// as a table. col and colgroup only suggest widths; layout takes them from the content.
Node NitfReader::read_table(const pugi::xml_node& x) {
  Node table = element(x, Kind::Table, "table");
  if (++depth_ > kMaxDepth) {
    diags_.error(pos(x), "elements nested more than " + std::to_string(kMaxDepth) + " deep");
    --depth_;
    return table;
  }
  std::optional<Node> caption;
  // The rows of the table or of one of its sections; what is not a row keeps its text as one.
  auto add_row = [&](const pugi::xml_node& r, std::string_view in_name, Node& to) {
    if (r.type() == pugi::node_pcdata || r.type() == pugi::node_cdata) {
      if (xml::collapse_ws(r.value()).empty()) return;
      diags_.warning(pos(r), "text directly inside NITF <" + std::string(in_name) +
                                 "> is kept as a row");
      to.children.push_back(row_of_text(r));
    } else if (r.type() == pugi::node_element && std::string_view(r.name()) == "tr") {
      to.children.push_back(read_row(r));
    } else if (r.type() == pugi::node_element) {
      unknown(r, std::string(in_name), "its text is kept as a row");
      if (!xml::text_of(r).empty()) to.children.push_back(row_of_text(r));
    }
  };
  for (const auto& r : x.children()) {
    std::string_view rn = r.type() == pugi::node_element ? r.name() : "";
    if (rn == "caption" && !caption) {
      caption = text_block(r, Kind::Caption, "caption");
    } else if (rn == "col" || rn == "colgroup") {
      continue;
    } else if (rn == "thead" || rn == "tbody" || rn == "tfoot") {
      Node section = element(r, Kind::TableSection, rn == "thead"   ? "thead"
                                                    : rn == "tbody" ? "tbody"
                                                                    : "tfoot");
      for (const auto& tr : r.children()) add_row(tr, rn, section);
      table.children.push_back(std::move(section));
    } else {
      add_row(r, "table", table);
    }
  }
  if (caption) table.children.insert(table.children.begin(), std::move(*caption));
  --depth_;
  return table;
}

void NitfReader::read_blocks(const pugi::xml_node& x, Node& into) {
  if (++depth_ > kMaxDepth) {
    diags_.error(pos(x), "elements nested more than " + std::to_string(kMaxDepth) + " deep");
    --depth_;
    return;
  }
  for (const auto& c : x.children()) {
    if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
        !xml::collapse_ws(c.value()).empty()) {
      diags_.warning(pos(c), "text directly inside NITF <" + std::string(x.name()) +
                                 "> is kept as a paragraph");
      Node p;
      p.kind = Kind::Paragraph;
      p.name = "p";
      p.pos = pos(c);
      p.children.push_back(text_node(to_nfc(c.value()), c));
      into.children.push_back(std::move(p));
      continue;
    }
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "p" || n == "pre") {
      into.children.push_back(text_block(c, Kind::Paragraph, "p"));
    } else if (n == "hl1" || n == "hl2") {
      into.children.push_back(text_block(c, Kind::Subhead, "subhead"));
    } else if (n == "block" || n == "body.content") {
      read_blocks(c, into);
    } else if (n == "media") {
      read_media(c, into);
    } else if (n == "bq") {
      Node q = element(c, Kind::PullQuote, "pullquote");
      read_paragraphs_inline(c, q);
      for (const auto& credit : c.children("credit"))
        q.children.push_back(text_node(" \u2014 " + xml::text_of(credit), credit));
      into.children.push_back(std::move(q));
    } else if (n == "ul" || n == "ol") {
      Node list = element(c, Kind::List, "list");
      list.attributes.emplace_back("type", n == "ol" ? "number" : "bullet");
      for (const auto& li : c.children()) {
        if (li.type() != pugi::node_element) continue;
        if (std::string_view(li.name()) != "li") unknown(li, std::string(n), "its text is kept");
        list.children.push_back(text_block(li, Kind::ListItem, "item"));
      }
      into.children.push_back(std::move(list));
    } else if (n == "note" || n == "fn") {
      Node box = element(c, Kind::Box, "box");
      box.classes.push_back(std::string(n));
      read_blocks(c, box);
      into.children.push_back(std::move(box));
    } else if (n == "hr" || n == "dateline" || n == "abstract" || n == "copyrite" ||
               n == "datasource") {
      // hr: a rule the column layout does not draw; the block.head and block.end parts of
      // a <block> keep their text as paragraphs.
      if (n != "hr" && !xml::text_of(c).empty()) {
        Node p = element(c, Kind::Paragraph, "p");
        if (n == "abstract" && c.child("p")) read_paragraphs_inline(c, p);
        else read_inline(c, p);
        if (n == "dateline") print_iso_dates(p, out_.lang);
        into.children.push_back(std::move(p));
      }
    } else if (n == "table") {
      into.children.push_back(read_table(c));
    } else if (n == "nitf-table") {
      // nitf-table-metadata describes the columns for databases; the table is what prints.
      for (const auto& t : c.children()) {
        if (t.type() != pugi::node_element) continue;
        std::string_view tn = t.name();
        if (tn == "table") into.children.push_back(read_table(t));
        else if (tn != "nitf-table-metadata" && !xml::text_of(t).empty()) {
          unknown(t, "nitf-table", "its text is kept as a paragraph");
          into.children.push_back(text_block(t, Kind::Paragraph, "p"));
        }
      }
    } else {
      unknown(c, x.name(), "its text is kept as a paragraph");
      if (!xml::text_of(c).empty()) {
        Node p = element(c, Kind::Paragraph, "p");
        read_inline(c, p);
        into.children.push_back(std::move(p));
      }
    }
  }
  --depth_;
}

void NitfReader::read_body_head(const pugi::xml_node& bh, Node& root) {
  for (const auto& c : bh.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "hedline") {
      for (const auto& h : c.children()) {
        if (h.type() != pugi::node_element) continue;
        std::string_view hn = h.name();
        if (hn == "hl1") root.children.push_back(text_block(h, Kind::Headline, "headline"));
        else if (hn == "hl2") {
          Node lead = text_block(h, Kind::Lead, "lead");
          lead.classes.push_back("hl2");
          root.children.push_back(std::move(lead));
        } else {
          unknown(h, "hedline", "its text is kept as a lead");
          root.children.push_back(text_block(h, Kind::Lead, "lead"));
        }
      }
    } else if (n == "byline" || n == "distributor") {
      Node b = text_block(c, Kind::Byline, "byline");
      if (n == "distributor") b.classes.push_back("distributor");
      root.children.push_back(std::move(b));
    } else if (n == "dateline") {
      Node d = text_block(c, Kind::Dateline, "dateline");
      print_iso_dates(d, out_.lang);
      root.children.push_back(std::move(d));
    } else if (n == "abstract") {
      Node lead = element(c, Kind::Lead, "lead");
      lead.classes.push_back("abstract");
      bool has_p = static_cast<bool>(c.child("p"));
      if (has_p) read_paragraphs_inline(c, lead);
      else read_inline(c, lead);
      root.children.push_back(std::move(lead));
    } else if (n == "note") {
      // Often meant for editors ("Eds: updates with ..."), but it is text of the story: it is
      // kept, first in the body, as a box (class note), and the warning says so.
      diags_.warning(pos(c), "NITF <note> in <body.head> is kept as a box at the start of the body",
                     "drop it from the file, or hide it with 'box.note { display: none }'");
      Node box = element(c, Kind::Box, "box");
      box.classes.push_back("note");
      read_blocks(c, box);
      head_blocks_.push_back(std::move(box));
    } else if (n == "rights" || n == "series") {
      // Rights and series are metadata about the story (docs/article-model.md, "NITF").
    } else {
      unknown(c, "body.head", "its text is kept as a paragraph at the start of the body");
      if (!xml::text_of(c).empty()) head_blocks_.push_back(text_block(c, Kind::Paragraph, "p"));
    }
  }
}

bool NitfReader::run() {
  int before = diags_.error_count();
  pugi::xml_document doc;
  if (!xml::parse(xml_, file_, lines_, doc, diags_)) return false;
  pugi::xml_node root = doc.document_element();
  if (!root || std::string_view(root.name()) != "nitf") {
    diags_.error(root ? pos(root) : SourcePos{file_, 1, 1}, "the root element must be <nitf>",
                 root ? "found <" + std::string(root.name()) + ">" : "the file has no elements");
    return false;
  }
  pugi::xml_node body = root.child("body");
  if (!body) {
    diags_.error(pos(root), "an NITF document needs a <body>");
    return false;
  }
  for (const char* lang_attr : {"xml:lang", "lang"}) {
    if (auto l = root.attribute(lang_attr); l && *l.value()) out_.lang = l.value();
    else if (auto b = body.attribute(lang_attr); b && *b.value()) out_.lang = b.value();
    else continue;
    break;
  }
  Node& art = out_.root;
  art.kind = Kind::Article;
  art.name = "article";
  art.pos = pos(root);
  art.attributes.emplace_back("format", "nitf");
  if (pugi::xml_node head = root.child("head")) read_head(head);
  if (pugi::xml_node bh = body.child("body.head")) read_body_head(bh, art);
  bool has_headline = std::any_of(art.children.begin(), art.children.end(),
                                  [](const Node& n) { return n.kind == Kind::Headline; });
  if (!has_headline && !head_title_.empty()) {
    // No hedline: the head's <title> is the best headline there is.
    Node h;
    h.kind = Kind::Headline;
    h.name = "headline";
    h.pos = art.pos;
    Node t;
    t.kind = Kind::Text;
    t.text = head_title_;
    h.children.push_back(std::move(t));
    art.children.insert(art.children.begin(), std::move(h));
    has_headline = true;
  }
  // The head's bylines print at the article's foot, as in the native model.
  std::vector<Node> bylines;
  for (auto it = art.children.begin(); it != art.children.end();) {
    if (it->kind == Kind::Byline) { bylines.push_back(std::move(*it)); it = art.children.erase(it); }
    else ++it;
  }
  Node content;
  content.kind = Kind::Body;
  content.name = "body";
  content.pos = pos(body);
  for (Node& b : head_blocks_) content.children.push_back(std::move(b));
  for (const auto& c : body.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "body.content") {
      content.pos = pos(c);
      read_blocks(c, content);
    } else if (n == "body.end") {
      for (const auto& e : c.children()) {
        if (e.type() != pugi::node_element) continue;
        std::string_view en = e.name();
        if (en == "tagline") bylines.push_back(text_block(e, Kind::Byline, "byline"));
        else if (en == "bibliography") content.children.push_back(text_block(e, Kind::Paragraph, "p"));
        else {
          unknown(e, "body.end", "its text is kept as a paragraph");
          content.children.push_back(text_block(e, Kind::Paragraph, "p"));
        }
      }
    } else if (n != "body.head") {
      unknown(c, "body", "its text is kept as a paragraph");
      read_blocks(c, content);
    }
  }
  art.children.push_back(std::move(content));
  for (Node& b : bylines) art.children.push_back(std::move(b));
  for (const auto& a : art.children)
    if (a.kind == Kind::Headline && out_.meta.id.empty()) out_.meta.id = art.id;
  number(art);
  out_.node_count = next_index_;
  if (!has_headline) diags_.warning(pos(root), "the NITF document has no <hedline><hl1>");
  return diags_.error_count() == before;
}

}  // namespace

bool parse_nitf(std::string_view xml, const std::string& file, const std::string& base_dir,
                Article& out, Diagnostics& diags, const std::vector<std::string>& assets) {
  out = Article{};
  out.file = file;
  out.base_dir = base_dir;
  return NitfReader(xml, file, base_dir, assets, out, diags).run();
}

bool read_nitf(const std::string& path, Article& out, Diagnostics& diags,
               const std::vector<std::string>& assets) {
  xml::File f;
  if (!xml::read_file(path, f, diags)) return false;
  return parse_nitf(f.text, path, f.dir, out, diags, assets);
}

}  // namespace trang::model
