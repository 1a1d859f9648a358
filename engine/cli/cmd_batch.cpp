// trang batch INPUT_DIR|LIST_FILE -o OUT_DIR [--stylesheet FILE.css] [--jobs N]
//             [--skip-existing] [--shard K/N] [--timeout SECONDS] [--max-pages N]
//             [--strict] [--report FILE.json]
//
// Renders every article of a folder (or a list file) into OUT_DIR, mirroring the folders.
//
// Why processes and not threads: measured on the 2-core machine, both give the same
// throughput once each worker keeps its font cache across articles (the render is CPU-bound
// and shares nothing but read-only font bytes), but only a process survives a crash of the
// code it runs. A worker that dies (a bug in a stage, a library's abort(), out of memory)
// is reported as a failure of the article it was rendering and replaced; the batch goes on.
// Each worker is a long-lived fork of this process with its own text::FontCache (not
// thread-safe, and it need not be: nothing is shared), so fontconfig, font files and the
// per-face shaping caches are set up once per worker, not once per article.
//
// The parent only lists, dispatches, watches and reports: it sends article indices down a
// pipe to each worker and reads back one message per article (status, pages, diagnostics).
// This file is the command and its summary; batch_worker.cpp the workers, batch_pool.cpp
// the pool and the progress line, batch.cpp what to render (listing, shards, stamps).
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/batch.h"
#include "cli/batch_pool.h"
#include "cli/batch_run.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "text/text.h"

namespace trang::cli {
namespace {

namespace fs = std::filesystem;

volatile sig_atomic_t g_interrupted = 0;  // SIGINT/SIGTERM count
void on_interrupt(int) { g_interrupted = g_interrupted + 1; }

// ---- the allocator ----------------------------------------------------------------------------

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define TRANG_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TRANG_SANITIZED 1
#endif

}  // namespace

// A batch allocates and frees the same shapes article after article (pieces of words, lines,
// runs, libharu's objects); glibc's allocator spent a tenth of a worker's time on it, mimalloc
// (Debian's libmimalloc2.0) 8% less of the whole, for 2-3 MiB more per process. A single render
// keeps glibc's allocator: there mimalloc gained nothing on the sample article and took the
// 20-page article's peak over 30 MiB. The allocator changes no output byte (e2e
// batch.jobs_identical_bytes compares a batch's PDFs with render's). Not done when: trang was built without
// the library found, or it is gone; TRANG_BATCH_ALLOCATOR is set (the re-executed process has it;
// "system" keeps glibc's); LD_PRELOAD is set already (someone else's choice); a sanitizer is
// built in (it must own malloc); or the exec fails (no /proc).
void use_batch_allocator(char** argv) {
#if defined(TRANG_BATCH_MALLOC) && !defined(TRANG_SANITIZED)
  const char* lib = TRANG_BATCH_MALLOC;
  if (std::getenv("TRANG_BATCH_ALLOCATOR") || std::getenv("LD_PRELOAD")) return;
  if (::access(lib, R_OK) != 0) return;
  ::setenv("TRANG_BATCH_ALLOCATOR", lib, 1);
  ::setenv("LD_PRELOAD", lib, 1);
  ::execv("/proc/self/exe", argv);
  ::unsetenv("LD_PRELOAD");
#else
  (void)argv;
#endif
}

namespace {

// ---- the command ------------------------------------------------------------------------------

// The machine-readable account of a batch (--report, docs/batch.md): every article with its
// status, pages, warnings (with codes) and output.
std::string report_json(const BatchArgs& a, const std::vector<batch::Job>& jobs,
                        const std::vector<std::optional<Outcome>>& outcomes,
                        const Diagnostics& list_diags, const Diagnostics& sheet_diags) {
  using json = nlohmann::ordered_json;
  json articles = json::array();
  long long counts[6] = {};  // rendered, up to date, failed, not done, with warnings, taken
  for (size_t i = 0; i < jobs.size(); ++i) {
    json j;
    j["article"] = jobs[i].rel;
    j["input"] = jobs[i].input;
    const std::optional<Outcome>& o = outcomes[i];
    std::string status = !o                                    ? "not-done"
                         : o->status == Status::Rendered       ? "rendered"
                         : o->status == Status::UpToDate       ? "up-to-date"
                         : o->status == Status::Taken          ? "taken"
                                                               : "failed";
    counts[!o                                ? 3
           : o->status == Status::Rendered   ? 0
           : o->status == Status::UpToDate   ? 1
           : o->status == Status::Taken      ? 5
                                             : 2]++;
    bool made = o && (o->status == Status::Rendered || o->status == Status::UpToDate);
    j["status"] = status;
    j["clean"] = made && o->result.warnings == 0;
    j["output"] = made ? json(jobs[i].output) : json(nullptr);
    j["pages"] = made ? o->result.pages : 0;
    json warnings = json::array();
    if (o)
      for (const batch::Warning& w : o->result.listed)
        warnings.push_back({{"code", w.code}, {"message", w.message}});
    j["warning_count"] = o ? o->result.warnings : 0;
    j["warnings"] = warnings;
    if (made && o->result.warnings > 0) counts[4]++;
    json errors = json::array();
    if (o && o->status == Status::Failed) {
      std::istringstream in(o->messages);
      for (std::string line; std::getline(in, line);)
        if (line.find(": error: ") != std::string::npos) errors.push_back(line);
      j["output_error"] = o->output_error;
    }
    j["errors"] = errors;
    articles.push_back(std::move(j));
  }
  json list_errors = json::array();
  for (const Diagnostic& d : list_diags.all())
    if (d.severity == Diagnostic::Severity::Error) list_errors.push_back(d.format());
  json r;
  r["trang"] = TRANG_VERSION;
  r["input"] = a.input;
  r["output"] = a.out_dir;
  r["strict"] = a.strict;
  r["counts"] = {{"articles", jobs.size()},   {"rendered", counts[0]},
                 {"up_to_date", counts[1]},   {"failed", counts[2] + list_diags.error_count()},
                 {"not_done", counts[3]},     {"with_warnings", counts[4]},
                 {"taken", counts[5]}};
  r["list_errors"] = list_errors;
  // The stylesheet's own messages, once for the batch (no article's warnings repeat them).
  json sheet = json::array();
  for (const Diagnostic& d : sheet_diags.all())
    sheet.push_back({{"severity", d.severity == Diagnostic::Severity::Error     ? "error"
                                  : d.severity == Diagnostic::Severity::Warning ? "warning"
                                                                                : "note"},
                     {"message", d.format()}});
  r["stylesheet_diagnostics"] = sheet;
  r["articles"] = articles;
  return r.dump(2) + '\n';
}

int run_batch(BatchArgs& a) {
  auto start = Clock::now();
  Diagnostics list_diags;
  std::optional<batch::Shard> shard = batch::Shard{};
  if (!a.shard.empty() && !(shard = batch::parse_shard(a.shard))) {
    std::cerr << "trang: error: --shard '" << a.shard << "' is not K/N with 1 <= K <= N\n";
    return kExitUsage;
  }
  if (!a.css.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(a.css, ec)) {
      std::cerr << a.css << ": error: no such stylesheet\n";
      return kExitUsage;
    }
  }
  std::error_code ec;
  if (!fs::exists(a.input, ec)) {
    std::cerr << a.input << ": error: no such folder or list file\n";
    return kExitUsage;
  }
  std::vector<batch::Job> all = batch::list_jobs(a.input, a.out_dir, list_diags);
  std::vector<batch::Job> jobs;
  for (batch::Job& j : all)
    if (batch::in_shard(j.rel, *shard)) jobs.push_back(std::move(j));
  print_diagnostics(list_diags);
  // The stylesheet is parsed and checked here, once: the workers fork with it, and its
  // warnings are printed once for the batch, not once per article.
  Diagnostics sheet_diags;
  if (!a.css.empty()) {
    a.sheet = prepare_stylesheet(a.css, sheet_diags);
    print_diagnostics(sheet_diags);
    const char* why = sheet_diags.has_errors() ? "the stylesheet has errors"
                      : a.strict && sheet_diags.warning_count() > 0
                          ? "--strict: the stylesheet has warnings"
                          : nullptr;
    if (why) {
      std::cerr << "trang: error: " << why << "; no article rendered\n";
      if (!a.report.empty()) {
        Diagnostics out;
        std::vector<std::optional<Outcome>> none(jobs.size());
        if (!write_file_atomically(a.report, report_json(a, jobs, none, list_diags, sheet_diags), out))
          print_diagnostics(out);
      }
      return kExitInput;
    }
  }
  fs::create_directories(a.out_dir, ec);
  if (!fs::is_directory(a.out_dir)) {
    // An output error (exit 3, as render's): a read-only or full filesystem, not a typo.
    std::cerr << a.out_dir << ": error: cannot create the output folder"
              << (ec ? ": " + ec.message() : std::string()) << '\n';
    return kExitOutput;
  }
  a.root = batch::make_root(a.input);
  a.options = options_text(a);

  int nworkers = std::max(1, std::min<int>(a.jobs > 0 ? a.jobs : available_cores(),
                                           static_cast<int>(jobs.size())));
  // With a worker per core, a render's own threads would only compete with the other workers
  // (workers are forked from here, so they inherit the setting; this process never renders).
  if (nworkers > 1) set_render_threads(false);
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a worker that died while idle: its pipe's EPIPE is handled

  Progress progress(jobs.size());
  Pool pool(jobs, a);
  pool.workers_.resize(static_cast<size_t>(nworkers));
  size_t finished = 0, rendered = 0, same = 0, taken = 0, output_failures = 0;
  std::vector<std::optional<Outcome>> outcomes(jobs.size());
  std::vector<size_t> warned;  // articles rendered or up to date with warnings
  std::deque<size_t> todo;  // articles not yet sent to a worker, in order
  for (size_t i = 0; i < jobs.size(); ++i) todo.push_back(i);
  long long pages = 0;
  std::vector<std::pair<size_t, std::string>> failures;  // job, first message

  auto finish = [&](size_t job, const Outcome& o) {
    ++finished;
    if (o.status == Status::Rendered) {
      ++rendered;
      pages += o.result.pages;
    } else if (o.status == Status::UpToDate) {
      ++same;
    } else if (o.status == Status::Taken) {
      ++taken;
    } else {
      // The first error, not a warning printed before it.
      size_t at = o.messages.find(": error: ");
      at = at == std::string::npos ? 0 : o.messages.rfind('\n', at);
      at = at == std::string::npos ? 0 : at + (o.messages[at] == '\n');
      std::string first = o.messages.substr(at, o.messages.find('\n', at) - at);
      failures.emplace_back(job, first.empty() ? jobs[job].input + ": error: failed" : first);
      if (o.output_error) ++output_failures;
    }
    if ((o.status == Status::Rendered || o.status == Status::UpToDate) && o.result.warnings > 0)
      warned.push_back(job);
    outcomes[job] = o;
    progress.done(jobs[job], o);
  };
  // A worker died: the article it was rendering failed; those waiting in its pipe go to
  // another worker.
  auto fail_in_flight = [&](Worker& w) {
    size_t job = w.queue.front();
    for (size_t k = w.queue.size(); k-- > 1;) todo.push_front(w.queue[k]);
    std::string why = pool.reap(w);
    remove_temporaries(jobs[job].output);
    Outcome o;
    o.messages = jobs[job].input + ": error: " + why + '\n';
    finish(job, o);
  };

  bool spawn_failed = false;
  while (finished < jobs.size() && g_interrupted < 2) {
    // Keep every worker two articles deep, starting (or restarting) workers as needed.
    constexpr size_t kDepth = 2;
    for (size_t round = 0; round < kDepth; ++round)
      for (Worker& w : pool.workers_) {
        if (todo.empty() || g_interrupted) break;
        if (w.queue.size() > round) continue;
        if (w.pid < 0 && !pool.spawn(w)) {  // go on with the workers there are
          if (!spawn_failed)
            std::cerr << "trang: warning: cannot start a worker process: " << std::strerror(errno) << '\n';
          spawn_failed = true;
          continue;
        }
        uint32_t index = static_cast<uint32_t>(todo.front());
        if (!write_all(w.task_fd, &index, sizeof index)) {  // it died: start another
          if (w.queue.empty()) pool.reap(w);
          else fail_in_flight(w);
          continue;
        }
        todo.pop_front();
        if (w.queue.empty()) w.started = Clock::now();
        w.queue.push_back(index);
      }
    std::vector<pollfd> fds;
    std::vector<Worker*> busy;
    for (Worker& w : pool.workers_)
      if (!w.queue.empty()) {
        fds.push_back({w.result_fd, POLLIN, 0});
        busy.push_back(&w);
      }
    if (fds.empty()) {
      if (todo.empty() || g_interrupted) break;
      // No worker could be started at all.
      if (std::all_of(pool.workers_.begin(), pool.workers_.end(), [](const Worker& w) { return w.pid < 0; })) {
        std::cerr << "trang: error: no worker process could be started\n";
        return kExitInternal;
      }
      continue;
    }
    int ready = poll(fds.data(), fds.size(), 100);
    if (ready < 0 && errno != EINTR) break;
    for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker& w = *busy[i];
      if (auto msg = receive_message(w.result_fd)) {
        size_t job = w.queue.front();
        w.queue.pop_front();
        w.started = Clock::now();  // the worker went straight on to the next, if there is one
        finish(job, decode(*msg));
      } else {
        fail_in_flight(w);
      }
    }
    auto now = Clock::now();
    for (Worker* w : busy)
      if (!w->queue.empty() && !w->killed_for_timeout &&
          std::chrono::duration<double>(now - w->started).count() > a.timeout) {
        kill(w->pid, SIGKILL);
        w->killed_for_timeout = true;
      }
    progress.draw();
  }

  size_t interrupted = 0;
  if (g_interrupted) {
    for (Worker& w : pool.workers_)
      if (!w.queue.empty()) {
        ++interrupted;
        std::deque<size_t> sent = w.queue;
        pool.stop(w);
        for (size_t job : sent) remove_temporaries(jobs[job].output);  // any it had begun
      }
  }
  // Idle workers exit once their last PDFs and stamps are written; that is part of the
  // batch, so it is waited for before the time is taken.
  for (Worker& w : pool.workers_) pool.stop(w);
  progress.clear();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();

  // The summary: counts, then every failure with its first message.
  std::cout << "trang batch: " << jobs.size() << (jobs.size() == 1 ? " article" : " articles");
  if (!a.shard.empty())
    std::cout << " (shard " << shard->index << '/' << shard->count << " of " << all.size() << ")";
  std::cout << ": " << rendered << " rendered (" << plural(pages, "page", "pages") << "), " << same
            << " up to date, " << failures.size() + list_diags.error_count() << " failed, "
            << warned.size() << " with warnings";
  if (taken > 0) std::cout << ", " << taken << " taken by another batch";
  if (g_interrupted) std::cout << ", " << jobs.size() - finished << " not done (interrupted)";
  char rate[128];
  std::snprintf(rate, sizeof rate, " in %.2f s (%.1f pages/s) with %d %s\n", secs,
                secs > 0 ? pages / secs : 0.0, nworkers, nworkers == 1 ? "worker" : "workers");
  std::cout << rate;
  if (sheet_diags.warning_count() > 0)
    std::cout << "  the stylesheet gave " << plural(sheet_diags.warning_count(), "warning", "warnings")
              << " (printed once above, for every article)\n";
  if (jobs.empty() && all.empty()) std::cout << "  (no *.xml articles found in " << a.input << ")\n";
  if (same > 0 && rendered == 0 && failures.empty() && !list_diags.has_errors())
    std::cout << "  nothing to render: every output is up to date\n";
  if (!warned.empty()) {
    // Made, but not clean: a placeholder for a photo, a missing glyph, overset text. The
    // systems that drive batches read --report; a person reads this.
    std::sort(warned.begin(), warned.end());
    std::cout << "with warnings:\n";
    for (size_t job : warned) {
      const batch::RenderSummary& r = outcomes[job]->result;
      std::set<std::string> codes;
      for (const batch::Warning& w : r.listed) codes.insert(w.code);
      std::string kinds;
      for (const std::string& c : codes) kinds += (kinds.empty() ? "" : ", ") + c;
      std::cout << "  " << jobs[job].rel << ": " << plural(r.warnings, "warning", "warnings")
                << " (" << kinds << ") -> " << jobs[job].output << '\n';
    }
  }
  if (!failures.empty()) {
    std::sort(failures.begin(), failures.end());
    std::cout << "failed:\n";
    for (const auto& [job, first] : failures) std::cout << "  " << first << '\n';
  }
  std::cout.flush();
  (void)interrupted;
  bool report_failed = false;
  if (!a.report.empty()) {
    Diagnostics out;
    if (!write_file_atomically(a.report, report_json(a, jobs, outcomes, list_diags, sheet_diags), out)) {
      print_diagnostics(out);
      report_failed = true;
    }
  }
  if (g_interrupted) return 130;
  // An output that cannot be written is the machine's problem, not the articles': it wins.
  if (output_failures > 0 || report_failed) return kExitOutput;
  return failures.empty() && !list_diags.has_errors() ? kExitOk : kExitInput;
}

}  // namespace

void add_batch_command(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<BatchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "batch", "Render every article of a folder (or a list file) into a folder of PDFs");
  cmd->add_option("input", args->input,
                  "A folder (every *.xml below it) or a list file (one article path a line)")
      ->required();
  cmd->add_option("-o,--output", args->out_dir,
                  "The folder to write to; sub-folders mirror the input's")
      ->required();
  cmd->add_option("-s,--stylesheet", args->css, "A stylesheet cascaded over the built-in default");
  cmd->add_option("-j,--jobs", args->jobs, "Worker processes (default: one per core)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--optimize-images", args->optimize_images,
                "Re-code JPEGs losslessly (progressive, optimised Huffman tables): smaller "
                "files, the same pixels; each photo once per worker");
  cmd->add_flag("--skip-existing", args->skip_existing,
                "Skip articles whose PDF is up to date (same article, stylesheet, images, trang)");
  cmd->add_option("--shard", args->shard,
                  "Render only shard K of N (K/N, 1-based), chosen by a stable hash of the path");
  cmd->add_option("--timeout", args->timeout, "Stop an article that takes longer (seconds)")
      ->check(CLI::Range(0.1, 1e6));
  cmd->add_option("--assets", args->assets,
                 "A folder images may also come from (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--max-pages", args->max_pages, "Stop an article with an error past this many pages")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--strict", args->strict,
                "Fail articles with warnings (damaged photos, missing glyphs, ...): no PDF, exit 1");
  cmd->add_option("--report", args->report,
                  "Also write a JSON report: every article's status, pages, warnings, output");
  commands.push_back({cmd, [args] { return run_batch(*args); }});
}

}  // namespace trang::cli
