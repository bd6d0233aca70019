// The analysis reloader: a new import is picked up without a restart, a
// build in progress never holds up readers, a failed build keeps the old
// value.

#include "server/reloader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>

#include <unistd.h>

#include "store/snapshot_loader.h"

namespace goldthread::server {
namespace {

class ReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One store per test and process: ctest runs these tests in parallel.
    path_ = ::testing::TempDir() + "/reloader_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
            std::to_string(::getpid()) + ".db";
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + s);
    auto s = OpenStore(path_, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    AddBatch("b1");
  }
  void AddBatch(const std::string& hash) {
    BatchInfo b;
    b.imported_at = 1;
    b.content_hash = hash;
    auto w = store_->BeginBatch(b);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Commit({}, 0).ok());
  }
  // Waits (bounded) until pred holds.
  template <typename P>
  bool Eventually(P pred) {
    for (int i = 0; i < 1000; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
  }
  void TearDown() override {
    store_.reset();
    for (const char* s : {"", "-wal", "-shm", ".snapshot", ".snapshot.lock"}) std::filesystem::remove(path_ + s);
  }
  std::string path_;
  std::unique_ptr<Store> store_;
};

// The value built is the number of batches.
Result<std::shared_ptr<const int>> CountBatches(Store& s) {
  auto b = s.Batches();
  if (!b.ok()) return b.status();
  return std::make_shared<const int>(static_cast<int>(b->size()));
}

TEST_F(ReloaderTest, ANewImportIsPickedUpWithoutARestart) {
  Reloader<int> r({path_, std::chrono::milliseconds(20)}, CountBatches);
  ASSERT_TRUE(r.Start().ok());
  ASSERT_TRUE(Eventually([&] { return r.Current() != nullptr; }));
  EXPECT_EQ(*r.Current(), 1);
  EXPECT_EQ(r.status().batches, std::vector<int64_t>({1}));
  AddBatch("b2");
  ASSERT_TRUE(Eventually([&] { return r.status().generation == 2; }));
  EXPECT_EQ(*r.Current(), 2);
  EXPECT_EQ(r.status().batches, std::vector<int64_t>({1, 2}));
}

TEST_F(ReloaderTest, ReadersKeepTheOldValueWhileANewOneIsBuilt) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> builds{0};
  Reloader<int> r({path_, std::chrono::milliseconds(20)}, [&](Store& s) {
    if (builds++ == 1) released.wait();  // the second build waits for the test
    return CountBatches(s);
  });
  ASSERT_TRUE(r.Start().ok());
  ASSERT_TRUE(Eventually([&] { return r.Current() != nullptr; }));
  std::shared_ptr<const int> before = r.Current();
  AddBatch("b2");
  ASSERT_TRUE(Eventually([&] { return r.status().building; }));
  EXPECT_EQ(r.Current(), before);  // answered at once, from the old value
  EXPECT_EQ(*r.Current(), 1);
  release.set_value();
  ASSERT_TRUE(Eventually([&] { return r.status().generation == 2; }));
  EXPECT_EQ(*r.Current(), 2);
  EXPECT_EQ(*before, 1);  // a reader holding the old value still has it
}

TEST_F(ReloaderTest, AFailedBuildKeepsTheOldValueAndSaysWhy) {
  std::atomic<bool> fail{false};
  Reloader<int> r({path_, std::chrono::milliseconds(20)},
                  [&](Store& s) -> Result<std::shared_ptr<const int>> {
                    if (fail) return Status::InvalidArgument("definitions/x.toml:3: unknown field");
                    return CountBatches(s);
                  });
  ASSERT_TRUE(r.Start().ok());
  ASSERT_TRUE(Eventually([&] { return r.Current() != nullptr; }));
  fail = true;
  AddBatch("b2");
  ASSERT_TRUE(Eventually([&] { return !r.status().last_error.empty(); }));
  EXPECT_EQ(r.status().last_error, "definitions/x.toml:3: unknown field");
  EXPECT_EQ(*r.Current(), 1);
  EXPECT_EQ(r.status().generation, 1);
  fail = false;
  AddBatch("b3");
  ASSERT_TRUE(Eventually([&] { return r.status().generation == 2; }));
  EXPECT_EQ(*r.Current(), 3);
  EXPECT_EQ(r.status().last_error, "");
}

// Issue 14: the dashboard's value is built from the snapshot an import
// wrote (cmd_import writes STORE.snapshot after its batch), mapped, not
// rebuilt from the store; the old value's mapping stays valid for readers
// holding it after the file is replaced.
TEST_F(ReloaderTest, ANewImportIsPickedUpThroughThePersistedSnapshot) {
  auto import_writes_snapshot = [&] {
    SnapshotLoadInfo info;
    ASSERT_TRUE(LoadSnapshot(*store_, std::nullopt, {}, &info).ok());
    EXPECT_TRUE(info.written) << info.not_written;
  };
  import_writes_snapshot();
  std::mutex mu;
  std::vector<bool> from_file;
  ReloaderOptions o{path_, std::chrono::hours(1)};  // no polls: Start() and Poke() only
  Reloader<Snapshot> r(o, [&](Store& s) -> Result<std::shared_ptr<const Snapshot>> {
    SnapshotLoadInfo info;
    auto snap = LoadSnapshot(s, std::nullopt, {}, &info);
    if (!snap.ok()) return snap.status();
    std::lock_guard<std::mutex> lock(mu);
    from_file.push_back(info.from_file);
    return std::shared_ptr<const Snapshot>(std::move(*snap));
  });
  ASSERT_TRUE(r.Start().ok());
  ASSERT_TRUE(Eventually([&] { return r.status().generation == 1; }));
  std::shared_ptr<const Snapshot> first = r.Current();
  EXPECT_TRUE(first->mapped());
  AddBatch("b2");
  import_writes_snapshot();
  r.Poke();
  ASSERT_TRUE(Eventually([&] { return r.status().generation == 2; }));
  EXPECT_TRUE(r.Current()->mapped());
  EXPECT_EQ(r.Current()->batch_ids(), first->batch_ids());  // no rows in either batch
  EXPECT_EQ(r.status().batches, std::vector<int64_t>({1, 2}));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(from_file, std::vector<bool>({true, true}));
  EXPECT_EQ(first->people(), 0);  // still readable after its file was replaced
}

}  // namespace
}  // namespace goldthread::server
