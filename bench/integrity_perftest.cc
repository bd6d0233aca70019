// The integrity checks' false-positive and detection figures (issue 5,
// "Measured, not assumed"), on simulated councils through the same path as
// `goldthread check`: simulate -> import into SQLite -> snapshot -> checks.
//
//   integrity_perftest [--people N] [--months M] [--seeds S] [--verbose]
//
// Every check runs, the indicator checks too: the built-in definitions are
// loaded and computed by quarter (the simulator writes a year of history
// before its window, so 24 months leave implausible_jump and
// process_outcome_divergence eight quarters after their 12-month warm-up).
//
// Prints (1) on S clean councils, the medium+high findings per team-year
// (target < 5%), by check; (2) for each scenario planted alone, whether the
// matching check found the planted team and the rank of its first finding
// in the ranked list.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "indicators/definition.h"
#include "ingest/import.h"
#include "integrity/checks.h"
#include "integrity/indicator_series.h"
#include "sim/simulator.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace gt = goldthread;
namespace fs = std::filesystem;

namespace {

struct Run {
  std::vector<gt::integrity::Finding> findings;
  int teams = 0;
  double check_seconds = 0;  // the checks (with the engine run), not simulate/import/snapshot
};

Run Simulate(int64_t people, int months, uint64_t seed, std::vector<gt::sim::ScenarioRequest> scenarios) {
  fs::path dir = fs::temp_directory_path() / ("gt_integrity_perf_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  gt::sim::SimOptions o;
  o.people = people;
  o.months = months;
  o.seed = seed;
  o.start = gt::DateFromCivil(2024, 10, 1);
  o.scenarios = std::move(scenarios);
  Run run;
  auto summary = gt::sim::Simulate(o, dir / "csv");
  if (!summary.ok()) {
    std::fprintf(stderr, "simulate: %s\n", summary.status().ToString().c_str());
    std::exit(1);
  }
  run.teams = summary->teams;
  auto store = gt::OpenStore((dir / "store.db").string(), gt::OpenMode::kCreateIfMissing);
  gt::ImportOptions io;
  io.imported_by = "perftest";
  auto imported = gt::ImportDirectory(**store, (dir / "csv").string(), io);
  if (!imported.ok() || !imported->committed) {
    std::fprintf(stderr, "import failed\n");
    std::exit(1);
  }
  auto snap = gt::LoadSnapshot(**store);
  static const auto defs = gt::indicators::LoadDefinitionDir(gt::indicators::BuiltInDir());
  if (!snap.ok() || !defs.ok()) {
    std::fprintf(stderr, "snapshot or definitions failed\n");
    std::exit(1);
  }
  auto t0 = std::chrono::steady_clock::now();
  auto findings = gt::integrity::RunChecksWithIndicators(**snap, gt::integrity::CheckConfig{},
                                                         gt::integrity::CheckScope{}, *defs);
  run.check_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!findings.ok()) {
    std::fprintf(stderr, "checks: %s\n", findings.status().ToString().c_str());
    std::exit(1);
  }
  run.findings = std::move(findings).value();
  store->reset();
  fs::remove_all(dir);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t people = 3000;
  int months = 24, seeds = 10;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--verbose")) {
      verbose = true;
      continue;
    }
    if (i + 1 >= argc) break;
    if (!std::strcmp(argv[i], "--people")) people = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--months")) months = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seeds")) seeds = std::atoi(argv[i + 1]);
    ++i;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::map<std::string, int> by_check;
  int flagged = 0;
  std::map<std::string, int> low_by_check;
  double team_years = 0, check_seconds = 0;
  for (int s = 1; s <= seeds; ++s) {
    Run run = Simulate(people, months, 1000 + s, {});
    team_years += run.teams * months / 12.0;
    check_seconds += run.check_seconds;
    for (const auto& f : run.findings) {
      if (f.severity != gt::integrity::Severity::kLow) {
        ++flagged, ++by_check[f.check];
        if (verbose)
          std::printf("    seed %d: %s %s %s: %s\n", 1000 + s, f.check.c_str(), f.org_unit.c_str(),
                      f.period.c_str(), f.summary.c_str());
      } else {
        ++low_by_check[f.check];
      }
    }
  }
  std::printf("clean councils: %d seeds x %lld people x %d months, %.0f team-years\n", seeds,
              static_cast<long long>(people), months, team_years);
  std::printf("  medium+high findings: %d = %.2f%% per team-year (target < 5%%)\n", flagged,
              100.0 * flagged / team_years);
  for (const auto& [check, n] : by_check) std::printf("    %-28s %d\n", check.c_str(), n);
  std::printf("  low findings, by check:\n");
  for (const auto& [check, n] : low_by_check) std::printf("    %-28s %d\n", check.c_str(), n);
  std::printf("  checks (engine included): %.2f s per council on average\n", check_seconds / seeds);

  struct Case {
    gt::sim::ScenarioKind kind;
    const char* team;
    const char* check;
    const char* alt;
  };
  const Case cases[] = {{gt::sim::ScenarioKind::kLetters, "T03", "criteria_gap", "bulk_change"},
                        {gt::sim::ScenarioKind::kBunching, "T05", "deadline_bunching", ""},
                        {gt::sim::ScenarioKind::kLateRegistration, "T04", "late_registration", ""},
                        {gt::sim::ScenarioKind::kClockReset, "T06", "clock_reset", ""},
                        {gt::sim::ScenarioKind::kBackdating, "T02", "backdating", "period_end_surge"}};
  std::printf("scenarios (seed 2000 + i, planted alone):\n");
  int i = 0;
  for (const Case& c : cases) {
    Run run = Simulate(people, months, 2000 + ++i, {{c.kind, c.team}});
    int rank = 0, medium_high = 0, found_rank = -1, elsewhere = 0;
    std::map<std::string, int> in_team;  // medium+high findings in the planted team, by check
    for (const auto& f : run.findings) {
      ++rank;
      if (f.severity != gt::integrity::Severity::kLow) {
        ++medium_high;
        if (f.org_unit == c.team)
          ++in_team[f.check];
        else
          ++elsewhere;
      }
      if (found_rank < 0 && f.org_unit == c.team && (f.check == c.check || f.check == c.alt)) found_rank = rank;
    }
    std::string checks;
    for (const auto& [check, n] : in_team)
      checks += (checks.empty() ? "" : ", ") + check + " " + std::to_string(n);
    std::printf(
        "  %-18s %s: %s, first at rank %d of %zu findings (%d medium+high; in %s: %s; elsewhere: %d)\n",
        std::string(gt::sim::ScenarioName(c.kind)).c_str(), c.team, found_rank > 0 ? "FOUND" : "MISSED",
        found_rank, run.findings.size(), medium_high, c.team, checks.c_str(), elsewhere);
  }
  std::printf("elapsed %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
