// The grammars of generated content: content (CSS Content 3 §2, CSS GCPM 3 for margin boxes),
// counter-reset, counter-increment and counter-set (CSS Lists 3 §4), quotes (CSS Content 3 §3)
// and the list-style shorthand (CSS Lists 3 §3.4).
#include "style/decl_compiler.h"

namespace trang::style {

namespace {

// The counter style a name gives, from the list-style-type row of the table (one list of
// counter style names for both).
bool counter_style_named(const std::string& name, CounterStyle& out) {
  const PropertyHandler& how = property_def(PropertyId::ListStyleType).how;
  int i = how.index_of(name);
  if (i < 0) return false;
  out = static_cast<CounterStyle>(how.keywords[static_cast<size_t>(i)].value);
  return true;
}

}  // namespace

// One content item. Everywhere: a string, attr(name); in string-set: content(text); in margin
// boxes: counter(page), counter(pages), string(name[, which]); in ::before, ::after and
// ::marker: counter(), counters() and the quotes.
bool DeclCompiler::content_item(const ComponentValue& t, ContentUse use, ContentItem& out) {
  if (t.is(TokenType::String)) {
    out.kind = ContentItem::Kind::Literal;
    out.value = t.token.value;
    return true;
  }
  if (t.is(TokenType::Ident) && use == ContentUse::Element) {
    constexpr std::pair<std::string_view, ContentItem::Kind> kQuotes[] = {
        {"open-quote", ContentItem::Kind::OpenQuote},
        {"close-quote", ContentItem::Kind::CloseQuote},
        {"no-open-quote", ContentItem::Kind::NoOpenQuote},
        {"no-close-quote", ContentItem::Kind::NoCloseQuote}};
    for (const auto& [name, kind] : kQuotes)
      if (t.is_ident(name)) {
        out.kind = kind;
        return true;
      }
  }
  if (t.kind != ComponentValue::Kind::Function) return invalid();
  std::vector<const ComponentValue*> args;
  for (const ComponentValue& c : t.children)
    if (!c.is_whitespace()) args.push_back(&c);
  auto ident_arg = [&](size_t k) -> const std::string* {
    return k < args.size() && args[k]->is(TokenType::Ident) ? &args[k]->token.value : nullptr;
  };
  auto comma_at = [&](size_t k) { return k < args.size() && args[k]->is(TokenType::Comma); };
  if (t.is_function("attr")) {
    if (args.size() != 1 || !ident_arg(0)) return invalid("attr() takes an attribute name");
    out.kind = ContentItem::Kind::Attr;
    out.value = *ident_arg(0);
    return true;
  }
  if (t.is_function("content")) {
    if (use != ContentUse::StringSet && use != ContentUse::MarginBox)
      return invalid("content() is for string-set");
    if (!(args.empty() || (args.size() == 1 && args[0]->is_ident("text"))))
      return invalid("content() takes only 'text' here");
    out.kind = ContentItem::Kind::ElementText;
    return true;
  }
  if (use == ContentUse::StringSet)
    return invalid(t.token.value + "() is not available in string-set; use content(text), "
                                   "attr(name) or a string");
  if (t.is_function("counter") || t.is_function("counters")) {
    bool plural = t.is_function("counters");
    const std::string* name = ident_arg(0);
    if (!name) return invalid(t.token.value + "() takes a counter name first");
    bool page = css::equals_ignore_case(*name, "page") || css::equals_ignore_case(*name, "pages");
    if (use == ContentUse::MarginBox && (plural || !page))
      return invalid("margin boxes count pages: counter(page) and counter(pages)");
    if (use == ContentUse::Element && page)
      return invalid("counter(" + *name + ") counts pages in page margin boxes only");
    size_t k = 1;
    if (plural) {
      if (!comma_at(1) || k + 1 >= args.size() || !args[2]->is(TokenType::String))
        return invalid("expected counters(name, \".\") or counters(name, \".\", lower-roman)");
      out.separator = args[2]->token.value;
      k = 3;
    }
    if (comma_at(k)) {
      const std::string* st = ident_arg(k + 1);
      if (!st || !counter_style_named(*st, out.counter_style) || k + 2 != args.size())
        return invalid("counter styles are decimal, lower-roman, upper-roman, lower-alpha, "
                       "upper-alpha, disc, circle, square and none");
    } else if (k != args.size()) {
      return invalid("expected " + t.token.value + "(name) or " + t.token.value +
                     "(name, lower-roman)");
    }
    if (page)
      out.kind = css::equals_ignore_case(*name, "page") ? ContentItem::Kind::CounterPage
                                                         : ContentItem::Kind::CounterPages;
    else
      out.kind = plural ? ContentItem::Kind::Counters : ContentItem::Kind::Counter;
    if (!page) out.value = *name;
    return true;
  }
  if (t.is_function("string") && use == ContentUse::MarginBox) {
    const std::string* name = ident_arg(0);
    if (!name) return invalid("string() takes the name of a string-set");
    out.kind = ContentItem::Kind::String;
    out.value = *name;
    if (args.size() == 3 && comma_at(1) && ident_arg(2)) {
      static constexpr std::pair<std::string_view, ContentItem::Which> kWhich[] = {
          {"first", ContentItem::Which::First}, {"start", ContentItem::Which::Start},
          {"last", ContentItem::Which::Last}, {"first-except", ContentItem::Which::FirstExcept}};
      bool found = false;
      for (const auto& [n, w] : kWhich)
        if (css::equals_ignore_case(*ident_arg(2), n)) out.which = w, found = true;
      if (!found) return invalid("expected first, start, last or first-except");
    } else if (args.size() != 1) {
      return invalid("expected string(name) or string(name, first)");
    }
    return true;
  }
  if (t.is_function("string"))
    return invalid("string() is available in page margin boxes only");
  return invalid(t.token.value + "() is not supported in content");
}

// CSS Content 3 §2: normal | none | <content-list>.
bool DeclCompiler::parse_content(Value& v) {
  v.kind = Value::Kind::Content;
  if (terms_.size() == 1 && (terms_[0]->is_ident("none") || terms_[0]->is_ident("normal"))) {
    v.kind = Value::Kind::Keyword;
    v.keyword = terms_[0]->is_ident("normal") ? kw::kContentNormal : kw::kNone;
    return true;
  }
  ContentUse use = where_ == DeclContext::MarginBox ? ContentUse::MarginBox : ContentUse::Element;
  for (const ComponentValue* t : terms_) {
    ContentItem item;
    if (!content_item(*t, use, item)) return false;
    v.content.push_back(std::move(item));
  }
  return true;
}

// CSS Lists 3 §4.1-4.3: none | [ <counter-name> <integer>? ]+, the integer defaulting to
// `dflt` (0 for reset and set, 1 for increment).
bool DeclCompiler::parse_counter_changes(Value& v, int dflt) {
  v.kind = Value::Kind::Counters;
  if (terms_.size() == 1 && terms_[0]->is_ident("none")) return true;
  for (size_t i = 0; i < terms_.size(); ++i) {
    const ComponentValue& t = *terms_[i];
    if (!t.is(TokenType::Ident)) return invalid("expected a counter name, then a whole number");
    for (std::string_view bad : {"none", "initial", "inherit", "unset", "default"})
      if (t.is_ident(bad)) return invalid("'" + t.token.value + "' cannot name a counter");
    CounterChange c{t.token.value, dflt};
    if (i + 1 < terms_.size() && terms_[i + 1]->is(TokenType::Number)) {
      const ComponentValue& n = *terms_[++i];
      if (!n.token.integer) return invalid("a counter changes by a whole number");
      if (std::abs(n.token.number) > 1e9) return invalid("at most a billion");
      c.value = static_cast<int>(n.token.number);
    }
    v.counters.push_back(std::move(c));
  }
  return true;
}

// CSS Content 3 §3.1: auto | none | [ <string> <string> ]+.
bool DeclCompiler::parse_quotes(Value& v) {
  v.kind = Value::Kind::Strings;
  if (terms_.size() == 1 && terms_[0]->is_ident("auto")) return true;
  if (terms_.size() == 1 && terms_[0]->is_ident("none")) {
    v.families = {"", ""};  // quotes that print nothing
    return true;
  }
  if (terms_.size() % 2 != 0) return invalid("quotes come in pairs: open, close");
  for (const ComponentValue* t : terms_) {
    if (!t->is(TokenType::String)) return invalid("quotes are strings");
    v.families.push_back(t->token.value);
  }
  return true;
}

// CSS Lists 3 §3.4: <list-style-position> || <list-style-image> || <list-style-type>. Markers
// are set at the start of the item's first line (inside, in effect) and are never images:
// position and image warn, the type takes effect.
void DeclCompiler::parse_list_style() {
  Value type;
  type.kind = Value::Kind::Keyword;
  type.keyword = static_cast<int>(CounterStyle::Disc);
  bool have_type = false;
  for (const ComponentValue* t : terms_) {
    if (t->is_ident("inside") || t->is_ident("outside") || t->is_function("url") ||
        t->is(TokenType::Url)) {
      warn(ctx_.pos(*t),
           css::source_text(*t, ctx_) + " in list-style is not supported (ignored): "
               "the marker is text at the start of the item's first line",
           {}, "css-invalid-value");
      continue;
    }
    CounterStyle st;
    if (have_type || !t->is(TokenType::Ident) || !counter_style_named(t->token.value, st)) {
      invalid();
      return;
    }
    type.keyword = static_cast<int>(st);
    have_type = true;
  }
  emit(PropertyId::ListStyleType, type);
}

}  // namespace trang::style
