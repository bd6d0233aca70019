#include "report/svg_spc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "report/svg_util.h"

namespace goldthread::report {
namespace {

std::string_view PointColour(std::optional<stats::PointType> t) {
  if (!t) return kColourCommonCause;
  switch (*t) {
    case stats::PointType::kImprovement: return kColourImprovement;
    case stats::PointType::kConcern: return kColourConcern;
    case stats::PointType::kNeutralHigh:
    case stats::PointType::kNeutralLow: return kColourNeutral;
    case stats::PointType::kCommonCause: return kColourCommonCause;
  }
  return kColourCommonCause;
}

// The variation icon: letter H or L for a special cause high or low, or a
// wave for common cause (Making Data Count, "variation icons").
void VariationIcon(stats::PointType t, stats::Polarity polarity, std::string& letter,
                   std::string& caption) {
  const bool up = polarity != stats::Polarity::kDown;
  switch (t) {
    case stats::PointType::kCommonCause: letter = "~"; caption = "Common cause"; return;
    case stats::PointType::kImprovement:
      letter = up ? "H" : "L";
      caption = up ? "Improvement (high)" : "Improvement (low)";
      return;
    case stats::PointType::kConcern:
      letter = up ? "L" : "H";
      caption = up ? "Concern (low)" : "Concern (high)";
      return;
    case stats::PointType::kNeutralHigh: letter = "H"; caption = "Special cause (high)"; return;
    case stats::PointType::kNeutralLow: letter = "L"; caption = "Special cause (low)"; return;
  }
}

// A step line through per-point limit values of one segment.
std::string LimitPath(const std::vector<double>& xs, const std::vector<double>& ys) {
  std::ostringstream d;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double left = i == 0 ? xs[i] : (xs[i - 1] + xs[i]) / 2.0;
    const double right = i + 1 == xs.size() ? xs[i] : (xs[i] + xs[i + 1]) / 2.0;
    d << (i == 0 ? "M" : "L") << left << "," << ys[i] << "L" << right << "," << ys[i];
  }
  return d.str();
}

}  // namespace

std::string RenderSpcSvg(const std::vector<std::string>& x, const stats::SpcResult& chart,
                         const SpcSvgOptions& o) {
  const auto& pts = chart.points;
  const double left = 72, right = o.width - 190.0, top = 70, bottom = o.height - 90.0;
  // The y range covers values, limits and target, padded by 8%.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  auto widen = [&](std::optional<double> v) {
    if (v && std::isfinite(*v)) lo = std::min(lo, *v), hi = std::max(hi, *v);
  };
  for (const auto& p : pts) {
    if (!p.missing) widen(p.y);
    widen(p.lpl), widen(p.upl), widen(p.mean);
  }
  widen(o.target);
  if (!std::isfinite(lo)) lo = 0.0, hi = 1.0;
  if (hi - lo < 1e-12) lo -= 1.0, hi += 1.0;
  const double pad = (hi - lo) * 0.08;
  const std::vector<double> ticks = NiceTicks(lo - pad, hi + pad, 6);
  const double y0 = std::min(lo - pad, ticks.empty() ? lo : ticks.front());
  const double y1 = std::max(hi + pad, ticks.empty() ? hi : ticks.back());
  const LinearScale sy{y0, y1, bottom, top};
  const double n = static_cast<double>(std::max<size_t>(pts.size(), 1));
  const LinearScale sx{-0.5, n - 0.5, left, right};

  bool trial = false;
  for (const auto& p : pts) trial = trial || (!p.missing && p.trial_limits);
  std::string subtitle = std::to_string(pts.size()) + " points";
  if (trial) subtitle += "; trial limits (fewer than 13 points)";

  std::ostringstream s;
  s << SvgOpen(o.width, o.height, o.title) << SvgTitle(o.title, subtitle, left);
  // Grid and y axis.
  for (double t : ticks) {
    s << "<line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << sy(t) << "\" y2=\"" << sy(t)
      << "\" stroke=\"#e5e5e5\"/>"
      << "<text x=\"" << left - 8 << "\" y=\"" << sy(t) + 4 << "\" text-anchor=\"end\" font-size=\"11\" fill=\""
      << kColourText << "\">" << FormatNumber(t) << "</text>\n";
  }
  s << "<line x1=\"" << left << "\" x2=\"" << left << "\" y1=\"" << top << "\" y2=\"" << bottom
    << "\" stroke=\"#595959\"/><line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << bottom
    << "\" y2=\"" << bottom << "\" stroke=\"#595959\"/>\n";
  // x labels: at most about 16, rotated.
  const size_t every = std::max<size_t>(1, (pts.size() + 15) / 16);
  for (size_t i = 0; i < pts.size(); i += every) {
    const double px = sx(static_cast<double>(i));
    s << "<text transform=\"translate(" << px << "," << bottom + 14 << ") rotate(-40)\" text-anchor=\"end\" font-size=\"11\" fill=\""
      << kColourText << "\">" << SvgEscape(i < x.size() ? x[i] : "") << "</text>\n";
  }
  if (!o.x_label.empty()) {
    s << "<text x=\"" << (left + right) / 2 << "\" y=\"" << o.height - 12
      << "\" text-anchor=\"middle\" font-size=\"12\" fill=\"" << kColourText << "\">" << SvgEscape(o.x_label)
      << "</text>\n";
  }
  if (!o.y_label.empty()) {
    s << "<text transform=\"translate(18," << (top + bottom) / 2
      << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"" << kColourText << "\">"
      << SvgEscape(o.y_label) << "</text>\n";
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
      if (!xs.empty()) s << "<path d=\"" << LimitPath(xs, ys) << "\" fill=\"none\" " << line.style << "/>\n";
    }
    if (start > 0) {
      const double px = sx(static_cast<double>(start) - 0.5);
      s << "<line x1=\"" << px << "\" x2=\"" << px << "\" y1=\"" << top << "\" y2=\"" << bottom
        << "\" stroke=\"#bfbfbf\" stroke-dasharray=\"2,3\"/>\n";
    }
    start = end;
  }
  if (o.target) {
    s << "<line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << sy(*o.target) << "\" y2=\""
      << sy(*o.target) << "\" stroke=\"" << kColourTarget << "\" stroke-width=\"1.5\" stroke-dasharray=\"2,3\"/>\n"
      << "<text x=\"" << right + 4 << "\" y=\"" << sy(*o.target) + 4 << "\" font-size=\"11\" fill=\""
      << kColourTarget << "\">target</text>\n";
  }
  // Data line and points.
  s << "<path d=\"";
  bool pen = false;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].missing) {
      pen = false;
      continue;
    }
    s << (pen ? "L" : "M") << sx(static_cast<double>(i)) << "," << sy(pts[i].y);
    pen = true;
  }
  s << "\" fill=\"none\" stroke=\"" << kColourLine << "\" stroke-width=\"2\"/>\n";
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].missing) continue;
    s << "<circle cx=\"" << sx(static_cast<double>(i)) << "\" cy=\"" << sy(pts[i].y) << "\" r=\"5\" fill=\""
      << PointColour(pts[i].point_type) << "\" stroke=\"" << PointColour(pts[i].point_type) << "\"><title>"
      << SvgEscape(i < x.size() ? x[i] : "") << ": " << FormatNumber(pts[i].y, 6) << "</title></circle>\n";
  }
  // Icons, top right.
  const double icon_x = o.width - 95.0;
  if (chart.variation) {
    std::string letter, caption;
    VariationIcon(*chart.variation, o.polarity, letter, caption);
    s << "<text x=\"" << icon_x << "\" y=\"" << top + 4 << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#595959\">Variation</text>\n"
      << SvgIcon(icon_x, top + 36, PointColour(*chart.variation), letter, caption);
  }
  if (chart.assurance) {
    std::string_view colour = kColourCommonCause, letter = "?", caption = "Hit and miss";
    if (*chart.assurance == stats::Assurance::kConsistentPass) {
      colour = kColourImprovement, letter = "P", caption = "Consistently pass";
    } else if (*chart.assurance == stats::Assurance::kConsistentFail) {
      colour = kColourConcern, letter = "F", caption = "Consistently fail";
    }
    s << "<text x=\"" << icon_x << "\" y=\"" << top + 108 << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#595959\">Assurance</text>\n"
      << SvgIcon(icon_x, top + 140, colour, letter, caption);
  }
  // Legend.
  const double ly = top + 230;
  const std::pair<std::string_view, std::string_view> legend[] = {
      {kColourImprovement, "Improvement"}, {kColourConcern, "Concern"},
      {kColourNeutral, "Neutral special cause"}, {kColourCommonCause, "Common cause"}};
  for (size_t i = 0; i < 4; ++i) {
    const double yy = ly + 18.0 * static_cast<double>(i);
    s << "<circle cx=\"" << right + 30 << "\" cy=\"" << yy << "\" r=\"5\" fill=\"" << legend[i].first
      << "\"/><text x=\"" << right + 42 << "\" y=\"" << yy + 4 << "\" font-size=\"11\" fill=\"" << kColourText
      << "\">" << legend[i].second << "</text>\n";
  }
  s << "<text x=\"" << right + 24 << "\" y=\"" << ly + 80
    << "\" font-size=\"11\" fill=\"#595959\">— mean   - - limits</text>\n";
  s << "</svg>\n";
  return s.str();
}

}  // namespace goldthread::report
