#include "planning/scorecard_balanced.h"

#include <algorithm>

namespace goldthread::planning {

BalancedScorecard BuildBalancedScorecard(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs) {
  BalancedScorecard card;
  const PlanDocument& doc = plan.doc;
  for (Perspective p : kPerspectives) {
    BalancedPerspective page;
    page.perspective = p;
    page.title = std::string(PerspectiveTitle(p));
    std::vector<int32_t> seen;
    std::vector<TargetState> states;
    for (size_t o = 0; o < doc.objectives.size(); ++o) {
      const Objective& obj = doc.objectives[o];
      if (obj.perspective != p) continue;
      BalancedObjective bo;
      bo.objective = static_cast<int32_t>(o);
      bo.id = obj.id, bo.title = obj.title, bo.owner = obj.owner, bo.description = obj.description;
      bo.status = ev.objectives[o];
      for (int32_t pl : plan.thread.plans_of_objective[o]) bo.plans.push_back(doc.plans[pl].id);
      for (int32_t t : plan.thread.targets_of_objective[o]) {
        bo.targets.push_back(MakeTargetLine(plan, ev, defs, t));
        if (std::find(seen.begin(), seen.end(), t) == seen.end()) {
          seen.push_back(t);
          states.push_back(ev.targets[t].state);
        }
      }
      page.objectives.push_back(std::move(bo));
    }
    page.status = RollUpOf(states);
    card.perspectives.push_back(std::move(page));
  }
  return card;
}

}  // namespace goldthread::planning
