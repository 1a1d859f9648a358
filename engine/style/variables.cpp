// Custom properties and var() substitution (CSS Variables 1 §2, §3).
#include "style/variables.h"

#include <string_view>

namespace trang::style {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

namespace {

constexpr size_t kMaxSubstitutedBytes = 64 * 1024;

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

// Appends a piece of value text. Two tokens that were apart must stay apart when their text
// meets ("var(--n)px" is a number then an ident, never 10px: §3.1 substitutes tokens, not
// text); an empty comment keeps them so without changing what the tokenizer sees.
void append(std::string& out, std::string_view piece) {
  if (!out.empty() && !piece.empty() && ident_char(out.back()) &&
      (ident_char(piece.front()) || piece.front() == '(' || piece.front() == '%' ||
       piece.front() == '.'))
    out += "/**/";
  out += piece;
}

// var( <custom-property-name> [, <declaration-value>? ]? ): the name and where the fallback
// starts (`fallback` = children.size() + 1 when there is none). False when malformed.
bool parse_var(const ComponentValue& f, std::string& name, size_t& fallback) {
  const ComponentValues& a = f.children;
  size_t i = 0;
  while (i < a.size() && a[i].is_whitespace()) ++i;
  if (i >= a.size() || !a[i].is(TokenType::Ident) || !a[i].token.value.starts_with("--"))
    return false;
  name = a[i].token.value;
  ++i;
  while (i < a.size() && a[i].is_whitespace()) ++i;
  if (i >= a.size()) {
    fallback = a.size() + 1;
    return true;
  }
  if (!a[i].is(TokenType::Comma)) return false;
  fallback = i + 1;
  return true;
}

class Substituter {
 public:
  Substituter(const PendingValue& p, const VarLookup& lookup) : p_(p), lookup_(lookup) {}

  bool run(const ComponentValues& values, size_t from, std::string& out) {
    for (size_t k = from; k < values.size(); ++k) {
      const ComponentValue& v = values[k];
      if (v.is_function("var")) {
        std::string name;
        size_t fallback = 0;
        if (!parse_var(v, name, fallback)) {
          missing = "a var() without a custom property name";
          return false;
        }
        if (const std::string* value = lookup_(name)) {
          // Variables that each use another several times grow exponentially: a sheet of a
          // few lines could ask for gigabytes. No real value comes near this.
          if (out.size() + value->size() > kMaxSubstitutedBytes) {
            missing = "the value grows past " + std::to_string(kMaxSubstitutedBytes) +
                      " bytes once var() is replaced";
            return false;
          }
          append(out, *value);
        } else if (fallback <= v.children.size()) {
          if (!run(v.children, fallback, out)) return false;
        } else {
          missing = name;
          return false;
        }
        continue;
      }
      if (v.kind == ComponentValue::Kind::Token) {
        append(out, slice(v.token.begin, v.token.end));
        continue;
      }
      append(out, slice(v.token.begin, v.token.end));  // "name(", "(", "[" or "{"
      if (!run(v.children, 0, out)) return false;
      if (v.closed) append(out, slice(v.end - 1, v.end));
    }
    return true;
  }

  std::string missing;

 private:
  std::string_view slice(uint32_t b, uint32_t e) const {
    if (b < p_.base || e < b || e - p_.base > p_.text.size()) return {};
    return std::string_view(p_.text).substr(b - p_.base, e - b);
  }

  const PendingValue& p_;
  const VarLookup& lookup_;
};

void collect_refs(const ComponentValues& values, std::vector<std::string>& out) {
  for (const ComponentValue& v : values) {
    if (v.is_function("var")) {
      std::string name;
      size_t fallback = 0;
      if (parse_var(v, name, fallback)) out.push_back(name);
    }
    collect_refs(v.children, out);
  }
}

}  // namespace

bool contains_var(const ComponentValues& values) {
  for (const ComponentValue& v : values)
    if (v.is_function("var") || contains_var(v.children)) return true;
  return false;
}

std::shared_ptr<const PendingValue> make_pending(const css::Declaration& d, DeclContext where,
                                                 const css::ParseContext& ctx) {
  auto p = std::make_shared<PendingValue>();
  p->property = d.name.value.starts_with("--") ? d.name.value : css::ascii_lower(d.name.value);
  p->where = where;
  p->values = d.value;
  p->name_pos = ctx.pos(d.name);
  p->value_pos = d.value.empty() ? p->name_pos : ctx.pos(d.value.front());
  if (!d.value.empty()) {
    p->base = d.value.front().begin();
    uint32_t end = d.value.back().kind == ComponentValue::Kind::Token ? d.value.back().token.end
                                                                     : d.value.back().end;
    if (end > p->base && end <= ctx.source.size())
      p->text = std::string(ctx.source.substr(p->base, end - p->base));
  }
  return p;
}

bool substitute_vars(const PendingValue& p, const VarLookup& lookup, std::string& out,
                     std::string& missing) {
  Substituter s(p, lookup);
  out.clear();
  bool ok = s.run(p.values, 0, out);
  missing = s.missing;
  return ok;
}

void var_references(const PendingValue& p, std::vector<std::string>& out) {
  collect_refs(p.values, out);
}

void compile_substituted(const PendingValue& p, const std::string& text, bool important,
                         Diagnostics& diags, std::vector<PropertyDeclaration>& out) {
  // The value is read as if it stood in a rule of its own, so that the grammars, shorthands
  // and messages are the ones a value written out in full gets.
  std::string source = "x{" + p.property + ":" + text + "}";
  const std::string& file = p.value_pos.file;
  Diagnostics local;
  css::ParseContext ctx{source, file, local};
  std::vector<css::Rule> rules = css::parse_rules(css::tokenize(source, file, local), ctx);
  std::vector<css::Declaration> decls;
  std::vector<css::Rule> nested;
  if (rules.size() == 1) css::parse_declarations(rules[0].block, ctx, decls, nested);
  size_t first = out.size();
  if (decls.size() == 1 && nested.empty() && !local.has_errors()) {
    decls[0].important = important;
    compile_declaration(decls[0], p.where, ctx, out);
  } else {
    local.warning("css-invalid-value", {}, "invalid value for '" + p.property + "': '" + text + "'");
  }
  for (size_t i = first; i < out.size(); ++i) {
    out[i].name_pos = p.name_pos;
    out[i].value_pos = p.value_pos;
  }
  for (Diagnostic d : local.all()) {
    d.pos = p.value_pos;
    d.severity = Diagnostic::Severity::Warning;  // a value dropped, as at parse time
    d.message += " (after var() substitution)";
    diags.add(std::move(d));
  }
}

}  // namespace trang::style
