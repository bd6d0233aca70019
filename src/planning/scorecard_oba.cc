#include "planning/scorecard_oba.h"

namespace goldthread::planning {
namespace {

namespace ind = goldthread::indicators;

ObaMeasure Measure(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs,
                   const std::vector<StoryRecord>& stories, const std::string& indicator, const std::string& org_unit) {
  ObaMeasure m;
  m.indicator = indicator;
  m.org_unit = org_unit;
  if (auto it = defs.find(indicator); it != defs.end()) {
    m.title = it->second->title;
    m.oba = it->second->oba;
    m.unit = it->second->unit;
    m.rate_per = it->second->rate_per;
    m.polarity = it->second->polarity;
  }
  if (const int32_t c = ev.FindCurve(indicator, org_unit, PeriodKind::kQuarter); c >= 0) m.curve = ev.curves[c];
  else m.curve.indicator = indicator, m.curve.org_unit = org_unit;
  for (size_t t = 0; t < plan.doc.targets.size(); ++t)
    if (plan.doc.targets[t].indicator == indicator && plan.doc.targets[t].org_unit == org_unit)
      m.targets.push_back(MakeTargetLine(plan, ev, defs, static_cast<int32_t>(t)));
  for (const char* section : kStorySections) {
    StorySection s;
    s.section = section;
    for (const StoryRecord& r : stories) {
      if (r.indicator != indicator || r.org_unit != org_unit || r.section != section) continue;
      ++s.entries;
      s.latest = r;  // oldest first: the last seen is the newest
    }
    m.stories.push_back(std::move(s));
  }
  return m;
}

}  // namespace

bool IsStorySection(std::string_view s) {
  for (const char* k : kStorySections)
    if (s == k) return true;
  return false;
}

ObaScorecard BuildObaScorecard(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs,
                               const std::vector<StoryRecord>& stories, std::string_view org_unit) {
  ObaScorecard card;
  const PlanDocument& doc = plan.doc;
  const int32_t root = plan.org.Root();
  if (org_unit.empty() && root >= 0) {
    for (size_t o = 0; o < doc.objectives.size(); ++o) {
      if (doc.objectives[o].indicators.empty()) continue;
      ObaResult r;
      r.objective = static_cast<int32_t>(o);
      r.id = doc.objectives[o].id;
      r.title = doc.objectives[o].title;
      for (const std::string& id : doc.objectives[o].indicators)
        r.indicators.push_back(Measure(plan, ev, defs, stories, id, plan.org.at(root).id));
      card.results.push_back(std::move(r));
    }
  }
  for (size_t p = 0; p < doc.plans.size(); ++p) {
    const Plan& pl = doc.plans[p];
    if (!org_unit.empty() && pl.org_unit != org_unit) continue;
    ObaPlan op;
    op.plan = static_cast<int32_t>(p);
    op.id = pl.id, op.title = pl.title, op.org_unit = pl.org_unit, op.owner = pl.owner;
    for (const std::string& id : PlanIndicators(doc, static_cast<int32_t>(p), plan.thread)) {
      ObaMeasure m = Measure(plan, ev, defs, stories, id, pl.org_unit);
      (m.oba == ind::Oba::kHowMuch ? op.how_much : m.oba == ind::Oba::kHowWell ? op.how_well : op.better_off)
          .push_back(std::move(m));
    }
    card.plans.push_back(std::move(op));
  }
  return card;
}

}  // namespace goldthread::planning
