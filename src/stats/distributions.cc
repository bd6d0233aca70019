#include "stats/distributions.h"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>

namespace goldthread::stats {
namespace {

namespace bm = boost::math;
namespace bp = boost::math::policies;

// Our code does not throw (shared/STYLE_ANCHORS.md section 5): every Boost
// error becomes a NaN (or an infinity on overflow) that callers check.
using Policy = bp::policy<bp::domain_error<bp::ignore_error>, bp::pole_error<bp::ignore_error>,
                          bp::overflow_error<bp::ignore_error>, bp::underflow_error<bp::ignore_error>,
                          bp::evaluation_error<bp::ignore_error>, bp::rounding_error<bp::ignore_error>,
                          bp::indeterminate_result_error<bp::ignore_error>>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsProbability(double p) { return p >= 0.0 && p <= 1.0; }

// The quantiles a computation asks for again and again: the exact Poisson
// limits of every count and rate figure are chi-squared quantiles of the
// count (and funnels' of the denominator), a mean's t quantile is of its
// case count, and the counts repeat: a national run asks for millions, of a
// few thousand distinct counts, and Boost's answer (in long double) took 13
// of its 81 s on one thread (README, "National scale"). The same arguments
// give the same double, so a memo per thread changes no figure; it is
// bounded, emptied when full.
class QuantileMemo {
 public:
  template <typename F>
  double Get(double p, double df, F compute) {
    const Key key{std::bit_cast<uint64_t>(p), std::bit_cast<uint64_t>(df)};
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (memo_.size() >= kMaxEntries) memo_.clear();
    const double q = compute();
    memo_.emplace(key, q);
    return q;
  }

 private:
  static constexpr size_t kMaxEntries = 1 << 18;
  struct Key {
    uint64_t p, df;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    size_t operator()(const Key& k) const { return std::hash<uint64_t>()(k.p * 0x9e3779b97f4a7c15ULL ^ k.df); }
  };
  std::unordered_map<Key, double, Hash> memo_;
};

}  // namespace

double NormalQuantile(double p) {
  if (!IsProbability(p)) return kNaN;
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  return bm::quantile(bm::normal_distribution<double, Policy>(0.0, 1.0), p);
}

double ChiSquaredQuantile(double p, double df) {
  if (!IsProbability(p) || !(df > 0.0)) return kNaN;
  if (p == 0.0) return 0.0;
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  thread_local QuantileMemo memo;
  return memo.Get(p, df, [&] { return bm::quantile(bm::chi_squared_distribution<double, Policy>(df), p); });
}

double BetaQuantile(double p, double a, double b) {
  if (!IsProbability(p) || !(a > 0.0) || !(b > 0.0)) return kNaN;
  return bm::quantile(bm::beta_distribution<double, Policy>(a, b), p);
}

double StudentTQuantile(double p, double df) {
  if (!IsProbability(p) || !(df > 0.0)) return kNaN;
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  thread_local QuantileMemo memo;
  return memo.Get(p, df, [&] { return bm::quantile(bm::students_t_distribution<double, Policy>(df), p); });
}

double BinomialCdf(double k, double n, double p) {
  if (!IsProbability(p) || !(n >= 0.0) || std::isnan(k)) return kNaN;
  if (k < 0.0) return 0.0;
  if (k >= n) return 1.0;
  return bm::cdf(bm::binomial_distribution<double, Policy>(n, p), k);
}

double BinomialPmf(double k, double n, double p) {
  if (!IsProbability(p) || !(n >= 0.0) || std::isnan(k)) return kNaN;
  if (k < 0.0 || k > n) return 0.0;
  return bm::pdf(bm::binomial_distribution<double, Policy>(n, p), k);
}

int64_t BinomialQuantile(double q, int64_t n, double p) {
  // Bisection on the cdf: about log2(n) cdf evaluations, and exact where
  // Boost's own discrete quantile would apply a rounding policy.
  int64_t lo = 0, hi = n;
  if (BinomialCdf(0.0, static_cast<double>(n), p) >= q) return 0;
  // Invariant: cdf(lo) < q <= cdf(hi).
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (BinomialCdf(static_cast<double>(mid), static_cast<double>(n), p) >= q) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;
}

}  // namespace goldthread::stats
