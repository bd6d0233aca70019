#include "planning/costs_lines.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "planning/hub_count.h"

namespace goldthread::planning::internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void AddTo(double& sum, double v) {
  if (std::isnan(v)) return;
  sum = std::isnan(sum) ? v : sum + v;
}

bool Below(const Snapshot& snap, int32_t unit, int32_t ancestor) {
  for (int32_t u = snap.OrgParent(unit); u >= 0; u = snap.OrgParent(u))
    if (u == ancestor) return true;
  return false;
}

}  // namespace

std::string_view ServiceTypeCode(int32_t code) {
  const TableSpec& t = Table(TableId::kFinance);
  const auto& codes = t.fields[static_cast<size_t>(t.FieldIndex("service_type"))].codes;
  return code >= 0 && static_cast<size_t>(code) < codes.size() ? codes[static_cast<size_t>(code)] : "";
}

Lines ReadLines(const Snapshot& snap, std::vector<std::string>& warnings) {
  const TableData& fin = snap.table(TableId::kFinance);
  const int f_period = fin.Field("period"), f_org = fin.Field("org_unit_id"), f_type = fin.Field("service_type"),
            f_budget = fin.Field("budget"), f_spend = fin.Field("spend"), f_activity = fin.Field("activity_units"),
            f_unit = fin.Field("unit");
  // Which units have rows for each (month, type): an upper unit's rows that
  // sit above a lower unit's are totals.
  std::map<std::pair<Date, int32_t>, std::set<int32_t>> units;
  for (int64_t r = 0; r < fin.rows; ++r) units[{fin.Int(f_period, r), fin.Int(f_type, r)}].insert(fin.Int(f_org, r));
  std::set<int32_t> totals;
  for (const auto& [key, set] : units)
    for (int32_t u : set)
      for (int32_t v : set)
        if (v != u && Below(snap, v, u)) totals.insert(u);
  for (int32_t u : totals)
    warnings.push_back(fmt::format("finance.csv: {} has rows as well as units below it; its rows are taken as their "
                                   "total and left out of the council's sums",
                                   snap.OrgUnitId(u)));
  Lines out;
  std::map<std::pair<int32_t, int32_t>, std::set<int32_t>> unit_texts;
  for (int64_t r = 0; r < fin.rows; ++r) {
    Date month = fin.Int(f_period, r);
    int32_t org = fin.Int(f_org, r), type = fin.Int(f_type, r);
    if (month == kNullI32 || type < 0) continue;
    if (out.finance_end == kNullDate || month > out.finance_end) out.finance_end = month;
    std::vector<int32_t> keys = {org};
    if (!totals.count(org)) keys.push_back(-1);
    for (int32_t k : keys) {
      Line& line = out.by_key[{type, k}];
      auto [it, added] = line.months.try_emplace(month, Sums{kNaN, kNaN, kNaN});
      AddTo(it->second.budget, fin.Real(f_budget, r));
      AddTo(it->second.spend, fin.Real(f_spend, r));
      AddTo(it->second.activity, fin.Real(f_activity, r));
      if (int32_t u = fin.Int(f_unit, r); u >= 0) unit_texts[{type, k}].insert(u);
    }
  }
  for (auto& [key, line] : out.by_key) {
    const std::set<int32_t>& texts = unit_texts[key];
    if (texts.size() == 1) line.unit = std::string(snap.Text(*texts.begin()));
    line.mixed_units = texts.size() > 1;
    if (line.mixed_units && key.second < 0) {
      std::string list;
      for (int32_t t : texts) list += (list.empty() ? "'" : ", '") + std::string(snap.Text(t)) + "'";
      warnings.push_back(fmt::format("finance.csv: {} activity is given in different units ({}), so it is not added "
                                     "up and has no unit cost",
                                     ServiceTypeCode(key.first), list));
    }
  }
  return out;
}

std::vector<int8_t> OutcomesAchieved(const Snapshot& snap, const Period& year) {
  std::vector<int8_t> out(static_cast<size_t>(snap.people()), 0);
  const TableData& rv = snap.table(TableId::kReviews);
  const int f_done = rv.Field("completed_on"), f_achieved = rv.Field("outcomes_achieved");
  const auto& codes = rv.spec->fields[static_cast<size_t>(f_achieved)].codes;
  const int32_t yes = static_cast<int32_t>(std::find(codes.begin(), codes.end(), "Y") - codes.begin());
  for (int32_t p = 0; p < snap.people(); ++p) {
    auto [lo, hi] = rv.PersonRows(p);
    for (int64_t r = lo; r < hi && !out[static_cast<size_t>(p)]; ++r)
      if (year.Contains(rv.Int(f_done, r)) && rv.Int(f_achieved, r) == yes) out[static_cast<size_t>(p)] = 1;
    if (!out[static_cast<size_t>(p)] && ImprovedIn(snap, p, year) == 1) out[static_cast<size_t>(p)] = 1;
  }
  return out;
}

People PeopleSupported(const Snapshot& snap, int32_t service_type, int32_t org_unit, const Period& year,
                       const std::vector<int8_t>& achieved) {
  const TableData& sv = snap.table(TableId::kServices);
  const int f_type = sv.Field("service_type"), f_start = sv.Field("start_on"), f_end = sv.Field("end_on"),
            f_org = sv.Field("org_unit_id");
  People out;
  for (int32_t p = 0; p < snap.people(); ++p) {
    auto [lo, hi] = sv.PersonRows(p);
    for (int64_t r = lo; r < hi; ++r) {
      Date start = sv.Int(f_start, r), end = sv.Int(f_end, r);
      int32_t org = sv.Int(f_org, r);
      if (sv.Int(f_type, r) != service_type || start == kNullI32 || start > year.end ||
          (end != kNullI32 && end < year.start))
        continue;
      if (org_unit >= 0 && org != org_unit && !Below(snap, org, org_unit)) continue;
      ++out.persons;
      out.outcomes += achieved[static_cast<size_t>(p)];
      break;
    }
  }
  return out;
}

}  // namespace goldthread::planning::internal
