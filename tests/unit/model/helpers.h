// What the model's test programs share: diagnostics as text, and finding nodes.
#pragma once

#include <string>

#include "model/model.h"

namespace trang::model::test {

// Every diagnostic, formatted as trang prints it, one per line.
inline std::string messages(const Diagnostics& d) {
  std::string out;
  for (const Diagnostic& x : d.all()) out += x.format() + "\n";
  return out;
}

// The text under `n`, with '\n' for each line break.
inline std::string all_text(const Node& n) {
  std::string out;
  visit(n, [&](const Node& x) {
    if (x.kind == Kind::Text) out += x.text;
    if (x.kind == Kind::LineBreak) out += '\n';
  });
  return out;
}

// The `nth` node of kind `k` under `root`, in document order; nullptr when there is none.
inline const Node* find(const Node& root, Kind k, size_t nth = 0) {
  const Node* hit = nullptr;
  visit(root, [&](const Node& x) {
    if (!hit && x.kind == k && nth-- == 0) hit = &x;
  });
  return hit;
}

}  // namespace trang::model::test
