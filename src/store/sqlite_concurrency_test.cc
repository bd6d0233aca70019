// A second user of one store (issue 9), in one process through two
// connections: readers during a batch, read views, a writer waiting for
// another, and a store built by its first batch. store_cli_test.cc does the
// same with real processes.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "store/snapshot_loader.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace goldthread::store_test {
namespace {

namespace fs = std::filesystem;

std::string JournalMode(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
  std::string mode =
      sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "";
  sqlite3_finalize(s);
  sqlite3_close(db);
  return mode;
}

StoreOptions Waiting(std::chrono::milliseconds wait, std::function<void(const std::string&)> on_wait = {}) {
  StoreOptions o;
  o.wait = wait;
  o.on_wait = std::move(on_wait);
  return o;
}

class StoreConcurrencyBackendTest : public BackendTest {};
GT_INSTANTIATE_BACKENDS(StoreConcurrencyBackendTest);

RunRecord ComputeRun() {
  RunRecord r;
  r.kind = "compute";
  return r;
}

int64_t People(Store& s) {
  auto n = s.CountCurrent(TableId::kPeople);
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  return n.ok() ? *n : -1;
}

// The fault: a batch in an existing store switched to a rollback journal,
// and a reader opening the store meanwhile failed with "database is locked".
// Now the batch stays in WAL and the reader sees the store as it was.
TEST_P(StoreConcurrencyBackendTest, ReaderOpensAndReadsDuringABatch) {
  const std::string path = NewStore("reader_during_batch");
  auto writer = MustOpen(path);
  CommitPeople(*writer, "h1", {kPerson1});
  if (!pg()) {
    EXPECT_EQ(JournalMode(path), "wal");
  }
  auto w = writer->BeginBatch(Info("h2"));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson2, "people.csv", 2).ok());
  if (!pg()) {
    EXPECT_FALSE(fs::exists(path + "-journal"));
  }

  auto reader = OpenStore(path, OpenMode::kMustExist, Waiting(std::chrono::milliseconds(0)));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(People(**reader), 1);
  auto snap = LoadSnapshot(**reader);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->table(TableId::kPeople).rows, 1);

  ASSERT_TRUE((*w)->Commit({}, 0).ok());
  EXPECT_EQ(People(**reader), 2);
  if (!pg()) {
    EXPECT_EQ(JournalMode(path), "wal");
  }
}

// Every read inside a view sees the state at BeginRead, whatever commits
// meanwhile; after the view, the new state.
TEST_P(StoreConcurrencyBackendTest, ReadViewHoldsOneState) {
  const std::string path = NewStore("read_view");
  auto a = MustOpen(path);
  CommitPeople(*a, "h1", {kPerson1});
  auto b = MustOpen(path, OpenMode::kMustExist);
  {
    auto view = a->BeginRead();
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    EXPECT_EQ(People(*a), 1);
    CommitPeople(*b, "h2", {kPerson2});
    EXPECT_EQ(People(*a), 1);
    EXPECT_EQ(a->Batches()->size(), 1u);
    EXPECT_EQ(a->BeginRead().status().message(), "store '" + path + "': a read view is already open");
    EXPECT_EQ(a->BeginBatch(Info("h3")).status().message(),
              "store '" + path + "': a batch cannot start inside a read view");
  }
  EXPECT_EQ(People(*a), 2);
}

// A store that commits a batch after the first table was read: LoadSnapshot
// must still build from one state (before: each table was read in its own
// transaction, so this snapshot held the new batch's people but none of
// its org units, or the reverse).
class CommitsMidScan : public Store {
 public:
  CommitsMidScan(Store& inner, Store& other) : inner_(inner), other_(other) {}
  int schema_version() const override { return inner_.schema_version(); }
  const std::string& location() const override { return inner_.location(); }
  Result<std::unique_ptr<BatchWriter>> BeginBatch(BatchInfo info) override { return inner_.BeginBatch(info); }
  Result<std::unique_ptr<ReadView>> BeginRead() override { return inner_.BeginRead(); }
  Result<std::optional<BatchInfo>> FindBatchByHash(std::string_view h) override {
    return inner_.FindBatchByHash(h);
  }
  Result<std::vector<BatchInfo>> Batches() override { return inner_.Batches(); }
  Result<bool> HasRecord(TableId t, std::string_view k) override { return inner_.HasRecord(t, k); }
  Status ScanCurrent(TableId t, const RowVisitor& v) override {
    Status s = inner_.ScanCurrent(t, v);
    if (t == TableId::kOrgUnits && !committed_) {
      committed_ = true;
      auto w = other_.BeginBatch(Info("later"));
      if (!w.ok()) return w.status();
      const Row unit = {"T2", "C1", "Team 2", "team"};
      GT_RETURN_IF_ERROR((*w)->Add(TableId::kOrgUnits, unit, "org_units.csv", 2));
      GT_RETURN_IF_ERROR((*w)->Add(TableId::kPeople, kPerson2, "people.csv", 2));
      auto b = (*w)->Commit({}, 0);
      if (!b.ok()) return b.status();
    }
    return s;
  }
  Status ScanCurrentAsOf(TableId t, int64_t b, const RowVisitor& v) override { return inner_.ScanCurrentAsOf(t, b, v); }
  Status ScanAllVersions(TableId t, const RowVisitor& v) override { return inner_.ScanAllVersions(t, v); }
  Status ScanHistory(TableId t, std::string_view k, const RowVisitor& v) override {
    return inner_.ScanHistory(t, k, v);
  }
  Result<int64_t> CountCurrent(TableId t) override { return inner_.CountCurrent(t); }
  Result<std::vector<std::pair<std::string, int64_t>>> CountCurrentBy(TableId t, int f) override {
    return inner_.CountCurrentBy(t, f);
  }
  Result<std::optional<std::pair<std::string, std::string>>> RangeCurrent(TableId t, int f) override {
    return inner_.RangeCurrent(t, f);
  }
  Result<int64_t> SaveRun(const RunRecord& r) override { return inner_.SaveRun(r); }
  Result<std::optional<RunRecord>> LatestRun(std::string_view k) override { return inner_.LatestRun(k); }
  Result<std::optional<RunRecord>> FindRun(int64_t id) override { return inner_.FindRun(id); }
  Result<int64_t> AddUser(const UserRecord& u) override { return inner_.AddUser(u); }
  Result<std::optional<UserRecord>> FindUser(std::string_view n) override { return inner_.FindUser(n); }
  Result<std::optional<UserRecord>> FindUserById(int64_t id) override { return inner_.FindUserById(id); }
  Result<std::vector<UserRecord>> ListUsers() override { return inner_.ListUsers(); }
  Status SetUserDisabled(std::string_view n, bool d) override { return inner_.SetUserDisabled(n, d); }
  Status SetUserPassword(std::string_view n, std::string_view h) override { return inner_.SetUserPassword(n, h); }
  Result<int32_t> RecordFailedSignIn(int64_t id, int32_t after, Timestamp until) override {
    return inner_.RecordFailedSignIn(id, after, until);
  }
  Status RecordSignIn(int64_t id, Timestamp at) override { return inner_.RecordSignIn(id, at); }
  Status SaveSession(const SessionRecord& r) override { return inner_.SaveSession(r); }
  Result<std::optional<SessionRecord>> FindSession(std::string_view t) override { return inner_.FindSession(t); }
  Status TouchSession(std::string_view t, Timestamp at) override { return inner_.TouchSession(t, at); }
  Status DeleteSession(std::string_view t) override { return inner_.DeleteSession(t); }
  Status DeleteUserSessions(int64_t id) override { return inner_.DeleteUserSessions(id); }
  Result<int64_t> DeleteExpiredSessions(Timestamp now) override { return inner_.DeleteExpiredSessions(now); }
  Result<int64_t> AppendAccess(const AccessEntry& e) override { return inner_.AppendAccess(e); }
  Result<std::vector<AccessEntry>> ReadAccessLog(const AccessQuery& q) override { return inner_.ReadAccessLog(q); }
  Result<PlanVersionInfo> SavePlanVersion(const PlanRecord& p) override { return inner_.SavePlanVersion(p); }
  Result<std::vector<PlanVersionInfo>> PlanVersions() override { return inner_.PlanVersions(); }
  Result<std::optional<PlanRecord>> LoadPlanVersion(int64_t v) override { return inner_.LoadPlanVersion(v); }
  Result<int64_t> AddStory(const StoryRecord& s) override { return inner_.AddStory(s); }
  Result<std::vector<StoryRecord>> Stories(std::string_view i, std::string_view o) override {
    return inner_.Stories(i, o);
  }

 private:
  Store& inner_;
  Store& other_;
  bool committed_ = false;
};

TEST_P(StoreConcurrencyBackendTest, SnapshotIsOneCommittedState) {
  const std::string path = NewStore("snapshot_state");
  auto a = MustOpen(path);
  {
    auto w = a->BeginBatch(Info("h1"));
    ASSERT_TRUE(w.ok());
    const Row council = {"C1", "", "Council", "council"}, team = {"T1", "C1", "Team 1", "team"};
    ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, council, "org_units.csv", 2).ok());
    ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, team, "org_units.csv", 3).ok());
    ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
    ASSERT_TRUE((*w)->Commit({}, 0).ok());
  }
  auto b = MustOpen(path, OpenMode::kMustExist);
  CommitsMidScan racing(*a, *b);
  auto snap = LoadSnapshot(racing);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->table(TableId::kOrgUnits).rows, 2);
  EXPECT_EQ((*snap)->table(TableId::kPeople).rows, 1);  // P2 came with the later batch
  EXPECT_EQ((*snap)->batch_ids(), (std::vector<int64_t>{1}));
  EXPECT_EQ(People(*a), 2);  // the later batch is there for the next reader
}

// A second writer waits while the first writes, says so once, and gives up
// after its wait with kBusy: the store is in use, not bad input. (On
// SQLite a run is a writer too; on PostgreSQL it does not wait for a batch.)
TEST_P(StoreConcurrencyBackendTest, SecondWriterWaitsThenGivesUp) {
  const std::string path = NewStore("second_writer");
  auto a = MustOpen(path);
  CommitPeople(*a, "h1", {kPerson1});
  std::vector<std::string> said;
  auto b =
      MustOpen(path, OpenMode::kMustExist,
               Waiting(std::chrono::milliseconds(1500), [&](const std::string& m) { said.push_back(m); }));
  auto w = a->BeginBatch(Info("h2"));
  ASSERT_TRUE(w.ok());
  auto started = std::chrono::steady_clock::now();
  auto wb = b->BeginBatch(Info("h3"));
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(wb.ok());
  EXPECT_EQ(wb.status().code(), StatusCode::kBusy);
  EXPECT_EQ(wb.status().message(),
            "store '" + path + "': starting a batch: in use by another process (gave up after waiting 2 s)");
  EXPECT_GE(waited, std::chrono::milliseconds(1500));
  EXPECT_EQ(said, (std::vector<std::string>{
                      "store '" + path + "' is in use by another process (an import?); waiting up to 2 s"}));
  auto run = b->SaveRun(ComputeRun());
  if (pg())
    EXPECT_TRUE(run.ok()) << run.status().ToString();
  else
    EXPECT_EQ(run.status().code(), StatusCode::kBusy);
  // Reading is not refused meanwhile.
  EXPECT_EQ(People(*b), 1);
  ASSERT_TRUE((*w)->Commit({}, 0).ok());
  EXPECT_TRUE(b->SaveRun(ComputeRun()).ok());
}

// ... and once the first writer commits, the waiting one goes on.
TEST_P(StoreConcurrencyBackendTest, SecondWriterGoesOnWhenTheFirstCommits) {
  const std::string path = NewStore("second_writer_waits");
  auto a = MustOpen(path);
  CommitPeople(*a, "h1", {kPerson1});
  std::promise<void> waiting;
  auto b = MustOpen(path, OpenMode::kMustExist,
                    Waiting(std::chrono::seconds(60), [&](const std::string&) { waiting.set_value(); }));
  auto w = a->BeginBatch(Info("h2"));
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson2, "people.csv", 2).ok());
  auto second = std::async(std::launch::async, [&]() -> Result<BatchInfo> {
    auto wb = b->BeginBatch(Info("h3"));
    if (!wb.ok()) return wb.status();
    const Row p3 = {"P3", "carer", "1970-02", "F", "", "", "", "", ""};
    GT_RETURN_IF_ERROR((*wb)->Add(TableId::kPeople, p3, "people.csv", 2));
    return (*wb)->Commit({}, 0);
  });
  waiting.get_future().wait();  // b said it is waiting: a still holds the store
  ASSERT_TRUE((*w)->Commit({}, 0).ok());
  auto batch = second.get();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->id, 3);
  EXPECT_EQ(People(*b), 3);
}

// Two imports of the same files: the second, having waited for the first,
// finds the batch already there instead of storing it again.
TEST_P(StoreConcurrencyBackendTest, SameContentStoredOnce) {
  const std::string path = NewStore("same_content");
  auto a = MustOpen(path);
  auto b = MustOpen(path, OpenMode::kMustExist);
  EXPECT_FALSE(b->FindBatchByHash("h1")->has_value());  // what b's caller saw before a committed
  CommitPeople(*a, "h1", {kPerson1});
  auto wb = b->BeginBatch(Info("h1"));
  ASSERT_FALSE(wb.ok());
  EXPECT_EQ(wb.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(wb.status().message(), "batch 1");
  EXPECT_EQ(b->Batches()->size(), 1u);
}

// OpenMode::kCreateWithFirstBatch: nothing exists at the store's path
// until the first batch commits; the file is built under another name
// with a rollback journal, then switched to WAL.
TEST(StoreConcurrencyTest, FirstBatchBuildsTheStoreOutOfSight) {
  const std::string path = TempStore("first_batch");
  const std::string building = path + ".importing-" + std::to_string(::getpid());
  auto store = MustOpen(path, OpenMode::kCreateWithFirstBatch);
  auto w = store->BeginBatch(Info("h1"));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::exists(building));
  EXPECT_TRUE(fs::exists(building + "-journal"));
  auto reader = OpenStore(path, OpenMode::kMustExist);
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  ASSERT_TRUE((*w)->Commit({}, 0).ok());
  EXPECT_TRUE(fs::exists(path));
  for (const char* s : {"", "-journal", "-wal", "-shm"}) EXPECT_FALSE(fs::exists(building + s)) << s;
  EXPECT_EQ(JournalMode(path), "wal");
  EXPECT_EQ(People(*store), 1);  // the same object goes on with the published store
  CommitPeople(*store, "h2", {kPerson2});
  EXPECT_EQ(People(*MustOpen(path, OpenMode::kMustExist)), 2);
}

TEST(StoreConcurrencyTest, FailedFirstBatchLeavesNoStore) {
  const std::string path = TempStore("first_batch_failed");
  {
    auto store = MustOpen(path, OpenMode::kCreateWithFirstBatch);
    auto w = store->BeginBatch(Info("h1"));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson1, "people.csv", 2).ok());
  }  // not committed
  EXPECT_FALSE(fs::exists(path));
  for (const auto& e : fs::directory_iterator(fs::path(path).parent_path()))
    EXPECT_FALSE(e.path().filename().string().starts_with(fs::path(path).filename().string())) << e.path();
}

// Two first imports at once: the one that commits second finds the store
// made by the other and is not published over it.
TEST(StoreConcurrencyTest, FirstBatchDoesNotReplaceAStoreMadeMeanwhile) {
  const std::string path = TempStore("first_batch_race");
  auto late = MustOpen(path, OpenMode::kCreateWithFirstBatch);
  auto w = late->BeginBatch(Info("late"));
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Add(TableId::kPeople, kPerson2, "people.csv", 2).ok());
  {
    auto early = MustOpen(path, OpenMode::kCreateIfMissing);
    CommitPeople(*early, "early", {kPerson1});
  }
  auto b = (*w)->Commit({}, 0);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(b.status().message(),
            "store '" + path +
                "' was created by another process while this import built it; this batch was "
                "not stored");
  w->reset();
  late.reset();
  auto store = MustOpen(path, OpenMode::kMustExist);
  auto batches = store->Batches();
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].content_hash, "early");
  EXPECT_FALSE(*store->HasRecord(TableId::kPeople, "P2"));
  EXPECT_FALSE(fs::exists(path + ".importing-" + std::to_string(::getpid())));
}

// A first import killed mid-way leaves STORE.importing-PID; the next first
// import of that store removes it once its process is gone, and never one
// whose process still runs.
TEST(StoreConcurrencyTest, StaleBuildsOfDeadProcessesAreRemoved) {
  const std::string path = TempStore("stale_build");
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);
  const std::string dead = path + ".importing-" + std::to_string(child);
  const std::string alive = path + ".importing-" + std::to_string(::getppid());
  for (const std::string& f : {dead, dead + "-journal", alive}) std::ofstream(f) << "left behind";
  {
    auto store = MustOpen(path, OpenMode::kCreateWithFirstBatch);
    EXPECT_FALSE(fs::exists(dead));
    EXPECT_FALSE(fs::exists(dead + "-journal"));
    EXPECT_TRUE(fs::exists(alive));
  }
  fs::remove(alive);
}

// A goldthread before WAL-only batches, killed inside a rollback-journal
// batch, left a hot journal: opening rolls it back and returns to WAL.
TEST(StoreConcurrencyTest, HotJournalOfAKilledBulkBatchIsRolledBack) {
  const std::string path = TempStore("hot_journal");
  CommitPeople(*MustOpen(path), "h1", {kPerson1});
  pid_t child = ::fork();
  if (child == 0) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode = TRUNCATE; PRAGMA cache_size = 2; BEGIN IMMEDIATE", nullptr,
                 nullptr, nullptr);
    for (int i = 0; i < 2000; ++i)
      sqlite3_exec(
          db,
          ("INSERT INTO people (batch_id, source_file, source_line, version, current, record_key, person_id) "
           "VALUES (9, 'x', 1, 1, 1, 'X" +
           std::to_string(i) + "', 'X" + std::to_string(i) + "')")
              .c_str(),
          nullptr, nullptr, nullptr);
    ::_exit(0);  // killed: no COMMIT, no ROLLBACK
  }
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);
  ASSERT_TRUE(fs::exists(path + "-journal"));
  EXPECT_GT(fs::file_size(path + "-journal"), 0u);
  auto store = MustOpen(path, OpenMode::kMustExist);
  ASSERT_TRUE(store);
  EXPECT_EQ(People(*store), 1);
  EXPECT_EQ(JournalMode(path), "wal");
}

}  // namespace
}  // namespace goldthread::store_test
