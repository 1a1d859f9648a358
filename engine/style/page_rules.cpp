// @page (CSS Paged Media 3): page selectors, the page box, margin boxes, print furniture,
// and the body's column grid (CSS Multi-column 1).
#include <algorithm>

#include "style/cascade.h"

namespace trang::style::cascade {

namespace {


bool page_selector_matches(const std::string& sel, PageKind kind, Specificity& spec) {
  // [ name ]? [ :first | :left | :right | :blank ]*; named pages are not supported.
  if (!sel.empty() && sel[0] != ':') return false;
  int g = 0, h = 0;
  size_t p = 0;
  while (p < sel.size()) {
    size_t q = sel.find(':', p + 1);
    std::string pseudo = sel.substr(p + 1, q == std::string::npos ? std::string::npos : q - p - 1);
    if (pseudo == "first") {
      if (kind != PageKind::First) return false;
      ++g;
    } else if (pseudo == "left") {
      if (kind != PageKind::Left) return false;
      ++h;
    } else if (pseudo == "right") {
      if (kind != PageKind::Right && kind != PageKind::First) return false;
      ++h;
    } else {
      return false;  // :blank pages are never made
    }
    p = q == std::string::npos ? sel.size() : q;
  }
  if (kind == PageKind::All && (g || h)) return false;
  // §4.4: specificity (page name, :first/:blank, :left/:right).
  spec = Specificity::of(0, g, h);
  return true;
}

}  // namespace

// @page (CSS Paged Media 3 §7) and the column grid of the body.
// `base`: the plain @page's style, for :first, :left and :right pages, which may change the
// top and bottom margins but keep its size and side margins (one measure for the columns).
PageStyle page_style(const std::vector<const Stylesheet*>& sheets, const Computed& body,
                     PageKind kind, const PageStyle* base, const PageCascade& cascade,
                     Diagnostics& sink) {
  PageStyle page;
  Winners w{};
  std::array<Winners, 6> boxes{};
  std::array<bool, 6> has_box{};
  uint32_t order = 0;
  for (const Stylesheet* sheet : sheets) {
    if (!sheet) continue;
    for (const PageRule& r : sheet->impl().pages) {
      // The most specific of the rule's selectors that matches this kind of page.
      bool match = false;
      Specificity spec;
      for (const std::string& sel : r.selectors) {
        Specificity sp;
        if (page_selector_matches(sel, kind, sp) && (!match || spec < sp)) {
          spec = sp;
          match = true;
        }
      }
      for (const PropertyDeclaration& d : r.declarations) {
        if (match) consider(w, d, cascade_key(d.important, spec, order));
        ++order;
      }
      for (const MarginBoxRule& b : r.boxes) {
        size_t at = static_cast<size_t>(b.pos);
        for (const PropertyDeclaration& d : b.declarations) {
          if (match) {
            consider(boxes[at], d, cascade_key(d.important, spec, order));
            has_box[at] = true;
          }
          ++order;
        }
      }
    }
  }
  // The page context inherits custom properties from the root element (§3.1).
  Computed context = cascade.context(w);
  // Margin boxes inherit from the page context, which inherits from the root element
  // (CSS Paged Media 3 §5.3.1, §3.1); their text-align starts from where they sit (§5.3.2).
  for (size_t at = 0; at < boxes.size(); ++at) {
    if (!has_box[at]) continue;
    Computed c;
    cascade.margin_box(boxes[at], context, c);
    if (c.style.content_none || c.style.content.empty()) continue;
    if (!boxes[at][static_cast<size_t>(PropertyId::TextAlign)].decl)
      c.style.text_align = at % 3 == 0   ? TextAlign::Left
                           : at % 3 == 1 ? TextAlign::Center
                                         : TextAlign::Right;
    page.margin_boxes.push_back({static_cast<MarginBoxPos>(at), c.style.content, c.style});
  }
  // The page context has no font of its own: em and rem are the initial 12pt; vw and vh are
  // of the page box.
  auto page_length = [&](const Length& l, Pt percent_base) {
    return resolve_length(l, {kMediumFontSize, kMediumFontSize, percent_base,
                              kMediumFontSize * 0.5, kMediumFontSize * 0.5, page.width / 100,
                              page.height / 100});
  };
  // Print furniture (§7.2): marks, and bleed (auto: 6pt with crop marks, else none).
  bool bleed_auto = true;
  if (const PropertyDeclaration* d = w[static_cast<size_t>(PropertyId::Marks)].decl;
      d && d->value.kind == Value::Kind::Keyword) {
    page.crop_marks = d->value.keyword & kw::kMarkCrop;
    page.cross_marks = d->value.keyword & kw::kMarkCross;
  }
  if (const PropertyDeclaration* d = w[static_cast<size_t>(PropertyId::Bleed)].decl;
      d && d->value.kind == Value::Kind::Length) {
    page.bleed = page_length(d->value.length, Pt(0));
    bleed_auto = false;
  }
  if (bleed_auto) page.bleed = page.crop_marks ? Pt(6) : Pt(0);
  if (const PropertyDeclaration* d = w[static_cast<size_t>(PropertyId::TrangBaselineGrid)].decl;
      d && d->value.kind == Value::Kind::Length) {
    page.baseline_grid = page_length(d->value.length, Pt(0));
  }
  page.column_fill_balance = body.column_fill_balance;
  if (const PropertyDeclaration* d = w[static_cast<size_t>(PropertyId::Size)].decl) {
    const Value& v = d->value;
    if (v.kind == Value::Kind::PageSize) {
      if (v.page_width.v > 0) {
        page.width = v.page_width;
        page.height = v.page_height;
      }
      // §7.1: landscape puts the long side horizontal, portrait vertical.
      bool wide = page.width > page.height;
      if ((v.orientation == Orientation::Landscape && !wide) ||
          (v.orientation == Orientation::Portrait && wide))
        std::swap(page.width, page.height);
    }
  }
  // §7.2 (via CSS 2.1 §8.3): percentages of page margins refer to the page box: the width
  // for left and right, the height for top and bottom.
  struct M {
    PropertyId id;
    Pt PageStyle::*field;
    bool vertical;
  };
  const M margins[] = {{PropertyId::MarginTop, &PageStyle::margin_top, true},
                       {PropertyId::MarginRight, &PageStyle::margin_right, false},
                       {PropertyId::MarginBottom, &PageStyle::margin_bottom, true},
                       {PropertyId::MarginLeft, &PageStyle::margin_left, false}};
  const PropertyDeclaration* last_margin = nullptr;
  for (const M& m : margins) {
    const PropertyDeclaration* d = w[static_cast<size_t>(m.id)].decl;
    if (!d || d->value.kind != Value::Kind::Length) continue;  // CSS-wide keywords: default
    page.*m.field = page_length(d->value.length, m.vertical ? page.height : page.width);
    last_margin = d;
  }
  constexpr double kMinContent = 36;  // half an inch
  Pt content_w = page.width - page.margin_left - page.margin_right;
  Pt content_h = page.height - page.margin_top - page.margin_bottom;
  if (content_w.v < kMinContent || content_h.v < kMinContent) {
    // Blame the last margin declared, or the size when the default margins do not fit.
    if (!last_margin) last_margin = w[static_cast<size_t>(PropertyId::Size)].decl;
    if (last_margin)
      sink.warning(last_margin->value_pos,
                     "@page margins leave a content area of only " +
                         format_number(content_w.v, 1) + "pt x " +
                         format_number(content_h.v, 1) + "pt (margins ignored)");
    page.margin_top = page.margin_right = page.margin_bottom = page.margin_left = Pt(0);
    content_w = page.width;
  }

  if (base) {
    auto keep = [&](PropertyId id, bool differs) {
      const PropertyDeclaration* d = w[static_cast<size_t>(id)].decl;
      if (differs && d)
        sink.warning(d->name_pos, "'" + std::string(property_name(id)) +
                                        "' on a :first, :left or :right page is not applied: every page "
                                        "keeps the plain @page's size and side margins (ignored)");
    };
    keep(PropertyId::Size, page.width != base->width || page.height != base->height);
    keep(PropertyId::MarginLeft, page.margin_left != base->margin_left);
    keep(PropertyId::MarginRight, page.margin_right != base->margin_right);
    page.width = base->width;
    page.height = base->height;
    page.margin_left = base->margin_left;
    page.margin_right = base->margin_right;
  }
  page.column_count = body.column_count > 0 ? body.column_count : 1;
  page.column_gap = body.column_gap;
  page.column_rule_style = body.rule_style;
  page.column_rule_width = body.rule_style == RuleStyle::None ? Pt(0) : body.rule_width;
  page.column_rule_color = body.rule_color;
  // Columns narrower than half an inch cannot hold a word: drop columns until they fit.
  constexpr double kMinColumn = 36;
  int n = page.column_count;
  auto column_width = [&](int k) {
    return (content_w - page.column_gap * (k - 1)) / static_cast<double>(k);
  };
  while (n > 1 && column_width(n).v < kMinColumn) --n;
  if (n != page.column_count) {
    const PropertyDeclaration* at = body.column_count_decl ? body.column_count_decl
                                                           : body.column_gap_decl;
    sink.warning(at ? at->value_pos : SourcePos{},
                   std::to_string(page.column_count) + " columns with a gap of " +
                       format_number(page.column_gap.v, 2) + "pt do not fit in " +
                       format_number(content_w.v, 2) + "pt (using " + std::to_string(n) +
                       (n == 1 ? " column)" : " columns)"));
    page.column_count = n;
  }
  return page;
}

}  // namespace trang::style::cascade
