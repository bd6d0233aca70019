#include "report/plan_sections.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include "planning/plan_load.h"
#include "planning/scorecard_balanced.h"
#include "planning/scorecard_target.h"
#include "planning/scorecard_team.h"
#include "report/report_builder.h"

namespace goldthread::report {
namespace {

using namespace goldthread::planning;  // NOLINT(google-build-using-namespace): this file renders planning's types

namespace ind = goldthread::indicators;
namespace rp = goldthread::report;

bool PeriodFree(ind::Unit u) { return u == ind::Unit::kPercent || u == ind::Unit::kMean || u == ind::Unit::kDays; }

// A rate's words are its definition's multiplier, rate_per ("per 1,000").
std::string UnitWords(ind::Unit u, double rate_per) {
  switch (u) {
    case ind::Unit::kPercent: return "%";
    case ind::Unit::kCount: return "count";
    case ind::Unit::kRatePer100k:
      return ind::PerLabel(rate_per);
    case ind::Unit::kMean: return "mean";
    case ind::Unit::kDays: return "days";
  }
  return "";
}

std::string_view AssuranceWords(const std::optional<stats::Assurance>& a) {
  if (!a) return "not judged (no limits)";
  switch (*a) {
    case stats::Assurance::kConsistentPass: return "consistently passes";
    case stats::Assurance::kConsistentFail: return "consistently fails";
    case stats::Assurance::kInconsistent: return "hit and miss";
  }
  return "";
}

std::string_view RealismWords(Realism r) {
  switch (r) {
    case Realism::kNotChecked: return "not checked";
    case Realism::kAchievable: return "achievable";
    case Realism::kNotStretching: return "not stretching";
    case Realism::kNeedsChange: return "needs a change of practice, not more effort";
  }
  return "";
}

/// A plan figure, or nothing with disclosure control on.
rp::Cell Figure(const rp::ChartContext& ctx, const std::optional<double>& v, std::string_view if_missing) {
  if (ctx.disclosure) return rp::TextCell("not shown (disclosure control)");
  return rp::NumberCell(v, std::string(if_missing));
}

std::string ObjectiveTitles(const PlanDocument& doc, const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    const int32_t o = doc.FindObjective(id);
    out += (out.empty() ? "" : "; ") + id + (o >= 0 ? " " + doc.objectives[o].title : "");
  }
  return out.empty() ? "none" : out;
}

std::string VersionSentence(const LoadedPlan& p) {
  const PlanVersionInfo& v = p.version;
  return fmt::format("Plan version {}{}, loaded {}{} from {} (sha256 {}), covering {}.", v.version,
                     v.title.empty() ? "" : " (" + v.title + ")",
                     v.loaded_at == kNullTimestamp ? "at an unknown time" : "on " + FormatDate(DateOfTimestamp(v.loaded_at)),
                     v.loaded_by.empty() ? "" : " by " + v.loaded_by, v.source.empty() ? "an unnamed file" : v.source,
                     v.sha256.substr(0, 12), v.years.empty() ? "no years" : v.years.front() + " to " + v.years.back());
}

/// The target table shared by the cabinet and management sections.
rp::Table TargetTable(std::string id, std::string caption, const std::vector<TargetLine>& lines,
                      const rp::ChartContext& ctx, const PlanDocument& doc) {
  rp::Table t;
  t.id = std::move(id);
  t.caption = std::move(caption);
  t.columns = {{"Plan", rp::ColumnType::kText, 0},        {"Indicator", rp::ColumnType::kText, 0},
               {"Org unit", rp::ColumnType::kText, 0},    {"Objective", rp::ColumnType::kText, 0},
               {"Owner", rp::ColumnType::kText, 0},       {"Target", rp::ColumnType::kNumber, 1},
               {"Unit", rp::ColumnType::kText, 0},        {"By", rp::ColumnType::kText, 0},
               {"Latest", rp::ColumnType::kNumber, 1},    {"Latest period", rp::ColumnType::kText, 0},
               {"Status", rp::ColumnType::kText, 0},      {"Assurance", rp::ColumnType::kText, 0},
               {"Realism", rp::ColumnType::kText, 0}};
  for (const TargetLine& l : lines)
    t.rows.push_back(
        {rp::TextCell(l.plan), rp::TextCell(l.indicator_title.empty() ? l.indicator : l.indicator_title),
         rp::TextCell(l.org_unit), rp::TextCell(ObjectiveTitles(doc, l.objectives)), rp::TextCell(l.owner),
         rp::NumberCell(l.value), rp::TextCell(UnitWords(l.unit, l.rate_per)),
         rp::TextCell(l.by + " (" + l.by_period + ")"), Figure(ctx, l.latest, "no final figure"),
         rp::TextCell(l.latest_period.empty() ? "none" : l.latest_period),
         rp::TextCell(std::string(TargetStateWords(l.state))),
         rp::TextCell(std::string(AssuranceWords(l.assurance))),
         rp::TextCell(std::string(RealismWords(l.realism)))});
  t.note = "Status: met, on track (the baseline forecast for the date meets it), off track or not yet measurable "
           "(docs/plans.md). Assurance: the Making Data Count icon against the process's SPC limits. Realism: "
           "what plan check says of the target against the process's own limits and forecast.";
  if (ctx.disclosure) t.note += " Disclosure control is on: the plan's figures are not shown.";
  return t;
}

/// A warning callout naming each target whose realism is in doubt.
void RealismCallout(const std::vector<TargetLine>& lines, std::vector<rp::Block>& out) {
  std::string text;
  int n = 0;
  for (const TargetLine& l : lines) {
    if (l.realism != Realism::kNeedsChange && l.realism != Realism::kNotStretching) continue;
    ++n;
    text += fmt::format("{}{} at {} by {}: {}", text.empty() ? "" : " ", l.indicator, l.org_unit, l.by,
                        l.realism_reason.empty() ? std::string(RealismWords(l.realism)) : l.realism_reason);
    if (text.back() != '.') text += '.';
  }
  if (n > 0)
    out.push_back(rp::Callout{rp::Callout::Kind::kWarning,
                              fmt::format("{} target(s) whose realism plan check questions", n), text});
}

size_t SectionIndex(const rp::Document& doc, std::string_view id, size_t if_missing) {
  for (size_t i = 0; i < doc.sections.size(); ++i)
    if (doc.sections[i].id == id) return i + 1;
  return if_missing;
}

const PlanTargets* PlanOf(const rp::ReportOptions& o) { return o.targets.target<PlanTargets>(); }

void CabinetSection(const rp::Analysis& a, const rp::ReportOptions& o, const rp::ChartContext& ctx,
                    rp::Document& doc) {
  const PlanTargets* pt = PlanOf(o);
  if (!pt) return;
  const PlanForReports& p = pt->plan();
  const DefinitionIndex defs = IndexDefinitions(a.definitions);
  const BalancedScorecard card = BuildBalancedScorecard(p.plan, p.evaluation, defs);
  rp::Section s;
  s.id = "plan-objectives";
  s.title = "Objectives and target assurance";
  s.blocks.push_back(rp::Paragraph{VersionSentence(p.plan)});
  rp::Table obj;
  obj.id = "objectives";
  obj.caption = "The council's objectives by balanced-scorecard perspective, each with the status of the targets "
                "serving it, up the thread";
  obj.columns = {{"Perspective", rp::ColumnType::kText, 0}, {"Objective", rp::ColumnType::kText, 0},
                 {"Owner", rp::ColumnType::kText, 0},       {"Status", rp::ColumnType::kText, 0},
                 {"Targets", rp::ColumnType::kCount, 0},    {"Met", rp::ColumnType::kCount, 0},
                 {"On track", rp::ColumnType::kCount, 0},   {"Off track", rp::ColumnType::kCount, 0},
                 {"Not yet measurable", rp::ColumnType::kCount, 0}};
  for (const BalancedPerspective& bp : card.perspectives)
    for (const BalancedObjective& bo : bp.objectives) {
      const RollUp& r = bo.status;
      obj.rows.push_back({rp::TextCell(bp.title), rp::TextCell(bo.id + " " + bo.title), rp::TextCell(bo.owner),
                          rp::TextCell(std::string(TargetStateWords(r.state))), rp::NumberCell(r.total()),
                          rp::NumberCell(r.met), rp::NumberCell(r.on_track), rp::NumberCell(r.off_track),
                          rp::NumberCell(r.not_yet_measurable)});
    }
  s.blocks.push_back(std::move(obj));
  // The council's own targets (its strategic plan); services' and teams'
  // are in the management report.
  std::vector<TargetLine> lines;
  const int32_t root = p.plan.org.Root();
  for (size_t t = 0; t < p.plan.doc.targets.size(); ++t) {
    const int32_t plan = p.plan.doc.FindPlan(p.plan.doc.targets[t].plan);
    if (plan >= 0 && root >= 0 && p.plan.thread.plan_unit[plan] == root)
      lines.push_back(MakeTargetLine(p.plan, p.evaluation, defs, static_cast<int32_t>(t)));
  }
  if (lines.empty())
    s.blocks.push_back(rp::Callout{rp::Callout::Kind::kMissing, "The council's plan sets no target.",
                                   "Service and team targets are in the management report."});
  else
    s.blocks.push_back(TargetTable("council-targets", "The council's targets: status, assurance and realism", lines,
                                   ctx, p.plan.doc));
  RealismCallout(lines, s.blocks);
  doc.sections.insert(doc.sections.begin() + static_cast<std::ptrdiff_t>(SectionIndex(doc, "at-a-glance", 0)),
                      std::move(s));
}

void ManagementSection(const rp::Analysis& a, const rp::ReportOptions& o, const rp::ChartContext& ctx,
                       rp::Document& doc) {
  const PlanTargets* pt = PlanOf(o);
  if (!pt) return;
  const PlanForReports& p = pt->plan();
  const PlanDocument& d = p.plan.doc;
  const DefinitionIndex defs = IndexDefinitions(a.definitions);
  rp::Section s;
  s.id = "plan-every-plan";
  s.title = "Every plan: the thread from objectives to teams";
  s.page_break_before = true;
  s.blocks.push_back(rp::Paragraph{VersionSentence(p.plan)});
  rp::Table plans;
  plans.id = "plans";
  plans.caption = "Every plan, down the org-unit tree, with its own targets' status and that of every plan below it";
  plans.columns = {{"Plan", rp::ColumnType::kText, 0},       {"Org unit", rp::ColumnType::kText, 0},
                   {"Owner", rp::ColumnType::kText, 0},      {"Serves", rp::ColumnType::kText, 0},
                   {"Under", rp::ColumnType::kText, 0},      {"Prime indicators", rp::ColumnType::kCount, 0},
                   {"Own targets", rp::ColumnType::kText, 0}, {"With the plans below", rp::ColumnType::kText, 0}};
  for (size_t i = 0; i < d.plans.size(); ++i) {
    const int32_t unit = p.plan.thread.plan_unit[i], parent = p.plan.thread.parent_plan[i];
    plans.rows.push_back({rp::TextCell(d.plans[i].id),
                          rp::TextCell(unit >= 0 ? p.plan.org.Describe(unit) : d.plans[i].org_unit),
                          rp::TextCell(d.plans[i].owner), rp::TextCell(ObjectiveTitles(d, d.plans[i].objectives)),
                          rp::TextCell(parent >= 0 ? d.plans[parent].id : "the top"),
                          rp::NumberCell(static_cast<double>(d.plans[i].prime.size())),
                          rp::TextCell(p.evaluation.plans_own[i].Summary()),
                          rp::TextCell(p.evaluation.plans[i].Summary())});
  }
  s.blocks.push_back(std::move(plans));
  std::vector<TargetLine> lines;
  for (size_t t = 0; t < d.targets.size(); ++t)
    lines.push_back(MakeTargetLine(p.plan, p.evaluation, defs, static_cast<int32_t>(t)));
  s.blocks.push_back(TargetTable("plan-targets", "Every target of every plan", lines, ctx, d));
  RealismCallout(lines, s.blocks);
  doc.sections.push_back(std::move(s));
}

void TeamSection(const rp::Analysis& a, const rp::ReportOptions& o, const rp::ChartContext& ctx, rp::Document& doc) {
  const PlanTargets* pt = PlanOf(o);
  if (!pt) return;
  const PlanForReports& p = pt->plan();
  const PlanDocument& d = p.plan.doc;
  const DefinitionIndex defs = IndexDefinitions(a.definitions);
  rp::Section s;
  s.id = "team-plan";
  s.title = "The team plan: prime indicators and targets";
  const std::vector<TeamProgress> teams = BuildTeamProgress(p.plan, p.evaluation, defs, std::nullopt, o.team);
  if (teams.empty()) {
    s.blocks.push_back(rp::Callout{
        rp::Callout::Kind::kMissing, fmt::format("No plan for {} in plan version {}.", o.team, p.plan.version.version),
        "The team's targets and prime indicators appear here once the plan has a [[plan]] with org_unit = \"" +
            o.team + "\" (docs/plans.md)."});
    doc.sections.insert(doc.sections.begin(), std::move(s));
    return;
  }
  const TeamProgress& tp = teams.front();
  const Plan& plan = d.plans[tp.plan];
  // Up the thread: this plan, the plans above it, the objectives served.
  std::string up = plan.id;
  for (int32_t q = p.plan.thread.parent_plan[tp.plan]; q >= 0; q = p.plan.thread.parent_plan[q])
    up += " -> " + d.plans[q].id + " (" + d.plans[q].org_unit + ")";
  s.blocks.push_back(rp::Paragraph{fmt::format(
      "Plan {} of {}, owned by {}, serves {}. Up the thread: {}. Its own targets: {}. {}", plan.id, tp.org_unit,
      tp.owner, ObjectiveTitles(d, plan.objectives), up, tp.status.Summary(), VersionSentence(p.plan))});
  const int32_t unit = p.plan.thread.plan_unit[tp.plan];
  if (unit >= 0 && p.plan.org.at(unit).kind == "team" && (tp.prime.size() < 6 || tp.prime.size() > 8))
    s.blocks.push_back(rp::Callout{rp::Callout::Kind::kWarning,
                                   fmt::format("{} prime indicator(s), not 6 to 8.", tp.prime.size()),
                                   "Seed 003: a team manager watches six or eight prime indicators (plan check warns)."});
  rp::Table t;
  t.id = "team-prime";
  t.caption = fmt::format("{}'s prime indicators in {}: each target with the objective it serves and its owner",
                          tp.org_unit, tp.quarter.Label());
  t.columns = {{"Prime indicator", rp::ColumnType::kText, 0}, {"OBA", rp::ColumnType::kText, 0},
               {"This quarter", rp::ColumnType::kNumber, 1},  {"Previous", rp::ColumnType::kNumber, 1},
               {"Unit", rp::ColumnType::kText, 0},            {"Owner", rp::ColumnType::kText, 0},
               {"Target", rp::ColumnType::kNumber, 1},        {"By", rp::ColumnType::kText, 0},
               {"Objective", rp::ColumnType::kText, 0},       {"Status", rp::ColumnType::kText, 0},
               {"Realism", rp::ColumnType::kText, 0}};
  for (const TeamPrimeLine& l : tp.prime) {
    std::string link;
    if (ctx.links && !ctx.disclosure && l.value) {
      rp::LinkTarget lt;
      lt.kind = rp::LinkTarget::Kind::kCases;
      lt.indicator = l.indicator;
      lt.period = tp.quarter.Label();
      lt.org_unit = tp.org_unit;
      link = ctx.links(lt);
    }
    rp::Cell value = Figure(ctx, l.value, "no figure");
    value.link = link;
    auto row = [&](const TargetLine* tl) {
      return std::vector<rp::Cell>{rp::TextCell(l.title.empty() ? l.indicator : l.title),
                                   rp::TextCell(std::string(ind::ObaName(l.oba))),
                                   value,
                                   Figure(ctx, l.previous, "no figure"),
                                   rp::TextCell(UnitWords(l.unit, l.rate_per)),
                                   rp::TextCell(l.owner.empty() ? "no owner" : l.owner),
                                   tl ? rp::NumberCell(tl->value) : rp::NumberCell(std::nullopt, "no target"),
                                   rp::TextCell(tl ? tl->by : ""),
                                   rp::TextCell(tl ? ObjectiveTitles(d, tl->objectives) : ""),
                                   rp::TextCell(tl ? std::string(TargetStateWords(tl->state)) : "no target"),
                                   rp::TextCell(tl ? std::string(RealismWords(tl->realism)) : "")};
    };
    if (l.targets.empty()) t.rows.push_back(row(nullptr));
    for (const TargetLine& tl : l.targets) t.rows.push_back(row(&tl));
  }
  t.note = "The figures are the plan's quarterly curves (group all). The cases behind each team figure are in the "
           "section 'Cases needing action' and, for roles allowed to see records, in the dashboard.";
  s.blocks.push_back(std::move(t));
  std::vector<TargetLine> others;
  for (int32_t ti : p.plan.thread.targets_of_plan[tp.plan])
    if (std::find(plan.prime.begin(), plan.prime.end(), d.targets[ti].indicator) == plan.prime.end())
      others.push_back(MakeTargetLine(p.plan, p.evaluation, defs, ti));
  if (!others.empty())
    s.blocks.push_back(TargetTable("team-other-targets", "The plan's targets on indicators that are not prime",
                                   others, ctx, d));
  std::vector<TargetLine> all;
  for (int32_t ti : p.plan.thread.targets_of_plan[tp.plan])
    all.push_back(MakeTargetLine(p.plan, p.evaluation, defs, ti));
  RealismCallout(all, s.blocks);
  doc.sections.insert(doc.sections.begin(), std::move(s));
}

}  // namespace

int32_t PlanTargets::TargetFor(std::string_view indicator, std::string_view org_unit) const {
  const PlanDocument& d = plan_->plan.doc;
  const rp::Analysis& a = *plan_->analysis;
  const int idx = a.IndicatorIndex(indicator);
  const bool any_grain = idx >= 0 && PeriodFree(a.definitions[idx].unit);
  int32_t due = -1, last = -1;
  for (size_t i = 0; i < d.targets.size(); ++i) {
    const Target& t = d.targets[i];
    if (t.indicator != indicator || t.org_unit != org_unit || !t.has_value) continue;
    if (!any_grain && t.per != grain_) continue;
    const int32_t ti = static_cast<int32_t>(i);
    if (t.by >= plan_->evaluation.data_end && (due < 0 || t.by < d.targets[due].by)) due = ti;
    if (last < 0 || t.by > d.targets[last].by) last = ti;
  }
  return due >= 0 ? due : last;
}

std::optional<double> PlanTargets::operator()(std::string_view indicator, int32_t org_unit) const {
  const rp::Analysis& a = *plan_->analysis;
  if (a.IndicatorIndex(indicator) < 0 || org_unit < 0) return std::nullopt;
  const int32_t t = TargetFor(indicator, a.snapshot->OrgUnitId(org_unit));
  if (t < 0) return std::nullopt;
  return plan_->plan.doc.targets[t].value;
}

PeriodKind ReportGrain(const rp::ReportOptions& o) {
  Period p;
  if (!o.period.empty() && TryParsePeriod(o.period, p)) return p.kind;
  return o.audience == rp::Audience::kCabinet || o.audience == rp::Audience::kPublic ? PeriodKind::kQuarter
                                                                                       : PeriodKind::kMonth;
}

Result<std::shared_ptr<const PlanForReports>> EvaluatePlanForReports(LoadedPlan plan,
                                                                     std::shared_ptr<const Analysis> analysis) {
  auto out = std::make_shared<PlanForReports>();
  out->plan = std::move(plan);
  EvaluateOptions eo;
  eo.data_end = analysis->provenance.data_end;
  Result<PlanEvaluation> ev = EvaluatePlan(out->plan, *analysis->snapshot, analysis->definitions, eo);
  if (!ev.ok()) return ev.status();
  out->evaluation = std::move(*ev);
  out->analysis = std::move(analysis);
  return std::shared_ptr<const PlanForReports>(std::move(out));
}

Result<std::shared_ptr<const PlanForReports>> LoadPlanForReports(Store& store,
                                                                 std::shared_ptr<const report::Analysis> analysis) {
  Result<std::optional<LoadedPlan>> plan = LoadStoredPlan(store, 0, *analysis->snapshot);
  if (!plan.ok()) return plan.status();
  if (!plan->has_value()) return std::shared_ptr<const PlanForReports>();
  return EvaluatePlanForReports(std::move(**plan), std::move(analysis));
}

void RegisterPlanSections() {
  static std::once_flag once;
  std::call_once(once, [] {
    rp::RegisterSectionBuilder(rp::Audience::kCabinet, "plan-objectives", CabinetSection);
    rp::RegisterSectionBuilder(rp::Audience::kManagement, "plan-every-plan", ManagementSection);
    rp::RegisterSectionBuilder(rp::Audience::kTeam, "team-plan", TeamSection);
  });
}

}  // namespace goldthread::report
