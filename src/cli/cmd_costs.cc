// goldthread costs: unit costs, budget vs spend vs activity and forecasts
// from finance.csv (shared/DESIGN.md section 7, issue 12): prints a line per
// service type with its flags, writes the JSON, and stores the run.

#include <iostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/audit_command.h"
#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "planning/costs_audit.h"
#include "planning/costs_json.h"
#include "planning/hub_format.h"

namespace goldthread::cli {
namespace {

namespace pl = goldthread::planning;

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

std::string Money(const std::optional<double>& v) { return v ? pl::FormatMoney(*v) : "-"; }

std::string Change(const std::optional<double>& v) { return v ? fmt::format("{:+.1f}%", 100.0 * *v) : "-"; }

void Print(const pl::CostsAudit& a, const Snapshot& snap, std::ostream& out) {
  out << "Costs " << a.year.Label() << (a.partial ? " (part year)" : "") << ", finance to "
      << FormatMonth(a.finance_end) << ", the whole council:\n";
  out << Pad("service", 15) << Pad("budget", 14) << Pad("spend", 14) << Pad("vs budget", 11) << Pad("activity", 18)
      << Pad("change", 9) << Pad("unit cost", 12) << Pad("change", 9) << Pad("per person", 12) << "per outcome\n";
  for (const pl::CostLine& c : a.services) {
    out << Pad(c.service_type, 15) << Pad(pl::FormatMoney(c.budget), 14) << Pad(pl::FormatMoney(c.spend), 14)
        << Pad(Change(c.budget_variance), 11) << Pad(pl::FormatCount(std::llround(c.activity)) + " " + c.unit, 18)
        << Pad(Change(c.activity_change), 9) << Pad(Money(c.unit_cost), 12) << Pad(Change(c.unit_cost_change), 9)
        << Pad(Money(c.cost_per_person), 12) << Money(c.cost_per_outcome) << "\n";
  }
  out << "\nFlags:\n";
  int flagged = 0;
  auto flags = [&](const pl::CostLine& c) {
    if (c.evidence.empty()) return;
    ++flagged;
    out << "  " << c.service_type << " (" << (c.org_unit < 0 ? std::string("council") : snap.OrgUnitId(c.org_unit))
        << "): " << c.evidence << "\n";
  };
  for (const pl::CostLine& c : a.services) flags(c);
  for (const pl::CostLine& c : a.units)
    if (!c.flags.empty() && c.flags != std::vector<std::string>{"underspend"} &&
        c.flags != std::vector<std::string>{"overspend"})
      flags(c);
  if (flagged == 0) out << "  none\n";
  out << "\nForecasts (if nothing changes), from " << FormatMonth(a.finance_end) << ":\n";
  for (const pl::CostLine& c : a.services) {
    const pl::CostForecast& f = c.forecast;
    if (!f.available) {
      out << "  " << Pad(c.service_type, 15) << "no forecast: " << f.note << "\n";
      continue;
    }
    out << "  " << Pad(c.service_type, 15) << FinancialYearPeriod(f.current_year).Label() << " outturn "
        << pl::FormatMoney(f.year_to_date_spend + f.rest_spend) << " for "
        << pl::FormatCount(std::llround(f.year_to_date_activity + f.rest_activity)) << " " << c.unit << "; "
        << FinancialYearPeriod(f.current_year + 1).Label() << " " << pl::FormatMoney(f.next_spend) << " for "
        << pl::FormatCount(std::llround(f.next_activity)) << " " << c.unit << "\n";
  }
  for (const std::string& w : a.warnings) out << "warning: " << w << "\n";
}

}  // namespace

int CmdCosts(const Args& args) {
  CLI::App app{"Unit costs per service type from finance.csv: budget vs spend vs activity, the flag for a budget on "
               "target while activity falls, forecasts, cost per person supported and per outcome achieved.",
               "costs"};
  std::string store_path, year_label, json_out;
  double on_target = 5, fall = 5;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--year", year_label, "financial year YYYY-YY (default: the latest with finance for every month)");
  app.add_option("--json", json_out, "write the costs as JSON to FILE ('-' for stdout)");
  app.add_option("--on-target", on_target, "spend within this percentage of budget is on target")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--activity-fall", fall, "activity down by this percentage or more has fallen")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!CheckOutputs("costs", {{"--json", json_out}}, protect)) return kExitUsage;
  int year = 0;
  if (!ParseAuditYear("costs", year_label, year)) return kExitUsage;
  auto in = OpenAuditInputs("costs", store_path, store_flags);
  if (!in.ok()) return Fail("costs", in.status());
  const Snapshot& snap = *in->snap;
  pl::CostsOptions options;
  options.on_target = on_target / 100.0;
  options.activity_fall = fall / 100.0;
  options.year = year_label.empty() ? pl::DefaultCostsYear(snap) : year;
  auto audit = pl::RunCostsAudit(snap, options);
  if (!audit.ok()) {
    std::cerr << "goldthread costs: " << audit.status().message() << "\n";
    return kExitBadInput;
  }
  std::string json = pl::CostsAuditToJson(*audit, snap);
  if (json_out != "-") Print(*audit, snap, std::cout);
  if (!json_out.empty() && !WriteOutput("costs", json_out, json + "\n", protect)) return kExitBadInput;
  std::string params =
      nlohmann::json{{"year", audit->year.Label()}, {"on_target", on_target}, {"activity_fall", fall}}.dump();
  if (!SaveAuditRun("costs", *in->store, snap, params, json)) return kExitBadInput;
  return kExitOk;
}

}  // namespace goldthread::cli
