#pragma once
// Builds the in-memory columnar snapshot (model/snapshot.h) from a store's
// current records: what the indicator engine and the checks compute from.

#include <cstdint>
#include <memory>
#include <optional>

#include "core/status.h"
#include "model/snapshot.h"
#include "store/store.h"

namespace goldthread {

/// Scans the current version of every record of every table, in AllTables()
/// order (referenced tables first), into a SnapshotBuilder, all in one read
/// view (one committed state, whatever other processes commit meanwhile).
/// With as_of, the records as they were current once that batch had
/// committed (Store::ScanCurrentAsOf). Fails with
/// "<table>.csv:<line>: <column>: <problem>" if a stored value no longer
/// parses (the store was written by something other than the importer).
/// The snapshot's as_of() is the date of the store's latest batch (with
/// as_of: of that batch).
Result<std::unique_ptr<Snapshot>> LoadSnapshot(Store& store, std::optional<int64_t> as_of = std::nullopt);

}  // namespace goldthread
