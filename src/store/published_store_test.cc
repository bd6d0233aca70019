#include "store/published_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "store/store.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

class PublishedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test and process: ctest runs tests in parallel.
    dir_ = fs::path(::testing::TempDir()) /
           ("published_store_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
            "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A goldthread store, made by the SQLite store itself.
  void CreateStore() { ASSERT_TRUE(OpenStore(path_, OpenMode::kCreateIfMissing).ok()); }
  static PublishedRow Row(std::string ons, std::string measure, std::string type, double value,
                          std::string year = "2020-21") {
    return {std::move(year), ons,   "Council " + ons, std::move(measure), "Total",
            std::move(type), value, "Still at home"};
  }
  fs::path dir_;
  std::string path_;
};

TEST_F(PublishedStoreTest, ReplacesAndPivots) {
  CreateStore();
  auto store = PublishedStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // Before anything is stored there is nothing to read, and no table is made.
  auto none = (*store)->Values();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(
      (*store)
          ->Replace({Row("E10000006", "2B1", "Outcome", 83.6), Row("E10000006", "2B1", "Numerator", 107),
                     Row("E10000006", "2B1", "Denominator", 128), Row("E06000058", "2B1", "Outcome", 80)},
                    "a.csv")
          .ok());
  // A later file replaces the same figure.
  ASSERT_TRUE((*store)->Replace({Row("E06000058", "2B1", "Outcome", 81)}, "b.csv").ok());
  auto values = (*store)->Values();
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ((*values)[0].ons_code, "E06000058");
  EXPECT_DOUBLE_EQ((*values)[0].outcome, 81);
  EXPECT_TRUE(std::isnan((*values)[0].numerator));
  EXPECT_EQ((*values)[1].council, "Council E10000006");
  EXPECT_DOUBLE_EQ((*values)[1].outcome, 83.6);
  EXPECT_DOUBLE_EQ((*values)[1].numerator, 107);
  EXPECT_DOUBLE_EQ((*values)[1].denominator, 128);
  auto codes = (*store)->CodesByDescription();
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(*codes, (std::map<std::string, std::string>{{"Still at home", "2B1"}}));
}

TEST_F(PublishedStoreTest, RefusesMissingAndForeignFiles) {
  auto missing = PublishedStore::Open(path_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "store '" + path_ + "' does not exist (run 'goldthread import " + path_ + " DIR' first)");
  // Some other SQLite file is not given a published_measures table.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto foreign = PublishedStore::Open(path_);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().message(),
            "store '" + path_ + "' is not a goldthread store (no schema_version table)");
  auto dir = PublishedStore::Open(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().message(),
            "store '" + dir_.string() + "' is not a regular file (expected a store file)");
}

// A store another connection is writing: after the busy timeout, reading
// and writing are errors that say so, never an empty or partial set of
// figures taken for the whole (the old reader stopped at SQLITE_BUSY as if
// at the end of the data and returned what it had).
TEST_F(PublishedStoreTest, ABusyStoreIsAnErrorNotTheEndOfTheFigures) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);  // a rollback journal, so a writer blocks readers
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE schema_version (version INTEGER)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  {
    auto store = PublishedStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Replace({Row("E10000006", "2B1", "Outcome", 83.6)}, "a.csv").ok());
  }
  StoreOptions short_wait;
  short_wait.wait = std::chrono::milliseconds(50);
  auto store = PublishedStore::Open(path_, short_wait);
  ASSERT_TRUE(store.ok());
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE; DELETE FROM published_measures", nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto values = (*store)->Values();
  ASSERT_FALSE(values.ok());
  EXPECT_EQ(values.status().code(), StatusCode::kBusy);  // not bad input: try again later
  EXPECT_EQ(values.status().message(), "store '" + path_ +
                                           "': looking for published_measures: in use by another process (gave "
                                           "up after waiting 0 s)");
  Status written = (*store)->Replace({Row("E06000058", "2B1", "Outcome", 80)}, "b.csv");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.code(), StatusCode::kBusy);
  EXPECT_NE(written.message().find("in use by another process"), std::string::npos) << written.message();
  ASSERT_EQ(sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  // Released: everything is there, and the refused write left nothing.
  auto after = (*store)->Values();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].ons_code, "E10000006");
}

}  // namespace
}  // namespace goldthread
