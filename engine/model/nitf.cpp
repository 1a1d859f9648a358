// Reads IPTC NITF 3.x (News Industry Text Format, https://iptc.org/standards/nitf/) into the
// article model, so a newsroom's export renders without conversion.
//
// The mapping (docs/article-model.md, "NITF"): nitf/head/docdata gives the metadata (doc-id,
// date.issue, key-list, doc.copyright), pubdata the source and section; body.head gives the
// head (hedline/hl1 the headline, hl2 and abstract leads, byline, dateline); body.content the
// body (p, hl2 subheads, block, bq, ul/ol, note, media as figures); body.end a closing byline
// (tagline). Inline: em, a, br, q, and the DTD's enriched-text elements (person, org,
// location, chron, ...) whose text simply runs on. What the model has no place for (tables,
// definition lists, unknown elements) keeps its text as a paragraph and gets a warning: text
// in a newsroom's file never vanishes silently.
#include <algorithm>
#include <array>
#include <functional>
#include <optional>

#include "core/confine.h"
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
    "pronounce", "alt-code", "byttl", "story.date", "name.given", "name.family", "function"};

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
  void unknown(const pugi::xml_node& x, const std::string& where, const std::string& what) {
    diags_.warning(pos(x), "NITF element <" + std::string(x.name()) + "> in <" + where +
                               "> has no place in the article model; " + what);
  }

  void read_head(const pugi::xml_node& head);
  void read_body_head(const pugi::xml_node& bh, Node& root);
  void read_blocks(const pugi::xml_node& x, Node& into);
  void read_inline(const pugi::xml_node& x, Node& into);
  Node text_block(const pugi::xml_node& x, Kind kind, const char* name);
  void read_media(const pugi::xml_node& x, Node& into);
  void check_image(const pugi::xml_node& x, Node& image);
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
      Node t;
      t.kind = Kind::Text;
      t.text = to_nfc(c.value());
      t.pos = pos(c);
      into.children.push_back(std::move(t));
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

// A block's paragraphs as the inline content of one node (abstract, bq: p, p -> text, br, text).
void read_paragraphs_inline(NitfReader* r, const pugi::xml_node& x, Node& into,
                            const std::function<void(const pugi::xml_node&, Node&)>& inl) {
  (void)r;
  bool first = true;
  for (const auto& c : x.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view n = c.name();
    if (n == "p" || n == "block") {
      if (!first) {
        Node br;
        br.kind = Kind::LineBreak;
        br.name = "br";
        into.children.push_back(std::move(br));
      }
      if (n == "block") read_paragraphs_inline(r, c, into, inl);
      else inl(c, into);
      first = false;
    }
  }
}

void NitfReader::check_image(const pugi::xml_node& x, Node& n) {
  const std::string* src = n.attribute("src");
  if (!confinement_) {
    std::vector<std::string> roots{base_dir_};
    roots.insert(roots.end(), assets_.begin(), assets_.end());
    confinement_.emplace(std::move(roots));
  }
  ConfinedPath c = confinement_->find(*src);
  using S = ConfinedPath::Status;
  switch (c.status) {
    case S::Ok: n.attributes.emplace_back("resolved-path", c.path); return;
    case S::Missing:
      diags_.error(pos(x), "image file '" + *src + "' not found", "looked for " + c.path);
      return;
    case S::Outside:
      diags_.error(pos(x), "image '" + *src + "' is outside the article's folder");
      return;
    default:
      diags_.error(pos(x), "image '" + *src + "' " + confine_message(c.status));
  }
}

// <media media-type="image"><media-reference source= alternate-text=/><media-caption/>
// <media-producer/></media> -> <figure><image/><caption/><credit/></figure>.
void NitfReader::read_media(const pugi::xml_node& x, Node& into) {
  Node fig = element(x, Kind::Figure, "figure");
  std::string type = x.attribute("media-type").value();
  pugi::xml_node ref;
  for (const auto& r : x.children("media-reference"))
    if (*r.attribute("source").value()) { ref = r; break; }
  if (ref && (type.empty() || type == "image" || type == "graphic" || type == "photo")) {
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
    check_image(ref, img);
    fig.children.push_back(std::move(img));
  } else {
    diags_.warning(pos(x), "NITF <media> of type '" + type +
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

void NitfReader::read_blocks(const pugi::xml_node& x, Node& into) {
  if (++depth_ > kMaxDepth) {
    diags_.error(pos(x), "elements nested more than " + std::to_string(kMaxDepth) + " deep");
    --depth_;
    return;
  }
  auto inl = [this](const pugi::xml_node& c, Node& n) { read_inline(c, n); };
  for (const auto& c : x.children()) {
    if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
        !xml::collapse_ws(c.value()).empty()) {
      diags_.warning(pos(c), "text directly inside NITF <" + std::string(x.name()) +
                                 "> is kept as a paragraph");
      Node p;
      p.kind = Kind::Paragraph;
      p.name = "p";
      p.pos = pos(c);
      Node t;
      t.kind = Kind::Text;
      t.text = to_nfc(c.value());
      t.pos = p.pos;
      p.children.push_back(std::move(t));
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
      read_paragraphs_inline(nullptr, c, q, inl);
      for (const auto& credit : c.children("credit")) {
        Node t;
        t.kind = Kind::Text;
        t.text = " \u2014 " + xml::text_of(credit);
        t.pos = pos(credit);
        q.children.push_back(std::move(t));
      }
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
        if (n == "abstract") read_paragraphs_inline(nullptr, c, p, inl);
        else read_inline(c, p);
        into.children.push_back(std::move(p));
      }
    } else if (n == "table" || n == "nitf-table") {
      diags_.warning(pos(c), "NITF <" + std::string(n) +
                                 "> has no place in the article model; each row is kept as a "
                                 "paragraph");
      std::function<void(const pugi::xml_node&)> rows = [&](const pugi::xml_node& t) {
        for (const auto& r : t.children()) {
          if (r.type() != pugi::node_element) continue;
          if (std::string_view(r.name()) != "tr") { rows(r); continue; }
          std::string line;
          for (const auto& cell : r.children())
            if (std::string s = xml::text_of(cell); !s.empty()) line += (line.empty() ? "" : " · ") + s;
          if (line.empty()) continue;
          Node p = element(r, Kind::Paragraph, "p");
          Node t2;
          t2.kind = Kind::Text;
          t2.text = line;
          t2.pos = p.pos;
          p.children.push_back(std::move(t2));
          into.children.push_back(std::move(p));
        }
      };
      rows(c);
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
  auto inl = [this](const pugi::xml_node& c, Node& n) { read_inline(c, n); };
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
      root.children.push_back(text_block(c, Kind::Dateline, "dateline"));
    } else if (n == "abstract") {
      Node lead = element(c, Kind::Lead, "lead");
      lead.classes.push_back("abstract");
      bool has_p = static_cast<bool>(c.child("p"));
      if (has_p) read_paragraphs_inline(nullptr, c, lead, inl);
      else read_inline(c, lead);
      root.children.push_back(std::move(lead));
    } else if (n == "note" || n == "rights" || n == "series") {
      // Editorial notes and rights are for the newsroom, not the reader.
    } else {
      unknown(c, "body.head", "ignored");
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
