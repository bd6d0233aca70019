#include "planning/plan_json.h"

#include <nlohmann/json.hpp>

namespace goldthread::planning {
namespace {

namespace ind = goldthread::indicators;
using nlohmann::json;

json Opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json TargetJson(const TargetLine& l) {
  return {{"target", l.target},
          {"plan", l.plan},
          {"indicator", l.indicator},
          {"title", l.indicator_title},
          {"org_unit", l.org_unit},
          {"owner", l.owner},
          {"objectives", l.objectives},
          {"unit", ind::UnitName(l.unit)},
          {"polarity", ind::PolarityName(l.polarity)},
          {"value", l.value},
          {"by", l.by},
          {"by_period", l.by_period},
          {"status", TargetStateName(l.state)},
          {"reason", l.reason},
          {"latest", Opt(l.latest)},
          {"latest_period", l.latest ? json(l.latest_period) : json(nullptr)},
          {"realism", RealismName(l.realism)},
          {"realism_reason", l.realism_reason},
          {"assurance", l.assurance ? json(stats::AssuranceName(*l.assurance)) : json(nullptr)},
          {"variation", l.variation ? json(stats::PointTypeName(*l.variation)) : json(nullptr)},
          {"note", l.note}};
}

json Targets(const std::vector<TargetLine>& lines) {
  json out = json::array();
  for (const TargetLine& l : lines) out.push_back(TargetJson(l));
  return out;
}

json Roll(const RollUp& r) {
  return {{"status", TargetStateName(r.state)},
          {"summary", r.Summary()},
          {"counts",
           {{"met", r.met}, {"on_track", r.on_track}, {"off_track", r.off_track}, {"not_yet_measurable", r.not_yet_measurable}}}};
}

json CurveJson(const Curve& c) {
  json points = json::array();
  for (const CurvePoint& p : c.points)
    points.push_back({{"period", p.period.Label()},
                      {"value", Opt(p.value)},
                      {"ci_low", Opt(p.ci_low)},
                      {"ci_high", Opt(p.ci_high)},
                      {"numerator", p.numerator},
                      {"denominator", Opt(p.denominator)},
                      {"provisional", p.provisional},
                      {"mean", Opt(p.mean)},
                      {"lpl", Opt(p.lpl)},
                      {"upl", Opt(p.upl)},
                      {"point_type", p.point_type ? json(stats::PointTypeName(*p.point_type)) : json(nullptr)}});
  json forecast = json::array();
  for (const CurveForecast& f : c.forecast)
    forecast.push_back({{"period", f.period.Label()},
                        {"fit", f.fit},
                        {"low80", f.low80},
                        {"high80", f.high80},
                        {"low95", f.low95},
                        {"high95", f.high95}});
  json out = {{"indicator", c.indicator},
              {"org_unit", c.org_unit},
              {"per", PeriodKindName(c.per)},
              {"chart", ind::SpcChartName(c.chart)},
              {"spc_note", c.spc_note},
              {"trial_limits", c.trial_limits},
              {"variation", c.variation ? json(stats::PointTypeName(*c.variation)) : json(nullptr)},
              {"points", points},
              {"forecast", forecast},
              {"forecast_note", c.forecast_note}};
  if (c.has_cases) {
    const int32_t last = c.LastFinal();
    out["cases"] = {{"period", last >= 0 ? json(c.points[last].period.Label()) : json(nullptr)},
                    {"counted", c.counted},
                    {"not_counted", c.not_counted}};
  }
  return out;
}

json Story(const StoryRecord& s) {
  return {{"id", s.id},
          {"indicator", s.indicator},
          {"org_unit", s.org_unit},
          {"section", s.section},
          {"text", s.text},
          {"author", s.author},
          {"written_at", FormatTimestamp(s.written_at)},
          {"plan_version", s.plan_version}};
}

json Version(const PlanVersionInfo& v) {
  return {{"version", v.version},     {"loaded_at", FormatTimestamp(v.loaded_at)},
          {"loaded_by", v.loaded_by}, {"source", v.source},
          {"sha256", v.sha256},       {"title", v.title},
          {"years", v.years}};
}

json Measure(const ObaMeasure& m) {
  json stories = json::array();
  for (const StorySection& s : m.stories)
    stories.push_back({{"section", s.section}, {"entries", s.entries}, {"latest", s.latest ? Story(*s.latest) : json(nullptr)}});
  return {{"indicator", m.indicator},
          {"title", m.title},
          {"org_unit", m.org_unit},
          {"oba", ind::ObaName(m.oba)},
          {"unit", ind::UnitName(m.unit)},
          {"polarity", ind::PolarityName(m.polarity)},
          {"curve", CurveJson(m.curve)},
          {"targets", Targets(m.targets)},
          {"stories", stories}};
}

json Measures(const std::vector<ObaMeasure>& ms) {
  json out = json::array();
  for (const ObaMeasure& m : ms) out.push_back(Measure(m));
  return out;
}

}  // namespace

std::string CheckJson(const PlanCheckResult& checked, const DefinitionIndex& defs) {
  json diagnostics = json::array();
  int errors = 0, warnings = 0;
  for (const Diagnostic& d : checked.diagnostics) {
    (d.severity == Severity::kError ? errors : warnings) += 1;
    diagnostics.push_back({{"severity", d.severity == Severity::kError ? "error" : "warning"},
                           {"rule", d.rule},
                           {"line", d.loc.line > 0 ? json(d.loc.line) : json(nullptr)},
                           {"column", d.loc.column > 0 ? json(d.loc.column) : json(nullptr)},
                           {"target", d.target >= 0 ? json(d.target) : json(nullptr)},
                           {"message", d.message}});
  }
  json out = {{"file", checked.plan.doc.file},
              {"refused", checked.refused()},
              {"errors", errors},
              {"warnings", warnings},
              {"diagnostics", diagnostics}};
  if (checked.evaluation) {
    json targets = json::array();
    for (size_t t = 0; t < checked.plan.doc.targets.size(); ++t)
      targets.push_back(TargetJson(MakeTargetLine(checked.plan, *checked.evaluation, defs, static_cast<int32_t>(t))));
    out["targets"] = targets;
  }
  return out.dump(2);
}

std::string PlanJson(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs, bool curves) {
  const PlanDocument& doc = plan.doc;
  json objectives = json::array();
  for (size_t o = 0; o < doc.objectives.size(); ++o) {
    const Objective& obj = doc.objectives[o];
    json plans = json::array();
    for (int32_t p : plan.thread.plans_of_objective[o]) plans.push_back(doc.plans[p].id);
    json j = {{"id", obj.id},
              {"title", obj.title},
              {"owner", obj.owner},
              {"perspective", PerspectiveName(obj.perspective)},
              {"description", obj.description},
              {"indicators", obj.indicators},
              {"plans", plans},
              {"targets", plan.thread.targets_of_objective[o]}};
    j.update(Roll(ev.objectives[o]));
    objectives.push_back(j);
  }
  json plans = json::array();
  for (size_t p = 0; p < doc.plans.size(); ++p) {
    const Plan& pl = doc.plans[p];
    const int32_t unit = plan.thread.plan_unit[p], parent = plan.thread.parent_plan[p];
    json owners = json::object();
    for (const IndicatorOwner& o : pl.owners) owners[o.indicator] = o.owner;
    json j = {{"id", pl.id},
              {"title", pl.title},
              {"org_unit", pl.org_unit},
              {"org_unit_name", unit >= 0 ? json(plan.org.at(unit).name) : json(nullptr)},
              {"kind", unit >= 0 ? json(plan.org.at(unit).kind) : json(nullptr)},
              {"owner", pl.owner},
              {"parent", parent >= 0 ? json(doc.plans[parent].id) : json(nullptr)},
              {"objectives", pl.objectives},
              {"prime", pl.prime},
              {"indicators", pl.indicators},
              {"owners", owners},
              {"targets", plan.thread.targets_of_plan[p]},
              {"own", Roll(ev.plans_own[p])}};
    j.update(Roll(ev.plans[p]));
    plans.push_back(j);
  }
  json targets = json::array();
  for (size_t t = 0; t < doc.targets.size(); ++t)
    targets.push_back(TargetJson(MakeTargetLine(plan, ev, defs, static_cast<int32_t>(t))));
  json out = {{"version", Version(plan.version)},
              {"title", doc.title},
              {"years", doc.YearLabels()},
              {"data_end", FormatDate(ev.data_end)},
              {"objectives", objectives},
              {"plans", plans},
              {"targets", targets}};
  if (curves) {
    json cs = json::array();
    for (const Curve& c : ev.curves) cs.push_back(CurveJson(c));
    out["curves"] = cs;
  }
  return out.dump(2);
}

std::string BalancedJson(const BalancedScorecard& card) {
  json pages = json::array();
  for (const BalancedPerspective& p : card.perspectives) {
    json objectives = json::array();
    for (const BalancedObjective& o : p.objectives) {
      json j = {{"id", o.id}, {"title", o.title},       {"owner", o.owner},
                {"description", o.description}, {"plans", o.plans}, {"targets", Targets(o.targets)}};
      j.update(Roll(o.status));
      objectives.push_back(j);
    }
    json j = {{"perspective", PerspectiveName(p.perspective)}, {"title", p.title}, {"objectives", objectives}};
    j.update(Roll(p.status));
    pages.push_back(j);
  }
  return json({{"perspectives", pages}}).dump(2);
}

std::string ObaJson(const ObaScorecard& card) {
  json results = json::array();
  for (const ObaResult& r : card.results)
    results.push_back({{"objective", r.id}, {"title", r.title}, {"indicators", Measures(r.indicators)}});
  json plans = json::array();
  for (const ObaPlan& p : card.plans)
    plans.push_back({{"plan", p.id},
                     {"title", p.title},
                     {"org_unit", p.org_unit},
                     {"owner", p.owner},
                     {"how_much", Measures(p.how_much)},
                     {"how_well", Measures(p.how_well)},
                     {"better_off", Measures(p.better_off)}});
  return json({{"results", results}, {"plans", plans}}).dump(2);
}

std::string TeamProgressJson(const std::vector<TeamProgress>& teams) {
  json out = json::array();
  for (const TeamProgress& t : teams) {
    json prime = json::array();
    for (const TeamPrimeLine& l : t.prime)
      prime.push_back({{"indicator", l.indicator},
                       {"title", l.title},
                       {"oba", ind::ObaName(l.oba)},
                       {"unit", ind::UnitName(l.unit)},
                       {"polarity", ind::PolarityName(l.polarity)},
                       {"value", Opt(l.value)},
                       {"previous", Opt(l.previous)},
                       {"provisional", l.provisional},
                       {"point_type", l.point_type ? json(stats::PointTypeName(*l.point_type)) : json(nullptr)},
                       {"owner", l.owner},
                       {"targets", Targets(l.targets)}});
    json j = {{"plan", t.plan_id},
              {"org_unit", t.org_unit},
              {"name", t.name},
              {"owner", t.owner},
              {"quarter", t.quarter.start == kNullDate ? json(nullptr) : json(t.quarter.Label())},
              {"prime", prime}};
    j.update(Roll(t.status));
    out.push_back(j);
  }
  return json({{"teams", out}}).dump(2);
}

std::string TraceJson(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs,
                      const ThreadUp& up, const Curve* curve, const FigureCases* cases) {
  json targets = json::array(), plans = json::array(), objectives = json::array();
  for (int32_t t : up.targets) targets.push_back(TargetJson(MakeTargetLine(plan, ev, defs, t)));
  for (int32_t p : up.plans) plans.push_back(plan.doc.plans[p].id);
  for (int32_t o : up.objectives) objectives.push_back(plan.doc.objectives[o].id);
  json out = {{"indicator", curve ? json(curve->indicator) : json(nullptr)},
              {"org_unit", curve ? json(curve->org_unit) : json(nullptr)},
              {"curve", curve ? CurveJson(*curve) : json(nullptr)},
              {"targets", targets},
              {"plans", plans},
              {"objectives", objectives},
              {"cases", nullptr}};
  if (cases)
    out["cases"] = {{"period", cases->period.Label()},    {"value", Opt(cases->value)},
                    {"numerator", cases->numerator},      {"denominator", Opt(cases->denominator)},
                    {"counted", cases->counted},          {"not_counted", cases->not_counted}};
  return out.dump(2);
}

std::string VersionsJson(const std::vector<PlanVersionInfo>& versions) {
  json out = json::array();
  for (const PlanVersionInfo& v : versions) out.push_back(Version(v));
  return json({{"versions", out}}).dump(2);
}

std::string StoriesJson(const std::vector<StoryRecord>& stories) {
  json out = json::array();
  for (const StoryRecord& s : stories) out.push_back(Story(s));
  return json({{"stories", out}}).dump(2);
}

}  // namespace goldthread::planning
