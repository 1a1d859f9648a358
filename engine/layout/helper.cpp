// Paragraphs set ahead on a second thread: ParagraphHelper, and the Layouter's choice of the
// blocks it may set (candidates) and when it starts.
#include "layout/layouter.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace trang::layout::detail {

ParagraphHelper::ParagraphHelper(bool patient)
    : patient_(patient), thread_([this] { work(); }) {}

ParagraphHelper::~ParagraphHelper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  work_.notify_all();
  thread_.join();
}

void ParagraphHelper::add(std::vector<Job> jobs, std::unique_ptr<text::FontCache> fonts) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (Job& j : jobs) {
      uint32_t block = j.block;
      if (slots_.emplace(block, Slot{std::move(j)}).second) ++open_;
    }
    next_fonts_ = std::move(fonts);
  }
  work_.notify_all();
}

ParagraphHelper::Claim ParagraphHelper::claim(uint32_t block, Pt measure, text::ParagraphInput& in,
                                              std::vector<text::Line>& lines, Diagnostics& diags) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto it = slots_.find(block);
  if (it == slots_.end()) return Claim::NotListed;
  Slot& s = it->second;
  if (s.job.measure != measure || s.state == State::Claimed) return Claim::NotListed;
  done_.wait(lock, [&] {
    return s.state != State::Helper && !(patient_ && s.state == State::Open);
  });
  State was = s.state;
  if (was == State::Open) --open_;
  s.state = State::Claimed;
  if (was == State::Done) {
    lines = std::move(s.lines);
    for (const Diagnostic& d : s.diags.all()) diags.add(d);
    return Claim::Taken;
  }
  in = std::move(s.job.in);
  return Claim::SetHere;
}

void ParagraphHelper::work() {
  std::unique_ptr<text::FontCache> fonts, old;
  for (;;) {
    Slot* s = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait(lock, [&] { return stop_ || open_ > 0; });
      if (stop_) return;
      if (next_fonts_) {
        old = std::move(fonts);
        fonts = std::move(next_fonts_);
      }
      // The last open block: the pour comes from the front.
      for (auto it = slots_.rbegin(); it != slots_.rend(); ++it)
        if (it->second.state == State::Open) {
          s = &it->second;
          break;
        }
      s->state = State::Helper;
      --open_;
    }
    old.reset();
    std::vector<text::Line> lines;
    Diagnostics diags;
    bool ok = false;
    try {
      fonts->clear_frozen_miss();
      lines = text::set_paragraph(s->job.in, s->job.measure, *fonts, diags);
      ok = !fonts->frozen_miss();
    } catch (...) {  // out of memory: the pour sets it itself
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (ok) {
        s->lines = std::move(lines);
        s->diags = std::move(diags);
        s->state = State::Done;
      } else {
        s->state = State::Abandoned;
      }
    }
    done_.notify_all();
  }
}

// Lists the blocks of `n` that the pour sets at the column width, as flow_container walks them:
// not those inside boxes (inset), nor images.
void Layouter::list_helper_candidates(const Node& n) {
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    switch (c.kind) {
      case Kind::Figure:
        for (const Node& f : c.children)
          if (displayed(f) && f.kind != Kind::Image) add_helper_candidate(f);
        break;
      case Kind::Box: case Kind::Table: case Kind::Text: break;
      case Kind::Body: case Kind::List: list_helper_candidates(c); break;
      default: add_helper_candidate(c);
    }
  }
}

void Layouter::add_helper_candidate(const Node& block) {
  auto letter = styles_.first_letter.find(block.index);
  if (letter != styles_.first_letter.end() && letter->second.initial_letter >= 1) return;
  if (styles_.first_line.count(block.index)) return;
  Candidate c{&block, {chain_key(style(block))}};
  chain_keys(block, c.keys);
  std::sort(c.keys.begin(), c.keys.end());
  c.keys.erase(std::unique(c.keys.begin(), c.keys.end()), c.keys.end());
  candidates_.push_back(std::move(c));
}

// The font chains paragraph_input asks text_style for, as collect_spans walks the block.
void Layouter::chain_keys(const Node& n, std::vector<std::string>& keys) const {
  for (const Node& c : n.children) {
    if (!displayed(c)) continue;
    if (c.kind == Kind::Text || c.kind == Kind::LineBreak) keys.push_back(chain_key(style(c)));
    else chain_keys(c, keys);
  }
}

// Hands the helper the candidates not set yet whose inputs can be built now without a font being
// resolved: every chain they need is in chains_ already. Building them early then changes
// nothing in the font cache, so faces keep the ids a sequential run gives them; the others are
// left to the pour, in its order, or handed over later, when chains_ has grown.
void Layouter::maybe_start_helper(const Node& current) {
  constexpr size_t kMinJobs = 24;  // fewer are not worth a thread and a clone of the font cache
  if (chains_.size() == chains_checked_) return;
  chains_checked_ = chains_.size();
  std::vector<const Node*> ready;
  for (const Candidate& c : candidates_) {
    const Node& b = *c.block;
    if (&b == &current || set_cache_.count(b.index) || handed_out_.count(b.index)) continue;
    if (std::all_of(c.keys.begin(), c.keys.end(),
                    [&](const std::string& k) { return chains_.count(k) > 0; }))
      ready.push_back(&b);
  }
  if (ready.size() < kMinJobs || !render_threads()) return;
  // Test hooks (tests/e2e/test_typeset.py): TRANG_LAYOUT_HELPER=0 sets every paragraph on this
  // thread, =all lets the helper set every paragraph it is given; the two must give the same
  // bytes.
  const char* mode = std::getenv("TRANG_LAYOUT_HELPER");
  if (mode && std::string_view(mode) == "0") return;
  bool patient = mode && std::string_view(mode) == "all";
  std::vector<ParagraphHelper::Job> jobs;
  jobs.reserve(ready.size());
  for (const Node* b : ready) {
    const style::ComputedStyle& cs = style(*b);
    handed_out_.insert(b->index);
    jobs.push_back({b->index, flow_.col_width - cs.margin_left - cs.margin_right, paragraph_input(*b)});
  }
  if (!helper_) helper_ = std::make_unique<ParagraphHelper>(patient);
  helper_->add(std::move(jobs), fonts_.frozen_clone());
}

}  // namespace trang::layout::detail
