// trang watch ARTICLE.xml [--stylesheet FILE.css] -o OUT.pdf [--debounce MS] [--renders N]
//
// Renders, then re-renders whenever the article, the stylesheet, a sheet it @imports, a font
// it declares or an image the article shows changes. Folders are watched rather than files
// (inotify), so editors that save by writing a new file and renaming it over the old one are
// seen too; events are filtered by name. Bursts of events (a save is often several) are
// debounced. A render with errors keeps the last good PDF: the output is only ever replaced
// by an atomic rename. SIGINT and SIGTERM end the loop cleanly (signalfd).
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cli/commands.h"
#include "cli/render.h"
#include "text/text.h"

namespace trang::cli {
namespace {

namespace fs = std::filesystem;

struct WatchArgs {
  std::string article, output, css, profile = "screen";
  int max_pages = 500;
  int debounce_ms = 50;
  std::vector<std::string> assets;  // --assets folders (docs/security.md)
  int renders = 0;  // stop after this many renders (0 = until a signal); for tests and scripts
};

// An owned file descriptor.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

std::string canonical(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  return ec ? fs::absolute(fs::path(path), ec).string() : p.string();
}

class Watcher {
 public:
  Watcher(const WatchArgs& a, int inotify) : a_(a), inotify_(inotify) {}

  // One render; prints the outcome. Returns whether it produced a PDF.
  bool render_once() {
    Diagnostics diags;
    RenderRequest req{a_.article, a_.css, a_.max_pages, false};
    req.profile = a_.profile;
    req.assets = a_.assets;
    req.fonts = &fonts_;
    auto t0 = std::chrono::steady_clock::now();
    RenderResult res = render(req, diags);
    auto t1 = std::chrono::steady_clock::now();
    double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    bool ok = res.pdf && !diags.has_errors() &&
              write_file_atomically(a_.output, res.pdf->pieces(), diags, Sync::Fast);
    print_diagnostics(diags);
    if (ok) {
      std::cout << "rendered " << a_.output << " in " << static_cast<long>(ms + 0.5) << " ms ("
                << res.pages << (res.pages == 1 ? " page" : " pages") << ")";
      if (diags.warning_count() > 0)
        std::cout << ", " << diags.warning_count()
                  << (diags.warning_count() == 1 ? " warning" : " warnings");
      std::cout << std::endl;
      good_ = true;
    } else {
      std::cout << "failed: " << diags.error_count()
                << (diags.error_count() == 1 ? " error" : " errors") << "; "
                << (good_ ? "kept the last good " + a_.output : "no PDF written yet")
                << std::endl;
    }
    // Follow every input this render read; an input that failed to read is followed too, so
    // fixing it triggers the next render. Earlier inputs stay followed (an error may have
    // stopped the render before it reached them).
    for (const std::string& f : res.inputs) follow(f);
    follow(a_.article);
    if (!a_.css.empty()) follow(a_.css);
    return ok;
  }

  // Whether an inotify event names a followed file.
  bool relevant(const inotify_event& e) const {
    auto d = dirs_.find(e.wd);
    if (d == dirs_.end() || e.len == 0) return false;
    return files_.count((fs::path(d->second) / e.name).string()) > 0;
  }

 private:
  void follow(const std::string& file) {
    std::string c = canonical(file);
    if (!files_.insert(c).second) return;
    std::string dir = fs::path(c).parent_path().string();
    if (watched_dirs_.count(dir)) return;
    int wd = inotify_add_watch(inotify_, dir.c_str(),
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB);
    if (wd < 0) {
      std::cerr << dir << ": warning: cannot watch this folder; changes in it are not seen\n";
      return;
    }
    watched_dirs_.insert(dir);
    dirs_[wd] = dir;
  }

  const WatchArgs& a_;
  int inotify_;
  text::FontCache fonts_;  // faces and shaped words stay cached between renders
  bool good_ = false;
  std::set<std::string> files_;        // canonical paths of followed files
  std::set<std::string> watched_dirs_;
  std::map<int, std::string> dirs_;    // watch descriptor -> folder
};

// Reads pending inotify events; returns whether one of them concerns a followed file.
bool drain(int fd, const Watcher& w) {
  alignas(inotify_event) char buf[16384];
  bool hit = false;
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return hit;
    for (char* p = buf; p < buf + n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(p);
      hit |= w.relevant(*e);
      p += sizeof(inotify_event) + e->len;
    }
  }
}

int run_watch(const WatchArgs& a) {
  std::error_code ec;
  if (fs::exists(a.output, ec) &&
      (fs::equivalent(a.article, a.output, ec) ||
       (!a.css.empty() && fs::equivalent(a.css, a.output, ec)))) {
    std::cerr << a.output << ": error: the output would overwrite an input file\n";
    return kExitUsage;
  }
  // Signals arrive through a descriptor, so the loop ends between renders, never inside one.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) {
    std::cerr << "trang: error: cannot block signals\n";
    return kExitInternal;
  }
  Fd sig(signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
  Fd ino(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (sig.fd < 0 || ino.fd < 0) {
    std::cerr << "trang: error: inotify or signalfd is not available\n";
    return kExitInternal;
  }
  Watcher w(a, ino.fd);
  bool ok = w.render_once();
  int renders = 1;
  std::cout << "watching for changes (Ctrl-C to stop)" << std::endl;
  for (;;) {
    if (a.renders > 0 && renders >= a.renders) break;
    pollfd fds[2] = {{sig.fd, POLLIN, 0}, {ino.fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents & POLLIN) break;
    if (!(fds[1].revents & POLLIN) || !drain(ino.fd, w)) continue;
    // Debounce: wait until the files have been quiet for a moment.
    bool stop = false;
    for (;;) {
      pollfd more[2] = {{sig.fd, POLLIN, 0}, {ino.fd, POLLIN, 0}};
      int r = ::poll(more, 2, a.debounce_ms);
      if (r <= 0) break;
      if (more[0].revents & POLLIN) {
        stop = true;
        break;
      }
      drain(ino.fd, w);
    }
    if (stop) break;
    ok = w.render_once();
    ++renders;
  }
  std::cout << "stopped" << std::endl;
  return ok ? kExitOk : kExitInput;
}

}  // namespace

void add_watch_command(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<WatchArgs>();
  CLI::App* watch = app.add_subcommand(
      "watch", "Render, then render again whenever the article, stylesheet, an @import, a font "
               "or an image changes");
  watch->add_option("article", args->article, "The article (XML)")->required();
  watch->add_option("-o,--output", args->output, "The PDF to write")->required();
  watch->add_option("-s,--stylesheet", args->css, "A stylesheet cascaded over the built-in default");
  watch->add_option("--assets", args->assets,
                   "A folder images may also come from (repeatable)")
      ->allow_extra_args(false);
  watch->add_option("--max-pages", args->max_pages, "Stop with an error past this many pages")
      ->check(CLI::Range(1, 100000));
  watch->add_option("--profile", args->profile,
                    "screen (default), print (PDF/X-4) or archive (PDF/A-2b)")
      ->check(CLI::IsMember({"screen", "print", "archive"}));
  watch->add_option("--debounce", args->debounce_ms,
                    "Milliseconds of quiet after a change before rendering (default 50)")
      ->check(CLI::Range(0, 10000));
  watch->add_option("--renders", args->renders,
                    "Stop after this many renders (default: run until Ctrl-C)")
      ->check(CLI::Range(0, 1000000));
  commands.push_back({watch, [args] { return run_watch(*args); }});
}

}  // namespace trang::cli
