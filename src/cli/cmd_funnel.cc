// goldthread funnel: a funnel plot comparing units (shared/DESIGN.md
// section 10, issue 4).

#include <algorithm>
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
#include "report/svg_funnel.h"
#include "stats/funnel.h"
#include "stats/series_csv.h"

namespace goldthread::cli {
namespace {

nlohmann::json Nullable(std::optional<double> v) {
  return v && std::isfinite(*v) ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string Cell(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "-";
  std::ostringstream s;
  s << std::setprecision(5) << *v;
  return s.str();
}

}  // namespace

int CmdFunnel(const Args& args) {
  CLI::App app{"Funnel plot of units against their peers: FILE has columns unit,numerator,denominator.",
               "funnel"};
  std::string file, type = "proportion", adjust = "tau2", json_out, svg_out;
  bool exact = false;
  app.add_option("FILE", file, "CSV file: unit,numerator,denominator")->required();
  app.add_option("--type", type, "proportion (numerator of denominator) or ratio (observed / expected)")
      ->check(CLI::IsMember({"proportion", "ratio"}));
  app.add_option("--adjust", adjust,
                 "overdispersion: none, phi (multiplicative) or tau2 (additive random effects, default)")
      ->check(CLI::IsMember({"none", "phi", "tau2"}));
  app.add_flag("--exact", exact, "exact binomial limits for unadjusted proportions");
  app.add_option("--json", json_out, "write the funnel as JSON to OUT ('-' for stdout)");
  app.add_option("--svg", svg_out, "write the funnel plot as SVG to OUT");
  std::string title, x_label, y_label;
  app.add_option("--title", title, "the chart's title (default: 'Funnel plot: ' and the file's name)");
  app.add_option("--x-label", x_label, "the x axis label (default: Denominator, or Expected for ratios)");
  app.add_option("--y-label", y_label, "the y axis label (default: Proportion, or Observed / expected)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.Add(file, "the input file");
  if (!CheckOutputs("funnel", {{"--json", json_out}, {"--svg", svg_out}}, protect)) return kExitUsage;
  if (exact && type != "proportion") {
    std::cerr << "goldthread funnel: --exact applies to --type proportion only (ratio limits are exact Poisson)\n";
    return kExitUsage;
  }

  stats::FunnelOptions options;
  options.type = type == "ratio" ? stats::FunnelType::kRatio : stats::FunnelType::kProportion;
  options.adjust = adjust == "none" ? stats::FunnelAdjust::kNone
                   : adjust == "phi" ? stats::FunnelAdjust::kPhi
                                     : stats::FunnelAdjust::kTau2;
  options.exact = exact;
  Result<stats::FunnelData> data = stats::ReadFunnelCsv(file, options.type == stats::FunnelType::kProportion);
  if (!data.ok()) {
    std::cerr << data.status().message() << "\n";
    return kExitBadInput;
  }
  Result<stats::FunnelResult> funnel = stats::FunnelPlot(data->numerators, data->denominators, options);
  if (!funnel.ok()) {
    std::cerr << file << ": " << funnel.status().message() << "\n";
    return kExitBadInput;
  }
  const stats::FunnelModel& m = funnel->model;

  if (!json_out.empty()) {
    nlohmann::json units = nlohmann::json::array();
    for (size_t i = 0; i < funnel->units.size(); ++i) {
      const stats::FunnelUnit& u = funnel->units[i];
      nlohmann::json j;
      j["unit"] = data->units[i];
      j["numerator"] = Nullable(u.numerator);
      j["denominator"] = Nullable(u.denominator);
      j["value"] = Nullable(u.value);
      j["z"] = Nullable(u.z);
      j["lower95"] = Nullable(u.limits ? std::optional(u.limits->lower95) : std::nullopt);
      j["upper95"] = Nullable(u.limits ? std::optional(u.limits->upper95) : std::nullopt);
      j["lower998"] = Nullable(u.limits ? std::optional(u.limits->lower998) : std::nullopt);
      j["upper998"] = Nullable(u.limits ? std::optional(u.limits->upper998) : std::nullopt);
      j["outlier"] = u.outlier && *u.outlier != stats::Outlier::kNone
                         ? nlohmann::json(stats::OutlierName(*u.outlier))
                         : nlohmann::json(nullptr);
      units.push_back(std::move(j));
    }
    nlohmann::json doc;
    doc["target"] = m.target;
    doc["phi"] = m.phi;
    doc["tau2"] = m.tau2;
    doc["units"] = std::move(units);
    if (!WriteOutput("funnel", json_out, doc.dump(2) + "\n", protect)) return kExitBadInput;
  } else {
    std::ostringstream t;
    t << "target " << Cell(m.target) << ", phi " << Cell(m.phi) << ", tau2 " << Cell(m.tau2) << "; limits "
      << (m.adjusted ? "adjusted for overdispersion" : (options.exact ? "exact binomial, unadjusted" : "unadjusted"))
      << "; outliers beyond the 99.8% limits\n\n";
    // Columns as wide as their widest cell, two spaces apart, so that
    // neighbouring limits never run together (0.00069811 0.2279).
    std::vector<std::vector<std::string>> cells = {
        {"unit", "numerator", "denominator", "value", "z", "lower95", "upper95", "lower998", "upper998", "outlier"}};
    for (size_t i = 0; i < funnel->units.size(); ++i) {
      const stats::FunnelUnit& u = funnel->units[i];
      const auto lim = [&](double stats::FunnelLimits::*f) {
        return Cell(u.limits ? std::optional((*u.limits).*f) : std::nullopt);
      };
      cells.push_back({data->units[i], Cell(u.numerator), Cell(u.denominator), Cell(u.value), Cell(u.z),
                       lim(&stats::FunnelLimits::lower95), lim(&stats::FunnelLimits::upper95),
                       lim(&stats::FunnelLimits::lower998), lim(&stats::FunnelLimits::upper998),
                       u.outlier ? std::string(stats::OutlierName(*u.outlier)) : "-"});
    }
    std::vector<size_t> width(cells[0].size(), 0);
    for (const auto& row : cells)
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    for (const auto& row : cells) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c)
        line += c + 1 < row.size() ? row[c] + std::string(width[c] - row[c].size() + 2, ' ') : row[c];
      t << line << "\n";
    }
    std::cout << t.str();
  }
  if (!svg_out.empty()) {
    report::FunnelSvgOptions svg;
    svg.title = title.empty() ? "Funnel plot: " + file.substr(file.find_last_of('/') + 1) : title;
    svg.x_label = !x_label.empty() ? x_label : options.type == stats::FunnelType::kRatio ? "Expected" : "Denominator";
    if (!y_label.empty()) svg.y_label = y_label;
    if (!WriteOutput("funnel", svg_out, report::RenderFunnelSvg(data->units, *funnel, svg), protect)) return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace goldthread::cli
