// Detection and false-positive figures fixed on small simulated councils
// (issue 5, "Measured, not assumed"): each planted scenario is found by its
// check in its team, and a clean council yields no medium or high finding.
// The full figures (10 clean seeds, each scenario) are in the README and
// come from the same pipeline at a larger size.

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include <set>

#include "ingest/import.h"
#include "integrity/checks.h"
#include "sim/simulator.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace goldthread::integrity {
namespace {

std::vector<Finding> Simulated(uint64_t seed, const std::vector<sim::ScenarioRequest>& scenarios) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("gt_integrity_" + std::to_string(::getpid()) + "_" + std::to_string(seed));
  fs::remove_all(dir);
  sim::SimOptions o;
  o.people = 2000;
  o.months = 24;
  o.seed = seed;
  o.start = DateFromCivil(2024, 10, 1);
  o.scenarios = scenarios;
  auto summary = sim::Simulate(o, dir / "csv");
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  auto store = OpenStore((dir / "store.db").string(), OpenMode::kCreateIfMissing);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  ImportOptions io;
  io.imported_by = "test";
  auto imported = ImportDirectory(**store, (dir / "csv").string(), io);
  EXPECT_TRUE(imported.ok() && imported->committed);
  auto snap = LoadSnapshot(**store);
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  std::vector<Finding> findings = RunChecks(**snap, CheckConfig{}, CheckScope{});
  store->reset();
  fs::remove_all(dir);
  return findings;
}

bool Found(const std::vector<Finding>& findings, std::string_view check, std::string_view team) {
  for (const Finding& f : findings)
    if (f.check == check && f.org_unit == team && f.severity != Severity::kLow) return true;
  return false;
}

TEST(IntegrityDetectionTest, CleanCouncilHasNoMediumOrHighFindings) {
  for (const Finding& f : Simulated(11, {}))
    EXPECT_EQ(f.severity, Severity::kLow) << f.check << " " << f.org_unit << " " << f.period << ": " << f.summary;
}

TEST(IntegrityDetectionTest, EveryPlantedScenarioIsFoundInItsTeam) {
  auto findings = Simulated(12, {{sim::ScenarioKind::kLetters, "T03"},
                                 {sim::ScenarioKind::kBunching, "T05"},
                                 {sim::ScenarioKind::kLateRegistration, "T04"},
                                 {sim::ScenarioKind::kClockReset, "T06"},
                                 {sim::ScenarioKind::kBackdating, "T02"}});
  EXPECT_TRUE(Found(findings, "criteria_gap", "T03"));
  EXPECT_TRUE(Found(findings, "deadline_bunching", "T05"));
  EXPECT_TRUE(Found(findings, "late_registration", "T04"));
  EXPECT_TRUE(Found(findings, "clock_reset", "T06"));
  EXPECT_TRUE(Found(findings, "backdating", "T02") || Found(findings, "period_end_surge", "T02"));
  // Every medium or high finding is one of the planted teams: nothing else
  // crowds them out of the top of the list.
  std::set<std::string> planted = {"T02", "T03", "T04", "T05", "T06"};
  for (const Finding& f : findings)
    if (f.severity != Severity::kLow) {
      EXPECT_TRUE(planted.count(f.org_unit)) << f.check << " " << f.org_unit;
    }
}

}  // namespace
}  // namespace goldthread::integrity
