// Style rules bucketed by the rightmost compound of each selector, as browsers do (Servo's
// selector_map.rs): by its id, else a class, else an attribute name, else its element name,
// else among the few that could match any element. An element is matched only against the
// buckets its own id, classes, attributes and name select, so a sheet of 100 000 rules costs
// what its candidate rules cost. Private to the style stage.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/model.h"
#include "style/selector.h"

namespace trang::style {

struct StyleRule;

// One selector of one rule, with the order of appearance of the rule's first declaration
// (CSS Cascade 4 §6.1: later wins at equal importance and specificity).
struct RuleCandidate {
  const ComplexSelector* selector = nullptr;
  const StyleRule* rule = nullptr;
  uint32_t order = 0;
};

class RuleIndex {
 public:
  // Indexes every selector of `rules`; the rules must outlive the index and not move.
  void build(const std::vector<StyleRule>& rules);

  // Appends the selectors whose rightmost compound may match `n`, each once, in the order of
  // the sheet, with `order_base` added to their order (the declarations of earlier sheets).
  // What matches among them is for matches() to say.
  void candidates(const model::Node& n, uint32_t order_base, std::vector<RuleCandidate>& out,
                  std::vector<uint32_t>& scratch) const;

  // How many declarations the indexed rules hold: the order base of the next sheet.
  uint32_t declaration_count() const { return declarations_; }

 private:
  using Buckets = std::unordered_map<std::string, std::vector<uint32_t>>;
  static void take(const Buckets& b, const std::string& key, std::vector<uint32_t>& out);

  std::vector<RuleCandidate> entries_;  // in source order; buckets hold indices into it
  Buckets by_id_, by_class_, by_attribute_, by_name_;
  std::vector<uint32_t> any_;  // rightmost compound with none of those: `*`, `:first-child`
  uint32_t declarations_ = 0;
};

}  // namespace trang::style
