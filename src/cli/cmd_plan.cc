// goldthread plan: the golden thread's plans (issue 11, shared/DESIGN.md
// sections 7 and 10, docs/plans.md).
//   plan check PLAN.toml [--store STORE]   SMART targets, prime indicators, realism
//   plan load STORE PLAN.toml              check, then store as the next version
//   plan show STORE                        objectives -> plans -> targets, with statuses
//   plan versions STORE                    every stored version
//   plan trace STORE --indicator ID --org-unit ID   up to the objective, down to the cases
//   plan units STORE                       the org-unit tree, with each unit's plan

#include <chrono>
#include <iostream>
#include <sstream>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/plan_text.h"
#include "core/user.h"
#include "indicators/definition.h"
#include "ingest/digest.h"
#include "planning/plan_check.h"
#include "planning/plan_json.h"
#include "planning/plan_load.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

namespace ind = goldthread::indicators;
namespace pl = goldthread::planning;

// "goldthread plan SUB: message"; a busy store is exit 75 (cli_store.h).
int PlanFail(std::string_view sub, const Status& s) { return Fail("plan " + std::string(sub), s); }

Timestamp Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Reads, parses and checks a plan file, against the store when one is
/// given (its snapshot is kept in snap).
Result<pl::PlanCheckResult> CheckFile(const std::string& path, const std::vector<ind::Definition>& defs, Store* store,
                                      std::unique_ptr<Snapshot>& snap, std::string& text) {
  Result<std::string> read = pl::ReadPlanFile(path);
  if (!read.ok()) return read.status();
  text = std::move(*read);
  if (store) {
    Result<std::unique_ptr<Snapshot>> s = LoadSnapshot(*store);
    if (!s.ok()) return s.status();
    snap = std::move(*s);
  }
  return pl::CheckPlanText(text, path, defs, snap.get());
}

int Check(const Args& args) {
  CLI::App app{"Check a plan file: every target SMART (or refused, with the reason, file and line), prime "
               "indicators, the thread; with --store also the data behind each target and its realism.",
               "plan check"};
  std::string file, store_path, extra_dir, json_out;
  app.add_option("PLAN", file, "the plan file (TOML, docs/plans.md)")->required();
  app.add_option("--store", store_path, "check against this store's org units and data");
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--json", json_out, "write the result as JSON to FILE ('-' for stdout)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  const ProtectedFiles protect = PlanInputs(store_path, extra_dir, file);
  if (!CheckOutputs("plan check", {{"--json", json_out}}, protect)) return kExitUsage;
  auto defs = ind::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) return PlanFail("check", defs.status());
  std::unique_ptr<Store> store;
  if (!store_path.empty()) {
    auto s = OpenStoreFor(app.get_name(), store_path, OpenMode::kMustExist, store_flags);
    if (!s.ok()) return PlanFail("check", s.status());
    store = std::move(*s);
  }
  std::unique_ptr<Snapshot> snap;
  std::string text;
  auto checked = CheckFile(file, *defs, store.get(), snap, text);
  if (!checked.ok()) return PlanFail("check", checked.status());
  if (!json_out.empty() && !WriteOutput("plan check", json_out, pl::CheckJson(*checked, pl::IndexDefinitions(*defs)) + "\n", protect))
    return kExitBadInput;
  if (json_out != "-") {
    PrintDiagnostics(file, checked->diagnostics, std::cout);
    if (!store)
      std::cout << "(checked without a store: org units, the data behind each target, its realism and status were "
                   "not checked; give --store STORE)\n";
    if (!checked->refused())
      std::cout << "the plan can be loaded: goldthread plan load " << (store_path.empty() ? "STORE" : store_path)
                << " " << file << "\n";
  }
  return checked->refused() ? kExitBadInput : kExitOk;
}

int Load(const Args& args) {
  CLI::App app{"Check a plan file against the store and store it as the plan's next version (nothing is stored "
               "if any target is refused; an unchanged file is not stored again).",
               "plan load"};
  std::string store_path, file, extra_dir;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("PLAN", file, "the plan file (TOML, docs/plans.md)")->required();
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  auto defs = ind::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) return PlanFail("load", defs.status());
  auto store = OpenStoreFor(app.get_name(), store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return PlanFail("load", store.status());
  std::unique_ptr<Snapshot> snap;
  std::string text;
  auto checked = CheckFile(file, *defs, store->get(), snap, text);
  if (!checked.ok()) return PlanFail("load", checked.status());
  PrintDiagnostics(file, checked->diagnostics, std::cout);
  if (checked->refused()) {
    std::cerr << "goldthread plan load: " << file << " is refused; nothing is stored\n";
    return kExitBadInput;
  }
  PlanVersionInfo info;
  info.loaded_at = Now();
  info.loaded_by = CurrentUser();
  info.source = file;
  info.sha256 = Sha256Hex(text);
  auto saved = pl::SavePlan(**store, *checked, text, info);
  if (!saved.ok()) return PlanFail("load", saved.status());
  const pl::PlanDocument& doc = checked->plan.doc;
  if (saved->unchanged)
    std::cout << "unchanged: " << file << " is the store's latest plan, version " << saved->version.version
              << "; nothing stored\n";
  else
    std::cout << "plan version " << saved->version.version << " stored in " << store_path << ": "
              << doc.objectives.size() << " objectives, " << doc.plans.size() << " plans, " << doc.targets.size()
              << " targets\n";
  return kExitOk;
}

struct ViewArgs {
  std::string store_path, extra_dir, json_out;
  int64_t version = 0;
  StoreFlags store_flags;
};

void AddViewOptions(CLI::App& app, ViewArgs& v) {
  app.add_option("STORE", v.store_path, "the store (SQLite file)")->required();
  AddStoreFlags(app, v.store_flags);
  app.add_option("--version", v.version, "the plan version (default: the latest)");
  app.add_option("--indicators", v.extra_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--json", v.json_out, "write the result as JSON to FILE ('-' for stdout)");
}

int Show(const Args& args) {
  CLI::App app{"The stored plan against the current data: objectives, the plans down the org-unit tree and each "
               "target's status (met, on track, off track, not yet measurable), rolled up.",
               "plan show"};
  ViewArgs v;
  ShowFilter filter;
  bool curves = false;
  AddViewOptions(app, v);
  app.add_option("--objective", filter.objective, "only this objective and the targets serving it");
  app.add_option("--org-unit", filter.org_unit, "only this unit's plan, the plans above it, and their targets");
  app.add_flag("--why", filter.why, "each target's reason and realism (always shown with a filter)");
  app.add_flag("--curves", curves, "with --json: every curve's figures and forecast");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  const ProtectedFiles protect = PlanInputs(v.store_path, v.extra_dir, "");
  if (!CheckOutputs("plan show", {{"--json", v.json_out}}, protect)) return kExitUsage;
  auto defs = ind::LoadBuiltInAndLocal(v.extra_dir);
  if (!defs.ok()) return PlanFail("show", defs.status());
  auto store = OpenStoreFor(app.get_name(), v.store_path, OpenMode::kMustExist, v.store_flags);
  if (!store.ok()) return PlanFail("show", store.status());
  auto view = pl::OpenPlanView(**store, v.version, *defs);
  if (!view.ok()) return PlanFail("show", view.status());
  if (!filter.objective.empty() && view->plan.doc.FindObjective(filter.objective) < 0)
    return PlanFail("show", Status::InvalidArgument("the plan has no objective '" + filter.objective + "'"));
  if (!filter.org_unit.empty() && view->plan.org.Find(filter.org_unit) < 0)
    return PlanFail("show", Status::InvalidArgument("org unit '" + filter.org_unit + "' is not in the store"));
  const pl::DefinitionIndex index = pl::IndexDefinitions(*defs);
  if (!v.json_out.empty() &&
      !WriteOutput("plan show", v.json_out, pl::PlanJson(view->plan, view->evaluation, index, curves) + "\n",
                   protect))
    return kExitBadInput;
  if (v.json_out != "-") PrintThread(view->plan, view->evaluation, index, filter, std::cout);
  return kExitOk;
}

int Versions(const Args& args) {
  CLI::App app{"Every stored version of the plan, oldest first.", "plan versions"};
  std::string store_path, json_out;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--json", json_out, "write the versions as JSON to FILE ('-' for stdout)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  const ProtectedFiles protect = PlanInputs(store_path, "", "");
  if (!CheckOutputs("plan versions", {{"--json", json_out}}, protect)) return kExitUsage;
  auto store = OpenStoreFor(app.get_name(), store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return PlanFail("versions", store.status());
  auto versions = (*store)->PlanVersions();
  if (!versions.ok()) return PlanFail("versions", versions.status());
  if (!json_out.empty() && !WriteOutput("plan versions", json_out, pl::VersionsJson(*versions) + "\n", protect))
    return kExitBadInput;
  if (json_out != "-") PrintVersions(*versions, std::cout);
  return kExitOk;
}

int Trace(const Args& args) {
  CLI::App app{"Follow one indicator at one org unit up the thread (its targets, plans and objectives) and down "
               "to the cases behind its latest figure.",
               "plan trace"};
  ViewArgs v;
  std::string indicator, org_unit, per = "quarter", period_label;
  size_t max_cases = 20;
  AddViewOptions(app, v);
  app.add_option("--indicator", indicator, "the indicator id")->required();
  app.add_option("--org-unit", org_unit, "the org unit id")->required();
  app.add_option("--per", per, "month | quarter | year (default quarter)");
  app.add_option("--period", period_label, "the figure's period (default: the latest final one), e.g. \"2026-27 Q1\"");
  app.add_option("--cases", max_cases, "person ids to list of each kind (default 20; --json lists all)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  const ProtectedFiles protect = PlanInputs(v.store_path, v.extra_dir, "");
  if (!CheckOutputs("plan trace", {{"--json", v.json_out}}, protect)) return kExitUsage;
  PeriodKind kind;
  if (!TryParsePeriodKind(per, kind) || kind == PeriodKind::kRolling12) {
    std::cerr << "goldthread plan trace: --per '" << per << "' is not month, quarter or year\n";
    return kExitUsage;
  }
  Period period;
  if (!period_label.empty() && (!TryParsePeriod(period_label, period) || period.kind != kind)) {
    std::cerr << "goldthread plan trace: --period '" << period_label << "' is not a " << per
              << " (expected e.g. 2026-04, \"2026-27 Q1\" or 2026-27)\n";
    return kExitUsage;
  }
  auto defs = ind::LoadBuiltInAndLocal(v.extra_dir);
  if (!defs.ok()) return PlanFail("trace", defs.status());
  auto store = OpenStoreFor(app.get_name(), v.store_path, OpenMode::kMustExist, v.store_flags);
  if (!store.ok()) return PlanFail("trace", store.status());
  auto view = pl::OpenPlanView(**store, v.version, *defs);
  if (!view.ok()) return PlanFail("trace", view.status());
  const pl::DefinitionIndex index = pl::IndexDefinitions(*defs);
  if (!index.count(indicator)) return PlanFail("trace", Status::InvalidArgument("indicator '" + indicator + "' is not defined"));
  if (view->plan.org.Find(org_unit) < 0)
    return PlanFail("trace", Status::InvalidArgument("org unit '" + org_unit + "' is not in the store"));
  const pl::ThreadUp up = pl::FollowUp(view->plan, indicator, org_unit);
  const int32_t ci = view->evaluation.FindCurve(indicator, org_unit, kind);
  const pl::Curve* curve = ci >= 0 ? &view->evaluation.curves[ci] : nullptr;
  if (period_label.empty() && curve && curve->LastFinal() >= 0) period = curve->points[curve->LastFinal()].period;
  std::optional<pl::FigureCases> cases;
  if (period.start != kNullDate) {
    auto c = pl::CasesBehind(*view->snapshot, *defs, indicator, org_unit, period);
    if (!c.ok() && c.status().code() != StatusCode::kNotFound) return PlanFail("trace", c.status());
    if (c.ok()) cases = std::move(*c);
    else std::cout << "(" << c.status().message() << ")\n";
  }
  if (!v.json_out.empty() &&
      !WriteOutput("plan trace", v.json_out,
                   pl::TraceJson(view->plan, view->evaluation, index, up, curve, cases ? &*cases : nullptr) + "\n",
                   protect))
    return kExitBadInput;
  if (v.json_out != "-") {
    if (!curve)
      std::cout << indicator << " at " << org_unit << " by " << per
                << ": not in the plan's curves (no plan names it there)\n";
    PrintTrace(view->plan, view->evaluation, index, up, curve, cases ? &*cases : nullptr, max_cases, std::cout);
  }
  return kExitOk;
}

int Units(const Args& args) {
  CLI::App app{"The store's org units as a tree (council, services, teams), with the plan of each in the store's "
               "latest plan version: the ids a plan file's org_unit keys take.",
               "plan units"};
  std::string store_path;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  auto store = OpenStoreFor(app.get_name(), store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return PlanFail("units", store.status());
  auto org = pl::OrgTree::FromStore(**store);
  if (!org.ok()) return PlanFail("units", org.status());
  auto latest = (*store)->LoadPlanVersion(0);
  if (!latest.ok()) return PlanFail("units", latest.status());
  std::optional<pl::PlanDocument> doc;
  if (latest->has_value()) doc = pl::FromRecord(**latest);
  PrintUnits(*org, doc ? &*doc : nullptr, latest->has_value() ? (*latest)->info.version : 0, std::cout);
  return kExitOk;
}

struct Sub {
  const char* name;
  const char* desc;
  int (*func)(const Args&);
};
constexpr Sub kSubs[] = {
    {"check", "check a plan file (SMART targets, prime indicators, realism with --store)", Check},
    {"load", "check a plan file and store it as the next version", Load},
    {"show", "the stored plan with every target's status, up the thread", Show},
    {"versions", "every stored version of the plan", Versions},
    {"trace", "one indicator at one unit: up to its objective, down to its cases", Trace},
    {"units", "the store's org units as a tree, with each one's plan", Units},
};

void Usage(std::ostream& out) {
  out << "usage: goldthread plan ";
  for (const Sub& s : kSubs) out << (&s == kSubs ? "" : "|") << s.name;
  out << " [ARGS...]\n\nsubcommands:\n";
  for (const Sub& s : kSubs) out << "  " << s.name << std::string(10 - std::string_view(s.name).size(), ' ') << s.desc << "\n";
  out << "\nRun 'goldthread plan SUBCOMMAND --help' for its options; docs/plans.md describes the plan file.\n";
}

}  // namespace

int CmdPlan(const Args& args) {
  if (args.empty()) {
    Usage(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    Usage(std::cout);
    return kExitOk;
  }
  for (const Sub& s : kSubs)
    if (args[0] == s.name) return s.func(Args(args.begin() + 1, args.end()));
  std::cerr << "goldthread plan: unknown subcommand '" << args[0] << "'\n";
  Usage(std::cerr);
  return kExitUsage;
}

}  // namespace goldthread::cli
