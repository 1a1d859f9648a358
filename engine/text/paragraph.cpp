// A paragraph from styled spans to lines:
//   collect (collapse white space, map styles) -> segment (UAX #14 break opportunities, ICU)
//   -> itemize (font fallback) and shape (HarfBuzz, cached per word) -> box/glue/penalty items
//   -> break_lines (Knuth-Plass, looser passes if needed) -> lines of glyph runs.
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <hyphen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "text/internal.h"

namespace trang::text {
namespace {

constexpr char32_t kLineSeparator = 0x2028;  // <br>: a forced break (UAX #14 class BK)
constexpr double kFil = 1e6;                   // "infinite" stretch that still sums finitely
// Ragged lines (TeX's \rightskip trick, Knuth & Plass 1981 §"Variable-width lines"): each
// space becomes glue(0,+R,0) penalty(0) glue(w,-R,0), so a line may end at any space with
// up to R of white, and R cancels out where the line does not end.
constexpr double kRaggedEm = 3;

// What a piece of text is, beside its style: part of a link, in another language.
struct Mark {
  std::string href, lang;
  bool operator==(const Mark&) const = default;
};

// One shaped piece of text: a box in the breaker's item list.
struct Piece {
  FontId font = 0;
  uint32_t style = 0;
  std::vector<Glyph> glyphs;
  std::vector<Cluster> clusters;
  Pt width;
  Mark mark;
  bool space = false;  // a word space (its glyph is written only between boxes on a line)
  Pt ink_top, ink_bottom;  // ink extents of its glyphs (y up)
  size_t begin = 0, end = 0;  // the bytes of the paragraph's text it shows (a hyphen not counted)
};

struct Text {
  std::string s;                 // collapsed paragraph text
  std::vector<uint32_t> style;   // style per byte of s
  std::vector<uint32_t> mark;    // index into marks per byte (0 = none)
  std::vector<Mark> marks{Mark{}};
  // ::first-line, per byte: the style and case mapping on the first line (Span).
  std::vector<uint32_t> first_style;
  std::vector<CaseMap> first_case;
  bool has_first_line = false;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// CSS white-space: normal (CSS Text 3 §4.1.1): runs of white space collapse to one space,
// leading and trailing white space of the paragraph disappears, and so does white space
// around a forced break.
Text collect(const ParagraphInput& in) {
  Text t;
  uint32_t mark_index = 0;
  bool pending_space = false;
  for (const Span& span : in.spans) {
    if (!span.href.empty() || !span.lang.empty()) {
      Mark m{span.href, span.lang};
      if (!(t.marks.back() == m)) t.marks.push_back(std::move(m));
      mark_index = static_cast<uint32_t>(t.marks.size() - 1);
    } else {
      mark_index = 0;
    }
    for (size_t i = 0; i < span.text.size(); ++i) {
      char c = span.text[i];
      if (is_space(c)) {
        pending_space = !t.s.empty();
        continue;
      }
      bool is_ls = span.text.compare(i, 3, "\u2028") == 0;
      auto push = [&](char byte) {
        t.s += byte;
        t.style.push_back(span.style);
        t.mark.push_back(mark_index);
        t.first_style.push_back(span.first_line_style);
        t.first_case.push_back(span.first_line_case);
      };
      if (pending_space && !is_ls && !(t.s.size() >= 3 && t.s.compare(t.s.size() - 3, 3, "\u2028") == 0))
        push(' ');
      pending_space = false;
      push(c);
    }
  }
  t.has_first_line = std::any_of(t.first_style.begin(), t.first_style.end(),
                                 [](uint32_t s) { return s != kNoStyle; });
  return t;
}

char32_t decode_at(std::string_view s, size_t& i) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
  char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
  i += n;
  return cp;
}

// `t` with its bytes [0, end) in their ::first-line style and case (Span::first_line_style).
// `src` maps each byte of the result, and its end, to the byte of `t` it comes from; the
// case is mapped character by character so that every boundary maps back.
Text restyled(const Text& t, size_t end, const std::string& language, std::vector<size_t>& src) {
  Text out;
  out.marks = t.marks;
  src.clear();
  auto push = [&](std::string_view bytes, uint32_t style, size_t from) {
    for (char c : bytes) {
      out.s += c;
      out.style.push_back(style);
      out.mark.push_back(t.mark[from]);
      src.push_back(from);
    }
  };
  for (size_t i = 0; i < t.s.size();) {
    size_t at = i;
    decode_at(t.s, i);
    i = std::min(i, t.s.size());
    std::string_view ch(t.s.data() + at, i - at);
    uint32_t fs = t.first_style[at];
    if (at >= end || fs == kNoStyle) { push(ch, t.style[at], at); continue; }
    switch (t.first_case[at]) {
      case CaseMap::None: push(ch, fs, at); break;
      case CaseMap::Upper: push(to_upper(ch, language), fs, at); break;
      case CaseMap::Lower: push(to_lower(ch, language), fs, at); break;
    }
  }
  src.push_back(t.s.size());
  return out;
}

// Characters that belong to the previous character's font (combining marks, joiners,
// variation selectors), so a base and its marks never end up in different fonts.
bool sticks_to_previous(char32_t cp) {
  int8_t gc = static_cast<int8_t>(u_charType(cp));
  return gc == U_NON_SPACING_MARK || gc == U_COMBINING_SPACING_MARK || gc == U_ENCLOSING_MARK ||
         cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
}

class Setter {
 public:
  Setter(const ParagraphInput& in, Pt measure, FontCache& fonts, Diagnostics& diags)
      : in_(in), measure_(measure), fonts_(fonts), faces_(fonts.impl().faces), diags_(&diags) {}

  std::vector<Line> run();

 private:
  // One setting of `t`: items, breaks, lines. `pin`: end the first line after the text
  // [0, style_end_) (::first-line). Sets first_end_ to where the first line ends in `t`.
  std::vector<Line> set_text(const Text& t, bool pin);
  // ::first-line: sets the paragraph until its first line ends exactly where the style does.
  std::vector<Line> set_first_line(const Text& t);
  size_t first_line_end(const Breaks& breaks) const;
  size_t pin_item() const;
  void report_missing();
  // The styles of the paragraph, then the synthesized small-caps styles (smcp_style).
  const TextStyle& style_at(uint32_t i) const {
    return i < in_.styles.size() ? in_.styles[i] : extra_styles_[i - in_.styles.size()];
  }
  bool synthetic(uint32_t style) const { return style >= in_.styles.size(); }
  // Small caps (font-variant-caps): 1 none, 2 small-caps (smcp), 3 all-small-caps (smcp and
  // c2sc) asked for by `style`.
  uint8_t caps_mode(uint32_t style);
  // Whether `cp` in `style` wants a small capital that `font` does not have.
  bool lacks_small_cap(uint32_t style, FontId font, char32_t cp);
  // The style that draws text of `style` as synthetic small capitals in `font`.
  uint32_t synthetic_style(uint32_t style, FontId font);
  void build_items(const Text& t);
  icu::BreakIterator* line_breaker(const std::string& language);
  void add_word(const Text& t, size_t begin, size_t end);
  void add_space(uint32_t style, FontId font);
  void add_piece(const Text& t, size_t begin, size_t end, uint32_t style, FontId font);
  uint32_t space_piece(uint32_t style, FontId font);
  uint32_t make_space_piece(uint32_t style, FontId font);
  // t.s[begin, end) and a hyphen shaped together: a word fragment as it ends a line.
  uint32_t broken_piece(const Text& t, size_t begin, size_t end, uint32_t style, FontId font,
                        const Mark& mark);
  void hyphenate(const Text& t, size_t begin, size_t end);
  void add_protrusion();
  void add_expansion();
  void add_word_keys(const Text& t);
  void record_extremes(const Piece& p, const TextStyle& st, Pt pen, Line& line);
  std::vector<Line> make_lines(const Breaks& breaks);
  bool expanding() const { return in_.expansion > 0 && in_.align == Align::Justify; }

  const ParagraphInput& in_;
  Pt measure_;
  FontCache& fonts_;
  std::vector<std::unique_ptr<Face>>& faces_;
  Diagnostics* diags_;  // where this setting's warnings go (a scratch sink for trial settings)
  std::vector<Piece> pieces_;
  std::vector<Item> items_;
  std::set<char32_t> missing_;
  std::map<std::pair<uint32_t, FontId>, uint32_t> space_pieces_;  // -> pieces_
  bool warned_wide_ = false;
  FontId last_font_ = 0;
  size_t style_end_ = 0;  // ::first-line: bytes of the text being set that take its style
  size_t first_end_ = 0;  // where the first line ended in the last setting
  // Small caps: per style, 0 not looked at, 1 none, 2 smcp, 3 smcp and c2sc.
  std::vector<uint8_t> caps_mode_;
  std::vector<TextStyle> extra_styles_;               // synthetic small capitals
  std::map<std::pair<uint32_t, FontId>, uint32_t> synthetic_;  // (style, font) -> style
};

FontId pick_font(FontCache& fonts, const TextStyle& st, char32_t cp) {
  for (FontId f : st.fonts)
    if (fonts.has_glyph(f, cp)) return f;
  if (std::optional<FontId> f = fonts.fallback_font(st.fallback, cp)) return *f;
  return st.fonts.front();
}

void Setter::add_piece(const Text& t, size_t begin, size_t end, uint32_t style, FontId font) {
  const TextStyle& st = style_at(style);
  Face& face = *faces_[font];
  std::string_view text(t.s.data() + begin, end - begin);
  // A synthetic small capital is the capital letter shaped at its smaller size; its clusters
  // keep the source letters, so the text extracts as written. The case is mapped letter by
  // letter; `from[k]` is the byte of `text` that byte k of the shaped text comes from.
  std::string upper;
  std::vector<uint32_t> from;
  if (synthetic(style)) {
    for (size_t i = 0; i < text.size();) {
      size_t at = i;
      decode_at(text, i);
      i = std::min(i, text.size());
      std::string u = to_upper(text.substr(at, i - at), st.language);
      upper += u;
      from.insert(from.end(), u.size(), static_cast<uint32_t>(at));
    }
    from.push_back(static_cast<uint32_t>(text.size()));
  }
  std::string_view shaped_text = synthetic(style) ? std::string_view(upper) : text;
  auto source = [&](uint32_t k) { return from.empty() ? k : from[std::min<size_t>(k, from.size() - 1)]; };
  const ShapedText& shaped = shape_cached(face, shaped_text, st.language, st.features);
  double scale = st.size.v / face.program->units_per_em;

  Piece p;
  p.font = font;
  p.style = style;
  p.mark = t.marks[t.mark[begin]];
  p.begin = begin;
  p.end = end;
  if (shaped.has_notdef)
    for (const UnitGlyph& g : shaped.glyphs)
      if (g.gid == 0) {
        size_t k = begin + source(g.cluster);
        missing_.insert(decode_at(t.s, k));
      }
  p.glyphs.resize(shaped.glyphs.size());
  p.clusters.reserve(shaped.clusters.size());
  for (const ShapedText::Span& c : shaped.clusters) {
    for (uint32_t i = c.first_glyph; i < c.first_glyph + c.glyph_count; ++i) {
      const UnitGlyph& g = shaped.glyphs[i];
      bool cluster_end = i + 1 == c.first_glyph + c.glyph_count;
      Pt adv = Pt(g.advance * scale) + (cluster_end ? st.letter_spacing : Pt());
      p.glyphs[i] = {g.gid, adv, Pt(g.dx * scale), Pt(g.dy * scale)};
      p.width += adv;
    }
    uint32_t b0 = source(c.byte_begin), b1 = source(c.byte_begin + c.byte_len);
    p.clusters.push_back({c.first_glyph, c.glyph_count, std::string(text.substr(b0, b1 - b0))});
  }
  if (shaped.has_ink) {
    p.ink_top = std::max(p.ink_top, Pt(shaped.ink_top * scale));
    p.ink_bottom = std::min(p.ink_bottom, Pt(shaped.ink_bottom * scale));
  }
  last_font_ = font;
  pieces_.push_back(std::move(p));
}

// A word (text between break opportunities, without its trailing space): split where the
// style or the font changes, shape each piece, and add one box per piece.
void Setter::add_word(const Text& t, size_t begin, size_t end) {
  size_t first_piece = pieces_.size();
  size_t run_start = begin;
  uint32_t run_style = t.style[begin];
  uint32_t run_base = run_style;  // run_style before small caps were synthesized
  FontId run_font = 0;
  bool have_font = false;
  // ::first-line: the style ends inside this word where the first line ends with a hyphen; a
  // piece must end there.
  bool split_here = style_end_ > begin && style_end_ < end;
  // Small caps the font lacks are synthesized for the whole word, not letter by letter: text
  // extraction (poppler) starts a new word wherever the size changes by more than 5%, so a
  // word of mixed sizes would copy as two. Capitals of `small-caps` keep their full size.
  bool synthesize = false;
  for (size_t i = begin; i < end && !synthesize;) {
    size_t at = i;
    char32_t cp = decode_at(t.s, i);
    if (caps_mode(t.style[at]) == 1) continue;
    synthesize = lacks_small_cap(t.style[at], pick_font(fonts_, style_at(t.style[at]), cp), cp);
  }
  for (size_t i = begin; i < end;) {
    size_t at = i;
    char32_t cp = decode_at(t.s, i);
    uint32_t base = t.style[at];
    uint32_t style = base;
    FontId font;
    if (have_font && sticks_to_previous(cp) && base == run_base) {
      font = run_font;
      style = run_style;
    } else {
      font = pick_font(fonts_, style_at(base), cp);
      uint8_t mode = synthesize ? caps_mode(base) : 1;
      int8_t gc = static_cast<int8_t>(u_charType(cp));
      bool capital = gc == U_UPPERCASE_LETTER || gc == U_TITLECASE_LETTER;
      if (mode == 3 || (mode == 2 && !capital)) style = synthetic_style(base, font);
    }
    if (have_font && (font != run_font || style != run_style ||
                      t.mark[at] != t.mark[run_start] || (split_here && at == style_end_))) {
      add_piece(t, run_start, at, run_style, run_font);
      run_start = at;
    }
    run_style = style;
    run_base = base;
    run_font = font;
    have_font = true;
  }
  add_piece(t, run_start, end, run_style, run_font);

  Pt width;
  for (size_t k = first_piece; k < pieces_.size(); ++k) width += pieces_[k].width;
  if (width <= measure_) {
    if (in_.hyphenation.enabled && pieces_.size() == first_piece + 1) {
      hyphenate(t, begin, end);
      return;
    }
    for (size_t k = first_piece; k < pieces_.size(); ++k) {
      items_.push_back({Item::Type::Box, pieces_[k].width.v, 0, 0, 0, false, static_cast<uint32_t>(k)});
      if (split_here && pieces_[k].end == style_end_) {
        // The first line ended here with a hyphen in an earlier setting: the break stays
        // possible where the first-line style now ends (as hyphenate() would allow it).
        uint32_t broken = broken_piece(t, pieces_[k].begin, style_end_, pieces_[k].style,
                                       pieces_[k].font, pieces_[k].mark);
        items_.push_back({Item::Type::Penalty, pieces_[broken].width.v - pieces_[k].width.v, 0,
                          0, 50, true, broken});
      }
    }
    return;
  }
  // A word wider than the column (a URL, a long number) would overflow it: allow a break
  // after every cluster instead, at a high penalty, so it is split only where it must be.
  if (!warned_wide_) {
    warned_wide_ = true;
    diags_->warning(in_.pos, "word '" + t.s.substr(begin, end - begin) +
                                "' is wider than the column; it is broken between letters");
  }
  std::vector<Piece> whole(std::make_move_iterator(pieces_.begin() + first_piece),
                           std::make_move_iterator(pieces_.end()));
  pieces_.resize(first_piece);
  for (Piece& w : whole) {
    size_t at = w.begin;
    for (const Cluster& c : w.clusters) {
      Piece p;
      p.font = w.font;
      p.style = w.style;
      p.mark = w.mark;
      p.begin = at;
      at += c.text.size();
      p.end = at;
      p.glyphs.assign(w.glyphs.begin() + c.first_glyph, w.glyphs.begin() + c.first_glyph + c.glyph_count);
      p.clusters.push_back({0, c.glyph_count, c.text});
      for (const Glyph& g : p.glyphs) p.width += g.advance;
      if (pieces_.size() > first_piece)
        items_.push_back({Item::Type::Penalty, 0, 0, 0, 900, false, 0});
      items_.push_back({Item::Type::Box, p.width.v, 0, 0, 0, false, static_cast<uint32_t>(pieces_.size())});
      pieces_.push_back(std::move(p));
    }
  }
}

// Splits the word just shaped (the last piece) at its hyphenation points: box, flagged
// penalty carrying the hyphen, box, ... (The TeXbook ch. 14, discretionary breaks). The
// fragments keep the glyphs of the whole word, so kerning and ligatures stay as they are when
// the word is not broken; a point inside a ligature is skipped.
void Setter::hyphenate(const Text& t, size_t begin, size_t end) {
  uint32_t whole = static_cast<uint32_t>(pieces_.size() - 1);
  auto add_whole = [&] { items_.push_back({Item::Type::Box, pieces_[whole].width.v, 0, 0, 0, false, whole}); };
  const Hyphenation& h = in_.hyphenation;
  _HyphenDict* dict = hyphen_dictionary(fonts_.impl(), style_at(pieces_[whole].style).language);
  if (!dict) return add_whole();
  // The letters of the word, without surrounding punctuation ("(example)," -> "example").
  size_t a = begin, z = end;
  auto letter_at = [&](size_t i) { size_t k = i; return u_isalpha(decode_at(t.s, k)) != 0; };
  while (a < z && !letter_at(a)) { size_t k = a; decode_at(t.s, k); a = k; }
  while (z > a) {
    size_t k = z - 1;
    while (k > a && (static_cast<unsigned char>(t.s[k]) & 0xC0) == 0x80) --k;
    if (letter_at(k)) break;
    z = k;
  }
  std::string word = t.s.substr(a, z - a);
  std::string lower = to_lower(word, style_at(pieces_[whole].style).language);
  size_t chars = 0;
  for (size_t i = a; i < z;) { decode_at(t.s, i); ++chars; }
  for (size_t i = a; i < z; ) { if (!letter_at(i)) return add_whole(); decode_at(t.s, i); }
  if (static_cast<int>(chars) < h.word_min || lower.size() != word.size()) return add_whole();

  std::vector<char> marks(lower.size() + 5, 0);
  char** rep = nullptr;
  int* pos = nullptr;
  int* cut = nullptr;
  hnj_hyphen_hyphenate3(dict, lower.c_str(), static_cast<int>(lower.size()), marks.data(), nullptr,
                        &rep, &pos, &cut, h.before_min, h.after_min, 1, 1);
  std::vector<size_t> points;  // byte offsets into t.s where a hyphen may go
  for (size_t i = 0; i + 1 < lower.size(); ++i) {
    bool odd = marks[i] & 1;
    bool replaced = rep && rep[i];  // non-standard (Schiffahrt): not supported, skipped
    if (odd && !replaced) points.push_back(a + i + 1);
  }
  if (rep) {
    for (size_t i = 0; i < lower.size(); ++i) free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);

  Piece w = std::move(pieces_[whole]);
  pieces_.pop_back();
  // Cluster starts in t.s coordinates.
  std::vector<size_t> starts;
  size_t off = begin;
  for (const Cluster& c : w.clusters) { starts.push_back(off); off += c.text.size(); }
  size_t from_cluster = 0;
  auto emit = [&](size_t to_cluster) {
    Piece f;
    f.font = w.font;
    f.style = w.style;
    f.mark = w.mark;
    uint32_t g0 = w.clusters[from_cluster].first_glyph;
    uint32_t g1 = to_cluster < w.clusters.size() ? w.clusters[to_cluster].first_glyph
                                                  : static_cast<uint32_t>(w.glyphs.size());
    f.glyphs.assign(w.glyphs.begin() + g0, w.glyphs.begin() + g1);
    for (size_t c = from_cluster; c < to_cluster; ++c)
      f.clusters.push_back({w.clusters[c].first_glyph - g0, w.clusters[c].glyph_count, w.clusters[c].text});
    for (const Glyph& g : f.glyphs) f.width += g.advance;
    f.begin = starts[from_cluster];
    f.end = to_cluster < starts.size() ? starts[to_cluster] : end;
    f.ink_top = w.ink_top;
    f.ink_bottom = w.ink_bottom;
    items_.push_back({Item::Type::Box, f.width.v, 0, 0, 0, false, static_cast<uint32_t>(pieces_.size())});
    pieces_.push_back(std::move(f));
    from_cluster = to_cluster;
  };
  for (size_t p : points) {
    auto it = std::find(starts.begin(), starts.end(), p);
    if (it == starts.end()) continue;  // inside a ligature or a cluster
    size_t c = static_cast<size_t>(it - starts.begin());
    if (c <= from_cluster) continue;
    size_t fragment_begin = starts[from_cluster];
    emit(c);
    uint32_t fragment = static_cast<uint32_t>(pieces_.size() - 1);
    // The fragment as it ends a line is shaped again with its hyphen ("exam-"): a kern or a
    // contextual form the whole word had across the break point does not belong at the end of
    // a line. The penalty carries the difference in width, so the breaker measures the line
    // as it will be set; make_lines puts this piece in place of the fragment.
    uint32_t broken = broken_piece(t, fragment_begin, p, w.style, w.font, w.mark);
    // \hyphenpenalty = 50 (plain TeX).
    items_.push_back({Item::Type::Penalty, pieces_[broken].width.v - pieces_[fragment].width.v, 0,
                      0, 50, true, broken});
  }
  emit(w.clusters.size());
}

uint32_t Setter::broken_piece(const Text& t, size_t begin, size_t end, uint32_t style,
                              FontId font, const Mark& mark) {
  Text piece;
  piece.s.assign(t.s, begin, end - begin);
  piece.s += '-';
  piece.style.assign(piece.s.size(), style);
  piece.mark.assign(piece.s.size(), 0);
  piece.marks = {mark};
  add_piece(piece, 0, piece.s.size(), style, font);
  pieces_.back().begin = begin;
  pieces_.back().end = end;
  return static_cast<uint32_t>(pieces_.size() - 1);
}

// One space piece per style and font, shared by every glue that uses it (a paragraph has a
// space per word; each used to be shaped and stored on its own).
uint32_t Setter::space_piece(uint32_t style, FontId font) {
  auto [it, fresh] = space_pieces_.try_emplace({style, font}, 0);
  if (!fresh) return it->second;
  it->second = make_space_piece(style, font);
  return it->second;
}

uint32_t Setter::make_space_piece(uint32_t style, FontId font) {
  Text sp;
  sp.s = " ";
  sp.style = {style};
  sp.mark = {0};
  add_piece(sp, 0, 1, style, font);
  pieces_.back().space = true;
  return static_cast<uint32_t>(pieces_.size() - 1);
}

void Setter::add_space(uint32_t style, FontId font) {
  uint32_t sp = space_piece(style, font);
  double w = pieces_[sp].width.v;
  double natural = w;  // stretch and shrink follow the font's space, not word-spacing
  w = std::max(0.0, w + style_at(style).word_spacing.v);
  if (in_.align == Align::Justify) {
    // Interword glue as in Computer Modern (The TeXbook ch. 12): stretch w/2, shrink w/3.
    items_.push_back({Item::Type::Glue, w, natural / 2, natural / 3, 0, false, sp});
  } else {
    double r = kRaggedEm * style_at(style).size.v;
    items_.push_back({Item::Type::Glue, 0, r, 0, 0, false, UINT32_MAX});
    items_.push_back({Item::Type::Penalty, 0, 0, 0, 0, false, 0});
    items_.push_back({Item::Type::Glue, w, -r, 0, 0, false, sp});
  }
}

icu::BreakIterator* Setter::line_breaker(const std::string& language) {
  std::unique_ptr<icu::BreakIterator>& bi = fonts_.impl().line_breakers[language];
  if (!bi) {
    UErrorCode status = U_ZERO_ERROR;
    bi.reset(icu::BreakIterator::createLineInstance(icu::Locale(language.c_str()), status));
    if (U_FAILURE(status)) bi.reset();
  }
  return bi.get();
}

void Setter::build_items(const Text& t) {
  // About one piece per word and three items per word and space: Vietnamese syllables are
  // about five bytes with their space.
  pieces_.reserve(t.s.size() / 5 + 8);
  items_.reserve(t.s.size() / 2 + 8);
  if (in_.indent.v != 0) {
    Piece indent;
    indent.width = in_.indent;
    pieces_.push_back(indent);
    items_.push_back({Item::Type::Box, in_.indent.v, 0, 0, 0, false, 0});
  }
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, t.s.data(), static_cast<int64_t>(t.s.size()), &status);
  icu::BreakIterator* bi = line_breaker(in_.styles.front().language);
  if (U_FAILURE(status) || !bi) {
    utext_close(ut);
    return;
  }
  bi->setText(ut, status);
  size_t prev = 0;
  for (int32_t b = bi->next(); b != icu::BreakIterator::DONE; b = bi->next()) {
    size_t end = static_cast<size_t>(b);
    bool hard = bi->getRuleStatus() >= UBRK_LINE_HARD && bi->getRuleStatus() < UBRK_LINE_HARD_LIMIT;
    // Split the segment [prev, end) into word + trailing spaces + (maybe) a line separator.
    size_t word_end = end;
    bool has_ls = word_end >= prev + 3 && t.s.compare(word_end - 3, 3, "\u2028") == 0;
    if (has_ls) word_end -= 3;
    size_t spaces = word_end;
    while (spaces > prev && t.s[spaces - 1] == ' ') --spaces;
    if (spaces > prev) add_word(t, prev, spaces);
    uint32_t style = t.style[prev < t.s.size() ? prev : 0];
    if (end >= t.s.size()) break;
    if (has_ls || (hard && spaces == word_end)) {
      items_.push_back({Item::Type::Glue, 0, kFil, 0, 0, false, UINT32_MAX});
      items_.push_back({Item::Type::Penalty, 0, 0, 0, -kInfPenalty, false, 0});
    } else if (spaces < word_end) {
      add_space(t.style[spaces], last_font_);
    } else {
      // A break with no space (after a hyphen, a slash, between CJK characters): allowed,
      // mildly discouraged.
      items_.push_back({Item::Type::Penalty, 0, 0, 0, 50, false, 0});
    }
    (void)style;
    prev = end;
  }
  utext_close(ut);
  // The end of the paragraph: \parfillskip then a forced break (TeXbook ch. 14).
  items_.push_back({Item::Type::Penalty, 0, 0, 0, kInfPenalty, false, 0});
  // text-align-last: justify drops \parfillskip, so the last line is justified like the others.
  bool justify_last = in_.align == Align::Justify && in_.align_last == Align::Justify;
  items_.push_back({Item::Type::Glue, 0, justify_last ? 0 : kFil, 0, 0, false, UINT32_MAX});
  items_.push_back({Item::Type::Penalty, 0, 0, 0, -kInfPenalty, false, 0});
}

namespace {
// How far a character may hang into the margin, as a fraction of its advance: close to
// microtype's defaults for text faces. Right side for line ends, left side for line starts.
double protrusion_right(std::string_view c) {
  if (c == "." || c == ",") return 0.6;
  if (c == "-" || c == "\u2010" || c == "\u2013") return 0.5;
  if (c == ":" || c == ";") return 0.4;
  if (c == "\u201D" || c == "\u2019" || c == "\"" || c == "'" || c == "\u00BB" || c == ")") return 0.4;
  if (c == "!" || c == "?" || c == "\u2014") return 0.2;
  return 0;
}
double protrusion_left(std::string_view c) {
  if (c == "\u201C" || c == "\u2018" || c == "\"" || c == "'" || c == "\u00AB" || c == "(") return 0.4;
  return 0;
}
}  // namespace

void Setter::add_protrusion() {
  for (size_t k = 0; k < items_.size(); ++k) {
    Item& it = items_[k];
    if (it.type == Item::Type::Box) {
      const Piece& p = pieces_[it.piece];
      if (!p.clusters.empty() && !p.glyphs.empty())
        it.protrude = protrusion_left(p.clusters.front().text) * p.glyphs.front().advance.v;
    } else if (k > 0 && items_[k - 1].type == Item::Type::Box) {
      // The glyph the line would end with: the hyphen for a flagged break.
      const Piece& p = it.flagged ? pieces_[it.piece] : pieces_[items_[k - 1].piece];
      if (!p.clusters.empty() && !p.glyphs.empty())
        it.protrude = protrusion_right(p.clusters.back().text) * p.glyphs.back().advance.v;
    }
  }
}

// Word keys for stacks (BreakParams::stack_demerits): the boxes of one word (joined directly or
// at hyphenation points) share an FNV-1a hash of the word's text, ASCII letters folded to lower
// case, so "Và" at the head of one line and "và" at the head of the next still count.
void Setter::add_word_keys(const Text& t) {
  size_t k = 0;
  while (k < items_.size()) {
    if (items_[k].type != Item::Type::Box || pieces_[items_[k].piece].glyphs.empty()) {
      ++k;
      continue;
    }
    size_t first = k, last = k;
    for (size_t j = k + 1; j < items_.size(); ++j) {
      const Item& x = items_[j];
      if (x.type == Item::Type::Box) last = j;
      else if (!(x.type == Item::Type::Penalty && x.flagged)) break;
    }
    size_t begin = pieces_[items_[first].piece].begin, end = pieces_[items_[last].piece].end;
    uint32_t h = 2166136261u;
    for (size_t i = begin; i < end && i < t.s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(t.s[i]);
      if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
      h = (h ^ c) * 16777619u;
    }
    if (h == 0) h = 1;
    for (size_t j = first; j <= last; ++j)
      if (items_[j].type == Item::Type::Box) items_[j].word = h;
    k = last + 1;
  }
}

// Font expansion (Thành 2000; pdfTeX's \pdfadjustspacing=2): every box of glyphs, and the
// hyphen of a discretionary break, may widen or narrow by `expansion` of its width. The indent
// (a box with no glyphs) and the glue do not.
void Setter::add_expansion() {
  for (Item& it : items_) {
    bool glyphs = (it.type == Item::Type::Box && !pieces_[it.piece].glyphs.empty()) ||
                  (it.type == Item::Type::Penalty && it.flagged && it.width > 0);
    if (!glyphs) continue;
    it.stretch = in_.expansion * it.width;
    it.shrink = in_.expansion * it.width;
  }
}

namespace {
// How one justified line uses font expansion, after pdfTeX's hpack: the glyphs take their share
// of the difference at the ratio the breaker chose, at most the limit, rounded to a step (to
// the nearest one, or towards no expansion when the nearest would need the word spaces to
// shrink more than they can); the word spaces then take the rest exactly, so the line still
// fills its measure.
struct LineFit {
  double expansion = 0;  // -limit .. limit, a whole number of steps
  double ratio = 0;      // of the glue, after the expansion
};

LineFit fit_line(double gap, double glue_stretch, double glue_shrink, double font_stretch,
                 double font_shrink, double limit) {
  LineFit fit;
  double expandable = std::max(font_stretch, font_shrink) / limit;  // width of the glyphs
  double total = gap >= 0 ? glue_stretch + font_stretch : glue_shrink + font_shrink;
  double r = total > 0 ? gap / total : 0;
  double rc = std::clamp(r, -1.0, 1.0);
  constexpr int n = kExpansionSteps;
  auto glue_ratio = [&](int k) {
    double g = gap - k * limit / n * expandable;
    if (g >= 0) return glue_stretch > 0 ? g / glue_stretch : 0.0;
    return glue_shrink > 0 ? std::max(-1.0, g / glue_shrink) : 0.0;
  };
  // Shrinking rounds away from zero (the glyphs never leave the glue more to shrink than the
  // breaker allowed); a line without glue rounds towards zero so it never overflows.
  bool no_glue = glue_stretch <= 0 && glue_shrink <= 0;
  int k = gap < 0 ? -static_cast<int>(std::ceil(-rc * n - 1e-9))
                  : static_cast<int>(no_glue ? std::floor(rc * n + 1e-9) : std::lround(rc * n));
  if (gap >= 0 && k > 0 && gap - k * limit / n * expandable < -glue_shrink)
    k = static_cast<int>(std::floor(rc * n + 1e-9));
  k = std::clamp(k, -n, n);
  fit.expansion = k * limit / n;
  fit.ratio = glue_ratio(k);
  return fit;
}

// A copy of `p` with its glyphs `scale` times as wide.
Piece expanded(const Piece& p, double scale) {
  Piece out = p;
  out.width = Pt();
  for (Glyph& g : out.glyphs) {
    g.advance = g.advance * scale;
    g.dx = g.dx * scale;
    out.width += g.advance;
  }
  return out;
}
}  // namespace

void Setter::record_extremes(const Piece& p, const TextStyle& st, Pt pen, Line& line) {
  Face& face = *faces_[p.font];
  double scale = st.size.v / face.program->units_per_em;
  for (const Glyph& g : p.glyphs) {
    auto [top, bottom] = glyph_ink(face, g.gid);
    Pt t = Pt(top * scale) + g.dy, b = Pt(bottom * scale) + g.dy;
    if (t > st.size * 0.8 || b < st.size * -0.15)
      line.ink_extremes.push_back({pen + g.dx, pen + g.dx + std::max(g.advance, st.size * 0.3), t, b});
    pen += g.advance;
  }
}

std::vector<Line> Setter::make_lines(const Breaks& breaks) {
  std::vector<Line> lines;
  size_t start = 0;
  for (size_t li = 0; li < breaks.ends.size(); ++li) {
    size_t end = breaks.ends[li];
    double r = in_.align == Align::Justify ? breaks.ratios[li] : 0;
    bool last = li + 1 == breaks.ends.size();
    // The last line and lines ended by <br> are set at natural width (r computed against
    // \parfillskip is ~0 anyway); never shrink beyond what the breaker chose.
    bool forced = last || (items_[end].type == Item::Type::Penalty &&
                           items_[end].penalty <= -kInfPenalty);
    bool justify_last = in_.align == Align::Justify && in_.align_last == Align::Justify;
    if (forced && !justify_last) r = std::min(r, 0.0);
    // CSS Text 3 §6.3: text-align-last aligns the last line and lines before a forced break.
    Align align = in_.align;
    if (forced && !justify_last)
      align = in_.align_last ? *in_.align_last
                             : (in_.align == Align::Justify ? Align::Left : in_.align);
    // Font expansion: only for justified lines the breaker measured with it (not at a forced
    // break). Recomputed from the items rather than from r, to step it and give the rest to
    // the glue.
    double scale = 1;
    double expansion = 0;
    if (expanding() && !forced) {
      size_t s0 = start;
      while (s0 < end && items_[s0].type != Item::Type::Box) ++s0;
      double natural = 0, gst = 0, gsh = 0, fst = 0, fsh = 0;
      for (size_t k = s0; k < end + (items_[end].type == Item::Type::Box ? 1 : 0); ++k) {
        const Item& it = items_[k];
        if (it.type == Item::Type::Box) {
          natural += it.width;
          fst += it.stretch;
          fsh += it.shrink;
        } else if (it.type == Item::Type::Glue) {
          natural += it.width;
          gst += it.stretch;
          gsh += it.shrink;
        }
      }
      if (items_[end].type == Item::Type::Penalty) {
        natural += items_[end].width;
        fst += items_[end].stretch;
        fsh += items_[end].shrink;
      }
      if (in_.protrusion && s0 < items_.size()) natural -= items_[s0].protrude;
      if (in_.protrusion && items_[end].type != Item::Type::Box) natural -= items_[end].protrude;
      double target = li < in_.slots.size() ? in_.slots[li].width.v : measure_.v;
      if (fst > 0 || fsh > 0) {
        LineFit fit = fit_line(target - natural, gst, gsh, fst, fsh, in_.expansion);
        expansion = fit.expansion;
        scale = 1 + expansion;
        r = fit.ratio;
      }
    }
    Line line;
    line.ratio = r;
    line.expansion = expansion;
    line.justified = in_.align == Align::Justify && (!last || justify_last);
    Pt pen;
    Pt pending_space;
    int space_piece = -1;
    auto flush_space = [&](LineRun& run) {
      if (space_piece < 0) { pen += pending_space; return; }
      const Piece& sp = pieces_[space_piece];
      run.glyphs.push_back({sp.glyphs.front().gid, pending_space, Pt(), Pt()});
      run.clusters.push_back({static_cast<uint32_t>(run.glyphs.size() - 1), 1, " "});
      run.width += pending_space;
      pen += pending_space;
    };
    // Skip the glue and penalties a line starts with (they vanish at a break).
    while (start < end && items_[start].type != Item::Type::Box) ++start;
    if (in_.protrusion && start < items_.size()) pen = Pt(-items_[start].protrude);
    // Room for the whole line in its first run (spaces and a hyphen included): runs grow
    // glyph by glyph otherwise, a dozen reallocations a line. No more: the lines of a long
    // article are most of its memory.
    size_t stop = end + (items_[end].type == Item::Type::Box ? 1 : 0);
    size_t room = 0, cluster_room = 0;
    for (size_t k = start; k < stop; ++k) {
      if (items_[k].type == Item::Type::Box) {
        room += pieces_[items_[k].piece].glyphs.size();
        cluster_room += pieces_[items_[k].piece].clusters.size();
      } else if (items_[k].type == Item::Type::Glue) {
        ++room;  // a word space's glyph
        ++cluster_room;
      }
    }
    if (items_[end].type == Item::Type::Penalty && items_[end].flagged) {
      room += pieces_[items_[end].piece].glyphs.size();  // the fragment shaped with its hyphen
      cluster_room += pieces_[items_[end].piece].clusters.size();
    }
    for (size_t k = start; k < stop; ++k) {
      const Item& it = items_[k];
      if (it.type == Item::Type::Glue) {
        double w = it.width + (r >= 0 ? r * it.stretch : r * it.shrink);
        if (it.stretch >= kFil) w = 0;
        pending_space += Pt(w);
        if (it.piece != UINT32_MAX) space_piece = static_cast<int>(it.piece);
        continue;
      }
      if (it.type != Item::Type::Box) continue;
      Piece scaled;
      if (scale != 1 && !pieces_[it.piece].glyphs.empty())
        scaled = expanded(pieces_[it.piece], scale);
      const Piece& p = scale != 1 && !pieces_[it.piece].glyphs.empty() ? scaled : pieces_[it.piece];
      if (p.glyphs.empty()) {  // the indent
        pen += pending_space + p.width;
        pending_space = Pt();
        space_piece = -1;
        continue;
      }
      const TextStyle& st = style_at(p.style);
      bool same = !line.runs.empty() && line.runs.back().font == p.font &&
                  line.runs.back().size == st.size && line.runs.back().color == st.color &&
                  line.runs.back().href == p.mark.href && line.runs.back().lang == p.mark.lang;
      if (!same && !line.runs.empty() && pending_space.v != 0) {
        // The space goes to the end of the previous run, so a link's area ends at its text.
        flush_space(line.runs.back());
        pending_space = Pt();
        space_piece = -1;
      }
      if (!same) {
        LineRun run;
        run.font = p.font;
        run.size = st.size;
        run.color = st.color;
        run.href = p.mark.href;
        run.lang = p.mark.lang;
        run.hscale = scale;
        run.x = pen + pending_space;
        run.glyphs.reserve(room);
        run.clusters.reserve(cluster_room);
        pen += pending_space;
        pending_space = Pt();
        line.runs.push_back(std::move(run));
        FaceMetrics m = fonts_.metrics(p.font);
        line.ascent = std::max(line.ascent, st.size * m.ascender);
        line.descent = std::max(line.descent, st.size * -m.descender);
      } else if (pending_space.v != 0 || space_piece >= 0) {
        flush_space(line.runs.back());
        pending_space = Pt();
      }
      space_piece = -1;
      LineRun& run = line.runs.back();
      line.ink_ascent = std::max(line.ink_ascent, p.ink_top);
      line.ink_descent = std::max(line.ink_descent, -p.ink_bottom);
      uint32_t base = static_cast<uint32_t>(run.glyphs.size());
      run.glyphs.insert(run.glyphs.end(), p.glyphs.begin(), p.glyphs.end());
      for (const Cluster& c : p.clusters) run.clusters.push_back({c.first_glyph + base, c.glyph_count, c.text});
      run.width += p.width;
      if (p.ink_top > st.size * 0.8 || p.ink_bottom < st.size * -0.15) record_extremes(p, st, pen, line);
      pen += p.width;
    }
    if (items_[end].type == Item::Type::Penalty && items_[end].flagged && !line.runs.empty()) {
      // A discretionary break: the fragment that ends the line (the box just before the
      // penalty, the last glyphs of the last run) is replaced by the same text shaped with
      // its hyphen (broken_piece).
      const Piece& plain = pieces_[items_[end].piece];
      const Piece broken = scale != 1 ? expanded(plain, scale) : plain;
      LineRun& run = line.runs.back();
      if (end > 0 && items_[end - 1].type == Item::Type::Box) {
        const Piece& fragment = pieces_[items_[end - 1].piece];
        size_t glyphs = fragment.glyphs.size(), clusters = fragment.clusters.size();
        if (glyphs <= run.glyphs.size() && clusters <= run.clusters.size()) {
          Pt width;
          for (size_t k = run.glyphs.size() - glyphs; k < run.glyphs.size(); ++k)
            width += run.glyphs[k].advance;
          run.glyphs.resize(run.glyphs.size() - glyphs);
          run.clusters.resize(run.clusters.size() - clusters);
          run.width -= width;
          pen -= width;
        }
      }
      uint32_t base = static_cast<uint32_t>(run.glyphs.size());
      run.glyphs.insert(run.glyphs.end(), broken.glyphs.begin(), broken.glyphs.end());
      for (const Cluster& c : broken.clusters) run.clusters.push_back({c.first_glyph + base, c.glyph_count, c.text});
      run.width += broken.width;
      pen += broken.width;
      line.hyphenated = true;
    }
    if (in_.protrusion && items_[end].type != Item::Type::Box) pen -= Pt(items_[end].protrude);
    line.width = pen;
    if (align == Align::Right || align == Align::Center) {
      Pt m = li < in_.slots.size() ? in_.slots[li].width : measure_;
      Pt shift = (m - pen) * (align == Align::Center ? 0.5 : 1.0);
      for (LineRun& run : line.runs) run.x += shift;
      for (Line::InkBox& box : line.ink_extremes) { box.x0 += shift; box.x1 += shift; }
    }
    if (li < in_.slots.size()) {
      for (LineRun& run : line.runs) run.x += in_.slots[li].offset;
      for (Line::InkBox& box : line.ink_extremes) { box.x0 += in_.slots[li].offset; box.x1 += in_.slots[li].offset; }
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

void Setter::report_missing() {
  if (missing_.empty()) return;
  std::string list;
  for (char32_t cp : missing_) {
    char buf[16];
    snprintf(buf, sizeof buf, "U+%04X ", static_cast<unsigned>(cp));
    list += buf;
  }
  list.pop_back();
  // The fonts of the chain(s) tried, for preflight (cli/preflight.cpp reads the hint).
  std::string tried;
  std::set<FontId> seen;
  for (const TextStyle& st : in_.styles)
    for (const std::vector<FontId>& chain : {st.fonts, fonts_.fallback_faces(st.fallback)})
      for (FontId f : chain)
        if (seen.insert(f).second)
          if (auto prog = fonts_.program(f))
            tried += (tried.empty() ? "" : ", ") + prog->postscript_name;
  diags_->warning(in_.pos, "no font has a glyph for " + list, "fonts tried: " + tried);
}

uint8_t Setter::caps_mode(uint32_t style) {
  if (synthetic(style)) return 1;
  if (caps_mode_.size() < in_.styles.size()) caps_mode_.resize(in_.styles.size(), 0);
  uint8_t& mode = caps_mode_[style];
  if (mode == 0) {
    bool smcp = false, c2sc = false;
    for (const std::string& f : style_at(style).features) {
      hb_feature_t feat;
      if (!hb_feature_from_string(f.c_str(), static_cast<int>(f.size()), &feat)) continue;
      if (feat.tag == HB_TAG('s', 'm', 'c', 'p')) smcp = feat.value != 0;
      if (feat.tag == HB_TAG('c', '2', 's', 'c')) c2sc = feat.value != 0;
    }
    mode = smcp ? (c2sc ? 3 : 2) : 1;
  }
  return mode;
}

bool Setter::lacks_small_cap(uint32_t style, FontId font, char32_t cp) {
  uint8_t mode = caps_mode(style);
  if (mode == 1) return false;
  int8_t gc = static_cast<int8_t>(u_charType(cp));
  bool lower = gc == U_LOWERCASE_LETTER;
  bool upper = gc == U_UPPERCASE_LETTER || gc == U_TITLECASE_LETTER;
  if (!lower && !(upper && mode == 3)) return false;
  if (lower && static_cast<char32_t>(u_toupper(cp)) == cp) return false;  // no capital to draw (ß, ĸ): as the font has it
  // Does the face have a small capital for the letter? HarfBuzz tells: the letter shaped with
  // the feature gives another glyph than without it (Noto Serif has smcp for the plain
  // letters and for á à ã é è í ì ó ò õ ú ù ý ỳ â ê ô ă đ, none for ả ạ ấ ố ự ơ ư ...).
  Face& face = *faces_[font];
  std::string letter;
  append_utf8(letter, cp);
  const std::string& lang = style_at(style).language;
  const ShapedText& plain = shape_cached(face, letter, lang);
  const ShapedText& caps = shape_cached(face, letter, lang, {lower ? "smcp" : "c2sc"});
  if (plain.glyphs.size() != caps.glyphs.size()) return false;
  for (size_t i = 0; i < plain.glyphs.size(); ++i)
    if (plain.glyphs[i].gid != caps.glyphs[i].gid) return false;
  return true;
}

uint32_t Setter::synthetic_style(uint32_t style, FontId font) {
  auto [it, fresh] = synthetic_.try_emplace({style, font}, 0);
  if (!fresh) return it->second;
  // CSS Fonts 4 §6.3: a synthesized small capital is the capital scaled down; to the face's
  // x-height over its cap height (0.75 in Noto Serif), so it stands as tall as the lowercase.
  FaceMetrics m = fonts_.metrics(font);
  double ratio = m.cap_height > 0 ? m.x_height / m.cap_height : 0.7;
  if (!(ratio >= 0.6 && ratio <= 0.8)) ratio = 0.7;
  TextStyle st = style_at(style);
  st.size = st.size * ratio;
  st.features.erase(std::remove_if(st.features.begin(), st.features.end(),
                                   [](const std::string& f) {
                                     return f.compare(0, 4, "smcp") == 0 ||
                                            f.compare(0, 4, "c2sc") == 0;
                                   }),
                    st.features.end());
  st.fonts.insert(st.fonts.begin(), font);
  extra_styles_.push_back(std::move(st));
  it->second = static_cast<uint32_t>(in_.styles.size() + extra_styles_.size() - 1);
  return it->second;
}

// Where the first line of `breaks` ends in the text: after the last box of glyphs on it.
size_t Setter::first_line_end(const Breaks& breaks) const {
  if (breaks.ends.empty()) return 0;
  for (size_t k = breaks.ends[0] + 1; k-- > 0;) {
    const Item& it = items_[k];
    if (it.type == Item::Type::Box && !pieces_[it.piece].glyphs.empty()) return pieces_[it.piece].end;
  }
  return 0;
}

// The break right after the box that ends at style_end_, or SIZE_MAX when there is none.
size_t Setter::pin_item() const {
  for (size_t k = 0; k + 1 < items_.size(); ++k) {
    const Item& it = items_[k];
    if (it.type != Item::Type::Box || pieces_[it.piece].glyphs.empty() ||
        pieces_[it.piece].end != style_end_)
      continue;
    const Item& next = items_[k + 1];
    if (next.type == Item::Type::Glue || (next.type == Item::Type::Penalty && next.penalty < kInfPenalty))
      return k + 1;
  }
  return SIZE_MAX;
}

std::vector<Line> Setter::set_text(const Text& t, bool pin) {
  pieces_.clear();
  items_.clear();
  missing_.clear();
  space_pieces_.clear();
  warned_wide_ = false;
  build_items(t);
  if (in_.protrusion) add_protrusion();
  if (expanding()) add_expansion();
  if (in_.stack_cost > 0) add_word_keys(t);
  report_missing();
  std::vector<double> widths;
  for (const LineSlot& slot : in_.slots) widths.push_back(slot.width.v);
  widths.push_back(measure_.v);
  BreakParams params;
  params.max_hyphens_in_row = in_.hyphenation.limit_lines;
  params.runt_demerits = in_.runt_cost * kRuntDemerits;
  params.runt_width = in_.runt_width;
  params.stack_demerits = in_.stack_cost * kStackDemerits;
  if (pin) params.first_end = pin_item();
  Breaks breaks = in_.balance && in_.align != Align::Justify
                      ? break_lines_balanced(items_, widths, params, in_.greedy)
                      : break_paragraph(items_, widths, params, in_.greedy);
  first_end_ = first_line_end(breaks);
  return make_lines(breaks);
}

// CSS Pseudo-Elements 4 §2.1: ::first-line styles the first formatted line, whatever the
// breaks. Restyling the text changes its width and so where the first line ends: the text up to
// the first line's end of one setting is restyled and set again until the first line ends
// exactly where the style does (the words of the first line almost always settle in two or
// three settings). If they do not within kRounds, the first line is pinned: it ends where the
// style ends, at a break that is known to hold the styled text on one line.
std::vector<Line> Setter::set_first_line(const Text& t) {
  constexpr int kRounds = 4;
  Diagnostics* out = diags_;
  Diagnostics scratch;
  diags_ = &scratch;
  const std::string& language = in_.styles.front().language;
  style_end_ = 0;
  set_text(t, false);
  size_t end = first_end_;
  std::vector<size_t> src;
  std::vector<Line> lines;
  size_t styled = end;  // the bytes the last setting styled, and where its first line ended
  for (int round = 0; round < kRounds; ++round) {
    Text r = restyled(t, styled, language, src);
    style_end_ = static_cast<size_t>(std::lower_bound(src.begin(), src.end(), styled) - src.begin());
    Diagnostics attempt;
    diags_ = &attempt;
    lines = set_text(r, false);
    end = src[std::min(first_end_, src.size() - 1)];
    if (end == styled) {
      for (const Diagnostic& d : attempt.all()) out->add(d);
      diags_ = out;
      return lines;
    }
    if (round + 1 < kRounds) styled = end;
  }
  // Not settled: pin the first line to the text that the last setting showed fits on it, all
  // styled: its first line if that ended inside the styled text, else the styled text itself.
  styled = std::min(styled, end);
  Text r = restyled(t, styled, language, src);
  style_end_ = static_cast<size_t>(std::lower_bound(src.begin(), src.end(), styled) - src.begin());
  diags_ = out;
  return set_text(r, true);
}

std::vector<Line> Setter::run() {
  if (in_.styles.empty() || std::any_of(in_.styles.begin(), in_.styles.end(),
                                        [](const TextStyle& s) { return s.fonts.empty(); }))
    return {};
  Text t = collect(in_);
  if (t.s.empty()) return {};
  if (t.has_first_line) return set_first_line(t);
  style_end_ = 0;
  return set_text(t, false);
}

}  // namespace

std::vector<Line> set_paragraph(const ParagraphInput& in, Pt measure, FontCache& fonts,
                                Diagnostics& diags) {
  Setter setter(in, measure, fonts, diags);
  return setter.run();
}

}  // namespace trang::text
