// goldthread demo: the main job end to end on the embedded SQLite default.
// Simulates a council with two planted gaming patterns, imports it, prints
// what is stored, computes the indicators, runs the integrity checks and
// says where each result is. It runs the same code paths as the separate
// commands, so what the demo shows is what a user gets.

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/user.h"
#include "cli/serve.h"
#include "ingest/import.h"
#include "report/analysis.h"
#include "report/render.h"
#include "report/report_builder.h"
#include "server/crypto.h"
#include "server/password.h"
#include "server/user_admin.h"
#include "model/data_end.h"
#include "report/plan_sections.h"
#include "planning/plan_sample.h"
#include "planning/plan_thread.h"
#include "sim/simulator.h"
#include "store/snapshot_loader.h"
#include "store/store.h"
#include "store/summary.h"

namespace goldthread::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarker = ".goldthread-demo";

Date Today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return DateFromCivil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

// The demo folder is ours to reset only if we made it: a folder without our
// marker that has anything in it is the user's and is left alone.
Status PrepareDir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return Status::InvalidArgument("'" + dir.string() + "' is not a directory");
    bool empty = fs::is_empty(dir, ec);
    if (!empty && !fs::exists(dir / kMarker, ec))
      return Status::InvalidArgument("'" + dir.string() +
                                     "' exists and was not made by goldthread demo; choose another --dir");
    for (const char* old : {"goldthread.db", "goldthread.db-wal", "goldthread.db-shm", "goldthread.db-journal"}) fs::remove(dir / old, ec);
    fs::remove_all(dir / "data", ec);
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create '" + dir.string() + "': " + ec.message());
  std::ofstream(dir / kMarker) << "made by goldthread demo; the folder is reset on every run\n";
  return Status::Ok();
}

void Heading(const std::string& text) { std::cout << "\n== " << text << " ==\n"; }

}  // namespace

int CmdDemo(const Args& args) {
  CLI::App app{"Run goldthread end to end on a simulated council: simulate (with planted gaming), import into "
               "SQLite, summarise, compute the indicators, run the integrity checks.",
               "demo"};
  std::string dir = "goldthread-demo";
  int64_t people = 20000;
  int months = 36;
  uint64_t seed = 2026;
  bool no_serve = false;
  app.add_option("--dir", dir, "working folder (reset on every run)")->capture_default_str();
  app.add_option("--people", people, "size of the simulated council")->capture_default_str();
  app.add_option("--months", months, "months of history")->capture_default_str();
  app.add_option("--seed", seed, "random seed")->capture_default_str();
  app.add_flag("--no-serve", no_serve, "do everything but serve the dashboard (for scripts)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;

  const fs::path root = fs::absolute(dir);
  if (Status st = PrepareDir(root); !st.ok()) {
    std::cerr << "goldthread demo: " << st.message() << "\n";
    return kExitBadInput;
  }
  const fs::path data = root / "data";
  const std::string store_path = (root / "goldthread.db").string();

  Heading("1. simulate");
  sim::SimOptions options;
  options.people = people;
  options.months = months;
  options.seed = seed;
  options.start = sim::DefaultStart(Today(), months);
  for (const char* s : {"letters", "bunching"}) {
    sim::ScenarioRequest r;
    std::string problem;
    if (!sim::TryParseScenario(s, r, problem)) {
      std::cerr << "goldthread demo: " << problem << "\n";
      return kExitUsage;
    }
    options.scenarios.push_back(r);
  }
  Result<sim::SimSummary> sim = sim::Simulate(options, data);
  if (!sim.ok()) {
    std::cerr << "goldthread demo: " << sim.status().message() << "\n";
    // --people or --months out of range is a usage error, as for simulate.
    return sim.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
  }
  std::cout << "a council of " << people << " people in " << sim->teams << " teams, " << FormatMonth(sim->start)
            << " to " << FormatMonth(sim->end) << ": " << sim->total_rows << " rows of case records in "
            << data.string() << "\n";
  for (const sim::PlantedScenario& p : sim->planted)
    std::cout << "planted: " << sim::ScenarioName(p.kind) << " in team " << p.team << " (" << p.records
              << " records): " << p.detail << "\n";

  Heading("2. import");
  {
    Result<std::unique_ptr<Store>> store = OpenStore(store_path, OpenMode::kCreateWithFirstBatch);
    if (!store.ok()) {
      return Fail("demo", store.status());
    }
    ImportOptions import_options;
    import_options.progress = isatty(STDERR_FILENO);
    Result<ImportReport> report = ImportDirectory(**store, data.string(), import_options);
    if (!report.ok() || !report->committed) {
      std::cerr << "goldthread demo: import failed: "
                << (report.ok() ? (report->problems.empty() ? "" : report->problems.front())
                                : report.status().message())
                << "\n";
      return report.ok() ? kExitBadInput : ExitCodeFor(report.status());
    }
    std::cout << "batch " << report->batch.id << ": " << report->batch.rows_stored << " records stored in "
              << store_path << "\n";
    Heading("3. what is stored");
    Result<StoreSummary> summary = Summarise(**store);
    if (!summary.ok()) {
      std::cerr << "goldthread demo: " << summary.status().message() << "\n";
      return kExitBadInput;
    }
    std::cout << FormatSummary(*summary);
  }

  // The later steps are the commands themselves, so the demo shows exactly
  // what a user running them gets.
  const std::string compute_json = (root / "compute.json").string();
  const std::string findings_json = (root / "findings.json").string();
  Heading("4. compute the indicators");
  if (int rc = CmdCompute({store_path, "--json", compute_json}); rc != kExitOk) return rc;
  std::cout << "every figure, with its interval, is in " << compute_json << "\n";

  Heading("5. integrity checks");
  if (int rc = CmdCheck({store_path, "--json", findings_json}); rc != kExitOk) return rc;
  std::cout << "the findings, with their evidence and record ids, are in " << findings_json << "\n";

  // The golden thread (issue 11): a sample plan for this council, checked,
  // loaded and followed from an objective down to a team's cases.
  const std::string draft = (root / "plan-draft.toml").string(), plan = (root / "plan.toml").string();
  const std::string plan_json = (root / "plan.json").string();
  std::string team = "T03";
  {
    Result<std::unique_ptr<Store>> store = OpenStore(store_path, OpenMode::kMustExist);
    if (!store.ok()) {
      std::cerr << "goldthread demo: " << store.status().message() << "\n";
      return kExitBadInput;
    }
    Result<std::unique_ptr<Snapshot>> snap = LoadSnapshot(**store);
    if (!snap.ok()) {
      std::cerr << "goldthread demo: " << snap.status().message() << "\n";
      return kExitBadInput;
    }
    const planning::OrgTree org = planning::OrgTree::FromSnapshot(**snap);
    const planning::SamplePlan sample = planning::MakeSamplePlan(org, LastTimelineDay(**snap));
    std::ofstream(draft) << sample.draft;
    std::ofstream(plan) << sample.final;
    if (org.Find(team) < 0) team = org.at(org.size() - 1).id;
  }
  Heading("6. a plan: objectives, service and team plans, SMART targets");
  std::cout << "the draft plan, " << draft << ", checked against the store:\n";
  if (int rc = CmdPlan({"check", draft, "--store", store_path}); rc != kExitBadInput) {
    std::cerr << "goldthread demo: the draft plan should have been refused\n";
    return rc == kExitOk ? kExitBadInput : rc;
  }
  std::cout << "\nrefused: the draft sets a team a rate per 100,000 residents, which a team has no figure for.\n"
            << "The realism warnings are advice, not refusals. " << plan << " drops the refused target:\n";
  if (int rc = CmdPlan({"load", store_path, plan}); rc != kExitOk) return rc;
  if (int rc = CmdStory({"add", store_path, "--indicator", "reviews-12m", "--org-unit", team, "--author", "demo",
                         "--text", "Two social workers left in the spring; agency cover since July has brought the "
                                   "reviews back on schedule."});
      rc != kExitOk)
    return rc;

  Heading("7. the thread end to end: " + team + "'s plan, up to the objectives, down to the cases");
  if (int rc = CmdPlan({"show", store_path, "--org-unit", team, "--json", plan_json}); rc != kExitOk) return rc;
  std::cout << "\n";
  if (int rc = CmdPlan({"trace", store_path, "--indicator", "reviews-12m", "--org-unit", team, "--cases", "10"});
      rc != kExitOk)
    return rc;
  Heading("8. the balanced scorecard");
  if (int rc = CmdScorecard({store_path, "balanced"}); rc != kExitOk) return rc;

  // The carers' audits (issue 12): the simulated council has support some
  // groups never get, an over-provided area and day care falling under a
  // flat budget, for the Hub audit and the costs to find. The plan loaded
  // above is what the Hub's maturity scale reads for "Intermediate".
  const std::string hub_json = (root / "hub.json").string();
  const std::string costs_json = (root / "costs.json").string();
  Heading("9. the Carers' Hub audit and unit costs");
  if (int rc = CmdHub({store_path, "--json", hub_json}); rc != kExitOk) return rc;
  if (int rc = CmdCosts({store_path, "--json", costs_json}); rc != kExitOk) return rc;

  // The reports from one analysis (the dashboard's too): the four audiences
  // as HTML and the management report as XLSX.
  Heading("10. reports, with the plan's targets and sections and the carers' audits");
  std::vector<std::pair<std::string, std::string>> reports;  // what, path
  {
    Result<std::unique_ptr<Store>> store = OpenStore(store_path, OpenMode::kMustExist);
    if (!store.ok()) {
      return Fail("demo", store.status());
    }
    report::AnalysisOptions ao;
    ao.run_by = CurrentUser();
    auto analysis = report::LoadAnalysis(**store, ao);
    if (!analysis.ok()) {
      std::cerr << "goldthread demo: " << analysis.status().message() << "\n";
      return kExitBadInput;
    }
    auto plan = report::LoadPlanForReports(**store, *analysis);
    if (!plan.ok()) {
      std::cerr << "goldthread demo: the plan: " << plan.status().message() << "\n";
      return kExitBadInput;
    }
    if (*plan) report::RegisterPlanSections();
    struct Wanted {
      const char* audience;
      const char* file;
      report::Format format;
    };
    const Wanted wanted[] = {{"cabinet", "report-cabinet.html", report::Format::kHtml},
                             {"management", "report-management.html", report::Format::kHtml},
                             {"team:T05", "report-team-T05.html", report::Format::kHtml},
                             {"team:T01", "report-team-T01.html", report::Format::kHtml},
                             {"public", "report-public.html", report::Format::kHtml},
                             {"management", "report-management.xlsx", report::Format::kXlsx}};
    for (const Wanted& w : wanted) {
      report::ReportOptions ro;
      std::string problem;
      if (!report::TryParseAudience(w.audience, ro.audience, ro.team, problem)) {
        std::cerr << "goldthread demo: " << problem << "\n";
        return kExitUsage;
      }
      if (*plan) ro.targets = report::PlanTargets(*plan, report::ReportGrain(ro));
      auto doc = report::BuildReport(**analysis, ro);
      if (!doc.ok()) {
        std::cerr << "goldthread demo: " << doc.status().message() << "\n";
        return kExitBadInput;
      }
      auto bytes = report::Render(*doc, w.format);
      if (!bytes.ok()) {
        std::cerr << "goldthread demo: " << bytes.status().message() << "\n";
        return kExitBadInput;
      }
      if (Status logged = report::LogPersonLevelViews(**store, *doc, ao.run_by, "goldthread demo"); !logged.ok()) {
        std::cerr << "goldthread demo: could not write the access log: " << logged.message() << "\n";
        return kExitBadInput;
      }
      const std::string path = (root / w.file).string();
      if (!WriteOutput("demo", path, *bytes)) return kExitBadInput;
      reports.push_back({std::string(w.audience) + (w.format == report::Format::kXlsx ? " (XLSX)" : ""), path});
      std::cout << "report " << w.audience << ": " << path << "\n";
    }
  }

  // The binary as the user can run it again (it is seldom on the PATH).
  std::error_code ec;
  std::string self = fs::read_symlink("/proc/self/exe", ec).string();
  if (ec) self = "goldthread";
  Heading("where everything is");
  std::cout << "case records (CSV)   " << data.string() << "\n"
            << "store (SQLite)       " << store_path << "\n"
            << "indicators (JSON)    " << compute_json << "\n"
            << "findings (JSON)      " << findings_json << "\n"
            << "plan (TOML)          " << plan << " (and the refused draft, " << draft << ")\n"
            << "the thread (JSON)    " << plan_json << "\n"
            << "Carers' Hub (JSON)   " << hub_json << "\n"
            << "unit costs (JSON)    " << costs_json << "\n";
  for (const auto& [what, path] : reports) {
    std::string label = "report " + what;
    label.resize(std::max<size_t>(label.size() + 1, 21), ' ');
    std::cout << label << path << "\n";
  }
  std::cout << "Try: " << self << " compute " << store_path << "   (the latest month, every team)\n"
            << "     " << self << " check " << store_path << "\n"
            << "     " << self << " plan show " << store_path << "   (every plan and target, with status)\n"
            << "     " << self << " scorecard " << store_path << " oba --org-unit " << team << "\n"
            << "     " << self << " scorecard " << store_path << " team --org-unit " << team << "\n"
            << "     " << self << " hub --write-rules rules.toml   (then edit it: docs/hub.md)\n"
            << "     " << self << " hub " << store_path << " --rules rules.toml\n";
  // The dashboard: an admin whose password is made for this demo alone.
  const std::string admin_password = server::GeneratePassword();
  {
    Result<std::unique_ptr<Store>> store = OpenStore(store_path, OpenMode::kMustExist);
    Status added = store.ok() ? server::InitCrypto() : store.status();
    if (added.ok())
      added = server::AddUser(**store, {"admin", "admin", "", admin_password},
                              static_cast<Timestamp>(std::time(nullptr)));
    if (!added.ok()) {
      std::cerr << "goldthread demo: cannot add the dashboard's admin: " << added.message() << "\n";
      return ExitCodeFor(added);
    }
  }
  const std::string sign_in = "Sign in as admin with the password " + admin_password +
                              " (made for this demo; add users with 'goldthread user add " + store_path + "').\n";
  if (no_serve) {
    std::cout << "dashboard: " << self << " serve " << store_path << "\n" << sign_in;
    return kExitOk;
  }
  Heading("11. the dashboard");
  ServeSettings serve;
  serve.store = store_path;
  serve.any_port_if_taken = true;
  serve.command = "demo";
  serve.log_requests = false;
  serve.sign_in_hint = sign_in;
  return ServeDashboard(serve);
}

}  // namespace goldthread::cli
