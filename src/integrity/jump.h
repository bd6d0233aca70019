#pragma once
// implausible_jump: a unit's change from one period to the next against
// (a) its own history, an XmR chart of its earlier changes (shared/
// STATISTICS.md section 2), and (b) its peers' changes over the same
// periods, by a robust z = |change − median| / (1.4826·MAD) > 3.5
// (Iglewicz & Hoaglin (1993), "How to Detect and Handle Outliers", ASQC,
// section 3.3: the modified z-score with cut-off 3.5), with a minimum
// change that matters. Somerset's personal budgets went from 7% to 33% in
// one year (seed 002).
//
// Where a unit has fewer than min_history earlier changes its own history
// cannot be charted; the peer test alone then fires, at medium severity,
// and the finding says the own-history test was not possible. Both: high.
//
// Where the table carries denominators (goldthread's own indicators, per
// team), a figure resting on fewer than min_denominator cases is treated
// as unknown: a team's quarter of 8 discharges moves by 12 points when one
// person's outcome differs, which is chance, not a jump. For percentages
// the change must also be beyond sampling noise: on the arcsine scale,
// where a proportion of n cases has variance 1/(4n) (the funnel z-scores
// of shared/STATISTICS.md section 3), z = (asin√p2 − asin√p1) /
// sqrt(1/(4n1) + 1/(4n2)) must exceed sampling_z (3.09, the funnel's 99.8%
// limit). A team's 60% of 100 cases moves by 7 points between two
// quarters by chance alone; the robust z, taken over the teams' changes,
// does not know which team is small. Published series carry no
// denominators and are taken as they are.

#include <string>
#include <vector>

#include "integrity/config.h"
#include "integrity/finding.h"

namespace goldthread::integrity {

/// A table of one indicator's values: values[u][p] for units[u] and
/// periods[p] (in time order); NaN where unknown. numerators and
/// denominators, when not empty, have the same shape (NaN where unknown;
/// a count has no denominator).
struct SeriesTable {
  std::string indicator;
  std::vector<std::string> periods;
  std::vector<std::string> units;
  std::vector<std::vector<double>> values;
  std::vector<std::vector<double>> numerators;
  std::vector<std::vector<double>> denominators;
  bool percent = false;  // values are 100 · numerator / denominator
};

std::vector<Finding> CheckImplausibleJumps(const SeriesTable& table, const ImplausibleJumpConfig& config);

}  // namespace goldthread::integrity
