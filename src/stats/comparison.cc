#include "stats/comparison.h"

#include <cmath>
#include <limits>

#include "stats/distributions.h"

namespace goldthread::stats {
namespace {

bool ValidStratum(const Stratum2x2& s) {
  auto ok = [](double events, double n) {
    return std::isfinite(events) && std::isfinite(n) && events >= 0.0 && n >= 0.0 && events <= n;
  };
  return ok(s.events_exposed, s.n_exposed) && ok(s.events_unexposed, s.n_unexposed);
}

std::optional<PooledRatio> Pooled(double estimate, double variance, int informative, double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0) || !std::isfinite(variance) || variance < 0.0) return std::nullopt;
  const double z = NormalQuantile(1.0 - (1.0 - confidence) / 2.0);
  PooledRatio r;
  r.estimate = estimate;
  r.log_se = std::sqrt(variance);
  r.ci = {std::exp(std::log(estimate) - z * r.log_se), std::exp(std::log(estimate) + z * r.log_se)};
  r.informative_strata = informative;
  return r;
}

}  // namespace

std::optional<PooledRatio> MantelHaenszelRiskRatio(std::span<const Stratum2x2> strata, double confidence) {
  // Greenland & Robins (1985), Biometrics 41:55-68: RR_MH = R/S with
  // R = Σ aᵢn0ᵢ/Nᵢ, S = Σ cᵢn1ᵢ/Nᵢ and
  // Var(ln RR_MH) = Σ (n1ᵢn0ᵢMᵢ − aᵢcᵢNᵢ)/Nᵢ² / (R·S), Mᵢ = aᵢ + cᵢ.
  double r = 0.0, s = 0.0, v = 0.0;
  int informative = 0;
  for (const Stratum2x2& t : strata) {
    if (!ValidStratum(t)) return std::nullopt;
    const double n = t.n_exposed + t.n_unexposed;
    if (t.n_exposed <= 0.0 || t.n_unexposed <= 0.0) continue;  // no comparison within it
    ++informative;
    r += t.events_exposed * t.n_unexposed / n;
    s += t.events_unexposed * t.n_exposed / n;
    const double m = t.events_exposed + t.events_unexposed;
    v += (t.n_exposed * t.n_unexposed * m - t.events_exposed * t.events_unexposed * n) / (n * n);
  }
  if (r <= 0.0 || s <= 0.0) return std::nullopt;
  return Pooled(r / s, v / (r * s), informative, confidence);
}

std::optional<PooledRatio> MantelHaenszelOddsRatio(std::span<const Stratum2x2> strata, double confidence) {
  // Robins, Breslow & Greenland (1986), Biometrics 42:311-323.
  double sum_r = 0.0, sum_s = 0.0, pr = 0.0, ps_qr = 0.0, qs = 0.0;
  int informative = 0;
  for (const Stratum2x2& t : strata) {
    if (!ValidStratum(t)) return std::nullopt;
    if (t.n_exposed <= 0.0 || t.n_unexposed <= 0.0) continue;
    ++informative;
    const double a = t.events_exposed, b = t.n_exposed - a;
    const double c = t.events_unexposed, d = t.n_unexposed - c;
    const double n = t.n_exposed + t.n_unexposed;
    const double p = (a + d) / n, q = (b + c) / n, ri = a * d / n, si = b * c / n;
    sum_r += ri;
    sum_s += si;
    pr += p * ri;
    ps_qr += p * si + q * ri;
    qs += q * si;
  }
  if (sum_r <= 0.0 || sum_s <= 0.0) return std::nullopt;
  const double var = pr / (2.0 * sum_r * sum_r) + ps_qr / (2.0 * sum_r * sum_s) + qs / (2.0 * sum_s * sum_s);
  return Pooled(sum_r / sum_s, var, informative, confidence);
}

std::optional<CountRatio> PoissonCountRatio(double x1, double x0, double confidence) {
  if (!std::isfinite(x1) || !std::isfinite(x0) || x1 < 0.0 || x0 < 0.0 || x1 + x0 <= 0.0) return std::nullopt;
  // Ederer & Mantel (1974): conditional on x1 + x0, x1 ~ Binomial(x1 + x0,
  // r/(1+r)); the exact (Clopper-Pearson) limits of that proportion map to
  // limits of r through p/(1-p).
  std::optional<Interval> p = ClopperPearsonInterval(x1, x1 + x0, confidence);
  if (!p) return std::nullopt;
  const double inf = std::numeric_limits<double>::infinity();
  auto ratio = [&](double q) { return q >= 1.0 ? inf : q / (1.0 - q); };
  CountRatio out;
  out.estimate = x0 == 0.0 ? inf : x1 / x0;
  out.ci = {ratio(p->low), ratio(p->high)};
  return out;
}

}  // namespace goldthread::stats
