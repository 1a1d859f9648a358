// @supports (CSS Conditional 3 §6.1 grammar):
//   <supports-condition> = not <supports-in-parens>
//                        | <supports-in-parens> [ and <supports-in-parens> ]*
//                        | <supports-in-parens> [ or <supports-in-parens> ]*
//   <supports-in-parens> = ( <supports-condition> ) | ( <declaration> ) | selector( ... )
//                        | <general-enclosed>  (false)
#include "style/supports.h"

#include <vector>

#include "style/properties.h"
#include "style/selector.h"

namespace trang::style {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

namespace {

class Supports {
 public:
  explicit Supports(const css::ParseContext& ctx) : ctx_(ctx) {}

  bool condition(const ComponentValues& items, bool& valid) {
    std::vector<const ComponentValue*> t;
    for (const ComponentValue& v : items)
      if (!v.is_whitespace()) t.push_back(&v);
    if (t.empty()) return valid = false;
    if (t[0]->is_ident("not")) {
      if (t.size() != 2) return valid = false;
      return !in_parens(*t[1], valid);
    }
    // Operands at even places, one operator word (never mixed) at the odd ones.
    if (t.size() % 2 == 0) return valid = false;
    bool is_and = t.size() > 1 && t[1]->is_ident("and");
    bool result = in_parens(*t[0], valid);
    for (size_t i = 1; i + 1 < t.size(); i += 2) {
      if (!t[i]->is_ident(is_and ? "and" : "or")) return valid = false;
      bool r = in_parens(*t[i + 1], valid);
      result = is_and ? result && r : result || r;
    }
    return valid && result;
  }

 private:
  bool in_parens(const ComponentValue& v, bool& valid) {
    if (v.is_function("selector")) return selector(v.children);
    if (!v.is_block(TokenType::LeftParen)) {
      // <general-enclosed>: a function or block CSS may define later is false, not an error.
      if (v.kind == ComponentValue::Kind::Function) return false;
      return valid = false;
    }
    size_t i = 0;
    const ComponentValues& c = v.children;
    while (i < c.size() && c[i].is_whitespace()) ++i;
    size_t j = i + 1;
    while (j < c.size() && c[j].is_whitespace()) ++j;
    if (i < c.size() && c[i].is(TokenType::Ident) && j < c.size() && c[j].is(TokenType::Colon))
      return declaration(c, i, j + 1);
    return condition(c, valid);
  }

  // Supported when it compiles to at least one longhand with nothing to say about it.
  bool declaration(const ComponentValues& c, size_t name, size_t value) {
    css::Declaration d;
    d.name = c[name].token;
    d.value.assign(c.begin() + static_cast<std::ptrdiff_t>(value), c.end());
    while (!d.value.empty() && d.value.back().is_whitespace()) d.value.pop_back();
    while (!d.value.empty() && d.value.front().is_whitespace()) d.value.erase(d.value.begin());
    if (d.value.empty()) return false;
    Diagnostics quiet;
    css::ParseContext q{ctx_.source, ctx_.file, quiet};
    std::vector<PropertyDeclaration> out;
    compile_declaration(d, DeclContext::Element, q, out);
    return !out.empty() && quiet.all().empty();
  }

  bool selector(const ComponentValues& c) {
    Diagnostics quiet;
    css::ParseContext q{ctx_.source, ctx_.file, quiet};
    std::vector<ComplexSelector> out;
    return parse_selector_list(c, q, out) && quiet.all().empty();
  }

  const css::ParseContext& ctx_;
};

}  // namespace

bool supports_condition(const ComponentValues& prelude, const css::ParseContext& ctx,
                        bool& valid) {
  valid = true;
  bool r = Supports(ctx).condition(prelude, valid);
  return valid && r;
}

}  // namespace trang::style
