#pragma once
// criteria_gap: counted cases that fail one or more criteria of their
// definition, claimed against substantiated, by criterion (shared/DESIGN.md
// section 6.1). The case is Somerset's (seed 002): 3,000 home-care users
// "moved on to personal budgets" by a letter that met one of the three
// criteria. A personal budget counts (pb-share) only when the person was
// informed of an upfront allocation, a support plan says what the money is
// for, and the person chooses how and when it is used; pb-share-claimed
// counts what the case system says (recorded_as_budget = Y).
//
// Evaluated at the end of each financial year in scope (and at the last
// month end of the data when it falls inside a year), per team.

#include <vector>

#include "integrity/check_util.h"
#include "integrity/config.h"

namespace goldthread::integrity {

std::vector<Finding> CheckCriteriaGap(const Snapshot& snap, const CriteriaGapConfig& config, const CheckScope& scope);

}  // namespace goldthread::integrity
