#include "pdf/content.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace trang::pdf::detail {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

void append_num(std::string& out, double v, int decimals = 3) { append_number(out, v, decimals); }

// A byte that stands for itself in a literal string (append_literal_byte escapes the others).
bool plain_literal_byte(unsigned char b) {
  return b != '\\' && b != '(' && b != ')' && b != '\r' && b != '\n';
}

// One byte of a literal string (§7.3.4.2): the delimiters and the escape character escaped, and
// the end-of-line bytes too, which a reader would otherwise normalise (a raw 0x0D, or 0x0D 0x0A,
// reads as a single 0x0A). Every other byte stands for itself.
void append_literal_byte(std::string& out, unsigned char b) {
  switch (b) {
    case '\\': out += "\\\\"; break;
    case '(': out += "\\("; break;
    case ')': out += "\\)"; break;
    case '\r': out += "\\r"; break;
    case '\n': out += "\\n"; break;
    default: out += static_cast<char>(b);
  }
}

double round_to(double v, int decimals) {
  double scale = decimals == 1 ? 10.0 : decimals == 3 ? 1000.0 : std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

// How a reader reads a number written by append_number with three decimals, `t` thousandths
// (an integer held in a double): the nearest double, as strtod gives it.
double read_double(double t) { return t / 1000; }

// The same number read digit by digit as poppler's lexer does (Lexer::getObj: the integer part,
// then xf = xf + scale * digit with scale going 0.1, 0.01, 0.001, all in double), which is not
// always the nearest double.
double read_digits(double t) {
  double a = std::fabs(t);
  double whole = std::floor(a / 1000);
  int frac = static_cast<int>(a - whole * 1000);
  double xf = whole, scale = 0.1;
  for (int div = 100; frac != 0; div /= 10) {
    // Two statements, so that no compiler fuses them into one fused multiply-add.
    double step = scale * (frac / div);
    xf = xf + step;
    frac %= div;
    scale *= 0.1;
  }
  return t < 0 ? -xf : xf;
}

// Whether a reader that keeps the line start as a running sum of Td moves (§9.4.2) comes to the
// very number it would read from the position written absolutely: `from` + `delta` = `to`,
// all in thousandths as written. Held for three kinds of reader, so that each draws every glyph
// at exactly the coordinates a `Tm` of the run's own gives it, however many moves came before
// (rasterisers snap glyphs to a sub-pixel grid, where a last-bit difference can move a glyph
// that sits exactly on a grid line): correctly rounded doubles (strtod), poppler's digit by
// digit doubles, and correctly rounded single precision (readers that keep matrices in float).
// A move that is not exact for all three is written absolutely (TextObject::move_to). Moves by
// a multiple of a binary fraction within one binade, the common case of lines in a column at
// a leading like 12.5 pt, are exact for all of them.
bool sums_exactly(double from, double delta, double to) {
  // Each sum is stored before it is compared, so that it is rounded to its type even where the
  // compiler keeps intermediates in wider registers (x87).
  double sum = read_double(from) + read_double(delta);
  if (sum != read_double(to)) return false;
  sum = read_digits(from) + read_digits(delta);
  if (sum != read_digits(to)) return false;
  constexpr double kFloatExact = 1 << 24;  // integers a float holds exactly
  if (std::fabs(from) >= kFloatExact || std::fabs(delta) >= kFloatExact ||
      std::fabs(to) >= kFloatExact)
    return false;
  float f = static_cast<float>(from) / 1000.0f, d = static_cast<float>(delta) / 1000.0f;
  float fsum = f + d;
  return fsum == static_cast<float>(to) / 1000.0f;
}

constexpr uint32_t kOwnCode = UINT32_MAX;

// Writes the TJ arrays of one run, tracking where the text position really is (after /W widths
// and the adjustments already written) against where each glyph should go.
class TjWriter {
 public:
  // `hscale`: the horizontal scaling Th in force (Tz / 100, §9.3.4). Glyph widths, TJ
  // adjustments and Tc all move the pen by Th times as much (§9.4.4:
  // tx = ((w0 - Tj/1000) Tfs + Tc + Tw) Th), so each is divided by it to land where layout
  // placed the glyph; with Th = 1 the numbers are the unscaled ones.
  // `cids`: the code each glyph is written as; the widths are always the original glyphs'.
  // `rise`: the text rise in force, kept up to date (it outlives the run, TextObject).
  // `hex`: codes as hex strings rather than binary literal strings (content.h).
  TjWriter(std::string& out, const FontProgram& font, const CidMap& cids, double size,
           double hscale, double& rise, bool hex)
      : out_(out), font_(font), cids_(cids), size_(size), th_(hscale), rise_(rise), hex_(hex) {}

  // `fill_to_pen`: the glyph is the last of a multi-glyph cluster. Its advance is then
  // stretched with character spacing Tc (§9.3.2) so that it ends where the cluster ends. Text
  // extraction measures an /ActualText span from its first glyph's origin to its last glyph's
  // end (poppler's ActualText); when the last glyph is a zero-width mark placed over the base,
  // the span would end mid-cluster and a space would appear before the next letter. Tc moves
  // only the text position after the glyph, so nothing visible changes.
  // `code`: what to write for the glyph when not its CID (an alternate code, fonts.h).
  void glyph(const layout::Glyph& g, bool fill_to_pen = false, uint32_t code = kOwnCode) {
    double rise = g.dy.v == 0 ? 0 : round_to(g.dy.v, 3);
    double width = width_1000(font_, g.gid) * size_ / 1000.0 * th_;  // in user space
    // One decimal of a thousandth of the font size is far below a device pixel; the residue is
    // not lost, since pos_ follows the rounded number and the next glyph corrects it.
    double adjust = round_to((pos_ - (pen_ + g.dx.v)) * 1000.0 / (size_ * th_), 1);
    double at = pos_ - adjust * size_ * th_ / 1000.0;  // where the glyph is drawn
    // Tc in text space; it moves the pen by Tc * Th. It is the TJ number that would take the
    // pen to the cluster's end, as rounded, times the size: the glyphs after it land on the
    // very numbers they would without it (a rasteriser snaps glyphs to a sub-pixel grid, where
    // a thousandth of a point can move one).
    double spacing = 0;
    if (fill_to_pen) {
      double n = round_to((at + width - (pen_ + g.advance.v)) * 1000.0 / (size_ * th_), 1);
      spacing = round_to(-n * size_ / 1000.0, 6);
    }
    // Ts and Tc are operators of their own, so they end the current TJ array.
    if (rise != rise_ || spacing != 0) close_array();
    if (rise != rise_) {
      append_num(out_, rise);
      out_ += " Ts\n";
      rise_ = rise;
    }
    if (spacing != 0) {
      append_num(out_, spacing, 6);
      out_ += " Tc\n";
    }
    if (!in_array_) {
      out_ += '[';
      in_array_ = true;
    }
    if (adjust != 0) {
      close_string();
      append_num(out_, adjust, 1);
      pos_ = at;
    }
    if (!in_string_) {
      out_ += hex_ ? '<' : '(';
      in_string_ = true;
    }
    uint32_t v = code != kOwnCode ? code : cids_.cid(g.gid);
    if (hex_) {
      char buf[4] = {kHexDigits[(v >> 12) & 0xF], kHexDigits[(v >> 8) & 0xF],
                     kHexDigits[(v >> 4) & 0xF], kHexDigits[v & 0xF]};
      out_.append(buf, 4);
    } else {
      unsigned char hi = static_cast<unsigned char>(v >> 8), lo = static_cast<unsigned char>(v);
      if (plain_literal_byte(hi) && plain_literal_byte(lo)) {
        char two[2] = {static_cast<char>(hi), static_cast<char>(lo)};
        out_.append(two, 2);
      } else {
        append_literal_byte(out_, hi);
        append_literal_byte(out_, lo);
      }
    }
    pos_ += width + spacing * th_;
    pen_ += g.advance.v;
    if (spacing != 0) {
      close_array();
      out_ += "0 Tc\n";
    }
  }

  // Moves the pen past a glyph without showing it (TextObject's word_spaces off): the next
  // glyph's adjustment takes up its advance.
  void skip(const layout::Glyph& g) { pen_ += g.advance.v; }

  void close_array() {
    close_string();
    if (in_array_) {
      out_ += "] TJ\n";
      in_array_ = false;
    }
  }

 private:
  void close_string() {
    if (in_string_) {
      out_ += hex_ ? '>' : ')';
      in_string_ = false;
    }
  }

  std::string& out_;
  const FontProgram& font_;
  const CidMap& cids_;
  double size_;
  double th_;       // horizontal scaling, 1 = none
  double pen_ = 0;  // where the layout wants the pen, relative to the run origin
  double pos_ = 0;  // where the text position is after what has been written
  double& rise_;
  bool hex_;
  bool in_array_ = false;
  bool in_string_ = false;
};

}  // namespace

void append_color(std::string& out, const Color& color, bool stroke) {
  auto comp = [&](int i) {
    float c = color.c[i];
    append_num(out, std::isfinite(c) ? std::clamp(c, 0.0f, 1.0f) : 0.0f, 4);
    out += ' ';
  };
  switch (color.space) {
    case Color::Space::Gray:
      comp(0);
      out += stroke ? "G\n" : "g\n";
      break;
    case Color::Space::Rgb:
      for (int i = 0; i < 3; ++i) comp(i);
      out += stroke ? "RG\n" : "rg\n";
      break;
    case Color::Space::Cmyk:
      for (int i = 0; i < 4; ++i) comp(i);
      out += stroke ? "K\n" : "k\n";
      break;
  }
}

void append_fill(std::string& out, const layout::FillItem& fill) {
  append_color(out, fill.color, false);
  append_num(out, fill.rect.x.v);
  out += ' ';
  append_num(out, fill.rect.y.v);
  out += ' ';
  append_num(out, fill.rect.w.v);
  out += ' ';
  append_num(out, fill.rect.h.v);
  out += " re f\n";
}

namespace {
void append_line(std::string& out, double x1, double y1, double x2, double y2) {
  append_num(out, x1);
  out += ' ';
  append_num(out, y1);
  out += " m ";
  append_num(out, x2);
  out += ' ';
  append_num(out, y2);
  out += " l S\n";
}
}  // namespace

void append_rule(std::string& out, const layout::RuleItem& rule) {
  using S = layout::RuleItem::Stroke;
  double w = rule.width.v;
  if (rule.stroke == S::Solid) {
    append_color(out, rule.color, true);
    append_num(out, w);
    out += " w ";
    append_line(out, rule.x1.v, rule.y1.v, rule.x2.v, rule.y2.v);
    return;
  }
  // In a q/Q pair: the dash pattern and line cap end with the rule (ISO 32000-1 §8.4.3).
  out += "q\n";
  append_color(out, rule.color, true);
  if (rule.stroke == S::Double) {
    // Two lines of a third of the width, their outer edges where the border's are.
    double dx = rule.x2.v - rule.x1.v, dy = rule.y2.v - rule.y1.v;
    double len = std::hypot(dx, dy);
    double nx = len > 0 ? -dy / len * w / 3 : 0, ny = len > 0 ? dx / len * w / 3 : 0;
    append_num(out, w / 3);
    out += " w ";
    append_line(out, rule.x1.v + nx, rule.y1.v + ny, rule.x2.v + nx, rule.y2.v + ny);
    append_line(out, rule.x1.v - nx, rule.y1.v - ny, rule.x2.v - nx, rule.y2.v - ny);
  } else {
    append_num(out, w);
    out += " w ";
    // Dashes three widths long with gaps of two; dots round, a width across, two apart.
    if (rule.stroke == S::Dashed) {
      out += '[';
      append_num(out, 3 * w);
      out += ' ';
      append_num(out, 2 * w);
      out += "] 0 d ";
    } else {
      out += "1 J [0 ";
      append_num(out, 2 * w);
      out += "] 0 d ";
    }
    append_line(out, rule.x1.v, rule.y1.v, rule.x2.v, rule.y2.v);
  }
  out += "Q\n";
}

namespace {
// Whether `utf8` is valid, not empty and converts to exactly `utf16` (what append_utf16 would
// give). False whenever in doubt: the caller then converts.
bool utf8_is(std::string_view utf8, std::u16string_view utf16) {
  if (utf8.empty()) return false;
  size_t k = 0;
  char32_t cp;
  for (size_t i = 0; i < utf8.size();) {
    // Invalid text, and astral code points (surrogate pairs), go the long way.
    if (!next_utf8(utf8, i, cp) || cp >= 0x10000) return false;
    if (k >= utf16.size() || utf16[k] != static_cast<char16_t>(cp)) return false;
    ++k;
  }
  return k == utf16.size();
}
}  // namespace

// The clusters of a run as both passes see them: `glyph(i)` for each glyph that belongs to no
// cluster, `cluster(c, first, end)` for each well-formed one; returns the clusters skipped
// (out of order or past the glyphs). One copy of the walk, so the passes cannot disagree.

template <typename Glyph, typename Cluster>
size_t walk_clusters(const layout::GlyphRun& run, Glyph glyph, Cluster cluster) {
  size_t bad = 0;
  size_t next = 0;  // first glyph not yet visited
  for (const layout::Cluster& c : run.clusters) {
    uint64_t first = c.first_glyph;
    uint64_t end = first + c.glyph_count;
    if (first < next || end > run.glyphs.size()) {
      ++bad;
      continue;
    }
    for (; next < first; ++next) glyph(next);  // glyphs of no cluster: no text
    if (c.glyph_count == 0) continue;
    cluster(c, static_cast<size_t>(first), static_cast<size_t>(end));
    next = static_cast<size_t>(end);
  }
  for (; next < run.glyphs.size(); ++next) glyph(next);
  return bad;
}

namespace {
// A word space as layout sets it (text/paragraph.cpp): the font's space glyph, alone in a
// cluster whose text is U+0020.
bool is_space(const layout::Cluster& c) { return c.glyph_count == 1 && c.text.view() == " "; }

size_t code_points(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char b : utf8) n += (b & 0xC0) != 0x80;
  return n;
}

// Clusters [first, last] of the run that go into one /ActualText span with their joint text
// (TextObject::write_run). `fill`: the last glyph is stretched with Tc to where the next
// cluster starts, so that the span's box ends there (poppler measures a span from its first
// glyph's origin to its last glyph's end). Tc is used sparingly: pdfminer applies it before
// the glyphs of a TJ array rather than after them, and so draws such a glyph out of place.
struct Joined {
  size_t first = SIZE_MAX, last = SIZE_MAX;
  bool fill = false;
};

// Whether the run's clusters partition its glyphs in order, as walk_clusters reads them
// (spans are only made over clusters it writes).
bool well_formed(const layout::GlyphRun& run) {
  uint64_t next = 0;
  for (const layout::Cluster& c : run.clusters) {
    if (c.first_glyph < next || uint64_t{c.first_glyph} + c.glyph_count > run.glyphs.size())
      return false;
    next = uint64_t{c.first_glyph} + c.glyph_count;
  }
  return true;
}

// poppler (TextOutputDev.cc, TextLine::coalesce) drops every space glyph and decides the spaces
// it prints from the gaps alone; on a line where every word is one character and the gaps are
// even (a justified line of single letters, small capitals, a folio "1 / 8") it takes the gaps
// for letter spacing and prints the line as one word. A word of two characters anywhere on the
// line makes it print a space at every gap over 0.03 em. So where every word of the run is one
// character, its first two words and the space between them are written as one span whose
// ActualText is all three ("a à"): to poppler, a word of three characters. Readers that ignore
// ActualText read the glyphs' own ToUnicode text, the same. One span per run suffices. A run
// of one word and its space (the next word is in another run: another font, a link) spans the
// word and the space, the space stretched to the next word so that poppler adds no space of
// its own after the span's.
Joined single_letter_join(const layout::GlyphRun& run) {
  Joined found;
  size_t word = 0;           // code points of the word so far
  size_t start = SIZE_MAX;   // the word's first cluster
  // 0 before the first word, 1 in it, 2 after its space, 3 in the second word, 4 past it.
  int phase = 0;
  for (size_t i = 0; i < run.clusters.size(); ++i) {
    const layout::Cluster& c = run.clusters[i];
    if (is_space(c)) {
      if (phase == 1) {
        found = {start, i, true};
        phase = 2;
      } else if (phase == 3) {
        phase = 4;
      }
      word = 0;
      start = SIZE_MAX;
      continue;
    }
    if (start == SIZE_MAX) start = i;
    if (phase == 0) {
      phase = 1;
    } else if (phase == 2 || phase == 3) {
      found.last = i;
      found.fill = false;
      phase = 3;
    }
    word += code_points(c.text.view());
    if (word > 1) return {};
  }
  return found;
}

// poppler also starts a new word wherever the gap between two letters passes a tenth of the
// size (addChar, minWordBreakSpace), and then prints a space there: letter-spacing of about
// 0.1 em or more copies "Tiếng" as "T iếng" or "T i ế n g". A word whose letters are that far
// apart is written as one ActualText span, which poppler reads as one word. (MuPDF 1.21 and
// pdfminer, which ignore ActualText, split such words from about 0.15 em and 0.08 em on; the
// glyphs' positions and /W widths leave nothing else to tell them.)
constexpr double kSpacedLetters = 0.08;  // em: below poppler's 0.1, for rounding and kerning

void spaced_words(const layout::GlyphRun& run, const FontProgram& font, double th,
                  std::vector<Joined>& out) {
  double size = run.size.v;
  double pen = 0;
  size_t start = SIZE_MAX;
  bool spaced = false;
  double ink_end = 0;   // where the last glyph with an advance ends (its /W box)
  bool any = false;     // the word has had such a glyph
  auto end_word = [&](size_t last) {
    if (start != SIZE_MAX && spaced && last > start) out.push_back({start, last, false});
    start = SIZE_MAX;
    spaced = any = false;
  };
  size_t next = 0;  // the first glyph not yet passed (glyphs of no cluster only move the pen)
  for (size_t i = 0; i < run.clusters.size(); ++i) {
    const layout::Cluster& c = run.clusters[i];
    for (; next < c.first_glyph; ++next) pen += run.glyphs[next].advance.v;
    if (is_space(c)) {
      if (i > 0) end_word(i - 1);
    } else if (start == SIZE_MAX) {
      start = i;
    }
    for (; next < size_t{c.first_glyph} + c.glyph_count; ++next) {
      const layout::Glyph& g = run.glyphs[next];
      if (!is_space(c) && g.advance.v > 0) {
        double x = pen + g.dx.v;
        if (any && x - ink_end > kSpacedLetters * size) spaced = true;
        ink_end = x + width_1000(font, g.gid) * size / 1000.0 * th;
        any = true;
      }
      pen += g.advance.v;
    }
  }
  if (!run.clusters.empty()) end_word(run.clusters.size() - 1);
}

// The spans of a run for poppler's word breaks (above), in order, none overlapping.
std::vector<Joined> poppler_spans(const layout::GlyphRun& run, const FontProgram& font,
                                  double th) {
  std::vector<Joined> spans;
  if (run.clusters.empty() || run.size.v <= 0 || !well_formed(run)) return spans;
  Joined single = single_letter_join(run);
  if (single.first != SIZE_MAX) {
    spans.push_back(single);
  } else {
    spaced_words(run, font, th, spans);
  }
  return spans;
}
}  // namespace

void record_run(const layout::GlyphRun& run, FontUsage& usage, std::u16string& scratch) {
  const auto& glyphs = run.glyphs;
  walk_clusters(
      run, [&](size_t i) { usage.use(glyphs[i].gid); },
      [&](const layout::Cluster& c, size_t first, size_t end) {
        // A glyph seen before with this same text (most of a page's letters): nothing to add.
        if (c.glyph_count != 1 || !utf8_is(c.text, usage.text(glyphs[first].gid))) {
          scratch.clear();
          append_utf16(scratch, c.text);
          // A glyph that already stands for other text gets a code of its own for this one.
          if (c.glyph_count == 1 && !scratch.empty() &&
              usage.map(glyphs[first].gid, scratch) == FontUsage::Map::Conflict)
            usage.add_alternate(glyphs[first].gid, scratch);
        }
        for (size_t i = first; i < end; ++i) usage.use(glyphs[i].gid);
      });
}

void TextObject::end_mark() {
  if (!marked_) return;
  out_ += "EMC\n";
  marked_ = false;
}

void TextObject::close() {
  end_mark();
  if (!open_) return;
  out_ += "ET\nQ\n";
  open_ = false;
}

void TextObject::begin() {
  if (open_) return;
  out_ += "q\nBT\n";
  open_ = true;
  moved_ = false;
  color_.clear();
  font_.clear();
  th_ = 1;
  alpha_ = 1;
  rise_ = 0;
  x_ = y_ = leading_ = 0;
}

bool TextObject::place(double x, double y) {
  begin();
  return move_to(x, y);
}

bool TextObject::move_to(double x, double y, bool keep_open) {
  // In thousandths, as append_number rounds: integers, held exactly in a double.
  double tx = std::round(x * 1000), ty = std::round(y * 1000);
  double dx = tx - x_, dy = ty - y_;
  bool first = !moved_;
  bool relative = !first && (keep_open || (sums_exactly(x_, dx, tx) && sums_exactly(y_, dy, ty)));
  x_ = tx;
  y_ = ty;
  moved_ = true;
  if (relative && dx == 0 && dy != 0 && dy == -leading_) {
    out_ += "T*\n";  // 0 -TL Td
    return false;
  }
  // BT puts the line start at the origin, so a move from there is as absolute as a Tm, and
  // shorter. Where a relative move would not be exact the text object is begun again instead
  // of setting the line matrix with Tm: after a Tm, readers add later moves to the matrix's
  // translation rather than to one running sum, which sums_exactly does not model.
  alt_.assign(first ? "" : "ET\nBT\n");
  append_num(alt_, tx / 1000);
  alt_ += ' ';
  append_num(alt_, ty / 1000);
  alt_ += " Td\n";
  if (relative) {
    buf_.clear();
    append_num(buf_, dx / 1000);
    buf_ += ' ';
    append_num(buf_, dy / 1000);
    // TD is Td that also sets the leading to -dy (§9.4.2), so the next line down is T*.
    buf_ += dy != 0 ? " TD\n" : " Td\n";
    if (buf_.size() <= alt_.size() || keep_open) {
      out_ += buf_;
      if (dy != 0) leading_ = -dy;
      return false;
    }
  }
  out_ += alt_;
  return !first;
}

RunIssues TextObject::write_run(const layout::GlyphRun& run, std::string_view resource,
                                const FontProgram& program, const FontUsage& usage,
                                const CidMap& cids, std::u16string& scratch, const Color* color,
                                std::string_view alpha_state) {
  RunIssues issues;
  const auto& glyphs = run.glyphs;
  bool keep = keep_ && marked_ && open_;
  keep_ = false;
  if (!keep) end_mark();
  begin();
  // The move first: when it begins the text object again, the state below carries over.
  move_to(run.x.v, run.y.v, keep);
  if (!keep && !mark_.empty()) {
    out_ += mark_;
    marked_ = true;
  }
  buf_.clear();
  const Color& paint = color ? *color : run.color;
  append_color(buf_, paint, false);
  if (buf_ != color_) {
    out_ += buf_;
    color_.swap(buf_);
  }
  // gs is allowed inside a text object (ISO 32000-1 §8.2, Figure 9) and q/Q around it resets it.
  if (paint.alpha != alpha_ && !alpha_state.empty()) {
    out_ += '/';
    out_ += alpha_state;
    out_ += " gs\n";
    alpha_ = paint.alpha;
  }
  buf_.assign("/");
  buf_ += resource;
  buf_ += ' ';
  append_num(buf_, run.size.v);
  buf_ += " Tf\n";
  if (buf_ != font_) {
    out_ += buf_;
    font_.swap(buf_);
  }
  // Font expansion: the glyph shapes drawn wider or narrower (§9.3.4). Written with the
  // precision it is read back with, so the writer's pen follows what a viewer does.
  double th = 1;
  if (run.hscale != 1 && std::isfinite(run.hscale) && run.hscale > 0)
    th = round_to(run.hscale * 100, 3) / 100;
  if (th != th_) {
    append_num(out_, th * 100);
    out_ += " Tz\n";
    th_ = th;
  }

  // Text in another language than the document's says so (ISO 32000-1 §14.9.2.2), inside the
  // element's marked content. The model lets only plain BCP 47 tags through, safe in ( ).
  if (!run.lang.empty()) {
    out_ += "/Span <</Lang (";
    out_ += run.lang;
    out_ += ")>> BDC\n";
  }
  TjWriter tj(out_, program, cids, run.size.v, th, rise_, hex_);
  std::vector<Joined> spans;
  if (word_spaces_) spans = poppler_spans(run, program, th);
  size_t next_span = 0;
  bool in_join = false;
  issues.bad_clusters = walk_clusters(
      run, [&](size_t i) { tj.glyph(glyphs[i]); },
      [&](const layout::Cluster& c, size_t first, size_t end) {
        size_t index = static_cast<size_t>(&c - run.clusters.data());
        if (!word_spaces_ && is_space(c)) {
          for (size_t i = first; i < end; ++i) tj.skip(glyphs[i]);
          return;
        }
        // The glyph's ToUnicode entry is the first text recorded for it (record_run): this
        // cluster needs a code of its own (an alternate) or /ActualText when that is not its
        // own text. Mostly it is, and then nothing needs converting.
        bool actual = true;
        uint32_t code = kOwnCode;
        if (c.glyph_count == 1 && utf8_is(c.text, usage.text(glyphs[first].gid))) {
          actual = false;
        } else {
          scratch.clear();
          if (!append_utf16(scratch, c.text)) ++issues.bad_utf8;
          if (c.glyph_count == 1 && !scratch.empty()) {
            actual = usage.text(glyphs[first].gid) != std::u16string_view(scratch);
            int64_t k = actual ? usage.alternate(glyphs[first].gid, scratch) : -1;
            if (k >= 0 && cids.has_alternate(k)) {
              code = cids.alternate_cid(static_cast<uint32_t>(k));
              actual = false;
            }
          }
        }
        if (actual) ++issues.actual_only;
        if (next_span < spans.size() && index == spans[next_span].first) {
          tj.close_array();
          scratch.clear();
          for (size_t k = spans[next_span].first; k <= spans[next_span].last; ++k)
            append_utf16(scratch, run.clusters[k].text);  // bad UTF-8 counted once, above
          out_ += "/Span <</ActualText <FEFF";
          append_hex_utf16(out_, scratch);
          out_ += ">>> BDC\n";
          in_join = true;
        }
        if (in_join) {
          // The span's box ends at its last glyph's end: stretched (Joined::fill) where that
          // would be short of the next word, and where the cluster ends in a mark.
          const Joined& span = spans[next_span];
          bool last = index == span.last;
          bool fill = last && (span.fill || c.glyph_count > 1);
          for (size_t i = first; i < end; ++i) tj.glyph(glyphs[i], fill && i + 1 == end, code);
          if (last) {
            tj.close_array();
            out_ += "EMC\n";
            in_join = false;
            ++next_span;
          }
          return;
        }
        if (actual) {
          tj.close_array();
          if (scratch.empty()) {
            out_ += "/Span <</ActualText ()>> BDC\n";
          } else {
            out_ += "/Span <</ActualText <FEFF";
            append_hex_utf16(out_, scratch);
            out_ += ">>> BDC\n";
          }
        }
        for (size_t i = first; i < end; ++i)
          tj.glyph(glyphs[i], actual && i + 1 == end && i > first, code);
        if (actual) {
          tj.close_array();
          out_ += "EMC\n";
        }
      });
  tj.close_array();
  if (in_join) out_ += "EMC\n";  // not reached: poppler_spans checked the clusters
  if (!run.lang.empty()) out_ += "EMC\n";
  return issues;
}

RunIssues append_run(std::string& out, const layout::GlyphRun& run, const RunFont& font,
                     std::u16string& scratch, const Color* color, bool hex) {
  record_run(run, *font.usage, scratch);
  static const CidMap kGlyphIds;
  TextObject text(out, hex);
  RunIssues issues = text.write_run(run, font.resource, *font.program, *font.usage,
                                    font.cids ? *font.cids : kGlyphIds, scratch, color);
  text.close();
  return issues;
}

Pt media_margin(Pt bleed, bool crop, bool cross) {
  double b = std::max(0.0, bleed.v);
  if (!crop && !cross) return Pt(b);
  return Pt(b + kMarkGap + kMarkLength + 3);
}

void append_marks(std::string& out, Pt width, Pt height, Pt bleed, bool crop, bool cross) {
  if (!crop && !cross) return;
  double w = width.v, h = height.v;
  double d0 = std::max(0.0, bleed.v) + kMarkGap;  // first point of a mark, outside the bleed
  double d1 = d0 + kMarkLength;
  auto line = [&](double x1, double y1, double x2, double y2) {
    append_num(out, x1);
    out += ' ';
    append_num(out, y1);
    out += " m ";
    append_num(out, x2);
    out += ' ';
    append_num(out, y2);
    out += " l S\n";
  };
  out += "q\n1 1 1 1 K\n";
  append_num(out, kMarkWidth);
  out += " w\n";
  if (crop) {
    for (double x0 : {0.0, w})
      for (double y0 : {0.0, h}) {
        double sx = x0 == 0 ? -1 : 1, sy = y0 == 0 ? -1 : 1;  // outwards
        line(x0 + sx * d0, y0, x0 + sx * d1, y0);
        line(x0, y0 + sy * d0, x0, y0 + sy * d1);
      }
  }
  if (cross) {
    double mid = (d0 + d1) / 2, r = std::min(5.0, kMarkLength / 2 - 1);
    const double centres[4][2] = {{w / 2, -mid}, {w / 2, h + mid}, {-mid, h / 2}, {w + mid, h / 2}};
    // A circle from four Bezier arcs (kappa = 0.5523 for a quarter circle).
    double k = 0.5523 * r;
    for (const auto& c : centres) {
      double x = c[0], y = c[1];
      line(x - r - 2, y, x + r + 2, y);
      line(x, y - r - 2, x, y + r + 2);
      append_num(out, x + r); out += ' '; append_num(out, y); out += " m\n";
      const double arcs[4][6] = {{x + r, y + k, x + k, y + r, x, y + r},
                                 {x - k, y + r, x - r, y + k, x - r, y},
                                 {x - r, y - k, x - k, y - r, x, y - r},
                                 {x + k, y - r, x + r, y - k, x + r, y}};
      for (const auto& a : arcs) {
        for (int i = 0; i < 6; ++i) {
          append_num(out, a[i]);
          out += ' ';
        }
        out += "c\n";
      }
      out += "S\n";
    }
  }
  out += "Q\n";
}

}  // namespace trang::pdf::detail
