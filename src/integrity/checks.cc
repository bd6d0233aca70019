#include "integrity/checks.h"

#include "integrity/bunching.h"
#include "integrity/criteria.h"
#include "integrity/data_quality.h"
#include "integrity/entry.h"
#include "integrity/registration.h"

namespace goldthread::integrity {

std::vector<Finding> RunChecks(const Snapshot& snap, const CheckConfig& config, const CheckScope& scope) {
  std::vector<Finding> all;
  auto add = [&all](std::vector<Finding> found) {
    for (Finding& f : found) all.push_back(std::move(f));
  };
  add(CheckCriteriaGap(snap, config.criteria_gap, scope));
  add(CheckBulkChange(snap, config.bulk_change, scope));
  add(CheckDeadlineBunching(snap, config.deadline_bunching, scope));
  add(CheckLateRegistration(snap, config.late_registration, scope));
  add(CheckClockReset(snap, config.clock_reset, scope));
  add(CheckBackdating(snap, config.backdating, scope));
  add(CheckPeriodEndSurge(snap, config.period_end_surge, scope));
  add(CheckDataQuality(snap, config.data_quality, scope));
  RankFindings(all);
  return all;
}

}  // namespace goldthread::integrity
