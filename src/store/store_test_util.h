#pragma once
// Test helpers shared by the store's tests: a fresh store path, a batch's
// info and a few rows.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

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

}  // namespace goldthread::store_test
