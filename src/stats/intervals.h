#pragma once
// Confidence intervals for proportions, counts, rates and means
// (shared/STATISTICS.md section 1). Each function returns std::nullopt when
// there is no interval to give: n = 0, a missing (NaN) input, or inputs that
// cannot describe data (x < 0, x > n). Output then omits the interval; it
// never shows NaN. All functions are pure and thread-safe.

#include <optional>
#include <span>

namespace goldthread::stats {

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

enum class ProportionMethod { kWilson, kClopperPearson };

/// Wilson score interval for x successes of n (the default for
/// proportions). Reference: statsmodels proportion_confint(method="wilson").
std::optional<Interval> WilsonInterval(double x, double n, double confidence = 0.95);

/// Exact Clopper-Pearson interval. x = 0 gives low 0; x = n gives high 1.
/// Reference: statsmodels proportion_confint(method="beta").
std::optional<Interval> ClopperPearsonInterval(double x, double n, double confidence = 0.95);

std::optional<Interval> ProportionInterval(double x, double n, ProportionMethod method,
                                           double confidence = 0.95);

/// Exact Poisson interval for an observed count x (Garwood; Byar's exact
/// form). x = 0 gives low 0. Reference: scipy chi2.ppf.
std::optional<Interval> PoissonCountInterval(double x, double confidence = 0.95);

/// Exact Poisson interval for a rate x / population * per (per 100,000 by
/// default). population <= 0 gives no interval.
std::optional<Interval> PoissonRateInterval(double x, double population, double per = 100000.0,
                                            double confidence = 0.95);

/// t interval for the mean of values, skipping NaNs: mean ± t(1-α/2; n-1)·s/√n.
/// Needs at least two values (n = 1 has no spread to estimate).
std::optional<Interval> MeanInterval(std::span<const double> values, double confidence = 0.95);

/// The same from summary statistics (sd the sample standard deviation).
std::optional<Interval> MeanInterval(double mean, double sd, double n, double confidence = 0.95);

}  // namespace goldthread::stats
