#include "cli/batch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "style/style.h"

namespace trang::cli::batch {

namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

bool is_article(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".xml";
}

// `rel` with '/' separators, or nullopt when it leaves the root ("..") or is empty.
std::optional<std::string> clean_relative(const fs::path& rel) {
  fs::path n = rel.lexically_normal();
  if (n.empty() || n.is_absolute()) return std::nullopt;
  std::string out;
  for (const fs::path& part : n) {
    if (part == "..") return std::nullopt;
    if (part == "." || part.empty()) continue;
    if (!out.empty()) out += '/';
    out += part.string();
  }
  if (out.empty()) return std::nullopt;
  return out;
}

Job make_job(std::string input, std::string rel, const std::string& out_dir) {
  fs::path out = fs::path(out_dir) / fs::path(rel);
  out.replace_extension(".pdf");
  return Job{std::move(input), std::move(rel), out.string()};
}

// A file a stamp names or a stamp file, through core's reader (a FIFO put in its place is
// refused, not waited on). Inputs are at most what the render accepts: an image's 200 MiB.
std::optional<std::string> read_file(const std::string& path, uint64_t max_bytes = 256u << 20) {
  std::string out;
  if (read_regular_file(path, max_bytes, out) != ReadStatus::Ok) return std::nullopt;
  return out;
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// "hash size" of a file's content for a stamp line. A batch reads the same photos, stylesheet
// and fonts for article after article: a file whose identity and times have not changed since
// it was last hashed in this process is not read again (as make and ccache trust mtimes).
std::optional<std::string> content_digest(const std::string& path) {
  static std::map<std::string, std::pair<FileIdentity, std::string>> seen;  // one thread
  std::optional<FileIdentity> id = file_identity(path);
  if (id) {
    auto it = seen.find(path);
    if (it != seen.end() && it->second.first == *id) return it->second.second;
  }
  auto bytes = read_file(path);
  if (!bytes) return std::nullopt;
  std::string digest = hex64(content_hash64(*bytes)) + ' ' + std::to_string(bytes->size());
  if (id && seen.size() < 100000) seen[path] = {*id, digest};
  return digest;
}

}  // namespace

std::vector<Job> list_jobs(const std::string& input, const std::string& out_dir,
                           Diagnostics& diags) {
  std::vector<Job> jobs;
  std::error_code ec;
  if (fs::is_directory(input, ec)) {
    fs::path root(input);
    auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      diags.error({input}, "cannot list the folder: " + ec.message());
      return jobs;
    }
    for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
      if (ec) {
        diags.error({input}, "cannot list the folder: " + ec.message());
        break;
      }
      const fs::path& p = it->path();
      if (hidden(p)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec) || !is_article(p)) continue;
      if (auto rel = clean_relative(p.lexically_relative(root)))
        jobs.push_back(make_job(p.string(), *rel, out_dir));
    }
  } else if (fs::is_regular_file(input, ec)) {
    fs::path base = fs::path(input).parent_path();
    std::ifstream in(input);
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
      size_t start = line.find_first_not_of(" \t");
      if (start == std::string::npos || line[start] == '#') continue;
      fs::path p(line.substr(start));
      // Both sides normal: a list spelled ./in/list.txt has the folder /cwd/./in, which an
      // absolute line /cwd/in/x.xml is inside of all the same. Failing that, through symlinks.
      std::optional<std::string> clean;
      if (!p.is_absolute()) {
        clean = clean_relative(p);
      } else {
        clean = clean_relative(p.lexically_normal().lexically_relative(
            fs::absolute(base, ec).lexically_normal()));
        if (!clean)
          clean = clean_relative(fs::weakly_canonical(p, ec).lexically_relative(
              fs::weakly_canonical(fs::absolute(base, ec), ec)));
      }
      if (!clean) {
        diags.error({input, line_no, static_cast<int>(start) + 1},
                    std::string(1, '\'').append(p.string()).append("' is not inside the list's folder"),
                    "list paths relative to the folder of the list file");
        continue;
      }
      fs::path open = p.is_absolute() ? p : base / p;
      jobs.push_back(make_job(open.string(), *clean, out_dir));
    }
  } else {
    diags.error({input}, "no such folder or list file");
  }
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.rel < b.rel; });
  // The same article listed twice would be rendered twice into one output, racing.
  jobs.erase(std::unique(jobs.begin(), jobs.end(),
                         [](const Job& a, const Job& b) { return a.rel == b.rel; }),
             jobs.end());
  return jobs;
}

uint64_t fnv1a64(std::string_view bytes, uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t content_hash64(std::string_view bytes) { return hash64(bytes); }

std::optional<Shard> parse_shard(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Shard s;
  auto a = std::from_chars(text.data(), text.data() + slash, s.index);
  auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), s.count);
  if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() ||
      b.ptr != text.data() + text.size() || s.count < 1 || s.index < 1 || s.index > s.count)
    return std::nullopt;
  return s;
}

bool in_shard(const std::string& rel, const Shard& shard) {
  return fnv1a64(rel) % static_cast<uint64_t>(shard.count) ==
         static_cast<uint64_t>(shard.index - 1);
}

std::string stamp_path(const std::string& output) {
  fs::path p(output);
  std::string name(1, '.');
  name.append(p.filename().string()).append(".stamp");
  return (p.parent_path() / name).string();
}

bool attach_stamp(int fd, const std::string& stamp) {
  // Test hook (tests/e2e/test_batch.py): a filesystem without user attributes.
  if (std::getenv("TRANG_BATCH_TEST_NO_XATTR")) return false;
  return ::fsetxattr(fd, kStampAttribute, stamp.data(), stamp.size(), 0) == 0;
}

std::optional<std::string> read_stamp(const std::string& output) {
  if (!std::getenv("TRANG_BATCH_TEST_NO_XATTR")) {
    std::string value(1024, '\0');
    for (int tries = 0; tries < 3; ++tries) {
      ssize_t n = ::getxattr(output.c_str(), kStampAttribute, value.data(), value.size());
      if (n >= 0) {
        value.resize(static_cast<size_t>(n));
        return value;
      }
      if (errno != ERANGE) break;
      // Longer than the buffer: ask for its size, then read again.
      ssize_t size = ::getxattr(output.c_str(), kStampAttribute, nullptr, 0);
      if (size < 0) break;
      value.assign(static_cast<size_t>(size) + 1, '\0');
    }
  }
  return read_file(stamp_path(output), 1u << 20);
}

namespace {
constexpr size_t kDigestEnds = 4096;  // bytes hashed at each end of a PDF

std::string digest_of(std::string_view head, std::string_view tail, uint64_t size) {
  return hex64(hash128(head)[0]) + hex64(hash128(tail)[0]) + ' ' + std::to_string(size);
}

// The stamp without its output line, and the output line's place: the header is
// "trang-stamp 3", trang's version and stylesheet, the options, then "output DIGEST",
// "result PAGES WARNINGS LISTED" and LISTED lines "CODE MESSAGE". (Version 3 added the result
// and keyed inputs by the root: a version 2 stamp renders its article again, once.)
std::string stamp_head(const std::string& options) {
  // trang's version and its built-in stylesheet: the same for the whole process.
  static const std::string version = "trang-stamp 3\ntrang " TRANG_VERSION " " +
                                     hex64(fnv1a64(style::default_stylesheet_text())) + '\n';
  std::string out = version;
  out += "options " + options + '\n';
  return out;
}
}  // namespace

std::string output_digest(const pdf::PdfBytes& pdf) {
  return digest_of(pdf.head(kDigestEnds), pdf.tail(kDigestEnds), pdf.size());
}

std::optional<std::string> file_output_digest(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  std::string head, tail;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    size_t size = static_cast<size_t>(st.st_size);
    size_t n = std::min(size, kDigestEnds);
    head.resize(n);
    tail.resize(n);
    ok = ::pread(fd, head.data(), n, 0) == static_cast<ssize_t>(n) &&
         ::pread(fd, tail.data(), n, static_cast<off_t>(size - n)) == static_cast<ssize_t>(n);
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return digest_of(head, tail, static_cast<uint64_t>(st.st_size));
}

Root make_root(const std::string& input) {
  std::error_code ec;
  fs::path folder(input);
  if (!fs::is_directory(folder, ec)) folder = folder.parent_path();
  if (folder.empty()) folder = ".";
  Root r;
  r.given = folder.string();
  r.absolute = fs::absolute(folder, ec).lexically_normal().string();
  fs::path canonical = fs::weakly_canonical(folder, ec);
  r.canonical = ec ? r.absolute : canonical.string();
  for (std::string* s : {&r.absolute, &r.canonical})
    while (s->size() > 1 && s->back() == '/') s->pop_back();
  return r;
}

namespace {
// `path` relative to `root` when it lies inside it, else nullopt.
std::optional<std::string> inside(const std::string& path, const std::string& root) {
  if (root == "/") return path.size() > 1 ? std::optional(path.substr(1)) : std::nullopt;
  if (path.size() <= root.size() + 1 || path.compare(0, root.size(), root) != 0 ||
      path[root.size()] != '/')
    return std::nullopt;
  return path.substr(root.size() + 1);
}
}  // namespace

std::string stamp_key(const std::string& path, const Root& root) {
  std::error_code ec;
  std::string abs = fs::absolute(path, ec).lexically_normal().string();
  if (auto rel = inside(abs, root.absolute)) return *rel;
  fs::path canonical = fs::weakly_canonical(abs, ec);
  std::string c = ec ? abs : canonical.string();
  if (auto rel = inside(c, root.canonical)) return *rel;
  return c;
}

std::string key_path(const std::string& key, const Root& root) {
  if (!key.empty() && key[0] == '/') return key;
  return (fs::path(root.given) / key).string();
}

std::string warning_code(const Diagnostic& d) {
  auto starts = [&](std::string_view s) { return d.message.compare(0, s.size(), s) == 0; };
  // render.cpp (add_image_diagnostics) gives every photo it could not embed this hint.
  if (d.hint.find("placeholder box") != std::string::npos) return "image-placeholder";
  if ((starts("picture file '") || starts("image file '")) &&
      d.message.find("not found") != std::string::npos)
    return "image-missing";
  if (starts("no font has a glyph for ")) return "missing-glyph";  // text/paragraph.cpp
  if (d.message.find("overset") != std::string::npos) return "overset";
  return "warning";
}

RenderSummary summarize(int pages, const Diagnostics& diags) {
  RenderSummary s;
  s.pages = pages;
  for (const Diagnostic& d : diags.all()) {
    if (d.severity != Diagnostic::Severity::Warning) continue;
    ++s.warnings;
    if (s.listed.size() >= kListedWarnings) continue;
    std::string line = d.format();
    line = line.substr(0, line.find('\n'));  // the hint stays in the log
    if (line.size() > 400) line.resize(400);
    s.listed.push_back({warning_code(d), std::move(line)});
  }
  return s;
}

namespace {
std::string result_lines(const RenderSummary& s) {
  std::string out = "result " + std::to_string(s.pages) + ' ' + std::to_string(s.warnings) + ' ' +
                    std::to_string(s.listed.size()) + '\n';
  for (const Warning& w : s.listed) out += w.code + ' ' + w.message + '\n';
  return out;
}
}  // namespace

std::optional<std::string> make_stamp(const std::vector<std::string>& inputs,
                                      const std::string& options, const pdf::PdfBytes& pdf,
                                      const Root& root, const RenderSummary& summary) {
  std::string out = stamp_head(options);
  out += "output " + output_digest(pdf) + '\n';
  out += result_lines(summary);
  for (const std::string& path : inputs) {
    auto digest = content_digest(path);
    if (!digest) return std::nullopt;
    out += *digest + ' ' + stamp_key(path, root) + '\n';
  }
  return out;
}

std::optional<RenderSummary> up_to_date(const Job& job, const std::string& options,
                                        const Root& root) {
  auto stamp = read_stamp(job.output);
  if (!stamp) return std::nullopt;
  // The stamp as it would be written now: the same header, the PDF on disk's digest, the
  // result as recorded, and the current digests of the files the stamp names (the article
  // first, then what the article made trang read).
  std::string now = stamp_head(options);
  if (stamp->compare(0, now.size(), now) != 0) return std::nullopt;
  auto pdf = file_output_digest(job.output);
  if (!pdf) return std::nullopt;
  now += "output " + *pdf + '\n';
  if (stamp->compare(0, now.size(), now) != 0) return std::nullopt;
  std::istringstream in(stamp->substr(now.size()));
  std::string line;
  RenderSummary result;
  size_t listed = 0;
  {
    std::getline(in, line);
    std::istringstream head(line);
    std::string word;
    if (!(head >> word >> result.pages >> result.warnings >> listed) || word != "result" ||
        listed > kListedWarnings)
      return std::nullopt;
  }
  for (size_t i = 0; i < listed; ++i) {
    if (!std::getline(in, line)) return std::nullopt;
    size_t sp = line.find(' ');
    if (sp == std::string::npos) return std::nullopt;
    result.listed.push_back({line.substr(0, sp), line.substr(sp + 1)});
  }
  now += result_lines(result);
  const std::string article = stamp_key(job.input, root);
  bool first = true;
  while (std::getline(in, line)) {
    size_t a = line.find(' ');
    size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
    if (b == std::string::npos) return std::nullopt;
    std::string key = line.substr(b + 1);
    if (first && key != article) return std::nullopt;
    first = false;
    auto digest = content_digest(key_path(key, root));
    if (!digest) return std::nullopt;
    now += *digest + ' ' + key + '\n';
  }
  if (first || now != *stamp) return std::nullopt;
  return result;
}

}  // namespace trang::cli::batch
