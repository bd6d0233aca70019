#include "sim/nation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/rng.h"
#include "sim/simulator.h"

namespace goldthread::sim {
namespace {

// England's nine regions (ONS, ITL1).
constexpr const char* kRegionNames[kRegionCount] = {
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West"};

// 15 x 10 = 150 council names before numbers are needed.
constexpr const char* kNameStart[] = {"Ash", "Bram", "Car", "Dun", "Elm", "Fern", "Grey", "Holl",
                                      "Ing", "Kel", "Lang", "Mill", "Nor", "Oak", "Pen"};
constexpr const char* kNameEnd[] = {"shire", "ford", "ton", "ham", "bury", "wick", "field", "worth", "ley", "mouth"};

double Clamp(double v, double lo, double hi) { return std::max(lo, std::min(hi, v)); }

std::string CouncilName(int k) {
  constexpr int kStarts = sizeof kNameStart / sizeof kNameStart[0];
  constexpr int kEnds = sizeof kNameEnd / sizeof kNameEnd[0];
  std::string name = std::string(kNameStart[k % kStarts]) + kNameEnd[(k / kStarts) % kEnds];
  if (k >= kStarts * kEnds) name += fmt::format(" {}", k / (kStarts * kEnds) + 1);
  return name + " Council";
}

}  // namespace

std::string RegionId(int k) { return fmt::format("R{}", k % kRegionCount + 1); }

Result<std::vector<CouncilPlan>> PlanCouncils(int councils, int64_t people, uint64_t seed) {
  if (councils < 1 || councils > kMaxCouncils)
    return Status::InvalidArgument(fmt::format("--councils must be 1..{} (got {})", kMaxCouncils, councils));
  if (people < kMinPeoplePerCouncil * councils)
    return Status::InvalidArgument(fmt::format("--people must be at least {} for {} councils (got {})",
                                               kMinPeoplePerCouncil * councils, councils, people));
  std::vector<CouncilPlan> plans(councils);
  std::vector<double> size(councils);
  // Each council's planted patterns: (kind, a draw that picks its team once
  // the council's team count is known).
  std::vector<std::vector<std::pair<ScenarioKind, int64_t>>> gaming(councils);
  double total = 0;
  for (int k = 0; k < councils; ++k) {
    CouncilPlan& p = plans[k];
    // Its own stream: a council's character does not depend on how many
    // councils there are.
    Rng rng(MixSeed(seed, 0xC0C10000ULL + static_cast<uint64_t>(k)));
    p.stream = rng.Next();
    p.who.id = fmt::format("C{:03d}", k + 1);
    p.who.name = CouncilName(k);
    p.who.parent = RegionId(k);
    p.who.prefix = p.who.id + "-";
    // Council sizes vary about tenfold (a district to a county), log-normal.
    size[k] = Clamp(std::exp(0.6 * rng.Normal()), 0.3, 3.0);
    total += size[k];
    // Character: a council whose teams are better or worse run than the
    // national average, more or fewer direct payments, happier carers.
    p.who.perf_shift = Clamp(0.8 * rng.Normal(), -1.6, 1.6);
    p.who.dp_shift = Clamp(0.05 * rng.Normal(), -0.1, 0.1);
    p.who.survey_shift = Clamp(0.15 * rng.Normal(), -0.3, 0.3);
    // Gaming: each pattern in about one council in eight, in a team of its own.
    for (int s = 0; s < kScenarioCount; ++s) {
      if (rng.Chance(0.125)) gaming[k].emplace_back(static_cast<ScenarioKind>(s), rng.Int(0, 1 << 20));
    }
  }
  // People by size, cumulatively rounded so that they sum to `people`.
  double cum = 0;
  int64_t given = 0;
  for (int k = 0; k < councils; ++k) {
    cum += size[k];
    int64_t upto = k + 1 == councils ? people : std::llround(static_cast<double>(people) * cum / total);
    plans[k].people = upto - given;
    given = upto;
    plans[k].teams = TeamCountFor(plans[k].people);
    for (const auto& [kind, draw] : gaming[k])
      plans[k].scenarios.push_back({kind, fmt::format("{}T{:02d}", plans[k].who.prefix, draw % plans[k].teams + 1)});
  }
  return plans;
}

void WriteNationAndRegions(CsvWriter& w) {
  w.Str("N00").Null().Str("England").Str("nation").EndRow();
  for (int r = 0; r < kRegionCount; ++r)
    w.Str(RegionId(r)).Str("N00").Str(kRegionNames[r]).Str("region").EndRow();
}

}  // namespace goldthread::sim
