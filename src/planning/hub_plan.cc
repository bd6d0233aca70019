#include "planning/hub_plan.h"

#include "planning/plan_load.h"

namespace goldthread::planning {

std::vector<HubPlanTarget> HubPlanTargets(const PlanDocument& doc, const Snapshot& snap) {
  std::vector<HubPlanTarget> out;
  out.reserve(doc.targets.size());
  for (const Target& t : doc.targets)
    out.push_back({t.plan, t.indicator, snap.FindOrgUnit(t.org_unit), t.org_unit, t.by});
  return out;
}

Result<std::vector<HubPlanTarget>> LatestPlanHubTargets(Store& store, const Snapshot& snap) {
  auto plan = LoadStoredPlan(store, 0, snap);
  if (!plan.ok()) return plan.status();
  if (!*plan) return std::vector<HubPlanTarget>();
  return HubPlanTargets((*plan)->doc, snap);
}

}  // namespace goldthread::planning
