#pragma once
// Comparing two groups: stratified (Mantel-Haenszel) estimates of a common
// risk ratio and odds ratio across strata of 2x2 tables, and the exact
// interval for the ratio of two Poisson counts. Used by the carers' added
// value analysis (issue 12) and the Hub's Early/Intermediate/Advanced scale.
//
// Pure functions, thread-safe. Every function returns std::nullopt when
// there is nothing to estimate (no informative stratum, a zero sum that
// makes the ratio 0 or infinite), never NaN.

#include <optional>
#include <span>

#include "stats/intervals.h"

namespace goldthread::stats {

/// One stratum's 2x2 table: `events_exposed` of `n_exposed` exposed people
/// had the outcome, `events_unexposed` of `n_unexposed` unexposed people.
struct Stratum2x2 {
  double events_exposed = 0.0;
  double n_exposed = 0.0;
  double events_unexposed = 0.0;
  double n_unexposed = 0.0;
};

/// A pooled ratio, its standard error on the log scale and its interval.
struct PooledRatio {
  double estimate = 0.0;
  double log_se = 0.0;
  Interval ci;
  int informative_strata = 0;  // strata with people in both groups
};

/// Mantel-Haenszel risk ratio, RR = Σ aᵢn0ᵢ/Nᵢ / Σ cᵢn1ᵢ/Nᵢ (the weighting
/// of Mantel & Haenszel 1959, JNCI 22:719-748, applied to risks), with the
/// variance of ln RR of Greenland & Robins (1985), "Estimation of a common
/// effect parameter from sparse follow-up data", Biometrics 41:55-68,
/// consistent both for many sparse strata and for a few large ones:
///   Var = Σ (n1ᵢn0ᵢMᵢ − aᵢcᵢNᵢ)/Nᵢ² / (Σ aᵢn0ᵢ/Nᵢ · Σ cᵢn1ᵢ/Nᵢ),
/// Mᵢ = aᵢ + cᵢ; interval exp(ln RR ± z·SE). nullopt when either sum is 0
/// or a stratum is invalid (negative, events > n).
std::optional<PooledRatio> MantelHaenszelRiskRatio(std::span<const Stratum2x2> strata,
                                                   double confidence = 0.95);

/// Mantel-Haenszel odds ratio, OR = Σ aᵢdᵢ/Nᵢ / Σ bᵢcᵢ/Nᵢ, with the Robins,
/// Breslow & Greenland (1986) variance of ln OR (Biometrics 42:311-323):
/// with Pᵢ = (aᵢ+dᵢ)/Nᵢ, Qᵢ = (bᵢ+cᵢ)/Nᵢ, Rᵢ = aᵢdᵢ/Nᵢ, Sᵢ = bᵢcᵢ/Nᵢ,
///   Var = ΣPᵢRᵢ/(2R²) + Σ(PᵢSᵢ+QᵢRᵢ)/(2RS) + ΣQᵢSᵢ/(2S²), R = ΣRᵢ, S = ΣSᵢ.
std::optional<PooledRatio> MantelHaenszelOddsRatio(std::span<const Stratum2x2> strata,
                                                   double confidence = 0.95);

/// The ratio of two Poisson counts x1/x0 (this year's against last year's,
/// over the same population) with its exact conditional interval: given
/// x1 + x0, x1 is binomial with p = r/(1+r), so the Clopper-Pearson limits
/// pL, pU of x1 of x1+x0 give r in [pL/(1-pL), pU/(1-pU)] (Ederer & Mantel
/// 1974, "Confidence limits on the ratio of two Poisson variables", Am J
/// Epidemiol 100:165-167). x0 = 0 (and x1 > 0) gives estimate and high
/// +infinity; nullopt when both are 0 or either is negative.
struct CountRatio {
  double estimate = 0.0;
  Interval ci;
};
std::optional<CountRatio> PoissonCountRatio(double x1, double x0, double confidence = 0.95);

}  // namespace goldthread::stats
