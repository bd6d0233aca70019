#pragma once
// The curve of one indicator at one org unit (group "all"), by month,
// quarter or year: its figures, their SPC chart (indicators/series_stats:
// p-chart for percentages, XmR otherwise) and the baseline forecast "if we
// do nothing differently" (stats/forecast, shared/STATISTICS.md section 4).
// What a target is judged against, and what "turning the curve" draws.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "indicators/engine.h"
#include "indicators/series_stats.h"
#include "stats/spc.h"

namespace goldthread::planning {

struct CurvePoint {
  Period period;
  std::optional<double> value, ci_low, ci_high;
  double numerator = 0.0;
  std::optional<double> denominator;
  bool provisional = false;  // follow-up not over: not charted, not judged
  std::optional<double> mean, lpl, upl;  // the chart's, in the unit of value
  std::optional<stats::PointType> point_type;
  int32_t figure = -1;  // index into the IndicatorResult's figures, -1 when the engine gave none
};

struct CurveForecast {
  Period period;
  double fit = 0.0;
  double low80 = 0.0, high80 = 0.0, low95 = 0.0, high95 = 0.0;
};

struct Curve {
  std::string indicator, org_unit;
  PeriodKind per = PeriodKind::kQuarter;
  std::vector<CurvePoint> points;  // every computed period, in order
  indicators::SpcChart chart = indicators::SpcChart::kNone;
  std::string spc_note;  // why there are no limits; empty when there are
  bool trial_limits = false;
  std::optional<stats::PointType> variation;
  std::vector<CurveForecast> forecast;  // the periods after the last computed one
  std::string forecast_note;            // why there is no forecast; empty when there is one
  /// The cases behind the latest final figure (PlanEvaluation with
  /// keep_cases): person ids in the numerator, and those in the denominator
  /// but not the numerator (for reviews-12m: who is overdue a review).
  std::vector<std::string> counted, not_counted;
  bool has_cases = false;

  /// Index of the last point with a value that is not provisional, or -1.
  int32_t LastFinal() const;
  /// Index of the point for this period, or -1.
  int32_t Find(const Period& p) const;
  const CurveForecast* ForecastFor(const Period& p) const;
};

/// Forecasts "turning the curve": the last 8 final points, as
/// STATISTICS.md section 4 (stats::ForecastOptions's default window).
inline constexpr size_t kForecastWindow = 8;

/// The curve of result.indicators[indicator] at org row `org` (group 0),
/// with stats from ComputeSeriesStats(result, ...), forecast up to and
/// including `forecast_to` (a period of the result's kind; nothing when it
/// is not after the last computed period).
Curve BuildCurve(const indicators::ComputeResult& result, size_t indicator, const indicators::ResultStats& stats,
                 int32_t org, const std::string& org_id, const Period& forecast_to);

}  // namespace goldthread::planning
