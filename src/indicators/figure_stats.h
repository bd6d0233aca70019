#pragma once
// Turns a figure's counts into its value and 95% interval: the one place the
// indicator engine calls the interval functions of stats/intervals.h
// (shared/STATISTICS.md section 1): Wilson for percentages, exact Poisson
// for counts and rates, t for means.

#include <cstdint>
#include <vector>

#include "indicators/definition.h"
#include "indicators/engine.h"

namespace goldthread::indicators {

/// cases: the population count; num: cases in the numerator; sum/sumsq: of
/// the cases' values (mean, days); residents: the rate's population.
void FillFigure(Unit unit, int64_t cases, int64_t num, double sum, double sumsq, double residents, double per,
                Figure& f);

}  // namespace goldthread::indicators

namespace goldthread::indicators {

/// A median or percentile figure: value the p-th percentile of the cases'
/// values (fixed point, 1e-6; sorted in place), and its distribution-free
/// 95% interval between order statistics (figure_stats.cc). None when there
/// are no values.
void FillQuantile(std::vector<int64_t>& values_fp, double p, Figure& f);

}  // namespace goldthread::indicators
