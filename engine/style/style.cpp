// Stylesheet parsing: tokens (tokenizer.cpp) -> generic rules (parser.cpp) -> style rules with
// selectors (selector.cpp) and validated declarations (properties.cpp), and @page rules.
// The cascade over an article is in cascade.cpp.
#include <algorithm>
#include <filesystem>

#include "core/confine.h"
#include "style/parser.h"
#include "style/sheet.h"
#include "style/style.h"
#include "style/suggest.h"
#include "style/supports.h"
#include "style/tokenizer.h"

namespace trang::embedded {
extern const std::string_view kDefaultStylesheet;  // generated from stylesheets/default.css
}

namespace trang::style {

Stylesheet::Stylesheet() : impl_(std::make_unique<Impl>()) {}
Stylesheet::~Stylesheet() = default;
Stylesheet::Stylesheet(Stylesheet&&) noexcept = default;
Stylesheet& Stylesheet::operator=(Stylesheet&&) noexcept = default;

std::string_view default_stylesheet_text() { return embedded::kDefaultStylesheet; }

namespace {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

// At-rules CSS defines that this version does not implement (for an honest message, and as
// the "did you mean" pool for misspelt at-rules).
constexpr std::string_view kKnownAtRules[] = {
    "page",     "import",    "font-face",     "media",      "supports",
    "namespace", "layer",    "counter-style", "keyframes",  "font-feature-values",
    "property", "container", "scope",         "starting-style", "charset"};

// CSS Paged Media 3 §5.1: the margin boxes of a page.
constexpr std::string_view kMarginBoxes[] = {
    "top-left-corner", "top-left",    "top-center",    "top-right",  "top-right-corner",
    "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right",
    "bottom-right-corner", "left-top", "left-middle", "left-bottom", "right-top",
    "right-middle", "right-bottom"};

namespace fs = std::filesystem;

// What @import needs across nested sheets: the folder tree imports must stay in, and the
// chain of sheets being read (for cycles).
struct ImportState {
  std::vector<fs::path> roots;     // the project's folders (parse_stylesheet), canonical
  std::vector<fs::path> chain;     // canonical paths, outermost first
  Diagnostics* diags = nullptr;    // the caller's sink (imported sheets report into it)
};

void parse_into(std::string_view css_text, const std::string& file, Stylesheet::Impl& out,
                ImportState& state, Diagnostics& diags);

// Whether `p` (canonical) lies inside the folder tree `root` (canonical).
bool inside(const fs::path& p, const fs::path& root) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *q != *r) return false;
  return true;
}

// The URL of @import / src: url(x), url("x") or "x".
const ComponentValue* url_value(const ComponentValues& values, std::string& url) {
  for (const ComponentValue& v : values) {
    if (v.is_whitespace()) continue;
    if (v.is(TokenType::Url) || v.is(TokenType::String)) {
      url = v.token.value;
      return &v;
    }
    if (v.is_function("url")) {
      for (const ComponentValue& c : v.children)
        if (c.is(TokenType::String)) {
          url = c.token.value;
          return &v;
        }
    }
    return nullptr;
  }
  return nullptr;
}

class SheetBuilder {
 public:
  SheetBuilder(const css::ParseContext& ctx, Stylesheet::Impl& out, ImportState& imports)
      : ctx_(ctx), out_(out), imports_(imports) {}

  void build(const std::vector<css::Rule>& rules) {
    for (const css::Rule& r : rules) {
      if (r.at_rule) {
        at_rule(r);
      } else {
        seen_rule_ = true;
        style_rule(r);
      }
    }
  }

 private:
  void style_rule(const css::Rule& r) {
    StyleRule rule;
    bool ok;
    if (std::all_of(r.prelude.begin(), r.prelude.end(),
                    [](const ComponentValue& v) { return v.is_whitespace(); })) {
      ctx_.diags.warning("css-bad-selector", ctx_.pos(r.block_open),
                       "expected a selector before '{' (rule ignored)");
      ok = false;
    } else {
      ok = parse_selector_list(r.prelude, ctx_, rule.selectors);
    }
    // Declarations are checked even when the selector is bad, so that one run shows every
    // problem.
    std::vector<css::Declaration> decls;
    std::vector<css::Rule> nested;
    css::parse_declarations(r.block, ctx_, decls, nested);
    for (const css::Rule& n : nested)
      ctx_.diags.warning(ctx_.pos(n.start),
                         "at-rule '@" + n.start.value + "' inside a style rule is not supported "
                         "(ignored)");
    for (const css::Declaration& d : decls)
      compile_declaration(d, DeclContext::Element, ctx_, rule.declarations);
    if (ok && !rule.declarations.empty()) out_.rules.push_back(std::move(rule));
  }

  void at_rule(const css::Rule& r) {
    std::string name = css::ascii_lower(r.start.value);
    SourcePos pos = ctx_.pos(r.start);
    if (name == "charset") return;  // CSS Syntax 3 §3.2: only an encoding hint; UTF-8 here
    if (name == "import") return import_rule(r);
    seen_rule_ = true;
    if (name == "page") return page_rule(r);
    if (name == "font-face") return font_face_rule(r);
    if (name == "media") return media_rule(r);
    if (name == "supports") return supports_rule(r);
    if (std::find(std::begin(kKnownAtRules), std::end(kKnownAtRules), name) !=
        std::end(kKnownAtRules)) {
      ctx_.diags.warning("css-unsupported-at-rule", pos,
                         "@" + r.start.value + " is not supported yet (ignored)");
      return;
    }
    std::vector<std::string_view> names(std::begin(kKnownAtRules), std::end(kKnownAtRules));
    std::string m = closest_match(name, names);
    ctx_.diags.warning("css-unknown-at-rule", pos,
                       "unknown at-rule '@" + r.start.value + "' (ignored)",
                       m.empty() ? std::string() : "did you mean '@" + m + "'?");
  }

  // @media (Media Queries 4): the rules inside apply when the query list matches a printed
  // page, and are dropped otherwise, as a browser printing the page would.
  void media_rule(const css::Rule& r) {
    if (!r.has_block) {
      ctx_.diags.warning("css-bad-at-rule", ctx_.pos(r.start), "@media without a {} block (ignored)");
      return;
    }
    if (media_matches(r.prelude)) nested_rules(r);
  }

  // @supports (CSS Conditional 3 §6): the rules inside apply when trang supports the
  // condition, and are skipped without a word otherwise, as a feature query asks.
  void supports_rule(const css::Rule& r) {
    bool valid = true;
    bool applies = supports_condition(r.prelude, ctx_, valid);
    if (!valid || !r.has_block) {
      ctx_.diags.warning("css-bad-at-rule", ctx_.pos(r.start),
                         !r.has_block ? "@supports without a {} block (ignored)"
                                      : "@supports condition " + css::source_text(r.prelude, ctx_) +
                                            " is not valid (rule ignored)",
                         "write e.g. @supports (column-gap: 1em) and (not selector(a > b))");
      return;
    }
    if (applies) nested_rules(r);
  }

  // The rules of a conditional group rule's block, read as if written at the top level.
  void nested_rules(const css::Rule& r) {
    std::vector<css::Token> tokens;
    flatten(r.block, tokens);
    css::Token eof;
    eof.line = r.block_open.line;
    eof.col = r.block_open.col;
    tokens.push_back(eof);
    build(css::parse_rules(tokens, ctx_));
  }

  // A media query list matches print when one of its queries does (an empty list matches
  // everything): type print or all, or none given; `not` negates, `only` is ignored. Media
  // features are not evaluated: each is taken as true, with a warning naming it.
  bool media_matches(const ComponentValues& prelude) {
    bool any = false, empty = true;
    std::vector<std::string> words;
    bool features = false;
    auto query_ends = [&]() {
      if (words.empty() && !features) return;
      empty = false;
      size_t k = 0;
      bool negate = false;
      if (k < words.size() && words[k] == "not") negate = true, ++k;
      if (k < words.size() && words[k] == "only") ++k;
      std::string type = k < words.size() && words[k] != "and" ? words[k] : "all";
      bool match = type == "print" || type == "all";
      any |= negate ? !match : match;
      words.clear();
      features = false;
    };
    for (const ComponentValue& v : prelude) {
      if (v.is(TokenType::Comma)) {
        query_ends();
      } else if (v.is(TokenType::Ident)) {
        words.push_back(css::ascii_lower(v.token.value));
      } else if (v.kind == ComponentValue::Kind::Block) {
        features = true;
        ctx_.diags.warning("css-media-feature", ctx_.pos(v),
                           "media feature " + css::source_text(v, ctx_) +
                               " is not evaluated: taken as true for the printed page");
      }
    }
    query_ends();
    return empty || any;
  }

  // The tokens of `values` as the tokenizer gave them, a block's or function's closing token
  // put back after its contents: what css::parse_rules reads.
  static void flatten(const ComponentValues& values, std::vector<css::Token>& out) {
    for (const ComponentValue& v : values) {
      out.push_back(v.token);
      if (v.kind == ComponentValue::Kind::Token) continue;
      flatten(v.children, out);
      if (!v.closed) continue;
      css::Token close = v.token;
      close.value.clear();
      close.type = v.kind == ComponentValue::Kind::Function || v.token.type == TokenType::LeftParen
                       ? TokenType::RightParen
                       : v.token.type == TokenType::LeftBracket ? TokenType::RightBracket
                                                                 : TokenType::RightBrace;
      close.begin = v.end > 0 ? v.end - 1 : v.end;
      close.end = v.end;
      out.push_back(std::move(close));
    }
  }

  // Resolves a file named in the sheet: relative to the sheet's folder, and inside one of the
  // project's folders. Reports an error at `at` and returns false otherwise.
  bool resolve_file(const std::string& url, const ComponentValue& at, const std::string& what,
                    fs::path& out) {
    std::error_code ec;
    if (looks_like_url(url)) {
      ctx_.diags.error("css-file-url", ctx_.pos(at),
                       what + " '" + url + "' is a URL; trang reads only local files",
                       "copy the file beside the stylesheet");
      return false;
    }
    fs::path base = fs::path(ctx_.file).parent_path();
    fs::path p = fs::path(url).is_absolute() ? fs::path(url) : base / url;
    // Absolute first: weakly_canonical leaves a relative path whose first part does not
    // exist relative, and it would then seem to lie outside every folder.
    fs::path canon = fs::weakly_canonical(fs::absolute(p, ec), ec);
    bool in_project = !ec && std::any_of(imports_.roots.begin(), imports_.roots.end(),
                                         [&](const fs::path& r) { return inside(canon, r); });
    if (!in_project) {
      std::string folders;
      for (const fs::path& r : imports_.roots)
        folders += (folders.empty() ? "" : ", ") + r.string();
      ctx_.diags.error("css-file-outside", ctx_.pos(at),
                       what + " '" + url + "' is outside " +
                           (imports_.roots.size() == 1 ? "the stylesheet's folder"
                                                       : "the project's folders"),
                       "keep imported stylesheets and fonts in " + folders + " or below");
      return false;
    }
    if (!fs::is_regular_file(canon, ec)) {
      ctx_.diags.error("css-file-not-found", ctx_.pos(at), what + " '" + url + "': " +
                                         (fs::exists(canon, ec) ? "not a regular file (a "
                                                                  "directory, device or FIFO)"
                                                                : "no such file"));
      return false;
    }
    out = canon;
    return true;
  }

  // CSS Cascade 4 §2.1: @import url(...) [media]?; before every rule but @charset.
  void import_rule(const css::Rule& r) {
    SourcePos pos = ctx_.pos(r.start);
    if (r.has_block) {
      ctx_.diags.error(pos, "@import ends with ';', not a block");
      return;
    }
    if (seen_rule_) {
      ctx_.diags.warning(pos, "@import after other rules is ignored (CSS Cascade 4 §2.1)",
                         "move it to the top of the stylesheet");
      return;
    }
    std::string url;
    const ComponentValue* at = url_value(r.prelude, url);
    if (!at || url.empty()) {
      ctx_.diags.error(pos, "expected @import url(\"file.css\") or @import \"file.css\"");
      return;
    }
    bool trailing = false;
    for (const ComponentValue* v = at + 1; v < r.prelude.data() + r.prelude.size(); ++v)
      trailing |= !v->is_whitespace();
    if (trailing)
      ctx_.diags.warning(ctx_.pos(*at), "media queries on @import are not supported (the "
                                        "stylesheet is imported for every medium)");
    fs::path path;
    if (!resolve_file(url, *at, "cannot import", path)) return;
    for (const fs::path& p : imports_.chain) {
      if (p == path) {
        std::string cycle;
        for (const fs::path& q : imports_.chain) cycle += q.filename().string() + " -> ";
        ctx_.diags.error(ctx_.pos(*at), "@import cycle: " + cycle + path.filename().string(),
                         "a stylesheet cannot import itself, directly or through others");
        return;
      }
    }
    if (imports_.chain.size() >= 16) {
      ctx_.diags.error(ctx_.pos(*at), "@import nested more than 16 deep");
      return;
    }
    // The same limit as a stylesheet given on the command line (cli/render.cpp).
    std::string text;
    int error = 0;
    ReadStatus status = read_regular_file(path.string(), 16u << 20, text, false, &error);
    if (status != ReadStatus::Ok) {
      ctx_.diags.error(ctx_.pos(*at),
                       "cannot import '" + url + "': " +
                           (status == ReadStatus::TooLarge ? "file is larger than 16 MiB"
                                                           : read_status_message(status, error)));
      return;
    }
    imports_.chain.push_back(path);
    parse_into(text, path.string(), out_, imports_, *imports_.diags);
    imports_.chain.pop_back();
  }

  // CSS Fonts 4 §4: @font-face { font-family; src: url(file); font-weight; font-style }.
  void font_face_rule(const css::Rule& r) {
    SourcePos pos = ctx_.pos(r.start);
    if (!r.has_block) {
      ctx_.diags.error(pos, "@font-face needs a { ... } block");
      return;
    }
    std::vector<css::Declaration> decls;
    std::vector<css::Rule> nested;
    css::parse_declarations(r.block, ctx_, decls, nested);
    for (const css::Rule& n : nested)
      ctx_.diags.warning(ctx_.pos(n.start), "at-rule '@" + n.start.value +
                                                "' inside @font-face (ignored)");
    FontFace face;
    bool has_src = false, ok = true;
    for (const css::Declaration& d : decls) {
      std::string name = css::ascii_lower(d.name.value);
      std::vector<const ComponentValue*> terms;
      for (const ComponentValue& v : d.value)
        if (!v.is_whitespace()) terms.push_back(&v);
      SourcePos vpos = d.value.empty() ? ctx_.pos(d.name) : ctx_.pos(d.value.front());
      auto bad = [&](const std::string& hint) {
        ctx_.diags.warning(vpos, "invalid value for '" + name + "' in @font-face: " +
                                     css::source_text(d.value, ctx_),
                           hint);
      };
      if (name == "font-family") {
        std::string fam;
        for (const ComponentValue* t : terms) {
          if (t->is(TokenType::String) && fam.empty() && terms.size() == 1) fam = t->token.value;
          else if (t->is(TokenType::Ident)) fam += (fam.empty() ? "" : " ") + t->token.value;
          else fam.clear(), terms.clear();
        }
        if (fam.empty()) {
          bad("expected one family name, e.g. \"My Serif\"");
          ok = false;
        }
        face.family = fam;
      } else if (name == "src") {
        // CSS Fonts 4 §4.3: [ <url> [format(...)]? | local(<family-name>) ]#.
        face.pos = vpos;
        if (!font_sources(d.value, face)) ok = false;
        else has_src = true;
      } else if (name == "font-weight") {
        if (terms.size() == 1 && terms[0]->is_ident("normal")) face.weight = 400;
        else if (terms.size() == 1 && terms[0]->is_ident("bold")) face.weight = 700;
        else if (terms.size() == 1 && terms[0]->is(TokenType::Number) &&
                 terms[0]->token.number >= 1 && terms[0]->token.number <= 1000)
          face.weight = static_cast<int>(terms[0]->token.number);
        else bad("expected normal, bold or a number from 1 to 1000");
      } else if (name == "font-style") {
        if (terms.size() >= 1 && (terms[0]->is_ident("italic") || terms[0]->is_ident("oblique")))
          face.italic = true;
        else if (terms.size() == 1 && terms[0]->is_ident("normal")) face.italic = false;
        else bad("expected normal, italic or oblique");
      } else if (name == "font-display" || name == "unicode-range" ||
                 name == "font-feature-settings" || name == "font-stretch") {
        ctx_.diags.warning(ctx_.pos(d.name), "@font-face descriptor '" + d.name.value +
                                                 "' is not supported (ignored)");
      } else {
        ctx_.diags.warning(ctx_.pos(d.name), "unknown @font-face descriptor '" + d.name.value +
                                                 "' (ignored)",
                           did_you_mean(name, {"font-family", "src", "font-weight", "font-style"}));
      }
    }
    if (ok && face.family.empty()) {
      ctx_.diags.error(pos, "@font-face without font-family (ignored)");
      ok = false;
    }
    if (ok && !has_src) {
      ctx_.diags.error(pos, "@font-face without src (ignored)");
      ok = false;
    }
    if (ok) out_.font_faces.push_back(std::move(face));
  }

  // The alternatives of a src descriptor, into `face.sources`. False (reported) when one is
  // malformed or a file cannot be used.
  bool font_sources(const ComponentValues& value, FontFace& face) {
    std::vector<std::vector<const ComponentValue*>> parts(1);
    for (const ComponentValue& v : value) {
      if (v.is(TokenType::Comma)) parts.emplace_back();
      else if (!v.is_whitespace()) parts.back().push_back(&v);
    }
    for (const auto& part : parts) {
      const ComponentValue* first = part.empty() ? nullptr : part[0];
      SourcePos at = first ? ctx_.pos(*first) : face.pos;
      FontFace::Source src;
      src.pos = at;
      if (first && first->is_function("local")) {
        for (const ComponentValue& c : first->children) {
          if (c.is(TokenType::String)) src.local = c.token.value;
          else if (c.is(TokenType::Ident)) src.local += (src.local.empty() ? "" : " ") + c.token.value;
        }
        if (src.local.empty()) {
          ctx_.diags.error("css-invalid-value", at, "local() needs a font's full name",
                           "e.g. local(\"Noto Serif Bold\")");
          return false;
        }
      } else {
        std::string url;
        ComponentValues one;
        if (first) one.push_back(*first);
        if (!first || !url_value(one, url) || url.empty()) {
          ctx_.diags.error("css-invalid-value", at,
                           "expected src: url(\"file.ttf\") or local(\"Full Name\") in @font-face",
                           "name a TrueType or OpenType file in the project's folders");
          return false;
        }
        fs::path path;
        if (!resolve_file(url, *first, "font file", path)) return false;
        src.path = path.string();
      }
      face.sources.push_back(std::move(src));
    }
    return true;
  }

  // CSS Paged Media 3 §4.2: <page-selector-list> = <page-selector>#,
  // <page-selector> = [ <ident>? <pseudo-page>* ]!, <pseudo-page> = ':' [left|right|first|blank].
  bool page_selectors(const ComponentValues& prelude, PageRule& rule) {
    size_t i = 0, n = prelude.size();
    auto skip_ws = [&] {
      while (i < n && prelude[i].is_whitespace()) ++i;
    };
    skip_ws();
    if (i == n) {
      rule.applies_to_all_pages = true;
      rule.selectors.push_back("");
      return true;
    }
    for (;;) {
      skip_ws();
      std::string sel;
      size_t start = i;
      if (i < n && prelude[i].is(TokenType::Ident)) sel = prelude[i++].token.value;
      while (i < n && prelude[i].is(TokenType::Colon)) {
        const ComponentValue& colon = prelude[i++];
        if (i >= n || !prelude[i].is(TokenType::Ident)) {
          ctx_.diags.error(ctx_.pos(colon), "expected a page pseudo-class after ':' "
                                            "(@page rule ignored)");
          return false;
        }
        const css::Token& t = prelude[i++].token;
        if (!(t.is_ident("first") || t.is_ident("left") || t.is_ident("right") ||
              t.is_ident("blank"))) {
          ctx_.diags.warning(ctx_.pos(colon),
                             "unknown page selector ':" + t.value + "' (@page rule ignored)",
                             did_you_mean(t.value, {"first", "left", "right", "blank"}));
          return false;
        }
        sel += ":" + css::ascii_lower(t.value);
      }
      if (i == start) {
        ctx_.diags.error(ctx_.pos(prelude[i]), "unexpected " +
                                                   css::source_text(prelude[i], ctx_) +
                                                   " in @page selector (rule ignored)");
        return false;
      }
      rule.selectors.push_back(sel);
      skip_ws();
      if (i == n) return true;
      if (!prelude[i].is(TokenType::Comma)) {
        ctx_.diags.error(ctx_.pos(prelude[i]), "unexpected " +
                                                   css::source_text(prelude[i], ctx_) +
                                                   " in @page selector (rule ignored)");
        return false;
      }
      ++i;
    }
  }

  void page_rule(const css::Rule& r) {
    if (!r.has_block) {
      ctx_.diags.error(ctx_.pos(r.start), "@page needs a { ... } block");
      return;
    }
    PageRule rule;
    bool ok = page_selectors(r.prelude, rule);
    std::vector<css::Declaration> decls;
    std::vector<css::Rule> nested;
    css::parse_declarations(r.block, ctx_, decls, nested);
    for (const css::Rule& n : nested) {
      std::string name = css::ascii_lower(n.start.value);
      bool margin_box = std::find(std::begin(kMarginBoxes), std::end(kMarginBoxes), name) !=
                        std::end(kMarginBoxes);
      static constexpr std::pair<std::string_view, MarginBoxPos> kDrawn[] = {
          {"top-left", MarginBoxPos::TopLeft},       {"top-center", MarginBoxPos::TopCenter},
          {"top-right", MarginBoxPos::TopRight},     {"bottom-left", MarginBoxPos::BottomLeft},
          {"bottom-center", MarginBoxPos::BottomCenter},
          {"bottom-right", MarginBoxPos::BottomRight}};
      const auto* drawn = std::find_if(std::begin(kDrawn), std::end(kDrawn),
                                       [&](const auto& e) { return e.first == name; });
      if (drawn != std::end(kDrawn)) {
        if (!n.has_block) {
          ctx_.diags.error(ctx_.pos(n.start), "@" + n.start.value + " needs a { ... } block");
          continue;
        }
        MarginBoxRule box;
        box.pos = drawn->second;
        std::vector<css::Declaration> bdecls;
        std::vector<css::Rule> bnested;
        css::parse_declarations(n.block, ctx_, bdecls, bnested);
        for (const css::Rule& x : bnested)
          ctx_.diags.warning(ctx_.pos(x.start), "at-rule '@" + x.start.value +
                                                    "' inside a margin box (ignored)");
        for (const css::Declaration& d : bdecls)
          compile_declaration(d, DeclContext::MarginBox, ctx_, box.declarations);
        if (!box.declarations.empty()) rule.boxes.push_back(std::move(box));
      } else if (margin_box) {
        ctx_.diags.warning(ctx_.pos(n.start),
                           "page margin box '@" + n.start.value + "' is not supported yet "
                           "(ignored)",
                           "trang draws @top-left, @top-center, @top-right and the three "
                           "@bottom- boxes");
      } else {
        std::vector<std::string_view> names(std::begin(kMarginBoxes), std::end(kMarginBoxes));
        std::string m = closest_match(name, names);
        ctx_.diags.warning(ctx_.pos(n.start),
                           "unknown at-rule '@" + n.start.value + "' in @page (ignored)",
                           m.empty() ? std::string() : "did you mean '@" + m + "'?");
      }
    }
    for (const css::Declaration& d : decls)
      compile_declaration(d, DeclContext::Page, ctx_, rule.declarations);
    for (const std::string& s : rule.selectors)
      if (s.empty()) rule.applies_to_all_pages = true;
    if (ok && (!rule.declarations.empty() || !rule.boxes.empty()))
      out_.pages.push_back(std::move(rule));
  }

  const css::ParseContext& ctx_;
  Stylesheet::Impl& out_;
  ImportState& imports_;
  bool seen_rule_ = false;  // a rule other than @charset/@import (for @import's placement)
};

void parse_into(std::string_view css_text, const std::string& file, Stylesheet::Impl& out,
                ImportState& state, Diagnostics& diags) {
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) out.files.push_back(file);
  // Problems are found out of order (an unclosed block is noticed at the end of the file,
  // before the declarations inside it are checked); report them in source order.
  Diagnostics local;
  std::vector<css::Token> tokens = css::tokenize(css_text, file, local);
  css::ParseContext ctx{css_text, file, local};
  std::vector<css::Rule> rules = css::parse_rules(tokens, ctx);
  // The rules hold copies of the tokens: freed before the sheet is built, where a large
  // sheet's memory peaked.
  std::vector<css::Token>().swap(tokens);
  SheetBuilder(ctx, out, state).build(rules);
  std::vector<Diagnostic> found = local.all();
  std::stable_sort(found.begin(), found.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.pos.line, a.pos.col) < std::pair(b.pos.line, b.pos.col);
  });
  for (Diagnostic& d : found) diags.add(std::move(d));
}

}  // namespace

Stylesheet parse_stylesheet(std::string_view css_text, const std::string& file,
                            Diagnostics& diags, const std::string& article) {
  Stylesheet sheet;
  sheet.impl().file = file;
  ImportState state;
  std::error_code ec;
  fs::path self = fs::weakly_canonical(fs::absolute(fs::path(file), ec), ec);
  if (ec) self = fs::absolute(fs::path(file), ec);
  state.roots.push_back(self.parent_path());
  if (!article.empty()) {
    // The project: the article's folder, and the sheet folder's parent when it holds the
    // article (project/css/s.css with project/fonts/ and project/article.xml).
    fs::path doc = fs::weakly_canonical(fs::absolute(fs::path(article), ec), ec).parent_path();
    // Never the filesystem's root: a sheet in /css/ does not open the whole disk.
    fs::path dir = self.parent_path(), up = dir.parent_path();
    if (ec || inside(doc, dir)) {
    } else if (up != up.root_path() && inside(doc, up)) {
      state.roots.push_back(up);
    } else {
      state.roots.push_back(doc);
    }
  }
  state.chain.push_back(self);
  state.diags = &diags;
  parse_into(css_text, file, sheet.impl(), state, diags);
  sheet.impl().index.build(sheet.impl().rules);
  return sheet;
}

const std::vector<FontFace>& font_faces(const Stylesheet& sheet) {
  return sheet.impl().font_faces;
}

const std::vector<std::string>& stylesheet_files(const Stylesheet& sheet) {
  return sheet.impl().files;
}

void StyleTable::assign(size_t n, const ComputedStyle& cs) {
  unique_.assign(1, cs);
  users_.assign(1, static_cast<uint32_t>(n));
  of_node_.assign(n, 0);
  recent_[0] = 0;
  recent_count_ = 1;
}

void StyleTable::set(size_t i, const ComputedStyle& cs) {
  --users_[of_node_[i]];
  for (size_t r = 0; r < recent_count_; ++r) {
    uint32_t id = recent_[r];
    if (unique_[id] == cs) {
      of_node_[i] = id;
      ++users_[id];
      std::rotate(recent_.begin(), recent_.begin() + r, recent_.begin() + r + 1);
      return;
    }
  }
  uint32_t id = static_cast<uint32_t>(unique_.size());
  unique_.push_back(cs);
  users_.push_back(1);
  of_node_[i] = id;
  recent_count_ = std::min(recent_.size(), recent_count_ + 1);
  std::move_backward(recent_.begin(), recent_.begin() + recent_count_ - 1,
                     recent_.begin() + recent_count_);
  recent_[0] = id;
}

uint32_t StyleTable::add(const ComputedStyle& cs) {
  if (unique_.empty()) {
    assign(1, cs);
    return 0;
  }
  of_node_.push_back(0);
  ++users_[0];
  set(of_node_.size() - 1, cs);
  return static_cast<uint32_t>(of_node_.size() - 1);
}

ComputedStyle& StyleTable::own(size_t i) {
  uint32_t id = of_node_[i];
  if (users_[id] == 1) return unique_[id];
  --users_[id];
  // Kept out of recent_: a later equal style must not share a node being written to.
  of_node_[i] = static_cast<uint32_t>(unique_.size());
  users_.push_back(1);
  return unique_.emplace_back(unique_[id]);
}

}  // namespace trang::style
