#pragma once
// The SQLite store's classes, shared by its .cc files (sqlite_store.cc:
// opening and reading; sqlite_batch.cc: writing batches and publishing a
// store built by its first import; sqlite_runs.cc: run records). Only
// src/store includes this.

#include <array>
#include <memory>
#include <string>

#include "store/sqlite_auth.h"
#include "store/sqlite_db.h"
#include "store/sqlite_plans.h"
#include "store/sqlite_store.h"

namespace goldthread {

class SqliteStore;

class SqliteBatchWriter : public BatchWriter {
 public:
  SqliteBatchWriter(SqliteStore* store, BatchInfo info) : store_(store), info_(std::move(info)) {}
  ~SqliteBatchWriter() override;
  Status Add(TableId table, std::span<const std::string_view> values, std::string_view source_file,
             int64_t source_line) override;
  Result<BatchInfo> Commit(std::vector<FileDigest> files, int64_t rows_rejected) override;

 private:
  friend class SqliteStore;
  SqliteStore* store_;
  BatchInfo info_;
  bool done_ = false;
  std::array<bool, kTableCount> had_rows_{};  // the table held rows before this batch
  std::string key_;
  int64_t rows_added_ = 0;  // for the test pause points
};

class SqliteStore : public Store {
 public:
  SqliteStore(std::string location, StoreOptions options, SqliteTuning tuning)
      : location_(std::move(location)), options_(std::move(options)), tuning_(tuning) {}
  ~SqliteStore() override;

  Status Open(OpenMode mode);

  int schema_version() const override { return schema_version_; }
  const std::string& location() const override { return location_; }

  Result<std::unique_ptr<BatchWriter>> BeginBatch(BatchInfo info) override;
  Result<std::unique_ptr<ReadView>> BeginRead() override;
  Result<std::optional<BatchInfo>> FindBatchByHash(std::string_view content_hash) override;
  Result<std::vector<BatchInfo>> Batches() override;
  Result<bool> HasRecord(TableId table, std::string_view key) override;
  Status ScanCurrent(TableId table, const RowVisitor& visit) override {
    return Scan(table, "WHERE current = 1 ORDER BY row_id", {}, visit);
  }
  Status ScanCurrentAsOf(TableId table, int64_t as_of, const RowVisitor& visit) override;
  Status ScanAllVersions(TableId table, const RowVisitor& visit) override {
    // Row ids grow with insertion, so row id order is oldest first per key.
    return Scan(table, "ORDER BY row_id", {}, visit);
  }
  Status ScanHistory(TableId table, std::string_view key, const RowVisitor& visit) override {
    return Scan(table, "WHERE record_key = ?1 ORDER BY version", key, visit);
  }
  Result<int64_t> CountCurrent(TableId table) override;
  Result<std::vector<std::pair<std::string, int64_t>>> CountCurrentBy(TableId table, int field) override;
  Result<std::optional<std::pair<std::string, std::string>>> RangeCurrent(TableId table, int field) override;
  Result<int64_t> SaveRun(const RunRecord& run) override;
  Result<std::optional<RunRecord>> LatestRun(std::string_view kind) override;
  Result<std::optional<RunRecord>> FindRun(int64_t id) override;

  // Users, sessions and the access log: sqlite_auth.cc, on this store's
  // connection (so with its bounded wait for an import's lock).
  Result<int64_t> AddUser(const UserRecord& u) override { return auth_->AddUser(u); }
  Result<std::optional<UserRecord>> FindUser(std::string_view name) override { return auth_->FindUser(name); }
  Result<std::optional<UserRecord>> FindUserById(int64_t id) override { return auth_->FindUserById(id); }
  Result<std::vector<UserRecord>> ListUsers() override { return auth_->ListUsers(); }
  Status SetUserDisabled(std::string_view name, bool disabled) override {
    return auth_->SetUserDisabled(name, disabled);
  }
  Status SetUserPassword(std::string_view name, std::string_view hash) override {
    return auth_->SetUserPassword(name, hash);
  }
  Result<int32_t> RecordFailedSignIn(int64_t user_id, int32_t lock_after, Timestamp locked_until) override {
    return auth_->RecordFailedSignIn(user_id, lock_after, locked_until);
  }
  Status RecordSignIn(int64_t user_id, Timestamp at) override { return auth_->RecordSignIn(user_id, at); }
  Status SaveSession(const SessionRecord& s) override { return auth_->SaveSession(s); }
  Result<std::optional<SessionRecord>> FindSession(std::string_view token_hash) override {
    return auth_->FindSession(token_hash);
  }
  Status TouchSession(std::string_view token_hash, Timestamp at) override {
    return auth_->TouchSession(token_hash, at);
  }
  Status DeleteSession(std::string_view token_hash) override { return auth_->DeleteSession(token_hash); }
  Status DeleteUserSessions(int64_t user_id) override { return auth_->DeleteUserSessions(user_id); }
  Result<int64_t> DeleteExpiredSessions(Timestamp now) override { return auth_->DeleteExpiredSessions(now); }
  Result<int64_t> AppendAccess(const AccessEntry& e) override { return auth_->AppendAccess(e); }
  Result<std::vector<AccessEntry>> ReadAccessLog(const AccessQuery& q) override { return auth_->ReadAccessLog(q); }

  // Plans and stories: sqlite_plans.cc, on this store's connection.
  Result<PlanVersionInfo> SavePlanVersion(const PlanRecord& plan) override {
    return sqlite::SavePlanVersion(*db_, plan);
  }
  Result<std::vector<PlanVersionInfo>> PlanVersions() override { return sqlite::PlanVersions(*db_); }
  Result<std::optional<PlanRecord>> LoadPlanVersion(int64_t version) override {
    return sqlite::LoadPlanVersion(*db_, version);
  }
  Result<int64_t> AddStory(const StoryRecord& story) override { return sqlite::AddStory(*db_, story); }
  Result<std::vector<StoryRecord>> Stories(std::string_view indicator, std::string_view org_unit) override {
    return sqlite::Stories(*db_, indicator, org_unit);
  }

  /// Ends the read view's transaction (SqliteReadView's destructor).
  void EndRead();

 private:
  friend class SqliteBatchWriter;
  struct TableStmts {
    sqlite::Stmt insert, latest, retire, batch_line, has;
  };

  /// Opens db_ on path (the store, or the file a first import builds) with
  /// the store's options.
  Status Connect(const std::string& path, bool create);
  /// Statements hold the connection: drop them before closing it.
  void Disconnect();
  /// The schema version in the file (0: a new, empty file), or why the
  /// file is refused (not a goldthread store, damaged, newer).
  Result<int> ReadSchemaVersion();
  Status ApplyPragmas(bool new_file);
  Status Migrate();
  /// Scans `where` (?1: key, when not empty; ?2: as_of, when not 0).
  Status Scan(TableId table, const std::string& where, std::string_view key, const RowVisitor& visit,
              int64_t as_of = 0);
  Result<std::optional<RunRecord>> ReadRun(std::string_view where, int64_t id, std::string_view kind);
  Result<BatchInfo> ReadBatch(const sqlite::Stmt& s);  // s at a row of kBatchColumns
  /// The batch's journal and synchronous settings (SqliteTuning), before BEGIN.
  Status UseBatchSettings();
  /// After the batch, committed or not: the settings readers expect.
  void EndBatch();
  /// A store built by its first import (kCreateWithFirstBatch): after the
  /// commit, give it its real name, unless another process has created a
  /// store there meanwhile.
  Status Publish();
  /// The file a first import builds: STORE.importing-PID.
  std::string BuildingPath() const;
  void RemoveBuildingFiles();
  /// Files a killed first import of this store left behind (their process
  /// is gone).
  void RemoveStaleBuilds();

  std::string location_;
  StoreOptions options_;
  SqliteTuning tuning_;
  std::unique_ptr<sqlite::Db> db_;
  std::unique_ptr<SqliteAuth> auth_;  // on db_; made by Connect
  int schema_version_ = 0;
  bool batch_open_ = false;
  bool read_open_ = false;
  bool building_ = false;       // db_ is BuildingPath(), not yet published
  bool batch_journal_ = false;  // this batch runs with a rollback journal
  std::array<TableStmts, kTableCount> stmts_;
  sqlite::Stmt batch_insert_, file_insert_;
};

/// ", \"f1\", \"f2\", ...": a table's canonical columns, quoted, for SQL
/// that lists them after the store's own.
inline std::string FieldList(const TableSpec& t) {
  std::string out;
  for (const FieldSpec& f : t.fields) out += ", " + sqlite::QuoteName(f.name);
  return out;
}

}  // namespace goldthread
