// Property definitions and value validation. Grammar references are to the specification
// that defines each property: CSS 2.1 (display, margin, text-indent), CSS Fonts 4, CSS Inline 3
// (line-height), CSS Color 4/5, CSS Text 3, CSS Multi-column 1, CSS Paged Media 3 (size),
// CSS Values 3 (units), CSS Cascade 4 (inherit, initial, unset).
#include "style/properties.h"

#include <algorithm>
#include <cmath>

#include "style/suggest.h"

namespace trang::style {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

namespace {

struct PropertyDef {
  std::string_view name;
  PropertyId id;
  bool inherited;
  DeclContext context;
  std::string_view expected;  // the grammar, for the hint of an invalid value
};

constexpr std::string_view kExpectedLength = "expected a length such as 4mm, 1em or 0";
constexpr std::string_view kExpectedWidth =
    "expected thin, medium, thick or a length such as 0.5pt";
constexpr std::string_view kExpectedStyle =
    "expected none, solid, dotted, dashed, double, hidden, groove, ridge, inset or outset";
constexpr std::string_view kExpectedPadding = "expected a length such as 2mm, 0.5em or 0";
constexpr std::string_view kExpectedColor =
    "expected a colour: #rrggbb, #rgb, rgb(r, g, b), cmyk(c, m, y, k), hsl(h, s%, l%), "
    "spot(\"ink name\", cmyk(c, m, y, k)) or a name such as black";

// Indexed by PropertyId.
constexpr PropertyDef kLonghands[] = {
    {"display", PropertyId::Display, false, DeclContext::Element,
     "expected block, inline or none"},
    {"font-family", PropertyId::FontFamily, true, DeclContext::Element,
     "expected a comma-separated list of family names, e.g. \"Noto Serif\", serif"},
    {"font-size", PropertyId::FontSize, true, DeclContext::Element,
     "expected a length (9.5pt, 3.5mm, 1.2em), a percentage, or xx-small, x-small, small, "
     "medium, large, x-large, xx-large, xxx-large, smaller, larger"},
    {"font-weight", PropertyId::FontWeight, true, DeclContext::Element,
     "expected normal, bold, bolder, lighter or a number from 1 to 1000"},
    {"font-style", PropertyId::FontStyle, true, DeclContext::Element,
     "expected normal, italic or oblique"},
    {"line-height", PropertyId::LineHeight, true, DeclContext::Element,
     "expected normal, a number (1.3), a length (12.5pt) or a percentage"},
    {"color", PropertyId::Color, true, DeclContext::Element, kExpectedColor},
    {"text-align", PropertyId::TextAlign, true, DeclContext::Element,
     "expected left, right, center, justify, start or end"},
    {"text-transform", PropertyId::TextTransform, true, DeclContext::Element,
     "expected none, uppercase or lowercase"},
    {"text-indent", PropertyId::TextIndent, true, DeclContext::Element, kExpectedLength},
    {"letter-spacing", PropertyId::LetterSpacing, true, DeclContext::Element,
     "expected normal or a length such as 0.05em or 0.5pt"},
    {"margin-top", PropertyId::MarginTop, false, DeclContext::Element, kExpectedLength},
    {"margin-right", PropertyId::MarginRight, false, DeclContext::Element, kExpectedLength},
    {"margin-bottom", PropertyId::MarginBottom, false, DeclContext::Element, kExpectedLength},
    {"margin-left", PropertyId::MarginLeft, false, DeclContext::Element, kExpectedLength},
    {"column-span", PropertyId::ColumnSpan, false, DeclContext::Element,
     "expected none or all"},
    {"column-count", PropertyId::ColumnCount, false, DeclContext::Element,
     "expected auto or a whole number from 1 to 20"},
    {"column-gap", PropertyId::ColumnGap, false, DeclContext::Element,
     "expected normal or a length such as 5mm"},
    {"column-rule-width", PropertyId::ColumnRuleWidth, false, DeclContext::Element,
     "expected thin, medium, thick or a length such as 0.5pt"},
    {"column-rule-style", PropertyId::ColumnRuleStyle, false, DeclContext::Element,
     "expected none, solid, dotted, dashed, double, hidden, groove, ridge, inset or outset"},
    {"column-rule-color", PropertyId::ColumnRuleColor, false, DeclContext::Element,
     kExpectedColor},
    {"size", PropertyId::Size, false, DeclContext::Page,
     "expected A5, A4, A3, B5, B4, JIS-B5, JIS-B4, letter, legal, ledger or tabloid, optionally "
     "with portrait or landscape; or a width and a height such as 210mm 297mm"},
    {"font-feature-settings", PropertyId::FontFeatureSettings, true, DeclContext::Element,
     "expected normal or a comma-separated list of quoted four-letter OpenType feature tags, "
     "each optionally followed by on, off or a number: \"smcp\", \"liga\" off"},
    {"font-variant-caps", PropertyId::FontVariantCaps, true, DeclContext::Element,
     "expected normal, small-caps, all-small-caps, petite-caps, all-petite-caps, unicase or "
     "titling-caps"},
    {"word-spacing", PropertyId::WordSpacing, true, DeclContext::Element,
     "expected normal or a length such as 0.1em or 1pt"},
    {"text-align-last", PropertyId::TextAlignLast, true, DeclContext::Element,
     "expected auto, left, right, center, justify, start or end"},
    {"hyphens", PropertyId::Hyphens, true, DeclContext::Element,
     "expected none, manual or auto"},
    {"hyphenate-limit-chars", PropertyId::HyphenateLimitChars, true, DeclContext::Element,
     "expected one to three whole numbers or auto: word length, characters before and after "
     "the hyphen (6 3 2)"},
    {"hyphenate-limit-lines", PropertyId::HyphenateLimitLines, true, DeclContext::Element,
     "expected no-limit or a whole number of 1 or more"},
    {"widows", PropertyId::Widows, true, DeclContext::Element,
     "expected a whole number of 1 or more"},
    {"orphans", PropertyId::Orphans, true, DeclContext::Element,
     "expected a whole number of 1 or more"},
    {"break-before", PropertyId::BreakBefore, false, DeclContext::Element,
     "expected auto, avoid, avoid-page, avoid-column, page, column, left, right, recto or verso"},
    {"break-after", PropertyId::BreakAfter, false, DeclContext::Element,
     "expected auto, avoid, avoid-page, avoid-column, page, column, left, right, recto or verso"},
    {"break-inside", PropertyId::BreakInside, false, DeclContext::Element,
     "expected auto, avoid, avoid-page or avoid-column"},
    {"column-fill", PropertyId::ColumnFill, false, DeclContext::Element,
     "expected balance or auto"},
    {"-trang-line-breaking", PropertyId::TrangLineBreaking, true, DeclContext::Element,
     "expected total-fit or greedy"},
    {"-trang-protrusion", PropertyId::TrangProtrusion, true, DeclContext::Element,
     "expected auto or none"},
    {"-trang-font-expansion", PropertyId::TrangFontExpansion, true, DeclContext::Element,
     "expected none, auto (2%) or a percentage up to 5% such as 1.5%"},
    {"-trang-runt-cost", PropertyId::TrangRuntCost, true, DeclContext::Element,
     "expected none, auto (100%) or a percentage up to 1000% such as 50%"},
    {"-trang-runt-width", PropertyId::TrangRuntWidth, true, DeclContext::Element,
     "expected a percentage of the measure from 0% to 100% such as 20%"},
    {"-trang-stack-cost", PropertyId::TrangStackCost, true, DeclContext::Element,
     "expected none, auto (100%) or a percentage up to 1000% such as 50%"},
    {"-trang-diacritic-clearance", PropertyId::TrangDiacriticClearance, true,
     DeclContext::Element, "expected auto or warn"},
    {"background-color", PropertyId::BackgroundColor, false, DeclContext::Element,
     "expected transparent or a colour"},
    {"border-top-width", PropertyId::BorderTopWidth, false, DeclContext::Element, kExpectedWidth},
    {"border-right-width", PropertyId::BorderRightWidth, false, DeclContext::Element,
     kExpectedWidth},
    {"border-bottom-width", PropertyId::BorderBottomWidth, false, DeclContext::Element,
     kExpectedWidth},
    {"border-left-width", PropertyId::BorderLeftWidth, false, DeclContext::Element,
     kExpectedWidth},
    {"border-top-style", PropertyId::BorderTopStyle, false, DeclContext::Element, kExpectedStyle},
    {"border-right-style", PropertyId::BorderRightStyle, false, DeclContext::Element,
     kExpectedStyle},
    {"border-bottom-style", PropertyId::BorderBottomStyle, false, DeclContext::Element,
     kExpectedStyle},
    {"border-left-style", PropertyId::BorderLeftStyle, false, DeclContext::Element,
     kExpectedStyle},
    {"border-top-color", PropertyId::BorderTopColor, false, DeclContext::Element, kExpectedColor},
    {"border-right-color", PropertyId::BorderRightColor, false, DeclContext::Element,
     kExpectedColor},
    {"border-bottom-color", PropertyId::BorderBottomColor, false, DeclContext::Element,
     kExpectedColor},
    {"border-left-color", PropertyId::BorderLeftColor, false, DeclContext::Element,
     kExpectedColor},
    {"padding-top", PropertyId::PaddingTop, false, DeclContext::Element, kExpectedPadding},
    {"padding-right", PropertyId::PaddingRight, false, DeclContext::Element, kExpectedPadding},
    {"padding-bottom", PropertyId::PaddingBottom, false, DeclContext::Element, kExpectedPadding},
    {"padding-left", PropertyId::PaddingLeft, false, DeclContext::Element, kExpectedPadding},
    {"width", PropertyId::Width, false, DeclContext::Element,
     "expected auto, a length (40mm) or a percentage of the column or spanned columns (60%)"},
    {"float", PropertyId::Float, false, DeclContext::Element,
     "expected none, top or bottom (figures), or left (::first-letter)"},
    {"-trang-bleed", PropertyId::TrangBleed, false, DeclContext::Element,
     "expected none, all, or any of left, right, top and bottom"},
    {"object-fit", PropertyId::ObjectFit, false, DeclContext::Element,
     "expected contain, cover, fill or scale-down"},
    {"object-position", PropertyId::ObjectPosition, false, DeclContext::Element,
     "expected one or two of left, center, right, top, bottom and percentages (50% 30%)"},
    {"string-set", PropertyId::StringSet, false, DeclContext::Element,
     "expected none or a name followed by strings, content(text) or attr(name), e.g. "
     "section content(text)"},
    {"content", PropertyId::Content, false, DeclContext::MarginBox,
     "expected none, or strings, counter(page), counter(pages) and string(name)"},
    {"initial-letter", PropertyId::InitialLetter, false, DeclContext::Element,
     "expected normal, or a size in lines (3) optionally followed by a sink (3 2)"},
    {"text-wrap", PropertyId::TextWrap, true, DeclContext::Element,
     "expected wrap or balance (also auto, pretty and stable, which are wrap here)"},
    {"-trang-min-lines", PropertyId::TrangMinLines, true, DeclContext::Element,
     "expected a whole number of 1 or more"},
    {"bleed", PropertyId::Bleed, false, DeclContext::Page,
     "expected auto or a length such as 3mm"},
    {"marks", PropertyId::Marks, false, DeclContext::Page, "expected none, or crop, cross or both"},
    {"-trang-baseline-grid", PropertyId::TrangBaselineGrid, false, DeclContext::Page,
     "expected none or a length such as 12.5pt"},
};
static_assert(std::size(kLonghands) == kPropertyCount);

const PropertyDef& def(PropertyId id) { return kLonghands[static_cast<size_t>(id)]; }

enum class Shorthand : uint8_t {
  Margin, ColumnRule, Padding, Border, BorderTop, BorderRight, BorderBottom, BorderLeft,
  BorderWidth, BorderStyle, BorderColor, Background
};
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
};

// Properties CSS defines (many of them in the design brief's list) that this version does
// not implement yet: naming them gives a truthful message instead of "unknown property".
constexpr std::string_view kNotYetSupported[] = {
    "column-width", "columns", "counter-increment", "counter-reset", "font", "font-kerning",
    "font-stretch", "font-variant", "font-variant-ligatures", "font-variant-numeric", "height",
    "list-style", "list-style-type", "max-height", "max-width", "min-height", "min-width",
    "page", "page-break-after", "page-break-before", "page-break-inside", "text-decoration",
    "vertical-align", "white-space",
};

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
    {"rem", 0, LengthUnit::Rem},
};
constexpr std::string_view kUnsupportedUnits[] = {"ex",  "ch",   "ic",   "cap", "lh",
                                                  "rlh", "vw",   "vh",   "vi",  "vb",
                                                  "vmin", "vmax"};

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

// PDF viewers and RIPs cope with pages up to 200 in (ISO 32000-1 Annex C, 14 400 units);
// less than half an inch is surely a mistake.
constexpr double kMinPageSide = 36, kMaxPageSide = 14400;

std::string fmt(double v, std::string_view unit = "pt") {
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

  void run() {
    if (css::contains_bad_token(d_.value)) return;  // the tokenizer has reported it
    if (name_.starts_with("--")) {
      warn(ctx_.pos(d_.name), "custom properties are not supported yet: '" + d_.name.value +
                                  "' (ignored)");
      return;
    }
    for (const ShorthandDef& s : kShorthands) {
      if (name_ == s.name) {
        expected_ = s.expected;
        if (terms_.empty()) return missing_value();
        if (where_ == DeclContext::Page && s.id != Shorthand::Margin) return wrong_context();
        if (where_ == DeclContext::MarginBox) return wrong_context();
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
      if (global_keyword()) {
        emit(p.id, global_);
        return;
      }
      Value v;
      if (parse_longhand(p.id, v)) emit(p.id, std::move(v));
      return;
    }
    if (std::find(std::begin(kNotYetSupported), std::end(kNotYetSupported), name_) !=
        std::end(kNotYetSupported)) {
      warn(ctx_.pos(d_.name), "property '" + d_.name.value + "' is not supported yet (ignored)");
      return;
    }
    warn(ctx_.pos(d_.name), "unknown property '" + d_.name.value + "' (ignored)",
         did_you_mean(name_, all_property_names()));
  }

 private:
  // Whether the property may be declared where it stands.
  bool applies(const PropertyDef& p) const {
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

  static bool is_margin(PropertyId id) {
    return id == PropertyId::MarginTop || id == PropertyId::MarginRight ||
           id == PropertyId::MarginBottom || id == PropertyId::MarginLeft;
  }

  void warn(SourcePos pos, std::string msg, std::string hint = {}) {
    ctx_.diags.warning(std::move(pos), std::move(msg), std::move(hint));
  }

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
         std::string(expected_));
  }
  void wrong_context() {
    if (where_ == DeclContext::Page)
      warn(ctx_.pos(d_.name), "property '" + name_ + "' does not apply in @page (ignored)");
    else if (where_ == DeclContext::MarginBox)
      warn(ctx_.pos(d_.name),
           "property '" + name_ + "' does not apply in a page margin box (ignored)",
           "margin boxes take content, font-*, color, letter-spacing, word-spacing, "
           "line-height, text-align and text-transform");
    else if (name_ == "content")
      warn(ctx_.pos(d_.name), "property 'content' applies only in page margin boxes (ignored)",
           "put it in @page { @top-center { content: ...; } }");
    else
      warn(ctx_.pos(d_.name), "property '" + name_ + "' applies only in @page (ignored)",
           "move it into an @page { ... } rule");
  }
  void out_of_range(double given, double clamped, std::string_view unit) {
    warn(value_pos_, "out-of-range value for '" + name_ + "': " + fmt(given, unit) +
                         " (clamped to " + fmt(clamped, unit) + ")");
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

  static std::vector<PropertyId> longhands_of(Shorthand s) {
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
    }
    return {};
  }

  void expand_global(Shorthand s) {
    for (PropertyId id : longhands_of(s)) emit(id, global_);
  }

  void parse_shorthand(Shorthand s) {
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

  // One to four values for top, right, bottom, left (CSS 2.1 §8.3 / §8.4 / §8.5).
  void parse_box_shorthand(Shorthand s, bool (DeclCompiler::*one)(const ComponentValue&, Value&)) {
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

  bool parse_padding_value(const ComponentValue& t, Value& v) {
    std::string why;
    if (!length(t, v.length, why, "percentage paddings are not supported yet"))
      return invalid(why);
    v.kind = Value::Kind::Length;
    keep_sane(v.length);
    if (v.length.value < 0) return invalid("a padding cannot be negative");
    return true;
  }
  bool parse_border_width_value(const ComponentValue& t, Value& v) {
    std::string why;
    if (!parse_rule_width(t, v, why)) return invalid(why);
    return true;
  }
  bool parse_border_style_value(const ComponentValue& t, Value& v) {
    if (!parse_rule_style(t, v)) return invalid();
    return true;
  }
  bool parse_color_value(const ComponentValue& t, Value& v) {
    if (t.is_ident("currentcolor")) {
      v.kind = Value::Kind::CurrentColor;
      return true;
    }
    std::string why;
    if (!parse_color(t, v.color, why)) return invalid(why);
    v.kind = Value::Kind::Color;
    return true;
  }
  bool parse_background_color(Value& v) {
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
  bool parse_width_style_color(Value& width, Value& style, Value& color) {
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

  bool single(const ComponentValue*& t) {
    if (terms_.size() == 2 && terms_[0]->is(TokenType::Number) &&
        terms_[1]->is(TokenType::Ident) && is_unit(terms_[1]->token.value))
      return invalid("no space between a number and its unit: write '" +
                     format_number(terms_[0]->token.number, 4) + terms_[1]->token.value + "'");
    if (terms_.size() != 1) return invalid(terms_.size() > 1 ? "expected a single value" : "");
    t = terms_[0];
    return true;
  }

  static bool is_unit(std::string_view name) {
    for (const UnitDef& u : kUnits)
      if (css::equals_ignore_case(name, u.name)) return true;
    return false;
  }

  bool parse_longhand(PropertyId id, Value& v) {
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
      case PropertyId::TextAlign:
        // CSS Text 3 §6.1. start/end are left/right: articles are set left to right (no
        // `direction` yet).
        return keyword<TextAlign>({{"left", TextAlign::Left},
                                   {"right", TextAlign::Right},
                                   {"center", TextAlign::Center},
                                   {"justify", TextAlign::Justify},
                                   {"start", TextAlign::Left},
                                   {"end", TextAlign::Right}},
                                  v);
      case PropertyId::TextTransform:
        if (unsupported_keyword({"capitalize", "full-width"})) return false;
        return keyword<TextTransform>({{"none", TextTransform::None},
                                       {"uppercase", TextTransform::Uppercase},
                                       {"lowercase", TextTransform::Lowercase}},
                                      v);
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
      case PropertyId::TextAlignLast:
        return keyword<TextAlignLast>({{"auto", TextAlignLast::Auto},
                                       {"left", TextAlignLast::Left},
                                       {"right", TextAlignLast::Right},
                                       {"center", TextAlignLast::Center},
                                       {"justify", TextAlignLast::Justify},
                                       {"start", TextAlignLast::Left},
                                       {"end", TextAlignLast::Right}},
                                      v);
      case PropertyId::Hyphens:
        return keyword<Hyphens>(
            {{"none", Hyphens::None}, {"manual", Hyphens::Manual}, {"auto", Hyphens::Auto}}, v);
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
      case PropertyId::BreakBefore:
      case PropertyId::BreakAfter:
        return keyword<BreakValue>({{"auto", BreakValue::Auto},
                                    {"avoid", BreakValue::Avoid},
                                    {"avoid-page", BreakValue::Avoid},
                                    {"avoid-column", BreakValue::Avoid},
                                    {"page", BreakValue::Page},
                                    {"left", BreakValue::Page},
                                    {"right", BreakValue::Page},
                                    {"recto", BreakValue::Page},
                                    {"verso", BreakValue::Page},
                                    {"column", BreakValue::Column},
                                    {"always", BreakValue::Column}},
                                   v);
      case PropertyId::BreakInside:
        return keyword<BreakValue>({{"auto", BreakValue::Auto},
                                    {"avoid", BreakValue::Avoid},
                                    {"avoid-page", BreakValue::Avoid},
                                    {"avoid-column", BreakValue::Avoid}},
                                   v);
      case PropertyId::ColumnFill:
        return keyword<int>({{"auto", 0}, {"balance", 1}, {"balance-all", 1}}, v);
      case PropertyId::TextWrap:
        // CSS Text 4 §5.1 (text-wrap as the shorthand of text-wrap-mode and -style, one value).
        // `pretty` asks for what total fit already does for every paragraph; `stable` only
        // matters to editors. Not wrapping at all is not supported.
        if (unsupported_keyword({"nowrap", "avoid-orphans"})) return false;
        return keyword<TextWrap>({{"wrap", TextWrap::Wrap},
                                  {"auto", TextWrap::Wrap},
                                  {"pretty", TextWrap::Wrap},
                                  {"stable", TextWrap::Wrap},
                                  {"balance", TextWrap::Balance}},
                                 v);
      case PropertyId::TrangLineBreaking:
        return keyword<LineBreaking>(
            {{"total-fit", LineBreaking::TotalFit}, {"greedy", LineBreaking::Greedy}}, v);
      case PropertyId::TrangProtrusion:
        return keyword<int>({{"none", 0}, {"auto", 1}}, v);
      case PropertyId::TrangFontExpansion: return parse_font_expansion(v);
      case PropertyId::TrangRuntCost:
      case PropertyId::TrangStackCost: return parse_line_cost(v);
      case PropertyId::TrangRuntWidth: return parse_runt_width(v);
      case PropertyId::TrangDiacriticClearance:
        return keyword<int>({{"warn", 0}, {"auto", 1}}, v);
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
      case PropertyId::Width: {
        const ComponentValue* t = nullptr;
        if (!single(t)) return false;
        if (t->is_ident("auto")) {
          v.kind = Value::Kind::Keyword;
          v.keyword = kw::kAuto;
          return true;
        }
        std::string why;
        if (!length(*t, v.length, why, "")) return invalid(why);
        v.kind = Value::Kind::Length;
        keep_sane(v.length);
        if (v.length.value <= 0) return invalid("a width must be larger than 0");
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
      case PropertyId::ObjectFit:
        // A picture's box always takes the picture's proportions, unless it must be shorter
        // to fit: then cover crops it, the others scale it down. `none` would print the
        // pixels at their own size, which a print page has no use for.
        if (unsupported_keyword({"none"})) return false;
        return keyword<ObjectFit>({{"contain", ObjectFit::Contain},
                                   {"fill", ObjectFit::Contain},
                                   {"scale-down", ObjectFit::Contain},
                                   {"cover", ObjectFit::Cover}},
                                  v);
      case PropertyId::ObjectPosition: return parse_object_position(v);
      case PropertyId::StringSet: return parse_string_set(v);
      case PropertyId::Content: return parse_content(v);
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
    }
    return invalid();
  }

  // A single whole number in [lo, hi] (widows, orphans, hyphenate-limit-lines).
  bool parse_integer(Value& v, int lo, int hi) {
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

  // -trang-font-expansion: none | auto | <percentage>, kept as a fraction (0.02 = ±2%).
  // Above kMaxFontExpansion glyphs visibly distort (pdfTeX's manual suggests 2–3%).
  bool parse_font_expansion(Value& v) {
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
  bool parse_line_cost(Value& v) {
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
  bool parse_runt_width(Value& v) {
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

  // CSS Fonts 4 §6.12: normal | <feature-tag-value>#, <feature-tag-value> =
  // <opentype-tag> [ <integer [0,inf]> | on | off ]?. Kept as HarfBuzz feature strings.
  bool parse_font_features(Value& v) {
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
  bool parse_limit_chars(Value& v) {
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

  bool parse_bleed_sides(Value& v) {
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
  bool parse_object_position(Value& v) {
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
  bool parse_marks(Value& v) {
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
  bool parse_initial_letter(Value& v) {
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

  // One content item: a string, content(text), attr(name), and in margin boxes counter(page),
  // counter(pages) and string(name[, first|start|last|first-except]).
  bool content_item(const ComponentValue& t, bool margin_box, ContentItem& out) {
    if (t.is(TokenType::String)) {
      out.kind = ContentItem::Kind::Literal;
      out.value = t.token.value;
      return true;
    }
    if (t.kind != ComponentValue::Kind::Function) return invalid();
    std::vector<const ComponentValue*> args;
    for (const ComponentValue& c : t.children)
      if (!c.is_whitespace()) args.push_back(&c);
    auto ident_arg = [&](size_t k) -> const std::string* {
      return k < args.size() && args[k]->is(TokenType::Ident) ? &args[k]->token.value : nullptr;
    };
    if (t.is_function("content")) {
      if (!(args.empty() || (args.size() == 1 && args[0]->is_ident("text"))))
        return invalid("content() takes only 'text' here");
      out.kind = ContentItem::Kind::ElementText;
      return true;
    }
    if (t.is_function("attr")) {
      if (args.size() != 1 || !ident_arg(0)) return invalid("attr() takes an attribute name");
      out.kind = ContentItem::Kind::Attr;
      out.value = *ident_arg(0);
      return true;
    }
    if (!margin_box)
      return invalid(t.token.value + "() is not available in string-set; use content(text), "
                                     "attr(name) or a string");
    if (t.is_function("counter")) {
      const std::string* name = ident_arg(0);
      if (!name || !(css::equals_ignore_case(*name, "page") ||
                     css::equals_ignore_case(*name, "pages")))
        return invalid("only counter(page) and counter(pages) are supported");
      out.kind = css::equals_ignore_case(*name, "page") ? ContentItem::Kind::CounterPage
                                                         : ContentItem::Kind::CounterPages;
      if (args.size() == 3 && args[1]->is(TokenType::Comma) && ident_arg(2)) {
        const std::string& st = *ident_arg(2);
        if (css::equals_ignore_case(st, "lower-roman")) out.roman = true;
        else if (css::equals_ignore_case(st, "upper-roman")) out.roman = out.upper = true;
        else if (!css::equals_ignore_case(st, "decimal"))
          return invalid("counter styles are decimal, lower-roman and upper-roman");
      } else if (args.size() != 1) {
        return invalid("expected counter(page) or counter(page, lower-roman)");
      }
      return true;
    }
    if (t.is_function("string")) {
      const std::string* name = ident_arg(0);
      if (!name) return invalid("string() takes the name of a string-set");
      out.kind = ContentItem::Kind::String;
      out.value = *name;
      if (args.size() == 3 && args[1]->is(TokenType::Comma) && ident_arg(2)) {
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
    return invalid(t.token.value + "() is not supported in content");
  }

  // CSS GCPM 3 §1.1 / CSS Content 3: normal | none | <content-list>.
  bool parse_content(Value& v) {
    v.kind = Value::Kind::Content;
    if (terms_.size() == 1 && (terms_[0]->is_ident("none") || terms_[0]->is_ident("normal"))) {
      v.kind = Value::Kind::Keyword;
      v.keyword = kw::kNone;
      return true;
    }
    for (const ComponentValue* t : terms_) {
      ContentItem item;
      if (!content_item(*t, true, item)) return false;
      v.content.push_back(std::move(item));
    }
    return true;
  }

  // CSS GCPM 3 §1.1: none | [ <custom-ident> <content-list> ]#.
  bool parse_string_set(Value& v) {
    v.kind = Value::Kind::StringSets;
    if (terms_.size() == 1 && terms_[0]->is_ident("none")) return true;
    size_t i = 0;
    while (i < terms_.size()) {
      if (!terms_[i]->is(TokenType::Ident)) return invalid("expected a name first");
      StringSet set;
      set.name = terms_[i++]->token.value;
      while (i < terms_.size() && !terms_[i]->is(TokenType::Comma)) {
        ContentItem item;
        if (!content_item(*terms_[i++], false, item)) return false;
        set.value.push_back(std::move(item));
      }
      if (set.value.empty()) return invalid("'" + set.name + "' needs a value, e.g. content(text)");
      v.string_sets.push_back(std::move(set));
      if (i < terms_.size() && ++i == terms_.size()) return invalid("the list ends with a comma");
    }
    return true;
  }

  // --- lengths (CSS Values 3 §6) ---

  // A length; `percent_reason` is why a percentage is refused (empty: it is accepted).
  bool length(const ComponentValue& t, Length& out, std::string& why,
              std::string_view percent_reason) {
    if (t.is(TokenType::Dimension)) {
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
    if (t.kind == ComponentValue::Kind::Function) {
      why = t.token.value + "() is not supported yet";
      return false;
    }
    return false;
  }

  // A single length without percentages (text-indent, letter-spacing, column-gap).
  bool parse_plain_length(Value& v, bool allow_percent, bool allow_negative) {
    const ComponentValue* t = nullptr;
    if (!single(t)) return false;
    std::string why;
    if (!length(*t, v.length, why,
                allow_percent ? "" : "percentages are not supported here yet"))
      return invalid(why);
    v.kind = Value::Kind::Length;
    keep_sane(v.length);
    if (!allow_negative && v.length.value < 0) {
      out_of_range(v.length.value, 0, unit_name(v.length.unit));
      v.length.value = 0;
    }
    return true;
  }

  // Nothing on a page is longer than the largest page (200in), and nothing sensible is a
  // thousand times the font size: beyond that a value is a slip of the keyboard, and passing
  // it on would only give later stages infinities to trip over. Clamps with a warning.
  void keep_sane(Length& l) {
    double limit = l.unit == LengthUnit::Pt ? kMaxPageSide : 1000;
    double c = std::clamp(l.value, -limit, limit);
    if (c != l.value) {
      out_of_range(l.value, c, unit_name(l.unit));
      l.value = c;
    }
  }

  static std::string_view unit_name(LengthUnit u) {
    switch (u) {
      case LengthUnit::Pt: return "pt";
      case LengthUnit::Em: return "em";
      case LengthUnit::Rem: return "rem";
      case LengthUnit::Percent: return "%";
    }
    return "";
  }

  // margin-* (CSS 2.1 §8.3). In @page, percentages refer to the page box (CSS Paged Media 3
  // §7.2); on elements they would need the column width, which is not known yet.
  bool parse_margin_value(const ComponentValue& t, Value& v) {
    std::string why;
    if (t.is_ident("auto")) return invalid("'auto' margins are not supported yet");
    if (!length(t, v.length, why,
                where_ == DeclContext::Page
                    ? ""
                    : "percentage margins are not supported on elements yet"))
      return invalid(why);
    v.kind = Value::Kind::Length;
    keep_sane(v.length);
    if (where_ == DeclContext::Page && v.length.value < 0) {
      out_of_range(v.length.value, 0, unit_name(v.length.unit));
      v.length.value = 0;
    }
    return true;
  }

  void parse_margin_shorthand() {
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

  // --- fonts (CSS Fonts 4) ---

  // §2.1: [ <family-name> | <generic-family> ]#, a family name being a string or a sequence of
  // identifiers (joined by single spaces).
  bool parse_font_family(Value& v) {
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
  bool parse_font_size(Value& v) {
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
  bool parse_font_weight(Value& v) {
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
  bool parse_font_style(Value& v) {
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
  bool parse_line_height(Value& v) {
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
    if (v.length.value < 0) {
      out_of_range(v.length.value, 0, unit_name(v.length.unit));
      v.length.value = 0;
    }
    return true;
  }

  // --- multi-column (CSS Multi-column 1 §3, §4) ---

  bool parse_column_count(Value& v) {
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

  bool parse_rule_width(const ComponentValue& t, Value& v, std::string& why) {
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
    if (v.length.value < 0) {
      out_of_range(v.length.value, 0, unit_name(v.length.unit));
      v.length.value = 0;
    }
    return true;
  }

  static bool parse_rule_style(const ComponentValue& t, Value& v) {
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

  // column-rule: <width> || <style> || <color> (CSS Multi-column 1 §4.5). Omitted parts are
  // reset to their initial values, as for every shorthand.
  void parse_column_rule() {
    Value width, style, color;
    if (!parse_width_style_color(width, style, color)) return;
    emit(PropertyId::ColumnRuleWidth, width);
    emit(PropertyId::ColumnRuleStyle, style);
    emit(PropertyId::ColumnRuleColor, color);
  }

  // --- @page size (CSS Paged Media 3 §7.1) ---

  bool parse_size(Value& v) {
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
        if (l.unit != LengthUnit::Pt) l = {l.value * kMediumFontSize.v, LengthUnit::Pt};
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

  // --- colours (CSS Color 4 §5-§7, CSS Color 5 §6 device-cmyk) ---

  static double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

  // Splits a colour function's arguments: components separated by commas or whitespace,
  // with an optional alpha after '/' (or as an extra comma-separated argument).
  static bool function_args(const ComponentValue& f, std::vector<const ComponentValue*>& args,
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

  static bool opaque(const ComponentValue* alpha, std::string& why) {
    if (!alpha) return true;
    double a;
    if (alpha->is(TokenType::Number)) a = alpha->token.number;
    else if (alpha->is(TokenType::Percentage)) a = alpha->token.number / 100;
    else return false;
    if (a >= 1) return true;
    why = "transparency is not supported in print output";
    return false;
  }

  static bool parse_color(const ComponentValue& t, Color& out, std::string& why) {
    if (t.is(TokenType::Hash)) return parse_hex(t.token.value, out, why);
    if (t.is(TokenType::Ident)) {
      if (t.is_ident("transparent")) {
        why = "transparency is not supported in print output";
        return false;
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
      if (!opaque(alpha, why)) return false;
      out = Color::rgb(static_cast<float>(c[0]), static_cast<float>(c[1]),
                       static_cast<float>(c[2]));
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
      if (!opaque(alpha, why)) return false;
      out = Color::cmyk(static_cast<float>(c[0]), static_cast<float>(c[1]),
                        static_cast<float>(c[2]), static_cast<float>(c[3]));
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
      if (!opaque(alpha, why)) return false;
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

  static bool angle_degrees(const ComponentValue& a, double& deg) {
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
  static bool parse_hex(std::string_view hex, Color& out, std::string& why) {
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
      why = "a hex colour has 3 or 6 digits";
      return false;
    }
    if (comp[3] != 255) {
      why = "transparency is not supported in print output";
      return false;
    }
    out = Color::rgb(static_cast<float>(comp[0] / 255.0), static_cast<float>(comp[1] / 255.0),
                     static_cast<float>(comp[2] / 255.0));
    return true;
  }

  const css::Declaration& d_;
  DeclContext where_;
  const css::ParseContext& ctx_;
  std::vector<PropertyDeclaration>& out_;
  std::vector<const ComponentValue*> terms_;  // the value without whitespace
  std::string name_;                          // lower-cased property name
  std::string text_;                          // quoted value, for messages
  SourcePos value_pos_;
  std::string_view expected_;
  Value global_;
};

}  // namespace

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

void compile_declaration(const css::Declaration& d, DeclContext where,
                         const css::ParseContext& ctx, std::vector<PropertyDeclaration>& out) {
  DeclCompiler(d, where, ctx, out).run();
}

}  // namespace trang::style
