// The An+B microsyntax (CSS Syntax 3 §6) of :nth-child() and its kin, and the positions it
// selects. Private to the style stage.
#pragma once

#include <cstddef>

#include "style/parser.h"

namespace trang::style {

// a·n + b, for every n ≥ 0.
struct AnPlusB {
  int a = 0;
  int b = 0;
  // Whether the 1-based `position` is a·n + b for some n ≥ 0.
  bool selects(long long position) const;
};

// Parses `v[begin, end)` (whitespace at either end allowed) as <an+b>: `odd`, `even`, `3`,
// `-n+3`, `2n + 1`, `+n-1`, ... Whitespace is allowed only where §6.2 allows it (around the
// sign before b, never inside `2n` or between '+' and `n`). The source tells a signed number
// ("+1") from a signless one ("1"), which the grammar distinguishes. False if it is not one.
bool parse_an_plus_b(const css::ComponentValues& v, size_t begin, size_t end,
                     std::string_view source, AnPlusB& out);

}  // namespace trang::style
