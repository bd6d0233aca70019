#include "stats/funnel.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

#include "stats/distributions.h"

namespace goldthread::stats {
namespace {

// FunnelPlotR R/calculate_limits.R hard-codes these two normal quantiles
// (0.975 and 0.999); we use the same values so limits agree to 1e-6.
constexpr double kZ95 = 1.959964;
constexpr double kZ998 = 3.090232;

bool Valid(double num, double den) { return std::isfinite(num) && std::isfinite(den) && den > 0.0; }

// Arcsine-scale limit, clipped to [0, π/2] before sin² so that it never
// wraps round (shared/STATISTICS.md section 3; FunnelPlotR instead truncates
// the proportion to [0, 1] after sin², which lets a wrapped value through).
double ArcsineLimit(double centre, double offset) {
  const double theta = std::clamp(centre + offset, 0.0, std::numbers::pi / 2.0);
  const double s = std::sin(theta);
  return s * s;
}

// Spiegelhalter (2005) appendix A.1.1: the exact binomial limit for
// probability q at denominator n, interpolated between integers:
// r = qbinom(q; n, p), α = (F(r) - q)/f(r), limit = (r - α)/n.
double ExactBinomialLimit(double q, double n, double p) {
  const int64_t ni = static_cast<int64_t>(std::llround(n));
  if (ni <= 0) return p;
  const int64_t r = BinomialQuantile(q, ni, p);
  const double dn = static_cast<double>(ni);
  const double fr = BinomialPmf(static_cast<double>(r), dn, p);
  const double alpha = fr > 0.0 ? (BinomialCdf(static_cast<double>(r), dn, p) - q) / fr : 0.0;
  return std::clamp((static_cast<double>(r) - alpha) / dn, 0.0, 1.0);
}

// R's rank(x, ties.method = "average"), 1-based.
std::vector<double> AverageRanks(const std::vector<double>& x) {
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> rank(x.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) rank[order[k]] = avg;
    i = j + 1;
  }
  return rank;
}

// FunnelPlotR tau_func (DerSimonian & Laird 1986, as Spiegelhalter et al.
// 2012, JRSS A 175:1-47, section 5.3): τ² = 0 if Nφ < N-1, else
// max(0, (Nφ - (N-1)) / (Σw - Σw²/Σw)), w = 1/s².
double Tau2(double n, double phi, const std::vector<double>& w) {
  if (w.size() < 2) return 0.0;  // one unit: no between-unit variance (R gives Inf)
  if (n * phi < n - 1.0) return 0.0;
  double sw = 0.0, sw2 = 0.0;
  for (double v : w) sw += v, sw2 += v * v;
  const double denom = sw - sw2 / sw;
  if (!(denom > 0.0)) return 0.0;
  return std::max(0.0, (n * phi - (n - 1.0)) / denom);
}

}  // namespace

double QuantileType7(std::span<const double> sorted, double prob) {
  // Hyndman & Fan (1996) definition 7, R's default:
  // h = (N-1)p, Q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
  const double h = (static_cast<double>(sorted.size()) - 1.0) * prob;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - std::floor(h)) * (sorted[hi] - sorted[lo]);
}

FunnelLimits LimitsAt(const FunnelModel& m, double n) {
  FunnelLimits l;
  const FunnelOptions& o = m.options;
  const bool tau = m.adjusted && o.adjust == FunnelAdjust::kTau2;
  const bool phi = m.adjusted && o.adjust == FunnelAdjust::kPhi;
  if (o.type == FunnelType::kProportion) {
    // Note F7: exact limits replace the unadjusted ones only.
    if (!m.adjusted && o.exact) {
      l.lower95 = ExactBinomialLimit(0.025, n, m.target);
      l.upper95 = ExactBinomialLimit(0.975, n, m.target);
      l.lower998 = ExactBinomialLimit(0.001, n, m.target);
      l.upper998 = ExactBinomialLimit(0.999, n, m.target);
      return l;
    }
    // calculate_limits.R, data_type "PR":
    // sin²(asin(√p̄) ± z·sqrt(1/(4n) + τ²)); multiplicative (note F6,
    // Spiegelhalter 2005 section 6.1): sqrt(φ/(4n)).
    const double centre = std::asin(std::sqrt(m.target));
    const double s2 = 1.0 / (4.0 * n);
    const double sd = phi ? std::sqrt(m.phi * s2) : std::sqrt(s2 + (tau ? m.tau2 : 0.0));
    l.lower95 = ArcsineLimit(centre, -kZ95 * sd);
    l.upper95 = ArcsineLimit(centre, kZ95 * sd);
    l.lower998 = ArcsineLimit(centre, -kZ998 * sd);
    l.upper998 = ArcsineLimit(centre, kZ998 * sd);
    return l;
  }
  if (!m.adjusted) {
    // calculate_limits.R, data_type "SR" unadjusted: exact Poisson limits
    // χ²⁻¹(q; 2E)/(2E) and χ²⁻¹(1-q; 2E+2)/(2E), times the target 1.
    l.lower95 = ChiSquaredQuantile(0.025, 2.0 * n) / (2.0 * n);
    l.upper95 = ChiSquaredQuantile(0.975, 2.0 * n + 2.0) / (2.0 * n);
    l.lower998 = ChiSquaredQuantile(0.001, 2.0 * n) / (2.0 * n);
    l.upper998 = ChiSquaredQuantile(0.999, 2.0 * n + 2.0) / (2.0 * n);
    return l;
  }
  // calculate_limits.R, sr_method "SHMI": exp(±z·sqrt(1/E + τ²));
  // multiplicative: exp(±z·sqrt(φ/E)).
  const double sd = phi ? std::sqrt(m.phi / n) : std::sqrt(1.0 / n + m.tau2);
  l.lower95 = std::exp(-kZ95 * sd);
  l.upper95 = std::exp(kZ95 * sd);
  l.lower998 = std::exp(-kZ998 * sd);
  l.upper998 = std::exp(kZ998 * sd);
  return l;
}

Result<FunnelResult> FunnelPlot(std::span<const double> numerators, std::span<const double> denominators,
                                const FunnelOptions& options) {
  if (numerators.size() != denominators.size()) {
    return Status::InvalidArgument("funnel: " + std::to_string(numerators.size()) + " numerators but " +
                                   std::to_string(denominators.size()) + " denominators");
  }
  if (!(options.trim >= 0.0 && options.trim < 0.5)) {
    return Status::InvalidArgument("funnel: trim must lie in [0, 0.5)");
  }
  const bool proportion = options.type == FunnelType::kProportion;
  FunnelResult result;
  result.model.options = options;
  const size_t count = numerators.size();
  result.units.resize(count);
  double sum_o = 0.0, sum_n = 0.0;
  std::vector<size_t> valid;
  for (size_t i = 0; i < count; ++i) {
    const double o = numerators[i], n = denominators[i];
    FunnelUnit& u = result.units[i];
    u.numerator = o;
    u.denominator = n;
    if ((std::isfinite(o) && o < 0.0) || (std::isfinite(n) && n < 0.0)) {
      return Status::InvalidArgument("funnel unit " + std::to_string(i + 1) + ": negative count");
    }
    if (!Valid(o, n)) continue;
    if (proportion && o > n) {
      return Status::InvalidArgument("funnel unit " + std::to_string(i + 1) +
                                     ": numerator exceeds denominator");
    }
    valid.push_back(i);
    sum_o += o;
    sum_n += n;
  }
  if (valid.empty()) return Status::InvalidArgument("funnel: no unit has a positive denominator");

  // od_adjustment.R transformed_zscore: "PR" on the arcsine scale,
  // Y = asin(√(O/n)), s = 1/(2√n), z = (Y - asin(√p̄))/s; "SR"/"SHMI" on the
  // log scale, z = √E·log(O/E), s = 1/√E.
  FunnelModel& model = result.model;
  model.target = proportion ? sum_o / sum_n : 1.0;
  const double centre = proportion ? std::asin(std::sqrt(model.target)) : 0.0;
  std::vector<double> z(valid.size()), w(valid.size());
  for (size_t k = 0; k < valid.size(); ++k) {
    const double o = numerators[valid[k]], n = denominators[valid[k]];
    if (proportion) {
      z[k] = (std::asin(std::sqrt(o / n)) - centre) * (2.0 * std::sqrt(n));
      w[k] = 4.0 * n;
    } else {
      // Note F5: E is not rounded to 2 decimal places as FunnelPlotR does.
      z[k] = std::sqrt(n) * std::log(o / n);
      w[k] = n;
    }
    FunnelUnit& u = result.units[valid[k]];
    u.value = o / n;
    if (std::isfinite(z[k])) u.z = z[k];
  }

  // Overdispersion. Proportions: Winsorise z at the trim and 1 - trim
  // quantiles (od_adjustment.R winsorisation, R quantile type 7). Ratios:
  // truncate instead (od_adjustment.R truncation, as SHMI does): drop the
  // units whose rank group floor(rank·k/(N+1)), k = 1/trim, is 0 or k-1.
  // Infinite z (O = 0 for ratios) are left out of φ: R would make φ infinite.
  std::vector<double> zw, ww;
  if (proportion) {
    std::vector<double> sorted = z;
    std::sort(sorted.begin(), sorted.end());
    const double lz = QuantileType7(sorted, options.trim);
    const double uz = QuantileType7(sorted, 1.0 - options.trim);
    for (size_t k = 0; k < z.size(); ++k) {
      zw.push_back(std::clamp(z[k], lz, uz));
      ww.push_back(w[k]);
    }
  } else {
    const std::vector<double> rank = AverageRanks(z);
    const double groups = 1.0 / options.trim;
    const double n_units = static_cast<double>(z.size());
    for (size_t k = 0; k < z.size(); ++k) {
      const double sp = std::floor(rank[k] * groups / (n_units + 1.0));
      if (options.trim > 0.0 && !(sp > 0.0 && sp < groups - 1.0)) continue;
      if (!std::isfinite(z[k])) continue;
      zw.push_back(z[k]);
      ww.push_back(w[k]);
    }
  }
  // od_adjustment.R phi_func: φ = (1/N)·Σ z_w².
  const double n_used = static_cast<double>(zw.size());
  double sum_z2 = 0.0;
  for (double v : zw) sum_z2 += v * v;
  model.phi = zw.empty() ? 0.0 : sum_z2 / n_used;
  model.tau2 = Tau2(n_used, model.phi, ww);
  // FunnelPlotR falls back to unadjusted limits when τ² = 0; we fall back
  // when φ <= 1, as shared/STATISTICS.md section 3 says (the two differ only
  // for (N-1)/N <= φ <= 1, where τ² is tiny).
  model.adjusted = options.adjust != FunnelAdjust::kNone && model.phi > 1.0 &&
                   (options.adjust == FunnelAdjust::kPhi || model.tau2 > 0.0);

  for (size_t i : valid) {
    FunnelUnit& u = result.units[i];
    const FunnelLimits l = LimitsAt(model, u.denominator);
    u.limits = l;
    const double lo = options.outliers_at_998 ? l.lower998 : l.lower95;
    const double hi = options.outliers_at_998 ? l.upper998 : l.upper95;
    // outliers_func.R: inside when lower <= value <= upper.
    u.outlier = *u.value > hi ? Outlier::kHigh : (*u.value < lo ? Outlier::kLow : Outlier::kNone);
  }
  return result;
}

std::string_view OutlierName(Outlier o) {
  switch (o) {
    case Outlier::kNone: return "none";
    case Outlier::kHigh: return "high";
    case Outlier::kLow: return "low";
  }
  return "none";
}

}  // namespace goldthread::stats
