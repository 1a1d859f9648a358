// Stylesheets: a CSS subset parsed with positions, cascaded over the article model into typed
// computed values. Nothing downstream sees a property name or a string value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "model/model.h"

namespace trang::style {

enum class TextAlign : uint8_t { Left, Right, Center, Justify };
enum class FontStyle : uint8_t { Normal, Italic };
enum class TextTransform : uint8_t { None, Uppercase, Lowercase };
enum class Display : uint8_t { Block, Inline, None };
enum class Hyphens : uint8_t { None, Manual, Auto };
enum class LineBreaking : uint8_t { TotalFit, Greedy };   // -trang-line-breaking
enum class BreakValue : uint8_t { Auto, Avoid, Column, Page };  // break-before/after/inside
// column-rule-style (CSS Multi-column 1 §4.2); groove, ridge, inset and outset are drawn solid.
enum class RuleStyle : uint8_t { None, Solid, Dotted, Dashed, Double };

// Computed values of one element (CSS 2.1 §6.1.2): lengths resolved to points, keywords to
// enums. Inherited properties are marked (i).
struct ComputedStyle {
  Display display = Display::Block;
  std::vector<std::string> font_family = {"Noto Serif"};  // (i) fallback list, in order
  int font_weight = 400;                                   // (i) 100..900
  FontStyle font_style = FontStyle::Normal;                // (i)
  Pt font_size = Pt(10);                                   // (i)
  Pt line_height = Pt(12);                                 // (i) resolved; `normal` = 1.2 em
  Color color = Color::gray(0);                            // (i)
  TextAlign text_align = TextAlign::Left;                  // (i)
  TextTransform text_transform = TextTransform::None;      // (i)
  Pt text_indent;                                          // (i)
  Pt letter_spacing;                                       // (i)
  Pt margin_top, margin_right, margin_bottom, margin_left;
  bool column_span_all = false;  // column-span: all

  // Paragraph and block breaking (CSS Fragmentation 3, CSS Text 4, and trang's own).
  int widows = 2;                                         // (i)
  int orphans = 2;                                        // (i)
  Hyphens hyphens = Hyphens::Manual;                      // (i) `auto` hyphenates by xml:lang
  int hyphenate_word_min = 5;                             // (i) hyphenate-limit-chars: W B A
  int hyphenate_before_min = 2;                           // (i)
  int hyphenate_after_min = 2;                            // (i)
  int hyphenate_limit_lines = 2;                          // (i) consecutive hyphenated lines
  LineBreaking line_breaking = LineBreaking::TotalFit;    // (i) -trang-line-breaking
  bool protrusion = false;  // (i) -trang-protrusion: auto|none (hanging punctuation)
  bool expansion = false;   // (i) -trang-font-expansion: auto|none (within ±2%)
  bool clear_diacritics = true;  // (i) -trang-diacritic-clearance: auto (add space) | warn
  BreakValue break_before = BreakValue::Auto;
  BreakValue break_after = BreakValue::Auto;
  BreakValue break_inside = BreakValue::Auto;             // Auto or Avoid
};

// @page: the page box and its column grid. The grid lives here rather than on an element in
// this first version: the whole body flows through one set of columns.
struct PageStyle {
  Pt width = mm(210), height = mm(297);  // A4
  Pt margin_top = mm(18), margin_right = mm(15), margin_bottom = mm(20), margin_left = mm(15);
  int column_count = 3;
  Pt column_gap = mm(5);
  Pt column_rule_width;  // 0 = no rule (also when the style is `none`)
  Color column_rule_color = Color::gray(0.6f);
  RuleStyle column_rule_style = RuleStyle::Solid;  // None only together with width 0
  // Print furniture (CSS Paged Media 3 §7.2): artwork may run `bleed` past the trim edge;
  // `marks: crop` / `cross` ask for crop and registration marks outside the bleed.
  Pt bleed;
  bool crop_marks = false;
  bool cross_marks = false;
  bool column_fill_balance = true;  // column-fill: balance (last page) | auto
  Pt baseline_grid;                 // -trang-baseline-grid: <length> | none (0)
};

// A parsed stylesheet (opaque; rules keep their source positions for diagnostics).
class Stylesheet {
 public:
  Stylesheet();
  ~Stylesheet();
  Stylesheet(Stylesheet&&) noexcept;
  Stylesheet& operator=(Stylesheet&&) noexcept;

  struct Impl;
  Impl& impl() { return *impl_; }
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Parses CSS text. Syntax errors are errors (file:line:col); unknown properties and invalid
// values are warnings and the declaration is dropped, as CSS does.
Stylesheet parse_stylesheet(std::string_view css, const std::string& file, Diagnostics& diags);

// The stylesheet compiled into the binary (stylesheets/default.css).
std::string_view default_stylesheet_text();

struct StyledDocument {
  std::vector<ComputedStyle> styles;  // indexed by model::Node::index
  PageStyle page;
};

// Cascades `sheets` (in order of increasing precedence: default first, then the user's) over
// the article and computes every node's style.
StyledDocument resolve_styles(const model::Article& article,
                              const std::vector<const Stylesheet*>& sheets, Diagnostics& diags);

}  // namespace trang::style
