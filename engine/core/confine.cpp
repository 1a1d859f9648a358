#include "core/confine.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
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

ConfinedPath confine_path(const std::string& written, const std::string& base,
                          const std::vector<std::string>& roots) {
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
  std::error_code ec;
  // weakly_canonical resolves every symlink of the part that exists: a link that points out
  // of the folder is judged by where it points, not by where it is written.
  fs::path full = fs::weakly_canonical(fs::path(base.empty() ? "." : base) / rel, ec);
  if (ec) {
    out.status = ConfinedPath::Status::Outside;
    return out;
  }
  out.path = full.string();
  bool inside = false;
  for (const std::string& root : roots) {
    fs::path r = fs::weakly_canonical(root.empty() ? fs::path(".") : fs::path(root), ec);
    if (!ec && path_inside(out.path, r.string())) inside = true;
  }
  if (!inside) {
    out.status = ConfinedPath::Status::Outside;
    return out;
  }
  // stat, never open: opening a FIFO blocks until a writer comes.
  struct stat st {};
  if (::stat(out.path.c_str(), &st) != 0) {
    out.status = ConfinedPath::Status::Missing;
    return out;
  }
  out.status = S_ISREG(st.st_mode) ? ConfinedPath::Status::Ok : ConfinedPath::Status::NotRegular;
  return out;
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
