#pragma once
// Under- and over-provision in a rated Hub audit, and the answers the data
// give to the step-3 questions of seed 001 section 8.3 ("Who are current
// services and partnerships reaching? ... Where is there duplication or
// over-provision?").
//
// Under-provision: a cell whose shortfall chance cannot explain
// (hub_rating.h ClearlyLow): its reach's 95% upper limit is under the red
// threshold, or under a share of all carers' reach for the same support
// and area. Overlooked groups are listed first, then the other groups, then
// all carers; the council before its areas; lowest reach first.
// Over-provision: rules.over_min_providers or more providers running the
// same support for the same group and area, each reaching fewer than
// rules.over_provider_reach_below of the group's carers. A group's cell is
// listed only when all carers' cell of the same support and area is not.

#include "planning/hub_audit.h"
#include "planning/hub_rules.h"

namespace goldthread::planning {

void FindProvision(HubAudit& audit, const HubRules& rules);
void AnswerQuestions(HubAudit& audit, const HubRules& rules);

}  // namespace goldthread::planning
