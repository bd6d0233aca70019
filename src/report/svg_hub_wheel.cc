#include "report/svg_hub_wheel.h"

#include <cmath>

#include <fmt/format.h>

#include "report/svg_util.h"

namespace goldthread::report {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kWidth = 760;
constexpr double kCx = 380, kCy = 300;
constexpr double kHole = 58, kInner = 112, kOuter = 210;  // radii: centre, outcome ring, intervention ring

// Tints of one blue for the five outcomes' ring, light enough for dark text.
constexpr const char* kOutcomeFill[] = {"#dbe9f6", "#c6dbef", "#b3d0ea", "#9ecae1", "#c9d9e8"};

const char* Fill(const std::string& rating) {
  return rating == "red" ? kRatingRed : rating == "amber" ? kRatingAmber : rating == "green" ? kRatingGreen : kRatingNone;
}
const char* Ink(const std::string& rating) { return rating == "amber" || rating.empty() ? "#231f20" : "#ffffff"; }

// Angles run clockwise from twelve o'clock, in radians.
double X(double r, double a) { return kCx + r * std::sin(a); }
double Y(double r, double a) { return kCy - r * std::cos(a); }

std::string Sector(double r0, double r1, double a0, double a1) {
  const int large = a1 - a0 > kPi ? 1 : 0;
  return fmt::format("M{:.1f},{:.1f} A{:.1f},{:.1f} 0 {} 1 {:.1f},{:.1f} L{:.1f},{:.1f} A{:.1f},{:.1f} 0 {} 0 {:.1f},{:.1f} Z",
                     X(r1, a0), Y(r1, a0), r1, r1, large, X(r1, a1), Y(r1, a1), X(r0, a1), Y(r0, a1), r0, r0, large,
                     X(r0, a0), Y(r0, a0));
}

std::string RatingWord(const std::string& rating) { return rating.empty() ? "not rated" : rating; }

}  // namespace

std::string HubWheelSvg(const HubWheelData& d) {
  const size_t n = d.segments.size();
  const int legend_rows = static_cast<int>(d.outcomes.size());
  const int height = static_cast<int>(kCy + kOuter) + 40 + 22 * legend_rows + 40;
  std::string desc = "The Carers' Hub wheel: ";
  for (size_t i = 0; i < n; ++i)
    desc += fmt::format("{}{} {}", i ? "; " : "", d.segments[i].label, RatingWord(d.segments[i].rating));
  std::string s = SvgOpen(kWidth, height, d.title, desc + ".");
  s += SvgTitle(d.title, d.subtitle, 16);
  if (n == 0) return s + "</svg>\n";
  const double step = 2 * kPi / static_cast<double>(n);
  // The outer ring: one segment per intervention.
  for (size_t i = 0; i < n; ++i) {
    const HubWheelSegment& seg = d.segments[i];
    const double a0 = step * static_cast<double>(i), a1 = a0 + step, mid = (a0 + a1) / 2;
    s += fmt::format("<path d=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"><title>{}</title></path>\n",
                     Sector(kInner, kOuter, a0, a1), Fill(seg.rating),
                     SvgEscape(fmt::format("{}: {}. {}", seg.label, RatingWord(seg.rating), seg.tooltip)));
    const double rn = (kInner + kOuter) / 2;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"15\" font-weight=\"bold\" fill=\"{}\" "
                     "text-anchor=\"middle\" dominant-baseline=\"middle\">{}</text>\n",
                     X(rn, mid), Y(rn, mid), Ink(seg.rating), i + 1);
    // Labels outside the ring, anchored away from the centre.
    const double rl = kOuter + 14, lx = X(rl, mid), ly = Y(rl, mid);
    const double sx = std::sin(mid);
    const char* anchor = sx > 0.15 ? "start" : sx < -0.15 ? "end" : "middle";
    const double dy = std::cos(mid) > 0.5 ? -6 : std::cos(mid) < -0.5 ? 10 : 0;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" fill=\"{}\" text-anchor=\"{}\">{}. {}"
                     "<tspan x=\"{:.1f}\" dy=\"14\" font-size=\"11\" fill=\"#595959\">{}</tspan></text>\n",
                     lx, ly + dy, kColourText, anchor, i + 1, SvgEscape(seg.label), lx, SvgEscape(seg.figure));
  }
  // The inner ring: the outcomes, each spanning its interventions.
  for (size_t o = 0; o < d.outcomes.size(); ++o) {
    size_t first = n, last = 0;
    for (size_t i = 0; i < n; ++i)
      if (d.segments[i].outcome == static_cast<int>(o)) first = std::min(first, i), last = i;
    if (first == n) continue;
    const double a0 = step * static_cast<double>(first), a1 = step * static_cast<double>(last + 1);
    const double mid = (a0 + a1) / 2, rm = (kHole + kInner) / 2;
    s += fmt::format("<path d=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"3\"><title>{}</title></path>\n",
                     Sector(kHole, kInner, a0, a1), kOutcomeFill[o % 5], SvgEscape(d.outcomes[o]));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"16\" font-weight=\"bold\" fill=\"#08306b\" "
                     "text-anchor=\"middle\" dominant-baseline=\"middle\">{}</text>\n",
                     X(rm, mid), Y(rm, mid), static_cast<char>('A' + o));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"#08306b\" "
                   "text-anchor=\"middle\">Carers'</text><text x=\"{}\" y=\"{}\" font-size=\"13\" "
                   "font-weight=\"bold\" fill=\"#08306b\" text-anchor=\"middle\">Hub</text>\n",
                   kCx, kCy - 3, kCx, kCy + 13);
  // The key: outcomes, then the colours.
  double y = kCy + kOuter + 44;
  for (size_t o = 0; o < d.outcomes.size(); ++o, y += 22) {
    s += fmt::format("<rect x=\"16\" y=\"{:.0f}\" width=\"18\" height=\"18\" fill=\"{}\"/><text x=\"25\" y=\"{:.0f}\" "
                     "font-size=\"12\" font-weight=\"bold\" fill=\"#08306b\" text-anchor=\"middle\">{}</text>"
                     "<text x=\"42\" y=\"{:.0f}\" font-size=\"12\" fill=\"{}\">{}</text>\n",
                     y - 13, kOutcomeFill[o % 5], y, static_cast<char>('A' + o), y, kColourText,
                     SvgEscape(d.outcomes[o]));
  }
  double x = 420;
  y = kCy + kOuter + 44;
  for (const char* r : {"green", "amber", "red", ""}) {
    s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"18\" height=\"18\" fill=\"{}\"/><text x=\"{:.0f}\" "
                     "y=\"{:.0f}\" font-size=\"12\" fill=\"{}\">{}</text>\n",
                     x, y - 13, Fill(r), x + 26, y, kColourText, RatingWord(r));
    y += 22;
  }
  return s + "</svg>\n";
}

}  // namespace goldthread::report
