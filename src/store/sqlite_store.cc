// The SQLite store: opening (identify, refuse, migrate), its connection
// settings, and every read. Batches are written in sqlite_batch.cc, runs in
// sqlite_runs.cc.

#include "store/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <utility>

#include "core/file.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_store_impl.h"

namespace goldthread {
namespace {

using sqlite::QuoteName;

// The columns every scan reads before the canonical ones.
constexpr int kMetaColumns = 4;  // batch_id, source_file, source_line, version

constexpr const char* kBatchColumns =
    "SELECT id, imported_at, imported_by, source, content_hash, rows_stored, rows_unchanged, rows_rejected "
    "FROM import_batches ";

}  // namespace

//===----------------------------------------------------------------------===//
// Opening
//===----------------------------------------------------------------------===//

SqliteStore::~SqliteStore() {
  Disconnect();
  if (building_) RemoveBuildingFiles();
}

void SqliteStore::Disconnect() {
  for (TableStmts& t : stmts_) t = TableStmts{};
  batch_insert_ = sqlite::Stmt{};
  file_insert_ = sqlite::Stmt{};
  auth_.reset();
  db_.reset();
}

Status SqliteStore::Connect(const std::string& path, bool create) {
  sqlite::ConnectionOptions c;
  c.create = create;
  c.label = location_;
  c.wait = options_.wait;
  c.on_wait = options_.on_wait;
  Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(path, c);
  if (!db.ok()) return db.status();
  db_ = std::move(*db);
  auth_ = std::make_unique<SqliteAuth>(db_.get());
  return Status::Ok();
}

Result<int> SqliteStore::ReadSchemaVersion() {
  // Reading sqlite_master is the first access to the file: a file that is
  // not a database fails here.
  Result<int64_t> has_version =
      db_->QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!has_version.ok()) {
    if ((db_->last_error() & 0xff) == SQLITE_NOTADB)
      return Status::Corruption("store '" + location_ +
                                "' is not a goldthread store (file is not a database)");
    if (has_version.status().code() == StatusCode::kCorruption)
      return Status::Corruption("store '" + location_ + "' is damaged: " + has_version.status().message());
    return has_version.status();
  }
  int version = 0;
  if (*has_version == 0) {
    Result<int64_t> tables = db_->QueryInt("SELECT count(*) FROM sqlite_master");
    if (!tables.ok()) return tables.status();
    if (*tables > 0)
      return Status::Corruption(
          "store '" + location_ +
          "' is not a goldthread store (it is a SQLite file without a schema_version table)");
  } else {
    Result<int64_t> v = db_->QueryInt("SELECT coalesce(max(version), 0) FROM schema_version");
    if (!v.ok()) return v.status();
    version = static_cast<int>(*v);
  }
  if (version > kStoreSchemaVersion)
    return Status::Unsupported(
        fmt::format("store '{}' has schema version {}, newer than version {} that this goldthread knows "
                    "(upgrade goldthread to "
                    "open it)",
                    location_, version, kStoreSchemaVersion));
  return version;
}

Status SqliteStore::Open(OpenMode mode) {
  struct stat st;
  const bool exists = ::stat(location_.c_str(), &st) == 0;
  if (!exists && mode == OpenMode::kMustExist)
    return Status::NotFound("store '" + location_ + "' does not exist (run 'goldthread import " + location_ +
                            " DIR' first)");
  // Not a directory, a device or a FIFO either: SQLite would write a
  // journal beside /dev/null, or wait on a FIFO.
  if (exists && !S_ISREG(st.st_mode))
    return Status::InvalidArgument("store '" + location_ + "' is " + FileKindName(st.st_mode) +
                                   " (expected a store file)");
  if (!exists && mode == OpenMode::kCreateWithFirstBatch) {
    RemoveStaleBuilds();
    building_ = true;
    RemoveBuildingFiles();  // a leftover of a process with our pid, long gone
    GT_RETURN_IF_ERROR(Connect(BuildingPath(), true));
  } else {
    GT_RETURN_IF_ERROR(Connect(location_, mode != OpenMode::kMustExist));
  }
  Result<int> version = ReadSchemaVersion();
  if (!version.ok()) return version.status();
  if (*version == 0 && mode == OpenMode::kMustExist)
    return Status::NotFound("store '" + location_ + "' holds no goldthread data (run 'goldthread import " +
                            location_ + " DIR' first)");
  GT_RETURN_IF_ERROR(ApplyPragmas(*version == 0));
  if (*version < kStoreSchemaVersion) GT_RETURN_IF_ERROR(Migrate());
  schema_version_ = kStoreSchemaVersion;
  return Status::Ok();
}

Status SqliteStore::ApplyPragmas(bool new_file) {
  // Bigger pages suit long append-only tables; only takes effect on a new file.
  if (new_file) GT_RETURN_IF_ERROR(db_->Exec("PRAGMA page_size = 16384"));
  if (!building_) {
    // WAL: readers see the last commit and are never refused by a writer.
    // Asking costs nothing when the store is in WAL already; switching (a
    // store made before WAL, or left by a process killed inside a
    // rollback-journal batch) waits for other connections to leave.
    Result<std::string> mode = db_->QueryText("PRAGMA journal_mode");
    if (!mode.ok()) return mode.status();
    if (*mode != "wal") {
      Result<std::string> now = db_->QueryText("PRAGMA journal_mode = WAL");
      if (!now.ok()) return now.status();
      if (*now != "wal")
        return Status::IOError("store '" + location_ + "': cannot switch to WAL (journal mode stays " + *now +
                               ")");
    }
  }
  // NORMAL is durable across application crashes in WAL mode; a power cut
  // may lose the last commit of a run record, never corrupt the store.
  // Batches raise it (SqliteTuning::batch_sync).
  GT_RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous = NORMAL"));
  GT_RETURN_IF_ERROR(db_->Exec(fmt::format("PRAGMA cache_size = -{}", tuning_.cache_mib * 1024)));
  GT_RETURN_IF_ERROR(db_->Exec("PRAGMA temp_store = MEMORY"));
  GT_RETURN_IF_ERROR(db_->Exec("PRAGMA mmap_size = 1073741824"));
  // A large batch grows the WAL to its size; once checkpointed, the WAL is
  // cut back to this instead of keeping that size on disk.
  return db_->Exec("PRAGMA journal_size_limit = 67108864");
}

Status SqliteStore::Migrate() {
  GT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE", "starting the migration"));
  // Another process may have migrated the store while this one waited.
  Result<int> from = ReadSchemaVersion();
  Status s = from.status();
  std::vector<const Migration*> applied;
  if (s.ok()) {
    for (const Migration& m : Migrations()) {
      if (m.version <= *from) continue;
      s = m.apply(*db_);
      if (!s.ok()) {
        if (s.code() != StatusCode::kBusy)
          s = Status::IOError(
              fmt::format("migrating to schema version {} ({}): {}", m.version, m.what, s.message()));
        break;
      }
      applied.push_back(&m);
    }
  }
  if (s.ok() && !applied.empty()) {
    s = db_->Exec("DELETE FROM schema_version");
    if (s.ok())
      s = db_->Exec(fmt::format("INSERT INTO schema_version(version) VALUES ({})", kStoreSchemaVersion));
  }
  if (s.ok())
    s = db_->Exec("COMMIT", from.ok() && *from == 0 ? std::string("creating the store's tables")
                                                    : fmt::format("migrating the store to schema version {}",
                                                                  kStoreSchemaVersion));
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  for (const Migration* m : applied)
    if (m->after) (void)m->after(*db_);  // the migrated store is usable without it
  return Status::Ok();
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {

class SqliteReadView : public ReadView {
 public:
  explicit SqliteReadView(SqliteStore* store) : store_(store) {}
  ~SqliteReadView() override { store_->EndRead(); }

 private:
  SqliteStore* store_;
};

}  // namespace

Result<std::unique_ptr<ReadView>> SqliteStore::BeginRead() {
  if (batch_open_)
    return Status::Internal("store '" + location_ + "': a read view cannot start inside a batch");
  if (read_open_) return Status::Internal("store '" + location_ + "': a read view is already open");
  GT_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  // A deferred transaction takes its snapshot at its first read: read now,
  // so the view is the state at BeginRead.
  Result<int64_t> started = db_->QueryInt("SELECT count(*) FROM schema_version");
  if (!started.ok()) {
    (void)db_->Exec("ROLLBACK");
    return started.status();
  }
  read_open_ = true;
  return std::unique_ptr<ReadView>(std::make_unique<SqliteReadView>(this));
}

void SqliteStore::EndRead() {
  // Ending a read-only transaction cannot lose anything.
  (void)db_->Exec("COMMIT");
  read_open_ = false;
}

Result<BatchInfo> SqliteStore::ReadBatch(const sqlite::Stmt& s) {
  BatchInfo b;
  b.id = s.Int(0);
  Timestamp at;
  b.imported_at = TryParseTimestamp(s.Text(1), at) ? at : kNullTimestamp;
  b.imported_by = s.Text(2);
  b.source = s.Text(3);
  b.content_hash = s.Text(4);
  b.rows_stored = s.Int(5);
  b.rows_unchanged = s.Int(6);
  b.rows_rejected = s.Int(7);
  Result<sqlite::Stmt> f =
      db_->Prepare("SELECT file, sha256, rows FROM batch_files WHERE batch_id = ?1 ORDER BY rowid");
  if (!f.ok()) return f.status();
  f->BindInt(1, b.id);
  while (true) {
    Result<bool> row = f->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    b.files.push_back({std::string(f->Text(0)), std::string(f->Text(1)), f->Int(2)});
  }
  return b;
}

Result<std::optional<BatchInfo>> SqliteStore::FindBatchByHash(std::string_view content_hash) {
  Result<sqlite::Stmt> s =
      db_->Prepare(std::string(kBatchColumns) + "WHERE content_hash = ?1 ORDER BY id LIMIT 1");
  if (!s.ok()) return s.status();
  s->BindText(1, content_hash);
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<BatchInfo>();
  Result<BatchInfo> b = ReadBatch(*s);
  if (!b.ok()) return b.status();
  return std::optional<BatchInfo>(std::move(*b));
}

Result<std::vector<BatchInfo>> SqliteStore::Batches() {
  Result<sqlite::Stmt> s = db_->Prepare(std::string(kBatchColumns) + "ORDER BY id");
  if (!s.ok()) return s.status();
  std::vector<BatchInfo> out;
  while (true) {
    Result<bool> row = s->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    Result<BatchInfo> b = ReadBatch(*s);
    if (!b.ok()) return b.status();
    out.push_back(std::move(*b));
  }
}

Result<bool> SqliteStore::HasRecord(TableId table, std::string_view key) {
  const TableSpec& t = Table(table);
  sqlite::Stmt& s = stmts_[static_cast<int>(table)].has;
  GT_RETURN_IF_ERROR(db_->PrepareCached(s, "looking up a record of " + std::string(t.name), [&] {
    return "SELECT 1 FROM " + QuoteName(t.name) + " WHERE record_key = ?1 AND current = 1 LIMIT 1";
  }));
  s.BindTextStatic(1, key);
  Result<bool> row = s.Step();
  s.Reset();
  return row;
}

Status SqliteStore::ScanCurrentAsOf(TableId table, int64_t as_of, const RowVisitor& visit) {
  // A key's versions are stored by batches in increasing order (a batch adds
  // at most one), so its latest version up to as_of is the one whose next
  // version, if any, came later. Each probe is a seek on (record_key, version).
  const std::string t = QuoteName(Table(table).name);
  return Scan(table,
              "AS r WHERE r.batch_id <= ?2 AND (r.current = 1 OR NOT EXISTS (SELECT 1 FROM " + t +
                  " AS n WHERE n.record_key = r.record_key AND n.version = r.version + 1 AND n.batch_id <= ?2)) "
                  "ORDER BY r.row_id",
              {}, visit, as_of);
}

Status SqliteStore::Scan(TableId table, const std::string& where, std::string_view key, const RowVisitor& visit,
                         int64_t as_of) {
  const TableSpec& t = Table(table);
  // A fresh statement per scan: a visitor may start another scan meanwhile.
  Result<sqlite::Stmt> s = db_->Prepare("SELECT batch_id, source_file, source_line, version" + FieldList(t) +
                                            " FROM " + QuoteName(t.name) + " " + where,
                                        "reading " + std::string(t.name));
  if (!s.ok()) return s.status();
  if (!key.empty()) s->BindTextStatic(1, key);
  if (as_of != 0) s->BindInt(2, as_of);
  const size_t n = t.fields.size();
  std::vector<std::string_view> values(n);
  StoredRow row;
  row.values = values;
  while (true) {
    Result<bool> more = s->Step();
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    row.batch_id = s->Int(0);
    row.source_file = s->Text(1);
    row.source_line = s->Int(2);
    row.version = static_cast<int32_t>(s->Int(3));
    for (size_t i = 0; i < n; ++i) values[i] = s->Text(kMetaColumns + static_cast<int>(i));
    GT_RETURN_IF_ERROR(visit(row));
  }
}

Result<int64_t> SqliteStore::CountCurrent(TableId table) {
  return db_->QueryInt("SELECT count(*) FROM " + QuoteName(Table(table).name) + " WHERE current = 1");
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteStore::CountCurrentBy(TableId table, int field) {
  const TableSpec& t = Table(table);
  if (field < 0 || field >= static_cast<int>(t.fields.size()))
    return Status::InvalidArgument(fmt::format("{}: no field {}", t.name, field));
  std::string col = QuoteName(t.fields[field].name);
  Result<sqlite::Stmt> s = db_->Prepare("SELECT coalesce(" + col + ", ''), count(*) FROM " +
                                        QuoteName(t.name) + " WHERE current = 1 GROUP BY 1 ORDER BY 1");
  if (!s.ok()) return s.status();
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    Result<bool> row = s->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.emplace_back(std::string(s->Text(0)), s->Int(1));
  }
}

Result<std::optional<std::pair<std::string, std::string>>> SqliteStore::RangeCurrent(TableId table,
                                                                                     int field) {
  const TableSpec& t = Table(table);
  if (field < 0 || field >= static_cast<int>(t.fields.size()))
    return Status::InvalidArgument(fmt::format("{}: no field {}", t.name, field));
  std::string col = QuoteName(t.fields[field].name);
  Result<sqlite::Stmt> s = db_->Prepare("SELECT min(" + col + "), max(" + col + ") FROM " +
                                        QuoteName(t.name) + " WHERE current = 1 AND " + col + " IS NOT NULL");
  if (!s.ok()) return s.status();
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return Status::Internal("store '" + location_ + "': no result from min/max of " + std::string(t.name));
  if (s->IsNull(0)) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>(
      std::pair(std::string(s->Text(0)), std::string(s->Text(1))));
}

//===----------------------------------------------------------------------===//
// Factory
//===----------------------------------------------------------------------===//

Result<std::unique_ptr<Store>> NewSqliteStore(const std::string& path, OpenMode mode,
                                              const StoreOptions& options, const SqliteTuning& tuning) {
  auto store = std::make_unique<SqliteStore>(path, options, tuning);
  GT_RETURN_IF_ERROR(store->Open(mode));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace goldthread
