#include "sim/scenario.h"

namespace goldthread::sim {
namespace {

struct ScenarioInfo {
  ScenarioKind kind;
  std::string_view name;
  std::string_view default_team;
};

constexpr ScenarioInfo kScenarios[] = {
    {ScenarioKind::kLetters, "letters", "T03"},
    {ScenarioKind::kBunching, "bunching", "T05"},
    {ScenarioKind::kLateRegistration, "late_registration", "T04"},
    {ScenarioKind::kClockReset, "clock_reset", "T06"},
    {ScenarioKind::kBackdating, "backdating", "T02"},
};
static_assert(sizeof(kScenarios) / sizeof(kScenarios[0]) == kScenarioCount);

}  // namespace

std::string_view ScenarioName(ScenarioKind k) { return kScenarios[static_cast<int>(k)].name; }

std::string_view DefaultScenarioTeam(ScenarioKind k) {
  return kScenarios[static_cast<int>(k)].default_team;
}

bool TryParseScenario(std::string_view text, ScenarioRequest& out, std::string& problem) {
  std::string_view name = text, team;
  if (size_t colon = text.find(':'); colon != std::string_view::npos) {
    name = text.substr(0, colon);
    team = text.substr(colon + 1);
    if (team.empty()) {
      problem = "scenario '" + std::string(text) + "' names no team after ':' (expected NAME:TEAM, e.g. letters:T03)";
      return false;
    }
  }
  for (const ScenarioInfo& s : kScenarios) {
    if (s.name == name) {
      out.kind = s.kind;
      out.team = std::string(team.empty() ? s.default_team : team);
      return true;
    }
  }
  problem = "unknown scenario '" + std::string(name) + "' (expected one of:";
  for (size_t i = 0; i < kScenarioCount; ++i) {
    problem += i == 0 ? " " : ", ";
    problem += kScenarios[i].name;
  }
  problem += ")";
  return false;
}

}  // namespace goldthread::sim
