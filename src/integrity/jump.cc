#include "integrity/jump.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <fmt/format.h>

#include "integrity/check_util.h"
#include "stats/spc.h"

namespace goldthread::integrity {
namespace {

// The change of a proportion from x1/n1 to x2/n2 on the arcsine scale,
// asin(√p), whose sampling variance is 1/(4n) whatever p (the z-scores of
// the funnel plots, shared/STATISTICS.md section 3; Spiegelhalter (2005),
// Stat Med 24:1185-1202): z = (asin√p2 − asin√p1) / sqrt(1/(4n1) + 1/(4n2)).
double ChangeZ(double x1, double n1, double x2, double n2) {
  if (!(n1 > 0) || !(n2 > 0)) return NAN;
  double y1 = std::asin(std::sqrt(std::clamp(x1 / n1, 0.0, 1.0)));
  double y2 = std::asin(std::sqrt(std::clamp(x2 / n2, 0.0, 1.0)));
  return (y2 - y1) / std::sqrt(1.0 / (4 * n1) + 1.0 / (4 * n2));
}

std::string Num(double v) { return fmt::format("{:.4g}", v); }

}  // namespace

std::vector<Finding> CheckImplausibleJumps(const SeriesTable& table, const ImplausibleJumpConfig& config) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const size_t n_units = table.units.size(), n_periods = table.periods.size();
  const bool has_den = !table.denominators.empty();
  // A figure on too few cases is unknown (see jump.h).
  auto value = [&](size_t u, size_t p) {
    if (has_den && !(table.denominators[u][p] >= config.min_denominator)) return static_cast<double>(NAN);
    return table.values[u][p];
  };
  for (size_t p = 1; p < n_periods; ++p) {
    std::vector<double> changes;
    std::vector<size_t> who;
    for (size_t u = 0; u < n_units; ++u) {
      double a = value(u, p - 1), b = value(u, p);
      if (std::isnan(a) || std::isnan(b)) continue;
      changes.push_back(b - a);
      who.push_back(u);
    }
    if (changes.size() < 5) continue;  // too few peers for a median and MAD
    double median = Median(changes), mad = Mad(changes);
    if (mad <= 0) continue;
    for (size_t i = 0; i < changes.size(); ++i) {
      double z = (changes[i] - median) / (1.4826 * mad);
      if (std::fabs(z) <= config.robust_z || std::fabs(changes[i]) < config.min_change) continue;
      size_t u = who[i];
      // Percentages with their cases: the change must also be beyond what
      // sampling alone gives two quarters of a small team (see jump.h).
      double sampling_z = NAN;
      if (table.percent && has_den) {
        sampling_z = ChangeZ(table.numerators[u][p - 1], table.denominators[u][p - 1], table.numerators[u][p],
                             table.denominators[u][p]);
        if (!(std::fabs(sampling_z) > config.sampling_z)) continue;
      }
      // Own history: the unit's earlier changes, charted with this one last.
      std::vector<double> own;
      for (size_t q = 1; q <= p; ++q) {
        double a = value(u, q - 1), b = value(u, q);
        own.push_back(std::isnan(a) || std::isnan(b) ? NAN : b - a);
      }
      int history = 0;
      for (size_t q = 0; q + 1 < own.size(); ++q) history += !std::isnan(own[q]);
      bool own_tested = history >= config.min_history;
      bool own_outside = false;
      if (own_tested) {
        stats::SpcOptions opt;
        opt.polarity = stats::Polarity::kNeutral;
        opt.baseline = own.size() - 1;  // limits from the earlier changes only
        if (auto chart = stats::XmrChart(own, opt); chart.ok())
          own_outside = chart->points.back().rule == stats::SpecialCause::kOutside;
      }
      if (own_tested && !own_outside) continue;  // the unit moves like this before
      Finding f;
      f.check = std::string(kImplausibleJump);
      f.indicators = {table.indicator};
      f.org_unit = table.units[u];
      f.period = table.periods[p];
      f.severity = own_outside ? Severity::kHigh : Severity::kMedium;
      f.summary = fmt::format(
          "{} moved from {:.4g} to {:.4g} ({:+.4g}) between {} and {}, while the middle of its peers moved by "
          "{:+.4g}: a movement that needs explaining.",
          table.indicator, table.values[u][p - 1], table.values[u][p], changes[i], table.periods[p - 1],
          table.periods[p], median);
      f.statistic = "robust_z_of_change";
      f.value = z;
      std::string extra;
      if (has_den) extra += ", each figure on >= " + Num(config.min_denominator) + " cases";
      if (!std::isnan(sampling_z)) extra += ", |arcsine z of the change| > " + Num(config.sampling_z);
      f.threshold = fmt::format("|change - median| / (1.4826 MAD) > {:.1f} and |change| >= {:.4g}{}; own history: {}",
                                config.robust_z, config.min_change, extra,
                                own_tested ? "outside the XmR limits of its earlier changes"
                                           : "too short to chart (peer test only)");
      f.looked_at = "the change of each unit's value from the previous period, against all units' changes";
      f.innocent_if =
          "the cases behind the new figure meet every criterion of the definition, and the practice change that "
          "produced them is visible in the records (for personal budgets: support plans agreed on these budgets).";
      f.evidence.records = 1;
      f.evidence.figures = {{"previous", table.values[u][p - 1]},
                            {"current", table.values[u][p]},
                            {"change", changes[i]},
                            {"peer_median_change", median},
                            {"peer_mad", mad},
                            {"peers", static_cast<double>(changes.size())},
                            {"own_history_changes", static_cast<double>(history)}};
      if (!std::isnan(sampling_z)) f.evidence.figures.push_back({"sampling_z", sampling_z});
      if (has_den) {
        f.evidence.figures.push_back({"previous_denominator", table.denominators[u][p - 1]});
        f.evidence.figures.push_back({"current_denominator", table.denominators[u][p]});
        f.evidence.records = static_cast<int64_t>(table.denominators[u][p]);
      }
      f.evidence.dates = {table.periods[p - 1], table.periods[p]};
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace goldthread::integrity
