#include "store/published_store.h"

#include <sys/stat.h>

#include <chrono>

namespace goldthread {
namespace {

constexpr const char* kCreate =
    "CREATE TABLE IF NOT EXISTS published_measures ("
    " year TEXT NOT NULL, ons_code TEXT NOT NULL, council TEXT NOT NULL, measure TEXT NOT NULL,"
    " disaggregation TEXT NOT NULL, measure_type TEXT NOT NULL, value REAL NOT NULL, description TEXT,"
    " source TEXT, PRIMARY KEY (year, ons_code, measure, disaggregation, measure_type))";

// Steps a query to its end, calling row(s) at each row.
template <typename F>
Status EachRow(sqlite::Stmt& s, F row) {
  for (;;) {
    Result<bool> more = s.Step();
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    row(s);
  }
}

}  // namespace

Result<std::unique_ptr<PublishedStore>> PublishedStore::Open(const std::string& location,
                                                             const StoreOptions& store_options) {
  if (location.rfind("postgresql://", 0) == 0)
    return Status::Unsupported("published data is kept in SQLite stores only, not '" + location + "'");
  struct stat st;
  if (::stat(location.c_str(), &st) != 0)
    return Status::NotFound("store '" + location + "' does not exist (run 'goldthread import " + location +
                            " DIR' first)");
  if (!S_ISREG(st.st_mode))
    return Status::InvalidArgument("store '" + location + "' is not a regular file (expected a store file)");
  // A writer holds the store for one transaction; wait for it, boundedly,
  // and say so, as every other command does (cli/cli_store.h).
  sqlite::ConnectionOptions options;
  options.wait = store_options.wait;
  options.on_wait = store_options.on_wait;
  Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(location, options);
  if (!db.ok()) return db.status();
  std::unique_ptr<PublishedStore> store(new PublishedStore(std::move(*db)));
  // The first read of the file: one that is not a database fails here.
  Result<int64_t> has_version = store->db_->QueryInt(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", "reading its schema");
  if (!has_version.ok()) return has_version.status();
  if (*has_version == 0)
    return Status::Corruption("store '" + location + "' is not a goldthread store (no schema_version table)");
  return store;
}

PublishedStore::~PublishedStore() = default;

Result<bool> PublishedStore::HasTable() {
  Result<int64_t> n =
      db_->QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'published_measures'",
                    "looking for published_measures");
  if (!n.ok()) return n.status();
  return *n > 0;
}

Status PublishedStore::Replace(const std::vector<PublishedRow>& rows, const std::string& source) {
  GT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE", "starting to store published figures"));
  auto store = [&]() -> Status {
    GT_RETURN_IF_ERROR(db_->Exec(kCreate, "creating published_measures"));
    Result<sqlite::Stmt> ins = db_->Prepare(
        "INSERT OR REPLACE INTO published_measures (year, ons_code, council, measure, disaggregation, "
        "measure_type, value, description, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        "storing published figures");
    if (!ins.ok()) return ins.status();
    for (const PublishedRow& r : rows) {
      ins->Reset();
      const std::string* text[] = {&r.year,    &r.ons_code,       &r.council,
                                   &r.measure, &r.disaggregation, &r.measure_type};
      for (int i = 0; i < 6; ++i) ins->BindTextStatic(i + 1, *text[i]);
      ins->BindDouble(7, r.value);
      ins->BindTextOrNullStatic(8, r.description);
      ins->BindTextOrNullStatic(9, source);
      GT_RETURN_IF_ERROR(ins->Run());
    }
    return db_->Exec("COMMIT", "committing published figures");
  };
  Status s = store();
  if (!s.ok()) (void)db_->Exec("ROLLBACK", "rolling back");
  return s;
}

Result<std::map<std::string, std::string>> PublishedStore::CodesByDescription() {
  std::map<std::string, std::string> out;
  Result<bool> has = HasTable();
  if (!has.ok()) return has.status();
  if (!*has) return out;
  Result<sqlite::Stmt> q = db_->Prepare(
      "SELECT DISTINCT description, measure FROM published_measures WHERE description IS NOT NULL",
      "reading published_measures");
  if (!q.ok()) return q.status();
  GT_RETURN_IF_ERROR(
      EachRow(*q, [&](const sqlite::Stmt& s) { out[std::string(s.Text(0))] = std::string(s.Text(1)); }));
  return out;
}

Result<std::vector<PublishedValue>> PublishedStore::Values() {
  std::vector<PublishedValue> out;
  Result<bool> has = HasTable();
  if (!has.ok()) return has.status();
  if (!*has) return out;
  Result<sqlite::Stmt> q =
      db_->Prepare("SELECT year, ons_code, council, measure, disaggregation, measure_type, value "
                   "FROM published_measures ORDER BY measure, disaggregation, ons_code, year",
                   "reading published_measures");
  if (!q.ok()) return q.status();
  std::map<std::string, size_t> index;
  GT_RETURN_IF_ERROR(EachRow(*q, [&](const sqlite::Stmt& s) {
    auto text = [&](int c) { return std::string(s.Text(c)); };
    std::string key = text(3) + "\x1f" + text(4) + "\x1f" + text(1) + "\x1f" + text(0);
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) out.push_back({text(0), text(1), text(2), text(3), text(4)});
    PublishedValue& v = out[it->second];
    const std::string type = text(5);
    const double value = s.Double(6);
    if (type == "Outcome")
      v.outcome = value;
    else if (type == "Numerator")
      v.numerator = value;
    else if (type == "Denominator")
      v.denominator = value;
  }));
  return out;
}

}  // namespace goldthread
