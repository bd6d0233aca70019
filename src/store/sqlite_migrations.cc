#include "store/sqlite_migrations.h"

#include <string>

#include "model/schema.h"

namespace goldthread {
namespace {

// Append a row for a new schema version (and raise kStoreSchemaVersion).
constexpr Migration kMigrations[] = {
    {1, "the first tables", MigrateTo1},
    {2, "the dashboard's users, sessions and access log", MigrateTo2},
    {3, "runs keep digests, not results", MigrateTo3, ReclaimRunSpace},
    {4, "the council's plans and the stories behind their curves", MigrateTo4},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

Status MigrateTo1(sqlite::Db& db) {
  GT_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE schema_version (version INTEGER NOT NULL);"
      "CREATE TABLE import_batches (id INTEGER PRIMARY KEY, imported_at TEXT NOT NULL, "
      "imported_by TEXT NOT NULL, source TEXT NOT NULL, content_hash TEXT NOT NULL, "
      "rows_stored INTEGER NOT NULL, rows_unchanged INTEGER NOT NULL, rows_rejected INTEGER NOT NULL);"
      "CREATE INDEX import_batches_hash ON import_batches(content_hash);"
      "CREATE TABLE batch_files (batch_id INTEGER NOT NULL REFERENCES import_batches(id), "
      "file TEXT NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL);"
      "CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL, "
      "run_by TEXT NOT NULL, params_json TEXT NOT NULL, definitions_json TEXT NOT NULL, "
      "batch_ids TEXT NOT NULL, result_json TEXT NOT NULL);"
      "CREATE INDEX runs_kind ON runs(kind, id)"));
  for (const TableSpec& t : AllTables()) {
    std::string cols;
    for (const FieldSpec& f : t.fields) cols += ", " + sqlite::QuoteName(f.name) + " TEXT";
    GT_RETURN_IF_ERROR(
        db.Exec("CREATE TABLE " + sqlite::QuoteName(t.name) +
                " (row_id INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL, source_file TEXT NOT NULL, "
                "source_line INTEGER NOT NULL, version INTEGER NOT NULL, current INTEGER NOT NULL, "
                "record_key TEXT NOT NULL" +
                cols + ")"));
    GT_RETURN_IF_ERROR(db.Exec("CREATE UNIQUE INDEX " + sqlite::QuoteName(std::string(t.name) + "_key") +
                               " ON " + sqlite::QuoteName(t.name) + " (record_key, version)"));
  }
  return Status::Ok();
}

}  // namespace goldthread
