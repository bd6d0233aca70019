// The integrity checks' false-positive and detection figures (issue 5,
// "Measured, not assumed"), on simulated councils through the same path as
// `goldthread check`: simulate -> import into SQLite -> snapshot -> checks.
//
//   integrity_perftest [--people N] [--months M] [--seeds S] [--rush N] [--rush-only] [--verbose]
//
// Every check runs, the indicator checks too: the built-in definitions are
// loaded and computed by quarter (the simulator writes a year of history
// before its window, so 24 months leave implausible_jump and
// process_outcome_divergence eight quarters after their 12-month warm-up).
//
// Prints (1) on S clean councils, the medium+high findings per team-year
// (target < 5%), by check; (2) for each scenario planted alone, whether the
// matching check found the planted team and the rank of its first finding
// in the ranked list; (3) a year-end rush of reviews alone (issue 9): on a
// clean council, N reviews of T02 (--rush N, default 200) for work done
// from October to February are keyed in the last seven days of 2025-26 by
// the team's own users, among the council's thousands of timely rows of
// every other kind. The simulator's backdating scenario delays every record
// type of its team; this one only reviews.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

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

// Appends n reviews of team T02 to the simulated reviews.csv: completed
// from 2025-10-01 to 2026-02-28 and recorded in the last 7 days of
// 2025-26 (weekdays, 10:00-16:00) by five of the team's users (each day all five), for the
// first n service users.
void PlantYearEndReviews(const fs::path& csv, int n) {
  std::ifstream people(csv / "people.csv");
  std::string line;
  std::vector<std::string> users;
  std::getline(people, line);  // header
  while (static_cast<int>(users.size()) < n && std::getline(people, line))
    if (line.find(",service_user,") != std::string::npos) users.push_back(line.substr(0, line.find(',')));
  std::ofstream out(csv / "reviews.csv", std::ios::app);
  const gt::Date from = gt::DateFromCivil(2025, 10, 1), to = gt::DateFromCivil(2026, 2, 28);
  const gt::Date last_week[] = {gt::DateFromCivil(2026, 3, 25), gt::DateFromCivil(2026, 3, 26),
                                gt::DateFromCivil(2026, 3, 27), gt::DateFromCivil(2026, 3, 30),
                                gt::DateFromCivil(2026, 3, 31)};
  for (int k = 0; k < static_cast<int>(users.size()); ++k) {
    const gt::Date done = from + static_cast<int>(static_cast<int64_t>(k) * (to - from) / n);
    out << "RUSH" << k << "," << users[k] << ",planned,," << gt::FormatDate(done) << ",Y,T02,W020"
        << (1 + k % 5) << "," << gt::FormatDate(last_week[k % 5]) << "T1" << k % 7 << ":00:00Z,u020"
        << (1 + k / 5 % 5) << "\n";
  }
}

Run Simulate(int64_t people, int months, uint64_t seed, std::vector<gt::sim::ScenarioRequest> scenarios,
             const std::function<void(const fs::path&)>& tamper = {}) {
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
  if (tamper) tamper(dir / "csv");
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
  int months = 24, seeds = 10, rush = 200;
  bool verbose = false, rush_only = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--verbose")) {
      verbose = true;
      continue;
    }
    if (!std::strcmp(argv[i], "--rush-only")) {
      rush_only = true;
      continue;
    }
    if (i + 1 >= argc) break;
    if (!std::strcmp(argv[i], "--people")) people = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--months")) months = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seeds")) seeds = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--rush")) rush = std::atoi(argv[i + 1]);
    ++i;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::map<std::string, int> by_check;
  int flagged = 0;
  std::map<std::string, int> low_by_check;
  double team_years = 0, check_seconds = 0;
  for (int s = 1; s <= seeds && !rush_only; ++s) {
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
  if (!rush_only) {
    std::printf("clean councils: %d seeds x %lld people x %d months, %.0f team-years\n", seeds,
                static_cast<long long>(people), months, team_years);
    std::printf("  medium+high findings: %d = %.2f%% per team-year (target < 5%%)\n", flagged,
                100.0 * flagged / team_years);
    for (const auto& [check, n] : by_check) std::printf("    %-28s %d\n", check.c_str(), n);
    std::printf("  low findings, by check:\n");
    for (const auto& [check, n] : low_by_check) std::printf("    %-28s %d\n", check.c_str(), n);
    std::printf("  checks (engine included): %.2f s per council on average\n", check_seconds / seeds);
    std::printf("scenarios (seed 2000 + i, planted alone):\n");
  }

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
  int i = rush_only ? static_cast<int>(std::size(cases)) : 0;
  for (const Case& c : cases) {
    if (rush_only) break;
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
      if (found_rank < 0 && f.org_unit == c.team && (f.check == c.check || f.check == c.alt))
        found_rank = rank;
    }
    std::string checks;
    for (const auto& [check, n] : in_team)
      checks += (checks.empty() ? "" : ", ") + check + " " + std::to_string(n);
    std::printf(
        "  %-18s %s: %s, first at rank %d of %zu findings (%d medium+high; in %s: %s; elsewhere: %d)\n",
        std::string(gt::sim::ScenarioName(c.kind)).c_str(), c.team, found_rank > 0 ? "FOUND" : "MISSED",
        found_rank, run.findings.size(), medium_high, c.team, checks.c_str(), elsewhere);
  }
  {
    Run run = Simulate(people, months, 2000 + ++i, {},
                       [&](const fs::path& csv) { PlantYearEndReviews(csv, rush); });
    int rank = 0, found_rank = -1, elsewhere = 0;
    std::string how;
    for (const auto& f : run.findings) {
      ++rank;
      if (f.severity == gt::integrity::Severity::kLow) continue;
      const bool entry_check =
          f.check == "backdating" || f.check == "period_end_surge" || f.check == "bulk_change";
      if (f.org_unit == "T02" && entry_check) {
        if (found_rank < 0) found_rank = rank;
        how += (how.empty() ? "" : "; ") + f.check + " " + f.period;
      } else if (f.org_unit != "T02") {
        ++elsewhere;
      }
    }
    std::printf(
        "  year-end reviews   T02 (%d reviews): %s, first at rank %d of %zu findings (%s; elsewhere: %d)\n",
        rush, found_rank > 0 ? "FOUND" : "MISSED", found_rank, run.findings.size(), how.c_str(), elsewhere);
  }
  std::printf("elapsed %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
