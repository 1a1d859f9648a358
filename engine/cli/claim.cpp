// Claims on outputs between cooperating batches (batch.h, OutputClaim).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <filesystem>

#include "cli/batch.h"

namespace trang::cli::batch {

namespace fs = std::filesystem;

namespace {

// Whether the open `fd` is still the file named `path` (not removed or replaced since).
bool still_named(int fd, const std::string& path) {
  struct stat held, named;
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

std::string lock_path(const std::string& output) {
  fs::path p(output);
  return (p.parent_path() / ("." + p.filename().string() + ".lock")).string();
}

OutputClaim::Result OutputClaim::take(const std::string& output, std::string* holder) {
  release();
  std::string path = lock_path(output);
  // A claim that finds its file gone after locking it raced with a release: a few tries.
  for (int attempt = 0; attempt < 8; ++attempt) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return Result::Failed;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      if (err == EWOULDBLOCK && holder) {
        char buf[300];
        ssize_t n = ::pread(fd, buf, sizeof buf, 0);
        holder->assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
      }
      ::close(fd);
      return err == EWOULDBLOCK ? Result::Taken : Result::Failed;
    }
    if (!still_named(fd, path)) {
      ::close(fd);
      continue;
    }
    char host[HOST_NAME_MAX + 1] = {};
    ::gethostname(host, sizeof host - 1);
    std::string who = std::to_string(::getpid()) + '@' + host;
    if (::ftruncate(fd, 0) == 0 && ::pwrite(fd, who.data(), who.size(), 0) < 0) {
      // Only for people who look: the lock is the flock, not the text.
    }
    fd_ = fd;
    path_ = path;
    return Result::Claimed;
  }
  return Result::Failed;
}

void OutputClaim::release() {
  if (fd_ < 0) return;
  // Removed while held, so a claim that opened it meanwhile sees that it is gone.
  ::unlink(path_.c_str());
  ::close(fd_);
  fd_ = -1;
}

void remove_stale_lock(const std::string& output) {
  std::string path = lock_path(output);
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return;
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && still_named(fd, path)) ::unlink(path.c_str());
  ::close(fd);
}

}  // namespace trang::cli::batch
