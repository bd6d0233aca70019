#pragma once
// process_outcome_divergence (shared/DESIGN.md section 6.7): a process
// indicator moving in its better direction by special cause while every
// outcome indicator it is meant to move (its definition's `links`) stays
// without improvement: "hitting the target and missing the point". A team
// that closes assessments just inside 28 days lifts assessment-28d without
// anyone being better off, and no outcome follows.
//
// For each process indicator with links, per unit (each team and the
// council), on the quarterly series after the warm-up (indicator_series.h):
//  1. Chart the process: a p-chart of numerator/denominator for percent
//     indicators, an XmR chart of the values otherwise (shared/STATISTICS.md
//     section 2, NHSRplotthedots rules: outside, trend, two-in-three,
//     shift; the run length is configurable, 6 or 7). A period with fewer
//     than min_denominator cases is left out (missing); fewer than
//     min_points charted periods: not judged.
//  2. The process fires when a point of the last `window` periods is an
//     improvement (by the definition's polarity) and the recent periods
//     beat the earlier ones by at least min_change: percentage points for a
//     percent indicator (pooled numerators over pooled denominators), else
//     that percentage of the earlier level. Special cause alone is not
//     enough: on a council's thousands of cases a rise of one point is
//     special cause, and not worth an auditor's time.
//  3. Each linked outcome is charted the same way for the same unit; it
//     "moved" when any of its points in the same window is an improvement.
//     An outcome with too few charted periods is not measured (named in the
//     evidence). The finding needs at least one measured outcome and none
//     moved. Severity: high when a measured outcome got worse (a concern
//     point in the window), else medium.
// Outcomes lag their processes (a follow-up measure months after the
// assessment, 91 days after discharge), so the finding says when to look
// again: outcome_lag_months after the last improved period.

#include <vector>

#include "integrity/config.h"
#include "integrity/finding.h"
#include "integrity/indicator_series.h"

namespace goldthread::integrity {

/// Findings over every process indicator of the set that links to outcome
/// indicators also in the set. Links to unknown ids are ignored.
std::vector<Finding> CheckProcessOutcomeDivergence(const IndicatorSeriesSet& set,
                                                   const DivergenceConfig& config);

}  // namespace goldthread::integrity
