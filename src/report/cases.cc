#include "report/cases.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace goldthread::report {
namespace {

int32_t CodeOf(const TableData& t, int field, std::string_view code) {
  const auto& codes = t.spec->fields[field].codes;
  for (size_t i = 0; i < codes.size(); ++i)
    if (codes[i] == code) return static_cast<int32_t>(i);
  return -2;  // never matches a stored value (unknown is -1)
}

bool ActiveAt(int32_t start, int32_t end, Date on) {
  return start != kNullI32 && start <= on && (end == kNullI32 || end >= on);
}

// The table's rows whose lineage org unit lies within the team.
template <typename F>
void ForTeamRows(const Analysis& a, TableId id, int32_t team, F&& f) {
  const TableData& t = a.snapshot->table(id);
  const int org = t.Field("org_unit_id");
  for (int64_t row = 0; row < t.rows; ++row) {
    const int32_t unit = t.Int(org, row);
    if (unit >= 0 && a.Within(unit, team)) f(t, row);
  }
}

Table NewTable(std::string id, std::string caption, std::vector<Column> columns) {
  Table t;
  t.id = std::move(id);
  t.caption = std::move(caption);
  t.columns = std::move(columns);
  t.person_level = true;
  return t;
}

}  // namespace

Table ReviewsOverdue(const Analysis& a, int32_t team, Date as_at) {
  const Snapshot& s = *a.snapshot;
  Table out = NewTable("cases-reviews-overdue", "Reviews overdue: a long-term service and no review completed in the last 12 months",
                       {{"Person", ColumnType::kText, 0},
                        {"Service", ColumnType::kText, 0},
                        {"Service started", ColumnType::kDate, 0},
                        {"Last review", ColumnType::kDate, 0},
                        {"Days since the last review", ColumnType::kCount, 0},
                        {"Review due (support plan)", ColumnType::kDate, 0}});
  const TableData& rv = s.table(TableId::kReviews);
  const TableData& sp = s.table(TableId::kSupportPlans);
  const int rv_done = rv.Field("completed_on"), sp_agreed = sp.Field("agreed_on"), sp_due = sp.Field("review_due_on");
  std::map<int32_t, std::pair<int64_t, int32_t>> people;  // person -> (service row, start)
  ForTeamRows(a, TableId::kServices, team, [&](const TableData& t, int64_t row) {
    if (t.Int(t.Field("term"), row) != CodeOf(t, t.Field("term"), "long")) return;
    if (!ActiveAt(t.Int(t.Field("start_on"), row), t.Int(t.Field("end_on"), row), as_at)) return;
    const int32_t p = t.Int(t.Field("person_id"), row);
    if (p >= 0 && !people.count(p)) people[p] = {row, t.Int(t.Field("start_on"), row)};
  });
  const TableData& sv = s.table(TableId::kServices);
  for (const auto& [p, svc] : people) {
    int32_t last = kNullI32;
    auto [r0, r1] = rv.PersonRows(p);
    for (int64_t r = r0; r < r1; ++r) {
      const int32_t d = rv.Int(rv_done, r);
      if (d != kNullI32 && d <= as_at && (last == kNullI32 || d > last)) last = d;
    }
    if (last != kNullI32 && last > as_at - 365) continue;
    int32_t due = kNullI32, agreed = kNullI32;
    auto [q0, q1] = sp.PersonRows(p);
    for (int64_t r = q0; r < q1; ++r) {
      const int32_t ag = sp.Int(sp_agreed, r);
      if (ag != kNullI32 && ag <= as_at && (agreed == kNullI32 || ag >= agreed)) agreed = ag, due = sp.Int(sp_due, r);
    }
    out.rows.push_back({TextCell(s.PersonId(p)), TextCell(sv.RecordId(svc.first, s)), DateCell(svc.second),
                        DateCell(last == kNullI32 ? kNullDate : last),
                        last == kNullI32 ? NumberCell(std::nullopt, "never reviewed")
                                         : NumberCell(static_cast<double>(as_at - last)),
                        DateCell(due == kNullI32 ? kNullDate : due)});
  }
  return out;
}

Table AssessmentsNearDeadline(const Analysis& a, int32_t team, Date as_at, int deadline_days, int warn_days) {
  const Snapshot& s = *a.snapshot;
  Table out = NewTable("cases-assessments-deadline",
                       fmt::format("Assessments open and within {} days of the {}-day deadline, or past it", warn_days,
                                   deadline_days),
                       {{"Assessment", ColumnType::kText, 0},
                        {"Person", ColumnType::kText, 0},
                        {"Request received", ColumnType::kDate, 0},
                        {"Deadline", ColumnType::kDate, 0},
                        {"Days left", ColumnType::kNumber, 0},
                        {"Status", ColumnType::kText, 0}});
  const TableData& rq = s.table(TableId::kRequests);
  const int rq_received = rq.Field("received_on");
  std::vector<std::pair<int32_t, std::vector<Cell>>> rows;
  ForTeamRows(a, TableId::kAssessments, team, [&](const TableData& t, int64_t row) {
    const int32_t done = t.Int(t.Field("completed_on"), row), started = t.Int(t.Field("started_on"), row);
    if ((done != kNullI32 && done <= as_at) || started == kNullI32 || started > as_at) return;
    const int32_t req = t.Int(t.Field("request_id"), row);
    if (req < 0) return;
    const int32_t received = rq.Int(rq_received, req);
    if (received == kNullI32) return;
    const int32_t deadline = received + deadline_days;
    const int32_t left = deadline - as_at;
    if (left > warn_days) return;
    rows.push_back({left, {TextCell(t.RecordId(row, s)), TextCell(s.PersonId(t.Int(t.Field("person_id"), row))),
                           DateCell(received), DateCell(deadline), NumberCell(static_cast<double>(left)),
                           TextCell(left < 0 ? "past the deadline" : "due soon")}});
  });
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& r : rows) out.rows.push_back(std::move(r.second));
  return out;
}

Table BudgetsMissingCriterion(const Analysis& a, int32_t team, Date as_at) {
  const Snapshot& s = *a.snapshot;
  Table out = NewTable("cases-budgets-criteria",
                       "Personal budgets missing a criterion: informed of the allocation, a support plan agreed, the "
                       "person's choice confirmed",
                       {{"Budget", ColumnType::kText, 0},
                        {"Person", ColumnType::kText, 0},
                        {"Started", ColumnType::kDate, 0},
                        {"Counted as a budget", ColumnType::kText, 0},
                        {"Missing", ColumnType::kText, 0}});
  ForTeamRows(a, TableId::kPersonalBudgets, team, [&](const TableData& t, int64_t row) {
    if (!ActiveAt(t.Int(t.Field("start_on"), row), t.Int(t.Field("end_on"), row), as_at)) return;
    static constexpr std::pair<std::string_view, std::string_view> kCriteria[] = {
        {"allocation_informed_on", "allocation not told"},
        {"plan_agreed_on", "no support plan agreed"},
        {"choice_confirmed_on", "choice not confirmed"}};
    std::string missing;
    for (const auto& [field, words] : kCriteria) {
      const int32_t d = t.Int(t.Field(field), row);
      if (d == kNullI32 || d > as_at) missing += (missing.empty() ? "" : "; ") + std::string(words);
    }
    if (missing.empty()) return;
    const int32_t claimed = t.Int(t.Field("recorded_as_budget"), row);
    out.rows.push_back({TextCell(t.RecordId(row, s)), TextCell(s.PersonId(t.Int(t.Field("person_id"), row))),
                        DateCell(t.Int(t.Field("start_on"), row)),
                        TextCell(claimed == 1 ? "yes" : claimed == 0 ? "no" : "unknown"), TextCell(missing)});
  });
  return out;
}

Table CarersWithoutEmergencyPlan(const Analysis& a, int32_t team, Date as_at) {
  const Snapshot& s = *a.snapshot;
  Table out = NewTable("cases-carers-emergency-plan",
                       "Carers supported in the last 12 months without an emergency plan",
                       {{"Carer", ColumnType::kText, 0},
                        {"Last support", ColumnType::kDate, 0},
                        {"Support", ColumnType::kText, 0}});
  const Date from = as_at - 364;
  std::map<int32_t, std::pair<int32_t, std::string>> carers;  // person -> (latest date, what)
  auto note = [&](int32_t p, int32_t d, std::string what) {
    auto it = carers.find(p);
    if (it == carers.end() || d > it->second.first) carers[p] = {d, std::move(what)};
  };
  ForTeamRows(a, TableId::kAssessments, team, [&](const TableData& t, int64_t row) {
    const int kind = t.Field("kind");
    const int32_t k = t.Int(kind, row);
    if (k != CodeOf(t, kind, "carer") && k != CodeOf(t, kind, "joint")) return;
    const int32_t done = t.Int(t.Field("completed_on"), row);
    if (done == kNullI32 || done < from || done > as_at) return;
    note(t.Int(t.Field("person_id"), row), done, "carer's assessment");
  });
  ForTeamRows(a, TableId::kServices, team, [&](const TableData& t, int64_t row) {
    if (t.Int(t.Field("hub_intervention"), row) < 0) return;
    const int32_t start = t.Int(t.Field("start_on"), row), end = t.Int(t.Field("end_on"), row);
    if (start == kNullI32 || start > as_at || (end != kNullI32 && end < from)) return;
    note(t.Int(t.Field("person_id"), row), std::min<int32_t>(end == kNullI32 ? as_at : end, as_at),
         "carers' support service");
  });
  const TableData& ep = s.table(TableId::kEmergencyPlans);
  const int ep_agreed = ep.Field("agreed_on");
  for (const auto& [p, last] : carers) {
    if (p < 0) continue;
    bool has_plan = false;
    auto [r0, r1] = ep.PersonRows(p);
    for (int64_t r = r0; r < r1 && !has_plan; ++r) {
      const int32_t d = ep.Int(ep_agreed, r);
      has_plan = d != kNullI32 && d <= as_at;
    }
    if (!has_plan) out.rows.push_back({TextCell(s.PersonId(p)), DateCell(last.first), TextCell(last.second)});
  }
  return out;
}

}  // namespace goldthread::report
