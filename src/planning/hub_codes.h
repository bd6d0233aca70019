#pragma once
// The Carers' Hub's vocabulary (seed 001 sections 5-7, shared/DESIGN.md
// section 7): its 17 interventions, the five outcomes of the National
// Carers' Strategy they serve, and the carer groups the audit reports on.
// docs/hub.md gives, for each intervention, the sentence of the seed that
// puts it under its outcome.
//
// Plain constant data; thread-safe.

#include <span>
#include <string_view>

namespace goldthread::planning {

/// The outcomes of the National Carers' Strategy (2008), in seed 001
/// section 7.1's order; the fifth is for young carers.
struct HubOutcome {
  std::string_view id;     // "expert_partners"
  std::string_view title;  // the outcome's words in the strategy
  std::string_view short_title;
};
inline constexpr int kHubOutcomeCount = 5;
std::span<const HubOutcome> HubOutcomes();

/// An intervention: its `hub_intervention` code, the seed's heading and the
/// outcome it is drawn under on the Hub wheel.
struct HubInterventionInfo {
  std::string_view code;
  std::string_view title;
  int outcome = 0;  // index into HubOutcomes()
  std::string_view short_title;  // for the wheel: at most 20 characters
};
inline constexpr int kHubInterventionCount = 17;
/// In DESIGN section 7's order (codes::kHubInterventions).
std::span<const HubInterventionInfo> HubInterventions();
/// Index of a code, or -1.
int FindHubIntervention(std::string_view code);
/// Intervention indices in wheel order: by outcome, then DESIGN's order.
std::span<const int> HubWheelOrder();

enum class HubGroupKind { kAll, kOverlooked, kAge, kWorking, kCondition };

/// A carer group (DESIGN section 7 ids).
struct HubGroupInfo {
  std::string_view id;     // "bme", "age_65_plus", "psr_mental_health"
  std::string_view title;  // "BME carers"
  std::string_view plain;  // for the public: "carers from Black and minority ethnic communities"
  HubGroupKind kind = HubGroupKind::kAll;
};
/// all; the six carer flags (people.csv's order); ages 16-24, 25-64, 65+;
/// working; the cared-for person's primary support reason (all but unknown,
/// in people.csv's order).
inline constexpr int kHubGroupCount = 17;
std::span<const HubGroupInfo> HubGroups();
/// Index of a group id, or -1.
int FindHubGroup(std::string_view id);
/// First index of each kind of group.
inline constexpr int kHubGroupAll = 0;
inline constexpr int kHubGroupFirstFlag = 1;   // bme .. young_adult: flag bit i - 1
inline constexpr int kHubGroupFirstAge = 7;    // age_16_24, age_25_64, age_65_plus
inline constexpr int kHubGroupWorking = 10;
inline constexpr int kHubGroupFirstCondition = 11;  // psr_<reason>: reason code i - 11
/// Whether the group is one of seed 001's "commonly overlooked groups".
bool IsOverlooked(int group);

}  // namespace goldthread::planning
