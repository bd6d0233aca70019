#include "store/snapshot_loader.h"

#include <string>

namespace goldthread {

Result<std::unique_ptr<Snapshot>> LoadSnapshot(Store& store) {
  SnapshotBuilder builder;
  for (const TableSpec& t : AllTables()) {
    Status s = store.ScanCurrent(t.id, [&](const StoredRow& row) -> Status {
      Status added = builder.AddRow(t.id, row.values, row.batch_id);
      if (!added.ok())
        return Status::Corruption(std::string(row.source_file) + ":" + std::to_string(row.source_line) + ": " +
                                  added.message());
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return builder.Finish();
}

}  // namespace goldthread
