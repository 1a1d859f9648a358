// The trang command's subcommands. Each lives in its own cmd_<name>.cpp and registers itself
// with the CLI11 app; main.cpp owns parsing, exit codes and the one catch for exceptions.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "core/core.h"

namespace trang::cli {

// Exit codes shared by every command.
constexpr int kExitOk = 0;
constexpr int kExitInput = 1;     // bad input: article, stylesheet, image, font
constexpr int kExitUsage = 2;     // bad command line
constexpr int kExitInternal = 3;  // a bug or out of memory

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  // called when `app` was parsed; returns the exit code
};

// Prints diagnostics to stderr the way compilers do.
void print_diagnostics(const Diagnostics& diags);

void add_render_command(CLI::App& app, std::vector<Command>& commands);
void add_batch_command(CLI::App& app, std::vector<Command>& commands);
void add_check_command(CLI::App& app, std::vector<Command>& commands);
void add_watch_command(CLI::App& app, std::vector<Command>& commands);

}  // namespace trang::cli
