#pragma once
// Quarterly team progress (seed 003: "information will be made available
// about progress against the PI on a team basis quarterly"): for each team
// plan, its prime indicators in one quarter (the figure, the quarter
// before, the SPC point type), each target on them with the objective it
// serves, its owner and where it stands now, and the team's roll-up.

#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "planning/plan_evaluate.h"
#include "planning/plan_thread.h"
#include "planning/scorecard_target.h"

namespace goldthread::planning {

struct TeamPrimeLine {
  std::string indicator, title;
  indicators::Oba oba = indicators::Oba::kHowWell;
  indicators::Unit unit = indicators::Unit::kPercent;
  double rate_per = 100000;  // the definition's: a rate is "per 1,000" when 1000
  indicators::Polarity polarity = indicators::Polarity::kUp;
  std::optional<double> value, previous;  // this quarter, the one before
  bool provisional = false;
  std::optional<stats::PointType> point_type;
  std::string owner;  // the plan's owners entry, else the first target's owner
  std::vector<TargetLine> targets;
  int32_t curve = -1;  // index into PlanEvaluation::curves (quarters)
};

struct TeamProgress {
  int32_t plan = -1;
  std::string plan_id, org_unit, name, owner;
  Period quarter;
  std::vector<TeamPrimeLine> prime;
  RollUp status;  // of the team's own targets
};

/// Every team plan (org unit kind "team"), or only org_unit's; quarter:
/// the financial quarter to show, nullopt for the latest in the data.
std::vector<TeamProgress> BuildTeamProgress(const LoadedPlan& plan, const PlanEvaluation& ev,
                                            const DefinitionIndex& defs, std::optional<Period> quarter,
                                            std::string_view org_unit = "");

}  // namespace goldthread::planning
