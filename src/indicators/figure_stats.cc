#include "indicators/figure_stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "indicators/eval_internal.h"
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

namespace goldthread::indicators {

// The value: PercentileOf (Hyndman & Fan's definition 7, as
// STATISTICS.md section 3 winsorises with). The 95% interval: between the
// order statistics of ranks r = nq - 1.96 sqrt(nq(1 - q)) and s = 1 + nq +
// 1.96 sqrt(nq(1 - q)), each rounded to the nearest whole rank and kept
// within 1..n (Campbell & Gardner, "Calculating confidence intervals for
// some non-parametric analyses", BMJ 1988;296:1454-6; for the median q =
// 1/2: n/2 -+ 1.96 sqrt(n)/2). It needs no assumption about the values'
// distribution (days waited are skewed), and holds at the value's order
// statistics, so it never reaches outside the data.
void FillQuantile(std::vector<int64_t>& values_fp, double p, Figure& f) {
  f.value.reset(), f.ci_low.reset(), f.ci_high.reset();
  if (values_fp.empty()) return;
  std::vector<double> v;
  v.reserve(values_fp.size());
  for (int64_t x : values_fp) v.push_back(static_cast<double>(x) / 1e6);
  f.value = PercentileOf(v, p);  // sorts v
  const double n = static_cast<double>(v.size()), q = p / 100;
  const double half = 1.96 * std::sqrt(n * q * (1 - q));
  const double r = std::clamp(std::round(n * q - half), 1.0, n), s = std::clamp(std::round(1 + n * q + half), 1.0, n);
  f.ci_low = v[static_cast<size_t>(r) - 1];
  f.ci_high = v[static_cast<size_t>(s) - 1];
}

}  // namespace goldthread::indicators
