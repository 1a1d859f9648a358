// The An+B microsyntax, following the grammar of CSS Syntax 3 §6.2 token by token.
#include "style/nth.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace trang::style {

using css::ComponentValue;
using css::TokenType;

namespace {

// Integers beyond any sibling count are clamped (CSS Values 4 §5.2 allows clamping).
constexpr double kLimit = 1e9;

int clamp_int(double v) { return static_cast<int>(std::clamp(v, -kLimit, kLimit)); }

bool is_integer(const ComponentValue& x) { return x.is(TokenType::Number) && x.token.integer; }

bool has_sign(const ComponentValue& x, std::string_view source) {
  return x.token.begin < source.size() &&
         (source[x.token.begin] == '+' || source[x.token.begin] == '-');
}

// What follows the 'n' of an ident or dimension: "" (b may follow as tokens), "-" (a signless
// integer follows) or "-<digits>" (b itself).
bool parse_rest(std::string_view rest, const css::ComponentValues& v, size_t i, size_t end,
                std::string_view source, AnPlusB& out) {
  auto skip_ws = [&] {
    while (i < end && v[i].is_whitespace()) ++i;
  };
  skip_ws();
  if (!rest.empty() && rest != "-") {  // "-<digits>": nothing may follow
    if (rest.size() < 2 || rest[0] != '-' || i != end) return false;
    if (!std::all_of(rest.begin() + 1, rest.end(),
                     [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
      return false;
    out.b = -clamp_int(std::stod(std::string(rest.substr(1))));
    return true;
  }
  if (rest == "-") {  // "n- 3"
    if (i >= end || !is_integer(v[i]) || has_sign(v[i], source)) return false;
    out.b = -clamp_int(v[i].token.number);
    ++i;
  } else if (i == end) {  // "2n"
    out.b = 0;
  } else if (is_integer(v[i]) && has_sign(v[i], source)) {  // "2n +3", "2n-3"
    out.b = clamp_int(v[i].token.number);
    ++i;
  } else if (v[i].is_delim('+') || v[i].is_delim('-')) {  // "2n + 3"
    int sign = v[i].is_delim('-') ? -1 : 1;
    ++i;
    skip_ws();
    if (i >= end || !is_integer(v[i]) || has_sign(v[i], source)) return false;
    out.b = sign * clamp_int(v[i].token.number);
    ++i;
  } else {
    return false;
  }
  skip_ws();
  return i == end;
}

}  // namespace

bool AnPlusB::selects(long long position) const {
  long long d = position - b;
  if (a == 0) return d == 0;
  return d % a == 0 && d / a >= 0;
}

bool parse_an_plus_b(const css::ComponentValues& v, size_t begin, size_t end,
                     std::string_view source, AnPlusB& out) {
  size_t i = begin;
  while (i < end && v[i].is_whitespace()) ++i;
  while (end > i && v[end - 1].is_whitespace()) --end;
  if (i == end) return false;
  const ComponentValue& x = v[i];
  if (x.is_ident("odd") || x.is_ident("even")) {
    out = {2, x.is_ident("odd") ? 1 : 0};
    return i + 1 == end;
  }
  if (is_integer(x)) {  // "3", "+3", "-3"
    out = {0, clamp_int(x.token.number)};
    return i + 1 == end;
  }
  std::string word;  // "n...", with a set from what came before the n
  if (x.is(TokenType::Dimension) && x.token.integer) {
    out.a = clamp_int(x.token.number);
    word = css::ascii_lower(x.token.value);
  } else if (x.is(TokenType::Ident)) {
    word = css::ascii_lower(x.token.value);
    out.a = 1;
    if (word.starts_with("-n")) {
      out.a = -1;
      word.erase(0, 1);
    }
  } else if (x.is_delim('+') && i + 1 < end && v[i + 1].is(TokenType::Ident) &&
             !v[i + 1].token.value.starts_with("-")) {  // "+n": no space after the '+'
    out.a = 1;
    word = css::ascii_lower(v[++i].token.value);
  } else {
    return false;
  }
  if (!word.starts_with("n")) return false;
  return parse_rest(std::string_view(word).substr(1), v, i + 1, end, source, out);
}

}  // namespace trang::style
