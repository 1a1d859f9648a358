// Phase 2 of the composer (compose.h): the rests of cut articles as continuation modules,
// each under its continuation head, into the first free run of a later page where it fits
// whole, else after everything, running on as needed.
#include <algorithm>
#include <cmath>

#include "layout/compose.h"

namespace trang::layout::compose {

void Composer::place_continuation(Jump& j) {
  size_t i = j.piece;
  Pt lh = line_height(i);
  size_t last = 0;  // the last page anything is on (trial layouts may have looked further)
  for (size_t q = 0; q < tree_.pages.size(); ++q)
    if (used(q)) last = q;
  // Whole, in the first free run of a later page where it fits.
  for (size_t q = j.page + 1; q <= last; ++q) {
    for (const Slot& s : segments(q, lh * min_lines(i))) {
      Pt head = continuation_head_height(i, j.page, grid_.width(s.w));
      if (s.top - head - state(q).bottom < lh * min_lines(i)) continue;
      Run r = lay(i, [&, s, head, q](size_t k) -> std::pair<Region, size_t> {
        if (k == 0) return {j.area, j.page};
        if (k == 1) return {region_at(s, s.top - head, state(q).bottom), q};
        // Only asked when the rest does not fit here: a whole page after everything.
        return {region_at(Slot{q, 0, grid_.columns, column_top(), Pt()}, column_top(), ps_.margin_bottom),
                tree_.pages.size() + k};
      });
      bool whole = !r.diags.has_errors();
      for (size_t k = 2; k < r.tree.pages.size(); ++k) whole &= !r.has_content(k);
      if (!whole || !r.has_content(1)) continue;
      settle_rest(j, s, r, 2);
      return;
    }
  }
  // After everything else, running on over as many pages as it needs.
  // Where it runs on, the free run it starts in must take min_lines(i) lines of its text (not
  // only a picture and a line under it); else it starts on the next page.
  auto run_on = [&](const Slot& sl) {
    Pt head = continuation_head_height(i, j.page, grid_.width(sl.w));
    size_t next = sl.page;
    return lay(i, [&, sl, head, next](size_t k) mutable -> std::pair<Region, size_t> {
      if (k == 0) return {j.area, j.page};
      if (k == 1) return {region_at(sl, sl.top - head, state(sl.page).bottom), sl.page};
      auto f = flow_region(next + 1, sl.col, sl.w, lh * min_lines(i));
      next = f.second;
      return f;
    });
  };
  for (size_t q = last;; ++q) {
    Pt head = continuation_head_height(i, j.page, grid_.width(grid_.columns));
    std::optional<Slot> s = slot_on(q, 0, head + lh * min_lines(i));
    if (!s || q <= j.page) continue;
    Run r = run_on(*s);
    if (used(q) && r.overflows() && text_rows(r, 1) < min_lines(i)) continue;
    settle_rest(j, *s, r, r.tree.pages.size());
    return;
  }
}

// Places the rest of a cut article as run `r` laid it out (layout pages 1 to `to`), under
// its continuation head in slot `s`.
void Composer::settle_rest(Jump& j, const Slot& s, Run& r, size_t to) {
  for (const Diagnostic& d : r.diags.all()) diags_.add(d);
  laid_chars_[j.piece] = r.chars();
  size_t head = page(s.page).content.items.size();
  draw_continuation_head(j.piece, j.page, s.page, grid_.x(s.col), grid_.width(s.w), s.top);
  j.to_page = s.page;
  commit(j.piece, r, 1, to, true, &s, Pt(-1), head);
}

// The column (0-based, within the first part's area) of the last leg of a cut article's
// first part: the rightmost holding its text; -1 when none does.
int Composer::last_text_column(const Jump& j) {
  const Page& pg = page(j.page);
  int last = -1;
  for (const ModuleBox& m : pg.modules) {
    if (m.article != j.piece || m.continuation || m.item >= pg.content.items.size()) continue;
    const auto* g = std::get_if<Group>(&pg.content.items[m.item]);
    if (!g || !g->frame) continue;
    for (const GlyphRun& r : items_of<GlyphRun>(*g->frame)) {
      if (r.role != GlyphRun::Role::Text) continue;
      int c = static_cast<int>(std::floor((r.x + g->x - j.area.x0 + Pt(1)) / (grid_.column_width + grid_.gap)));
      last = std::max(last, std::min(c, j.area.columns - 1));
    }
  }
  return last;
}

}  // namespace trang::layout::compose
