// goldthread compute: every indicator definition over a store's current
// records (shared/DESIGN.md sections 4 and 10, issue 3). Prints the latest
// period's figures for the council and its units, or writes the JSON, and
// stores the run so reports read it without recomputing.

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/compute_verify.h"
#include "cli/commands.h"
#include "core/period.h"
#include "core/sha256.h"
#include "indicators/availability.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/figures_digest.h"
#include "indicators/result_json.h"
#include "indicators/series_stats.h"
#include "model/data_end.h"
#include "model/snapshot.h"
#include "stats/funnel.h"
#include "stats/spc.h"
#include "store/snapshot_loader.h"
#include "store/supplied_tables.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

namespace ind = goldthread::indicators;

std::string Fixed(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

std::string FormatValue(const ind::Definition& d, const ind::Figure& f) {
  if (!f.value) return "-";
  int dec = d.unit == ind::Unit::kCount ? 0 : 1;
  std::string s = Fixed(*f.value, dec) + (d.unit == ind::Unit::kPercent ? "%" : "");
  if (f.ci_low) s += " (" + Fixed(*f.ci_low, dec) + "-" + Fixed(*f.ci_high, dec) + ")";
  if (f.denominator && d.unit != ind::Unit::kRatePer100k)
    s += " " + Fixed(f.numerator, d.unit == ind::Unit::kMean || d.unit == ind::Unit::kDays ? 1 : 0) + "/" +
         Fixed(*f.denominator, 0);
  return s;
}

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

// The Making Data Count variation icon of a point in words
// (shared/STATISTICS.md section 2): special cause in the better or worse
// direction, and which way the value went; or common cause only.
std::string VariationWords(const ind::Definition& d, const ind::SeriesSpc& series, const ind::FigureStats& fs) {
  if (fs.provisional) return "provisional";
  if (series.chart == ind::SpcChart::kNone) return "too few points";
  if (!fs.point_type) return "-";
  const bool up = d.polarity == ind::Polarity::kUp;
  std::string w;
  switch (*fs.point_type) {
    case stats::PointType::kCommonCause: w = "common cause"; break;
    case stats::PointType::kImprovement: w = up ? "improvement (higher)" : "improvement (lower)"; break;
    case stats::PointType::kConcern: w = up ? "concern (lower)" : "concern (higher)"; break;
    case stats::PointType::kNeutralHigh: w = "neutral (higher)"; break;
    case stats::PointType::kNeutralLow: w = "neutral (lower)"; break;
  }
  return series.trial_limits ? w + "*" : w;
}

// "high outlier among teams", or empty.
std::string OutlierWords(const ind::IndicatorStats& is, const ind::FigureStats& fs) {
  if (fs.funnel < 0 || !fs.outlier || *fs.outlier == stats::Outlier::kNone) return "";
  return std::string(*fs.outlier == stats::Outlier::kHigh ? "high" : "low") + " outlier among " +
         is.funnels[fs.funnel].level + "s";
}

// The latest period: each indicator, the council and every unit below it,
// with the latest point's SPC variation and any funnel outlier. Rows fit in
// 100 columns: unit 16, value 30, variation 23, outlier up to 28.
void PrintTable(const ind::ComputeResult& r, const ind::ResultStats& rs, const Snapshot& snap,
                const ind::SeriesStatsOptions& so, const std::map<std::string, std::string>& unavailable,
                std::ostream& out) {
  const int32_t last = static_cast<int32_t>(r.periods.size()) - 1;
  out << "period " << r.periods[last].Label() << ": the council and every unit below it\n"
      << "variation, the Making Data Count icon in words (SPC over " << r.periods.size() << " periods from "
      << r.periods.front().Label() << "):\n"
      << "  common cause = no significant change; improvement / concern = special cause variation,\n"
      << "  better / worse, (higher) or (lower); * = trial limits (fewer than " << stats::kTrialLimitPoints
      << " points);\n"
      << "  too few points = fewer than " << so.min_points << " periods with a value, not charted;\n"
      << "  provisional = the data end " << FormatDate(so.data_end)
      << ", before the indicator's follow-up of this period is over\n"
      << "outliers: beyond the " << (so.outliers_at_998 ? "99.8%" : "95%")
      << " limits of a funnel plot against the units of the same kind\n";
  for (size_t i = 0; i < r.indicators.size(); ++i) {
    const ind::IndicatorResult& ir = r.indicators[i];
    const ind::IndicatorStats& is = rs.indicators[i];
    const ind::Definition& d = *ir.def;
    const std::string head = d.id + "  " + d.title;
    const std::string tags = "[" + std::string(ind::UnitName(d.unit)) + ", " +
                             (d.polarity == ind::Polarity::kUp ? "higher is better" : "lower is better") + ", v" +
                             std::to_string(d.version) + (d.criteria.empty() ? "]" : ", criteria]");
    out << "\n" << head << (head.size() + 2 + tags.size() <= 100 ? "  " : "\n  ") << tags << "\n";
    if (auto un = unavailable.find(d.id); un != unavailable.end()) {
      out << "  cannot be computed from this store: " << un->second << "\n";
      continue;
    }
    // The series of "all" by org unit, and its figure in the latest period.
    const size_t n_org = static_cast<size_t>(snap.table(TableId::kOrgUnits).rows);
    std::vector<int32_t> now(n_org, -1);
    std::vector<const ind::SeriesSpc*> series(n_org, nullptr);
    for (size_t f = 0; f < ir.figures.size(); ++f)
      if (ir.figures[f].group == 0 && ir.figures[f].period == last) now[ir.figures[f].org_unit] = static_cast<int32_t>(f);
    for (const ind::SeriesSpc& s : is.spc)
      if (s.group == 0) series[s.org_unit] = &s;
    for (size_t o = 0; o < n_org; ++o) {
      if (now[o] < 0 || !series[o]) continue;
      const ind::Figure& f = ir.figures[now[o]];
      const ind::FigureStats& fs = is.figures[now[o]];
      const int depth = snap.org_tree().depth(static_cast<int32_t>(o));
      std::string name = std::string(depth * 2 + 2, ' ') + snap.OrgUnitId(static_cast<int32_t>(o));
      std::string row = Pad(name, 16) + Pad(FormatValue(d, f), 30) + Pad(VariationWords(d, *series[o], fs), 23) +
                        OutlierWords(is, fs);
      while (!row.empty() && row.back() == ' ') row.pop_back();
      out << row << "\n";
      if (!d.criteria.empty()) {
        out << std::string(16, ' ') << "claimed " << f.claimed << "; failing";
        for (size_t c = 0; c < d.criteria.size(); ++c) out << (c ? ", " : " ") << d.criteria[c] << " " << f.failing[c];
        out << "\n";
      }
    }
    if (!is.funnel_note.empty()) out << "  (" << is.funnel_note << ")\n";
  }
}

}  // namespace

int CmdCompute(const Args& args) {
  CLI::App app{"Compute every indicator over a store's current records.", "compute"};
  std::string store_path, from, to, by = "month", json_out, extra_dir;
  bool cases = false, keep_result = false;
  int threads = 0;
  int64_t verify_run = 0;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  app.add_option("--from", from, "first month YYYY-MM (default: 35 months before --to)");
  app.add_option("--to", to, "last month YYYY-MM (default: the last month in the data)");
  app.add_option("--by", by, "month | quarter | year (financial quarters and years)");
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--json", json_out, "write the figures as JSON to FILE ('-' for stdout)");
  app.add_flag("--cases", cases, "include the person ids behind each figure in the JSON");
  app.add_option("--threads", threads, "worker threads (default: every core)");
  app.add_flag("--keep-result", keep_result,
               "keep this run's full JSON in the store (replacing the one kept before); by default a run keeps "
               "its parameters, batches, definition versions and a digest of every figure");
  auto* verify = app.add_option("--verify-run", verify_run,
                                 "recompute stored run N over the batches it read and check that every figure is "
                                 "bit-identical (exit 0 if so, 1 if not)");
  for (const char* other : {"--from", "--to", "--by", "--indicators", "--json", "--cases", "--keep-result"})
    verify->excludes(other);
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  if (verify_run != 0) return VerifyComputeRun(store_path, verify_run, threads, store_flags);
  ProtectedFiles protect;
  protect.AddStore(store_path);
  ProtectDirectory(protect, ind::BuiltInDir(), ".toml", "a built-in definition");
  if (!extra_dir.empty()) ProtectDirectory(protect, extra_dir, ".toml", "a definition file");
  if (!CheckOutputs("compute", {{"--json", json_out}}, protect)) return kExitUsage;

  ind::ComputeOptions options;
  options.keep_cases = cases;
  options.threads = threads;
  if (!TryParsePeriodKind(by, options.by) || options.by == PeriodKind::kRolling12) {
    std::cerr << "goldthread compute: --by '" << by << "' is not month, quarter or year\n";
    return kExitUsage;
  }
  if (!from.empty() && !TryParseMonth(from, options.from_month)) {
    std::cerr << "goldthread compute: --from '" << from << "' is not a month (expected YYYY-MM)\n";
    return kExitUsage;
  }
  if (!to.empty() && !TryParseMonth(to, options.to_month)) {
    std::cerr << "goldthread compute: --to '" << to << "' is not a month (expected YYYY-MM)\n";
    return kExitUsage;
  }

  if (!CheckWindow("compute", options.from_month, options.to_month)) return kExitUsage;

  auto defs = ind::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) {
    std::cerr << "goldthread compute: " << defs.status().message() << "\n";
    return kExitBadInput;
  }

  auto store = OpenStoreFor("compute", store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return Fail("compute", store.status());
  auto t0 = std::chrono::steady_clock::now();
  auto snap = LoadSnapshot(**store);
  if (!snap.ok()) return Fail("compute", snap.status());
  const Snapshot& s = **snap;
  // The latest event by the latest import (model/data_end.h): one record
  // dated 9999 must not move the window to an empty future.
  const Date data_end = LastTimelineDay(s);
  if (options.to_month == kNullDate) options.to_month = FirstOfMonth(data_end);
  if (options.to_month == kNullDate) {
    std::cerr << "goldthread compute: the store has no dated records; give --to\n";
    return kExitBadInput;
  }
  if (options.from_month == kNullDate) options.from_month = AddMonths(options.to_month, -35);
  if (!CheckWindow("compute", options.from_month, options.to_month)) return kExitUsage;
  auto t1 = std::chrono::steady_clock::now();
  auto result = ind::Compute(s, *defs, options);
  if (!result.ok()) {
    std::cerr << "goldthread compute: " << result.status().message() << "\n";
    return kExitBadInput;
  }
  auto t2 = std::chrono::steady_clock::now();
  ind::SeriesStatsOptions stats_options;
  stats_options.data_end = data_end;
  auto series_stats = ind::ComputeSeriesStats(*result, s, stats_options);
  if (!series_stats.ok()) {
    std::cerr << "goldthread compute: " << series_stats.status().message() << "\n";
    return kExitBadInput;
  }
  auto t3 = std::chrono::steady_clock::now();

  ind::JsonOptions jo;
  jo.cases = cases;
  auto previous = (*store)->LatestRun("compute");
  if (!previous.ok()) return Fail("compute", previous.status());
  if (previous->has_value()) jo.previous_versions = ind::ParseDefinitionsJson((*previous)->definitions_json);
  // An indicator reading records the store was never given (a CLD-only
  // store has no visits) says so instead of showing zero (docs/cld.md).
  auto supplied = SuppliedTables(**store);
  if (!supplied.ok()) return Fail("compute", supplied.status());
  for (const ind::Definition& d : *defs)
    if (std::string why = ind::UnavailableReason(ind::UnsuppliedTables(d, *supplied)); !why.empty())
      jo.unavailable[d.id] = why;
  const std::string json = ind::ResultToJson(*result, s, *series_stats, jo) + "\n";

  // The figures first: recording the run may have to wait for an import.
  if (!json_out.empty() && !WriteOutput("compute", json_out, json, protect)) return kExitBadInput;
  auto ms = [](auto a, auto b) { return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count(); };
  if (json_out != "-") {
    if (json_out.empty()) PrintTable(*result, *series_stats, s, stats_options, jo.unavailable, std::cout);
    std::cout << "\n" << defs->size() << " indicators, " << result->periods.size() << " periods ("
              << result->periods.front().Label() << " .. " << result->periods.back().Label() << "), "
              << s.TotalRows() << " records;\nsnapshot " << ms(t0, t1) << " ms, compute " << ms(t1, t2)
              << " ms, SPC and funnels " << ms(t2, t3) << " ms" << std::flush;
  }

  RunRecord run;
  run.kind = "compute";
  run.started_at = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const char* user = std::getenv("USER");
  run.run_by = user ? user : "";
  // compute --verify-run reads these back (compute_verify.cc).
  run.params_json = nlohmann::json{{"from", FormatMonth(options.from_month)},
                                   {"to", FormatMonth(options.to_month)},
                                   {"by", std::string(PeriodKindName(options.by))},
                                   {"indicators", extra_dir.empty() ? "" : std::filesystem::absolute(extra_dir).string()},
                                   {"cases", cases}}
                        .dump();
  run.definitions_json = ind::DefinitionsJson(*defs);
  run.batch_ids = s.batch_ids();
  run.digests_json = ind::FiguresDigestsJson(*result, s);
  run.result_sha256 = Sha256Of(json);  // `sha256sum` of the --json file
  run.result_bytes = static_cast<int64_t>(json.size());
  if (keep_result) run.result_json = json;
  run.full_result = keep_result;
  auto saved = (*store)->SaveRun(run);
  if (json_out != "-") std::cout << (saved.ok() ? "; run " + std::to_string(*saved) + " stored\n" : "\n");
  if (!saved.ok()) {
    std::cerr << "goldthread compute: the figures were written, but the run could not be recorded\n";
    return Fail("compute", saved.status());
  }
  return kExitOk;
}

}  // namespace goldthread::cli
