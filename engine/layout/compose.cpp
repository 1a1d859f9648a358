// Placement of a publication's articles as modules on the page grid (compose.h).
//
// Phase 1 takes the articles in the publication's order. Each goes to the highest free run of
// grid columns on the current page (skyline placement, as newspaper make-up stacks
// rectangles), at the width its entry asks (`columns`), else the whole run, narrowed for a
// short story whose legs would be too shallow. A story that does not fit the page runs on to
// the next page in the same columns, unless it has an `area` or the next article starts a new
// page: then it is cut at the foot of the page with a jump line, and the rest waits.
// Phase 2 packs the rests as continuation modules: each into the first free run of a later page
// where it fits whole (the holes new-page leaves), else after everything, running on as needed.
//
// Every placement is measured by laying the article out (layout_article into regions), so
// measuring equals setting; a cut article is laid out twice with the same first region, and
// layout is deterministic, so its continuation starts exactly where the first part ended.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "layout/compose.h"

namespace trang::layout::compose {
namespace {

constexpr Pt kModuleGap{16};  // between a module and the one below it (a rule in the middle)
constexpr Pt kRuleBelow{7};   // the rule's distance under the upper module
constexpr int kMinLegLines = 10;  // a short story is narrowed until its legs are this deep
constexpr int kShallowLegLines = 4;  // ... or only this deep, where a page is made up again
constexpr size_t kWindow = 4;    // an article moves at most kWindow - 1 places ahead

}  // namespace

bool Run::has_content(size_t k) const {
  if (k >= tree.pages.size()) return false;
  for (const Item& item : tree.pages[k].content.items)
    if (!std::holds_alternative<RuleItem>(item) && !std::holds_alternative<LinkItem>(item)) return true;
  return false;
}

// Whether layout pages [from, to) of `r` hold any of the article's text (not only a picture
// or captions).
bool has_text(const Run& r, size_t from, size_t to) {
  bool text = false;
  for (size_t k = from; k < to && k < r.tree.pages.size() && !text; ++k)
    for_each_item(r.tree.pages[k].content, [&](const Item& item, Pt, Pt) {
      if (const auto* g = std::get_if<GlyphRun>(&item)) text |= g->role == GlyphRun::Role::Text;
    });
  return text;
}

int text_rows(const Run& r, size_t k) {
  if (k >= r.tree.pages.size() || k >= r.regions.size()) return 0;
  const Region& f = r.regions[k];
  int columns = std::max(1, f.columns);
  Pt pitch = (f.measure + f.gap) / columns;
  std::vector<std::vector<double>> ys(static_cast<size_t>(columns));
  for_each_item(r.tree.pages[k].content, [&](const Item& item, Pt dx, Pt dy) {
    const auto* g = std::get_if<GlyphRun>(&item);
    if (!g || g->role != GlyphRun::Role::Text) return;
    int c = std::clamp(static_cast<int>(std::floor((g->x + dx - f.x0 + Pt(1)) / pitch)), 0, columns - 1);
    ys[static_cast<size_t>(c)].push_back(std::round((g->y + dy).v * 4) / 4);
  });
  int most = 0;
  for (std::vector<double>& col : ys) {
    std::sort(col.begin(), col.end());
    most = std::max(most, static_cast<int>(std::unique(col.begin(), col.end()) - col.begin()));
  }
  return most;
}

bool Run::overflows() const {
  for (size_t k = 1; k < tree.pages.size(); ++k)
    if (has_content(k)) return true;
  // A line layout had to force into a frame too short for it.
  if (!tree.pages.empty() && !regions.empty())
    for (const Item& item : tree.pages[0].content.items)
      if (const auto* g = std::get_if<GlyphRun>(&item); g && g->y < regions[0].bottom - Pt(0.5)) return true;
  return diags.has_errors();
}

Pt Run::lowest(size_t k) const {
  Pt top = k < regions.size() ? regions[k].top : Pt();
  return k < tree.pages.size() ? lowest_ink(tree.pages[k].content, top) : top;
}

Composer::Composer(const model::Publication& pub, const std::vector<PublicationPiece>& pieces,
                   const model::Article& furniture, const style::StyledDocument& fstyles,
                   std::shared_ptr<const image::Image> masthead, text::FontCache& fonts, const Options& options,
                   Diagnostics& diags)
    : pub_(pub), pieces_(pieces), furniture_(furniture), fstyles_(fstyles), masthead_(std::move(masthead)),
      fonts_(fonts), options_(options), diags_(diags), ps_(fstyles.page), min_legs_(kMinLegLines) {}

Composer::PageState& Composer::state(size_t p) {
  page(p);
  while (states_.size() <= p) {
    size_t q = states_.size();
    PageState s;
    s.body_top = q == 0 ? masthead_bottom_ : column_top();
    s.bottom = q == 0 ? first_bottom_ : ps_.margin_bottom;
    s.top.assign(static_cast<size_t>(grid_.columns), s.body_top);
    tree_.pages[q].body = Rect{grid_.left, s.bottom, measure_, s.body_top - s.bottom};
    states_.push_back(std::move(s));
  }
  return states_[p];
}

bool Composer::used(size_t p) const {
  return p < tree_.pages.size() && !tree_.pages[p].modules.empty();
}

// A module in columns [col, col + w) of page p whose columns are free from `free` down: under
// another module it starts a gap lower, with a rule in the gap.
Composer::Slot Composer::slot_at(size_t p, int col, int w, Pt free) {
  Slot sl{p, col, w, free, Pt()};
  if (free < state(p).body_top - Pt(0.01)) {
    sl.rule_y = free - kRuleBelow;
    sl.top = free - kModuleGap;
  }
  return sl;
}

// The free runs of columns on page `p` (maximal runs of equal top), highest first, then
// leftmost; each with at least `need` of room under the separating gap.
std::vector<Composer::Slot> Composer::segments(size_t p, Pt need) {
  const PageState& s = state(p);
  std::vector<Slot> out;
  for (int c = 0; c < grid_.columns;) {
    int e = c + 1;
    while (e < grid_.columns && std::abs((s.top[e] - s.top[c]).v) < 0.5) ++e;
    Slot sl = slot_at(p, c, e - c, s.top[c]);
    if (sl.top - s.bottom >= need) out.push_back(sl);
    c = e;
  }
  std::stable_sort(out.begin(), out.end(), [](const Slot& a, const Slot& b) { return a.top > b.top; });
  return out;
}

// The highest place on page `p` for a module `fixed_w` columns wide (0: the highest free run,
// whatever its width) with at least `need` of room.
std::optional<Composer::Slot> Composer::slot_on(size_t p, int fixed_w, Pt need) {
  if (fixed_w == 0) {
    std::vector<Slot> segs = segments(p, need);
    if (segs.empty()) return std::nullopt;
    return segs.front();
  }
  const PageState& s = state(p);
  std::optional<Slot> best;
  for (int c = 0; c + fixed_w <= grid_.columns; ++c) {
    Pt top = s.body_top;
    for (int k = c; k < c + fixed_w; ++k) top = std::min(top, s.top[k]);
    Slot sl = slot_at(p, c, fixed_w, top);
    if (sl.top - s.bottom < need) continue;
    if (!best || sl.top > best->top + Pt(0.01)) best = sl;
  }
  return best;
}

Region Composer::region_at(const Slot& s, Pt top, Pt bottom) const {
  return Region{grid_.x(s.col), grid_.width(s.w), top, bottom, s.w, grid_.gap};
}

// Where an article running on goes on page `p` and after: the whole width of a page nothing
// is on yet (`keep_width`: its own columns there, for a story whose entry fixes its width),
// else the same columns under what they hold, on the first page where they have `need` of room.
std::pair<Region, size_t> Composer::flow_region(size_t p, int col, int w, Pt need, bool keep_width) {
  for (size_t q = p;; ++q) {
    const PageState& s = state(q);
    // A page of its own: the story takes all its columns, or its own from the left.
    if (!used(q))
      return {region_at(slot_at(q, 0, keep_width ? w : grid_.columns, s.body_top), s.body_top, s.bottom), q};
    Pt free = s.body_top;
    for (int c = col; c < col + w; ++c) free = std::min(free, s.top[static_cast<size_t>(c)]);
    Slot sl = slot_at(q, col, w, free);
    if (sl.top - s.bottom >= need) return {region_at(sl, sl.top, s.bottom), q};
  }
}

int Composer::min_lines(size_t piece) const {
  const PublicationPiece& pc = pieces_[piece];
  return std::max(1, pc.styles->styles[pc.article->root.index].min_lines);
}

Pt Composer::line_height(size_t piece) const {
  const PublicationPiece& pc = pieces_[piece];
  return pc.styles->styles[pc.article->root.index].line_height;
}

// The headline's size is capped by the module's width, as newspapers size heads by the
// columns they span (18 pt across one, 24 across two, 30 across three): a story set in
// fewer columns than its stylesheet imagined gets a head that fits them.
const style::StyledDocument& Composer::styles_for(size_t piece, int columns) {
  const PublicationPiece& pc = pieces_[piece];
  static constexpr double kCap[] = {18, 24, 30};
  if (columns < 1 || columns > static_cast<int>(std::size(kCap))) return *pc.styles;
  Pt cap{kCap[columns - 1]};
  const model::Node* head = nullptr;
  for (const model::Node& n : pc.article->root.children)
    if (n.kind == model::Kind::Headline) head = &n;
  if (!head || pc.styles->styles[head->index].font_size <= cap) return *pc.styles;
  auto key = std::make_pair(piece, columns);
  auto it = scaled_.find(key);
  if (it != scaled_.end()) return it->second;
  style::StyledDocument d = *pc.styles;
  double k = cap / d.styles[head->index].font_size;
  model::visit(*head, [&](const model::Node& n) {
    style::ComputedStyle& cs = d.styles[n.index];
    cs.font_size = cs.font_size * k;
    cs.line_height = cs.line_height * k;
    cs.letter_spacing = cs.letter_spacing * k;
    cs.margin_bottom = cs.margin_bottom * k;
  });
  return scaled_.emplace(key, std::move(d)).first->second;
}

Run Composer::lay(size_t piece, const std::function<std::pair<Region, size_t>(size_t)>& regions) {
  const PublicationPiece& pc = pieces_[piece];
  Run r;
  Options o = options_;
  std::vector<Region>* fr = &r.regions;
  std::vector<size_t>* po = &r.page_of;
  o.regions = [&, fr, po](size_t k) {
    while (fr->size() <= k) {
      auto [f, p] = regions(fr->size());
      fr->push_back(f);
      po->push_back(p);
    }
    return (*fr)[k];
  };
  const style::StyledDocument& styles = styles_for(piece, o.regions(0).columns);
  r.tree = layout_article(*pc.article, styles, *pc.resources, fonts_, o, r.diags);
  return r;
}

size_t Run::chars() const {
  size_t n = 0;
  for (size_t k = 0; k < tree.pages.size(); ++k)
    if (has_content(k)) n += visible_chars(tree.pages[k].content);
  return n;
}

// Tries to place article i's first part on page p. `whole`: only if it fits there entirely
// (no run-on, no cut), for filling the rest of a page out of order.
bool Composer::place_on(size_t i, size_t p, bool barrier_next, bool whole, std::vector<Jump>& jumps) {
  const model::PublicationEntry* e = pieces_[i].entry;
  int fixed_w = e && e->columns > 0 ? std::min(e->columns, grid_.columns) : 0;
  Pt need = line_height(i) * min_lines(i) + Pt(12);
  std::vector<Slot> slots;
  if (fixed_w > 0) {
    if (std::optional<Slot> sl = slot_on(p, fixed_w, need)) slots.push_back(*sl);
  } else {
    slots = segments(p, need);
  }
  for (const Slot& sl : slots)
    if (place_at(i, sl, barrier_next, whole, jumps)) return true;
  return false;
}

// Tries article i's first part in slot `sl`: a module of sl.w columns (fewer for a short
// story) from sl.top down.
bool Composer::place_at(size_t i, Slot sl, bool barrier_next, bool whole, std::vector<Jump>& jumps) {
  const PublicationPiece& pc = pieces_[i];
  const model::PublicationEntry* e = pc.entry;
  SourcePos at = e ? e->pos : SourcePos{pub_.file};
  int fixed_w = e && e->columns > 0 ? std::min(e->columns, grid_.columns) : 0;
  bool bounded = e && e->area >= 0;
  Pt lh = line_height(i);
  Pt need = lh * min_lines(i) + Pt(12);
  size_t p = sl.page;
  std::optional<Slot> s = sl;
  // A story with a head across one column of a wide grid only when it is short: a long one
  // goes where it gets more columns.
  bool narrow = fixed_w == 0 && s->w == 1 && grid_.columns >= 3;
  const PageState& st = state(p);
  bool fresh = !used(p) || s->top >= st.body_top - Pt(0.01);
  Pt bottom = st.bottom;
  if (bounded && !e->area_rest) {
    Pt depth = (st.body_top - st.bottom) * e->area * (static_cast<double>(grid_.columns) / s->w);
    bottom = std::max(bottom, s->top - depth);
  }
  auto try_at = [&](const Slot& sl, Pt bot) {
    size_t next = sl.page;
    return lay(i, [&, sl, bot, next](size_t k) mutable -> std::pair<Region, size_t> {
      if (k == 0) return {region_at(sl, sl.top, bot), sl.page};
      auto f = flow_region(next + 1, sl.col, sl.w, need, fixed_w > 0);
      next = f.second;
      return f;
    });
  };
  Run r = try_at(*s, bottom);
  if ((whole || narrow) && r.overflows()) return false;
  // The head and at least min_lines(i) lines a column must fit the first frame, and as many
  // lines of the text must go there (not only a picture under the head and a line under it).
  Pt under_head = r.tree.columns_top - r.regions[0].bottom;
  bool text_here = text_rows(r, 0) >= min_lines(i);
  if (r.overflows() && (under_head < lh * min_lines(i) || !text_here)) {
    Pt grown = r.tree.columns_top - lh * min_lines(i) - jump_room();
    if (bounded && !e->area_rest && grown >= st.bottom) {
      diags_.warning(at, "the area is too small for the headline and " + std::to_string(min_lines(i)) +
                             " lines a column: grown to fit them");
      bottom = grown;
      r = try_at(*s, bottom);
    } else if (!fresh) {
      if (bounded)
        diags_.warning(at, "no room left on page " + std::to_string(p + 1) + " for the headline and " +
                               std::to_string(min_lines(i)) +
                               " lines a column: the article moves on to the next page");
      return false;
    } else {
      // At the top of a page, a head too deep for the module's columns: wider, as far as the
      // free columns at this height allow, rather than a module of head alone.
      for (int w = s->w + 1; w <= grid_.columns; ++w) {
        std::optional<Slot> wider = slot_on(p, w, need);
        if (!wider || wider->top < s->top - Pt(0.01)) break;
        Run n = try_at(*wider, bottom);
        if (!has_text(n, 0, 1) || n.tree.columns_top - n.regions[0].bottom < lh * min_lines(i)) continue;
        diags_.warning(at, "the headline and lead leave no room for text across " + std::to_string(s->w) +
                               (s->w == 1 ? " column" : " columns") + ": set across " + std::to_string(w));
        s = wider;
        r = std::move(n);
        break;
      }
    }
  }
  if (!r.overflows() && fixed_w == 0 && !bounded && s->w > 1) {
    // A short story across the whole run would have legs of a line or two: narrower
    // modules until its legs are deep enough, while it still fits.
    auto legs = [&](const Run& x) { return (x.tree.columns_top - x.lowest(0)) / lh; };
    for (int w = s->w - 1; w >= 1 && legs(r) < min_legs_; --w) {
      Slot narrow = *s;
      narrow.w = w;
      Run n = try_at(narrow, bottom);
      if (n.overflows()) break;
      r = std::move(n);
      s->w = w;
    }
  }
  start_page_[i] = p;
  bool cut = r.overflows() && (bounded || barrier_next);
  // A story that runs on carries min_lines(i) lines a column onto the next page, not a
  // paragraph's last line or a picture alone: its first part ends a line higher at a time.
  for (int tries = 0; !cut && r.overflows() && tries < 3 * min_lines(i) && text_rows(r, 1) < min_lines(i); ++tries) {
    Pt higher = r.regions[0].bottom + lh;
    if (r.tree.columns_top - higher < lh * min_lines(i)) break;
    Run n = try_at(*s, higher);
    if (text_rows(n, 0) < min_lines(i)) break;
    r = std::move(n);
  }
  if (!cut) {
    for (const Diagnostic& d : r.diags.all()) diags_.add(d);
    laid_chars_[i] = r.chars();
    commit(i, r, 0, r.tree.pages.size(), false, &*s);
    return true;
  }
  // Cut at the foot of the first frame, which gives the jump line its room.
  Jump j;
  j.piece = i;
  j.page = p;
  Pt cut_bottom = r.regions[0].bottom + jump_room();
  Run first = try_at(*s, cut_bottom);
  // The rest must carry min_lines(i) lines of the text, not only a picture that waited for it
  // and a byline: cut a few lines higher while the first part keeps its minimum.
  for (int tries = 0; tries < 8 && text_rows(first, 1) < min_lines(i); ++tries) {
    Pt higher = cut_bottom + lh * 3;
    if (first.tree.columns_top - higher < lh * min_lines(i)) break;
    cut_bottom = higher;
    first = try_at(*s, cut_bottom);
  }
  // And the first part must carry some: a picture may take all of a small area. The area
  // grows until text follows the picture, down to the foot of the page.
  bool grew = false;
  while (!has_text(first, 0, 1)) {
    Pt lower = std::max(st.bottom + jump_room(), cut_bottom - lh * 3);
    if (lower >= cut_bottom - Pt(0.01)) break;
    cut_bottom = lower;
    first = try_at(*s, cut_bottom);
    grew = true;
  }
  if (grew && bounded)
    diags_.warning(at, "the area is too small for the article's picture and the start of its text: "
                       "grown to fit them");
  j.area = first.regions[0];
  j.line_top = j.area.bottom - fs(kJumpTo).margin_top;
  commit(i, first, 0, 1, false, &*s, cut_bottom - jump_room());
  jumps.push_back(std::move(j));
  return true;
}

// Phase 1: first parts in the publication's order, each on the first page from the current
// one where it goes. Before an article moves on from a page it does not fit, the next few
// articles (up to kWindow - 1 places ahead, never past a new-page one) that fit the rest of
// the page whole go there, as a make-up editor fills a page with shorter stories. A page left
// more than kRetryWhite white is made up again with short stories narrowed only where their legs
// would be very shallow (narrowed, they leave columns that nothing later fills), and the whiter
// of the two is dropped.
void Composer::place_first_parts(std::vector<Jump>& jumps) {
  constexpr double kRetryWhite = 0.08;
  constexpr double kRetryGain = 0.03;  // the second make-up is kept only when this much less white
  std::vector<size_t> left;
  for (size_t i = 0; i < pieces_.size(); ++i) {
    left.push_back(i);
    const model::PublicationEntry* e = pieces_[i].entry;
    if (e && e->columns > grid_.columns)
      diags_.warning(e->pos, "columns=\"" + std::to_string(e->columns) + "\" is wider than the page grid's " +
                                 std::to_string(grid_.columns) + " columns: the article spans them all");
  }
  auto new_page = [&](size_t i) { return pieces_[i].entry && pieces_[i].entry->new_page; };
  auto barrier_after = [&](size_t k) { return k + 1 < left.size() && new_page(left[k + 1]); };
  Placed start = snapshot(left, jumps);
  std::optional<Placed> first;  // the page as made up the first way, while the second is tried
  double first_white = 0;
  // The current page is done: keeps the better make-up of it, or tries the other way.
  auto close_page = [&]() {
    double white = white_share(page(cur_), grid_);
    if (!first && white > kRetryWhite) {
      first = snapshot(left, jumps);
      first_white = white;
      restore(start, left, jumps);
      min_legs_ = kShallowLegLines;
      return false;
    }
    if (first && white > first_white - kRetryGain) restore(std::move(*first), left, jumps);
    first.reset();
    min_legs_ = kMinLegLines;
    return true;
  };
  // The last page is made up once: the continuations still to come change its white.
  while (!left.empty()) {
    size_t i = left.front();
    const model::PublicationEntry* e = pieces_[i].entry;
    if (new_page(i) && used(cur_)) {
      if (!close_page()) continue;
      size_t p = cur_ + 1;
      while (used(p)) ++p;
      cur_ = p;
      start = snapshot(left, jumps);
    }
    if (place_on(i, cur_, barrier_after(0), false, jumps)) {
      left.erase(left.begin());
      continue;
    }
    for (size_t k = 1; k < left.size() && k < kWindow; ++k) {
      if (new_page(left[k])) break;
      if (place_on(left[k], cur_, barrier_after(k), true, jumps)) {
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(k));
        --k;
      }
    }
    if (!close_page()) continue;
    if (++cur_ > static_cast<size_t>(options_.max_pages)) {
      diags_.error(e ? e->pos : SourcePos{pub_.file}, "no page has room for this article");
      return;
    }
    start = snapshot(left, jumps);
  }
}

Composer::Placed Composer::snapshot(const std::vector<size_t>& left, const std::vector<Jump>& jumps) const {
  return Placed{tree_, states_, cur_, start_page_, placed_chars_, laid_chars_, left, page_section_, jumps, diags_};
}

void Composer::restore(Placed s, std::vector<size_t>& left, std::vector<Jump>& jumps) {
  tree_ = std::move(s.tree);
  states_ = std::move(s.states);
  cur_ = s.cur;
  start_page_ = std::move(s.start_page);
  placed_chars_ = std::move(s.placed_chars);
  laid_chars_ = std::move(s.laid_chars);
  left = std::move(s.left);
  page_section_ = std::move(s.page_section);
  jumps = std::move(s.jumps);
  diags_ = std::move(s.diags);
}

void Composer::commit(size_t piece, Run& r, size_t from, size_t to, bool continuation,
                      const Slot* slot, Pt first_bottom, size_t head_items) {
  const PublicationPiece& pc = pieces_[piece];
  for (size_t k = from; k < to && k < r.tree.pages.size() && k < r.page_of.size(); ++k) {
    if (!r.has_content(k)) continue;
    const Region& f = r.regions[k];
    size_t q = r.page_of[k];
    PageState& st = state(q);
    Page& dst = page(q);
    ModuleBox m;
    m.name = pc.entry ? pc.entry->src : pc.article->file;
    m.article = static_cast<uint32_t>(piece);
    m.continuation = continuation;
    m.column = static_cast<int>(std::lround(((f.x0 - grid_.left) / (grid_.column_width + grid_.gap))));
    m.columns = std::max(1, f.columns);
    Pt top = f.top;
    bool last = true;
    for (size_t n = k + 1; n < to && n < r.tree.pages.size(); ++n) last &= !r.has_content(n);
    Pt bottom = last ? std::max(std::min(r.lowest(k), f.top), f.bottom) : f.bottom;
    if (first_bottom > Pt(0) && k == 0) bottom = first_bottom;  // the jump line's room
    placed_chars_[piece] += visible_chars(r.tree.pages[k].content);
    // The module's frame: its own head (a continuation's, drawn on the page just before) and
    // separating rule, then the page the article was laid out into, as a group.
    Frame module{dst.width, dst.height, {}};
    if (slot && k == from && slot->page == q) {
      top = slot->top;
      if (slot->rule_y > Pt(0))
        module.push(RuleItem{f.x0, slot->rule_y, f.x0 + f.measure, slot->rule_y, Pt(0.5), Color::gray(0.3f)});
    }
    std::vector<Item>& items = dst.content.items;
    if (k == from && head_items < items.size()) {
      auto at = items.begin() + static_cast<std::ptrdiff_t>(head_items);
      std::move(at, items.end(), std::back_inserter(module.items));
      items.erase(at, items.end());
    }
    module.push(Group{Pt(), Pt(), std::make_shared<const Frame>(std::move(r.tree.pages[k].content))});
    r.tree.pages[k].content.items.clear();  // moved into the module
    m.item = static_cast<uint32_t>(items.size());
    dst.content.push(Group{Pt(), Pt(), std::make_shared<const Frame>(std::move(module))});
    m.rect = Rect{f.x0, bottom, f.measure, top - bottom};
    for (int c = m.column; c < m.column + m.columns && c < grid_.columns; ++c)
      st.top[static_cast<size_t>(c)] = std::min(st.top[static_cast<size_t>(c)], bottom);
    if (page_section_[q].empty()) page_section_[q] = section_of(pc);
    dst.modules.push_back(std::move(m));
  }
  for (OutlineEntry e : r.tree.outline) {
    if (e.page < from || e.page >= to || e.page >= r.page_of.size()) continue;
    e.page = static_cast<uint32_t>(r.page_of[e.page]);
    tree_.outline.push_back(std::move(e));
  }
}

// A hairline in the gutter between modules side by side, over the height they share.
void Composer::separators() {
  for (Page& pg : tree_.pages) {
    std::vector<RuleItem> add;
    for (const ModuleBox& a : pg.modules)
      for (const ModuleBox& b : pg.modules) {
        if (a.column + a.columns != b.column) continue;
        Pt lo = std::max(a.rect.y, b.rect.y), hi = std::min(a.rect.top(), b.rect.top());
        if (hi - lo < Pt(12)) continue;
        Pt x = a.rect.right() + grid_.gap / 2;
        add.push_back({x, lo, x, hi, Pt(0.5), Color::gray(0.3f)});
      }
    for (RuleItem& r : add) pg.content.push(std::move(r));
  }
}

// Text conservation and the geometric invariants (invariants.cpp): a broken one is a bug in
// the composer, reported as an internal error rather than a bad page.
void Composer::check(const std::vector<size_t>& placed, const std::vector<size_t>& laid) {
  std::vector<std::string> bad = faults(tree_);
  for (size_t i = 0; i < placed.size(); ++i)
    if (placed[i] != laid[i])
      bad.push_back(pieces_[i].entry ? pieces_[i].entry->src
                                     : pieces_[i].article->file + ": " + std::to_string(laid[i]) +
                                           " characters laid out, " + std::to_string(placed[i]) +
                                           " placed");
  if (bad.empty()) return;
  std::string msg = pub_.file + ": page composition broke an invariant:";
  for (const std::string& b : bad) msg += "\n  " + b;
  throw std::logic_error(msg);
}

PageTree Composer::run() {
  measure_ = ps_.width - ps_.margin_left - ps_.margin_right;
  const style::PageStyle& gp = pieces_.empty() ? ps_ : pieces_.front().styles->page;
  grid_.columns = std::max(1, gp.column_count);
  grid_.gap = gp.column_gap;
  grid_.left = ps_.margin_left;
  grid_.column_width = (measure_ - grid_.gap * (grid_.columns - 1)) / grid_.columns;
  page(0);
  masthead();
  contents_top_ = ps_.margin_bottom + contents_height();
  first_bottom_ = contents_top_ + fs(kContents).margin_top;
  if (first_bottom_ > masthead_bottom_ - Pt(100))
    diags_.warning({pub_.file}, "the contents box leaves little room on page 1 for articles");
  state(0);

  start_page_.assign(pieces_.size(), 0);
  placed_chars_.assign(pieces_.size(), 0);
  laid_chars_.assign(pieces_.size(), 0);
  std::vector<Jump> jumps;
  place_first_parts(jumps);
  // Continuations in the order of their first parts.
  for (Jump& j : jumps) place_continuation(j);
  // Trial layouts may have looked at pages nothing went on.
  while (tree_.pages.size() > 1 && tree_.pages.back().modules.empty()) {
    tree_.pages.pop_back();
    states_.pop_back();
    page_section_.pop_back();
  }
  for (Jump& j : jumps) {
    const style::ComputedStyle& js = fs(kJumpTo);
    Pt x = j.area.x0, w = j.area.measure;
    // At the foot of the story's last leg: the last column of the first part holding its text
    // (a short first part may leave the columns after it empty).
    int last = last_text_column(j);
    if (last >= 0 && j.area.columns > 1) {
      x = j.area.x0 + (grid_.column_width + grid_.gap) * last;
      w = grid_.column_width;
    }
    place(page(j.page), set(kJumpTo, jump_to_text(j.piece, j.to_page), w), js.line_height, x,
          j.line_top);
  }
  separators();
  draw_contents();
  furniture_per_page();
  for (Page& pg : tree_.pages) pg.white = white_share(pg, grid_);
  if (options_.check_composition) check(placed_chars_, laid_chars_);

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

}  // namespace trang::layout::compose
