#include "report/audits.h"

#include "model/data_end.h"

namespace goldthread::report {

Result<CarersAudits> RunCarersAudits(const Snapshot& snap, const std::vector<indicators::Definition>& defs,
                                     const CarersAuditOptions& options) {
  CarersAudits out;
  out.hub_rules = planning::DefaultHubRules();
  if (!options.hub_rules.empty()) {
    auto rules = planning::LoadHubRules(options.hub_rules);
    if (!rules.ok()) return rules.status();
    out.hub_rules = std::move(rules).value();
  }
  std::vector<std::string> ids;
  for (const indicators::Definition& d : defs) ids.push_back(d.id);
  ids.insert(ids.end(), options.unavailable_ids.begin(), options.unavailable_ids.end());
  GT_RETURN_IF_ERROR(planning::CheckPlanIndicators(out.hub_rules, ids));
  const Date data_end = LastTimelineDay(snap);
  const int year = options.year > 0 ? options.year : planning::DefaultHubYear(data_end);
  if (year <= 0) {
    out.absent.push_back("The carers' audits need dated records; the store has none.");
    return out;
  }
  planning::HubOptions hub;
  hub.year = year;
  hub.data_end = data_end;
  hub.data_start = FirstTimelineDay(snap);
  hub.rules = out.hub_rules;
  hub.plan_targets = options.plan_targets;
  if (auto a = planning::RunHubAudit(snap, hub); a.ok()) out.hub = std::move(a).value();
  else out.absent.push_back("Carers' Hub audit: " + a.status().message());

  planning::CostsOptions costs;
  costs.year = planning::DefaultCostsYear(snap);
  if (costs.year == 0) out.absent.push_back("Costs: finance.csv has no rows, so there are no unit costs.");
  else if (auto c = planning::RunCostsAudit(snap, costs); c.ok()) out.costs = std::move(c).value();
  else out.absent.push_back("Costs: " + c.status().message());

  planning::CaseworkOptions casework;
  casework.year = year;
  if (auto w = planning::RunCasework(snap, defs, casework); w.ok()) out.casework = std::move(w).value();
  else out.absent.push_back("Casework: " + w.status().message());

  planning::AddedValueOptions value;
  value.year = year;
  value.data_end = data_end;
  if (auto v = planning::RunAddedValue(snap, value); v.ok()) out.added_value = std::move(v).value();
  else out.absent.push_back("Carers' added value: " + v.status().message());
  return out;
}

}  // namespace goldthread::report
