#include "integrity/check_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/data_end.h"
#include "stats/funnel.h"

namespace goldthread::integrity {

std::string UnitId(const Snapshot& snap, int32_t org_row) {
  if (org_row < 0) return "unknown";  // kNullI32 (no unit) is negative too
  return snap.OrgUnitId(org_row);
}

std::string YearLabel(Date d) { return FinancialYearPeriod(FinancialYearOf(d)).Label(); }

Date RecordedDate(const TableData& t, int field, int64_t row) {
  Timestamp ts = t.Time(field, row);
  return ts == kNullTimestamp ? kNullDate : DateOfTimestamp(ts);
}

Date DataEnd(const Snapshot& snap) {
  Date end = kNullDate;
  for (const TableSpec& spec : AllTables()) {
    const TableData& t = snap.table(spec.id);
    if (!spec.has_lineage || t.rows == 0) continue;
    const int f_rec = t.Field("recorded_at");
    for (int64_t row = 0; row < t.rows; ++row) {
      // Only what had happened by the latest import (model/data_end.h):
      // one far-future date must not stretch every period list to it.
      Date r = RecordedDate(t, f_rec, row);
      if (ByAsOf(snap, r) && (end == kNullDate || r > end)) end = r;
      if (spec.date_field >= 0) {
        int32_t d = t.Int(spec.date_field, row);
        if (d != kNullI32 && ByAsOf(snap, d) && (end == kNullDate || d > end)) end = d;
      }
    }
  }
  return end;
}

bool HighAgainstPeers(double x, double n, double peer_x, double peer_n, double& z) {
  z = 0.0;
  if (n <= 0 || peer_n <= 0) return false;
  double p0 = peer_x / peer_n;
  z = (std::asin(std::sqrt(x / n)) - std::asin(std::sqrt(p0))) * 2.0 * std::sqrt(n);
  stats::FunnelModel model;
  model.target = p0;
  stats::FunnelLimits lim = stats::LimitsAt(model, n);
  return x / n > lim.upper998;
}

void LineageTally::Add(const Snapshot& snap, const TableData& t, int64_t row) {
  ++total_;
  int by = t.Field("recorded_by");
  if (by >= 0) {
    int32_t v = t.Int(by, row);
    if (v >= 0) {
      ++users_[std::string(snap.Text(v))];
      ++users_known_;
    }
  }
  if (!t.batch.empty()) ++batches_[snap.batch_id(t.batch[row])];
}

namespace {
template <typename K>
std::vector<std::pair<K, int64_t>> Top(const std::map<K, int64_t>& m, size_t n) {
  std::vector<std::pair<K, int64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (v.size() > n) v.resize(n);
  return v;
}
}  // namespace

void LineageTally::Fill(Evidence& e, size_t max_entries) const {
  e.users = Top(users_, max_entries);
  e.batches = Top(batches_, max_entries);
}

double LineageTally::TopUserShare() const {
  if (total_ == 0) return 0.0;
  int64_t best = 0;
  for (const auto& [u, n] : users_) best = std::max(best, n);
  return static_cast<double>(best) / static_cast<double>(total_);
}

double LineageTally::TopBatchShare() const {
  if (total_ == 0) return 0.0;
  int64_t best = 0;
  for (const auto& [b, n] : batches_) best = std::max(best, n);
  return static_cast<double>(best) / static_cast<double>(total_);
}

std::string LineageTally::TopUser() const {
  auto v = Top(users_, 1);
  return v.empty() ? "" : v[0].first;
}

int64_t LineageTally::TopBatch() const {
  auto v = Top(batches_, 1);
  return v.empty() ? 0 : v[0].first;
}

double Quantile(std::vector<double> values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  return stats::QuantileType7(values, p);
}

double Median(std::vector<double> values) { return Quantile(std::move(values), 0.5); }

double Mad(const std::vector<double>& values) {
  double m = Median(values);
  std::vector<double> dev;
  dev.reserve(values.size());
  for (double v : values) dev.push_back(std::fabs(v - m));
  return Median(std::move(dev));
}

std::string CountOf(int64_t part, int64_t whole) {
  double pct = whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  return fmt::format("{} of {} ({:.1f}%)", part, whole, pct);
}

}  // namespace goldthread::integrity
