// What the cascade (cascade.cpp) shares with the page rules (page_rules.cpp): the winners of
// a cascade, an element's computed values beyond ComputedStyle, and @page. Private to the
// style stage.
#pragma once

#include <array>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "style/properties.h"
#include "style/sheet.h"
#include "style/style.h"

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
using Winners = std::array<Winner, kPropertyCount>;

inline void consider(Winners& w, const PropertyDeclaration& d, uint64_t key) {
  Winner& slot = w[static_cast<size_t>(d.id)];
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
  // What opacity the element is painted with: its own times its ancestors' (CSS Color 4
  // §14.1 applies an ancestor's to everything inside it).
  double painted_opacity = 1;
};

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

// Computes a margin box's style from the declarations that won for it.
using MarginBoxStyle = std::function<void(const Winners&, Computed&)>;

// @page for one kind of page, with the body's column grid; `base`: see page_rules.cpp.
PageStyle page_style(const std::vector<const Stylesheet*>& sheets, const Computed& body,
                     PageKind kind, const PageStyle* base, const MarginBoxStyle& margin_box,
                     Diagnostics& sink);

// Generated content (generated.cpp): walks the article in document order with its counters
// and quote depth (CSS Lists 3 §4, CSS Content 3 §3) and fills the text of doc.before, .after
// and .marker, dropping the ::before and ::after whose content is none.
void resolve_generated(const model::Article& article, StyledDocument& doc);

}  // namespace trang::style::cascade
