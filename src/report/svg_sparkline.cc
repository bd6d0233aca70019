#include "report/svg_sparkline.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/svg_util.h"

namespace goldthread::report {

std::string RenderSparklineSvg(const stats::SpcResult& chart, const SparklineSvgOptions& o) {
  const auto& pts = chart.points;
  auto provisional = [&](size_t i) { return i < o.provisional.size() && o.provisional[i]; };
  // Room for the end points' dots on every side.
  const double left = 4, right = o.width - 4.0, top = 4, bottom = o.height - 4.0;
  const auto [lo, hi] = SpcRange(chart, std::nullopt);
  const LinearScale sy{lo, hi, bottom, top};
  const double n = static_cast<double>(std::max<size_t>(pts.size(), 1));
  const LinearScale sx{-0.5, n - 0.5, left, right};

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "class=\"sparkline\"><title>{2}</title>",
      o.width, o.height, SvgEscape(o.title));
  if (!o.desc.empty()) s += fmt::format("<desc>{}</desc>", SvgEscape(o.desc));
  // Provisional periods shaded, as on the full chart.
  for (size_t i = 0; i < pts.size(); ++i)
    if (provisional(i))
      s += fmt::format("<rect x=\"{:.1f}\" y=\"0\" width=\"{:.1f}\" height=\"{}\" fill=\"#f2f2f2\"/>",
                       sx(static_cast<double>(i) - 0.5), sx(1.0) - sx(0.0), o.height);
  // Mean and limits of each segment.
  for (size_t start = 0; start < pts.size();) {
    size_t end = start;
    while (end < pts.size() && pts[end].segment == pts[start].segment) ++end;
    for (auto field : {&stats::SpcPoint::mean, &stats::SpcPoint::lpl, &stats::SpcPoint::upl}) {
      std::vector<double> xs, ys;
      for (size_t i = start; i < end; ++i)
        if (const auto& v = pts[i].*field) xs.push_back(sx(static_cast<double>(i))), ys.push_back(sy(*v));
      if (xs.empty()) continue;
      s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"{}/>", StepPath(xs, ys),
                       field == &stats::SpcPoint::mean ? "#000000" : "#7b7d7d",
                       field == &stats::SpcPoint::mean ? "" : " stroke-dasharray=\"3,2\"");
    }
    start = end;
  }
  for (size_t b : o.breaks)
    if (b > 0 && b < pts.size())
      s += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"0\" y2=\"{1}\" stroke=\"{2}\" stroke-width=\"1.5\"/>",
                       sx(static_cast<double>(b) - 0.5), o.height, kColourText);
  std::string path;
  bool pen = false;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].missing || provisional(i)) {
      pen = false;
      continue;
    }
    path += fmt::format("{}{:.1f},{:.1f}", pen ? "L" : "M", sx(static_cast<double>(i)), sy(pts[i].y));
    pen = true;
  }
  if (!path.empty())
    s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/>", path, kColourLine);
  // Points: special causes coloured and larger, common cause small and grey.
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].missing) continue;
    const double cx = sx(static_cast<double>(i)), cy = sy(pts[i].y);
    if (provisional(i)) {
      s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"#ffffff\" stroke=\"{}\"/>", cx, cy,
                       kColourLine);
      continue;
    }
    const bool special = pts[i].point_type && *pts[i].point_type != stats::PointType::kCommonCause;
    const std::string_view colour = special ? PointColour(pts[i].point_type) : kColourLine;
    s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\"/>", cx, cy, special ? 3 : 1.8,
                     colour);
  }
  s += "</svg>";
  return s;
}

}  // namespace goldthread::report
