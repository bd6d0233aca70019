#include "planning/hub_format.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace goldthread::planning {
namespace {

std::string Grouped(std::string digits) {
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[static_cast<size_t>(i)];
  }
  return out;
}

int Decimals(double percent) {
  double a = std::fabs(percent);
  return a == 0 ? 0 : a < 1 ? 2 : a < 10 ? 1 : 0;
}

}  // namespace

std::string FormatCount(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  return (n < 0 ? "-" : "") + Grouped(digits);
}

std::string FormatShare(double p) {
  double pc = 100.0 * p;
  return fmt::format("{:.{}f}%", pc, Decimals(pc));
}

std::string FormatShareCi(double p, const std::optional<stats::Interval>& ci) {
  if (!ci) return FormatShare(p);
  // One number of decimals for all three, from the smallest non-zero of
  // them, so "0.00% (0.00-0.10%)" and "1.00% (0.74-1.36%)" read as one range.
  int d = 0;
  for (double v : {p, ci->low, ci->high})
    if (v != 0.0) d = std::max(d, Decimals(100.0 * v));
  return fmt::format("{:.{}f}% ({:.{}f}-{:.{}f}%)", 100.0 * p, d, 100.0 * ci->low, d, 100.0 * ci->high, d);
}

std::string FormatMoney(double v) {
  if (std::fabs(v) < 100.0) return fmt::format("{}£{:.2f}", v < 0 ? "-" : "", std::fabs(v));
  int64_t pounds = std::llround(std::fabs(v));
  return (v < 0 ? "-£" : "£") + Grouped(std::to_string(pounds));
}

std::string SingularUnit(const std::string& unit) {
  if (unit.empty()) return "unit";
  if (unit.size() > 3 && unit.back() == 's') return unit.substr(0, unit.size() - 1);
  return unit;
}

std::string FormatRatio(double r, const stats::Interval& ci) {
  auto one = [](double x) { return std::isinf(x) ? std::string("no upper limit") : fmt::format("{:.2f}", x); };
  return fmt::format("{} ({}-{})", one(r), one(ci.low), one(ci.high));
}

}  // namespace goldthread::planning
