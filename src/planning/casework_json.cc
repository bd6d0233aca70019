#include "planning/casework_json.h"

#include <nlohmann/json.hpp>

namespace goldthread::planning {
namespace {

using nlohmann::json;

json OrNull(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json Rate(const AuditRate& r) {
  return {{"met", r.met},
          {"audited", r.audited},
          {"na", r.na},
          {"rate", OrNull(r.rate)},
          {"ci_low", r.ci ? json(r.ci->low) : json(nullptr)},
          {"ci_high", r.ci ? json(r.ci->high) : json(nullptr)}};
}

json Series(const std::vector<AuditRate>& rates, const std::vector<Period>& quarters) {
  json out = json::array();
  for (size_t q = 0; q < rates.size(); ++q) {
    json r = Rate(rates[q]);
    r["period"] = quarters[q].Label();
    out.push_back(r);
  }
  return out;
}

json Ratio(const std::optional<stats::PooledRatio>& r) {
  if (!r) return nullptr;
  return {{"estimate", r->estimate}, {"ci_low", r->ci.low}, {"ci_high", r->ci.high}, {"log_se", r->log_se},
          {"strata", r->informative_strata}};
}

json Table(const stats::Stratum2x2& t) {
  return {{"events_supported", t.events_exposed},
          {"n_supported", t.n_exposed},
          {"events_not_supported", t.events_unexposed},
          {"n_not_supported", t.n_unexposed}};
}

}  // namespace

std::string CaseworkToJson(const CaseworkAudit& a, const Snapshot& snap) {
  json teams = json::array();
  for (const CaseworkTeam& t : a.teams) {
    json indicators = json::array();
    for (const IndicatorStanding& s : t.indicators)
      indicators.push_back({{"indicator", s.indicator},
                            {"team", s.team},
                            {"council", s.council},
                            {"better", s.better},
                            {"item", s.item.empty() ? json(nullptr) : json(s.item)},
                            {"item_team", OrNull(s.item_team)},
                            {"item_council", OrNull(s.item_council)}});
    teams.push_back({{"org_unit", snap.OrgUnitId(t.org_unit)},
                     {"year", Rate(t.year)},
                     {"by_quarter", Series(t.by_quarter, a.quarters)},
                     {"funnel_lower95", OrNull(t.funnel_lower95)},
                     {"poor_files", t.poor_files},
                     {"indicators", indicators},
                     {"better", t.better},
                     {"diverges", t.diverges},
                     {"why", t.why}});
  }
  json items = json::array();
  for (const CaseworkItem& it : a.items) {
    json by_team = json::object();
    for (size_t i = 0; i < a.teams.size(); ++i) by_team[snap.OrgUnitId(a.teams[i].org_unit)] = Rate(it.by_team[i]);
    items.push_back({{"item", it.item}, {"council", Rate(it.council)}, {"by_team", by_team},
                     {"by_quarter", Series(it.by_quarter, a.quarters)}});
  }
  json diverging = json::array();
  for (int i : a.diverging) diverging.push_back(snap.OrgUnitId(a.teams[static_cast<size_t>(i)].org_unit));
  json doc = {{"year", a.year.Label()},
              {"council", Rate(a.council)},
              {"by_quarter", Series(a.council_by_quarter, a.quarters)},
              {"items", items},
              {"teams", teams},
              {"diverging", diverging},
              {"notes", a.notes}};
  return doc.dump(2);
}

std::string AddedValueToJson(const AddedValue& v) {
  json outcomes = json::array();
  for (const AddedValueOutcome& o : v.outcomes) {
    json strata = json::array();
    for (const AddedValueStratum& s : o.strata) {
      json t = Table(s.table);
      t["age_band"] = s.age_band;
      t["primary_support_reason"] = s.reason;
      strata.push_back(t);
    }
    outcomes.push_back({{"outcome", o.id},
                        {"title", o.title},
                        {"lower_is_better", o.lower_is_better},
                        {"crude", Table(o.crude)},
                        {"crude_risk_ratio", OrNull(o.crude_risk_ratio)},
                        {"risk_ratio", Ratio(o.risk_ratio)},
                        {"odds_ratio", Ratio(o.odds_ratio)},
                        {"estimator", "Mantel-Haenszel risk ratio, Greenland-Robins (1985) variance; odds ratio "
                                      "with the Robins-Breslow-Greenland (1986) variance beside it"},
                        {"strata", strata},
                        {"left_out_follow_up", o.left_out_follow_up},
                        {"words", o.words}});
  }
  json doc = {{"year", v.year.Label()}, {"outcomes", outcomes}, {"caveat", v.caveat}};
  return doc.dump(2);
}

}  // namespace goldthread::planning
