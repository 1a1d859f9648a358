// trang check ARTICLE.xml [--profile screen|print|archive] [--stylesheet FILE.css]
//                         [--output-profile FILE.icc] [--report FILE.json|-]
// Preflight: renders in memory (no PDF is written), prints a summary on stderr, writes the
// JSON report, and exits 1 when there is an error-level finding.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/preflight.h"
#include "cli/render.h"

namespace trang::cli {
namespace {

struct CheckArgs {
  std::string article, css, profile = "screen", output_profile, report;
  int max_pages = 500;
  std::vector<std::string> assets;  // --assets folders (docs/security.md)
};

int run_check(const CheckArgs& a) {
  Diagnostics diags;
  RenderRequest req;
  req.article = a.article;
  req.stylesheet = a.css;
  req.max_pages = a.max_pages;
  req.profile = a.profile;
  req.output_profile = a.output_profile;
  req.assets = a.assets;
  RenderResult res = render(req, diags);
  PreflightReport report = preflight(req, res, diags);
  std::cerr << report.summary();
  if (!a.report.empty()) {
    if (a.report == "-") {
      std::cout << report.json();
    } else {
      Diagnostics out;
      if (!write_file_atomically(a.report, report.json(), out)) {
        print_diagnostics(out);
        return kExitOutput;
      }
    }
  }
  return report.errors > 0 ? kExitInput : kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* check = app.add_subcommand("check", "Preflight an article: overset, image resolution, "
                                                "missing glyphs, colour, fonts");
  check->add_option("article", args->article, "The article (XML)")->required();
  check->add_option("-s,--stylesheet", args->css, "A stylesheet cascaded over the built-in default");
  check->add_option("--profile", args->profile, "screen (default), print (PDF/X-4) or archive (PDF/A-2b)")
      ->check(CLI::IsMember({"screen", "print", "archive"}));
  check->add_option("--output-profile", args->output_profile, "The press's CMYK ICC profile (print)");
  check->add_option("--report", args->report, "Write the JSON report to FILE (- for stdout)");
  check->add_option("--max-pages", args->max_pages, "Text past this many pages is overset")
      ->check(CLI::Range(1, 100000));
  check->add_option("--assets", args->assets,
                   "A folder images may also come from (repeatable)")
      ->allow_extra_args(false);
  commands.push_back({check, [args] { return run_check(*args); }});
}

}  // namespace trang::cli
