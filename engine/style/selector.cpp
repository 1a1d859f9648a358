// Selectors Level 3 (and Level 4's selector-list pseudo-classes): parsing a selector list from
// component values, matching it right to left, and specificity (§9). Section numbers are
// Selectors 3's unless noted.
#include "style/selector.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "style/suggest.h"

namespace trang::style {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

Specificity Specificity::of(int ids, int classes, int types) {
  auto sat = [](int v) { return static_cast<uint32_t>(std::clamp(v, 0, 255)); };
  return Specificity{sat(ids) << 16 | sat(classes) << 8 | sat(types)};
}

const std::vector<std::string_view>& known_element_names() {
  // Mirrors the element names of model::Kind (model.cpp's kElementNames).
  static const std::vector<std::string_view> kNames = {
      "article", "kicker",    "headline", "lead",  "byline", "dateline", "body",
      "p",       "subhead",   "pullquote", "list", "item",   "box",      "title",
      "figure",  "image",     "caption",  "credit", "em",    "strong",   "a",
      "br",      "table",     "thead",    "tbody", "tfoot",  "tr",       "th",
      "td",
      // A publication's own elements (layout/publication.h).
      "publication", "masthead", "masthead-title", "masthead-tagline", "masthead-issue",
      "contents", "contents-title", "contents-entry", "jump-to", "jump-from", "continued-head"};
  return kNames;
}

namespace {

struct PseudoName {
  std::string_view name;
  PseudoClass pseudo;
};
constexpr PseudoName kPseudoClasses[] = {
    {"first-child", PseudoClass::FirstChild},   {"last-child", PseudoClass::LastChild},
    {"only-child", PseudoClass::OnlyChild},     {"first-of-type", PseudoClass::FirstOfType},
    {"last-of-type", PseudoClass::LastOfType},  {"only-of-type", PseudoClass::OnlyOfType},
    {"root", PseudoClass::Root},                {"empty", PseudoClass::Empty},
};

// Selectors 4 §14.4: the pseudo-classes that take An+B.
struct NthName {
  std::string_view name;
  NthSelector::Kind kind;
};
constexpr NthName kNthPseudoClasses[] = {
    {"nth-child", NthSelector::Kind::Child},
    {"nth-last-child", NthSelector::Kind::LastChild},
    {"nth-of-type", NthSelector::Kind::OfType},
    {"nth-last-of-type", NthSelector::Kind::LastOfType},
};

// Selectors 4 §4: the pseudo-classes that take a selector list.
struct LogicalName {
  std::string_view name;
  LogicalSelector::Kind kind;
};
constexpr LogicalName kLogicalPseudoClasses[] = {
    {"not", LogicalSelector::Kind::Not},
    {"is", LogicalSelector::Kind::Is},
    {"where", LogicalSelector::Kind::Where},
};

// Selector arguments nest at most this deep (`:not(:is(...))` is two), which bounds the cost
// of matching one element.
constexpr int kMaxArgumentDepth = 4;

// Pseudo-classes and pseudo-elements CSS defines that trang does not match: named, they get
// "not supported" rather than "unknown", and they are the pool of "did you mean" hints.
constexpr std::string_view kOtherPseudoClasses[] = {
    "has", "lang", "dir", "hover", "active", "focus", "focus-visible",
    "focus-within", "visited", "link", "any-link", "target", "checked", "disabled", "enabled",
    "first", "left", "right", "blank", "defined", "scope", "placeholder-shown"};
constexpr std::string_view kPseudoElements[] = {
    "first-letter", "first-line", "before", "after", "marker", "selection", "placeholder",
    "backdrop", "footnote-call", "footnote-marker"};

// Parses one selector list; on the first problem reports it and stops. Every problem drops
// the rule, as CSS does (Selectors 4 §3.1 "invalid selector"), and is a warning: the rest of
// the sheet applies.
class SelectorParser {
 public:
  explicit SelectorParser(const css::ParseContext& ctx) : ctx_(ctx) {}

  // The selector list `v[begin, end)`: a rule's prelude, or the argument of :not() and kin.
  bool parse_list(const ComponentValues& v, size_t begin, size_t end,
                  std::vector<ComplexSelector>& out) {
    size_t start = begin;
    for (size_t i = begin; i <= end; ++i) {
      if (i < end && !v[i].is(TokenType::Comma)) continue;
      size_t b = start, e = i;
      while (b < e && v[b].is_whitespace()) ++b;
      while (e > b && v[e - 1].is_whitespace()) --e;
      if (b == e) {
        if (i < end) return error(v[i], "expected a selector before ','");
        if (start > begin) return error(v[start - 1], "expected a selector after ','");
        return error_at(prelude_pos_, "expected a selector before '{'");
      }
      ComplexSelector s;
      if (!parse_complex(v, b, e, s)) return false;
      out.push_back(std::move(s));
      start = i + 1;
    }
    return true;
  }

  void set_fallback_position(SourcePos p) { prelude_pos_ = std::move(p); }

 private:
  bool error(const ComponentValue& at, const std::string& msg, const std::string& hint = {}) {
    return error_at(ctx_.pos(at), msg, hint);
  }
  bool error_at(SourcePos p, const std::string& msg, const std::string& hint = {}) {
    ctx_.diags.warning("css-bad-selector", std::move(p), msg + " (" + dropped_ + ")", hint);
    return false;
  }
  bool unsupported(const ComponentValue& at, const std::string& msg,
                   const std::string& hint = {}, const char* code = "css-unsupported-selector") {
    ctx_.diags.warning(code, ctx_.pos(at), msg + " (" + dropped_ + ")", hint);
    return false;
  }
  static std::vector<std::string_view> pseudo_class_names() {
    std::vector<std::string_view> names;
    for (const PseudoName& p : kPseudoClasses) names.push_back(p.name);
    for (const NthName& p : kNthPseudoClasses) names.push_back(p.name);
    for (const LogicalName& p : kLogicalPseudoClasses) names.push_back(p.name);
    names.insert(names.end(), std::begin(kOtherPseudoClasses), std::end(kOtherPseudoClasses));
    return names;
  }
  static bool listed(std::string_view name, const auto& names) {
    return std::any_of(std::begin(names), std::end(names),
                       [&](std::string_view n) { return css::equals_ignore_case(name, n); });
  }
  bool unexpected(const ComponentValue& at) {
    if (at.is(TokenType::RightBrace))
      return error(at, "unexpected '}' (no block is open)",
                   "remove it, or check the braces before it");
    if (at.is(TokenType::BadString) || at.is(TokenType::BadUrl)) return false;  // reported
    return error(at, "unexpected " + css::source_text(at, ctx_) + " in selector");
  }

  // complex := compound (combinator compound)*   (§5, §8)
  bool parse_complex(const ComponentValues& v, size_t i, size_t end, ComplexSelector& s) {
    for (;;) {
      CompoundSelector c;
      if (!parse_compound(v, i, end, c)) return false;
      s.compounds.push_back(std::move(c));
      bool space = false;
      while (i < end && v[i].is_whitespace()) {
        space = true;
        ++i;
      }
      if (i == end) break;
      Combinator comb;
      if (v[i].is_delim('>')) comb = Combinator::Child;
      else if (v[i].is_delim('+')) comb = Combinator::NextSibling;
      else if (v[i].is_delim('~')) comb = Combinator::SubsequentSibling;
      else if (space) comb = Combinator::Descendant;
      else return unexpected(v[i]);
      // As with :nth-*() there: each counted sibling would scan its own siblings.
      if (in_of_ && (comb == Combinator::NextSibling || comb == Combinator::SubsequentSibling))
        return unsupported(v[i], "'+' and '~' inside the 'of' of ':nth-child()' are not "
                                 "supported");
      if (comb != Combinator::Descendant) {
        const ComponentValue& at = v[i];
        ++i;
        while (i < end && v[i].is_whitespace()) ++i;
        if (i == end)
          return error(at, "selector ends with the combinator " + css::source_text(at, ctx_));
      }
      s.combinators.push_back(comb);
    }
    // §9: a = ids, b = classes + attributes + pseudo-classes, c = type selectors and
    // pseudo-elements. A pseudo-element ends the selector.
    for (size_t k = 0; k + 1 < s.compounds.size(); ++k)
      if (s.compounds[k].pseudo_element != PseudoElement::None)
        return error_at(prelude_pos_, "a pseudo-element must come last in a selector");
    s.pseudo_element = s.compounds.back().pseudo_element;
    int a = 0, b = 0, c = s.pseudo_element != PseudoElement::None ? 1 : 0;
    for (const CompoundSelector& k : s.compounds) add_specificity(k, a, b, c);
    s.specificity = Specificity::of(a, b, c);
    return true;
  }

  // compound := [type | '*'] (#id | .class | [attr] | :pseudo)*   (§5: "sequence of simple
  // selectors"); at least one simple selector.
  bool parse_compound(const ComponentValues& v, size_t& i, size_t end, CompoundSelector& c) {
    size_t first = i;
    if (i < end && v[i].is(TokenType::Ident)) {
      c.type = v[i].token.value;
      check_element_name(v[i]);
      ++i;
    } else if (i < end && v[i].is_delim('*')) {
      ++i;
    }
    if (i < end && v[i].is_delim('|'))
      return unsupported(v[i], "namespace prefixes in selectors are not supported");
    while (i < end) {
      const ComponentValue& x = v[i];
      if (x.is(TokenType::Hash)) {
        if (!x.token.id_hash)
          return error(x, css::source_text(x, ctx_) + " is not a valid id selector",
                       "an id cannot start with a digit");
        c.ids.push_back(x.token.value);
        ++i;
      } else if (x.is_delim('.')) {
        if (i + 1 >= end || !v[i + 1].is(TokenType::Ident))
          return error(x, "expected a class name after '.'");
        c.classes.push_back(v[i + 1].token.value);
        i += 2;
      } else if (x.is_block(TokenType::LeftBracket)) {
        AttrSelector a;
        if (!parse_attribute(x, a)) return false;
        c.attrs.push_back(std::move(a));
        ++i;
      } else if (x.is(TokenType::Colon)) {
        if (!parse_pseudo(v, i, end, c)) return false;
      } else {
        break;
      }
    }
    if (i == first) {
      if (i < end && !v[i].is(TokenType::RightBrace) && !v[i].is(TokenType::BadString) &&
          !v[i].is(TokenType::BadUrl))
        return error(v[i], "expected a selector, found " + css::source_text(v[i], ctx_));
      return unexpected(v[i]);
    }
    return true;
  }

  // Type selectors are matched case-sensitively (the article is XML, Selectors 3 §4), so a
  // misspelt or capitalised element name silently matches nothing: warn.
  void check_element_name(const ComponentValue& x) {
    const std::string& name = x.token.value;
    const auto& known = known_element_names();
    if (std::find(known.begin(), known.end(), name) != known.end()) return;
    ctx_.diags.warning("css-unknown-element", ctx_.pos(x),
                       "unknown element '" + name + "' in selector",
                       did_you_mean(name, known));
  }

  // attrib := '[' ident [ op (ident | string) [i|s] ] ']'   (§6.3)
  bool parse_attribute(const ComponentValue& block, AttrSelector& a) {
    const ComponentValues& v = block.children;
    size_t i = 0, n = v.size();
    auto skip_ws = [&] {
      while (i < n && v[i].is_whitespace()) ++i;
    };
    auto bad = [&](const std::string& why) {
      return error(block, "invalid attribute selector " + css::source_text(block, ctx_) + ": " +
                              why);
    };
    skip_ws();
    if (i >= n || !v[i].is(TokenType::Ident)) return bad("expected an attribute name");
    a.name = v[i++].token.value;
    skip_ws();
    if (i >= n) {
      a.op = AttrOp::Exists;
      return true;
    }
    if (v[i].is_delim('=')) {
      a.op = AttrOp::Equals;
      ++i;
    } else if (i + 1 < n && v[i + 1].is_delim('=') && v[i].is(TokenType::Delim)) {
      switch (v[i].token.delim) {
        case '~': a.op = AttrOp::Includes; break;
        case '|': a.op = AttrOp::DashMatch; break;
        case '^': a.op = AttrOp::Prefix; break;
        case '$': a.op = AttrOp::Suffix; break;
        case '*': a.op = AttrOp::Substring; break;
        default: return bad("unknown operator");
      }
      i += 2;
    } else {
      return bad("expected '=', '~=', '|=', '^=', '$=', '*=' or ']'");
    }
    skip_ws();
    if (i >= n || !(v[i].is(TokenType::Ident) || v[i].is(TokenType::String)))
      return bad("expected a value (a name or a quoted string)");
    a.value = v[i++].token.value;
    skip_ws();
    if (i < n && (v[i].is_ident("i") || v[i].is_ident("s"))) {
      a.ignore_case = v[i].is_ident("i");
      ++i;
      skip_ws();
    }
    if (i < n) return bad("unexpected " + css::source_text(v[i], ctx_));
    return true;
  }

  // ':' pseudo-class, '::' pseudo-element (§6.6, §7).
  bool parse_pseudo(const ComponentValues& v, size_t& i, size_t end, CompoundSelector& c) {
    const ComponentValue& colon = v[i];
    ++i;
    if (i < end && v[i].is(TokenType::Colon)) {
      ++i;
      std::string name = i < end && v[i].is(TokenType::Ident) ? v[i].token.value : std::string();
      PseudoElement pe = css::equals_ignore_case(name, "first-letter") ? PseudoElement::FirstLetter
                         : css::equals_ignore_case(name, "first-line") ? PseudoElement::FirstLine
                                                                       : PseudoElement::None;
      if (pe == PseudoElement::None) {
        if (listed(name, kPseudoElements))
          return unsupported(colon, "pseudo-element '::" + name + "' is not supported");
        return unsupported(colon, "unknown pseudo-element '::" + name + "'",
                           did_you_mean(name, std::vector<std::string_view>(
                                                  std::begin(kPseudoElements),
                                                  std::end(kPseudoElements))),
                           "css-unknown-pseudo-element");
      }
      ++i;
      if (c.pseudo_element != PseudoElement::None)
        return error(colon, "a selector has at most one pseudo-element");
      c.pseudo_element = pe;
      return true;
    }
    if (c.pseudo_element != PseudoElement::None)
      return error(colon, "nothing may follow a pseudo-element in a selector");
    if (i < end && v[i].kind == ComponentValue::Kind::Function)
      return parse_functional(colon, v[i++], c);
    if (i >= end || !v[i].is(TokenType::Ident))
      return error(colon, "expected a pseudo-class name after ':'");
    const std::string& name = v[i].token.value;
    for (const PseudoName& p : kPseudoClasses) {
      if (css::equals_ignore_case(name, p.name)) {
        c.pseudos.push_back(p.pseudo);
        ++i;
        return true;
      }
    }
    // Old single-colon pseudo-elements (CSS 2.1 §5.12).
    if (css::equals_ignore_case(name, "first-letter") || css::equals_ignore_case(name, "first-line")) {
      c.pseudo_element = css::equals_ignore_case(name, "first-letter") ? PseudoElement::FirstLetter
                                                                      : PseudoElement::FirstLine;
      ++i;
      return true;
    }
    for (std::string_view pe : {"before", "after"})
      if (css::equals_ignore_case(name, pe))
        return unsupported(colon, "pseudo-element ':" + name + "' is not supported");
    if (functional(name))
      return error(colon, "':" + name + "' needs an argument",
                   "write ':" + css::ascii_lower(name) + "(...)'");
    if (listed(name, kOtherPseudoClasses))
      return unsupported(colon, "unsupported pseudo-class ':" + name + "'");
    return unsupported(colon, "unknown pseudo-class ':" + name + "'",
                       did_you_mean(name, pseudo_class_names()), "css-unknown-pseudo-class");
  }

  static bool functional(std::string_view name) {
    return std::any_of(std::begin(kNthPseudoClasses), std::end(kNthPseudoClasses),
                       [&](const NthName& n) { return css::equals_ignore_case(name, n.name); }) ||
           std::any_of(std::begin(kLogicalPseudoClasses), std::end(kLogicalPseudoClasses),
                       [&](const LogicalName& n) { return css::equals_ignore_case(name, n.name); });
  }

  // ':' name '(' argument ')': An+B or a selector list (Selectors 4 §4, §14.4).
  bool parse_functional(const ComponentValue& colon, const ComponentValue& fn,
                        CompoundSelector& c) {
    const std::string name = css::ascii_lower(fn.token.value);
    for (const NthName& k : kNthPseudoClasses) {
      if (name != k.name) continue;
      // Each sibling counted would count its own siblings: a cost that grows with their cube.
      if (in_of_)
        return unsupported(colon, "':" + name + "()' inside the 'of' of ':nth-child()' is not "
                                  "supported");
      NthSelector nth{.kind = k.kind};
      if (!parse_nth(fn, nth)) return false;
      c.nths.push_back(std::move(nth));
      return true;
    }
    for (const LogicalName& k : kLogicalPseudoClasses) {
      if (name != k.name) continue;
      LogicalSelector l{.kind = k.kind};
      bool ok = k.kind == LogicalSelector::Kind::Not
                    ? parse_argument(fn, 0, fn.children.size(), l.args)
                    : parse_forgiving(fn, l.args);
      if (!ok) return false;
      c.logicals.push_back(std::move(l));
      return true;
    }
    if (std::any_of(std::begin(kPseudoClasses), std::end(kPseudoClasses),
                    [&](const PseudoName& p) { return name == p.name; }))
      return error(colon, "':" + name + "' takes no argument", "write ':" + name + "'");
    if (listed(name, kOtherPseudoClasses))
      return unsupported(colon, "unsupported pseudo-class ':" + fn.token.value + "()'");
    return unsupported(colon, "unknown pseudo-class ':" + fn.token.value + "()'",
                       did_you_mean(fn.token.value, pseudo_class_names()),
                       "css-unknown-pseudo-class");
  }

  // An+B [of S]; `of S` only in :nth-child() and :nth-last-child() (Selectors 4 §14.4).
  bool parse_nth(const ComponentValue& fn, NthSelector& nth) {
    const ComponentValues& v = fn.children;
    const std::string name = ":" + css::ascii_lower(fn.token.value) + "()";
    size_t of = 0;
    while (of < v.size() && !v[of].is_ident("of")) ++of;
    size_t first = 0;
    while (first < of && v[first].is_whitespace()) ++first;
    const ComponentValue& at = first < of ? v[first] : fn;
    if (!parse_an_plus_b(v, 0, of, ctx_.source, nth.an_b)) {
      std::string text = css::source_text(ComponentValues(v.begin(), v.begin() + of), ctx_);
      return error(at, first == of ? "expected An+B in '" + name + "'"
                                   : "invalid An+B " + text + " in '" + name + "'",
                   "write odd, even, 3, 2n+1 or -n+3");
    }
    if (of == v.size()) return true;
    if (nth.kind == NthSelector::Kind::OfType || nth.kind == NthSelector::Kind::LastOfType)
      return error(v[of], "'of' is allowed only in ':nth-child()' and ':nth-last-child()'");
    in_of_ = true;
    bool ok = parse_argument(fn, of + 1, v.size(), nth.of);
    in_of_ = false;
    return ok;
  }

  // The selector list argument `fn.children[begin, end)`: complex selectors, no
  // pseudo-elements (Selectors 4 §3.6.1).
  bool parse_argument(const ComponentValue& fn, size_t begin, size_t end,
                      std::vector<ComplexSelector>& out) {
    const ComponentValues& v = fn.children;
    const std::string name = ":" + css::ascii_lower(fn.token.value) + "()";
    size_t first = begin;
    while (first < end && v[first].is_whitespace()) ++first;
    if (first == end) return error(fn, "expected a selector in '" + name + "'");
    if (depth_ >= kMaxArgumentDepth)
      return unsupported(fn, "selectors nested more than " + std::to_string(kMaxArgumentDepth) +
                                 " deep are not supported");
    ++depth_;
    bool ok = parse_list(v, first, end, out);
    --depth_;
    if (!ok) return false;
    for (const ComplexSelector& s : out)
      if (s.pseudo_element != PseudoElement::None)
        return error(v[first], "a pseudo-element cannot be inside '" + name + "'");
    return true;
  }

  // Selectors 4 §4.2 <forgiving-selector-list>: in :is() and :where() a selector that is not
  // valid (or not supported) is dropped with a warning and the others stay; if none stays, the
  // pseudo-class matches nothing. An empty argument still drops the rule.
  bool parse_forgiving(const ComponentValue& fn, std::vector<ComplexSelector>& out) {
    const ComponentValues& v = fn.children;
    if (std::all_of(v.begin(), v.end(), [](const ComponentValue& x) { return x.is_whitespace(); }))
      return parse_argument(fn, 0, v.size(), out);
    std::string outer =
        std::exchange(dropped_, "dropped from ':" + css::ascii_lower(fn.token.value) + "()'");
    size_t start = 0;
    for (size_t i = 0; i <= v.size(); ++i) {
      if (i < v.size() && !v[i].is(TokenType::Comma)) continue;
      bool blank = std::all_of(v.begin() + start, v.begin() + i,
                               [](const ComponentValue& x) { return x.is_whitespace(); });
      std::vector<ComplexSelector> item;
      if (blank && i < v.size()) error(v[i], "expected a selector before ','");
      else if (blank) error(v[start - 1], "expected a selector after ','");
      else if (parse_argument(fn, start, i, item))
        out.insert(out.end(), std::make_move_iterator(item.begin()),
                   std::make_move_iterator(item.end()));
      start = i + 1;
    }
    dropped_ = std::move(outer);
    return true;
  }

  // Selectors 4 §16: :is() and :not() count as their most specific argument,
  // :nth-child(An+B of S) as a pseudo-class plus the most specific of S, :where() as nothing.
  static void add_specificity(const CompoundSelector& k, int& a, int& b, int& c) {
    a += static_cast<int>(k.ids.size());
    b += static_cast<int>(k.classes.size() + k.attrs.size() + k.pseudos.size() + k.nths.size());
    c += k.type.empty() ? 0 : 1;
    auto add_most_specific = [&](const std::vector<ComplexSelector>& list) {
      Specificity most;
      for (const ComplexSelector& s : list) most = std::max(most, s.specificity);
      a += most.ids();
      b += most.classes();
      c += most.types();
    };
    for (const NthSelector& n : k.nths) add_most_specific(n.of);
    for (const LogicalSelector& l : k.logicals)
      if (l.kind != LogicalSelector::Kind::Where) add_most_specific(l.args);
  }

  const css::ParseContext& ctx_;
  SourcePos prelude_pos_;
  std::string dropped_ = "rule ignored";  // what a problem costs: the rule, or one argument
  int depth_ = 0;       // selector arguments open around the one being parsed
  bool in_of_ = false;  // inside the `of S` of an :nth-child()
};

bool is_element(const model::Node& n) { return n.kind != model::Kind::Text; }

const std::string* attribute(const model::Node& n, std::string_view name) {
  for (const auto& [k, v] : n.attributes)
    if (k == name) return &v;
  return nullptr;
}

bool equal_maybe_ignore_case(std::string_view a, std::string_view b, bool ignore_case) {
  return ignore_case ? css::equals_ignore_case(a, b) : a == b;
}

bool match_attr(const AttrSelector& s, const model::Node& n) {
  const std::string* value = attribute(n, s.name);
  if (!value) return false;
  std::string_view v = *value, w = s.value;
  bool ic = s.ignore_case;
  switch (s.op) {
    case AttrOp::Exists: return true;
    case AttrOp::Equals: return equal_maybe_ignore_case(v, w, ic);
    case AttrOp::Includes: {
      if (w.empty() || w.find_first_of(" \t\n") != std::string_view::npos) return false;
      size_t p = 0;
      while (p < v.size()) {
        size_t q = v.find_first_of(" \t\n\r\f", p);
        if (q == std::string_view::npos) q = v.size();
        if (equal_maybe_ignore_case(v.substr(p, q - p), w, ic)) return true;
        p = q + 1;
      }
      return false;
    }
    case AttrOp::DashMatch:
      return equal_maybe_ignore_case(v, w, ic) ||
             (v.size() > w.size() && v[w.size()] == '-' &&
              equal_maybe_ignore_case(v.substr(0, w.size()), w, ic));
    case AttrOp::Prefix:
      return !w.empty() && v.size() >= w.size() &&
             equal_maybe_ignore_case(v.substr(0, w.size()), w, ic);
    case AttrOp::Suffix:
      return !w.empty() && v.size() >= w.size() &&
             equal_maybe_ignore_case(v.substr(v.size() - w.size()), w, ic);
    case AttrOp::Substring:
      if (w.empty()) return false;
      if (!ic) return v.find(w) != std::string_view::npos;
      for (size_t p = 0; p + w.size() <= v.size(); ++p)
        if (css::equals_ignore_case(v.substr(p, w.size()), w)) return true;
      return false;
  }
  return false;
}

// Element siblings of `e` before and after it, optionally only those of its own type.
bool has_sibling(const ElementRef& e, bool before, bool same_type) {
  if (!e.parent) return false;
  const auto& kids = e.parent->node->children;
  auto pred = [&](const model::Node& s) {
    return is_element(s) && (!same_type || s.name == e.node->name);
  };
  if (before) {
    for (size_t j = 0; j < e.index; ++j)
      if (pred(kids[j])) return true;
  } else {
    for (size_t j = e.index + 1; j < kids.size(); ++j)
      if (pred(kids[j])) return true;
  }
  return false;
}

bool match_pseudo(PseudoClass p, const ElementRef& e) {
  switch (p) {
    case PseudoClass::FirstChild: return !has_sibling(e, true, false);
    case PseudoClass::LastChild: return !has_sibling(e, false, false);
    case PseudoClass::OnlyChild:
      return !has_sibling(e, true, false) && !has_sibling(e, false, false);
    case PseudoClass::FirstOfType: return !has_sibling(e, true, true);
    case PseudoClass::LastOfType: return !has_sibling(e, false, true);
    case PseudoClass::OnlyOfType:
      return !has_sibling(e, true, true) && !has_sibling(e, false, true);
    case PseudoClass::Root: return e.parent == nullptr;
    case PseudoClass::Empty:
      // Selectors 4 §14.2: no element children and no text but document white space.
      for (const model::Node& c : e.node->children)
        if (is_element(c) || c.text.find_first_not_of(" \t\n\r\f") != std::string::npos)
          return false;
      return true;
  }
  return false;
}

bool matches_any(const std::vector<ComplexSelector>& list, const ElementRef& e) {
  return std::any_of(list.begin(), list.end(),
                     [&](const ComplexSelector& s) { return matches(s, e); });
}

// The element's 1-based position among the siblings that count, from the first or the last.
bool match_nth(const NthSelector& n, const ElementRef& e) {
  using Kind = NthSelector::Kind;
  if (!n.of.empty() && !matches_any(n.of, e)) return false;
  long long position = 1;
  if (e.parent) {
    const auto& kids = e.parent->node->children;
    bool same_type = n.kind == Kind::OfType || n.kind == Kind::LastOfType;
    auto counts = [&](size_t j) {
      const model::Node& s = kids[j];
      if (!is_element(s) || (same_type && s.name != e.node->name)) return false;
      return n.of.empty() || matches_any(n.of, ElementRef{&s, e.parent, j});
    };
    if (n.kind == Kind::LastChild || n.kind == Kind::LastOfType) {
      for (size_t j = e.index + 1; j < kids.size(); ++j) position += counts(j);
    } else {
      for (size_t j = 0; j < e.index; ++j) position += counts(j);
    }
  }
  return n.an_b.selects(position);
}

bool match_logical(const LogicalSelector& l, const ElementRef& e) {
  return matches_any(l.args, e) != (l.kind == LogicalSelector::Kind::Not);
}

bool match_compound(const CompoundSelector& c, const ElementRef& e) {
  const model::Node& n = *e.node;
  if (!c.type.empty() && c.type != n.name) return false;
  for (const std::string& id : c.ids)
    if (n.id != id) return false;
  for (const std::string& cls : c.classes)
    if (std::find(n.classes.begin(), n.classes.end(), cls) == n.classes.end()) return false;
  for (const AttrSelector& a : c.attrs)
    if (!match_attr(a, n)) return false;
  for (PseudoClass p : c.pseudos)
    if (!match_pseudo(p, e)) return false;
  for (const NthSelector& nth : c.nths)
    if (!match_nth(nth, e)) return false;
  for (const LogicalSelector& l : c.logicals)
    if (!match_logical(l, e)) return false;
  return true;
}

// Matches compounds[0..k] with compounds[k] on `e`, right to left (§8).
bool match_from(const ComplexSelector& s, size_t k, const ElementRef& e) {
  if (!match_compound(s.compounds[k], e)) return false;
  if (k == 0) return true;
  switch (s.combinators[k - 1]) {
    case Combinator::Child:
      return e.parent && match_from(s, k - 1, *e.parent);
    case Combinator::Descendant:
      for (const ElementRef* p = e.parent; p; p = p->parent)
        if (match_from(s, k - 1, *p)) return true;
      return false;
    case Combinator::NextSibling:
    case Combinator::SubsequentSibling: {
      if (!e.parent) return false;
      const auto& kids = e.parent->node->children;
      for (size_t j = e.index; j-- > 0;) {
        if (!is_element(kids[j])) continue;
        ElementRef sib{&kids[j], e.parent, j};
        if (match_from(s, k - 1, sib)) return true;
        if (s.combinators[k - 1] == Combinator::NextSibling) return false;
      }
      return false;
    }
  }
  return false;
}

}  // namespace

bool parse_selector_list(const ComponentValues& prelude, const css::ParseContext& ctx,
                         std::vector<ComplexSelector>& out) {
  SelectorParser p(ctx);
  if (!prelude.empty()) p.set_fallback_position(ctx.pos(prelude.front()));
  return p.parse_list(prelude, 0, prelude.size(), out);
}

bool matches(const ComplexSelector& s, const ElementRef& e) {
  if (s.compounds.empty() || !is_element(*e.node)) return false;
  return match_from(s, s.compounds.size() - 1, e);
}

}  // namespace trang::style
