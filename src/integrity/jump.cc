#include "integrity/jump.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "integrity/check_util.h"

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

// XmR limits: 2.66 = 3 / d2, d2 = 1.128 for moving ranges of two
// (shared/STATISTICS.md section 2; NHSRplotthedots ptd_spc_standard.R).
constexpr double kXmrLimit = 2.66;
// The scales that make MAD and MeanAD estimate a normal standard deviation
// (Iglewicz & Hoaglin 1993, section 3.3; IBM Cognos Analytics, "Modified z
// score"): 1/Φ⁻¹(0.75) and √(π/2).
constexpr double kMadScale = 1.4826, kMeanAdScale = 1.253314;

// A change extreme against all units' changes over the same periods.
struct Jump {
  size_t p;  // the period the change ends in
  double change, z, median, mad, scale, sampling_z;
  bool mean_ad;  // the scale is 1.253314·MeanAD (the MAD was 0)
  size_t peers;
};

// The unit's earlier changes (before period p) on an XmR chart.
struct OwnHistory {
  int changes = 0;
  double mean = NAN, lower = NAN, upper = NAN;
  bool constant = false;  // every earlier change the same: zero-width limits
  bool outside = false;
};

OwnHistory Own(const std::vector<double>& changes_of_unit, size_t p, double change) {
  OwnHistory h;
  std::vector<double> earlier;
  for (size_t q = 1; q < p; ++q)
    if (!std::isnan(changes_of_unit[q])) earlier.push_back(changes_of_unit[q]);
  h.changes = static_cast<int>(earlier.size());
  if (earlier.size() < 2) return h;
  double sum = 0.0, mr = 0.0;
  for (size_t i = 0; i < earlier.size(); ++i) {
    sum += earlier[i];
    if (i > 0) mr += std::fabs(earlier[i] - earlier[i - 1]);
  }
  h.mean = sum / static_cast<double>(earlier.size());
  const double amr = mr / static_cast<double>(earlier.size() - 1);
  h.lower = h.mean - kXmrLimit * amr;
  h.upper = h.mean + kXmrLimit * amr;
  h.constant = amr == 0.0;
  // Zero-width limits are exceeded by any other change (a rounding margin
  // only, so 0.1 + 0.2 is 0.3).
  const double eps = 1e-9 * std::max(1.0, std::fabs(change));
  h.outside = change > h.upper + eps || change < h.lower - eps;
  return h;
}

std::string Val(double v, bool percent) {
  return percent ? fmt::format("{:.4g}%", v) : fmt::format("{:.4g}", v);
}
std::string Delta(double v, bool percent) {
  return percent ? fmt::format("{:+.4g} points", v) : fmt::format("{:+.4g}", v);
}

}  // namespace

std::vector<Finding> CheckImplausibleJumps(const SeriesTable& table, const ImplausibleJumpConfig& config) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const size_t n_units = table.units.size(), n_periods = table.periods.size();
  const bool has_den = !table.denominators.empty(), pct = table.percent;
  // A figure on too few cases is unknown (see jump.h).
  auto value = [&](size_t u, size_t p) {
    if (has_den && !(table.denominators[u][p] >= config.min_denominator)) return static_cast<double>(NAN);
    return table.values[u][p];
  };
  auto name = [&](size_t u) { return table.unit_names.empty() ? table.units[u] : table.unit_names[u]; };
  // change[u][p]: from period p-1 to p, NaN when either is unknown.
  std::vector<std::vector<double>> change(n_units, std::vector<double>(n_periods, NAN));
  for (size_t u = 0; u < n_units; ++u)
    for (size_t p = 1; p < n_periods; ++p) change[u][p] = value(u, p) - value(u, p - 1);

  // 1. Changes extreme against all units.
  std::vector<std::vector<Jump>> jumps(n_units);
  for (size_t p = 1; p < n_periods; ++p) {
    std::vector<double> changes;
    std::vector<size_t> who;
    for (size_t u = 0; u < n_units; ++u)
      if (!std::isnan(change[u][p])) changes.push_back(change[u][p]), who.push_back(u);
    if (changes.size() < 5) continue;  // too few peers for a median and MAD
    const double median = Median(changes), mad = Mad(changes);
    double scale = kMadScale * mad;
    const bool mean_ad = !(scale > 0);
    if (mean_ad) {
      double sum = 0.0;
      for (double c : changes) sum += std::fabs(c - median);
      scale = kMeanAdScale * sum / static_cast<double>(changes.size());
    }
    if (!(scale > 0)) continue;  // every unit moved by the same amount: none differs
    for (size_t i = 0; i < changes.size(); ++i) {
      const double z = (changes[i] - median) / scale;
      if (std::fabs(z) <= config.robust_z || std::fabs(changes[i]) < config.min_change) continue;
      const size_t u = who[i];
      // Percentages with their cases: the change must also be beyond what
      // sampling alone gives two quarters of a small team (see jump.h).
      double sampling_z = NAN;
      if (pct && has_den) {
        sampling_z = ChangeZ(table.numerators[u][p - 1], table.denominators[u][p - 1], table.numerators[u][p],
                             table.denominators[u][p]);
        if (!(std::fabs(sampling_z) > config.sampling_z)) continue;
      }
      jumps[u].push_back({p, changes[i], z, median, mad, scale, sampling_z, mean_ad, changes.size()});
    }
  }

  // 2. Each reported, its severity graded by the unit's own history.
  for (size_t u = 0; u < n_units; ++u) {
    for (size_t j = 0; j < jumps[u].size(); ++j) {
      const Jump& jp = jumps[u][j];
      const size_t p = jp.p;
      const OwnHistory own = Own(change[u], p, jp.change);
      const bool tested = own.changes >= config.min_history;
      Finding f;
      f.check = std::string(kImplausibleJump);
      f.indicators = {table.indicator};
      f.org_unit = table.units[u];
      f.period = table.periods[p];
      f.severity = tested && own.outside ? Severity::kHigh : Severity::kMedium;
      std::string history;
      if (!tested) {
        history = fmt::format(
            " Its own history is too short to judge it against ({} earlier change(s), {} needed).",
            own.changes, config.min_history);
      } else if (own.constant && own.outside) {
        history = own.mean == 0.0
                      ? fmt::format(
                            " Its own figure had not moved in its {} earlier changes, so the break is the "
                            "more implausible.",
                            own.changes)
                      : fmt::format(
                            " Its own figure had moved by {} in each of its {} earlier changes, so the break "
                            "is the more implausible.",
                            Delta(own.mean, pct), own.changes);
      } else if (own.outside) {
        history = fmt::format(" It is outside its own history too (limits {} to {} from {} earlier changes).",
                              Delta(own.lower, pct), Delta(own.upper, pct), own.changes);
      } else if (j > 0) {
        std::string earlier;
        for (size_t k = 0; k < j; ++k)
          earlier += (k ? ", " : "") +
                     fmt::format("{} in {}", Delta(jumps[u][k].change, pct), table.periods[jumps[u][k].p]);
        history = fmt::format(
            " It is within the limits of its own history ({} to {}) only because that history "
            "is erratic (earlier: {}), so its figures are not comparable from one period to the "
            "next.",
            Delta(own.lower, pct), Delta(own.upper, pct), earlier);
      } else {
        history = fmt::format(
            " It has moved as much before (its own limits {} to {} from {} earlier changes), but "
            "not against its peers.",
            Delta(own.lower, pct), Delta(own.upper, pct), own.changes);
      }
      f.summary = fmt::format(
          "{}: {} moved from {} to {} ({}) between {} and {}, while the middle of its peers "
          "moved by {}: a movement that needs explaining.{}",
          name(u), table.indicator, Val(table.values[u][p - 1], pct), Val(table.values[u][p], pct),
          Delta(jp.change, pct), table.periods[p - 1], table.periods[p], Delta(jp.median, pct), history);
      f.statistic = "robust_z_of_change";
      f.value = jp.z;
      std::string extra;
      if (has_den) extra += fmt::format(", each figure on >= {:.4g} cases", config.min_denominator);
      if (!std::isnan(jp.sampling_z))
        extra += fmt::format(", |arcsine z of the change| > {:.4g}", config.sampling_z);
      f.threshold = fmt::format("|change - median| / ({}) > {:.1f} and |change| >= {:.4g}{}; own history: {}",
                                jp.mean_ad ? "1.2533 MeanAD, the MAD being 0" : "1.4826 MAD", config.robust_z,
                                config.min_change, extra,
                                !tested       ? "too short to chart (peer test only)"
                                : own.outside ? "outside the XmR limits of its earlier changes (high)"
                                              : "within the XmR limits of its earlier changes (medium)");
      f.looked_at = "the change of each unit's value from the previous period, against all units' changes";
      f.innocent_if =
          "the cases behind the new figure meet every criterion of the definition, and the practice change "
          "that "
          "produced them is visible in the records (for personal budgets: support plans agreed on these "
          "budgets).";
      f.evidence.records = 1;
      f.evidence.figures = {{"previous", table.values[u][p - 1]},
                            {"current", table.values[u][p]},
                            {"change", jp.change},
                            {"peer_median_change", jp.median},
                            {"peer_mad", jp.mad},
                            {"peer_scale", jp.scale},
                            {"peers", static_cast<double>(jp.peers)},
                            {"own_history_changes", static_cast<double>(own.changes)},
                            {"earlier_extreme_changes", static_cast<double>(j)}};
      if (tested) {
        f.evidence.figures.push_back({"own_lower_limit", own.lower});
        f.evidence.figures.push_back({"own_upper_limit", own.upper});
      }
      if (!std::isnan(jp.sampling_z)) f.evidence.figures.push_back({"sampling_z", jp.sampling_z});
      if (has_den) {
        f.evidence.figures.push_back({"previous_denominator", table.denominators[u][p - 1]});
        f.evidence.figures.push_back({"current_denominator", table.denominators[u][p]});
        f.evidence.records = static_cast<int64_t>(table.denominators[u][p]);
      }
      f.evidence.dates = {table.periods[p - 1], table.periods[p]};
      out.push_back(std::move(f));
    }

    // 3. An erratic series.
    const std::vector<Jump>& js = jumps[u];
    if (js.size() < 2) continue;
    Finding f;
    f.check = std::string(kImplausibleJump);
    f.indicators = {table.indicator};
    f.org_unit = table.units[u];
    f.period = table.periods[js.front().p - 1] + " to " + table.periods[js.back().p];
    f.severity = js.size() >= 3 ? Severity::kHigh : Severity::kMedium;
    std::string list;
    for (size_t k = 0; k < js.size(); ++k)
      list += (k ? ", " : "") + fmt::format("{} in {}", Delta(js[k].change, pct), table.periods[js[k].p]);
    f.summary = fmt::format(
        "{}: {} moved against all its peers {} times between {} and {} ({}): its figures are "
        "not comparable from one period to the next.",
        name(u), table.indicator, js.size(), table.periods[js.front().p - 1], table.periods[js.back().p],
        list);
    f.statistic = "extreme_changes";
    f.value = static_cast<double>(js.size());
    f.threshold = fmt::format(
        "two or more changes each with |change - median| / (1.4826 MAD) > {:.1f} among all "
        "units (high at three)",
        config.robust_z);
    f.looked_at = "every change of the unit's series, against all units' changes over the same periods";
    f.innocent_if =
        "the definition, the recording or the boundary behind the figure changed in those periods (a new "
        "case "
        "system, a change of method, a merger), and the series is read as broken there.";
    f.evidence.records = 1;
    f.evidence.figures = {{"extreme_changes", static_cast<double>(js.size())}};
    for (const Jump& jp : js) {
      f.evidence.figures.push_back({"change_" + table.periods[jp.p], jp.change});
      f.evidence.dates.push_back(table.periods[jp.p]);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace goldthread::integrity
