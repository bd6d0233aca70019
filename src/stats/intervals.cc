#include "stats/intervals.h"

#include <cmath>

#include "stats/distributions.h"

namespace goldthread::stats {
namespace {

bool ValidConfidence(double c) { return c > 0.0 && c < 1.0; }

bool ValidProportion(double x, double n) {
  return std::isfinite(x) && std::isfinite(n) && n > 0.0 && x >= 0.0 && x <= n;
}

}  // namespace

std::optional<Interval> WilsonInterval(double x, double n, double confidence) {
  if (!ValidProportion(x, n) || !ValidConfidence(confidence)) return std::nullopt;
  // Wilson (1927), JASA 22:209-212, in the form statsmodels uses:
  // centre = (x + z²/2)/(n + z²), half = z·sqrt(x(n-x)/n + z²/4)/(n + z²).
  const double z = NormalQuantile(1.0 - (1.0 - confidence) / 2.0);
  const double z2 = z * z;
  const double denom = n + z2;
  const double centre = (x + z2 / 2.0) / denom;
  const double half = z * std::sqrt(x * (n - x) / n + z2 / 4.0) / denom;
  // At x = 0 or x = n the algebra gives 0 or 1 up to rounding; pin them.
  Interval iv{centre - half, centre + half};
  if (x == 0.0) iv.low = 0.0;
  if (x == n) iv.high = 1.0;
  return iv;
}

std::optional<Interval> ClopperPearsonInterval(double x, double n, double confidence) {
  if (!ValidProportion(x, n) || !ValidConfidence(confidence)) return std::nullopt;
  // Clopper & Pearson (1934), Biometrika 26:404-413, via beta quantiles:
  // low = B⁻¹(α/2; x, n-x+1), high = B⁻¹(1-α/2; x+1, n-x).
  const double alpha = 1.0 - confidence;
  Interval iv;
  iv.low = x == 0.0 ? 0.0 : BetaQuantile(alpha / 2.0, x, n - x + 1.0);
  iv.high = x == n ? 1.0 : BetaQuantile(1.0 - alpha / 2.0, x + 1.0, n - x);
  return iv;
}

std::optional<Interval> ProportionInterval(double x, double n, ProportionMethod method,
                                           double confidence) {
  return method == ProportionMethod::kWilson ? WilsonInterval(x, n, confidence)
                                             : ClopperPearsonInterval(x, n, confidence);
}

std::optional<Interval> PoissonCountInterval(double x, double confidence) {
  if (!std::isfinite(x) || x < 0.0 || !ValidConfidence(confidence)) return std::nullopt;
  // Exact (Garwood 1936) limits: low = χ²⁻¹(α/2; 2x)/2, high = χ²⁻¹(1-α/2; 2x+2)/2
  // (shared/STATISTICS.md section 1).
  const double alpha = 1.0 - confidence;
  Interval iv;
  iv.low = x == 0.0 ? 0.0 : ChiSquaredQuantile(alpha / 2.0, 2.0 * x) / 2.0;
  iv.high = ChiSquaredQuantile(1.0 - alpha / 2.0, 2.0 * x + 2.0) / 2.0;
  return iv;
}

std::optional<Interval> PoissonRateInterval(double x, double population, double per,
                                            double confidence) {
  if (!std::isfinite(population) || population <= 0.0 || !std::isfinite(per)) return std::nullopt;
  auto iv = PoissonCountInterval(x, confidence);
  if (!iv) return std::nullopt;
  return Interval{iv->low / population * per, iv->high / population * per};
}

std::optional<Interval> MeanInterval(double mean, double sd, double n, double confidence) {
  if (!std::isfinite(mean) || !std::isfinite(sd) || sd < 0.0 || !(n >= 2.0) ||
      !ValidConfidence(confidence)) {
    return std::nullopt;
  }
  // Student (1908): mean ± t(1-α/2; n-1)·s/√n.
  const double t = StudentTQuantile(1.0 - (1.0 - confidence) / 2.0, n - 1.0);
  const double half = t * sd / std::sqrt(n);
  return Interval{mean - half, mean + half};
}

std::optional<Interval> MeanInterval(std::span<const double> values, double confidence) {
  // Welford's one-pass mean and variance (Welford 1962, Technometrics
  // 4:419-420, DOI 10.2307/1266577), skipping missing values.
  double n = 0.0, mean = 0.0, m2 = 0.0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    n += 1.0;
    const double delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
  }
  if (n < 2.0) return std::nullopt;
  return MeanInterval(mean, std::sqrt(m2 / (n - 1.0)), n, confidence);
}

}  // namespace goldthread::stats
