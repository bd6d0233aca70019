#pragma once
// Rating Hub cells (seed 001 section 8.7): Red/Amber/Green from the rules
// (hub_rules.h), each with its evidence and what is missing, and the
// Early/Intermediate/Advanced scale from the change on the previous year
// and the existence of a plan. Pure functions over hand-buildable cells, so
// the rules can be tested without a snapshot.

#include <string>
#include <vector>

#include "planning/hub_audit.h"
#include "planning/hub_rules.h"

namespace goldthread::planning {

/// Rates one cell. `all_carers` is the cell of all carers for the same
/// intervention and area (nullptr for all carers' own cell);
/// `red_overlooked` names the overlooked groups whose cell for the same
/// intervention and area is red (read for all carers' cell only). Sets
/// rating, evidence and missing.
void RateCell(HubCell& cell, const HubCell* all_carers, const std::vector<std::string>& red_overlooked,
              const HubRules& rules);

/// The Early/Intermediate/Advanced rating of a rated cell. `plan` names the
/// target that counts as a firm plan ("" none). Sets scale and
/// scale_evidence (and has_plan).
void ScaleCell(HubCell& cell, const std::string& plan, const HubRules& rules);

/// Whether a cell's reach is clearly (its 95% upper limit) under the red
/// threshold, or under rules.red_group_share_of_all of all carers' reach:
/// a shortfall chance cannot explain. 0 of 9 estimated carers is red
/// ("nothing offered") but not clearly low; 0 of 4,000 is both.
bool ClearlyLow(const HubCell& cell, const HubCell* all_carers, const HubRules& rules);

/// Rates every cell and total of the audit: groups before all carers, so
/// all carers' cells can see which overlooked groups are red. Plans: the
/// target, if any, that covers each area (hub_audit.cc finds them).
void RateAudit(HubAudit& audit, const HubRules& rules, const std::vector<std::string>& plan_by_area);

}  // namespace goldthread::planning
