// What the parts of `trang batch` share: its arguments, the outcome of one article as a worker
// reports it, and the pipe protocol between the parent and its workers. The command is
// cmd_batch.cpp, the workers batch_worker.cpp, the pool and its progress line batch_pool.cpp.
// Private to cli/.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/batch.h"
#include "cli/render.h"
#include "core/core.h"

namespace trang::cli {

using Clock = std::chrono::steady_clock;

struct BatchArgs {
  std::string input, out_dir, css, shard;
  int jobs = 0;  // 0: one per available core
  bool skip_existing = false;
  bool optimize_images = false;
  bool strict = false;  // an article with warnings fails: no PDF, as render --strict
  std::string report;   // --report FILE.json
  // Set by run_batch before the workers fork: the input root, and the options as stamps
  // record them (paths by their stamp keys, so any spelling of them resumes).
  batch::Root root;
  std::string options;
  int max_pages = 500;
  double timeout = 300;  // seconds per article
  std::vector<std::string> assets;  // --assets folders (docs/security.md)
  // The stylesheet (`css`), parsed and checked once by run_batch before the workers fork;
  // every worker renders with it, and its warnings are printed once for the batch.
  std::shared_ptr<const PreparedStylesheet> sheet;
};

// ---- pipes: whole messages over a pipe, retrying short reads and writes -----------------------

bool write_all(int fd, const void* data, size_t n);
bool read_all(int fd, void* data, size_t n);
bool send_message(int fd, const std::string& msg);
std::optional<std::string> receive_message(int fd);

// ---- one article's outcome, sent from a worker to the parent ----------------------------------

// Taken: another batch holds the article's claim (batch::OutputClaim) and renders it.
enum class Status : char { Rendered = 'R', UpToDate = 'U', Failed = 'F', Taken = 'T' };

struct Outcome {
  Status status = Status::Failed;
  bool output_error = false;  // failed because the output could not be written: exit 3
  batch::RenderSummary result;  // pages and warnings (of the render the stamp recorded, when up to date)
  std::string messages;  // formatted diagnostics, one per line
};


// "S OUTPUT_ERROR PAGES WARNINGS LISTED\n", LISTED lines "CODE MESSAGE\n", then the messages.
std::string encode(const Outcome& o);
Outcome decode(const std::string& msg);

// The options as a stamp records them (BatchArgs::options).
std::string options_text(const BatchArgs& a);
// "1 page", "2 pages".
std::string plural(long long n, const char* one, const char* many);

// A worker: reads article indices from `task_fd`, renders each, writes its Outcome to
// `result_fd`; exits at EOF.
[[noreturn]] void worker_main(int task_fd, int result_fd, const std::vector<batch::Job>& jobs,
                              const BatchArgs& a);

}  // namespace trang::cli
