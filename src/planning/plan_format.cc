#include "planning/plan_format.h"

#include <cmath>

#include <fmt/format.h>

namespace goldthread::planning {

namespace ind = goldthread::indicators;

std::string FormatValue(double v, ind::Unit unit, double rate_per) {
  switch (unit) {
    case ind::Unit::kPercent: return fmt::format("{:.1f}%", v);
    case ind::Unit::kCount: return std::fabs(v - std::round(v)) < 1e-9 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
    case ind::Unit::kRatePer100k:
      return fmt::format("{:.1f} {}", v, ind::PerLabel(rate_per));
    case ind::Unit::kMean: return fmt::format("{:.2f}", v);
    case ind::Unit::kDays: return fmt::format("{:.1f} days", v);
  }
  return fmt::format("{:.1f}", v);
}

std::string FormatValue(double v, const ind::Definition& d) { return FormatValue(v, d.unit, d.rate_per); }

std::string FormatNumber(double v) { return fmt::format("{:g}", v); }

}  // namespace goldthread::planning
