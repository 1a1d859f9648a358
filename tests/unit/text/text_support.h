// What the text stage's tests on real fonts share.
#pragma once

#include <string>

#include "text/text.h"

namespace trang::text {

// The text a line shows, its clusters' text in order (spaces included).
inline std::string text_of(const Line& l) {
  std::string s;
  for (const LineRun& r : l.runs)
    for (const Cluster& c : r.clusters) s += c.text;
  return s;
}

}  // namespace trang::text
