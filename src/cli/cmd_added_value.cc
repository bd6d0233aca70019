// goldthread added-value: carers' added value (issue 12; seed 001 section
// 8.1): the outcomes of cared-for people whose carer was supported against
// those whose carer was not, compared within age band and primary support
// reason (Mantel-Haenszel), with the caveat that it is an association.

#include <iostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/audit_command.h"
#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "model/data_end.h"
#include "planning/added_value.h"
#include "planning/casework_json.h"
#include "planning/hub_audit.h"

namespace goldthread::cli {

int CmdAddedValue(const Args& args) {
  CLI::App app{"Carers' added value: readmissions, still at home after 91 days and care-home admissions of people "
               "whose carer was supported against those whose carer was not, stratified by age band and primary "
               "support reason (Mantel-Haenszel).",
               "added-value"};
  std::string store_path, year_label, json_out;
  int lookback = 365;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--year", year_label, "financial year YYYY-YY (default: the latest the records cover in full)");
  app.add_option("--json", json_out, "write the comparison as JSON to FILE ('-' for stdout)");
  app.add_option("--lookback-days", lookback, "carer support this many days before the event counts")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!CheckOutputs("added-value", {{"--json", json_out}}, protect)) return kExitUsage;
  int year = 0;
  if (!ParseAuditYear("added-value", year_label, year)) return kExitUsage;
  auto in = OpenAuditInputs("added-value", store_path, store_flags);
  if (!in.ok()) return Fail("added-value", in.status());
  const Snapshot& snap = *in->snap;
  planning::AddedValueOptions options;
  options.data_end = LastTimelineDay(snap);
  options.year = year_label.empty() ? planning::DefaultHubYear(options.data_end) : year;
  options.lookback_days = lookback;
  auto value = planning::RunAddedValue(snap, options);
  if (!value.ok()) {
    std::cerr << "goldthread added-value: " << value.status().message() << "\n";
    return kExitBadInput;
  }
  std::string json = planning::AddedValueToJson(*value);
  if (json_out != "-") {
    std::cout << "Carers' added value " << value->year.Label() << " (Mantel-Haenszel within age band x primary "
              << "support reason):\n";
    for (const planning::AddedValueOutcome& o : value->outcomes) {
      std::cout << "\n" << o.title << ":\n  " << o.words.substr(0, o.words.size() - value->caveat.size() - 1) << "\n";
      if (o.left_out_follow_up > 0)
        std::cout << "  (" << o.left_out_follow_up << " events left out: their follow-up reaches past the records)\n";
    }
    std::cout << "\n" << value->caveat << "\n";
  }
  if (!json_out.empty() && !WriteOutput("added-value", json_out, json + "\n", protect)) return kExitBadInput;
  std::string params = nlohmann::json{{"year", value->year.Label()}, {"lookback_days", lookback}}.dump();
  if (!SaveAuditRun("added-value", *in->store, snap, params, json)) return kExitBadInput;
  return kExitOk;
}

}  // namespace goldthread::cli
