// Confinement of the files an input names (docs/security.md): an article's images, and what
// a stylesheet imports. A path written in an input file may only reach files inside a few
// allowed folders, judged on the canonical path (every symlink and `..` resolved), and only
// regular files: never a URL, a device, a FIFO (opening one would block) or a directory.
#pragma once

#include <string>
#include <vector>

namespace trang {

// The outcome of resolving a path written in an input file.
struct ConfinedPath {
  enum class Status {
    Ok,           // `path` is canonical, inside a root, and a regular file
    Url,          // scheme://..., data:, file: ...; trang never touches the network
    Absolute,     // written as an absolute path
    Outside,      // resolves (after symlinks) outside every allowed folder
    Missing,      // inside, but no such file
    NotRegular,   // inside, but a directory, device, FIFO or socket
  };
  Status status = Status::Missing;
  std::string path;  // canonical path (also set for Outside/Missing/NotRegular, for messages)
};

// Whether `written` looks like a URL ("http://", "file:", "data:" and other schemes).
bool looks_like_url(const std::string& written);

// Whether canonical `p` lies in the folder tree of canonical `root`.
bool path_inside(const std::string& p, const std::string& root);

// The allowed folders of one input, canonicalised once: an article names image after image
// against the same folders, and canonicalising them each time cost a dozen system calls per
// image.
class Confinement {
 public:
  explicit Confinement(std::vector<std::string> roots);

  // Resolves `written` relative to `base` (a folder) and checks it against the roots. `base`
  // itself should be one of them.
  ConfinedPath resolve(const std::string& written, const std::string& base) const;
  // `written` relative to the first root, or, when it is not there, to each other root in turn:
  // the first where it exists and stays inside wins (an article's image, beside it or in an
  // --assets folder). When none has it, what the first root said.
  ConfinedPath find(const std::string& written) const;

 private:
  std::vector<std::string> roots_;      // as given ("." for an empty one)
  std::vector<std::string> canonical_;  // each root canonicalised; empty when that failed
};

// Confinement(roots).resolve(written, base), for a single path.
ConfinedPath confine_path(const std::string& written, const std::string& base,
                          const std::vector<std::string>& roots);

// A one-line reason for a status other than Ok, e.g. "is outside the allowed folders".
std::string confine_message(ConfinedPath::Status status);

}  // namespace trang
