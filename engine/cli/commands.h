// The trang command's subcommands. Each lives in its own cmd_<name>.cpp and registers itself
// with the CLI11 app; main.cpp owns parsing, exit codes and the one catch for exceptions.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "core/core.h"

namespace trang::cli {

// Exit codes shared by every command (README, docs/security.md).
constexpr int kExitOk = 0;         // success, maybe with warnings
constexpr int kExitInput = 1;      // bad input: article, stylesheet, image, font
constexpr int kExitUsage = 2;      // bad command line
constexpr int kExitOutput = 3;     // the output cannot be written (folder, permissions, disk)
constexpr int kExitLimit = 4;      // a resource limit stopped the work (--max-pages, ...)
constexpr int kExitInternal = 70;  // a bug or out of memory (EX_SOFTWARE)

// The exit code for a render's diagnostics: 0, 1 or 4.
inline int exit_code_for(const Diagnostics& diags) {
  if (!diags.has_errors()) return kExitOk;
  return diags.limit_reached() ? kExitLimit : kExitInput;
}

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  // called when `app` was parsed; returns the exit code
};

// Diagnostics as printed, one per line (with its hint) the way compilers print them; past
// kRepeatedWarnings warnings of one kind (the message but for what it quotes and its numbers:
// "unknown property 'colr'") the rest are one line: "FILE: note: ... and N more warnings like
// this". A sheet of many rules with one mistake each printed hundreds of thousands of lines.
inline constexpr size_t kRepeatedWarnings = 20;
std::string format_diagnostics(const Diagnostics& diags);
// Prints them (format_diagnostics) to stderr.
void print_diagnostics(const Diagnostics& diags);

void add_render_command(CLI::App& app, std::vector<Command>& commands);
void add_batch_command(CLI::App& app, std::vector<Command>& commands);
// `trang batch` runs on mimalloc when it is installed: this executes the process again with
// it preloaded, once, before any work (cmd_batch.cpp says when it does not). Returns only
// when it does not.
void use_batch_allocator(char** argv);
void add_check_command(CLI::App& app, std::vector<Command>& commands);
void add_watch_command(CLI::App& app, std::vector<Command>& commands);

}  // namespace trang::cli
