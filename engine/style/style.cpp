// Stylesheet parsing: tokens (tokenizer.cpp) -> generic rules (parser.cpp) -> style rules with
// selectors (selector.cpp) and validated declarations (properties.cpp), and @page rules.
// The cascade over an article is in cascade.cpp.
#include <algorithm>

#include "style/parser.h"
#include "style/sheet.h"
#include "style/style.h"
#include "style/suggest.h"
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

class SheetBuilder {
 public:
  SheetBuilder(const css::ParseContext& ctx, Stylesheet::Impl& out) : ctx_(ctx), out_(out) {}

  void build(const std::vector<css::Rule>& rules) {
    for (const css::Rule& r : rules) {
      if (r.at_rule) at_rule(r);
      else style_rule(r);
    }
  }

 private:
  void style_rule(const css::Rule& r) {
    StyleRule rule;
    bool ok;
    if (std::all_of(r.prelude.begin(), r.prelude.end(),
                    [](const ComponentValue& v) { return v.is_whitespace(); })) {
      ctx_.diags.error(ctx_.pos(r.block_open), "expected a selector before '{' (rule ignored)");
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
    if (name == "page") return page_rule(r);
    if (name == "charset") return;  // CSS Syntax 3 §3.2: only an encoding hint; UTF-8 here
    if (std::find(std::begin(kKnownAtRules), std::end(kKnownAtRules), name) !=
        std::end(kKnownAtRules)) {
      ctx_.diags.warning(pos, "@" + r.start.value + " is not supported yet (ignored)");
      return;
    }
    std::vector<std::string_view> names(std::begin(kKnownAtRules), std::end(kKnownAtRules));
    std::string m = closest_match(name, names);
    ctx_.diags.warning(pos, "unknown at-rule '@" + r.start.value + "' (ignored)",
                       m.empty() ? std::string() : "did you mean '@" + m + "'?");
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
      if (margin_box) {
        ctx_.diags.warning(ctx_.pos(n.start),
                           "page margin box '@" + n.start.value + "' is not supported yet "
                           "(ignored)");
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
    if (ok && !rule.declarations.empty()) out_.pages.push_back(std::move(rule));
  }

  const css::ParseContext& ctx_;
  Stylesheet::Impl& out_;
};

}  // namespace

Stylesheet parse_stylesheet(std::string_view css_text, const std::string& file,
                            Diagnostics& diags) {
  Stylesheet sheet;
  sheet.impl().file = file;
  // Problems are found out of order (an unclosed block is noticed at the end of the file,
  // before the declarations inside it are checked); report them in source order.
  Diagnostics local;
  std::vector<css::Token> tokens = css::tokenize(css_text, file, local);
  css::ParseContext ctx{css_text, file, local};
  std::vector<css::Rule> rules = css::parse_rules(tokens, ctx);
  SheetBuilder(ctx, sheet.impl()).build(rules);
  std::vector<Diagnostic> found = local.all();
  std::stable_sort(found.begin(), found.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.pos.line, a.pos.col) < std::pair(b.pos.line, b.pos.col);
  });
  for (Diagnostic& d : found) diags.add(std::move(d));
  return sheet;
}

}  // namespace trang::style
