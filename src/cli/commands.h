#pragma once
// The goldthread subcommands. Each takes the arguments after its name and
// returns the process exit status: 0 success, 1 bad input, 2 usage error
// (shared/DESIGN.md section 10), and 75 when the store stayed in use by
// another process beyond --wait (sysexits.h's EX_TEMPFAIL: try again later). Add a command: declare it here, define it in
// its own cmd_<name>.cc, and add one row to kCommands in main.cc.

#include <string>
#include <vector>

namespace goldthread::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitBusy = 75;

using Args = std::vector<std::string>;

int CmdVersion(const Args& args);
int CmdDemo(const Args& args);      // cmd_demo.cc: the main job end to end
int CmdImport(const Args& args);    // cmd_import.cc: CSV directory into a store
int CmdExport(const Args& args);     // cmd_export.cc: export --format FORMAT, dispatched by format
int CmdExportCsv(const Args& args);   // cmd_export_csv.cc: export --format csv, every computed figure
int CmdExportXlsx(const Args& args);  // cmd_export_xlsx.cc: export --format xlsx, every computed figure
int CmdImportCld(const Args& args);  // cmd_import_cld.cc: import --format cld, a CLD return
int CmdExportCld(const Args& args);  // cmd_export_cld.cc: export --format cld, the records as a CLD return
int CmdCompute(const Args& args);  // cmd_compute.cc: indicators over a store
int CmdSimulate(const Args& args);  // cmd_simulate.cc: write a synthetic council
int CmdSpc(const Args& args);     // cmd_spc.cc: SPC chart of a CSV series
int CmdFunnel(const Args& args);  // cmd_funnel.cc: funnel plot of CSV units
int CmdCheck(const Args& args);      // cmd_check.cc: integrity checks over a store
int CmdBenchmark(const Args& args);  // cmd_benchmark.cc: published ASCOF data: import, check, funnel
int CmdUser(const Args& args);       // cmd_user.cc: dashboard users: add, list, disable, enable, password
int CmdAuditLog(const Args& args);   // cmd_audit_log.cc: the access log of person-level views
int CmdHub(const Args& args);        // cmd_hub.cc: the Carers' Hub audit
int CmdCosts(const Args& args);      // cmd_costs.cc: unit costs, budget vs spend vs activity
int CmdCasework(const Args& args);   // cmd_casework.cc: case-file audits by team, item and quarter
int CmdAddedValue(const Args& args); // cmd_added_value.cc: carers' added value (Mantel-Haenszel)
int CmdReport(const Args& args);     // cmd_report.cc: a report for one audience (HTML, XLSX, JSON)
int CmdServe(const Args& args);      // cmd_serve.cc: the dashboard
int CmdPlan(const Args& args);       // cmd_plan.cc: plan check, load, show, versions, trace
int CmdScorecard(const Args& args);  // cmd_scorecard.cc: balanced, OBA and team scorecards
int CmdStory(const Args& args);      // cmd_story.cc: the story behind the curve

}  // namespace goldthread::cli
