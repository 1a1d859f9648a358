// Total-fit line breaking: Knuth, D. E. & Plass, M. F. (1981), "Breaking Paragraphs into
// Lines", Software—Practice and Experience 11, 1119–1184. Section numbers below refer to
// TeX: The Program (§813–§890), whose names (active nodes, fitness classes, demerits) are kept.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "text/text.h"

namespace trang::text {

std::string Item::debug() const {
  auto num = [](double v) { return format_number(v, 2); };
  switch (type) {
    case Type::Box:
      if (stretch != 0 || shrink != 0)  // font expansion
        return "box " + num(width) + "+" + num(stretch) + "-" + num(shrink);
      return "box " + num(width);
    case Type::Glue: return "glue " + num(width) + "+" + num(stretch) + "-" + num(shrink);
    case Type::Penalty:
      if (penalty >= kInfPenalty) return "penalty +inf";
      if (penalty <= -kInfPenalty) return "penalty -inf";
      return "penalty " + num(penalty) + (flagged ? " flagged" : "") +
             (width != 0 ? " w" + num(width) : "");
  }
  return {};
}

namespace {

struct Sums {
  double width = 0, stretch = 0, shrink = 0;  // glue stretch and shrink
  // Font expansion (Thành 2000 §4; pdfTeX's font_stretch/font_shrink in try_break): how far the
  // glyphs may widen or narrow, kept apart from the glue's because a line that ends at a forced
  // break does not use it.
  double font_stretch = 0, font_shrink = 0;
  size_t spaces = 0;  // word spaces (is_space), to tell a one-word line
};

// An active node (§819): a feasible breakpoint that can still start a line.
struct Node {
  size_t position;   // item index of the break (or 0 for the paragraph start)
  size_t line;       // number of lines ending here
  int fitness;       // 0 tight, 1 decent, 2 loose, 3 very loose (§817)
  Sums totals;       // sums of items up to the break, after discarding glue/penalties (§837)
  double demerits;
  double ratio;
  int prev;          // index into the node pool, -1 for the start
  size_t first_box;  // the first box of the line that starts here (for left protrusion)
  int hyphens_in_row = 0;  // lines ending in a hyphen up to and including this break
  // The best path to here paid for a runt or a stack (break_paragraph then tries looser).
  bool paid = false;
  // The word keys (Item::word) the line ending here starts and ends with, 0 for none, for
  // stacks. Kept for the best path into the node only, as TeX keeps one fitness class.
  uint32_t start_word = 0, end_word = 0;
  bool active = true;
};

// At most this many active nodes (see break_lines).
constexpr size_t kMaxActive = 1024;

// The first box at or after `k`, or items.size().
size_t next_box(const std::vector<Item>& items, size_t k) {
  while (k < items.size() && items[k].type != Item::Type::Box) ++k;
  return k;
}

// A word space: glue with a width. \parfillskip, the glue before a forced break and ragged
// text's stretch are empty; ragged text's space is one empty glue and one with the width.
bool is_space(const Item& it) { return it.type == Item::Type::Glue && it.width > 0; }

// TeX's badness (§108): 100 r^3, capped at 10000 ("infinitely bad"). Uncapped in the
// emergency pass, so that a line twice as loose still costs more (the role TeX gives to
// \emergencystretch): otherwise every too-loose line costs the same and the breaker may
// pick one absurdly loose line over several slightly loose ones.
double badness(double r, bool cap) {
  if (r < -1) return std::numeric_limits<double>::infinity();
  double b = 100 * std::abs(r * r * r);
  // Even uncapped, a line with no stretch at all (r = inf: pieces of a word broken between
  // letters) must stay comparable, so the emergency pass still finds a way through.
  return std::min(b, cap ? 10000.0 : 1e10);
}

int fitness_class(double r) {
  if (r < -0.5) return 0;
  if (r <= 0.5) return 1;
  if (r <= 1) return 2;
  return 3;
}

}  // namespace

std::optional<Breaks> break_lines(const std::vector<Item>& items, const std::vector<double>& widths,
                                  const BreakParams& params) {
  if (items.empty() || widths.empty()) return Breaks{};
  auto measure = [&](size_t line) { return widths[std::min(line, widths.size() - 1)]; };

  std::vector<Node> pool;
  pool.push_back({0, 0, 1, {}, 0, 0, -1, next_box(items, 0)});
  std::vector<int> active = {0};
  std::vector<int> still_active;  // reused from break to break: one allocation, not one each
  Sums sum;  // running sums of items before the current one

  for (size_t b = 0; b < items.size(); ++b) {
    const Item& it = items[b];
    bool legal = false;
    if (it.type == Item::Type::Penalty) legal = it.penalty < kInfPenalty;
    // Glue is a legal break only after a box (§868): breaking between two glues or after a
    // penalty would leave an empty stretch.
    else if (it.type == Item::Type::Glue) legal = b > 0 && items[b - 1].type == Item::Type::Box;

    if (legal) {
      // Try every active node as the start of a line ending at b (§829).
      int best[4] = {-1, -1, -1, -1};
      int best_run[4] = {0, 0, 0, 0};
      uint32_t best_start[4] = {0, 0, 0, 0}, best_end[4] = {0, 0, 0, 0};
      bool best_paid[4] = {false, false, false, false};
      double best_d[4];
      double best_r[4];
      for (double& d : best_d) d = std::numeric_limits<double>::infinity();
      still_active.clear();
      for (int a : active) {
        Node& n = pool[a];
        // A first line that must end at first_end starts nowhere else, and nothing else
        // ends there (::first-line, set_paragraph).
        bool pinned = params.first_end != SIZE_MAX && n.line == 0;
        if (pinned && b != params.first_end) {
          if (b > params.first_end) n.active = false;
          if (n.active) still_active.push_back(a);
          continue;
        }
        double width = sum.width - n.totals.width;
        if (it.type == Item::Type::Penalty) width += it.width;
        // Hanging punctuation takes no room on the line (§ "margin kerning" in pdfTeX).
        width -= it.protrude;
        if (n.first_box < b) width -= items[n.first_box].protrude;
        double target = measure(n.line);
        bool forced = it.type == Item::Type::Penalty && it.penalty <= -kInfPenalty;
        double r;
        if (width < target) {
          double st = sum.stretch - n.totals.stretch;
          double fst = 0;
          if (!forced) {
            fst = sum.font_stretch - n.totals.font_stretch;
            if (it.type == Item::Type::Penalty) fst += it.stretch;  // the hyphen
          }
          if (fst > 0 && target - width > st + fst) {
            // The glyphs stop at their limit; past it only the word spaces stretch, and the
            // badness is theirs (otherwise a very loose line would look better than it is).
            r = st > 0 ? (target - width - fst) / st : std::numeric_limits<double>::infinity();
          } else {
            if (fst > 0) st += fst;
            r = st > 0 ? (target - width) / st : std::numeric_limits<double>::infinity();
          }
        } else if (width > target) {
          double sh = sum.shrink - n.totals.shrink;
          if (!forced) {
            double fsh = sum.font_shrink - n.totals.font_shrink;
            if (it.type == Item::Type::Penalty) fsh += it.shrink;
            if (fsh > 0) sh += fsh;
          }
          r = sh > 0 ? (target - width) / sh : -std::numeric_limits<double>::infinity();
        } else {
          r = 0;
        }
        // A line that overflows even when fully shrunk can never end here or later (§851).
        if (r < -1 || forced || pinned) n.active = false;
        if (pinned) r = std::max(r, -1.0);  // known to fit: it did in an earlier setting
        double bad = badness(r, !params.emergency);
        bool too_many_hyphens = it.flagged && n.hyphens_in_row >= params.max_hyphens_in_row;
        if (pinned || (r >= -1 && bad <= params.tolerance && !too_many_hyphens)) {
          double d = params.line_penalty + bad;
          d = d * d;
          if (it.type == Item::Type::Penalty) {
            if (it.penalty >= 0) d += it.penalty * it.penalty;
            else if (it.penalty > -kInfPenalty) d -= it.penalty * it.penalty;
            if (it.flagged && items[n.position].type == Item::Type::Penalty &&
                items[n.position].flagged)
              d += params.flagged_demerits;
          }
          // Runts and stacks cost what a stylesheet says (0 by default in BreakParams).
          // A paragraph of one line has no runt: nothing stands above it.
          bool last = forced && b == items.size() - 1 && n.line > 0;
          bool runt = last && params.runt_demerits > 0 &&
                      (sum.spaces == n.totals.spaces || width < params.runt_width * target);
          if (runt) d += params.runt_demerits;
          bool paid = runt || n.paid;
          uint32_t start_word = 0, end_word = 0;
          if (params.stack_demerits > 0) {
            // A line after a hyphen starts inside a word; one ending in a hyphen is limited by
            // hyphenate-limit-lines; the last line's end is not at the edge.
            bool after_hyphen = items[n.position].type == Item::Type::Penalty &&
                                items[n.position].flagged;
            if (!after_hyphen && n.first_box < b) start_word = items[n.first_box].word;
            if (!it.flagged && !forced) {
              size_t k = b;
              while (k > n.first_box && items[k - 1].type != Item::Type::Box) --k;
              if (k > n.first_box) end_word = items[k - 1].word;
            }
            for (bool stack : {start_word != 0 && start_word == n.start_word,
                               end_word != 0 && end_word == n.end_word}) {
              if (!stack) continue;
              d += params.stack_demerits;
              paid = true;
            }
          }
          int fc = fitness_class(r);
          if (std::abs(fc - n.fitness) > 1) d += params.fitness_demerits;
          d += n.demerits;
          if (d < best_d[fc]) {
            best_d[fc] = d;
            best[fc] = a;
            best_r[fc] = r;
            best_run[fc] = it.flagged ? n.hyphens_in_row + 1 : 0;
            best_start[fc] = start_word;
            best_end[fc] = end_word;
            best_paid[fc] = paid;
          }
        }
        if (n.active) still_active.push_back(a);
      }
      active.swap(still_active);

      // The totals a line starting after b begins with: skip the glue and penalties that
      // vanish at a break, up to the next box (§837).
      Sums after = sum;
      for (size_t k = b; k < items.size(); ++k) {
        const Item& x = items[k];
        if (x.type == Item::Type::Box) break;
        if (k > b && x.type == Item::Type::Penalty && x.penalty <= -kInfPenalty) break;
        if (x.type == Item::Type::Glue) {
          after.width += x.width;
          after.stretch += x.stretch;
          after.shrink += x.shrink;
          after.spaces += is_space(x);
        }
      }
      for (int fc = 0; fc < 4; ++fc) {
        if (best[fc] < 0) continue;
        pool.push_back({b, pool[best[fc]].line + 1, fc, after, best_d[fc], best_r[fc], best[fc],
                        next_box(items, b + 1), best_run[fc], best_paid[fc], best_start[fc], best_end[fc]});
        active.push_back(static_cast<int>(pool.size()) - 1);
      }
      if (active.empty()) return std::nullopt;  // nothing can reach further: infeasible
      // Bounded work (issue 7, docs/security.md): every legal break tries every active node,
      // and a node stays active until a line from it would overflow, so a measure holding
      // thousands of words (a 14400pt page of 1pt type) made a 1 MB paragraph quadratic:
      // 30 s. Past kMaxActive nodes the oldest half is dropped (they start the longest
      // lines, the ones least likely to be chosen). A column of ordinary width keeps fewer
      // than a hundred active nodes, so ordinary paragraphs break exactly as before.
      if (active.size() > kMaxActive)
        active.erase(active.begin(),
                     active.begin() + static_cast<std::ptrdiff_t>(active.size() - kMaxActive / 2));
    }

    if (it.type == Item::Type::Box) {
      sum.width += it.width;
      sum.font_stretch += it.stretch;
      sum.font_shrink += it.shrink;
    }
    if (it.type == Item::Type::Glue) {
      sum.width += it.width;
      sum.stretch += it.stretch;
      sum.shrink += it.shrink;
      sum.spaces += is_space(it);
    }
  }

  // The paragraph must end at its last item (a forced break); pick the best node there.
  int best = -1;
  for (int a : active)
    if (pool[a].position == items.size() - 1 &&
        (best < 0 || pool[a].demerits < pool[best].demerits))
      best = a;
  if (best < 0) return std::nullopt;
  Breaks out;
  out.demerits = pool[best].demerits;
  out.paid = pool[best].paid;
  for (int n = best; pool[n].prev >= 0; n = pool[n].prev) {
    out.ends.push_back(pool[n].position);
    out.ratios.push_back(pool[n].ratio);
  }
  std::reverse(out.ends.begin(), out.ends.end());
  std::reverse(out.ratios.begin(), out.ratios.end());
  return out;
}

Breaks break_lines_greedy(const std::vector<Item>& items, const std::vector<double>& widths,
                          size_t first_end) {
  Breaks out;
  if (items.empty() || widths.empty()) return out;
  auto measure = [&](size_t line) { return widths[std::min(line, widths.size() - 1)]; };
  size_t start = next_box(items, 0);
  while (start < items.size()) {
    double target = measure(out.ends.size());
    double width = -items[start].protrude, stretch = 0, shrink = 0;
    size_t last_fit = SIZE_MAX;
    double fit_w = 0, fit_st = 0, fit_sh = 0;
    for (size_t k = start; k < items.size(); ++k) {
      const Item& it = items[k];
      bool legal = (it.type == Item::Type::Penalty && it.penalty < kInfPenalty) ||
                   (it.type == Item::Type::Glue && items[k - 1].type == Item::Type::Box);
      bool pinned = first_end != SIZE_MAX && out.ends.empty();
      if (legal && pinned && k != first_end) legal = false;
      if (legal) {
        double w = width - it.protrude + (it.type == Item::Type::Penalty ? it.width : 0);
        if (w > target && last_fit != SIZE_MAX) break;  // the next piece does not fit
        last_fit = k;
        fit_w = w;
        fit_st = stretch;
        fit_sh = shrink;
        if ((it.type == Item::Type::Penalty && it.penalty <= -kInfPenalty) || pinned) break;
      }
      if (it.type == Item::Type::Box) width += it.width;
      if (it.type == Item::Type::Glue) {
        width += it.width;
        stretch += it.stretch;
        shrink += it.shrink;
      }
    }
    if (last_fit == SIZE_MAX) last_fit = items.size() - 1;
    double r = 0;
    if (fit_w < target && fit_st > 0) r = (target - fit_w) / fit_st;
    if (fit_w > target && fit_sh > 0) r = std::max(-1.0, (target - fit_w) / fit_sh);
    out.ends.push_back(last_fit);
    out.ratios.push_back(r);
    start = next_box(items, last_fit + 1);
  }
  return out;
}

Breaks break_paragraph(const std::vector<Item>& items, const std::vector<double>& widths,
                       BreakParams params, bool greedy) {
  if (greedy) return break_lines_greedy(items, widths, params.first_end);
  params.emergency = false;
  params.tolerance = 200;
  if (auto breaks = break_lines(items, widths, params)) {
    // A runt or a stack may be avoidable only with a line looser than the first pass allows:
    // the second pass is tried too, and wins when its demerits, those costs included, are lower.
    if (!breaks->paid) return *breaks;
    params.tolerance = 1000;
    auto looser = break_lines(items, widths, params);
    return looser && looser->demerits < breaks->demerits ? *looser : *breaks;
  }
  params.tolerance = 1000;
  if (auto breaks = break_lines(items, widths, params)) return *breaks;
  params.tolerance = std::numeric_limits<double>::infinity();
  params.emergency = true;
  if (auto breaks = break_lines(items, widths, params)) return *breaks;
  // Never lose the text: first fit always finds breaks (issue 7).
  return break_lines_greedy(items, widths, params.first_end);
}

Breaks break_lines_balanced(const std::vector<Item>& items, const std::vector<double>& widths,
                            const BreakParams& params, bool greedy) {
  Breaks full = break_paragraph(items, widths, params, greedy);
  if (full.ends.size() < 2 || widths.empty()) return full;
  double widest_box = 0;
  for (const Item& it : items)
    if (it.type == Item::Type::Box) widest_box = std::max(widest_box, it.width);
  double widest = *std::max_element(widths.begin(), widths.end());
  // Narrowing every line by `cut` keeps the line count: [0, lo] is known to, hi is known not
  // to (or would leave a box wider than a line).
  double lo = 0, hi = widest - widest_box;
  if (hi <= 0) return full;
  Breaks best = full;
  auto narrowed = [&](double cut) {
    std::vector<double> w(widths);
    for (double& x : w) x = std::max(1.0, x - cut);
    return w;
  };
  // Twelve halvings bring the cut within 1/4096 of the measure (0.1pt in a 400pt headline).
  for (int step = 0; step < 12; ++step) {
    double mid = (lo + hi) / 2;
    std::vector<double> w = narrowed(mid);
    bool fits = std::all_of(w.begin(), w.end(), [&](double x) { return x >= widest_box; });
    Breaks trial = fits ? break_paragraph(items, w, params, greedy) : Breaks{};
    if (fits && trial.ends.size() == full.ends.size()) {
      lo = mid;
      best = std::move(trial);
    } else {
      hi = mid;
    }
  }
  // The ratios are the ones of the narrowed measure; ragged lines are set at their natural
  // width, which is what the caller aligns.
  return best;
}

}  // namespace trang::text
