#include "integrity/entry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "stats/funnel.h"
#include "stats/spc.h"

namespace goldthread::integrity {
namespace {

// The case records whose entry is a piece of work, each with the date of
// the event it records. Visits and survey answers are left out: they are
// logged routinely in bulk by design and would drown the signal.
struct EntryTable {
  TableId table;
  const char* event_field;
  const char* indicator;
};
constexpr EntryTable kEntryTables[] = {
    {TableId::kRequests, "received_on", "requests-new"},
    {TableId::kAssessments, "completed_on", "assessments-completed"},
    {TableId::kSupportPlans, "agreed_on", "plan-with-review-date"},
    {TableId::kServices, "start_on", "reviews-12m"},
    {TableId::kPersonalBudgets, "start_on", "pb-share-claimed"},
    {TableId::kReviews, "completed_on", "reviews-12m"},
    {TableId::kEmergencyPlans, "agreed_on", "carer-emergency-plan"},
    {TableId::kCareHomeAdmissions, "admitted_on", "care-home-admissions-65"},
    {TableId::kCaseAudits, "audited_on", "case-audit-met"},
    {TableId::kOutcomeMeasures, "measured_on", "outcome-improved"},
    {TableId::kFeedback, "received_on", "complaints"},
};

}  // namespace

EntryLog ReadEntries(const Snapshot& snap) {
  EntryLog log;
  for (uint8_t k = 0; k < std::size(kEntryTables); ++k) {
    const TableData& t = snap.table(kEntryTables[k].table);
    const int f_event = t.Field(kEntryTables[k].event_field), f_rec = t.Field("recorded_at"),
              f_org = t.Field("org_unit_id");
    for (int64_t row = 0; row < t.rows; ++row) {
      Date rec = RecordedDate(t, f_rec, row);
      if (rec == kNullDate) {
        ++log.lineage_unknown;
        continue;
      }
      int32_t ev = t.Int(f_event, row);
      log.entries.push_back({k, row, t.Int(f_org, row), ev == kNullI32 ? kNullDate : ev, rec});
    }
  }
  return log;
}

namespace {

const TableData& TableOf(const Snapshot& snap, const Entry& e) { return snap.table(kEntryTables[e.kind].table); }

std::vector<std::string> IndicatorsOf(const std::vector<const Entry*>& entries) {
  std::set<std::string> ids;
  for (const Entry* e : entries) ids.insert(kEntryTables[e->kind].indicator);
  return {ids.begin(), ids.end()};
}

void AddEvidenceRows(const Snapshot& snap, const std::vector<const Entry*>& rows, Finding& f) {
  LineageTally tally;
  for (const Entry* e : rows) {
    const TableData& t = TableOf(snap, *e);
    tally.Add(snap, t, e->row);
    f.AddRecordId(std::string(t.spec->name) + ":" + t.RecordId(e->row, snap));
  }
  tally.Fill(f.evidence);
  f.evidence.records = static_cast<int64_t>(rows.size());
  f.indicators = IndicatorsOf(rows);
}

Period QuarterOf(Date d) {
  YearMonthDay ymd = CivilFromDate(d);
  return QuarterPeriod(FinancialYearOf(d), ((ymd.month + 8) % 12) / 3 + 1);
}

}  // namespace

int64_t PoissonQuantile(double lambda, double q) {
  if (lambda <= 0) return 0;
  // Sum the pmf from 0 in log space (lambda in a day's counts is small); for
  // a very large lambda the normal approximation is ample.
  if (lambda > 5000) return static_cast<int64_t>(std::ceil(lambda + 3.090232 * std::sqrt(lambda)));
  double log_pmf = -lambda, cdf = 0.0;
  for (int64_t c = 0;; ++c) {
    if (c > 0) log_pmf += std::log(lambda) - std::log(static_cast<double>(c));
    cdf += std::exp(log_pmf);
    if (cdf >= q || c > 100000) return c;
  }
}

//===----------------------------------------------------------------------===//
// backdating
//===----------------------------------------------------------------------===//

std::vector<Finding> CheckBackdating(const Snapshot& snap, const BackdatingConfig& config, const CheckScope& scope) {
  if (!config.enabled) return {};
  return CheckBackdating(snap, ReadEntries(snap), config, scope);
}

std::vector<Finding> CheckBackdating(const Snapshot& snap, const EntryLog& log, const BackdatingConfig& config,
                                     const CheckScope& scope) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const int64_t unknown = log.lineage_unknown;
  const std::vector<Entry>& entries = log.entries;
  // team -> month start -> entries with a known event date.
  std::map<int32_t, std::map<Date, std::vector<const Entry*>>> cells;
  for (const Entry& e : entries) {
    if (!scope.Contains(e.event)) continue;
    YearMonthDay ymd = CivilFromDate(e.event);
    cells[e.team][DateFromCivil(ymd.year, ymd.month, 1)].push_back(&e);
  }
  for (auto& [team, months] : cells) {
    std::vector<Date> keys;
    std::vector<double> q;
    for (auto& [month, list] : months) {
      if (static_cast<int>(list.size()) < config.min_records) continue;
      std::vector<double> lags;
      for (const Entry* e : list) lags.push_back(e->recorded - e->event);
      keys.push_back(month);
      q.push_back(Quantile(std::move(lags), config.quantile));
    }
    if (q.size() < 6) continue;  // too short a history to judge a shift
    double baseline = Median(q);
    stats::SpcOptions opt;
    opt.polarity = stats::Polarity::kDown;
    auto chart = stats::XmrChart(q, opt);
    if (!chart.ok()) continue;
    // Flagged months, grouped by financial year.
    std::map<int, std::vector<size_t>> flagged;
    for (size_t i = 0; i < q.size(); ++i) {
      const stats::SpcPoint& p = chart->points[i];
      bool above = p.mean && q[i] > *p.mean;
      if (p.rule != stats::SpecialCause::kNone && above && q[i] - baseline >= config.min_shift_days)
        flagged[FinancialYearOf(keys[i])].push_back(i);
    }
    for (auto& [year, idx] : flagged) {
      Finding f;
      f.check = std::string(kBackdating);
      f.org_unit = UnitId(snap, team);
      f.period = FinancialYearPeriod(year).Label();
      double worst = 0.0;
      std::vector<const Entry*> late;
      int64_t in_months = 0;
      for (size_t i : idx) {
        worst = std::max(worst, q[i]);
        f.evidence.dates.push_back(FormatMonth(keys[i]));
        for (const Entry* e : months[keys[i]]) {
          ++in_months;
          if (e->recorded - e->event > baseline + config.min_shift_days) late.push_back(e);
        }
      }
      f.severity = worst - baseline >= 4.0 * config.min_shift_days ? Severity::kHigh : Severity::kMedium;
      AddEvidenceRows(snap, late, f);
      char buf[400];
      std::snprintf(buf, sizeof buf,
                    "In %zu month(s) one record in ten was entered %.0f or more days after the event, against a "
                    "usual %.0f days for this team: %lld records were entered long after the dates they carry.",
                    idx.size(), worst, baseline, static_cast<long long>(late.size()));
      f.summary = buf;
      f.statistic = "lag_p" + std::to_string(static_cast<int>(std::lround(config.quantile * 100))) + "_days";
      f.value = worst;
      std::snprintf(buf, sizeof buf,
                    "special cause above the mean on the team's XmR chart of monthly lag quantiles, and >= %d days "
                    "above its median %.1f",
                    config.min_shift_days, baseline);
      f.threshold = buf;
      f.looked_at = "recorded_at minus the event date of the team's case records, by month of the event";
      f.innocent_if =
          "the records were late because the work was late to be written up (a backlog after absence or a system "
          "outage), with the case notes dated when the work was done and not only a date set back.";
      f.evidence.figures = {{"months_flagged", static_cast<double>(idx.size())},
                            {"baseline_lag_days", baseline},
                            {"worst_lag_days", worst},
                            {"records_in_flagged_months", static_cast<double>(in_months)},
                            {"lineage_unknown", static_cast<double>(unknown)}};
      out.push_back(std::move(f));
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// period_end_surge
//===----------------------------------------------------------------------===//

std::vector<Finding> CheckPeriodEndSurge(const Snapshot& snap, const PeriodEndSurgeConfig& config,
                                         const CheckScope& scope) {
  if (!config.enabled) return {};
  return CheckPeriodEndSurge(snap, ReadEntries(snap), config, scope);
}

std::vector<Finding> CheckPeriodEndSurge(const Snapshot& snap, const EntryLog& log,
                                         const PeriodEndSurgeConfig& config, const CheckScope& scope) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const std::vector<Entry>& entries = log.entries;
  if (entries.empty()) return out;
  Date first = entries[0].recorded, last = entries[0].recorded;
  for (const Entry& e : entries) first = std::min(first, e.recorded), last = std::max(last, e.recorded);
  // Only quarters the data covers whole, and that end before the extract:
  // a quarter cut short at the start would crowd its entries into its last
  // days.
  std::map<Date, Period> quarters;                                   // start -> quarter
  std::map<int32_t, std::map<Date, std::vector<const Entry*>>> all;  // team -> quarter -> entries
  for (const Entry& e : entries) {
    if (!scope.Contains(e.recorded)) continue;
    Period q = QuarterOf(e.recorded);
    // The quarter the extract ends in is left out too: records still open
    // are stamped up to the extract day, which looks like a surge.
    if (q.start < first || q.end >= last) continue;
    quarters[q.start] = q;
    all[e.team][q.start].push_back(&e);
  }
  std::vector<int32_t> teams;
  for (auto& [team, m] : all) teams.push_back(team);
  auto counts = [&](int32_t team, const Period& q, double& x, double& n) {
    x = n = 0;
    auto it = all[team].find(q.start);
    if (it == all[team].end()) return;
    for (const Entry* e : it->second) {
      n += 1;
      if (e->recorded > q.end - config.last_days) x += 1;
    }
  };
  // Funnels: each team against the quarter's other teams (leave-one-out).
  std::map<Date, std::map<int32_t, stats::Outlier>> funnel_outlier;
  for (auto& [start, q] : quarters) {
    std::vector<double> num, den;
    std::vector<int32_t> ids;
    for (int32_t team : teams) {
      double x, n;
      counts(team, q, x, n);
      if (n < config.min_entries) continue;
      num.push_back(x), den.push_back(n), ids.push_back(team);
    }
    double all_x = 0, all_n = 0;
    for (size_t i = 0; i < ids.size(); ++i) all_x += num[i], all_n += den[i];
    for (size_t i = 0; i < ids.size(); ++i) {
      double z = 0.0;
      bool high = HighAgainstPeers(num[i], den[i], all_x - num[i], all_n - den[i], z);
      funnel_outlier[start][ids[i]] = high ? stats::Outlier::kHigh : stats::Outlier::kNone;
    }
  }
  for (int32_t team : teams) {
    std::vector<double> num, den;
    std::vector<const Period*> qs;
    for (auto& [start, q] : quarters) {
      double x, n;
      counts(team, q, x, n);
      if (n < config.min_entries) x = n = 0;  // missing point on the chart
      num.push_back(x), den.push_back(n), qs.push_back(&q);
    }
    auto chart = stats::PChart(num, den, stats::SpcOptions{});
    for (size_t i = 0; i < qs.size(); ++i) {
      if (den[i] <= 0) continue;
      const Period& q = *qs[i];
      double share = num[i] / den[i];
      double ratio = share / (static_cast<double>(config.last_days) / q.Days());
      if (ratio < config.min_ratio) continue;
      bool spc = false;
      if (chart.ok()) {
        const stats::SpcPoint& p = chart->points[i];
        spc = p.rule != stats::SpecialCause::kNone && p.mean && share > *p.mean;
      }
      auto fo = funnel_outlier[q.start].find(team);
      bool funnel = fo != funnel_outlier[q.start].end() && fo->second == stats::Outlier::kHigh;
      if (!spc && !funnel) continue;
      Finding f;
      f.check = std::string(kPeriodEndSurge);
      f.org_unit = UnitId(snap, team);
      f.period = q.Label();
      f.severity = spc && funnel ? Severity::kHigh : Severity::kMedium;
      std::vector<const Entry*> rows;
      std::vector<double> lags;
      std::set<Date> days;
      for (const Entry* e : all[team][q.start]) {
        if (e->recorded <= q.end - config.last_days) continue;
        rows.push_back(e);
        days.insert(e->recorded);
        if (e->event != kNullDate) lags.push_back(e->recorded - e->event);
      }
      AddEvidenceRows(snap, rows, f);
      for (Date d : days) f.evidence.dates.push_back(FormatDate(d));
      char buf[400];
      std::snprintf(buf, sizeof buf,
                    "%s of the team's entries for %s were made in its last %d days, %.1f times the share an even "
                    "pace would give.",
                    CountOf(static_cast<int64_t>(num[i]), static_cast<int64_t>(den[i])).c_str(), q.Label().c_str(),
                    config.last_days, ratio);
      f.summary = buf;
      f.statistic = "surge_ratio";
      f.value = ratio;
      std::snprintf(buf, sizeof buf, "ratio >= %.1f and %s", config.min_ratio,
                    spc && funnel ? "special cause on the team's p-chart and a high funnel outlier among teams"
                    : spc         ? "special cause on the team's p-chart of quarters"
                                  : "above the 99.8% funnel limit around the other teams' share");
      f.threshold = buf;
      f.looked_at = "the recorded_at dates of the team's case records entered in the quarter";
      f.innocent_if =
          "the work itself was done in those days (new requests, visits and reviews dated then), not work of the "
          "earlier weeks written up at the deadline.";
      f.evidence.figures = {{"entries", den[i]},
                            {"entries_last_days", num[i]},
                            {"last_days", static_cast<double>(config.last_days)},
                            {"median_lag_days_of_late_entries", lags.empty() ? 0.0 : Median(lags)}};
      out.push_back(std::move(f));
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// bulk_change
//===----------------------------------------------------------------------===//

std::vector<Finding> CheckBulkChange(const Snapshot& snap, const BulkChangeConfig& config, const CheckScope& scope) {
  if (!config.enabled) return {};
  return CheckBulkChange(snap, ReadEntries(snap), config, scope);
}

std::vector<Finding> CheckBulkChange(const Snapshot& snap, const EntryLog& log, const BulkChangeConfig& config,
                                     const CheckScope& scope) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const std::vector<Entry>& entries = log.entries;
  std::map<int32_t, std::map<Date, std::vector<const Entry*>>> days;
  std::map<int32_t, std::map<int64_t, int64_t>> team_batches;
  std::map<int32_t, int64_t> team_total;
  for (const Entry& e : entries) {
    if (!scope.Contains(e.recorded)) continue;
    days[e.team][e.recorded].push_back(&e);
    const TableData& t = TableOf(snap, e);
    ++team_batches[e.team][snap.batch_id(t.batch[e.row])];
    ++team_total[e.team];
  }
  for (auto& [team, by_day] : days) {
    // The unit's normal rate: mean entries per day it entered anything.
    // Days with no entries (weekends, holidays) would pull the rate down and
    // make every busy Monday look unusual.
    double total = 0;
    for (auto& [d, list] : by_day) total += static_cast<double>(list.size());
    double lambda = total / static_cast<double>(by_day.size());
    int64_t limit = PoissonQuantile(lambda, 0.999);
    for (auto& [d, list] : by_day) {
      int64_t n = static_cast<int64_t>(list.size());
      if (n <= limit || n < config.min_changes || n < config.min_multiple * lambda) continue;
      LineageTally tally;
      for (const Entry* e : list) tally.Add(snap, TableOf(snap, *e), e->row);
      double user_share = tally.TopUserShare(), batch_share = tally.TopBatchShare();
      // One batch that carries most of the team's records anyway (a single
      // full extract) says nothing about this day.
      double batch_weight = static_cast<double>(team_batches[team][tally.TopBatch()]) / team_total[team];
      bool by_user = user_share >= config.min_top_share;
      bool by_batch = batch_share >= config.min_top_share && batch_weight < 0.5;
      if (!by_user && !by_batch) continue;
      Finding f;
      f.check = std::string(kBulkChange);
      f.org_unit = UnitId(snap, team);
      f.period = FormatMonth(d);
      f.severity = n >= 10.0 * std::max(lambda, 1.0) ? Severity::kHigh : Severity::kMedium;
      AddEvidenceRows(snap, list, f);
      f.evidence.dates = {FormatDate(d)};
      char buf[400];
      if (by_user) {
        std::snprintf(buf, sizeof buf,
                      "On %s, %lld records were entered for this team, against a usual %.1f a day; %.0f%% of them by "
                      "one user (%s).",
                      FormatDate(d).c_str(), static_cast<long long>(n), lambda, 100 * user_share,
                      tally.TopUser().c_str());
      } else {
        std::snprintf(buf, sizeof buf,
                      "On %s, %lld records were entered for this team, against a usual %.1f a day; %.0f%% of them in "
                      "one import batch (%lld).",
                      FormatDate(d).c_str(), static_cast<long long>(n), lambda, 100 * batch_share,
                      static_cast<long long>(tally.TopBatch()));
      }
      f.summary = buf;
      f.statistic = "records_on_day";
      f.value = static_cast<double>(n);
      std::snprintf(buf, sizeof buf,
                    "above the 99.8%% Poisson limit %lld of the team's daily rate %.2f, >= %d records and >= %.1f times "
                    "the rate, with one user or batch making >= %.0f%%",
                    static_cast<long long>(limit), lambda, config.min_changes, config.min_multiple,
                    100 * config.min_top_share);
      f.threshold = buf;
      f.looked_at = "case records per team per day of recorded_at, with who entered them and in which batch";
      f.innocent_if =
          "each record reflects work done with the person: a real change of practice would show support plans "
          "agreed, visits made or reviews held for these people, not only a status set for many at once.";
      f.evidence.figures = {{"usual_daily_rate", lambda},
                            {"poisson_limit_998", static_cast<double>(limit)},
                            {"top_user_share", user_share},
                            {"top_batch_share", batch_share}};
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace goldthread::integrity
