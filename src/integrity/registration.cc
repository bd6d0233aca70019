#include "integrity/registration.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

namespace goldthread::integrity {
namespace {

// Per team and financial year: the cases counted and those that fired.
struct Cell {
  int64_t n = 0;
  std::vector<int64_t> flagged_rows;
  std::vector<std::string> extra_ids;  // e.g. the re-opened request of a pair
  std::vector<double> values;          // a per-case figure (lag in days)
};
using Cells = std::map<std::pair<int, int32_t>, Cell>;

struct Outcome {
  int32_t team;
  int year;
  Cell* cell;
  double share, peer_share;
  std::optional<double> z;
};

// The cells that are high funnel outliers among their year's teams with a
// share of at least min_share.
std::vector<Outcome> Outliers(Cells& cells, int min_n, double min_share) {
  std::map<int, std::vector<std::pair<int32_t, Cell*>>> by_year;
  for (auto& [key, cell] : cells)
    if (cell.n >= min_n) by_year[key.first].push_back({key.second, &cell});
  std::vector<Outcome> out;
  for (auto& [year, teams] : by_year) {
    std::vector<double> num, den;
    for (auto& [team, cell] : teams) {
      num.push_back(static_cast<double>(cell->flagged_rows.size()));
      den.push_back(static_cast<double>(cell->n));
    }
    double all_x = 0, all_n = 0;
    for (size_t k = 0; k < teams.size(); ++k) all_x += num[k], all_n += den[k];
    for (size_t i = 0; i < teams.size(); ++i) {
      double share = num[i] / den[i];
      double peer_x = all_x - num[i], peer_n = all_n - den[i];
      double peer_share = peer_n > 0 ? peer_x / peer_n : 0.0;
      double z = 0.0;
      if (!HighAgainstPeers(num[i], den[i], peer_x, peer_n, z) || share < min_share) continue;
      out.push_back({teams[i].first, year, teams[i].second, share, peer_share, z});
    }
  }
  return out;
}

Severity SeverityOf(double share, double peer_share, double min_share) {
  return share >= 3.0 * std::max(peer_share, min_share) ? Severity::kHigh : Severity::kMedium;
}

}  // namespace

std::vector<Finding> CheckLateRegistration(const Snapshot& snap, const LateRegistrationConfig& config,
                                           const CheckScope& scope) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const TableData& req = snap.table(TableId::kRequests);
  const int f_first = req.Field("first_contact_on"), f_recv = req.Field("received_on"),
            f_org = req.Field("org_unit_id");
  Cells cells;
  for (int64_t row = 0; row < req.rows; ++row) {
    Date received = req.Int(f_recv, row), first = req.Int(f_first, row);
    if (!scope.Contains(received) || first == kNullI32) continue;
    Cell& c = cells[{FinancialYearOf(received), req.Int(f_org, row)}];
    ++c.n;
    if (received - first > config.late_days) {
      c.flagged_rows.push_back(row);
      c.values.push_back(received - first);
    }
  }
  for (const Outcome& o : Outliers(cells, config.min_requests, config.min_share)) {
    Finding f;
    f.check = std::string(kLateRegistration);
    f.indicators = {"assessment-28d", "requests-new"};
    f.org_unit = UnitId(snap, o.team);
    f.period = FinancialYearPeriod(o.year).Label();
    f.severity = SeverityOf(o.share, o.peer_share, config.min_share);
    int64_t late = static_cast<int64_t>(o.cell->flagged_rows.size());
    f.summary = fmt::format(
        "{} requests were logged more than {} days after the person first made contact (median {:.0f} days "
        "late), against {:.1f}% in other teams, so the clock on these cases started late.",
        CountOf(late, o.cell->n), config.late_days, Median(o.cell->values), 100 * o.peer_share);
    f.statistic = "late_share";
    f.value = o.share;
    f.threshold = fmt::format(
        "above the 99.8% funnel limit around the other teams' share (z = {:.2f}) and share >= {:.2f}",
        o.z.value_or(0.0), config.min_share);
    f.looked_at = "received_on minus first_contact_on of requests received in the year with a first contact date";
    f.innocent_if =
        "the contacts were not requests for care at the time: the contact notes would show signposting or "
        "information given, and a new need arising on the day the request was logged.";
    f.evidence.records = late;
    f.evidence.figures = {{"requests", static_cast<double>(o.cell->n)},
                          {"late", static_cast<double>(late)},
                          {"peer_share", o.peer_share},
                          {"median_days_late", Median(o.cell->values)},
                          {"max_days_late", *std::max_element(o.cell->values.begin(), o.cell->values.end())}};
    LineageTally tally;
    for (int64_t row : o.cell->flagged_rows) {
      tally.Add(snap, req, row);
      f.AddRecordId(req.RecordId(row, snap));
    }
    tally.Fill(f.evidence);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> CheckClockReset(const Snapshot& snap, const ClockResetConfig& config, const CheckScope& scope) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const TableData& req = snap.table(TableId::kRequests);
  const int f_recv = req.Field("received_on"), f_closed = req.Field("closed_on"), f_org = req.Field("org_unit_id");
  Cells cells;
  for (int32_t p = 0; p < snap.people(); ++p) {
    auto [begin, end] = req.PersonRows(p);
    for (int64_t row = begin; row < end; ++row) {
      Date closed = req.Int(f_closed, row);
      if (!scope.Contains(closed)) continue;
      Cell& c = cells[{FinancialYearOf(closed), req.Int(f_org, row)}];
      ++c.n;
      // Rows are sorted by received_on: the re-opening is a later row.
      for (int64_t next = begin; next < end; ++next) {
        if (next == row) continue;
        Date received = req.Int(f_recv, next);
        if (received >= closed && received - closed <= config.window_days) {
          c.flagged_rows.push_back(row);
          c.extra_ids.push_back(req.RecordId(next, snap));
          c.values.push_back(received - closed);
          break;
        }
      }
    }
  }
  for (const Outcome& o : Outliers(cells, config.min_requests, config.min_share)) {
    Finding f;
    f.check = std::string(kClockReset);
    f.indicators = {"assessment-28d", "requests-new"};
    f.org_unit = UnitId(snap, o.team);
    f.period = FinancialYearPeriod(o.year).Label();
    f.severity = SeverityOf(o.share, o.peer_share, config.min_share);
    int64_t resets = static_cast<int64_t>(o.cell->flagged_rows.size());
    f.summary = fmt::format(
        "{} closed requests were followed by a new request for the same person within {} days "
        "(against {:.1f}% in other teams), which restarts the clock on the case.",
        CountOf(resets, o.cell->n), config.window_days, 100 * o.peer_share);
    f.statistic = "reset_share";
    f.value = o.share;
    f.threshold = fmt::format(
        "above the 99.8% funnel limit around the other teams' share (z = {:.2f}) and share >= {:.2f}",
        o.z.value_or(0.0), config.min_share);
    f.looked_at = "requests closed in the year, and the same person's next request received within the window";
    f.innocent_if =
        "each new request was a new need: a change in the person's circumstances recorded between the closing and "
        "the re-opening, not the same need carried on under a new request.";
    f.evidence.records = resets;
    f.evidence.figures = {{"closed_requests", static_cast<double>(o.cell->n)},
                          {"reopened_within_window", static_cast<double>(resets)},
                          {"peer_share", o.peer_share},
                          {"median_days_to_reopen", Median(o.cell->values)}};
    LineageTally tally;
    for (size_t k = 0; k < o.cell->flagged_rows.size(); ++k) {
      int64_t row = o.cell->flagged_rows[k];
      tally.Add(snap, req, row);
      f.AddRecordId(req.RecordId(row, snap) + ">" + o.cell->extra_ids[k]);
    }
    tally.Fill(f.evidence);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace goldthread::integrity
