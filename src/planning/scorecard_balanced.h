#pragma once
// The balanced scorecard (Kaplan and Norton; seed 004): a page per
// perspective (financial, customer, internal process, learning and
// growth) with its objectives, each objective's targets and where they
// stand, rolled up. For the cabinet: objectives and target assurance.

#include <string>
#include <vector>

#include "planning/plan_evaluate.h"
#include "planning/plan_thread.h"
#include "planning/scorecard_target.h"

namespace goldthread::planning {

struct BalancedObjective {
  int32_t objective = -1;  // index into PlanDocument::objectives
  std::string id, title, owner, description;
  RollUp status;
  std::vector<std::string> plans;  // ids of the plans serving it
  std::vector<TargetLine> targets;
};

struct BalancedPerspective {
  Perspective perspective = Perspective::kCustomer;
  std::string title;  // "Internal process"
  RollUp status;      // over every target of its objectives, each once
  std::vector<BalancedObjective> objectives;
};

struct BalancedScorecard {
  std::vector<BalancedPerspective> perspectives;  // all four, in kPerspectives order
};

BalancedScorecard BuildBalancedScorecard(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs);

}  // namespace goldthread::planning
