#pragma once
// The costs audit as JSON (`goldthread costs --json`), in the shape of
// shared/DESIGN.md section 7: {"year", "services": [{"service_type",
// "budget", "spend", "activity_units", "unit", "unit_cost", "flags"}]}, with
// more fields beside those (docs/costs.md "JSON"). Absent values are null.

#include <string>

#include "model/snapshot.h"
#include "planning/costs_audit.h"

namespace goldthread::planning {

std::string CostsAuditToJson(const CostsAudit& audit, const Snapshot& snap);

}  // namespace goldthread::planning
