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
