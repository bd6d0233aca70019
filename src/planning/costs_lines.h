#pragma once
// The costs audit's reading of the snapshot: finance.csv summed into lines
// (service type x org unit, and service type for the council) by month, and
// the people each service type supported in a year. Internal to
// costs_audit.cc; tested through it.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/period.h"
#include "model/snapshot.h"

namespace goldthread::planning::internal {

/// A month's sums; NaN where no row of the month gave the value.
struct Sums {
  double budget, spend, activity;
};

struct Line {
  std::map<Date, Sums> months;  // by first day of the month
  std::string unit;             // the rows' unit, "" when they disagree
  bool mixed_units = false;
};

struct Lines {
  /// (service type code, org unit row; -1 the council) -> line.
  std::map<std::pair<int32_t, int32_t>, Line> by_key;
  Date finance_end = kNullDate;  // the last month with rows
};

/// Every finance row, by unit and for the council. Where a unit and a unit
/// above it both have rows for the same month and service type, the upper
/// unit's rows are a total of the lower ones' and are left out of the
/// council's sum (with a warning), so nothing is counted twice.
Lines ReadLines(const Snapshot& snap, std::vector<std::string>& warnings);

std::string_view ServiceTypeCode(int32_t code);

struct People {
  int64_t persons = 0;   // distinct people with a service of the type active in the year
  int64_t outcomes = 0;  // of them, with an outcome achieved in the year
};
/// Per person (row): 1 when an outcome was achieved in the year (a review
/// completed in it with outcomes_achieved Y, or an outcome measure followed
/// up in it better than its baseline), else 0.
std::vector<int8_t> OutcomesAchieved(const Snapshot& snap, const Period& year);

/// The people a service type supported in the year, recorded by org_unit or
/// a unit below it (-1: any unit), and how many of them achieved an outcome.
People PeopleSupported(const Snapshot& snap, int32_t service_type, int32_t org_unit, const Period& year,
                       const std::vector<int8_t>& achieved);

}  // namespace goldthread::planning::internal
