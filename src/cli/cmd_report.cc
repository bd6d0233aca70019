// goldthread report: a report for one audience (issue 10; shared/DESIGN.md
// sections 8 and 10) as self-contained HTML, XLSX or JSON, chosen by the
// output's extension. The content is src/report's: the same document the
// dashboard shows.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/user.h"
#include "report/plan_sections.h"
#include "report/analysis.h"
#include "report/render.h"
#include "report/report_builder.h"
#include "store/store.h"

namespace goldthread::cli {

int CmdReport(const Args& args) {
  CLI::App app{"A report for one audience: cabinet, management, team:ID or public, as .html, .xlsx or .json.",
               "report"};
  std::string store_path, audience_text, out, period, extra_dir, checks, disclosure, hub_rules;
  bool quiet = false;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store: a SQLite file, or a postgresql:// URL")->required();
  AddStoreFlags(app, store_flags);
  app.add_option("--audience", audience_text, "cabinet | management | team:ID | public")->required();
  app.add_option("--out", out, "FILE.html, FILE.xlsx or FILE.json")->required();
  app.add_option("--period", period, "as at this month (YYYY-MM) or quarter (YYYY-YY Qn); default the latest");
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--config", checks, "checks.toml for the integrity checks");
  app.add_option("--hub-rules", hub_rules, "the Carers' Hub rating rules (TOML; docs/hub.md)");
  app.add_option("--disclosure", disclosure, "on | off (default: on for public, off otherwise)");
  app.add_flag("--quiet", quiet, "print nothing on success");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;

  report::ReportOptions options;
  std::string problem;
  if (!report::TryParseAudience(audience_text, options.audience, options.team, problem)) {
    std::cerr << "goldthread report: --audience: " << problem << "\n";
    return kExitUsage;
  }
  report::Format format;
  if (!report::TryFormatOfPath(out, format)) {
    std::cerr << "goldthread report: --out '" << out << "' must end in .html, .xlsx or .json\n";
    return kExitUsage;
  }
  if (!disclosure.empty()) {
    if (disclosure != "on" && disclosure != "off") {
      std::cerr << "goldthread report: --disclosure '" << disclosure << "' is not on or off\n";
      return kExitUsage;
    }
    options.disclosure = disclosure == "on";
    if (options.audience == report::Audience::kPublic && disclosure == "off") {
      std::cerr << "goldthread report: the public report always has disclosure control on\n";
      return kExitUsage;
    }
  }
  options.period = period;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!hub_rules.empty()) protect.Add(hub_rules, "the Hub rules file");
  if (!CheckOutputs("report", {{"--out", out}}, protect)) return kExitUsage;

  auto store = OpenStoreFor("report", store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return Fail("report", store.status());
  const auto t0 = std::chrono::steady_clock::now();
  report::AnalysisOptions ao;
  ao.indicators_dir = extra_dir;
  ao.checks_config = checks;
  ao.hub_rules = hub_rules;
  ao.run_by = CurrentUser();
  auto analysis = report::LoadAnalysis(**store, ao);
  if (!analysis.ok()) return Fail("report", analysis.status());
  // The latest stored plan: targets on the charts, and its sections
  // (report/plan_sections.h).
  auto plan = report::LoadPlanForReports(**store, *analysis);
  if (!plan.ok()) return Fail("report", plan.status());
  if (*plan) {
    report::RegisterPlanSections();
    options.targets = report::PlanTargets(*plan, report::ReportGrain(options));
  }
  const auto t1 = std::chrono::steady_clock::now();
  auto doc = report::BuildReport(**analysis, options);
  if (!doc.ok()) {
    std::cerr << "goldthread report: " << doc.status().message() << "\n";
    return kExitBadInput;
  }
  auto bytes = report::Render(*doc, format);
  if (!bytes.ok()) {
    std::cerr << "goldthread report: " << bytes.status().message() << "\n";
    return kExitBadInput;
  }
  // Every view of person-level data goes to the access log, before the
  // data leaves the process.
  if (Status logged = report::LogPersonLevelViews(**store, *doc, ao.run_by, "command line"); !logged.ok()) {
    std::cerr << "goldthread report: could not write the access log, so the report was not written\n";
    return Fail("report", logged);
  }
  if (!WriteOutput("report", out, *bytes, protect)) return kExitBadInput;
  const auto t2 = std::chrono::steady_clock::now();
  if (!quiet && out != "-") {
    auto ms = [](auto a, auto b) { return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count(); };
    std::cout << "report " << doc->audience << " as at " << doc->period << " written to " << out << " ("
              << report::Charts(*doc).size() << " charts, " << report::Tables(*doc).size() << " tables; analysis "
              << ms(t0, t1) << " ms, report " << ms(t1, t2) << " ms; run " << (*analysis)->provenance.run_id << ")\n";
  }
  return kExitOk;
}

}  // namespace goldthread::cli
