#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <array>
#include <charconv>
#include <utility>

#include "core/file.h"
#include "store/sqlite_auth.h"
#include "store/sqlite_util.h"

namespace goldthread {
namespace {

//===----------------------------------------------------------------------===//
// Small SQLite helpers
//===----------------------------------------------------------------------===//

using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Stmt;

std::string Quote(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string FieldList(const TableSpec& t) {
  std::string out;
  for (const FieldSpec& f : t.fields) out += ", " + Quote(f.name);
  return out;
}

// The columns every record table has before the canonical ones.
constexpr int kMetaColumns = 4;  // batch_id, source_file, source_line, version (in scans)

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

std::vector<int64_t> SplitIds(std::string_view text) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    int64_t v = 0;
    std::from_chars(part.data(), part.data() + part.size(), v);
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// Migration n creates schema version n+1 from version n.
std::vector<std::string> MigrationToVersion1() {
  std::vector<std::string> sql = {
      "CREATE TABLE schema_version (version INTEGER NOT NULL)",
      "CREATE TABLE import_batches (id INTEGER PRIMARY KEY, imported_at TEXT NOT NULL, "
      "imported_by TEXT NOT NULL, source TEXT NOT NULL, content_hash TEXT NOT NULL, "
      "rows_stored INTEGER NOT NULL, rows_unchanged INTEGER NOT NULL, rows_rejected INTEGER NOT NULL)",
      "CREATE INDEX import_batches_hash ON import_batches(content_hash)",
      "CREATE TABLE batch_files (batch_id INTEGER NOT NULL REFERENCES import_batches(id), "
      "file TEXT NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL)",
      "CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL, "
      "run_by TEXT NOT NULL, params_json TEXT NOT NULL, definitions_json TEXT NOT NULL, "
      "batch_ids TEXT NOT NULL, result_json TEXT NOT NULL)",
      "CREATE INDEX runs_kind ON runs(kind, id)",
  };
  for (const TableSpec& t : AllTables()) {
    std::string cols;
    for (const FieldSpec& f : t.fields) cols += ", " + Quote(f.name) + " TEXT";
    sql.push_back("CREATE TABLE " + Quote(t.name) +
                  " (row_id INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL, source_file TEXT NOT NULL, "
                  "source_line INTEGER NOT NULL, version INTEGER NOT NULL, current INTEGER NOT NULL, "
                  "record_key TEXT NOT NULL" +
                  cols + ")");
    sql.push_back("CREATE UNIQUE INDEX " + Quote(std::string(t.name) + "_key") + " ON " + Quote(t.name) +
                  " (record_key, version)");
  }
  return sql;
}

//===----------------------------------------------------------------------===//
// SqliteStore
//===----------------------------------------------------------------------===//

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
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(std::string location) : location_(std::move(location)) {}
  ~SqliteStore() override {
    for (TableStmts& t : stmts_) t = TableStmts{};
    batch_insert_ = Stmt{};
    file_insert_ = Stmt{};
    sqlite3_close(db_);
  }

  Status Open(OpenMode mode);

  int schema_version() const override { return schema_version_; }
  const std::string& location() const override { return location_; }

  Result<std::unique_ptr<BatchWriter>> BeginBatch(BatchInfo info) override;
  Result<std::optional<BatchInfo>> FindBatchByHash(std::string_view content_hash) override;
  Result<std::vector<BatchInfo>> Batches() override;
  Result<bool> HasRecord(TableId table, std::string_view key) override;
  Status ScanCurrent(TableId table, const RowVisitor& visit) override {
    return Scan(table, "WHERE current = 1 ORDER BY row_id", {}, visit);
  }
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

  // Users, sessions and the access log: sqlite_auth.cc.
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

 private:
  friend class SqliteBatchWriter;
  struct TableStmts {
    Stmt insert, latest, retire, batch_line, has;
  };

  Status Error(std::string_view what) const {
    return Status::IOError("store '" + location_ + "': " + std::string(what) + ": " + sqlite3_errmsg(db_));
  }
  Status Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      Status s = Status::IOError("store '" + location_ + "': " + (err ? err : "error") + " (in: " + sql + ")");
      sqlite3_free(err);
      return s;
    }
    return Status::Ok();
  }
  /// Prepares make_sql() into slot once; later calls only reset it, so the
  /// per-row path builds no SQL text.
  template <typename MakeSql>
  Status Prepare(Stmt& slot, MakeSql make_sql) {
    if (slot.get()) {
      sqlite3_reset(slot.get());
      return Status::Ok();
    }
    std::string sql = make_sql();
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, slot.out(), nullptr) != SQLITE_OK)
      return Error("prepare");
    return Status::Ok();
  }
  Status PrepareOnce(Stmt& slot, const std::string& sql) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, slot.out(), nullptr) != SQLITE_OK) return Error("prepare");
    return Status::Ok();
  }
  Result<int64_t> QueryInt(const std::string& sql);
  Status Migrate(int from);
  Status Scan(TableId table, const std::string& where, std::string_view key, const RowVisitor& visit);
  Result<BatchInfo> ReadBatch(sqlite3_stmt* s);  // s at a row of SELECT kBatchColumns
  void EndBatch() {
    batch_open_ = false;
    if (bulk_journal_) {
      // Back to WAL for readers; failure leaves the rollback journal, which
      // is slower for concurrent readers but just as safe.
      (void)QueryText("PRAGMA journal_mode = WAL");
      (void)Exec("PRAGMA synchronous = NORMAL");
      bulk_journal_ = false;
    }
  }
  /// A batch is one large transaction of appends. In WAL mode every page is
  /// written twice (to the WAL, then by the checkpoint into the database);
  /// with a rollback journal, pages appended beyond the old end of the file
  /// are not journalled at all (https://sqlite.org/lockingv3.html, "Rollback
  /// journal": only original content is saved). So a batch runs with
  /// journal_mode TRUNCATE and synchronous FULL (atomic and durable across
  /// power loss: https://sqlite.org/pragma.html#pragma_synchronous), when no
  /// other connection holds the store; otherwise it stays in WAL.
  void UseBulkJournal() {
    Result<std::string> mode = QueryText("PRAGMA journal_mode = TRUNCATE");
    bulk_journal_ = mode.ok() && *mode == "truncate";
    if (bulk_journal_) (void)Exec("PRAGMA synchronous = FULL");
  }
  Result<std::string> QueryText(const std::string& sql) {
    Stmt s;
    GT_RETURN_IF_ERROR(PrepareOnce(s, sql));
    if (sqlite3_step(s.get()) != SQLITE_ROW) return Error("reading " + sql);
    return std::string(ColumnText(s.get(), 0));
  }

  std::string location_;
  sqlite3* db_ = nullptr;
  int schema_version_ = 0;
  bool batch_open_ = false;
  bool bulk_journal_ = false;  // this batch runs with a rollback journal (UseBulkJournal)
  std::array<TableStmts, kTableCount> stmts_;
  Stmt batch_insert_, file_insert_;
  std::unique_ptr<SqliteAuth> auth_;  // set by Open once db_ is open
};

constexpr const char* kBatchColumns =
    "SELECT id, imported_at, imported_by, source, content_hash, rows_stored, rows_unchanged, rows_rejected "
    "FROM import_batches ";

Status SqliteStore::Open(OpenMode mode) {
  struct stat st;
  bool exists = ::stat(location_.c_str(), &st) == 0;
  if (!exists && mode == OpenMode::kMustExist)
    return Status::NotFound("store '" + location_ + "' does not exist (run 'goldthread import " + location_ +
                            " DIR' first)");
  // Not a device or a FIFO either: SQLite would write a journal beside
  // /dev/null, or wait on a FIFO.
  if (exists && !S_ISREG(st.st_mode))
    return Status::InvalidArgument("store '" + location_ + "' is " + FileKindName(st.st_mode) +
                                   " (expected a store file)");
  // Memory statistics cost a global mutex on every allocation; goldthread
  // never reads them. Must precede sqlite3_initialize(); later calls are
  // refused with SQLITE_MISUSE, harmlessly. https://sqlite.org/c3ref/c_config_covering_index_scan.html
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize() == SQLITE_OK;
  }();
  if (!configured) return Status::IOError("store '" + location_ + "': SQLite failed to initialise");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(location_.c_str(), &db_, flags, nullptr) != SQLITE_OK) return Error("cannot open");
  sqlite3_extended_result_codes(db_, 1);
  auth_ = std::make_unique<SqliteAuth>(db_, &location_);
  // Reading sqlite_master is the first access to the file: a file that is
  // not a database fails here.
  Result<int64_t> has_version =
      QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!has_version.ok())
    return Status::Corruption("store '" + location_ + "' is not a goldthread store (" + sqlite3_errmsg(db_) + ")");
  int version = 0;
  if (*has_version == 0) {
    Result<int64_t> tables = QueryInt("SELECT count(*) FROM sqlite_master");
    if (!tables.ok()) return tables.status();
    if (*tables > 0)
      return Status::Corruption("store '" + location_ +
                                "' is not a goldthread store (it is a SQLite file without a schema_version table)");
  } else {
    Result<int64_t> v = QueryInt("SELECT coalesce(max(version), 0) FROM schema_version");
    if (!v.ok()) return v.status();
    version = static_cast<int>(*v);
  }
  if (version > kStoreSchemaVersion)
    return Status::Unsupported("store '" + location_ + "' has schema version " + std::to_string(version) +
                               ", newer than version " + std::to_string(kStoreSchemaVersion) +
                               " that this goldthread knows (upgrade goldthread to open it)");
  // Bigger pages suit long append-only tables; only takes effect on a new file.
  if (version == 0) GT_RETURN_IF_ERROR(Exec("PRAGMA page_size = 16384"));
  GT_RETURN_IF_ERROR(Exec("PRAGMA journal_mode = WAL"));
  // NORMAL is durable across application crashes in WAL mode; a power cut
  // may lose the last committed batch, never corrupt the store.
  GT_RETURN_IF_ERROR(Exec("PRAGMA synchronous = NORMAL"));
  GT_RETURN_IF_ERROR(Exec("PRAGMA cache_size = -131072"));  // 128 MiB
  GT_RETURN_IF_ERROR(Exec("PRAGMA temp_store = MEMORY"));
  GT_RETURN_IF_ERROR(Exec("PRAGMA mmap_size = 1073741824"));
  if (version < kStoreSchemaVersion) GT_RETURN_IF_ERROR(Migrate(version));
  schema_version_ = kStoreSchemaVersion;
  return Status::Ok();
}

Status SqliteStore::Migrate(int from) {
  GT_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status s;
  for (int v = from; v < kStoreSchemaVersion && s.ok(); ++v) {
    std::vector<std::string> steps;
    if (v == 0) steps = MigrationToVersion1();
    if (v == 1) steps = SqliteAuth::MigrationToVersion2();
    for (const std::string& sql : steps) {
      s = Exec(sql);
      if (!s.ok()) break;
    }
  }
  if (s.ok()) s = Exec("DELETE FROM schema_version");
  if (s.ok()) s = Exec("INSERT INTO schema_version(version) VALUES (" + std::to_string(kStoreSchemaVersion) + ")");
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok()) (void)Exec("ROLLBACK");
  return s;
}

Result<int64_t> SqliteStore::QueryInt(const std::string& sql) {
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s, sql));
  if (sqlite3_step(s.get()) != SQLITE_ROW) return Error("query");
  return static_cast<int64_t>(sqlite3_column_int64(s.get(), 0));
}

Result<std::unique_ptr<BatchWriter>> SqliteStore::BeginBatch(BatchInfo info) {
  if (batch_open_) return Status::Internal("store '" + location_ + "': a batch is already being written");
  UseBulkJournal();
  if (Status begun = Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    EndBatch();
    return begun;
  }
  auto writer = std::make_unique<SqliteBatchWriter>(this, std::move(info));
  batch_open_ = true;  // from here the writer's destructor rolls back
  Status s = Prepare(batch_insert_, [] {
    return std::string("INSERT INTO import_batches (imported_at, imported_by, source, content_hash, rows_stored, "
                     "rows_unchanged, rows_rejected) VALUES (?1, ?2, ?3, ?4, 0, 0, 0)");
  });
  if (!s.ok()) return s;
  BatchInfo& b = writer->info_;
  std::string at = FormatTimestamp(b.imported_at);
  sqlite3_bind_text(batch_insert_.get(), 1, at.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(batch_insert_.get(), 2, b.imported_by.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(batch_insert_.get(), 3, b.source.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(batch_insert_.get(), 4, b.content_hash.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(batch_insert_.get()) != SQLITE_DONE) return Error("recording the batch");
  b.id = sqlite3_last_insert_rowid(db_);
  for (const TableSpec& t : AllTables()) {
    Result<int64_t> any = QueryInt("SELECT EXISTS (SELECT 1 FROM " + Quote(t.name) + ")");
    if (!any.ok()) return any.status();
    writer->had_rows_[static_cast<int>(t.id)] = *any != 0;
  }
  return std::unique_ptr<BatchWriter>(std::move(writer));
}

Result<BatchInfo> SqliteStore::ReadBatch(sqlite3_stmt* s) {
  BatchInfo b;
  b.id = sqlite3_column_int64(s, 0);
  Timestamp at;
  b.imported_at = TryParseTimestamp(ColumnText(s, 1), at) ? at : kNullTimestamp;
  b.imported_by = ColumnText(s, 2);
  b.source = ColumnText(s, 3);
  b.content_hash = ColumnText(s, 4);
  b.rows_stored = sqlite3_column_int64(s, 5);
  b.rows_unchanged = sqlite3_column_int64(s, 6);
  b.rows_rejected = sqlite3_column_int64(s, 7);
  Stmt f;
  GT_RETURN_IF_ERROR(PrepareOnce(f, "SELECT file, sha256, rows FROM batch_files WHERE batch_id = ?1 ORDER BY rowid"));
  sqlite3_bind_int64(f.get(), 1, b.id);
  int rc;
  while ((rc = sqlite3_step(f.get())) == SQLITE_ROW)
    b.files.push_back({std::string(ColumnText(f.get(), 0)), std::string(ColumnText(f.get(), 1)),
                       sqlite3_column_int64(f.get(), 2)});
  if (rc != SQLITE_DONE) return Error("reading batch files");
  return b;
}

Result<std::optional<BatchInfo>> SqliteStore::FindBatchByHash(std::string_view content_hash) {
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s, std::string(kBatchColumns) + "WHERE content_hash = ?1 ORDER BY id LIMIT 1"));
  BindText(s.get(), 1, content_hash);
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) return std::optional<BatchInfo>();
  if (rc != SQLITE_ROW) return Error("finding a batch");
  Result<BatchInfo> b = ReadBatch(s.get());
  if (!b.ok()) return b.status();
  return std::optional<BatchInfo>(std::move(*b));
}

Result<std::vector<BatchInfo>> SqliteStore::Batches() {
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s, std::string(kBatchColumns) + "ORDER BY id"));
  std::vector<BatchInfo> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    Result<BatchInfo> b = ReadBatch(s.get());
    if (!b.ok()) return b.status();
    out.push_back(std::move(*b));
  }
  if (rc != SQLITE_DONE) return Error("listing batches");
  return out;
}

Result<bool> SqliteStore::HasRecord(TableId table, std::string_view key) {
  const TableSpec& t = Table(table);
  Stmt& s = stmts_[static_cast<int>(table)].has;
  GT_RETURN_IF_ERROR(Prepare(
      s, [&] { return "SELECT 1 FROM " + Quote(t.name) + " WHERE record_key = ?1 AND current = 1 LIMIT 1"; }));
  sqlite3_bind_text(s.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  int rc = sqlite3_step(s.get());
  bool found = rc == SQLITE_ROW;
  sqlite3_reset(s.get());
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("looking up a record");
  return found;
}

Status SqliteStore::Scan(TableId table, const std::string& where, std::string_view key, const RowVisitor& visit) {
  const TableSpec& t = Table(table);
  // A fresh statement per scan: a visitor may start another scan meanwhile.
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s, "SELECT batch_id, source_file, source_line, version" + FieldList(t) +
                                        " FROM " + Quote(t.name) + " " + where));
  if (!key.empty()) sqlite3_bind_text(s.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  const size_t n = t.fields.size();
  std::vector<std::string_view> values(n);
  StoredRow row;
  row.values = values;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    sqlite3_stmt* st = s.get();
    row.batch_id = sqlite3_column_int64(st, 0);
    row.source_file = ColumnText(st, 1);
    row.source_line = sqlite3_column_int64(st, 2);
    row.version = sqlite3_column_int(st, 3);
    for (size_t i = 0; i < n; ++i) values[i] = ColumnText(st, kMetaColumns + static_cast<int>(i));
    GT_RETURN_IF_ERROR(visit(row));
  }
  if (rc != SQLITE_DONE) return Error("scanning " + std::string(t.name));
  return Status::Ok();
}

Result<int64_t> SqliteStore::CountCurrent(TableId table) {
  return QueryInt("SELECT count(*) FROM " + Quote(Table(table).name) + " WHERE current = 1");
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteStore::CountCurrentBy(TableId table, int field) {
  const TableSpec& t = Table(table);
  if (field < 0 || field >= static_cast<int>(t.fields.size()))
    return Status::InvalidArgument(std::string(t.name) + ": no field " + std::to_string(field));
  std::string col = Quote(t.fields[field].name);
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s, "SELECT coalesce(" + col + ", ''), count(*) FROM " + Quote(t.name) +
                                        " WHERE current = 1 GROUP BY 1 ORDER BY 1"));
  std::vector<std::pair<std::string, int64_t>> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW)
    out.emplace_back(std::string(ColumnText(s.get(), 0)), sqlite3_column_int64(s.get(), 1));
  if (rc != SQLITE_DONE) return Error("counting " + std::string(t.name));
  return out;
}

Result<std::optional<std::pair<std::string, std::string>>> SqliteStore::RangeCurrent(TableId table, int field) {
  const TableSpec& t = Table(table);
  if (field < 0 || field >= static_cast<int>(t.fields.size()))
    return Status::InvalidArgument(std::string(t.name) + ": no field " + std::to_string(field));
  std::string col = Quote(t.fields[field].name);
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s, "SELECT min(" + col + "), max(" + col + ") FROM " + Quote(t.name) +
                                        " WHERE current = 1 AND " + col + " IS NOT NULL"));
  if (sqlite3_step(s.get()) != SQLITE_ROW) return Error("range of " + std::string(t.name));
  if (sqlite3_column_type(s.get(), 0) == SQLITE_NULL) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>(
      std::pair(std::string(ColumnText(s.get(), 0)), std::string(ColumnText(s.get(), 1))));
}

Result<int64_t> SqliteStore::SaveRun(const RunRecord& run) {
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s,
                                 "INSERT INTO runs (kind, started_at, run_by, params_json, definitions_json, "
                                 "batch_ids, result_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  std::string at = FormatTimestamp(run.started_at), ids = JoinIds(run.batch_ids);
  const std::string* texts[] = {&run.kind, &at, &run.run_by, &run.params_json, &run.definitions_json, &ids,
                                &run.result_json};
  for (int i = 0; i < 7; ++i)
    sqlite3_bind_text(s.get(), i + 1, texts[i]->data(), static_cast<int>(texts[i]->size()), SQLITE_STATIC);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("saving a run");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::optional<RunRecord>> SqliteStore::LatestRun(std::string_view kind) {
  Stmt s;
  GT_RETURN_IF_ERROR(PrepareOnce(s,
                                 "SELECT id, kind, started_at, run_by, params_json, definitions_json, batch_ids, "
                                 "result_json FROM runs WHERE kind = ?1 ORDER BY id DESC LIMIT 1"));
  sqlite3_bind_text(s.get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) return std::optional<RunRecord>();
  if (rc != SQLITE_ROW) return Error("reading runs");
  RunRecord r;
  r.id = sqlite3_column_int64(s.get(), 0);
  r.kind = ColumnText(s.get(), 1);
  Timestamp at;
  r.started_at = TryParseTimestamp(ColumnText(s.get(), 2), at) ? at : kNullTimestamp;
  r.run_by = ColumnText(s.get(), 3);
  r.params_json = ColumnText(s.get(), 4);
  r.definitions_json = ColumnText(s.get(), 5);
  r.batch_ids = SplitIds(ColumnText(s.get(), 6));
  r.result_json = ColumnText(s.get(), 7);
  return std::optional<RunRecord>(std::move(r));
}

//===----------------------------------------------------------------------===//
// SqliteBatchWriter
//===----------------------------------------------------------------------===//

SqliteBatchWriter::~SqliteBatchWriter() {
  if (!done_) {
    (void)store_->Exec("ROLLBACK");
    store_->EndBatch();
  }
}

Status SqliteBatchWriter::Add(TableId table, std::span<const std::string_view> values, std::string_view source_file,
                              int64_t source_line) {
  if (done_) return Status::Internal("batch already committed");
  const TableSpec& t = Table(table);
  const int n = static_cast<int>(t.fields.size());
  if (static_cast<int>(values.size()) != n)
    return Status::InvalidArgument(std::string(t.name) + ": expected " + std::to_string(n) + " values, got " +
                                   std::to_string(values.size()));
  key_.clear();
  for (size_t k = 0; k < t.key.size(); ++k) {
    if (k) key_ += '|';
    key_ += values[t.key[k]];
  }
  SqliteStore& st = *store_;
  auto& stmts = st.stmts_[static_cast<int>(table)];
  int64_t version = 1;
  if (had_rows_[static_cast<int>(table)]) {
    // The key may have earlier versions: look at the latest one.
    GT_RETURN_IF_ERROR(st.Prepare(stmts.latest, [&] {
      return "SELECT row_id, version, batch_id, source_line" + FieldList(t) + " FROM " + Quote(t.name) +
             " WHERE record_key = ?1 ORDER BY version DESC LIMIT 1";
    }));
    sqlite3_stmt* q = stmts.latest.get();
    sqlite3_bind_text(q, 1, key_.data(), static_cast<int>(key_.size()), SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      if (sqlite3_column_int64(q, 2) == info_.id) {
        int64_t line = sqlite3_column_int64(q, 3);
        sqlite3_reset(q);
        return Status::AlreadyExists(std::to_string(line));
      }
      bool same = true;
      for (int i = 0; i < n && same; ++i) same = ColumnText(q, 4 + i) == values[i];
      if (same) {
        sqlite3_reset(q);
        ++info_.rows_unchanged;
        return Status::Ok();
      }
      int64_t row_id = sqlite3_column_int64(q, 0);
      version = sqlite3_column_int64(q, 1) + 1;
      sqlite3_reset(q);
      GT_RETURN_IF_ERROR(st.Prepare(
          stmts.retire, [&] { return "UPDATE " + Quote(t.name) + " SET current = 0 WHERE row_id = ?1"; }));
      sqlite3_bind_int64(stmts.retire.get(), 1, row_id);
      if (sqlite3_step(stmts.retire.get()) != SQLITE_DONE) return st.Error("retiring a version");
    } else if (rc != SQLITE_DONE) {
      sqlite3_reset(q);
      return st.Error("looking up a record");
    } else {
      sqlite3_reset(q);
    }
  }
  if (!stmts.insert.get()) {
    std::string params;
    for (int i = 0; i < n; ++i) params += ", ?" + std::to_string(7 + i);
    GT_RETURN_IF_ERROR(st.Prepare(stmts.insert, [&] {
      return "INSERT INTO " + Quote(t.name) +
             " (batch_id, source_file, source_line, version, current, record_key" + FieldList(t) +
             ") VALUES (?1, ?2, ?3, ?4, 1, ?6" + params + ")";
    }));
  }
  sqlite3_stmt* ins = stmts.insert.get();
  sqlite3_bind_int64(ins, 1, info_.id);
  sqlite3_bind_text(ins, 2, source_file.data(), static_cast<int>(source_file.size()), SQLITE_STATIC);
  sqlite3_bind_int64(ins, 3, source_line);
  sqlite3_bind_int64(ins, 4, version);
  sqlite3_bind_text(ins, 6, key_.data(), static_cast<int>(key_.size()), SQLITE_STATIC);
  for (int i = 0; i < n; ++i) BindText(ins, 7 + i, values[i]);
  int rc = sqlite3_step(ins);
  sqlite3_reset(ins);
  if (rc == SQLITE_DONE) {
    ++info_.rows_stored;
    return Status::Ok();
  }
  if (rc != SQLITE_CONSTRAINT_UNIQUE) return st.Error("storing a row of " + std::string(t.name));
  // The table was empty before this batch, so the clash is with a row of
  // this batch.
  GT_RETURN_IF_ERROR(st.Prepare(stmts.batch_line, [&] {
    return "SELECT source_line FROM " + Quote(t.name) + " WHERE record_key = ?1 AND batch_id = ?2 LIMIT 1";
  }));
  sqlite3_stmt* q = stmts.batch_line.get();
  sqlite3_bind_text(q, 1, key_.data(), static_cast<int>(key_.size()), SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, info_.id);
  int64_t line = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
  sqlite3_reset(q);
  return Status::AlreadyExists(std::to_string(line));
}

Result<BatchInfo> SqliteBatchWriter::Commit(std::vector<FileDigest> files, int64_t rows_rejected) {
  if (done_) return Status::Internal("batch already committed");
  SqliteStore& st = *store_;
  info_.files = std::move(files);
  info_.rows_rejected = rows_rejected;
  Stmt u;
  GT_RETURN_IF_ERROR(st.PrepareOnce(u,
                                    "UPDATE import_batches SET rows_stored = ?1, rows_unchanged = ?2, "
                                    "rows_rejected = ?3 WHERE id = ?4"));
  sqlite3_bind_int64(u.get(), 1, info_.rows_stored);
  sqlite3_bind_int64(u.get(), 2, info_.rows_unchanged);
  sqlite3_bind_int64(u.get(), 3, info_.rows_rejected);
  sqlite3_bind_int64(u.get(), 4, info_.id);
  if (sqlite3_step(u.get()) != SQLITE_DONE) return st.Error("recording the batch");
  for (const FileDigest& f : info_.files) {
    GT_RETURN_IF_ERROR(st.Prepare(st.file_insert_, [] {
      return std::string("INSERT INTO batch_files (batch_id, file, sha256, rows) VALUES (?1, ?2, ?3, ?4)");
    }));
    sqlite3_stmt* s = st.file_insert_.get();
    sqlite3_bind_int64(s, 1, info_.id);
    sqlite3_bind_text(s, 2, f.file.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, f.sha256.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, f.rows);
    if (sqlite3_step(s) != SQLITE_DONE) return st.Error("recording the batch's files");
  }
  GT_RETURN_IF_ERROR(st.Exec("COMMIT"));
  done_ = true;
  st.EndBatch();
  return info_;
}

}  // namespace

Result<std::unique_ptr<Store>> NewSqliteStore(const std::string& path, OpenMode mode) {
  auto store = std::make_unique<SqliteStore>(path);
  GT_RETURN_IF_ERROR(store->Open(mode));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace goldthread
