// goldthread casework: case-file audits (issue 12; seed 004 "Monitoring
// casework"): compliance with each checklist item by team and quarter, the
// items that fail most, and teams with good figures but poor files.

#include <iostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/audit_command.h"
#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "indicators/definition.h"
#include "model/data_end.h"
#include "planning/casework_audit.h"
#include "planning/casework_json.h"
#include "planning/hub_audit.h"
#include "planning/hub_format.h"

namespace goldthread::cli {
namespace {

namespace pl = goldthread::planning;

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

std::string Rate(const pl::AuditRate& r) { return r.rate ? pl::FormatShare(*r.rate) : "-"; }

void Print(const pl::CaseworkAudit& a, const Snapshot& snap, std::ostream& out) {
  out << "Case-file audits " << a.year.Label() << ": " << pl::FormatCount(a.council.met) << " of "
      << pl::FormatCount(a.council.audited) << " items met ("
      << (a.council.rate ? pl::FormatShareCi(*a.council.rate, a.council.ci) : "-") << "), "
      << pl::FormatCount(a.council.na) << " not applicable\n\nBy item, the most failed first:\n"
      << Pad("", 28) << Pad("council", 10);
  for (const pl::CaseworkTeam& t : a.teams) out << Pad(snap.OrgUnitId(t.org_unit), 8);
  out << "\n";
  for (const pl::CaseworkItem& it : a.items) {
    out << "  " << Pad(it.item, 26) << Pad(Rate(it.council), 10);
    for (const pl::AuditRate& r : it.by_team) out << Pad(Rate(r), 8);
    out << "\n";
  }
  out << "  " << Pad("all items", 26) << Pad(Rate(a.council), 10);
  for (const pl::CaseworkTeam& t : a.teams) out << Pad(Rate(t.year) + (t.poor_files ? "*" : ""), 8);
  out << "\n  (* below the 95% limit of the teams' funnel)\n\nOver time, the council:\n  ";
  for (size_t q = 0; q < a.quarters.size(); ++q)
    if (a.council_by_quarter[q].audited > 0) out << a.quarters[q].Label() << " " << Rate(a.council_by_quarter[q]) << "  ";
  out << "\n\nGood figures, poor files:\n";
  if (a.diverging.empty()) out << "  none: no team with files below the funnel has most of its figures above the council's\n";
  for (int i : a.diverging) out << "  - " << a.teams[static_cast<size_t>(i)].why << "\n";
  for (const std::string& n : a.notes) out << "note: " << n << "\n";
}

}  // namespace

int CmdCasework(const Args& args) {
  CLI::App app{"Case-file audits: compliance with each checklist item by team and over time, the items that fail "
               "most, and teams whose files disagree with their indicators.",
               "casework"};
  std::string store_path, year_label, json_out, extra_dir;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--year", year_label, "financial year YYYY-YY (default: the latest the records cover in full)");
  app.add_option("--json", json_out, "write the audit as JSON to FILE ('-' for stdout)");
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!CheckOutputs("casework", {{"--json", json_out}}, protect)) return kExitUsage;
  int year = 0;
  if (!ParseAuditYear("casework", year_label, year)) return kExitUsage;
  auto defs = indicators::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) {
    std::cerr << "goldthread casework: " << defs.status().message() << "\n";
    return kExitBadInput;
  }
  auto in = OpenAuditInputs("casework", store_path, store_flags);
  if (!in.ok()) return Fail("casework", in.status());
  const Snapshot& snap = *in->snap;
  pl::CaseworkOptions options;
  options.year = year_label.empty() ? pl::DefaultHubYear(LastTimelineDay(snap)) : year;
  auto audit = pl::RunCasework(snap, *defs, options);
  if (!audit.ok()) {
    std::cerr << "goldthread casework: " << audit.status().message() << "\n";
    return kExitBadInput;
  }
  std::string json = pl::CaseworkToJson(*audit, snap);
  if (json_out != "-") Print(*audit, snap, std::cout);
  if (!json_out.empty() && !WriteOutput("casework", json_out, json + "\n", protect)) return kExitBadInput;
  std::string params = nlohmann::json{{"year", audit->year.Label()}, {"indicators", extra_dir}}.dump();
  if (!SaveAuditRun("casework", *in->store, snap, params, json)) return kExitBadInput;
  return kExitOk;
}

}  // namespace goldthread::cli
