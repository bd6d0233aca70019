#pragma once
// Test helpers shared by the store's tests: a fresh store path, a batch's
// info and a few rows; and BackendTest, which runs a suite against both
// stores (SQLite, and PostgreSQL when GOLDTHREAD_TEST_PG names a server:
// scripts/pg_test_server.sh starts one and sets it).

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"
#ifdef GOLDTHREAD_HAVE_POSTGRES
#include "store/pg_db.h"
#endif

namespace goldthread::store_test {

/// A path under the test temp dir, one per name and process (ctest runs
/// tests in parallel, and CI more than one build's tests at once), with no
/// store (nor -wal, -shm, -journal, nor a half-built first import) left
/// from an earlier run.
inline std::string TempStore(const std::string& name) {
  const std::string file = "store_test_" + name + "_" + std::to_string(::getpid()) + ".db";
  std::string path = testing::TempDir() + "/" + file;
  std::error_code ec;
  for (const char* s : {"", "-wal", "-shm", "-journal", ".snapshot", ".snapshot.lock"})
    std::filesystem::remove(path + s, ec);
  for (const auto& e : std::filesystem::directory_iterator(testing::TempDir(), ec))
    if (e.path().filename().string().starts_with(file + ".importing-"))
      std::filesystem::remove(e.path(), ec);
  return path;
}

inline std::unique_ptr<Store> MustOpen(const std::string& path, OpenMode mode = OpenMode::kCreateIfMissing,
                                       const StoreOptions& options = {}) {
  auto s = OpenStore(path, mode, options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

inline BatchInfo Info(const std::string& hash) {
  BatchInfo b;
  b.imported_at = 1712000000;  // 2024-04-01T19:33:20Z
  b.imported_by = "tester";
  b.source = "/data/x";
  b.content_hash = hash;
  return b;
}

using Row = std::vector<std::string_view>;
inline const Row kPerson1 = {"P1", "carer", "1960-01", "F", "", "", "", "full_time", ""};
inline const Row kPerson2 = {"P2", "service_user", "1940-05", "M", "", "", "", "", ""};
inline const Row kRequest1 = {"R1", "P1", "", "2024-04-02", "self", "", "", "T1", "", "", ""};

/// Commits one batch of people rows (kPerson1, kPerson2, ...).
inline void CommitPeople(Store& store, const std::string& hash, const std::vector<Row>& people) {
  auto w = store.BeginBatch(Info(hash));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  int64_t line = 2;
  for (const Row& p : people) ASSERT_TRUE((*w)->Add(TableId::kPeople, p, "people.csv", line++).ok());
  auto b = (*w)->Commit({{"people.csv", hash, static_cast<int64_t>(people.size())}}, 0);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
}

/// Commits a batch holding one org unit with no parent (as the dashboard's
/// user tests need: a unit to check --org-unit against).
inline void CommitOrgUnit(Store& store, std::string_view id, std::string_view name, std::string_view kind) {
  BatchInfo b;
  b.imported_at = 1;
  b.content_hash = "org unit " + std::string(id);
  auto w = store.BeginBatch(b);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  Row org(Table(TableId::kOrgUnits).fields.size(), "");
  org[0] = id;
  org[2] = name;
  org[3] = kind;
  ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, org, "org_units.csv", 2).ok());
  ASSERT_TRUE((*w)->Commit({}, 0).ok());
}

//===----------------------------------------------------------------------===//
// Both backends
//===----------------------------------------------------------------------===//

enum class Backend { kSqlite, kPostgres };

inline void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::kSqlite ? "SQLite" : "PostgreSQL"); }

inline std::string BackendName(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

/// The server the PostgreSQL tests use: GOLDTHREAD_TEST_PG, a URL whose
/// user may create databases (scripts/pg_test_server.sh), or "".
inline std::string PgTestUrl() {
  const char* url = std::getenv("GOLDTHREAD_TEST_PG");
  return url ? url : "";
}

/// base (postgresql://[auth@]host/db?params) naming database db instead,
/// and, when user is not empty, that user instead of the URL's.
inline std::string PgUrlFor(const std::string& base, const std::string& db, const std::string& user = "") {
  const size_t scheme = base.find("://");
  const size_t path = base.find('/', scheme + 3);
  const size_t query = base.find('?', scheme + 3);
  std::string authority = base.substr(0, std::min(path, query));
  if (!user.empty()) {
    if (size_t at = authority.find('@'); at != std::string::npos) authority.erase(scheme + 3, at - scheme - 2);
  }
  std::string out = authority + "/" + db;
  std::string params;
  if (query != std::string::npos) {
    std::string rest = base.substr(query + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      size_t amp = rest.find('&', start);
      std::string p = rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (!p.empty() && !(!user.empty() && p.starts_with("user="))) params += (params.empty() ? "" : "&") + p;
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  if (!user.empty()) params += (params.empty() ? "" : "&") + std::string("user=") + user;
  return params.empty() ? out : out + "?" + params;
}

/// A value-parameterised suite over both stores: TEST_P(Suite, ...) with
/// `class Suite : public BackendTest {};` and GT_INSTANTIATE_BACKENDS(Suite).
/// Without a server named, the PostgreSQL half skips, saying so.
class BackendTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!pg()) return;
#ifndef GOLDTHREAD_HAVE_POSTGRES
    GTEST_SKIP() << "built without PostgreSQL (GOLDTHREAD_WITH_POSTGRES=OFF)";
#else
    if (PgTestUrl().empty())
      GTEST_SKIP() << "GOLDTHREAD_TEST_PG is not set: no PostgreSQL server to test against "
                      "(scripts/pg_test_server.sh starts one)";
#endif
  }
  void TearDown() override {
#ifdef GOLDTHREAD_HAVE_POSTGRES
    for (const std::string& db : databases_) (void)Admin("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
#endif
  }
  bool pg() const { return GetParam() == Backend::kPostgres; }

  /// A fresh location with no store: a file path (SQLite), or a new, empty
  /// database's URL (PostgreSQL), one per name and process.
  std::string NewStore(const std::string& name) {
    if (!pg()) return TempStore(name);
    const std::string db = DatabaseName(name);
    EXPECT_EQ(Admin("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)"), "");
    EXPECT_EQ(Admin("CREATE DATABASE \"" + db + "\""), "");
    databases_.push_back(db);
    return PgUrlFor(PgTestUrl(), db);
  }

  /// The database NewStore(name) makes (PostgreSQL).
  static std::string DatabaseName(const std::string& name) {
    std::string db = "gt_" + name;
    for (char& c : db) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    return db.substr(0, 50) + "_" + std::to_string(::getpid());
  }

  /// Runs sql on the store at location behind goldthread's back: "" when
  /// it succeeded, else the database's own message.
  std::string Sql(const std::string& location, const std::string& sql);

  /// Runs sql on the test server's maintenance database.
  std::string Admin(const std::string& sql) { return Sql(PgTestUrl(), sql); }

 private:
  std::vector<std::string> databases_;
};

inline std::string BackendTest::Sql(const std::string& location, const std::string& sql) {
  if (!location.starts_with("postgres")) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(location.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string out = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return out;
  }
#ifdef GOLDTHREAD_HAVE_POSTGRES
  auto conn = pg::Conn::Open(location, "x");
  if (!conn.ok()) return conn.status().message();
  Status s = (*conn)->Run(sql, "sql");
  const std::string prefix = "store 'x': sql: ";
  return s.ok() ? "" : s.message().starts_with(prefix) ? s.message().substr(prefix.size()) : s.message();
#else
  return "built without PostgreSQL";
#endif
}

#define GT_INSTANTIATE_BACKENDS(suite)                                                                          \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                                     \
                           testing::Values(::goldthread::store_test::Backend::kSqlite,                          \
                                           ::goldthread::store_test::Backend::kPostgres),                       \
                           ::goldthread::store_test::BackendName)

}  // namespace goldthread::store_test
