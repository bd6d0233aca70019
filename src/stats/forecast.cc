#include "stats/forecast.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "stats/distributions.h"

namespace goldthread::stats {
namespace {

double Logit(double percent) {
  const double p = std::clamp(percent, kLogitClampPercent, 100.0 - kLogitClampPercent) / 100.0;
  return std::log(p / (1.0 - p));
}

double InverseLogit(double v) { return 100.0 / (1.0 + std::exp(-v)); }

}  // namespace

Result<Forecast> BaselineForecast(std::span<const double> y, const ForecastOptions& options) {
  if (options.window < 3) return Status::InvalidArgument("forecast window must be at least 3 points");
  std::vector<double> xs, ys;
  for (size_t i = y.size(); i-- > 0 && xs.size() < options.window;) {
    if (std::isnan(y[i])) continue;
    if (options.percent && (y[i] < 0.0 || y[i] > 100.0)) {
      return Status::InvalidArgument("forecast: percentage " + std::to_string(y[i]) + " outside [0, 100]");
    }
    xs.push_back(static_cast<double>(i));
    ys.push_back(options.percent ? Logit(y[i]) : y[i]);
  }
  const size_t k = xs.size();
  if (k < 3) {
    return Status::InvalidArgument("forecast needs at least 3 points, got " + std::to_string(k));
  }
  // Ordinary least squares of y on position (e.g. Montgomery, Peck & Vining,
  // Introduction to Linear Regression Analysis, 5th ed., section 2.4):
  // b = Sxy/Sxx, a = ȳ - b·x̄, s² = Σe²/(k-2); prediction interval at x0:
  // ŷ ± t(q; k-2)·s·sqrt(1 + 1/k + (x0 - x̄)²/Sxx) (shared/STATISTICS.md §4).
  double mx = 0.0, my = 0.0;
  for (size_t i = 0; i < k; ++i) mx += xs[i], my += ys[i];
  mx /= static_cast<double>(k);
  my /= static_cast<double>(k);
  double sxx = 0.0, sxy = 0.0;
  for (size_t i = 0; i < k; ++i) {
    sxx += (xs[i] - mx) * (xs[i] - mx);
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  Forecast f;
  f.points_used = k;
  f.slope = sxy / sxx;  // sxx > 0: the positions are distinct
  f.intercept = my - f.slope * mx;
  double sse = 0.0;
  for (size_t i = 0; i < k; ++i) {
    const double e = ys[i] - (f.intercept + f.slope * xs[i]);
    sse += e * e;
  }
  f.residual_sd = std::sqrt(sse / static_cast<double>(k - 2));
  const double df = static_cast<double>(k - 2);
  const double t80 = StudentTQuantile(0.90, df);
  const double t95 = StudentTQuantile(0.975, df);
  auto back = [&](double v) { return options.percent ? InverseLogit(v) : v; };
  for (size_t h = 0; h < options.horizon; ++h) {
    const double x0 = static_cast<double>(y.size() + h);
    const double fit = f.intercept + f.slope * x0;
    const double se = f.residual_sd *
                      std::sqrt(1.0 + 1.0 / static_cast<double>(k) + (x0 - mx) * (x0 - mx) / sxx);
    ForecastPoint p;
    p.position = x0;
    p.fit = back(fit);
    p.pi80 = {back(fit - t80 * se), back(fit + t80 * se)};
    p.pi95 = {back(fit - t95 * se), back(fit + t95 * se)};
    f.points.push_back(p);
  }
  return f;
}

}  // namespace goldthread::stats
