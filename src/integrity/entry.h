#pragma once
// Checks on when records were entered, from the lineage columns
// (recorded_at, recorded_by) and import batches of every case record:
//
// - backdating: lag = recorded_at − event date; each team's monthly upper
//   quantile (90th) of the lag on an XmR chart (shared/STATISTICS.md
//   section 2), flagged on special cause above the mean by a shift that
//   matters.
// - period_end_surge: the share of a quarter's entries made in its last k
//   days divided by k / days in the quarter; each team's quarters on a
//   p-chart, and the quarter's teams on a funnel; flagged on special cause.
// - bulk_change: records entered per team per day against the team's own
//   Poisson rate; a day beyond the 99.8% limit where one user or one batch
//   made most of the entries.
//
// Records without recorded_at have unknown lineage: they are counted in the
// evidence ("lineage_unknown") and never guessed at.

#include <vector>

#include "integrity/check_util.h"
#include "integrity/config.h"

namespace goldthread::integrity {

std::vector<Finding> CheckBackdating(const Snapshot& snap, const BackdatingConfig& config, const CheckScope& scope);

std::vector<Finding> CheckPeriodEndSurge(const Snapshot& snap, const PeriodEndSurgeConfig& config,
                                         const CheckScope& scope);

std::vector<Finding> CheckBulkChange(const Snapshot& snap, const BulkChangeConfig& config, const CheckScope& scope);

/// The smallest c with P(X <= c) >= q for X ~ Poisson(lambda).
int64_t PoissonQuantile(double lambda, double q);

}  // namespace goldthread::integrity
