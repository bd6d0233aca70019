#pragma once
// An SPC chart as a self-contained SVG in the NHS "Making Data Count" style:
// grey line and dots, special-cause points coloured (improvement blue,
// concern orange, neutral purple), mean line, dashed process limits, the
// target line, and the variation and assurance icons.

#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "stats/spc.h"

namespace goldthread::report {

/// Something to point at on the chart: an integrity finding at a point.
struct SpcMarker {
  size_t index = 0;   // the point
  std::string label;  // short: "deadline bunching"
};

struct SpcSvgOptions {
  std::string title = "SPC chart";
  std::string desc;  // <desc>: the chart in words, for screen readers ("" none)
  std::string x_label;
  std::string y_label;
  std::string value_suffix;  // after values in tooltips and ticks: "%"
  std::optional<double> target;
  stats::Polarity polarity = stats::Polarity::kUp;
  int width = 960;
  int height = 540;
  /// Icons and legend in a panel on the right (the CLI's chart); false puts a
  /// one-line legend under the chart and leaves the icons to the page.
  bool side_panel = true;
  /// Per point: provisional (follow-up not complete), drawn hollow and
  /// outside the limits' story. Empty: none.
  std::vector<bool> provisional;
  std::vector<SpcMarker> markers;
  /// Points where a new definition version starts, with its label ("v2").
  std::vector<std::pair<size_t, std::string>> breaks;
};

/// x holds one label per point of chart (same length). Returns the SVG text.
std::string RenderSpcSvg(const std::vector<std::string>& x, const stats::SpcResult& chart,
                         const SpcSvgOptions& options);

}  // namespace goldthread::report
