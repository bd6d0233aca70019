#pragma once
// The SQLite store's schema migrations, oldest first. Migration N creates
// schema version N from version N-1; opening a store runs the ones it
// lacks, in one transaction, and then each one's `after` step.
//
// To add tables: write `Status MigrateToN(sqlite::Db&)` in the .cc file of
// the feature (sqlite_<feature>.cc), declare it here, append its row to
// kMigrations in sqlite_migrations.cc and raise kStoreSchemaVersion
// (store/store.h) to N. A test checks that the list ends at that version.

#include <span>

#include "core/status.h"
#include "store/sqlite_db.h"

namespace goldthread {

struct Migration {
  int version;       // the schema version it creates
  const char* what;  // a few words for messages: "runs keep digests, not results"
  /// Runs inside the migration's transaction; fails it whole.
  Status (*apply)(sqlite::Db& db);
  /// Optional, after the transaction has committed (e.g. VACUUM, which
  /// cannot run inside one). Its failure leaves the migrated store usable
  /// and is not reported as an error.
  Status (*after)(sqlite::Db& db) = nullptr;
};

/// Every migration, by version, from 1 to kStoreSchemaVersion.
std::span<const Migration> Migrations();

// sqlite_migrations.cc
Status MigrateTo1(sqlite::Db& db);  // batches, files, runs and the record tables
// sqlite_auth.cc
Status MigrateTo2(sqlite::Db& db);  // users, sessions and the access log
// sqlite_runs.cc
Status MigrateTo3(sqlite::Db& db);       // runs keep digests; old results' JSON dropped
Status ReclaimRunSpace(sqlite::Db& db);  // VACUUM when the freed pages are most of the file
// sqlite_plans.cc
Status MigrateTo4(sqlite::Db& db);  // plans (every version) and stories

}  // namespace goldthread
