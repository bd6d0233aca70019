#include "sim/nation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "model/snapshot.h"
#include "sim/sim_test_util.h"
#include "sim/simulator.h"

namespace goldthread::sim {
namespace {

namespace fs = std::filesystem;

/// The rows of one simulated file (the simulator never quotes), header left out.
std::vector<std::vector<std::string>> Rows(const fs::path& dir, TableId t) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(dir / Table(t).FileName());
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) rows.push_back(Split(line));
  return rows;
}

fs::path TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("goldthread_nation_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  return p;
}

SimOptions National(int councils, int64_t people, uint64_t seed) {
  SimOptions o;
  o.people = people;
  o.months = 12;
  o.seed = seed;
  o.start = DateFromCivil(2025, 10, 1);
  o.councils = councils;
  return o;
}

TEST(NationPlanTest, CouncilsShareThePeopleEachWithItsOwnCharacter) {
  auto plans = PlanCouncils(12, 60000, 3);
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  ASSERT_EQ(plans->size(), 12u);
  int64_t people = 0;
  std::set<std::tuple<double, double, double>> characters;
  double best = -9, worst = 9;
  for (size_t k = 0; k < plans->size(); ++k) {
    const CouncilPlan& p = (*plans)[k];
    people += p.people;
    EXPECT_GE(p.people, 100);
    EXPECT_EQ(p.teams, TeamCountFor(p.people));
    EXPECT_EQ(p.who.parent, "R" + std::to_string(k % 9 + 1));
    EXPECT_EQ(p.who.prefix, p.who.id + "-");
    characters.insert({p.who.perf_shift, p.who.dp_shift, p.who.survey_shift});
    best = std::max(best, p.who.perf_shift);
    worst = std::min(worst, p.who.perf_shift);
    for (const ScenarioRequest& r : p.scenarios) EXPECT_EQ(r.team.rfind(p.who.prefix + "T", 0), 0u) << r.team;
  }
  EXPECT_EQ(people, 60000);
  EXPECT_EQ(characters.size(), 12u);  // no two councils alike
  EXPECT_GT(best - worst, 1.5);        // well and badly run councils (in SDs of team performance)
  EXPECT_EQ((*plans)[0].who.id, "C001");
  EXPECT_EQ((*plans)[0].who.name, "Ashshire Council");
  EXPECT_EQ((*plans)[1].who.name, "Bramshire Council");
  EXPECT_EQ((*plans)[11].who.id, "C012");
  EXPECT_EQ((*plans)[11].who.name, "Millshire Council");
  EXPECT_EQ((*plans)[11].who.parent, "R3");

  // A council's character is its own: council 5 is the same in a set of 12
  // as in a set of 150 (only its share of the people differs).
  auto more = PlanCouncils(150, 2000000, 3);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ((*more)[4].who.perf_shift, (*plans)[4].who.perf_shift);
  EXPECT_EQ((*more)[4].who.dp_shift, (*plans)[4].who.dp_shift);
  EXPECT_EQ((*more)[149].who.name, "Penmouth Council");
  EXPECT_EQ((*more)[149].who.parent, "R6");
  // Sizes vary (a district to a county) and every pattern is planted somewhere.
  int64_t smallest = INT64_MAX, largest = 0;
  std::set<ScenarioKind> kinds;
  for (const CouncilPlan& p : *more) {
    smallest = std::min(smallest, p.people);
    largest = std::max(largest, p.people);
    for (const ScenarioRequest& r : p.scenarios) kinds.insert(r.kind);
  }
  EXPECT_GT(largest, 4 * smallest);
  EXPECT_EQ(kinds.size(), static_cast<size_t>(kScenarioCount));
}

TEST(NationPlanTest, RefusesBadCounts) {
  EXPECT_EQ(PlanCouncils(0, 5000, 1).status().message(), "--councils must be 1..1000 (got 0)");
  EXPECT_EQ(PlanCouncils(1001, 5000000, 1).status().message(), "--councils must be 1..1000 (got 1001)");
  EXPECT_EQ(PlanCouncils(5, 4999, 1).status().message(), "--people must be at least 5000 for 5 councils (got 4999)");
  const fs::path bad = TempDir("bad");
  SimOptions o = National(-2, 5000, 1);
  EXPECT_EQ(Simulate(o, bad).status().message(), "--councils must be 1..1000 (got -2)");
  o = National(3, 3000, 1);
  o.scenarios.push_back({ScenarioKind::kLetters, "T03"});
  EXPECT_EQ(Simulate(o, bad).status().message(),
            "scenario letters: no team 'T03' (a national set's teams are named in full, C001-T01 to C003-T06)");
  o.scenarios = {{ScenarioKind::kLetters, "C002-T07"}};
  EXPECT_EQ(Simulate(o, bad).status().message(),
            "scenario letters: no team 'C002-T07' (a national set's teams are named in full, C001-T01 to C003-T06)");
  o.scenarios = {{ScenarioKind::kLetters, "C002-T01"}, {ScenarioKind::kLetters, "C002-T02"}};
  EXPECT_EQ(Simulate(o, bad).status().message(), "scenario letters is named twice in C002");
  EXPECT_FALSE(fs::exists(bad));  // refused before anything is written
}

TEST(NationSimTest, TheTreeIsNationRegionsCouncilsServicesTeams) {
  fs::path dir = TempDir("tree");
  SimOptions o = National(3, 3000, 5);
  o.scenarios = {{ScenarioKind::kLetters, "C002-T03"}};
  auto r = Simulate(o, dir);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->councils, 3);
  auto plans = PlanCouncils(3, 3000, 5);
  ASSERT_TRUE(plans.ok());

  // Exactly: the nation, the nine regions, then each council, its three
  // services and its teams, each team under the service (k % 3) + 1.
  std::vector<std::vector<std::string>> expected = {{"N00", "", "England", "nation"},
                                                    {"R1", "N00", "North East", "region"},
                                                    {"R2", "N00", "North West", "region"},
                                                    {"R3", "N00", "Yorkshire and The Humber", "region"},
                                                    {"R4", "N00", "East Midlands", "region"},
                                                    {"R5", "N00", "West Midlands", "region"},
                                                    {"R6", "N00", "East of England", "region"},
                                                    {"R7", "N00", "London", "region"},
                                                    {"R8", "N00", "South East", "region"},
                                                    {"R9", "N00", "South West", "region"}};
  const char* names[] = {"Ashshire Council", "Bramshire Council", "Carshire Council"};
  const char* services[] = {"Adult Social Care North", "Adult Social Care Central", "Adult Social Care South"};
  const char* areas[] = {"Ashworth", "Bramley", "Carrow", "Dunmere", "Elmstead", "Fernhill"};
  int teams = 0;
  for (int c = 1; c <= 3; ++c) {
    std::string id = "C00" + std::to_string(c);
    expected.push_back({id, "R" + std::to_string(c), names[c - 1], "council"});
    for (int s = 1; s <= 3; ++s) expected.push_back({id + "-SVC" + std::to_string(s), id, services[s - 1], "service"});
    ASSERT_EQ((*plans)[c - 1].teams, 6);  // about 1,000 people each
    for (int t = 1; t <= 6; ++t, ++teams)
      expected.push_back({id + "-T0" + std::to_string(t), id + "-SVC" + std::to_string((t - 1) % 3 + 1),
                          std::string(areas[t - 1]) + " Locality Team", "team"});
  }
  EXPECT_EQ(Rows(dir, TableId::kOrgUnits), expected);
  EXPECT_EQ(r->teams, teams);

  // People are numbered across councils; each lives in one council's areas,
  // and every record of theirs is of a team of that council.
  std::map<std::string, std::string> council_of;  // person -> "C002-"
  std::map<std::string, int64_t> people_in;
  for (const auto& p : Rows(dir, TableId::kPeople)) {
    ASSERT_GE(p[5].size(), 5u) << p[0];
    council_of[p[0]] = p[5].substr(0, 5);
    ++people_in[p[5].substr(0, 4)];
  }
  EXPECT_EQ(council_of.size(), 3000u);
  EXPECT_EQ(r->rows[static_cast<int>(TableId::kPeople)], 3000);
  for (int c = 0; c < 3; ++c) EXPECT_EQ(people_in[(*plans)[c].who.id], (*plans)[c].people);
  for (TableId t : {TableId::kRequests, TableId::kServices, TableId::kVisits, TableId::kReviews}) {
    std::set<std::string> ids;
    for (const auto& row : Rows(dir, t)) {
      ids.insert(row[0]);
      EXPECT_EQ(row[row.size() - 4].substr(0, 5), council_of[row[1]]) << Table(t).name << " " << row[0];
      EXPECT_EQ(row[row.size() - 3].substr(0, 5), council_of[row[1]]) << "worker of " << row[0];
    }
    EXPECT_EQ(ids.size(), Rows(dir, t).size()) << Table(t).name << ": ids unique across councils";
  }
  // Residents by each council's own areas.
  std::set<std::string> areas_seen;
  for (const auto& row : Rows(dir, TableId::kPopulations)) areas_seen.insert(row[0]);
  EXPECT_EQ(areas_seen.size(), 18u);
  EXPECT_EQ(areas_seen.count("C003-Fernhill"), 1u);

  // The named pattern is planted there only, and scenarios.json says so.
  ASSERT_EQ(r->planted.size(), 1u);
  EXPECT_EQ(r->planted[0].team, "C002-T03");
  auto doc = nlohmann::json::parse(ReadAll(dir / "scenarios.json"));
  ASSERT_EQ(doc["councils"].size(), 3u);
  EXPECT_EQ(doc["councils"][1]["id"], "C002");
  EXPECT_EQ(doc["councils"][1]["region"], "R2");
  EXPECT_EQ(doc["councils"][1]["people"], (*plans)[1].people);
  EXPECT_EQ(doc["councils"][1]["scenarios"], nlohmann::json::array({"C002-T03 letters"}));
  EXPECT_EQ(doc["councils"][0]["scenarios"], nlohmann::json::array());
  EXPECT_EQ(doc["scenarios"][0]["recorded_by"], "C002-adm03");
  EXPECT_EQ(doc["teams"].size(), 18u);

  // It loads: every reference resolves, and a team's chain runs up to the nation.
  SnapshotBuilder builder;
  for (const TableSpec& t : AllTables()) {
    for (const auto& row : Rows(dir, t.id)) {
      std::vector<std::string_view> views(row.begin(), row.end());
      Status s = builder.AddRow(t.id, views, 1);
      ASSERT_TRUE(s.ok()) << t.name << ": " << s.ToString();
    }
  }
  auto snap = builder.Finish();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->dangling_references(), 0);
  EXPECT_EQ((*snap)->org_tree().size(), 10 + 3 * 10);
  EXPECT_EQ((*snap)->org_tree().depth(39), 4);  // C003-T06 -> C003-SVC3 -> C003 -> R3 -> N00
  EXPECT_EQ((*snap)->org_tree().first_root(), 0);
  fs::remove_all(dir);
}

TEST(NationSimTest, SameSeedSameBytesAndCouncilsDrawTheirOwnPatterns) {
  fs::path a = TempDir("a"), b = TempDir("b");
  SimOptions o = National(40, 40000, 9);
  ASSERT_TRUE(Simulate(o, a).ok());
  auto r = Simulate(o, b);
  ASSERT_TRUE(r.ok());
  for (const TableSpec& t : AllTables()) EXPECT_EQ(ReadAll(a / t.FileName()), ReadAll(b / t.FileName())) << t.name;
  EXPECT_EQ(ReadAll(a / "scenarios.json"), ReadAll(b / "scenarios.json"));
  // Without --scenario each council plants what it drew, and nothing else.
  auto plans = PlanCouncils(40, 40000, 9);
  ASSERT_TRUE(plans.ok());
  std::vector<std::string> drawn, planted;
  for (const CouncilPlan& p : *plans)
    for (const ScenarioRequest& s : p.scenarios) drawn.push_back(s.team + " " + std::string(ScenarioName(s.kind)));
  for (const PlantedScenario& p : r->planted) {
    planted.push_back(p.team + " " + std::string(ScenarioName(p.kind)));
    EXPECT_GT(p.records, 0) << planted.back();
  }
  EXPECT_EQ(planted, drawn);
  EXPECT_GE(drawn.size(), 10u);
  for (const fs::path& p : {a, b}) fs::remove_all(p);
}

}  // namespace
}  // namespace goldthread::sim
