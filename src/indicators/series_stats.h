#pragma once
// SPC charts and funnel plots of computed indicators (issue 4: "every
// indicator series carries its SPC classification, and every cross-unit
// comparison its funnel"). The statistics are src/stats's, unchanged
// (shared/STATISTICS.md sections 2 and 3); this file only decides which
// chart fits which unit and feeds it the figures of a ComputeResult.
//
// - SPC, per indicator x org unit x group series over the result's periods:
//   a p-chart of numerator/denominator for percentages, an XmR chart of the
//   value for every other unit. Polarity from the definition; no target, so
//   no assurance icon. A series with fewer than min_points points is not
//   charted (no limits, no point types) and its note says so.
// - Funnels, per indicator x period x group x level (the org units of one
//   kind: teams against teams, services against services), with at least
//   two units with a positive denominator: proportions for percentages,
//   indirectly standardised ratios (exact Poisson) for rates per 100,000.
//   Counts have no denominator and means no funnel in STATISTICS.md, so
//   neither gets one, and the indicator's funnel_note says why.
//
// Limits, means and targets are in the unit of the figures' `value`
// (percentages 0-100, rates per 100,000), so they can be drawn on the same
// axis. Pure functions; thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "indicators/engine.h"
#include "stats/funnel.h"
#include "stats/spc.h"

namespace goldthread {
class Snapshot;
}

namespace goldthread::indicators {

/// Fewest points a series needs for limits. "Useful limits may be
/// constructed with as few as five or six values" (Wheeler, Understanding
/// Variation, 1993, p. 60, as quoted by NHSRplotthedots' vignette "How many
/// points are required"); below 13 they are still trial limits
/// (stats::kTrialLimitPoints).
inline constexpr int kMinSpcPoints = 6;

struct SeriesStatsOptions {
  int min_points = kMinSpcPoints;
  int run_length = 7;   // 6 or 7, as stats::SpcOptions
  bool screen = true;   // screen large moving ranges (XmR), as stats::SpcOptions
  stats::FunnelAdjust adjust = stats::FunnelAdjust::kTau2;  // FunnelPlotR's default
  bool outliers_at_998 = true;
  /// The last day the data cover. With a definition's follow_up_days, a
  /// period ending less than that many days before it is provisional: its
  /// cases' outcomes are not all known yet, so it is left out of the chart
  /// and the funnels (a half-observed 91-day outcome looks like a sudden
  /// improvement). kNullDate: every period is final.
  Date data_end = kNullDate;
  /// Definition-version breaks: indicator id -> the first day reported
  /// under its new version. The period containing that day (or the first
  /// after it) starts a new SPC segment whose limits are computed from its
  /// own points only, so a change of definition is never read as special
  /// cause ("Rebasing ... starts a new segment with its own limits",
  /// shared/STATISTICS.md section 2; NHSRplotthedots' `rebase` argument of
  /// ptd_spc(), R/ptd_spc.R). Funnels compare units within one period and
  /// are unchanged.
  std::map<std::string, Date, std::less<>> rebase_from;
  /// Indicators are charted on this many threads at once (0: every core);
  /// the result does not depend on it.
  int threads = 0;
};


enum class SpcChart { kNone, kP, kXmr };

/// The chart of one indicator x org unit x group series.
struct SeriesSpc {
  int32_t org_unit = 0;
  int32_t group = 0;
  SpcChart chart = SpcChart::kNone;  // kNone: too few points
  int points = 0;                    // periods with a value
  std::optional<stats::PointType> variation;
  std::optional<stats::Assurance> assurance;  // always nullopt: no targets yet
  bool trial_limits = false;
  std::string note;  // why there are no limits; empty when there are
};

/// One unit in a funnel.
struct FunnelEntry {
  int32_t org_unit = 0;
  int32_t figure = 0;  // index into IndicatorResult::figures
  std::optional<double> z;
  std::optional<stats::FunnelLimits> limits;  // in the unit of value
  std::optional<stats::Outlier> outlier;
};

/// The funnel of one period x group across the org units of one kind.
struct PeriodFunnel {
  int32_t period = 0;
  int32_t group = 0;
  std::string level;    // the org units' kind: "team", "service"
  double target = 0.0;  // in the unit of value
  double phi = 0.0, tau2 = 0.0;
  bool adjusted = false;
  std::vector<FunnelEntry> units;
};

/// Parallel to IndicatorResult::figures: the figure's point on its chart.
struct FigureStats {
  std::optional<double> mean, lpl, upl;  // in the unit of value; nullopt when undefined
  std::optional<stats::PointType> point_type;  // nullopt: not charted or no value
  int32_t funnel = -1;  // index into IndicatorStats::funnels, -1 when in none
  std::optional<stats::Outlier> outlier;
  bool provisional = false;  // IsProvisional: not charted, in no funnel
};

struct IndicatorStats {
  std::vector<FigureStats> figures;
  std::vector<SeriesSpc> spc;  // by org unit (snapshot order), then group
  std::optional<stats::FunnelType> funnel_type;  // nullopt: this unit has no funnel
  std::vector<PeriodFunnel> funnels;  // by period, group, level
  std::string funnel_note;  // why there are no funnels; empty when there are
};

struct ResultStats {
  std::vector<IndicatorStats> indicators;  // parallel to ComputeResult::indicators
};

/// Charts every series and fits every funnel of result. snap must be the
/// snapshot result was computed from (org unit kinds). InvalidArgument for a
/// run length other than 6 or 7 or min_points < 2.
Result<ResultStats> ComputeSeriesStats(const ComputeResult& result, const Snapshot& snap,
                                       const SeriesStatsOptions& options = {});

std::string_view SpcChartName(SpcChart c);  // "none", "p", "xmr"
std::string_view FunnelTypeName(stats::FunnelType t);  // "proportion", "ratio"

}  // namespace goldthread::indicators
