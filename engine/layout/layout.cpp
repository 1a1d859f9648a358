// The layout stage's entry point: layout_article and Layouter::run, the head that spans all
// columns, and the regions of publication layout (Options::regions).
#include "layout/layouter.h"
#include "layout/pages.h"

#include <algorithm>

namespace trang::layout::detail {

// The text of an element with white space collapsed, for bookmarks.
std::string plain_text(const Node& n) {
  std::string raw;
  model::visit(n, [&](const Node& x) {
    if (x.kind == Kind::Text) raw += x.text;
    if (x.kind == Kind::LineBreak) raw += ' ';
  });
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') { space = !out.empty(); continue; }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void Layouter::head(const Node& block) {
  SetBlock b = set_block(block, flow_.measure);
  head_cursor_ -= b.margin_top;
  if (block.kind == Kind::Headline && !b.lines.empty())
    tree_.outline.push_back({plain_text(block), 0, 0, head_cursor_});
  Sheet& page = tree_.pages.back();
  size_t first = page.runs.size();
  tag_ = tag_for(block);
  for (size_t k = 0; k < b.lines.size(); ++k) {
    head_cursor_ -= b.clear(k);
    place_line(b.lines[k], b.line_height, flow_.x0, head_cursor_);
    head_cursor_ -= b.line_height;
  }
  tag_ = {};
  for (size_t r = first; r < page.runs.size(); ++r) page.runs[r].role = GlyphRun::Role::Head;
  head_cursor_ -= b.margin_bottom;
}

const Region& Layouter::region_at(size_t page) {
  while (regions_.size() <= page) regions_.push_back(options_.regions(regions_.size()));
  return regions_[page];
}

void Layouter::apply_region(size_t page) {
  if (!options_.regions) return;
  const Region& f = region_at(page);
  flow_.x0 = f.x0;
  flow_.measure = f.measure;
  flow_.columns = std::max(1, f.columns);
  flow_.gap = f.gap;
  flow_.col_width = (flow_.measure - flow_.gap * (flow_.columns - 1)) / flow_.columns;
}

// The foot of the column area on `page`: the region's with Options::regions, else the @page's.
Pt Layouter::page_bottom(size_t page) {
  return options_.regions ? region_at(page).bottom : page_style(styles_, page).margin_bottom;
}

void Layouter::reset_features() {
  defer_page_.clear();
  defer_column_.clear();
  col_top_.clear();
  bottom_raise_ = Pt();
  open_boxes_.clear();
  string_marks_.clear();
  keep_skipped_ = UINT32_MAX;
}

PageTree Layouter::run() {
  const style::PageStyle& ps = styles_.page;
  flow_.x0 = ps.margin_left;
  flow_.measure = ps.width - ps.margin_left - ps.margin_right;
  flow_.columns = std::max(1, ps.column_count);
  flow_.gap = ps.column_gap;
  flow_.col_width = (flow_.measure - flow_.gap * (flow_.columns - 1)) / flow_.columns;
  if (flow_.col_width.v < 36) {
    diags_.error({article_.file}, "columns are narrower than half an inch; check the margins, "
                                  "column-count and column-gap");
    return {};
  }
  first_top_ = ps.height - page_style(styles_, 0).margin_top;
  if (options_.regions) {
    apply_region(0);
    first_top_ = region_at(0).top;
  }
  new_page();

  // The head: leading blocks that span all columns.
  head_cursor_ = flow_.top;
  size_t first_flow = 0;
  const auto& top = article_.root.children;
  while (first_flow < top.size() &&
         (!displayed(top[first_flow]) ||
          (top[first_flow].kind != Kind::Body && top[first_flow].kind != Kind::Figure &&
           style(top[first_flow]).column_span_all))) {
    if (displayed(top[first_flow])) head(top[first_flow]);
    ++first_flow;
  }
  if (head_cursor_ < flow_.top) {
    // A hairline under the head separates it from the columns, as newspapers do.
    Pt y = head_cursor_ - Pt(2);
    tree_.pages.back().rules.push_back({flow_.x0, y, flow_.x0 + flow_.measure, y, Pt(0.5), Color::gray(0)});
    flow_.cursor = y - Pt(8);
  }
  head_outline_ = tree_.outline.size();
  head_runs_ = tree_.pages.front().runs.size();
  head_links_ = tree_.pages.front().links.size();
  head_rules_ = tree_.pages.front().rules.size();
  first_top_ = flow_.cursor;
  tree_.columns_top = first_top_;
  std::vector<const Node*> flow;
  for (size_t i = first_flow; i < top.size(); ++i)
    if (displayed(top[i])) flow.push_back(&top[i]);
  // With columns to balance, the first pour only counts pages (a trial): balancing pours again
  // for real. Otherwise, or when balancing cannot run, one real pour takes the set lines over.
  bool balance = flow_.columns >= 2 && styles_.page.column_fill_balance;  // column-fill
  for (const Node* c : flow) {
    if (c->kind == Kind::Body) {
      list_ahead_candidates(*c);
    } else if (c->kind == Kind::Figure) {
      for (const Node& f : c->children)
        if (displayed(f) && f.kind != Kind::Image) add_ahead_candidate(f);
    } else {
      add_ahead_candidate(*c);
    }
  }
  for (const Node* c : flow)
    model::visit(*c, [&](const Node& n) {
      has_figures_ |= n.kind == Kind::Figure && displayed(n);
    });
  trial_ = balance;
  pour(flow, Pt());
  trial_ = false;
  // Every column block is set now: later pours only read set_cache_.
  if (options_.set_ahead) *options_.set_ahead += ahead_taken_;
  ahead_.clear();
  clones_.clear();
  candidates_.clear();
  candidates_.shrink_to_fit();
  if (!balance || !balance_last_page(flow)) {
    consume_ = true;
    pour(flow, Pt());
    consume_ = false;
  }
  if (!options_.regions) add_page_furniture();  // a publication draws its own

  const model::Metadata& m = article_.meta;
  tree_.info.title = article_.headline();
  for (const std::string& a : m.authors) tree_.info.author += (tree_.info.author.empty() ? "" : ", ") + a;
  tree_.info.subject = m.section;
  for (const std::string& k : m.keywords) tree_.info.keywords += (tree_.info.keywords.empty() ? "" : ", ") + k;
  tree_.info.language = article_.lang;
  tree_.info.date = m.date;
  // The last pour took the lines' glyphs over: what is left of the set blocks is read no more,
  // and freeing it before the pages become frames lowers the peak of a long article.
  set_cache_.clear();
  span_cache_.clear();
  return finish();
}

// Each sheet becomes its page's frame, layer by layer: backgrounds, pictures, rules, text.
PageTree Layouter::finish() {
  PageTree out;
  out.pages.reserve(tree_.pages.size());
  for (Sheet& s : tree_.pages) {
    Page& p = out.pages.emplace_back();
    static_cast<PageSetup&>(p) = std::move(static_cast<PageSetup&>(s));
    p.content.width = p.width;
    p.content.height = p.height;
    std::vector<Item>& items = p.content.items;
    items.reserve(s.fills.size() + s.images.size() + s.rules.size() + s.runs.size() + s.links.size());
    for (FillItem& f : s.fills) items.emplace_back(std::move(f));
    for (ImageItem& i : s.images) items.emplace_back(std::move(i));
    for (RuleItem& r : s.rules) items.emplace_back(std::move(r));
    for (GlyphRun& g : s.runs) items.emplace_back(std::move(g));
    for (LinkItem& l : s.links) items.emplace_back(std::move(l));
    s = Sheet();  // what was moved out of, freed page by page
  }
  out.outline = std::move(tree_.outline);
  out.info = std::move(tree_.info);
  out.columns_top = tree_.columns_top;
  for (size_t f = 0; f < fonts_.size(); ++f) out.fonts.push_back(fonts_.program(static_cast<FontId>(f)));
  return out;
}

}  // namespace trang::layout::detail

namespace trang::layout {

PageTree layout_article(const model::Article& article, const style::StyledDocument& styles,
                        const Resources& resources, text::FontCache& fonts,
                        const Options& options, Diagnostics& diags) {
  detail::Layouter l(article, styles, resources, fonts, options, diags);
  return l.run();
}

}  // namespace trang::layout
