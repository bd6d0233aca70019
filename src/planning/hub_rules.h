#pragma once
// The rules the Carers' Hub audit rates cells by: Red/Amber/Green and the
// Early/Intermediate/Advanced scale (seed 001 section 8.7), under- and
// over-provision (section 8.3). A council edits them in a TOML file
// (`goldthread hub --rules FILE`; `--write-rules FILE` writes the defaults
// to start from). The defaults are the text of DefaultHubRulesToml(), so
// the file a council gets and the rules it runs without one are the same;
// docs/hub.md gives, for each threshold, the sentence of the seed it
// stands for.
//
// Percentages in the file are 0-100; the struct holds proportions (0-1).
// Plain value types; thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "planning/hub_codes.h"

namespace goldthread::planning {

struct ReachThresholds {
  double red_below = 0.005;      // [red] reach_below_percent
  double green_at_least = 0.02;  // [green] reach_at_least_percent
};

struct HubRules {
  ReachThresholds reach;
  /// [intervention.CODE]: an intervention's own reach thresholds.
  std::array<std::optional<ReachThresholds>, kHubInterventionCount> intervention_reach;
  double red_satisfaction_below = 0.20;
  /// A group's reach whose 95% upper limit is below this share of all
  /// carers' reach for the same intervention and area is red.
  double red_group_share_of_all = 0.5;
  double green_satisfaction_at_least = 0.40;
  double green_improved_at_least = 0.50;
  /// All carers' cell is green only if no overlooked group's is red.
  bool green_every_overlooked_group = true;
  int64_t min_respondents = 10;
  int64_t min_measured = 10;
  int64_t over_min_providers = 3;
  double over_provider_reach_below = 0.005;
  /// A target on one of these indicators is a plan for the Hub.
  std::vector<std::string> plan_indicators;
  int64_t plan_indicators_line = 0;  // where the file sets it; 0 the defaults
  std::string source;  // the file read, or "" for the defaults

  const ReachThresholds& ReachFor(int intervention) const {
    const auto& own = intervention_reach[static_cast<size_t>(intervention)];
    return own ? *own : reach;
  }
};

/// The default rules as a commented TOML file.
std::string_view DefaultHubRulesToml();
/// DefaultHubRulesToml() parsed.
const HubRules& DefaultHubRules();

/// Parses a rules file; keys left out keep their defaults. Errors name the
/// file, line and key: "rules.toml:4: red.reach_below_percent: expected a
/// number from 0 to 100 (got -1)", "rules.toml:9: green.colour: unknown key
/// (expected one of: reach_at_least_percent, ...)".
Result<HubRules> ParseHubRules(std::string_view toml_text, std::string_view source);
/// Reads the file through core/file.h's checked open, then parses it.
Result<HubRules> LoadHubRules(const std::string& path);
/// Every scale.plan_indicators id must be one of `indicator_ids` (the
/// indicators loaded), else no target could ever count as a plan:
/// "rules.toml:3: scale.plan_indicators: 'carer-qoll' is not an indicator
/// (the indicators are: ...)".
Status CheckPlanIndicators(const HubRules& rules, const std::vector<std::string>& indicator_ids);

}  // namespace goldthread::planning
