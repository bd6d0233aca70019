#include "planning/costs_json.h"

#include <nlohmann/json.hpp>

namespace goldthread::planning {
namespace {

using nlohmann::json;

json OrNull(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json Num(double v) { return v == v ? json(v) : json(nullptr); }  // NaN: null

json LineJson(const CostLine& c, const Snapshot& snap) {
  json months = json::array();
  for (const CostMonth& m : c.months_of_year)
    months.push_back({{"period", FormatMonth(m.month)}, {"budget", Num(m.budget)}, {"spend", Num(m.spend)},
                      {"activity_units", Num(m.activity)},
                      {"unit_cost", m.spend == m.spend && m.activity == m.activity && m.activity > 0
                                        ? json(m.spend / m.activity)
                                        : json(nullptr)}});
  json history = json::array();
  for (const CostYear& y : c.history)
    history.push_back({{"year", FinancialYearPeriod(y.year).Label()}, {"months", y.months}, {"budget", y.budget},
                       {"spend", y.spend}, {"activity_units", y.activity}, {"unit_cost", OrNull(y.unit_cost)}});
  const CostForecast& f = c.forecast;
  json forecast_months = json::array();
  for (const CostForecastMonth& m : f.months)
    forecast_months.push_back({{"period", FormatMonth(m.month)},
                               {"activity_units", m.activity},
                               {"activity_low95", m.activity_pi95.low},
                               {"activity_high95", m.activity_pi95.high},
                               {"spend", m.spend},
                               {"spend_low95", m.spend_pi95.low},
                               {"spend_high95", m.spend_pi95.high}});
  json forecast = {{"available", f.available}, {"note", f.note}};
  if (f.available) {
    forecast["current_year"] = FinancialYearPeriod(f.current_year).Label();
    forecast["next_year"] = FinancialYearPeriod(f.current_year + 1).Label();
    forecast["months_left"] = f.months_left;
    forecast["year_to_date"] = {{"activity_units", f.year_to_date_activity}, {"spend", f.year_to_date_spend}};
    forecast["rest_of_year"] = {{"activity_units", f.rest_activity}, {"spend", f.rest_spend}};
    forecast["outturn"] = {{"activity_units", f.year_to_date_activity + f.rest_activity},
                           {"spend", f.year_to_date_spend + f.rest_spend}};
    forecast["next"] = {{"activity_units", f.next_activity}, {"spend", f.next_spend}};
    forecast["activity_slope_per_month"] = f.activity_slope;
    forecast["months"] = forecast_months;
  }
  return {{"service_type", c.service_type},
          {"org_unit", c.org_unit < 0 ? json("all") : json(snap.OrgUnitId(c.org_unit))},
          {"budget", c.budget},
          {"spend", c.spend},
          {"activity_units", c.activity},
          {"unit", c.unit},
          {"unit_cost", OrNull(c.unit_cost)},
          {"flags", c.flags},
          {"evidence", c.evidence},
          {"months", c.months},
          {"budget_variance", OrNull(c.budget_variance)},
          {"comparison", c.comparison},
          {"previous_activity_units", OrNull(c.previous_activity)},
          {"activity_change", OrNull(c.activity_change)},
          {"previous_unit_cost", OrNull(c.previous_unit_cost)},
          {"unit_cost_change", OrNull(c.unit_cost_change)},
          {"unit_cost_variation", c.unit_cost_variation.empty() ? json(nullptr) : json(c.unit_cost_variation)},
          {"persons_supported", c.persons_supported},
          {"cost_per_person", OrNull(c.cost_per_person)},
          {"outcomes_achieved", c.outcomes_achieved},
          {"cost_per_outcome", OrNull(c.cost_per_outcome)},
          {"by_month", months},
          {"history", history},
          {"forecast", forecast}};
}

}  // namespace

std::string CostsAuditToJson(const CostsAudit& a, const Snapshot& snap) {
  json services = json::array(), units = json::array();
  for (const CostLine& c : a.services) services.push_back(LineJson(c, snap));
  for (const CostLine& c : a.units) units.push_back(LineJson(c, snap));
  json doc = {{"year", a.year.Label()},
              {"partial", a.partial},
              {"finance_end", FormatMonth(a.finance_end)},
              {"services", services},
              {"org_units", units},
              {"warnings", a.warnings}};
  return doc.dump(2);
}

}  // namespace goldthread::planning
