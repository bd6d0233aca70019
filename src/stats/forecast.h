#pragma once
// "Turning the curve" baseline forecasts (shared/STATISTICS.md section 4):
// where the measure goes if nothing changes. Ordinary least squares on the
// last k points against their position, projected forward with 80% and 95%
// prediction intervals. Percentages are fitted on the logit scale and
// transformed back, so a forecast never leaves [0, 100].
//
// Pure functions, thread-safe.

#include <span>
#include <vector>

#include "core/status.h"
#include "stats/intervals.h"

namespace goldthread::stats {

struct ForecastOptions {
  size_t window = 8;   // fit on the last `window` non-missing points
  size_t horizon = 6;  // periods to project
  bool percent = false;  // values are percentages in [0, 100]: logit scale
};

struct ForecastPoint {
  double position = 0.0;  // 0-based index in the input series (n, n+1, ...)
  double fit = 0.0;
  Interval pi80;
  Interval pi95;
};

struct Forecast {
  double intercept = 0.0;  // on the fitting scale, at position 0
  double slope = 0.0;      // per period, on the fitting scale
  double residual_sd = 0.0;
  size_t points_used = 0;
  std::vector<ForecastPoint> points;
};

/// Percentages this close to 0 or 100 are pulled in to it before the logit
/// (a value of exactly 0% or 100% has no logit).
inline constexpr double kLogitClampPercent = 0.05;

/// NaN values are missing and skipped. InvalidArgument with fewer than 3
/// usable points (a line and its spread need n - 2 >= 1), a window < 3, or a
/// percentage outside [0, 100].
Result<Forecast> BaselineForecast(std::span<const double> y, const ForecastOptions& options);

}  // namespace goldthread::stats
