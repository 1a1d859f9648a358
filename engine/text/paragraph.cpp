// A paragraph from styled spans to lines:
//   collect (collapse white space, map styles) -> segment (UAX #14 break opportunities, ICU)
//   -> itemize (font fallback) and shape (HarfBuzz, cached per word) -> box/glue/penalty items
//   -> break_lines (Knuth-Plass, looser passes if needed) -> lines of glyph runs.
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cmath>
#include <limits>
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

// One shaped piece of text: a box in the breaker's item list.
struct Piece {
  FontId font = 0;
  uint32_t style = 0;
  std::vector<Glyph> glyphs;
  std::vector<Cluster> clusters;
  Pt width;
  std::string href;
  bool space = false;  // a word space (its glyph is written only between boxes on a line)
};

struct Text {
  std::string s;                 // collapsed paragraph text
  std::vector<uint32_t> style;   // style per byte of s
  std::vector<uint32_t> href;    // index into hrefs per byte (0 = none)
  std::vector<std::string> hrefs{""};
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// CSS white-space: normal (CSS Text 3 §4.1.1): runs of white space collapse to one space,
// leading and trailing white space of the paragraph disappears, and so does white space
// around a forced break.
Text collect(const ParagraphInput& in) {
  Text t;
  uint32_t href_index = 0;
  bool pending_space = false;
  for (const Span& span : in.spans) {
    if (!span.href.empty()) {
      t.hrefs.push_back(span.href);
      href_index = static_cast<uint32_t>(t.hrefs.size() - 1);
    } else {
      href_index = 0;
    }
    for (size_t i = 0; i < span.text.size(); ++i) {
      char c = span.text[i];
      if (is_space(c)) {
        pending_space = !t.s.empty();
        continue;
      }
      bool is_ls = span.text.compare(i, 3, "\u2028") == 0;
      if (pending_space && !is_ls && !(t.s.size() >= 3 && t.s.compare(t.s.size() - 3, 3, "\u2028") == 0)) {
        t.s += ' ';
        t.style.push_back(span.style);
        t.href.push_back(href_index);
      }
      pending_space = false;
      t.s += c;
      t.style.push_back(span.style);
      t.href.push_back(href_index);
    }
  }
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
      : in_(in), measure_(measure), fonts_(fonts), faces_(fonts.impl().faces), diags_(diags) {}

  std::vector<Line> run();

 private:
  void build_items(const Text& t);
  void add_word(const Text& t, size_t begin, size_t end);
  void add_space(uint32_t style, FontId font);
  void add_piece(const Text& t, size_t begin, size_t end, uint32_t style, FontId font);
  uint32_t space_piece(uint32_t style, FontId font);
  std::vector<Line> make_lines(const Breaks& breaks);

  const ParagraphInput& in_;
  Pt measure_;
  FontCache& fonts_;
  std::vector<std::unique_ptr<Face>>& faces_;
  Diagnostics& diags_;
  std::vector<Piece> pieces_;
  std::vector<Item> items_;
  std::set<char32_t> missing_;
  bool warned_wide_ = false;
  FontId last_font_ = 0;
};

FontId pick_font(FontCache& fonts, const TextStyle& st, char32_t cp) {
  for (FontId f : st.fonts)
    if (fonts.has_glyph(f, cp)) return f;
  return st.fonts.front();
}

void Setter::add_piece(const Text& t, size_t begin, size_t end, uint32_t style, FontId font) {
  const TextStyle& st = in_.styles[style];
  Face& face = *faces_[font];
  std::string_view text(t.s.data() + begin, end - begin);
  const std::vector<UnitGlyph>& shaped = shape_cached(face, text, st.language);
  double scale = st.size.v / face.program->units_per_em;

  Piece p;
  p.font = font;
  p.style = style;
  p.href = t.hrefs[t.href[begin]];
  p.glyphs.reserve(shaped.size());
  for (size_t i = 0; i < shaped.size(); ++i) {
    const UnitGlyph& g = shaped[i];
    if (g.gid == 0) {
      size_t k = begin + g.cluster;
      missing_.insert(decode_at(t.s, k));
    }
    bool cluster_end = i + 1 == shaped.size() || shaped[i + 1].cluster != g.cluster;
    Pt adv = Pt(g.advance * scale) + (cluster_end ? st.letter_spacing : Pt());
    p.glyphs.push_back({g.gid, adv, Pt(g.dx * scale), Pt(g.dy * scale)});
    p.width += adv;
    if (i == 0 || shaped[i - 1].cluster != g.cluster) {
      uint32_t next = static_cast<uint32_t>(text.size());
      for (size_t j = i + 1; j < shaped.size(); ++j)
        if (shaped[j].cluster != g.cluster) { next = shaped[j].cluster; break; }
      p.clusters.push_back({static_cast<uint32_t>(i), 0,
                            std::string(text.substr(g.cluster, next - g.cluster))});
    }
    p.clusters.back().glyph_count++;
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
  FontId run_font = 0;
  bool have_font = false;
  for (size_t i = begin; i < end;) {
    size_t at = i;
    char32_t cp = decode_at(t.s, i);
    uint32_t style = t.style[at];
    FontId font = (have_font && sticks_to_previous(cp) && style == run_style)
                      ? run_font : pick_font(fonts_, in_.styles[style], cp);
    if (have_font && (font != run_font || style != run_style ||
                      t.href[at] != t.href[run_start])) {
      add_piece(t, run_start, at, run_style, run_font);
      run_start = at;
    }
    run_style = style;
    run_font = font;
    have_font = true;
  }
  add_piece(t, run_start, end, run_style, run_font);

  Pt width;
  for (size_t k = first_piece; k < pieces_.size(); ++k) width += pieces_[k].width;
  if (width <= measure_) {
    for (size_t k = first_piece; k < pieces_.size(); ++k)
      items_.push_back({Item::Type::Box, pieces_[k].width.v, 0, 0, 0, false, static_cast<uint32_t>(k)});
    return;
  }
  // A word wider than the column (a URL, a long number) would overflow it: allow a break
  // after every cluster instead, at a high penalty, so it is split only where it must be.
  if (!warned_wide_) {
    warned_wide_ = true;
    diags_.warning(in_.pos, "word '" + t.s.substr(begin, end - begin) +
                                "' is wider than the column; it is broken between letters");
  }
  std::vector<Piece> whole(std::make_move_iterator(pieces_.begin() + first_piece),
                           std::make_move_iterator(pieces_.end()));
  pieces_.resize(first_piece);
  for (Piece& w : whole) {
    for (const Cluster& c : w.clusters) {
      Piece p;
      p.font = w.font;
      p.style = w.style;
      p.href = w.href;
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

uint32_t Setter::space_piece(uint32_t style, FontId font) {
  Text sp;
  sp.s = " ";
  sp.style = {style};
  sp.href = {0};
  add_piece(sp, 0, 1, style, font);
  pieces_.back().space = true;
  return static_cast<uint32_t>(pieces_.size() - 1);
}

void Setter::add_space(uint32_t style, FontId font) {
  uint32_t sp = space_piece(style, font);
  double w = pieces_[sp].width.v;
  if (in_.align == Align::Justify) {
    // Interword glue as in Computer Modern (The TeXbook ch. 12): stretch w/2, shrink w/3.
    items_.push_back({Item::Type::Glue, w, w / 2, w / 3, 0, false, sp});
  } else {
    double r = kRaggedEm * in_.styles[style].size.v;
    items_.push_back({Item::Type::Glue, 0, r, 0, 0, false, UINT32_MAX});
    items_.push_back({Item::Type::Penalty, 0, 0, 0, 0, false, 0});
    items_.push_back({Item::Type::Glue, w, -r, 0, 0, false, sp});
  }
}

void Setter::build_items(const Text& t) {
  if (in_.indent.v != 0) {
    Piece indent;
    indent.width = in_.indent;
    pieces_.push_back(indent);
    items_.push_back({Item::Type::Box, in_.indent.v, 0, 0, 0, false, 0});
  }
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, t.s.data(), static_cast<int64_t>(t.s.size()), &status);
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createLineInstance(
      icu::Locale(in_.styles.front().language.c_str()), status));
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
  items_.push_back({Item::Type::Glue, 0, kFil, 0, 0, false, UINT32_MAX});
  items_.push_back({Item::Type::Penalty, 0, 0, 0, -kInfPenalty, false, 0});
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
    if (last || (items_[end].type == Item::Type::Penalty && items_[end].penalty <= -kInfPenalty))
      r = std::min(r, 0.0);
    Line line;
    line.ratio = r;
    line.justified = in_.align == Align::Justify && !last;
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
    for (size_t k = start; k < end + (items_[end].type == Item::Type::Box ? 1 : 0); ++k) {
      const Item& it = items_[k];
      if (it.type == Item::Type::Glue) {
        double w = it.width + (r >= 0 ? r * it.stretch : r * it.shrink);
        if (it.stretch >= kFil) w = 0;
        pending_space += Pt(w);
        if (it.piece != UINT32_MAX) space_piece = static_cast<int>(it.piece);
        continue;
      }
      if (it.type != Item::Type::Box) continue;
      const Piece& p = pieces_[it.piece];
      if (p.glyphs.empty()) {  // the indent
        pen += pending_space + p.width;
        pending_space = Pt();
        space_piece = -1;
        continue;
      }
      const TextStyle& st = in_.styles[p.style];
      bool same = !line.runs.empty() && line.runs.back().font == p.font &&
                  line.runs.back().size == st.size && line.runs.back().color == st.color &&
                  line.runs.back().href == p.href;
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
        run.href = p.href;
        run.x = pen + pending_space;
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
      uint32_t base = static_cast<uint32_t>(run.glyphs.size());
      run.glyphs.insert(run.glyphs.end(), p.glyphs.begin(), p.glyphs.end());
      for (const Cluster& c : p.clusters) run.clusters.push_back({c.first_glyph + base, c.glyph_count, c.text});
      run.width += p.width;
      pen += p.width;
    }
    line.width = pen;
    if (in_.align == Align::Right || in_.align == Align::Center) {
      Pt m = li < in_.slots.size() ? in_.slots[li].width : measure_;
      Pt shift = (m - pen) * (in_.align == Align::Center ? 0.5 : 1.0);
      for (LineRun& run : line.runs) run.x += shift;
    }
    if (li < in_.slots.size())
      for (LineRun& run : line.runs) run.x += in_.slots[li].offset;
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<Line> Setter::run() {
  if (in_.styles.empty() || std::any_of(in_.styles.begin(), in_.styles.end(),
                                        [](const TextStyle& s) { return s.fonts.empty(); }))
    return {};
  Text t = collect(in_);
  if (t.s.empty()) return {};
  build_items(t);
  if (!missing_.empty()) {
    std::string list;
    for (char32_t cp : missing_) {
      char buf[16];
      snprintf(buf, sizeof buf, "U+%04X ", static_cast<unsigned>(cp));
      list += buf;
    }
    list.pop_back();
    diags_.warning(in_.pos, "no font has a glyph for " + list);
  }
  std::vector<double> widths;
  for (const LineSlot& slot : in_.slots) widths.push_back(slot.width.v);
  widths.push_back(measure_.v);
  // TeX's passes (§863): strict first, then looser, then anything that fits at all.
  BreakParams params;
  params.tolerance = 200;
  if (auto breaks = break_lines(items_, widths, params)) return make_lines(*breaks);
  params.tolerance = 1000;
  if (auto breaks = break_lines(items_, widths, params)) return make_lines(*breaks);
  params.tolerance = std::numeric_limits<double>::infinity();
  params.emergency = true;
  if (auto breaks = break_lines(items_, widths, params)) return make_lines(*breaks);
  return {};
}

}  // namespace

std::vector<Line> set_paragraph(const ParagraphInput& in, Pt measure, FontCache& fonts,
                                Diagnostics& diags) {
  Setter setter(in, measure, fonts, diags);
  return setter.run();
}

}  // namespace trang::text
