// Selectors (Selectors Level 3, with Level 4's :nth-child(An+B of S), :not(), :is() and
// :where() over selector lists, and the attribute flags i and s): parsed from a rule's prelude, matched against article nodes. Private to the style stage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"
#include "style/nth.h"
#include "style/parser.h"

namespace trang::style {

// Selectors 3 §9: specificity (a, b, c) packed so that a plain integer comparison orders it;
// each count saturates at 255.
struct Specificity {
  uint32_t packed = 0;
  static Specificity of(int ids, int classes, int types);
  int ids() const { return static_cast<int>(packed >> 16); }
  int classes() const { return static_cast<int>((packed >> 8) & 0xFF); }
  int types() const { return static_cast<int>(packed & 0xFF); }
  auto operator<=>(const Specificity&) const = default;
};

// Selectors 3 §6.3.
enum class AttrOp : uint8_t {
  Exists,     // [a]
  Equals,     // [a=v]
  Includes,   // [a~=v]  whitespace-separated word
  DashMatch,  // [a|=v]  v or v-...
  Prefix,     // [a^=v]
  Suffix,     // [a$=v]
  Substring,  // [a*=v]
};

struct AttrSelector {
  std::string name;
  AttrOp op = AttrOp::Exists;
  std::string value;
  bool ignore_case = false;  // [a=v i] (Selectors 4)
};

// Structural pseudo-classes (Selectors 3 §6.6.5).
enum class PseudoClass : uint8_t {
  FirstChild,
  LastChild,
  OnlyChild,
  FirstOfType,
  LastOfType,
  OnlyOfType,
  Root,
  Empty,
};

struct ComplexSelector;

// Selectors 4 §14.4: :nth-child(An+B [of S]), :nth-last-child(), :nth-of-type(),
// :nth-last-of-type(): the element's position among its element siblings (those of its own
// name, or those matching S), counted from the first or from the last, is a·n + b.
struct NthSelector {
  enum class Kind : uint8_t { Child, LastChild, OfType, LastOfType };
  Kind kind = Kind::Child;
  AnPlusB an_b;
  std::vector<ComplexSelector> of;  // S; empty: every sibling counts
};

// Selectors 4 §4: :not(S), :is(S), :where(S) over a list of complex selectors.
struct LogicalSelector {
  enum class Kind : uint8_t { Not, Is, Where };
  Kind kind = Kind::Is;
  std::vector<ComplexSelector> args;
};

// Pseudo-elements (Selectors 3 §7) that style part of an element's text.
enum class PseudoElement : uint8_t { None, FirstLetter, FirstLine };

// A compound selector (a "sequence of simple selectors" in Selectors 3): all must match.
struct CompoundSelector {
  std::string type;  // element name; empty for '*' or none
  std::vector<std::string> ids;
  std::vector<std::string> classes;
  std::vector<AttrSelector> attrs;
  std::vector<PseudoClass> pseudos;
  std::vector<NthSelector> nths;
  std::vector<LogicalSelector> logicals;
  PseudoElement pseudo_element = PseudoElement::None;  // only on the last compound
};

// Selectors 3 §8.
enum class Combinator : uint8_t { Descendant, Child, NextSibling, SubsequentSibling };

// A complex selector: compounds[0] comb[0] compounds[1] ... ; the subject is the last.
struct ComplexSelector {
  std::vector<CompoundSelector> compounds;
  std::vector<Combinator> combinators;  // size() == compounds.size() - 1
  Specificity specificity;
  // ::first-letter / ::first-line: the rule styles that part of the matched element.
  PseudoElement pseudo_element = PseudoElement::None;
};

// An element being matched, with the way up (parent chain) and sideways (its position among
// the parent's children) that combinators and structural pseudo-classes need.
struct ElementRef {
  const model::Node* node = nullptr;
  const ElementRef* parent = nullptr;  // null for the root
  size_t index = 0;                    // position in parent->node->children
};

// Parses a rule's prelude as a selector list (Selectors 3 §5: one invalid selector makes the
// whole list, and so the rule, invalid). Garbage, a bad An+B and selectors that are valid CSS
// but not supported here (:hover, ::before) are each a warning; either way returns false.
// A type selector naming no element of the article model is a warning, and the rule is kept.
bool parse_selector_list(const css::ComponentValues& prelude, const css::ParseContext& ctx,
                         std::vector<ComplexSelector>& out);

bool matches(const ComplexSelector& s, const ElementRef& e);

// The element names of the article model (model/model.h, Kind), for checking type selectors.
const std::vector<std::string_view>& known_element_names();

}  // namespace trang::style
