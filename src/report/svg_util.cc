#include "report/svg_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace goldthread::report {

std::string SvgEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FormatNumber(double v, int digits) {
  if (!std::isfinite(v)) return "";
  if (std::fabs(v) < 1e-12) return "0";
  return fmt::format("{:.{}g}", v, digits);
}

std::vector<double> NiceTicks(double lo, double hi, int count) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || count < 2) return ticks;
  if (hi <= lo) hi = lo + 1.0;
  // Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
  double raw = (hi - lo) / (count - 1);
  if (!std::isfinite(raw)) raw = hi / (count - 1) - lo / (count - 1);  // a range as wide as +-1e308
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double step = (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * mag;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

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

std::pair<double, double> SpcRange(const stats::SpcResult& chart, std::optional<double> target) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  auto widen = [&](std::optional<double> v) {
    if (v && std::isfinite(*v)) lo = std::min(lo, *v), hi = std::max(hi, *v);
  };
  for (const auto& p : chart.points) {
    if (!p.missing) widen(p.y);
    widen(p.lpl), widen(p.upl), widen(p.mean);
  }
  widen(target);
  if (!std::isfinite(lo)) lo = 0.0, hi = 1.0;
  if (hi - lo < 1e-12) lo -= 1.0, hi += 1.0;
  return {lo, hi};
}

std::string StepPath(const std::vector<double>& xs, const std::vector<double>& ys) {
  std::string d;
  for (size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    const double left = i == 0 ? xs[i] : (xs[i - 1] + xs[i]) / 2.0;
    const double right = i + 1 == xs.size() ? xs[i] : (xs[i] + xs[i + 1]) / 2.0;
    d += fmt::format("{}{:.1f},{:.1f}L{:.1f},{:.1f}", i == 0 ? "M" : "L", left, ys[i], right, ys[i]);
  }
  return d;
}

std::string SvgOpen(int width, int height, std::string_view title, std::string_view desc) {
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" font-family=\"Arial, Helvetica, sans-serif\">\n<title>{2}</title>\n",
      width, height, SvgEscape(title));
  if (!desc.empty()) s += fmt::format("<desc>{}</desc>\n", SvgEscape(desc));
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  return s;
}

std::string SvgTitle(std::string_view title, std::string_view subtitle, double x) {
  std::ostringstream s;
  s << "<text x=\"" << x << "\" y=\"26\" font-size=\"18\" font-weight=\"bold\" fill=\"" << kColourText << "\">"
    << SvgEscape(title) << "</text>\n";
  if (!subtitle.empty()) {
    s << "<text x=\"" << x << "\" y=\"46\" font-size=\"12\" fill=\"#595959\">" << SvgEscape(subtitle)
      << "</text>\n";
  }
  return s.str();
}

}  // namespace goldthread::report
