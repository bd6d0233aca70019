#pragma once
// Sums of doubles that do not depend on the order they are added in: the
// sum of a scan (sum(), week_sum()) over rows that tie on their date must
// not change when the rows are loaded in another order, as a rounded
// running sum can (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1 in doubles).
//
// ExactSum keeps the running sum exactly as Shewchuk's non-overlapping
// partials (J. R. Shewchuk, "Adaptive Precision Floating-Point Arithmetic
// and Fast Robust Geometric Predicates", Discrete & Computational Geometry
// 18, 1997) and rounds it once, correctly (round half to even), at the end:
// the algorithm of Python's math.fsum (CPython Modules/mathmodule.c,
// math_fsum). Finite inputs; a sum too large for a double is reported as
// not finite.

#include <array>
#include <cmath>
#include <cstddef>

namespace goldthread::indicators {

class ExactSum {
 public:
  void Add(double x) {
    size_t i = 0;
    for (size_t j = 0; j < n_; ++j) {
      double y = partials_[j];
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0.0) partials_[i++] = lo;
      x = hi;
    }
    if (!std::isfinite(x)) overflow_ = true;
    // Non-overlapping partials of finite doubles number at most about
    // (2 * 1023 + 53) / 53 < 40: the array cannot fill.
    if (i < partials_.size()) partials_[i++] = x;
    n_ = i;
  }

  /// The correctly rounded sum; false when it is too large for a double.
  bool Value(double& out) const {
    if (overflow_) return false;
    size_t n = n_;
    double hi = 0.0;
    if (n > 0) {
      hi = partials_[--n];
      double lo = 0.0;
      while (n > 0) {
        const double x = hi, y = partials_[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0) break;
      }
      // Round half to even across the partials below.
      if (n > 0 && ((lo < 0.0 && partials_[n - 1] < 0.0) || (lo > 0.0 && partials_[n - 1] > 0.0))) {
        const double y = lo * 2.0, x = hi + y;
        if (y == x - hi) hi = x;
      }
    }
    out = hi;
    return std::isfinite(hi);
  }

 private:
  std::array<double, 48> partials_{};
  size_t n_ = 0;
  bool overflow_ = false;
};

}  // namespace goldthread::indicators
