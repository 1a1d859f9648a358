// The parts of `trang batch` that decide *what* to render, apart from the worker pool that
// renders it: listing the inputs, naming the outputs, sharding, and up-to-date stamps. Plain
// functions over paths and bytes, so they can be tested and reasoned about on their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "pdf/pdf.h"

namespace trang::cli::batch {

// One article of a batch.
struct Job {
  std::string input;  // the path to open (as given, or joined to the list file's folder)
  std::string rel;    // relative to the input root, '/'-separated: names the output, picks the shard
  std::string output; // OUT_DIR/rel with .xml replaced by .pdf
};

// Lists the articles under `input`: a folder (every *.xml below it, recursively, hidden files
// and folders skipped) or a list file (one path per line, relative to the list file's folder
// or absolute inside it; blank lines and lines starting with '#' ignored). Sorted by `rel`, so
// every machine and every run sees the same order. Problems (a line naming a path outside the
// root, a missing folder) are reported to `diags`.
std::vector<Job> list_jobs(const std::string& input, const std::string& out_dir,
                           Diagnostics& diags);

// A stable 64-bit hash (FNV-1a, http://www.isthe.com/chongo/tech/comp/fnv/): the same on every
// machine, compiler and run, unlike std::hash.
uint64_t fnv1a64(std::string_view bytes, uint64_t seed = 14695981039346656037ull);

// A fast 64-bit hash of file contents for stamps: 8 bytes a step (multiply-xorshift mixing in
// the manner of MurmurHash64A), about 8x FNV-1a's speed on photos. Stable across machines
// (little-endian loads). Not for anything adversarial: it only tells edits apart.
uint64_t content_hash64(std::string_view bytes);

// "K/N" with 1 <= K <= N; nullopt when malformed.
struct Shard {
  int index = 1;  // K, 1-based
  int count = 1;  // N
};
std::optional<Shard> parse_shard(std::string_view text);

// Whether `rel` belongs to shard K of N: fnv1a64(rel) mod N == K-1. Depends only on the path
// relative to the input root, so machines that mount the archive at different places agree,
// and every article falls in exactly one shard.
bool in_shard(const std::string& rel, const Shard& shard);

// The stamp of an output: what it was rendered from, and what the PDF was. An output is up to
// date when the stamp of the current inputs (trang's version, the built-in stylesheet, the
// options, and the bytes of every file the render read: article, stylesheet, images) is the
// stamp on disk, and the PDF on disk is still the one the stamp describes (output_digest).
//
// It is kept in the PDF's extended attribute `user.trang.stamp`, set on the temporary file
// before the rename (or in the stamp file, written before the PDF is named), so that a PDF
// never appears without its stamp and a PDF put in its place
// brings no stamp along. It also spares a second new file per article: on ext4 without a
// journal each new inode passes over the recently freed ones, and in a batch run after others
// had been deleted, creating inodes was a fifth of the CPU with stamp files and a twentieth
// without. Where the filesystem keeps no user attributes, or not one this long, the stamp is
// the file `.NAME.pdf.stamp` beside the PDF (stamp_path), as trang wrote it before.
inline constexpr const char* kStampAttribute = "user.trang.stamp";
std::string stamp_path(const std::string& output);
// Sets `stamp` as the stamp attribute of the open file `fd`; false when the filesystem will
// not keep it (the caller then writes the stamp file).
bool attach_stamp(int fd, const std::string& stamp);
// The stamp of `output`: its attribute, else its stamp file; nullopt when it has neither.
std::optional<std::string> read_stamp(const std::string& output);

// What a stamp records of its PDF: the size, and XXH3 hashes of the first and last 4 KiB. A stamp is
// written right after its PDF, without waiting for either to reach the disk; after a power cut
// the PDF may be empty, cut short or zero-filled at the end (ext4 and XFS leave those, never old
// bytes in the middle), and then this no longer matches, so the article renders again.
std::string output_digest(const pdf::PdfBytes& pdf);
// The same for the file at `path`, reading only those 8 KiB; nullopt when it cannot be read.
std::optional<std::string> file_output_digest(const std::string& path);

// Where the articles of a batch are, for the stamps. Stamps name the files a render read by
// their path relative to the input root (absolute only outside it), so that `in`, `./in` and
// `/abs/in` resume one another, and an archive moved whole keeps its stamps.
struct Root {
  std::string given;      // the folder as typed (a list file's folder for a list file)
  std::string absolute;   // absolute, lexically normal
  std::string canonical;  // absolute, symlinks resolved
};
// The root of `input`, a folder or a list file.
Root make_root(const std::string& input);
// `path` as a stamp names it: relative to the root ('/'-separated) when inside it under either
// spelling, else its canonical absolute path.
std::string stamp_key(const std::string& path, const Root& root);
// The file a stamp's key names, for opening.
std::string key_path(const std::string& key, const Root& root);

// A warning a render gave, as the batch reports it: a short code per kind, for the systems
// that drive batches, and the diagnostic's first line (warning_code lists the codes).
struct Warning {
  std::string code;
  std::string message;
};
// image-placeholder (a damaged or unreadable photo drawn as a box), image-missing (a photo
// file not found), missing-glyph, overset, or "warning" for any other kind.
std::string warning_code(const Diagnostic& d);
// The warnings of a render, at most kListedWarnings of them (a font without Vietnamese gives
// one per paragraph); `count` is all of them.
inline constexpr size_t kListedWarnings = 20;
struct RenderSummary {
  int pages = 0;
  int warnings = 0;               // how many the render gave
  std::vector<Warning> listed;    // the first kListedWarnings
};
RenderSummary summarize(int pages, const Diagnostics& diags);

// The stamp text for a render that read `inputs` (RenderResult::inputs) with `options` and made
// `pdf`, with what it made of it (`summary`: pages and warnings, so that a resumed batch
// reports a PDF with placeholders again); nullopt when an input cannot be read.
std::optional<std::string> make_stamp(const std::vector<std::string>& inputs,
                                      const std::string& options, const pdf::PdfBytes& pdf,
                                      const Root& root, const RenderSummary& summary);

// When `job.output` exists, is the PDF its stamp describes, and the stamp still matches the
// files it names: what the stamp remembers of the render. nullopt otherwise.
std::optional<RenderSummary> up_to_date(const Job& job, const std::string& options,
                                        const Root& root);

// A claim on an output, so that batches run at once on the same output (a shard submitted
// twice, a second machine on shared storage) never render the same article at the same time
// (issue 19). It is flock(2) on the lock file `.NAME.pdf.lock` beside the PDF (lock_path),
// which holds "PID@HOST" for people who look. The kernel releases a lock whose process is gone
// (killed, crashed, its machine's NFS lease expired), so a lock file left behind is stale and
// the next claim simply takes it; a claim is released by removing the file while holding it,
// and a claim that finds its file removed or replaced after it locked it tries again.
std::string lock_path(const std::string& output);
class OutputClaim {
 public:
  enum class Result : uint8_t {
    Claimed,  // this process holds it until release() or destruction
    Taken,    // another process holds it: `holder` says which ("PID@HOST", if it wrote one)
    Failed,   // the lock file cannot be made (a read-only folder): go on unclaimed
  };
  OutputClaim() = default;
  OutputClaim(const OutputClaim&) = delete;
  OutputClaim& operator=(const OutputClaim&) = delete;
  ~OutputClaim() { release(); }

  Result take(const std::string& output, std::string* holder = nullptr);
  void release();

 private:
  int fd_ = -1;
  std::string path_;
};
// Removes the lock file of `output` when no process holds it (a worker killed while rendering
// it); one that is held is left alone.
void remove_stale_lock(const std::string& output);

}  // namespace trang::cli::batch
