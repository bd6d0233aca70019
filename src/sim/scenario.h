#pragma once
// The gaming patterns the simulator can plant in one team (shared/seeds 002
// and 003; DESIGN.md section 6), so that the integrity checks have something
// known to find. Every other team stays clean.

#include <string>
#include <string_view>

#include "core/date.h"

namespace goldthread::sim {

enum class ScenarioKind {
  kLetters,           // a morning's batch of budgets claimed on a letter (Somerset)
  kBunching,          // assessments pulled to just inside the 28-day deadline
  kLateRegistration,  // requests received (clock start) long after first contact
  kClockReset,        // requests closed and re-opened to restart the clock
  kBackdating,        // entries made in the last week of the financial year
};
inline constexpr int kScenarioCount = 5;

/// "letters", "bunching", "late_registration", "clock_reset", "backdating".
std::string_view ScenarioName(ScenarioKind k);
/// The team a scenario goes to when none is named: letters T03,
/// bunching T05, late_registration T04, clock_reset T06, backdating T02.
std::string_view DefaultScenarioTeam(ScenarioKind k);

struct ScenarioRequest {
  ScenarioKind kind = ScenarioKind::kLetters;
  std::string team;  // "T03"
};

/// Parses "NAME" or "NAME:TEAM". On failure sets problem, e.g.
/// "unknown scenario 'letter' (expected one of: letters, bunching, ...)".
bool TryParseScenario(std::string_view text, ScenarioRequest& out, std::string& problem);

/// What was planted, for scenarios.json and the tests.
struct PlantedScenario {
  ScenarioKind kind = ScenarioKind::kLetters;
  std::string team;
  Date from = kNullDate;  // the period in which the pattern was planted
  Date to = kNullDate;
  int64_t records = 0;    // records made or altered by it
  std::string detail;     // one line: what to look for
};

}  // namespace goldthread::sim
