// trang core: units, geometry, source positions and diagnostics shared by every stage.
#pragma once

#include <array>
#include <cmath>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trang {

// A length in PostScript points (1/72 in). Every stage measures in Pt; a bare double that
// means a length is a bug waiting to happen (mm vs pt vs font units).
struct Pt {
  double v = 0;

  constexpr Pt() = default;
  constexpr explicit Pt(double value) : v(value) {}

  constexpr Pt operator+(Pt o) const { return Pt(v + o.v); }
  constexpr Pt operator-(Pt o) const { return Pt(v - o.v); }
  constexpr Pt operator-() const { return Pt(-v); }
  constexpr Pt operator*(double k) const { return Pt(v * k); }
  constexpr Pt operator/(double k) const { return Pt(v / k); }
  constexpr double operator/(Pt o) const { return v / o.v; }
  Pt& operator+=(Pt o) { v += o.v; return *this; }
  Pt& operator-=(Pt o) { v -= o.v; return *this; }
  constexpr auto operator<=>(const Pt&) const = default;
};

constexpr Pt operator*(double k, Pt p) { return Pt(k * p.v); }
constexpr Pt mm(double x) { return Pt(x * 72.0 / 25.4); }
constexpr Pt pt(double x) { return Pt(x); }

// A rectangle in page space: origin at the bottom-left corner of the page, y grows upwards
// (the PDF convention, so the writer never flips coordinates).
struct Rect {
  Pt x, y, w, h;
  Pt right() const { return x + w; }
  Pt top() const { return y + h; }
};

// A device colour. Gray, RGB or CMYK components in 0..1; the writer emits the matching
// operator (g, rg, k) so CMYK stays CMYK in print output.
struct Color {
  enum class Space : uint8_t { Gray, Rgb, Cmyk };
  Space space = Space::Gray;
  float c[4] = {0, 0, 0, 0};
  // Opacity in 0..1 (CSS Color 4 §4.2 alpha, times the painting element's `opacity`); below
  // 1 the writer paints through an ExtGState's /ca and /CA (ISO 32000-1 §11.6.4.4).
  float alpha = 1;
  // A spot colour (a named ink such as "PANTONE 185 C"), with `c` as its CMYK fallback;
  // empty for process colours. Writers without Separation support paint the fallback.
  std::string spot;

  static Color gray(float g) { Color k; k.space = Space::Gray; k.c[0] = g; return k; }
  static Color rgb(float r, float g, float b) {
    Color k; k.space = Space::Rgb; k.c[0] = r; k.c[1] = g; k.c[2] = b; return k;
  }
  static Color cmyk(float c_, float m, float y, float k_) {
    Color k; k.space = Space::Cmyk; k.c[0] = c_; k.c[1] = m; k.c[2] = y; k.c[3] = k_; return k;
  }
  bool operator==(const Color& o) const {
    return space == o.space && c[0] == o.c[0] && c[1] == o.c[1] && c[2] == o.c[2] &&
           c[3] == o.c[3] && alpha == o.alpha && spot == o.spot;
  }
};

// Where a user's input came from: file, 1-based line and column (column in Unicode code points).
// line == 0 means "the file as a whole".
struct SourcePos {
  std::string file;
  int line = 0;
  int col = 0;
};

// A user's mistake or a notice about their input. Collected, never thrown.
struct Diagnostic {
  enum class Severity : uint8_t { Note, Warning, Error };
  Severity severity = Severity::Error;
  SourcePos pos;
  std::string message;
  std::string hint;  // optional "did you mean" or how to fix it
  // A resource limit stopped the work (--max-pages, ...), not a mistake in the input as
  // such: the CLI exits with code 4 for it (docs/security.md).
  bool limit = false;
  // A stable name of the kind of problem ("css-unknown-property"), for tools that must not
  // parse the English of `message` (trang check, --report). Empty for the unclassified.
  std::string code;

  // "file:line:col: error: message" followed by "  hint: ..." when there is a hint.
  std::string format() const;
};

// The sink every stage reports into. Work goes on after an error where it can, so one run
// shows the user every problem at once; the CLI decides the exit code from has_errors().
class Diagnostics {
 public:
  void error(SourcePos pos, std::string message, std::string hint = {});
  void warning(SourcePos pos, std::string message, std::string hint = {});
  void note(SourcePos pos, std::string message, std::string hint = {});
  // The same, with a stable code (Diagnostic::code).
  void error(std::string code, SourcePos pos, std::string message, std::string hint = {});
  void warning(std::string code, SourcePos pos, std::string message, std::string hint = {});
  void add(Diagnostic d);

  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  int warning_count() const { return warnings_; }
  // Whether an error was a resource limit (Diagnostic::limit).
  bool limit_reached() const {
    for (const Diagnostic& d : items_)
      if (d.limit && d.severity == Diagnostic::Severity::Error) return true;
    return false;
  }
  const std::vector<Diagnostic>& all() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
  int warnings_ = 0;
};

// Maps byte offsets of a UTF-8 text to 1-based line and column. Columns count code points,
// as editors show them, not bytes (a Vietnamese line is full of two- and three-byte letters).
class LineIndex {
 public:
  LineIndex(std::string_view text);
  // Position of the byte at `offset` (clamped to the text's end). Lookups in increasing
  // order along one line cost only the distance from the previous one, so a minified file
  // on a single line stays linear.
  SourcePos position(std::string file, size_t offset) const;

 private:
  std::string_view text_;
  std::vector<size_t> line_starts_;
  mutable size_t cached_offset_ = 0;  // the last lookup, and its column
  mutable int cached_col_ = 1;
};

// Formats a number for PDF content and similar machine text: C locale, fixed rounding to
// `decimals`, trailing zeros trimmed, never "-0". Independent of LC_NUMERIC.
std::string format_number(double v, int decimals = 3);
// The same, appended to `out` (no temporary string: the writer formats numbers by the
// hundred thousand).
void append_number(std::string& out, double v, int decimals = 3);

// MurmurHash64A (Austin Appleby, public domain): a fast hash of bytes, word at a time, with
// little-endian loads so every machine agrees. For identifiers and up-to-date checks, never for
// security.
uint64_t hash64(std::string_view bytes, uint64_t seed = 0x9747b28c5bd1e995ull);
// XXH3's 128-bit hash (libxxhash): what large contents (photos) are keyed by. Several times
// faster than hash64 on long inputs, and 128 bits. Fast, not cryptographic.
std::array<uint64_t, 2> hash128(std::string_view bytes);
// The same with a seed (XXH3_128bits_withSeed): chains hashes of several pieces.
std::array<uint64_t, 2> hash128(std::string_view bytes, uint64_t seed);

// A file as the kernel knows it: which one, how long, when last written or changed. Equal
// identities mean equal bytes (as make, ccache and git's index trust), short of a file rewritten
// with the same size within the timestamps' resolution (nanoseconds on ext4, XFS, tmpfs). What
// lets a batch worker remember a file's hash instead of reading it again.
struct FileIdentity {
  uint64_t dev = 0, ino = 0, size = 0;
  int64_t mtime_ns = 0, ctime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
  auto operator<=>(const FileIdentity&) const = default;
};
// The identity of an open file, or of the file at `path` (following symlinks); nullopt when
// it cannot be had.
std::optional<FileIdentity> file_identity(int fd);
std::optional<FileIdentity> file_identity(const std::string& path);

// Reads a file an input names (an article, a stylesheet), safely. Anything but a regular file
// is refused by name before it is opened (opening a device can have effects of its own), and
// what is opened is asked again: the open has O_NONBLOCK, so a FIFO put in the file's place
// meanwhile cannot block it, and is refused too. Only a regular file of at most `max_bytes`
// is read; with `head_only`, only its first `max_bytes` are, and a larger file is no error.
// `out` holds the bytes on Ok and is cleared otherwise.
enum class ReadStatus : uint8_t {
  Ok,
  Missing,     // no such file
  NotRegular,  // a directory, device, FIFO or socket
  TooLarge,    // more than max_bytes
  Unreadable,  // cannot be opened (permissions) or read
};
// `error`, when given, receives the system's errno for Unreadable (0 otherwise).
ReadStatus read_regular_file(const std::string& path, uint64_t max_bytes, std::string& out,
                             bool head_only = false, int* error = nullptr);
// "no such file", "not a regular file", "cannot read the file: <the system's reason>"; for
// TooLarge the caller says what the limit is for.
std::string read_status_message(ReadStatus status, int error = 0);

// Whether a render may start threads of its own (image loading and checks, the paragraph
// helper, font subsetting and compression on two cores). True by default. `trang batch` turns
// it off in its workers: they already keep every core busy with one article each, and a
// thread per stage per article there only costs thread starts and switches. Set once, before
// any render starts.
bool render_threads();
void set_render_threads(bool allowed);

// Decodes the code point that starts at byte `i` of UTF-8 text into `cp` and moves `i` past it.
// False, with `i` unchanged, on an invalid sequence: a stray or truncated one, an overlong form,
// a surrogate or a code point past U+10FFFF. The one decoder the UTF-8 readers share.
inline bool next_utf8(std::string_view s, size_t& i, char32_t& cp) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    cp = b;
    ++i;
    return true;
  }
  int extra;
  if ((b & 0xE0) == 0xC0) { cp = b & 0x1F; extra = 1; }
  else if ((b & 0xF0) == 0xE0) { cp = b & 0x0F; extra = 2; }
  else if ((b & 0xF8) == 0xF0) { cp = b & 0x07; extra = 3; }
  else return false;
  if (i + static_cast<size_t>(extra) >= s.size()) return false;
  for (int k = 1; k <= extra; ++k) {
    unsigned char c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += static_cast<size_t>(extra) + 1;
  return true;
}

// Appends one code point as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// Decodes UTF-8 into code points; returns false (and the byte offset of the bad sequence)
// on invalid input, overlong forms, surrogates or code points past U+10FFFF.
bool decode_utf8(std::string_view s, std::u32string& out, size_t* bad_offset = nullptr);
// The same check without the code points.
bool valid_utf8(std::string_view s, size_t* bad_offset = nullptr);

}  // namespace trang
