// The text stage: fonts, itemization, shaping (HarfBuzz over FreeType-checked faces), break
// opportunities (ICU, UAX #14) and total-fit line breaking (Knuth & Plass 1981).
//
//   paragraph input (styled spans) -> items (box/glue/penalty) -> chosen breaks -> lines
//
// Nothing here knows about pages or PDF; the output is lines of positioned glyph runs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "core/font_program.h"
#include "core/glyphs.h"

namespace trang::text {

// Vertical metrics of a face, in em (multiply by the font size).
struct FaceMetrics {
  double ascender = 0.8;
  double descender = -0.2;  // negative
  double cap_height = 0.7;
};

// Every face a render uses, loaded once and shared by id. Families are looked up through
// fontconfig; the fallback chains come from fonts/catalog.txt (compiled in).
class FontCache {
 public:
  FontCache();
  ~FontCache();
  FontCache(const FontCache&) = delete;
  FontCache& operator=(const FontCache&) = delete;

  // The face of `family` closest to weight/italic, or nullopt when fontconfig has no such
  // family installed (it never silently substitutes another family).
  std::optional<FontId> find(const std::string& family, int weight, bool italic);

  // The faces to try, in order, for text that asks for `families`: each requested family,
  // then the catalogue's fallbacks for the first one. Missing families are skipped; an empty
  // result means no usable font at all (reported once to `diags`).
  std::vector<FontId> chain(const std::vector<std::string>& families, int weight, bool italic,
                            Diagnostics& diags);

  bool has_glyph(FontId font, char32_t cp) const;
  FaceMetrics metrics(FontId font) const;
  std::shared_ptr<const FontProgram> program(FontId font) const;
  size_t size() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// How a span of text looks, as the text stage needs it.
struct TextStyle {
  std::vector<FontId> fonts;  // fallback chain, first choice first; never empty
  Pt size = Pt(10);
  Color color;
  Pt letter_spacing;
  std::string language = "vi";  // BCP 47
};

// A piece of a paragraph's text in one style. Whitespace is collapsed across spans by
// shape_paragraph (CSS white-space: normal); '\n' in text is a forced line break.
struct Span {
  std::string text;  // NFC UTF-8
  uint32_t style = 0;  // index into ParagraphInput::styles
  std::string href;    // link target, or empty
};

enum class Align : uint8_t { Left, Right, Center, Justify };

// Where one line of a paragraph goes when it is not the full measure: `offset` from the
// paragraph's left edge and `width` (e.g. the lines beside a drop cap or a float).
struct LineSlot {
  Pt offset;
  Pt width;
};

struct ParagraphInput {
  std::vector<Span> spans;
  std::vector<LineSlot> slots;  // for the first lines; later lines take the full measure
  std::vector<TextStyle> styles;
  Align align = Align::Justify;
  Pt indent;  // first-line indent
  SourcePos pos;  // for warnings (word wider than the column, missing glyphs)
};

// The line breaker's input: TeX's boxes, glue and penalties (The TeXbook ch. 14; Knuth &
// Plass 1981 §"The algorithm"). Widths in points.
struct Item {
  enum class Type : uint8_t { Box, Glue, Penalty };
  Type type = Type::Box;
  double width = 0;
  double stretch = 0;  // glue only
  double shrink = 0;   // glue only
  double penalty = 0;  // penalty only; >= kInfPenalty forbids, <= -kInfPenalty forces a break
  bool flagged = false;  // penalty only: a hyphenation break
  uint32_t piece = 0;    // box: index of the shaped piece it shows; glue: the piece before it

  std::string debug() const;  // one line, e.g. "box 12.3", "glue 2.5+1.2-0.8", "penalty -inf"
};

constexpr double kInfPenalty = 10000;

struct BreakParams {
  double tolerance = 200;       // TeX \tolerance: largest badness of an acceptable line
  double line_penalty = 10;     // \linepenalty
  double flagged_demerits = 100;
  double fitness_demerits = 100;  // \adjdemerits: adjacent lines of very different tightness
  // Last resort: every line that fits is acceptable, and looser lines cost ever more. Always
  // finds breaks when no box is wider than its measure.
  bool emergency = false;
};

// Chosen breakpoints: for each line, the index of the item it ends at and its adjustment
// ratio (r < 0 shrinks, r > 0 stretches the line's glue).
struct Breaks {
  std::vector<size_t> ends;
  std::vector<double> ratios;
};

// Total-fit line breaking (Knuth & Plass 1981). `widths[k]` is the measure of line k; lines
// past the end use the last entry. Returns nullopt when no sequence of breaks keeps every
// line within `tolerance` (the caller then retries looser).
std::optional<Breaks> break_lines(const std::vector<Item>& items, const std::vector<double>& widths,
                                  const BreakParams& params = {});

// A run of glyphs of one font/size/colour within a line; x is relative to the line start.
struct LineRun {
  FontId font = 0;
  Pt size;
  Color color;
  Pt x;
  std::vector<Glyph> glyphs;
  std::vector<Cluster> clusters;
  std::string href;
  Pt width;
};

struct Line {
  std::vector<LineRun> runs;
  Pt width;    // set width (after justification)
  Pt ascent;   // largest ascender of the fonts on the line
  Pt descent;  // largest descender, positive
  double ratio = 0;  // adjustment ratio the breaker chose
  bool justified = false;
};

// Shapes and breaks a paragraph into lines of width `measure`.
std::vector<Line> set_paragraph(const ParagraphInput& in, Pt measure, FontCache& fonts,
                                Diagnostics& diags);

// Unicode-aware case mapping for text-transform (ICU; keeps Vietnamese diacritics).
std::string to_upper(std::string_view utf8, const std::string& language);
std::string to_lower(std::string_view utf8, const std::string& language);

}  // namespace trang::text
