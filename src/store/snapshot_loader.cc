#include "store/snapshot_loader.h"

#include <algorithm>
#include <string>

namespace goldthread {

Result<std::unique_ptr<Snapshot>> LoadSnapshot(Store& store, std::optional<int64_t> as_of) {
  // One committed state for every table: an import committing between two
  // tables must not give a snapshot of half the old store and half the new.
  Result<std::unique_ptr<ReadView>> view = store.BeginRead();
  if (!view.ok()) return view.status();
  SnapshotBuilder builder;
  Result<std::vector<BatchInfo>> batches = store.Batches();
  if (!batches.ok()) return batches.status();
  Timestamp latest = kNullTimestamp;
  for (const BatchInfo& b : *batches)
    if (!as_of || b.id <= *as_of) latest = std::max(latest, b.imported_at);  // the store as that batch left it
  if (latest != kNullTimestamp) builder.SetAsOf(DateOfTimestamp(latest));
  for (const TableSpec& t : AllTables()) {
    auto add = [&](const StoredRow& row) -> Status {
      Status added = builder.AddRow(t.id, row.values, row.batch_id);
      if (!added.ok())
        return Status::Corruption(std::string(row.source_file) + ":" + std::to_string(row.source_line) + ": " +
                                  added.message());
      return Status::Ok();
    };
    Status s = as_of ? store.ScanCurrentAsOf(t.id, *as_of, add) : store.ScanCurrent(t.id, add);
    if (!s.ok()) return s;
  }
  return builder.Finish();
}

}  // namespace goldthread
