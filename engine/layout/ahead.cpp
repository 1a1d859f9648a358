// Paragraphs set ahead of the pour as a parallel map: the column blocks the pour will reach
// next are set in batches, each thread over its own frozen clone of the font cache, and the
// pour takes their lines when it gets there.
#include "layout/layouter.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace trang::layout::detail {
namespace {

// Sets every job, one thread per clone (this one among them), each over its own frozen clone
// of the font cache. The jobs are taken from a shared counter: no lock, no waiting but the
// join. A job its clone could not set (a face or a dictionary not loaded yet) keeps `done`
// false.
void set_all(std::vector<AheadJob>& jobs, const std::vector<std::unique_ptr<text::FontCache>>& clones) {
  std::atomic<size_t> next{0};
  auto work = [&jobs, &next](text::FontCache* clone) {
    constexpr size_t kChunk = 8;  // jobs taken at a time: the counter is touched rarely
    for (;;) {
      size_t from = next.fetch_add(kChunk, std::memory_order_relaxed);
      if (from >= jobs.size()) return;
      for (size_t i = from; i < std::min(from + kChunk, jobs.size()); ++i) {
        AheadJob& j = jobs[i];
        try {
          clone->clear_frozen_miss();
          j.lines = text::set_paragraph(j.in, j.measure, *clone, j.diags);
          j.done = !clone->frozen_miss();
        } catch (...) {  // out of memory: the pour sets it itself
          j.done = false;
        }
        if (!j.done) {
          j.lines.clear();
          j.diags = {};
        }
        j.in = {};  // only the lines are kept
      }
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < clones.size(); ++t) helpers.emplace_back(work, clones[t].get());
  work(clones[0].get());
  for (std::thread& h : helpers) h.join();
}

}  // namespace

// Lists the blocks of `n` that the pour sets at the column width, as flow_container walks them:
// not those inside boxes (inset), nor images.
void Layouter::list_ahead_candidates(const Node& n) {
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    switch (c.kind) {
      case Kind::Figure:
        for (const Node& f : c.children)
          if (displayed(f) && f.kind != Kind::Image) add_ahead_candidate(f);
        break;
      case Kind::Box: case Kind::Table: case Kind::Text: break;
      case Kind::Body: case Kind::List: list_ahead_candidates(c); break;
      default: add_ahead_candidate(c);
    }
  }
}

void Layouter::add_ahead_candidate(const Node& block) {
  auto letter = styles_.first_letter.find(block.index);
  if (letter != styles_.first_letter.end() && letter->second.initial_letter >= 1) return;
  if (styles_.first_line.count(block.index)) return;
  candidates_.push_back(&block);
}

// Whether every font chain paragraph_input asks text_style for, as collect_spans walks the
// block, is in chains_ already.
bool Layouter::chains_ready(const Node& n) const {
  for (const auto* m : {&styles_.before, &styles_.after, &styles_.marker})
    if (auto g = m->find(n.index); g != m->end() &&
                                   !chains_.count(chain_key(styles_.generated_styles[g->second.style])))
      return false;
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    if (c.kind == Kind::Text || c.kind == Kind::LineBreak) {
      if (!chains_.count(chain_key(style(c)))) return false;
    } else if (!chains_ready(c)) {
      return false;
    }
  }
  return true;
}

// Called as the pour reaches `block`, a candidate: when the pour has gone past the last batch,
// the next one, from `block` on, is set in parallel. Only blocks whose inputs can be built
// without a font being resolved go in: building them early then changes nothing in the font
// cache, so faces keep the ids a sequential run gives them. The others, and those a clone
// could not set, are set by the pour itself, in its order.
void Layouter::set_ahead(const Node& block) {
  // A batch is worth two threads and their clones of the font cache from a few dozen
  // paragraphs; a few hundred keep the work ahead of the pour (and what --max-pages would
  // throw away) small.
  constexpr size_t kMinJobs = 24, kWindow = 512;
  if (options_.threads < 2) return;
  auto at = std::lower_bound(candidates_.begin(), candidates_.end(), block.index,
                             [](const Node* c, uint32_t index) { return c->index < index; });
  if (at == candidates_.end() || (*at)->index != block.index) return;
  size_t from = static_cast<size_t>(at - candidates_.begin());
  if (from < ahead_from_) return;
  if (!chains_.count(chain_key(style(block))) || !chains_ready(block)) {
    ahead_from_ = from + 1;  // the pour resolves this block's fonts; the next one may start
    return;
  }
  size_t to = std::min(candidates_.size(), from + kWindow);
  ahead_from_ = to;
  std::vector<AheadJob> jobs;
  for (size_t i = from; i < to; ++i) {
    const Node& b = *candidates_[i];
    if (set_cache_.count(b.index) || !chains_.count(chain_key(style(b))) || !chains_ready(b))
      continue;
    const style::ComputedStyle& cs = style(b);
    jobs.push_back({b.index, flow_.col_width - cs.margin_left - cs.margin_right, paragraph_input(b)});
  }
  if (jobs.size() < kMinJobs) return;
  // The clones serve batch after batch (making one costs HarfBuzz fonts and, at first use, ICU
  // line breakers: a tenth of the CPU of 80 000 paragraphs when made per batch). One that
  // lacked something only costs the pour a paragraph; after such a batch they are made anew
  // from the cache as it has grown.
  if (clones_.empty() || refresh_clones_) {
    clones_.clear();
    for (unsigned t = 0; t < options_.threads; ++t) clones_.push_back(fonts_.frozen_clone());
  }
  set_all(jobs, clones_);
  refresh_clones_ = false;
  for (AheadJob& j : jobs) {
    refresh_clones_ |= !j.done;
    if (j.done) ahead_.emplace(j.block, std::move(j));
  }
}

}  // namespace trang::layout::detail
