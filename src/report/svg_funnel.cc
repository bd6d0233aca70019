#include "report/svg_funnel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "report/svg_util.h"

namespace goldthread::report {

std::string RenderFunnelSvg(const std::vector<std::string>& units, const stats::FunnelResult& funnel,
                            const FunnelSvgOptions& o) {
  const stats::FunnelModel& m = funnel.model;
  const bool proportion = m.options.type == stats::FunnelType::kProportion;
  const double left = 80, right = o.width - (o.legend_below ? 24.0 : 190.0), top = o.legend_below ? 78 : 70,
               bottom = o.height - (o.legend_below ? 96.0 : 70.0);
  double max_n = 0.0, min_v = m.target, max_v = m.target;
  size_t outliers = 0, shown = 0;
  for (size_t i = 0; i < funnel.units.size(); ++i) {
    const auto& u = funnel.units[i];
    if (!u.value) continue;
    shown += static_cast<int>(i) != o.highlight;
    max_n = std::max(max_n, u.denominator);
    min_v = std::min(min_v, *u.value);
    max_v = std::max(max_v, *u.value);
    if (u.outlier && *u.outlier != stats::Outlier::kNone) ++outliers;
  }
  if (max_n <= 0.0) max_n = 1.0;
  // The y range as FunnelPlotR's draw: from min(0.7·target, 0.9·min) to
  // max(1.3·target, 1.1·max), within [0, 1] for proportions.
  double y0 = std::min(0.7 * m.target, 0.9 * min_v), y1 = std::max(1.3 * m.target, 1.1 * max_v);
  // Unlike FunnelPlotR, also show the 99.8% limits at the median
  // denominator, so the funnel's shape is visible when the units cluster.
  std::vector<double> dens;
  for (const auto& u : funnel.units) {
    if (u.value) dens.push_back(u.denominator);
  }
  if (!dens.empty()) {
    std::nth_element(dens.begin(), dens.begin() + dens.size() / 2, dens.end());
    const stats::FunnelLimits mid = stats::LimitsAt(m, dens[dens.size() / 2]);
    y0 = std::min(y0, mid.lower998 - 0.05 * (mid.upper998 - mid.lower998));
    y1 = std::max(y1, mid.upper998 + 0.05 * (mid.upper998 - mid.lower998));
  }
  if (proportion) y0 = std::max(0.0, y0), y1 = std::min(1.0, y1);
  y0 = std::max(0.0, y0);  // proportions and ratios are never negative
  if (y1 - y0 < 1e-9) y0 -= 0.5, y1 += 0.5;
  const std::vector<double> yt = NiceTicks(y0, y1, 7);
  const std::vector<double> xt = NiceTicks(0.0, max_n * 1.05, 7);
  const double x1 = std::max(max_n * 1.05, xt.empty() ? 0.0 : xt.back());
  const LinearScale sx{0.0, x1, left, right};
  const LinearScale sy{y0, y1, bottom, top};

  std::string subtitle = std::to_string(shown) + " units; target " + FormatNumber(m.target, 4) + "; " +
                         std::to_string(outliers) + " outside the " +
                         (m.options.outliers_at_998 ? "99.8%" : "95%") + " limits";
  if (m.adjusted) {
    subtitle += m.options.adjust == stats::FunnelAdjust::kTau2
                    ? "; limits adjusted for overdispersion (τ² = " + FormatNumber(m.tau2, 3) + ")"
                    : "; limits adjusted for overdispersion (φ = " + FormatNumber(m.phi, 3) + ")";
  } else if (m.options.exact) {
    subtitle += "; exact binomial limits";
  }

  std::ostringstream s;
  s << SvgOpen(o.width, o.height, o.title, o.desc);
  if (o.legend_below) {
    // Narrow: the subtitle on two lines, split before the limits' words.
    const size_t cut = subtitle.find("; limits");
    s << SvgTitle(o.title, subtitle.substr(0, cut), left);
    if (cut != std::string::npos)
      s << "<text x=\"" << left << "\" y=\"62\" font-size=\"12\" fill=\"#595959\">" << SvgEscape(subtitle.substr(cut + 2))
        << "</text>\n";
  } else {
    s << SvgTitle(o.title, subtitle, left);
  }
  s << "<defs><clipPath id=\"" << SvgEscape(o.clip_id) << "\"><rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << right - left
    << "\" height=\"" << bottom - top << "\"/></clipPath></defs>\n";
  for (double t : yt) {
    s << "<line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << sy(t) << "\" y2=\"" << sy(t)
      << "\" stroke=\"#e5e5e5\"/><text x=\"" << left - 8 << "\" y=\"" << sy(t) + 4
      << "\" text-anchor=\"end\" font-size=\"13\" fill=\"" << kColourText << "\">"
      << (o.percent && proportion ? FormatNumber(t * 100.0) + "%" : FormatNumber(t)) << "</text>\n";
  }
  for (double t : xt) {
    s << "<text x=\"" << sx(t) << "\" y=\"" << bottom + 18 << "\" text-anchor=\"middle\" font-size=\"13\" fill=\""
      << kColourText << "\">" << FormatNumber(t, 6) << "</text>\n";
  }
  s << "<line x1=\"" << left << "\" x2=\"" << left << "\" y1=\"" << top << "\" y2=\"" << bottom
    << "\" stroke=\"#595959\"/><line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << bottom
    << "\" y2=\"" << bottom << "\" stroke=\"#595959\"/>\n";
  const std::string y_label =
      !o.y_label.empty() ? o.y_label : (proportion ? "Proportion" : "Ratio (observed / expected)");
  s << "<text x=\"" << (left + right) / 2 << "\" y=\"" << o.height - (o.legend_below ? 48 : 20)
    << "\" text-anchor=\"middle\" font-size=\"14\" fill=\"" << kColourText << "\">" << SvgEscape(o.x_label)
    << "</text>\n<text transform=\"translate(20," << (top + bottom) / 2
    << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"14\" fill=\"" << kColourText << "\">"
    << SvgEscape(y_label) << "</text>\n";

  // Limit curves, sampled on a square-root grid (they change fastest at
  // small denominators), clipped to the plot area.
  constexpr int kSteps = 160;
  std::ostringstream l95, u95, l998, u998;
  for (int i = 0; i <= kSteps; ++i) {
    const double f = static_cast<double>(i) / kSteps;
    const double n = std::max(1.0, x1 * f * f);
    const stats::FunnelLimits l = stats::LimitsAt(m, n);
    const char* cmd = i == 0 ? "M" : "L";
    auto clampy = [&](double v) { return std::clamp(sy(v), top - 50.0, bottom + 50.0); };
    l95 << cmd << sx(n) << "," << clampy(l.lower95);
    u95 << cmd << sx(n) << "," << clampy(l.upper95);
    l998 << cmd << sx(n) << "," << clampy(l.lower998);
    u998 << cmd << sx(n) << "," << clampy(l.upper998);
  }
  s << "<g clip-path=\"url(#" << SvgEscape(o.clip_id) << ")\" fill=\"none\">\n"
    << "<path d=\"" << l95.str() << "\" stroke=\"#7b7d7d\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n"
    << "<path d=\"" << u95.str() << "\" stroke=\"#7b7d7d\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n"
    << "<path d=\"" << l998.str() << "\" stroke=\"#231f20\" stroke-width=\"1.5\"/>\n"
    << "<path d=\"" << u998.str() << "\" stroke=\"#231f20\" stroke-width=\"1.5\"/>\n"
    << "<line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << sy(m.target) << "\" y2=\"" << sy(m.target)
    << "\" stroke=\"#000000\" stroke-width=\"1.5\"/>\n</g>\n";

  // Label at most kMaxLabels outliers, the most extreme first, so that a
  // plot with many outliers stays readable (the tooltip names every unit).
  constexpr size_t kMaxLabels = 12;
  std::vector<size_t> labelled;
  for (size_t i = 0; i < funnel.units.size(); ++i) {
    const auto& u = funnel.units[i];
    if (u.value && u.outlier && *u.outlier != stats::Outlier::kNone) labelled.push_back(i);
  }
  auto extremity = [&](size_t i) {
    const auto& u = funnel.units[i];
    return u.z ? std::fabs(*u.z) : std::numeric_limits<double>::infinity();
  };
  std::stable_sort(labelled.begin(), labelled.end(), [&](size_t a, size_t b) { return extremity(a) > extremity(b); });
  if (labelled.size() > kMaxLabels) labelled.resize(kMaxLabels);
  for (size_t i = 0; i < funnel.units.size(); ++i) {
    const auto& u = funnel.units[i];
    if (!u.value || static_cast<int>(i) == o.highlight) continue;
    const bool out = u.outlier && *u.outlier != stats::Outlier::kNone;
    const std::string_view colour = out ? kColourNeutral : kColourCommonCause;
    const std::string name = i < units.size() ? units[i] : "";
    s << "<circle cx=\"" << sx(u.denominator) << "\" cy=\"" << sy(*u.value) << "\" r=\"4.5\" fill=\"" << colour
      << "\" fill-opacity=\"0.85\"><title>" << SvgEscape(name) << ": " << FormatNumber(*u.value, 4) << " ("
      << FormatNumber(u.numerator, 8) << " / " << FormatNumber(u.denominator, 8) << ")</title></circle>\n";
    if (std::find(labelled.begin(), labelled.end(), i) != labelled.end()) {
      s << "<text x=\"" << sx(u.denominator) + 6 << "\" y=\"" << sy(*u.value) - 5 << "\" font-size=\"12\" fill=\""
        << kColourNeutral << "\">" << SvgEscape(name) << "</text>\n";
    }
  }
  // The highlighted unit last, on top of the others, and always named.
  if (o.highlight >= 0 && static_cast<size_t>(o.highlight) < funnel.units.size() &&
      funnel.units[o.highlight].value) {
    const auto& u = funnel.units[o.highlight];
    const std::string name = static_cast<size_t>(o.highlight) < units.size() ? units[o.highlight] : "";
    const double cx = sx(u.denominator), cy = sy(*u.value);
    s << "<g class=\"highlight\"><circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"7\" fill=\"#005eb8\" "
      << "stroke=\"#000000\" stroke-width=\"1.5\"><title>" << SvgEscape(name) << ": " << FormatNumber(*u.value, 4)
      << " (" << FormatNumber(u.numerator, 8) << " / " << FormatNumber(u.denominator, 8) << ")</title></circle>"
      << "<text x=\"" << cx + (cx > (left + right) / 2 ? -10 : 10) << "\" y=\"" << cy - 10 << "\" text-anchor=\""
      << (cx > (left + right) / 2 ? "end" : "start") << "\" font-size=\"14\" font-weight=\"bold\" fill=\"#005eb8\">"
      << SvgEscape(name) << "</text></g>\n";
  }
  if (o.legend_below) {
    const double ly = o.height - 18.0;
    s << "<line x1=\"" << left << "\" x2=\"" << left + 22 << "\" y1=\"" << ly << "\" y2=\"" << ly
      << "\" stroke=\"#000000\" stroke-width=\"1.5\"/><text x=\"" << left + 27 << "\" y=\"" << ly + 4
      << "\" font-size=\"14\">Target</text><line x1=\"" << left + 84 << "\" x2=\"" << left + 106 << "\" y1=\"" << ly
      << "\" y2=\"" << ly << "\" stroke=\"#7b7d7d\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/><text x=\""
      << left + 111 << "\" y=\"" << ly + 4 << "\" font-size=\"14\">95%</text><line x1=\"" << left + 150 << "\" x2=\""
      << left + 172 << "\" y1=\"" << ly << "\" y2=\"" << ly << "\" stroke=\"#231f20\" stroke-width=\"1.5\"/><text x=\""
      << left + 177 << "\" y=\"" << ly + 4 << "\" font-size=\"14\">99.8% limits</text></svg>\n";
    return s.str();
  }
  // Legend, right of the plot.
  const double lx = right + 24, ly = top + 14;
  s << "<rect x=\"" << lx - 10 << "\" y=\"" << ly - 12 << "\" width=\"175\" height=\"78\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#d9d9d9\"/>\n"
    << "<line x1=\"" << lx << "\" x2=\"" << lx + 26 << "\" y1=\"" << ly << "\" y2=\"" << ly << "\" stroke=\"#000000\" stroke-width=\"1.5\"/>"
    << "<text x=\"" << lx + 32 << "\" y=\"" << ly + 4 << "\" font-size=\"13\">Target</text>\n"
    << "<line x1=\"" << lx << "\" x2=\"" << lx + 26 << "\" y1=\"" << ly + 18 << "\" y2=\"" << ly + 18
    << "\" stroke=\"#7b7d7d\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>"
    << "<text x=\"" << lx + 32 << "\" y=\"" << ly + 22 << "\" font-size=\"13\">95% limits</text>\n"
    << "<line x1=\"" << lx << "\" x2=\"" << lx + 26 << "\" y1=\"" << ly + 36 << "\" y2=\"" << ly + 36
    << "\" stroke=\"#231f20\" stroke-width=\"1.5\"/>"
    << "<text x=\"" << lx + 32 << "\" y=\"" << ly + 40 << "\" font-size=\"13\">99.8% limits</text>\n"
    << "<circle cx=\"" << lx + 13 << "\" cy=\"" << ly + 54 << "\" r=\"4.5\" fill=\"" << kColourNeutral << "\"/>"
    << "<text x=\"" << lx + 32 << "\" y=\"" << ly + 58 << "\" font-size=\"13\">Outlier</text>\n";
  s << "</svg>\n";
  return s.str();
}

}  // namespace goldthread::report
