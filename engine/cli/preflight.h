// Preflight: what a print shop's or an archive's checker would complain about, found from a
// render's diagnostics and facts (render.h) and reported as a readable summary and as JSON.
// Used by `trang check` and by `trang render --report`.
#pragma once

#include <string>
#include <vector>

#include "cli/render.h"
#include "core/core.h"

namespace trang::cli {

struct Finding {
  enum class Level : uint8_t { Info, Warning, Error };
  Level level = Level::Info;
  // overset, image-resolution, missing-glyph, rgb-object, font, output-intent, diagnostic
  std::string kind;
  std::string message;
  SourcePos pos;
  // Machine-readable details, as JSON text (an object), for the report.
  std::string details_json = "{}";
};

struct PreflightReport {
  std::string article;
  std::string profile;
  std::vector<Finding> findings;
  int errors = 0, warnings = 0;

  // The JSON document (docs/print-and-archive.md, "Preflight report").
  std::string json() const;
  // One line per error and warning, then the fonts, then a count; for stderr.
  std::string summary() const;
};

// Thresholds (docs/print-and-archive.md): print needs 300 ppi (below is an error); the other
// profiles warn below 225 ppi.
inline constexpr double kPrintMinPpi = 300;
inline constexpr double kScreenMinPpi = 225;

PreflightReport preflight(const RenderRequest& request, const RenderResult& result,
                          const Diagnostics& diags);

}  // namespace trang::cli
