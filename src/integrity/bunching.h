#pragma once
// deadline_bunching: an excess of durations just inside a deadline compared
// with a smooth fit of the durations around it (shared/STATISTICS.md
// section 5). Chetty, Friedman, Olsen & Pistaferri (2011), "Adjustment
// costs, firm responses, and micro vs. macro labor supply elasticities",
// QJE 126:749-804, section IV; Kleven (2016), "Bunching", Annual Review of
// Economics 8:435-464. The motivating case is the ambulance "spike at 8
// minutes" of Bevan & Hood (2006).

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "integrity/check_util.h"
#include "integrity/config.h"
#include "model/snapshot.h"

namespace goldthread::integrity {

struct BunchingEstimate {
  std::vector<double> fitted;  // ĉ_j for every day j of the input
  double excess = 0.0;         // B = Σ_{T-w..T} (n_j − ĉ_j)
  double ratio = 0.0;          // b = B / mean ĉ over T-w..T
  double ci_low = 0.0, ci_high = 0.0;  // bootstrap 95% percentile interval of b
  double missing_mass = 0.0;   // Σ_{T+1..T+w} (ĉ_j − n_j): cases missing just after T
  int64_t observed_in_window = 0;  // Σ_{T-w..T} n_j
};

/// counts[j] = cases with duration j days, j = 0..counts.size()-1. The
/// polynomial of `degree` is fitted by least squares to the days outside
/// [T−w, T+w]; the excess is taken on the inside part [T−w, T] (durations
/// within the deadline) and the missing mass on (T, T+w]. (We differ from
/// a symmetric window sum so that the missing mass does not cancel the
/// excess; both are reported.) Residual bootstrap with `reps` replicates
/// and a fixed seed: residuals outside the window are resampled and added
/// to the fit (outside) or to the observed counts (inside), then refitted.
/// InvalidArgument when T+w is beyond the counts or too few days remain
/// outside the window for the degree.
Result<BunchingEstimate> EstimateBunching(std::span<const double> counts, int threshold, int window, int degree,
                                          int reps, unsigned seed);

/// Runs the check on assessments: duration = completed_on − the request's
/// received_on, per team (the assessment's org unit) and financial year.
std::vector<Finding> CheckDeadlineBunching(const Snapshot& snap, const BunchingConfig& config,
                                           const CheckScope& scope);

}  // namespace goldthread::integrity
