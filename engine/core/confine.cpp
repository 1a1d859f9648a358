#include "core/confine.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>

namespace trang {

namespace fs = std::filesystem;

bool looks_like_url(const std::string& w) {
  if (w.find("://") != std::string::npos) return true;
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". One letter
  // before the colon could be a Windows drive ("C:"), which is refused as absolute anyway.
  size_t colon = w.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  if (!std::isalpha(static_cast<unsigned char>(w[0]))) return false;
  return std::all_of(w.begin(), w.begin() + static_cast<ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

bool path_inside(const std::string& p, const std::string& root) {
  fs::path pp(p), rr(root);
  auto r = rr.begin(), q = pp.begin();
  for (; r != rr.end(); ++r, ++q) {
    if (r->empty()) continue;  // a trailing separator
    if (q == pp.end() || *q != *r) return false;
  }
  return true;
}

namespace {

// A path of one component that names a file in the folder itself: no separator, not . or ..
bool plain_name(const std::string& w) {
  return !w.empty() && w != "." && w != ".." && w.find('/') == std::string::npos;
}

ConfinedPath status_of(std::string path) {
  ConfinedPath out;
  out.path = std::move(path);
  // stat, never open: opening a FIFO blocks until a writer comes.
  struct stat st {};
  if (::stat(out.path.c_str(), &st) != 0) {
    out.status = ConfinedPath::Status::Missing;
    return out;
  }
  out.status = S_ISREG(st.st_mode) ? ConfinedPath::Status::Ok : ConfinedPath::Status::NotRegular;
  return out;
}

}  // namespace

Confinement::Confinement(std::vector<std::string> roots) : roots_(std::move(roots)) {
  for (std::string& root : roots_) {
    if (root.empty()) root = ".";
    std::error_code ec;
    fs::path r = fs::weakly_canonical(fs::path(root), ec);
    canonical_.push_back(ec ? std::string() : r.string());
  }
}

ConfinedPath Confinement::resolve(const std::string& written, const std::string& base) const {
  ConfinedPath out;
  if (looks_like_url(written)) {
    out.status = ConfinedPath::Status::Url;
    return out;
  }
  fs::path rel(written);
  if (rel.is_absolute() || (!written.empty() && written[0] == '/')) {
    out.status = ConfinedPath::Status::Absolute;
    return out;
  }
  const std::string& from = base.empty() ? std::string(".") : base;
  // A plain file name in a root: the canonical root and the name are the canonical path,
  // unless the name is a symlink, which is then followed below like any other path.
  for (size_t i = 0; i < roots_.size(); ++i) {
    if (roots_[i] != from || canonical_[i].empty() || !plain_name(written)) continue;
    std::string full = canonical_[i] + (canonical_[i].back() == '/' ? "" : "/") + written;
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0) {
      if (errno != ENOENT) break;
      out.path = std::move(full);
      out.status = ConfinedPath::Status::Missing;
      return out;
    }
    if (S_ISLNK(st.st_mode)) break;
    out.path = std::move(full);
    out.status = S_ISREG(st.st_mode) ? ConfinedPath::Status::Ok : ConfinedPath::Status::NotRegular;
    return out;
  }
  std::error_code ec;
  // weakly_canonical resolves every symlink of the part that exists: a link that points out
  // of the folder is judged by where it points, not by where it is written.
  fs::path full = fs::weakly_canonical(fs::path(from) / rel, ec);
  if (ec) {
    out.status = ConfinedPath::Status::Outside;
    return out;
  }
  out.path = full.string();
  bool inside = false;
  for (const std::string& root : canonical_)
    if (!root.empty() && path_inside(out.path, root)) inside = true;
  if (!inside) {
    out.status = ConfinedPath::Status::Outside;
    return out;
  }
  return status_of(std::move(out.path));
}

ConfinedPath Confinement::find(const std::string& written) const {
  ConfinedPath c = resolve(written, roots_.empty() ? std::string(".") : roots_[0]);
  for (size_t i = 1; i < roots_.size() && c.status == ConfinedPath::Status::Missing; ++i) {
    ConfinedPath a = resolve(written, roots_[i]);
    if (a.status != ConfinedPath::Status::Missing && a.status != ConfinedPath::Status::Outside)
      c = a;
  }
  return c;
}

ConfinedPath confine_path(const std::string& written, const std::string& base,
                          const std::vector<std::string>& roots) {
  return Confinement(roots).resolve(written, base);
}

std::string confine_message(ConfinedPath::Status status) {
  switch (status) {
    case ConfinedPath::Status::Ok: return "is allowed";
    case ConfinedPath::Status::Url: return "is a URL; trang reads only local files";
    case ConfinedPath::Status::Absolute: return "is an absolute path";
    case ConfinedPath::Status::Outside: return "is outside the allowed folders";
    case ConfinedPath::Status::Missing: return "not found";
    case ConfinedPath::Status::NotRegular:
      return "is not a regular file (a directory, device, FIFO or socket)";
  }
  return "";
}

}  // namespace trang
