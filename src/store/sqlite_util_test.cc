#include "store/sqlite_util.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

namespace goldthread::sqlite {
namespace {

namespace fs = std::filesystem;

class SqliteUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/sqlite_util_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" + std::to_string(::getpid()) +
            ".db";
    fs::remove(path_);
    ASSERT_EQ(sqlite3_open(path_.c_str(), &a_), SQLITE_OK);
    ASSERT_EQ(sqlite3_open(path_.c_str(), &b_), SQLITE_OK);
    ASSERT_TRUE(
        Exec(a_, path_, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)", "setting up").ok());
  }
  void TearDown() override {
    sqlite3_close(a_);
    sqlite3_close(b_);
    fs::remove(path_);
  }
  std::string path_;
  sqlite3* a_ = nullptr;
  sqlite3* b_ = nullptr;
};

TEST_F(SqliteUtilTest, StepReadsRowsThenDone) {
  Stmt s;
  ASSERT_TRUE(Prepare(a_, path_, "SELECT x FROM t ORDER BY x", s, "reading t").ok());
  Result<bool> r = Step(a_, path_, s.get(), "reading t");
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_EQ(sqlite3_column_int(s.get(), 0), 1);
  r = Step(a_, path_, s.get(), "reading t");
  ASSERT_TRUE(r.ok() && *r);
  r = Step(a_, path_, s.get(), "reading t");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

TEST_F(SqliteUtilTest, AFailedPrepareIsAnError) {
  Stmt s;
  Status st = Prepare(a_, path_, "SELECT y FROM t", s, "reading t");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "store '" + path_ + "': reading t: no such column: y");
  EXPECT_EQ(s.get(), nullptr);
}

// A busy store is an error that says so, never the end of the data.
TEST_F(SqliteUtilTest, BusyIsAnErrorNotTheEnd) {
  ASSERT_TRUE(Exec(a_, path_, "BEGIN EXCLUSIVE", "locking").ok());
  ASSERT_TRUE(Exec(a_, path_, "INSERT INTO t VALUES (3)", "writing").ok());
  Stmt s;
  Status prepared = Prepare(b_, path_, "SELECT x FROM t", s, "reading t");
  Result<bool> r = prepared.ok() ? Step(b_, path_, s.get(), "reading t") : Result<bool>(prepared);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_EQ(
      r.status().message(),
      "store '" + path_ + "': reading t: the store is in use by another connection (database is locked)");
  ASSERT_TRUE(Exec(a_, path_, "COMMIT", "unlocking").ok());
}

}  // namespace
}  // namespace goldthread::sqlite
