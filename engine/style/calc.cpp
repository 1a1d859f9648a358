// calc(), min(), max(), clamp() (CSS Values 4 §10): parsing with the grammar of §10.1,
// type checking (§10.7: a length and a number do not add; only a number divides) and
// evaluation.
#include "style/calc.h"

#include <algorithm>
#include <cmath>

#include "core/core.h"
#include "style/decl_compiler.h"

namespace trang::style {

using css::ComponentValue;
using css::ComponentValues;
using css::TokenType;

namespace {

// A value under calculation: a number (folded), or a length.
struct Term {
  bool number = false;
  double num = 0;
  CalcNode node;
};

CalcNode as_sum(CalcNode n) {
  if (n.op == CalcNode::Op::Sum) return n;
  CalcNode s;
  s.terms.push_back({1.0, std::move(n)});
  return s;
}

void scale(CalcNode& n, double k) {
  if (n.op != CalcNode::Op::Sum) n = as_sum(std::move(n));
  for (double& c : n.coef) c *= k;
  for (auto& t : n.terms) t.scale *= k;
}

class CalcParser {
 public:
  CalcParser(bool percent_ok, UnitReader units) : percent_ok_(percent_ok), units_(units) {}

  bool function(const ComponentValue& f, Term& out) {
    std::vector<Term> args;
    std::vector<ComponentValues> pieces(1);
    for (const ComponentValue& v : f.children) {
      if (v.is(TokenType::Comma)) pieces.emplace_back();
      else pieces.back().push_back(v);
    }
    for (const ComponentValues& p : pieces) {
      Term t;
      if (!whole_sum(p, t)) return false;
      args.push_back(std::move(t));
    }
    std::string name = css::ascii_lower(f.token.value);
    if (name == "calc") {
      if (args.size() != 1) return fail("calc() takes one expression, without commas");
      out = std::move(args[0]);
      return true;
    }
    if (name == "clamp" && args.size() != 3)
      return fail("clamp() takes three values: minimum, preferred, maximum");
    for (const Term& a : args)
      if (a.number != args[0].number)
        return fail(name + "() mixes numbers and lengths");
    if (name == "clamp") {  // clamp(MIN, VAL, MAX) = max(MIN, min(VAL, MAX))
      std::vector<Term> inner;
      inner.push_back(std::move(args[1]));
      inner.push_back(std::move(args[2]));
      Term lo = std::move(args[0]), m;
      extreme(CalcNode::Op::Min, inner, m);
      args = {};
      args.push_back(std::move(lo));
      args.push_back(std::move(m));
      return extreme(CalcNode::Op::Max, args, out);
    }
    return extreme(name == "min" ? CalcNode::Op::Min : CalcNode::Op::Max, args, out);
  }

  std::string why;

 private:
  bool fail(std::string reason) {
    if (why.empty()) why = std::move(reason);
    return false;
  }

  static bool extreme(CalcNode::Op op, std::vector<Term>& args, Term& out) {
    out = {};
    if (args[0].number) {  // all numbers: known now
      out.number = true;
      out.num = args[0].num;
      for (const Term& a : args)
        out.num = op == CalcNode::Op::Min ? std::min(out.num, a.num) : std::max(out.num, a.num);
      return true;
    }
    out.node.op = op;
    for (Term& a : args) out.node.terms.push_back({1.0, std::move(a.node)});
    return true;
  }

  bool whole_sum(const ComponentValues& items, Term& out) {
    size_t i = 0;
    if (!sum(items, i, out)) return false;
    skip_ws(items, i);
    if (i < items.size()) return fail("unexpected " + describe(items[i]));
    return true;
  }

  static void skip_ws(const ComponentValues& items, size_t& i) {
    while (i < items.size() && items[i].is_whitespace()) ++i;
  }

  static std::string describe(const ComponentValue& v) {
    if (v.kind == ComponentValue::Kind::Function) return "'" + v.token.value + "('";
    if (v.is(TokenType::Delim)) return "'" + std::string(1, static_cast<char>(v.token.delim)) + "'";
    if (v.is(TokenType::Ident)) return "'" + v.token.value + "'";
    return "value";
  }

  // <calc-sum> = <calc-product> [ [ '+' | '-' ] <calc-product> ]*; §10.1: + and - need
  // whitespace on both sides ("1em -2pt" is two values, not a difference).
  bool sum(const ComponentValues& items, size_t& i, Term& out) {
    if (!product(items, i, out)) return false;
    while (true) {
      size_t j = i;
      skip_ws(items, j);
      if (j >= items.size()) break;
      const ComponentValue& op = items[j];
      bool plus = op.is_delim('+'), minus = op.is_delim('-');
      if (!plus && !minus) {
        if (op.is(TokenType::Comma)) break;
        return fail(op.is(TokenType::Dimension) || op.is(TokenType::Number) ||
                            op.is(TokenType::Percentage)
                        ? "missing operator before " + describe(op) +
                              " ('+' and '-' need a space on both sides)"
                        : "expected an operator (+ - * /) before " + describe(op));
      }
      if (j == i || j + 1 >= items.size() || !items[j + 1].is_whitespace())
        return fail("'+' and '-' need a space on both sides in calc()");
      i = j + 1;
      Term rhs;
      if (!product(items, i, rhs)) return false;
      if (out.number != rhs.number) return fail("cannot add a number and a length");
      if (out.number) {
        out.num += plus ? rhs.num : -rhs.num;
        continue;
      }
      CalcNode a = as_sum(std::move(out.node)), b = as_sum(std::move(rhs.node));
      if (minus) scale(b, -1);
      for (size_t u = 0; u < CalcNode::kUnits; ++u) a.coef[u] += b.coef[u];
      for (auto& t : b.terms) a.terms.push_back(std::move(t));
      out.node = std::move(a);
    }
    return true;
  }

  // <calc-product> = <calc-value> [ [ '*' | '/' ] <calc-value> ]*
  bool product(const ComponentValues& items, size_t& i, Term& out) {
    if (!value(items, i, out)) return false;
    while (true) {
      size_t j = i;
      skip_ws(items, j);
      if (j >= items.size() || !(items[j].is_delim('*') || items[j].is_delim('/'))) break;
      bool divide = items[j].is_delim('/');
      i = j + 1;
      Term rhs;
      if (!value(items, i, rhs)) return false;
      if (divide) {
        if (!rhs.number) return fail("only a number can divide in calc()");
        if (rhs.num == 0) return fail("division by zero");
        rhs.num = 1 / rhs.num;
      }
      if (!out.number && !rhs.number) return fail("a length times a length is not a length");
      if (out.number && rhs.number) {
        out.num *= rhs.num;
      } else if (out.number) {
        scale(rhs.node, out.num);
        out = std::move(rhs);
      } else {
        scale(out.node, rhs.num);
      }
    }
    return true;
  }

  bool value(const ComponentValues& items, size_t& i, Term& out) {
    skip_ws(items, i);
    if (i >= items.size()) return fail("a value is missing");
    const ComponentValue& v = items[i++];
    out = {};
    if (v.is(TokenType::Number)) {
      out.number = true;
      out.num = v.token.number;
      return true;
    }
    if (v.is(TokenType::Percentage)) {
      if (!percent_ok_) return fail("percentages are not allowed here");
      out.node.coef[static_cast<size_t>(LengthUnit::Percent)] = v.token.number;
      return true;
    }
    if (v.is(TokenType::Dimension)) {
      Length l;
      std::string reason;
      if (!units_(v, l, reason)) return fail(reason);
      out.node.coef[static_cast<size_t>(l.unit)] = l.value;
      return true;
    }
    if (v.is_block(TokenType::LeftParen)) return whole_sum(v.children, out);
    if (is_math_function(v)) return function(v, out);
    if (v.kind == ComponentValue::Kind::Function)
      return fail(v.token.value + "() is not allowed inside calc()");
    return fail("unexpected " + describe(v));
  }

  bool percent_ok_;
  UnitReader units_;
};

bool finite(const CalcNode& n) {
  for (double c : n.coef)
    if (!std::isfinite(c)) return false;
  for (const auto& [k, t] : n.terms)
    if (!std::isfinite(k) || !finite(t)) return false;
  return true;
}

}  // namespace

bool is_math_function(const ComponentValue& f) {
  return f.is_function("calc") || f.is_function("min") || f.is_function("max") ||
         f.is_function("clamp");
}

bool parse_calc(const ComponentValue& f, bool percent_ok, UnitReader units, Length& out,
                std::string& why) {
  CalcParser p(percent_ok, units);
  Term t;
  if (!p.function(f, t)) {
    why = f.token.value + "(): " + p.why;
    return false;
  }
  if (t.number) {
    why = f.token.value + "() gives a number where a length is expected";
    return false;
  }
  if (!finite(t.node)) {
    why = f.token.value + "(): the result is too large";
    return false;
  }
  // One unit and nothing else is a plain length, checked and resolved as one.
  const CalcNode& n = t.node;
  size_t used = 0, unit = 0;
  for (size_t u = 0; u < CalcNode::kUnits; ++u)
    if (n.coef[u] != 0) ++used, unit = u;
  if (n.op == CalcNode::Op::Sum && n.terms.empty() && used <= 1) {
    out = {n.coef[unit], static_cast<LengthUnit>(unit), nullptr};
    return true;
  }
  out = {0, LengthUnit::Calc, std::make_shared<const CalcNode>(std::move(t.node))};
  return true;
}

bool calc_number(const ComponentValue& f, double& out) {
  // Any dimension makes a length; only its type matters here.
  UnitReader any = [](const ComponentValue& t, Length& l, std::string&) {
    l = {t.token.number, LengthUnit::Pt, nullptr};
    return true;
  };
  CalcParser p(true, any);
  Term t;
  if (!p.function(f, t) || !t.number || !std::isfinite(t.num)) return false;
  out = t.num;
  return true;
}

double evaluate_calc(const CalcNode& n, const LengthBasis& b) {
  switch (n.op) {
    case CalcNode::Op::Sum: {
      double v = 0;
      for (size_t u = 0; u < CalcNode::kUnits; ++u)
        if (n.coef[u] != 0)
          v += resolve_length({n.coef[u], static_cast<LengthUnit>(u), nullptr}, b).v;
      for (const auto& [k, t] : n.terms) v += k * evaluate_calc(t, b);
      return v;
    }
    case CalcNode::Op::Min:
    case CalcNode::Op::Max: {
      bool min = n.op == CalcNode::Op::Min;
      double v = 0;
      for (size_t i = 0; i < n.terms.size(); ++i) {
        double x = evaluate_calc(n.terms[i].node, b);
        v = i == 0 ? x : (min ? std::min(v, x) : std::max(v, x));
      }
      return v;
    }
  }
  return 0;
}


Pt resolve_length(const Length& l, const LengthBasis& b) {
  switch (l.unit) {
    case LengthUnit::Pt: return Pt(l.value);
    case LengthUnit::Em: return b.em * l.value;
    case LengthUnit::Rem: return b.rem * l.value;
    case LengthUnit::Percent: return b.percent * (l.value / 100);
    case LengthUnit::Ex: return b.ex * l.value;
    case LengthUnit::Ch: return b.ch * l.value;
    case LengthUnit::Vw: return b.vw * l.value;
    case LengthUnit::Vh: return b.vh * l.value;
    case LengthUnit::Vmin: return std::min(b.vw, b.vh) * l.value;
    case LengthUnit::Vmax: return std::max(b.vw, b.vh) * l.value;
    case LengthUnit::Calc: {
      // Values that could not be checked when parsed are kept where later stages can use
      // them: finite, within the largest page, and not negative where the property says so.
      double v = l.calc ? evaluate_calc(*l.calc, b) : 0;
      if (!std::isfinite(v)) v = 0;
      return Pt(std::clamp(v, l.at_least_zero ? 0.0 : -kMaxPageSide, kMaxPageSide));
    }
  }
  return Pt(0);
}

namespace {
bool calc_uses(const CalcNode& n, LengthUnit u) {
  if (n.coef[static_cast<size_t>(u)] != 0) return true;
  for (const auto& t : n.terms)
    if (calc_uses(t.node, u)) return true;
  return false;
}
}  // namespace

bool uses_unit(const Length& l, LengthUnit u) {
  return l.unit == u || (l.calc && calc_uses(*l.calc, u));
}

bool has_percent(const Length& l) { return uses_unit(l, LengthUnit::Percent); }

}  // namespace trang::style
