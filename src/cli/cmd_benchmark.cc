// goldthread benchmark: published ASCOF figures (issue 5). `import` loads
// an NHS Digital open-data CSV for a year into the store, `check` looks for
// implausible jumps and funnel outliers across councils, and `funnel` draws
// one measure's funnel of all councils.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/sha256.h"
#include "indicators/definition.h"
#include "ingest/ascof_csv.h"
#include "integrity/config.h"
#include "integrity/jump.h"
#include "report/svg_funnel.h"
#include "stats/funnel.h"
#include "store/published_store.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

constexpr const char* kTotal = "Total";

int Import(const Args& args) {
  CLI::App app{"Load a published ASCOF CSV (one year, or Oflog's and LG Inform's several) into the store.",
               "benchmark import"};
  std::string store_path, file, year;
  app.add_option("STORE", store_path, "the store: a SQLite file, or a postgresql:// URL")->required();
  app.add_option("FILE", file,
                 "ASCOF CSV: NHS Digital open data, the processed 2018-19/2019-20 layout, Oflog's adult social care "
                 "measures or an LG Inform download")
      ->required();
  app.add_option("--year", year,
                 "the financial year, YYYY-YY (needed for the one-year layouts; for Oflog and LG Inform, one year of "
                 "the file)");
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  if (!year.empty() && !IsFinancialYear(year)) {
    std::cerr << "goldthread benchmark import: --year '" << year
              << "' is not a financial year (expected YYYY-YY, e.g. 2020-21)\n";
    return kExitUsage;
  }
  constexpr const char* kCommand = "benchmark import";
  auto fail = [&](const Status& s) { return Fail(kCommand, s); };
  // Measure codes for descriptions, from earlier open-data imports (none
  // when the store is new).
  std::map<std::string, std::string> codes;
  if (auto existing = OpenPublishedFor(kCommand, store_path, store_flags); existing.ok()) {
    auto known = (*existing)->CodesByDescription();
    if (!known.ok()) return fail(known.status());
    codes = std::move(known).value();
  } else if (existing.status().code() != StatusCode::kNotFound) {
    return fail(existing.status());
  }
  // The whole file is read and checked before anything is stored.
  auto read = ReadAscofCsv(file, year, codes);
  if (!read.ok()) return fail(read.status());
  if (!read->problems.empty()) {
    for (const std::string& p : read->problems) std::cerr << p << "\n";
    if (read->problems_omitted > 0) std::cerr << "... and " << read->problems_omitted << " more problems\n";
    std::cerr << "goldthread benchmark import: " << read->problems.size() + read->problems_omitted
              << " problem(s) in " << file << "; nothing stored\n";
    return kExitBadInput;
  }
  for (const std::string& w : read->warnings) std::cerr << "warning: " << w << "\n";
  // An import creates the store it is given, as `goldthread import` does
  // (shared/DESIGN.md section 10); the case-record schema comes with it.
  if (auto created = OpenStoreFor(kCommand, store_path, OpenMode::kCreateIfMissing, store_flags);
      !created.ok())
    return fail(created.status());
  auto store = OpenPublishedFor(kCommand, store_path, store_flags);
  if (!store.ok()) return fail(store.status());
  if (Status s = (*store)->Replace(read->rows, std::filesystem::path(file).filename().string()); !s.ok())
    return fail(s);
  std::set<std::string> years;
  for (const PublishedRow& r : read->rows) years.insert(r.year);
  const std::string for_years = years.size() == 1 ? *years.begin()
                                : years.empty()   ? year
                                                  : *years.begin() + " to " + *years.rbegin();
  std::cout << "imported " << read->rows.size() << " council values for " << for_years << " (" << read->layout
            << " layout, " << read->rows_read << " rows read, " << read->missing << " missing";
  if (read->ambiguous > 0) std::cout << ", " << read->ambiguous << " left out as ambiguous";
  std::cout << ")\n";
  return kExitOk;
}

// What the published outcome is of numerator/denominator: 1 (a
// proportion), 100 (a percentage) or 100,000 (a rate per 100,000): the
// median of outcome / (numerator / denominator) over the councils that
// publish all three; 1 when none do.
double PublishedScale(const std::vector<const PublishedValue*>& list) {
  std::vector<double> ratios;
  for (const auto* v : list)
    if (std::isfinite(v->outcome) && v->numerator > 0) ratios.push_back(v->outcome / (v->numerator / v->denominator));
  if (ratios.empty()) return 1.0;
  std::nth_element(ratios.begin(), ratios.begin() + ratios.size() / 2, ratios.end());
  return ratios[ratios.size() / 2];
}

std::vector<integrity::Finding> FunnelOutliers(const std::vector<PublishedValue>& values) {
  std::vector<integrity::Finding> out;
  std::map<std::pair<std::string, std::string>, std::vector<const PublishedValue*>> groups;
  for (const auto& v : values)
    if (v.disaggregation == kTotal && std::isfinite(v.numerator) && std::isfinite(v.denominator) &&
        v.denominator > 0 && v.numerator <= v.denominator)
      groups[{v.measure, v.year}].push_back(&v);
  for (auto& [key, list] : groups) {
    if (list.size() < 10) continue;
    std::vector<double> num, den;
    for (auto* v : list) num.push_back(v->numerator), den.push_back(v->denominator);
    // A rate per 100,000 (2A1, 2A2: admissions against the population) is
    // compared as indirectly standardised ratios O/E on exact Poisson
    // limits, E = population x the councils' pooled rate; a proportion as
    // a proportion (shared/STATISTICS.md section 3).
    // The published outcome's multiplier, to the nearest power of ten: 1
    // or 100 for a proportion, 1,000, 100,000, ... for a rate, which is
    // worded in it ("per 1,000"), not as if every rate were per 100,000.
    const double scale = PublishedScale(list);
    const double per =
        scale > 0 && std::isfinite(scale) ? std::pow(10.0, std::round(std::log10(scale))) : 1.0;
    const bool rate = per >= 1000.0;
    double pooled = 0.0;
    if (rate) {
      double sum_o = 0.0, sum_n = 0.0;
      for (size_t i = 0; i < num.size(); ++i) sum_o += num[i], sum_n += den[i];
      if (!(sum_o > 0.0)) continue;
      pooled = sum_o / sum_n;
      for (double& e : den) e *= pooled;
    }
    stats::FunnelOptions options;
    options.type = rate ? stats::FunnelType::kRatio : stats::FunnelType::kProportion;
    auto funnel = stats::FunnelPlot(num, den, options);
    if (!funnel.ok()) continue;
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& u = funnel->units[i];
      if (!u.outlier || *u.outlier == stats::Outlier::kNone) continue;
      integrity::Finding f;
      f.check = std::string(integrity::kFunnelOutlier);
      f.indicators = {key.first};
      f.org_unit = list[i]->ons_code;
      f.period = key.second;
      f.severity = integrity::Severity::kLow;
      bool high = *u.outlier == stats::Outlier::kHigh;
      if (rate) {
        f.summary = fmt::format(
            "{}'s {} of {:.1f} {} lies {} the 99.8% limits of all councils (overall {:.1f}).",
            list[i]->council, key.first, per * num[i] / list[i]->denominator, indicators::PerLabel(per),
            high ? "above" : "below", per * pooled * funnel->model.target);
      } else {
        f.summary =
            fmt::format("{}'s {} of {:.1f}% lies {} the 99.8% limits of all councils (overall {:.1f}%).",
                        list[i]->council, key.first, 100 * num[i] / den[i], high ? "above" : "below",
                        100 * funnel->model.target);
      }
      f.statistic = "funnel_z";
      f.value = u.z.value_or(NAN);
      f.threshold = "outside the 99.8% funnel limits, adjusted for overdispersion (tau2)";
      f.looked_at = "published numerator and denominator of every council for the measure and year";
      f.innocent_if = "the council's population or recording differs in a way the measure does not adjust for.";
      f.evidence.records = static_cast<int64_t>(den[i]);
      f.evidence.figures = {{"numerator", num[i]}, {"denominator", list[i]->denominator},
                            {rate ? "pooled_rate_per_100k" : "target", rate ? 100000 * pooled : funnel->model.target},
                            {"tau2", funnel->model.tau2}};
      if (rate) f.evidence.figures.push_back({"per", per});
      out.push_back(std::move(f));
    }
  }
  return out;
}

int Check(const Args& args) {
  CLI::App app{"Implausible jumps and funnel outliers in the published series.", "benchmark check"};
  std::string store_path, json_out, config_path;
  app.add_option("STORE", store_path, "the store: a SQLite file, or a postgresql:// URL")->required();
  app.add_option("--json", json_out, "write the findings as JSON to FILE ('-' for stdout)");
  app.add_option("--config", config_path, "checks.toml ([implausible_jump] thresholds)");
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!config_path.empty()) protect.Add(config_path, "the configuration");
  if (!CheckOutputs("benchmark check", {{"--json", json_out}}, protect)) return kExitUsage;
  integrity::CheckConfig config;
  if (!config_path.empty()) {
    auto c = integrity::LoadCheckConfig(config_path);
    if (!c.ok()) {
      std::cerr << "goldthread benchmark check: " << c.status().message() << "\n";
      return kExitBadInput;
    }
    config = *c;
  }
  auto published = OpenPublishedFor("benchmark check", store_path, store_flags);
  if (!published.ok()) return Fail("benchmark check", published.status());
  auto values = (*published)->Values();
  if (!values.ok()) return Fail("benchmark check", values.status());
  // One series table per measure (Total), councils x years.
  std::map<std::string, std::map<std::string, std::map<std::string, double>>> by_measure;
  std::map<std::string, std::vector<const PublishedValue*>> with_cases;  // measure -> values
  std::map<std::string, std::string> council_names;
  std::set<std::string> years;
  for (const auto& v : *values) {
    if (v.disaggregation != kTotal || !std::isfinite(v.outcome)) continue;
    by_measure[v.measure][v.ons_code][v.year] = v.outcome;
    council_names[v.ons_code] = v.council;
    if (std::isfinite(v.numerator) && v.denominator > 0) with_cases[v.measure].push_back(&v);
    years.insert(v.year);
  }
  std::vector<integrity::Finding> findings;
  for (auto& [measure, councils] : by_measure) {
    integrity::SeriesTable t;
    t.indicator = measure;
    // A percentage when the published outcome is 100 x numerator /
    // denominator (changes then read in points: "47%", "-53 points").
    t.percent = std::fabs(PublishedScale(with_cases[measure]) - 100.0) < 1.0;
    for (const auto& [ons, by_year] : councils)
      for (const auto& [y, v] : by_year)
        if (std::find(t.periods.begin(), t.periods.end(), y) == t.periods.end()) t.periods.push_back(y);
    std::sort(t.periods.begin(), t.periods.end());
    if (t.periods.size() < 2) continue;
    for (const auto& [ons, by_year] : councils) {
      t.units.push_back(ons);
      t.unit_names.push_back(council_names[ons]);
      std::vector<double> row;
      for (const auto& y : t.periods) row.push_back(by_year.count(y) ? by_year.at(y) : NAN);
      t.values.push_back(row);
    }
    for (auto& f : integrity::CheckImplausibleJumps(t, config.implausible_jump)) findings.push_back(std::move(f));
  }
  for (auto& f : FunnelOutliers(*values)) findings.push_back(std::move(f));
  integrity::RankFindings(findings);
  std::string json = integrity::FindingsToJson(findings);
  if (json_out != "-") {
    std::cout << integrity::FindingsToText(findings);
    std::cout << findings.size() << " findings over " << by_measure.size() << " measures and " << years.size()
              << " years\n";
  }
  if (!json_out.empty() && !WriteOutput("benchmark check", json_out, json + "\n", protect)) return kExitBadInput;
  published->reset();  // release the SQLite handle before the store opens it
  auto store = OpenStoreFor("benchmark check", store_path, OpenMode::kMustExist, store_flags);
  Status saved = store.status();
  if (store.ok()) {
    RunRecord run;
    run.kind = "benchmark_check";
    run.started_at = static_cast<Timestamp>(std::time(nullptr));
    run.params_json = nlohmann::json{{"config", config_path}}.dump();
    run.result_sha256 = Sha256Of(json + "\n");  // `sha256sum` of the --json file
    run.result_bytes = static_cast<int64_t>(json.size() + 1);
    saved = (*store)->SaveRun(run).status();
  }
  if (!saved.ok()) {
    std::cerr << "goldthread benchmark check: the findings were written, but the run could not be recorded\n";
    return Fail("benchmark check", saved);
  }
  return kExitOk;
}

int Funnel(const Args& args) {
  CLI::App app{"Funnel plot of all councils for one published measure and year.", "benchmark funnel"};
  std::string store_path, measure, year, svg_out;
  app.add_option("STORE", store_path, "the store: a SQLite file, or a postgresql:// URL")->required();
  app.add_option("MEASURE", measure, "ASCOF measure group code, e.g. 2B1")->required();
  app.add_option("YEAR", year, "financial year, e.g. 2020-21")->required();
  app.add_option("--svg", svg_out, "write the funnel as SVG to OUT")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!CheckOutputs("benchmark funnel", {{"--svg", svg_out}}, protect)) return kExitUsage;
  auto published = OpenPublishedFor("benchmark funnel", store_path, store_flags);
  if (!published.ok()) return Fail("benchmark funnel", published.status());
  auto values = (*published)->Values();
  if (!values.ok()) return Fail("benchmark funnel", values.status());
  std::vector<std::string> names;
  std::vector<double> num, den;
  for (const auto& v : *values)
    if (v.measure == measure && v.year == year && v.disaggregation == kTotal && std::isfinite(v.numerator) &&
        std::isfinite(v.denominator) && v.denominator > 0 && v.numerator <= v.denominator) {
      names.push_back(v.ons_code);
      num.push_back(v.numerator);
      den.push_back(v.denominator);
    }
  if (names.empty()) {
    std::cerr << "goldthread benchmark funnel: no councils with a numerator and denominator for " << measure << " in "
              << year << "\n";
    return kExitBadInput;
  }
  auto funnel = stats::FunnelPlot(num, den, stats::FunnelOptions{});
  if (!funnel.ok()) {
    std::cerr << "goldthread benchmark funnel: " << funnel.status().message() << "\n";
    return kExitBadInput;
  }
  report::FunnelSvgOptions options;
  options.title = "ASCOF " + measure + " " + year + ": all councils";
  if (!WriteOutput("benchmark funnel", svg_out, report::RenderFunnelSvg(names, *funnel, options), protect))
    return kExitBadInput;
  int outliers = 0;
  for (const auto& u : funnel->units) outliers += u.outlier && *u.outlier != stats::Outlier::kNone;
  std::cout << names.size() << " councils, " << outliers << " outside the 99.8% limits; wrote " << svg_out << "\n";
  return kExitOk;
}

}  // namespace

int CmdBenchmark(const Args& args) {
  if (args.empty() || (args[0] != "import" && args[0] != "check" && args[0] != "funnel")) {
    std::cerr << "usage: goldthread benchmark import|check|funnel ...\n";
    return kExitUsage;
  }
  Args rest(args.begin() + 1, args.end());
  if (args[0] == "import") return Import(rest);
  if (args[0] == "check") return Check(rest);
  return Funnel(rest);
}

}  // namespace goldthread::cli
