#include "planning/costs_audit.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "planning/costs_lines.h"
#include "planning/hub_format.h"
#include "stats/forecast.h"
#include "stats/spc.h"

namespace goldthread::planning {
namespace {

using internal::Line;
using internal::Sums;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool Has(double v) { return !std::isnan(v); }


/// Sums over the given months: each value over the months that have it;
/// the unit cost's pair (spend, activity) over the months that have both.
struct Totals {
  double budget = 0, spend = 0, activity = 0;
  double cost_spend = 0, cost_activity = 0;  // months with both spend and activity
  double var_spend = 0, var_budget = 0;      // months with both spend and budget
  int months = 0;
  std::optional<double> UnitCost() const {
    return cost_activity > 0 ? std::optional<double>(cost_spend / cost_activity) : std::nullopt;
  }
};

Totals Total(const Line& line, const std::vector<Date>& months) {
  Totals t;
  for (Date m : months) {
    auto it = line.months.find(m);
    if (it == line.months.end()) continue;
    const Sums& s = it->second;
    ++t.months;
    if (Has(s.budget)) t.budget += s.budget;
    if (Has(s.spend)) t.spend += s.spend;
    if (Has(s.activity)) t.activity += s.activity;
    if (Has(s.spend) && Has(s.activity)) t.cost_spend += s.spend, t.cost_activity += s.activity;
    if (Has(s.spend) && Has(s.budget)) t.var_spend += s.spend, t.var_budget += s.budget;
  }
  return t;
}

std::vector<Date> MonthsOf(const Period& p) {
  std::vector<Date> out;
  for (Date m = p.start; m <= p.end; m = AddMonths(m, 1)) out.push_back(m);
  return out;
}

std::vector<Date> Shifted(const std::vector<Date>& months, int by) {
  std::vector<Date> out;
  for (Date m : months) out.push_back(AddMonths(m, by));
  return out;
}

/// The like-for-like comparison: the year's months with data against the
/// same months a year before, where both have activity; else, with six or
/// more months, the year's first three against its last three.
void Compare(CostLine& c, const Line& line, const std::vector<Date>& with_data) {
  std::vector<Date> both;
  for (Date m : with_data) {
    auto prev = line.months.find(AddMonths(m, -12));
    auto cur = line.months.find(m);
    if (prev != line.months.end() && Has(prev->second.activity) && Has(cur->second.activity)) both.push_back(m);
  }
  Totals now, before;
  if (!both.empty()) {
    now = Total(line, both);
    before = Total(line, Shifted(both, -12));
    c.comparison = fmt::format("the same {} months a year earlier", both.size());
  } else if (with_data.size() >= 6) {
    std::vector<Date> first(with_data.begin(), with_data.begin() + 3), last(with_data.end() - 3, with_data.end());
    now = Total(line, last);
    before = Total(line, first);
    c.comparison = "the year's first three months against its last three (no earlier year in the data)";
  } else {
    c.comparison = "no earlier months to compare with";
    return;
  }
  if (before.activity > 0) {
    c.previous_activity = before.activity;
    c.activity_change = now.activity / before.activity - 1.0;
  }
  if (auto u0 = before.UnitCost(), u1 = now.UnitCost(); u0 && u1 && *u0 > 0) {
    c.previous_unit_cost = *u0;
    c.unit_cost_change = *u1 / *u0 - 1.0;
  }
}

void Flag(CostLine& c, const CostsOptions& o) {
  std::vector<std::string> words;
  const bool on_target = c.budget_variance && std::fabs(*c.budget_variance) <= o.on_target;
  // The seed's consequence is a rising unit cost: a fall in activity whose
  // spend fell further (unit cost down) is not "fewer services for the same
  // money". An unknown unit cost change does not clear the flag.
  const bool falls = c.activity_change && *c.activity_change <= -o.activity_fall &&
                     !(c.unit_cost_change && *c.unit_cost_change <= 0);
  if (c.mixed_units) {
    c.flags.push_back("mixed_units");
    words.push_back("finance rows give different units, so activity cannot be added up");
  }
  if (on_target && falls) {
    // Seed 004, "Financial management": "the budget being on target but the
    // council securing fewer services than when the budget was set, meaning
    // that the unit cost of the service increases".
    c.flags.push_back("activity_falls_budget_on_target");
    std::string cost = c.unit_cost_change && c.previous_unit_cost && c.unit_cost
                           ? fmt::format("; the unit cost rose {} ({} to {} a {})", FormatShare(*c.unit_cost_change),
                                         FormatMoney(*c.previous_unit_cost), FormatMoney(*c.unit_cost),
                                         SingularUnit(c.unit))
                           : "";
    words.push_back(fmt::format("budget on target (spend {} against {}, {:+.1f}%) while activity fell {} on {}{}: "
                                "fewer services for the same money",
                                FormatMoney(c.spend), FormatMoney(c.budget), 100.0 * *c.budget_variance,
                                FormatShare(-*c.activity_change), c.comparison, cost));
  }
  if (c.unit_cost_change && *c.unit_cost_change >= o.unit_cost_rise) {
    c.flags.push_back("unit_cost_rising");
    if (!(on_target && falls))
      words.push_back(fmt::format("unit cost up {} on {}", FormatShare(*c.unit_cost_change), c.comparison));
  }
  if (c.budget_variance && *c.budget_variance > o.on_target) {
    c.flags.push_back("overspend");
    words.push_back(fmt::format("overspent by {} ({} against a budget of {})", FormatShare(*c.budget_variance),
                                FormatMoney(c.spend), FormatMoney(c.budget)));
  } else if (c.budget_variance && *c.budget_variance < -o.on_target) {
    c.flags.push_back("underspend");
    words.push_back(fmt::format("underspent by {} ({} against a budget of {})", FormatShare(-*c.budget_variance),
                                FormatMoney(c.spend), FormatMoney(c.budget)));
  }
  if (c.months_of_year.empty()) words.push_back("no finance rows in the year");
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : "; ") + w;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  c.evidence = out.empty() ? "" : out + ".";
}

void Trend(CostLine& c, const Line& line) {
  std::map<int, std::vector<Date>> by_year;
  std::vector<double> monthly_cost;
  for (const auto& [m, s] : line.months) {
    by_year[FinancialYearOf(m)].push_back(m);
    monthly_cost.push_back(Has(s.spend) && Has(s.activity) && s.activity > 0 ? s.spend / s.activity : kNaN);
  }
  for (const auto& [year, months] : by_year) {
    Totals t = Total(line, months);
    c.history.push_back({year, t.months, t.budget, t.spend, t.activity, t.UnitCost()});
  }
  // Making Data Count on the monthly unit cost: lower is better.
  stats::SpcOptions spc;
  spc.polarity = stats::Polarity::kDown;
  if (auto chart = stats::XmrChart(monthly_cost, spc); chart.ok() && chart->variation)
    c.unit_cost_variation = std::string(stats::PointTypeName(*chart->variation));
}

void Forecast(CostLine& c, const Line& line, const CostsOptions& o) {
  CostForecast& f = c.forecast;
  if (line.months.empty()) return;
  const Date first = line.months.begin()->first, last = line.months.rbegin()->first;
  std::vector<double> activity, spend;
  std::vector<Date> months;
  for (Date m = first; m <= last; m = AddMonths(m, 1)) {
    auto it = line.months.find(m);
    activity.push_back(it == line.months.end() ? kNaN : it->second.activity);
    spend.push_back(it == line.months.end() ? kNaN : it->second.spend);
    months.push_back(m);
  }
  f.current_year = FinancialYearOf(last);
  const Period current = FinancialYearPeriod(f.current_year);
  f.months_left = 0;
  for (Date m = AddMonths(last, 1); m <= current.end; m = AddMonths(m, 1)) ++f.months_left;
  for (size_t i = 0; i < months.size(); ++i)
    if (current.Contains(months[i])) {
      if (Has(activity[i])) f.year_to_date_activity += activity[i];
      if (Has(spend[i])) f.year_to_date_spend += spend[i];
    }
  stats::ForecastOptions fo;
  fo.window = o.forecast_window;
  fo.horizon = static_cast<size_t>(f.months_left) + 12;
  auto fa = stats::BaselineForecast(activity, fo);
  auto fs = stats::BaselineForecast(spend, fo);
  if (!fa.ok() || !fs.ok()) {
    f.note = fa.ok() ? fs.status().message() : fa.status().message();
    return;
  }
  f.available = true;
  f.activity_slope = fa->slope;
  bool clamped = false;
  for (size_t h = 0; h < fa->points.size(); ++h) {
    CostForecastMonth m;
    m.month = AddMonths(last, static_cast<int>(h) + 1);
    // Activity and spend cannot go below nothing: a steep fall is stopped at 0.
    m.activity = std::max(0.0, fa->points[h].fit);
    m.spend = std::max(0.0, fs->points[h].fit);
    clamped = clamped || fa->points[h].fit < 0 || fs->points[h].fit < 0;
    m.activity_pi95 = {std::max(0.0, fa->points[h].pi95.low), fa->points[h].pi95.high};
    m.spend_pi95 = {std::max(0.0, fs->points[h].pi95.low), fs->points[h].pi95.high};
    (static_cast<int>(h) < f.months_left ? f.rest_activity : f.next_activity) += m.activity;
    (static_cast<int>(h) < f.months_left ? f.rest_spend : f.next_spend) += m.spend;
    f.months.push_back(m);
  }
  f.note = fmt::format("a straight line through the last {} months (stats/forecast; shared/STATISTICS.md section 4); "
                       "the sums add the fitted months, each month's 95% prediction interval is in its row{}",
                       fa->points_used, clamped ? "; fitted values below 0 are shown as 0" : "");
}

}  // namespace

int DefaultCostsYear(const Snapshot& snap) {
  std::map<int, std::set<Date>> months;
  const TableData& fin = snap.table(TableId::kFinance);
  const int f_period = fin.Field("period");
  for (int64_t r = 0; r < fin.rows; ++r)
    if (Date m = fin.Int(f_period, r); m != kNullI32) months[FinancialYearOf(m)].insert(m);
  if (months.empty()) return 0;
  for (auto it = months.rbegin(); it != months.rend(); ++it)
    if (it->second.size() == 12) return it->first;
  return months.rbegin()->first;
}

Result<CostsAudit> RunCostsAudit(const Snapshot& snap, const CostsOptions& o) {
  CostsAudit a;
  a.year = FinancialYearPeriod(o.year);
  internal::Lines lines = internal::ReadLines(snap, a.warnings);
  if (lines.finance_end == kNullDate) return Status::InvalidArgument("finance.csv has no rows (the store has no finance)");
  a.finance_end = lines.finance_end;
  a.partial = lines.finance_end < AddMonths(a.year.start, 11);  // March is not in
  const std::vector<Date> year_months = MonthsOf(a.year);
  const std::vector<int8_t> achieved = internal::OutcomesAchieved(snap, a.year);
  bool any = false;
  for (const auto& [key, line] : lines.by_key) {
    CostLine c;
    c.service_type = std::string(internal::ServiceTypeCode(key.first));
    c.org_unit = key.second;
    c.unit = line.unit;
    c.mixed_units = line.mixed_units;
    std::vector<Date> with_data;
    for (Date m : year_months)
      if (auto it = line.months.find(m); it != line.months.end()) {
        with_data.push_back(m);
        c.months_of_year.push_back({m, it->second.budget, it->second.spend, it->second.activity});
      }
    if (!with_data.empty()) any = true;
    Totals t = Total(line, with_data);
    c.budget = t.budget, c.spend = t.spend, c.activity = t.activity, c.months = t.months;
    if (!c.mixed_units) c.unit_cost = t.UnitCost();
    if (t.var_budget > 0) c.budget_variance = t.var_spend / t.var_budget - 1.0;
    if (!c.mixed_units) Compare(c, line, with_data);
    Trend(c, line);
    Forecast(c, line, o);
    internal::People people = internal::PeopleSupported(snap, key.first, key.second, a.year, achieved);
    c.persons_supported = people.persons;
    c.outcomes_achieved = people.outcomes;
    if (c.persons_supported > 0) c.cost_per_person = c.spend / static_cast<double>(c.persons_supported);
    if (c.outcomes_achieved > 0) c.cost_per_outcome = c.spend / static_cast<double>(c.outcomes_achieved);
    Flag(c, o);
    (key.second < 0 ? a.services : a.units).push_back(std::move(c));
  }
  if (!any) return Status::InvalidArgument(fmt::format("finance.csv has no rows for {}", a.year.Label()));
  return a;
}

}  // namespace goldthread::planning
