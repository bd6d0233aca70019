// goldthread spc: a Making Data Count SPC chart of any series
// (shared/DESIGN.md section 10, issue 4).

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "report/svg_spc.h"
#include "stats/series_csv.h"
#include "stats/spc.h"

namespace goldthread::cli {
namespace {

nlohmann::json Nullable(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// x as a JSON number when every x in the file is a number, else a string.
bool AllNumeric(const std::vector<std::string>& xs) {
  for (const std::string& x : xs) {
    std::istringstream in(x);
    double v;
    if (!(in >> v) || !in.eof()) return false;
  }
  return true;
}

std::string Cell(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return "-";
  std::ostringstream s;
  s << std::setprecision(6) << *v;
  return s.str();
}

}  // namespace

int CmdSpc(const Args& args) {
  CLI::App app{"SPC chart of a series in the Making Data Count style: XmR for FILE with columns x,y, "
               "p-chart for x,numerator,denominator.",
               "spc"};
  std::string file, polarity_name = "up", two_in_three = "reference", json_out, svg_out;
  std::optional<double> target;
  size_t baseline = 0;
  std::vector<std::string> rebase_at;
  int run_length = 7;
  bool no_screen = false;
  app.add_option("FILE", file, "CSV file: x,y or x,numerator,denominator")->required();
  app.add_option("--polarity", polarity_name, "which direction is better (default up)")
      ->check(CLI::IsMember({"up", "down", "neutral"}));
  app.add_option("--target", target, "target in the units of y (a proportion 0-1 for p-charts), for the assurance icon");
  app.add_option("--baseline", baseline, "fix the limits on the first K points of each segment")
      ->check(CLI::Range(static_cast<size_t>(2), static_cast<size_t>(1000000000)));
  app.add_option("--rebase-at", rebase_at, "x values that start a new segment with its own limits");
  app.add_option("--run-length", run_length, "points in a trend or shift (default 7)")
      ->check(CLI::IsMember({6, 7}));
  app.add_option("--two-in-three", two_in_three,
                 "reference: only points near the limits count; 2023: points beyond them count too")
      ->check(CLI::IsMember({"reference", "2023"}));
  app.add_flag("--no-screen", no_screen, "do not screen large moving ranges (the Excel tool's way)");
  app.add_option("--json", json_out, "write the chart as JSON to OUT ('-' for stdout)");
  app.add_option("--svg", svg_out, "write the chart as SVG to OUT");
  std::string title, x_label, y_label;
  app.add_option("--title", title, "the chart's title (default: the chart's kind and the file's name)");
  app.add_option("--x-label", x_label, "the x axis label (default: x)");
  app.add_option("--y-label", y_label, "the y axis label (default: y, or Proportion for a p-chart)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.Add(file, "the input file");
  if (!CheckOutputs("spc", {{"--json", json_out}, {"--svg", svg_out}}, protect)) return kExitUsage;

  Result<stats::SpcSeries> series = stats::ReadSpcCsv(file);
  if (!series.ok()) {
    std::cerr << series.status().message() << "\n";
    return kExitBadInput;
  }
  if (series->proportions && target && (*target < 0 || *target > 1)) {
    std::cerr << "goldthread spc: --target " << Cell(target) << " is not a proportion: a p-chart's target is from 0 to 1"
              << (*target > 1 && *target <= 100 ? " (for " + Cell(target) + "% give " + Cell(*target / 100) + ")" : "")
              << "\n";
    return kExitUsage;
  }
  stats::SpcOptions options;
  if (!stats::TryParsePolarity(polarity_name, options.polarity)) return kExitUsage;  // checked by CLI11
  options.target = target;
  options.baseline = baseline;
  options.run_length = run_length;
  options.two_in_three = two_in_three == "2023" ? stats::TwoInThree::k2023 : stats::TwoInThree::kReference;
  options.screen = !no_screen;
  for (const std::string& r : rebase_at) {
    size_t i = 0;
    while (i < series->x.size() && series->x[i] != r) ++i;
    if (i == series->x.size()) {
      std::cerr << "goldthread spc: --rebase-at " << r << ": no point in " << file << " has x = " << r << "\n";
      return kExitUsage;
    }
    options.rebase_at.push_back(i);
  }
  Result<stats::SpcResult> chart = series->proportions
                                       ? stats::PChart(series->numerators, series->denominators, options)
                                       : stats::XmrChart(series->y, options);
  if (!chart.ok()) {
    std::cerr << file << ": " << chart.status().message() << "\n";
    return kExitBadInput;
  }
  bool trial = false;
  for (const stats::SpcPoint& p : chart->points) trial = trial || (!p.missing && p.trial_limits);

  if (!json_out.empty()) {
    const bool numeric_x = AllNumeric(series->x);
    nlohmann::json points = nlohmann::json::array();
    for (size_t i = 0; i < chart->points.size(); ++i) {
      const stats::SpcPoint& p = chart->points[i];
      nlohmann::json j;
      j["x"] = numeric_x ? nlohmann::json(std::stod(series->x[i])) : nlohmann::json(series->x[i]);
      j["y"] = p.missing ? nlohmann::json(nullptr) : nlohmann::json(p.y);
      j["mean"] = Nullable(p.mean);
      j["lpl"] = Nullable(p.lpl);
      j["upl"] = Nullable(p.upl);
      j["near_lpl"] = Nullable(p.near_lpl);
      j["near_upl"] = Nullable(p.near_upl);
      j["point_type"] = p.point_type ? nlohmann::json(stats::PointTypeName(*p.point_type)) : nlohmann::json(nullptr);
      points.push_back(std::move(j));
    }
    nlohmann::json doc;
    doc["points"] = std::move(points);
    doc["variation"] = chart->variation ? nlohmann::json(stats::PointTypeName(*chart->variation)) : nlohmann::json(nullptr);
    doc["assurance"] = chart->assurance ? nlohmann::json(stats::AssuranceName(*chart->assurance)) : nlohmann::json(nullptr);
    doc["trial_limits"] = trial;
    if (!WriteOutput("spc", json_out, doc.dump(2) + "\n", protect)) return kExitBadInput;
  } else {
    // A p-chart's proportions are shown as percentages, as compute shows
    // them (the JSON keeps the proportions of DESIGN section 10).
    const bool pct = series->proportions;
    const auto shown = [&](const std::optional<double>& v) {
      return pct && v && std::isfinite(*v) ? Cell(*v * 100) + "%" : Cell(v);
    };
    std::ostringstream t;
    t << std::left << std::setw(14) << "x" << std::setw(12) << (pct ? "percent" : "y") << std::setw(12) << "mean"
      << std::setw(12) << "lpl" << std::setw(12) << "upl" << "point_type\n";
    for (size_t i = 0; i < chart->points.size(); ++i) {
      const stats::SpcPoint& p = chart->points[i];
      t << std::setw(14) << series->x[i] << std::setw(12) << shown(p.missing ? std::nullopt : std::optional(p.y))
        << std::setw(12) << shown(p.mean) << std::setw(12) << shown(p.lpl) << std::setw(12) << shown(p.upl)
        << (p.point_type ? stats::PointTypeName(*p.point_type) : "missing") << "\n";
    }
    t << "\nvariation: " << (chart->variation ? stats::PointTypeName(*chart->variation) : "none") << "\n";
    // Assurance needs a target, and a direction that is better.
    const char* why = options.polarity == stats::Polarity::kNeutral
                          ? (target ? "none (needs --polarity up or down: a neutral measure has no pass or fail)"
                                    : "none (needs --polarity up or down and a --target)")
                          : "none (needs a --target)";
    t << "assurance: " << (chart->assurance ? std::string(stats::AssuranceName(*chart->assurance)) : why) << "\n";
    if (trial) t << "trial limits: computed from fewer than 13 points; they will change as points are added\n";
    std::cout << t.str();
  }
  if (!svg_out.empty()) {
    report::SpcSvgOptions svg;
    svg.title = !title.empty() ? title
                : (series->proportions ? "p-chart: " : "XmR chart: ") + file.substr(file.find_last_of('/') + 1);
    svg.x_label = !x_label.empty() ? x_label : "x";
    svg.y_label = !y_label.empty() ? y_label : series->proportions ? "Proportion" : "y";
    svg.target = target;
    svg.polarity = options.polarity;
    if (!WriteOutput("spc", svg_out, report::RenderSpcSvg(series->x, *chart, svg), protect)) return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace goldthread::cli
