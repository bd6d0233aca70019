#include "cli/compute_pipeline.h"

#include <chrono>
#include <iostream>

#include "cli/cli_util.h"
#include "core/period.h"
#include "indicators/availability.h"
#include "indicators/lint.h"
#include "model/data_end.h"
#include "store/supplied_tables.h"

namespace goldthread::cli {

namespace ind = goldthread::indicators;

void AddComputeOptions(CLI::App& app, ComputeRequest& r) {
  app.add_option("STORE", r.store_path, "the store: a SQLite file, or a postgresql:// URL")->required();
  app.add_option("--from", r.from, "first month YYYY-MM (default: 35 months before --to)");
  app.add_option("--to", r.to, "last month YYYY-MM (default: the last month in the data)");
  app.add_option("--by", r.by, "month | quarter | year (financial quarters and years)");
  app.add_option("--indicators", r.extra_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--threads", r.threads, "worker threads (default: every core)");
  AddStoreFlags(app, r.store_flags);
}

int RunIndicators(std::string_view command, const ComputeRequest& request, Computed& out) {
  const std::string cmd(command);
  ind::ComputeOptions& options = out.options;
  options.keep_cases = request.cases;
  options.threads = request.threads;
  if (!TryParsePeriodKind(request.by, options.by) || options.by == PeriodKind::kRolling12) {
    std::cerr << "goldthread " << cmd << ": --by '" << request.by << "' is not month, quarter or year\n";
    return kExitUsage;
  }
  if (!request.from.empty() && !TryParseMonth(request.from, options.from_month)) {
    std::cerr << "goldthread " << cmd << ": --from '" << request.from << "' is not a month (expected YYYY-MM)\n";
    return kExitUsage;
  }
  if (!request.to.empty() && !TryParseMonth(request.to, options.to_month)) {
    std::cerr << "goldthread " << cmd << ": --to '" << request.to << "' is not a month (expected YYYY-MM)\n";
    return kExitUsage;
  }
  if (!CheckWindow(command, options.from_month, options.to_month)) return kExitUsage;

  auto defs = ind::LoadBuiltInAndLocal(request.extra_dir);
  if (!defs.ok()) {
    std::cerr << "goldthread " << cmd << ": " << defs.status().message() << "\n";
    return kExitBadInput;
  }
  out.defs = std::move(defs).value();

  auto store = OpenStoreFor(command, request.store_path, OpenMode::kMustExist, request.store_flags);
  if (!store.ok()) return Fail(command, store.status());
  out.store = std::move(store).value();
  const auto t0 = std::chrono::steady_clock::now();
  auto snap = LoadSnapshot(*out.store, std::nullopt, {}, &out.snap_info);
  if (!snap.ok()) return Fail(command, snap.status());
  out.snap = std::move(snap).value();
  const Snapshot& s = *out.snap;
  // The latest event by the latest import (model/data_end.h): one record
  // dated 9999 must not move the window to an empty future.
  const Date data_end = LastTimelineDay(s);
  if (options.to_month == kNullDate) options.to_month = FirstOfMonth(data_end);
  if (options.to_month == kNullDate) {
    std::cerr << "goldthread " << cmd << ": the store has no dated records; give --to\n";
    return kExitBadInput;
  }
  if (options.from_month == kNullDate) options.from_month = AddMonths(options.to_month, -35);
  if (!CheckWindow(command, options.from_month, options.to_month)) return kExitUsage;
  auto supplied = SuppliedTables(*out.store);
  if (!supplied.ok()) return Fail(command, supplied.status());
  out.unavailable = ind::UnavailableDefinitions(out.defs, *supplied);
  const auto t1 = std::chrono::steady_clock::now();
  auto result = ind::Compute(s, out.defs, options);
  if (!result.ok()) {
    std::cerr << "goldthread " << cmd << ": " << result.status().message() << "\n";
    return kExitBadInput;
  }
  out.result = std::move(result).value();
  const auto t2 = std::chrono::steady_clock::now();
  out.stats_options.data_end = data_end;
  out.stats_options.threads = request.threads;
  auto series_stats = ind::ComputeSeriesStats(out.result, s, out.stats_options);
  if (!series_stats.ok()) {
    std::cerr << "goldthread " << cmd << ": " << series_stats.status().message() << "\n";
    return kExitBadInput;
  }
  out.stats = std::move(series_stats).value();
  const auto t3 = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count(); };
  out.snapshot_ms = ms(t0, t1), out.compute_ms = ms(t1, t2), out.stats_ms = ms(t2, t3);
  return -1;
}

std::vector<std::string> ComputeWarnings(const Computed& c) {
  return ind::NegationWarnings(c.result, *c.snap);
}

}  // namespace goldthread::cli
