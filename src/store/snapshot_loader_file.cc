#include "store/snapshot_loader_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "model/snapshot_file.h"
#include "store/snapshot_loader.h"
#include "store/test_pause.h"

namespace goldthread {
namespace {

std::string Errno() { return std::strerror(errno); }

// The folder holding path ("." for a bare name).
std::string FolderOf(const std::string& path) {
  std::filesystem::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

Status FsyncFolder(const std::string& path) {
  int fd = ::open(FolderOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(fmt::format("opening the folder of '{}': {}", path, Errno()));
  int rc = ::fsync(fd);
  std::string e = rc == 0 ? "" : Errno();
  ::close(fd);
  if (rc != 0) return Status::IOError(fmt::format("syncing the folder of '{}': {}", path, e));
  return Status::Ok();
}

// Temp files left by writers that were killed: only a writer holding the
// lock writes one, so with the lock held every one is abandoned.
void RemoveAbandonedTemps(const std::string& snapshot_path) {
  const std::string prefix = std::filesystem::path(snapshot_path).filename().string() + ".tmp-";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(FolderOf(snapshot_path), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) std::filesystem::remove(e.path(), ec);
  }
}

}  // namespace

Result<std::unique_ptr<SnapshotFileLock>> SnapshotFileLock::Acquire(const std::string& snapshot_path,
                                                                   std::chrono::milliseconds wait) {
  const std::string lock_path = snapshot_path + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError(fmt::format("cannot open '{}': {}", lock_path, Errno()));
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return std::unique_ptr<SnapshotFileLock>(new SnapshotFileLock(snapshot_path, fd));
    if (errno != EWOULDBLOCK && errno != EINTR) {
      std::string e = Errno();
      ::close(fd);
      return Status::IOError(fmt::format("cannot lock '{}': {}", lock_path, e));
    }
    if (std::chrono::steady_clock::now() >= until) {
      ::close(fd);
      return Status::Busy(fmt::format("'{}' is being written by another process (gave up after waiting {} ms)",
                                      snapshot_path, wait.count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

SnapshotFileLock::~SnapshotFileLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

Status WriteSnapshotFileSafely(Store& store, const Snapshot& snap, const std::string& reflects,
                               const SnapshotFileLock& lock) {
  const std::string& path = lock.snapshot_path();
  RemoveAbandonedTemps(path);
  const std::string temp = fmt::format("{}.tmp-{}", path, ::getpid());
  // The snapshot holds what the store holds: the same permissions.
  mode_t mode = 0600;
  struct stat st {};
  if (::stat(store.location().c_str(), &st) == 0) mode = st.st_mode & 0666;
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError(fmt::format("cannot create '{}': {}", temp, Errno()));
  Status s = ::fchmod(fd, mode) == 0 ? Status::Ok() : Status::IOError(fmt::format("chmod '{}': {}", temp, Errno()));
  if (s.ok()) s = WriteSnapshotFile(snap, reflects, fd);
  if (s.ok() && ::fsync(fd) != 0) s = Status::IOError(fmt::format("syncing '{}': {}", temp, Errno()));
  if (::close(fd) != 0 && s.ok()) s = Status::IOError(fmt::format("closing '{}': {}", temp, Errno()));
  TestPausePoint("snapshot-written");
  if (s.ok()) {
    Result<std::vector<BatchInfo>> now = store.Batches();
    if (!now.ok()) s = now.status();
    else if (BatchListDigest(*now) != reflects)
      s = Status::Busy("the store gained a batch while its snapshot was built; the next command builds it again");
  }
  if (s.ok() && ::rename(temp.c_str(), path.c_str()) != 0)
    s = Status::IOError(fmt::format("renaming '{}' to '{}': {}", temp, path, Errno()));
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  return FsyncFolder(path);
}

}  // namespace goldthread
