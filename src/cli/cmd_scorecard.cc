// goldthread scorecard: the plan's scorecards on the current data (issue 11,
// docs/plans.md "Scorecards"):
//   scorecard STORE balanced   a page per perspective: objectives, targets, status
//   scorecard STORE oba        population results; each plan's how much / how well / better off
//   scorecard STORE team       each team's prime indicators in a quarter, with targets and status

#include <iostream>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/plan_text.h"
#include "indicators/definition.h"
#include "planning/plan_json.h"
#include "planning/plan_load.h"
#include "planning/scorecard_balanced.h"
#include "planning/scorecard_oba.h"
#include "planning/scorecard_team.h"
#include "store/store.h"

namespace goldthread::cli {

namespace ind = goldthread::indicators;
namespace pl = goldthread::planning;

int CmdScorecard(const Args& args) {
  CLI::App app{"The plan's scorecards on the store's current data: balanced (a page per perspective), oba "
               "(Outcomes Based Accountability: population results, and each plan's how much / how well / is "
               "anyone better off, with the curve, its forecast and its story) or team (each team's prime "
               "indicators for a quarter).",
               "scorecard"};
  std::string store_path, kind, org_unit, quarter_label, extra_dir, json_out;
  int64_t version = 0;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("KIND", kind, "balanced | oba | team")->required();
  app.add_option("--org-unit", org_unit, "oba, team: only this unit's plan");
  app.add_option("--quarter", quarter_label, "team: the financial quarter, e.g. \"2026-27 Q2\" (default: the latest)");
  app.add_option("--version", version, "the plan version (default: the latest)");
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--json", json_out, "write the scorecard as JSON to FILE ('-' for stdout)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  const ProtectedFiles protect = PlanInputs(store_path, extra_dir, "");
  if (!CheckOutputs("scorecard", {{"--json", json_out}}, protect)) return kExitUsage;
  if (kind != "balanced" && kind != "oba" && kind != "team") {
    std::cerr << "goldthread scorecard: KIND '" << kind << "' is not balanced, oba or team\n";
    return kExitUsage;
  }
  std::optional<Period> quarter;
  if (!quarter_label.empty()) {
    Period q;
    if (!TryParsePeriod(quarter_label, q) || q.kind != PeriodKind::kQuarter) {
      std::cerr << "goldthread scorecard: --quarter '" << quarter_label
                << "' is not a financial quarter (expected e.g. \"2026-27 Q2\")\n";
      return kExitUsage;
    }
    quarter = q;
  }
  auto fail = [](const Status& s) {
    std::cerr << "goldthread scorecard: " << s.message() << "\n";
    return kExitBadInput;
  };
  auto defs = ind::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) return fail(defs.status());
  auto store = OpenStoreFor(app.get_name(), store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return fail(store.status());
  auto view = pl::OpenPlanView(**store, version, *defs);
  if (!view.ok()) return fail(view.status());
  if (!org_unit.empty() && view->plan.doc.plans.end() == std::find_if(view->plan.doc.plans.begin(),
                                                                     view->plan.doc.plans.end(),
                                                                     [&](const pl::Plan& p) { return p.org_unit == org_unit; }))
    return fail(Status::InvalidArgument("the plan has no plan for org unit '" + org_unit + "'"));
  const pl::DefinitionIndex index = pl::IndexDefinitions(*defs);
  std::string json;
  if (kind == "balanced") {
    const pl::BalancedScorecard card = pl::BuildBalancedScorecard(view->plan, view->evaluation, index);
    json = pl::BalancedJson(card);
    if (json_out != "-") PrintBalanced(card, std::cout);
  } else if (kind == "oba") {
    auto stories = (*store)->Stories("", "");
    if (!stories.ok()) return fail(stories.status());
    const pl::ObaScorecard card = pl::BuildObaScorecard(view->plan, view->evaluation, index, *stories, org_unit);
    json = pl::ObaJson(card);
    if (json_out != "-") PrintOba(card, std::cout);
  } else {
    const std::vector<pl::TeamProgress> teams =
        pl::BuildTeamProgress(view->plan, view->evaluation, index, quarter, org_unit);
    json = pl::TeamProgressJson(teams);
    if (json_out != "-") PrintTeamProgress(teams, std::cout);
  }
  if (!json_out.empty() && !WriteOutput("scorecard", json_out, json + "\n", protect)) return kExitBadInput;
  return kExitOk;
}

}  // namespace goldthread::cli
