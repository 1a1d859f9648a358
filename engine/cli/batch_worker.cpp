// The worker side of `trang batch`: one article rendered and written with its stamp, and the
// loop of a worker process (cmd_batch.cpp says why workers are processes).
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <set>
#include <sstream>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRANG_UNDER_ASAN 1
#endif
#endif

#include "cli/batch_run.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "text/text.h"

namespace trang::cli {

namespace fs = std::filesystem;

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

namespace {

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
  // Whether the output is up to date (then `o` says so).
  auto done_before = [&] {
    std::optional<batch::RenderSummary> stamped = batch::up_to_date(job, a.options, a.root);
    // --strict does not take a PDF with warnings as done: it renders the article again, and
    // that fails it (the earlier PDF stays, as render --strict leaves an existing file).
    if (!stamped.has_value() || (a.strict && stamped->warnings > 0)) return false;
    // Its warnings were printed when it was rendered; the log says them again, or a resumed
    // run would call a PDF with placeholders clean.
    o.status = Status::UpToDate;
    o.result = *stamped;
    for (const batch::Warning& w : o.result.listed) o.messages += w.message + " (as rendered before)\n";
    return true;
  };
  if (a.skip_existing && done_before()) return o;
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
  // Batches resuming on the same output cooperate: an article one of them is rendering is
  // left to it (held until this function returns, after the PDF is named). Where no lock file
  // can be made, the write below fails for the same reason and says why.
  batch::OutputClaim claim;
  if (a.skip_existing) {
    if (claim.take(job.output) == batch::OutputClaim::Result::Taken) {
      o.status = Status::Taken;
      return o;
    }
    // The other batch may have finished it between the check above and the claim.
    if (done_before()) return o;
  }
  // Test hook (tests/e2e/test_batch.py): a worker that dies in the middle of an article.
  if (const char* crash = std::getenv("TRANG_BATCH_TEST_CRASH");
      crash && *crash && job.rel.find(crash) != std::string::npos) {
    rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    raise(SIGSEGV);
  }
  RenderRequest req;
  req.article = job.input;
  req.stylesheet = a.css;
  req.prepared = a.sheet;
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
  o.messages = format_diagnostics(diags);
  return o;
}

}  // namespace

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

}  // namespace trang::cli
