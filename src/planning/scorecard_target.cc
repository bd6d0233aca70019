#include "planning/scorecard_target.h"

namespace goldthread::planning {

DefinitionIndex IndexDefinitions(const std::vector<indicators::Definition>& defs) {
  DefinitionIndex out;
  for (const indicators::Definition& d : defs) out[d.id] = &d;
  return out;
}

TargetLine MakeTargetLine(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs,
                          int32_t target) {
  const Target& t = plan.doc.targets[target];
  const TargetStatus& st = ev.targets[target];
  TargetLine l;
  l.target = target;
  l.plan = t.plan, l.indicator = t.indicator, l.org_unit = t.org_unit, l.owner = t.owner, l.note = t.note;
  for (int32_t o : plan.thread.objectives_of_target[target]) l.objectives.push_back(plan.doc.objectives[o].id);
  if (auto it = defs.find(t.indicator); it != defs.end()) {
    l.indicator_title = it->second->title;
    l.unit = it->second->unit;
    l.rate_per = it->second->rate_per;
    l.polarity = it->second->polarity;
  }
  l.value = t.value;
  l.by = FormatDate(t.by);
  l.by_period = st.by_period.start == kNullDate ? "" : st.by_period.Label();
  l.state = st.state;
  l.reason = st.reason;
  l.latest = st.latest;
  if (st.latest) l.latest_period = st.latest_period.Label();
  l.realism = st.realism.realism;
  l.realism_reason = st.realism.reason;
  l.assurance = st.realism.assurance;
  l.curve = st.curve;
  if (st.curve >= 0) l.variation = ev.curves[st.curve].variation;
  return l;
}

}  // namespace goldthread::planning
