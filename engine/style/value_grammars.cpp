// Value grammars many properties share: lengths and units (CSS Values 3 §6), whole numbers,
// rule widths and styles (CSS Backgrounds 3 §4), margins, and colours (CSS Color 4 §5-§7,
// CSS Color 5 §6 device-cmyk, and trang's spot()).
#include <algorithm>
#include <cmath>

#include "style/calc.h"
#include "style/decl_compiler.h"

namespace trang::style {

namespace {

struct NamedColor {
  std::string_view name;
  uint32_t rgb;
};
// CSS Color 4 §6.1 named colours.
constexpr NamedColor kNamedColors[] = {
    {"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7}, {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4}, {"azure", 0xf0ffff}, {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4},
    {"black", 0x000000}, {"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2}, {"brown", 0xa52a2a}, {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00}, {"chocolate", 0xd2691e},
    {"coral", 0xff7f50}, {"cornflowerblue", 0x6495ed}, {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c}, {"cyan", 0x00ffff}, {"darkblue", 0x00008b}, {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b}, {"darkgray", 0xa9a9a9}, {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b}, {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f}, {"darkorange", 0xff8c00}, {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a}, {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b}, {"darkslategray", 0x2f4f4f}, {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3}, {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff}, {"dimgray", 0x696969}, {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222}, {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22}, {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700}, {"goldenrod", 0xdaa520}, {"gray", 0x808080},
    {"green", 0x008000}, {"greenyellow", 0xadff2f}, {"grey", 0x808080},
    {"honeydew", 0xf0fff0}, {"hotpink", 0xff69b4}, {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082}, {"ivory", 0xfffff0}, {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5}, {"lawngreen", 0x7cfc00}, {"lemonchiffon", 0xfffacd},
    {"lightblue", 0xadd8e6}, {"lightcoral", 0xf08080}, {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2}, {"lightgray", 0xd3d3d3}, {"lightgreen", 0x90ee90},
    {"lightgrey", 0xd3d3d3}, {"lightpink", 0xffb6c1}, {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa}, {"lightskyblue", 0x87cefa}, {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899}, {"lightsteelblue", 0xb0c4de}, {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00}, {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6}, {"magenta", 0xff00ff},
    {"maroon", 0x800000}, {"mediumaquamarine", 0x66cdaa}, {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3}, {"mediumpurple", 0x9370db}, {"mediumseagreen", 0x3cb371},
    {"mediumslateblue", 0x7b68ee}, {"mediumspringgreen", 0x00fa9a},
    {"mediumturquoise", 0x48d1cc}, {"mediumvioletred", 0xc71585}, {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa}, {"mistyrose", 0xffe4e1}, {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead}, {"navy", 0x000080}, {"oldlace", 0xfdf5e6}, {"olive", 0x808000},
    {"olivedrab", 0x6b8e23}, {"orange", 0xffa500}, {"orangered", 0xff4500},
    {"orchid", 0xda70d6}, {"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee}, {"palevioletred", 0xdb7093}, {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9}, {"peru", 0xcd853f}, {"pink", 0xffc0cb}, {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6}, {"purple", 0x800080}, {"rebeccapurple", 0x663399},
    {"red", 0xff0000}, {"rosybrown", 0xbc8f8f}, {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513}, {"salmon", 0xfa8072}, {"sandybrown", 0xf4a460},
    {"seagreen", 0x2e8b57}, {"seashell", 0xfff5ee}, {"sienna", 0xa0522d}, {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb}, {"slateblue", 0x6a5acd}, {"slategray", 0x708090},
    {"slategrey", 0x708090}, {"snow", 0xfffafa}, {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4}, {"tan", 0xd2b48c}, {"teal", 0x008080}, {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347}, {"turquoise", 0x40e0d0}, {"violet", 0xee82ee}, {"wheat", 0xf5deb3},
    {"white", 0xffffff}, {"whitesmoke", 0xf5f5f5}, {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
};

// CSS Values 3 §6.2 absolute lengths, in points.
struct UnitDef {
  std::string_view name;
  double pt;           // points per unit; 0 for relative units
  LengthUnit unit;
};
constexpr UnitDef kUnits[] = {
    {"pt", 1.0, LengthUnit::Pt},           {"px", 0.75, LengthUnit::Pt},
    {"in", 72.0, LengthUnit::Pt},          {"cm", 72.0 / 2.54, LengthUnit::Pt},
    {"mm", 72.0 / 25.4, LengthUnit::Pt},   {"q", 72.0 / 101.6, LengthUnit::Pt},
    {"pc", 12.0, LengthUnit::Pt},          {"em", 0, LengthUnit::Em},
    {"rem", 0, LengthUnit::Rem},           {"ex", 0, LengthUnit::Ex},
    {"ch", 0, LengthUnit::Ch},             {"vw", 0, LengthUnit::Vw},
    {"vh", 0, LengthUnit::Vh},             {"vmin", 0, LengthUnit::Vmin},
    {"vmax", 0, LengthUnit::Vmax},
};
constexpr std::string_view kUnsupportedUnits[] = {"ic", "cap", "lh", "rlh", "vi", "vb"};

// A <dimension-token> as a length (CSS Values 4 §6).
bool read_dimension(const ComponentValue& t, Length& out, std::string& why) {
  for (const UnitDef& u : kUnits) {
    if (css::equals_ignore_case(t.token.value, u.name)) {
      out.unit = u.unit;
      out.value = u.unit == LengthUnit::Pt ? t.token.number * u.pt : t.token.number;
      return true;
    }
  }
  std::string unit = css::ascii_lower(t.token.value);
  if (std::find(std::begin(kUnsupportedUnits), std::end(kUnsupportedUnits), unit) !=
      std::end(kUnsupportedUnits)) {
    why = "unit '" + t.token.value + "' is not supported";
  } else {
    std::vector<std::string_view> names;
    for (const UnitDef& u : kUnits) names.push_back(u.name);
    why = "unknown unit '" + t.token.value + "'";
    std::string m = closest_match(unit, names);
    if (!m.empty()) why += "; did you mean '" + m + "'?";
  }
  return false;
}

}  // namespace

bool DeclCompiler::is_unit(std::string_view name) {
  for (const UnitDef& u : kUnits)
    if (css::equals_ignore_case(name, u.name)) return true;
  return false;
}

// A single whole number in [lo, hi] (widows, orphans, hyphenate-limit-lines).
bool DeclCompiler::parse_integer(Value& v, int lo, int hi) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  if (!t->is(TokenType::Number) || !t->token.integer)
    return invalid(t->is(TokenType::Number) ? "expected a whole number" : "");
  if (t->token.number < lo) return invalid("the smallest value is " + std::to_string(lo));
  v.kind = Value::Kind::Number;
  v.number = std::min<double>(t->token.number, hi);
  if (v.number != t->token.number) out_of_range(t->token.number, hi, "");
  return true;
}

// A length; `percent_reason` is why a percentage is refused (empty: it is accepted).
bool DeclCompiler::length(const ComponentValue& t, Length& out, std::string& why,
            std::string_view percent_reason) {
  if (t.is(TokenType::Dimension)) return read_dimension(t, out, why);
  if (t.is(TokenType::Number)) {
    if (t.token.number == 0) {  // CSS Values 3 §6: a zero length may omit its unit
      out = {0, LengthUnit::Pt};
      return true;
    }
    why = "a length needs a unit, e.g. '" + format_number(t.token.number, 2) + "pt'";
    return false;
  }
  if (t.is(TokenType::Percentage)) {
    if (percent_reason.empty()) {
      out = {t.token.number, LengthUnit::Percent};
      return true;
    }
    why = std::string(percent_reason);
    return false;
  }
  if (is_math_function(t)) {
    if (parse_calc(t, percent_reason.empty(), read_dimension, out, why)) return true;
    if (!percent_reason.empty() && why.ends_with("percentages are not allowed here"))
      why = std::string(percent_reason);
    return false;
  }
  if (t.kind == ComponentValue::Kind::Function) {
    why = t.token.value + "() is not supported yet";
    return false;
  }
  return false;
}

// A single length without percentages (text-indent, letter-spacing, column-gap).
bool DeclCompiler::parse_plain_length(Value& v, bool allow_percent, bool allow_negative) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  std::string why;
  if (!length(*t, v.length, why,
              allow_percent ? "" : "percentages are not supported here yet"))
    return invalid(why);
  v.kind = Value::Kind::Length;
  keep_sane(v.length);
  if (!allow_negative) no_negative(v.length);
  return true;
}

// margin-* (CSS 2.1 §8.3). In @page, percentages refer to the page box (CSS Paged Media 3
// §7.2); on elements they would need the column width, which is not known yet.
bool DeclCompiler::parse_margin_value(const ComponentValue& t, Value& v) {
  std::string why;
  if (t.is_ident("auto")) return invalid("'auto' margins are not supported yet");
  if (!length(t, v.length, why,
              where_ == DeclContext::Page
                  ? ""
                  : "percentage margins are not supported on elements yet"))
    return invalid(why);
  v.kind = Value::Kind::Length;
  keep_sane(v.length);
  if (where_ == DeclContext::Page) no_negative(v.length);
  return true;
}

bool DeclCompiler::parse_rule_width(const ComponentValue& t, Value& v, std::string& why) {
  // CSS Backgrounds 3 §4.3: thin 1px, medium 3px, thick 5px.
  static constexpr std::pair<std::string_view, double> kWidths[] = {
      {"thin", 0.75}, {"medium", 2.25}, {"thick", 3.75}};
  for (const auto& [name, w] : kWidths) {
    if (t.is_ident(name)) {
      v.kind = Value::Kind::Length;
      v.length = {w, LengthUnit::Pt};
      return true;
    }
  }
  if (!length(t, v.length, why, "percentages are not allowed for a rule width")) return false;
  v.kind = Value::Kind::Length;
  keep_sane(v.length);
  no_negative(v.length);
  return true;
}

bool DeclCompiler::parse_rule_style(const ComponentValue& t, Value& v) {
  static constexpr std::pair<std::string_view, RuleStyle> kStyles[] = {
      {"none", RuleStyle::None},     {"hidden", RuleStyle::None},
      {"solid", RuleStyle::Solid},   {"dotted", RuleStyle::Dotted},
      {"dashed", RuleStyle::Dashed}, {"double", RuleStyle::Double},
      {"groove", RuleStyle::Solid},  {"ridge", RuleStyle::Solid},
      {"inset", RuleStyle::Solid},   {"outset", RuleStyle::Solid}};
  for (const auto& [name, s] : kStyles) {
    if (t.is_ident(name)) {
      v.kind = Value::Kind::Keyword;
      v.keyword = static_cast<int>(s);
      return true;
    }
  }
  return false;
}

double DeclCompiler::clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

// Splits a colour function's arguments: components separated by commas or whitespace,
// with an optional alpha after '/' (or as an extra comma-separated argument).
bool DeclCompiler::function_args(const ComponentValue& f, std::vector<const ComponentValue*>& args,
                          const ComponentValue*& alpha) {
  alpha = nullptr;
  bool after_slash = false;
  for (const ComponentValue& c : f.children) {
    if (c.is_whitespace() || c.is(TokenType::Comma)) continue;
    if (c.is_delim('/')) {
      if (after_slash) return false;
      after_slash = true;
      continue;
    }
    if (after_slash) {
      if (alpha) return false;
      alpha = &c;
    } else {
      args.push_back(&c);
    }
  }
  return !after_slash || alpha;
}

// CSS Color 4 §4.2 <alpha-value>: a number or a percentage, clamped to 0..1; none is 0.
bool DeclCompiler::alpha_value(const ComponentValue* alpha, float& out, std::string& why) {
  double a = 1;
  if (!alpha) a = 1;
  else if (alpha->is(TokenType::Number)) a = alpha->token.number;
  else if (alpha->is(TokenType::Percentage)) a = alpha->token.number / 100;
  else if (alpha->is_ident("none")) a = 0;
  else {
    why = "the alpha is a number from 0 to 1 or a percentage";
    return false;
  }
  out = static_cast<float>(std::isfinite(a) ? clamp01(a) : 0.0);
  return true;
}

bool DeclCompiler::parse_color(const ComponentValue& t, Color& out, std::string& why) {
  if (t.is(TokenType::Hash)) return parse_hex(t.token.value, out, why);
  if (t.is(TokenType::Ident)) {
    if (t.is_ident("transparent")) {  // CSS Color 4 §6.2: rgb(0 0 0 / 0)
      out = Color::rgb(0, 0, 0);
      out.alpha = 0;
      return true;
    }
    if (named_color(t.token.value, out)) return true;
    std::vector<std::string_view> names;
    for (const NamedColor& c : kNamedColors) names.push_back(c.name);
    std::string m = closest_match(css::ascii_lower(t.token.value), names);
    why = m.empty() ? "unknown colour name '" + t.token.value + "'"
                    : "unknown colour name; did you mean '" + m + "'?";
    return false;
  }
  if (t.kind != ComponentValue::Kind::Function) return false;
  std::vector<const ComponentValue*> args;
  const ComponentValue* alpha;
  const std::string& fn = t.token.value;
  if (!function_args(t, args, alpha)) {
    why = "malformed " + fn + "()";
    return false;
  }
  if (t.is_function("rgb") || t.is_function("rgba")) {
    if (args.size() == 4 && !alpha) alpha = args.back(), args.pop_back();
    if (args.size() != 3) {
      why = "rgb() takes three components";
      return false;
    }
    double c[3];
    for (int i = 0; i < 3; ++i) {
      const ComponentValue& a = *args[i];
      if (a.is(TokenType::Number)) c[i] = clamp01(a.token.number / 255);
      else if (a.is(TokenType::Percentage)) c[i] = clamp01(a.token.number / 100);
      else {
        why = "rgb() components are numbers 0..255 or percentages";
        return false;
      }
    }
    float a;
    if (!alpha_value(alpha, a, why)) return false;
    out = Color::rgb(static_cast<float>(c[0]), static_cast<float>(c[1]),
                     static_cast<float>(c[2]));
    out.alpha = a;
    return true;
  }
  if (t.is_function("cmyk") || t.is_function("device-cmyk")) {
    if (args.size() == 5 && !alpha) alpha = args.back(), args.pop_back();
    if (args.size() != 4) {
      why = fn + "() takes four components: cyan, magenta, yellow, black";
      return false;
    }
    double c[4];
    for (int i = 0; i < 4; ++i) {
      const ComponentValue& a = *args[i];
      if (a.is(TokenType::Number)) c[i] = a.token.number;
      else if (a.is(TokenType::Percentage)) c[i] = a.token.number / 100;
      else c[i] = -1;
      if (c[i] < 0 || c[i] > 1) {
        why = fn + "() components are numbers from 0 to 1 or percentages from 0% to 100%";
        return false;
      }
    }
    float a;
    if (!alpha_value(alpha, a, why)) return false;
    out = Color::cmyk(static_cast<float>(c[0]), static_cast<float>(c[1]),
                      static_cast<float>(c[2]), static_cast<float>(c[3]));
    out.alpha = a;
    return true;
  }
  if (t.is_function("hsl") || t.is_function("hsla")) {
    if (args.size() == 4 && !alpha) alpha = args.back(), args.pop_back();
    if (args.size() != 3) {
      why = "hsl() takes three components";
      return false;
    }
    double h;
    if (!angle_degrees(*args[0], h)) {
      why = "the hue is a number of degrees or an angle";
      return false;
    }
    double sl[2];
    for (int i = 0; i < 2; ++i) {
      const ComponentValue& a = *args[i + 1];
      if (a.is(TokenType::Percentage) || a.is(TokenType::Number)) {
        sl[i] = clamp01(a.token.number / 100);
      } else {
        why = "saturation and lightness are percentages";
        return false;
      }
    }
    float alpha_out;
    if (!alpha_value(alpha, alpha_out, why)) return false;
    // CSS Color 4 §7.1 hslToRgb.
    h = std::fmod(h, 360.0);
    if (h < 0) h += 360;
    auto f = [&](double n) {
      double k = std::fmod(n + h / 30, 12.0);
      double a = sl[0] * std::min(sl[1], 1 - sl[1]);
      return sl[1] - a * std::max(-1.0, std::min({k - 3, 9 - k, 1.0}));
    };
    out = Color::rgb(static_cast<float>(f(0)), static_cast<float>(f(8)),
                     static_cast<float>(f(4)));
    out.alpha = alpha_out;
    return true;
  }
  if (t.is_function("spot")) {
    // spot("PANTONE 185 C", cmyk(0, .91, .76, 0)): a named ink with its CMYK look-alike,
    // for printers that do not run the separation (CSS has no spot colours; trang's own).
    std::vector<const ComponentValue*> parts;
    for (const ComponentValue& c : t.children)
      if (!c.is_whitespace() && !c.is(TokenType::Comma)) parts.push_back(&c);
    if (parts.size() != 2 || !parts[0]->is(TokenType::String) || parts[0]->token.value.empty()) {
      why = "spot() takes an ink name in quotes and a cmyk() fallback";
      return false;
    }
    if (!parse_color(*parts[1], out, why)) return false;
    if (out.space != Color::Space::Cmyk) {
      why = "the fallback of a spot colour must be cmyk()";
      return false;
    }
    out.spot = parts[0]->token.value;
    return true;
  }
  why = fn + "() is not a supported colour function";
  return false;
}

bool DeclCompiler::angle_degrees(const ComponentValue& a, double& deg) {
  if (a.is(TokenType::Number)) {
    deg = a.token.number;
    return true;
  }
  if (!a.is(TokenType::Dimension)) return false;
  static constexpr std::pair<std::string_view, double> kAngles[] = {
      {"deg", 1}, {"grad", 0.9}, {"rad", 57.29577951308232}, {"turn", 360}};
  for (const auto& [unit, k] : kAngles) {
    if (css::equals_ignore_case(a.token.value, unit)) {
      deg = a.token.number * k;
      return true;
    }
  }
  return false;
}

// CSS Color 4 §5.2 hex colours: #rgb, #rgba, #rrggbb, #rrggbbaa.
bool DeclCompiler::parse_hex(std::string_view hex, Color& out, std::string& why) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (char c : hex) {
    if (digit(c) < 0) {
      why = "'#" + std::string(hex) + "' is not a hexadecimal colour";
      return false;
    }
  }
  int comp[4] = {0, 0, 0, 255};
  if (hex.size() == 3 || hex.size() == 4) {
    for (size_t i = 0; i < hex.size(); ++i) comp[i] = digit(hex[i]) * 17;
  } else if (hex.size() == 6 || hex.size() == 8) {
    for (size_t i = 0; i < hex.size() / 2; ++i)
      comp[i] = digit(hex[2 * i]) * 16 + digit(hex[2 * i + 1]);
  } else {
    why = "a hex colour has 3, 4, 6 or 8 digits";
    return false;
  }
  out = Color::rgb(static_cast<float>(comp[0] / 255.0), static_cast<float>(comp[1] / 255.0),
                   static_cast<float>(comp[2] / 255.0));
  out.alpha = static_cast<float>(comp[3] / 255.0);
  return true;
}

bool named_color(std::string_view name, Color& out) {
  for (const NamedColor& c : kNamedColors) {
    if (css::equals_ignore_case(name, c.name)) {
      out = Color::rgb(static_cast<float>((c.rgb >> 16) / 255.0),
                       static_cast<float>(((c.rgb >> 8) & 0xFF) / 255.0),
                       static_cast<float>((c.rgb & 0xFF) / 255.0));
      return true;
    }
  }
  return false;
}


}  // namespace trang::style
