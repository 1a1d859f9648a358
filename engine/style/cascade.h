// The cascade of an article tree, private to the style stage: the winners of a cascade, an
// element's computed values beyond ComputedStyle, and the Resolver that walks the tree
// (cascade.cpp), computes each property (computed_values.cpp) and custom properties
// (cascade_vars.cpp); @page is in page_rules.cpp.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "style/calc.h"
#include "style/properties.h"
#include "style/sheet.h"
#include "style/style.h"
#include "style/variables.h"

namespace trang::style::cascade {

// Cascade 4 §6.1: declarations of one origin sort by importance, then specificity, then
// order of appearance. All sheets here are author sheets, given in order, so the order of
// appearance runs through them one after the other: a later sheet wins at equal specificity.
// key = important:1 | specificity:24 | order:32 (plus headroom), compared as integers.
inline uint64_t cascade_key(bool important, Specificity spec, uint32_t order) {
  return (static_cast<uint64_t>(important) << 63) |
         (static_cast<uint64_t>(spec.packed & 0xFFFFFF) << 32) | order;
}

struct Winner {
  const PropertyDeclaration* decl = nullptr;
  uint64_t key = 0;
};
// The winning declaration of each longhand, and of each custom property by name.
struct Winners {
  std::array<Winner, kPropertyCount> slots{};
  std::map<std::string, Winner> customs;

  Winner& operator[](size_t i) { return slots[i]; }
  const Winner& operator[](size_t i) const { return slots[i]; }
};

inline void consider(Winners& w, const PropertyDeclaration& d, uint64_t key) {
  Winner& slot = d.custom.empty() ? w[static_cast<size_t>(d.id)] : w.customs[d.custom];
  if (!slot.decl || key > slot.key) slot = {&d, key};
}

// What an element computes, beyond the public ComputedStyle: the values its children need
// for inheritance and `inherit`, and the multi-column values of the body.
struct Computed {
  ComputedStyle style;
  double line_height_factor = 0;  // > 0: line-height is a number, inherited as such
  int column_count = 0;           // 0 = auto
  Pt column_gap;
  Pt rule_width;
  RuleStyle rule_style = RuleStyle::None;
  Color rule_color;
  // The declarations behind column-count and column-gap, to point warnings at.
  const PropertyDeclaration* column_count_decl = nullptr;
  const PropertyDeclaration* column_gap_decl = nullptr;
  std::vector<std::string> feature_settings;  // font-feature-settings, inherited as given
  // The keyword index of each Features row of property_table.h (others unused).
  std::array<uint8_t, kPropertyCount> feature_keywords{};
  bool column_fill_balance = true;
  std::shared_ptr<const CustomProperties> vars;  // inherited custom properties (may be null)
  // What opacity the element is painted with: its own times its ancestors' (CSS Color 4
  // §14.1 applies an ancestor's to everything inside it).
  double painted_opacity = 1;
};

// Initial values (each property's definition, "Initial"). `display` starts from what the
// element is in the article language (the role a UA stylesheet plays for HTML), so a sheet
// that says nothing about display still lays out.
Computed initial_values(model::Kind kind);

// Warnings for declarations that take no effect where they land (not_applied.cpp).
class NotApplied {
 public:
  // Backgrounds, borders, padding and width where layout does not draw them; content on an
  // element itself.
  void check_drawn(const model::Node& n, const Winners& w, const ComputedStyle& s,
                   Diagnostics& sink);
  // `content` of ::before or ::after (style `s`, declarations `w`) on an element without text.
  void check_generated(const model::Node& n, const Winners& w, const ComputedStyle& s,
                       Diagnostics& sink);

 private:
  std::set<std::tuple<int, int, std::string, std::string>> seen_;  // (position, element)
};

// Which page a page style is for (CSS Paged Media 3 §4.3 page selectors).
enum class PageKind : uint8_t { All, First, Left, Right };

// What page_style asks of the cascade: the page context, which inherits from the root element
// (CSS Paged Media 3 §3.1) and takes the custom properties @page declares, after var() in the
// page's winners is substituted (CSS Variables 1 §3.1); and a margin box's computed values,
// which inherit from the page context (§5.3.1).
struct PageCascade {
  std::function<Computed(Winners&)> context;
  std::function<void(const Winners&, const Computed& context, Computed&)> margin_box;
};

// @page for one kind of page, with the body's column grid; `base`: see page_rules.cpp.
PageStyle page_style(const std::vector<const Stylesheet*>& sheets, const Computed& body,
                     PageKind kind, const PageStyle* base, const PageCascade& cascade,
                     Diagnostics& sink);

// Styles an article tree: the cascade, and computed values from each element's parent.
class Resolver {
 public:
  Resolver(const std::vector<const Stylesheet*>& sheets, Diagnostics& diags,
           const FontRatiosFn& font_ratios)
      : sheets_(sheets), diags_(diags), font_ratios_(font_ratios) {
    unset_.value.kind = Value::Kind::Unset;
    // The order of appearance runs on from one sheet to the next.
    uint32_t order = 0;
    for (const Stylesheet* sheet : sheets_) {
      order_base_.push_back(order);
      if (sheet) order += sheet->impl().index.declaration_count();
    }
  }

  StyledDocument run(const model::Article& article);

 private:
  void walk(const model::Node& n, const ElementRef& self, const Computed* parent,
            StyledDocument& doc);

  // Warns once per declaration (an em-sized font can go out of range on many elements).
  void warn_once(const PropertyDeclaration& d, std::string msg) {
    if (warned_.insert(&d).second) sink().warning(d.value_pos, std::move(msg));
  }
  Diagnostics& sink() { return diags_swap_ ? *diags_swap_ : diags_; }
  void report_once(const Diagnostic& d) {
    for (const Diagnostic& x : diags_.all())
      if (x.message == d.message && x.pos.line == d.pos.line && x.pos.col == d.pos.col &&
          x.pos.file == d.pos.file)
        return;
    diags_.add(d);
  }

  template <class T>
  void keyword_property(const Winners& w, PropertyId id, const Computed* parent, T& field,
                        T inherited, T initial) {
    const PropertyDeclaration* d;
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit: field = inherited; break;
      case Source::Initial: field = initial; break;
      case Source::Declared: field = static_cast<T>(d->value.keyword); break;
    }
  }
  void int_property(const Winners& w, PropertyId id, const Computed* parent, int& field,
                    int inherited, int initial) {
    const PropertyDeclaration* d;
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit: field = inherited; break;
      case Source::Initial: field = initial; break;
      case Source::Declared: field = static_cast<int>(d->value.number); break;
    }
  }
  void color_property(const Winners& w, PropertyId id, const Computed* parent, Color& field,
                      const Color& inherited, const Color& current) {
    const PropertyDeclaration* d;
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit: field = inherited; break;
      case Source::Initial: field = current; break;
      case Source::Declared:
        field = d->value.kind == Value::Kind::Color ? d->value.color : current;
        break;
    }
  }

  // The value of a length, against the element's own font size (CSS Values 3 §6.1: em is
  // the font size of the element, except in font-size itself, where it is the parent's).
  // ex and ch are of the font `font_` selects (the element's; in font-size, the parent's).
  Pt resolve(const Length& l, Pt em, Pt percent_base) {
    FontRatios f = uses_font_metrics(l) ? ratios(*font_) : FontRatios{};
    return resolve_length(l, {em, root_font_size_, percent_base, em * f.ex, em * f.ch,
                              viewport_w_, viewport_h_});
  }
  FontRatios ratios(const ComputedStyle& s) {
    if (!font_ratios_) return {};
    auto key = std::make_tuple(s.font_family, s.font_weight, s.font_style != FontStyle::Normal);
    auto it = ratio_cache_.find(key);
    if (it == ratio_cache_.end())
      it = ratio_cache_.emplace(key, font_ratios_(s.font_family, s.font_weight, std::get<2>(key)))
               .first;
    return it->second;
  }

  // Custom properties (CSS Variables 1 §2): the element's, from those it declares and those it
  // inherits; var() cycles among them make them invalid, with a warning.
  std::shared_ptr<const CustomProperties> custom_properties(
      const Winners& w, const std::shared_ptr<const CustomProperties>& inherited);
  // Replaces each Pending winner (a value with var()) by its value parsed after substitution,
  // or by `unset` when it is invalid at computed-value time (§3.1).
  void substitute(Winners& w, const CustomProperties* vars);

  // CSS Cascade 4 §4.4: the specified value is the cascaded value, or for want of one the
  // inherited value (inherited properties) or the initial value. Returns which of these the
  // property takes: the declaration to compute, or nullptr for "inherit" / "initial".
  enum class Source { Declared, Inherit, Initial };
  Source source(const Winners& w, bool has_parent, PropertyId id,
                const PropertyDeclaration*& decl) const {
    decl = w[static_cast<size_t>(id)].decl;
    Value::Kind k = decl ? decl->value.kind : Value::Kind::Unset;
    if (k == Value::Kind::Unset) k = is_inherited(id) ? Value::Kind::Inherit : Value::Kind::Initial;
    if (k == Value::Kind::Inherit) return has_parent ? Source::Inherit : Source::Initial;
    if (k == Value::Kind::Initial) return Source::Initial;
    return Source::Declared;
  }

  // A keyword kept as an int.
  void int_keyword(const Winners& w, PropertyId id, const Computed* parent, int& field,
                   int inherited, int initial) {
    const PropertyDeclaration* d;
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit: field = inherited; break;
      case Source::Initial: field = initial; break;
      case Source::Declared: field = d->value.keyword; break;
    }
  }

  Pt length_property(const Winners& w, PropertyId id, const Computed* parent, Pt inherited,
                     Pt initial, Pt em) {
    const PropertyDeclaration* d;
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit: return inherited;
      case Source::Initial: return initial;
      case Source::Declared: return resolve(d->value.length, em, em);
    }
    return initial;
  }

  void compute(model::Kind kind, const Winners& declared, const Computed* parent, Computed& c);
  // The properties of typography, breaking, boxes, figures and generated content.
  void compute_more(const Winners& w, const Computed* parent, const Computed& inherited,
                    const Computed& init, Computed& c, Pt em);

  // Margin boxes inherit from the page context, which inherits from the root element (CSS
  // Paged Media 3 §5.3.1, §3.1).
  PageStyle page_style(const Computed& body, PageKind kind, const PageStyle* base = nullptr);

  const std::vector<const Stylesheet*>& sheets_;
  Diagnostics& diags_;
  std::vector<uint32_t> order_base_;  // per sheet: the declarations of the sheets before it
  std::vector<RuleCandidate> candidates_;  // of the element being styled (reused)
  std::vector<uint32_t> scratch_;
  std::set<const PropertyDeclaration*> warned_;
  NotApplied not_applied_;
  bool check_drawn_ = true;
  Pt root_font_size_ = kMediumFontSize;
  Computed root_computed_;
  Computed body_storage_;
  const Computed* body_ = nullptr;
  StyledDocument* doc_ = nullptr;
  Diagnostics* diags_swap_ = nullptr;  // while computing the page variants
  // 1% of the page area's width and height: vw and vh (CSS Values 4 §6.1.2, paged media).
  Pt viewport_w_ = Pt(0), viewport_h_ = Pt(0);
  const FontRatiosFn& font_ratios_;
  std::map<std::tuple<std::vector<std::string>, int, bool>, FontRatios> ratio_cache_;
  const ComputedStyle* font_ = nullptr;  // whose font ex and ch are of, while computing
  // Values with var(), parsed once per distinct substituted text (and warned about once).
  std::map<std::pair<const PendingValue*, std::string>, std::vector<PropertyDeclaration>>
      substituted_;
  std::set<std::pair<const PendingValue*, std::string>> invalid_vars_;
  std::set<const PendingValue*> cycles_;
  PropertyDeclaration unset_;  // stands for a declaration invalid at computed-value time
};

// Generated content (generated.cpp): walks the article in document order with its counters
// and quote depth (CSS Lists 3 §4, CSS Content 3 §3) and fills the text of doc.before, .after
// and .marker, dropping the ::before and ::after whose content is none.
void resolve_generated(const model::Article& article, StyledDocument& doc);

}  // namespace trang::style::cascade
