#pragma once
// How the simulated council's carers' support differs between carer groups
// and areas, so that the Carers' Hub audit (issue 12) has something to find:
//   - gaps: some Hub interventions never reach some groups (no LGBT carers'
//     group, no breaks that suit traveller carers, ...): the service is
//     recorded as the intervention the carer got instead;
//   - providers: each intervention has one main provider, except in one
//     area where five providers each run the same three interventions
//     (over-provision, seed 001 section 8.3);
//   - the voluntary sector: carers supported without an assessment (seed
//     000), at a lower rate for overlooked groups and a higher one in the
//     area whose carers' centre is strongest.
// Internal to the simulator. These choices draw from a carer's own second
// random stream, never from the person's main one, so every other record
// (and the planted gaming scenarios) stays exactly as it was.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "sim/council.h"
#include "sim/rng.h"

namespace goldthread::sim {

/// What the support choices depend on.
struct CarerTraits {
  bool bme = false, refugee = false, lgbt = false, traveller = false, distance = false;
  int age = 0;
  int cared_for_reason = -1;  // index into model/schema's primary support reasons
  int team = 0;
};

/// Index of the Hub intervention actually received when `wanted` (an index
/// into codes::kHubInterventions) is one this carer's group never gets.
int ReceivedIntervention(int wanted, const CarerTraits& c);

/// The team (index) whose area is over-provided, and the one whose carers'
/// centre reaches most carers; -1 when the council is too small for both.
int OverProvidedTeam(const Council& c);
int GoodPracticeTeam(const Council& c);
/// The interventions that five providers run in the over-provided area.
bool OverProvided(int intervention);

/// The provider of a commissioned Hub service of `intervention` in `team`:
/// its main provider, or in the over-provided area one of five.
std::string_view HubProvider(const Council& council, int intervention, int team, Rng& hub_rng);

/// The chance that a carer is supported by the voluntary sector over the
/// caring relationship, without an assessment.
double VoluntarySectorChance(const Council& council, const CarerTraits& c);

/// A service the voluntary sector gives a carer without an assessment.
struct VoluntaryService {
  int intervention = 0;  // index into the Hub codes
  Date start = kNullDate;
  Date end = kNullDate;  // kNullDate: still running at the window's end
  bool long_term = false;
  double weekly_cost = 0.0;
  std::string_view provider;
};

/// The voluntary sector's services for a carer caring over [from, stop]
/// (none when the chance says so or the range is empty); ends after
/// window_end become kNullDate.
std::vector<VoluntaryService> VoluntarySectorServices(const Council& council, const CarerTraits& c, Date from,
                                                      Date stop, Date window_end, Rng& hub_rng);

/// The seed of a carer's second stream (person number `num`).
uint64_t HubStreamSeed(uint64_t seed, int64_t num);

}  // namespace goldthread::sim
