#pragma once
// The Carers' Hub scale's "firm plans in place" (seed 001 section 8.7,
// Intermediate) read from the council's loaded plan (issue 11): each target
// of the store's latest plan version as a HubPlanTarget. RunHubAudit keeps
// the ones on the rules' scale.plan_indicators that are due in or after the
// audited year and cover an area; `hub`, the reports and the dashboard all
// read the plan through this, so the scale says the same everywhere.

#include <vector>

#include "core/status.h"
#include "model/snapshot.h"
#include "planning/hub_audit.h"
#include "planning/plan_model.h"
#include "store/store.h"

namespace goldthread::planning {

/// Every target of doc, its org unit found in snap (-1 when the snapshot
/// has no such unit: such a target covers no area).
std::vector<HubPlanTarget> HubPlanTargets(const PlanDocument& doc, const Snapshot& snap);

/// The targets of the store's latest plan version; empty when the store
/// holds no plan.
Result<std::vector<HubPlanTarget>> LatestPlanHubTargets(Store& store, const Snapshot& snap);

}  // namespace goldthread::planning
