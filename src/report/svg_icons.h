#pragma once
// The Making Data Count icons (NHS England, "Making Data Count: getting
// started", 2019; the icon set of the MDC Excel tool), drawn as SVG:
// - variation: a circle in the point-type colour with H or L for a special
//   cause high or low and a small run of dots showing the pattern, or a grey
//   circle with a flat run for common cause;
// - assurance: P (consistently passes the target, blue), F (consistently
//   fails, orange) or ? (hit and miss, grey).
// Colours from shared/STATISTICS.md section 2. Every icon has one <circle>
// outline; its dots are paths. Pure functions.

#include <string>
#include <string_view>

#include "stats/spc.h"

namespace goldthread::report {

/// An icon drawn into a chart at (cx, cy), with its caption under it.
std::string VariationIconGroup(stats::PointType t, stats::Polarity polarity, double cx, double cy);
std::string AssuranceIconGroup(stats::Assurance a, double cx, double cy);

/// A stand-alone icon <svg> of `size` px with a <title> (for tables and
/// headline rows).
std::string VariationIconSvg(stats::PointType t, stats::Polarity polarity, int size = 44);
std::string AssuranceIconSvg(stats::Assurance a, int size = 44);
/// The grey "no target" icon: a dashed circle with a dash.
std::string NoTargetIconSvg(int size = 44);

/// The icons in words, as Making Data Count's captions.
std::string VariationWords(stats::PointType t, stats::Polarity polarity);
std::string AssuranceWords(stats::Assurance a);

}  // namespace goldthread::report
