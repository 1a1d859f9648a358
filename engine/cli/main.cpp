// The trang command. The only place that prints or exits: every stage reports into a
// Diagnostics sink, and exceptions (bugs, out of memory) are caught here once.
//
// Exit codes: 0 success, 1 bad input (article, stylesheet, image, font), 2 bad usage,
// 3 output error, 4 resource limit, 70 internal error (commands.h, docs/security.md).
// Each subcommand is in its own cmd_<name>.cpp.
#include <csignal>
#include <iostream>
#include <string_view>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace trang::cli;
  constexpr const char* kVersion = "trang " TRANG_VERSION;
  // Answered before the command line is set up: scripts and package checks call it often, and
  // building CLI11's tree of commands was most of its cost (docs/startup.md).
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::cout << kVersion << '\n';
    return kExitOk;
  }
  CLI::App app{"trang: lays out XML articles into print-ready PDF"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  std::vector<Command> commands;
  add_render_command(app, commands);
  add_batch_command(app, commands);
  add_check_command(app, commands);
  add_watch_command(app, commands);

  // CLI11 says only "A subcommand is required" for a mistyped command: name it.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    std::string names;
    for (const Command& c : commands) {
      known |= c.app->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + c.app->get_name();
    }
    if (!known) {
      std::cerr << "trang: error: unknown command '" << argv[1] << "'\n"
                << "  hint: commands are: " << names << " (see trang --help)\n";
      return kExitUsage;
    }
  }
  // A file size limit (ulimit -f) must fail a write with EFBIG, reported like a full disk,
  // not kill the process halfway through the temporary file.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (std::string_view(argv[1]) == "batch") use_batch_allocator(argv);
  try {
    for (const Command& c : commands)
      if (c.app->parsed()) return c.run();
  } catch (const std::bad_alloc&) {
    std::cerr << "trang: error: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "trang: internal error: " << e.what() << '\n';
    return kExitInternal;
  }
  return kExitUsage;
}
