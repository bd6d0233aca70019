#include "planning/scorecard_team.h"

namespace goldthread::planning {

std::vector<TeamProgress> BuildTeamProgress(const LoadedPlan& plan, const PlanEvaluation& ev,
                                            const DefinitionIndex& defs, std::optional<Period> quarter,
                                            std::string_view org_unit) {
  std::vector<TeamProgress> out;
  const PlanDocument& doc = plan.doc;
  for (size_t p = 0; p < doc.plans.size(); ++p) {
    const Plan& pl = doc.plans[p];
    const int32_t unit = plan.thread.plan_unit[p];
    if (!org_unit.empty() ? pl.org_unit != org_unit : (unit < 0 || plan.org.at(unit).kind != "team")) continue;
    TeamProgress tp;
    tp.plan = static_cast<int32_t>(p);
    tp.plan_id = pl.id, tp.org_unit = pl.org_unit, tp.owner = pl.owner;
    tp.name = unit >= 0 ? plan.org.at(unit).name : "";
    tp.status = ev.plans_own[p];
    for (const std::string& id : pl.prime) {
      TeamPrimeLine line;
      line.indicator = id;
      if (auto it = defs.find(id); it != defs.end()) {
        line.title = it->second->title;
        line.oba = it->second->oba;
        line.unit = it->second->unit;
        line.rate_per = it->second->rate_per;
        line.polarity = it->second->polarity;
      }
      line.curve = ev.FindCurve(id, pl.org_unit, PeriodKind::kQuarter);
      if (line.curve >= 0) {
        const Curve& c = ev.curves[line.curve];
        // The latest quarter: the last computed (it may be provisional).
        const Period q = quarter ? *quarter : (c.points.empty() ? Period{} : c.points.back().period);
        if (tp.quarter.start == kNullDate) tp.quarter = q;
        if (const int32_t i = c.Find(q); i >= 0) {
          line.value = c.points[i].value;
          line.provisional = c.points[i].provisional;
          line.point_type = c.points[i].point_type;
          if (i > 0) line.previous = c.points[i - 1].value;
        }
      }
      for (const IndicatorOwner& o : pl.owners)
        if (o.indicator == id) line.owner = o.owner;
      for (int32_t t : plan.thread.targets_of_plan[p]) {
        if (doc.targets[t].indicator != id) continue;
        line.targets.push_back(MakeTargetLine(plan, ev, defs, t));
        if (line.owner.empty()) line.owner = doc.targets[t].owner;
      }
      tp.prime.push_back(std::move(line));
    }
    if (tp.quarter.start == kNullDate && quarter) tp.quarter = *quarter;
    out.push_back(std::move(tp));
  }
  return out;
}

}  // namespace goldthread::planning
