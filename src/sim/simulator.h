#pragma once
// The synthetic council (shared/DESIGN.md section 2, issue 2 "Simulation"):
// writes every canonical CSV file of DESIGN.md section 3 into a directory,
// plus scenarios.json naming the gaming patterns planted and where.
//
// What is simulated: one council, 3 services, 6-12 locality teams T01..Tnn
// (more for larger councils), each serving one area A01..Ann and differing in
// performance; service users (about 80% aged 65+) and their carers; their
// requests, assessments, plans, services, visits, budgets, reviews, hospital
// episodes, care-home admissions, emergency plans, carers' survey answers,
// outcome measures, case audits and feedback; monthly finance per team and
// service type; resident populations per area, calendar year, age band
// (0-17, 18-64, 65-74, 75-84, 85+) and sex (F, M); estimated carers per area
// and group ("all", the carer group flags, the cared-for person's primary
// support reason).
//
// A national set (SimOptions::councils > 0, sim/nation.h): that many
// councils, each simulated as above with its own ids ("C001-T03"), size and
// character, under a national root and nine regions, in the same files.
//
// Dates: the window is the `months` months from `start`; a year of history
// before it is simulated too (existing caseload, reviews due), so snapshot
// indicators are meaningful from the window's first month. Nothing is dated
// after the window's last day, recorded_at included (an extract taken then).
//
// Determinism: the same options give byte-identical files. Every person has
// their own random stream derived from (seed, person number).

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "model/schema.h"
#include "sim/scenario.h"

namespace goldthread::sim {

struct SimOptions {
  int64_t people = 5000;  // rows of people.csv: service users and carers
  int months = 36;
  uint64_t seed = 1;
  Date start = kNullDate;  // first day of the window's first month (required)
  std::vector<ScenarioRequest> scenarios;
  /// 0: one council (C00). N > 0: a national set of N councils under a
  /// national root N00 in regions R1..R9 (sim/nation.h), `people` shared
  /// among them; `scenarios` then name teams in full ("C003-T05") and
  /// replace the patterns each council would otherwise draw for itself.
  int councils = 0;
};

struct SimSummary {
  Date start = kNullDate;  // window
  Date end = kNullDate;
  int teams = 0;     // in every council
  int councils = 0;  // 0 for one council
  int64_t rows[kTableCount] = {};
  int64_t total_rows = 0;
  int64_t total_bytes = 0;
  std::vector<PlantedScenario> planted;
};

/// The number of teams for a council of this many people (6..12).
int TeamCountFor(int64_t people);

/// The default window start: the window of `months` months ends with the last
/// complete financial-year quarter (June, September, December or March)
/// before `today`. Today 2026-11-23 and 36 months gives 2023-10-01 (to 2026-09).
Date DefaultStart(Date today, int months);

/// Writes the council into out_dir (created if missing; files overwritten).
/// Errors: InvalidArgument for bad options (people < 100, months outside
/// 1..240, a scenario team that does not exist, a scenario named twice),
/// IOError when a file cannot be written.
Result<SimSummary> Simulate(const SimOptions& options, const std::filesystem::path& out_dir);

}  // namespace goldthread::sim
