// DeclCompiler: one declaration validated into the longhand declarations it sets
// (properties.h, compile_declaration). Its work is split by role: properties.cpp (the table,
// shorthands, which grammar a property has), value_grammars.cpp (lengths, numbers, colours)
// and property_grammars.cpp (the grammars particular to one property). Private to the style
// stage.
#pragma once

#include <algorithm>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "style/properties.h"
#include "style/suggest.h"

namespace trang::style {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

enum class Shorthand : uint8_t {
  Margin, ColumnRule, Padding, Border, BorderTop, BorderRight, BorderBottom, BorderLeft,
  BorderWidth, BorderStyle, BorderColor, Background, PageBreakBefore, PageBreakAfter, PageBreakInside, Font,
  ListStyle
};
// PDF viewers and RIPs cope with pages up to 200 in (ISO 32000-1 Annex C, 14 400 units);
// less than half an inch is surely a mistake.
constexpr double kMinPageSide = 36, kMaxPageSide = 14400;

inline std::string fmt(double v, std::string_view unit = "pt") {
  return format_number(v, 2) + std::string(unit);
}

// Parses one declaration; reports problems against it.
class DeclCompiler {
 public:
  DeclCompiler(const css::Declaration& d, DeclContext where, const css::ParseContext& ctx,
               std::vector<PropertyDeclaration>& out)
      : d_(d), where_(where), ctx_(ctx), out_(out) {
    for (const ComponentValue& v : d.value)
      if (!v.is_whitespace()) terms_.push_back(&v);
    name_ = css::ascii_lower(d.name.value);
    text_ = css::source_text(d.value, ctx);
    value_pos_ = d.value.empty() ? ctx.pos(d.name) : ctx.pos(d.value.front());
  }

  void run();

 private:
  bool applies(const PropertyDef& p) const;

  static bool is_margin(PropertyId id) {
    return id == PropertyId::MarginTop || id == PropertyId::MarginRight ||
           id == PropertyId::MarginBottom || id == PropertyId::MarginLeft;
  }

  void warn(SourcePos pos, std::string msg, std::string hint = {},
            const char* code = "css-invalid-value") {
    ctx_.diags.warning(code, std::move(pos), std::move(msg), std::move(hint));
  }

  bool missing_semicolon();

  // Always returns false, so parsers can `return invalid(...)`.
  bool invalid(const std::string& reason = {}) {
    std::string msg = "invalid value for '" + name_ + "': " + text_;
    if (!reason.empty()) msg += " (" + reason + ")";
    warn(value_pos_, msg, std::string(expected_));
    return false;
  }
  // A keyword CSS defines that trang does not implement: true, with the warning given, when
  // the value is one of `names`.
  bool unsupported_keyword(std::initializer_list<std::string_view> names) {
    if (terms_.size() != 1) return false;
    for (std::string_view n : names)
      if (terms_[0]->is_ident(n)) return !invalid("'" + terms_[0]->token.value + "' is not supported yet");
    return false;
  }
  void missing_value() {
    warn(ctx_.pos(d_.name), "missing value for '" + name_ + "' (ignored)",
         std::string(expected_), "css-missing-value");
  }
  void wrong_context();
  void out_of_range(double given, double clamped, std::string_view unit) {
    warn(value_pos_, "out-of-range value for '" + name_ + "': " + fmt(given, unit) +
                         " (clamped to " + fmt(clamped, unit) + ")", {}, "css-out-of-range");
  }

  void emit(PropertyId id, Value v) {
    PropertyDeclaration p;
    p.id = id;
    p.value = std::move(v);
    p.important = d_.important;
    p.name_pos = ctx_.pos(d_.name);
    p.value_pos = value_pos_;
    p.text = text_;
    out_.push_back(std::move(p));
  }

  // CSS Cascade 4 §7.3: the CSS-wide keywords, valid for every property, alone. `revert`
  // has nothing to roll back to with a single origin and acts as `unset`.
  bool global_keyword() {
    if (terms_.size() != 1) return false;
    const ComponentValue& t = *terms_[0];
    if (t.is_ident("initial")) global_.kind = Value::Kind::Initial;
    else if (t.is_ident("inherit")) global_.kind = Value::Kind::Inherit;
    else if (t.is_ident("unset") || t.is_ident("revert")) global_.kind = Value::Kind::Unset;
    else return false;
    return true;
  }

  static std::vector<PropertyId> longhands_of(Shorthand s);

  void expand_global(Shorthand s);

  void parse_shorthand(Shorthand s);

  void parse_font_shorthand();

  void parse_box_shorthand(Shorthand s, bool (DeclCompiler::*one)(const ComponentValue&, Value&));

  bool parse_padding_value(const ComponentValue& t, Value& v);
  bool parse_border_width_value(const ComponentValue& t, Value& v);
  bool parse_border_style_value(const ComponentValue& t, Value& v);
  bool parse_color_value(const ComponentValue& t, Value& v);
  bool parse_background_color(Value& v);

  bool parse_width_style_color(Value& width, Value& style, Value& color);

  // A single keyword out of a table.
  template <class T>
  bool keyword(std::initializer_list<std::pair<std::string_view, T>> table, Value& v) {
    if (terms_.size() != 1 || !terms_[0]->is(TokenType::Ident)) return invalid();
    for (const auto& [name, value] : table) {
      if (terms_[0]->is_ident(name)) {
        v.kind = Value::Kind::Keyword;
        v.keyword = static_cast<int>(value);
        return true;
      }
    }
    std::vector<std::string_view> names;
    for (const auto& e : table) names.push_back(e.first);
    std::string hint = did_you_mean(terms_[0]->token.value, names);
    return invalid(hint.empty() ? std::string() : hint);
  }

  bool parse_table_keyword(const PropertyHandler& how, Value& v);

  bool single(const ComponentValue*& t) {
    if (terms_.size() == 2 && terms_[0]->is(TokenType::Number) &&
        terms_[1]->is(TokenType::Ident) && is_unit(terms_[1]->token.value))
      return invalid("no space between a number and its unit: write '" +
                     format_number(terms_[0]->token.number, 4) + terms_[1]->token.value + "'");
    if (terms_.size() != 1) return invalid(terms_.size() > 1 ? "expected a single value" : "");
    t = terms_[0];
    return true;
  }

  static bool is_unit(std::string_view name);

  bool parse_longhand(PropertyId id, Value& v);

  bool parse_integer(Value& v, int lo, int hi);

  bool parse_font_expansion(Value& v);

  bool parse_line_cost(Value& v);

  bool parse_runt_width(Value& v);
  bool parse_opacity(Value& v);

  bool parse_font_features(Value& v);

  bool parse_limit_chars(Value& v);

  bool parse_bleed_sides(Value& v);

  bool parse_object_position(Value& v);

  bool parse_marks(Value& v);

  bool parse_initial_letter(Value& v);

  // Where a content list stands: string-set, a page margin box's content, an element's.
  enum class ContentUse : uint8_t { StringSet, MarginBox, Element };
  bool content_item(const ComponentValue& t, ContentUse use, ContentItem& out);

  bool parse_content(Value& v);

  bool parse_counter_changes(Value& v, int dflt);

  bool parse_quotes(Value& v);

  void parse_list_style();

  bool parse_string_set(Value& v);

  // --- lengths (CSS Values 3 §6) ---

  bool length(const ComponentValue& t, Length& out, std::string& why,
              std::string_view percent_reason);

  bool parse_plain_length(Value& v, bool allow_percent, bool allow_negative);

  // Nothing on a page is longer than the largest page (200in), and nothing sensible is a
  // thousand times the font size: beyond that a value is a slip of the keyboard, and passing
  // it on would only give later stages infinities to trip over. Clamps with a warning.
  void keep_sane(Length& l) {
    if (l.is_calc()) return;  // known once resolved; later stages clamp what they use
    double limit = l.unit == LengthUnit::Pt ? kMaxPageSide : 1000;
    double c = std::clamp(l.value, -limit, limit);
    if (c != l.value) {
      out_of_range(l.value, c, unit_name(l.unit));
      l.value = c;
    }
  }

  // A length that cannot be negative: clamped to 0 with a warning.
  void no_negative(Length& l) {
    if (l.is_calc()) l.at_least_zero = true;
    if (l.value >= 0 || l.is_calc()) return;
    out_of_range(l.value, 0, unit_name(l.unit));
    l.value = 0;
  }

  static std::string_view unit_name(LengthUnit u) {
    switch (u) {
      case LengthUnit::Pt: return "pt";
      case LengthUnit::Em: return "em";
      case LengthUnit::Rem: return "rem";
      case LengthUnit::Percent: return "%";
      case LengthUnit::Ex: return "ex";
      case LengthUnit::Ch: return "ch";
      case LengthUnit::Vw: return "vw";
      case LengthUnit::Vh: return "vh";
      case LengthUnit::Vmin: return "vmin";
      case LengthUnit::Vmax: return "vmax";
      case LengthUnit::Calc: return "";
    }
    return "";
  }

  bool parse_margin_value(const ComponentValue& t, Value& v);

  void parse_margin_shorthand();

  // --- fonts (CSS Fonts 4) ---

  bool parse_font_family(Value& v);

  bool parse_font_size(Value& v);

  bool parse_font_weight(Value& v);

  bool parse_font_style(Value& v);

  bool parse_line_height(Value& v);

  // --- multi-column (CSS Multi-column 1 §3, §4) ---

  bool parse_column_count(Value& v);

  bool parse_rule_width(const ComponentValue& t, Value& v, std::string& why);

  static bool parse_rule_style(const ComponentValue& t, Value& v);

  void parse_column_rule();

  // --- @page size (CSS Paged Media 3 §7.1) ---

  bool parse_size(Value& v);

  // --- colours (CSS Color 4 §5-§7, CSS Color 5 §6 device-cmyk) ---

  static double clamp01(double x);

  static bool function_args(const ComponentValue& f, std::vector<const ComponentValue*>& args,
                            const ComponentValue*& alpha);

  static bool alpha_value(const ComponentValue* alpha, float& out, std::string& why);

  static bool parse_color(const ComponentValue& t, Color& out, std::string& why);

  static bool angle_degrees(const ComponentValue& a, double& deg);

  static bool parse_hex(std::string_view hex, Color& out, std::string& why);

  const css::Declaration& d_;
  DeclContext where_;
  const css::ParseContext& ctx_;
  std::vector<PropertyDeclaration>& out_;
  std::vector<const ComponentValue*> terms_;  // the value without whitespace
  std::deque<ComponentValue> folded_;         // number tokens standing for calc() in terms_
  std::string name_;                          // lower-cased property name
  std::string text_;                          // quoted value, for messages
  SourcePos value_pos_;
  std::string_view expected_;
  Value global_;
};

}  // namespace trang::style
