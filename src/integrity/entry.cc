#include "integrity/entry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "integrity/entry_cells.h"
#include "stats/funnel.h"
#include "stats/spc.h"

namespace goldthread::integrity {
namespace {

Period QuarterOf(Date d) {
  YearMonthDay ymd = CivilFromDate(d);
  return QuarterPeriod(FinancialYearOf(d), ((ymd.month + 8) % 12) / 3 + 1);
}

/// "this team" or "this team's reviews".
std::string WhoseEntries(uint8_t kind) {
  return kind == kAllKinds ? "this team" : "this team's " + std::string(EntryNoun(kind, true));
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

std::vector<Finding> CheckBackdating(const Snapshot& snap, const BackdatingConfig& config,
                                     const CheckScope& scope) {
  if (!config.enabled) return {};
  return CheckBackdating(snap, ReadEntries(snap), config, scope);
}

std::vector<Finding> CheckBackdating(const Snapshot& snap, const EntryLog& log,
                                     const BackdatingConfig& config, const CheckScope& scope) {
  if (!config.enabled) return {};
  // cell -> month start -> entries with a known event date.
  std::map<EntryCell, std::map<Date, std::vector<const Entry*>>> cells;
  for (const Entry& e : log.entries) {
    if (!scope.Contains(e.event)) continue;
    YearMonthDay ymd = CivilFromDate(e.event);
    const Date month = DateFromCivil(ymd.year, ymd.month, 1);
    cells[{e.team, kAllKinds}][month].push_back(&e);
    cells[{e.team, e.kind}][month].push_back(&e);
  }
  std::vector<EntryHit> hits;
  for (auto& [cell, months] : cells) {
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
    const std::string one(EntryNoun(cell.kind, false)), many(EntryNoun(cell.kind, true));
    for (auto& [year, idx] : flagged) {
      EntryHit hit;
      hit.cell = cell;
      Finding& f = hit.finding;
      f.check = std::string(kBackdating);
      f.org_unit = UnitId(snap, cell.team);
      f.period = FinancialYearPeriod(year).Label();
      double worst = 0.0;
      int64_t in_months = 0;
      for (size_t i : idx) {
        worst = std::max(worst, q[i]);
        f.evidence.dates.push_back(FormatMonth(keys[i]));
        for (const Entry* e : months[keys[i]]) {
          ++in_months;
          if (e->recorded - e->event > baseline + config.min_shift_days) hit.rows.push_back(e);
        }
      }
      if (static_cast<int64_t>(hit.rows.size()) < config.min_late_records) continue;
      f.severity = worst - baseline >= 4.0 * config.min_shift_days ? Severity::kHigh : Severity::kMedium;
      f.summary = fmt::format(
          "In {} month(s) one {} in ten was entered {:.0f} or more days after the event, against a usual "
          "{:.0f} "
          "days for {}: {} {} were entered long after the dates they carry.",
          idx.size(), one, worst, baseline, WhoseEntries(cell.kind), hit.rows.size(), many);
      f.statistic = fmt::format("lag_p{}_days", std::lround(config.quantile * 100));
      f.value = worst;
      f.threshold = fmt::format(
          "special cause above the mean on the team's XmR chart of monthly lag quantiles{}, >= {} days above "
          "its "
          "median {:.1f}, and >= {} records entered that late",
          cell.kind == kAllKinds ? "" : " of its " + many, config.min_shift_days, baseline,
          config.min_late_records);
      f.looked_at = fmt::format("recorded_at minus the event date of the team's {}, by month of the event",
                                cell.kind == kAllKinds ? "case records" : many);
      f.innocent_if =
          "the records were late because the work was late to be written up (a backlog after absence or a "
          "system "
          "outage), with the case notes dated when the work was done and not only a date set back.";
      f.evidence.figures = {{"months_flagged", static_cast<double>(idx.size())},
                            {"baseline_lag_days", baseline},
                            {"worst_lag_days", worst},
                            {"records_in_flagged_months", static_cast<double>(in_months)},
                            {"lineage_unknown", static_cast<double>(log.lineage_unknown)}};
      hit.strength = worst - baseline;
      hit.also = fmt::format("{} ({} entered long after the event)", many, hit.rows.size());
      hits.push_back(std::move(hit));
    }
  }
  return MergeEntryHits(snap, std::move(hits));
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
  if (!config.enabled || log.entries.empty()) return {};
  const std::vector<Entry>& entries = log.entries;
  Date first = entries[0].recorded, last = entries[0].recorded;
  for (const Entry& e : entries) first = std::min(first, e.recorded), last = std::max(last, e.recorded);
  // Only quarters the data covers whole, and that end before the extract:
  // a quarter cut short at the start would crowd its entries into its last
  // days.
  std::map<Date, Period> quarters;                                     // start -> quarter
  std::map<EntryCell, std::map<Date, std::vector<const Entry*>>> all;  // cell -> quarter -> entries
  std::set<uint8_t> kinds;
  std::set<int32_t> teams;
  for (const Entry& e : entries) {
    if (!scope.Contains(e.recorded)) continue;
    Period q = QuarterOf(e.recorded);
    // The quarter the extract ends in is left out too: records still open
    // are stamped up to the extract day, which looks like a surge.
    if (q.start < first || q.end >= last) continue;
    quarters[q.start] = q;
    all[{e.team, kAllKinds}][q.start].push_back(&e);
    all[{e.team, e.kind}][q.start].push_back(&e);
    kinds.insert(e.kind);
    teams.insert(e.team);
  }
  kinds.insert(kAllKinds);
  auto counts = [&](const EntryCell& cell, const Period& q, double& x, double& n) {
    x = n = 0;
    auto c = all.find(cell);
    if (c == all.end()) return;
    auto it = c->second.find(q.start);
    if (it == c->second.end()) return;
    for (const Entry* e : it->second) {
      n += 1;
      if (e->recorded > q.end - config.last_days) x += 1;
    }
  };
  // Funnels: each team against the quarter's other teams (leave-one-out),
  // record type by record type.
  std::map<std::pair<EntryCell, Date>, bool> funnel_high;
  for (uint8_t kind : kinds) {
    for (auto& [start, q] : quarters) {
      std::vector<double> num, den;
      std::vector<int32_t> ids;
      for (int32_t team : teams) {
        double x, n;
        counts({team, kind}, q, x, n);
        if (n < config.min_entries) continue;
        num.push_back(x), den.push_back(n), ids.push_back(team);
      }
      double all_x = 0, all_n = 0;
      for (size_t i = 0; i < ids.size(); ++i) all_x += num[i], all_n += den[i];
      for (size_t i = 0; i < ids.size(); ++i) {
        double z = 0.0;
        funnel_high[{{ids[i], kind}, start}] =
            HighAgainstPeers(num[i], den[i], all_x - num[i], all_n - den[i], z);
      }
    }
  }
  std::vector<EntryHit> hits;
  for (auto& [cell, by_quarter] : all) {
    std::vector<double> num, den;
    std::vector<const Period*> qs;
    for (auto& [start, q] : quarters) {
      double x, n;
      counts(cell, q, x, n);
      if (n < config.min_entries) x = n = 0;  // missing point on the chart
      num.push_back(x), den.push_back(n), qs.push_back(&q);
    }
    auto chart = stats::PChart(num, den, stats::SpcOptions{});
    const std::string many(EntryNoun(cell.kind, true));
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
      auto fo = funnel_high.find({cell, q.start});
      bool funnel = fo != funnel_high.end() && fo->second;
      if (!spc && !funnel) continue;
      EntryHit hit;
      hit.cell = cell;
      Finding& f = hit.finding;
      f.check = std::string(kPeriodEndSurge);
      f.org_unit = UnitId(snap, cell.team);
      f.period = q.Label();
      f.severity = spc && funnel ? Severity::kHigh : Severity::kMedium;
      std::vector<double> lags;
      std::set<Date> days;
      for (const Entry* e : by_quarter[q.start]) {
        if (e->recorded <= q.end - config.last_days) continue;
        hit.rows.push_back(e);
        days.insert(e->recorded);
        if (e->event != kNullDate) lags.push_back(e->recorded - e->event);
      }
      for (Date d : days) f.evidence.dates.push_back(FormatDate(d));
      const std::string count = CountOf(static_cast<int64_t>(num[i]), static_cast<int64_t>(den[i]));
      f.summary = cell.kind == kAllKinds
                      ? fmt::format(
                            "{} of the team's entries for {} were made in its last {} days, {:.1f} times "
                            "the share an even pace would give.",
                            count, q.Label(), config.last_days, ratio)
                      : fmt::format(
                            "{} of the team's {} for {} were entered in its last {} days, {:.1f} times the "
                            "share an even pace would give.",
                            count, many, q.Label(), config.last_days, ratio);
      f.statistic = "surge_ratio";
      f.value = ratio;
      f.threshold = fmt::format(
          "ratio >= {:.1f} and {}", config.min_ratio,
          spc && funnel ? "special cause on the team's p-chart and a high funnel outlier among teams"
          : spc         ? "special cause on the team's p-chart of quarters"
                        : "above the 99.8% funnel limit around the other teams' share");
      f.looked_at = fmt::format("the recorded_at dates of the team's {} entered in the quarter",
                                cell.kind == kAllKinds ? "case records" : many);
      f.innocent_if =
          "the work itself was done in those days (new requests, visits and reviews dated then), not work of "
          "the "
          "earlier weeks written up at the deadline.";
      f.evidence.figures = {{"entries", den[i]},
                            {"entries_last_days", num[i]},
                            {"last_days", static_cast<double>(config.last_days)},
                            {"median_lag_days_of_late_entries", lags.empty() ? 0.0 : Median(lags)}};
      hit.strength = ratio;
      hit.also = fmt::format("{} ({:.1f} times)", many, ratio);
      hits.push_back(std::move(hit));
    }
  }
  return MergeEntryHits(snap, std::move(hits));
}

//===----------------------------------------------------------------------===//
// bulk_change
//===----------------------------------------------------------------------===//

std::vector<Finding> CheckBulkChange(const Snapshot& snap, const BulkChangeConfig& config,
                                     const CheckScope& scope) {
  if (!config.enabled) return {};
  return CheckBulkChange(snap, ReadEntries(snap), config, scope);
}

std::vector<Finding> CheckBulkChange(const Snapshot& snap, const EntryLog& log,
                                     const BulkChangeConfig& config, const CheckScope& scope) {
  if (!config.enabled) return {};
  std::map<EntryCell, std::map<Date, std::vector<const Entry*>>> days;
  std::map<int32_t, std::set<Date>> active;  // team -> days it entered anything
  std::map<int32_t, std::map<int64_t, int64_t>> team_batches;
  std::map<int32_t, int64_t> team_total;
  for (const Entry& e : log.entries) {
    if (!scope.Contains(e.recorded)) continue;
    days[{e.team, kAllKinds}][e.recorded].push_back(&e);
    days[{e.team, e.kind}][e.recorded].push_back(&e);
    active[e.team].insert(e.recorded);
    const TableData& t = EntryTableOf(snap, e);
    ++team_batches[e.team][snap.batch_id(t.batch[e.row])];
    ++team_total[e.team];
  }
  std::vector<EntryHit> hits;
  for (auto& [cell, by_day] : days) {
    // The cell's normal rate: its entries per day the team entered anything.
    // Days with no entries (weekends, holidays) would pull the rate down and
    // make every busy Monday look unusual; days the team entered only other
    // record types are ordinary days without this type.
    double total = 0;
    for (auto& [d, list] : by_day) total += static_cast<double>(list.size());
    const double lambda = total / static_cast<double>(active[cell.team].size());
    const int64_t limit = PoissonQuantile(lambda, 0.999);
    const std::string many(EntryNoun(cell.kind, true));
    for (auto& [d, list] : by_day) {
      int64_t n = static_cast<int64_t>(list.size());
      if (n <= limit || n < config.min_changes || n < config.min_multiple * lambda) continue;
      LineageTally tally;
      for (const Entry* e : list) tally.Add(snap, EntryTableOf(snap, *e), e->row);
      double user_share = tally.TopUserShare(), batch_share = tally.TopBatchShare();
      // One batch that carries most of the team's records anyway (a single
      // full extract) says nothing about this day.
      double batch_weight =
          static_cast<double>(team_batches[cell.team][tally.TopBatch()]) / team_total[cell.team];
      bool by_user = user_share >= config.min_top_share;
      bool by_batch = batch_share >= config.min_top_share && batch_weight < 0.5;
      if (!by_user && !by_batch) continue;
      EntryHit hit;
      hit.cell = cell;
      hit.rows = list;
      Finding& f = hit.finding;
      f.check = std::string(kBulkChange);
      f.org_unit = UnitId(snap, cell.team);
      f.period = FormatMonth(d);
      f.severity = n >= 10.0 * std::max(lambda, 1.0) ? Severity::kHigh : Severity::kMedium;
      f.evidence.dates = {FormatDate(d)};
      const std::string who = by_user ? fmt::format("one user ({})", tally.TopUser())
                                      : fmt::format("one import batch ({})", tally.TopBatch());
      f.summary = fmt::format(
          "On {}, {} {} were entered for this team, against a usual {:.1f} a day; {:.0f}% of them "
          "by {}.",
          FormatDate(d), n, many, lambda, 100 * (by_user ? user_share : batch_share), who);
      f.statistic = "records_on_day";
      f.value = static_cast<double>(n);
      f.threshold = fmt::format(
          "above the 99.8% Poisson limit {} of the team's daily rate {:.2f}{}, >= {} records and >= {:.1f} "
          "times the "
          "rate, with one user or batch making >= {:.0f}%",
          limit, lambda, cell.kind == kAllKinds ? "" : " of " + many, config.min_changes, config.min_multiple,
          100 * config.min_top_share);
      f.looked_at =
          fmt::format("{} per team per day of recorded_at, with who entered them and in which batch",
                      cell.kind == kAllKinds ? "case records" : many);
      f.innocent_if =
          "each record reflects work done with the person: a real change of practice would show support "
          "plans "
          "agreed, visits made or reviews held for these people, not only a status set for many at once.";
      f.evidence.figures = {{"usual_daily_rate", lambda},
                            {"poisson_limit_998", static_cast<double>(limit)},
                            {"top_user_share", user_share},
                            {"top_batch_share", batch_share}};
      hit.strength = static_cast<double>(n) / std::max(lambda, 1.0);
      hit.also = fmt::format("{} ({} that day)", many, n);
      hits.push_back(std::move(hit));
    }
  }
  return MergeEntryHits(snap, std::move(hits));
}

}  // namespace goldthread::integrity
