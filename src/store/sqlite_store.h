#pragma once
// The SQLite store: one file, the embedded default (shared/DESIGN.md
// section 9).
//
// Layout (created and migrated by goldthread; kStoreSchemaVersion; the
// migrations are listed in sqlite_migrations.h):
//   schema_version(version)            one row
//   import_batches(id, imported_at, imported_by, source, content_hash,
//                  rows_stored, rows_unchanged, rows_rejected)
//   batch_files(batch_id, file, sha256, rows)
//   runs(id, kind, started_at, run_by, params_json, definitions_json,
//        batch_ids, result_json, digests_json, result_sha256, result_bytes)
//        (the digest columns: version 3, sqlite_runs.cc)
//   one table per canonical table (model/schema.h), same name:
//     row_id, batch_id, source_file, source_line, version, current,
//     record_key, then every canonical column as TEXT as received (NULL when
//     the field was empty), with a UNIQUE index on (record_key, version).
//   users, sessions, access_log (version 2): store/sqlite_auth.h
//   `current` is 1 on the latest version of each key and 0 on the older
//   ones; it is maintained on insert, so the current view is a plain filter.
//
// Concurrency: the store is always in WAL mode (https://sqlite.org/wal.html),
// so readers see the last committed state and are never refused while a
// batch is written; a batch is one transaction (BEGIN IMMEDIATE ... COMMIT)
// through prepared statements reused for every row. The one exception is a
// store built by its first import (OpenMode::kCreateWithFirstBatch): it is
// built under another name, which no other process opens, with a rollback
// journal (appended pages are written once, not twice as in WAL), then
// switched to WAL and given its name. docs/store.md has the measurements.

#include <cstdint>
#include <memory>
#include <string>

#include "store/store.h"

namespace goldthread {

/// How batches are written: the defaults are what goldthread uses; the
/// alternatives exist to be measured (bench/store_import_perftest.cc).
enum class BatchJournal {
  kWal,              // every batch in WAL
  kRollbackWhenNew,  // a store's first batch, built out of sight, with a rollback journal; WAL otherwise
  /// A rollback journal whenever no other connection has the store open at
  /// the batch's start. Refuses readers that open the store during the
  /// batch ("database is locked"), which is why goldthread no longer uses
  /// it; kept only to be measured against the others.
  kRollbackWhenAlone,
};
enum class Synchronous { kOff, kNormal, kFull };

struct SqliteTuning {
  BatchJournal journal = BatchJournal::kRollbackWhenNew;
  /// synchronous while a batch is written (https://sqlite.org/pragma.html#pragma_synchronous).
  /// FULL: a committed batch survives a power cut; it costs one sync of the
  /// WAL per batch. kOff is unsafe and measured only.
  Synchronous batch_sync = Synchronous::kFull;
  int64_t cache_mib = 128;  // page cache per connection
  /// No automatic checkpoint inside a batch; a passive one (never waits for
  /// readers) once it has committed. false: SQLite's default auto-checkpoint.
  bool checkpoint_after_batch = true;
};

/// Opens the SQLite store at path, creating it (kCreateIfMissing,
/// kCreateWithFirstBatch) or refusing a missing file (kMustExist). Migrates
/// an older schema forward; refuses a newer one with kUnsupported naming
/// both versions; refuses a file that is not a goldthread store with
/// kCorruption.
Result<std::unique_ptr<Store>> NewSqliteStore(const std::string& path, OpenMode mode,
                                              const StoreOptions& options = {},
                                              const SqliteTuning& tuning = {});

}  // namespace goldthread
