#pragma once
// The PostgreSQL store's schema migrations, oldest first: the same schema
// versions as the SQLite store's (sqlite_migrations.h), in PostgreSQL's
// types. Opening a store runs the ones it lacks in one transaction (DDL is
// transactional in PostgreSQL), holding the writer lock.
//
// To add tables: write the SQLite migration (sqlite_migrations.h) and its
// PostgreSQL twin here (in the feature's pg_<feature>.cc, declared below),
// append a row to kPgMigrations in pg_migrations.cc. A test checks that both
// lists end at kStoreSchemaVersion.

#include <span>

#include "core/status.h"
#include "store/pg_db.h"

namespace goldthread {

struct PgMigration {
  int version;       // the schema version it creates
  const char* what;  // a few words for messages
  Status (*apply)(pg::Conn& db);
};

/// Every migration, by version, from 1 to kStoreSchemaVersion.
std::span<const PgMigration> PgMigrations();

// pg_migrations.cc
Status PgMigrateTo1(pg::Conn& db);  // batches, files, runs and the record tables
Status PgMigrateTo3(pg::Conn& db);  // runs keep digests
// pg_auth.cc
Status PgMigrateTo2(pg::Conn& db);  // users, sessions and the access log
// pg_plans.cc
Status PgMigrateTo4(pg::Conn& db);  // plans and stories

}  // namespace goldthread
