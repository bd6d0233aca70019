// goldthread check: runs the integrity checks over a store's current records
// (shared/DESIGN.md sections 6 and 10, issue 5), prints the findings ranked
// by severity, writes their JSON, and stores the run. The indicator
// definitions (built-in, plus --indicators) are loaded too: data_quality
// checks the fields they read, and the engine computes their quarterly
// series for implausible_jump and process_outcome_divergence.

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/user.h"
#include "core/period.h"
#include "core/sha256.h"
#include "indicators/definition.h"
#include "indicators/result_json.h"
#include "integrity/checks.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

namespace ind = goldthread::indicators;

}  // namespace

int CmdCheck(const Args& args) {
  CLI::App app{"Integrity checks: gaming and data quality, findings ranked by severity.", "check"};
  std::string store_path, json_out, from, to, config_path, extra_dir;
  bool keep_result = false;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store: a SQLite file, or a postgresql:// URL")->required();
  app.add_option("--indicators", extra_dir,
                 "a directory of the council's own definitions (*.toml), checked with the built-in ones");
  app.add_option("--json", json_out, "write the findings as JSON to FILE ('-' for stdout)");
  app.add_option("--from", from, "first month YYYY-MM");
  app.add_option("--to", to, "last month YYYY-MM");
  app.add_option("--config", config_path, "checks.toml: switch checks on or off and tune their thresholds");
  app.add_flag("--keep-result", keep_result,
               "keep this run's findings JSON in the store (replacing the one kept before); by default a run keeps "
               "its parameters, batches, definition versions and the findings' digest");
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!config_path.empty()) protect.Add(config_path, "the configuration");
  ProtectDirectory(protect, ind::BuiltInDir(), ".toml", "a built-in definition");
  if (!extra_dir.empty()) ProtectDirectory(protect, extra_dir, ".toml", "a definition file");
  if (!CheckOutputs("check", {{"--json", json_out}}, protect)) return kExitUsage;

  integrity::CheckScope scope;
  if (!from.empty() && !TryParseMonth(from, scope.from)) {
    std::cerr << "goldthread check: --from '" << from << "' is not a month (expected YYYY-MM)\n";
    return kExitUsage;
  }
  if (!to.empty()) {
    Date m;
    if (!TryParseMonth(to, m)) {
      std::cerr << "goldthread check: --to '" << to << "' is not a month (expected YYYY-MM)\n";
      return kExitUsage;
    }
    YearMonthDay ymd = CivilFromDate(m);
    scope.to = LastDayOfMonth(ymd.year, ymd.month);
    if (!CheckWindow("check", scope.from, m)) return kExitUsage;
  }
  integrity::CheckConfig config;
  if (!config_path.empty()) {
    auto loaded = integrity::LoadCheckConfig(config_path);
    if (!loaded.ok()) {
      std::cerr << "goldthread check: " << loaded.status().message() << "\n";
      return kExitBadInput;
    }
    config = *loaded;
  }
  // The definitions: data_quality checks the fields they read, and
  // implausible_jump and process_outcome_divergence read their series.
  auto defs = ind::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) {
    std::cerr << "goldthread check: " << defs.status().message() << "\n";
    return kExitBadInput;
  }
  auto store = OpenStoreFor("check", store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return Fail("check", store.status());
  auto snap = LoadSnapshot(**store);
  if (!snap.ok()) return Fail("check", snap.status());
  auto checked = integrity::RunChecksWithIndicators(**snap, config, scope, *defs);
  if (!checked.ok()) {
    std::cerr << "goldthread check: " << checked.status().message() << "\n";
    return kExitBadInput;
  }
  std::vector<integrity::Finding> findings = std::move(checked).value();
  const std::string json = integrity::FindingsToJson(findings) + "\n";

  int by_severity[3] = {0, 0, 0};
  for (const auto& f : findings) ++by_severity[static_cast<int>(f.severity)];
  if (json_out != "-") {
    std::cout << integrity::FindingsToText(findings);
    std::cout << findings.size() << " findings: " << by_severity[2] << " high, " << by_severity[1] << " medium, "
              << by_severity[0] << " low\n";
  }
  if (!json_out.empty() && !WriteOutput("check", json_out, json, protect)) return kExitBadInput;

  RunRecord run;
  run.kind = "check";
  run.started_at = static_cast<Timestamp>(std::time(nullptr));
  run.run_by = CurrentUser();
  run.params_json =
      nlohmann::json{{"from", from}, {"to", to}, {"config", config_path}, {"indicators", extra_dir}}.dump();
  run.definitions_json = ind::DefinitionsJson(*defs);
  run.batch_ids = (*snap)->batch_ids();
  run.result_sha256 = Sha256Of(json);  // `sha256sum` of the --json file
  run.result_bytes = static_cast<int64_t>(json.size());
  if (keep_result) run.result_json = json;
  run.full_result = keep_result;
  if (auto saved = (*store)->SaveRun(run); !saved.ok()) {
    std::cerr << "goldthread check: the findings were written, but the run could not be recorded\n";
    return Fail("check", saved.status());
  }
  return kExitOk;
}

}  // namespace goldthread::cli
