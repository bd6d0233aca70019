// The PostgreSQL store's run records (RunRecord), as sqlite_runs.cc keeps
// them. A run does not wait for an import (it is not a batch); two runs
// keeping a full result of one kind take turns, so one is kept.

#include <fmt/format.h>

#include <vector>

#include "store/pg_store_impl.h"
#include "store/run_ids.h"

namespace goldthread {
namespace {

using pg::Params;

constexpr const char* kRunColumns =
    "id, kind, started_at, run_by, params_json, definitions_json, batch_ids, digests_json, result_sha256, "
    "result_bytes, result_json";

}  // namespace

Result<int64_t> PgStore::SaveRun(const RunRecord& run) {
  if (batch_open_ || read_open_)
    return Status::Internal("store '" + label_ + "': a run cannot be saved inside a batch or a read view");
  const bool own = !building_;
  if (own) GT_RETURN_IF_ERROR(conn_->Run("BEGIN", "saving the run"));
  auto save = [&]() -> Result<int64_t> {
    if (run.full_result && !run.result_json.empty()) {
      // At most one full result per kind: this one replaces the one kept
      // before. The lock makes two such runs at once keep one.
      GT_RETURN_IF_ERROR(AcquireLock(kLockRuns, "saving the run"));
      GT_RETURN_IF_ERROR(conn_->Run("UPDATE runs SET result_json = '' WHERE kind = $1 AND result_json != ''",
                                    Params().Text(run.kind), "saving the run"));
    }
    return conn_->QueryInt(
        "INSERT INTO runs (kind, started_at, run_by, params_json, definitions_json, batch_ids, digests_json, "
        "result_sha256, result_bytes, result_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        Params()
            .Text(run.kind)
            .Text(FormatTimestamp(run.started_at))
            .Text(run.run_by)
            .Text(run.params_json)
            .Text(run.definitions_json)
            .Text(JoinIds(run.batch_ids))
            .Text(run.digests_json.empty() ? "{}" : run.digests_json)
            .Text(run.result_sha256)
            .Int(run.result_bytes)
            .Text(run.result_json),
        "saving the run");
  };
  Result<int64_t> id = save();
  if (!own) return id;
  Status s = id.status();
  if (s.ok()) s = conn_->Run("COMMIT", "saving the run");
  if (!s.ok()) {
    (void)conn_->Run("ROLLBACK", "saving the run");
    return s;
  }
  return id;
}

Result<std::optional<RunRecord>> PgStore::LatestRun(std::string_view kind) {
  return ReadRun("kind = $1 ORDER BY id DESC LIMIT 1", Params().Text(kind));
}

Result<std::optional<RunRecord>> PgStore::FindRun(int64_t id) { return ReadRun("id = $1", Params().Int(id)); }

Result<std::optional<RunRecord>> PgStore::ReadRun(std::string_view where, const Params& params) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  Result<pg::Rows> r = (*db)->Exec(fmt::format("SELECT {} FROM runs WHERE {}", kRunColumns, where), params,
                                   "reading runs");
  if (!r.ok()) return r.status();
  if (r->size() == 0) return std::optional<RunRecord>();
  RunRecord run;
  run.id = r->Int(0, 0);
  run.kind = r->Text(0, 1);
  Timestamp at;
  run.started_at = TryParseTimestamp(r->Text(0, 2), at) ? at : kNullTimestamp;
  run.run_by = r->Text(0, 3);
  run.params_json = r->Text(0, 4);
  run.definitions_json = r->Text(0, 5);
  run.batch_ids = SplitIds(r->Text(0, 6));
  run.digests_json = r->Text(0, 7);
  run.result_sha256 = r->Text(0, 8);
  run.result_bytes = r->Int(0, 9);
  run.result_json = r->Text(0, 10);
  return std::optional<RunRecord>(std::move(run));
}

}  // namespace goldthread
