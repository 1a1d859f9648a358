// The cascade (CSS Cascade 4 §6) over an article tree: which declarations win for each
// element, and the walk that computes every element from its parent. Computed values are in
// computed_values.cpp, @page in page_rules.cpp.
#include <algorithm>
#include <array>
#include <optional>

#include "style/cascade.h"

namespace trang::style {

namespace cascade {

namespace {

// The style as the later stages paint it: `opacity` the element's painted opacity, which
// each of its colours' alphas carries. Children inherit from the unpainted style, or an
// ancestor's opacity would count twice in an inherited colour.
ComputedStyle painted(const ComputedStyle& s, double opacity) {
  ComputedStyle out = s;
  out.opacity = opacity;
  if (opacity == 1) return out;
  for (Color* c : {&out.color, &out.background_color, &out.border_top.color,
                   &out.border_right.color, &out.border_bottom.color, &out.border_left.color})
    c->alpha = static_cast<float>(c->alpha * opacity);
  return out;
}

}  // namespace

StyledDocument Resolver::run(const model::Article& article) {
  StyledDocument doc;
  doc_ = &doc;
  uint32_t count = article.node_count;
  model::visit(article.root, [&](const model::Node& n) { count = std::max(count, n.index + 1); });
  doc.styles.resize(count);
  body_ = nullptr;
  ElementRef root{&article.root, nullptr, 0};
  // A publication's furniture (layout/publication.cpp) draws its own rules and padding.
  check_drawn_ = article.root.name != "publication";
  // vw and vh are of the page area (CSS Values 4 §6.1.2): the plain @page's, found first and
  // quietly (it is found again, with its warnings, once the body's columns are known).
  {
    Diagnostics quiet;
    diags_swap_ = &quiet;
    PageStyle area = page_style(root_computed_, PageKind::All);
    diags_swap_ = nullptr;
    viewport_w_ = (area.width - area.margin_left - area.margin_right) / 100;
    viewport_h_ = (area.height - area.margin_top - area.margin_bottom) / 100;
    // What it warned about (quietly) is to be said in the pass that counts.
    substituted_.clear();
    invalid_vars_.clear();
    cycles_.clear();
    warned_.clear();
  }
  walk(article.root, root, nullptr, doc);
  const Computed& body = body_ ? *body_ : root_computed_;
  doc.page = page_style(body, PageKind::All);
  // The variants repeat warnings of the rules they share with plain @page: say them once.
  Diagnostics quiet;
  diags_swap_ = &quiet;
  doc.first_page = page_style(body, PageKind::First, &doc.page);
  doc.left_page = page_style(body, PageKind::Left, &doc.page);
  doc.right_page = page_style(body, PageKind::Right, &doc.page);
  diags_swap_ = nullptr;
  for (const Diagnostic& d : quiet.all()) report_once(d);
  resolve_generated(article, doc);
  return doc;
}

void Resolver::walk(const model::Node& n, const ElementRef& self, const Computed* parent,
                    StyledDocument& doc) {
  if (n.kind == model::Kind::Text) {
    // Text takes its parent's style (CSS 2.1 §9.2.2.1: anonymous inline boxes inherit).
    doc.styles.set(n.index, parent ? painted(parent->style, parent->painted_opacity)
                                   : initial_values(model::Kind::Text).style);
    return;
  }
  Winners w{}, letter{}, line{};
  bool has_letter = false, has_line = false;
  // ::before, ::after, ::marker: made only when a rule matches (most elements have none).
  std::array<std::optional<Winners>, 3> generated;
  // Only the rules the index picks for this element (its id, classes, attributes, name).
  candidates_.clear();
  for (size_t k = 0; k < sheets_.size(); ++k)
    if (sheets_[k])
      sheets_[k]->impl().index.candidates(n, order_base_[k], candidates_, scratch_);
  for (const RuleCandidate& e : candidates_) {
    if (!matches(*e.selector, self)) continue;
    uint32_t order = e.order;
    Winners* target = &w;
    if (e.selector->pseudo_element == PseudoElement::FirstLetter) {
      target = &letter;
      has_letter = true;
    } else if (e.selector->pseudo_element == PseudoElement::FirstLine) {
      target = &line;
      has_line = true;
    } else if (e.selector->pseudo_element != PseudoElement::None) {
      size_t k = static_cast<size_t>(e.selector->pseudo_element) -
                 static_cast<size_t>(PseudoElement::Before);
      if (!generated[k]) generated[k].emplace();
      target = &*generated[k];
    }
    for (const PropertyDeclaration& d : e.rule->declarations)
      consider(*target, d, cascade_key(d.important, e.selector->specificity, order++));
  }
  Computed c;
  compute(n.kind, w, parent, c);
  c.painted_opacity = (parent ? parent->painted_opacity : 1) * c.style.opacity;
  if (check_drawn_) not_applied_.check_drawn(n, w, c.style, sink());
  // CSS Pseudo-Elements 4 §2: ::first-letter and ::first-line inherit from their element.
  if (has_letter) {
    Computed pc;
    compute(model::Kind::Emphasis, letter, &c, pc);
    doc.first_letter[n.index] = painted(pc.style, c.painted_opacity * pc.style.opacity);
  }
  if (has_line) {
    Computed pc;
    compute(model::Kind::Emphasis, line, &c, pc);
    doc.first_line[n.index] = painted(pc.style, c.painted_opacity * pc.style.opacity);
  }
  // ::before, ::after and ::marker inherit from their element too (§4); their text is
  // made by resolve_generated once every style is known.
  std::map<uint32_t, StyledDocument::Generated>* pseudo_maps[] = {&doc.before, &doc.after,
                                                                  &doc.marker};
  for (size_t k = 0; k < generated.size(); ++k) {
    if (!generated[k]) continue;
    Computed pc;
    compute(model::Kind::Emphasis, *generated[k], &c, pc);
    if (k < 2 && check_drawn_) not_applied_.check_generated(n, *generated[k], pc.style, sink());
    (*pseudo_maps[k])[n.index] = {
        {}, doc.generated_styles.add(painted(pc.style, c.painted_opacity * pc.style.opacity))};
  }
  if (!parent) root_computed_ = c;
  if (n.kind == model::Kind::Body && !body_) {
    body_storage_ = c;
    body_storage_.rule_color.alpha *= static_cast<float>(c.painted_opacity);
    body_ = &body_storage_;
  }
  doc.styles.set(n.index, painted(c.style, c.painted_opacity));
  for (size_t i = 0; i < n.children.size(); ++i) {
    ElementRef child{&n.children[i], &self, i};
    walk(n.children[i], child, &c, doc);
  }
}

PageStyle Resolver::page_style(const Computed& body, PageKind kind, const PageStyle* base) {
  PageCascade hooks{[&](Winners& w) {
                      Computed context = root_computed_;
                      context.vars = custom_properties(w, root_computed_.vars);
                      substitute(w, context.vars.get());
                      return context;
                    },
                    [&](const Winners& w, const Computed& context, Computed& c) {
                      compute(model::Kind::Paragraph, w, &context, c);
                    }};
  return cascade::page_style(sheets_, body, kind, base, hooks, sink());
}

}  // namespace cascade

StyledDocument resolve_styles(const model::Article& article,
                              const std::vector<const Stylesheet*>& sheets, Diagnostics& diags,
                              const FontRatiosFn& font_ratios) {
  return cascade::Resolver(sheets, diags, font_ratios).run(article);
}

}  // namespace trang::style
