// The goldthread command: parses the subcommand name and dispatches to it.
// Nothing else lives here (shared/STYLE_ANCHORS.md section 1).

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "core/text.h"

namespace goldthread::cli {
namespace {

struct Command {
  const char* name;
  const char* desc;
  int (*func)(const Args&);
};

// One row per subcommand; `goldthread help` lists them in this order.
constexpr Command kCommands[] = {
    {"demo", "the main job end to end on a simulated council (SQLite)", CmdDemo},
    {"version", "print the version", CmdVersion},
    {"import", "import a directory of canonical CSV files into a store", CmdImport},
    {"export", "write a store's figures or records in another format (--format csv|xlsx: every figure, for Excel; cld: a CLD return)", CmdExport},
    {"compute", "compute every indicator by period, org unit and group", CmdCompute},
    {"simulate", "write a synthetic council's case records (CSV)", CmdSimulate},
    {"spc", "SPC chart (XmR or p-chart) of a CSV series", CmdSpc},
    {"funnel", "funnel plot comparing units in a CSV file", CmdFunnel},
    {"check", "integrity checks: gaming and data quality, ranked findings", CmdCheck},
    {"benchmark", "published ASCOF data: import, check (implausible jumps), funnel", CmdBenchmark},
    {"serve", "the dashboard: pages for each role, drill-down to cases, JSON API", CmdServe},
    {"user", "dashboard users: add, list, disable, enable, password", CmdUser},
    {"audit-log", "who saw which person-level data, when, from where", CmdAuditLog},
    {"hub", "the Carers' Hub audit: interventions x carer groups x areas, rated with evidence", CmdHub},
    {"costs", "unit costs, budget vs spend vs activity, forecasts (finance.csv)", CmdCosts},
    {"casework", "case-file audits by team, item and quarter; good figures, poor files", CmdCasework},
    {"added-value", "outcomes of cared-for people whose carer was supported, against not", CmdAddedValue},
    {"report", "a report for an audience (cabinet, management, team:ID, public) as HTML, XLSX or JSON", CmdReport},
    {"plan", "plans and SMART targets: check, load, show, versions, trace", CmdPlan},
    {"scorecard", "balanced, OBA and quarterly team scorecards of the plan", CmdScorecard},
    {"story", "the story behind a curve: add, list (kept as history)", CmdStory},
};


void PrintUsage(std::ostream& out) {
  out << "usage: goldthread COMMAND [ARGS...]\n\ncommands:\n";
  for (const Command& c : kCommands) {
    std::string name = c.name;
    name.resize(12, ' ');
    out << "  " << name << c.desc << "\n";
  }
  out << "\nRun 'goldthread COMMAND --help' for a command's options.\n";
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return kExitUsage;
  }
  std::string_view name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    PrintUsage(std::cout);
    return kExitOk;
  }
  Args args(argv + 2, argv + argc);
  for (const Command& c : kCommands) {
    if (name == c.name) return c.func(args);
  }
  std::cerr << "goldthread: unknown command '" << name << "'";
  std::vector<std::string_view> names;
  for (const Command& c : kCommands) names.push_back(c.name);
  if (std::string hint = ClosestName(name, names); !hint.empty()) std::cerr << "; did you mean '" << hint << "'?";
  std::cerr << "\n";
  PrintUsage(std::cerr);
  return kExitUsage;
}

}  // namespace
}  // namespace goldthread::cli

int main(int argc, char** argv) {
  // Third-party libraries may throw; nothing of ours does. Turn a stray
  // exception into a clear message and a non-zero exit, never a core dump.
  try {
    const int rc = goldthread::cli::Main(argc, argv);
    // A table or `--json -` sent to a full disk (or a closed pipe) is not a
    // success: say so rather than exit 0 with the output cut short.
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "goldthread: could not write standard output (" << std::strerror(errno)
                << "); the output is incomplete\n";
      return rc == goldthread::cli::kExitOk ? goldthread::cli::kExitBadInput : rc;
    }
    return rc;
  } catch (const std::exception& e) {
    std::cerr << "goldthread: internal error: " << e.what() << "\n";
    return 70;
  }
}
