#include "store/published_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "store/sqlite_util.h"

namespace goldthread {
namespace {

constexpr const char* kCreate =
    "CREATE TABLE IF NOT EXISTS published_measures ("
    " year TEXT NOT NULL, ons_code TEXT NOT NULL, council TEXT NOT NULL, measure TEXT NOT NULL,"
    " disaggregation TEXT NOT NULL, measure_type TEXT NOT NULL, value REAL NOT NULL, description TEXT,"
    " source TEXT, PRIMARY KEY (year, ons_code, measure, disaggregation, measure_type))";

}  // namespace

Result<std::unique_ptr<PublishedStore>> PublishedStore::Open(const std::string& location,
                                                             int busy_timeout_ms) {
  if (location.rfind("postgresql://", 0) == 0)
    return Status::Unsupported("published data is kept in SQLite stores only, not '" + location + "'");
  struct stat st;
  if (::stat(location.c_str(), &st) != 0)
    return Status::NotFound("store '" + location + "' does not exist (run 'goldthread import " + location +
                            " DIR' first)");
  if (!S_ISREG(st.st_mode))
    return Status::InvalidArgument("store '" + location + "' is not a regular file (expected a store file)");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(location.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("cannot open store '" + location + "': " + msg);
  }
  // A writer holds the store for one transaction; wait for it, boundedly.
  sqlite3_busy_timeout(db, busy_timeout_ms);
  std::unique_ptr<PublishedStore> store(new PublishedStore(db, location));
  // The first read of the file: one that is not a database fails here.
  sqlite::Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(db, location,
                                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                                     "'schema_version'",
                                     s, "reading its schema"));
  Result<bool> row = sqlite::Step(db, location, s.get(), "reading its schema");
  if (!row.ok()) return row.status();
  if (!*row || sqlite3_column_int64(s.get(), 0) == 0)
    return Status::Corruption("store '" + location + "' is not a goldthread store (no schema_version table)");
  return store;
}

PublishedStore::~PublishedStore() { sqlite3_close(db_); }

Result<bool> PublishedStore::HasTable() {
  sqlite::Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, location_,
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'published_measures'", s,
      "looking for published_measures"));
  Result<bool> row = sqlite::Step(db_, location_, s.get(), "looking for published_measures");
  if (!row.ok()) return row.status();
  return *row && sqlite3_column_int64(s.get(), 0) > 0;
}

Status PublishedStore::Replace(const std::vector<PublishedRow>& rows, const std::string& source) {
  GT_RETURN_IF_ERROR(sqlite::Exec(db_, location_, "BEGIN IMMEDIATE", "starting to store published figures"));
  auto store = [&]() -> Status {
    GT_RETURN_IF_ERROR(sqlite::Exec(db_, location_, kCreate, "creating published_measures"));
    sqlite::Stmt ins;
    GT_RETURN_IF_ERROR(sqlite::Prepare(db_, location_,
                                       "INSERT OR REPLACE INTO published_measures (year, ons_code, council, "
                                       "measure, disaggregation, measure_type, value, description, source) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                       ins, "storing published figures"));
    for (const PublishedRow& r : rows) {
      sqlite3_reset(ins.get());
      const std::string* text[] = {&r.year,    &r.ons_code,       &r.council,
                                   &r.measure, &r.disaggregation, &r.measure_type};
      for (int i = 0; i < 6; ++i)
        sqlite3_bind_text(ins.get(), i + 1, text[i]->data(), static_cast<int>(text[i]->size()),
                          SQLITE_STATIC);
      sqlite3_bind_double(ins.get(), 7, r.value);
      sqlite::BindText(ins.get(), 8, r.description);
      sqlite::BindText(ins.get(), 9, source);
      Result<bool> done = sqlite::Step(db_, location_, ins.get(), "storing published figures");
      if (!done.ok()) return done.status();
    }
    return sqlite::Exec(db_, location_, "COMMIT", "committing published figures");
  };
  Status s = store();
  if (!s.ok()) (void)sqlite::Exec(db_, location_, "ROLLBACK", "rolling back");
  return s;
}

Result<std::map<std::string, std::string>> PublishedStore::CodesByDescription() {
  std::map<std::string, std::string> out;
  Result<bool> has = HasTable();
  if (!has.ok()) return has.status();
  if (!*has) return out;
  sqlite::Stmt q;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, location_,
      "SELECT DISTINCT description, measure FROM published_measures WHERE description IS NOT NULL", q,
      "reading published_measures"));
  for (;;) {
    Result<bool> row = sqlite::Step(db_, location_, q.get(), "reading published_measures");
    if (!row.ok()) return row.status();
    if (!*row) break;
    out[std::string(sqlite::ColumnText(q.get(), 0))] = std::string(sqlite::ColumnText(q.get(), 1));
  }
  return out;
}

Result<std::vector<PublishedValue>> PublishedStore::Values() {
  std::vector<PublishedValue> out;
  Result<bool> has = HasTable();
  if (!has.ok()) return has.status();
  if (!*has) return out;
  sqlite::Stmt q;
  GT_RETURN_IF_ERROR(
      sqlite::Prepare(db_, location_,
                      "SELECT year, ons_code, council, measure, disaggregation, measure_type, value "
                      "FROM published_measures ORDER BY measure, disaggregation, ons_code, year",
                      q, "reading published_measures"));
  std::map<std::string, size_t> index;
  for (;;) {
    Result<bool> row = sqlite::Step(db_, location_, q.get(), "reading published_measures");
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto text = [&](int c) { return std::string(sqlite::ColumnText(q.get(), c)); };
    std::string key = text(3) + "\x1f" + text(4) + "\x1f" + text(1) + "\x1f" + text(0);
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) out.push_back({text(0), text(1), text(2), text(3), text(4)});
    PublishedValue& v = out[it->second];
    const std::string type = text(5);
    const double value = sqlite3_column_double(q.get(), 6);
    if (type == "Outcome")
      v.outcome = value;
    else if (type == "Numerator")
      v.numerator = value;
    else if (type == "Denominator")
      v.denominator = value;
  }
  return out;
}

}  // namespace goldthread
