#include "planning/plan_evaluate.h"

#include <algorithm>
#include <deque>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "indicators/engine.h"
#include "indicators/series_stats.h"
#include "model/data_end.h"
#include "model/snapshot.h"
#include "planning/plan_check.h"
#include "planning/target_cases.h"

namespace goldthread::planning {
namespace {

namespace ind = goldthread::indicators;

Date MonthOf(Date d) {
  const YearMonthDay c = CivilFromDate(d);
  return DateFromCivil(c.year, c.month, 1);
}

struct CurveKey {
  std::string indicator, org_unit;
  PeriodKind per;
  bool operator<(const CurveKey& o) const {
    return std::tie(indicator, org_unit, per) < std::tie(o.indicator, o.org_unit, o.per);
  }
};

// The curves a plan needs: each target's, each plan's indicators at its
// unit by quarter (scorecards, team progress), each objective's population
// indicators at the council by quarter. Only defined indicators at known
// units.
std::vector<CurveKey> CurvesNeeded(const LoadedPlan& plan, const std::map<std::string, const ind::Definition*>& defs) {
  std::vector<CurveKey> keys;
  auto add = [&](const std::string& indicator, const std::string& org_unit, PeriodKind per) {
    if (!defs.count(indicator) || plan.org.Find(org_unit) < 0) return;
    CurveKey k{indicator, org_unit, per};
    if (std::find_if(keys.begin(), keys.end(), [&](const CurveKey& x) { return !(x < k) && !(k < x); }) == keys.end())
      keys.push_back(k);
  };
  const PlanDocument& doc = plan.doc;
  for (const Target& t : doc.targets) add(t.indicator, t.org_unit, t.per);
  for (size_t p = 0; p < doc.plans.size(); ++p)
    for (const std::string& id : PlanIndicators(doc, static_cast<int32_t>(p), plan.thread))
      add(id, doc.plans[p].org_unit, PeriodKind::kQuarter);
  const int32_t root = plan.org.Root();
  if (root >= 0)
    for (const Objective& o : doc.objectives)
      for (const std::string& id : o.indicators) add(id, plan.org.at(root).id, PeriodKind::kQuarter);
  return keys;
}

void KeepCases(const ind::ComputeResult& result, size_t indicator, const Snapshot& snap, Curve& c) {
  const int32_t last = c.LastFinal();
  if (last < 0 || c.points[last].figure < 0) return;
  c.has_cases = true;
  SplitCases(result.indicators[indicator].figures[c.points[last].figure], snap, c.counted, c.not_counted);
}

std::string Hint(const ind::Definition& d) {
  // A rate over residents or estimated carers (not over a `from` table's
  // records, which carry a team), in its own multiplier.
  if (d.unit == ind::Unit::kRatePer100k && !d.derived && !d.rate_population)
    return fmt::format(" (a rate {} {} has figures only where the {} are known: the council, not its teams)",
                       ind::PerLabel(d.rate_per),
                       d.rate_table == TableId::kCarerPopulations ? "estimated carers" : "residents",
                       d.rate_table == TableId::kCarerPopulations ? "estimated carers" : "residents");
  return "";
}

}  // namespace

int32_t PlanEvaluation::FindCurve(std::string_view indicator, std::string_view org_unit, PeriodKind per) const {
  for (size_t i = 0; i < curves.size(); ++i)
    if (curves[i].indicator == indicator && curves[i].org_unit == org_unit && curves[i].per == per)
      return static_cast<int32_t>(i);
  return -1;
}

Result<PlanEvaluation> EvaluatePlan(const LoadedPlan& plan, const Snapshot& snap,
                                    const std::vector<ind::Definition>& defs, const EvaluateOptions& options) {
  PlanEvaluation ev;
  const PlanDocument& doc = plan.doc;
  std::map<std::string, const ind::Definition*> by_id;
  for (const ind::Definition& d : defs) by_id[d.id] = &d;
  ev.data_end = options.data_end != kNullDate ? options.data_end : LastTimelineDay(snap);
  if (ev.data_end == kNullDate) return Status::InvalidArgument("the store has no dated case records to judge targets on");
  const Date to = MonthOf(ev.data_end);
  Date from = AddMonths(to, -(std::max(options.max_months, 1) - 1));
  if (const Date first = FirstTimelineDay(snap); first != kNullDate) from = std::max(from, MonthOf(first));

  const std::vector<CurveKey> keys = CurvesNeeded(plan, by_id);
  for (PeriodKind per : {PeriodKind::kMonth, PeriodKind::kQuarter, PeriodKind::kYear}) {
    // The definitions this period kind needs, cut to "all" only: the plan
    // reads no group, so the engine need compute none. Definitions cannot
    // be copied (compiled expressions), so each is read again from its
    // file; one that cannot be (built in a test) means computing them all.
    std::vector<std::string> ids;
    for (const CurveKey& k : keys)
      if (k.per == per && std::find(ids.begin(), ids.end(), k.indicator) == ids.end()) ids.push_back(k.indicator);
    if (ids.empty()) continue;
    std::vector<ind::Definition> fresh;
    for (const std::string& id : ids) {
      Result<ind::Definition> again = ReloadAllOnly(*by_id.at(id));
      if (!again.ok()) {
        fresh.clear();
        break;
      }
      fresh.push_back(std::move(*again));
    }
    const std::vector<ind::Definition>& wanted = fresh.empty() ? defs : fresh;
    if (PeriodsBetween(from, to, per).empty()) continue;  // the data hold no whole period of this kind
    ind::ComputeOptions co;
    co.by = per;
    co.from_month = from;
    co.to_month = to;
    co.keep_cases = options.keep_cases;
    co.threads = options.threads;
    Result<ind::ComputeResult> result = ind::Compute(snap, wanted, co);
    if (!result.ok()) return result.status();
    ind::SeriesStatsOptions so;
    so.data_end = ev.data_end;
    Result<ind::ResultStats> stats = ind::ComputeSeriesStats(*result, snap, so);
    if (!stats.ok()) return stats.status();
    const Period forecast_to = doc.years.empty() ? result->periods.back() : PeriodEndingBy(doc.End(), per);
    for (const CurveKey& k : keys) {
      if (k.per != per) continue;
      size_t i = 0;
      while (result->indicators[i].def->id != k.indicator) ++i;
      Curve c = BuildCurve(*result, i, *stats, snap.FindOrgUnit(k.org_unit), k.org_unit, forecast_to);
      if (options.keep_cases) KeepCases(*result, i, snap, c);
      ev.curves.push_back(std::move(c));
    }
  }

  // Each target: Measurable against the data, realistic, and where it stands.
  for (size_t ti = 0; ti < doc.targets.size(); ++ti) {
    const Target& t = doc.targets[ti];
    auto def = by_id.find(t.indicator);
    const int32_t ci = ev.FindCurve(t.indicator, t.org_unit, t.per);
    const Curve* curve = ci >= 0 ? &ev.curves[ci] : nullptr;
    const ind::Definition* d = def == by_id.end() ? nullptr : def->second;
    TargetStatus st = JudgeTarget(t.has_value ? curve : nullptr, t, d);
    st.target = static_cast<int32_t>(ti);
    st.curve = ci;
    if (curve && d) {
      const bool any = std::any_of(curve->points.begin(), curve->points.end(),
                                   [](const CurvePoint& p) { return p.value.has_value(); });
      const std::string what = "target " + t.Label();
      if (!any) {
        ev.diagnostics.push_back(
            {Severity::kError, "measurable", t.indicator_loc,
             fmt::format("{} is not Measurable: {} has no figures for {} in the data ({} to {}){}", what, t.indicator,
                         t.org_unit, curve->points.empty() ? "-" : curve->points.front().period.Label(),
                         curve->points.empty() ? "-" : curve->points.back().period.Label(), Hint(*d)),
             static_cast<int32_t>(ti)});
        st.state = TargetState::kNotYetMeasurable;
        st.reason = "not yet measurable: no figures at this org unit";
      } else if (t.has_value && (st.realism.realism == Realism::kNeedsChange ||
                                 st.realism.realism == Realism::kNotStretching)) {
        ev.diagnostics.push_back({Severity::kWarning, "realism", t.value_loc, what + ": " + st.realism.reason,
                                  static_cast<int32_t>(ti)});
      }
    }
    ev.targets.push_back(std::move(st));
  }

  // Roll-ups up the thread.
  std::vector<TargetState> states;
  for (const TargetStatus& t : ev.targets) states.push_back(t.state);
  ThreadRollUps r = RollUpThread(doc, plan.thread, states);
  ev.plans_own = std::move(r.plans_own);
  ev.plans = std::move(r.plans);
  ev.objectives = std::move(r.objectives);
  return ev;
}

}  // namespace goldthread::planning
