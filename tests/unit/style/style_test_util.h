// Helpers for the style tests: article trees built by hand (no XML reader), stylesheets
// parsed from strings, diagnostics formatted for exact comparison.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "style/style.h"

namespace trang::style::test {

inline model::Kind kind_of(std::string_view name) {
  static const std::map<std::string_view, model::Kind> kKinds = {
      {"article", model::Kind::Article},   {"kicker", model::Kind::Kicker},
      {"headline", model::Kind::Headline}, {"lead", model::Kind::Lead},
      {"byline", model::Kind::Byline},     {"dateline", model::Kind::Dateline},
      {"body", model::Kind::Body},         {"p", model::Kind::Paragraph},
      {"subhead", model::Kind::Subhead},   {"pullquote", model::Kind::PullQuote},
      {"list", model::Kind::List},         {"item", model::Kind::ListItem},
      {"box", model::Kind::Box},           {"title", model::Kind::BoxTitle},
      {"figure", model::Kind::Figure},     {"image", model::Kind::Image},
      {"caption", model::Kind::Caption},   {"credit", model::Kind::Credit},
      {"em", model::Kind::Emphasis},       {"strong", model::Kind::Strong},
      {"a", model::Kind::Link},            {"br", model::Kind::LineBreak}};
  auto it = kKinds.find(name);
  return it == kKinds.end() ? model::Kind::Paragraph : it->second;
}

// Attributes of an element: id, classes, others (id and class are also listed in
// `attributes`, as the XML reader does).
struct Attrs {
  std::string id;
  std::vector<std::string> classes;
  std::vector<std::pair<std::string, std::string>> other;
};

inline model::Node E(std::string_view name, Attrs attrs,
                     std::initializer_list<model::Node> kids = {}) {
  model::Node n;
  n.kind = kind_of(name);
  n.name = std::string(name);
  n.id = attrs.id;
  n.classes = attrs.classes;
  if (!attrs.id.empty()) n.attributes.emplace_back("id", attrs.id);
  if (!attrs.classes.empty()) {
    std::string cls;
    for (const std::string& c : attrs.classes) cls += (cls.empty() ? "" : " ") + c;
    n.attributes.emplace_back("class", cls);
  }
  for (const auto& a : attrs.other) n.attributes.push_back(a);
  n.children = kids;
  return n;
}

inline model::Node E(std::string_view name, std::initializer_list<model::Node> kids = {}) {
  return E(name, Attrs{}, kids);
}

inline model::Node T(std::string text) {
  model::Node n;
  n.kind = model::Kind::Text;
  n.text = std::move(text);
  return n;
}

// An article around `root`, with pre-order indices assigned.
inline model::Article make_article(model::Node root) {
  model::Article a;
  a.file = "t.xml";
  a.root = std::move(root);
  uint32_t next = 0;
  auto number = [&](auto& self, model::Node& n) -> void {
    n.index = next++;
    for (model::Node& c : n.children) self(self, c);
  };
  number(number, a.root);
  a.node_count = next;
  return a;
}

inline const model::Node* find_id(const model::Node& n, std::string_view id) {
  if (n.id == id) return &n;
  for (const model::Node& c : n.children)
    if (const model::Node* f = find_id(c, id)) return f;
  return nullptr;
}

// Every diagnostic, formatted ("t.css:3:5: warning: ..."), hints included.
inline std::vector<std::string> formatted(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d.all()) out.push_back(x.format());
  return out;
}

// Parses `css` as "t.css" and cascades it over `article`.
struct Result {
  Diagnostics diags;
  StyledDocument doc;
  model::Article article;

  const ComputedStyle& of(std::string_view id) const {
    const model::Node* n = find_id(article.root, id);
    if (!n) {
      ADD_FAILURE() << "no node with id " << id;
      static const ComputedStyle kNone;
      return kNone;
    }
    return doc.styles.at(n->index);
  }
};

inline Result resolve_sheets(const std::vector<std::string>& sheets, model::Article article) {
  Result r;
  r.article = std::move(article);
  std::vector<Stylesheet> parsed;
  for (size_t i = 0; i < sheets.size(); ++i)
    parsed.push_back(parse_stylesheet(
        sheets[i], i == 0 ? "t.css" : "t" + std::to_string(i + 1) + ".css", r.diags));
  std::vector<const Stylesheet*> ptrs;
  for (const Stylesheet& s : parsed) ptrs.push_back(&s);
  r.doc = resolve_styles(r.article, ptrs, r.diags);
  return r;
}

inline Result resolve(const std::string& css, model::Article article) {
  return resolve_sheets(std::vector<std::string>{css}, std::move(article));
}

// A small article: article > (headline#h, body#b > (p#p1 > (T, em#e > T), p#p2 > T)).
inline model::Article small_article() {
  return make_article(E("article", {.id = "root"},
                        {E("headline", {.id = "h"}, {T("Tiêu đề")}),
                         E("body", {.id = "b"},
                           {E("p", {.id = "p1"}, {T("Một "), E("em", {.id = "e"}, {T("hai")})}),
                            E("p", {.id = "p2", .classes = {"note"}}, {T("Ba")})})}));
}

// Parses `css` alone and returns the formatted diagnostics.
inline std::vector<std::string> parse_messages(const std::string& css) {
  Diagnostics d;
  parse_stylesheet(css, "t.css", d);
  return formatted(d);
}

constexpr double kEps = 1e-6;

}  // namespace trang::style::test
