// Internal to the layout library: pages as the @page rules give them, shared by the article
// layout and the publication composer.
#pragma once

#include <string>

#include "layout/page_tree.h"
#include "style/style.h"

namespace trang::layout {

// Page `index` (0-based) of the grid `ps`: its size, bleed and marks, and its folio as label.
inline PageSetup blank_page(const style::PageStyle& ps, size_t index) {
  PageSetup p;
  p.width = ps.width;
  p.height = ps.height;
  p.bleed = ps.bleed;
  p.crop_marks = ps.crop_marks;
  p.cross_marks = ps.cross_marks;
  p.label = std::to_string(index + 1);
  return p;
}

// The @page rules cascaded for page `index`: page 1 is a right page (CSS Paged Media 3
// §4.3.2, left-to-right), then left and right pages alternate.
inline const style::PageStyle& page_style(const style::StyledDocument& d, size_t index) {
  return index == 0 ? d.first_page : (index % 2 == 1 ? d.left_page : d.right_page);
}

// Takes bleed and marks from the page's own @page rules (:first, :left, :right).
inline void take_marks(PageSetup& p, const style::PageStyle& ps) {
  p.bleed = ps.bleed;
  p.crop_marks = ps.crop_marks;
  p.cross_marks = ps.cross_marks;
}

// A border or rule of style `style` (never None) from (x1, y1) to (x2, y2).
inline RuleItem styled_rule(style::RuleStyle style, Pt x1, Pt y1, Pt x2, Pt y2, Pt width,
                            const Color& color) {
  using S = RuleItem::Stroke;
  S stroke = style == style::RuleStyle::Dashed  ? S::Dashed
             : style == style::RuleStyle::Dotted ? S::Dotted
             : style == style::RuleStyle::Double ? S::Double
                                                 : S::Solid;
  return RuleItem{x1, y1, x2, y2, width, color, stroke};
}

inline RuleItem border_rule(const style::BorderSide& side, Pt x1, Pt y1, Pt x2, Pt y2) {
  return styled_rule(side.style, x1, y1, x2, y2, side.width, side.color);
}

}  // namespace trang::layout
