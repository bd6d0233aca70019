#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_test_util.h"

namespace goldthread::store_test {
namespace {

struct Seen {
  std::vector<std::string> values;
  int64_t batch, line;
  int32_t version;
  std::string file;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> Collect(Store& s, TableId t, int which, std::string_view key = {}) {
  std::vector<Seen> out;
  RowVisitor v = [&](const StoredRow& r) {
    out.push_back({{r.values.begin(), r.values.end()}, r.batch_id, r.source_line, r.version,
                   std::string(r.source_file)});
    return Status::Ok();
  };
  Status st = which == 0 ? s.ScanCurrent(t, v) : which == 1 ? s.ScanAllVersions(t, v) : s.ScanHistory(t, key, v);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST(StoreTest, MissingStoreWithMustExist) {
  auto s = OpenStore("/tmp/no/such/store.db", OpenMode::kMustExist);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(),
            "store '/tmp/no/such/store.db' does not exist (run 'goldthread import /tmp/no/such/store.db DIR' first)");
}

// StoreBackendTest's tests run on both stores (BackendTest); StoreTest's
// are about SQLite files.
class StoreBackendTest : public BackendTest {};
GT_INSTANTIATE_BACKENDS(StoreBackendTest);

TEST_P(StoreBackendTest, NewerSchemaVersionIsRefused) {
  std::string path = NewStore("newer");
  { EXPECT_EQ(MustOpen(path)->schema_version(), kStoreSchemaVersion); }
  // One past the version this binary knows, whatever that is.
  const std::string newer = std::to_string(kStoreSchemaVersion + 1);
  ASSERT_EQ(Sql(path, "UPDATE schema_version SET version = " + newer), "");
  auto s = OpenStore(path, OpenMode::kMustExist);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(s.status().message(), "store '" + path + "' has schema version " + newer + ", newer than version " +
                                      std::to_string(kStoreSchemaVersion) +
                                      " that this goldthread knows (upgrade goldthread to open it)");
}

TEST(StoreTest, NotAStore) {
  std::string path = TempStore("text");
  std::ofstream(path) << "this is not a database, just some text that is long enough to have a header\n";
  auto s = OpenStore(path, OpenMode::kMustExist);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(s.status().message(), "store '" + path + "' is not a goldthread store (file is not a database)");

  std::string other = TempStore("other");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto o = OpenStore(other, OpenMode::kMustExist);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(), "store '" + other +
                                      "' is not a goldthread store (it is a SQLite file without a schema_version "
                                      "table)");
}

// An empty file is no store: a reader refuses it as it refuses a missing
// one, and does not turn it into a store.
TEST(StoreTest, EmptyFileIsNoStore) {
  std::string path = TempStore("empty");
  std::ofstream(path).close();
  auto s = OpenStore(path, OpenMode::kMustExist);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(),
            "store '" + path + "' holds no goldthread data (run 'goldthread import " + path + " DIR' first)");
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
  // import (kCreateWithFirstBatch) and kCreateIfMissing make it one.
  EXPECT_EQ(MustOpen(path, OpenMode::kCreateIfMissing)->schema_version(), kStoreSchemaVersion);
}

TEST_P(StoreBackendTest, UncommittedBatchLeavesNothing) {
  std::string path = NewStore("rollback");
  auto store = MustOpen(path);
  {
    auto w = store->BeginBatch(Info("h1"));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
  }
  EXPECT_EQ(*store->CountCurrent(TableId::kPeople), 0);
  EXPECT_TRUE(store->Batches()->empty());
  EXPECT_FALSE(*store->HasRecord(TableId::kPeople, "P1"));
}

TEST_P(StoreBackendTest, BatchCommitVersionsAndHistory) {
  std::string path = NewStore("versions");
  {
    auto store = MustOpen(path);
    auto w = store->BeginBatch(Info("h1"));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
    ASSERT_TRUE((*w)->Add(TableId::kRequests, kRequest1, "requests.csv", 2).ok());
    Status dup = (*w)->Add(TableId::kRequests, kRequest1, "requests.csv", 7);
    EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(dup.message(), "2");
    auto b = (*w)->Commit({{"people.csv", "aa", 1}, {"requests.csv", "bb", 2}}, 0);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(b->id, 1);
    EXPECT_EQ(b->rows_stored, 2);
  }
  // Reopen: a second batch corrects R1 and re-sends P1 unchanged.
  auto store = MustOpen(path);
  Row corrected = kRequest1;
  corrected[3] = "2024-04-05";
  auto w = store->BeginBatch(Info("h2"));
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
  ASSERT_TRUE((*w)->Add(TableId::kRequests, corrected, "requests.csv", 3).ok());
  Status dup = (*w)->Add(TableId::kRequests, corrected, "requests.csv", 9);
  EXPECT_EQ(dup.message(), "3");
  auto b = (*w)->Commit({}, 0);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->id, 2);
  EXPECT_EQ(b->rows_stored, 1);
  EXPECT_EQ(b->rows_unchanged, 1);

  std::vector<std::string> v1(kRequest1.begin(), kRequest1.end()), v2(corrected.begin(), corrected.end());
  EXPECT_EQ(Collect(*store, TableId::kRequests, 0), (std::vector<Seen>{{v2, 2, 3, 2, "requests.csv"}}));
  std::vector<Seen> history = {{v1, 1, 2, 1, "requests.csv"}, {v2, 2, 3, 2, "requests.csv"}};
  EXPECT_EQ(Collect(*store, TableId::kRequests, 1), history);
  EXPECT_EQ(Collect(*store, TableId::kRequests, 2, "R1"), history);
  EXPECT_EQ(*store->CountCurrent(TableId::kRequests), 1);
  EXPECT_EQ(*store->CountCurrent(TableId::kPeople), 1);
  EXPECT_TRUE(*store->HasRecord(TableId::kRequests, "R1"));
  EXPECT_FALSE(*store->HasRecord(TableId::kRequests, "R2"));

  auto batches = store->Batches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 2u);
  const BatchInfo& first = (*batches)[0];
  EXPECT_EQ(first.imported_at, 1712000000);
  EXPECT_EQ(first.imported_by, "tester");
  EXPECT_EQ(first.source, "/data/x");
  ASSERT_EQ(first.files.size(), 2u);
  EXPECT_EQ(first.files[1].file, "requests.csv");
  EXPECT_EQ(first.files[1].sha256, "bb");
  EXPECT_EQ(first.files[1].rows, 2);
  auto found = store->FindBatchByHash("h2");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, 2);
  EXPECT_FALSE(store->FindBatchByHash("zz")->has_value());

  auto by_role = store->CountCurrentBy(TableId::kPeople, 1);
  EXPECT_EQ(*by_role, (std::vector<std::pair<std::string, int64_t>>{{"carer", 1}}));
  auto range = store->RangeCurrent(TableId::kRequests, 3);
  EXPECT_EQ(**range, (std::pair<std::string, std::string>{"2024-04-05", "2024-04-05"}));
  EXPECT_FALSE(store->RangeCurrent(TableId::kVisits, 3)->has_value());
}

// The store as each batch left it: the latest version of each key up to
// that batch, in row order.
TEST_P(StoreBackendTest, ScanCurrentAsOfABatch) {
  auto store = MustOpen(NewStore("as_of"));
  Row v2 = kRequest1, v3 = kRequest1;
  v2[3] = "2024-04-05";
  v3[3] = "2024-04-09";
  const Row r2 = {"R2", "P1", "", "2024-05-01", "self", "", "", "T1", "", "", ""};
  auto commit = [&](const std::string& hash, std::vector<Row> rows) {
    auto w = store->BeginBatch(Info(hash));
    ASSERT_TRUE(w.ok());
    int64_t line = 2;
    for (const Row& r : rows) ASSERT_TRUE((*w)->Add(TableId::kRequests, r, "requests.csv", line++).ok());
    ASSERT_TRUE((*w)->Commit({}, 0).ok());
  };
  commit("h1", {kRequest1});
  commit("h2", {v2, r2});
  commit("h3", {v3, r2});  // r2 unchanged: not stored again
  auto as_of = [&](int64_t batch) {
    std::vector<std::pair<std::string, int32_t>> out;
    Status s = store->ScanCurrentAsOf(TableId::kRequests, batch, [&](const StoredRow& r) {
      out.emplace_back(std::string(r.values[0]) + " " + std::string(r.values[3]), r.version);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  };
  using V = std::vector<std::pair<std::string, int32_t>>;
  EXPECT_EQ(as_of(1), (V{{"R1 2024-04-02", 1}}));
  EXPECT_EQ(as_of(2), (V{{"R1 2024-04-05", 2}, {"R2 2024-05-01", 1}}));
  EXPECT_EQ(as_of(3), (V{{"R2 2024-05-01", 1}, {"R1 2024-04-09", 3}}));
  EXPECT_EQ(as_of(9), as_of(3));
  // ... in the order of ScanCurrent.
  std::vector<std::string> current;
  for (const Seen& s : Collect(*store, TableId::kRequests, 0)) current.push_back(s.values[0] + " " + s.values[3]);
  EXPECT_EQ(current, (std::vector<std::string>{"R2 2024-05-01", "R1 2024-04-09"}));
}

}  // namespace
}  // namespace goldthread::store_test
