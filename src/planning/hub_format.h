#pragma once
// Numbers in words for the evidence the Hub, costs, casework and added-value
// audits write: "1.2%", "4,100", "£12,345", "0.82 (0.70-0.96)". Pure.

#include <cstdint>
#include <optional>
#include <string>

#include "stats/intervals.h"

namespace goldthread::planning {

/// A count with thousands separators: 41000 -> "41,000".
std::string FormatCount(int64_t n);
/// A proportion (0-1) as a percentage with enough digits to tell small
/// values apart: 0.00563 -> "0.56%", 0.0563 -> "5.6%", 0.563 -> "56%".
std::string FormatShare(double p);
/// A proportion and its interval: "5.6% (4.9-6.4%)"; without one, "5.6%".
std::string FormatShareCi(double p, const std::optional<stats::Interval>& ci);
/// Pounds: 12345.6 -> "£12,346"; under 100, pence: 12.34 -> "£12.34".
std::string FormatMoney(double v);
/// finance.csv's plural unit made singular for "a week", "a session":
/// "hours" -> "hour"; "" -> "unit".
std::string SingularUnit(const std::string& unit);
/// A ratio to two decimals with its interval: "0.82 (0.70-0.96)".
std::string FormatRatio(double r, const stats::Interval& ci);

}  // namespace goldthread::planning
