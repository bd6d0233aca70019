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

#include <string>
#include <vector>

#include "integrity/config.h"
#include "integrity/finding.h"

namespace goldthread::integrity {

/// A table of one indicator's values: values[u][p] for units[u] and
/// periods[p] (in time order); NaN where unknown.
struct SeriesTable {
  std::string indicator;
  std::vector<std::string> periods;
  std::vector<std::string> units;
  std::vector<std::vector<double>> values;
};

std::vector<Finding> CheckImplausibleJumps(const SeriesTable& table, const ImplausibleJumpConfig& config);

}  // namespace goldthread::integrity
