// Run records: what is kept, the retention of full results, and the
// migration that dropped the results older stores kept in full (issue 9).

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>

#include "core/sha256.h"
#include "store/sqlite_db.h"
#include "store/sqlite_migrations.h"
#ifdef GOLDTHREAD_HAVE_POSTGRES
#include "store/pg_migrations.h"
#endif
#include "store/store_test_util.h"

namespace goldthread::store_test {
namespace {

RunRecord MakeRun(const std::string& kind, const std::string& result = "") {
  RunRecord r;
  r.kind = kind;
  r.started_at = 1712000000;
  r.run_by = "ana";
  r.params_json = "{\"by\":\"month\"}";
  r.definitions_json = "[]";
  r.batch_ids = {1, 3};
  r.digests_json = "{\"x\":\"ab\"}";
  r.result_sha256 = "cd";
  r.result_bytes = 12;
  r.result_json = result;
  r.full_result = !result.empty();
  return r;
}

class StoreRunsBackendTest : public BackendTest {};
GT_INSTANTIATE_BACKENDS(StoreRunsBackendTest);

// The runs 1..n that kept their result_json, with it.
std::vector<std::pair<int64_t, std::string>> KeptResults(Store& store, int64_t n) {
  std::vector<std::pair<int64_t, std::string>> out;
  for (int64_t id = 1; id <= n; ++id) {
    auto run = store.FindRun(id);
    EXPECT_TRUE(run.ok() && run->has_value()) << id;
    if (run.ok() && run->has_value() && !(*run)->result_json.empty()) out.emplace_back(id, (*run)->result_json);
  }
  return out;
}

TEST_P(StoreRunsBackendTest, RoundTripWithoutTheResult) {
  auto store = MustOpen(NewStore("runs"));
  EXPECT_FALSE(store->LatestRun("compute")->has_value());
  ASSERT_EQ(*store->SaveRun(MakeRun("compute")), 1);
  auto latest = store->LatestRun("compute");
  ASSERT_TRUE(latest.ok() && latest->has_value());
  const RunRecord& r = **latest;
  EXPECT_EQ(r.id, 1);
  EXPECT_EQ(r.started_at, 1712000000);
  EXPECT_EQ(r.run_by, "ana");
  EXPECT_EQ(r.params_json, "{\"by\":\"month\"}");
  EXPECT_EQ(r.batch_ids, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(r.digests_json, "{\"x\":\"ab\"}");
  EXPECT_EQ(r.result_sha256, "cd");
  EXPECT_EQ(r.result_bytes, 12);
  EXPECT_EQ(r.result_json, "");
  EXPECT_FALSE(store->LatestRun("check")->has_value());
}

// At most one full result per kind: a kept result replaces the one kept
// before; other kinds' are left alone.
TEST_P(StoreRunsBackendTest, OneKeptResultPerKind) {
  const std::string path = NewStore("runs_kept");
  auto store = MustOpen(path);
  ASSERT_EQ(*store->SaveRun(MakeRun("compute", "{\"first\":1}")), 1);
  ASSERT_EQ(*store->SaveRun(MakeRun("check", "{\"findings\":[]}")), 2);
  ASSERT_EQ(*store->SaveRun(MakeRun("compute", "{\"second\":2}")), 3);
  ASSERT_EQ(*store->SaveRun(MakeRun("compute")), 4);
  store = MustOpen(path, OpenMode::kMustExist);
  EXPECT_EQ(KeptResults(*store, 4),
            (std::vector<std::pair<int64_t, std::string>>{{2, "{\"findings\":[]}"}, {3, "{\"second\":2}"}}));
}

// A summary (the report's analysis run) is not a full result: every run of
// its kind keeps its own, and a full result kept by another kind drops none.
TEST_P(StoreRunsBackendTest, SummariesAreKeptByEveryRun) {
  const std::string path = NewStore("runs_summaries");
  auto store = MustOpen(path);
  RunRecord a = MakeRun("analysis"), b = MakeRun("analysis");
  a.result_json = "{\"breaks\":[],\"findings\":3}";
  b.result_json = "{\"breaks\":[],\"findings\":4}";
  ASSERT_EQ(*store->SaveRun(a), 1);
  ASSERT_EQ(*store->SaveRun(MakeRun("compute", "{\"full\":1}")), 2);
  ASSERT_EQ(*store->SaveRun(b), 3);
  ASSERT_EQ(*store->SaveRun(MakeRun("compute", "{\"full\":2}")), 4);
  store = MustOpen(path, OpenMode::kMustExist);
  EXPECT_EQ(KeptResults(*store, 4), (std::vector<std::pair<int64_t, std::string>>{{1, a.result_json},
                                                                 {3, b.result_json},
                                                                 {4, "{\"full\":2}"}}));
}

TEST(StoreRunsTest, MigrationsEndAtTheCurrentVersion) {
  auto m = Migrations();
  ASSERT_FALSE(m.empty());
  for (size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].version, static_cast<int>(i) + 1);
  EXPECT_EQ(m.back().version, kStoreSchemaVersion);
#ifdef GOLDTHREAD_HAVE_POSTGRES
  // The PostgreSQL store's twins of the same versions (pg_migrations.h).
  auto p = PgMigrations();
  ASSERT_FALSE(p.empty());
  for (size_t i = 0; i < p.size(); ++i) EXPECT_EQ(p[i].version, static_cast<int>(i) + 1);
  EXPECT_EQ(p.back().version, kStoreSchemaVersion);
#endif
}

// A schema version 1 store, as the goldthread before this made them.
void MakeVersion1Store(const std::string& path) {
  sqlite::ConnectionOptions create;
  create.create = true;
  auto db = sqlite::Db::Open(path, create);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL").ok());
  ASSERT_TRUE(MigrateTo1(**db).ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO schema_version VALUES (1)").ok());
}

// Two processes open an old store at once: the one that waited for the
// other's migration finds it done and does not apply it again.
TEST(StoreRunsTest, MigrationByAnotherProcessMeanwhile) {
  const std::string path = TempStore("runs_migrated_meanwhile");
  MakeVersion1Store(path);
  auto other = sqlite::Db::Open(path, {});
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Exec("BEGIN IMMEDIATE").ok());
  std::promise<void> waiting;
  StoreOptions options;
  options.on_wait = [&](const std::string&) { waiting.set_value(); };
  auto opened =
      std::async(std::launch::async, [&] { return OpenStore(path, OpenMode::kMustExist, options); });
  waiting.get_future().wait();  // blocked on the other's transaction
  for (const Migration& m : Migrations()) {
    if (m.version > 1) {
      ASSERT_TRUE(m.apply(**other).ok()) << m.what;
    }
  }
  ASSERT_TRUE((*other)->Exec("UPDATE schema_version SET version = " + std::to_string(kStoreSchemaVersion) +
                             "; COMMIT")
                  .ok());
  auto store = opened.get();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->schema_version(), kStoreSchemaVersion);
  EXPECT_EQ(*(*other)->QueryInt("SELECT max(version) FROM schema_version"), kStoreSchemaVersion);
}

// A store made by a goldthread that kept every run's JSON (schema version 1)
// is migrated on open: each old run keeps the SHA-256 and length of its
// JSON and loses the JSON, and the file shrinks to what is left.
TEST(StoreRunsTest, MigrationDropsOldResultsAndShrinksTheStore) {
  const std::string path = TempStore("runs_v1");
  std::vector<std::string> results;
  MakeVersion1Store(path);
  {
    auto db = sqlite::Db::Open(path, {});
    ASSERT_TRUE(db.ok());
    auto ins = (*db)->Prepare(
        "INSERT INTO runs (kind, started_at, run_by, params_json, definitions_json, batch_ids, result_json) "
        "VALUES ('compute', '2024-04-01T19:33:20Z', 'ana', '{}', '[]', '1', ?1)");
    ASSERT_TRUE(ins.ok());
    for (int i = 0; i < 22; ++i) {
      // 300 kB each, different per run.
      std::string json = "{\"run\":" + std::to_string(i) + ",\"figures\":\"";
      for (int k = 0; k < 300000; ++k) json += static_cast<char>('a' + (k * 7 + i) % 26);
      json += "\"}";
      results.push_back(json);
      ins->Reset();
      ins->BindText(1, json);
      ASSERT_TRUE(ins->Run().ok());
    }
  }
  const auto before = std::filesystem::file_size(path);
  EXPECT_GT(before, 22u * 300000u);
  {
    auto store = MustOpen(path, OpenMode::kMustExist);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->schema_version(), kStoreSchemaVersion);
    auto latest = store->LatestRun("compute");
    ASSERT_TRUE(latest.ok() && latest->has_value());
    EXPECT_EQ((*latest)->id, 22);
    EXPECT_EQ((*latest)->result_json, "");
    EXPECT_EQ((*latest)->digests_json, "{}");
    EXPECT_EQ((*latest)->result_sha256, Sha256Of(results[21]));
    EXPECT_EQ((*latest)->result_bytes, static_cast<int64_t>(results[21].size()));
  }
  auto db = sqlite::Db::Open(path, {});
  ASSERT_TRUE(db.ok());
  auto runs =
      (*db)->Prepare("SELECT id, result_sha256, result_bytes, length(result_json) FROM runs ORDER BY id");
  ASSERT_TRUE(runs.ok());
  int n = 0;
  while (*runs->Step()) {
    EXPECT_EQ(runs->Text(1), Sha256Of(results[n])) << "run " << runs->Int(0);
    EXPECT_EQ(runs->Int(2), static_cast<int64_t>(results[n].size()));
    EXPECT_EQ(runs->Int(3), 0);
    ++n;
  }
  EXPECT_EQ(n, 22);
  // VACUUM ran: the 6.6 MB of JSON are gone from the file, not only freed
  // (without it the file stays at `before`; what remains is the schema's
  // pages, which grow with each migration's tables: about 1.2 MB at v4).
  EXPECT_LT(std::filesystem::file_size(path), before / 4) << "before: " << before;
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA freelist_count"), 0);
}

// A store of schema version 2 (the dashboard's tables, runs keeping their
// JSON): compute's JSON goes, the report's analysis summary stays, since
// the next report reads its version breaks.
TEST(StoreRunsTest, MigrationFromVersion2KeepsTheAnalysisSummary) {
  const std::string path = TempStore("runs_v2");
  MakeVersion1Store(path);
  const std::string summary = "{\"breaks\":[{\"id\":\"x\",\"version\":2}],\"findings\":1}";
  const std::string figures = "{\"indicators\":[]}";
  {
    auto db = sqlite::Db::Open(path, {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(MigrateTo2(**db).ok());
    ASSERT_TRUE((*db)->Exec("UPDATE schema_version SET version = 2").ok());
    auto ins = (*db)->Prepare(
        "INSERT INTO runs (kind, started_at, run_by, params_json, definitions_json, batch_ids, result_json) "
        "VALUES (?1, '2024-04-01T19:33:20Z', 'ana', '{}', '[]', '1', ?2)");
    ASSERT_TRUE(ins.ok());
    for (const auto& [kind, json] : {std::pair{"compute", figures}, std::pair{"analysis", summary}}) {
      ins->Reset();
      ins->BindText(1, kind);
      ins->BindText(2, json);
      ASSERT_TRUE(ins->Run().ok());
    }
  }
  auto store = MustOpen(path, OpenMode::kMustExist);
  ASSERT_TRUE(store);
  auto compute = store->LatestRun("compute");
  ASSERT_TRUE(compute.ok() && compute->has_value());
  EXPECT_EQ((*compute)->result_json, "");
  EXPECT_EQ((*compute)->result_sha256, Sha256Of(figures));
  auto analysis = store->LatestRun("analysis");
  ASSERT_TRUE(analysis.ok() && analysis->has_value());
  EXPECT_EQ((*analysis)->result_json, summary);
}

}  // namespace
}  // namespace goldthread::store_test
