// Math functions (CSS Values 4 §10): calc(), min(), max() and clamp() over lengths, read
// when the declaration is parsed and resolved where the property's other lengths are.
// Private to the style stage.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "style/parser.h"
#include "style/properties.h"

namespace trang::style {

// A length-valued calculation. Numbers are folded while parsing (they are all known then), so
// what is left is linear in the units, plus min()/max() of such sums where units are mixed.
struct CalcNode {
  enum class Op : uint8_t { Sum, Min, Max };
  static constexpr size_t kUnits = 10;  // LengthUnit::Pt .. Vmax
  struct Term;
  Op op = Op::Sum;
  std::array<double, kUnits> coef{};  // Sum: points per unit of each LengthUnit
  // Sum: scaled min()/max() terms; Min, Max: the arguments (scale 1).
  std::vector<Term> terms;
};
// A named struct, not a std::pair: a pair of an incomplete CalcNode does not compile with
// clang's checks of libstdc++.
struct CalcNode::Term {
  double scale = 1;
  CalcNode node;
};

// Whether `f` is one of the math functions read here.
bool is_math_function(const css::ComponentValue& f);

// Parses a math function as a length. `units` turns a dimension into a Length (false with a
// reason in `why` when its unit is not a length unit). A plain number or percentage becomes a
// length in the place of 0 and of %, as the property allows (`percent_ok`).
using UnitReader = bool (*)(const css::ComponentValue& t, Length& out, std::string& why);
bool parse_calc(const css::ComponentValue& f, bool percent_ok, UnitReader units, Length& out,
                std::string& why);

// The value of a math function that computes a number (calc(1.2 * 1.25), min(3, 4)): such
// functions stand in for a number wherever one is read. False when it is not one.
bool calc_number(const css::ComponentValue& f, double& out);

// The value of a calculation in points.
double evaluate_calc(const CalcNode& n, const LengthBasis& b);
// Whether a length (or a calculation in it) uses unit `u`.
bool uses_unit(const Length& l, LengthUnit u);
// Whether it uses ex or ch, and so the font's metrics.
inline bool uses_font_metrics(const Length& l) {
  return uses_unit(l, LengthUnit::Ex) || uses_unit(l, LengthUnit::Ch);
}

}  // namespace trang::style
