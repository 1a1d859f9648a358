// Page furniture: named strings (string-set), running heads and folios in the margin boxes,
// page counters.
#include "layout/layouter.h"
#include "layout/pages.h"

#include <algorithm>
#include <cctype>

namespace trang::layout::detail {

// --- named strings and margin boxes (CSS GCPM 3 §1, CSS Paged Media 3 §5) ---

// Resolves a content list against an element (string-set) or a page (margin boxes).
std::string Layouter::content_text(const std::vector<style::ContentItem>& items, const Node* node,
                                   size_t page, size_t pages,
                                   const std::vector<std::map<std::string, std::string>>* first,
                                   const std::vector<std::map<std::string, std::string>>* last,
                                   const std::vector<std::map<std::string, std::string>>* start,
                                   const std::vector<std::set<std::string>>* set_here) const {
  std::string out;
  for (const style::ContentItem& it : items) {
    switch (it.kind) {
      case style::ContentItem::Kind::Literal: out += it.value; break;
      case style::ContentItem::Kind::ElementText:
        if (node) out += plain_text(*node);
        break;
      case style::ContentItem::Kind::Attr:
        if (node && node->attribute(it.value)) out += *node->attribute(it.value);
        break;
      case style::ContentItem::Kind::CounterPage:
      case style::ContentItem::Kind::CounterPages: {
        size_t n = it.kind == style::ContentItem::Kind::CounterPage ? page + 1 : pages;
        out += style::format_counter(static_cast<long long>(n), it.counter_style);
        break;
      }
      // Refused by the parser in margin boxes.
      case style::ContentItem::Kind::Counter: case style::ContentItem::Kind::Counters:
      case style::ContentItem::Kind::OpenQuote: case style::ContentItem::Kind::CloseQuote:
      case style::ContentItem::Kind::NoOpenQuote: case style::ContentItem::Kind::NoCloseQuote:
        break;
      case style::ContentItem::Kind::String: {
        if (!first) break;
        const std::map<std::string, std::string>* m = nullptr;
        switch (it.which) {
          case style::ContentItem::Which::First: m = &(*first)[page]; break;
          case style::ContentItem::Which::Last: m = &(*last)[page]; break;
          case style::ContentItem::Which::Start: m = &(*start)[page]; break;
          case style::ContentItem::Which::FirstExcept:
            if (!(*set_here)[page].count(it.value)) m = &(*start)[page];
            break;
        }
        if (m) {
          auto f = m->find(it.value);
          if (f != m->end()) out += f->second;
        }
        break;
      }
    }
  }
  return out;
}

// Records the named strings a block and its descendants set, on the page where the block's
// first line landed.
void Layouter::note_strings(const Node& block, size_t page_before, size_t runs_before) {
  // A trial pour places no lines (place_line), so it could not tell the page, and the marks of
  // the last pour are the ones the page furniture reads.
  if (trial_) return;
  size_t page = page_before;
  if (tree_.pages.size() > page_before + 1 && page_before < tree_.pages.size() &&
      tree_.pages[page_before].runs.size() == runs_before)
    page = page_before + 1;
  model::visit(block, [&](const Node& n) {
    if (n.kind == Kind::Text) return;
    for (const style::StringSet& s : style(n).string_set)
      string_marks_.push_back({page, s.name, content_text(s.value, &n, page, 0), n.index});
  });
}

// Running heads and folios: the margin boxes of each page's @page rules (CSS Paged Media 3
// §5.3), with named strings (GCPM 3 §1.2) and page counters, set as one line each.
void Layouter::add_page_furniture() {
  size_t pages = tree_.pages.size();
  if (pages == 0) return;
  // Named strings start as the article's metadata, then follow string-set (GCPM 3 §1.2.2).
  std::map<std::string, std::string> carry;
  const model::Metadata& m = article_.meta;
  carry["section"] = m.section;
  carry["date"] = m.date;
  carry["title"] = article_.headline();
  for (const std::string& a : m.authors) carry["author"] += (carry["author"].empty() ? "" : ", ") + a;
  carry["source"] = m.source;
  // Strings set by elements outside the flow (the head, the article) count on page 1.
  std::vector<StringMark> marks;
  model::visit(article_.root, [&](const Node& n) {
    if (n.kind == Kind::Text) return;
    for (const style::StringSet& s : style(n).string_set) {
      bool found = false;
      for (const StringMark& mk : string_marks_) found |= mk.name == s.name && mk.node == n.index;
      if (!found) marks.push_back({0, s.name, content_text(s.value, &n, 0, 0), n.index});
    }
  });
  for (const StringMark& mk : string_marks_) marks.push_back(mk);
  std::stable_sort(marks.begin(), marks.end(),
                   [](const StringMark& a, const StringMark& b) { return a.page < b.page; });
  std::vector<std::map<std::string, std::string>> first(pages), last(pages), start(pages);
  std::vector<std::set<std::string>> set_here(pages);
  size_t mi = 0;
  for (size_t p = 0; p < pages; ++p) {
    start[p] = carry;
    first[p] = carry;
    std::set<std::string> seen;
    for (; mi < marks.size() && marks[mi].page <= p; ++mi) {
      if (seen.insert(marks[mi].name).second) first[p][marks[mi].name] = marks[mi].value;
      carry[marks[mi].name] = marks[mi].value;
      set_here[p].insert(marks[mi].name);
    }
    last[p] = carry;
  }

  for (size_t p = 0; p < pages; ++p) {
    const style::PageStyle& ps = page_style(styles_, p);
    Sheet& page = tree_.pages[p];
    take_marks(page, ps);
    Pt left = ps.margin_left, width = ps.width - ps.margin_left - ps.margin_right;
    for (const style::MarginBox& box : ps.margin_boxes) {
      std::string textv = content_text(box.content, nullptr, p, pages, &first, &last, &start,
                                       &set_here);
      if (textv.find_first_not_of(" \t") == std::string::npos) continue;
      const style::ComputedStyle& bs = box.style;
      if (bs.text_transform == style::TextTransform::Uppercase) textv = text::to_upper(textv, article_.lang);
      if (bs.text_transform == style::TextTransform::Lowercase) textv = text::to_lower(textv, article_.lang);
      text::ParagraphInput in;
      uint32_t st = text_style(bs, in);
      in.spans.push_back({textv, st, ""});
      switch (bs.text_align) {
        case style::TextAlign::Right: in.align = text::Align::Right; break;
        case style::TextAlign::Center: in.align = text::Align::Center; break;
        default: in.align = text::Align::Left;
      }
      in.pos = SourcePos{article_.file};
      Diagnostics quiet;
      std::vector<text::Line> lines = text::set_paragraph(in, width, fonts_, trial_ ? quiet : diags_);
      if (lines.empty()) continue;
      bool top = box.pos == style::MarginBoxPos::TopLeft || box.pos == style::MarginBoxPos::TopCenter ||
                 box.pos == style::MarginBoxPos::TopRight;
      // Vertically centred in the page margin (§5.3.2: vertical-align: middle).
      Pt area_top = top ? ps.height : ps.margin_bottom;
      Pt area_h = top ? ps.margin_top : ps.margin_bottom;
      Pt lh = bs.line_height;
      Pt y = area_top - (area_h - lh) / 2;
      Sheet& target = tree_.pages[p];  // (place_line draws on the last page)
      Pt half_leading = (lh - lines[0].ascent - lines[0].descent) / 2;
      Pt baseline = y - half_leading - lines[0].ascent;
      for (const text::LineRun& r : lines[0].runs)
        target.runs.push_back({r.font, r.size, r.color, left + r.x, baseline, r.glyphs, r.clusters, 1,
                               GlyphRun::Role::Furniture});
    }
  }
}

}  // namespace trang::layout::detail
