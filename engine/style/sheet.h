// The parsed form of a stylesheet (Stylesheet::Impl): style rules with compiled selectors
// and validated longhand declarations, and @page rules. Private to the style stage.
#pragma once

#include <string>
#include <vector>

#include "style/properties.h"
#include "style/rule_index.h"
#include "style/selector.h"
#include "style/style.h"

namespace trang::style {

struct StyleRule {
  std::vector<ComplexSelector> selectors;  // the rule's selector list
  std::vector<PropertyDeclaration> declarations;
};

// A margin box inside @page (CSS Paged Media 3 §5.3), e.g. @top-center { content: ... }.
struct MarginBoxRule {
  MarginBoxPos pos = MarginBoxPos::TopCenter;
  std::vector<PropertyDeclaration> declarations;
};

// @page rule (CSS Paged Media 3 §4). Plain `@page` applies to every page; :first, :left and
// :right to those pages (page 1 is a right page); :blank and named pages never match.
struct PageRule {
  bool applies_to_all_pages = false;
  std::vector<std::string> selectors;  // as written, e.g. "", ":first", "wide:left"
  std::vector<PropertyDeclaration> declarations;
  std::vector<MarginBoxRule> boxes;
};

struct Stylesheet::Impl {
  std::string file;
  std::vector<StyleRule> rules;  // imported sheets' rules first, as @import places them
  std::vector<PageRule> pages;
  std::vector<FontFace> font_faces;
  std::vector<std::string> files;  // this sheet (when a file) and every imported one
  RuleIndex index;  // over `rules`, built once the sheet is parsed
};

}  // namespace trang::style
