#pragma once
// A sparkline-size SPC chart (about 150 x 36 px) for a table cell: the
// series as a grey line, special-cause points in Making Data Count colours,
// the mean and the process limits of each rebase segment, provisional points
// hollow, definition-version breaks as a vertical line. No axes or labels:
// the table beside it holds the numbers and its <desc> the series in words.

#include <cstddef>
#include <string>
#include <vector>

#include "stats/spc.h"

namespace goldthread::report {

struct SparklineSvgOptions {
  std::string title = "Trend";
  std::string desc;  // <desc>: the series in words ("" none)
  int width = 150;
  int height = 36;
  std::vector<bool> provisional;  // per point; empty: none
  std::vector<size_t> breaks;     // points that start a new definition version
};

std::string RenderSparklineSvg(const stats::SpcResult& chart, const SparklineSvgOptions& options);

}  // namespace goldthread::report
