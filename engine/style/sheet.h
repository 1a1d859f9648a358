// The parsed form of a stylesheet (Stylesheet::Impl): style rules with compiled selectors
// and validated longhand declarations, and @page rules. Private to the style stage.
#pragma once

#include <string>
#include <vector>

#include "style/properties.h"
#include "style/selector.h"
#include "style/style.h"

namespace trang::style {

struct StyleRule {
  std::vector<ComplexSelector> selectors;  // the rule's selector list
  std::vector<PropertyDeclaration> declarations;
};

// @page rule (CSS Paged Media 3 §4). Only rules whose selector list has a plain `@page`
// (no page name, no pseudo-class) are applied for now; :first, :left, :right, :blank and named
// pages are parsed and kept for later.
struct PageRule {
  bool applies_to_all_pages = false;
  std::vector<std::string> selectors;  // as written, e.g. "", ":first", "wide:left"
  std::vector<PropertyDeclaration> declarations;
};

struct Stylesheet::Impl {
  std::string file;
  std::vector<StyleRule> rules;
  std::vector<PageRule> pages;
};

}  // namespace trang::style
