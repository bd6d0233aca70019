// goldthread compute: every indicator definition over a store's current
// records (shared/DESIGN.md sections 4 and 10, issue 3). Prints the latest
// period's figures for the council and its units, or writes the JSON, and
// stores the run so reports read it without recomputing.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/compute_pipeline.h"
#include "cli/compute_verify.h"
#include "cli/commands.h"
#include "core/background_sink.h"
#include "core/file.h"
#include "core/user.h"
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
  // A plain ratio of two indicators (unit mean) is often near 1: 2 places.
  int dec = d.unit == ind::Unit::kCount ? 0 : d.derived && d.unit == ind::Unit::kMean ? 2 : 1;
  std::string s = Fixed(*f.value, dec) + (d.unit == ind::Unit::kPercent ? "%" : "");
  // "-8.2-8.2" would read as a range from -8.2-8 (a difference's interval
  // crosses 0): "to" between limits once one is negative.
  if (f.ci_low) s += " (" + Fixed(*f.ci_low, dec) + (*f.ci_low < 0 ? " to " : "-") + Fixed(*f.ci_high, dec) + ")";
  if (d.derived) {  // its two components' values
    if (f.denominator)
      s += fmt::format(" from {:.4g} {} {:.4g}", f.numerator, d.derived->op == ind::DerivedOp::kRatio ? "/" : "-",
                       *f.denominator);
  } else if (f.denominator && d.statistic != ind::Statistic::kMean)
    s += " of " + Fixed(*f.denominator, 0);  // a median's numerator (the values' sum) says nothing
  else if (f.denominator && d.unit != ind::Unit::kRatePer100k)
    s += " " + Fixed(f.numerator, d.unit == ind::Unit::kMean || d.unit == ind::Unit::kDays ? 1 : 0) + "/" +
         Fixed(*f.denominator, 0);
  return s;
}

// s in a column n wide, and at least one space after it, so that a long
// value never runs into the next column.
std::string Pad(std::string s, size_t n) {
  s.resize(std::max(n, s.size() + 1), ' ');
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

// An org unit's id and name ("T03 Carrow"), cut to width.
std::string UnitLabel(const Snapshot& snap, int32_t o, size_t width) {
  const TableData& t = snap.table(TableId::kOrgUnits);
  const int32_t name = t.columns[t.Field("name")].i32[o];
  std::string label = snap.OrgUnitId(o);
  if (name >= 0 && snap.Text(name) != label) label += " " + std::string(snap.Text(name));
  if (label.size() > width) label = label.substr(0, width - 3) + "...";
  return label;
}

// The trend: the value in each of the last kTrendPeriods periods, oldest
// first, "p" after a provisional one, "-" where there is no value.
constexpr size_t kTrendPeriods = 6;
std::string Trend(const ind::Definition& d, const ind::IndicatorResult& ir, const ind::IndicatorStats& is,
                  const std::vector<int32_t>& by_period) {
  std::string out;
  const int dec = d.unit == ind::Unit::kCount ? 0 : 1;
  const size_t first = by_period.size() > kTrendPeriods ? by_period.size() - kTrendPeriods : 0;
  for (size_t k = first; k < by_period.size(); ++k) {
    out += out.empty() ? "" : " ";
    const int32_t f = by_period[k];
    if (f < 0 || !ir.figures[f].value) {
      out += "-";
      continue;
    }
    out += Fixed(*ir.figures[f].value, dec) + (is.figures[f].provisional ? "p" : "");
  }
  return out;
}

// The latest period: each indicator, the council and every unit below it
// (id and name), with the latest point's SPC variation, and beneath, the
// trend over the last periods and any funnel outlier. Rows fit in 100
// columns: unit 38, value 30, variation 23.
void PrintTable(const ind::ComputeResult& r, const ind::ResultStats& rs, const Snapshot& snap,
                const ind::SeriesStatsOptions& so, const std::map<std::string, std::string>& unavailable,
                std::ostream& out) {
  const int32_t last = static_cast<int32_t>(r.periods.size()) - 1;
  const size_t n_trend = std::min(kTrendPeriods, r.periods.size());
  out << "period " << r.periods[last].Label() << ": the council and every unit below it\n"
      << "variation, the Making Data Count icon in words (SPC over " << r.periods.size() << " periods from "
      << r.periods.front().Label() << "):\n"
      << "  common cause = no significant change; improvement / concern = special cause variation,\n"
      << "  better / worse, (higher) or (lower); * = trial limits (fewer than " << stats::kTrialLimitPoints
      << " points);\n"
      << "  too few points = fewer than " << so.min_points << " periods with a value, not charted;\n"
      << "  provisional = the data end " << FormatDate(so.data_end)
      << ", before the indicator's follow-up of this period is over\n"
      << "trend: the value in the last " << n_trend << " periods (" << r.periods[r.periods.size() - n_trend].Label()
      << " .. " << r.periods[last].Label() << "), p = provisional, - = no value\n"
      << "outliers: beyond the " << (so.outliers_at_998 ? "99.8%" : "95%")
      << " limits of a funnel plot against the units of the same kind\n";
  for (size_t i = 0; i < r.indicators.size(); ++i) {
    const ind::IndicatorResult& ir = r.indicators[i];
    const ind::IndicatorStats& is = rs.indicators[i];
    const ind::Definition& d = *ir.def;
    const std::string head = d.id + "  " + d.title;
    const std::string statistic =
        d.statistic == ind::Statistic::kMedian       ? "median, "
        : d.statistic == ind::Statistic::kPercentile ? fmt::format("{}th percentile, ", d.percentile)
                                                     : "";
    const std::string derived =
        d.derived ? fmt::format("{} of {} and {}, ", ind::DerivedOpName(d.derived->op), d.derived->of[0],
                                d.derived->of[1])
                  : "";
    // A rate says what it is per when that is not the unit's 100,000.
    const std::string per =
        d.unit == ind::Unit::kRatePer100k && d.rate_per != 100000 ? " " + ind::PerLabel(d.rate_per) : "";
    const std::string tags = "[" + std::string(ind::UnitName(d.unit)) + per + ", " + derived + statistic +
                             (d.polarity == ind::Polarity::kUp ? "higher is better" : "lower is better") + ", v" +
                             std::to_string(d.version) + (d.criteria.empty() ? "]" : ", criteria]");
    out << "\n" << head << (head.size() + 2 + tags.size() <= 100 ? "  " : "\n  ") << tags << "\n";
    if (auto un = unavailable.find(d.id); un != unavailable.end()) {
      out << "  cannot be computed from this store: " << un->second << "\n";
      continue;
    }
    // The series of "all" by org unit, and its figure in each period.
    const size_t n_org = static_cast<size_t>(snap.table(TableId::kOrgUnits).rows);
    std::vector<std::vector<int32_t>> by_period(n_org, std::vector<int32_t>(r.periods.size(), -1));
    std::vector<const ind::SeriesSpc*> series(n_org, nullptr);
    for (size_t f = 0; f < ir.figures.size(); ++f)
      if (ir.figures[f].group == 0) by_period[ir.figures[f].org_unit][ir.figures[f].period] = static_cast<int32_t>(f);
    for (const ind::SeriesSpc& sp : is.spc)
      if (sp.group == 0) series[sp.org_unit] = &sp;
    for (size_t o = 0; o < n_org; ++o) {
      const int32_t now = by_period[o][last];
      if (now < 0 || !series[o]) continue;
      const ind::Figure& f = ir.figures[now];
      const ind::FigureStats& fs = is.figures[now];
      const int depth = snap.org_tree().depth(static_cast<int32_t>(o));
      const size_t indent = static_cast<size_t>(depth) * 2 + 2;
      std::string name = std::string(indent, ' ') + UnitLabel(snap, static_cast<int32_t>(o), 37 - indent);
      std::string row = Pad(name, 38) + Pad(FormatValue(d, f), 30) + VariationWords(d, *series[o], fs);
      out << row << "\n";
      const std::string outlier = OutlierWords(is, fs);
      out << std::string(indent + 2, ' ') << "trend " << Trend(d, ir, is, by_period[o])
          << (outlier.empty() ? "" : "; " + outlier) << "\n";
      if (!d.criteria.empty()) {
        out << std::string(indent + 2, ' ') << "claimed " << f.claimed << "; failing";
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
  ComputeRequest request;
  std::string json_out;
  bool keep_result = false, quiet = false;
  int64_t verify_run = 0;
  AddComputeOptions(app, request);
  app.add_option("--json", json_out, "write the figures as JSON to FILE ('-' for stdout)");
  app.add_flag("--cases", request.cases, "include the person ids behind each figure in the JSON");
  app.add_flag("--quiet", quiet, "print no table (with --json FILE, the table is printed too unless --quiet)");
  app.add_flag("--keep-result", keep_result,
               "keep this run's full JSON in the store (replacing the one kept before); by default a run keeps "
               "its parameters, batches, definition versions and a digest of every figure");
  auto* verify = app.add_option("--verify-run", verify_run,
                                 "recompute stored run N over the batches it read and check that every figure is "
                                 "bit-identical (exit 0 if so, 1 if not)");
  for (const char* other : {"--from", "--to", "--by", "--indicators", "--json", "--cases", "--keep-result"})
    verify->excludes(other);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  const std::string& store_path = request.store_path;
  if (verify_run != 0) return VerifyComputeRun(store_path, verify_run, request.threads, request.store_flags);
  ProtectedFiles protect;
  protect.AddStore(store_path);
  ProtectDirectory(protect, ind::BuiltInDir(), ".toml", "a built-in definition");
  if (!request.extra_dir.empty()) ProtectDirectory(protect, request.extra_dir, ".toml", "a definition file");
  if (!CheckOutputs("compute", {{"--json", json_out}}, protect)) return kExitUsage;

  Computed c;
  if (int rc = RunIndicators("compute", request, c); rc >= 0) return rc;
  const Snapshot& s = *c.snap;
  const ind::ComputeOptions& options = c.options;
  for (const std::string& w : ComputeWarnings(c)) std::cerr << "goldthread compute: warning: " << w << "\n";

  ind::JsonOptions jo;
  jo.cases = request.cases;
  auto previous = c.store->LatestRun("compute");
  if (!previous.ok()) return Fail("compute", previous.status());
  if (previous->has_value()) jo.previous_versions = ind::ParseDefinitionsJson((*previous)->definitions_json);
  // An indicator reading records the store was never given (a CLD-only
  // store has no visits) says so instead of showing zero (docs/cld.md).
  jo.unavailable = c.unavailable;
  // The figures first: recording the run may have to wait for an import.
  // They are streamed to the file (a national run's JSON is 1.4 GB) and
  // digested on the way, so the run records the file's `sha256sum`.
  std::optional<OutputFile> file;
  if (!json_out.empty() && json_out != "-") {
    Result<OutputFile> opened = OutputFile::Open(json_out, protect);
    if (!opened.ok()) {
      std::cerr << "goldthread compute: " << opened.status().message() << "\n";
      return kExitBadInput;
    }
    file.emplace(std::move(*opened));
  }
  const bool to_stdout = json_out == "-";
  Sha256 digest;
  int64_t json_bytes = 0;
  std::string kept;
  // The run's per-indicator digests of the figures, made while the JSON is
  // written (2.5 s of a national run on one thread).
  std::future<std::string> figures_digests =
      std::async(std::launch::async, [&c, &s] { return ind::FiguresDigestsJson(c.result, s); });
  // Digested and written on a thread of its own while the next block is
  // formatted (core/background_sink.h).
  BackgroundSink sink([&](std::string_view block) {
    digest.Update(block);
    json_bytes += static_cast<int64_t>(block.size());
    if (keep_result) kept += block;
    if (file) file->Write(block);
    else if (to_stdout) std::cout << block;
  });
  ind::WriteResultJson(c.result, s, c.stats, jo, [&sink](std::string_view part) { sink.Write(part); });
  sink.Write("\n");
  sink.Finish();
  if (file) {
    if (Status st = file->Commit(); !st.ok()) {
      std::cerr << "goldthread compute: " << st.message() << "\n";
      return kExitBadInput;
    }
  }
  if (json_out != "-") {
    if (!quiet) PrintTable(c.result, c.stats, s, c.stats_options, c.unavailable, std::cout);
    std::cout << "\n" << c.defs.size() << " indicators, " << c.result.periods.size() << " periods ("
              << c.result.periods.front().Label() << " .. " << c.result.periods.back().Label() << "), "
              << s.TotalRows() << " records;\nsnapshot " << c.snapshot_ms << " ms ("
              << (c.snap_info.from_file ? "mapped from " + SnapshotPathFor(request.store_path)
                  : c.snap_info.written ? "built from the store, written to " + SnapshotPathFor(request.store_path)
                                        : std::string("built from the store"))
              << "), compute " << c.compute_ms << " ms, SPC and funnels " << c.stats_ms << " ms" << std::flush;
  }

  RunRecord run;
  run.kind = "compute";
  run.started_at = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  run.run_by = CurrentUser();
  // compute --verify-run reads these back (compute_verify.cc).
  run.params_json = nlohmann::json{{"from", FormatMonth(options.from_month)},
                                   {"to", FormatMonth(options.to_month)},
                                   {"by", std::string(PeriodKindName(options.by))},
                                   {"indicators", request.extra_dir.empty()
                                                      ? ""
                                                      : std::filesystem::absolute(request.extra_dir).string()},
                                   {"cases", request.cases}}
                        .dump();
  run.definitions_json = ind::DefinitionsJson(c.defs);
  run.batch_ids = s.batch_ids();
  run.digests_json = figures_digests.get();
  run.result_sha256 = digest.HexDigest();  // `sha256sum` of the --json file
  run.result_bytes = json_bytes;
  if (keep_result) run.result_json = std::move(kept);
  run.full_result = keep_result;
  auto saved = c.store->SaveRun(run);
  if (json_out != "-") std::cout << (saved.ok() ? "; run " + std::to_string(*saved) + " stored\n" : "\n");
  if (!saved.ok()) {
    std::cerr << "goldthread compute: the figures were written, but the run could not be recorded\n";
    return Fail("compute", saved.status());
  }
  return kExitOk;
}

}  // namespace goldthread::cli
