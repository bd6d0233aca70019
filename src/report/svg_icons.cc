#include "report/svg_icons.h"

#include <fmt/format.h>

#include "report/svg_util.h"

namespace goldthread::report {
namespace {

struct Look {
  std::string_view colour;
  std::string_view letter;
  int trend;  // -1 falling dots, 0 flat, +1 rising
};

Look VariationLook(stats::PointType t, stats::Polarity polarity) {
  const bool down_better = polarity == stats::Polarity::kDown;
  switch (t) {
    case stats::PointType::kImprovement:
      return {kColourImprovement, down_better ? "L" : "H", down_better ? -1 : 1};
    case stats::PointType::kConcern: return {kColourConcern, down_better ? "H" : "L", down_better ? 1 : -1};
    case stats::PointType::kNeutralHigh: return {kColourNeutral, "H", 1};
    case stats::PointType::kNeutralLow: return {kColourNeutral, "L", -1};
    case stats::PointType::kCommonCause: break;
  }
  return {kColourCommonCause, "", 0};
}

Look AssuranceLook(stats::Assurance a) {
  switch (a) {
    case stats::Assurance::kConsistentPass: return {kColourImprovement, "P", 0};
    case stats::Assurance::kConsistentFail: return {kColourConcern, "F", 0};
    case stats::Assurance::kInconsistent: break;
  }
  return {kColourCommonCause, "?", 0};
}

// The icon's body centred on (cx, cy), radius 22: outline, letter, dots.
std::string Body(const Look& look, double cx, double cy) {
  std::string s = fmt::format(
      "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"20\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"4\"/>", cx, cy,
      look.colour);
  const bool has_letter = !look.letter.empty();
  if (has_letter)
    s += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" "
        "fill=\"{}\">{}</text>",
        cx, cy + (look.trend == 0 && look.letter != "?" && look.letter != "P" && look.letter != "F" ? 6 : 1),
        look.colour == kColourCommonCause ? "#595959" : kColourText, look.letter);
  // Five dots: flat for common cause, rising or falling for a special cause.
  if (look.letter != "P" && look.letter != "F" && look.letter != "?") {
    std::string d;
    for (int i = 0; i < 5; ++i) {
      const double x = cx - 10 + 5.0 * i;
      const double y = cy + (has_letter ? 9 : 0) - look.trend * (i - 2) * 1.6;
      d += fmt::format("M{:.1f},{:.1f}a1.8,1.8 0 1,0 3.6,0a1.8,1.8 0 1,0 -3.6,0", x - 1.8, y);
    }
    s += fmt::format("<path d=\"{}\" fill=\"{}\"/>", d, look.colour == kColourCommonCause ? "#595959" : look.colour);
  }
  return s;
}

std::string Standalone(const Look& look, std::string_view title, int size) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{0}\" viewBox=\"0 0 48 48\" role=\"img\" "
      "class=\"mdc-icon\" font-family=\"Arial, Helvetica, sans-serif\"><title>{1}</title>{2}</svg>",
      size, SvgEscape(title), Body(look, 24, 24));
}

std::string Caption(std::string_view text, double cx, double cy) {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
                     cx, cy + 38, kColourText, SvgEscape(text));
}

}  // namespace

std::string VariationWords(stats::PointType t, stats::Polarity polarity) {
  const bool down_better = polarity == stats::Polarity::kDown;
  switch (t) {
    case stats::PointType::kCommonCause: return "common cause: no significant change";
    case stats::PointType::kImprovement:
      return down_better ? "improvement: special cause, lower" : "improvement: special cause, higher";
    case stats::PointType::kConcern:
      return down_better ? "concern: special cause, higher" : "concern: special cause, lower";
    case stats::PointType::kNeutralHigh: return "special cause, higher";
    case stats::PointType::kNeutralLow: return "special cause, lower";
  }
  return "";
}

std::string AssuranceWords(stats::Assurance a) {
  switch (a) {
    case stats::Assurance::kConsistentPass: return "will consistently meet the target";
    case stats::Assurance::kConsistentFail: return "will consistently miss the target";
    case stats::Assurance::kInconsistent: return "hit and miss: the target lies within the process limits";
  }
  return "";
}

std::string VariationIconGroup(stats::PointType t, stats::Polarity polarity, double cx, double cy) {
  std::string words = VariationWords(t, polarity);
  words = words.substr(0, words.find(':'));
  return "<g class=\"icon\">" + Body(VariationLook(t, polarity), cx, cy) + Caption(words, cx, cy) + "</g>\n";
}

std::string AssuranceIconGroup(stats::Assurance a, double cx, double cy) {
  static constexpr std::string_view kCaptions[] = {"Consistently pass", "Consistently fail", "Hit and miss"};
  return "<g class=\"icon\">" + Body(AssuranceLook(a), cx, cy) + Caption(kCaptions[static_cast<int>(a)], cx, cy) +
         "</g>\n";
}

std::string VariationIconSvg(stats::PointType t, stats::Polarity polarity, int size) {
  return Standalone(VariationLook(t, polarity), "Variation: " + VariationWords(t, polarity), size);
}

std::string AssuranceIconSvg(stats::Assurance a, int size) {
  return Standalone(AssuranceLook(a), "Assurance: " + AssuranceWords(a), size);
}

std::string NoTargetIconSvg(int size) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{0}\" viewBox=\"0 0 48 48\" role=\"img\" "
      "class=\"mdc-icon\"><title>Assurance: no target set</title><circle cx=\"24\" cy=\"24\" r=\"20\" "
      "fill=\"#ffffff\" stroke=\"#767676\" stroke-width=\"3\" stroke-dasharray=\"4,3\"/><path d=\"M16,24h16\" "
      "stroke=\"#767676\" stroke-width=\"3\"/></svg>",
      size);
}

}  // namespace goldthread::report
