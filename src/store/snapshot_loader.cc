#include "store/snapshot_loader.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "core/sha256.h"
#include "store/snapshot_loader_file.h"

namespace goldthread {
namespace {

// Builds from the store's records; the caller holds a read view.
Result<std::unique_ptr<Snapshot>> BuildInView(Store& store, const std::vector<BatchInfo>& batches,
                                              std::optional<int64_t> as_of) {
  SnapshotBuilder builder;
  Timestamp latest = kNullTimestamp;
  for (const BatchInfo& b : batches)
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

}  // namespace

SnapshotPersistence SnapshotPersistenceFromEnvironment() {
  const char* v = std::getenv("GOLDTHREAD_SNAPSHOT");
  if (v == nullptr) return SnapshotPersistence::kAuto;
  std::string_view s(v);
  if (s == "off") return SnapshotPersistence::kOff;
  if (s == "read-only") return SnapshotPersistence::kReadOnly;
  return SnapshotPersistence::kAuto;
}

std::string SnapshotPathFor(const std::string& store_location) {
  if (store_location.empty() || store_location.find("://") != std::string::npos) return "";
  return store_location + ".snapshot";
}

std::string BatchListDigest(const std::vector<BatchInfo>& batches) {
  Sha256 h;
  h.Update(fmt::format("goldthread batches {}\n", batches.size()));
  for (const BatchInfo& b : batches)
    h.Update(fmt::format("{} {} {} {} {} {}\n", b.id, b.content_hash, b.imported_at, b.rows_stored, b.rows_unchanged,
                         b.rows_rejected));
  return h.HexDigest();
}

Result<std::unique_ptr<Snapshot>> LoadSnapshot(Store& store, std::optional<int64_t> as_of,
                                               const SnapshotLoadOptions& options, SnapshotLoadInfo* info) {
  SnapshotLoadInfo local;
  SnapshotLoadInfo& out = info ? *info : local;
  out = SnapshotLoadInfo();
  const std::string path = SnapshotPathFor(store.location());
  bool persist = options.persistence != SnapshotPersistence::kOff && !path.empty();
  if (persist) {
    // The file reflects the whole store: usable for as_of only when that
    // is the latest batch.
    Result<std::vector<BatchInfo>> listed = store.Batches();
    if (!listed.ok()) return listed.status();
    for (const BatchInfo& b : *listed)
      if (as_of && *as_of < b.id) persist = false;
    if (persist) {
      OpenedSnapshotFile f = OpenSnapshotFile(path, BatchListDigest(*listed));
      if (f.snapshot) {
        out.from_file = true;
        return std::move(f.snapshot);
      }
      out.problem = f.problem, out.detail = f.detail;
    }
  }
  // Writers take turns: one that waited finds the file another just wrote.
  std::unique_ptr<SnapshotFileLock> lock;
  if (persist && options.persistence == SnapshotPersistence::kAuto) {
    Result<std::unique_ptr<SnapshotFileLock>> locked = SnapshotFileLock::Acquire(path, options.wait);
    if (locked.ok()) {
      lock = std::move(*locked);
      Result<std::vector<BatchInfo>> listed = store.Batches();
      if (!listed.ok()) return listed.status();
      OpenedSnapshotFile f = OpenSnapshotFile(path, BatchListDigest(*listed));
      if (f.snapshot) {
        out = SnapshotLoadInfo();
        out.from_file = true;
        return std::move(f.snapshot);
      }
    } else {
      out.not_written = locked.status().message();
    }
  } else if (persist) {
    out.not_written = "read-only (GOLDTHREAD_SNAPSHOT=read-only)";
  }

  // One committed state for every table: an import committing between two
  // tables must not give a snapshot of half the old store and half the new.
  std::string reflects;
  Result<std::unique_ptr<Snapshot>> built = Status::Internal("not built");
  {
    Result<std::unique_ptr<ReadView>> view = store.BeginRead();
    if (!view.ok()) return view.status();
    Result<std::vector<BatchInfo>> batches = store.Batches();
    if (!batches.ok()) return batches.status();
    reflects = BatchListDigest(*batches);
    built = BuildInView(store, *batches, as_of);
  }
  if (!built.ok() || !lock) return built;
  Status written = WriteSnapshotFileSafely(store, **built, reflects, *lock);
  if (written.ok()) out.written = true;
  else out.not_written = written.message();
  return built;
}

}  // namespace goldthread
