// Stylesheets: a CSS subset parsed with positions, cascaded over the article model into typed
// computed values. Nothing downstream sees a property name or a string value.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
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
enum class TextWrap : uint8_t { Wrap, Balance };           // text-wrap (CSS Text 4 §5.1)
enum class BreakValue : uint8_t { Auto, Avoid, Column, Page };  // break-before/after/inside
// column-rule-style (CSS Multi-column 1 §4.2); groove, ridge, inset and outset are drawn solid.
enum class RuleStyle : uint8_t { None, Solid, Dotted, Dashed, Double };
// text-align-last (CSS Text 3 §6.3); Auto follows text-align (justify -> left).
enum class TextAlignLast : uint8_t { Auto, Left, Right, Center, Justify };
// font-variant-caps (CSS Fonts 4 §6.6); carried to shaping as OpenType features.
enum class FontVariantCaps : uint8_t {
  Normal, SmallCaps, AllSmallCaps, PetiteCaps, AllPetiteCaps, Unicase, TitlingCaps
};
// float (CSS 2.1 §9.5, CSS GCPM 3 §"page floats"): left for ::first-letter, top and bottom of
// the column for figures.
enum class Float : uint8_t { None, Left, Top, Bottom };
// object-fit, for a picture made shorter than its proportions to fit: cropped (Cover) or
// scaled down whole (Contain).
enum class ObjectFit : uint8_t { Contain, Cover };
// -trang-bleed: sides towards which a figure's artwork runs past the trim edge (bit set).
enum BleedSide : uint8_t { kBleedLeft = 1, kBleedRight = 2, kBleedTop = 4, kBleedBottom = 8 };

// The counter styles trang draws (CSS Counter Styles 3 §6, predefined styles), for
// counter(), counters() and list-style-type.
enum class CounterStyle : uint8_t {
  Decimal, LowerRoman, UpperRoman, LowerAlpha, UpperAlpha, Disc, Circle, Square, None
};

// `n` in `style` (CSS Counter Styles 3 §6): roman past 3999 and alphabetic below 1 fall back
// to decimal, as the styles' ranges say; the symbols of disc, circle and square ignore n.
std::string format_counter(long long n, CounterStyle style);

// One item of a `content` or `string-set` value (CSS GCPM 3 §1, CSS Generated Content 3).
struct ContentItem {
  enum class Kind : uint8_t {
    Literal,       // "text" (value)
    ElementText,   // content(text) / content(): the element's text, white space collapsed
    Attr,          // attr(name): an attribute of the element (value = name)
    CounterPage,   // counter(page): the page number (margin boxes)
    CounterPages,  // counter(pages): the number of pages (margin boxes)
    String,        // string(name[, which]): a named string (margin boxes)
    // In ::before, ::after and ::marker only (CSS Lists 3 §4.8, CSS Content 3 §2):
    Counter,       // counter(name, style): value = name
    Counters,      // counters(name, separator, style): value = name
    OpenQuote,     // open-quote, close-quote, no-open-quote, no-close-quote
    CloseQuote,
    NoOpenQuote,
    NoCloseQuote,
  };
  // string(name, first|start|last|first-except) (GCPM 3 §1.2.2).
  enum class Which : uint8_t { First, Start, Last, FirstExcept };
  Kind kind = Kind::Literal;
  std::string value;
  Which which = Which::First;
  CounterStyle counter_style = CounterStyle::Decimal;  // counter(), counters()
  std::string separator;                               // counters()
  bool operator==(const ContentItem&) const = default;
};

// One name of counter-reset, counter-increment or counter-set, with its number.
struct CounterChange {
  std::string name;
  int value = 0;
  bool operator==(const CounterChange&) const = default;
};

// string-set: name -> value (GCPM 3 §1.1).
struct StringSet {
  std::string name;
  std::vector<ContentItem> value;
  bool operator==(const StringSet&) const = default;
};

// One side of a border (CSS Backgrounds 3 §4); drawn when style != None and width > 0.
struct BorderSide {
  Pt width;
  RuleStyle style = RuleStyle::None;
  Color color;
  bool visible() const { return style != RuleStyle::None && width.v > 0; }
  bool operator==(const BorderSide&) const = default;
};

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
  // column-span: <integer> (CSS Multi-column 2): a figure across this many columns; 1 = none.
  int column_span = 1;

  // Typography beyond the basics (CSS Fonts 4, CSS Text 3).
  std::vector<std::string> font_features;  // (i) HarfBuzz feature strings: "smcp", "liga=0"
  FontVariantCaps font_variant_caps = FontVariantCaps::Normal;  // (i)
  Pt word_spacing;                                         // (i) added to every word space
  TextAlignLast text_align_last = TextAlignLast::Auto;     // (i)

  // opacity (CSS Color 4 §14.1). In the styled document it is already what the element is
  // painted with: its own times its ancestors', and its colours' alphas carry it; pictures
  // read it from here.
  double opacity = 1;

  // Boxes (CSS Backgrounds 3, CSS 2.1 §8): drawn behind and around block containers (box).
  bool has_background = false;  // background-color other than transparent
  Color background_color;
  BorderSide border_top, border_right, border_bottom, border_left;
  Pt padding_top, padding_right, padding_bottom, padding_left;

  // Figures and images: width of the artwork (auto = the full span), float to the column's
  // top or bottom, -trang-bleed sides.
  enum class WidthKind : uint8_t { Auto, Length, Percent };
  WidthKind width_kind = WidthKind::Auto;
  Pt width;              // WidthKind::Length; with Percent, added to it (calc(100% - 2em))
  double width_percent = 0;  // WidthKind::Percent: of the column (or spanned columns)
  // max-width (Auto: none), of figures and their images, as `width`.
  WidthKind max_width_kind = WidthKind::Auto;
  Pt max_width;
  double max_width_percent = 0;
  Float float_ = Float::None;
  uint8_t bleed = 0;     // BleedSide bits
  ObjectFit object_fit = ObjectFit::Contain;
  double object_x = 0.5, object_y = 0.5;  // object-position: what stays of a cropped picture

  // Generated content (CSS GCPM 3): named strings set by this element, and `content` (used by
  // page margin boxes).
  std::vector<StringSet> string_set;
  std::vector<ContentItem> content;
  bool content_none = true;  // content: none / normal
  // content: normal, which is none but for ::marker, whose text then follows list-style-type.
  bool content_normal = true;
  // Counters (CSS Lists 3 §4), applied in this order; list items also increment list-item.
  std::vector<CounterChange> counter_reset, counter_increment, counter_set;
  CounterStyle list_style_type = CounterStyle::Disc;  // (i)
  // (i) quotes: open and close marks by depth; empty = auto (“ ” then ‘ ’).
  std::vector<std::string> quotes;

  // ::first-letter (CSS Inline 3 §7): initial-letter size in lines (0 = normal) and sink.
  double initial_letter = 0;
  int initial_letter_sink = 0;  // 0 = same as the size (a drop cap)

  // Paragraph and block breaking (CSS Fragmentation 3, CSS Text 4, and trang's own).
  int widows = 2;                                         // (i)
  int orphans = 2;                                        // (i)
  Hyphens hyphens = Hyphens::Manual;                      // (i) `auto` hyphenates by xml:lang
  int hyphenate_word_min = 5;                             // (i) hyphenate-limit-chars: W B A
  int hyphenate_before_min = 2;                           // (i)
  int hyphenate_after_min = 2;                            // (i)
  int hyphenate_limit_lines = 2;  // (i) consecutive hyphenated lines (no-limit: 2^30)
  LineBreaking line_breaking = LineBreaking::TotalFit;    // (i) -trang-line-breaking
  TextWrap text_wrap = TextWrap::Wrap;  // (i) balance: even ragged lines (headlines)
  // (i) -trang-min-lines: in a publication, the body lines each column of an article's first
  // part must hold under its head, else its area grows or it moves on.
  int min_lines = 3;
  bool protrusion = false;  // (i) -trang-protrusion: auto|none (hanging punctuation)
  // (i) -trang-font-expansion: how far glyphs of a justified line may be widened or
  // narrowed, as a fraction of their width (0.02 = ±2%, `auto`); 0 = none.
  double expansion = 0.02;  // `auto` (kAutoFontExpansion): on for justified text
  // (i) -trang-runt-cost: what a paragraph's last line that is a runt (one word, or shorter
  // than `runt_width` of the measure) costs the line breaker, as a multiple of its default; 0
  // = none.
  double runt_cost = 1;
  double runt_width = 0.2;  // (i) -trang-runt-width, a fraction of the measure
  // (i) -trang-stack-cost: what two lines starting or ending with the same word cost, as a
  // multiple of its default; 0 = none.
  double stack_cost = 1;
  bool clear_diacritics = true;  // (i) -trang-diacritic-clearance: auto (add space) | warn
  BreakValue break_before = BreakValue::Auto;
  BreakValue break_after = BreakValue::Auto;
  BreakValue break_inside = BreakValue::Auto;             // Auto or Avoid

  bool operator==(const ComputedStyle&) const = default;
};

// The computed styles of a document's nodes, read by node index as from a vector. Equal
// styles are stored once: a node is given the style of one of the last few distinct ones set
// when it equals it (an element's text has its element's style; a long article's paragraphs
// all have the same), so 80 000 paragraphs cost a handful of styles, not 160 000. The
// non-const accessors give the node a style of its own first, so writing through them
// changes only that node.
class StyleTable {
 public:
  size_t size() const { return of_node_.size(); }
  size_t distinct() const { return unique_.size(); }
  void resize(size_t n) { assign(n, ComputedStyle{}); }
  void assign(size_t n, const ComputedStyle& cs);
  // Sets node i's style, shared with a recently set equal one.
  void set(size_t i, const ComputedStyle& cs);
  // Appends a style (set as a new last node); returns its index.
  uint32_t add(const ComputedStyle& cs);

  const ComputedStyle& operator[](size_t i) const { return unique_[of_node_[i]]; }
  const ComputedStyle& at(size_t i) const { return unique_[of_node_.at(i)]; }
  ComputedStyle& operator[](size_t i) { return own(i); }
  ComputedStyle& at(size_t i) {
    (void)of_node_.at(i);  // throws past the end, as vector::at
    return own(i);
  }

 private:
  ComputedStyle& own(size_t i);

  std::deque<ComputedStyle> unique_;  // a deque: references stay valid as it grows
  std::vector<uint32_t> users_;       // nodes using each of unique_
  std::vector<uint32_t> of_node_;
  std::array<uint32_t, 4> recent_{};  // the last distinct styles set, most recent first
  size_t recent_count_ = 0;
};

// Page margin boxes (CSS Paged Media 3 §5.3) that trang draws: the six of the top and bottom.
enum class MarginBoxPos : uint8_t {
  TopLeft, TopCenter, TopRight, BottomLeft, BottomCenter, BottomRight
};

// A margin box with content: its text is generated per page (running heads, folios).
struct MarginBox {
  MarginBoxPos pos = MarginBoxPos::TopCenter;
  std::vector<ContentItem> content;
  ComputedStyle style;  // font, size, colour, letter-spacing, text-align, text-transform
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
  std::vector<MarginBox> margin_boxes;  // with content other than none, in MarginBoxPos order
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

// Parses CSS text. Syntax errors are errors (file:line:col); unknown properties, invalid
// values and bad selectors are warnings and the declaration or rule is dropped, as CSS does.
// Files the sheet names (@import, @font-face url()) are resolved relative to the sheet that
// names them and must stay inside the project: the top-level sheet's folder, the folder of
// `article` (when given), and the sheet folder's parent when the article lies under it (so
// that css/ and fonts/ beside an article work). A cycle of @import is an error.
Stylesheet parse_stylesheet(std::string_view css, const std::string& file, Diagnostics& diags,
                            const std::string& article = {});

// A font declared by @font-face (CSS Fonts 4 §4), resolved against its stylesheet.
struct FontFace {
  // One alternative of `src`: an installed face by full or PostScript name (local()), or a
  // file (url(), absolute, checked to exist inside the project).
  struct Source {
    std::string local;
    std::string path;
    SourcePos pos;  // the alternative in the src value, for errors about it
  };
  std::string family;
  int weight = 400;
  bool italic = false;
  std::vector<Source> sources;  // in order: the first that loads is used
  SourcePos pos;                // the src value
};
const std::vector<FontFace>& font_faces(const Stylesheet& sheet);
// Every file the stylesheet read: itself (when it is a file) and each @import, in order.
const std::vector<std::string>& stylesheet_files(const Stylesheet& sheet);

// Warns (code css-unknown-font-family) at every font-family declaration of `sheet` naming a
// family that is not generic, not declared by one of `declared`'s @font-face rules and for
// which `installed` is false; the hint names the closest of `families()` (the installed
// ones, asked for only when a name is unknown).
void check_font_families(const Stylesheet& sheet, const std::vector<const Stylesheet*>& declared,
                         const std::function<bool(const std::string&)>& installed,
                         const std::function<std::vector<std::string>()>& families,
                         Diagnostics& diags);

// The stylesheet compiled into the binary (stylesheets/default.css).
std::string_view default_stylesheet_text();

struct StyledDocument {
  StyleTable styles;  // indexed by model::Node::index
  PageStyle page;  // @page (no selector): the page grid used for every page
  // @page cascaded for page 1 (:first, :right), other right pages and left pages (:left).
  // The layout takes margin boxes, bleed, marks and margins from these.
  PageStyle first_page, left_page, right_page;
  // ::first-letter and ::first-line styles of the elements some rule gives one, by node index.
  std::map<uint32_t, ComputedStyle> first_letter, first_line;
  // Generated content (CSS Content 3, CSS Lists 3), its counters and quotes resolved: the
  // text of ::before and ::after where content is not none, and of each list item's marker,
  // by node index. `style` indexes generated_styles.
  struct Generated {
    std::string text;  // NFC
    uint32_t style = 0;
  };
  std::map<uint32_t, Generated> before, after, marker;
  StyleTable generated_styles;
};

// The x-height and the advance of "0" of the font a family list, weight and style select, as
// fractions of the font size: what ex and ch are (CSS Values 4 §6.1.1). The fonts are
// loaded by a later stage, which lends this; without it both are the CSS fallback, 0.5.
struct FontRatios {
  double ex = 0.5, ch = 0.5;
};
using FontRatiosFn =
    std::function<FontRatios(const std::vector<std::string>& families, int weight, bool italic)>;

// Cascades `sheets` (in order of increasing precedence: default first, then the user's) over
// the article and computes every node's style.
StyledDocument resolve_styles(const model::Article& article,
                              const std::vector<const Stylesheet*>& sheets, Diagnostics& diags,
                              const FontRatiosFn& font_ratios = {});

}  // namespace trang::style
