#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/core.h"
#include "core/font_program.h"

namespace trang {
namespace {

// The SIGBUS guard of mapped fonts. Reading a page of a mapping that lies past the end of its
// file (cut short after it was mapped) raises SIGBUS, which would kill trang, or a batch's
// worker with its article. The handler looks the address up in the table of mapped fonts and,
// when it is one of theirs, puts a page of zeros over the lost one and lets the read go on
// (HarfBuzz and FreeType check what they read, and take zeros as a broken font, not a crash);
// it records which font it was, and the render then fails naming the file
// (take_truncated_font). A fault anywhere else is left to whatever handled SIGBUS before
// (the default: the process ends, as without the guard). The table is read in the handler, so
// its entries are atomics, published begin last and retracted begin first.
constexpr int kGuardSlots = 256;
struct GuardSlot {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
  std::string path;  // written before begin is published, read after a fault
};
GuardSlot g_slots[kGuardSlots];
std::mutex g_slots_mutex;  // slot allocation (never in the handler)
std::atomic<int> g_faulted{-1};
uintptr_t g_page_size = 4096;
struct sigaction g_previous {};

void on_sigbus(int sig, siginfo_t* info, void* context) {
  auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (int i = 0; i < kGuardSlots; ++i) {
    uintptr_t b = g_slots[i].begin.load(std::memory_order_acquire);
    if (b == 0 || addr < b || addr >= g_slots[i].end.load(std::memory_order_acquire)) continue;
    uintptr_t page = addr & ~(g_page_size - 1);
    void* zeros = ::mmap(reinterpret_cast<void*>(page), g_page_size, PROT_READ,
                         MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (zeros == MAP_FAILED) break;
    int none = -1;
    g_faulted.compare_exchange_strong(none, i);
    return;  // the read is retried, and finds zeros
  }
  // Not a font's page: as if the guard were not there.
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) return g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    return g_previous.sa_handler(sig);
  }
  ::signal(SIGBUS, SIG_DFL);  // the retried read ends the process, as SIGBUS does
}

void install_guard() {
  static std::once_flag once;
  std::call_once(once, [] {
    long page = ::sysconf(_SC_PAGESIZE);
    if (page > 0) g_page_size = static_cast<uintptr_t>(page);
    struct sigaction sa {};
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, &g_previous);
  });
}

// A slot for the mapping [begin, begin + size) of `path`, or -1 when the table is full.
int guard(const void* begin, size_t size, const std::string& path) {
  install_guard();
  std::lock_guard<std::mutex> lock(g_slots_mutex);
  for (int i = 0; i < kGuardSlots; ++i) {
    if (g_slots[i].begin.load(std::memory_order_relaxed) != 0) continue;
    auto b = reinterpret_cast<uintptr_t>(begin);
    g_slots[i].path = path;
    g_slots[i].end.store(b + size, std::memory_order_release);
    g_slots[i].begin.store(b, std::memory_order_release);
    return i;
  }
  return -1;
}

void unguard(int slot) {
  std::lock_guard<std::mutex> lock(g_slots_mutex);
  g_slots[slot].begin.store(0, std::memory_order_release);
  g_slots[slot].end.store(0, std::memory_order_release);
}

}  // namespace

std::string take_truncated_font() {
  int slot = g_faulted.exchange(-1);
  if (slot < 0) return {};
  std::lock_guard<std::mutex> lock(g_slots_mutex);
  return g_slots[slot].path.empty() ? std::string("a font file") : g_slots[slot].path;
}

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
  int slot = guard(m, size, path);
  if (slot < 0) {  // 256 fonts mapped at once: this one is read instead
    ::munmap(m, size);
    std::string bytes;
    if (read_regular_file(path, size, bytes) != ReadStatus::Ok || bytes.empty()) return nullptr;
    return copy(std::move(bytes));
  }
  std::shared_ptr<FontBytes> b(new FontBytes);
  b->mapping_ = m;
  b->guard_slot_ = slot;
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
  if (guard_slot_ >= 0) unguard(guard_slot_);
  if (mapping_) ::munmap(mapping_, size_);
}

}  // namespace trang
