#pragma once
// The JSON of the plan commands (`plan check|show|versions --json`,
// `scorecard --json`, `story list --json`), the same documents the
// dashboard serves under /api/ (docs/plans.md, "JSON"). Field names follow
// DESIGN section 10 where they overlap (period, org_unit, value, ci_low,
// mean, lpl, upl, point_type, assurance).

#include <string>
#include <vector>

#include "planning/plan_evaluate.h"
#include "planning/plan_load.h"
#include "planning/plan_thread.h"
#include "planning/scorecard_balanced.h"
#include "planning/scorecard_oba.h"
#include "planning/scorecard_target.h"
#include "planning/scorecard_team.h"
#include "planning/target_cases.h"
#include "store/plan_records.h"

namespace goldthread::planning {

/// {"file", "refused", "errors", "warnings", "diagnostics": [...], "targets": [...]}
std::string CheckJson(const PlanCheckResult& checked, const DefinitionIndex& defs);
/// The thread: version, years, objectives, plans and targets with their
/// statuses; with curves, every curve's history and forecast too.
std::string PlanJson(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs, bool curves);
std::string BalancedJson(const BalancedScorecard& card);
std::string ObaJson(const ObaScorecard& card);
std::string TeamProgressJson(const std::vector<TeamProgress>& teams);
/// A figure's way up the thread and down to its cases (`plan trace`):
/// {"indicator", "org_unit", "curve", "targets", "plans", "objectives", "cases"}.
std::string TraceJson(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs,
                      const ThreadUp& up, const Curve* curve, const FigureCases* cases);
std::string VersionsJson(const std::vector<PlanVersionInfo>& versions);
std::string StoriesJson(const std::vector<StoryRecord>& stories);

}  // namespace goldthread::planning
