#pragma once
// Quantiles and probabilities of the standard distributions, computed with
// Boost.Math. Boost stays behind this header so that the rest of goldthread
// compiles without it (the Boost.Math headers are slow to compile).
//
// All functions are pure and thread-safe. Domain errors (p outside [0, 1],
// non-positive degrees of freedom) return NaN instead of throwing: Boost is
// configured with an "ignore error" policy in distributions.cc.

#include <cstdint>

namespace goldthread::stats {

/// Inverse of the standard normal cdf.
double NormalQuantile(double p);
/// Inverse of the chi-squared cdf with df degrees of freedom (df > 0).
double ChiSquaredQuantile(double p, double df);
/// Inverse of the Beta(a, b) cdf (a, b > 0).
double BetaQuantile(double p, double a, double b);
/// Inverse of Student's t cdf with df degrees of freedom.
double StudentTQuantile(double p, double df);
/// P(X <= k) and P(X = k) for X ~ Binomial(n, p).
double BinomialCdf(double k, double n, double p);
double BinomialPmf(double k, double n, double p);
/// The smallest integer r in [0, n] with BinomialCdf(r, n, p) >= q, as R's
/// qbinom(q, n, p) (lower tail) defines it.
int64_t BinomialQuantile(double q, int64_t n, double p);

}  // namespace goldthread::stats
