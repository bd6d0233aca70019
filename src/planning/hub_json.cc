#include "planning/hub_json.h"

#include <nlohmann/json.hpp>

#include "planning/hub_codes.h"

namespace goldthread::planning {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json Share(int64_t num, int64_t den) {
  return den > 0 ? json(static_cast<double>(num) / static_cast<double>(den)) : json(nullptr);
}

json CellJson(const HubAudit& a, const HubCell& c) {
  json providers = json::array();
  for (const HubProviderReach& p : c.providers)
    providers.push_back({{"provider", p.id}, {"reached", p.reached}, {"reach", OrNull(p.reach)}});
  json missing = json::array();
  for (const std::string& m : c.missing) missing.push_back(m);
  return {
      {"intervention", c.intervention < 0 ? std::string("any")
                                          : std::string(HubInterventions()[static_cast<size_t>(c.intervention)].code)},
      {"group", HubGroups()[static_cast<size_t>(c.group)].id},
      {"area", a.AreaName(c.area)},
      {"reached", c.reached},
      {"estimated", OrNull(c.estimated)},
      {"reach", OrNull(c.reach)},
      {"reach_low", c.reach_ci ? json(c.reach_ci->low) : json(nullptr)},
      {"reach_high", c.reach_ci ? json(c.reach_ci->high) : json(nullptr)},
      {"providers", c.providers.size()},
      {"rating", c.rating == Rating::kNone ? json(nullptr) : json(RatingName(c.rating))},
      {"evidence", c.evidence},
      {"missing", missing},
      {"without_assessment", c.without_assessment},
      {"previous_reached", c.previous_reached < 0 ? json(nullptr) : json(c.previous_reached)},
      {"respondents", c.respondents},
      {"satisfied", c.satisfied},
      {"satisfaction", Share(c.satisfied, c.respondents)},
      {"measured", c.measured},
      {"improved", c.improved},
      {"outcomes_improved", Share(c.improved, c.measured)},
      {"direct_payments", c.direct_payments},
      {"provider_reach", providers},
      {"scale", ScaleName(c.scale)},
      {"scale_evidence", c.scale_evidence},
      {"has_plan", c.has_plan},
  };
}

json ProvisionJson(const HubAudit& a, const std::vector<HubProvision>& list) {
  json out = json::array();
  for (const HubProvision& p : list)
    out.push_back({{"intervention", HubInterventions()[static_cast<size_t>(p.intervention)].code},
                   {"group", HubGroups()[static_cast<size_t>(p.group)].id},
                   {"area", a.AreaName(p.area)},
                   {"why", p.why}});
  return out;
}

}  // namespace

std::string HubAuditToJson(const HubAudit& a, const HubRules& rules) {
  json cells = json::array(), totals = json::array();
  for (const HubCell& c : a.cells) cells.push_back(CellJson(a, c));
  for (const HubCell& c : a.totals) totals.push_back(CellJson(a, c));
  json outcomes = json::array();
  for (int o = 0; o < kHubOutcomeCount; ++o) {
    json codes = json::array();
    for (int iv : HubWheelOrder())
      if (HubInterventions()[static_cast<size_t>(iv)].outcome == o) codes.push_back(HubInterventions()[static_cast<size_t>(iv)].code);
    outcomes.push_back({{"id", HubOutcomes()[static_cast<size_t>(o)].id},
                        {"title", HubOutcomes()[static_cast<size_t>(o)].title},
                        {"interventions", codes}});
  }
  json questions = json::array();
  for (const HubQuestion& q : a.questions) questions.push_back({{"question", q.question}, {"answers", q.answers}});
  json plans = json::array();
  for (const HubPlanTarget& t : a.plan_targets)
    plans.push_back({{"plan", t.plan}, {"indicator", t.indicator}, {"org_unit", t.org_unit_id}, {"by", FormatDate(t.by)}});
  json doc = {
      {"year", a.year.Label()},
      {"partial", a.partial},
      {"data_end", a.data_end == kNullDate ? json(nullptr) : json(FormatDate(a.data_end))},
      {"rules", rules.source.empty() ? json("default") : json(rules.source)},
      {"areas", a.areas},
      {"carers_reached", a.carers_reached},
      {"carers_without_assessment", a.carers_without_assessment},
      {"cells", cells},
      {"totals", totals},
      {"under_provision", ProvisionJson(a, a.under)},
      {"over_provision", ProvisionJson(a, a.over)},
      {"questions", questions},
      {"outcomes", outcomes},
      {"plan_targets", plans},
      {"warnings", a.warnings},
  };
  return doc.dump(2);
}

}  // namespace goldthread::planning
