// "Did you mean ...?" for misspelt property, element and keyword names. Private to the style
// stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trang::style {

// Optimal string alignment distance (Levenshtein plus adjacent transposition, so that
// "frist" is one edit from "first"), ASCII case-insensitive.
int edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a likely typo (at most two
// edits, and at most one edit per three characters of the word), else empty. A candidate that
// differs only in case is returned too.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// "did you mean 'x'?" or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace trang::style
