#pragma once
// A national data set (goldthread simulate --councils N; issue 14 "National
// scale"): N councils as org-unit trees under one national root, in the nine
// English regions, so that regional and national roll-ups and funnel plots
// across councils mean something. Each council has its own character, drawn
// from its own random stream (so council 7 is the same whatever N is): its
// size, how well its teams are run, its direct-payment and survey levels,
// and the gaming patterns planted in it. Internal to the simulator.
//
// The tree: N00 (nation) -> R1..R9 (region) -> C001..Cnnn (council) ->
// C001-SVC1.. (service) -> C001-T01.. (team). Every id of a council (org
// units, workers, users, areas) starts with its id and '-'.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "sim/council.h"
#include "sim/csv_writer.h"
#include "sim/scenario.h"

namespace goldthread::sim {

inline constexpr int kMaxCouncils = 1000;
/// Each council of a national set gets at least this many people on average.
inline constexpr int64_t kMinPeoplePerCouncil = 1000;
inline constexpr int kRegionCount = 9;

struct CouncilPlan {
  CouncilIdentity who;       // id "C001", name, parent region "R1", prefix "C001-", shifts
  int64_t people = 0;        // its share of the national people
  int teams = 0;             // TeamCountFor(people)
  uint64_t stream = 0;       // seeds BuildCouncil's random stream
  std::vector<ScenarioRequest> scenarios;  // drawn for it (team ids in full: "C001-T03")
};

/// The region of council number k (0-based): k % 9, so every region has
/// councils once there are nine. "R1".."R9".
std::string RegionId(int k);

/// Plans `councils` councils sharing `people` people (sizes drawn log-normal,
/// each at least 100). InvalidArgument when councils is outside
/// 1..kMaxCouncils or people < kMinPeoplePerCouncil * councils.
Result<std::vector<CouncilPlan>> PlanCouncils(int councils, int64_t people, uint64_t seed);

/// The national root and the regions.
void WriteNationAndRegions(CsvWriter& w);

}  // namespace goldthread::sim
