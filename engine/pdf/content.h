// Internal to pdf/: page content operators (ISO 32000-1 §8 graphics, §9.4 text objects)
// written as text into a buffer. No libharu here: the writer copies the buffer into the page's
// content stream, and the unit tests read it directly.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/core.h"
#include "core/font_program.h"
#include "layout/page_tree.h"
#include "pdf/fonts.h"

namespace trang::pdf::detail {

// Appends the colour operator: g/rg/k for filling, G/RG/K for stroking (§8.6.8), so that a
// CMYK colour stays CMYK in the file. Components are clamped to 0..1.
void append_color(std::string& out, const Color& color, bool stroke);

// `x y w h re f` (§8.5.2, §8.5.3.1), preceded by the fill colour.
void append_fill(std::string& out, const layout::FillItem& fill);

// `w w x1 y1 m x2 y2 l S` with the stroke colour.
void append_rule(std::string& out, const layout::RuleItem& rule);

// The font of a run as the content writer needs it.
struct RunFont {
  std::string_view resource;  // the page's resource name, e.g. "F1"
  const FontProgram* program = nullptr;
  FontUsage* usage = nullptr;  // receives used glyphs and their text
  const CidMap* cids = nullptr;  // the codes written for the glyphs; null: the glyph IDs
};

// What a run's writer found wrong with its input; the writer turns counts into warnings.
struct RunIssues {
  size_t bad_clusters = 0;  // clusters out of order or past the glyphs (ignored)
  size_t bad_utf8 = 0;      // cluster texts with invalid UTF-8 (replaced by U+FFFD)
  // Clusters whose glyphs' ToUnicode text is not theirs, so that only /ActualText gives it
  // (several glyphs for one text; a second text where no alternate code was to be had; no
  // text). PDF/A level A wants every glyph's own mapping right (ISO 19005-2 §6.2.11.7.2).
  size_t actual_only = 0;
};

// Page text is written as text objects (ISO 32000-1 §9.4.1) that consecutive glyph runs share:
//
//   q BT
//   42.52 768.43 Td <colour> /F1 9.5 Tf [(..)-158.5(..)] TJ
//   0 -12.5 TD [(..)] TJ             the next line; TD also sets the leading
//   T* [(..)] TJ                     and the one after, one leading further down
//   101.3 0 Td /F2 9.5 Tf [(..)] TJ  another font on the same line
//   ET Q
//
// Colour, Tf, Tz (font expansion) and Ts are written only when they change. Each run starts a
// new line (§9.4.2) at its (x, y), moved to relative to the start of the line before (Td, TD,
// T*). Moves are worked out in integer thousandths of a point between the positions as written
// (append_number's rounding of run.x and run.y), so in exact arithmetic a run starts at the very
// decimal position that a `1 0 0 1 x y Tm` of its own would give it, however many moves came
// before. Readers sum the moves in binary floating point, though, and a last-bit difference can
// move a glyph that sits exactly on a rasteriser's sub-pixel grid line: a move is relative only
// where the sum is exact for the common kinds of reader (content.cpp, sums_exactly), and
// otherwise the text object is begun again (`ET BT x y Td`, from the origin BT puts the line
// start at), which is as absolute as a Tm. `q ... Q` keeps the text state from leaking out: Tf
// outlives ET, and libharu's own text state must never see it (notes/libharu-glyph-text.md,
// pitfall 5).
//
// Within a run: `h Tz` when the run is expanded (GlyphRun::hscale != 1: Tz scales the shapes and
// every horizontal move; the TJ numbers are divided by it so glyphs stay where layout put them).
// Glyph IDs must be valid for the font (the writer checks before) and size must be > 0. Each
// glyph is written as its CID (fonts.h, CidMap); its width, and so the positioning, is always
// the original glyph's (width_1000).
//
// Positions: each glyph is placed at pen + dx where the pen moves by Glyph::advance. The TJ
// array's numbers (§9.4.3, thousandths of text space, positive = left) make up the difference
// between that and where the /W width alone would put it; Tw cannot, since word spacing does not
// apply to two-byte codes (§9.3.3). Vertical offsets use text rise Ts (§9.3.7).
//
// Codes: two bytes a glyph in binary literal strings `(...)` (§7.3.4.2), with `\`, `(` and `)`
// escaped, and the bytes 0x0D and 0x0A written `\r` and `\n`, since a reader turns a raw
// end-of-line inside a literal string into a plain 0x0A. `hex`: as hex strings `<0030002E>`
// instead, four characters a glyph: the writer's readable form (Options::compress off), whose
// content is meant to be read and diffed as text, which NUL and other raw bytes would spoil.
//
// Text: a one-glyph cluster gives its glyph a ToUnicode entry. A glyph whose entry already
// holds other text is written with an alternate code for this text where the font has them
// (FontUsage::add_alternate, CidMap). A cluster of several glyphs, an empty text, or a second
// text without an alternate code is wrapped in `/Span <</ActualText ...>> BDC ... EMC`
// (§14.9.4) so text extraction returns the cluster text exactly once.
//
// Word spaces: layout puts the font's space glyph between the words of a line, a cluster of
// its own with the text U+0020; it is written like any glyph, with the number after it that
// puts the next word in place. For poppler, which guesses spaces from gaps: in a run whose
// words are all one character, the first two words and their space are one ActualText span,
// and a word whose letters are spaced out is one span (content.cpp, poppler_spans).
//
// Runs are written in two passes, so that the pages of a document can be written in parallel:
// record_run offers every run's glyphs and texts to the font's usage, in document order (which
// decides the ToUnicode entries: the first text offered for a glyph wins); TextObject::write_run
// then appends the run, reading `usage` but not changing it. The CIDs are known only once every
// run is recorded (the subset is made from the usage), so write_run is also where they come in.
// The bytes depend only on the runs given to one TextObject, in order, never on the thread.
void record_run(const layout::GlyphRun& run, FontUsage& usage, std::u16string& scratch);

// The text objects of one content stream (see above), and the text state in force in them.
class TextObject {
 public:
  // Appends to `out`, which must outlive this object. `word_spaces` off: the word spaces'
  // glyphs are left out and only their advance kept (a test hook: the pages must look the
  // same either way, Options::word_spaces).
  explicit TextObject(std::string& out, bool hex = false, bool word_spaces = true)
      : out_(out), hex_(hex), word_spaces_(word_spaces) {}

  // Appends one run, opening the text object first if it is not open. `scratch` is reused
  // between calls to avoid allocating per cluster. `color`, when given, replaces run.color (the
  // writer's profile conversion). `resource`: the page's name for the font, e.g. "F1".
  // `alpha_state`: the page's name for an ExtGState setting the colour's alpha (/ca, /CA),
  // written where the alpha in force differs; it may be empty while the alpha is 1 throughout.
  RunIssues write_run(const layout::GlyphRun& run, std::string_view resource,
                      const FontProgram& program, const FontUsage& usage, const CidMap& cids,
                      std::u16string& scratch, const Color* color = nullptr,
                      std::string_view alpha_state = {});

  // Tagged PDF: the marked-content operator (`/P <</MCID 3>> BDC\n`, `/Artifact BMC\n`) the
  // next write_run wraps its glyphs in; empty: none. It goes after the run's move, so a text
  // object begun again there (move_to) never crosses it. The sequence stays open until the
  // next run that is not continue_mark()'s, or close().
  void set_mark(std::string_view mark) {
    mark_ = mark;
    keep_ = false;
  }
  // The next run goes on in the sequence the last run opened: the lines of one paragraph in a
  // column are one marked-content sequence, not one per line. Its move must not begin the
  // text object again (place() tells), since a sequence may not cross ET; if it would, it is
  // written relatively all the same. Without an open sequence it does what set_mark(the last
  // mark) would.
  void continue_mark() { keep_ = true; }

  // Opens the text object if it is not open and moves to (x, y) as write_run would, with no
  // glyphs: true when the move would begin the text object again. Writer::write_page asks a
  // TextObject over scratch text, fed the same runs and closes, whether a run can go on in
  // the sequence before it; then its move is what it would have been untagged.
  bool place(double x, double y);

  // Ends the text object (`ET Q`) if one is open. Call it before anything but text is painted,
  // and after the last run; a run written afterwards opens a new one.
  void close();

 private:
  void begin();
  // True when the move began the text object again (ET BT), as an inexact or longer relative
  // move makes it. `keep_open`: never, the move is relative whatever it costs.
  bool move_to(double x, double y, bool keep_open = false);
  void end_mark();

  std::string& out_;
  bool hex_;
  bool word_spaces_;
  bool open_ = false;
  bool moved_ = false;    // a line start has been set since BT (before: the origin, exactly)
  std::string color_;     // the fill colour operator in force, as written
  std::string font_;      // the Tf operator in force, as written
  std::string buf_;       // colour, Tf and moves formatted before they are compared
  std::string alt_;       // a move written absolutely, to compare with the relative one
  std::string mark_;      // set_mark's, for the next run
  bool keep_ = false;     // continue_mark's, for the next run
  bool marked_ = false;   // a marked-content sequence is open (inside the text object)
  double th_ = 1;         // horizontal scaling in force (Tz / 100)
  float alpha_ = 1;       // fill and stroke alpha in force (gs), 1 after q
  double rise_ = 0;       // text rise in force (Ts)
  double x_ = 0, y_ = 0;  // the line start, in thousandths of a point, exactly as written
  double leading_ = 0;    // TL, in thousandths, as the last TD set it
};

// A run in a text object of its own: record_run, then TextObject::write_run and close.
// `cids` in `font` null: the codes are the glyph IDs.
RunIssues append_run(std::string& out, const layout::GlyphRun& run, const RunFont& font,
                     std::u16string& scratch, const Color* color = nullptr, bool hex = false);

// Printer's marks (print profile). Crop marks are hairlines on the extension of each trim
// edge, starting `kMarkGap` outside the bleed so that none of them reaches into the bleed
// (ISO 15930 requires marks outside the BleedBox); registration targets (a circle and a cross)
// sit at the middle of each side at the same distance. All in registration colour, 100% of
// every process ink (`1 1 1 1 K`), so they appear on every separation.
inline constexpr double kMarkGap = 3;      // pt between the bleed edge and a mark
inline constexpr double kMarkLength = 15;  // pt
inline constexpr double kMarkWidth = 0.3;  // pt, a hairline that still images on plate
// How far the MediaBox extends past the trim on each side.
Pt media_margin(Pt bleed, bool crop, bool cross);
// Appends the marks for a trim box [0 0 width height] (page space, origin at the trim corner).
void append_marks(std::string& out, Pt width, Pt height, Pt bleed, bool crop, bool cross);

}  // namespace trang::pdf::detail
