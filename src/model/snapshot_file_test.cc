// The persisted snapshot's format: a round trip is bit-identical, and a
// truncated, damaged, outdated or foreign file is refused with its reason.

#include "model/snapshot_file.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/snapshot_test_util.h"

namespace goldthread {
namespace {

const std::string kBatches(64, 'a');

// Enough rows for block encodings, text (non-numeric) ids, amounts that
// scale and amounts that do not, unknowns and a three-level org tree.
std::unique_ptr<Snapshot> Varied() {
  SnapshotBuilder b;
  auto add = [&](TableId t, std::vector<std::string> v, int64_t batch) {
    std::vector<std::string_view> views(v.begin(), v.end());
    Status s = b.AddRow(t, views, batch);
    EXPECT_TRUE(s.ok()) << s.message();
  };
  add(TableId::kOrgUnits, {"C", "", "Council", "council"}, 1);
  add(TableId::kOrgUnits, {"S", "C", "Service", "service"}, 1);
  for (int t = 1; t <= 5; ++t) add(TableId::kOrgUnits, {fmt::format("T{}", t), "S", "Team", "team"}, 1);
  for (int p = 0; p < 3000; ++p)
    add(TableId::kPeople,
        {fmt::format("P{}", (p * 7919) % 3001), p % 3 ? "service_user" : "carer", fmt::format("19{:02}-0{}", p % 90, 1 + p % 9),
         p % 2 ? "F" : "M", p % 5 ? "white" : "", "", "", "", ""},
        1 + p % 3);
  for (int r = 0; r < 9000; ++r)
    add(TableId::kRequests,
        {fmt::format("REQ-{}x", r), fmt::format("P{}", (r * 13) % 3001), "", fmt::format("2024-{:02}-{:02}", 1 + r % 12, 1 + r % 28),
         r % 4 ? "self" : "gp", "", "", fmt::format("T{}", 1 + r % 5), fmt::format("W{}", r % 40),
         r % 6 ? "" : "2024-05-02T10:00:00Z", r % 7 ? "" : fmt::format("user {}", r % 11)},
        2);
  for (int s = 0; s < 2000; ++s)
    add(TableId::kServices,
        {fmt::format("S{}", s), fmt::format("P{}", (s * 17) % 3001), "home_care", "", "community", "long", "direct_payment",
         fmt::format("2024-{:02}-01", 1 + s % 12), "", s % 2 ? "10.5" : fmt::format("{}.123456789", s), s % 9 ? "250" : "",
         "PRV1", fmt::format("T{}", 1 + s % 5), "W1", "", ""},
        3);
  auto r = b.Finish();
  EXPECT_TRUE(r.ok()) << r.status().message();
  return std::move(r).value();
}

class SnapshotFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/snapshot_file_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" + std::to_string(::getpid());
    built_ = Varied();
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    Status w = WriteSnapshotFile(*built_, kBatches, fd);
    ::close(fd);
    ASSERT_TRUE(w.ok()) << w.message();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string Bytes() {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Put(const std::string& bytes) { std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes; }
  std::string path_;
  std::unique_ptr<Snapshot> built_;
};

TEST_F(SnapshotFileTest, RoundTripIsBitIdenticalAndMapped) {
  OpenedSnapshotFile f = OpenSnapshotFile(path_, kBatches);
  ASSERT_EQ(f.problem, SnapshotFileProblem::kNone) << f.detail;
  ASSERT_NE(f.snapshot, nullptr);
  EXPECT_TRUE(f.snapshot->mapped());
  EXPECT_FALSE(built_->mapped());
  ExpectSameSnapshot(*built_, *f.snapshot);
  // The values the engine looks up by text, and the ids by spelling.
  EXPECT_EQ(f.snapshot->strings().Find("no such text"), -1);
  EXPECT_GE(f.snapshot->strings().Find("user 3"), 0);
  EXPECT_EQ(f.snapshot->FindPerson("P7919"), built_->FindPerson("P7919"));
  EXPECT_EQ(f.snapshot->FindPerson("P07919"), -1);
  const TableData& req = f.snapshot->table(TableId::kRequests);
  EXPECT_EQ(req.columns[0].ids.Find("REQ-17x"), built_->table(TableId::kRequests).columns[0].ids.Find("REQ-17x"));
  // The snapshot outlives the file's name: a rename over it or a delete
  // leaves the mapping whole.
  std::filesystem::remove(path_);
  ExpectSameSnapshot(*built_, *f.snapshot);
}

TEST_F(SnapshotFileTest, AnotherBatchListIsStale) {
  OpenedSnapshotFile f = OpenSnapshotFile(path_, std::string(64, 'b'));
  EXPECT_EQ(f.problem, SnapshotFileProblem::kOtherBatches);
  EXPECT_EQ(f.snapshot, nullptr);
  EXPECT_EQ(f.detail, "reflects another list of batches");
}

TEST_F(SnapshotFileTest, MissingFileSaysSo) {
  std::filesystem::remove(path_);
  OpenedSnapshotFile f = OpenSnapshotFile(path_, kBatches);
  EXPECT_EQ(f.problem, SnapshotFileProblem::kMissing);
}

TEST_F(SnapshotFileTest, EveryTruncationIsRefused) {
  const std::string whole = Bytes();
  ASSERT_GT(whole.size(), 4096u);
  for (size_t keep : {size_t{0}, size_t{10}, size_t{175}, size_t{176}, size_t{1000}, whole.size() / 2,
                      whole.size() - 1}) {
    Put(whole.substr(0, keep));
    OpenedSnapshotFile f = OpenSnapshotFile(path_, kBatches);
    EXPECT_EQ(f.problem, SnapshotFileProblem::kDamaged) << keep << ": " << f.detail;
    EXPECT_EQ(f.snapshot, nullptr);
  }
  // One byte more is damage too (the header records the length).
  Put(whole + "x");
  EXPECT_EQ(OpenSnapshotFile(path_, kBatches).detail,
            fmt::format("{} bytes, the header says {}", whole.size() + 1, whole.size()));
}

TEST_F(SnapshotFileTest, AFlippedBitAnywhereIsRefused) {
  const std::string whole = Bytes();
  // About 200 bytes spread over the file (an odd stride, so not always at
  // the same place of a 64-byte block): header, section table, padding and
  // arrays alike. Each flip is caught by a checksum, or lies in the padding
  // between sections, which nothing reads (the snapshot is then the same).
  const size_t stride = (whole.size() / 200) | 1;
  int refused = 0, same = 0;
  for (size_t at = 0; at < whole.size(); at += stride) {
    std::string bad = whole;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    Put(bad);
    OpenedSnapshotFile f = OpenSnapshotFile(path_, kBatches);
    if (f.problem == SnapshotFileProblem::kDamaged) {
      ++refused;
    } else {
      ASSERT_EQ(f.problem, SnapshotFileProblem::kNone) << at << ": " << f.detail;
      EXPECT_EQ(f.snapshot->TotalRows(), built_->TotalRows());
      ++same;
    }
  }
  EXPECT_GT(refused, same) << same << " flips in padding, " << refused << " refused";
}

TEST_F(SnapshotFileTest, AnotherFormatVersionIsRefusedAsSuch) {
  std::string bytes = Bytes();
  const uint32_t next = kSnapshotFormatVersion + 1;
  std::memcpy(bytes.data() + 8, &next, 4);
  // The header's own checksum is its last 8 bytes, over the header with them 0.
  std::string header = bytes.substr(0, 176);
  std::memset(header.data() + 168, 0, 8);
  const uint64_t sum = XXH3_64bits(header.data(), header.size());
  std::memcpy(bytes.data() + 168, &sum, 8);
  Put(bytes);
  OpenedSnapshotFile f = OpenSnapshotFile(path_, kBatches);
  EXPECT_EQ(f.problem, SnapshotFileProblem::kOtherFormat);
  EXPECT_EQ(f.detail, fmt::format("format version {}, this binary reads {}", next, kSnapshotFormatVersion));
}

TEST_F(SnapshotFileTest, AFileThatIsNotASnapshotIsRefused) {
  Put(std::string(4096, 'x'));
  OpenedSnapshotFile f = OpenSnapshotFile(path_, kBatches);
  EXPECT_EQ(f.problem, SnapshotFileProblem::kDamaged);
  EXPECT_EQ(f.detail, "not a goldthread snapshot (no magic)");
}

TEST(SnapshotSchemaDigestTest, IsStableHex) {
  EXPECT_EQ(SnapshotSchemaDigest().size(), 64u);
  EXPECT_EQ(SnapshotSchemaDigest(), SnapshotSchemaDigest());
}

}  // namespace
}  // namespace goldthread
