#include "integrity/data_quality.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "indicators/fields_used.h"
#include "stats/funnel.h"

namespace goldthread::integrity {
namespace {

// Without definitions: optional fields the built-in indicators need (empty
// means the case drops out of, or is miscounted by, the indicator).
struct UsedField {
  TableId table;
  const char* field;
  const char* indicator;
};
constexpr UsedField kUsedFields[] = {
    {TableId::kRequests, "first_contact_on", "assessment-28d"},
    {TableId::kAssessments, "request_id", "assessment-28d"},
    {TableId::kServices, "delivery", "dp-share"},
    {TableId::kServices, "setting", "pb-share"},
    {TableId::kSupportPlans, "review_due_on", "plan-with-review-date"},
    {TableId::kSupportPlans, "copy_given", "plan-with-review-date"},
    {TableId::kSupportPlans, "contact_named", "plan-with-review-date"},
    {TableId::kHospitalEpisodes, "discharge_destination", "still-home-91"},
    {TableId::kReviews, "recorded_at", "reviews-12m"},
    {TableId::kAssessments, "recorded_at", "assessment-28d"},
    {TableId::kPersonalBudgets, "recorded_at", "pb-share"},
};

// "a is", "a and b are", "a, b, c and 2 other indicators are".
std::string ComputedOnIncomplete(const std::vector<std::string>& ids) {
  std::string s;
  const size_t shown = ids.size() > 4 ? 3 : ids.size();
  for (size_t i = 0; i < shown; ++i) {
    bool last = i + 1 == shown && shown == ids.size();
    if (i > 0) s += last ? " and " : ", ";
    s += ids[i];
  }
  if (shown < ids.size()) s += " and " + std::to_string(ids.size() - shown) + " other indicators";
  return s + (ids.size() == 1 ? " is" : " are") + " computed on incomplete data";
}

std::vector<CheckedField> FallbackFields() {
  std::vector<CheckedField> out;
  for (const UsedField& u : kUsedFields)
    out.push_back({u.table, u.field, {u.indicator}, ComputedOnIncomplete({u.indicator})});
  return out;
}

bool IsNull(const TableData& t, int field, int64_t row) {
  const Column& c = t.columns[field];
  switch (c.type) {
    case FieldType::kAmount:
    case FieldType::kScore: return std::isnan(c.f64[row]);
    case FieldType::kCode:
    case FieldType::kRef:
    case FieldType::kText:
    case FieldType::kYesNo: return c.i32[row] < 0;
    default: return c.i32[row] == kNullI32;
  }
}

struct Cell {
  int64_t n = 0;
  std::vector<int64_t> bad;
};

Finding Base(const Snapshot& snap, int32_t team, int year, std::vector<std::string> indicators) {
  Finding f;
  f.check = std::string(kDataQuality);
  f.indicators = std::move(indicators);
  f.org_unit = UnitId(snap, team);
  f.period = FinancialYearPeriod(year).Label();
  f.severity = Severity::kMedium;
  return f;
}

void Rows(const Snapshot& snap, const TableData& t, const std::vector<int64_t>& rows, Finding& f) {
  LineageTally tally;
  for (int64_t row : rows) {
    tally.Add(snap, t, row);
    f.AddRecordId(t.RecordId(row, snap));
  }
  tally.Fill(f.evidence);
  f.evidence.records = static_cast<int64_t>(rows.size());
}

void Completeness(const Snapshot& snap, const DataQualityConfig& config, const CheckScope& scope,
                  std::span<const CheckedField> fields, std::vector<Finding>& out) {
  for (const CheckedField& u : fields) {
    const TableData& t = snap.table(u.table);
    const int field = t.Field(u.field), f_org = t.Field("org_unit_id"), f_date = t.spec->date_field;
    if (field < 0 || f_org < 0 || f_date < 0) continue;
    std::map<int, std::map<int32_t, Cell>> cells;  // year -> team
    for (int64_t row = 0; row < t.rows; ++row) {
      Date d = t.Int(f_date, row);
      if (!scope.Contains(d)) continue;
      Cell& c = cells[FinancialYearOf(d)][t.Int(f_org, row)];
      ++c.n;
      if (IsNull(t, field, row)) c.bad.push_back(row);
    }
    for (auto& [year, teams] : cells) {
      std::vector<double> num, den;
      std::vector<std::pair<int32_t, Cell*>> list;
      for (auto& [team, c] : teams) {
        if (c.n < config.min_records) continue;
        num.push_back(static_cast<double>(c.bad.size()));
        den.push_back(static_cast<double>(c.n));
        list.push_back({team, &c});
      }
      if (list.empty()) continue;
      double all_x = 0, all_n = 0;
      for (size_t i = 0; i < list.size(); ++i) all_x += num[i], all_n += den[i];
      for (size_t i = 0; i < list.size(); ++i) {
        double share = num[i] / den[i];
        double z = 0.0, peer_x = all_x - num[i], peer_n = all_n - den[i];
        bool outlier = HighAgainstPeers(num[i], den[i], peer_x, peer_n, z);
        double peer_share = peer_n > 0 ? peer_x / peer_n : 0.0;
        // A field the other teams mostly leave empty is one that often does
        // not apply (hub_intervention on a service that is not carers'
        // support): its gaps are not missing data.
        if (share < config.min_missing_share || num[i] < config.min_missing || !outlier ||
            peer_share > config.max_peer_missing_share)
          continue;
        Finding f = Base(snap, list[i].first, year, u.indicators);
        f.severity = share >= 3 * config.min_missing_share ? Severity::kHigh : Severity::kMedium;
        f.summary = fmt::format("{} {} records of this team leave {} empty (other teams: {:.1f}%), so {}.",
                                CountOf(static_cast<int64_t>(num[i]), static_cast<int64_t>(den[i])),
                                t.spec->name, u.field, 100 * peer_share, u.consequence);
        f.statistic = std::string("missing_share:") + std::string(t.spec->name) + "." + u.field;
        f.value = share;
        f.threshold =
            fmt::format("share >= {:.2f} and above the 99.8% funnel limit around the other teams' share",
                        config.min_missing_share);
        std::string users;
        for (const std::string& id : u.indicators) users += (users.empty() ? "" : ", ") + id;
        f.looked_at = std::string("completeness of ") + std::string(t.spec->name) + "." + u.field +
                      (users.empty() ? "" : ", used by " + users);
        f.innocent_if = "the field does not apply to these cases (recorded as such in the case notes), or the "
                        "records were completed since the extract was taken.";
        Rows(snap, t, list[i].second->bad, f);
        f.evidence.figures = {{"records", den[i]}, {"missing", num[i]}, {"other_teams_share", peer_share}, {"z", z}};
        out.push_back(std::move(f));
      }
    }
  }
}

// Validity and consistency: impossible dates, per team and year.
void Validity(const Snapshot& snap, const DataQualityConfig& config, const CheckScope& scope,
              std::vector<Finding>& out) {
  const TableData& ass = snap.table(TableId::kAssessments);
  const TableData& req = snap.table(TableId::kRequests);
  const int f_done = ass.Field("completed_on"), f_req = ass.Field("request_id"), f_org = ass.Field("org_unit_id"),
            f_rec = ass.Field("recorded_at"), f_recv = req.Field("received_on");
  std::map<std::pair<int, int32_t>, Cell> before, future;
  for (int64_t row = 0; row < ass.rows; ++row) {
    Date done = ass.Int(f_done, row);
    if (!scope.Contains(done)) continue;
    std::pair<int, int32_t> key{FinancialYearOf(done), ass.Int(f_org, row)};
    ++before[key].n;
    ++future[key].n;
    int32_t r = ass.Int(f_req, row);
    if (r >= 0 && req.Int(f_recv, r) != kNullI32 && done < req.Int(f_recv, r)) before[key].bad.push_back(row);
    Date rec = RecordedDate(ass, f_rec, row);
    if (rec != kNullDate && done > rec) future[key].bad.push_back(row);
  }
  auto report = [&](std::map<std::pair<int, int32_t>, Cell>& cells, const char* what, const char* stat,
                    const char* innocent) {
    for (auto& [key, c] : cells) {
      // A handful of typing slips is normal; a pattern is a finding.
      if (static_cast<int64_t>(c.bad.size()) < 5 || c.bad.size() < 0.02 * c.n) continue;
      Finding f = Base(snap, key.second, key.first, {"assessment-28d"});
      f.summary = fmt::format("{} assessments of this team {}.",
                              CountOf(static_cast<int64_t>(c.bad.size()), c.n), what);
      f.statistic = stat;
      f.value = static_cast<double>(c.bad.size()) / c.n;
      f.threshold = "at least 5 records and 2% of the team's assessments";
      f.looked_at = "assessments completed in the year: completed_on against the request's received_on and the "
                    "record's recorded_at";
      f.innocent_if = innocent;
      Rows(snap, ass, c.bad, f);
      f.evidence.figures = {{"assessments", static_cast<double>(c.n)}, {"invalid", static_cast<double>(c.bad.size())}};
      out.push_back(std::move(f));
    }
  };
  report(before, "are completed before their request was received", "completed_before_request_share",
         "the request was re-keyed later with a new received date, and the original contact date is on file.");
  report(future, "carry a completion date later than the day the record was entered", "completed_after_entry_share",
         "the completion date was planned and the record was updated when the work was done.");
}

void Timeliness(const Snapshot& snap, const DataQualityConfig& config, const CheckScope& scope,
                std::vector<Finding>& out) {
  const TableData& rev = snap.table(TableId::kAssessments);
  const int f_done = rev.Field("completed_on"), f_rec = rev.Field("recorded_at"), f_org = rev.Field("org_unit_id");
  std::map<std::pair<int, int32_t>, std::vector<double>> lags;
  for (int64_t row = 0; row < rev.rows; ++row) {
    Date done = rev.Int(f_done, row), rec = RecordedDate(rev, f_rec, row);
    if (!scope.Contains(done) || rec == kNullDate) continue;
    lags[{FinancialYearOf(done), rev.Int(f_org, row)}].push_back(rec - done);
  }
  for (auto& [key, v] : lags) {
    if (static_cast<int>(v.size()) < config.min_records) continue;
    double median = Median(v);
    if (median <= config.max_median_lag_days) continue;
    Finding f = Base(snap, key.second, key.first, {"assessments-completed"});
    f.severity = median > 2 * config.max_median_lag_days ? Severity::kMedium : Severity::kLow;
    f.summary = fmt::format(
        "Half of this team's assessments are entered {:.0f} or more days after they are completed, so its "
        "recent figures are undercounted when reported.",
        median);
    f.statistic = "median_entry_lag_days";
    f.value = median;
    f.threshold = fmt::format("median > {:.0f} days", config.max_median_lag_days);
    f.looked_at = "recorded_at minus completed_on of the team's assessments";
    f.innocent_if = "the assessments were written up late because of a known backlog, now cleared.";
    f.evidence.records = static_cast<int64_t>(v.size());
    f.evidence.figures = {{"assessments", static_cast<double>(v.size())}, {"median_lag_days", median}};
    out.push_back(std::move(f));
  }
}

void BenfordCheck(const Snapshot& snap, const DataQualityConfig& config, const CheckScope& scope,
                  std::vector<Finding>& out) {
  const TableData& pb = snap.table(TableId::kPersonalBudgets);
  const int f_amount = pb.Field("annual_amount"), f_start = pb.Field("start_on"), f_org = pb.Field("org_unit_id");
  std::vector<double> amounts;
  std::vector<int64_t> rows;
  int32_t root = -1;
  for (int64_t row = 0; row < pb.rows; ++row) {
    if (!scope.Contains(pb.Int(f_start, row)) || std::isnan(pb.Real(f_amount, row))) continue;
    amounts.push_back(pb.Real(f_amount, row));
    rows.push_back(row);
    if (root < 0) {
      root = pb.Int(f_org, row);
      if (root >= 0) root = snap.org_tree().root(root);  // the tree is validated: no cycle to spin on
    }
  }
  if (static_cast<int>(amounts.size()) < config.benford_min_amounts) return;
  BenfordResult b = Benford(amounts);
  if (!b.spans_magnitudes || b.mad <= 0.012) return;
  Finding f;
  f.check = std::string(kDataQuality);
  f.indicators = {"pb-share"};
  f.org_unit = UnitId(snap, root);  // amounts are the council's, not a team's
  f.period = "all";
  f.severity = b.mad > 0.015 ? Severity::kMedium : Severity::kLow;
  f.summary = fmt::format(
      "The first digits of {} personal-budget amounts depart from Benford's law ({} conformity), as "
      "amounts that were keyed or invented rather than calculated often do.",
      b.n, BenfordConformity(b.mad));
  f.statistic = "benford_mad";
  f.value = b.mad;
  f.threshold = "Nigrini first-digit MAD: > 0.012 marginal, > 0.015 nonconformity";
  f.looked_at = "personal_budgets.annual_amount, first digits";
  f.innocent_if = "the amounts come from a banded resource-allocation table, which by design does not follow "
                  "Benford's law.";
  f.evidence.records = b.n;
  for (int d = 0; d < 9; ++d) f.evidence.figures.push_back({"digit_" + std::to_string(d + 1) + "_share", b.shares[d]});
  out.push_back(std::move(f));
}

}  // namespace

BenfordResult Benford(std::span<const double> amounts) {
  BenfordResult r;
  int64_t counts[9] = {};
  std::vector<double> positive;
  for (double a : amounts) {
    if (!std::isfinite(a) || a <= 0) continue;
    positive.push_back(a);
    double m = a / std::pow(10.0, std::floor(std::log10(a)));
    int d = std::clamp(static_cast<int>(m), 1, 9);
    ++counts[d - 1];
    ++r.n;
  }
  if (r.n == 0) return r;
  for (int d = 0; d < 9; ++d) {
    r.shares[d] = static_cast<double>(counts[d]) / r.n;
    r.mad += std::fabs(r.shares[d] - std::log10(1.0 + 1.0 / (d + 1)));
  }
  r.mad /= 9.0;
  double p5 = Quantile(positive, 0.05), p95 = Quantile(positive, 0.95);
  r.spans_magnitudes = p5 > 0 && p95 / p5 >= 100.0;
  return r;
}

const char* BenfordConformity(double mad) {
  if (mad <= 0.006) return "close";
  if (mad <= 0.012) return "acceptable";
  if (mad <= 0.015) return "marginal";
  return "nonconformity";
}

std::vector<CheckedField> FieldsToCheck(const std::vector<indicators::Definition>& defs) {
  // (table, field) -> the indicators reading it, in schema order.
  std::map<std::pair<TableId, int>, std::vector<std::string>> readers;
  std::map<TableId, std::vector<std::string>> tables;  // tables with a team and a date -> readers
  for (const indicators::Definition& d : defs) {
    for (const indicators::FieldUse& u : indicators::FieldsUsed(d, /*include_criteria=*/false)) {
      const TableSpec& spec = Table(u.table);
      if (!spec.has_lineage || spec.date_field < 0) continue;
      auto& t = tables[u.table];
      if (t.empty() || t.back() != d.id) t.push_back(d.id);
      const FieldSpec& fs = spec.fields[u.field];
      bool open_end = false;
      for (const DateOrder& o : spec.date_orders) open_end |= o.end == u.field;
      if (fs.required || u.field == spec.date_field || open_end) continue;
      auto& r = readers[{u.table, u.field}];
      if (r.empty() || r.back() != d.id) r.push_back(d.id);
    }
  }
  std::vector<CheckedField> out;
  for (const auto& [key, ids] : readers) {
    const TableSpec& spec = Table(key.first);
    out.push_back({key.first, std::string(spec.fields[key.second].name), ids, ComputedOnIncomplete(ids)});
  }
  // What the integrity checks read themselves, on the same tables.
  for (const auto& [table, ids] : tables) {
    const TableSpec& spec = Table(table);
    if (table == TableId::kRequests && !readers.count({table, spec.FieldIndex("first_contact_on")}))
      out.push_back({table, "first_contact_on", ids,
                     "late_registration cannot see how long these requests waited to be registered"});
    out.push_back({table, "recorded_at", ids,
                   "backdating, period_end_surge and bulk_change cannot see when they were entered"});
  }
  std::stable_sort(out.begin(), out.end(), [](const CheckedField& a, const CheckedField& b) {
    const TableSpec& ta = Table(a.table);
    const TableSpec& tb = Table(b.table);
    return a.table != b.table ? a.table < b.table : ta.FieldIndex(a.field) < tb.FieldIndex(b.field);
  });
  return out;
}

std::vector<Finding> CheckDataQuality(const Snapshot& snap, const DataQualityConfig& config, const CheckScope& scope) {
  std::vector<CheckedField> fields = FallbackFields();
  return CheckDataQuality(snap, config, scope, fields);
}

std::vector<Finding> CheckDataQuality(const Snapshot& snap, const DataQualityConfig& config,
                                      const CheckScope& scope, std::span<const CheckedField> fields) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  Completeness(snap, config, scope, fields, out);
  Validity(snap, config, scope, out);
  Timeliness(snap, config, scope, out);
  if (config.benford) BenfordCheck(snap, config, scope, out);
  return out;
}

}  // namespace goldthread::integrity
