#pragma once
// Writing the persisted snapshot (STORE.snapshot) safely, for
// store/snapshot_loader.h: writers take turns through STORE.snapshot.lock,
// and each writes STORE.snapshot.tmp-PID, fsyncs it, and renames it over
// the old file (then fsyncs the folder), so a reader finds the old file,
// the new one, or none, never a part; a killed writer leaves only its temp
// file, which the next writer removes.

#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"
#include "model/snapshot.h"
#include "store/store.h"

namespace goldthread {

/// An exclusive hold on STORE.snapshot.lock (flock(2): released by the
/// kernel if the process dies).
class SnapshotFileLock {
 public:
  /// Waits up to `wait` for another writer. Fails with kBusy when it still
  /// holds the lock, or IOError when the lock file cannot be opened (a
  /// folder this user may not write: such a user builds in memory).
  static Result<std::unique_ptr<SnapshotFileLock>> Acquire(const std::string& snapshot_path,
                                                           std::chrono::milliseconds wait);
  ~SnapshotFileLock();
  SnapshotFileLock(const SnapshotFileLock&) = delete;
  SnapshotFileLock& operator=(const SnapshotFileLock&) = delete;
  const std::string& snapshot_path() const { return path_; }

 private:
  SnapshotFileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

/// Writes snap, which reflects the batch list digest `reflects`, as the
/// lock's snapshot file: removes temp files left by killed writers, writes
/// and fsyncs a temp file with the store file's permissions, and renames it
/// into place only if the store's batches still match `reflects` (else a
/// newer import has committed, and the file would be stale at once).
Status WriteSnapshotFileSafely(Store& store, const Snapshot& snap, const std::string& reflects,
                               const SnapshotFileLock& lock);

}  // namespace goldthread
