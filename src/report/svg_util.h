#pragma once
// Small helpers shared by the SVG charts: escaping, number formatting, axis
// ticks and a linear scale. Pure functions.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stats/spc.h"

namespace goldthread::report {

/// Escapes &, <, >, " and ' for SVG text and attributes.
std::string SvgEscape(std::string_view s);

/// A short label for an axis or a tooltip: up to `digits` significant
/// digits, no trailing zeros ("0.25", "1200", "3.1e-05").
std::string FormatNumber(double v, int digits = 4);

/// About `count` "nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi].
std::vector<double> NiceTicks(double lo, double hi, int count = 6);

/// Maps [d0, d1] onto [r0, r1].
struct LinearScale {
  double d0 = 0.0, d1 = 1.0, r0 = 0.0, r1 = 1.0;
  /// Always a finite coordinate: the domain is taken in halves, so one as
  /// wide as -1e308 .. 1e308 has a finite width; a value far outside it
  /// stays within 10,000 plot widths; an unknown (NaN, or an infinite
  /// domain) goes to the middle. No "nan" or "inf" reaches an SVG.
  double operator()(double v) const {
    if (d1 == d0) return (r0 + r1) / 2.0;
    double t = (v / 2 - d0 / 2) / (d1 / 2 - d0 / 2);
    if (std::isnan(t)) t = 0.5;
    return r0 + std::clamp(t, -1e4, 1e4) * (r1 - r0);
  }
};

/// Colours of Making Data Count (shared/STATISTICS.md section 2).
inline constexpr std::string_view kColourImprovement = "#00b0f0";
inline constexpr std::string_view kColourConcern = "#e46c0a";
inline constexpr std::string_view kColourNeutral = "#490092";
inline constexpr std::string_view kColourCommonCause = "#a6a6a6";
inline constexpr std::string_view kColourTarget = "#de1b1b";
inline constexpr std::string_view kColourLine = "#7b7d7d";
inline constexpr std::string_view kColourText = "#231f20";

/// The Making Data Count colour of a point type (common cause for none).
std::string_view PointColour(std::optional<stats::PointType> t);

/// The range an SPC chart's y axis must cover: every shown value, mean and
/// limit, and the target; never empty (a flat series gets +-1), (0, 1) for
/// no values.
std::pair<double, double> SpcRange(const stats::SpcResult& chart, std::optional<double> target);

/// A step line through per-point values (x ascending): each value held from
/// half-way to the previous point to half-way to the next, as SPC limits
/// that change with each point's denominator are drawn. "" for no points.
std::string StepPath(const std::vector<double>& xs, const std::vector<double>& ys);

/// Opening <svg> element with a white background, the chart font, and the
/// <title> (and <desc> when given) that name it for screen readers
/// (role="img", WCAG 2.1 success criterion 1.1.1).
std::string SvgOpen(int width, int height, std::string_view title, std::string_view desc = "");
/// A title and optional subtitle at the top left.
std::string SvgTitle(std::string_view title, std::string_view subtitle, double x);
}  // namespace goldthread::report
