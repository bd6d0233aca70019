#pragma once
// How plans' messages and tables write an indicator's values: "62.5%",
// "450", "612.3 per 100,000", "7.9", "14.2 days".

#include <string>

#include "indicators/definition.h"

namespace goldthread::planning {

/// A value in the indicator's unit, to one decimal (counts whole).
std::string FormatValue(double v, indicators::Unit unit);
/// "60" or "62.5": a target as the plan file gives it, without a unit.
std::string FormatNumber(double v);

}  // namespace goldthread::planning
