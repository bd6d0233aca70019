#pragma once
// A funnel plot as a self-contained SVG: each unit's value against its
// denominator, the target line, and the 95% (dashed) and 99.8% (solid)
// limits as curves; outliers coloured and labelled.

#include <string>
#include <vector>

#include "stats/funnel.h"

namespace goldthread::report {

struct FunnelSvgOptions {
  std::string title = "Funnel plot";
  std::string x_label = "Denominator";
  std::string y_label;  // default: "Proportion" or "Ratio (observed / expected)"
  int width = 960;
  int height = 600;
  std::string desc;            // <desc> for screen readers ("" none)
  bool percent = false;        // label the proportion axis in percent (0.25 -> 25%)
  std::string clip_id = "plot";  // unique per page when several charts are inline
  /// A unit drawn larger, in blue and always named (the council among its
  /// peers); -1 none. It need not be one the funnel was fitted to.
  int highlight = -1;
  /// The legend under the plot instead of a panel on its right (narrow charts).
  bool legend_below = false;
};

/// units holds one name per unit of funnel (same length).
std::string RenderFunnelSvg(const std::vector<std::string>& units, const stats::FunnelResult& funnel,
                            const FunnelSvgOptions& options);

}  // namespace goldthread::report
