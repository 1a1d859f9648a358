// Publication layout (publication.h): composes the articles of an issue on one page grid.
//
// Each article is laid out by layout_article with Options::frames: frame 0 is the place the
// composer gives it (below the previous article, or an area of a page), later frames are
// whole pages. An article with an area is laid out first with whole pages after its area, to
// learn whether it overflows; if it does, its area gives up a line to the jump line, and after
// the last article it is laid out again with the frames of its continuation. Frame 0 is the
// same in both runs, and layout is deterministic, so the continuation begins exactly where the
// area ended. Contents page numbers are known only at the end: the contents box is set first
// with placeholder numbers to reserve its height, and filled last.
#include "layout/publication.h"

#include <algorithm>
#include <map>

namespace trang::layout {
namespace {

using model::Kind;
using model::Node;

// The furniture's elements, in the pre-order of publication_furniture's tree.
enum Furniture : uint32_t {
  kPublication, kMasthead, kMastheadTitle, kMastheadTagline, kMastheadIssue, kContents,
  kContentsTitle, kContentsEntry, kJumpTo, kJumpFrom, kContinuedHead, kFurnitureCount
};
constexpr const char* kFurnitureNames[] = {
    "publication", "masthead", "masthead-title", "masthead-tagline", "masthead-issue", "contents",
    "contents-title", "contents-entry", "jump-to", "jump-from", "continued-head"};

// A run of one article: its pages and, for each, the real page it lands on.
struct Placed {
  PageTree tree;
  std::vector<size_t> real_page;
  std::vector<Frame> frames;
  Diagnostics diags;
  // Whether layout page k holds anything.
  bool has_content(size_t k) const {
    if (k >= tree.pages.size()) return false;
    const Page& p = tree.pages[k];
    return !p.runs.empty() || !p.images.empty() || !p.fills.empty();
  }
};

// The lowest ink of a layout page (for stacking the next article under it).
Pt lowest(const Page& p, Pt from) {
  Pt y = from;
  for (const GlyphRun& r : p.runs) y = std::min(y, r.y - r.size * 0.3);
  for (const ImageItem& i : p.images) y = std::min(y, i.rect.y);
  for (const FillItem& f : p.fills) y = std::min(y, f.rect.y);
  for (const RuleItem& r : p.rules) y = std::min({y, r.y1, r.y2});
  return y;
}

class Composer {
 public:
  Composer(const model::Publication& pub, const std::vector<PublicationPiece>& pieces,
           const model::Article& furniture, const style::StyledDocument& fstyles,
           const image::Image* masthead, text::FontCache& fonts, const Options& options,
           Diagnostics& diags)
      : pub_(pub), pieces_(pieces), furniture_(furniture), fstyles_(fstyles), masthead_(masthead),
        fonts_(fonts), options_(options), diags_(diags), ps_(fstyles.page) {}

  PageTree run();

 private:
  struct Cursor {
    size_t page = 0;
    Pt y;
  };
  struct Jump {
    size_t piece;
    Frame area;     // frame 0, with the jump line's room taken off
    size_t page;    // where the area is
    Pt line_top;    // top of the jump line
    size_t to_page = 0;
  };

  const style::ComputedStyle& fs(Furniture f) const { return fstyles_.styles[f]; }
  Page& page(size_t p);
  Pt column_top() const { return ps_.height - ps_.margin_top; }
  Pt bottom_of(size_t p) const { return p == 0 ? first_bottom_ : ps_.margin_bottom; }
  Frame full_frame(int columns, Pt gap, Pt top, size_t p) const {
    return Frame{ps_.margin_left, measure_, top, bottom_of(p), columns, gap};
  }
  // The grid of an article: its entry's columns="N", else its own body's column-count
  // (the @page grid its stylesheet gives it), with its column gap.
  int columns_of(const PublicationPiece& pc) const {
    return pc.entry && pc.entry->columns > 0 ? pc.entry->columns
                                             : std::max(1, pc.styles->page.column_count);
  }
  Pt gap_of(const PublicationPiece& pc) const { return pc.styles->page.column_gap; }
  std::string section_of(const PublicationPiece& pc) const {
    return pc.entry && !pc.entry->section.empty() ? pc.entry->section : pc.article->meta.section;
  }

  // Text in a furniture element's style: set into lines of `width`.
  std::vector<text::Line> set(Furniture f, const std::string& s, Pt width,
                              std::optional<text::Align> align = std::nullopt);
  // Places `lines` with the first line box's top at `top`; returns the bottom of the last.
  Pt place(Page& pg, const std::vector<text::Line>& lines, Pt line_height, Pt x, Pt top);
  // The wording of a furniture element with attr(...) filled in, or `fallback`.
  std::string content(Furniture f, const std::map<std::string, std::string>& attrs,
                      const std::string& fallback) const;

  void masthead();
  Pt contents_height();
  void draw_contents();
  void separate(Cursor& c);
  void start(Cursor& c, bool new_page);
  Placed lay(size_t piece, const std::function<Frame(size_t)>& frames_of, std::vector<size_t> pages);
  void merge(const Placed& r, size_t piece, size_t from_k);
  Cursor end_of(const Placed& r) const;
  void furniture_per_page();

  const model::Publication& pub_;
  const std::vector<PublicationPiece>& pieces_;
  const model::Article& furniture_;
  const style::StyledDocument& fstyles_;
  const image::Image* masthead_;
  text::FontCache& fonts_;
  const Options& options_;
  Diagnostics& diags_;
  const style::PageStyle& ps_;

  PageTree tree_;
  Pt measure_;
  Pt first_bottom_;    // foot of the article area on page 1 (over the contents box)
  Pt contents_top_;
  Pt masthead_bottom_;
  std::vector<size_t> start_page_;  // per piece
  std::vector<uint32_t> image_offset_;
  std::vector<std::string> page_section_;
  std::map<std::string, std::pair<std::vector<FontId>, uint32_t>> chains_;
};

Page& Composer::page(size_t p) {
  while (tree_.pages.size() <= p) {
    Page pg;
    pg.width = ps_.width;
    pg.height = ps_.height;
    pg.bleed = ps_.bleed;
    pg.crop_marks = ps_.crop_marks;
    pg.cross_marks = ps_.cross_marks;
    pg.label = std::to_string(tree_.pages.size() + 1);
    tree_.pages.push_back(std::move(pg));
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
  in.pos = SourcePos{pub_.file};
  if (in.styles[0].fonts.empty()) return {};
  return text::set_paragraph(in, width, fonts_, diags_);
}

Pt Composer::place(Page& pg, const std::vector<text::Line>& lines, Pt line_height, Pt x, Pt top) {
  for (const text::Line& line : lines) {
    Pt half_leading = (line_height - line.ascent - line.descent) / 2;
    Pt baseline = top - half_leading - line.ascent;
    for (const text::LineRun& r : line.runs)
      pg.runs.push_back({r.font, r.size, r.color, x + r.x, baseline, r.glyphs, r.clusters});
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
    uint32_t index = image_offset_.empty() ? 0 : image_offset_.back();
    p1.images.push_back({index, Rect{x + (measure_ - w) / 2, y - h, w, h}, pub_.masthead_alt});
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
    p1.rules.push_back({x, y - is.border_top.width / 2, x + measure_, y - is.border_top.width / 2,
                        is.border_top.width, is.border_top.color});
    y -= is.border_top.width;
  }
  y -= is.padding_top;
  if (!issue_line.empty()) y = place(p1, set(kMastheadIssue, issue_line, measure_), is.line_height, x, y);
  y -= is.padding_bottom;
  if (is.border_bottom.visible()) {
    p1.rules.push_back({x, y - is.border_bottom.width / 2, x + measure_, y - is.border_bottom.width / 2,
                        is.border_bottom.width, is.border_bottom.color});
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
  if (cs.has_background) p1.fills.push_back({box, cs.background_color});
  if (cs.border_top.visible())
    p1.rules.push_back({x, box.top() - cs.border_top.width / 2, box.right(),
                        box.top() - cs.border_top.width / 2, cs.border_top.width, cs.border_top.color});
  if (cs.border_bottom.visible())
    p1.rules.push_back({x, box.y + cs.border_bottom.width / 2, box.right(),
                        box.y + cs.border_bottom.width / 2, cs.border_bottom.width, cs.border_bottom.color});
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

// A hairline between two articles stacked on one page.
void Composer::separate(Cursor& c) {
  if (c.y >= column_top() - Pt(0.01) || (c.page == 0 && c.y >= masthead_bottom_ - Pt(0.01))) return;
  Pt y = c.y - Pt(7);
  page(c.page).rules.push_back({ps_.margin_left, y, ps_.margin_left + measure_, y, Pt(0.5),
                                Color::gray(0.3f)});
  c.y = y - Pt(9);
}

// Where the next article starts: on a new page when asked, or when less than a fifth of the
// column height is left on this one.
void Composer::start(Cursor& c, bool new_page) {
  bool at_top = c.y >= column_top() - Pt(0.01) || (c.page == 0 && c.y >= masthead_bottom_ - Pt(0.01));
  Pt room = c.y - bottom_of(c.page);
  if ((new_page && !at_top) || room < (column_top() - ps_.margin_bottom) * 0.2) {
    c.page += 1;
    c.y = column_top();
    page(c.page);
    return;
  }
  separate(c);
}

Placed Composer::lay(size_t piece, const std::function<Frame(size_t)>& frames_of,
                     std::vector<size_t> pages) {
  const PublicationPiece& pc = pieces_[piece];
  Placed r;
  Options o = options_;
  std::vector<Frame>* frames = &r.frames;
  o.frames = [&, frames](size_t k) {
    while (frames->size() <= k) frames->push_back(frames_of(frames->size()));
    return (*frames)[k];
  };
  r.tree = layout_article(*pc.article, *pc.styles, *pc.resources, fonts_, o, r.diags);
  r.real_page = std::move(pages);
  return r;
}

// Copies layout pages from_k.. of an article onto the publication's pages.
void Composer::merge(const Placed& r, size_t piece, size_t from_k) {
  uint32_t off = image_offset_[piece];
  for (size_t k = from_k; k < r.tree.pages.size() && k < r.real_page.size(); ++k) {
    const Page& src = r.tree.pages[k];
    if (!r.has_content(k)) continue;
    Page& dst = page(r.real_page[k]);
    dst.fills.insert(dst.fills.end(), src.fills.begin(), src.fills.end());
    for (ImageItem im : src.images) {
      im.image += off;
      dst.images.push_back(std::move(im));
    }
    dst.rules.insert(dst.rules.end(), src.rules.begin(), src.rules.end());
    dst.runs.insert(dst.runs.end(), src.runs.begin(), src.runs.end());
    dst.links.insert(dst.links.end(), src.links.begin(), src.links.end());
    if (page_section_[r.real_page[k]].empty()) page_section_[r.real_page[k]] = section_of(pieces_[piece]);
  }
  for (OutlineEntry e : r.tree.outline) {
    if (e.page < from_k || e.page >= r.real_page.size()) continue;
    e.page = static_cast<uint32_t>(r.real_page[e.page]);
    tree_.outline.push_back(std::move(e));
  }
}

Composer::Cursor Composer::end_of(const Placed& r) const {
  size_t k = 0;
  for (size_t i = 0; i < r.tree.pages.size() && i < r.real_page.size(); ++i)
    if (r.has_content(i)) k = i;
  Frame f = r.frames.size() > k ? r.frames[k] : Frame{};
  return {r.real_page[k], k < r.tree.pages.size() ? lowest(r.tree.pages[k], f.top) : f.top};
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
    const style::PageStyle& ps = p == 0 ? fstyles_.first_page
                                 : (p % 2 == 1 ? fstyles_.left_page : fstyles_.right_page);
    Page& pg = tree_.pages[p];
    pg.bleed = ps.bleed;
    pg.crop_marks = ps.crop_marks;
    pg.cross_marks = ps.cross_marks;
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

PageTree Composer::run() {
  measure_ = ps_.width - ps_.margin_left - ps_.margin_right;
  uint32_t off = 0;
  for (const PublicationPiece& pc : pieces_) {
    image_offset_.push_back(off);
    off += static_cast<uint32_t>(pc.resources->images.size());
  }
  image_offset_.push_back(off);  // the masthead picture
  page(0);
  masthead();
  contents_top_ = ps_.margin_bottom + contents_height();
  first_bottom_ = contents_top_ + fs(kContents).margin_top;
  if (first_bottom_ > masthead_bottom_ - Pt(100))
    diags_.warning({pub_.file}, "the contents box leaves little room on page 1 for articles");

  Cursor c{0, masthead_bottom_};
  std::vector<Jump> jumps;
  start_page_.assign(pieces_.size(), 0);
  for (size_t i = 0; i < pieces_.size(); ++i) {
    const PublicationPiece& pc = pieces_[i];
    const model::PublicationEntry* e = pc.entry;
    start(c, e && e->new_page);
    int cols = columns_of(pc);
    start_page_[i] = c.page;
    Pt gap = gap_of(pc);
    Frame first = full_frame(cols, gap, c.y, c.page);
    bool bounded = e && e->area >= 0;
    if (bounded && !e->area_rest)
      first.bottom = std::max(first.bottom, c.y - (column_top() - ps_.margin_bottom) * e->area);
    size_t p0 = c.page;
    auto frames_of = [&, first, cols, gap, p0](size_t k) {
      return k == 0 ? first : full_frame(cols, gap, column_top(), p0 + k);
    };
    std::vector<size_t> real;
    for (size_t k = 0; k < static_cast<size_t>(options_.max_pages) + 1; ++k) real.push_back(p0 + k);
    Placed r = lay(i, frames_of, real);
    bool overflows = false;
    for (size_t k = 1; k < r.tree.pages.size(); ++k) overflows |= r.has_content(k);
    if (!bounded || !overflows) {
      for (const Diagnostic& d : r.diags.all()) diags_.add(d);
      merge(r, i, 0);
      c = end_of(r);
      continue;
    }
    // The area overflows: it gives the jump line its room, and the rest waits for the end.
    const style::ComputedStyle& js = fs(kJumpTo);
    Pt room = js.line_height + js.margin_top + js.margin_bottom;
    Jump j{i, first, p0, first.bottom + room - js.margin_top};
    j.area.bottom = first.bottom + room;
    jumps.push_back(j);
    c = Cursor{p0, first.bottom};
  }

  // Continuations, in the order of their articles, each under a continuation head.
  for (Jump& j : jumps) {
    const PublicationPiece& pc = pieces_[j.piece];
    int cols = columns_of(pc);
    start(c, false);
    Page& pg = page(c.page);
    j.to_page = c.page;
    const style::ComputedStyle& hs = fs(kContinuedHead);
    const style::ComputedStyle& fsr = fs(kJumpFrom);
    Pt y = c.y - hs.margin_top;
    y = place(pg, set(kContinuedHead, pc.article->headline(), measure_), hs.line_height,
              ps_.margin_left, y);
    y -= hs.margin_bottom + fsr.margin_top;
    std::string from = content(kJumpFrom, {{"page", std::to_string(j.page + 1)},
                                           {"headline", pc.article->headline()}},
                               "Tiếp theo từ trang " + std::to_string(j.page + 1));
    y = place(pg, set(kJumpFrom, from, measure_), fsr.line_height, ps_.margin_left, y);
    y -= fsr.margin_bottom;
    Frame area = j.area;
    size_t p1 = c.page;
    Pt top1 = y, gap = gap_of(pc);
    auto frames_of = [&, area, cols, gap, p1, top1](size_t k) {
      if (k == 0) return area;
      return full_frame(cols, gap, k == 1 ? top1 : column_top(), p1 + k - 1);
    };
    std::vector<size_t> real{j.page};
    for (size_t k = 1; k < static_cast<size_t>(options_.max_pages) + 1; ++k) real.push_back(p1 + k - 1);
    Placed r = lay(j.piece, frames_of, real);
    for (const Diagnostic& d : r.diags.all()) diags_.add(d);
    merge(r, j.piece, 0);
    c = end_of(r);
    // The jump line at the foot of the area, pointing at the continuation.
    std::string to = content(kJumpTo, {{"page", std::to_string(j.to_page + 1)},
                                       {"headline", pc.article->headline()}},
                             "Tiếp theo trang " + std::to_string(j.to_page + 1));
    const style::ComputedStyle& js = fs(kJumpTo);
    place(page(j.page), set(kJumpTo, to, j.area.measure), js.line_height, j.area.x0, j.line_top);
  }
  draw_contents();
  furniture_per_page();

  tree_.info.title = pub_.title + (pub_.issue.empty() ? "" : " — " + pub_.issue);
  tree_.info.language = pub_.lang;
  tree_.info.date = pub_.date;
  for (const PublicationPiece& pc : pieces_)
    for (const std::string& k : pc.article->meta.keywords)
      if (tree_.info.keywords.find(k) == std::string::npos)
        tree_.info.keywords += (tree_.info.keywords.empty() ? "" : ", ") + k;
  for (size_t f = 0; f < fonts_.size(); ++f) tree_.fonts.push_back(fonts_.program(static_cast<FontId>(f)));
  return std::move(tree_);
}

}  // namespace

model::Article publication_furniture(const model::Publication& pub) {
  model::Article a;
  a.file = pub.file;
  a.base_dir = pub.base_dir;
  a.lang = pub.lang;
  a.meta.date = pub.date;
  auto node = [&](Furniture f, Kind k) {
    Node n;
    n.kind = k;
    n.name = kFurnitureNames[f];
    n.index = f;
    n.pos = SourcePos{pub.file};
    return n;
  };
  a.root = node(kPublication, Kind::Article);
  Node mast = node(kMasthead, Kind::Box);
  mast.children.push_back(node(kMastheadTitle, Kind::Paragraph));
  mast.children.push_back(node(kMastheadTagline, Kind::Paragraph));
  mast.children.push_back(node(kMastheadIssue, Kind::Paragraph));
  a.root.children.push_back(std::move(mast));
  Node contents = node(kContents, Kind::Box);
  contents.children.push_back(node(kContentsTitle, Kind::Paragraph));
  contents.children.push_back(node(kContentsEntry, Kind::Paragraph));
  a.root.children.push_back(std::move(contents));
  a.root.children.push_back(node(kJumpTo, Kind::Paragraph));
  a.root.children.push_back(node(kJumpFrom, Kind::Paragraph));
  a.root.children.push_back(node(kContinuedHead, Kind::Paragraph));
  a.node_count = kFurnitureCount;
  return a;
}

PageTree layout_publication(const model::Publication& pub, const std::vector<PublicationPiece>& pieces,
                            const model::Article& furniture, const style::StyledDocument& furniture_styles,
                            const image::Image* masthead, text::FontCache& fonts,
                            const Options& options, Diagnostics& diags) {
  if (furniture_styles.styles.size() < kFurnitureCount) {
    diags.error({pub.file}, "internal: the publication's furniture has no styles");
    return {};
  }
  Composer c(pub, pieces, furniture, furniture_styles, masthead, fonts, options, diags);
  return c.run();
}

}  // namespace trang::layout
