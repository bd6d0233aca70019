// The persisted snapshot beside a store: used when it reflects the store's
// batches, rebuilt (and rewritten) when it does not, bit-identical to one
// built from the store, never written half or stale.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <string>

#include "model/snapshot_test_util.h"
#include "store/snapshot_loader.h"
#include "store/snapshot_loader_file.h"
#include "store/store_test_util.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;
using store_test::CommitPeople;
using store_test::kPerson1;
using store_test::kPerson2;
using store_test::MustOpen;
using store_test::TempStore;

SnapshotLoadOptions Mode(SnapshotPersistence p) {
  SnapshotLoadOptions o;
  o.persistence = p;
  return o;
}

class SnapshotPersistTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempStore(std::string("persist_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    store_ = MustOpen(path_);
    ASSERT_NE(store_, nullptr);
    CommitPeople(*store_, "h1", {kPerson1, kPerson2});
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm", ".snapshot", ".snapshot.lock"}) fs::remove(path_ + s, ec);
  }
  // Loads with `mode`, expecting success.
  std::unique_ptr<Snapshot> Load(SnapshotLoadInfo& info, SnapshotPersistence mode = SnapshotPersistence::kAuto) {
    auto s = LoadSnapshot(*store_, std::nullopt, Mode(mode), &info);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::unique_ptr<Snapshot> FromStore() {
    SnapshotLoadInfo info;
    return Load(info, SnapshotPersistence::kOff);
  }
  std::string snapshot_path() const { return path_ + ".snapshot"; }
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SnapshotPersistTest, FirstLoadWritesTheFileTheNextMapsItBitIdentical) {
  SnapshotLoadInfo first;
  auto built = Load(first);
  EXPECT_FALSE(first.from_file);
  EXPECT_EQ(first.problem, SnapshotFileProblem::kMissing);
  EXPECT_TRUE(first.written) << first.not_written;
  EXPECT_FALSE(built->mapped());
  ASSERT_TRUE(fs::exists(snapshot_path()));
  // Same permissions as the store: it holds the same records.
  EXPECT_EQ(fs::status(snapshot_path()).permissions(), fs::status(path_).permissions());

  SnapshotLoadInfo second;
  auto mapped = Load(second);
  EXPECT_TRUE(second.from_file);
  EXPECT_FALSE(second.written);
  EXPECT_TRUE(mapped->mapped());
  ExpectSameSnapshot(*FromStore(), *mapped);
  EXPECT_EQ(mapped->FindPerson("P2"), 1);
}

TEST_F(SnapshotPersistTest, AnotherImportMakesItStaleAndItIsRebuilt) {
  SnapshotLoadInfo info;
  Load(info);
  ASSERT_TRUE(info.written);
  CommitPeople(*store_, "h2", {{"P3", "carer", "1970-01", "F", "", "", "", "", ""}});
  auto next = Load(info);
  EXPECT_FALSE(info.from_file);
  EXPECT_EQ(info.problem, SnapshotFileProblem::kOtherBatches);
  EXPECT_TRUE(info.written);
  EXPECT_EQ(next->people(), 3);
  auto mapped = Load(info);
  EXPECT_TRUE(info.from_file);
  EXPECT_EQ(mapped->batch_ids(), (std::vector<int64_t>{1, 2}));
  ExpectSameSnapshot(*FromStore(), *mapped);
}

TEST_F(SnapshotPersistTest, AnotherStoresSnapshotIsNotUsed) {
  const std::string other = TempStore("persist_other");
  {
    auto o = MustOpen(other);
    CommitPeople(*o, "other", {kPerson1});
    SnapshotLoadInfo info;
    ASSERT_TRUE(LoadSnapshot(*o, std::nullopt, Mode(SnapshotPersistence::kAuto), &info).ok());
    ASSERT_TRUE(info.written);
  }
  fs::copy_file(other + ".snapshot", snapshot_path(), fs::copy_options::overwrite_existing);
  SnapshotLoadInfo info;
  auto s = Load(info);
  EXPECT_EQ(info.problem, SnapshotFileProblem::kOtherBatches);
  EXPECT_EQ(s->people(), 2);
  ExpectSameSnapshot(*FromStore(), *s);
  for (const char* x : {"", "-wal", "-shm", ".snapshot", ".snapshot.lock"}) fs::remove(other + x);
}

TEST_F(SnapshotPersistTest, ATruncatedOrDamagedFileIsRebuiltAndRewritten) {
  SnapshotLoadInfo info;
  Load(info);
  std::string bytes;
  {
    std::ifstream in(snapshot_path(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (int damage = 0; damage < 2; ++damage) {
    SCOPED_TRACE(damage ? "damaged" : "truncated");
    std::string bad = damage ? bytes : bytes.substr(0, bytes.size() / 2);
    if (damage) bad[180] ^= 0x01;  // the section table: checksummed
    std::ofstream(snapshot_path(), std::ios::binary | std::ios::trunc) << bad;
    auto rebuilt = Load(info);
    EXPECT_EQ(info.problem, SnapshotFileProblem::kDamaged) << info.detail;
    EXPECT_TRUE(info.written);
    ExpectSameSnapshot(*FromStore(), *rebuilt);
    Load(info);
    EXPECT_TRUE(info.from_file);
  }
}

TEST_F(SnapshotPersistTest, ReadOnlyBuildsInMemoryAndOffIgnoresTheFile) {
  SnapshotLoadInfo info;
  auto s = Load(info, SnapshotPersistence::kReadOnly);
  EXPECT_FALSE(info.written);
  EXPECT_EQ(info.not_written, "read-only (GOLDTHREAD_SNAPSHOT=read-only)");
  EXPECT_FALSE(fs::exists(snapshot_path()));
  Load(info);  // writes it
  Load(info, SnapshotPersistence::kReadOnly);
  EXPECT_TRUE(info.from_file);
  Load(info, SnapshotPersistence::kOff);
  EXPECT_FALSE(info.from_file);
  EXPECT_FALSE(info.written);
}

TEST_F(SnapshotPersistTest, AnOlderRunsViewIsBuiltFromTheStore) {
  SnapshotLoadInfo info;
  Load(info);
  CommitPeople(*store_, "h2", {{"P3", "carer", "1970-01", "F", "", "", "", "", ""}});
  Load(info);  // the file now reflects batches 1 and 2
  auto old = LoadSnapshot(*store_, int64_t{1}, Mode(SnapshotPersistence::kAuto), &info);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(info.from_file);
  EXPECT_FALSE(info.written);
  EXPECT_EQ((*old)->people(), 2);
  auto latest = LoadSnapshot(*store_, int64_t{2}, Mode(SnapshotPersistence::kAuto), &info);
  ASSERT_TRUE(latest.ok());
  EXPECT_TRUE(info.from_file);
}

// Two processes' worth of connections loading at once: one builds and
// writes, the other waits for it and maps what it wrote.
TEST_F(SnapshotPersistTest, RacingLoadersWriteOnceAndAgree) {
  auto load = [&] {
    auto s = MustOpen(path_, OpenMode::kMustExist);
    SnapshotLoadInfo info;
    auto snap = LoadSnapshot(*s, std::nullopt, Mode(SnapshotPersistence::kAuto), &info);
    EXPECT_TRUE(snap.ok());
    return std::make_pair(std::move(*snap), info);
  };
  auto a = std::async(std::launch::async, load);
  auto b = std::async(std::launch::async, load);
  auto [sa, ia] = a.get();
  auto [sb, ib] = b.get();
  EXPECT_EQ(int{ia.written} + int{ib.written}, 1);
  EXPECT_TRUE(ia.from_file || ib.from_file);
  ExpectSameSnapshot(*sa, *sb);
  SnapshotLoadInfo info;
  Load(info);
  EXPECT_TRUE(info.from_file);
}

TEST_F(SnapshotPersistTest, AWriterThatWaitsTooLongBuildsWithoutWriting) {
  auto held = SnapshotFileLock::Acquire(snapshot_path(), std::chrono::milliseconds(0));
  ASSERT_TRUE(held.ok());
  SnapshotLoadOptions o = Mode(SnapshotPersistence::kAuto);
  o.wait = std::chrono::milliseconds(50);
  SnapshotLoadInfo info;
  auto s = LoadSnapshot(*store_, std::nullopt, o, &info);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(info.written);
  EXPECT_EQ(info.not_written, "'" + snapshot_path() +
                                  "' is being written by another process (gave up after waiting 50 ms)");
  EXPECT_FALSE(fs::exists(snapshot_path()));
}

// A snapshot built before a batch committed is not put in place: it would
// be stale at once, and a reader would rebuild it anyway.
TEST_F(SnapshotPersistTest, ASnapshotOvertakenByAnImportIsNotInstalled) {
  auto snap = FromStore();
  const std::string before = BatchListDigest(store_->Batches().value());
  CommitPeople(*store_, "h2", {{"P3", "carer", "1970-01", "F", "", "", "", "", ""}});
  auto lock = SnapshotFileLock::Acquire(snapshot_path(), std::chrono::milliseconds(0));
  ASSERT_TRUE(lock.ok());
  // A temp file left by a killed writer goes too.
  std::ofstream(snapshot_path() + ".tmp-999999") << "half";
  Status s = WriteSnapshotFileSafely(*store_, *snap, before, **lock);
  EXPECT_EQ(s.code(), StatusCode::kBusy);
  EXPECT_FALSE(fs::exists(snapshot_path()));
  EXPECT_FALSE(fs::exists(snapshot_path() + ".tmp-999999"));
  EXPECT_FALSE(fs::exists(snapshot_path() + ".tmp-" + std::to_string(::getpid())));
}

TEST(BatchListDigestTest, ChangesWithAnyBatchField) {
  BatchInfo b;
  b.id = 1, b.content_hash = "x", b.imported_at = 10, b.rows_stored = 5;
  const std::string d = BatchListDigest({b});
  EXPECT_EQ(d.size(), 64u);
  EXPECT_EQ(BatchListDigest({b}), d);
  BatchInfo c = b;
  c.imported_at = 11;
  EXPECT_NE(BatchListDigest({c}), d);
  c = b, c.content_hash = "y";
  EXPECT_NE(BatchListDigest({c}), d);
  c = b, c.rows_stored = 6;
  EXPECT_NE(BatchListDigest({c}), d);
  EXPECT_NE(BatchListDigest({b, b}), d);
  EXPECT_NE(BatchListDigest({}), d);
}

TEST(SnapshotPathTest, BesideAFileNoneForAUrl) {
  EXPECT_EQ(SnapshotPathFor("council.db"), "council.db.snapshot");
  EXPECT_EQ(SnapshotPathFor("postgresql://host/db"), "");
}

}  // namespace
}  // namespace goldthread
