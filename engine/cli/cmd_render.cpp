// trang render ARTICLE.xml -o OUT.pdf [--stylesheet FILE.css] [--dump-layout FILE|-]
//              [--profile screen|print|archive] [--output-profile FILE.icc] [--report FILE.json]
//              [--max-pages N] [--timeout SECONDS]
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/preflight.h"
#include "cli/render.h"

namespace trang::cli {
namespace {

struct RenderArgs {
  std::string article, output, css, dump;
  std::string profile = "screen", output_profile, report;
  int max_pages = 500;
  double timeout = 0;  // seconds; 0: no limit
  bool strict = false;  // warnings are errors: exit 1 and no PDF
  bool optimize_images = false;
  bool no_tags = false;
  std::vector<std::string> assets;  // --assets folders (docs/security.md)
};

// --timeout: a render that runs past its time ends with exit 4, a message and no output. The
// watchdog ends the process itself, since a stage busy inside a library (pugixml, HarfBuzz)
// cannot be asked to stop; nothing is on disk yet then, as every output is written only once
// the render has claimed the right to (claim_output), and from then on the watchdog is gone.
class Deadline {
 public:
  // The message is made here: the watchdog allocates nothing while the render may be inside
  // the allocator.
  Deadline(double seconds, const std::string& article)
      : message_(article + ": error: the render took longer than " +
                 format_number(seconds, seconds < 10 ? 1 : 0) +
                 " s and was stopped (--timeout); no output written\n") {
    if (seconds > 0) thread_ = std::thread([this, seconds] { watch(seconds); });
  }
  ~Deadline() { claim_output(); }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // Stops the watchdog before any output is written. Blocks for good if the time ran out: the
  // watchdog is ending the process.
  void claim_output() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void watch(double seconds) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; }))
      return;
    // The main thread may hold the stream locks: straight to the file descriptor.
    ssize_t n = ::write(STDERR_FILENO, message_.data(), message_.size());
    (void)n;
    std::_Exit(kExitLimit);
  }

  const std::string message_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // last: started when everything above is ready
};

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

int run_render(const RenderArgs& a) {
  Diagnostics diags;
  if (same_file(a.article, a.output) || (!a.css.empty() && same_file(a.css, a.output))) {
    std::cerr << a.output << ": error: the output would overwrite an input file\n";
    return kExitUsage;
  }
  RenderRequest req{a.article, a.css, a.max_pages, !a.dump.empty()};
  req.profile = a.profile;
  req.output_profile = a.output_profile;
  req.assets = a.assets;
  req.optimize_images = a.optimize_images;
  req.tagged = !a.no_tags;
  RenderResult res;
  Deadline deadline(a.timeout, a.article);
  try {
    res = render(req, diags);
  } catch (const std::bad_alloc&) {
    // main.cpp's catch could not say which article; a script running many renders needs it.
    std::cerr << a.article << ": error: out of memory while rendering this article\n";
    return kExitInternal;
  }
  deadline.claim_output();
  // Any output that cannot be written exits 3, the dump's as the PDF's (docs: exit codes).
  bool write_failed = false;
  if (res.pdf && !a.dump.empty()) {
    if (a.dump == "-") std::cout << res.layout_dump;
    else write_failed = !write_file_atomically(a.dump, res.layout_dump, diags);
  }
  if (a.strict && diags.warning_count() > 0 && !diags.has_errors())
    diags.error({}, "--strict: " + std::to_string(diags.warning_count()) +
                        (diags.warning_count() == 1 ? " warning" : " warnings") +
                        " (no PDF written)");
  if (res.pdf && !diags.has_errors())
    write_failed = !write_file_atomically(a.output, res.pdf->pieces(), diags, Sync::Fast);
  print_diagnostics(diags);
  if (!a.report.empty()) {
    // The report covers the render as it was; findings do not change the exit code (the PDF
    // is written as long as no stage reported an error). `trang check` is the gate.
    PreflightReport report = preflight(req, res, diags);
    Diagnostics out;
    if (!write_file_atomically(a.report, report.json(), out)) {
      print_diagnostics(out);
      return kExitOutput;
    }
    std::cerr << "preflight: " << report.errors << " errors, " << report.warnings
              << " warnings; report in " << a.report << '\n';
  }
  return write_failed ? kExitOutput : exit_code_for(diags);
}

}  // namespace

void add_render_command(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* render = app.add_subcommand("render", "Render one article to PDF");
  render->add_option("article", args->article, "The article (XML)")->required();
  render->add_option("-o,--output", args->output, "The PDF to write")->required();
  render->add_option("-s,--stylesheet", args->css, "A stylesheet cascaded over the built-in default");
  render->add_option("--dump-layout", args->dump, "Write a text dump of the page tree (- for stdout)");
  render->add_option("--max-pages", args->max_pages, "Stop with an error past this many pages")
      ->check(CLI::Range(1, 100000));
  render->add_option("--timeout", args->timeout,
                     "Stop the render after this many seconds: exit 4, no output (0: no limit)")
      ->check(CLI::Range(0.0, 1e6));
  render->add_option("--profile", args->profile,
                     "screen (default), print (PDF/X-4) or archive (PDF/A-2b)")
      ->check(CLI::IsMember({"screen", "print", "archive"}));
  render->add_option("--output-profile", args->output_profile,
                     "The press's CMYK ICC profile (print profile)");
  render->add_option("--report", args->report, "Also write a preflight report (JSON) to FILE");
  render->add_option("--assets", args->assets,
                    "A folder images may also come from (repeatable)")
      ->allow_extra_args(false);
  render->add_flag("--strict", args->strict, "Treat warnings as errors: exit 1, write no PDF");
  render->add_flag("--optimize-images", args->optimize_images,
                   "Re-code JPEGs losslessly (progressive, optimised Huffman tables): smaller "
                   "files, the same pixels, ~25 ms per photo");
  render->add_flag("--no-tags", args->no_tags,
                   "Write an untagged PDF: no structure tree for screen readers, a little smaller");
  commands.push_back({render, [args] { return run_render(*args); }});
}

}  // namespace trang::cli
