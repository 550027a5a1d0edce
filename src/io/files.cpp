#include "d2l/io/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "d2l/error.h"

namespace d2l::io {

namespace {

// The temporaries being written right now, where a signal handler can find them. A handler
// may only read plain memory and call async-signal-safe functions (unlink), so each slot is
// a fixed buffer guarded by an atomic state: a slot is read only once it is armed.
enum SlotState : int { kFree, kFilling, kArmed };
struct Slot {
  std::atomic<int> state{kFree};
  char path[4096];
};
Slot g_slots[16];

// Registers a temporary; returns its slot, or nullptr when all are taken (more than 16
// writes at once) or the path is too long: that write is then simply unprotected.
Slot* arm(const std::string& tmp) {
  if (tmp.size() >= sizeof(Slot::path)) return nullptr;
  for (Slot& slot : g_slots) {
    int expected = kFree;
    if (!slot.state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(slot.path, tmp.c_str(), tmp.size() + 1);
    slot.state.store(kArmed);
    return &slot;
  }
  return nullptr;
}

void disarm(Slot* slot) {
  if (slot) slot->state.store(kFree);
}

extern "C" void unlink_temporaries_and_reraise(int sig) {
  for (Slot& slot : g_slots)
    if (slot.state.load() == kArmed) ::unlink(slot.path);
  // The handler was installed with SA_RESETHAND, so this is the default action: the parent
  // sees "killed by SIGINT" as it would have without us.
  ::raise(sig);
}

// The temporary's name: beside the target (rename is atomic only within one file system),
// unique per process and per write, and hidden so a crash's leftover is out of the way.
std::string temporary_for(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  std::string name = ".";  // appended piece by piece: GCC 12 warns falsely on "." + string
  name += target.filename().string();
  name += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  return (target.parent_path() / name).string();
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

void make_directories(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  D2L_CHECK(!ec, "cannot create directory ", path, ": ", ec.message());
}

void write_file_atomic(const std::string& path, std::string_view contents) {
  const std::filesystem::path target(path);
  D2L_CHECK(target.has_filename(), "cannot write '", path, "': not a file name");
  if (target.has_parent_path()) make_directories(target.parent_path().string());
  const std::string tmp = temporary_for(target);
  Slot* slot = arm(tmp);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int err = errno;
    disarm(slot);
    throw Error("cannot write " + path + ": " + std::strerror(err));
  }
  // fsync before the rename: otherwise a machine crash could leave the new name pointing at
  // an empty file, the very thing the rename is meant to rule out.
  int err = 0;
  errno = 0;
  if (!write_all(fd, contents) || ::fsync(fd) != 0) err = errno ? errno : EIO;
  if (::close(fd) != 0 && !err) err = errno;
  if (!err && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err) {
    ::unlink(tmp.c_str());
    disarm(slot);
    throw Error("cannot write " + path + ": " + std::strerror(err));
  }
  disarm(slot);
}

void remove_temporaries_on_signal() {
  struct sigaction action {};
  action.sa_handler = unlink_temporaries_and_reraise;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace d2l::io
