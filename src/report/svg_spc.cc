#include "report/svg_spc.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/svg_icons.h"
#include "report/svg_util.h"

namespace goldthread::report {

std::string RenderSpcSvg(const std::vector<std::string>& x, const stats::SpcResult& chart,
                         const SpcSvgOptions& o) {
  const auto& pts = chart.points;
  const bool panel = o.side_panel;
  const double left = 72, right = o.width - (panel ? 190.0 : 24.0), top = panel ? 64 : 52,
               bottom = o.height - (panel ? 90.0 : 134.0);
  auto provisional = [&](size_t i) { return i < o.provisional.size() && o.provisional[i]; };
  // The y range covers values, limits and target, padded by 8%.
  const auto [lo, hi] = SpcRange(chart, o.target);
  double pad = (hi - lo) * 0.08;
  if (!std::isfinite(pad)) pad = hi * 0.08 - lo * 0.08;  // values as far apart as +-1e308
  const std::vector<double> ticks = NiceTicks(lo - pad, hi + pad, 6);
  const double y0 = std::min(lo - pad, ticks.empty() ? lo : ticks.front());
  const double y1 = std::max(hi + pad, ticks.empty() ? hi : ticks.back());
  const LinearScale sy{y0, y1, bottom, top};
  const double n = static_cast<double>(std::max<size_t>(pts.size(), 1));
  const LinearScale sx{-0.5, n - 0.5, left, right};

  bool trial = false;
  size_t shown = 0, prov = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    trial = trial || (!pts[i].missing && pts[i].trial_limits);
    if (!pts[i].missing) ++shown;
    if (provisional(i)) ++prov;
  }
  std::string subtitle = fmt::format("{} points", shown);
  if (!pts.empty() && !x.empty()) subtitle += fmt::format(", {} to {}", x.front(), x.back());
  if (trial) subtitle += "; trial limits (fewer than 13 points)";
  if (prov) subtitle += fmt::format("; {} provisional", prov);

  std::ostringstream s;
  // Embedded in a page, the heading above names the chart: show only the
  // subtitle (the <title> still names it for screen readers).
  s << SvgOpen(o.width, o.height, o.title, o.desc);
  if (panel) s << SvgTitle(o.title, subtitle, left);
  else {
    // Two lines at most, split after the points and period range, so a
    // narrow chart keeps it inside its width.
    const size_t cut = subtitle.find("; ");
    s << fmt::format("<text x=\"{:.1f}\" y=\"18\" font-size=\"13\" fill=\"#4d4d4d\">{}</text>\n", left,
                     SvgEscape(subtitle.substr(0, cut)));
    if (cut != std::string::npos)
      s << fmt::format("<text x=\"{:.1f}\" y=\"35\" font-size=\"13\" fill=\"#4d4d4d\">{}</text>\n", left,
                       SvgEscape(subtitle.substr(cut + 2)));
  }
  // Grid and y axis.
  for (double t : ticks) {
    s << fmt::format(
        "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e5e5e5\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"14\" fill=\"{}\">{}{}</text>\n",
        left, right, sy(t), sy(t), left - 8, sy(t) + 4, kColourText, FormatNumber(t), SvgEscape(o.value_suffix));
  }
  s << fmt::format(
      "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#595959\"/>"
      "<line x1=\"{0:.1f}\" x2=\"{3:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#595959\"/>\n",
      left, top, bottom, right);
  // x labels: at most about 16, rotated; every point gets a tick.
  const size_t every = std::max<size_t>(1, (pts.size() + 15) / 16);
  for (size_t i = 0; i < pts.size(); ++i) {
    const double px = sx(static_cast<double>(i));
    s << fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#595959\"/>", px,
                     bottom, bottom + 4);
    if (i % every == 0 || i + 1 == pts.size())
      s << fmt::format(
          "<text transform=\"translate({:.1f},{:.1f}) rotate(-40)\" text-anchor=\"end\" font-size=\"14\" "
          "fill=\"{}\">{}</text>\n",
          px, bottom + 16, kColourText, SvgEscape(i < x.size() ? x[i] : ""));
  }
  if (!o.x_label.empty())
    s << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"14\" fill=\"{}\">{}</text>\n",
                     (left + right) / 2, panel ? bottom + 66 : o.height - 46.0, kColourText, SvgEscape(o.x_label));
  if (!o.y_label.empty())
    s << fmt::format(
        "<text transform=\"translate(16,{:.1f}) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\" "
        "fill=\"{}\">{}</text>\n",
        (top + bottom) / 2, kColourText, SvgEscape(o.y_label));
  // Provisional periods: a shaded band, so they are not read as the trend.
  for (size_t i = 0; i < pts.size(); ++i) {
    if (!provisional(i)) continue;
    const double a = sx(static_cast<double>(i) - 0.5), b = sx(static_cast<double>(i) + 0.5);
    s << fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#f2f2f2\"/>", a, top,
                     b - a, bottom - top);
  }
  // Mean and limits, segment by segment.
  for (size_t start = 0; start < pts.size();) {
    size_t end = start;
    while (end < pts.size() && pts[end].segment == pts[start].segment) ++end;
    struct Line {
      std::optional<double> stats::SpcPoint::*field;
      const char* style;
    };
    const Line lines[] = {
        {&stats::SpcPoint::mean, "stroke=\"#000000\" stroke-width=\"1.5\""},
        {&stats::SpcPoint::upl, "stroke=\"#7b7d7d\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\""},
        {&stats::SpcPoint::lpl, "stroke=\"#7b7d7d\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\""},
    };
    for (const Line& line : lines) {
      std::vector<double> xs, ys;
      for (size_t i = start; i < end; ++i) {
        const auto& v = pts[i].*(line.field);
        if (v) xs.push_back(sx(static_cast<double>(i))), ys.push_back(sy(*v));
      }
      if (!xs.empty()) s << "<path d=\"" << StepPath(xs, ys) << "\" fill=\"none\" " << line.style << "/>\n";
    }
    if (start > 0) {
      const double px = sx(static_cast<double>(start) - 0.5);
      s << fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#bfbfbf\" "
                       "stroke-dasharray=\"2,3\"/>\n",
                       px, top, bottom);
    }
    start = end;
  }
  // Definition-version breaks: a solid line with the new version's label.
  for (const auto& [index, label] : o.breaks) {
    if (index >= pts.size()) continue;
    const double px = sx(static_cast<double>(index) - 0.5);
    s << fmt::format(
        "<g class=\"version-break\"><line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" "
        "stroke=\"{3}\" stroke-width=\"2\"/><text x=\"{4:.1f}\" y=\"{5:.1f}\" font-size=\"14\" fill=\"{3}\">{6}</text></g>\n",
        px, top, bottom, kColourText, px + 4, top + 12, SvgEscape(label));
  }
  if (o.target) {
    s << fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" stroke-width=\"1.5\" "
        "stroke-dasharray=\"2,3\"/><text x=\"{4:.1f}\" y=\"{5:.1f}\" text-anchor=\"end\" font-size=\"14\" "
        "fill=\"{3}\">target {6}{7}</text>\n",
        left, right, sy(*o.target), kColourTarget, right, sy(*o.target) - 4, FormatNumber(*o.target),
        SvgEscape(o.value_suffix));
  }
  // Data line (final points only) and points.
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
  s << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << kColourLine << "\" stroke-width=\"2\"/>\n";
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].missing) continue;
    const std::string label = i < x.size() ? x[i] : "";
    if (provisional(i)) {
      s << fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"2\"><title>{}: "
          "{}{} (provisional)</title></circle>\n",
          sx(static_cast<double>(i)), sy(pts[i].y), kColourLine, SvgEscape(label), FormatNumber(pts[i].y, 4),
          SvgEscape(o.value_suffix));
      continue;
    }
    const std::string_view colour = PointColour(pts[i].point_type);
    s << fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\" stroke=\"{}\"><title>{}: {}{}</title></circle>\n",
        sx(static_cast<double>(i)), sy(pts[i].y), colour, colour, SvgEscape(label), FormatNumber(pts[i].y, 4),
        SvgEscape(o.value_suffix));
  }
  // Findings: a triangle above the point and its label.
  for (const SpcMarker& m : o.markers) {
    if (m.index >= pts.size() || pts[m.index].missing) continue;
    const double px = sx(static_cast<double>(m.index)), py = sy(pts[m.index].y) - 12;
    s << fmt::format(
        "<g class=\"finding-marker\"><path d=\"M{0:.1f},{1:.1f}l-6,-10h12z\" fill=\"{2}\" stroke=\"#000000\" "
        "stroke-width=\"0.5\"><title>{3}</title></path></g>\n",
        px, py, kColourTarget, SvgEscape(m.label));
  }
  if (panel) {
    const double icon_x = o.width - 95.0;
    if (chart.variation) {
      s << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"11\" "
                       "fill=\"#595959\">Variation</text>\n",
                       icon_x, top + 4)
        << VariationIconGroup(*chart.variation, o.polarity, icon_x, top + 36);
    }
    if (chart.assurance) {
      s << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"11\" "
                       "fill=\"#595959\">Assurance</text>\n",
                       icon_x, top + 108)
        << AssuranceIconGroup(*chart.assurance, icon_x, top + 140);
    }
  }
  // Legend: in the panel, or one line under the chart.
  const std::pair<std::string_view, std::string_view> legend[] = {
      {kColourImprovement, "Improvement"}, {kColourConcern, "Concern"},
      {kColourNeutral, "Neutral special cause"}, {kColourCommonCause, "Common cause"}};
  if (panel) {
    const double ly = top + 230;
    for (size_t i = 0; i < 4; ++i) {
      const double yy = ly + 18.0 * static_cast<double>(i);
      s << fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\"/><text x=\"{:.1f}\" y=\"{:.1f}\" "
                       "font-size=\"11\" fill=\"{}\">{}</text>\n",
                       right + 30, yy, legend[i].first, right + 42, yy + 4, kColourText, legend[i].second);
    }
    s << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" fill=\"#595959\">— mean   - - limits</text>\n",
                     right + 24, ly + 80);
  } else {
    // Under the x label, on as many lines as it needs (two at 480 wide): an
    // item that would pass the right edge starts a new line. Widths from the
    // text at about 0.56 em a character. Swatches take {0} x and {1} y.
    double lx = left, ly = o.height - 28.0;
    auto item = [&](std::string_view swatch, std::string_view text) {
      const double w = 40.0 + 0.56 * 13.0 * static_cast<double>(text.size());
      if (lx > left && lx + w > o.width - 8.0) lx = left, ly += 20.0;
      s << fmt::format(fmt::runtime(swatch), lx, ly)
        << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"13\" fill=\"{}\">{}</text>", lx + 14,
                       ly + 4, kColourText, text);
      lx += w;
    };
    for (size_t i = 0; i < 4; ++i) {
      if (i == 2) continue;  // neutral: only for measures without a better direction
      item(fmt::format("<circle cx=\"{{0:.1f}}\" cy=\"{{1:.1f}}\" r=\"5\" fill=\"{}\"/>", legend[i].first),
           legend[i].second);
    }
    if (prov)
      item(fmt::format("<circle cx=\"{{0:.1f}}\" cy=\"{{1:.1f}}\" r=\"5\" fill=\"#ffffff\" stroke=\"{}\" "
                       "stroke-width=\"2\"/>",
                       kColourLine),
           "Provisional");
    if (!o.markers.empty())
      item(fmt::format("<path d=\"M{{0:.1f}},{{1:.1f}}m0,5l-6,-10h12z\" fill=\"{}\"/>", kColourTarget),
           "Integrity finding");
    item("<path d=\"M{0:.1f},{1:.1f}m-6,0h12\" stroke=\"#000\" stroke-width=\"1.5\"/>", "Mean");
    item("<path d=\"M{0:.1f},{1:.1f}m-6,0h12\" stroke=\"#7b7d7d\" stroke-width=\"1.5\" "
         "stroke-dasharray=\"6,4\"/>",
         "Process limits");
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace goldthread::report
