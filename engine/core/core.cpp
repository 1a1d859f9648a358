#include "core/core.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <bit>
#include <charconv>
#include <cstring>
#include <ostream>

#include "core/glyphs.h"

namespace trang {

std::ostream& operator<<(std::ostream& out, const ClusterText& t) { return out << t.view(); }

std::string Diagnostic::format() const {
  std::string out;
  if (!pos.file.empty()) {
    out += pos.file;
    if (pos.line > 0) {
      out += ':' + std::to_string(pos.line);
      if (pos.col > 0) out += ':' + std::to_string(pos.col);
    }
    out += ": ";
  }
  switch (severity) {
    case Severity::Error: out += "error: "; break;
    case Severity::Warning: out += "warning: "; break;
    case Severity::Note: out += "note: "; break;
  }
  out += message;
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Diagnostic::Severity::Error) ++errors_;
  if (d.severity == Diagnostic::Severity::Warning) ++warnings_;
  items_.push_back(std::move(d));
}

void Diagnostics::error(SourcePos pos, std::string message, std::string hint) {
  add({Diagnostic::Severity::Error, std::move(pos), std::move(message), std::move(hint)});
}
void Diagnostics::warning(SourcePos pos, std::string message, std::string hint) {
  add({Diagnostic::Severity::Warning, std::move(pos), std::move(message), std::move(hint)});
}
void Diagnostics::error(std::string code, SourcePos pos, std::string message,
                        std::string hint) {
  add({Diagnostic::Severity::Error, std::move(pos), std::move(message), std::move(hint), false,
       std::move(code)});
}
void Diagnostics::warning(std::string code, SourcePos pos, std::string message,
                          std::string hint) {
  add({Diagnostic::Severity::Warning, std::move(pos), std::move(message), std::move(hint), false,
       std::move(code)});
}
void Diagnostics::note(SourcePos pos, std::string message, std::string hint) {
  add({Diagnostic::Severity::Note, std::move(pos), std::move(message), std::move(hint)});
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts_.push_back(i + 1);
}

SourcePos LineIndex::position(std::string file, size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts_.begin());  // 1-based
  size_t start = line_starts_[line - 1];
  int col = 1;
  if (cached_offset_ >= start && cached_offset_ <= offset) {
    start = cached_offset_;
    col = cached_col_;
  }
  for (size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;  // count lead bytes only
  cached_offset_ = offset;
  cached_col_ = col;
  return SourcePos{std::move(file), static_cast<int>(line), col};
}

void append_number(std::string& out, double v, int decimals) {
  static constexpr uint64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (decimals < 0 || decimals > 6 || !(std::fabs(v) < 1e12)) {
    // Outside what the fast path covers (never, for page coordinates): the general way.
    double scale = std::pow(10.0, decimals);
    double r = std::round(v * scale) / scale;
    if (r == 0) { out += '0'; return; }
    char buf[400];
    auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed, std::max(decimals, 0));
    std::string s(buf, res.ptr);
    if (s.find('.') != std::string::npos) {
      while (!s.empty() && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
    }
    out += s;
    return;
  }
  // The value rounded to `decimals` places as an integer count of 10^-decimals: the digits are
  // those of the integer, which is what printing the rounded double gave, without std::pow and
  // a floating-point formatter for each of the hundreds of thousands of numbers of a document.
  double scaled = std::round(v * static_cast<double>(kPow10[decimals]));
  int64_t n = static_cast<int64_t>(scaled);
  if (n == 0) {
    out += '0';
    return;
  }
  if (n < 0) out += '-';
  uint64_t u = n < 0 ? uint64_t(-(n + 1)) + 1 : uint64_t(n);
  uint64_t whole = u / kPow10[decimals], frac = u % kPow10[decimals];
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, whole);
  out.append(buf, res.ptr);
  if (frac == 0) return;
  char digits[8];
  int len = decimals;
  for (int i = decimals - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  while (len > 0 && digits[len - 1] == '0') --len;
  out += '.';
  out.append(digits, static_cast<size_t>(len));
}

std::string format_number(double v, int decimals) {
  std::string s;
  append_number(s, v, decimals);
  return s;
}

namespace {
FileIdentity identity_of(const struct stat& st) {
  auto ns = [](const timespec& t) { return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec; };
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<uint64_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim)};
}
}  // namespace

std::optional<FileIdentity> file_identity(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  return identity_of(st);
}

std::optional<FileIdentity> file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return identity_of(st);
}

ReadStatus read_regular_file(const std::string& path, uint64_t max_bytes, std::string& out,
                             bool head_only, int* error) {
  out.clear();
  int ignored = 0;
  int& err = error ? *error : ignored;
  err = 0;
  // Unreadable, with the system's reason kept before anything else can change errno.
  auto unreadable = [&] {
    err = errno;
    return ReadStatus::Unreadable;
  };
  max_bytes = std::min<uint64_t>(max_bytes, uint64_t(1) << 40);  // max_bytes + 1 must not wrap
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return errno == ENOENT || errno == ENOTDIR ? ReadStatus::Missing : unreadable();
  if (!S_ISREG(st.st_mode)) return ReadStatus::NotRegular;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? ReadStatus::Missing : unreadable();
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &st) != 0) return unreadable();
  if (!S_ISREG(st.st_mode)) return ReadStatus::NotRegular;
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes && !head_only) return ReadStatus::TooLarge;
  // One byte more than the size said, to see a file that grew since: it is read to the limit.
  size_t want = static_cast<size_t>(std::min(size, max_bytes)) + 1;
  out.resize(want);
  size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (got > max_bytes) break;
      out.resize(std::min<uint64_t>(max_bytes + 1, got * 2));
    }
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.clear();
      return unreadable();
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > max_bytes) {
    if (!head_only) {
      out.clear();
      return ReadStatus::TooLarge;
    }
    got = static_cast<size_t>(max_bytes);
  }
  out.resize(got);
  return ReadStatus::Ok;
}

std::string read_status_message(ReadStatus status, int error) {
  switch (status) {
    case ReadStatus::Ok: return "read";
    case ReadStatus::Missing: return "no such file";
    case ReadStatus::NotRegular: return "not a regular file";
    case ReadStatus::TooLarge: return "file is too large";
    case ReadStatus::Unreadable: break;
  }
  return error ? std::string("cannot read the file: ") + std::strerror(error) : "cannot read the file";
}

namespace {
bool g_render_threads = true;
}  // namespace

bool render_threads() { return g_render_threads; }
void set_render_threads(bool allowed) { g_render_threads = allowed; }

uint64_t hash64(std::string_view bytes, uint64_t seed) {
  const uint64_t m = 0xc6a4a7935bd1e995ull;
  const int r = 47;
  uint64_t h = seed ^ (bytes.size() * m);
  auto load = [&](size_t at, size_t n) {  // little-endian, so every machine agrees
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    return v;
  };
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t k;
    std::memcpy(&k, bytes.data() + i, 8);
    if constexpr (std::endian::native == std::endian::big) k = load(i, 8);
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  if (i < bytes.size()) {
    h ^= load(i, bytes.size() - i);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

std::array<uint64_t, 2> hash128(std::string_view bytes) {
  XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  return {h.low64, h.high64};
}

std::array<uint64_t, 2> hash128(std::string_view bytes, uint64_t seed) {
  XXH128_hash_t h = XXH3_128bits_withSeed(bytes.data(), bytes.size(), seed);
  return {h.low64, h.high64};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {
// Walks the code points of UTF-8 text, calling emit(cp) for each; false (and the byte offset of
// the bad sequence) on invalid input (next_utf8).
template <typename Emit>
bool walk_utf8(std::string_view s, size_t* bad_offset, Emit emit) {
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    if (!next_utf8(s, i, cp)) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    emit(cp);
  }
  return true;
}
}  // namespace

bool decode_utf8(std::string_view s, std::u32string& out, size_t* bad_offset) {
  out.clear();
  out.reserve(s.size());
  return walk_utf8(s, bad_offset, [&](char32_t cp) { out.push_back(cp); });
}

bool valid_utf8(std::string_view s, size_t* bad_offset) {
  return walk_utf8(s, bad_offset, [](char32_t) {});
}

}  // namespace trang
