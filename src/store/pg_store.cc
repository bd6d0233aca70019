// The PostgreSQL store: opening (identify, refuse, migrate), the writer
// lock, read views and every read. Batches are written in pg_batch.cc, runs
// in pg_runs.cc, users and sessions in pg_auth.cc.

#include "store/pg_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "store/pg_migrations.h"
#include "store/pg_scan.h"
#include "store/pg_store_impl.h"

namespace goldthread {
namespace {

using pg::Params;
using pg::QuoteName;

constexpr const char* kBatchColumns =
    "SELECT id, imported_at, imported_by, source, content_hash, rows_stored, rows_unchanged, rows_rejected "
    "FROM import_batches ";

}  // namespace

bool IsPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

//===----------------------------------------------------------------------===//
// Opening
//===----------------------------------------------------------------------===//

PgStore::~PgStore() {
  // An open batch's writer rolls back in its own destructor; a first import
  // that never committed ends here, and with it its tables.
  if (conn_ && building_) (void)conn_->Run("ROLLBACK", "abandoning the new store");
}

Result<int> PgStore::ReadSchemaVersion() {
  // The store's tables are those of the connection's current schema (the
  // first of search_path: "public" unless the role or URL says otherwise).
  Result<pg::Rows> r = conn_->Exec(
      "SELECT to_regclass('schema_version') IS NOT NULL, "
      "(SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema())",
      "reading its schema version");
  if (!r.ok()) return r.status();
  int version = 0;
  if (r->Text(0, 0) != "t") {
    if (r->Int(0, 1) > 0)
      return Status::Corruption("store '" + label_ +
                                "' is not a goldthread store (the database has tables but no schema_version table)");
  } else {
    Result<int64_t> v =
        conn_->QueryInt("SELECT coalesce(max(version), 0) FROM schema_version", Params(), "reading its schema version");
    if (!v.ok()) return v.status();
    version = static_cast<int>(*v);
  }
  if (version > kStoreSchemaVersion)
    return Status::Unsupported(
        fmt::format("store '{}' has schema version {}, newer than version {} that this goldthread knows "
                    "(upgrade goldthread to open it)",
                    label_, version, kStoreSchemaVersion));
  return version;
}

Status PgStore::Open(OpenMode mode) {
  Result<std::unique_ptr<pg::Conn>> conn = pg::Conn::Open(url_, label_);
  if (!conn.ok()) return conn.status();
  conn_ = std::move(*conn);
  Result<int> version = ReadSchemaVersion();
  if (!version.ok()) return version.status();
  if (*version == 0 && mode == OpenMode::kMustExist)
    return Status::NotFound("store '" + label_ + "' holds no goldthread data (run 'goldthread import " + label_ +
                            " DIR' first)");
  if (*version == 0 && mode == OpenMode::kCreateWithFirstBatch) {
    // The tables are made in the first batch's transaction, which takes the
    // writer lock now: a second first import waits for this one.
    GT_RETURN_IF_ERROR(conn_->Run("BEGIN", "starting the new store"));
    building_ = true;
    if (Status s = Migrate(true); !s.ok()) {
      (void)conn_->Run("ROLLBACK", "abandoning the new store");
      building_ = false;
      return s;
    }
  } else if (*version < kStoreSchemaVersion) {
    GT_RETURN_IF_ERROR(Migrate(false));
  }
  schema_version_ = kStoreSchemaVersion;
  return Status::Ok();
}

Status PgStore::Migrate(bool in_transaction) {
  if (!in_transaction) GT_RETURN_IF_ERROR(conn_->Run("BEGIN", "starting the migration"));
  Status s = AcquireLock(kLockWriter, "starting the migration");
  // Another process may have migrated the store while this one waited.
  Result<int> from = s.ok() ? ReadSchemaVersion() : Result<int>(s);
  s = from.status();
  bool applied = false;
  if (s.ok()) {
    for (const PgMigration& m : PgMigrations()) {
      if (m.version <= *from) continue;
      s = m.apply(*conn_);
      if (!s.ok()) {
        if (s.code() != StatusCode::kBusy)
          s = Status::IOError(fmt::format("migrating to schema version {} ({}): {}", m.version, m.what, s.message()));
        break;
      }
      applied = true;
    }
  }
  if (s.ok() && applied) {
    s = conn_->Run("DELETE FROM schema_version", "recording the schema version");
    if (s.ok())
      s = conn_->Run("INSERT INTO schema_version (version) VALUES ($1)", Params().Int(kStoreSchemaVersion),
                     "recording the schema version");
  }
  if (in_transaction) {
    // A first import whose database another import made a store meanwhile:
    // nothing to build, so no transaction to keep open.
    if (s.ok() && !applied) {
      building_ = false;
      return conn_->Run("COMMIT", "opening the store");
    }
    return s;
  }
  if (s.ok())
    s = conn_->Run("COMMIT", from.ok() && *from == 0 ? std::string("creating the store's tables")
                                                   : fmt::format("migrating the store to schema version {}",
                                                                 kStoreSchemaVersion));
  if (!s.ok()) (void)conn_->Run("ROLLBACK", "abandoning the migration");
  return s;
}

Status PgStore::AcquireLock(int key, std::string_view what) {
  using Clock = std::chrono::steady_clock;
  using std::chrono::milliseconds;
  const Clock::time_point start = Clock::now();
  bool announced = false;
  for (int count = 0;; ++count) {
    Result<pg::Rows> got = conn_->Exec("SELECT pg_try_advisory_xact_lock($1, $2)",
                                       Params().Int(kLockSpace).Int(key), what);
    if (!got.ok()) return got.status();
    if (got->Text(0, 0) == "t") return Status::Ok();
    const auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    if (waited >= options_.wait)
      return Status::Busy(fmt::format("store '{}': {}: in use by another process (gave up after waiting {} s)", label_,
                                      what, std::chrono::round<std::chrono::seconds>(waited).count()));
    if (!announced && waited >= milliseconds(500) && options_.on_wait) {
      announced = true;
      options_.on_wait(fmt::format("store '{}' is in use by another process (an import?); waiting up to {} s", label_,
                                   std::chrono::ceil<std::chrono::seconds>(options_.wait).count()));
    }
    // As the SQLite store's busy handler: short sleeps first, then 100 ms.
    constexpr int kSleepMs[] = {1, 2, 5, 10, 20, 50};
    const milliseconds nap{count < 6 ? kSleepMs[count] : 100};
    std::this_thread::sleep_for(std::min(nap, options_.wait - waited));
  }
}

//===----------------------------------------------------------------------===//
// Read views
//===----------------------------------------------------------------------===//

namespace {

class PgReadView : public ReadView {
 public:
  explicit PgReadView(PgStore* store) : store_(store) {}
  ~PgReadView() override { store_->EndRead(); }

 private:
  PgStore* store_;
};

}  // namespace

Result<std::unique_ptr<ReadView>> PgStore::BeginRead() {
  if (batch_open_) return Status::Internal("store '" + label_ + "': a read view cannot start inside a batch");
  if (read_open_) return Status::Internal("store '" + label_ + "': a read view is already open");
  // A first import's open transaction is one state already.
  if (!building_) {
    GT_RETURN_IF_ERROR(conn_->Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a read"));
    // The snapshot is taken at the transaction's first statement: now.
    if (Status s = conn_->Run("SELECT count(*) FROM schema_version", "starting a read"); !s.ok()) {
      (void)conn_->Run("ROLLBACK", "ending a read");
      return s;
    }
  }
  read_open_ = true;
  return std::unique_ptr<ReadView>(std::make_unique<PgReadView>(this));
}

void PgStore::EndRead() {
  if (!building_) (void)conn_->Run("COMMIT", "ending a read");  // read-only: nothing to lose
  read_open_ = false;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

Result<pg::Conn*> PgStore::Ready() {
  if (writer_) GT_RETURN_IF_ERROR(writer_->Flush());
  return conn_.get();
}

Result<std::vector<BatchInfo>> PgStore::QueryBatches(std::string_view where, const Params& params) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  Result<pg::Rows> r = (*db)->Exec(std::string(kBatchColumns) + std::string(where), params, "reading batches");
  if (!r.ok()) return r.status();
  std::vector<BatchInfo> out;
  for (int i = 0; i < r->size(); ++i) {
    BatchInfo b;
    b.id = r->Int(i, 0);
    Timestamp at;
    b.imported_at = TryParseTimestamp(r->Text(i, 1), at) ? at : kNullTimestamp;
    b.imported_by = r->Text(i, 2);
    b.source = r->Text(i, 3);
    b.content_hash = r->Text(i, 4);
    b.rows_stored = r->Int(i, 5);
    b.rows_unchanged = r->Int(i, 6);
    b.rows_rejected = r->Int(i, 7);
    out.push_back(std::move(b));
  }
  if (out.empty()) return out;
  // Every batch's files in one query, in the order they were recorded.
  Result<pg::Rows> f = (*db)->Exec(
      "SELECT batch_id, file, sha256, \"rows\" FROM batch_files WHERE batch_id BETWEEN $1 AND $2 ORDER BY id",
      Params().Int(out.front().id).Int(out.back().id), "reading batches' files");
  if (!f.ok()) return f.status();
  for (int i = 0; i < f->size(); ++i) {
    const int64_t id = f->Int(i, 0);
    auto b = std::lower_bound(out.begin(), out.end(), id, [](const BatchInfo& x, int64_t v) { return x.id < v; });
    if (b != out.end() && b->id == id)
      b->files.push_back({std::string(f->Text(i, 1)), std::string(f->Text(i, 2)), f->Int(i, 3)});
  }
  return out;
}

Result<std::optional<BatchInfo>> PgStore::FindBatchByHash(std::string_view content_hash) {
  Result<std::vector<BatchInfo>> b =
      QueryBatches("WHERE content_hash = $1 ORDER BY id LIMIT 1", Params().Text(content_hash));
  if (!b.ok()) return b.status();
  if (b->empty()) return std::optional<BatchInfo>();
  return std::optional<BatchInfo>(std::move(b->front()));
}

Result<std::vector<BatchInfo>> PgStore::Batches() { return QueryBatches("ORDER BY id", Params()); }

Result<bool> PgStore::HasRecord(TableId table, std::string_view key) {
  pg::Conn* db = conn_.get();
  if (writer_) {
    // The open batch's own keys are current too (as on SQLite, where the
    // batch's rows are in the table), known without a round trip. The
    // rest is the store before the batch: asked on a second connection,
    // so the batch's COPY goes on (an import asks this for every
    // reference it has not seen yet).
    if (writer_->tables_[static_cast<int>(table)].keys.Contains(key)) return true;
    if (building_) return false;  // a first import: there was nothing before it
    if (!lookup_) {
      Result<std::unique_ptr<pg::Conn>> c = pg::Conn::Open(url_, label_);
      if (!c.ok()) return c.status();
      lookup_ = std::move(*c);
    }
    db = lookup_.get();
  }
  const TableSpec& t = Table(table);
  Result<pg::Rows> r =
      db->Exec("SELECT 1 FROM " + QuoteName(t.name) + " WHERE record_key = $1 AND current = 1 LIMIT 1",
               Params().Text(key), "looking up a record of " + std::string(t.name));
  if (!r.ok()) return r.status();
  return r->size() > 0;
}

Status PgStore::ScanCurrent(TableId table, const RowVisitor& visit) {
  return Scan(table, "WHERE current = 1 ORDER BY row_id", visit);
}

Status PgStore::ScanAllVersions(TableId table, const RowVisitor& visit) {
  return Scan(table, "ORDER BY row_id", visit);
}

Status PgStore::ScanCurrentAsOf(TableId table, int64_t as_of, const RowVisitor& visit) {
  // COPY takes no parameters: the batch goes in a setting of this session,
  // read by the query (a value, never SQL text). As on SQLite: a key's
  // latest version up to as_of is the one whose next version came later.
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  GT_RETURN_IF_ERROR((*db)->Run("SELECT set_config('goldthread.as_of', $1, false)",
                                Params().Int(as_of), "reading as of a batch"));
  const std::string t = QuoteName(Table(table).name);
  return Scan(table,
              "AS r WHERE r.batch_id <= current_setting('goldthread.as_of')::bigint AND (r.current = 1 OR NOT EXISTS "
              "(SELECT 1 FROM " +
                  t +
                  " AS n WHERE n.record_key = r.record_key AND n.version = r.version + 1 AND "
                  "n.batch_id <= current_setting('goldthread.as_of')::bigint)) ORDER BY r.row_id",
              visit);
}

Status PgStore::Scan(TableId table, std::string_view from_where, const RowVisitor& visit) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  const TableSpec& t = Table(table);
  const std::string sql = "COPY (SELECT batch_id, source_file, source_line, version" + PgFieldList(t) + " FROM " +
                          QuoteName(t.name) + " " + std::string(from_where) + ") TO STDOUT (FORMAT binary)";
  pg::BinaryRowReader reader(t.fields.size(), visit);
  GT_RETURN_IF_ERROR((*db)->CopyOut(sql, "reading " + std::string(t.name),
                                    [&](std::string_view data) { return reader.Feed(data); }));
  return reader.Finish("store '" + label_ + "': reading " + std::string(t.name));
}

Status PgStore::ScanHistory(TableId table, std::string_view key, const RowVisitor& visit) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  const TableSpec& t = Table(table);
  Result<pg::Rows> r = (*db)->Exec("SELECT batch_id, source_file, source_line, version" + PgFieldList(t) + " FROM " +
                                       QuoteName(t.name) + " WHERE record_key = $1 ORDER BY version",
                                   Params().Text(key), "reading " + std::string(t.name));
  if (!r.ok()) return r.status();
  const int n = static_cast<int>(t.fields.size());
  std::vector<std::string_view> values(static_cast<size_t>(n));
  StoredRow row;
  row.values = values;
  for (int i = 0; i < r->size(); ++i) {
    row.batch_id = r->Int(i, 0);
    row.source_file = r->Text(i, 1);
    row.source_line = r->Int(i, 2);
    row.version = static_cast<int32_t>(r->Int(i, 3));
    for (int f = 0; f < n; ++f) values[static_cast<size_t>(f)] = r->Text(i, 4 + f);
    GT_RETURN_IF_ERROR(visit(row));
  }
  return Status::Ok();
}

Result<int64_t> PgStore::CountCurrent(TableId table) {
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  const TableSpec& t = Table(table);
  return (*db)->QueryInt("SELECT count(*) FROM " + QuoteName(t.name) + " WHERE current = 1", Params(),
                         "counting " + std::string(t.name));
}

Result<std::vector<std::pair<std::string, int64_t>>> PgStore::CountCurrentBy(TableId table, int field) {
  const TableSpec& t = Table(table);
  if (field < 0 || field >= static_cast<int>(t.fields.size()))
    return Status::InvalidArgument(fmt::format("{}: no field {}", t.name, field));
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  const std::string col = QuoteName(t.fields[static_cast<size_t>(field)].name);
  // COLLATE "C": byte order, as SQLite's text order.
  Result<pg::Rows> r = (*db)->Exec("SELECT coalesce(" + col + ", '') COLLATE \"C\" AS v, count(*) FROM " +
                                       QuoteName(t.name) + " WHERE current = 1 GROUP BY 1 ORDER BY 1",
                                   "counting " + std::string(t.name));
  if (!r.ok()) return r.status();
  std::vector<std::pair<std::string, int64_t>> out;
  for (int i = 0; i < r->size(); ++i) out.emplace_back(std::string(r->Text(i, 0)), r->Int(i, 1));
  return out;
}

Result<std::optional<std::pair<std::string, std::string>>> PgStore::RangeCurrent(TableId table, int field) {
  const TableSpec& t = Table(table);
  if (field < 0 || field >= static_cast<int>(t.fields.size()))
    return Status::InvalidArgument(fmt::format("{}: no field {}", t.name, field));
  Result<pg::Conn*> db = Ready();
  if (!db.ok()) return db.status();
  const std::string col = QuoteName(t.fields[static_cast<size_t>(field)].name) + " COLLATE \"C\"";
  Result<pg::Rows> r = (*db)->Exec("SELECT min(" + col + "), max(" + col + ") FROM " + QuoteName(t.name) +
                                       " WHERE current = 1",
                                   "reading the range of " + std::string(t.name));
  if (!r.ok()) return r.status();
  if (r->size() == 0 || r->IsNull(0, 0)) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>(
      std::pair(std::string(r->Text(0, 0)), std::string(r->Text(0, 1))));
}

//===----------------------------------------------------------------------===//
// Factory
//===----------------------------------------------------------------------===//

Result<std::unique_ptr<Store>> NewPostgresStore(const std::string& url, OpenMode mode, const StoreOptions& options) {
  auto store = std::make_unique<PgStore>(url, options);
  GT_RETURN_IF_ERROR(store->Open(mode));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace goldthread
