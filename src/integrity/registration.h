#pragma once
// Checks on when the clock starts: late_registration (requests received,
// the clock start, long after first contact) and clock_reset (a request
// closed and a new one opened for the same person soon after, which starts
// the clock again). Seed 003: "managers have ... delayed taking referrals
// or pretended the work has finished when it hasn't".
//
// Both compare each team's share with its peers' in the same financial
// year on a funnel plot (shared/STATISTICS.md section 3): a team fires when
// it is a high outlier beyond the 99.8% limits and its share is above a
// floor that matters.

#include <vector>

#include "integrity/check_util.h"
#include "integrity/config.h"

namespace goldthread::integrity {

std::vector<Finding> CheckLateRegistration(const Snapshot& snap, const LateRegistrationConfig& config,
                                           const CheckScope& scope);

std::vector<Finding> CheckClockReset(const Snapshot& snap, const ClockResetConfig& config, const CheckScope& scope);

}  // namespace goldthread::integrity
