#include "planning/plan_load.h"

#include <fmt/format.h>

#include "core/file.h"
#include "planning/plan_check.h"
#include "planning/plan_parse.h"
#include "store/snapshot_loader.h"

namespace goldthread::planning {

namespace ind = goldthread::indicators;

Result<std::string> ReadPlanFile(const std::string& path) {
  return ReadInputFile(path, static_cast<int64_t>(kMaxPlanFileBytes));
}

Result<PlanCheckResult> CheckPlanText(std::string_view text, std::string_view file,
                                      const std::vector<ind::Definition>& defs, const Snapshot* snap,
                                      const EvaluateOptions& options) {
  PlanCheckResult out;
  ParsedPlan parsed = ParsePlan(text, file);
  out.diagnostics = std::move(parsed.diagnostics);
  out.plan.doc = std::move(parsed.doc);
  const bool parsed_ok = out.diagnostics.empty() || out.diagnostics.front().rule != "toml";
  if (snap) out.plan.org = OrgTree::FromSnapshot(*snap);
  out.plan.thread = BuildThread(out.plan.doc, snap ? &out.plan.org : nullptr);
  if (parsed_ok) {
    CheckInputs in;
    in.definitions = &defs;
    in.org = snap ? &out.plan.org : nullptr;
    for (Diagnostic& d : CheckPlan(out.plan.doc, in)) out.diagnostics.push_back(std::move(d));
    if (snap) {
      Result<PlanEvaluation> ev = EvaluatePlan(out.plan, *snap, defs, options);
      if (!ev.ok()) return ev.status();
      for (Diagnostic& d : ev->diagnostics) out.diagnostics.push_back(d);
      out.evaluation = std::move(*ev);
    }
  }
  SortDiagnostics(out.diagnostics);
  return out;
}

PlanRecord ToRecord(const PlanDocument& doc, std::string text, PlanVersionInfo info) {
  PlanRecord r;
  r.info = std::move(info);
  r.info.title = doc.title;
  r.info.years = doc.YearLabels();
  r.text = std::move(text);
  for (const Objective& o : doc.objectives)
    r.objectives.push_back(
        {o.id, o.title, o.owner, std::string(PerspectiveName(o.perspective)), o.description, o.indicators, o.loc.line});
  for (const Plan& p : doc.plans) {
    PlanPlanRow row;
    row.id = p.id, row.title = p.title, row.org_unit = p.org_unit, row.owner = p.owner;
    row.objectives = p.objectives, row.prime = p.prime, row.indicators = p.indicators;
    for (const IndicatorOwner& o : p.owners) row.owners.push_back({o.indicator, o.owner});
    row.line = p.loc.line;
    r.plans.push_back(std::move(row));
  }
  for (const Target& t : doc.targets)
    r.targets.push_back({t.plan, t.indicator, t.org_unit, t.owner, t.note, t.objective, t.value, FormatDate(t.by),
                         std::string(PeriodKindName(t.per)), t.loc.line});
  return r;
}

PlanDocument FromRecord(const PlanRecord& r) {
  PlanDocument doc;
  doc.file = r.info.source;
  doc.title = r.info.title;
  for (const std::string& label : r.info.years) {
    Period p;
    if (TryParsePeriod(label, p)) doc.years.push_back(FinancialYearOf(p.start));
  }
  for (const PlanObjectiveRow& row : r.objectives) {
    Objective o;
    o.id = row.id, o.title = row.title, o.owner = row.owner, o.description = row.description;
    (void)TryParsePerspective(row.perspective, o.perspective);
    o.indicators = row.indicators;
    o.loc = {row.line, 0};
    doc.objectives.push_back(std::move(o));
  }
  for (const PlanPlanRow& row : r.plans) {
    Plan p;
    p.id = row.id, p.title = row.title, p.org_unit = row.org_unit, p.owner = row.owner;
    p.objectives = row.objectives, p.prime = row.prime, p.indicators = row.indicators;
    for (const PlanIndicatorOwnerRow& o : row.owners) p.owners.push_back({o.indicator, o.owner, {row.line, 0}});
    p.loc = p.org_unit_loc = p.prime_loc = {row.line, 0};
    doc.plans.push_back(std::move(p));
  }
  for (const PlanTargetRow& row : r.targets) {
    Target t;
    t.plan = row.plan, t.indicator = row.indicator, t.org_unit = row.org_unit, t.owner = row.owner;
    t.note = row.note;
    t.objective = row.objective;
    t.value = row.value;
    t.has_value = true;
    (void)TryParseDate(row.by, t.by);
    if (!TryParsePeriodKind(row.per, t.per)) t.per = PeriodKind::kQuarter;
    t.loc = t.indicator_loc = t.org_unit_loc = t.value_loc = t.by_loc = {row.line, 0};
    doc.targets.push_back(std::move(t));
  }
  return doc;
}

Result<SaveOutcome> SavePlan(Store& store, const PlanCheckResult& checked, std::string_view text,
                             PlanVersionInfo info) {
  if (checked.refused())
    return Status::InvalidArgument("the plan was refused by its check; nothing is stored");
  Result<std::optional<PlanRecord>> latest = store.LoadPlanVersion(0);
  if (!latest.ok()) return latest.status();
  if (latest->has_value() && (*latest)->text == text) return SaveOutcome{(*latest)->info, true};
  Result<PlanVersionInfo> saved = store.SavePlanVersion(ToRecord(checked.plan.doc, std::string(text), std::move(info)));
  if (!saved.ok()) return saved.status();
  return SaveOutcome{*saved, false};
}

Result<std::optional<LoadedPlan>> LoadStoredPlan(Store& store, int64_t version, const Snapshot& snap) {
  Result<std::optional<PlanRecord>> r = store.LoadPlanVersion(version);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return std::optional<LoadedPlan>();
  LoadedPlan plan;
  plan.doc = FromRecord(**r);
  plan.version = (*r)->info;
  plan.org = OrgTree::FromSnapshot(snap);
  plan.thread = BuildThread(plan.doc, &plan.org);
  return std::optional<LoadedPlan>(std::move(plan));
}

Result<PlanView> OpenPlanView(Store& store, int64_t version, const std::vector<ind::Definition>& defs,
                              const EvaluateOptions& options) {
  Result<std::vector<PlanVersionInfo>> versions = store.PlanVersions();
  if (!versions.ok()) return versions.status();
  if (versions->empty())
    return Status::NotFound(fmt::format("the store '{}' holds no plan (load one with 'goldthread plan load {} "
                                        "PLAN.toml')",
                                        store.location(), store.location()));
  if (version < 0 || version > versions->back().version)
    return Status::NotFound(fmt::format("the store '{}' has no plan version {} (it has {} to {})", store.location(),
                                        version, versions->front().version, versions->back().version));
  PlanView view;
  Result<std::unique_ptr<Snapshot>> snap = LoadSnapshot(store);
  if (!snap.ok()) return snap.status();
  view.snapshot = std::move(*snap);
  Result<std::optional<LoadedPlan>> plan = LoadStoredPlan(store, version, *view.snapshot);
  if (!plan.ok()) return plan.status();
  if (!plan->has_value())
    return Status::NotFound(fmt::format("the store '{}' has no plan version {}", store.location(), version));
  view.plan = std::move(**plan);
  Result<PlanEvaluation> ev = EvaluatePlan(view.plan, *view.snapshot, defs, options);
  if (!ev.ok()) return ev.status();
  view.evaluation = std::move(*ev);
  return view;
}

}  // namespace goldthread::planning
