#include "sim/carer_support.h"

#include <array>

namespace goldthread::sim {
namespace {

// Hub codes by index, as codes::kHubInterventions lists them: ints, since
// they index that list and the simulated records carry the index. The
// ones the gaps and the over-provision below name.
constexpr int kEmotional = 0;
constexpr int kAdvocacy = 2;
constexpr int kInformation = 5;
constexpr int kEmergency = 11;
constexpr int kBreaks = 12;
constexpr int kPeer = 13;
constexpr int kWork = 15;
constexpr int kHousing = 16;
constexpr int kHubCount = 17;

// Primary support reasons as model/schema lists them.
constexpr int kMentalHealth = 4;

enum class Trait { kBme, kRefugee, kLgbt, kTraveller, kDistance, k65Plus, kCaresForMentalHealth };

struct Gap {
  Trait trait;
  int missing;
  int instead;  // what the carer is given in its place
};

// The gaps the audit should find. Each is a plausible local story: the
// counselling service has no interpreters, there is no LGBT carers' group,
// breaks need a fixed address or a carer living nearby, mental-health
// carers' breaks do not exist (seed 001 section 5.2: "Planning for ways of
// achieving breaks where specific services do not exist").
constexpr Gap kGaps[] = {
    {Trait::kBme, kEmotional, kInformation},
    {Trait::kRefugee, kAdvocacy, kInformation},
    {Trait::kLgbt, kPeer, kInformation},
    {Trait::kTraveller, kBreaks, kInformation},
    {Trait::kTraveller, kHousing, kInformation},
    {Trait::kDistance, kEmergency, kInformation},
    {Trait::kDistance, kBreaks, kInformation},
    {Trait::kCaresForMentalHealth, kBreaks, kEmotional},
    {Trait::k65Plus, kWork, kInformation},
};

bool Has(const CarerTraits& c, Trait t) {
  switch (t) {
    case Trait::kBme: return c.bme;
    case Trait::kRefugee: return c.refugee;
    case Trait::kLgbt: return c.lgbt;
    case Trait::kTraveller: return c.traveller;
    case Trait::kDistance: return c.distance;
    case Trait::k65Plus: return c.age >= 65;
    case Trait::kCaresForMentalHealth: return c.cared_for_reason == kMentalHealth;
  }
  return false;
}

constexpr std::string_view kFiveProviders[] = {"HUB1", "HUB2", "HUB3", "VCS1", "VCS2"};
constexpr std::string_view kMainProvider[] = {"HUB1", "HUB2", "HUB3"};

// What the voluntary sector offers without an assessment, by share of its
// services: mostly information, peer support, emotional support and breaks.
constexpr double kVoluntaryWeights[kHubCount] = {
    0.15, 0.0, 0.0, 0.05, 0.03, 0.35, 0.0, 0.0, 0.0, 0.05, 0.0, 0.0, 0.12, 0.20, 0.05, 0.0, 0.0};

}  // namespace

int ReceivedIntervention(int wanted, const CarerTraits& c) {
  // Repeat until no gap applies: a BME carer of someone with a mental-health
  // need wanting a break is offered emotional support, which the group does
  // not get either, so information.
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (const Gap& g : kGaps) {
      if (wanted == g.missing && Has(c, g.trait)) {
        wanted = g.instead;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return wanted;
}

int OverProvidedTeam(const Council& c) { return c.teams.size() >= 7 ? 6 : -1; }
int GoodPracticeTeam(const Council& c) { return c.teams.size() >= 7 ? 0 : -1; }

bool OverProvided(int intervention) {
  return intervention == kInformation || intervention == kEmotional || intervention == kPeer;
}

std::string_view HubProvider(const Council& council, int intervention, int team, Rng& hub_rng) {
  if (team == OverProvidedTeam(council) && OverProvided(intervention))
    return kFiveProviders[hub_rng.Int(0, 4)];
  return kMainProvider[intervention % 3];
}

double VoluntarySectorChance(const Council& council, const CarerTraits& c) {
  double p = c.team == GoodPracticeTeam(council) ? 0.85 : 0.45;
  // Overlooked groups are reached less (seed 001 section 5.1: "some groups
  // and communities ... experience specific barriers to accessing support").
  if (c.bme) p *= 0.35;
  if (c.refugee) p *= 0.5;
  if (c.traveller) p *= 0.3;
  if (c.lgbt) p *= 0.6;
  return p;
}

std::vector<VoluntaryService> VoluntarySectorServices(const Council& council, const CarerTraits& c, Date from,
                                                      Date stop, Date window_end, Rng& hub_rng) {
  std::vector<VoluntaryService> out;
  if (from > stop || !hub_rng.Chance(VoluntarySectorChance(council, c))) return out;
  int services = 1 + hub_rng.Poisson(0.5);
  for (int i = 0; i < services; ++i) {
    VoluntaryService v;
    v.start = static_cast<Date>(hub_rng.Int(from, stop));
    int days = 14 + static_cast<int>(hub_rng.Exponential(160));
    v.end = v.start + days;
    if (v.end > window_end) v.end = kNullDate;
    v.long_term = days > 90;
    v.intervention = ReceivedIntervention(hub_rng.Pick(kVoluntaryWeights), c);
    // Grant-funded and cheap per carer: a few pounds to a few tens a week.
    v.weekly_cost = static_cast<double>(hub_rng.Int(5, 40));
    v.provider = c.team == OverProvidedTeam(council) && OverProvided(v.intervention)
                     ? kFiveProviders[hub_rng.Int(0, 4)]
                     : std::string_view("VCS1");
    out.push_back(v);
  }
  return out;
}

uint64_t HubStreamSeed(uint64_t seed, int64_t num) {
  return MixSeed(seed ^ 0x48554221ULL, static_cast<uint64_t>(num));
}

}  // namespace goldthread::sim
