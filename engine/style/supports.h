// @supports conditions (CSS Conditional 3 §6, selector() from CSS Conditional 4 §6.1).
// Private to the style stage.
#pragma once

#include "style/parser.h"

namespace trang::style {

// Evaluates an @supports prelude. A declaration is supported when trang parses it without a
// warning; a selector when it parses as one. Sets `valid` to false (and returns false) when
// the prelude does not follow the grammar: the rule is then dropped.
bool supports_condition(const css::ComponentValues& prelude, const css::ParseContext& ctx,
                        bool& valid);

}  // namespace trang::style
