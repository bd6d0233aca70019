#pragma once
// The SQLite store: one file, the embedded default (shared/DESIGN.md
// section 9).
//
// Layout (created and migrated by goldthread; kStoreSchemaVersion):
//   schema_version(version)            one row
//   import_batches(id, imported_at, imported_by, source, content_hash,
//                  rows_stored, rows_unchanged, rows_rejected)
//   batch_files(batch_id, file, sha256, rows)
//   runs(id, kind, started_at, run_by, params_json, definitions_json,
//        batch_ids, result_json)
//   one table per canonical table (model/schema.h), same name:
//     row_id, batch_id, source_file, source_line, version, current,
//     record_key, then every canonical column as TEXT as received (NULL when
//     the field was empty), with a UNIQUE index on (record_key, version).
//   users, sessions, access_log (version 2): store/sqlite_auth.h
//   `current` is 1 on the latest version of each key and 0 on the older
//   ones; it is maintained on insert, so the current view is a plain filter.
//
// Writes are one transaction per batch (BEGIN IMMEDIATE ... COMMIT), through
// prepared statements reused for every row, in WAL mode.

#include <memory>
#include <string>

#include "store/store.h"

namespace goldthread {

/// Opens the SQLite store at path, creating it (kCreateIfMissing) or
/// refusing a missing file (kMustExist). Migrates an older schema forward;
/// refuses a newer one with kUnsupported naming both versions; refuses a
/// file that is not a goldthread store with kCorruption.
Result<std::unique_ptr<Store>> NewSqliteStore(const std::string& path, OpenMode mode);

}  // namespace goldthread
