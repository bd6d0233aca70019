#pragma once
// The Carers' Hub wheel (seed 001 section 5.1: "the complete range of
// interventions that will be needed to deliver the five outcomes of The
// National Carers' Strategy. These are represented by the five inner
// segments of the Hub"): an inner ring of the five outcomes, an outer ring
// of the 17 interventions grouped under them, each coloured by its
// Red/Amber/Green rating, numbered, labelled outside the ring, with its
// evidence as a tooltip; a key to the outcomes and the colours below.
// Self-contained SVG (no scripts, no external fonts). Pure function.

#include <string>
#include <vector>

namespace goldthread::report {

struct HubWheelSegment {
  std::string label;    // the intervention's short title
  std::string rating;   // "red", "amber", "green"; "" not rated
  std::string figure;   // shown under the label: "1.7%"
  std::string tooltip;  // the rating's evidence
  int outcome = 0;      // index into HubWheelData::outcomes
};

struct HubWheelData {
  std::string title, subtitle;
  std::vector<std::string> outcomes;       // the five outcomes' short titles
  std::vector<HubWheelSegment> segments;   // wheel order: grouped by outcome
};

/// Colours of the ratings: red, amber, green and not rated, each with
/// enough contrast for white or black numbers (the number's colour is
/// chosen per fill).
inline constexpr const char* kRatingRed = "#c0392b";
inline constexpr const char* kRatingAmber = "#f2a900";
inline constexpr const char* kRatingGreen = "#2e8540";
inline constexpr const char* kRatingNone = "#bfbfbf";

std::string HubWheelSvg(const HubWheelData& data);

}  // namespace goldthread::report
