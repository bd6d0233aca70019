// goldthread hub: the Carers' Hub audit (shared/DESIGN.md section 7, issue
// 12) over a store's current records: prints the Red/Amber/Green matrix of
// the 17 interventions by carer group and by area, under- and
// over-provision and the step-3 questions answered, writes every cell with
// its evidence as JSON, and stores the run.

#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/audit_command.h"
#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "indicators/definition.h"
#include "model/data_end.h"
#include "planning/hub_audit.h"
#include "planning/hub_codes.h"
#include "planning/hub_format.h"
#include "planning/hub_json.h"
#include "planning/hub_plan.h"
#include "planning/hub_rules.h"

namespace goldthread::cli {
namespace {

namespace pl = goldthread::planning;


std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

char Letter(pl::Rating r) {
  switch (r) {
    case pl::Rating::kRed: return 'R';
    case pl::Rating::kAmber: return 'A';
    case pl::Rating::kGreen: return 'G';
    case pl::Rating::kNone: break;
  }
  return '.';
}

// Short column heads for the 17 groups.
constexpr const char* kGroupHeads[pl::kHubGroupCount] = {"all", "bme", "refu", "lgbt", "trav", "dist",
                                                         "yng", "16-24", "25-64", "65+", "work", "phys",
                                                         "sens", "mem", "ld", "mh", "soc"};

void PrintMatrix(const pl::HubAudit& a, std::ostream& out) {
  out << "\nBy carer group, the whole council (R red, A amber, G green, . not rated):\n";
  out << Pad("", 40);
  for (const char* h : kGroupHeads) out << Pad(h, 6);
  out << "\n";
  int outcome = -1;
  for (int iv : pl::HubWheelOrder()) {
    const pl::HubInterventionInfo& info = pl::HubInterventions()[static_cast<size_t>(iv)];
    if (info.outcome != outcome) {
      outcome = info.outcome;
      out << pl::HubOutcomes()[static_cast<size_t>(outcome)].short_title << "\n";
    }
    out << "  " << Pad(std::string(info.title).substr(0, 37), 38);
    for (int g = 0; g < pl::kHubGroupCount; ++g) out << Pad(std::string(1, Letter(a.cell(iv, g, -1).rating)), 6);
    out << "\n";
  }
}

void PrintAreas(const pl::HubAudit& a, std::ostream& out) {
  out << "\nAll carers by area: rating and reach (carers reached / estimated):\n" << Pad("", 40);
  for (int area = -1; area < a.AreaCount(); ++area) out << Pad(a.AreaName(area).substr(0, 10), 11);
  out << "\n";
  for (int iv : pl::HubWheelOrder()) {
    out << "  " << Pad(std::string(pl::HubInterventions()[static_cast<size_t>(iv)].title).substr(0, 37), 38);
    for (int area = -1; area < a.AreaCount(); ++area) {
      const pl::HubCell& c = a.cell(iv, pl::kHubGroupAll, area);
      out << Pad(std::string(1, Letter(c.rating)) + " " + (c.reach ? pl::FormatShare(*c.reach) : "-"), 11);
    }
    out << "\n";
  }
}

void PrintList(const std::string& title, const std::vector<pl::HubProvision>& list, size_t limit, std::ostream& out) {
  out << "\n" << title << " (" << list.size() << "):\n";
  for (size_t i = 0; i < list.size() && i < limit; ++i) out << "  - " << list[i].why << "\n";
  if (list.size() > limit) out << "  ... and " << list.size() - limit << " more in the JSON\n";
}

void PrintAudit(const pl::HubAudit& a, const pl::HubRules& rules, std::ostream& out) {
  const pl::HubCell& all = a.total(pl::kHubGroupAll, -1);
  out << "Carers' Hub audit " << a.year.Label() << (a.partial ? " (part year)" : "") << ", records to "
      << FormatDate(a.data_end) << ", rules: " << (rules.source.empty() ? "default" : rules.source) << "\n";
  out << pl::FormatCount(a.carers_reached) << " carers reached"
      << (all.reach ? " (" + pl::FormatShareCi(*all.reach, all.reach_ci) + " of an estimated " +
                          pl::FormatCount(*all.estimated) + ")"
                    : "")
      << "; " << pl::FormatCount(a.carers_without_assessment) << " of them without a carer assessment\n";
  PrintMatrix(a, out);
  PrintAreas(a, out);
  PrintList("Under-provision, overlooked groups first", a.under, 12, out);
  PrintList("Over-provision", a.over, 12, out);
  out << "\nSeed 001 section 8.3, step 3, answered from the records:\n";
  for (const pl::HubQuestion& q : a.questions) {
    out << "  " << q.question << "\n";
    for (const std::string& ans : q.answers) out << "    - " << ans << "\n";
  }
  if (a.plan_targets.empty())
    out << "\nNo target of the loaded plan ('goldthread plan load') is on a carers' indicator of the rules' "
           "scale.plan_indicators, due in or after this year, at a unit covering an area, so no cell can be "
           "Intermediate on the Early/Intermediate/Advanced scale.\n";
  for (const std::string& w : a.warnings) out << "warning: " << w << "\n";
}

}  // namespace

int CmdHub(const Args& args) {
  CLI::App app{"The Carers' Hub audit: the 17 interventions by carer group and area, reach with its interval, "
               "Red/Amber/Green and Early/Intermediate/Advanced with their evidence, under- and over-provision.",
               "hub"};
  std::string store_path, year_label, json_out, rules_path, write_rules, extra_dir;
  app.add_option("STORE", store_path, "the store (SQLite file)");
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--year", year_label, "financial year YYYY-YY (default: the latest the records cover in full)");
  app.add_option("--json", json_out, "write every cell with its evidence as JSON to FILE ('-' for stdout)");
  app.add_option("--rules", rules_path, "the council's rating rules (TOML; docs/hub.md)");
  app.add_option("--write-rules", write_rules, "write the default rules to FILE, to edit, and stop");
  app.add_option("--indicators", extra_dir,
                 "a directory of the council's own definitions (*.toml), for the rules' scale.plan_indicators");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  if (!write_rules.empty()) {
    ProtectedFiles store_only;
    if (!store_path.empty()) store_only.AddStore(store_path);
    if (!CheckOutputs("hub", {{"--write-rules", write_rules}}, store_only)) return kExitUsage;
    if (!WriteOutput("hub", write_rules, std::string(pl::DefaultHubRulesToml()), store_only)) return kExitBadInput;
    if (write_rules != "-") std::cout << "the default rules are in " << write_rules << "\n";
    return kExitOk;
  }
  if (store_path.empty()) {
    std::cerr << "goldthread hub: STORE is required\nRun with --help for more information.\n";
    return kExitUsage;
  }
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!rules_path.empty()) protect.Add(rules_path, "the rules file");
  if (!CheckOutputs("hub", {{"--json", json_out}}, protect)) return kExitUsage;
  int year = 0;
  if (!ParseAuditYear("hub", year_label, year)) return kExitUsage;
  pl::HubOptions options;
  options.rules = pl::DefaultHubRules();
  if (!rules_path.empty()) {
    auto rules = pl::LoadHubRules(rules_path);
    if (!rules.ok()) {
      std::cerr << "goldthread hub: " << rules.status().message() << "\n";
      return kExitBadInput;
    }
    options.rules = *rules;
  }
  auto defs = indicators::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) {
    std::cerr << "goldthread hub: " << defs.status().message() << "\n";
    return kExitBadInput;
  }
  std::vector<std::string> ids;
  for (const indicators::Definition& d : *defs) ids.push_back(d.id);
  if (Status st = pl::CheckPlanIndicators(options.rules, ids); !st.ok()) {
    std::cerr << "goldthread hub: " << st.message() << "\n";
    return kExitBadInput;
  }
  auto in = OpenAuditInputs("hub", store_path, store_flags);
  if (!in.ok()) return Fail("hub", in.status());
  const Snapshot& snap = *in->snap;
  options.data_end = LastTimelineDay(snap);
  options.data_start = FirstTimelineDay(snap);
  if (options.data_end == kNullDate) {
    std::cerr << "goldthread hub: the store has no dated records to audit\n";
    return kExitBadInput;
  }
  options.year = year_label.empty() ? pl::DefaultHubYear(options.data_end) : year;
  // The scale's "firm plans in place": the store's latest plan (plan load).
  auto plan_targets = pl::LatestPlanHubTargets(*in->store, snap);
  if (!plan_targets.ok()) {
    std::cerr << "goldthread hub: the plan: " << plan_targets.status().message() << "\n";
    return kExitBadInput;
  }
  options.plan_targets = std::move(plan_targets).value();
  auto audit = pl::RunHubAudit(snap, options);
  if (!audit.ok()) {
    std::cerr << "goldthread hub: " << audit.status().message() << "\n";
    return kExitBadInput;
  }
  std::string json = pl::HubAuditToJson(*audit, options.rules);
  if (json_out != "-") PrintAudit(*audit, options.rules, std::cout);
  if (!json_out.empty() && !WriteOutput("hub", json_out, json + "\n", protect)) return kExitBadInput;

  std::string params = nlohmann::json{{"year", audit->year.Label()}, {"rules", rules_path}}.dump();
  if (!SaveAuditRun("hub", *in->store, snap, params, json)) return kExitBadInput;
  return kExitOk;
}

}  // namespace goldthread::cli
