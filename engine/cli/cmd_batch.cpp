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
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRANG_UNDER_ASAN 1
#endif
#endif

#include "cli/batch.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "text/text.h"

namespace trang::cli {
namespace {

namespace fs = std::filesystem;
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
};

// ---- pipes ------------------------------------------------------------------------------------

bool write_all(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool send_message(int fd, const std::string& msg) {
  uint32_t n = static_cast<uint32_t>(msg.size());
  return write_all(fd, &n, sizeof n) && write_all(fd, msg.data(), msg.size());
}

std::optional<std::string> receive_message(int fd) {
  uint32_t n = 0;
  if (!read_all(fd, &n, sizeof n)) return std::nullopt;
  std::string msg(n, '\0');
  if (!read_all(fd, msg.data(), n)) return std::nullopt;
  return msg;
}

// ---- one article, in a worker ----------------------------------------------------------------

enum class Status : char { Rendered = 'R', UpToDate = 'U', Failed = 'F' };

struct Outcome {
  Status status = Status::Failed;
  bool output_error = false;  // failed because the output could not be written: exit 3
  batch::RenderSummary result;  // pages and warnings (of the render the stamp recorded, when up to date)
  std::string messages;  // formatted diagnostics, one per line
};

// "S OUTPUT_ERROR PAGES WARNINGS LISTED\n", LISTED lines "CODE MESSAGE\n", then the messages.
std::string encode(const Outcome& o) {
  std::string out(1, static_cast<char>(o.status));
  out += ' ' + std::to_string(o.output_error ? 1 : 0) + ' ' + std::to_string(o.result.pages) +
         ' ' + std::to_string(o.result.warnings) + ' ' + std::to_string(o.result.listed.size()) + '\n';
  for (const batch::Warning& w : o.result.listed) out += w.code + ' ' + w.message + '\n';
  return out + o.messages;
}

Outcome decode(const std::string& msg) {
  Outcome o;
  o.status = static_cast<Status>(msg.empty() ? 'F' : msg[0]);
  size_t at = msg.find('\n');
  std::istringstream head(msg.substr(1, at == std::string::npos ? std::string::npos : at - 1));
  int output_error = 0;
  size_t listed = 0;
  head >> output_error >> o.result.pages >> o.result.warnings >> listed;
  o.output_error = output_error != 0;
  for (size_t i = 0; i < listed && at != std::string::npos; ++i) {
    size_t end = msg.find('\n', at + 1);
    std::string line = msg.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    size_t sp = line.find(' ');
    o.result.listed.push_back({line.substr(0, sp), sp == std::string::npos ? "" : line.substr(sp + 1)});
    at = end;
  }
  if (at != std::string::npos) o.messages = msg.substr(at + 1);
  return o;
}

std::string options_text(const BatchArgs& a) {
  auto key = [&](const std::string& p) { return p.empty() ? p : batch::stamp_key(p, a.root); };
  std::string o = "stylesheet=" + key(a.css) + " max-pages=" + std::to_string(a.max_pages);
  for (const std::string& d : a.assets) o += " assets=" + key(d);
  if (a.optimize_images) o += " optimize-images";
  return o;
}

std::string plural(long long n, const char* one, const char* many) {
  return std::to_string(n) + ' ' + (n == 1 ? one : many);
}

std::string format_all(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.all()) out += d.format() + '\n';
  return out;
}

// Drop-behind for the PDFs a worker writes, as `dd oflag=nocache` does: each PDF's write-back
// to the disk starts as soon as it is written (sync_file_range, which does not wait for it),
// and kLag PDFs later, when that write-back is long done, its pages are dropped from the page
// cache (POSIX_FADV_DONTNEED drops only clean pages, so nothing is lost if it is not done).
// An archive run then holds about kLag PDFs per worker in the page cache instead of all of
// them: it does not push the photos, fonts and articles it reads out of the cache, and the
// pages it writes into are ones it freed a moment before. Fresh pages are not free: on this
// project's VM (whose memory the host backs lazily), filling 357 MB of page cache never used
// before took 0.86 s of kernel time against 0.07 s for pages just freed (dd). A 500-article
// batch writing beside the outputs of earlier runs went from 670 to 940 pages/s (alternating
// runs). When every page it gets is a recycled one anyway (earlier outputs deleted just before)
// it is about 5% slower: the write-back then happens during the run, on the same cores,
// instead of after it. The output is on the disk soon after the batch ends, not up to half a
// minute later; where the disk is slower than the workers, a large batch was bound by it anyway
// (the kernel throttles writers past its dirty limit). On tmpfs both calls do nothing. Errors
// are ignored: this only decides when the kernel does what it would do anyway.
class DropBehind {
 public:
  DropBehind() = default;
  DropBehind(const DropBehind&) = delete;
  DropBehind& operator=(const DropBehind&) = delete;
  ~DropBehind() {
    for (int fd : written_) ::close(fd);
  }

  // `fd`: a PDF whose bytes are all written, before it is named (write_file_atomically).
  void written(int fd) {
    ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    int keep = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (keep < 0) return;
    written_.push_back(keep);
    if (written_.size() <= kLag) return;
    ::posix_fadvise(written_.front(), 0, 0, POSIX_FADV_DONTNEED);
    ::close(written_.front());
    written_.pop_front();
  }

 private:
  // 16 PDFs of the sample's 715 KB are 11 MB per worker. Measured: 8 to 32 alike; 2 left
  // write-back too little time, 128 made the pages it recycles too many to stay warm.
  static constexpr size_t kLag = 16;
  std::deque<int> written_;
};

// Renders one article and writes its PDF atomically (write_file_atomically) with its stamp:
// attached to it (batch::attach_stamp), or, where the filesystem keeps no attributes, written
// as a file of its own before the PDF is named. A PDF never appears without its stamp: when
// neither can be stored the article fails (issue 19: "ok" with no stamp made the next resume
// render it again, silently). Neither waits for the disk: a stamp describes its PDF
// (batch::output_digest), so a PDF that a power cut left empty or short no longer matches its
// stamp and renders again. (Syncing before each stamp, even in groups, stalled the workers on
// the disk for a fifth of the batch.) The PDF is handed to `drop` once written.
Outcome render_job(const batch::Job& job, const BatchArgs& a, text::FontCache& fonts,
                   DropBehind& drop) {
  Outcome o;
  if (a.skip_existing) {
    auto stamped = batch::up_to_date(job, a.options, a.root);
    // --strict does not take a PDF with warnings as done: it renders the article again, and
    // that fails it (the earlier PDF stays, as render --strict leaves an existing file).
    if (stamped && a.strict && stamped->warnings > 0) stamped.reset();
    if (stamped) {
      // Its warnings were printed when it was rendered; the log says them again, or a resumed
      // run would call a PDF with placeholders clean.
      o.status = Status::UpToDate;
      o.result = std::move(*stamped);
      for (const batch::Warning& w : o.result.listed) o.messages += w.message + " (as rendered before)\n";
      return o;
    }
  }
  // Test hook (tests/e2e/test_batch.py): a worker that dies in the middle of an article.
  if (const char* crash = std::getenv("TRANG_BATCH_TEST_CRASH");
      crash && *crash && job.rel.find(crash) != std::string::npos) {
    rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    raise(SIGSEGV);
  }
  Diagnostics diags;
  // A stamp left from an earlier run never calls a PDF up to date for other inputs (it names
  // their contents) nor another PDF (it names its bytes), so a failed render may leave it.
  // Output folders are made once per worker.
  static std::set<std::string> made;
  std::string folder = fs::path(job.output).parent_path().string();
  if (made.count(folder) == 0) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec && !fs::is_directory(folder)) {
      o.output_error = true;
      o.messages = job.output + ": error: cannot create the folder '" + folder + "': " +
                   ec.message() + '\n';
      return o;
    }
    made.insert(folder);
  }
  RenderRequest req;
  req.article = job.input;
  req.stylesheet = a.css;
  req.max_pages = a.max_pages;
  req.assets = a.assets;
  req.optimize_images = a.optimize_images;
  req.fonts = &fonts;
  RenderResult res;
  try {
    res = render(req, diags);
  } catch (const std::bad_alloc&) {
    res = RenderResult();
    diags.error({job.input}, "out of memory while rendering this article");
  } catch (const std::exception& e) {
    diags.error({job.input}, std::string("internal error: ") + e.what());
  }
  o.result = batch::summarize(res.pages, diags);
  if (a.strict && diags.warning_count() > 0 && !diags.has_errors())
    diags.error({job.input}, "--strict: " + plural(diags.warning_count(), "warning", "warnings") +
                                 " (no PDF written)");
  std::optional<std::string> stamp;
  if (res.pdf && !diags.has_errors()) {
    stamp = batch::make_stamp(res.inputs, a.options, *res.pdf, a.root, o.result);
    if (!stamp) diags.error({job.input}, "cannot stamp the PDF: a file the render read cannot be read again");
  }
  auto store_stamp = [&](int fd) {
    if (!batch::attach_stamp(fd, *stamp) &&
        !write_file_atomically(batch::stamp_path(job.output), *stamp, diags, Sync::Fast)) {
      diags.note({job.output}, "the PDF is not written: neither its extended attribute nor its "
                               "stamp file could be stored");
      return false;
    }
    drop.written(fd);
    return true;
  };
  if (res.pdf && !diags.has_errors()) {
    if (write_file_atomically(job.output, res.pdf->pieces(), diags, Sync::Fast, store_stamp)) {
      o.status = Status::Rendered;
    } else {
      o.output_error = true;
    }
  } else if (!diags.has_errors()) {
    diags.error({job.input}, "the render failed without a message");
  }
  o.messages = format_all(diags);
  return o;
}

[[noreturn]] void worker_main(int task_fd, int result_fd, const std::vector<batch::Job>& jobs,
                              const BatchArgs& a) {
  // Ctrl-C reaches the whole process group: the parent decides. It lets the articles in flight
  // finish (their PDFs and stamps written, so a resumed batch skips them) unless interrupted
  // twice, and then kills the workers and removes their temporary files.
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGPIPE, SIG_DFL);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && !defined(TRANG_UNDER_ASAN)
  // A bounded address space per worker (docs/security.md): an article that makes a library
  // allocate without end fails with "out of memory" in its own worker, not the machine.
  // (ASan and TSan reserve terabytes of shadow memory up front, so sanitizer builds go without.)
  constexpr rlim_t kWorkerMemory = rlim_t{8} << 30;
  rlimit as{kWorkerMemory, kWorkerMemory};
  setrlimit(RLIMIT_AS, &as);
#endif
  text::FontCache fonts;  // lives as long as the worker: every face read and checked once
  DropBehind drop;
  for (;;) {
    uint32_t index = 0;
    if (!read_all(task_fd, &index, sizeof index) || index >= jobs.size()) _exit(0);
    Outcome o;
    try {
      o = render_job(jobs[index], a, fonts, drop);
    } catch (const std::bad_alloc&) {
      o.messages = jobs[index].input + ": error: out of memory while rendering this article\n";
    } catch (const std::exception& e) {
      o.messages = jobs[index].input + ": error: internal error: " + e.what() + '\n';
    }
    if (!send_message(result_fd, encode(o))) _exit(1);
  }
}

// ---- the pool, in the parent -----------------------------------------------------------------

volatile sig_atomic_t g_interrupted = 0;  // SIGINT/SIGTERM count
void on_interrupt(int) { g_interrupted = g_interrupted + 1; }

struct Worker {
  pid_t pid = -1;
  int task_fd = -1;    // parent writes article indices
  int result_fd = -1;  // parent reads outcomes
  // Articles sent, oldest first: the front one is being rendered, the next waits in the pipe so
  // that the worker starts it the moment it sends the front one's outcome (without it, every
  // article began with a round trip through this process, on a core the workers need).
  std::deque<size_t> queue;
  Clock::time_point started;  // when the front article began (about)
  bool killed_for_timeout = false;
};

// Removes the temporary files write_file_atomically may have left for `output` when its
// writer was killed in the middle ('.NAME.XXXXXX' beside it, for the PDF and its stamp): only
// on a filesystem without unnamed files, or when the PDF replaced one, between link and rename.
void remove_temporaries(const std::string& output) {
  fs::path out(output);
  std::string pdf = "." + out.filename().string() + ".";
  std::string stamp = "." + fs::path(batch::stamp_path(output)).filename().string() + ".";
  std::error_code ec;
  for (auto it = fs::directory_iterator(out.parent_path(), ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    for (const std::string& prefix : {pdf, stamp})
      if (name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0)
        fs::remove(it->path(), ec);
  }
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return "the worker rendering it died (signal " + std::to_string(sig) + ", " +
           (name ? name : "?") + ")";
  }
  if (WIFEXITED(status)) return "the worker rendering it exited with status " +
                                std::to_string(WEXITSTATUS(status));
  return "the worker rendering it stopped";
}

class Pool {
 public:
  Pool(const std::vector<batch::Job>& jobs, const BatchArgs& args) : jobs_(jobs), args_(args) {}
  ~Pool() {
    for (Worker& w : workers_) stop(w);
  }

  bool spawn(Worker& w) {
    int task[2], result[2];
    if (pipe2(task, O_CLOEXEC) != 0) return false;
    if (pipe2(result, O_CLOEXEC) != 0) {
      close(task[0]);
      close(task[1]);
      return false;
    }
    std::cout.flush();
    std::cerr.flush();
    pid_t pid = fork();
    if (pid < 0) {
      for (int fd : {task[0], task[1], result[0], result[1]}) close(fd);
      return false;
    }
    if (pid == 0) {
      // The other workers' pipe ends must not stay open here, or their EOF would never come.
      for (const Worker& o : workers_) {
        if (o.task_fd >= 0) close(o.task_fd);
        if (o.result_fd >= 0) close(o.result_fd);
      }
      close(task[1]);
      close(result[0]);
      worker_main(task[0], result[1], jobs_, args_);
    }
    close(task[0]);
    close(result[1]);
    w = Worker{};
    w.pid = pid;
    w.task_fd = task[1];
    w.result_fd = result[0];
    return true;
  }

  void stop(Worker& w) {
    if (w.pid < 0) return;
    close(w.task_fd);  // EOF: the worker exits
    close(w.result_fd);
    if (!w.queue.empty()) kill(w.pid, SIGKILL);
    int status = 0;
    while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    w = Worker{};
  }

  // Reaps a worker whose pipe closed; returns how it ended.
  std::string reap(Worker& w) {
    close(w.task_fd);
    close(w.result_fd);
    int status = 0;
    while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string why = w.killed_for_timeout
                          ? "it took longer than " + format_number(args_.timeout, 0) +
                                " s and was stopped (--timeout)"
                          : describe_exit(status);
    w = Worker{};
    return why;
  }

  std::vector<Worker> workers_;
  const std::vector<batch::Job>& jobs_;
  const BatchArgs& args_;
};

// ---- progress ---------------------------------------------------------------------------------

class Progress {
 public:
  Progress(size_t total) : total_(total), tty_(isatty(STDERR_FILENO) && !dumb_terminal()) {}

  static bool dumb_terminal() {
    const char* term = std::getenv("TERM");
    return !term || std::string(term) == "dumb";
  }

  // An article finished. `messages` (diagnostics) are printed in full. Each line goes out in
  // one write (std::cerr is unbuffered: piece by piece it took a dozen system calls an article,
  // on the core a worker is waiting for).
  void done(const batch::Job& job, const Outcome& o) {
    ++done_;
    if (o.status == Status::Rendered) pages_ += o.result.pages;
    std::string out = o.messages;
    if (!tty_) {
      const char* what = o.status == Status::Rendered   ? "ok    "
                         : o.status == Status::UpToDate ? "same  "
                                                        : "FAILED";
      out += '[' + std::to_string(done_) + '/' + std::to_string(total_) + "] " + what + ' ' + job.rel;
      if (o.status == Status::Rendered)
        out += " -> " + job.output + " (" + plural(o.result.pages, "page", "pages");
      if (o.status != Status::Failed && o.result.warnings > 0)
        out += std::string(o.status == Status::Rendered ? ", " : " (") +
               plural(o.result.warnings, "warning", "warnings");
      if (o.status == Status::Rendered || (o.status != Status::Failed && o.result.warnings > 0))
        out += ')';
      out += '\n';
    }
    if (!out.empty()) {
      clear();
      std::cerr.write(out.data(), static_cast<std::streamsize>(out.size()));
    }
    // Drawn at once when messages cleared it and when it is full; else at most ten times a second.
    draw(!out.empty() || done_ == total_);
  }

  // Redraws the bar (at most ten times a second unless `force`).
  void draw(bool force = false) {
    if (!tty_) return;
    auto now = Clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? done_ / secs : 0;
    const int width = 24;
    int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
    std::string bar(static_cast<size_t>(filled), '=');
    if (filled < width) bar += '>' + std::string(static_cast<size_t>(width - filled - 1), ' ');
    char line[200];
    std::snprintf(line, sizeof line, "\r\033[K[%s] %zu/%zu articles  %lld pages  %.1f/s  ETA %s",
                  bar.c_str(), done_, total_, static_cast<long long>(pages_), rate,
                  rate > 0 ? clock_text((total_ - done_) / rate).c_str() : "--:--");
    std::cerr << line << std::flush;
    drawn_ = true;
  }

  void clear() {
    if (tty_ && drawn_) std::cerr << "\r\033[K";
    drawn_ = false;
  }

  static std::string clock_text(double secs) {
    long s = std::lround(secs);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
  }

 private:
  size_t total_, done_ = 0;
  long long pages_ = 0;
  bool tty_, drawn_ = false;
  Clock::time_point start_ = Clock::now(), last_{};
};

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

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
                        const Diagnostics& list_diags) {
  using json = nlohmann::ordered_json;
  json articles = json::array();
  long long counts[5] = {};  // rendered, up to date, failed, not done, with warnings
  for (size_t i = 0; i < jobs.size(); ++i) {
    json j;
    j["article"] = jobs[i].rel;
    j["input"] = jobs[i].input;
    const std::optional<Outcome>& o = outcomes[i];
    std::string status = !o                                    ? "not-done"
                         : o->status == Status::Rendered       ? "rendered"
                         : o->status == Status::UpToDate       ? "up-to-date"
                                                               : "failed";
    counts[!o ? 3 : o->status == Status::Rendered ? 0 : o->status == Status::UpToDate ? 1 : 2]++;
    bool made = o && o->status != Status::Failed;
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
                 {"not_done", counts[3]},     {"with_warnings", counts[4]}};
  r["list_errors"] = list_errors;
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
  size_t finished = 0, rendered = 0, same = 0, output_failures = 0;
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
    } else {
      // The first error, not a warning printed before it.
      size_t at = o.messages.find(": error: ");
      at = at == std::string::npos ? 0 : o.messages.rfind('\n', at);
      at = at == std::string::npos ? 0 : at + (o.messages[at] == '\n');
      std::string first = o.messages.substr(at, o.messages.find('\n', at) - at);
      failures.emplace_back(job, first.empty() ? jobs[job].input + ": error: failed" : first);
      if (o.output_error) ++output_failures;
    }
    if (o.status != Status::Failed && o.result.warnings > 0) warned.push_back(job);
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
  if (g_interrupted) std::cout << ", " << jobs.size() - finished << " not done (interrupted)";
  char rate[128];
  std::snprintf(rate, sizeof rate, " in %.2f s (%.1f pages/s) with %d %s\n", secs,
                secs > 0 ? pages / secs : 0.0, nworkers, nworkers == 1 ? "worker" : "workers");
  std::cout << rate;
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
    if (!write_file_atomically(a.report, report_json(a, jobs, outcomes, list_diags), out)) {
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
