#pragma once
// Gives the commands their columnar snapshot (model/snapshot.h) of a store:
// from the persisted snapshot beside the store (STORE.snapshot, the format
// in model/snapshot_file.h) when it reflects the store's batches, else built
// from the store's current records and, where the process may, written
// there for the next command (docs/store.md, "The persisted snapshot").

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/snapshot.h"
#include "model/snapshot_file.h"
#include "store/store.h"

namespace goldthread {

enum class SnapshotPersistence {
  kAuto,      // use the file when it reflects the store; else build and write it
  kReadOnly,  // use the file when it reflects the store; else build in memory only
  kOff,       // always build from the store (the file is neither read nor written)
};

/// GOLDTHREAD_SNAPSHOT=off|read-only (anything else, or unset: kAuto).
SnapshotPersistence SnapshotPersistenceFromEnvironment();

struct SnapshotLoadOptions {
  SnapshotPersistence persistence = SnapshotPersistenceFromEnvironment();
  /// How long to wait for another process that is writing the file (it
  /// holds STORE.snapshot.lock) before building in memory without writing.
  std::chrono::milliseconds wait = kDefaultStoreWait;
};

/// What LoadSnapshot did, for messages, benchmarks and tests.
struct SnapshotLoadInfo {
  bool from_file = false;  // mapped from the persisted snapshot
  /// Why the file was not used (kNone when it was, or was not consulted).
  SnapshotFileProblem problem = SnapshotFileProblem::kNone;
  std::string detail;
  bool written = false;     // built, then written to the file
  std::string not_written;  // why a built snapshot was not written ("" when it was, or was not to be)
};

/// The persisted snapshot's path for a store: "STORE.snapshot" beside a
/// SQLite file; "" for a store that is not a file (a URL).
std::string SnapshotPathFor(const std::string& store_location);

/// The digest (64 hex digits) of a store's batch list: each batch's id,
/// content hash, import time and row counts. A snapshot's content is a
/// function of these (the batches' rows, in id order, and the latest
/// import's date), so equal digests mean an equal snapshot.
std::string BatchListDigest(const std::vector<BatchInfo>& batches);

/// The snapshot of the current version of every record. The records are
/// read from the store in one read view (one committed state, whatever
/// other processes commit meanwhile), in AllTables() order, unless the
/// persisted snapshot reflects the store's batches, when it is mapped
/// instead (bit-identical: docs/store.md). With as_of, the records as they
/// were current once that batch had committed (Store::ScanCurrentAsOf):
/// built from the store unless as_of is the latest batch. Fails with
/// "<table>.csv:<line>: <column>: <problem>" if a stored value no longer
/// parses (the store was written by something other than the importer).
/// The snapshot's as_of() is the date of the store's latest batch (with
/// as_of: of that batch). A snapshot file that cannot be written (a
/// read-only folder, a full disk) is no error: info->not_written says why.
Result<std::unique_ptr<Snapshot>> LoadSnapshot(Store& store, std::optional<int64_t> as_of = std::nullopt,
                                               const SnapshotLoadOptions& options = {},
                                               SnapshotLoadInfo* info = nullptr);

}  // namespace goldthread
