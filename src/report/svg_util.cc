#include "report/svg_util.h"

#include <fmt/format.h>

#include <cmath>
#include <sstream>
#include <fmt/format.h>

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
  const double raw = (hi - lo) / (count - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double step = (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * mag;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
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
