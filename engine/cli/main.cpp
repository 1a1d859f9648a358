// The trang command. The only place that prints or exits: every stage reports into a
// Diagnostics sink, and exceptions (bugs, out of memory) are caught here once.
//
// Exit codes: 0 success, 1 bad input (article, stylesheet, image, font), 2 bad usage,
// 3 internal error.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <string_view>

#include "cli/render.h"

namespace {

constexpr int kExitInput = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;

void print(const trang::Diagnostics& diags) {
  for (const trang::Diagnostic& d : diags.all()) std::cerr << d.format() << '\n';
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

int run_render(const std::string& article, const std::string& output, const std::string& css,
               const std::string& dump, int max_pages) {
  trang::Diagnostics diags;
  if (same_file(article, output) || (!css.empty() && same_file(css, output))) {
    std::cerr << output << ": error: the output would overwrite an input file\n";
    return kExitUsage;
  }
  trang::RenderRequest req{article, css, max_pages, !dump.empty()};
  trang::RenderResult res = trang::render(req, diags);
  if (res.pdf && !dump.empty()) {
    if (dump == "-") std::cout << res.layout_dump;
    else trang::write_file_atomically(dump, res.layout_dump, diags);
  }
  if (res.pdf && !diags.has_errors()) trang::write_file_atomically(output, *res.pdf, diags);
  print(diags);
  return diags.has_errors() ? kExitInput : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trang: lays out XML articles into print-ready PDF"};
  app.set_version_flag("--version", "trang " TRANG_VERSION);
  app.require_subcommand(1);

  CLI::App* render = app.add_subcommand("render", "Render one article to PDF");
  std::string article, output, css, dump;
  int max_pages = 500;
  render->add_option("article", article, "The article (XML)")->required();
  render->add_option("-o,--output", output, "The PDF to write")->required();
  render->add_option("-s,--stylesheet", css, "A stylesheet cascaded over the built-in default");
  render->add_option("--dump-layout", dump, "Write a text dump of the page tree (- for stdout)");
  render->add_option("--max-pages", max_pages, "Stop with an error past this many pages")
      ->check(CLI::Range(1, 100000));

  // CLI11 says only "A subcommand is required" for a mistyped command: name it.
  if (argc > 1 && argv[1][0] != '-' && std::string_view(argv[1]) != "render") {
    std::cerr << "trang: error: unknown command '" << argv[1] << "'\n"
              << "  hint: commands are: render (see trang --help)\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  try {
    if (render->parsed()) return run_render(article, output, css, dump, max_pages);
  } catch (const std::bad_alloc&) {
    std::cerr << "trang: error: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "trang: internal error: " << e.what() << '\n';
    return kExitInternal;
  }
  return kExitUsage;
}
