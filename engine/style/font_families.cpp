// The font-family names of a stylesheet checked against the fonts a render can use: a name
// that matches nothing falls back silently to the catalogue's faces (CSS Fonts 4 §5.1), which
// is rarely what the designer meant ("Noto Serf").
#include <algorithm>

#include "style/sheet.h"
#include "style/style.h"
#include "style/suggest.h"

namespace trang::style {

namespace {

// CSS Fonts 4 §2.1.1 generic family names: never an installed family, always resolved.
constexpr std::string_view kGenericFamilies[] = {
    "serif",    "sans-serif", "monospace",     "cursive",      "fantasy",
    "system-ui", "ui-serif",  "ui-sans-serif", "ui-monospace", "ui-rounded",
    "math",     "emoji",      "fangsong"};

// The closest families by edit distance; a looser bar than a typo (closest_match), since
// "Noto Serf" should suggest "Noto Serif" and a missing family should still name some.
std::string closest_families(std::string_view name, const std::vector<std::string>& families) {
  std::vector<std::pair<int, const std::string*>> scored;
  for (const std::string& f : families) scored.push_back({edit_distance(name, f), &f});
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t i = 0; i < scored.size() && i < 3; ++i)
    out += (i ? ", " : "") + ("'" + *scored[i].second + "'");
  return out;
}

}  // namespace

void check_font_families(const Stylesheet& sheet, const std::vector<const Stylesheet*>& declared,
                         const std::function<bool(const std::string&)>& installed,
                         const std::function<std::vector<std::string>()>& families,
                         Diagnostics& diags) {
  std::vector<std::string> installed_list;
  bool listed = false;
  auto known = [&](const std::string& family) {
    for (std::string_view g : kGenericFamilies)
      if (css::equals_ignore_case(family, g)) return true;
    for (const Stylesheet* s : declared)
      for (const FontFace& f : font_faces(*s))
        if (css::equals_ignore_case(family, f.family)) return true;
    return installed(family);
  };
  auto check = [&](const PropertyDeclaration& d) {
    if (d.id != PropertyId::FontFamily || d.value.kind != Value::Kind::Families) return;
    for (const std::string& family : d.value.families) {
      if (known(family)) continue;
      if (!listed) installed_list = families(), listed = true;
      std::string near = closest_families(family, installed_list);
      diags.warning("css-unknown-font-family", d.value_pos,
                    "no font has the family '" + family +
                        "' (the text falls back to the next family or the catalogue's)",
                    near.empty() ? std::string() : "installed families close to it: " + near);
    }
  };
  const Stylesheet::Impl& s = sheet.impl();
  for (const StyleRule& r : s.rules)
    for (const PropertyDeclaration& d : r.declarations) check(d);
  for (const PageRule& p : s.pages)
    for (const MarginBoxRule& b : p.boxes)
      for (const PropertyDeclaration& d : b.declarations) check(d);
}

}  // namespace trang::style
