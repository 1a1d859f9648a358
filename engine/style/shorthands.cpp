// Shorthands (margin, padding, border*, column-rule, background, font, page-break-*): which
// longhands each sets and how its value splits into theirs (CSS 2.1 §8, CSS Backgrounds 3 §4,
// CSS Multi-column 1 §4.5, CSS Fonts 4 §2.8, CSS Fragmentation 3 §3.4).
#include "style/decl_compiler.h"

namespace trang::style {

using css::ComponentValue;
using css::TokenType;

std::vector<PropertyId> DeclCompiler::longhands_of(Shorthand s) {
  using P = PropertyId;
  switch (s) {
    case Shorthand::Margin: return {P::MarginTop, P::MarginRight, P::MarginBottom, P::MarginLeft};
    case Shorthand::ColumnRule:
      return {P::ColumnRuleWidth, P::ColumnRuleStyle, P::ColumnRuleColor};
    case Shorthand::Padding:
      return {P::PaddingTop, P::PaddingRight, P::PaddingBottom, P::PaddingLeft};
    case Shorthand::Border:
      return {P::BorderTopWidth,   P::BorderRightWidth, P::BorderBottomWidth,
              P::BorderLeftWidth,  P::BorderTopStyle,   P::BorderRightStyle,
              P::BorderBottomStyle, P::BorderLeftStyle, P::BorderTopColor,
              P::BorderRightColor, P::BorderBottomColor, P::BorderLeftColor};
    case Shorthand::BorderTop: return {P::BorderTopWidth, P::BorderTopStyle, P::BorderTopColor};
    case Shorthand::BorderRight:
      return {P::BorderRightWidth, P::BorderRightStyle, P::BorderRightColor};
    case Shorthand::BorderBottom:
      return {P::BorderBottomWidth, P::BorderBottomStyle, P::BorderBottomColor};
    case Shorthand::BorderLeft:
      return {P::BorderLeftWidth, P::BorderLeftStyle, P::BorderLeftColor};
    case Shorthand::BorderWidth:
      return {P::BorderTopWidth, P::BorderRightWidth, P::BorderBottomWidth, P::BorderLeftWidth};
    case Shorthand::BorderStyle:
      return {P::BorderTopStyle, P::BorderRightStyle, P::BorderBottomStyle, P::BorderLeftStyle};
    case Shorthand::BorderColor:
      return {P::BorderTopColor, P::BorderRightColor, P::BorderBottomColor, P::BorderLeftColor};
    case Shorthand::Background: return {P::BackgroundColor};
    case Shorthand::PageBreakBefore: return {P::BreakBefore};
    case Shorthand::PageBreakAfter: return {P::BreakAfter};
    case Shorthand::PageBreakInside: return {P::BreakInside};
    case Shorthand::Font:
      return {P::FontStyle, P::FontVariantCaps, P::FontWeight, P::FontSize, P::LineHeight, P::FontFamily};
    case Shorthand::ListStyle: return {P::ListStyleType};
  }
  return {};
}

void DeclCompiler::expand_global(Shorthand s) {
  for (PropertyId id : longhands_of(s)) emit(id, global_);
}

void DeclCompiler::parse_shorthand(Shorthand s) {
  switch (s) {
    case Shorthand::Margin: return parse_margin_shorthand();
    case Shorthand::ColumnRule: return parse_column_rule();
    case Shorthand::Padding: return parse_box_shorthand(s, &DeclCompiler::parse_padding_value);
    case Shorthand::BorderWidth:
      return parse_box_shorthand(s, &DeclCompiler::parse_border_width_value);
    case Shorthand::BorderStyle:
      return parse_box_shorthand(s, &DeclCompiler::parse_border_style_value);
    case Shorthand::BorderColor:
      return parse_box_shorthand(s, &DeclCompiler::parse_color_value);
    case Shorthand::Background: {
      Value v;
      if (parse_background_color(v)) emit(PropertyId::BackgroundColor, v);
      return;
    }
    case Shorthand::Font: return parse_font_shorthand();
    case Shorthand::ListStyle: return parse_list_style();
    case Shorthand::PageBreakBefore:
    case Shorthand::PageBreakAfter:
    case Shorthand::PageBreakInside: {
      // 'always' is a page break here, where break-before: always is the innermost (a column).
      using B = BreakValue;
      Value v;
      bool ok = s == Shorthand::PageBreakInside
                    ? keyword<B>({{"auto", B::Auto}, {"avoid", B::Avoid}}, v)
                    : keyword<B>({{"auto", B::Auto}, {"always", B::Page}, {"avoid", B::Avoid},
                                  {"left", B::Page}, {"right", B::Page}}, v);
      if (ok) emit(longhands_of(s).front(), v);
      return;
    }
    default: {
      // border, border-<side>: <width> || <style> || <color>, like column-rule.
      Value w, st, c;
      if (!parse_width_style_color(w, st, c)) return;
      std::vector<PropertyId> ids = longhands_of(s);
      size_t sides = ids.size() / 3;
      for (size_t i = 0; i < sides; ++i) emit(ids[i], w);
      for (size_t i = 0; i < sides; ++i) emit(ids[sides + i], st);
      for (size_t i = 0; i < sides; ++i) emit(ids[2 * sides + i], c);
    }
  }
}

// CSS Fonts 4 §2.8: [ <font-style> || small-caps || <font-weight> ]? <font-size>
// [ / <line-height> ]? <font-family>. Each part is parsed as its longhand would be; the
// longhands not given are reset to their initial values, as the shorthand says.
void DeclCompiler::parse_font_shorthand() {
  using P = PropertyId;
  const std::vector<const ComponentValue*> all = terms_;
  struct Restore {
    std::vector<const ComponentValue*>& terms;
    const std::vector<const ComponentValue*>& all;
    ~Restore() { terms = all; }
  } restore{terms_, all};
  Value initial;
  initial.kind = Value::Kind::Initial;
  Value style = initial, caps = initial, weight = initial, line = initial;
  size_t i = 0;
  for (; i < all.size() && i < 3; ++i) {
    const ComponentValue& t = *all[i];
    terms_ = {&t};
    if (t.is_ident("normal")) continue;
    if (t.is_ident("italic") || t.is_ident("oblique")) {
      parse_font_style(style);
    } else if (t.is_ident("small-caps")) {
      parse_longhand(P::FontVariantCaps, caps);
    } else if (t.is_ident("bold") || t.is_ident("bolder") || t.is_ident("lighter") ||
               (t.is(TokenType::Number) && i + 1 < all.size() && !all[i + 1]->is_delim('/'))) {
      if (!parse_font_weight(weight)) return;
    } else {
      break;
    }
  }
  if (i >= all.size()) {
    invalid("a font size and a family are required");
    return;
  }
  terms_ = {all[i++]};
  Value size;
  if (!parse_font_size(size)) return;
  if (i < all.size() && all[i]->is_delim('/')) {
    if (++i >= all.size()) {
      invalid("a line height after '/'");
      return;
    }
    terms_ = {all[i++]};
    if (!parse_line_height(line)) return;
  }
  if (i >= all.size()) {
    invalid("a font family after the size");
    return;
  }
  terms_.assign(all.begin() + static_cast<std::ptrdiff_t>(i), all.end());
  Value family;
  if (!parse_font_family(family)) return;
  emit(P::FontStyle, style);
  emit(P::FontVariantCaps, caps);
  emit(P::FontWeight, weight);
  emit(P::FontSize, size);
  emit(P::LineHeight, line);
  emit(P::FontFamily, family);
}

// One to four values for top, right, bottom, left (CSS 2.1 §8.3 / §8.4 / §8.5).
void DeclCompiler::parse_box_shorthand(Shorthand s, bool (DeclCompiler::*one)(const ComponentValue&, Value&)) {
  if (terms_.size() > 4) {
    invalid("at most four values");
    return;
  }
  Value v[4];
  for (size_t i = 0; i < terms_.size(); ++i)
    if (!(this->*one)(*terms_[i], v[i])) return;
  static constexpr int kMap[4][4] = {
      {0, 0, 0, 0}, {0, 1, 0, 1}, {0, 1, 2, 1}, {0, 1, 2, 3}};
  const int* m = kMap[terms_.size() - 1];
  std::vector<PropertyId> ids = longhands_of(s);
  for (int i = 0; i < 4; ++i) emit(ids[static_cast<size_t>(i)], v[m[i]]);
}

bool DeclCompiler::parse_padding_value(const ComponentValue& t, Value& v) {
  std::string why;
  if (!length(t, v.length, why, "percentage paddings are not supported yet"))
    return invalid(why);
  v.kind = Value::Kind::Length;
  keep_sane(v.length);
  if (v.length.is_calc()) no_negative(v.length);
  if (v.length.value < 0) return invalid("a padding cannot be negative");
  return true;
}

bool DeclCompiler::parse_border_width_value(const ComponentValue& t, Value& v) {
  std::string why;
  if (!parse_rule_width(t, v, why)) return invalid(why);
  return true;
}

bool DeclCompiler::parse_border_style_value(const ComponentValue& t, Value& v) {
  if (!parse_rule_style(t, v)) return invalid();
  return true;
}

bool DeclCompiler::parse_color_value(const ComponentValue& t, Value& v) {
  if (t.is_ident("currentcolor")) {
    v.kind = Value::Kind::CurrentColor;
    return true;
  }
  std::string why;
  if (!parse_color(t, v.color, why)) return invalid(why);
  v.kind = Value::Kind::Color;
  return true;
}

bool DeclCompiler::parse_background_color(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  if (t->is_ident("transparent") || t->is_ident("none")) {
    v.kind = Value::Kind::Keyword;  // transparent: no background
    v.keyword = kw::kNone;
    return true;
  }
  return parse_color_value(*t, v);
}

// <width> || <style> || <color> (CSS Backgrounds 3 §4.4 border, CSS Multi-column 1 §4.5).
// Omitted parts are reset to their initial values, as for every shorthand.
bool DeclCompiler::parse_width_style_color(Value& width, Value& style, Value& color) {
  bool has_w = false, has_s = false, has_c = false;
  for (const ComponentValue* t : terms_) {
    std::string why;
    Value v;
    if (!has_s && parse_rule_style(*t, v)) {
      style = v;
      has_s = true;
    } else if (!has_w && parse_rule_width(*t, v, why)) {
      width = v;
      has_w = true;
    } else if (!has_c && t->is_ident("currentcolor")) {
      color.kind = Value::Kind::CurrentColor;
      has_c = true;
    } else if (!has_c && parse_color(*t, v.color, why)) {
      color.kind = Value::Kind::Color;
      color.color = v.color;
      has_c = true;
    } else {
      return invalid(why);
    }
  }
  return true;
}

void DeclCompiler::parse_margin_shorthand() {
  // CSS 2.1 §8.3: 1 value = all; 2 = vertical horizontal; 3 = top horizontal bottom;
  // 4 = top right bottom left.
  if (terms_.size() > 4) {
    invalid("at most four values");
    return;
  }
  Value v[4];
  for (size_t i = 0; i < terms_.size(); ++i)
    if (!parse_margin_value(*terms_[i], v[i])) return;
  static constexpr int kMap[4][4] = {
      {0, 0, 0, 0}, {0, 1, 0, 1}, {0, 1, 2, 1}, {0, 1, 2, 3}};
  const int* m = kMap[terms_.size() - 1];
  emit(PropertyId::MarginTop, v[m[0]]);
  emit(PropertyId::MarginRight, v[m[1]]);
  emit(PropertyId::MarginBottom, v[m[2]]);
  emit(PropertyId::MarginLeft, v[m[3]]);
}

// column-rule: <width> || <style> || <color> (CSS Multi-column 1 §4.5). Omitted parts are
// reset to their initial values, as for every shorthand.
void DeclCompiler::parse_column_rule() {
  Value width, style, color;
  if (!parse_width_style_color(width, style, color)) return;
  emit(PropertyId::ColumnRuleWidth, width);
  emit(PropertyId::ColumnRuleStyle, style);
  emit(PropertyId::ColumnRuleColor, color);
}

}  // namespace trang::style
