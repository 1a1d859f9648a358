// The property table (property_table.h) and the names of shorthands, and which grammar a
// declaration is parsed with (DeclCompiler's dispatch); the grammars are in value_grammars.cpp,
// property_grammars.cpp and shorthands.cpp. Property definitions and value validation. Grammar references are to the specification
// that defines each property: CSS 2.1 (display, margin, text-indent), CSS Fonts 4, CSS Inline 3
// (line-height), CSS Color 4/5, CSS Text 3, CSS Multi-column 1, CSS Paged Media 3 (size),
// CSS Values 3 (units), CSS Cascade 4 (inherit, initial, unset).
#include "style/properties.h"

#include "style/decl_compiler.h"

#include <algorithm>
#include <cmath>

#include "style/calc.h"
#include "style/suggest.h"
#include "style/variables.h"

namespace trang::style {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

namespace {

constexpr std::string_view kExpectedLength = "expected a length such as 4mm, 1em or 0";
constexpr std::string_view kExpectedWidth =
    "expected thin, medium, thick or a length such as 0.5pt";
constexpr std::string_view kExpectedStyle =
    "expected none, solid, dotted, dashed, double, hidden, groove, ridge, inset or outset";
constexpr std::string_view kExpectedPadding = "expected a length such as 2mm, 0.5em or 0";
constexpr std::string_view kExpectedColor =
    "expected a colour: #rrggbb, #rgb, #rrggbbaa, rgb(r g b), rgb(r g b / alpha), "
    "rgba(r, g, b, alpha), hsl(h s% l% / alpha), cmyk(c, m, y, k), "
    "spot(\"ink name\", cmyk(c, m, y, k)), transparent or a name such as black";

constexpr std::string_view kExpectedBreak =
    "expected auto, avoid, avoid-page, avoid-column, page, column, left, right, recto or verso";
constexpr std::pair<std::string_view, BreakValue> kBreakKeywords[] = {
    {"auto", BreakValue::Auto},     {"avoid", BreakValue::Avoid},
    {"avoid-page", BreakValue::Avoid}, {"avoid-column", BreakValue::Avoid},
    {"page", BreakValue::Page},     {"left", BreakValue::Page},
    {"right", BreakValue::Page},    {"recto", BreakValue::Page},
    {"verso", BreakValue::Page},    {"column", BreakValue::Column},
    {"always", BreakValue::Column}};

// The "how" column of property_table.h.
constexpr PropertyHandler custom() { return {}; }

template <auto Field>
using FieldType = std::remove_cvref_t<decltype(std::declval<ComputedStyle&>().*Field)>;
template <auto Field>
void store_field(ComputedStyle& s, int v) {
  s.*Field = static_cast<FieldType<Field>>(v);
}
template <auto Field>
void inherit_field(ComputedStyle& s, const ComputedStyle& parent) {
  s.*Field = parent.*Field;
}

template <auto Field, class List>
constexpr PropertyHandler keyword_handler(const List& list,
                                          std::initializer_list<std::string_view> unsupported) {
  PropertyHandler h;
  h.kind = PropertyHandler::Kind::Keywords;
  for (const auto& [name, value] : list)
    h.keywords[h.count++] = {name, static_cast<int>(value), {}};
  size_t i = 0;
  for (std::string_view u : unsupported) h.unsupported[i++] = u;
  h.store = &store_field<Field>;
  h.inherit = &inherit_field<Field>;
  return h;
}
template <auto Field>
constexpr PropertyHandler keywords(
    std::initializer_list<std::pair<std::string_view, FieldType<Field>>> list,
    std::initializer_list<std::string_view> unsupported = {}) {
  return keyword_handler<Field>(list, unsupported);
}
template <auto Field, size_t N>
constexpr PropertyHandler keywords(
    const std::pair<std::string_view, FieldType<Field>> (&list)[N],
    std::initializer_list<std::string_view> unsupported = {}) {
  return keyword_handler<Field>(list, unsupported);
}

constexpr PropertyHandler features(
    std::initializer_list<std::pair<std::string_view, std::string_view>> list) {
  PropertyHandler h;
  h.kind = PropertyHandler::Kind::Features;
  for (const auto& [name, feats] : list) {
    h.keywords[h.count] = {name, static_cast<int>(h.count), feats};
    ++h.count;
  }
  return h;
}

constexpr PropertyDef make_def(std::string_view name, PropertyId id, bool inherited,
                               DeclContext where, std::string_view initial,
                               std::string_view expected, PropertyHandler how) {
  how.initial = how.index_of(initial);
  return {name, id, inherited, where, initial, expected, how};
}

#define TRANG_PROPERTY_DEF(Id, name, inherited, where, initial, expected, ...) \
  make_def(name, PropertyId::Id, inherited, DeclContext::where, initial, expected, __VA_ARGS__),
// Indexed by PropertyId.
constexpr PropertyDef kLonghands[] = {TRANG_LONGHANDS(TRANG_PROPERTY_DEF)};
#undef TRANG_PROPERTY_DEF
static_assert(std::size(kLonghands) == kPropertyCount);

// A keyword row's initial value must be one of its keywords.
constexpr bool initials_are_keywords() {
  for (const PropertyDef& p : kLonghands)
    if (p.how.kind != PropertyHandler::Kind::Custom && p.how.initial < 0) return false;
  return true;
}
static_assert(initials_are_keywords(), "property_table.h: an initial value is not a keyword");

const PropertyDef& def(PropertyId id) { return kLonghands[static_cast<size_t>(id)]; }

struct ShorthandDef {
  std::string_view name;
  Shorthand id;
  std::string_view expected;
};
constexpr ShorthandDef kShorthands[] = {
    {"margin", Shorthand::Margin, "expected one to four lengths (top, right, bottom, left)"},
    {"column-rule", Shorthand::ColumnRule,
     "expected a width, a style and a colour in any order (0.5pt solid #999), or none"},
    {"padding", Shorthand::Padding, "expected one to four lengths (top, right, bottom, left)"},
    {"border", Shorthand::Border,
     "expected a width, a style and a colour in any order (0.5pt solid #999), or none"},
    {"border-top", Shorthand::BorderTop,
     "expected a width, a style and a colour in any order (0.5pt solid #999), or none"},
    {"border-right", Shorthand::BorderRight,
     "expected a width, a style and a colour in any order (0.5pt solid #999), or none"},
    {"border-bottom", Shorthand::BorderBottom,
     "expected a width, a style and a colour in any order (0.5pt solid #999), or none"},
    {"border-left", Shorthand::BorderLeft,
     "expected a width, a style and a colour in any order (0.5pt solid #999), or none"},
    {"border-width", Shorthand::BorderWidth, "expected one to four widths (top, right, bottom, left)"},
    {"border-style", Shorthand::BorderStyle, "expected one to four styles (top, right, bottom, left)"},
    {"border-color", Shorthand::BorderColor, "expected one to four colours (top, right, bottom, left)"},
    {"background", Shorthand::Background,
     "expected a colour (only the colour of the background shorthand is supported)"},
    // CSS Fragmentation 3 §3.4: the legacy page-break-* are aliases of break-*.
    {"page-break-before", Shorthand::PageBreakBefore, "expected auto, always, avoid, left or right"},
    {"page-break-after", Shorthand::PageBreakAfter, "expected auto, always, avoid, left or right"},
    {"page-break-inside", Shorthand::PageBreakInside, "expected auto or avoid"},
    {"list-style", Shorthand::ListStyle,
     "expected a list-style-type (disc, decimal, lower-roman...); position and image are not "
     "supported"},
    {"font", Shorthand::Font,
     "expected [style] [small-caps] [weight] size[/line-height] family, as in bold 12pt/1.3 \"Noto Serif\""},
};

// Properties CSS defines (many of them in the design brief's list) that this version does
// not implement yet: naming them gives a truthful message instead of "unknown property".
constexpr std::string_view kNotYetSupported[] = {
    "column-width", "columns", "font-kerning",
    "font-stretch", "font-variant", "font-variant-ligatures", "font-variant-numeric", "height",
    "list-style-image", "list-style-position", "max-height", "min-height", "min-width",
    "page", "text-decoration",
    "vertical-align", "white-space",
};


}  // namespace

void DeclCompiler::run() {
  if (css::contains_bad_token(d_.value)) return;  // the tokenizer has reported it
  if (name_.starts_with("--")) {
    // CSS Variables 1 §2: any value; kept as written, and inherited, by the cascade.
    Value v;
    v.kind = Value::Kind::Pending;
    v.pending = make_pending(d_, where_, ctx_);
    emit(PropertyId::Display, std::move(v));
    out_.back().custom = d_.name.value;
    return;
  }
  if (missing_semicolon()) return;
  // CSS Values 4 §10: a calculation of numbers is a number, read by every grammar as one.
  for (const ComponentValue*& t : terms_) {
    double n = 0;
    if (!is_math_function(*t) || !calc_number(*t, n)) continue;
    ComponentValue& num = folded_.emplace_back(*t);
    num.kind = ComponentValue::Kind::Token;
    num.children.clear();
    num.token.type = TokenType::Number;
    num.token.number = n;
    num.token.integer = n == std::round(n);
    t = &num;
  }
  // §3: a value with var() is taken as valid until the element's custom properties are known.
  bool has_var = contains_var(d_.value);
  auto pending = [&](const std::vector<PropertyId>& ids) {
    Value v;
    v.kind = Value::Kind::Pending;
    v.pending = make_pending(d_, where_, ctx_);
    for (PropertyId id : ids) emit(id, v);
  };
  for (const ShorthandDef& s : kShorthands) {
    if (name_ == s.name) {
      expected_ = s.expected;
      if (terms_.empty()) return missing_value();
      if (where_ == DeclContext::Page && s.id != Shorthand::Margin) return wrong_context();
      if (where_ == DeclContext::MarginBox && s.id != Shorthand::Font) return wrong_context();
      if (has_var) return pending(longhands_of(s.id));
      if (global_keyword()) return expand_global(s.id);
      parse_shorthand(s.id);
      return;
    }
  }
  for (const PropertyDef& p : kLonghands) {
    if (name_ != p.name) continue;
    expected_ = p.expected;
    if (!applies(p)) return wrong_context();
    if (terms_.empty()) return missing_value();
    if (has_var) return pending({p.id});
    if (global_keyword()) {
      emit(p.id, global_);
      return;
    }
    Value v;
    bool ok = p.how.kind == PropertyHandler::Kind::Custom ? parse_longhand(p.id, v)
                                                           : parse_table_keyword(p.how, v);
    if (ok) emit(p.id, std::move(v));
    return;
  }
  if (std::find(std::begin(kNotYetSupported), std::end(kNotYetSupported), name_) !=
      std::end(kNotYetSupported)) {
    warn(ctx_.pos(d_.name), "property '" + d_.name.value + "' is not supported yet (ignored)",
         {}, "css-unsupported-property");
    return;
  }
  warn(ctx_.pos(d_.name), "unknown property '" + d_.name.value + "' (ignored)",
       did_you_mean(name_, all_property_names()), "css-unknown-property");
}

// Whether the property may be declared where it stands.
bool DeclCompiler::applies(const PropertyDef& p) const {
  switch (where_) {
    case DeclContext::Element: return p.context == DeclContext::Element;
    case DeclContext::Page: return p.context == DeclContext::Page || is_margin(p.id);
    case DeclContext::MarginBox:
      switch (p.id) {
        case PropertyId::Content: case PropertyId::FontFamily: case PropertyId::FontSize:
        case PropertyId::FontWeight: case PropertyId::FontStyle: case PropertyId::Color:
        case PropertyId::LetterSpacing: case PropertyId::WordSpacing:
        case PropertyId::TextAlign: case PropertyId::TextTransform:
        case PropertyId::FontVariantCaps: case PropertyId::FontFeatureSettings:
        case PropertyId::LineHeight:
          return true;
        default: return false;
      }
  }
  return false;
}

// `color: red font-size: 9pt`: a name and a colon inside a value are the next declaration,
// after a ';' that was forgotten. CSS drops the whole text as one invalid declaration (CSS
// Syntax 3 §5.4.6); say why, instead of an invalid value with the colour's grammar.
bool DeclCompiler::missing_semicolon() {
  for (size_t i = 1; i + 1 < terms_.size(); ++i) {
    if (!terms_[i]->is(TokenType::Ident) || !terms_[i + 1]->is(TokenType::Colon)) continue;
    const std::string& next = terms_[i]->token.value;
    warn(ctx_.pos(*terms_[i]),
         "missing ';' before '" + next + "'? ('" + d_.name.value + "' and '" + next +
             "' are both ignored)",
         "end each declaration with ';': " + d_.name.value + ": ...; " + next + ": ...;",
         "css-missing-semicolon");
    return true;
  }
  return false;
}

void DeclCompiler::wrong_context() {
  const char* code = "css-wrong-context";
  if (where_ == DeclContext::Page)
    warn(ctx_.pos(d_.name), "property '" + name_ + "' does not apply in @page (ignored)", {},
         code);
  else if (where_ == DeclContext::MarginBox)
    warn(ctx_.pos(d_.name),
         "property '" + name_ + "' does not apply in a page margin box (ignored)",
         "margin boxes take content, font-*, color, letter-spacing, word-spacing, "
         "line-height, text-align and text-transform", code);
  else
    warn(ctx_.pos(d_.name), "property '" + name_ + "' applies only in @page (ignored)",
         "move it into an @page { ... } rule", code);
}


// A keyword of a property_table.h row: its value (Keywords) or its index (Features).
bool DeclCompiler::parse_table_keyword(const PropertyHandler& how, Value& v) {
  for (std::string_view u : how.unsupported)
    if (!u.empty() && unsupported_keyword({u})) return false;
  if (terms_.size() != 1 || !terms_[0]->is(TokenType::Ident)) return invalid();
  int i = how.index_of(terms_[0]->token.value);
  if (i >= 0) {
    v.kind = Value::Kind::Keyword;
    v.keyword = how.kind == PropertyHandler::Kind::Keywords ? how.keywords[i].value : i;
    return true;
  }
  std::vector<std::string_view> names;
  for (size_t k = 0; k < how.count; ++k) names.push_back(how.keywords[k].name);
  return invalid(did_you_mean(terms_[0]->token.value, names));
}

bool DeclCompiler::parse_longhand(PropertyId id, Value& v) {
  switch (id) {
    case PropertyId::Display:
      return keyword<Display>(
          {{"block", Display::Block}, {"inline", Display::Inline}, {"none", Display::None}}, v);
    case PropertyId::FontFamily: return parse_font_family(v);
    case PropertyId::FontSize: return parse_font_size(v);
    case PropertyId::FontWeight: return parse_font_weight(v);
    case PropertyId::FontStyle: return parse_font_style(v);
    case PropertyId::LineHeight: return parse_line_height(v);
    case PropertyId::Color:
    case PropertyId::ColumnRuleColor: {
      const ComponentValue* t = nullptr;
      if (!single(t)) return false;
      std::string why;
      if (t->is_ident("currentcolor")) {
        v.kind = Value::Kind::CurrentColor;
        return true;
      }
      if (!parse_color(*t, v.color, why)) return invalid(why);
      v.kind = Value::Kind::Color;
      return true;
    }
    case PropertyId::TextIndent: return parse_plain_length(v, false, true);
    case PropertyId::LetterSpacing:
      if (terms_.size() == 1 && terms_[0]->is_ident("normal")) {
        v.kind = Value::Kind::Length;  // CSS Text 3 §8.2: normal = 0
        return true;
      }
      return parse_plain_length(v, false, true);
    case PropertyId::MarginTop:
    case PropertyId::MarginRight:
    case PropertyId::MarginBottom:
    case PropertyId::MarginLeft: {
      const ComponentValue* t = nullptr;
      if (!single(t)) return false;
      return parse_margin_value(*t, v);
    }
    case PropertyId::ColumnSpan:
      // CSS Multi-column 2 §6.1 adds <integer>: a figure across that many columns.
      if (terms_.size() == 1 && terms_[0]->is(TokenType::Number)) {
        const ComponentValue& t = *terms_[0];
        if (!t.token.integer || t.token.number < 1)
          return invalid("the number of columns is a whole number, 1 or more");
        v.kind = Value::Kind::Number;
        v.number = std::min<double>(t.token.number, kMaxColumnCount);
        return true;
      }
      return keyword<int>({{"none", kw::kSpanNone}, {"all", kw::kSpanAll}}, v);
    case PropertyId::ColumnCount: return parse_column_count(v);
    case PropertyId::ColumnGap:
      if (terms_.size() == 1 && terms_[0]->is_ident("normal")) {
        // CSS Multi-column 1 §4.1 / CSS Box Alignment 3: normal = 1em in multi-column.
        v.kind = Value::Kind::Length;
        v.length = {1, LengthUnit::Em};
        return true;
      }
      return parse_plain_length(v, false, false);
    case PropertyId::ColumnRuleWidth: {
      const ComponentValue* t = nullptr;
      if (!single(t)) return false;
      std::string why;
      if (!parse_rule_width(*t, v, why)) return invalid(why);
      return true;
    }
    case PropertyId::ColumnRuleStyle: {
      const ComponentValue* t = nullptr;
      if (!single(t)) return false;
      if (!parse_rule_style(*t, v)) return invalid();
      return true;
    }
    case PropertyId::Size: return parse_size(v);
    case PropertyId::FontFeatureSettings: return parse_font_features(v);
    case PropertyId::FontVariantCaps:
      return keyword<FontVariantCaps>({{"normal", FontVariantCaps::Normal},
                                       {"small-caps", FontVariantCaps::SmallCaps},
                                       {"all-small-caps", FontVariantCaps::AllSmallCaps},
                                       {"petite-caps", FontVariantCaps::PetiteCaps},
                                       {"all-petite-caps", FontVariantCaps::AllPetiteCaps},
                                       {"unicase", FontVariantCaps::Unicase},
                                       {"titling-caps", FontVariantCaps::TitlingCaps}},
                                      v);
    case PropertyId::WordSpacing:
      if (terms_.size() == 1 && terms_[0]->is_ident("normal")) {
        v.kind = Value::Kind::Length;  // CSS Text 3 §8.1: normal = 0 extra
        return true;
      }
      return parse_plain_length(v, false, true);
    case PropertyId::HyphenateLimitChars: return parse_limit_chars(v);
    case PropertyId::HyphenateLimitLines:
      if (terms_.size() == 1 && terms_[0]->is_ident("no-limit")) {
        v.kind = Value::Kind::Number;
        v.number = kNoHyphenLimit;
        return true;
      }
      return parse_integer(v, 1, 100);
    case PropertyId::Widows:
    case PropertyId::Orphans:
    case PropertyId::TrangMinLines: return parse_integer(v, 1, 100);
    case PropertyId::ColumnFill:
      return keyword<int>({{"auto", 0}, {"balance", 1}, {"balance-all", 1}}, v);
    case PropertyId::TrangFontExpansion: return parse_font_expansion(v);
    case PropertyId::TrangRuntCost:
    case PropertyId::TrangStackCost: return parse_line_cost(v);
    case PropertyId::TrangRuntWidth: return parse_runt_width(v);
    case PropertyId::Opacity: return parse_opacity(v);
    case PropertyId::BackgroundColor: return parse_background_color(v);
    case PropertyId::BorderTopWidth:
    case PropertyId::BorderRightWidth:
    case PropertyId::BorderBottomWidth:
    case PropertyId::BorderLeftWidth: {
      const ComponentValue* t = nullptr;
      return single(t) && parse_border_width_value(*t, v);
    }
    case PropertyId::BorderTopStyle:
    case PropertyId::BorderRightStyle:
    case PropertyId::BorderBottomStyle:
    case PropertyId::BorderLeftStyle: {
      const ComponentValue* t = nullptr;
      return single(t) && parse_border_style_value(*t, v);
    }
    case PropertyId::BorderTopColor:
    case PropertyId::BorderRightColor:
    case PropertyId::BorderBottomColor:
    case PropertyId::BorderLeftColor: {
      const ComponentValue* t = nullptr;
      return single(t) && parse_color_value(*t, v);
    }
    case PropertyId::PaddingTop:
    case PropertyId::PaddingRight:
    case PropertyId::PaddingBottom:
    case PropertyId::PaddingLeft: {
      const ComponentValue* t = nullptr;
      return single(t) && parse_padding_value(*t, v);
    }
    case PropertyId::Width:
    case PropertyId::MaxWidth: {
      const ComponentValue* t = nullptr;
      if (!single(t)) return false;
      if (t->is_ident(id == PropertyId::Width ? "auto" : "none")) {
        v.kind = Value::Kind::Keyword;
        v.keyword = kw::kAuto;
        return true;
      }
      std::string why;
      if (!length(*t, v.length, why, "")) return invalid(why);
      v.kind = Value::Kind::Length;
      keep_sane(v.length);
      no_negative(v.length);  // a calc(): layout keeps at least 1pt
      if (!v.length.is_calc() && v.length.value <= 0)
        return invalid("a width must be larger than 0");
      if (v.length.is_calc() && has_percent(v.length) && !v.length.calc->terms.empty())
        return invalid("min() and max() of percentages are not supported for width");
      return true;
    }
    case PropertyId::Float:
      if (terms_.size() == 1 && terms_[0]->is_ident("right"))
        return invalid("'right' is not supported: figures float to the top or bottom of "
                       "their column");
      return keyword<Float>({{"none", Float::None},
                             {"left", Float::Left},
                             {"top", Float::Top},
                             {"bottom", Float::Bottom}},
                            v);
    case PropertyId::TrangBleed: return parse_bleed_sides(v);
    case PropertyId::ObjectPosition: return parse_object_position(v);
    case PropertyId::StringSet: return parse_string_set(v);
    case PropertyId::Content: return parse_content(v);
    case PropertyId::CounterReset: return parse_counter_changes(v, 0);
    case PropertyId::CounterIncrement: return parse_counter_changes(v, 1);
    case PropertyId::CounterSet: return parse_counter_changes(v, 0);
    case PropertyId::Quotes: return parse_quotes(v);
    case PropertyId::InitialLetter: return parse_initial_letter(v);
    case PropertyId::Bleed:
      if (terms_.size() == 1 && terms_[0]->is_ident("auto")) {
        v.kind = Value::Kind::Keyword;
        v.keyword = kw::kAuto;
        return true;
      }
      return parse_plain_length(v, false, false);
    case PropertyId::Marks: return parse_marks(v);
    case PropertyId::TrangBaselineGrid:
      if (terms_.size() == 1 && terms_[0]->is_ident("none")) {
        v.kind = Value::Kind::Length;  // 0 = none
        return true;
      }
      return parse_plain_length(v, false, false);
    default: break;  // keyword rows of property_table.h: parse_table_keyword
  }
  return invalid();
}



std::span<const PropertyDef> longhand_defs() { return kLonghands; }
const PropertyDef& property_def(PropertyId id) { return def(id); }
std::vector<std::pair<std::string_view, std::string_view>> shorthand_defs() {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (const ShorthandDef& s : kShorthands) out.emplace_back(s.name, s.expected);
  return out;
}

std::string_view property_name(PropertyId id) { return def(id).name; }
bool is_inherited(PropertyId id) { return def(id).inherited; }

const std::vector<std::string_view>& all_property_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> v;
    for (const PropertyDef& p : kLonghands) v.push_back(p.name);
    for (const ShorthandDef& s : kShorthands) v.push_back(s.name);
    for (std::string_view n : kNotYetSupported) v.push_back(n);
    return v;
  }();
  return kNames;
}

void compile_declaration(const css::Declaration& d, DeclContext where,
                         const css::ParseContext& ctx, std::vector<PropertyDeclaration>& out) {
  DeclCompiler(d, where, ctx, out).run();
}

}  // namespace trang::style
