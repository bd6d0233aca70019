#include "indicators/figure_stats.h"

#include <cmath>

#include "stats/intervals.h"

namespace goldthread::indicators {

void FillFigure(Unit unit, int64_t cases, int64_t num, double sum, double sumsq, double residents, double per,
                Figure& f) {
  std::optional<stats::Interval> ci;
  switch (unit) {
    case Unit::kPercent:
      f.numerator = static_cast<double>(num);
      f.denominator = static_cast<double>(cases);
      if (cases > 0) {
        f.value = 100.0 * static_cast<double>(num) / static_cast<double>(cases);
        ci = stats::WilsonInterval(static_cast<double>(num), static_cast<double>(cases));
        if (ci) ci->low *= 100.0, ci->high *= 100.0;
      }
      break;
    case Unit::kCount:
      f.numerator = static_cast<double>(cases);
      f.value = static_cast<double>(cases);
      ci = stats::PoissonCountInterval(static_cast<double>(cases));
      break;
    case Unit::kRatePer100k:
      f.numerator = static_cast<double>(cases);
      f.denominator = residents;
      if (residents > 0) {
        f.value = static_cast<double>(cases) / residents * per;
        ci = stats::PoissonRateInterval(static_cast<double>(cases), residents, per);
      }
      break;
    case Unit::kMean:
    case Unit::kDays:
      f.numerator = sum;
      f.denominator = static_cast<double>(cases);
      if (cases > 0) {
        double n = static_cast<double>(cases);
        double mean = sum / n;
        f.value = mean;
        if (cases > 1) {
          // Sample variance from the sums; clamp rounding below zero.
          double var = std::max(0.0, (sumsq - n * mean * mean) / (n - 1));
          ci = stats::MeanInterval(mean, std::sqrt(var), n);
        }
      }
      break;
  }
  if (ci) f.ci_low = ci->low, f.ci_high = ci->high;
}

}  // namespace goldthread::indicators
