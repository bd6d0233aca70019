#pragma once
// How plans' messages and tables write an indicator's values: "62.5%",
// "450", "612.3 per 100,000", "8.4 per 1,000", "7.9", "14.2 days".

#include <string>

#include "indicators/definition.h"

namespace goldthread::planning {

/// A value in the indicator's unit, to one decimal (counts whole); a rate
/// is worded with its definition's multiplier, rate_per ("per 1,000" for
/// [rate] per = 1000), which other units ignore.
std::string FormatValue(double v, indicators::Unit unit, double rate_per);
/// The same, with the unit and multiplier of definition d.
std::string FormatValue(double v, const indicators::Definition& d);
/// "60" or "62.5": a target as the plan file gives it, without a unit.
std::string FormatNumber(double v);

}  // namespace goldthread::planning
