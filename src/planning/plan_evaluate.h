#pragma once
// A plan against the data: computes every indicator the plan names, at the
// org units it names, by the periods its targets are judged on (the engine
// of indicators/engine.h, unchanged, group "all" only), charts and forecasts
// each curve, checks each target's realism, judges its status and rolls the
// statuses up the thread. What `plan check --store`, `plan show`, the
// scorecards, the reports and the dashboard read.
//
// Adds the diagnostics that need the data: a target whose indicator has no
// figure at its unit is refused (not Measurable); a target that is not
// stretching, or needs a change of practice, is warned about.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "indicators/definition.h"
#include "planning/plan_model.h"
#include "planning/plan_thread.h"
#include "planning/target_curve.h"
#include "planning/target_status.h"

namespace goldthread {
class Snapshot;
}

namespace goldthread::planning {

struct EvaluateOptions {
  Date data_end = kNullDate;  // kNullDate: the last day in the data (model/data_end.h)
  int max_months = 36;        // the history computed, ending with the data's last month (compute's default)
  bool keep_cases = false;    // keep the persons behind each curve's latest figure
  int threads = 0;            // the engine's; 0: every core
};

struct PlanEvaluation {
  Date data_end = kNullDate;
  std::vector<Curve> curves;
  std::vector<TargetStatus> targets;  // parallel to PlanDocument::targets
  std::vector<RollUp> plans_own;      // parallel to plans: the plan's own targets
  std::vector<RollUp> plans;          // parallel to plans: its targets and every plan's below it
  std::vector<RollUp> objectives;     // parallel to objectives: the targets of the plans serving it
  std::vector<Diagnostic> diagnostics;

  /// Index of the curve of indicator at org_unit by per, or -1.
  int32_t FindCurve(std::string_view indicator, std::string_view org_unit, PeriodKind per) const;
};

/// plan.org must come from the same snapshot. defs: every definition the
/// plan may name (built-in and local).
Result<PlanEvaluation> EvaluatePlan(const LoadedPlan& plan, const Snapshot& snap,
                                    const std::vector<indicators::Definition>& defs,
                                    const EvaluateOptions& options = {});

}  // namespace goldthread::planning
