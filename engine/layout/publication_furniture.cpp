// The publication's own elements (compose.h): masthead, contents box, jump lines,
// continuation heads, running heads and folios, each set in its furniture element's style.
#include <algorithm>

#include "layout/compose.h"
#include "layout/pages.h"

namespace trang::layout::compose {

Page& Composer::page(size_t p) {
  while (tree_.pages.size() <= p) {
    static_cast<PageSetup&>(tree_.pages.emplace_back()) = blank_page(ps_, tree_.pages.size());
    page_section_.emplace_back();
  }
  return tree_.pages[p];
}

std::vector<text::Line> Composer::set(Furniture f, const std::string& s, Pt width,
                                      std::optional<text::Align> align) {
  const style::ComputedStyle& cs = fs(f);
  std::string key;
  for (const auto& fam : cs.font_family) key += fam + ',';
  key += std::to_string(cs.font_weight) + (cs.font_style == style::FontStyle::Italic ? "i" : "r");
  auto it = chains_.find(key);
  if (it == chains_.end()) {
    uint32_t fallback = text::kNoFallback;
    std::vector<FontId> chain = fonts_.chain_lazy(cs.font_family, cs.font_weight,
                                                  cs.font_style == style::FontStyle::Italic,
                                                  fallback, diags_);
    it = chains_.emplace(key, std::make_pair(std::move(chain), fallback)).first;
  }
  text::ParagraphInput in;
  text::TextStyle ts{it->second.first, cs.font_size, cs.color, cs.letter_spacing, pub_.lang};
  ts.fallback = it->second.second;
  ts.features = cs.font_features;
  ts.word_spacing = cs.word_spacing;
  in.styles.push_back(std::move(ts));
  std::string t = s;
  if (cs.text_transform == style::TextTransform::Uppercase) t = text::to_upper(t, pub_.lang);
  if (cs.text_transform == style::TextTransform::Lowercase) t = text::to_lower(t, pub_.lang);
  in.spans.push_back({std::move(t), 0, ""});
  switch (cs.text_align) {
    case style::TextAlign::Right: in.align = text::Align::Right; break;
    case style::TextAlign::Center: in.align = text::Align::Center; break;
    case style::TextAlign::Justify: in.align = text::Align::Justify; break;
    default: in.align = text::Align::Left;
  }
  if (align) in.align = *align;
  in.balance = cs.text_wrap == style::TextWrap::Balance;
  in.pos = SourcePos{pub_.file};
  if (in.styles[0].fonts.empty()) return {};
  return text::set_paragraph(in, width, fonts_, diags_);
}

Pt Composer::place(Page& pg, const std::vector<text::Line>& lines, Pt line_height, Pt x, Pt top) {
  for (const text::Line& line : lines) {
    Pt half_leading = (line_height - line.ascent - line.descent) / 2;
    Pt baseline = top - half_leading - line.ascent;
    for (const text::LineRun& r : line.runs)
      pg.content.push(GlyphRun{r.font, r.size, r.color, x + r.x, baseline, r.glyphs, r.clusters, 1,
                               GlyphRun::Role::Furniture});
    top -= line_height;
  }
  return top;
}

std::string Composer::content(Furniture f, const std::map<std::string, std::string>& attrs,
                              const std::string& fallback) const {
  // The wording is the named string the element sets under its own name
  // (`jump-to { string-set: jump-to "Tiếp theo trang " attr(page) }`, CSS GCPM 3 §1.1), with
  // attr(...) taken from what the composer knows: page, headline, section, title, issue, date.
  for (const style::StringSet& ss : fs(f).string_set) {
    if (ss.name != kFurnitureNames[f]) continue;
    std::string out;
    for (const style::ContentItem& it : ss.value) {
      if (it.kind == style::ContentItem::Kind::Literal) out += it.value;
      if (it.kind == style::ContentItem::Kind::Attr)
        if (auto a = attrs.find(it.value); a != attrs.end()) out += a->second;
    }
    // An empty attr() leaves its separator dangling ("Số 1 · "): trim it.
    auto edge = [](std::string_view s) {
      return s.starts_with(" ") ? 1 : s.starts_with("·") ? 2 : 0;
    };
    while (size_t n = edge(out)) out.erase(0, n);
    while (!out.empty() && (out.back() == ' ' || (out.size() >= 2 && out.ends_with("·"))))
      out.erase(out.size() - (out.back() == ' ' ? 1 : 2));
    return out;
  }
  return fallback;
}

// The masthead across the top of page 1: the name (or its picture), the tagline, and the
// issue line between two rules.
void Composer::masthead() {
  Page& p1 = page(0);
  Pt x = ps_.margin_left;
  Pt y = column_top() - fs(kMasthead).margin_top;
  if (masthead_) {
    Pt w = measure_;
    double aspect = static_cast<double>(masthead_->height) / std::max(1, masthead_->width);
    Pt h = w * aspect;
    if (h > Pt(110)) { h = Pt(110); w = h / aspect; }
    p1.content.push(ImageItem{masthead_, Rect{x + (measure_ - w) / 2, y - h, w, h}, pub_.masthead_alt});
    y -= h;
  } else if (!pub_.title.empty()) {
    y -= fs(kMastheadTitle).margin_top;
    y = place(p1, set(kMastheadTitle, pub_.title, measure_), fs(kMastheadTitle).line_height, x, y);
    y -= fs(kMastheadTitle).margin_bottom;
  }
  if (!pub_.tagline.empty()) {
    y -= fs(kMastheadTagline).margin_top;
    y = place(p1, set(kMastheadTagline, pub_.tagline, measure_), fs(kMastheadTagline).line_height, x, y);
    y -= fs(kMastheadTagline).margin_bottom;
  }
  const style::ComputedStyle& is = fs(kMastheadIssue);
  std::string issue_line = pub_.issue;
  if (!pub_.date.empty()) issue_line += (issue_line.empty() ? "" : " · ") + pub_.date;
  issue_line = content(kMastheadIssue, {{"issue", pub_.issue}, {"date", pub_.date}, {"title", pub_.title}},
                       issue_line);
  y -= is.margin_top;
  if (is.border_top.visible()) {
    p1.content.push(border_rule(is.border_top, x, y - is.border_top.width / 2, x + measure_,
                                y - is.border_top.width / 2));
    y -= is.border_top.width;
  }
  y -= is.padding_top;
  if (!issue_line.empty()) y = place(p1, set(kMastheadIssue, issue_line, measure_), is.line_height, x, y);
  y -= is.padding_bottom;
  if (is.border_bottom.visible()) {
    p1.content.push(border_rule(is.border_bottom, x, y - is.border_bottom.width / 2, x + measure_,
                                y - is.border_bottom.width / 2));
    y -= is.border_bottom.width;
  }
  y -= is.margin_bottom + fs(kMasthead).margin_bottom;
  masthead_bottom_ = y;
}

// The contents box's height, set with two-digit placeholder page numbers.
Pt Composer::contents_height() {
  const style::ComputedStyle& cs = fs(kContents);
  Pt inner = measure_ - cs.padding_left - cs.padding_right - cs.border_left.width - cs.border_right.width;
  Pt h = cs.border_top.width + cs.padding_top + cs.padding_bottom + cs.border_bottom.width;
  std::string title = content(kContentsTitle, {{"title", pub_.title}, {"issue", pub_.issue}}, "Trong số này");
  h += fs(kContentsTitle).margin_top + fs(kContentsTitle).margin_bottom +
       fs(kContentsTitle).line_height * static_cast<double>(set(kContentsTitle, title, inner).size());
  for (const PublicationPiece& pc : pieces_) {
    std::string e = content(kContentsEntry, {{"page", "88"}, {"headline", pc.article->headline()},
                                             {"section", section_of(pc)}},
                            "88 · " + pc.article->headline());
    h += fs(kContentsEntry).line_height * static_cast<double>(set(kContentsEntry, e, inner).size());
  }
  return h;
}

void Composer::draw_contents() {
  const style::ComputedStyle& cs = fs(kContents);
  Page& p1 = page(0);
  Pt x = ps_.margin_left, h = contents_top_ - ps_.margin_bottom;
  Rect box{x, ps_.margin_bottom, measure_, h};
  if (cs.has_background) p1.content.push(FillItem{box, cs.background_color});
  if (cs.border_top.visible())
    p1.content.push(border_rule(cs.border_top, x, box.top() - cs.border_top.width / 2, box.right(),
                                box.top() - cs.border_top.width / 2));
  if (cs.border_bottom.visible())
    p1.content.push(border_rule(cs.border_bottom, x, box.y + cs.border_bottom.width / 2, box.right(),
                                box.y + cs.border_bottom.width / 2));
  Pt ix = x + cs.border_left.width + cs.padding_left;
  Pt inner = measure_ - cs.padding_left - cs.padding_right - cs.border_left.width - cs.border_right.width;
  Pt y = box.top() - cs.border_top.width - cs.padding_top - fs(kContentsTitle).margin_top;
  std::string title = content(kContentsTitle, {{"title", pub_.title}, {"issue", pub_.issue}}, "Trong số này");
  y = place(p1, set(kContentsTitle, title, inner), fs(kContentsTitle).line_height, ix, y);
  y -= fs(kContentsTitle).margin_bottom;
  for (size_t i = 0; i < pieces_.size(); ++i) {
    const PublicationPiece& pc = pieces_[i];
    std::string pg = std::to_string(start_page_[i] + 1);
    std::string e = content(kContentsEntry, {{"page", pg}, {"headline", pc.article->headline()},
                                             {"section", section_of(pc)}},
                            pg + " · " + pc.article->headline());
    y = place(p1, set(kContentsEntry, e, inner), fs(kContentsEntry).line_height, ix, y);
  }
}

std::string Composer::section_of(const PublicationPiece& pc) const {
  return pc.entry && !pc.entry->section.empty() ? pc.entry->section : pc.article->meta.section;
}

std::string Composer::jump_to_text(size_t piece, size_t page) const {
  return content(kJumpTo, {{"page", std::to_string(page + 1)},
                           {"headline", pieces_[piece].article->headline()}},
                 "Tiếp theo trang " + std::to_string(page + 1));
}

std::string Composer::jump_from_text(size_t piece, size_t page) const {
  return content(kJumpFrom, {{"page", std::to_string(page + 1)},
                             {"headline", pieces_[piece].article->headline()}},
                 "Tiếp theo từ trang " + std::to_string(page + 1));
}

// The room a jump line takes at the foot of a first part.
Pt Composer::jump_room() const {
  const style::ComputedStyle& js = fs(kJumpTo);
  return js.line_height + js.margin_top + js.margin_bottom;
}

Pt Composer::continuation_head_height(size_t piece, size_t from_page, Pt width) {
  const style::ComputedStyle& hs = fs(kContinuedHead);
  const style::ComputedStyle& fr = fs(kJumpFrom);
  double head = static_cast<double>(set(kContinuedHead, pieces_[piece].article->headline(), width).size());
  double from = static_cast<double>(set(kJumpFrom, jump_from_text(piece, from_page), width).size());
  return hs.margin_top + hs.line_height * head + hs.margin_bottom + fr.margin_top +
         fr.line_height * from + fr.margin_bottom;
}

// The continuation's head at the top of its module: the headline again in the continued-head
// style, then "Tiếp theo từ trang N". Returns where the continued text starts.
Pt Composer::draw_continuation_head(size_t piece, size_t from_page, size_t p, Pt x, Pt width,
                                    Pt top) {
  Page& pg = page(p);
  const style::ComputedStyle& hs = fs(kContinuedHead);
  const style::ComputedStyle& fr = fs(kJumpFrom);
  Pt y = top - hs.margin_top;
  y = place(pg, set(kContinuedHead, pieces_[piece].article->headline(), width), hs.line_height, x, y);
  y -= hs.margin_bottom + fr.margin_top;
  y = place(pg, set(kJumpFrom, jump_from_text(piece, from_page), width), fr.line_height, x, y);
  return y - fr.margin_bottom;
}

// Running heads and folios: the @page margin boxes (CSS Paged Media 3 §5.3) with
// string(section) the section of the first article on the page, string(title) the
// publication's title, string(date) and string(issue) its date and number.
void Composer::furniture_per_page() {
  size_t pages = tree_.pages.size();
  std::string carry = page_section_.empty() ? std::string() : page_section_[0];
  for (size_t p = 0; p < pages; ++p) {
    if (!page_section_[p].empty()) carry = page_section_[p];
    std::map<std::string, std::string> strings{{"section", carry}, {"title", pub_.title},
                                               {"date", pub_.date}, {"issue", pub_.issue}};
    const style::PageStyle& ps = page_style(fstyles_, p);
    Page& pg = tree_.pages[p];
    take_marks(pg, ps);
    Pt left = ps.margin_left, width = ps.width - ps.margin_left - ps.margin_right;
    for (const style::MarginBox& box : ps.margin_boxes) {
      std::string t;
      for (const style::ContentItem& it : box.content) {
        switch (it.kind) {
          case style::ContentItem::Kind::Literal: t += it.value; break;
          case style::ContentItem::Kind::CounterPage: t += std::to_string(p + 1); break;
          case style::ContentItem::Kind::CounterPages: t += std::to_string(pages); break;
          case style::ContentItem::Kind::String:
            if (auto s = strings.find(it.value); s != strings.end()) t += s->second;
            break;
          default: break;
        }
      }
      if (t.find_first_not_of(" \t") == std::string::npos) continue;
      const style::ComputedStyle& bs = box.style;
      if (bs.text_transform == style::TextTransform::Uppercase) t = text::to_upper(t, pub_.lang);
      text::ParagraphInput in;
      uint32_t fallback = text::kNoFallback;
      std::vector<FontId> chain = fonts_.chain_lazy(bs.font_family, bs.font_weight,
                                                    bs.font_style == style::FontStyle::Italic,
                                                    fallback, diags_);
      if (chain.empty()) continue;
      text::TextStyle ts{chain, bs.font_size, bs.color, bs.letter_spacing, pub_.lang};
      ts.fallback = fallback;
      in.styles.push_back(std::move(ts));
      in.spans.push_back({t, 0, ""});
      in.align = bs.text_align == style::TextAlign::Right    ? text::Align::Right
                 : bs.text_align == style::TextAlign::Center ? text::Align::Center
                                                             : text::Align::Left;
      in.pos = SourcePos{pub_.file};
      std::vector<text::Line> lines = text::set_paragraph(in, width, fonts_, diags_);
      if (lines.empty()) continue;
      bool top = box.pos == style::MarginBoxPos::TopLeft || box.pos == style::MarginBoxPos::TopCenter ||
                 box.pos == style::MarginBoxPos::TopRight;
      Pt area_top = top ? ps.height : ps.margin_bottom;
      Pt area_h = top ? ps.margin_top : ps.margin_bottom;
      place(pg, {lines[0]}, bs.line_height, left, area_top - (area_h - bs.line_height) / 2);
    }
  }
}

}  // namespace trang::layout::compose
