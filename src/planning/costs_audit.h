#pragma once
// Money (issue 12; seed 001 section 8.8, seed 004 "Financial management";
// shared/DESIGN.md section 7): from finance.csv, per service type for the
// council and per org unit, a financial year's budget, spend and activity;
// the unit cost as a ratio of sums (the year's spend over its activity, not
// a mean of monthly ratios) with its trend; the flag seed 004 warns of, a
// budget on target while activity falls ("the council securing fewer
// services than when the budget was set, meaning that the unit cost of the
// service increases"); forecasts of activity and spend for the rest of the
// financial year and the next (stats/forecast); and the cost per person
// supported and per outcome achieved, from services.csv, reviews.csv and
// outcome_measures.csv.
//
// Thread-safety: RunCostsAudit reads the snapshot only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "model/snapshot.h"
#include "stats/intervals.h"

namespace goldthread::planning {

struct CostsOptions {
  int year = 0;                   // financial year by its first calendar year
  double on_target = 0.05;        // spend within 5% of budget is "on target"
  double activity_fall = 0.05;    // activity down 5% or more on the same months of last year
  double unit_cost_rise = 0.05;   // unit cost up 5% or more: "unit_cost_rising"
  size_t forecast_window = 12;    // months fitted (a year, so one season does not tilt the line)
};

/// One month of a line: the sums of its finance rows (NaN where no row
/// gave the value).
struct CostMonth {
  Date month = kNullDate;  // first day
  double budget = 0, spend = 0, activity = 0;
};

/// A financial year of a line: the ratio of sums over the months that
/// have both spend and activity.
struct CostYear {
  int year = 0;
  int months = 0;
  double budget = 0, spend = 0, activity = 0;
  std::optional<double> unit_cost;
};

struct CostForecastMonth {
  Date month = kNullDate;
  double activity = 0, spend = 0;  // fitted
  stats::Interval activity_pi95, spend_pi95;
};

/// Forecasts from the last month of finance data: the rest of its
/// financial year and the whole of the next.
struct CostForecast {
  bool available = false;
  std::string note;  // why not, or how
  int current_year = 0;                      // the year the data end in
  int months_left = 0;                       // of the current year
  double year_to_date_activity = 0, year_to_date_spend = 0;
  double rest_activity = 0, rest_spend = 0;  // sums of the fitted months
  double next_activity = 0, next_spend = 0;  // the next financial year
  double activity_slope = 0;                 // units per month
  std::vector<CostForecastMonth> months;
};

struct CostLine {
  std::string service_type;
  int32_t org_unit = -1;  // snapshot row; -1 the council (every unit summed)
  std::string unit;       // finance.csv's unit ("hours"); "" when rows disagree
  bool mixed_units = false;
  double budget = 0, spend = 0, activity = 0;  // the year, over the months with each value
  int months = 0;                              // months of the year with rows
  std::optional<double> unit_cost;             // spend / activity over months with both
  std::optional<double> budget_variance;       // (spend - budget) / budget, months with both
  /// The same months of the previous year, for like-for-like change.
  std::optional<double> previous_activity, previous_unit_cost;
  std::optional<double> activity_change, unit_cost_change;  // proportions
  std::string comparison;  // "the same 12 months of 2024-25", or the within-year basis
  std::vector<CostMonth> months_of_year;
  std::vector<CostYear> history;  // every financial year in the data
  std::string unit_cost_variation;  // SPC of the monthly unit cost: "common_cause", "concern", ...
  CostForecast forecast;
  int64_t persons_supported = 0;
  std::optional<double> cost_per_person;
  int64_t outcomes_achieved = 0;
  std::optional<double> cost_per_outcome;
  std::vector<std::string> flags;  // "activity_falls_budget_on_target", "unit_cost_rising", "overspend", ...
  std::string evidence;            // the flags in words, with their figures
};

struct CostsAudit {
  Period year;
  bool partial = false;           // finance data end before the year does
  Date finance_end = kNullDate;   // last month with finance rows
  std::vector<CostLine> services;  // the council, one per service type with rows, in schema order
  std::vector<CostLine> units;     // per org unit and service type
  std::vector<std::string> warnings;
};

/// InvalidArgument when finance.csv has no rows for the year.
Result<CostsAudit> RunCostsAudit(const Snapshot& snap, const CostsOptions& options);

/// The latest financial year with finance rows in every one of its months,
/// else the latest with any; 0 without finance rows.
int DefaultCostsYear(const Snapshot& snap);

}  // namespace goldthread::planning
