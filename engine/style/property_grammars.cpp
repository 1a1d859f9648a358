// The grammars particular to one property (or a few): fonts (CSS Fonts 4), line-height
// (CSS Inline 3), columns (CSS Multi-column 1), the page size (CSS Paged Media 3), hyphenation
// limits (CSS Text 4), string-set (CSS GCPM 3), initial-letter, object-position, and
// trang's own line-breaking costs.
#include <algorithm>
#include <cmath>
#include <optional>

#include "style/calc.h"
#include "style/decl_compiler.h"

namespace trang::style {

namespace {

// CSS Paged Media 3 §7.1.1 page sizes, in millimetres or inches (portrait).
struct PageSizeDef {
  std::string_view name;
  Pt width, height;
};
const PageSizeDef kPageSizes[] = {
    {"a5", mm(148), mm(210)},         {"a4", mm(210), mm(297)},
    {"a3", mm(297), mm(420)},         {"b5", mm(176), mm(250)},
    {"b4", mm(250), mm(353)},         {"jis-b5", mm(182), mm(257)},
    {"jis-b4", mm(257), mm(364)},     {"letter", Pt(8.5 * 72), Pt(11 * 72)},
    {"legal", Pt(8.5 * 72), Pt(14 * 72)}, {"ledger", Pt(11 * 72), Pt(17 * 72)},
    {"tabloid", Pt(11 * 72), Pt(17 * 72)},  // not in CSS; the US name of ledger
};

}  // namespace

// -trang-font-expansion: none | auto | <percentage>, kept as a fraction (0.02 = ±2%).
// Above kMaxFontExpansion glyphs visibly distort (pdfTeX's manual suggests 2–3%).
bool DeclCompiler::parse_font_expansion(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  v.kind = Value::Kind::Number;
  if (t->is_ident("none")) {
    v.number = 0;
    return true;
  }
  if (t->is_ident("auto")) {
    v.number = kAutoFontExpansion;
    return true;
  }
  if (!t->is(TokenType::Percentage)) return invalid();
  double p = t->token.number;
  if (!std::isfinite(p) || p < 0) return invalid("expansion cannot be negative");
  if (p > kMaxFontExpansion * 100) {
    out_of_range(p, kMaxFontExpansion * 100, "%");
    p = kMaxFontExpansion * 100;
  }
  v.number = p / 100;
  return true;
}

// -trang-runt-cost, -trang-stack-cost: none | auto | <percentage> of the default cost (as
// Typst's `costs`), kept as a multiple: 1 = auto = 100%, 0 = none.
bool DeclCompiler::parse_line_cost(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  v.kind = Value::Kind::Number;
  if (t->is_ident("none") || t->is_ident("auto")) {
    v.number = t->is_ident("auto") ? 1 : 0;
    return true;
  }
  if (!t->is(TokenType::Percentage)) return invalid();
  double p = t->token.number;
  if (!std::isfinite(p) || p < 0) return invalid("a cost cannot be negative");
  if (p > kMaxLineCost * 100) {
    out_of_range(p, kMaxLineCost * 100, "%");
    p = kMaxLineCost * 100;
  }
  v.number = p / 100;
  return true;
}

// -trang-runt-width: <percentage> of the measure, kept as a fraction.
bool DeclCompiler::parse_runt_width(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  if (!t->is(TokenType::Percentage)) return invalid();
  double p = t->token.number;
  if (!std::isfinite(p) || p < 0) return invalid("a width cannot be negative");
  if (p > 100) {
    out_of_range(p, 100, "%");
    p = 100;
  }
  v.kind = Value::Kind::Number;
  v.number = p / 100;
  return true;
}

// CSS Color 4 §14.1 opacity: <alpha-value>, a number or a percentage; outside 0..1 it is
// clamped (and said so).
bool DeclCompiler::parse_opacity(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  bool percent = t->is(TokenType::Percentage);
  if (!percent && !t->is(TokenType::Number)) return invalid();
  double a = percent ? t->token.number / 100 : t->token.number;
  if (!std::isfinite(a)) return invalid();
  if (a < 0 || a > 1) {
    double k = percent ? 100 : 1;
    out_of_range(a * k, clamp01(a) * k, percent ? "%" : "");
  }
  v.kind = Value::Kind::Number;
  v.number = clamp01(a);
  return true;
}

// CSS Fonts 4 §6.12: normal | <feature-tag-value>#, <feature-tag-value> =
// <opentype-tag> [ <integer [0,inf]> | on | off ]?. Kept as HarfBuzz feature strings.
bool DeclCompiler::parse_font_features(Value& v) {
  v.kind = Value::Kind::Strings;
  if (terms_.size() == 1 && terms_[0]->is_ident("normal")) return true;
  size_t i = 0;
  while (i < terms_.size()) {
    const ComponentValue& tag = *terms_[i++];
    if (!tag.is(TokenType::String)) return invalid("a feature tag is a quoted string: \"smcp\"");
    const std::string& t = tag.token.value;
    bool ascii = t.size() == 4 && std::all_of(t.begin(), t.end(), [](char c) {
                   return c >= 0x20 && c <= 0x7E;
                 });
    if (!ascii) return invalid("'" + t + "' is not a four-letter OpenType feature tag");
    std::string f = t;
    if (i < terms_.size() && !terms_[i]->is(TokenType::Comma)) {
      const ComponentValue& val = *terms_[i++];
      if (val.is_ident("on")) {
      } else if (val.is_ident("off")) {
        f += "=0";
      } else if (val.is(TokenType::Number) && val.token.integer && val.token.number >= 0) {
        f += "=" + format_number(val.token.number, 0);
      } else {
        return invalid("a feature value is on, off or a whole number");
      }
    }
    v.families.push_back(f);
    if (i < terms_.size()) {
      if (!terms_[i]->is(TokenType::Comma)) return invalid("put a comma between features");
      if (++i == terms_.size()) return invalid("the list ends with a comma");
    }
  }
  return true;
}

// CSS Text 4 §6.2.2: [ auto | <integer> ]{1,3}; auto is 5 2 2 here (-1 in `numbers`).
bool DeclCompiler::parse_limit_chars(Value& v) {
  if (terms_.size() > 3) return invalid("at most three values");
  v.kind = Value::Kind::Numbers;
  for (const ComponentValue* t : terms_) {
    if (t->is_ident("auto")) {
      v.numbers.push_back(-1);
    } else if (t->is(TokenType::Number) && t->token.integer && t->token.number >= 1 &&
               t->token.number <= 100) {
      v.numbers.push_back(t->token.number);
    } else {
      return invalid("each value is auto or a whole number from 1 to 100");
    }
  }
  return true;
}

bool DeclCompiler::parse_bleed_sides(Value& v) {
  v.kind = Value::Kind::Keyword;
  v.keyword = 0;
  if (terms_.size() == 1 && terms_[0]->is_ident("none")) return true;
  if (terms_.size() == 1 && terms_[0]->is_ident("all")) {
    v.keyword = kBleedLeft | kBleedRight | kBleedTop | kBleedBottom;
    return true;
  }
  static constexpr std::pair<std::string_view, int> kSides[] = {
      {"left", kBleedLeft}, {"right", kBleedRight}, {"top", kBleedTop}, {"bottom", kBleedBottom}};
  for (const ComponentValue* t : terms_) {
    int bit = 0;
    for (const auto& [name, b] : kSides)
      if (t->is_ident(name)) bit = b;
    if (!bit || (v.keyword & bit)) return invalid(bit ? "a side is named twice" : "");
    v.keyword |= bit;
  }
  return true;
}

// CSS Images 3 §5.5, the keyword and percentage forms of <position>: one or two of left,
// center, right, top, bottom and percentages, horizontal first unless keywords say
// otherwise. The numbers: horizontal and vertical, 0..1.
bool DeclCompiler::parse_object_position(Value& v) {
  v.kind = Value::Kind::Numbers;
  if (terms_.empty() || terms_.size() > 2) return invalid();
  std::optional<double> x, y;
  std::vector<double> centers;
  for (size_t i = 0; i < terms_.size(); ++i) {
    const ComponentValue* t = terms_[i];
    if (t->is_ident("left")) x = x ? -1 : 0;
    else if (t->is_ident("right")) x = x ? -1 : 1;
    else if (t->is_ident("top")) y = y ? -1 : 0;
    else if (t->is_ident("bottom")) y = y ? -1 : 1;
    else if (t->is_ident("center")) centers.push_back(0.5);
    else if (t->token.type == TokenType::Percentage) {
      double share = t->token.number / 100;
      if (i == 0) x = share;
      else if (!y) y = share;
      else if (!x) x = share;
    } else {
      return invalid(t->token.type == TokenType::Dimension
                         ? "lengths are not supported here: use keywords or percentages"
                         : "");
    }
  }
  if ((x && *x < 0) || (y && *y < 0)) return invalid("a side is named twice");
  for (double c : centers) (!x ? x : y) = c;
  v.numbers = {x.value_or(0.5), y.value_or(0.5)};
  return true;
}

// CSS Paged Media 3 §7.2.2: none | [ crop || cross ].
bool DeclCompiler::parse_marks(Value& v) {
  v.kind = Value::Kind::Keyword;
  v.keyword = kw::kNone;
  if (terms_.size() == 1 && terms_[0]->is_ident("none")) return true;
  if (terms_.size() > 2) return invalid();
  for (const ComponentValue* t : terms_) {
    int bit = t->is_ident("crop") ? kw::kMarkCrop : t->is_ident("cross") ? kw::kMarkCross : 0;
    if (!bit || (v.keyword & bit)) return invalid();
    v.keyword |= bit;
  }
  return true;
}

// CSS Inline 3 §7.2: normal | <number [1,inf]> <integer [1,inf]>?
bool DeclCompiler::parse_initial_letter(Value& v) {
  v.kind = Value::Kind::Numbers;
  if (terms_.size() == 1 && terms_[0]->is_ident("normal")) return true;
  if (terms_.size() > 2) return invalid();
  for (size_t i = 0; i < terms_.size(); ++i) {
    const ComponentValue& t = *terms_[i];
    if (!t.is(TokenType::Number) || t.token.number < 1 || (i == 1 && !t.token.integer))
      return invalid(i == 0 ? "the size is a number of lines, 1 or more"
                            : "the sink is a whole number of lines, 1 or more");
    if (t.token.number > 10) return invalid("at most 10 lines");
    v.numbers.push_back(t.token.number);
  }
  return true;
}

// CSS GCPM 3 §1.1: none | [ <custom-ident> <content-list> ]#.
bool DeclCompiler::parse_string_set(Value& v) {
  v.kind = Value::Kind::StringSets;
  if (terms_.size() == 1 && terms_[0]->is_ident("none")) return true;
  size_t i = 0;
  while (i < terms_.size()) {
    if (!terms_[i]->is(TokenType::Ident)) return invalid("expected a name first");
    StringSet set;
    set.name = terms_[i++]->token.value;
    while (i < terms_.size() && !terms_[i]->is(TokenType::Comma)) {
      ContentItem item;
      if (!content_item(*terms_[i++], ContentUse::StringSet, item)) return false;
      set.value.push_back(std::move(item));
    }
    if (set.value.empty()) return invalid("'" + set.name + "' needs a value, e.g. content(text)");
    v.string_sets.push_back(std::move(set));
    if (i < terms_.size() && ++i == terms_.size()) return invalid("the list ends with a comma");
  }
  return true;
}

// §2.1: [ <family-name> | <generic-family> ]#, a family name being a string or a sequence of
// identifiers (joined by single spaces).
bool DeclCompiler::parse_font_family(Value& v) {
  v.kind = Value::Kind::Families;
  std::string current;
  bool have = false, quoted = false;
  for (size_t i = 0; i <= terms_.size(); ++i) {
    if (i == terms_.size() || terms_[i]->is(TokenType::Comma)) {
      if (!have) return invalid("empty family name in the list");
      v.families.push_back(current);
      current.clear();
      have = quoted = false;
      continue;
    }
    const ComponentValue& t = *terms_[i];
    if (t.is(TokenType::String)) {
      if (have) return invalid("put a comma between family names");
      current = t.token.value;
      have = quoted = true;
    } else if (t.is(TokenType::Ident)) {
      if (quoted) return invalid("put a comma between family names");
      if (have) current += ' ';
      current += t.token.value;
      have = true;
    } else {
      return invalid("family names are identifiers or quoted strings");
    }
  }
  return true;
}

// §2.5 <absolute-size> (CSS Fonts 4 table: xx-small 9px ... xxx-large 48px) and
// <relative-size> (a factor of 1.2, as CSS 2.1 §15.7 suggests).
bool DeclCompiler::parse_font_size(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  static constexpr std::pair<std::string_view, double> kSizes[] = {
      {"xx-small", 9},  {"x-small", 10}, {"small", 13},    {"medium", 16},
      {"large", 18},    {"x-large", 24}, {"xx-large", 32}, {"xxx-large", 48}};
  if (t->is(TokenType::Ident)) {
    for (const auto& [name, px] : kSizes) {
      if (t->is_ident(name)) {
        v.kind = Value::Kind::Length;
        v.length = {px * 0.75, LengthUnit::Pt};
        return true;
      }
    }
    if (t->is_ident("smaller") || t->is_ident("larger")) {
      v.kind = Value::Kind::Length;
      v.length = {t->is_ident("larger") ? 120.0 : 100.0 / 1.2, LengthUnit::Percent};
      return true;
    }
    return invalid();
  }
  std::string why;
  if (!length(*t, v.length, why, "")) return invalid(why);
  v.kind = Value::Kind::Length;
  if (v.length.value < 0) return invalid("a font size cannot be negative");
  if (v.length.unit == LengthUnit::Pt) {
    double c = std::clamp(v.length.value, kMinFontSize, kMaxFontSize);
    if (c != v.length.value) {
      out_of_range(v.length.value, c, "pt");
      v.length.value = c;
    }
  }
  return true;
}

// §2.2: normal | bold | bolder | lighter | <number [1,1000]>.
bool DeclCompiler::parse_font_weight(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  if (t->is(TokenType::Number)) {
    if (t->token.number < 1 || t->token.number > 1000)
      return invalid("a weight is a number from 1 to 1000");
    v.kind = Value::Kind::Number;
    v.number = t->token.number;
    return true;
  }
  if (t->is_ident("normal") || t->is_ident("bold")) {
    v.kind = Value::Kind::Number;
    v.number = t->is_ident("bold") ? 700 : 400;
    return true;
  }
  return keyword<int>({{"bolder", kw::kBolder}, {"lighter", kw::kLighter},
                       {"normal", 0}, {"bold", 0}},
                      v);
}

// §2.4: normal | italic | oblique <angle>? ; oblique is rendered with the italic face.
bool DeclCompiler::parse_font_style(Value& v) {
  if (terms_.size() == 2 && terms_[0]->is_ident("oblique") &&
      terms_[1]->is(TokenType::Dimension)) {
    v.kind = Value::Kind::Keyword;
    v.keyword = static_cast<int>(FontStyle::Italic);
    return true;
  }
  return keyword<FontStyle>({{"normal", FontStyle::Normal},
                             {"italic", FontStyle::Italic},
                             {"oblique", FontStyle::Italic}},
                            v);
}

// CSS Inline 3 §4.1 / CSS 2.1 §10.8.1: normal | <number> | <length> | <percentage>.
// `normal` is taken as the number 1.2. Negative values are clamped to 0.
bool DeclCompiler::parse_line_height(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  if (t->is_ident("normal")) {
    v.kind = Value::Kind::Number;
    v.number = 1.2;
    return true;
  }
  if (t->is(TokenType::Number)) {
    v.kind = Value::Kind::Number;
    v.number = t->token.number;
    double c = std::clamp(v.number, 0.0, 1000.0);
    if (c != v.number) {
      out_of_range(v.number, c, "");
      v.number = c;
    }
    return true;
  }
  std::string why;
  if (!length(*t, v.length, why, "")) return invalid(why);
  v.kind = Value::Kind::Length;
  keep_sane(v.length);
  no_negative(v.length);
  return true;
}

bool DeclCompiler::parse_column_count(Value& v) {
  const ComponentValue* t = nullptr;
  if (!single(t)) return false;
  if (t->is_ident("auto")) {
    v.kind = Value::Kind::Keyword;
    v.keyword = kw::kAuto;
    return true;
  }
  if (!t->is(TokenType::Number)) return invalid();
  if (!t->token.integer) return invalid("the number of columns must be a whole number");
  v.kind = Value::Kind::Number;
  v.number = t->token.number;
  double c = std::clamp(v.number, 1.0, static_cast<double>(kMaxColumnCount));
  if (c != v.number) {
    out_of_range(v.number, c, "");
    v.number = c;
  }
  return true;
}

bool DeclCompiler::parse_size(Value& v) {
  v.kind = Value::Kind::PageSize;
  if (terms_.size() == 1 && terms_[0]->is_ident("auto")) return true;
  // <length [0,inf]>{1,2}
  if (!terms_.empty() && !terms_[0]->is(TokenType::Ident)) {
    if (terms_.size() > 2) return invalid("expected a width and a height");
    Pt dims[2];
    for (size_t i = 0; i < terms_.size(); ++i) {
      Length l;
      std::string why;
      if (!length(*terms_[i], l, why, "a page size cannot be a percentage"))
        return invalid(why);
      // The page context's font is the initial one; the page area is what this sets.
      LengthBasis page{kMediumFontSize, kMediumFontSize, Pt(0), kMediumFontSize * 0.5,
                       kMediumFontSize * 0.5, Pt(0), Pt(0)};
      if (uses_unit(l, LengthUnit::Vw) || uses_unit(l, LengthUnit::Vh) ||
          uses_unit(l, LengthUnit::Vmin) || uses_unit(l, LengthUnit::Vmax))
        return invalid("a page size cannot be in vw or vh, which are of the page");
      if (l.unit != LengthUnit::Pt) l = {resolve_length(l, page).v, LengthUnit::Pt};
      if (l.value <= 0) return invalid("a page side must be longer than 0");
      double c = std::clamp(l.value, kMinPageSide, kMaxPageSide);
      if (c != l.value) {
        out_of_range(l.value, c, "pt");
        l.value = c;
      }
      dims[i] = Pt(l.value);
    }
    v.page_width = dims[0];
    v.page_height = terms_.size() == 2 ? dims[1] : dims[0];
    return true;
  }
  // <page-size> || [portrait | landscape]
  bool has_size = false;
  for (const ComponentValue* t : terms_) {
    if (!t->is(TokenType::Ident)) return invalid();
    if (v.orientation == Orientation::None &&
        (t->is_ident("portrait") || t->is_ident("landscape"))) {
      v.orientation = t->is_ident("portrait") ? Orientation::Portrait : Orientation::Landscape;
      continue;
    }
    bool found = false;
    for (const PageSizeDef& p : kPageSizes) {
      if (!has_size && t->is_ident(p.name)) {
        v.page_width = p.width;
        v.page_height = p.height;
        has_size = found = true;
        break;
      }
    }
    if (!found) {
      std::vector<std::string_view> names;
      for (const PageSizeDef& p : kPageSizes) names.push_back(p.name);
      names.push_back("portrait");
      names.push_back("landscape");
      std::string m = closest_match(css::ascii_lower(t->token.value), names);
      return invalid(m.empty() ? "unknown page size '" + t->token.value + "'"
                               : "did you mean '" + m + "'?");
    }
  }
  return true;
}

}  // namespace trang::style
