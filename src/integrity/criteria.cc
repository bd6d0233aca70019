#include "integrity/criteria.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/data_end.h"

namespace goldthread::integrity {
namespace {

struct Cell {
  int64_t claimed = 0, substantiated = 0;
  int64_t missing[3] = {0, 0, 0};  // per criterion: unmet at the period end
  std::vector<int64_t> gap_rows;
};

constexpr const char* kCriteria[3] = {"allocation_informed_on", "plan_agreed_on", "choice_confirmed_on"};

}  // namespace

std::vector<Finding> CheckCriteriaGap(const Snapshot& snap, const CriteriaGapConfig& config, const CheckScope& scope) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const TableData& pb = snap.table(TableId::kPersonalBudgets);
  if (pb.rows == 0) return out;
  const int f_start = pb.Field("start_on"), f_end = pb.Field("end_on"), f_claim = pb.Field("recorded_as_budget"),
            f_org = pb.Field("org_unit_id");
  int f_crit[3];
  for (int c = 0; c < 3; ++c) f_crit[c] = pb.Field(kCriteria[c]);

  // The periods: financial-year ends up to the last date the data knows.
  // Plausible dates only (model/data_end.h), so one budget dated 0001 or
  // 9999 in an old store cannot make thousands of years to scan.
  Date first = kNullDate, last = DataEnd(snap);
  if (last == kNullDate) return out;
  for (int64_t row = 0; row < pb.rows; ++row) {
    Date s = pb.Int(f_start, row);
    if (ByAsOf(snap, s) && (first == kNullDate || s < first)) first = s;
  }
  if (first == kNullDate) return out;
  if (scope.from != kNullDate) first = std::max(first, scope.from);
  if (scope.to != kNullDate) last = std::min(last, scope.to);
  std::vector<Period> periods;
  for (int y = FinancialYearOf(first); y <= FinancialYearOf(last); ++y) {
    Period p = FinancialYearPeriod(y);
    if (p.end <= last) periods.push_back(p);
  }
  // And the last whole month the data covers, when a year is still open.
  YearMonthDay l = CivilFromDate(last);
  if (last != LastDayOfMonth(l.year, l.month)) l = CivilFromDate(AddMonths(DateFromCivil(l.year, l.month, 1), -1));
  Period last_month = MonthPeriod(l.year, l.month);
  if (last_month.end >= first && (periods.empty() || periods.back().end < last_month.end))
    periods.push_back(last_month);

  for (const Period& period : periods) {
    const Date at = period.end;
    std::map<int32_t, Cell> cells;
    for (int64_t row = 0; row < pb.rows; ++row) {
      Date s = pb.Int(f_start, row), e = pb.Int(f_end, row);
      if (s > at || (e != kNullI32 && e < at) || pb.Int(f_claim, row) != 1) continue;
      Cell& c = cells[pb.Int(f_org, row)];
      ++c.claimed;
      bool ok = true;
      for (int k = 0; k < 3; ++k) {
        Date d = pb.Int(f_crit[k], row);
        if (d == kNullI32 || d > at) {
          ++c.missing[k];
          ok = false;
        }
      }
      if (ok) ++c.substantiated;
      else c.gap_rows.push_back(row);
    }
    for (auto& [team, c] : cells) {
      int64_t gap = c.claimed - c.substantiated;
      double share = c.claimed > 0 ? static_cast<double>(gap) / c.claimed : 0.0;
      if (gap < config.min_gap || share < config.min_gap_share) continue;
      Finding f;
      f.check = std::string(kCriteriaGap);
      f.indicators = {"pb-share", "pb-share-claimed"};
      f.org_unit = UnitId(snap, team);
      f.period = period.Label();
      f.severity = share >= config.high_gap_share ? Severity::kHigh : Severity::kMedium;
      int worst = 0;
      for (int k = 1; k < 3; ++k)
        if (c.missing[k] > c.missing[worst]) worst = k;
      f.summary = fmt::format(
          "{} personal budgets the case system counts at {} do not meet all three criteria of a personal "
          "budget; most often missing: {} ({}).",
          CountOf(gap, c.claimed), FormatDate(at), kCriteria[worst], c.missing[worst]);
      f.statistic = "unsubstantiated_share";
      f.value = share;
      f.threshold =
          fmt::format("claimed minus substantiated >= {} and >= {:.0f}% of claimed (high at {:.0f}%)",
                      config.min_gap, 100 * config.min_gap_share, 100 * config.high_gap_share);
      f.looked_at =
          "personal budgets active at the period end with recorded_as_budget = Y, and the dates evidencing each of "
          "the three criteria";
      f.innocent_if =
          "a real change of practice would show support plans agreed on these budgets and people choosing how the "
          "money is spent: the missing criteria dates, recorded on or before the period end.";
      f.evidence.records = gap;
      f.evidence.figures = {{"claimed", static_cast<double>(c.claimed)},
                            {"substantiated", static_cast<double>(c.substantiated)},
                            {"missing_allocation_informed", static_cast<double>(c.missing[0])},
                            {"missing_plan_agreed", static_cast<double>(c.missing[1])},
                            {"missing_choice_confirmed", static_cast<double>(c.missing[2])}};
      LineageTally tally;
      std::map<Date, int64_t> starts;
      for (int64_t row : c.gap_rows) {
        tally.Add(snap, pb, row);
        f.AddRecordId(pb.RecordId(row, snap));
        ++starts[pb.Int(f_start, row)];
      }
      tally.Fill(f.evidence);
      // The start dates most of the unsubstantiated budgets share (a letter
      // run shows as one or two dates).
      std::vector<std::pair<Date, int64_t>> top(starts.begin(), starts.end());
      std::stable_sort(top.begin(), top.end(), [](auto& a, auto& b) { return a.second > b.second; });
      for (size_t k = 0; k < top.size() && k < 5; ++k) f.evidence.dates.push_back(FormatDate(top[k].first));
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace goldthread::integrity
