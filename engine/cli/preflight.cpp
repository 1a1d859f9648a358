#include "cli/preflight.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace trang::cli {

namespace {

using json = nlohmann::json;

const char* level_name(Finding::Level l) {
  switch (l) {
    case Finding::Level::Info: return "info";
    case Finding::Level::Warning: return "warning";
    case Finding::Level::Error: return "error";
  }
  return "info";
}

std::string where(const SourcePos& p) {
  if (p.file.empty()) return "";
  std::string s = p.file;
  if (p.line > 0) s += ':' + std::to_string(p.line) + ':' + std::to_string(p.col);
  return s;
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// "U+0E01 U+1F600" -> code points as UTF-8 and as U+ strings.
json code_points(const std::string& list) {
  json out = json::array();
  std::istringstream in(list);
  std::string tok;
  while (in >> tok) {
    if (!starts_with(tok, "U+")) continue;
    char32_t cp = static_cast<char32_t>(std::strtoul(tok.c_str() + 2, nullptr, 16));
    std::string ch;
    if (cp >= 0x20 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) append_utf8(ch, cp);
    out.push_back({{"code_point", tok}, {"character", ch}});
  }
  return out;
}

json split_list(const std::string& s) {
  json out = json::array();
  size_t at = 0;
  while (at < s.size()) {
    size_t end = s.find(", ", at);
    if (end == std::string::npos) end = s.size();
    if (end > at) out.push_back(s.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

}  // namespace

PreflightReport preflight(const RenderRequest& req, const RenderResult& res,
                          const Diagnostics& diags) {
  PreflightReport r;
  r.article = req.article;
  r.profile = req.profile.empty() ? "screen" : req.profile;
  bool print = r.profile == "print";
  auto add = [&](Finding::Level level, std::string kind, std::string message, SourcePos pos,
                 const json& details) {
    r.findings.push_back({level, std::move(kind), std::move(message), std::move(pos),
                          details.dump()});
  };

  // Diagnostics: the stages' own words, classified where preflight has a name for them.
  for (const Diagnostic& d : diags.all()) {
    Finding::Level level = d.severity == Diagnostic::Severity::Error     ? Finding::Level::Error
                           : d.severity == Diagnostic::Severity::Warning ? Finding::Level::Warning
                                                                         : Finding::Level::Info;
    if (d.code == "css-unknown-font-family") {
      // The text would be set in a fallback face the designer did not choose: not ready.
      json details = {{"code", d.code}};
      if (!d.hint.empty()) details["hint"] = d.hint;
      add(Finding::Level::Error, d.code, d.message, d.pos, details);
    } else if (!d.code.empty()) {
      json details = {{"code", d.code}};
      if (!d.hint.empty()) details["hint"] = d.hint;
      add(level, d.code, d.message, d.pos, details);
    } else if (d.message.find("overset") != std::string::npos) {
      // layout/flow.cpp: "layout stopped after N pages; the rest of the article is overset"
      add(Finding::Level::Error, "overset", d.message, d.pos, {{"max_pages", req.max_pages}});
    } else if (starts_with(d.message, "no font has a glyph for ")) {
      // text/paragraph.cpp: the code points, and the chain in the hint "fonts tried: A, B".
      std::string list = d.message.substr(24);
      std::string tried = starts_with(d.hint, "fonts tried: ") ? d.hint.substr(13) : "";
      add(Finding::Level::Error, "missing-glyph",
          "no font has a glyph for " + list + (tried.empty() ? "" : " (tried " + tried + ")"),
          d.pos, {{"characters", code_points(list)}, {"fonts_tried", split_list(tried)}});
    } else if (starts_with(d.message, "print profile without --output-profile")) {
      add(level, "output-intent", d.message, d.pos, {{"hint", d.hint}});
    } else {
      json details = json::object();
      if (!d.hint.empty()) details["hint"] = d.hint;
      add(level, "diagnostic", d.message, d.pos, details);
    }
  }

  // Effective resolution: pixels over the placed size in inches, the worse axis.
  const RenderFacts& f = res.facts;
  double min_ppi = print ? kPrintMinPpi : kScreenMinPpi;
  for (const RenderFacts::Image& im : f.images) {
    if (im.width_pt <= 0 || im.height_pt <= 0) continue;
    double ppi_x = im.width_px / (im.width_pt / 72.0);
    double ppi_y = im.height_px / (im.height_pt / 72.0);
    double ppi = std::min(ppi_x, ppi_y);
    json details = {{"file", im.path},
                    {"page", im.page},
                    {"pixels", {im.width_px, im.height_px}},
                    {"placed_pt", {std::round(im.width_pt * 100) / 100,
                                   std::round(im.height_pt * 100) / 100}},
                    {"effective_ppi", std::round(ppi * 10) / 10},
                    {"required_ppi", min_ppi}};
    if (ppi < min_ppi) {
      std::ostringstream m;
      m.imbue(std::locale::classic());
      m << "image on page " << im.page << " has " << std::lround(ppi) << " ppi effective ("
        << im.width_px << " x " << im.height_px << " px placed at "
        << format_number(im.width_pt / 72 * 25.4, 1) << " x "
        << format_number(im.height_pt / 72 * 25.4, 1) << " mm); " << min_ppi << " needed"
        << (print ? " for print" : "");
      add(print ? Finding::Level::Error : Finding::Level::Warning, "image-resolution", m.str(),
          {im.path}, details);
    }
    if (print && im.components == 3) {
      add(Finding::Level::Warning, "rgb-object",
          im.jpeg ? "RGB JPEG on page " + std::to_string(im.page) +
                        " kept as ICC-based sRGB; the RIP converts it to the output condition"
                  : "RGB image on page " + std::to_string(im.page) + " converted to CMYK",
          {im.path}, details);
    }
  }
  if (print && f.rgb_colors_converted > 0)
    add(Finding::Level::Warning, "rgb-object",
        std::to_string(f.rgb_colors_converted) +
            " RGB colours (text, rules, fills) converted to CMYK" +
            (f.output_profile_embedded ? " through the output profile" : " with the naive formula"),
        {}, {{"count", f.rgb_colors_converted}});
  if (r.profile == "archive" && f.cmyk_converted > 0)
    add(Finding::Level::Info, "cmyk-object",
        std::to_string(f.cmyk_converted) + " CMYK colours or images converted to RGB for the sRGB "
        "output intent", {}, {{"count", f.cmyk_converted}});
  for (const RenderFacts::Font& font : f.fonts)
    add(Finding::Level::Info, "font",
        font.name + " (" + font.path + "), " + std::to_string(font.glyphs) +
            " glyphs, embedded as a subset",
        {font.path}, {{"name", font.name}, {"file", font.path}, {"glyphs", font.glyphs}});

  for (const Finding& x : r.findings) {
    if (x.level == Finding::Level::Error) ++r.errors;
    if (x.level == Finding::Level::Warning) ++r.warnings;
  }
  return r;
}

std::string PreflightReport::json() const {
  nlohmann::ordered_json j;
  j["article"] = article;
  j["profile"] = profile;
  j["errors"] = errors;
  j["warnings"] = warnings;
  j["ok"] = errors == 0;
  auto& list = j["findings"] = nlohmann::ordered_json::array();
  for (const Finding& f : findings) {
    nlohmann::ordered_json o;
    o["level"] = level_name(f.level);
    o["kind"] = f.kind;
    o["message"] = f.message;
    if (!f.pos.file.empty()) {
      o["file"] = f.pos.file;
      if (f.pos.line > 0) {
        o["line"] = f.pos.line;
        o["column"] = f.pos.col;
      }
    }
    o["details"] = nlohmann::ordered_json::parse(f.details_json);
    list.push_back(std::move(o));
  }
  // Invalid UTF-8 in a message (from a bad input) is replaced rather than thrown on.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

std::string PreflightReport::summary() const {
  std::string s = "preflight (" + profile + "): " + article + "\n";
  for (const Finding& f : findings) {
    if (f.level == Finding::Level::Info && f.kind != "font") continue;
    std::string w = where(f.pos);
    s += "  " + std::string(f.kind == "font" ? "font" : level_name(f.level)) + ": ";
    if (f.kind != "font" && !w.empty()) s += w + ": ";
    s += f.kind == "font" ? f.message : "[" + f.kind + "] " + f.message;
    s += '\n';
  }
  s += "  " + std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") +
       std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings") +
       (errors ? ": NOT ready" : ": ready") + '\n';
  return s;
}

}  // namespace trang::cli
