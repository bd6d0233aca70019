// The council's plan and the Carers' Hub audit as JSON (issues 11 and 12):
//   GET /api/plans       the thread: objectives, plans, targets with status,
//                        owner and the objectives they serve (`plan show
//                        --json`, docs/plans.md)
//   GET /api/scorecard   kind=balanced|team|oba (org_unit for team and oba;
//                        quarter for team): `scorecard --json`'s documents
//   GET /api/hub         the Hub audit of the analysis (`hub --json`, docs/hub.md)
// Aggregates only, so every signed-in role may read them; a viewer's answer
// is under disclosure control (report/disclosure.h): for the plan, statuses
// only (no figure, as the reports' plan sections); for the Hub, counts
// disclosed, reach shown only where its count and percentage would be, and
// the evidence sentences (which quote exact figures) left out. Answers are
// cached per analysis, request, role, org unit and plan version.

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "planning/hub_json.h"
#include "planning/plan_json.h"
#include "report/disclosure.h"
#include "report/plan_sections.h"
#include "server/handlers.h"
#include "server/handlers_util.h"
#include "server/plan_source.h"
#include "server/roles.h"

namespace goldthread::server {
namespace {

namespace pl = goldthread::planning;
using nlohmann::json;

// The plan's figures a viewer is not shown (plan_json.cc's field names):
// the latest figures and everything of a curve.
void StatusesOnly(json& j) {
  static const std::set<std::string> kFigures = {"latest", "latest_period", "points", "forecast", "cases",
                                                 "numerator", "denominator", "mean", "lpl", "upl"};
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (kFigures.count(it.key()))
        it.value() = nullptr;
      else
        StatusesOnly(it.value());
    }
  } else if (j.is_array()) {
    for (json& e : j) StatusesOnly(e);
  }
}

json DisclosedCount(const json& v) {
  if (!v.is_number()) return v;
  const report::Disclosed d = report::DiscloseCount(v.get<double>());
  return d.suppressed ? json(report::kSuppressedMark) : json(*d.value);
}

// The Hub JSON (hub_json.cc's field names) as a viewer may see it.
void DiscloseHub(json& j) {
  static const std::set<std::string> kCounts = {
      "reached",         "estimated",        "without_assessment",     "previous_reached",
      "respondents",     "satisfied",        "measured",               "improved",
      "direct_payments", "carers_reached",   "carers_without_assessment", "carers_unknown_condition",
      "carers_unknown_age"};
  static const std::set<std::string> kWords = {"evidence", "scale_evidence", "why", "answers"};
  if (j.is_array()) {
    for (json& e : j) DiscloseHub(e);
    return;
  }
  if (!j.is_object()) return;
  if (j.contains("reach") && j["reach"].is_number()) {
    // Reach is reached / estimated: shown (whole percent) only where the
    // count is not suppressed and the percentage has 10 or more behind it.
    const double reached = j.value("reached", 0.0);
    const bool estimated = j.contains("estimated") && j["estimated"].is_number();
    const report::Disclosed count = report::DiscloseCount(reached);
    const report::Disclosed pc =
        estimated ? report::DisclosePercent(reached, j["estimated"].get<double>()) : report::Disclosed{};
    j["reach"] = count.suppressed || pc.suppressed || !pc.value ? json(report::kSuppressedMark) : json(*pc.value / 100);
    for (const char* k : {"reach_low", "reach_high"})
      if (j.contains(k)) j[k] = nullptr;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (kCounts.count(it.key()))
      it.value() = DisclosedCount(it.value());
    else if (kWords.count(it.key()))
      it.value() = nullptr;
    else if (it.key() != "reach")
      DiscloseHub(it.value());
  }
}

// The plan for this request, or null after answering (503 on a store
// error, 404 when the store holds no plan).
std::shared_ptr<const report::PlanForReports> RequirePlan(RequestContext& c,
                                                          const std::shared_ptr<const report::Analysis>& a) {
  Result<std::shared_ptr<const report::PlanForReports>> plan = c.state.plans->For(a, *c.state.store);
  if (!plan.ok()) {
    c.Fail(503, "The council's plan could not be read just now: " + plan.status().message());
    return nullptr;
  }
  if (!*plan)
    c.Fail(404, fmt::format("The store holds no plan (load one with 'goldthread plan load {} PLAN.toml').",
                            c.state.store->location()));
  return *plan;
}

void AnswerJson(RequestContext& c, json body) {
  if (NeedsDisclosureControl(c.who->role)) body["disclosure_control"] = true;
  c.Json(200, body);
}

}  // namespace

void PlansApi(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  std::shared_ptr<const report::PlanForReports> plan = RequirePlan(c, a);
  if (!plan) return;
  AnswerCached(
      c, a,
      [&](RequestContext& rc, const report::Analysis& an) {
        const pl::DefinitionIndex index = pl::IndexDefinitions(an.definitions);
        json body = json::parse(pl::PlanJson(plan->plan, plan->evaluation, index, false));
        if (NeedsDisclosureControl(rc.who->role)) StatusesOnly(body);
        AnswerJson(rc, std::move(body));
      },
      fmt::format("plan {}", PlanVersionOf(plan)));
}

void ScorecardApi(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  const std::string kind = c.Param("kind").empty() ? "balanced" : c.Param("kind");
  if (kind != "balanced" && kind != "team" && kind != "oba")
    return c.Fail(400, fmt::format("kind '{}' is not a scorecard (balanced, team or oba)", kind));
  const std::string org_unit = c.Param("org_unit");
  if (!org_unit.empty() && a->OrgUnit(org_unit) < 0)
    return c.Fail(400, fmt::format("org_unit '{}' is not an org unit of the store", org_unit));
  if (kind == "oba" && org_unit.empty()) return c.Fail(400, "kind=oba needs org_unit (the service or team)");
  std::optional<Period> quarter;
  if (const std::string q = c.Param("quarter"); !q.empty()) {
    Period p;
    if (!TryParsePeriod(q, p) || p.kind != PeriodKind::kQuarter)
      return c.Fail(400, fmt::format("quarter '{}' is not a financial quarter (YYYY-YY Qn)", q));
    quarter = p;
  }
  std::shared_ptr<const report::PlanForReports> plan = RequirePlan(c, a);
  if (!plan) return;
  if (!org_unit.empty() && std::none_of(plan->plan.doc.plans.begin(), plan->plan.doc.plans.end(),
                                        [&](const pl::Plan& p) { return p.org_unit == org_unit; }))
    return c.Fail(404, fmt::format("The plan has no plan for org unit '{}'.", org_unit));
  std::vector<StoryRecord> stories;
  if (kind == "oba") {
    Result<std::vector<StoryRecord>> read = c.state.store->Read([](Store& s) { return s.Stories("", ""); });
    if (!read.ok()) return c.Fail(503, "The stories behind the curves could not be read just now: " + read.status().message());
    stories = std::move(*read);
  }
  AnswerCached(
      c, a,
      [&](RequestContext& rc, const report::Analysis& an) {
        const pl::DefinitionIndex index = pl::IndexDefinitions(an.definitions);
        std::string text;
        if (kind == "balanced")
          text = pl::BalancedJson(pl::BuildBalancedScorecard(plan->plan, plan->evaluation, index));
        else if (kind == "oba")
          text = pl::ObaJson(pl::BuildObaScorecard(plan->plan, plan->evaluation, index, stories, org_unit));
        else
          text = pl::TeamProgressJson(pl::BuildTeamProgress(plan->plan, plan->evaluation, index, quarter, org_unit));
        json body = json::parse(text);
        if (NeedsDisclosureControl(rc.who->role)) StatusesOnly(body);
        AnswerJson(rc, std::move(body));
      },
      // Stories are written while the dashboard runs: their count keys the cache too.
      fmt::format("plan {} stories {}", PlanVersionOf(plan), stories.size()));
}

void HubApi(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  if (!a->audits.hub) {
    std::string why;
    for (const std::string& s : a->audits.absent) why += (why.empty() ? "" : " ") + s;
    return c.Fail(404, "There is no Carers' Hub audit for these data. " + why);
  }
  AnswerCached(c, a, [](RequestContext& rc, const report::Analysis& an) {
    json body = json::parse(pl::HubAuditToJson(*an.audits.hub, an.audits.hub_rules));
    if (NeedsDisclosureControl(rc.who->role)) DiscloseHub(body);
    AnswerJson(rc, std::move(body));
  });
}

}  // namespace goldthread::server
