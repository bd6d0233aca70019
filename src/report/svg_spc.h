#pragma once
// An SPC chart as a self-contained SVG in the NHS "Making Data Count" style:
// grey line and dots, special-cause points coloured (improvement blue,
// concern orange, neutral purple), mean line, dashed process limits, the
// target line, and the variation and assurance icons.

#include <optional>
#include <string>
#include <vector>

#include "stats/spc.h"

namespace goldthread::report {

struct SpcSvgOptions {
  std::string title = "SPC chart";
  std::string x_label;
  std::string y_label;
  std::optional<double> target;
  stats::Polarity polarity = stats::Polarity::kUp;
  int width = 960;
  int height = 540;
};

/// x holds one label per point of chart (same length). Returns the SVG text.
std::string RenderSpcSvg(const std::vector<std::string>& x, const stats::SpcResult& chart,
                         const SpcSvgOptions& options);

}  // namespace goldthread::report
