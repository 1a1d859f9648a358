// Properties: names, which are inherited, and how a declaration's value is validated into a
// typed specified value (CSS Cascade 4 §4: "declared value"). Shorthands are expanded here, so
// the cascade only sees longhands. Private to the style stage.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <type_traits>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "style/property_table.h"
#include "style/parser.h"
#include "style/style.h"

namespace trang::style {

// Longhand properties, one per row of property_table.h. Shorthands (margin, border) expand
// into these.
enum class PropertyId : uint8_t {
#define TRANG_PROPERTY_ID(Id, ...) Id,
  TRANG_LONGHANDS(TRANG_PROPERTY_ID)
#undef TRANG_PROPERTY_ID
};
#define TRANG_PROPERTY_COUNT(...) +1
inline constexpr size_t kPropertyCount = 0 TRANG_LONGHANDS(TRANG_PROPERTY_COUNT);
#undef TRANG_PROPERTY_COUNT

// Where a declaration stands: in a style rule or in @page.
// Margin boxes (@top-left { ... } inside @page) take `content` and the text properties.
enum class DeclContext : uint8_t { Element, Page, MarginBox };

// How a longhand is parsed and computed beyond what every property shares (the "how" column
// of property_table.h). Custom properties have code of their own in properties.cpp and
// cascade.cpp; the others are handled from this alone.
struct PropertyHandler {
  enum class Kind : uint8_t { Custom, Keywords, Features };
  struct Keyword {
    std::string_view name;
    int value = 0;                // Keywords: the field's value
    std::string_view features;    // Features: comma-separated HarfBuzz features
  };
  static constexpr size_t kMaxKeywords = 12;
  Kind kind = Kind::Custom;
  std::array<Keyword, kMaxKeywords> keywords{};
  size_t count = 0;
  std::array<std::string_view, 4> unsupported{};  // CSS keywords trang does not implement
  // Keywords: puts a computed keyword into its ComputedStyle field; copies it from the parent.
  void (*store)(ComputedStyle&, int) = nullptr;
  void (*inherit)(ComputedStyle&, const ComputedStyle&) = nullptr;
  int initial = -1;  // the index of the keyword the row's `initial` names

  constexpr int index_of(std::string_view name) const {
    for (size_t i = 0; i < count; ++i) {
      std::string_view k = keywords[i].name;
      bool same = k.size() == name.size();
      for (size_t j = 0; same && j < k.size(); ++j) {
        char c = name[j];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        same = c == k[j];
      }
      if (same) return static_cast<int>(i);
    }
    return -1;
  }
};

// One row of property_table.h.
struct PropertyDef {
  std::string_view name;
  PropertyId id;
  bool inherited;
  DeclContext context;
  std::string_view initial;   // as CSS writes it
  std::string_view expected;  // the grammar, for the hint of an invalid value
  PropertyHandler how;
};
// Every longhand, in PropertyId order.
std::span<const PropertyDef> longhand_defs();
const PropertyDef& property_def(PropertyId id);
// The shorthands, for documentation checks: name and grammar.
std::vector<std::pair<std::string_view, std::string_view>> shorthand_defs();

std::string_view property_name(PropertyId id);
// CSS says which properties inherit (each property's definition table, "Inherited").
bool is_inherited(PropertyId id);

// A specified length. Absolute units are converted to points when parsed (CSS Values 3 §6.2);
// relative ones wait for the cascade: the font (em, rem, ex, ch), the page area (vw, vh,
// vmin, vmax), what the property's percentages refer to, or all of these in a calc().
enum class LengthUnit : uint8_t { Pt, Em, Rem, Percent, Ex, Ch, Vw, Vh, Vmin, Vmax, Calc };
struct CalcNode;  // calc.h
struct Length {
  double value = 0;
  LengthUnit unit = LengthUnit::Pt;
  std::shared_ptr<const CalcNode> calc;  // LengthUnit::Calc
  // A calc() of a property that takes no negative value: clamped at 0 when resolved
  // (CSS Values 4 §10.12), as a plain value is clamped when parsed.
  bool at_least_zero = false;

  bool is_calc() const { return unit == LengthUnit::Calc; }
};

// What relative lengths are resolved against, in points (CSS Values 4 §6).
struct LengthBasis {
  Pt em, rem, percent;
  Pt ex, ch;       // the font's x-height and advance of "0" (0.5em when it has none)
  Pt vw, vh;       // 1% of the page area
};
// The length in points. A calc() that mixes % with other units resolves in full too.
Pt resolve_length(const Length& l, const LengthBasis& b);
// Whether the length holds a percentage (alone or inside a calc()).
bool has_percent(const Length& l);

// Keywords that are not the value of one of style.h's enums.
namespace kw {
inline constexpr int kBolder = 1;      // font-weight
inline constexpr int kLighter = 2;     // font-weight
inline constexpr int kAuto = 3;        // column-count
inline constexpr int kSpanNone = 0;    // column-span
inline constexpr int kSpanAll = 1;     // column-span
inline constexpr int kNone = 0;        // hyphenate-limit-lines: no-limit; marks: none; ...
inline constexpr int kMarkCrop = 1;    // marks (bits)
inline constexpr int kMarkCross = 2;
inline constexpr int kContentNormal = 1;  // content: normal (none is kNone)
}  // namespace kw

enum class Orientation : uint8_t { None, Portrait, Landscape };

struct PendingValue;  // variables.h

// A validated declared value of one longhand.
struct Value {
  enum class Kind : uint8_t {
    Initial,       // CSS Cascade 4 §7.3.1
    Inherit,       // §7.3.2
    Unset,         // §7.3.3
    Keyword,       // `keyword`: a style.h enum value or a kw:: constant
    Length,        // `length`
    Number,        // `number`: line-height factor, font-weight, column-count
    Color,         // `color`
    CurrentColor,  // currentcolor
    Families,      // `families`: font-family list
    PageSize,      // size: `page_width` x `page_height` (0 x 0 = auto) and `orientation`
    Strings,       // `families` holds strings: font-feature-settings as HarfBuzz features
    Numbers,       // `numbers`: hyphenate-limit-chars, initial-letter
    Content,       // `content`: a content list (content, and string-set with `strings`)
    StringSets,    // `string_sets`
    Counters,      // `counters`: counter-reset, -increment, -set
    Pending,       // `pending`: holds var(), parsed once substituted (CSS Variables 1 §3)
  };
  Kind kind = Kind::Initial;
  int keyword = 0;
  Length length;
  double number = 0;
  Color color;
  std::vector<std::string> families;
  Pt page_width, page_height;
  Orientation orientation = Orientation::None;
  std::vector<double> numbers;
  std::vector<ContentItem> content;
  std::vector<StringSet> string_sets;
  std::vector<CounterChange> counters;
  std::shared_ptr<const PendingValue> pending;
};

// One longhand declaration of a rule, ready for the cascade.
struct PropertyDeclaration {
  PropertyId id = PropertyId::Display;
  Value value;
  bool important = false;
  SourcePos name_pos;   // the property name
  SourcePos value_pos;  // the first token of the value
  std::string text;     // the value as written, quoted, for messages
  // Non-empty: a custom property (CSS Variables 1 §2), `--name` as written (names are
  // case-sensitive); `id` is unused and the value is Pending.
  std::string custom;
};


// Validates `d` and appends the longhand declarations it sets (four for `margin`). Unknown
// properties, properties that do not apply in `where`, invalid and out-of-range values are
// warnings: the declaration is dropped, or clamped into range, as CSS drops invalid
// declarations (CSS Syntax 3 §2.1 / CSS 2.1 §4.2 "Rules for handling parsing errors").
void compile_declaration(const css::Declaration& d, DeclContext where,
                         const css::ParseContext& ctx, std::vector<PropertyDeclaration>& out);

// Every property name the stylesheet understands or knows to be not supported yet; the pool
// of "did you mean" suggestions.
const std::vector<std::string_view>& all_property_names();

// Resolves a named colour (CSS Color 4 §6.1), ASCII case-insensitive.
bool named_color(std::string_view name, Color& out);

// Initial font size (CSS Fonts 4: `medium`, 16px = 12pt); also the `rem` base of the root.
inline constexpr Pt kMediumFontSize = Pt(12);
// Limits outside which a computed font size is clamped, with a warning.
inline constexpr double kMinFontSize = 1, kMaxFontSize = 500;
inline constexpr int kMaxColumnCount = 20;
// -trang-font-expansion: `auto` and the largest percentage accepted, as fractions.
inline constexpr double kAutoFontExpansion = 0.02, kMaxFontExpansion = 0.05;
// -trang-runt-cost, -trang-stack-cost: the largest multiple of the default cost accepted.
// Past it one runt would outweigh any looseness the tolerance lets through.
inline constexpr double kMaxLineCost = 10;
// hyphenate-limit-lines: no-limit, as a count no paragraph reaches.
inline constexpr int kNoHyphenLimit = 1 << 30;

}  // namespace trang::style
