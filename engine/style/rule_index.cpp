// The rule index (rule_index.h): one bucket per selector, chosen by its rightmost compound.
#include "style/rule_index.h"

#include <algorithm>

#include "style/sheet.h"

namespace trang::style {

void RuleIndex::build(const std::vector<StyleRule>& rules) {
  *this = RuleIndex();
  uint32_t order = 0;
  for (const StyleRule& r : rules) {
    for (const ComplexSelector& s : r.selectors) {
      auto at = static_cast<uint32_t>(entries_.size());
      entries_.push_back({&s, &r, order});
      // The most selective simple selector of the subject: an element has one id, a few
      // classes and attributes, and shares its name with many.
      const CompoundSelector& subject = s.compounds.back();
      if (!subject.ids.empty()) by_id_[subject.ids.front()].push_back(at);
      else if (!subject.classes.empty()) by_class_[subject.classes.front()].push_back(at);
      else if (!subject.attrs.empty()) by_attribute_[subject.attrs.front().name].push_back(at);
      else if (!subject.type.empty()) by_name_[subject.type].push_back(at);
      else any_.push_back(at);
    }
    order += static_cast<uint32_t>(r.declarations.size());
  }
  declarations_ = order;
}

void RuleIndex::take(const Buckets& b, const std::string& key, std::vector<uint32_t>& out) {
  auto it = b.find(key);
  if (it != b.end()) out.insert(out.end(), it->second.begin(), it->second.end());
}

void RuleIndex::candidates(const model::Node& n, uint32_t order_base,
                           std::vector<RuleCandidate>& out, std::vector<uint32_t>& scratch) const {
  if (entries_.empty() || n.kind == model::Kind::Text) return;
  scratch.clear();
  if (!n.id.empty()) take(by_id_, n.id, scratch);
  for (const std::string& c : n.classes) take(by_class_, c, scratch);
  for (const auto& attr : n.attributes) take(by_attribute_, attr.first, scratch);
  take(by_name_, n.name, scratch);
  scratch.insert(scratch.end(), any_.begin(), any_.end());
  // Source order, and each once (class="a a" looks the bucket up twice).
  std::sort(scratch.begin(), scratch.end());
  scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
  for (uint32_t at : scratch) {
    RuleCandidate c = entries_[at];
    c.order += order_base;
    out.push_back(c);
  }
}

}  // namespace trang::style
