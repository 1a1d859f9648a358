// The parent side of `trang batch`: starting, stopping and reaping workers, and the progress
// line (cmd_batch.cpp says why workers are processes).
#include "cli/batch_pool.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace trang::cli {

namespace fs = std::filesystem;

// Removes the temporary files write_file_atomically may have left for `output` when its
// writer was killed in the middle ('.NAME.XXXXXX' beside it, for the PDF and its stamp): only
// on a filesystem without unnamed files, or when the PDF replaced one, between link and rename.
// And its claim's lock file (batch::OutputClaim), unless another batch holds it by now.
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
  batch::remove_stale_lock(output);
}

namespace {

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

}  // namespace

Pool::~Pool() {
  for (Worker& w : workers_) stop(w);
}

bool Pool::spawn(Worker& w) {
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

void Pool::stop(Worker& w) {
  if (w.pid < 0) return;
  close(w.task_fd);  // EOF: the worker exits
  close(w.result_fd);
  if (!w.queue.empty()) kill(w.pid, SIGKILL);
  int status = 0;
  while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
  }
  w = Worker{};
}

std::string Pool::reap(Worker& w) {
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

// ---- progress ---------------------------------------------------------------------------------

Progress::Progress(size_t total)
    : total_(total), tty_(isatty(STDERR_FILENO) && !dumb_terminal()) {}

bool Progress::dumb_terminal() {
  const char* term = std::getenv("TERM");
  return !term || std::string(term) == "dumb";
}

// Each line goes out in one write (std::cerr is unbuffered: piece by piece it took a dozen
// system calls an article, on the core a worker is waiting for).
void Progress::done(const batch::Job& job, const Outcome& o) {
  ++done_;
  if (o.status == Status::Rendered) pages_ += o.result.pages;
  std::string out = o.messages;
  if (!tty_) {
    const char* what = o.status == Status::Rendered   ? "ok    "
                       : o.status == Status::UpToDate ? "same  "
                       : o.status == Status::Taken    ? "taken "
                                                      : "FAILED";
    out += '[' + std::to_string(done_) + '/' + std::to_string(total_) + "] " + what + ' ' + job.rel;
    if (o.status == Status::Taken) out += " (another batch is rendering it)";
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

void Progress::draw(bool force) {
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

void Progress::clear() {
  if (tty_ && drawn_) std::cerr << "\r\033[K";
  drawn_ = false;
}

std::string Progress::clock_text(double secs) {
  long s = std::lround(secs);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

}  // namespace trang::cli
