// Custom properties and var() (CSS Variables 1): values kept as tokens when declared and
// parsed once the element's custom properties are known. Private to the style stage.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/core.h"
#include "style/parser.h"
#include "style/properties.h"

namespace trang::style {

// A declaration whose value cannot be parsed yet: a custom property's value, or a value that
// holds var() (§3: "valid at parse time", checked at computed-value time).
struct PendingValue {
  std::string property;  // as declared: a longhand, a shorthand or `--name`
  DeclContext where = DeclContext::Element;
  std::string text;                 // the value's source text
  uint32_t base = 0;                // where `text` starts in its source (token offsets)
  css::ComponentValues values;      // the value, whitespace trimmed
  SourcePos name_pos, value_pos;
};

// The computed custom properties of an element: name -> value text with every var()
// substituted. A name that is absent has the guaranteed-invalid value (§2.2).
using CustomProperties = std::map<std::string, std::string>;

// Whether `values` hold a var() function anywhere (in nested functions and blocks too).
bool contains_var(const css::ComponentValues& values);

// The pending value of `d` (a custom property, or a value with var()), positions from `ctx`.
std::shared_ptr<const PendingValue> make_pending(const css::Declaration& d, DeclContext where,
                                                 const css::ParseContext& ctx);

// §3.1 "substitute a var()": `p`'s text with each var() replaced by the value `lookup` gives
// for its name, or by its fallback (itself substituted) when lookup gives nullptr. False, with
// the name in `missing`, when a var() has neither: the declaration is then invalid at
// computed-value time.
using VarLookup = std::function<const std::string*(const std::string&)>;
bool substitute_vars(const PendingValue& p, const VarLookup& lookup, std::string& out,
                     std::string& missing);

// The names var() refers to in `p`, fallbacks included, for cycle detection.
void var_references(const PendingValue& p, std::vector<std::string>& out);

// Parses `text` as the value of `p.property` (as if written in its place) into longhand
// declarations. Problems are reported against `p.value_pos`, saying the value came from
// var(). Declarations keep `important` and positions of `p`.
void compile_substituted(const PendingValue& p, const std::string& text, bool important,
                         Diagnostics& diags, std::vector<PropertyDeclaration>& out);

}  // namespace trang::style
