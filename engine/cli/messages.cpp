// How diagnostics are printed: the way compilers print them, with repeats of one kind capped.
#include <iostream>
#include <map>

#include "cli/commands.h"

namespace trang::cli {

namespace {

// What makes warnings "of one kind": the message with what is quoted in it and its numbers
// left out, so "unknown property 'colr'" and "unknown property 'fnt'" are one kind.
std::string kind_of(const Diagnostic& d) {
  std::string k;
  bool quoted = false;
  for (char c : d.message) {
    if (c == '\'') {
      quoted = !quoted;
      k += c;
    } else if (!quoted && !(c >= '0' && c <= '9')) {
      k += c;
    } else if (!quoted && (k.empty() || k.back() != '#')) {
      k += '#';
    }
  }
  return k;
}

}  // namespace

std::string format_diagnostics(const Diagnostics& diags) {
  std::map<std::string, size_t> seen, total;
  for (const Diagnostic& d : diags.all())
    if (d.severity == Diagnostic::Severity::Warning) ++total[kind_of(d)];
  std::string out;
  for (const Diagnostic& d : diags.all()) {
    if (d.severity == Diagnostic::Severity::Warning) {
      std::string kind = kind_of(d);
      size_t n = ++seen[kind];
      if (n > kRepeatedWarnings) continue;
      if (n == kRepeatedWarnings && total[kind] > n) {
        out += d.format() + '\n';
        size_t rest = total[kind] - n;
        out += d.pos.file + ": note: ... and " + std::to_string(rest) + " more " +
               (rest == 1 ? "warning" : "warnings") + " like this\n";
        continue;
      }
    }
    out += d.format() + '\n';
  }
  return out;
}

void print_diagnostics(const Diagnostics& diags) {
  std::string out = format_diagnostics(diags);
  std::cerr.write(out.data(), static_cast<std::streamsize>(out.size()));
}

}  // namespace trang::cli
