// trang render ARTICLE.xml -o OUT.pdf [--stylesheet FILE.css] [--dump-layout FILE|-]
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/render.h"

namespace trang::cli {
namespace {

struct RenderArgs {
  std::string article, output, css, dump;
  int max_pages = 500;
};

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

int run_render(const RenderArgs& a) {
  Diagnostics diags;
  if (same_file(a.article, a.output) || (!a.css.empty() && same_file(a.css, a.output))) {
    std::cerr << a.output << ": error: the output would overwrite an input file\n";
    return kExitUsage;
  }
  RenderRequest req{a.article, a.css, a.max_pages, !a.dump.empty()};
  RenderResult res = render(req, diags);
  if (res.pdf && !a.dump.empty()) {
    if (a.dump == "-") std::cout << res.layout_dump;
    else write_file_atomically(a.dump, res.layout_dump, diags);
  }
  if (res.pdf && !diags.has_errors()) write_file_atomically(a.output, *res.pdf, diags);
  print_diagnostics(diags);
  return diags.has_errors() ? kExitInput : kExitOk;
}

}  // namespace

void add_render_command(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* render = app.add_subcommand("render", "Render one article to PDF");
  render->add_option("article", args->article, "The article (XML)")->required();
  render->add_option("-o,--output", args->output, "The PDF to write")->required();
  render->add_option("-s,--stylesheet", args->css, "A stylesheet cascaded over the built-in default");
  render->add_option("--dump-layout", args->dump, "Write a text dump of the page tree (- for stdout)");
  render->add_option("--max-pages", args->max_pages, "Stop with an error past this many pages")
      ->check(CLI::Range(1, 100000));
  commands.push_back({render, [args] { return run_render(*args); }});
}

}  // namespace trang::cli
