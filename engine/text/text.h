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

constexpr uint32_t kNoFallback = UINT32_MAX;

// Vertical metrics of a face, in em (multiply by the font size).
struct FaceMetrics {
  double ascender = 0.8;
  double descender = -0.2;  // negative
  double cap_height = 0.7;
  double x_height = 0.5;
  double zero_advance = 0.5;  // the advance of "0" (CSS's ch); half an em without a "0"
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

  // The same chain, resolved lazily: the faces of `families` now, the catalogue's fallbacks
  // only when a character needs one. Loading every fallback face up front (17 files, 9 MB)
  // and asking fontconfig for each was most of a one-page render. Returns the requested
  // faces (never empty unless no font exists at all) and sets `fallback` to the id to pass
  // to fallback_font().
  std::vector<FontId> chain_lazy(const std::vector<std::string>& families, int weight,
                                 bool italic, uint32_t& fallback, Diagnostics& diags);
  // The first fallback face of list `fallback` that has a glyph for `cp`, if any.
  std::optional<FontId> fallback_font(uint32_t fallback, char32_t cp);
  // The faces of list `fallback` resolved so far (for messages).
  std::vector<FontId> fallback_faces(uint32_t fallback) const;

  // Registers a font file declared by the designer (@font-face): `family` then finds this
  // face, before fontconfig is asked, at the nearest weight with the same style. The file is
  // read and checked with FreeType first (as every face is); a missing or damaged file is an
  // error at `where` (the stylesheet's src) and returns false.
  bool add_face_file(const std::string& family, int weight, bool italic, const std::string& path,
                     const SourcePos& where, Diagnostics& diags);

  // Whether text asking for `family` gets it: declared (@font-face) or installed, in any
  // style. Generic names (serif, sans-serif) are not families here.
  bool has_family(const std::string& family) const;
  // Every family fontconfig has installed, sorted and unique (for "did you mean" hints).
  std::vector<std::string> installed_families() const;
  // The file of the installed face whose full or PostScript name is `name`, for
  // @font-face src: local() (CSS Fonts 4 §4.3); empty when fontconfig has none.
  std::string local_face_file(const std::string& name) const;

  // Forgets the families add_face_file declared (a cache kept across renders, whose next
  // stylesheet may declare other faces); the faces stay loaded.
  void forget_declared_faces();

  // A copy for one other thread to set paragraphs with, while this cache goes on being used
  // (and growing) on its own thread: the same faces under the same ids (the font programs and
  // HarfBuzz faces shared, each with a HarfBuzz font and shaping caches of its own), the
  // fallback lists and requests resolved so far, and this cache's hyphenation dictionaries
  // (borrowed: this cache must outlive the clone). A frozen clone never loads or resolves
  // anything: a lookup that would sets frozen_miss() instead, and what it was used for must
  // be thrown away and done again with the original.
  std::unique_ptr<FontCache> frozen_clone() const;
  bool frozen_miss() const;
  void clear_frozen_miss();

  bool has_glyph(FontId font, char32_t cp) const;
  FaceMetrics metrics(FontId font) const;
  std::shared_ptr<const FontProgram> program(FontId font) const;
  size_t size() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit FontCache(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// How a span of text looks, as the text stage needs it.
struct TextStyle {
  std::vector<FontId> fonts;  // fallback chain, first choice first; never empty
  Pt size = Pt(10);
  Color color;
  Pt letter_spacing;
  std::string language = "vi";  // BCP 47
  // OpenType features for HarfBuzz, as hb_feature_from_string reads them: "smcp", "liga=0"
  // (font-feature-settings and font-variant-caps). With "smcp" (and "c2sc"), a letter the
  // face has no small capital for is synthesized: its capital, at the size of the face's
  // x-height to cap-height ratio, on the same baseline (CSS Fonts 4 §6.3 font-synthesis).
  std::vector<std::string> features;
  Pt word_spacing;  // added to every word space set in this style (CSS word-spacing)
  uint32_t fallback = kNoFallback;  // FontCache::chain_lazy's list, tried after `fonts`
};

// A case mapping applied to text (CSS text-transform), by ICU for the paragraph's language.
enum class CaseMap : uint8_t { None, Upper, Lower };

constexpr uint32_t kNoStyle = UINT32_MAX;

// A piece of a paragraph's text in one style. Whitespace is collapsed across spans by
// shape_paragraph (CSS white-space: normal); '\n' in text is a forced line break.
struct Span {
  std::string text;  // NFC UTF-8
  uint32_t style = 0;  // index into ParagraphInput::styles
  std::string href;    // link target, or empty
  std::string lang;    // BCP 47 language of a part in another language than the paragraph's, or empty
  // ::first-line (CSS Pseudo-Elements 4 §2.1): the style this span's text takes where it is on
  // the paragraph's first formatted line, and the case mapping it gets there; kNoStyle: none.
  // set_paragraph styles exactly the text of the first line: it sets the paragraph, restyles
  // the text up to the first line's end, sets it again, and so on until the first line ends
  // where the style does (a few rounds at most; failing that, the first line is made to end
  // where the style ends). No glyph of the first line is left unstyled and none after it is
  // styled.
  uint32_t first_line_style = kNoStyle;
  CaseMap first_line_case = CaseMap::None;
};

enum class Align : uint8_t { Left, Right, Center, Justify };

// Where one line of a paragraph goes when it is not the full measure: `offset` from the
// paragraph's left edge and `width` (e.g. the lines beside a drop cap or a float).
struct LineSlot {
  Pt offset;
  Pt width;
};

// Hyphenation of a paragraph (CSS Text 4 `hyphens: auto`, `hyphenate-limit-chars`).
struct Hyphenation {
  bool enabled = false;   // only for languages with a dictionary; never for Vietnamese
  int word_min = 5;       // shortest word to hyphenate, in characters
  int before_min = 2;     // characters before a hyphen, at least
  int after_min = 2;      // characters after it, at least
  int limit_lines = 2;    // consecutive hyphenated lines, at most
};

struct ParagraphInput {
  std::vector<Span> spans;
  Hyphenation hyphenation;
  bool greedy = false;      // first-fit instead of total fit
  // CSS Text 4 `text-wrap: balance` (break_lines_balanced): even line lengths, the same number
  // of lines. Only for ragged text (`align` not Justify); ignored for justified text.
  bool balance = false;
  bool protrusion = false;  // hang punctuation into the margins
  // Font expansion (Thành 2000, pdfTeX's \pdfadjustspacing): how far the glyphs of a justified
  // line may be widened or narrowed, as a fraction of their width (0.02 = ±2%); 0 = off. The
  // breaker counts it as stretch and shrink of the words; each line then takes the nearest of
  // kExpansionSteps steps each way and its word spaces take the rest. Ignored unless `align`
  // is Justify; lines ended by a forced break (the last line, <br>) are never expanded.
  double expansion = 0;
  // Costs of a runt and of a stack (BreakParams), as multiples of kRuntDemerits and
  // kStackDemerits: 1 = 100%, 0 = off. `runt_width`: the share of the measure under which a
  // last line is a runt.
  double runt_cost = 0;
  double runt_width = 0;
  double stack_cost = 0;
  std::vector<LineSlot> slots;  // for the first lines; later lines take the full measure
  std::vector<TextStyle> styles;
  Align align = Align::Justify;
  // text-align-last: how the last line (and a line before a forced break) is aligned;
  // nullopt = auto (as `align`, but a justified paragraph's last line is set left).
  // Justify applies only when `align` is Justify.
  std::optional<Align> align_last;
  Pt indent;  // first-line indent
  SourcePos pos;  // for warnings (word wider than the column, missing glyphs)
};

// The line breaker's input: TeX's boxes, glue and penalties (The TeXbook ch. 14; Knuth &
// Plass 1981 §"The algorithm"). Widths in points.
struct Item {
  enum class Type : uint8_t { Box, Glue, Penalty };
  Type type = Type::Box;
  double width = 0;
  // Glue: how far it may stretch and shrink. Box, and the hyphen of a flagged penalty: how far
  // its glyphs may widen and narrow under font expansion (0 when expansion is off). The
  // breaker keeps the two kinds apart, since a line ended by a forced break is not expanded.
  double stretch = 0;
  double shrink = 0;
  double penalty = 0;  // penalty only; >= kInfPenalty forbids, <= -kInfPenalty forces a break
  bool flagged = false;  // penalty only: a hyphenation break
  uint32_t piece = 0;    // box: index of the shaped piece it shows; glue: the piece before it
  // Character protrusion (hanging punctuation, Thành 2000 / pdfTeX): for a box, how far its
  // first glyph may hang into the left margin when it starts a line; for a glue or penalty,
  // how far the glyph before it may hang into the right margin when the line ends there.
  double protrude = 0;
  // Box: a key of the whole word it belongs to (every fragment of a hyphenated word shares it),
  // so the breaker can see two lines starting or ending with the same word; 0 for no word.
  uint32_t word = 0;

  std::string debug() const;  // one line, e.g. "box 12.3", "glue 2.5+1.2-0.8", "penalty -inf"
};

constexpr double kInfPenalty = 10000;

// Font expansion moves in this many equal steps from 0 to the limit (either way), as pdfTeX's
// \pdffontexpand ... step: with 2% the steps are 0.5%.
constexpr int kExpansionSteps = 4;

struct BreakParams {
  double tolerance = 200;       // TeX \tolerance: largest badness of an acceptable line
  double line_penalty = 10;     // \linepenalty
  double flagged_demerits = 100;
  double fitness_demerits = 100;  // \adjdemerits: adjacent lines of very different tightness
  // Last resort: every line that fits is acceptable, and looser lines cost ever more. Always
  // finds breaks when no box is wider than its measure.
  bool emergency = false;
  int max_hyphens_in_row = 2;  // hyphenate-limit-lines: consecutive lines ending in a hyphen
  // The item the first line must end at, whatever its badness (the end of a ::first-line,
  // see ParagraphInput::Span::first_line_style); SIZE_MAX: anywhere.
  size_t first_end = SIZE_MAX;
  // A runt (Typst's `costs(runt)`): the paragraph's last line holds a single word, or its
  // natural width is under `runt_width` × the measure. Such a last line costs this many
  // demerits more, so total fit takes it only when avoiding it costs more elsewhere. 0: off.
  double runt_demerits = 0;
  double runt_width = 0;
  // A stack: a line that starts with the same word as the line above, or ends (unhyphenated)
  // with the same word; each costs this many demerits. 0: off.
  double stack_demerits = 0;
};

// The demerits of a runt and of a stack at 100% (-trang-runt-cost, -trang-stack-cost): about
// what a line of badness 990 and one of badness 540 cost. Runts and stacks are seldom avoidable
// within the first pass's tolerance, so break_paragraph then also tries the second pass, and a
// runt is worth even a loose line there. Measured with bench/typesetting.py (docs/typesetting.md,
// "Runts and stacks"): on 23 pages of Vietnamese runts went from 49 to 0 and stacks from 47 to
// 19 with the word spaces' p95 and maximum unchanged.
constexpr double kRuntDemerits = 1e6;
constexpr double kStackDemerits = 3e5;

// Chosen breakpoints: for each line, the index of the item it ends at and its adjustment
// ratio (r < 0 shrinks, r > 0 stretches the line's glue).
struct Breaks {
  std::vector<size_t> ends;
  std::vector<double> ratios;
  double demerits = 0;  // total fit: the paragraph's demerits, runt and stack costs included
  bool paid = false;    // total fit: a runt or a stack was paid for (BreakParams)
};

// Total-fit line breaking (Knuth & Plass 1981). `widths[k]` is the measure of line k; lines
// past the end use the last entry. Returns nullopt when no sequence of breaks keeps every
// line within `tolerance` (the caller then retries looser).
std::optional<Breaks> break_lines(const std::vector<Item>& items, const std::vector<double>& widths,
                                  const BreakParams& params = {});

// First-fit breaking, as browsers do: each line takes as many items as fit at their natural
// width, then its glue is stretched. Kept to compare with total fit (-trang-line-breaking).
// Never fails while every box fits its measure.
// `first_end`: as BreakParams::first_end.
Breaks break_lines_greedy(const std::vector<Item>& items, const std::vector<double>& widths,
                          size_t first_end = SIZE_MAX);

// The passes of TeX (§863) as set_paragraph makes them: total fit at `params.tolerance` 200,
// then 1000, then the emergency pass, then first fit, which never fails; `greedy`: first fit
// only. `params` gives everything but the tolerance and the emergency flag.
Breaks break_paragraph(const std::vector<Item>& items, const std::vector<double>& widths,
                       BreakParams params, bool greedy);

// CSS Text 4 `text-wrap: balance`: the same number of lines as break_paragraph gives, with
// their lengths as even as possible. As browsers do it (Chromium's balancing), the measure is
// narrowed by bisection for as long as the paragraph keeps its number of lines and no box is
// wider than the narrowed measure; the breaks found at the narrowest such measure are returned
// (the caller still aligns the lines in the full measure). For ragged text: a justified
// line fills its measure whatever the breaks.
Breaks break_lines_balanced(const std::vector<Item>& items, const std::vector<double>& widths,
                            const BreakParams& params, bool greedy);

// A run of glyphs of one font/size/colour within a line; x is relative to the line start.
struct LineRun {
  FontId font = 0;
  Pt size;
  Color color;
  Pt x;
  std::vector<Glyph> glyphs;
  std::vector<Cluster> clusters;
  std::string href;
  std::string lang;  // Span::lang
  Pt width;
  // Horizontal scale of the glyphs (font expansion): 1 as designed, 1.015 widened by 1.5%.
  // The advances and offsets in `glyphs` are already scaled; the writer only draws the glyph
  // shapes wider (PDF Tz).
  double hscale = 1;
  // A drop cap (layout's initial letter): drawn with the last line it sinks into, read first.
  bool initial = false;
};

struct Line {
  std::vector<LineRun> runs;
  Pt width;    // set width (after justification)
  Pt ascent;   // largest ascender of the fonts on the line
  Pt descent;  // largest descender, positive
  // Adjustment ratio of the line's glue (r < 0 shrinks, r > 0 stretches the word spaces); with
  // font expansion, what the glue does after the glyphs took their step.
  double ratio = 0;
  double expansion = 0;  // font expansion of the line's glyphs: -0.02 .. 0.02, in steps
  bool justified = false;
  bool hyphenated = false;  // ends with a hyphen the breaker inserted
  // Ink extents of the glyphs actually on the line (marks included): how far above and below
  // the baseline something is drawn. Vietnamese capitals with two marks (Ễ, Ẫ) reach far above
  // the cap height; layout uses these to keep lines from colliding.
  Pt ink_ascent;
  Pt ink_descent;  // positive below the baseline
  // The glyphs that reach unusually high (stacked marks, > 0.8 em) or low (descenders and
  // marks below, < -0.15 em): with their horizontal extent, so layout can tell whether a
  // mark of this line really meets a descender of the line above.
  struct InkBox {
    Pt x0, x1;       // relative to the line start, like LineRun::x
    Pt top, bottom;  // y up from the baseline
  };
  std::vector<InkBox> ink_extremes;
};

// Shapes and breaks a paragraph into lines of width `measure`.
std::vector<Line> set_paragraph(const ParagraphInput& in, Pt measure, FontCache& fonts,
                                Diagnostics& diags);

// Unicode-aware case mapping for text-transform (ICU; keeps Vietnamese diacritics).
std::string to_upper(std::string_view utf8, const std::string& language);
std::string to_lower(std::string_view utf8, const std::string& language);

}  // namespace trang::text
