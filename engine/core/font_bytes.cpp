#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "core/core.h"
#include "core/font_program.h"

namespace trang {

std::shared_ptr<const FontBytes> FontBytes::copy(std::string bytes) {
  std::shared_ptr<FontBytes> b(new FontBytes);
  b->owned_ = std::move(bytes);
  b->data_ = b->owned_.data();
  b->size_ = b->owned_.size();
  return b;
}

std::shared_ptr<const FontBytes> FontBytes::map(const std::string& path) {
  // O_NONBLOCK: a FIFO put in the file's place cannot block the open; fstat refuses it.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
    ::close(fd);
    return nullptr;
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (m == MAP_FAILED) return nullptr;
  std::shared_ptr<FontBytes> b(new FontBytes);
  b->mapping_ = m;
  b->data_ = static_cast<const char*>(m);
  b->size_ = size;
  return b;
}

std::shared_ptr<const FontBytes> FontBytes::load(const std::string& path, bool map_it,
                                                 size_t max_size) {
  if (!map_it) {
    std::string bytes;
    if (read_regular_file(path, max_size, bytes) != ReadStatus::Ok || bytes.empty()) return nullptr;
    return copy(std::move(bytes));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
      static_cast<uint64_t>(st.st_size) > max_size)
    return nullptr;
  return map(path);
}

FontBytes::~FontBytes() {
  if (mapping_) ::munmap(mapping_, size_);
}

}  // namespace trang
