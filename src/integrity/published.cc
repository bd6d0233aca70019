#include "integrity/published.h"

#include <sqlite3.h>

#include <filesystem>
#include <map>

#include "ingest/csv.h"

namespace goldthread::integrity {
namespace {

int Column(std::span<const std::string_view> header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

bool TryNumber(std::string_view s, double& out) {
  if (s.empty() || s == "[x]" || s == "[c]" || s == "[z]") return false;
  std::string text(s);
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' && std::isfinite(out);
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<PublishedStore>> PublishedStore::Open(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0)
    return Status::Unsupported("published data is kept in SQLite stores only, not '" + location + "'");
  if (!std::filesystem::exists(location))
    return Status::NotFound("store '" + location + "' does not exist (run 'goldthread import " + location +
                            " DIR' first)");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(location.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("cannot open store '" + location + "': " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<PublishedStore> store(new PublishedStore(db));
  GT_RETURN_IF_ERROR(store->Exec(
      "CREATE TABLE IF NOT EXISTS published_measures ("
      " year TEXT NOT NULL, ons_code TEXT NOT NULL, council TEXT NOT NULL, measure TEXT NOT NULL,"
      " disaggregation TEXT NOT NULL, measure_type TEXT NOT NULL, value REAL NOT NULL, description TEXT,"
      " source TEXT, PRIMARY KEY (year, ons_code, measure, disaggregation, measure_type))"));
  return store;
}

PublishedStore::~PublishedStore() { sqlite3_close(db_); }

Status PublishedStore::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IOError("published_measures: " + msg);
  }
  return Status::Ok();
}

Result<PublishedImport> PublishedStore::ImportCsv(const std::string& path, const std::string& year) {
  std::string name = std::filesystem::path(path).filename().string();
  auto reader = CsvReader::Open(path, name);
  if (!reader.ok()) return reader.status();
  CsvReader& csv = **reader;
  if (!csv.Next()) return Status::InvalidArgument(name + ": empty file (expected a header row)");
  std::vector<std::string> header(csv.fields().begin(), csv.fields().end());
  std::vector<std::string_view> h(header.begin(), header.end());
  PublishedImport report;
  const int c_level = Column(h, "Geographical Level"), c_ons = Column(h, "ONS Code"),
            c_name = Column(h, "Geographical Description"), c_code = Column(h, "Measure Group"),
            c_desc = Column(h, "Measure Group Description"), c_dis = Column(h, "Disaggregation Level"),
            c_type = Column(h, "Measure Type"), c_value = Column(h, "Measure Value");
  const bool open_data = c_type >= 0 && c_code >= 0;
  if (c_level < 0 || c_ons < 0 || c_name < 0 || c_desc < 0 || c_dis < 0 || c_value < 0)
    return Status::InvalidArgument(name + ":1: not an ASCOF file (expected columns Geographical Level, ONS Code, "
                                          "Geographical Description, Measure Group Description, Disaggregation "
                                          "Level, Measure Value)");
  report.layout = open_data ? "open_data" : "processed";

  // Descriptions already known from open-data imports map processed rows to codes.
  std::map<std::string, std::string> code_of;
  {
    Statement q(db_, "SELECT DISTINCT description, measure FROM published_measures WHERE description IS NOT NULL");
    while (sqlite3_step(q.get()) == SQLITE_ROW)
      code_of[reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0))] =
          reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1));
  }
  GT_RETURN_IF_ERROR(Exec("BEGIN"));
  Statement ins(db_,
                "INSERT OR REPLACE INTO published_measures (year, ons_code, council, measure, disaggregation,"
                " measure_type, value, description, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  while (csv.Next()) {
    ++report.rows_read;
    auto f = csv.fields();
    if (static_cast<int>(f.size()) < static_cast<int>(header.size())) {
      (void)Exec("ROLLBACK");
      return Status::InvalidArgument(name + ":" + std::to_string(csv.line()) + ": expected " +
                                     std::to_string(header.size()) + " fields, got " + std::to_string(f.size()));
    }
    if (f[c_level] != "Council") continue;
    double v;
    if (!TryNumber(f[c_value], v)) {
      ++report.missing;
      continue;
    }
    std::string desc(f[c_desc]);
    std::string measure = open_data ? std::string(f[c_code]) : (code_of.count(desc) ? code_of[desc] : desc);
    std::string type = open_data ? std::string(f[c_type]) : "Outcome";
    std::string fields[] = {year, std::string(f[c_ons]), std::string(f[c_name]), measure, std::string(f[c_dis]), type};
    for (int i = 0; i < 6; ++i) sqlite3_bind_text(ins.get(), i + 1, fields[i].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins.get(), 7, v);
    sqlite3_bind_text(ins.get(), 8, desc.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.get(), 9, name.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins.get()) != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db_);
      (void)Exec("ROLLBACK");
      return Status::IOError("published_measures: " + msg);
    }
    sqlite3_reset(ins.get());
    ++report.values_stored;
  }
  if (!csv.status().ok()) {
    (void)Exec("ROLLBACK");
    return csv.status();
  }
  GT_RETURN_IF_ERROR(Exec("COMMIT"));
  return report;
}

Result<std::vector<PublishedValue>> PublishedStore::Values() {
  std::vector<PublishedValue> out;
  Statement q(db_,
              "SELECT year, ons_code, council, measure, disaggregation, measure_type, value FROM published_measures"
              " ORDER BY measure, disaggregation, ons_code, year");
  std::map<std::string, size_t> index;
  while (sqlite3_step(q.get()) == SQLITE_ROW) {
    auto text = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), c))); };
    std::string key = text(3) + "\x1f" + text(4) + "\x1f" + text(1) + "\x1f" + text(0);
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) out.push_back({text(0), text(1), text(2), text(3), text(4)});
    PublishedValue& v = out[it->second];
    std::string type = text(5);
    double value = sqlite3_column_double(q.get(), 6);
    if (type == "Outcome") v.outcome = value;
    else if (type == "Numerator") v.numerator = value;
    else if (type == "Denominator") v.denominator = value;
  }
  return out;
}

}  // namespace goldthread::integrity
