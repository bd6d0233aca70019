#include "integrity/indicator_series.h"

#include <cmath>
#include <map>

namespace goldthread::integrity {
namespace {

SeriesTable EmptyTable(const std::string& indicator, const std::vector<std::string>& periods,
                       const std::vector<std::string>& units) {
  SeriesTable t;
  t.indicator = indicator;
  t.periods = periods;
  t.units = units;
  std::vector<std::vector<double>> nan(units.size(), std::vector<double>(periods.size(), NAN));
  t.values = nan;
  t.numerators = nan;
  t.denominators = nan;
  return t;
}

// The first day of the month of d.
Date MonthOf(Date d) {
  YearMonthDay c = CivilFromDate(d);
  return DateFromCivil(c.year, c.month, 1);
}

}  // namespace

const IndicatorSeries* IndicatorSeriesSet::Find(std::string_view id) const {
  for (const IndicatorSeries& s : series)
    if (s.def && s.def->id == id) return &s;
  return nullptr;
}

size_t IndicatorSeriesSet::FirstAfterWarmup(int warmup_months) const {
  if (data_start == kNullDate) return 0;
  const Date from = AddMonths(data_start, warmup_months);
  size_t i = 0;
  while (i < periods.size() && periods[i].start < from) ++i;
  return i;
}

Date DataStart(const Snapshot& snap) {
  // Records per month, then the month where the running total passes 1%.
  std::map<Date, int64_t> per_month;
  int64_t total = 0;
  for (const TableSpec& spec : AllTables()) {
    if (!spec.has_lineage || spec.date_field < 0) continue;
    const TableData& t = snap.table(spec.id);
    for (int64_t row = 0; row < t.rows; ++row) {
      int32_t d = t.Int(spec.date_field, row);
      if (d == kNullI32) continue;
      ++per_month[MonthOf(d)];
      ++total;
    }
  }
  int64_t seen = 0;
  for (const auto& [month, n] : per_month) {
    seen += n;
    if (100 * seen >= total) return month;
  }
  return kNullDate;
}

IndicatorSeriesSet SeriesFromResult(const Snapshot& snap, const indicators::ComputeResult& result,
                                    Date data_start, Date data_end) {
  IndicatorSeriesSet set;
  set.periods = result.periods;
  set.data_start = data_start;
  // Teams: units nobody names as parent; the council: units with no parent.
  const int32_t n_org = static_cast<int32_t>(snap.table(TableId::kOrgUnits).rows);
  const OrgTree& tree = snap.org_tree();
  std::vector<int32_t> slot(n_org, -1);  // row in teams (>= 0) or council (-2 - row)
  std::vector<std::string> teams, councils;
  for (int32_t o = 0; o < n_org; ++o) {
    if (snap.OrgParent(o) < 0) {
      slot[o] = -2 - static_cast<int32_t>(councils.size());
      councils.push_back(snap.OrgUnitId(o));
    } else if (!tree.has_children(o)) {
      slot[o] = static_cast<int32_t>(teams.size());
      teams.push_back(snap.OrgUnitId(o));
    }
  }
  std::vector<std::string> labels;
  for (const Period& p : result.periods) labels.push_back(p.Label());
  for (const indicators::IndicatorResult& ir : result.indicators) {
    IndicatorSeries s;
    s.def = ir.def;
    s.teams = EmptyTable(ir.def->id, labels, teams);
    s.council = EmptyTable(ir.def->id, labels, councils);
    // A derived percentage ([derived]) is not a count out of a count: its
    // numerator and denominator are its components' values.
    s.teams.percent = s.council.percent = ir.def->unit == indicators::Unit::kPercent && !ir.def->derived;
    for (const indicators::Figure& f : ir.figures) {
      if (f.group != 0 || f.org_unit < 0 || f.org_unit >= n_org || slot[f.org_unit] == -1) continue;
      // A quarter whose follow-up runs past the data is half observed
      // (indicators::IsProvisional): unknown, not a movement.
      if (indicators::IsProvisional(result.periods[f.period], *ir.def, data_end)) continue;
      SeriesTable& t = slot[f.org_unit] >= 0 ? s.teams : s.council;
      const size_t u = slot[f.org_unit] >= 0 ? slot[f.org_unit] : -2 - slot[f.org_unit];
      t.values[u][f.period] = f.value ? *f.value : NAN;
      t.numerators[u][f.period] = f.numerator;
      t.denominators[u][f.period] = f.denominator ? *f.denominator : NAN;
    }
    set.series.push_back(std::move(s));
  }
  return set;
}

std::optional<std::pair<Date, Date>> IndicatorSeriesMonths(const Snapshot& snap, const CheckScope& scope) {
  const Date start = DataStart(snap), end = DataEnd(snap);
  if (start == kNullDate || end == kNullDate) return std::nullopt;
  // Whole quarters only: from the first quarter starting on or after the
  // start to the last one ending on or before the end.
  Date from = scope.from != kNullDate ? std::max(scope.from, start) : start;
  Date to = scope.to != kNullDate ? std::min(scope.to, end) : end;
  indicators::ComputeOptions options;
  options.from_month = MonthOf(from);
  if (from != options.from_month) options.from_month = AddMonths(options.from_month, 1);
  options.to_month = MonthOf(to);
  YearMonthDay last = CivilFromDate(to);
  if (to != LastDayOfMonth(last.year, last.month)) options.to_month = AddMonths(options.to_month, -1);
  // PeriodsBetween keeps each quarter ending within the months; one that
  // starts before from_month is partial, so from_month moves to a quarter's start.
  while (true) {
    YearMonthDay c = CivilFromDate(options.from_month);
    if (c.month % 3 == 1) break;  // quarters start in Apr, Jul, Oct, Jan
    options.from_month = AddMonths(options.from_month, 1);
  }
  if (options.to_month < options.from_month ||
      PeriodsBetween(options.from_month, options.to_month, PeriodKind::kQuarter).empty())
    return std::nullopt;
  return std::pair(options.from_month, options.to_month);
}

Result<IndicatorSeriesSet> BuildIndicatorSeries(const Snapshot& snap,
                                                const std::vector<indicators::Definition>& defs,
                                                const CheckScope& scope, int threads) {
  const Date start = DataStart(snap), end = DataEnd(snap);
  IndicatorSeriesSet empty;
  empty.data_start = start;
  const auto months = IndicatorSeriesMonths(snap, scope);
  if (!months) return empty;
  indicators::ComputeOptions options;
  options.by = PeriodKind::kQuarter;
  options.threads = threads;
  options.from_month = months->first;
  options.to_month = months->second;
  auto result = indicators::Compute(snap, defs, options);
  if (!result.ok()) return result.status();
  return SeriesFromResult(snap, *result, start, end);
}

SeriesTable DropLeadingPeriods(const SeriesTable& table, size_t first) {
  SeriesTable t;
  t.indicator = table.indicator;
  t.units = table.units;
  t.percent = table.percent;
  first = std::min(first, table.periods.size());
  t.periods.assign(table.periods.begin() + first, table.periods.end());
  auto cut = [first](const std::vector<std::vector<double>>& rows) {
    std::vector<std::vector<double>> out;
    for (const auto& r : rows) out.emplace_back(r.begin() + std::min(first, r.size()), r.end());
    return out;
  };
  t.values = cut(table.values);
  t.numerators = cut(table.numerators);
  t.denominators = cut(table.denominators);
  return t;
}


}  // namespace goldthread::integrity
