// The SQLite store's run records (RunRecord) and the migration that stopped
// them keeping every result in full.

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "core/sha256.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_store_impl.h"
#include "store/run_ids.h"

namespace goldthread {
namespace {

constexpr const char* kRunColumns =
    "id, kind, started_at, run_by, params_json, definitions_json, batch_ids, digests_json, result_sha256, "
    "result_bytes, result_json";

}  // namespace

//===----------------------------------------------------------------------===//
// Migration to version 3
//===----------------------------------------------------------------------===//

// Every compute, check and benchmark check used to keep its full JSON
// (about 7 MB a compute: 22 runs grew a 10 MB store to 172 MB). A run now
// keeps digests; the old runs keep the SHA-256 and length of the JSON they
// had, so a copy kept elsewhere can still be matched to its run, and lose
// the JSON itself. The report's analysis runs (schema version 2) keep
// theirs: a summary of a few hundred bytes, which the next report reads.
Status MigrateTo3(sqlite::Db& db) {
  GT_RETURN_IF_ERROR(
      db.Exec("ALTER TABLE runs ADD COLUMN digests_json TEXT NOT NULL DEFAULT '{}';"
              "ALTER TABLE runs ADD COLUMN result_sha256 TEXT NOT NULL DEFAULT '';"
              "ALTER TABLE runs ADD COLUMN result_bytes INTEGER NOT NULL DEFAULT 0",
              "adding the runs' digest columns"));
  Result<sqlite::Stmt> ids =
      db.Prepare("SELECT id FROM runs WHERE result_json != '' AND kind IN ('compute', 'check', 'benchmark_check') "
                 "ORDER BY id",
                 "listing runs");
  if (!ids.ok()) return ids.status();
  std::vector<int64_t> with_result;
  while (true) {
    Result<bool> row = ids->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    with_result.push_back(ids->Int(0));
  }
  // One run's JSON in memory at a time.
  Result<sqlite::Stmt> read = db.Prepare("SELECT result_json FROM runs WHERE id = ?1", "reading a run");
  if (!read.ok()) return read.status();
  Result<sqlite::Stmt> write =
      db.Prepare("UPDATE runs SET result_sha256 = ?1, result_bytes = ?2, result_json = '' WHERE id = ?3",
                 "updating a run");
  if (!write.ok()) return write.status();
  for (int64_t id : with_result) {
    read->Reset();
    read->BindInt(1, id);
    Result<bool> row = read->Step();
    if (!row.ok()) return row.status();
    if (!*row) continue;
    std::string_view json = read->Text(0);
    write->Reset();
    write->BindText(1, Sha256Of(json));
    write->BindInt(2, static_cast<int64_t>(json.size()));
    write->BindInt(3, id);
    GT_RETURN_IF_ERROR(write->Run());
  }
  return Status::Ok();
}

// Deleting the JSON frees its pages for later writes but does not shrink
// the file. VACUUM rewrites the live pages, so it costs the store's live
// size: worth it when the freed pages are most of the file (a store grown
// by runs), not on a large store of records with a few runs. It waits at
// most a few seconds for other connections; without it the freed pages
// are reused by later imports and runs.
Status ReclaimRunSpace(sqlite::Db& db) {
  Result<int64_t> free_pages = db.QueryInt("PRAGMA freelist_count");
  Result<int64_t> pages = db.QueryInt("PRAGMA page_count");
  if (!free_pages.ok()) return free_pages.status();
  if (!pages.ok()) return pages.status();
  if (*free_pages * 2 < *pages) return Status::Ok();
  const std::chrono::milliseconds wait = db.wait();
  db.SetWait(std::min(wait, std::chrono::milliseconds(5000)));
  Status s = db.Exec("VACUUM", "compacting the store after dropping old results");
  if (s.ok()) s = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing the compacted store");
  db.SetWait(wait);
  return s;
}

//===----------------------------------------------------------------------===//
// Saving and reading runs
//===----------------------------------------------------------------------===//

Result<int64_t> SqliteStore::SaveRun(const RunRecord& run) {
  if (batch_open_ || read_open_)
    return Status::Internal("store '" + location_ + "': a run cannot be saved inside a batch or a read view");
  GT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE", "saving the run"));
  auto save = [&]() -> Result<int64_t> {
    if (run.full_result && !run.result_json.empty()) {
      // At most one full result per kind: this one replaces the one kept before.
      Result<sqlite::Stmt> drop = db_->Prepare(
          "UPDATE runs SET result_json = '' WHERE kind = ?1 AND result_json != ''", "saving the run");
      if (!drop.ok()) return drop.status();
      drop->BindText(1, run.kind);
      GT_RETURN_IF_ERROR(drop->Run());
    }
    Result<sqlite::Stmt> s = db_->Prepare(
        "INSERT INTO runs (kind, started_at, run_by, params_json, definitions_json, batch_ids, digests_json, "
        "result_sha256, result_bytes, result_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        "saving the run");
    if (!s.ok()) return s.status();
    s->BindText(1, run.kind);
    s->BindText(2, FormatTimestamp(run.started_at));
    s->BindText(3, run.run_by);
    s->BindText(4, run.params_json);
    s->BindText(5, run.definitions_json);
    s->BindText(6, JoinIds(run.batch_ids));
    s->BindText(7, run.digests_json.empty() ? "{}" : run.digests_json);
    s->BindText(8, run.result_sha256);
    s->BindInt(9, run.result_bytes);
    s->BindText(10, run.result_json);
    GT_RETURN_IF_ERROR(s->Run());
    return db_->LastInsertRowid();
  };
  Result<int64_t> id = save();
  Status s = id.status();
  if (s.ok()) s = db_->Exec("COMMIT", "saving the run");
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  return id;
}

Result<std::optional<RunRecord>> SqliteStore::LatestRun(std::string_view kind) {
  return ReadRun("kind = ?2 ORDER BY id DESC LIMIT 1", 0, kind);
}

Result<std::optional<RunRecord>> SqliteStore::FindRun(int64_t id) { return ReadRun("id = ?1", id, {}); }

Result<std::optional<RunRecord>> SqliteStore::ReadRun(std::string_view where, int64_t id, std::string_view kind) {
  Result<sqlite::Stmt> s =
      db_->Prepare(fmt::format("SELECT {} FROM runs WHERE {}", kRunColumns, where), "reading runs");
  if (!s.ok()) return s.status();
  if (id != 0) s->BindInt(1, id);
  if (!kind.empty()) s->BindText(2, kind);
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<RunRecord>();
  RunRecord r;
  r.id = s->Int(0);
  r.kind = s->Text(1);
  Timestamp at;
  r.started_at = TryParseTimestamp(s->Text(2), at) ? at : kNullTimestamp;
  r.run_by = s->Text(3);
  r.params_json = s->Text(4);
  r.definitions_json = s->Text(5);
  r.batch_ids = SplitIds(s->Text(6));
  r.digests_json = s->Text(7);
  r.result_sha256 = s->Text(8);
  r.result_bytes = s->Int(9);
  r.result_json = s->Text(10);
  return std::optional<RunRecord>(std::move(r));
}

}  // namespace goldthread
