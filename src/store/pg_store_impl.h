#pragma once
// The PostgreSQL store's classes, shared by its .cc files (pg_store.cc:
// opening, migrating and reading; pg_batch.cc: batches; pg_runs.cc: run
// records; pg_auth.cc: users, sessions and the access log). Only src/store
// includes this.

#include <array>
#include <memory>
#include <string>

#include "core/key_set.h"
#include "store/pg_db.h"
#include "store/pg_store.h"

namespace goldthread {

class PgStore;

/// ", \"field1\", \"field2\", ..." for a table's canonical columns.
inline std::string PgFieldList(const TableSpec& t) {
  std::string out;
  for (const FieldSpec& f : t.fields) out += ", " + pg::QuoteName(f.name);
  return out;
}

class PgBatchWriter : public BatchWriter {
 public:
  PgBatchWriter(PgStore* store, BatchInfo info) : store_(store), info_(std::move(info)) {}
  ~PgBatchWriter() override;
  Status Add(TableId table, std::span<const std::string_view> values, std::string_view source_file,
             int64_t source_line) override;
  Result<BatchInfo> Commit(std::vector<FileDigest> files, int64_t rows_rejected) override;
  /// Ends the COPY under way and merges what was staged, so the batch's
  /// connection can read (and sees every row added so far).
  Status Flush();

 private:
  friend class PgStore;

/// ", \"field1\", \"field2\", ..." for a table's canonical columns.
inline std::string PgFieldList(const TableSpec& t) {
  std::string out;
  for (const FieldSpec& f : t.fields) out += ", " + pg::QuoteName(f.name);
  return out;
}
  struct TableState {
    bool had_rows = false;     // the table held rows before this batch: stage and merge
    bool stage_made = false;   // its temporary table exists
    int64_t next_row_id = 1;   // for a table copied straight in
    KeySet keys;               // keys added in this batch, with their lines
  };
  Status StartCopy(TableId table);
  Status Merge(TableId table);
  PgStore* store_;
  BatchInfo info_;
  bool done_ = false;
  std::array<TableState, kTableCount> tables_{};
  int copying_ = -1;     // the table whose COPY is open, or -1
  bool staged_ = false;  // rows of the open COPY's table wait in its stage
  int64_t seq_ = 0;      // order of rows added, across the batch
  std::string key_, buf_;
  int64_t rows_added_ = 0;  // for the test pause points
};

class PgStore : public Store {
 public:
  PgStore(std::string url, StoreOptions options)
      : url_(std::move(url)), label_(pg::RedactUrl(url_)), options_(std::move(options)) {}
  ~PgStore() override;

  Status Open(OpenMode mode);

  int schema_version() const override { return schema_version_; }
  const std::string& location() const override { return url_; }

  Result<std::unique_ptr<BatchWriter>> BeginBatch(BatchInfo info) override;
  Result<std::unique_ptr<ReadView>> BeginRead() override;
  Result<std::optional<BatchInfo>> FindBatchByHash(std::string_view content_hash) override;
  Result<std::vector<BatchInfo>> Batches() override;
  Result<bool> HasRecord(TableId table, std::string_view key) override;
  Status ScanCurrent(TableId table, const RowVisitor& visit) override;
  Status ScanCurrentAsOf(TableId table, int64_t as_of, const RowVisitor& visit) override;
  Status ScanAllVersions(TableId table, const RowVisitor& visit) override;
  Status ScanHistory(TableId table, std::string_view key, const RowVisitor& visit) override;
  Result<int64_t> CountCurrent(TableId table) override;
  Result<std::vector<std::pair<std::string, int64_t>>> CountCurrentBy(TableId table, int field) override;
  Result<std::optional<std::pair<std::string, std::string>>> RangeCurrent(TableId table, int field) override;
  Result<int64_t> SaveRun(const RunRecord& run) override;
  Result<std::optional<RunRecord>> LatestRun(std::string_view kind) override;
  Result<std::optional<RunRecord>> FindRun(int64_t id) override;

  // pg_auth.cc
  Result<int64_t> AddUser(const UserRecord& user) override;
  Result<std::optional<UserRecord>> FindUser(std::string_view name) override;
  Result<std::optional<UserRecord>> FindUserById(int64_t id) override;
  Result<std::vector<UserRecord>> ListUsers() override;
  Status SetUserDisabled(std::string_view name, bool disabled) override;
  Status SetUserPassword(std::string_view name, std::string_view password_hash) override;
  Result<int32_t> RecordFailedSignIn(int64_t user_id, int32_t lock_after, Timestamp locked_until) override;
  Status RecordSignIn(int64_t user_id, Timestamp at) override;
  Status SaveSession(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> FindSession(std::string_view token_hash) override;
  Status TouchSession(std::string_view token_hash, Timestamp last_seen) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status DeleteUserSessions(int64_t user_id) override;
  Result<int64_t> DeleteExpiredSessions(Timestamp now) override;
  Result<int64_t> AppendAccess(const AccessEntry& entry) override;
  Result<std::vector<AccessEntry>> ReadAccessLog(const AccessQuery& query) override;

  // pg_plans.cc
  Result<PlanVersionInfo> SavePlanVersion(const PlanRecord& plan) override;
  Result<std::vector<PlanVersionInfo>> PlanVersions() override;
  Result<std::optional<PlanRecord>> LoadPlanVersion(int64_t version) override;
  Result<int64_t> AddStory(const StoryRecord& story) override;
  Result<std::vector<StoryRecord>> Stories(std::string_view indicator, std::string_view org_unit) override;

  /// Ends the read view's transaction (PgReadView's destructor).
  void EndRead();
  /// The message store.h gives a batch that waited too long, and the lock
  /// itself: key is one of the kLock* below.
  Status AcquireLock(int key, std::string_view what);

  // Advisory lock keys, in the space kLockSpace (pg_try_advisory_xact_lock(int, int)).
  static constexpr int kLockSpace = 0x676f6c64;  // "gold"
  static constexpr int kLockWriter = 1;          // batches and migrations
  static constexpr int kLockRuns = 2;            // SaveRun's one kept result per kind
  static constexpr int kLockPlans = 3;           // plan versions numbered one at a time

 private:
  friend class PgBatchWriter;
  /// The connection, made ready for a read: the open batch's COPY ended
  /// and its staged rows merged.
  Result<pg::Conn*> Ready();
  Result<int> ReadSchemaVersion();
  /// Runs the migrations the store lacks. in_transaction: inside the
  /// caller's transaction, which holds the writer lock (a first import).
  Status Migrate(bool in_transaction);
  Status Scan(TableId table, std::string_view from_where, const RowVisitor& visit);
  Result<std::optional<RunRecord>> ReadRun(std::string_view where, const pg::Params& params);
  Result<std::vector<BatchInfo>> QueryBatches(std::string_view where, const pg::Params& params);
  Result<std::vector<UserRecord>> QueryUsers(std::string_view where, const pg::Params& params);
  Status UpdateUserByName(std::string_view sql, const pg::Params& params, std::string_view name);

  std::string url_, label_;  // label_: the URL without its password, for messages
  StoreOptions options_;
  std::unique_ptr<pg::Conn> conn_;
  std::unique_ptr<pg::Conn> lookup_;  // HasRecord's while a batch is open
  int schema_version_ = 0;
  bool batch_open_ = false;
  bool read_open_ = false;
  /// A first import: the transaction that created the tables is open and
  /// holds the writer lock until the first batch commits.
  bool building_ = false;
  PgBatchWriter* writer_ = nullptr;  // the open batch
};

}  // namespace goldthread
