// goldthread simulate: writes a synthetic council's canonical CSV files.

#include <chrono>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/simulate_cld.h"
#include "sim/simulator.h"

namespace goldthread::cli {

int CmdSimulate(const Args& args) {
  CLI::App app{
      "Write a synthetic council's case records (every canonical CSV file) and scenarios.json.\n"
      "The window ends, by default, with the last complete financial-year quarter before today.",
      "simulate"};
  int64_t people = 5000;
  int months = 36;
  uint64_t seed = 1;
  int councils = 0;
  std::string start, out;
  std::vector<std::string> scenarios;
  app.add_option("--people", people, "people (service users and carers) to simulate")->capture_default_str();
  app.add_option("--months", months, "length of the window in months")->capture_default_str();
  app.add_option("--seed", seed, "random seed: the same seed gives byte-identical files")->capture_default_str();
  app.add_option("--start", start, "first month of the window, YYYY-MM");
  app.add_option("--scenario", scenarios,
                 "plant a gaming pattern, NAME[:TEAM]: letters, bunching, late_registration, "
                 "clock_reset, backdating (repeatable)");
  app.add_option("--councils", councils,
                 "a national set of N councils under a national root, in 9 regions, sharing --people; each "
                 "with its own size, performance and planted patterns (--scenario then names teams in full, "
                 "e.g. letters:C003-T05)");
  app.add_option("--out", out, "output directory")->required();
  std::string format = "canonical";
  app.add_option("--format", format, "canonical (every canonical CSV file) or cld (a CLD return, cld.csv)")
      ->check(CLI::IsMember({"canonical", "cld"}))
      ->capture_default_str();
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;

  sim::SimOptions options;
  options.people = people;
  options.months = months;
  options.seed = seed;
  options.councils = councils;
  if (!start.empty()) {
    if (!TryParseMonth(start, options.start)) {
      std::cerr << "goldthread simulate: --start '" << start << "' is not a month (expected YYYY-MM)\n";
      return kExitUsage;
    }
  } else {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    Date today = DateFromCivil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
    options.start = sim::DefaultStart(today, months > 0 ? months : 1);
  }
  for (const std::string& s : scenarios) {
    sim::ScenarioRequest r;
    std::string problem;
    if (!sim::TryParseScenario(s, r, problem)) {
      std::cerr << "goldthread simulate: " << problem << "\n";
      return kExitUsage;
    }
    options.scenarios.push_back(r);
  }

  if (format == "cld") return SimulateCld(options, out);
  auto t0 = std::chrono::steady_clock::now();
  Result<sim::SimSummary> result = sim::Simulate(options, out);
  if (!result.ok()) {
    std::cerr << "goldthread simulate: " << result.status().message() << "\n";
    return result.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const sim::SimSummary& s = *result;
  std::cout << "simulated " << people << " people, ";
  if (s.councils > 0) std::cout << s.councils << " councils, ";
  std::cout << s.teams << " teams, " << FormatMonth(s.start)
            << " to " << FormatMonth(s.end) << " into " << out << "\n";
  for (const TableSpec& t : AllTables())
    std::cout << "  " << t.FileName() << ": " << s.rows[static_cast<int>(t.id)] << " rows\n";
  for (const sim::PlantedScenario& p : s.planted)
    std::cout << "  planted " << sim::ScenarioName(p.kind) << " in " << p.team << " (" << FormatDate(p.from)
              << " to " << FormatDate(p.to) << "): " << p.records << " records\n";
  std::cout << s.total_rows << " rows, " << s.total_bytes / (1 << 20) << " MiB in " << secs << " s ("
            << static_cast<int64_t>(s.total_rows / (secs > 0 ? secs : 1)) << " rows/s)\n";
  return kExitOk;
}

}  // namespace goldthread::cli
