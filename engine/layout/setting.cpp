// Inline setting: a block's paragraph input (spans, text styles, list markers), its lines with a
// drop cap and ::first-line, and the SetBlock the pour takes.
#include "layout/layouter.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace trang::layout::detail {
namespace {

// The space to add between two lines of one block so that no mark of `below` touches ink of
// `above` where they overlap horizontally (with a hairline of air, 0.04 em).
Pt clearance_between(const text::Line& above, const text::Line& below, Pt line_height, Pt size) {
  Pt need;
  for (const text::Line::InkBox& a : above.ink_extremes) {
    if (a.bottom >= Pt()) continue;
    for (const text::Line::InkBox& b : below.ink_extremes) {
      if (b.x1 <= a.x0 || a.x1 <= b.x0) continue;
      Pt reach = b.top - a.bottom + size * 0.04;  // baseline distance the pair needs
      need = std::max(need, reach - line_height);
    }
  }
  return need;
}

}  // namespace

std::string Layouter::chain_key(const style::ComputedStyle& cs) const {
  std::string key;
  for (const auto& f : cs.font_family) key += f + ',';
  key += std::to_string(cs.font_weight) + (cs.font_style == style::FontStyle::Italic ? "i" : "r");
  return key;
}

uint32_t Layouter::text_style(const style::ComputedStyle& cs, text::ParagraphInput& in) {
  std::string key = chain_key(cs);
  auto it = chains_.find(key);
  if (it == chains_.end()) {
    uint32_t fallback = text::kNoFallback;
    std::vector<FontId> chain = fonts_.chain_lazy(
        cs.font_family, cs.font_weight, cs.font_style == style::FontStyle::Italic, fallback, diags_);
    it = chains_.emplace(key, std::make_pair(std::move(chain), fallback)).first;
  }
  text::TextStyle ts{it->second.first, cs.font_size, cs.color, cs.letter_spacing, article_.lang};
  ts.fallback = it->second.second;
  ts.features = cs.font_features;
  ts.word_spacing = cs.word_spacing;
  for (size_t i = 0; i < in.styles.size(); ++i) {
    const text::TextStyle& o = in.styles[i];
    if (o.fonts == ts.fonts && o.fallback == ts.fallback && o.size == ts.size && o.color == ts.color &&
        o.letter_spacing == ts.letter_spacing && o.features == ts.features &&
        o.word_spacing == ts.word_spacing)
      return static_cast<uint32_t>(i);
  }
  in.styles.push_back(std::move(ts));
  return static_cast<uint32_t>(in.styles.size() - 1);
}

void Layouter::collect_spans(const Node& n, const std::string& href, const std::string& lang,
                             text::ParagraphInput& in) {
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    const style::ComputedStyle& cs = style(c);
    switch (c.kind) {
      case Kind::Text: {
        std::string t(c.text);
        if (cs.text_transform == style::TextTransform::Uppercase) t = text::to_upper(t, article_.lang);
        if (cs.text_transform == style::TextTransform::Lowercase) t = text::to_lower(t, article_.lang);
        in.spans.push_back({std::move(t), text_style(cs, in), href, lang});
        add_first_line_style(cs, in);
        break;
      }
      case Kind::LineBreak:
        in.spans.push_back({"\u2028", text_style(cs, in), href, lang});
        add_first_line_style(cs, in);
        break;
      default: {
        const std::string* h = c.kind == Kind::Link ? c.attribute("href") : nullptr;
        std::string inner_lang = other_language(c, lang);
        add_generated(styles_.before, c, h ? *h : href, inner_lang, in);
        collect_spans(c, h ? *h : href, inner_lang, in);
        add_generated(styles_.after, c, h ? *h : href, inner_lang, in);
      }
    }
  }
}

// Generated text is shaped with the element's own (CSS Pseudo-Elements 4 §4: ::before and
// ::after are inline children of their element), so it extracts and is tagged as its part.
void Layouter::add_generated(const std::map<uint32_t, style::StyledDocument::Generated>& which,
                             const Node& n, const std::string& href, const std::string& lang,
                             text::ParagraphInput& in) {
  auto it = which.find(n.index);
  if (it == which.end() || it->second.text.empty()) return;
  const style::ComputedStyle& cs = styles_.generated_styles[it->second.style];
  std::string t = it->second.text;
  if (cs.text_transform == style::TextTransform::Uppercase) t = text::to_upper(t, article_.lang);
  if (cs.text_transform == style::TextTransform::Lowercase) t = text::to_lower(t, article_.lang);
  in.spans.push_back({std::move(t), text_style(cs, in), href, lang});
  add_first_line_style(cs, in);
}

// The language of `n`'s text where it is not the article's (the model marks every element
// inside a part in another language), else `outer`.
std::string Layouter::other_language(const Node& n, const std::string& outer) const {
  const std::string* lang = n.attribute("xml:lang");
  if (!lang) return outer;
  return *lang == article_.lang ? std::string() : *lang;
}

text::ParagraphInput Layouter::paragraph_input(const Node& block) {
  const style::ComputedStyle& cs = style(block);
  text::ParagraphInput in;
  text_style(cs, in);  // the block's own style first: its font gives the paragraph's spaces
  switch (cs.text_align) {
    case style::TextAlign::Left: in.align = text::Align::Left; break;
    case style::TextAlign::Right: in.align = text::Align::Right; break;
    case style::TextAlign::Center: in.align = text::Align::Center; break;
    case style::TextAlign::Justify: in.align = text::Align::Justify; break;
  }
  switch (cs.text_align_last) {
    case style::TextAlignLast::Auto: break;
    case style::TextAlignLast::Left: in.align_last = text::Align::Left; break;
    case style::TextAlignLast::Right: in.align_last = text::Align::Right; break;
    case style::TextAlignLast::Center: in.align_last = text::Align::Center; break;
    case style::TextAlignLast::Justify: in.align_last = text::Align::Justify; break;
  }
  in.indent = cs.text_indent;
  in.pos = block.pos;
  in.hyphenation.enabled = cs.hyphens == style::Hyphens::Auto;
  in.hyphenation.word_min = cs.hyphenate_word_min;
  in.hyphenation.before_min = cs.hyphenate_before_min;
  in.hyphenation.after_min = cs.hyphenate_after_min;
  in.hyphenation.limit_lines = cs.hyphenate_limit_lines;
  in.greedy = cs.line_breaking == style::LineBreaking::Greedy;
  in.balance = cs.text_wrap == style::TextWrap::Balance;
  in.protrusion = cs.protrusion;
  in.expansion = cs.expansion;
  in.runt_cost = cs.runt_cost;
  in.runt_width = cs.runt_width;
  in.stack_cost = cs.stack_cost;
  if (auto m = styles_.marker.find(block.index); m != styles_.marker.end() && !m->second.text.empty()) {
    const style::ComputedStyle& ms = styles_.generated_styles[m->second.style];
    in.spans.push_back({m->second.text, text_style(ms, in), ""});
    add_first_line_style(ms, in);
  }
  std::string lang = other_language(block, "");
  add_generated(styles_.before, block, "", lang, in);
  collect_spans(block, "", lang, in);
  add_generated(styles_.after, block, "", lang, in);
  return in;
}

// The marker a list item's first line begins with ("• ", "3. "), as the style stage made it.
std::string Layouter::list_marker(const Node& item) const {
  auto m = styles_.marker.find(item.index);
  return m != styles_.marker.end() ? m->second.text : std::string();
}

// Roles after ISO 32000-1 §14.8.4 and notes/tagged-pdf.md §5: kicker, lead, byline and box
// titles read as paragraphs; a credit goes with the caption it sits under.
StructTag Layouter::tag_for(const Node& block) const {
  StructTag t;
  switch (block.kind) {
    case Kind::Headline: t.push(block.index, StructRole::H1); break;
    case Kind::Subhead: t.push(block.index, StructRole::H2); break;
    case Kind::PullQuote: t.push(block.index, StructRole::BlockQuote); break;
    case Kind::Caption: case Kind::Credit: t.push(block.index, StructRole::Caption); break;
    case Kind::ListItem:
      if (list_ != StructTag::kNone) t.push(list_, StructRole::L);
      t.push(block.index, StructRole::LI);
      t.push(block.index, StructRole::LBody);
      break;
    default: t.push(block.index, StructRole::P);
  }
  return t;
}

SetBlock Layouter::set_block(const Node& block, Pt measure) {
  const style::ComputedStyle& cs = style(block);
  SetBlock b;
  // A decorated block's lines go inside its border and padding.
  auto side = [](const style::BorderSide& d) { return d.visible() ? d.width : Pt(); };
  Pt in_left, in_right;
  if (decorates(block, cs)) {
    b.decorated = true;
    in_left = side(cs.border_left) + cs.padding_left;
    in_right = side(cs.border_right) + cs.padding_right;
    b.deco_head = side(cs.border_top) + cs.padding_top;
    b.deco_foot = cs.padding_bottom + side(cs.border_bottom);
  }
  b.lines = set_lines(block, measure - cs.margin_left - cs.margin_right - in_left - in_right);
  b.line_height = cs.line_height;
  b.margin_top = cs.margin_top;
  b.margin_bottom = cs.margin_bottom;
  b.widows = static_cast<size_t>(std::max(1, cs.widows));
  b.orphans = static_cast<size_t>(std::max(1, cs.orphans));
  // The lines beside a drop cap stay together: the letter must not be split from them.
  b.orphans = std::max(b.orphans, std::min(last_cap_lines_, b.lines.size()));
  b.cap_lines = last_cap_lines_;
  b.avoid_break_inside = cs.break_inside == style::BreakValue::Avoid;
  b.keep_with_next = block.kind == Kind::Subhead || cs.break_after == style::BreakValue::Avoid;
  b.break_before = cs.break_before;
  b.break_after = cs.break_after;
  bool warned = false;
  for (size_t k = 1; k < b.lines.size(); ++k) {
    Pt need = clearance_between(b.lines[k - 1], b.lines[k], b.line_height, cs.font_size);
    if (need <= Pt()) continue;
    if (cs.clear_diacritics) {
      if (b.clearance.empty()) b.clearance.assign(b.lines.size(), Pt());
      b.clearance[k] = need;
    } else if (!warned && diacritics_warned_.insert(block.index).second) {
      // Once per block: a block is set once per width, whichever pour (trial or not) asks.
      warned = true;
      diags_.warning(block.pos, "diacritics of line " + std::to_string(k + 1) +
                                    " touch the line above at line-height " +
                                    format_number(cs.line_height.v, 2) + "pt",
                     "raise line-height or set -trang-diacritic-clearance: auto");
    }
  }
  for (text::Line& l : b.lines)
    for (text::LineRun& r : l.runs) r.x += cs.margin_left + in_left;
  return b;
}

const SetBlock& Layouter::column_block(const Node& block) {
  if (const SetBlock* b = set_cache_.find(block.index)) return *b;
  return set_cache_.add(block.index, set_block(block, flow_.col_width));
}

// Sets a block's lines, with its ::first-letter as a drop cap (CSS Inline 3 initial-letter)
// and its ::first-line style; `measure` is the width the lines get.
std::vector<text::Line> Layouter::set_lines(const Node& block, Pt measure) {
  const style::ComputedStyle& cs = style(block);
  auto inset = inset_.find(block.index);
  Pt left, right;
  if (inset != inset_.end()) {
    left = inset->second.first;
    right = inset->second.second;
    measure = measure - left - right;
  }
  auto letter_it = styles_.first_letter.find(block.index);
  const style::ComputedStyle* letter =
      letter_it != styles_.first_letter.end() && letter_it->second.initial_letter >= 1
          ? &letter_it->second : nullptr;
  auto line_it = styles_.first_line.find(block.index);
  const style::ComputedStyle* first_line =
      line_it != styles_.first_line.end() ? &line_it->second : nullptr;

  text::ParagraphInput in;
  bool plain = !letter && !first_line && inset == inset_.end();
  if (plain && !candidates_.empty()) {
    set_ahead(block);
    auto ahead = ahead_.find(block.index);
    if (ahead != ahead_.end() && ahead->second.measure == measure) {
      // Its warnings come out here, where and when a sequential run gives them.
      for (const Diagnostic& d : ahead->second.diags.all()) diags_.add(d);
      std::vector<text::Line> lines = std::move(ahead->second.lines);
      ahead_.erase(ahead);
      ++ahead_taken_;
      last_cap_lines_ = 0;
      return lines;
    }
  }
  // ::first-line: every span also carries its first-line style; the text stage gives it to
  // exactly the glyphs of the first line (text::Span::first_line_style).
  first_line_ = first_line;
  first_line_block_ = &cs;
  in = paragraph_input(block);
  first_line_ = nullptr;
  std::optional<text::LineRun> cap;
  size_t cap_lines = 0;
  if (letter) cap = drop_cap(cs, *letter, measure, in, cap_lines, block.index);
  std::vector<text::Line> lines = text::set_paragraph(in, measure, fonts_, diags_);
  last_cap_lines_ = cap ? cap_lines : 0;
  if (cap && !lines.empty()) {
    // The letter sits on the baseline of the last line it sinks into, at the line's start.
    size_t at = std::min(cap_lines, lines.size()) - 1;
    cap->initial = true;
    lines[at].runs.push_back(std::move(*cap));
  }
  if (left.v != 0)
    for (text::Line& l : lines)
      for (text::LineRun& r : l.runs) r.x += left;
  return lines;
}

// Takes the first letter (with punctuation before it, CSS Pseudo-Elements 4 §2.2.1) out of
// `in`, sets it at the size that spans `initial-letter` lines, and gives the first lines slots
// beside it. Returns the letter's glyph run, or nothing when the paragraph has no letter.
std::optional<text::LineRun> Layouter::drop_cap(const style::ComputedStyle& cs,
                                                 const style::ComputedStyle& ls, Pt measure,
                                                 text::ParagraphInput& in, size_t& lines,
                                                 uint32_t block) {
  size_t si = 0;
  while (si < in.spans.size() &&
         in.spans[si].text.find_first_not_of(" \t\r\n") == std::string::npos)
    ++si;
  if (si == in.spans.size()) return std::nullopt;
  std::string& t = in.spans[si].text;
  size_t b = t.find_first_not_of(" \t\r\n");
  std::u32string cps;
  if (!decode_utf8(std::string_view(t).substr(b), cps) || cps.empty()) return std::nullopt;
  size_t k = 0;
  std::string letter;
  auto take = [&] { append_utf8(letter, cps[k++]); };
  while (k < cps.size() && u_ispunct(cps[k])) take();
  if (k == cps.size() || u_isspace(cps[k])) return std::nullopt;
  take();
  while (k < cps.size() && (u_getCombiningClass(cps[k]) != 0 ||
                            u_charType(cps[k]) == U_NON_SPACING_MARK))
    take();

  const int asked = std::max(1, static_cast<int>(std::lround(ls.initial_letter)));
  auto limit = cap_limit_.find(block);
  if (limit != cap_limit_.end() && limit->second < std::min(asked, 2)) {
    if (drop_caps_warned_.insert(block).second)
      diags_.warning(in.pos, "drop cap left out: the column it starts in has room for " +
                                 std::to_string(limit->second) + " line(s) only",
                     "keep the paragraph out of short columns (break-before: column)");
    return std::nullopt;
  }
  const int most = limit != cap_limit_.end() ? std::min(asked, limit->second) : asked;
  text::ParagraphInput cap;
  uint32_t st = text_style(ls, cap);
  if (cap.styles[st].fonts.empty()) return std::nullopt;
  cap.spans.push_back({letter, st, ""});
  cap.align = text::Align::Left;
  cap.pos = in.pos;
  // CSS Inline 3 §7.4: the letter's cap height spans from the first line's cap height to the
  // baseline of line n.
  text::TextStyle& body = in.styles.front();
  double body_cap = body.fonts.empty() ? 0.7 : fonts_.metrics(body.fonts.front()).cap_height;
  double cap_ratio = fonts_.metrics(cap.styles[st].fonts.front()).cap_height;
  if (cap_ratio <= 0.1) cap_ratio = 0.7;
  Pt gap = cs.font_size * 0.3;
  // The lines beside the letter need room for words: at least half the column and four ems
  // of the text (two or three Vietnamese syllables). A letter that leaves less is made fewer
  // lines tall, down to two, and is dropped when even that does not fit, with a warning
  // either way: it must never reach over the column rule into the next column.
  Pt min_beside = std::max(measure * 0.5, cs.font_size * 4);
  int n = most;
  std::optional<text::LineRun> run;
  Pt offset;
  for (; n >= std::min(most, 2); --n) {
    cap.styles[st].size = (cs.line_height * (n - 1) + body.size * body_cap) / cap_ratio;
    std::vector<text::Line> set = text::set_paragraph(cap, measure * 4, fonts_, diags_);
    if (set.empty() || set[0].runs.empty()) return std::nullopt;
    offset = set[0].width + gap;
    if (measure - offset >= min_beside) {
      run = set[0].runs[0];
      break;
    }
  }
  // Once per block: a block is set again for each width a pour asks.
  auto warn_once = [&] { return drop_caps_warned_.insert(block).second; };
  if (!run) {
    if (warn_once())
      diags_.warning(in.pos, "drop cap left out: the column (" + format_number(measure.v, 1) +
                                 "pt) leaves too little room beside a " + std::to_string(asked) +
                                 "-line initial letter",
                     "use a smaller initial-letter or wider columns");
    return std::nullopt;
  }
  if (n < most && warn_once())
    diags_.warning(in.pos, "initial-letter: " + std::to_string(asked) + " reduced to " +
                               std::to_string(n) + " lines: the column (" +
                               format_number(measure.v, 1) + "pt) is too narrow for the letter "
                               "and the text beside it");
  else if (n < asked && warn_once())
    diags_.warning(in.pos, "initial-letter: " + std::to_string(asked) + " reduced to " +
                               std::to_string(n) + " lines: the column it starts in has room "
                               "for " + std::to_string(n) + " lines only");
  // A raised cap (initial-letter: 3 2) keeps its sink, within the lines it now spans.
  int sink = std::min(n, std::max(1, ls.initial_letter_sink));
  t.erase(b, letter.size());
  if (t.find_first_not_of(" \t\r\n") == std::string::npos) t.clear();
  in.indent = Pt(0);
  in.slots.assign(static_cast<size_t>(sink), {offset, measure - offset});
  lines = static_cast<size_t>(sink);
  run->x = Pt(0);
  return run;
}

// The style of the first line's text: the ::first-line properties that differ from the
// block's own replace the span's (CSS Pseudo-Elements 4 §2.1: first-line inherits from the
// block, so inline children keep what they set themselves).
// While a ::first-line paragraph is collected: gives the span just added its first-line style
// and the case mapping that style adds to the span's own.
void Layouter::add_first_line_style(const style::ComputedStyle& cs, text::ParagraphInput& in) {
  if (!first_line_) return;
  style::ComputedStyle fs = first_line_style(cs, *first_line_block_);
  text::Span& span = in.spans.back();
  span.first_line_style = text_style(fs, in);
  if (fs.text_transform != cs.text_transform) {
    if (fs.text_transform == style::TextTransform::Uppercase) span.first_line_case = text::CaseMap::Upper;
    if (fs.text_transform == style::TextTransform::Lowercase) span.first_line_case = text::CaseMap::Lower;
  }
}

style::ComputedStyle Layouter::first_line_style(const style::ComputedStyle& span,
                                                const style::ComputedStyle& block) const {
  const style::ComputedStyle& fl = *first_line_;
  style::ComputedStyle s = span;
  if (fl.font_family != block.font_family) s.font_family = fl.font_family;
  if (fl.font_weight != block.font_weight) s.font_weight = fl.font_weight;
  if (fl.font_style != block.font_style) s.font_style = fl.font_style;
  if (fl.font_size != block.font_size) s.font_size = fl.font_size;
  if (!(fl.color == block.color)) s.color = fl.color;
  if (fl.letter_spacing != block.letter_spacing) s.letter_spacing = fl.letter_spacing;
  if (fl.word_spacing != block.word_spacing) s.word_spacing = fl.word_spacing;
  if (fl.font_features != block.font_features) s.font_features = fl.font_features;
  if (fl.text_transform != block.text_transform) s.text_transform = fl.text_transform;
  return s;
}

}  // namespace trang::layout::detail
