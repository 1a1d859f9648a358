// The cascade's part of custom properties (CSS Variables 1): computing an element's custom
// properties, with cycle detection (§2.3), and substituting var() in its declarations (§3.1).
#include <algorithm>
#include <functional>

#include "style/cascade.h"

namespace trang::style::cascade {

namespace {
constexpr size_t kMaxVarDepth = 200;
}  // namespace

std::shared_ptr<const CustomProperties> Resolver::custom_properties(
    const Winners& w, const std::shared_ptr<const CustomProperties>& inherited) {
  if (w.customs.empty()) return inherited;
  auto out = std::make_shared<CustomProperties>(inherited ? *inherited : CustomProperties{});
  enum class State { Visiting, Done };
  std::map<std::string, State> state;
  std::vector<std::string> stack;  // the custom properties being resolved, outermost first
  std::set<std::string> in_cycle;
  std::function<const std::string*(const std::string&)> get =
      [&](const std::string& name) -> const std::string* {
    auto found = [&]() -> const std::string* {
      auto f = out->find(name);
      return f == out->end() ? nullptr : &f->second;
    };
    auto it = w.customs.find(name);
    if (it == w.customs.end()) return found();  // inherited as it is
    auto st = state.find(name);
    if (st != state.end()) {
      if (st->second == State::Done) return found();
      // A cycle: every property from `name` to the innermost one is in it.
      for (auto s = std::find(stack.begin(), stack.end(), name); s != stack.end(); ++s)
        in_cycle.insert(*s);
      return nullptr;
    }
    const PropertyDeclaration& d = *it->second.decl;
    const PendingValue& p = *d.value.pending;
    // The CSS-wide keywords keep their meaning (§2): initial is the guaranteed-invalid value.
    if (p.values.size() == 1 && p.values[0].is(css::TokenType::Ident)) {
      const css::ComponentValue& k = p.values[0];
      if (k.is_ident("initial")) out->erase(name);
      if (k.is_ident("inherit") || k.is_ident("unset") || k.is_ident("revert")) {
        if (inherited && inherited->count(name)) (*out)[name] = inherited->at(name);
        else out->erase(name);
      }
      if (k.is_ident("initial") || k.is_ident("inherit") || k.is_ident("unset") ||
          k.is_ident("revert")) {
        state[name] = State::Done;
        return found();
      }
    }
    // A chain of thousands of variables, each naming the next, would recurse as deep.
    if (stack.size() >= kMaxVarDepth) {
      if (cycles_.insert(&p).second)
        sink().warning("css-var-cycle", d.name_pos,
                       "custom property '" + name + "' is reached through more than " +
                           std::to_string(kMaxVarDepth) + " var() (it is invalid)");
      return nullptr;
    }
    state[name] = State::Visiting;
    stack.push_back(name);
    std::string text, missing;
    bool ok = substitute_vars(p, get, text, missing);
    stack.pop_back();
    state[name] = State::Done;
    if (in_cycle.count(name)) {
      out->erase(name);
      if (cycles_.insert(&p).second) {
        std::string chain;
        for (const std::string& c : in_cycle) chain += (chain.empty() ? "" : ", ") + c;
        sink().warning("css-var-cycle", d.name_pos,
                       "custom property '" + name + "' refers to itself through var() (cycle: " +
                           chain + "); it is invalid, and what uses it takes its fallback or is "
                           "unset");
      }
      return nullptr;
    }
    if (ok) (*out)[name] = text;
    else out->erase(name);
    // An undefined variable is said where it is used; what else went wrong, here.
    if (!ok && !missing.starts_with("--") && invalid_vars_.insert({&p, missing}).second)
      sink().warning("css-invalid-value", p.value_pos,
                     "custom property '" + name + "' is invalid: " + missing);
    return found();
  };
  for (const auto& [name, winner] : w.customs) get(name);
  return out;
}

void Resolver::substitute(Winners& w, const CustomProperties* vars) {
  VarLookup lookup = [&](const std::string& name) -> const std::string* {
    if (!vars) return nullptr;
    auto f = vars->find(name);
    return f == vars->end() ? nullptr : &f->second;
  };
  for (size_t i = 0; i < kPropertyCount; ++i) {
    const PropertyDeclaration* d = w[i].decl;
    if (!d || d->value.kind != Value::Kind::Pending) continue;
    const PendingValue& p = *d->value.pending;
    std::string text, missing;
    if (!substitute_vars(p, lookup, text, missing)) {
      if (invalid_vars_.insert({&p, missing}).second)
        sink().warning("css-var-undefined", p.value_pos,
                       "'" + p.property + "' is invalid at computed-value time: " +
                           (missing.starts_with("--")
                                ? "var(" + missing + ") has no value (undefined or invalid) and no fallback"
                                : missing) +
                           " (the property is unset)",
                       "define it, e.g. :root { " +
                           (missing.starts_with("--") ? missing : std::string("--name")) +
                           ": ...; }, or give a fallback: var(--name, value)");
      w[i].decl = &unset_;
      continue;
    }
    auto [at, fresh] = substituted_.try_emplace({&p, text});
    if (fresh) compile_substituted(p, text, d->important, sink(), at->second);
    w[i].decl = &unset_;
    for (const PropertyDeclaration& c : at->second)
      if (static_cast<size_t>(c.id) == i) w[i].decl = &c;
  }
}

}  // namespace trang::style::cascade
