// The parent side of `trang batch`: its worker processes, each fed through a pipe, and the
// progress it shows. Private to cli/.
#pragma once

#include <sys/types.h>

#include <deque>
#include <string>
#include <vector>

#include "cli/batch_run.h"

namespace trang::cli {

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
// writer was killed in the middle ('.NAME.XXXXXX' beside it, for the PDF and its stamp), and
// the lock file of its claim when no one holds it.
void remove_temporaries(const std::string& output);

// The worker processes (forked from this one, each running worker_main).
class Pool {
 public:
  Pool(const std::vector<batch::Job>& jobs, const BatchArgs& args) : jobs_(jobs), args_(args) {}
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Starts a worker into `w`; false (errno set) when it cannot.
  bool spawn(Worker& w);
  // Ends a worker: EOF on its pipe, or SIGKILL when it is in the middle of an article.
  void stop(Worker& w);
  // Reaps a worker whose pipe closed; returns how it ended.
  std::string reap(Worker& w);

  std::vector<Worker> workers_;

 private:
  const std::vector<batch::Job>& jobs_;
  const BatchArgs& args_;
};

// The progress bar on a terminal, else one line per finished article.
class Progress {
 public:
  explicit Progress(size_t total);
  // An article finished. `messages` (diagnostics) are printed in full.
  void done(const batch::Job& job, const Outcome& o);
  // Redraws the bar (at most ten times a second unless `force`).
  void draw(bool force = false);
  void clear();

 private:
  static bool dumb_terminal();
  static std::string clock_text(double secs);

  size_t total_, done_ = 0;
  long long pages_ = 0;
  bool tty_, drawn_ = false;
  Clock::time_point start_ = Clock::now(), last_{};
};

// Cores this process may run on (its affinity mask).
int available_cores();

}  // namespace trang::cli
