#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/field.h"
#include "model/snapshot.h"

namespace goldthread::sim {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// One simulated CSV file, split (the simulator never quotes).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Col(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
};

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

Csv Load(const fs::path& dir, TableId t) {
  Csv csv;
  std::ifstream in(dir / Table(t).FileName());
  std::string line;
  std::getline(in, line);
  csv.header = Split(line);
  while (std::getline(in, line)) csv.rows.push_back(Split(line));
  return csv;
}

Date D(const std::string& s) {
  Date d = kNullDate;
  if (!s.empty()) {
    EXPECT_TRUE(TryParseDate(s, d)) << s;
  }
  return d;
}

fs::path TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("goldthread_sim_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  return p;
}

SimOptions Options(int64_t people, uint64_t seed) {
  SimOptions o;
  o.people = people;
  o.months = 24;
  o.seed = seed;
  o.start = DateFromCivil(2024, 10, 1);  // window 2024-10 .. 2026-09
  return o;
}

/// One council with every scenario planted, shared by the tests below.
class SimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempDir("council"));
    SimOptions o = Options(6000, 42);
    for (const char* s : {"letters", "bunching", "late_registration", "clock_reset", "backdating"}) {
      ScenarioRequest r;
      std::string problem;
      ASSERT_TRUE(TryParseScenario(s, r, problem));
      o.scenarios.push_back(r);
    }
    auto r = Simulate(o, *dir_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    summary_ = new SimSummary(*r);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
  }
  static const PlantedScenario& Planted(ScenarioKind k) {
    for (const PlantedScenario& p : summary_->planted)
      if (p.kind == k) return p;
    static PlantedScenario none;
    ADD_FAILURE() << "not planted";
    return none;
  }
  static fs::path* dir_;
  static SimSummary* summary_;
};
fs::path* SimTest::dir_ = nullptr;
SimSummary* SimTest::summary_ = nullptr;

TEST(SimDeterminismTest, SameSeedSameBytesDifferentSeedDifferent) {
  fs::path a = TempDir("a"), b = TempDir("b"), c = TempDir("c");
  SimOptions o = Options(400, 7);
  o.scenarios.push_back({ScenarioKind::kBunching, "T05"});
  ASSERT_TRUE(Simulate(o, a).ok());
  ASSERT_TRUE(Simulate(o, b).ok());
  o.seed = 8;
  ASSERT_TRUE(Simulate(o, c).ok());
  int differing = 0;
  for (const TableSpec& t : AllTables()) {
    EXPECT_EQ(ReadAll(a / t.FileName()), ReadAll(b / t.FileName())) << t.name;
    differing += ReadAll(a / t.FileName()) != ReadAll(c / t.FileName());
  }
  EXPECT_EQ(ReadAll(a / "scenarios.json"), ReadAll(b / "scenarios.json"));
  EXPECT_NE(ReadAll(a / "people.csv"), ReadAll(c / "people.csv"));
  EXPECT_GE(differing, 15);
  for (const fs::path& p : {a, b, c}) fs::remove_all(p);
}

TEST(SimOptionsTest, RejectsBadOptions) {
  SimOptions o = Options(50, 1);
  EXPECT_EQ(Simulate(o, TempDir("x")).status().message(), "--people must be at least 100 (got 50)");
  o = Options(1000, 1);
  o.scenarios.push_back({ScenarioKind::kLetters, "T09"});
  EXPECT_EQ(Simulate(o, TempDir("x")).status().message(),
            "scenario letters: no team 'T09' (a council of 1000 people has teams T01..T06)");
}

TEST_F(SimTest, EveryFileHasTheCanonicalHeaderAndValidRows) {
  SnapshotBuilder builder;
  int64_t total = 0;
  for (const TableSpec& t : AllTables()) {
    std::ifstream in(*dir_ / t.FileName());
    ASSERT_TRUE(in) << t.name;
    std::string line;
    std::getline(in, line);
    std::string header;
    for (const FieldSpec& f : t.fields) header += (header.empty() ? "" : ",") + std::string(f.name);
    EXPECT_EQ(line, header) << t.name;
    int64_t rows = 0;
    while (std::getline(in, line)) {
      ++rows;
      std::vector<std::string> v = Split(line);
      ASSERT_EQ(v.size(), t.fields.size()) << t.name << ":" << rows + 1;
      std::vector<FieldValue> parsed(v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        std::string problem;
        if (v[i].empty()) {
          EXPECT_FALSE(t.fields[i].required) << t.name << ":" << rows + 1 << ": " << t.fields[i].name;
          continue;
        }
        ASSERT_TRUE(TryParseField(t.fields[i], v[i], parsed[i], problem))
            << t.name << ":" << rows + 1 << ": " << t.fields[i].name << ": " << problem;
      }
      for (const DateOrder& o : t.date_orders) {
        if (parsed[o.start].null || parsed[o.end].null) continue;
        EXPECT_LE(parsed[o.start].i, parsed[o.end].i) << t.name << ":" << rows + 1 << ": " << line;
      }
      if (t.has_lineage) {  // nothing recorded after the extract
        const FieldValue& at = parsed[t.FieldIndex("recorded_at")];
        if (!at.null) {
          EXPECT_LE(DateOfTimestamp(at.i), summary_->end) << t.name << ": " << line;
        }
      }
      std::vector<std::string_view> views(v.begin(), v.end());
      Status s = builder.AddRow(t.id, views, 1);
      ASSERT_TRUE(s.ok()) << t.name << ":" << rows + 1 << ": " << s.ToString();
    }
    EXPECT_EQ(rows, summary_->rows[static_cast<int>(t.id)]) << t.name;
    if (t.id != TableId::kFeedback) {
      EXPECT_GT(rows, 0) << t.name;
    }
    total += rows;
  }
  EXPECT_EQ(total, summary_->total_rows);
  auto snap = builder.Finish();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->dangling_references(), 0);
  EXPECT_EQ((*snap)->people(), 6000);
}

TEST_F(SimTest, ScenariosJsonNamesWhatWasPlantedWhere) {
  nlohmann::json j = nlohmann::json::parse(ReadAll(*dir_ / "scenarios.json"));
  EXPECT_EQ(j["seed"], 42);
  EXPECT_EQ(j["start"], "2024-10-01");
  EXPECT_EQ(j["end"], "2026-09-30");
  ASSERT_EQ(j["scenarios"].size(), 5u);
  std::map<std::string, std::string> teams;
  for (const auto& s : j["scenarios"]) {
    teams[s["scenario"]] = s["team"];
    EXPECT_GT(s["records"].get<int64_t>(), 0) << s["scenario"];
  }
  EXPECT_EQ(teams["letters"], "T03");
  EXPECT_EQ(teams["bunching"], "T05");
  EXPECT_EQ(teams["backdating"], "T02");
}

}  // namespace
}  // namespace goldthread::sim
