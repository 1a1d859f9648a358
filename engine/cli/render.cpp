#include "cli/render.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "image/image.h"
#include "layout/layout.h"
#include "layout/publication.h"
#include "model/model.h"
#include "model/publication.h"
#include "pdf/pdf.h"
#include "style/style.h"
#include "text/text.h"
#include "cli/render_sheets.h"

namespace trang {

namespace fs = std::filesystem;

namespace {

// TRANG_TIMINGS=1 in the environment: the wall time of each stage of a render, on stderr, to
// see where a render goes (bench/run.sh measures whole processes; callgrind counts
// instructions but not the overlap of threads).
class StageTimes {
 public:
  StageTimes() : on_(std::getenv("TRANG_TIMINGS") != nullptr), last_(Clock::now()), start_(last_) {}
  void mark(const char* stage) {
    if (!on_) return;
    auto now = Clock::now();
    std::fprintf(stderr, "trang: %-16s %7.2f ms\n", stage, ms(now - last_));
    last_ = now;
  }
  void count(const char* what, size_t n) {
    if (on_ && n > 0) std::fprintf(stderr, "trang: %zu %s\n", n, what);
  }
  ~StageTimes() {
    if (on_) std::fprintf(stderr, "trang: %-16s %7.2f ms\n", "render, in all", ms(Clock::now() - start_));
  }

 private:
  using Clock = std::chrono::steady_clock;
  static double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
  bool on_;
  Clock::time_point last_, start_;
};

// Threads for the layout's parallel map of paragraphs: the cores this process may run on
// (taskset), at most four. One where a batch runs a worker per core (render_threads), or with
// the test hook TRANG_LAYOUT_HELPER=0; =all gives two even on one core, so the map is
// exercised wherever the tests run (tests/e2e/test_typeset.py).
unsigned layout_threads() {
  const char* hook = std::getenv("TRANG_LAYOUT_HELPER");
  std::string_view mode = hook ? hook : "";
  if (mode == "0" || !render_threads()) return 1;
  if (mode == "all") return 2;
  cpu_set_t set;
  int cores = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  return static_cast<unsigned>(std::clamp(cores, 1, 4));
}

// ex and ch (style::FontRatiosFn): the x-height and the advance of "0" of the face the text
// is set in, the first of the chain layout uses (a generic name such as serif finds the
// catalogue's face); CSS's 0.5em when there is no font at all (layout reports that).
style::FontRatiosFn font_ratios(text::FontCache& fonts) {
  return [&fonts](const std::vector<std::string>& families, int weight, bool italic) {
    Diagnostics quiet;
    uint32_t fallback = text::kNoFallback;
    std::vector<FontId> chain = fonts.chain_lazy(families, weight, italic, fallback, quiet);
    if (chain.empty()) return style::FontRatios{};
    text::FaceMetrics m = fonts.metrics(chain.front());
    return style::FontRatios{m.x_height, m.zero_advance};
  };
}

// An image that cannot be embedded is damaged, not a mistake in the article (the reader
// checked the file exists): the text still sets, with a placeholder box where the picture goes
// (layout draws one for an <image> without an entry in image_of_node). Its errors become
// warnings that say so.
void add_image_diagnostics(const Diagnostics& from, Diagnostics& to) {
  for (Diagnostic d : from.all()) {
    if (d.severity == Diagnostic::Severity::Error) {
      d.severity = Diagnostic::Severity::Warning;
      if (d.hint.empty()) d.hint = "a placeholder box is drawn in its place";
      else d.hint += "; a placeholder box is drawn in its place";
    }
    to.add(std::move(d));
  }
}

// A mapped font file cut short during the render (FontBytes::map) left glyphs read from zeros:
// the render fails, naming the file, rather than write them.
void fail_on_truncated_font(Diagnostics& diags) {
  std::string font = take_truncated_font();
  if (!font.empty())
    diags.error({font}, "the font file was cut short while trang read it (was it rewritten in "
                        "place during the run?); render again");
}

// Reads the images of an article for layout: size, colour, orientation. A file placed more
// than once is read and embedded once: the writer keeps one image XObject per
// Resources::images entry (the 20-page benchmark article places the sample's two photos 66
// times). JPEG scan data is left to ImageChecks. PNGs are decoded here, in parallel.
// `loaded`: images an earlier article of the same publication read, by path, shared rather
// than read again (the articles that place one photo embed it once); this article's are added.
using LoadedImages = std::map<std::string, std::shared_ptr<image::Image>>;
layout::Resources load_resources(const model::Article& article, std::vector<std::string>& inputs,
                                 Diagnostics& diags, LoadedImages* loaded = nullptr) {
  layout::Resources res;
  struct Job {
    std::string path;
    SourcePos pos;
    std::vector<uint32_t> nodes;
    std::future<std::optional<image::Image>> result;
    std::shared_ptr<image::Image> ready;  // from `loaded`
    Diagnostics diags;
  };
  std::vector<std::unique_ptr<Job>> jobs;
  std::map<std::string, Job*> by_path;
  model::visit(article.root, [&](const model::Node& n) {
    if (n.kind != model::Kind::Image) return;
    const std::string* path = n.attribute("resolved-path");
    if (!path) return;
    auto it = by_path.find(*path);
    if (it == by_path.end()) {
      jobs.push_back(std::make_unique<Job>());
      jobs.back()->path = *path;
      jobs.back()->pos = n.pos;
      it = by_path.emplace(*path, jobs.back().get()).first;
      if (loaded)
        if (auto l = loaded->find(*path); l != loaded->end()) jobs.back()->ready = l->second;
      if (!jobs.back()->ready) inputs.push_back(*path);
    }
    it->second->nodes.push_back(n.index);
  });
  // Each job has its own decoder and diagnostics; results are gathered in document order so
  // output and messages stay deterministic.
  for (auto& job : jobs) {
    Job* j = job.get();
    if (j->ready) continue;
    bool thread = jobs.size() > 1 && render_threads();
    j->result = std::async(thread ? std::launch::async : std::launch::deferred, [j] {
      return image::load_image(j->path, j->pos, j->diags, {}, image::Check::HeaderOnly);
    });
  }
  for (auto& job : jobs) {
    std::shared_ptr<image::Image> img = job->ready;
    if (!img)
      if (std::optional<image::Image> got = job->result.get()) img = std::make_shared<image::Image>(std::move(*got));
    if (img) {
      for (uint32_t node : job->nodes)
        res.image_of_node[node] = static_cast<uint32_t>(res.images.size());
      res.images.push_back(img);
      res.image_pos.push_back(job->pos);
      if (loaded) loaded->emplace(job->path, img);
    }
    add_image_diagnostics(job->diags, diags);
  }
  return res;
}

// The second half of reading images: every JPEG's scan data decoded in full to prove it is
// complete and sound (image::check_image_data), on threads of its own, started once layout
// has what it needs so that the decoding runs alongside it. settle() waits; an image that
// failed loses its entry in image_of_node and must be laid out again, as a placeholder.
class ImageChecks {
 public:
  // `optimize`: each photo that passes is then re-coded (image::optimize_image_data); its
  // bytes change, so nothing may read them before settle().
  // An image several Resources share (a publication's articles placing one photo) is checked
  // once.
  ImageChecks(std::vector<layout::Resources*> all, bool optimize) : all_(std::move(all)) {
    std::set<const image::Image*> listed;
    for (layout::Resources* res : all_)
      for (size_t i = 0; i < res->images.size(); ++i) {
        if (res->images[i]->data_checked || !listed.insert(res->images[i].get()).second) continue;
        auto check = std::make_unique<Check>();
        check->image = res->images[i].get();
        check->pos = res->image_pos[i];
        checks_.push_back(std::move(check));
      }
    auto run = [this, optimize] {
      for (size_t i; (i = next_.fetch_add(1)) < checks_.size();) {
        Check& c = *checks_[i];
        image::Image& img = *c.image;
        c.ok = image::check_image_data(img, c.pos, c.diags);
        if (c.ok && optimize) image::optimize_image_data(img);
      }
    };
    // Without threads of its own (a batch worker) the checks run here and now: a damaged
    // photo is then known before layout, which is laid out once.
    if (!render_threads()) {
      run();
      return;
    }
    // A thread per core. The decoding is now the longer of the two paths (two photos take ~6 ms,
    // layout and the PDF of a page ~5), so it may take the cores it can get: on the sample,
    // 13.4 -> 11.5 ms a render; on the 20-page article no slower. (With one thread it was the
    // critical path; earlier, when layout was the longer one, a thread per photo delayed it.)
    size_t cores = std::max(1u, std::thread::hardware_concurrency());
    size_t threads = std::min(checks_.size(), cores);
    for (size_t t = 0; t < threads; ++t) done_.push_back(std::async(std::launch::async, run));
  }
  ImageChecks(const ImageChecks&) = delete;
  ImageChecks& operator=(const ImageChecks&) = delete;
  // An early return (an error elsewhere) must not leave the thread reading freed images.
  ~ImageChecks() {
    for (auto& d : done_)
      if (d.valid()) d.wait();
  }

  // Waits for every check and reports them in document order. True when an image failed and
  // was taken out of its Resources (the layout made with it is void).
  bool settle(Diagnostics& diags) {
    for (auto& d : done_)
      if (d.valid()) d.get();
    bool failed = false;
    for (auto& c : checks_) {
      add_image_diagnostics(c->diags, diags);
      if (c->ok) continue;
      failed = true;
      for (layout::Resources* res : all_) {
        std::map<uint32_t, uint32_t>& of_node = res->image_of_node;
        for (auto it = of_node.begin(); it != of_node.end();)
          it = res->images[it->second].get() == c->image ? of_node.erase(it) : std::next(it);
      }
    }
    checks_.clear();
    return failed;
  }
  // Photos whose check has not been settled: while there are any, a damaged one may send the
  // article back to layout.
  bool pending() const { return !checks_.empty(); }

 private:
  struct Check {
    image::Image* image = nullptr;
    SourcePos pos;
    Diagnostics diags;
    bool ok = false;
  };
  std::vector<layout::Resources*> all_;
  std::vector<std::unique_ptr<Check>> checks_;
  std::atomic<size_t> next_{0};  // the next check a thread takes
  std::vector<std::future<void>> done_;
};

// The writer's options from the request: profile, output profile file, SOURCE_DATE_EPOCH.
bool pdf_options(const RenderRequest& req, pdf::Options& o, Diagnostics& diags) {
  if (req.profile.empty() || req.profile == "screen") o.profile = pdf::Profile::Screen;
  else if (req.profile == "print") o.profile = pdf::Profile::Print;
  else if (req.profile == "archive") o.profile = pdf::Profile::Archive;
  else {
    diags.error({}, "unknown profile '" + req.profile + "'", "profiles are: screen, print, archive");
    return false;
  }
  if (!req.output_profile.empty()) {
    int error = 0;
    ReadStatus status = read_regular_file(req.output_profile, 64u << 20, o.output_profile, false, &error);
    if (status != ReadStatus::Ok) {
      diags.error({req.output_profile},
                  status == ReadStatus::TooLarge ? "file is larger than 64 MiB; not an ICC profile"
                                                 : read_status_message(status, error));
      return false;
    }
    o.output_profile_name = req.output_profile;
    if (o.profile != pdf::Profile::Print)
      diags.warning({req.output_profile}, "--output-profile is used by the print profile only");
  }
  // https://reproducible-builds.org/specs/source-date-epoch/
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && end != epoch && v >= 0) o.fallback_time = v;
  }
  // Test hook (tests/e2e/test_spaces.py): the pages without their word-space glyphs, which
  // must look exactly like the real ones.
  if (std::getenv("TRANG_TEST_NO_WORD_SPACES")) o.word_spaces = false;
  o.tagged = req.tagged;
  return true;
}

void record_images(const layout::PageTree& tree, RenderFacts& facts) {
  facts.laid_out = true;
  for (size_t p = 0; p < tree.pages.size(); ++p)
    for (const layout::ImageItem& item : layout::items_of<layout::ImageItem>(tree.pages[p].content)) {
      if (!item.image) continue;
      const image::Image& im = *item.image;
      facts.images.push_back({im.path, static_cast<int>(p + 1), im.width, im.height,
                              item.rect.w.v, item.rect.h.v, im.components,
                              im.kind == image::Image::Kind::Jpeg});
    }
}

void record_write(const pdf::WriteReport& w, RenderFacts& facts) {
  facts.written = true;
  for (const auto& f : w.fonts) facts.fonts.push_back({f.name, f.path, f.glyphs});
  facts.rgb_colors_converted = w.rgb_colors_converted;
  facts.rgb_images_converted = w.rgb_images_converted;
  facts.cmyk_converted = w.cmyk_converted;
  facts.output_profile_embedded = w.output_profile_embedded;
  facts.date_source = w.date_source;
}

// The page tree to PDF bytes in `out` (none when anything reported an error).
void finish(const RenderRequest& req, layout::PageTree&& tree, RenderResult& out,
            Diagnostics& diags) {
  out.pages = static_cast<int>(tree.pages.size());
  if (req.want_dump) out.layout_dump = layout::dump(tree);
  pdf::Options popt;
  if (!pdf_options(req, popt, diags)) return;
  pdf::WriteReport wrep;
  out.pdf = pdf::write_pdf_pieces(std::move(tree), popt, diags, &wrep);
  record_write(wrep, out.facts);
  fail_on_truncated_font(diags);
  if (diags.has_errors()) out.pdf.reset();
}

// A publication (root <publication>, model/publication.h): every article read and styled on
// its own, laid out together by layout::layout_publication, written as one PDF.
RenderResult render_publication(const RenderRequest& req, Diagnostics& diags) {
  RenderResult out;
  out.inputs.push_back(req.article);
  model::Publication pub;
  if (!model::read_publication(req.article, pub, diags)) return out;
  std::vector<model::Article> articles(pub.articles.size());
  for (size_t i = 0; i < pub.articles.size(); ++i) {
    out.inputs.push_back(pub.articles[i].path);
    model::read_any_article(pub.articles[i].path, articles[i], diags, req.assets);
  }
  model::check_article_ids(pub, articles, diags);
  if (diags.has_errors()) return out;

  Sheets sheets = load_stylesheets(req, out, diags);
  if (diags.has_errors()) return out;
  std::vector<const style::Stylesheet*> order;
  for (const auto& s : sheets) order.push_back(s.get());
  // Fonts before styles: ex and ch are of the fonts (style::FontRatiosFn).
  std::unique_ptr<text::FontCache> own_fonts;
  text::FontCache& fonts = prepare_fonts(req, sheets, own_fonts, diags);
  if (diags.has_errors()) return out;
  style::FontRatiosFn ratios = font_ratios(fonts);
  model::Article furniture = layout::publication_furniture(pub);
  style::StyledDocument furniture_styles =
      style::resolve_styles(furniture, order, diags, ratios);
  std::vector<style::StyledDocument> styled;
  std::vector<layout::Resources> res;
  LoadedImages loaded;  // a photo several articles place is read, checked and embedded once
  for (const model::Article& a : articles) {
    styled.push_back(style::resolve_styles(a, order, diags, ratios));
    res.push_back(load_resources(a, out.inputs, diags, &loaded));
  }
  {
    std::vector<layout::Resources*> all;
    for (layout::Resources& r : res) all.push_back(&r);
    ImageChecks(all, req.optimize_images).settle(diags);  // before layout: laid out once
  }
  std::shared_ptr<const image::Image> masthead;
  if (!pub.masthead_image.empty()) {
    out.inputs.push_back(pub.masthead_image);
    if (auto img = image::load_image(pub.masthead_image, pub.masthead_pos, diags))
      masthead = std::make_shared<const image::Image>(std::move(*img));
  }
  if (diags.has_errors()) return out;
  std::vector<layout::PublicationPiece> pieces;
  for (size_t i = 0; i < articles.size(); ++i)
    pieces.push_back({&pub.articles[i], &articles[i], &styled[i], &res[i]});

  layout::Options lopt;
  lopt.max_pages = req.max_pages;
  layout::PageTree tree = layout::layout_publication(pub, pieces, furniture, furniture_styles,
                                                     masthead, fonts, lopt, diags);
  record_images(tree, out.facts);
  if (diags.has_errors()) return out;
  finish(req, std::move(tree), out, diags);
  return out;
}

}  // namespace

RenderResult render(const RenderRequest& req, Diagnostics& diags) {
  // The root element chooses the reader: <publication>, <nitf> or <article>.
  std::string root = model::sniff_root_element(req.article);
  if (root == "publication") return render_publication(req, diags);
  StageTimes times;
  RenderResult out;
  model::Article article;
  out.inputs.push_back(req.article);
  if (!model::read_any_article(req.article, article, diags, req.assets, root)) return out;
  times.mark("read article");

  Sheets sheets = load_stylesheets(req, out, diags);
  if (diags.has_errors()) return out;
  std::vector<const style::Stylesheet*> order;
  for (const auto& s : sheets) order.push_back(s.get());
  // Fonts before styles: ex and ch are of the fonts (style::FontRatiosFn).
  std::unique_ptr<text::FontCache> own_fonts;
  text::FontCache& fonts = prepare_fonts(req, sheets, own_fonts, diags);
  if (diags.has_errors()) return out;
  times.mark("fonts");
  style::StyledDocument styled = style::resolve_styles(article, order, diags, font_ratios(fonts));
  times.mark("styles");

  layout::Resources res = load_resources(article, out.inputs, diags);
  if (diags.has_errors()) return out;
  ImageChecks checks({&res}, req.optimize_images);
  times.mark("image headers");
  layout::Options lopt;
  lopt.max_pages = req.max_pages;
  lopt.threads = layout_threads();
  size_t set_ahead = 0;
  lopt.set_ahead = &set_ahead;
  // Layout's messages are held back until the images are settled: a damaged photo found by
  // its check means a second layout, with a placeholder, and only that one's messages count.
  // The PDF is written while the photos' data may still be being checked (ImageChecks): a
  // photo that fails is rare, and then the article is laid out and written again with a
  // placeholder in its place. Only the messages of the attempt that is kept are reported.
  RenderResult made;
  Diagnostics layout_diags, write_diags;
  layout::PageTree tree;
  auto lay_out = [&] {
    made = out;
    layout_diags = Diagnostics();
    write_diags = Diagnostics();
    set_ahead = 0;
    tree = layout::layout_article(article, styled, res, fonts, lopt, layout_diags);
    times.mark("layout");
    times.count("paragraphs set ahead in parallel", set_ahead);
    record_images(tree, made.facts);
  };
  auto write = [&] {
    if (layout_diags.has_errors()) return;
    // Nothing reads the article or its styles again unless a photo may still fail: freed, they
    // do not add to the peak of writing a long article (a fifth of it).
    if (!checks.pending()) {
      article = model::Article();
      styled = style::StyledDocument();
    }
    finish(req, std::move(tree), made, write_diags);
    times.mark("pdf");
  };
  bool damaged = false;
  if (!render_threads()) {
    // The checks already ran (ImageChecks): a damaged photo is a placeholder from the start.
    checks.settle(diags);
    lay_out();
    write();
  } else if (req.optimize_images) {
    lay_out();
    // The photos' bytes are being replaced: the PDF waits for them.
    damaged = checks.settle(diags);
    times.mark("image data");
    if (damaged) lay_out();
    write();
  } else {
    lay_out();
    write();
    damaged = checks.settle(diags);
    times.mark("image data");
    if (damaged) {
      lay_out();
      write();
    }
  }
  for (const Diagnostic& d : layout_diags.all()) diags.add(d);
  for (const Diagnostic& d : write_diags.all()) diags.add(d);
  out = std::move(made);
  // Every image the kept PDF shows was checked: those that failed are no longer placed.
  for (const auto& [node, index] : res.image_of_node)
    if (!res.images[index]->data_checked)
      diags.error({res.images[index]->path}, "internal error: an image was embedded unchecked");
  fail_on_truncated_font(diags);
  if (diags.has_errors()) out.pdf.reset();
  return out;
}

bool write_file_atomically(const std::string& path, const std::string& bytes, Diagnostics& diags,
                           Sync sync) {
  return write_file_atomically(path, std::vector<std::string_view>{bytes}, diags, sync);
}

namespace {

// Writes all of `pieces` to `fd`: one writev (per IOV_MAX pieces), and a short write goes on
// from where it stopped, so the kernel fills the file's pages one after the other, as from a
// single buffer.
bool write_all(int fd, const std::vector<std::string_view>& pieces) {
  std::vector<iovec> iov;
  iov.reserve(pieces.size());
  for (std::string_view piece : pieces)
    if (!piece.empty()) iov.push_back({const_cast<char*>(piece.data()), piece.size()});
  for (size_t first = 0; first < iov.size();) {
    int count = static_cast<int>(std::min<size_t>(iov.size() - first, IOV_MAX));
    ssize_t w = ::writev(fd, iov.data() + first, count);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    auto left = static_cast<size_t>(w);
    while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (left > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return true;
}

// The bytes written, the hook run, the mode set and (Durable) the data on the disk: what both
// ways of writing do before the file gets its name.
bool finish_contents(int fd, const std::vector<std::string_view>& pieces, Sync sync,
                     const std::function<bool(int fd)>& before_rename) {
  if (!write_all(fd, pieces)) return false;
  if (before_rename && !before_rename(fd)) return false;
  // Both ways create the file 0600; a PDF is an ordinary document (whatever the umask).
  return ::fchmod(fd, 0644) == 0 && (sync == Sync::Fast || ::fsync(fd) == 0);
}

// The system's reason for the last failure, as `strerror` words it ("No space left on
// device"): a user cannot act on "cannot write" alone.
std::string reason(int err) { return err ? std::string(": ") + std::strerror(err) : std::string(); }

// A name in `dir` for a temporary file of `base`: ".BASE.XXXXXX", the form the batch's clean-up
// looks for (cmd_batch.cpp, remove_temporaries).
std::string temporary_name(const fs::path& dir, const std::string& base) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static std::atomic<uint64_t> counter{0};
  uint64_t x = (static_cast<uint64_t>(::getpid()) << 32) ^ counter.fetch_add(1) ^
               static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::string name = "." + base + ".";
  for (int i = 0; i < 6; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // a step of an LCG, for spread
    name += kChars[(x >> 33) % (sizeof kChars - 1)];
  }
  return (dir / name).string();
}

enum class Unnamed : uint8_t { Written, Failed, Unsupported };

// The file written as an unnamed inode in `dir` (O_TMPFILE) and then linked in as `path`. If
// trang dies before the link, the kernel frees the inode: no temporary file is ever left
// behind, not even after a SIGKILL. Where `path` exists already it is linked under a temporary
// name and renamed over it, so a reader finds the old file or the new one, never neither.
// Unsupported: the filesystem (NFS, some FUSE) or the system (no /proc) cannot; nothing was
// written then.
Unnamed write_unnamed(const std::string& path, const fs::path& dir, const std::string& base,
                      const std::vector<std::string_view>& pieces, Sync sync,
                      const std::function<bool(int fd)>& before_rename, int& err) {
  // Test hook (tests/e2e/test_render.py): the other way, as on a filesystem without O_TMPFILE.
  if (std::getenv("TRANG_TEST_NAMED_TEMPORARY")) return Unnamed::Unsupported;
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return Unnamed::Unsupported;
  if (!finish_contents(fd, pieces, sync, before_rename)) {
    err = errno;
    ::close(fd);
    return Unnamed::Failed;
  }
  // Test hook: a trang killed with the file written but not yet named.
  if (std::getenv("TRANG_TEST_KILL_BEFORE_NAMING")) ::raise(SIGKILL);
  // linkat(fd, "", ..., AT_EMPTY_PATH) would need CAP_DAC_READ_SEARCH; the /proc link does not.
  std::string self = "/proc/self/fd/" + std::to_string(fd);
  Unnamed result = Unnamed::Failed;
  err = 0;
  if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) == 0) {
    result = Unnamed::Written;
  } else if (errno == EEXIST) {
    for (int tries = 0; tries < 16; ++tries) {
      std::string tmp = temporary_name(dir, base);
      if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) != 0) {
        if (errno == EEXIST) continue;
        err = errno;
        break;
      }
      if (std::rename(tmp.c_str(), path.c_str()) == 0) {
        result = Unnamed::Written;
      } else {
        err = errno;
        std::remove(tmp.c_str());
      }
      break;
    }
  } else if (errno == ENOENT || errno == EPERM || errno == EOPNOTSUPP || errno == EXDEV) {
    result = Unnamed::Unsupported;  // no /proc, or a filesystem that cannot link the inode
  } else {
    err = errno;
  }
  // A failed close means data that did not reach the file (a local filesystem reports write
  // errors at fsync, never here): the file goes rather than stay short.
  if (::close(fd) != 0 && result == Unnamed::Written) {
    err = errno;
    std::remove(path.c_str());
    result = Unnamed::Failed;
  }
  return result;
}

}  // namespace

bool write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces,
                           Diagnostics& diags, Sync sync,
                           const std::function<bool(int fd)>& before_rename) {
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  struct stat dir_st {};
  if (::stat(dir.c_str(), &dir_st) != 0) {
    int err = errno;
    diags.error({path}, err == ENOENT || err == ENOTDIR
                            ? "cannot write: folder '" + dir.string() + "' does not exist"
                            : "cannot write: folder '" + dir.string() + "'" + reason(err));
    return false;
  }
  if (!S_ISDIR(dir_st.st_mode)) {
    diags.error({path}, "cannot write: '" + dir.string() + "' is not a folder");
    return false;
  }
  // The rename would replace whatever is there: a folder fails, but a device or a FIFO
  // (as root: /dev/null) would be replaced. A symlink is replaced, never written through.
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
    diags.error({path}, S_ISDIR(st.st_mode) ? "cannot write: the output path is a folder"
                                            : "cannot write: the output path exists and is not "
                                              "a regular file (a device, FIFO or socket)");
    return false;
  }
  const std::string base = target.filename().string();
  // A hook that refused (before_rename returned false) said why itself.
  const int errors_before = diags.error_count();
  auto failed = [&](int err) {
    if (diags.error_count() == errors_before)
      diags.error({path}, "cannot write the output file" + reason(err));
    return false;
  };
  int err = 0;
  switch (write_unnamed(path, dir, base, pieces, sync, before_rename, err)) {
    case Unnamed::Written: return true;
    case Unnamed::Failed: return failed(err);
    case Unnamed::Unsupported: break;
  }
  // A named temporary file beside the target, renamed over it. A trang killed before the
  // rename leaves it (a batch removes those of its workers: cmd_batch.cpp).
  std::string tmpl = (dir / ("." + base + ".XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    err = errno;
    diags.error({path}, "cannot create a temporary file in '" + dir.string() + "'" + reason(err));
    return false;
  }
  bool ok = finish_contents(fd, pieces, sync, before_rename);
  if (!ok) err = errno;
  if (::close(fd) != 0 && ok) {
    err = errno;
    ok = false;
  }
  if (ok && std::rename(tmpl.c_str(), path.c_str()) != 0) {
    err = errno;
    ok = false;
  }
  if (!ok) {
    std::remove(tmpl.c_str());
    return failed(err);
  }
  return ok;
}

}  // namespace trang
