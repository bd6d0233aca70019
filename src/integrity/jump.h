#pragma once
// implausible_jump: a unit's change from one period to the next against its
// peers' changes over the same periods and against its own history
// (shared/DESIGN.md section 6.8; Somerset's personal budgets went from 7%
// to 33% in one year, seed 002).
//
// 1. Against all units (whether there is a finding): the modified z-score
//    z = (change − median) / (1.4826·MAD) of the change among every unit's
//    change over the same periods, |z| > robust_z (3.5), with |change| >=
//    min_change (Iglewicz & Hoaglin (1993), "How to Detect and Handle
//    Outliers", ASQC, section 3.3). When more than half the units did not
//    move at all the MAD is 0, and the scale is 1.253314·MeanAD, the mean
//    absolute deviation from the median (IBM Cognos Analytics, "Modified z
//    score", https://www.ibm.com/docs/en/cognos-analytics/11.1.0?topic=terms-modified-z-score):
//    a still field makes a mover more remarkable, not unmeasurable. A
//    change extreme against all units is always reported.
// 2. Against its own history (how severe): the XmR limits of the unit's
//    earlier changes, mean ± 2.66 × their average moving range (shared/
//    STATISTICS.md section 2). Outside them: high. Inside them, or with
//    fewer than min_history earlier changes to chart: medium, and the
//    finding says which. A constant history has zero-width limits, which any
//    other change exceeds: a break after years of the same figure is the
//    more implausible, not unknown. The own history never silences a change
//    that is extreme against all units: a unit that has jumped before is
//    not thereby excused.
// 3. An erratic series is a finding of its own: a unit with two or more
//    changes extreme against all units in its series (high at three) has
//    figures that are not comparable from one period to the next, whatever
//    each change says.
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
  std::vector<std::string> unit_names;  // for the summaries, parallel to units; empty: the ids
  std::vector<std::vector<double>> values;
  std::vector<std::vector<double>> numerators;
  std::vector<std::vector<double>> denominators;
  bool percent = false;  // values are percentages (100 · numerator / denominator where those are given)
};

std::vector<Finding> CheckImplausibleJumps(const SeriesTable& table, const ImplausibleJumpConfig& config);

}  // namespace goldthread::integrity
