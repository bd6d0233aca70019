#pragma once
// The PostgreSQL store: the multi-user server store (shared/DESIGN.md
// section 9), chosen by a postgresql:// (or postgres://) URL wherever a
// STORE is taken. One database is one store; docs/deploy.md says how a
// council sets it up (roles, grants, replicas).
//
// Same tables and results as the SQLite store (sqlite_store.h); its own
// migrations (pg_migrations.h) create the same schema versions. Types are
// PostgreSQL's (bigint, text); the record tables keep row_id, batch_id,
// source_file, source_line, version, current, record_key and every
// canonical column as text as received (NULL when empty), with row ids
// given in the order rows were added, as SQLite's are.
//
// Concurrency (store.h): readers are never blocked (MVCC); a read view is a
// REPEATABLE READ READ ONLY transaction, one snapshot for all its reads.
// Writers of batches take turns through a transaction-level advisory lock
// (pg_try_advisory_xact_lock, polled so that the wait is bounded by
// StoreOptions::wait and announced by on_wait), then fail with kBusy. Runs,
// users, sessions and the access log do not wait for an import: each is one
// short transaction of its own, and several serve processes share them.
//
// Batches: rows go to the server by COPY, all in the batch's one
// transaction, so a failed or killed import leaves nothing. A table empty
// before the batch is copied straight in; otherwise rows are copied to a
// temporary table and merged in one statement (a new version where values
// changed, nothing where they did not), when the batch moves to another
// table, reads, or commits. Keys added in the batch are kept in memory to
// refuse a second row with the same key at once, as Add promises.
//
// A store's first import (OpenMode::kCreateWithFirstBatch on a database
// without goldthread's tables) creates the tables inside that import's
// transaction: no other process sees a store until its first batch has
// committed, and a failed first import leaves the database as it was.
//
// Scans stream the rows by binary COPY (one round trip for a whole table).

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace goldthread {

/// Whether location names a PostgreSQL store (postgresql:// or postgres://).
bool IsPostgresUrl(std::string_view location);

/// Opens the PostgreSQL store in the database the URL names. The database
/// must exist (creating one is the administrator's: docs/deploy.md); one
/// without goldthread's tables is refused by kMustExist ("holds no
/// goldthread data"), given them by kCreateIfMissing, and by
/// kCreateWithFirstBatch when its first batch commits. A database with
/// other tables but no schema_version is refused (kCorruption), as is a
/// newer schema (kUnsupported).
Result<std::unique_ptr<Store>> NewPostgresStore(const std::string& url, OpenMode mode,
                                                const StoreOptions& options = {});

}  // namespace goldthread
