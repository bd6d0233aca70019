#include "sim/generator.h"

#include <algorithm>
#include <cmath>

#include "sim/carer_support.h"

namespace goldthread::sim {
namespace {

using T = TableId;

constexpr Date kNone = kNullDate;
constexpr int64_t kNoId = 0;

// Monthly factor on hospital admissions and new requests: winter pressure
// peaks in January (NHS England A&E and admissions, typical profile).
constexpr double kWinter[12] = {1.40, 1.25, 1.10, 0.95, 0.90, 0.85,
                                0.85, 0.85, 0.90, 1.00, 1.10, 1.35};
constexpr double kWinterMax = 1.40;

constexpr std::string_view kSexes[] = {"F", "M", "U"};
constexpr std::string_view kEthnicities[] = {"white", "mixed", "asian", "black", "other", "unknown"};
constexpr std::string_view kReasons[] = {"physical",     "sensory",     "memory_cognition",
                                         "learning_disability", "mental_health", "social_support",
                                         "unknown"};
constexpr double kReasons65[] = {0.55, 0.04, 0.18, 0.01, 0.05, 0.08, 0.09};
constexpr double kReasonsUnder65[] = {0.30, 0.03, 0.02, 0.30, 0.25, 0.05, 0.05};
constexpr std::string_view kRoutes[] = {"community", "hospital", "self", "gp", "other"};
constexpr double kRouteWeights[] = {0.30, 0.20, 0.20, 0.20, 0.10};
constexpr double kCarerRouteWeights[] = {0.30, 0.10, 0.40, 0.15, 0.05};
// Indices into kOutcomes and its weights (rng.Pick draws one), those the
// generator branches on.
constexpr int kAssessment = 0, kNoFurtherAction = 3, kShortTerm = 4, kLongTerm = 5;
constexpr std::string_view kOutcomes[] = {"assessment", "universal",  "signposted",
                                          "no_further_action", "short_term", "long_term"};
constexpr double kOutcomeWeights[] = {0.55, 0.08, 0.17, 0.10, 0.08, 0.02};
constexpr double kOutcomeWeightsHospital[] = {0.45, 0.02, 0.05, 0.05, 0.40, 0.03};
constexpr std::string_view kDestinations[] = {"home", "reablement", "care_home", "died", "other"};
// Indices into kDestinations and its weights, those the generator branches on.
constexpr int kReablementDest = 1, kCareHomeDest = 2, kDied = 3;
constexpr double kDest65[] = {0.60, 0.17, 0.05, 0.05, 0.13};
constexpr double kDestUnder65[] = {0.78, 0.06, 0.01, 0.02, 0.13};
constexpr double kDestFromCareHome[] = {0.0, 0.0, 0.85, 0.15, 0.0};

// Long-term service mix after an eligible needs assessment.
constexpr ServiceType kLtTypes[] = {ServiceType::kHomeCare, ServiceType::kDayCare,
                                    ServiceType::kResidential, ServiceType::kNursing,
                                    ServiceType::kOther, ServiceType::kEquipment};
constexpr double kLtWeights65[] = {0.36, 0.13, 0.11, 0.05, 0.09, 0.26};
constexpr double kLtWeightsUnder65[] = {0.35, 0.25, 0.06, 0.01, 0.18, 0.15};
constexpr std::string_view kTypeCodes[] = {"home_care", "day_care", "residential", "nursing",
                                           "reablement", "equipment", "carer_support", "other"};

constexpr std::string_view kHub[] = {
    "emotional_support", "brokerage",       "advocacy",        "health_wellbeing",
    "caring_training",   "information",     "shaping_services", "whole_family",
    "education_1to1",    "activities_clubs", "transitions",    "emergency_support",
    "breaks",            "peer_community",  "benefits_finance", "work_training", "housing"};
constexpr double kHubWeights[] = {0.14, 0.03, 0.03, 0.06, 0.06, 0.20, 0.01, 0.02, 0.02,
                                  0.05, 0.01, 0.03, 0.18, 0.06, 0.08, 0.02, 0.01};

constexpr std::string_view kAscotDomains[] = {"control", "personal_care", "food", "accommodation",
                                              "safety",  "social",        "occupation", "dignity"};
constexpr std::string_view kStarDomains[] = {"health", "caring_role", "managing", "time_for_self",
                                             "finances", "work", "relationship"};
constexpr std::string_view kAuditItems[] = {
    "assessment_current", "plan_signed", "risk_assessed", "carer_offered_assessment",
    "review_in_date",     "outcomes_recorded", "consent_recorded", "case_note_current"};

// Carers' survey (SACE) answer distributions, 1 = best, calibrated to the
// national picture: quality of life about 7.5 of 12 (ASCOF 1D), 38% extremely
// or very satisfied (3B), ~70% involved (3C), ~65% found information easy (3D).
constexpr std::string_view kQolItems[] = {"q_occupation", "q_control", "q_self_care",
                                          "q_safety",     "q_social",  "q_support"};
constexpr double kQolAnswers[] = {0.38, 0.49, 0.13};
constexpr double kSatisfaction[] = {0.14, 0.24, 0.22, 0.18, 0.10, 0.07, 0.05};
constexpr double kInvolved[] = {0.36, 0.34, 0.18, 0.05, 0.07};
constexpr double kInfoEase[] = {0.22, 0.40, 0.20, 0.08, 0.10};

Date MinDate(Date a, Date b) {
  if (a == kNone) return b;
  if (b == kNone) return a;
  return std::min(a, b);
}

/// Answers shifted towards 1 (q > 0) or towards the worst (q < 0).
int ShiftedAnswer(std::span<const double> base, double q, Rng& rng) {
  double w[8];
  double mid = (static_cast<double>(base.size()) - 1) / 2;
  for (size_t i = 0; i < base.size(); ++i) w[i] = base[i] * std::exp(-0.5 * q * (static_cast<double>(i) - mid));
  return rng.Pick(std::span<const double>(w, base.size())) + 1;
}

}  // namespace

struct Generator::Person {
  int64_t num = 0;
  Date birth = kNone;
  int age = 0;  // at the window's end
  int team0 = 0, team1 = 0;
  Date move_on = kNone;
  int worker0 = 0, worker1 = 0;
  int ethnicity = 0;
  int reason = 0;
  bool carer = false;
  int TeamOn(Date d) const { return move_on != kNone && d >= move_on ? team1 : team0; }
  int WorkerOn(Date d) const { return move_on != kNone && d >= move_on ? worker1 : worker0; }
  bool Old() const { return age >= 66; }  // 65+ through most of the window
};

struct Generator::Life {
  Date entry = kNone;
  Date death = kNone;
  Date care_home = kNone;  // permanent admission
  bool Active(Date d) const {
    return (death == kNone || d < death) && (care_home == kNone || d < care_home);
  }
  Date End() const { return MinDate(death, care_home); }
};

Generator::Generator(const Council& council, const Window& window, uint64_t seed, Writers& out,
                     Finance& finance, std::array<PlantState, kScenarioCount>& plants, IdCounters& ids)
    : council_(council), win_(window), seed_(seed), out_(out), finance_(finance), plants_(plants), next_id_(ids) {
  for (const TeamProfile& t : council_.teams) team_weights_.push_back(t.weight);
}

//===----------------------------------------------------------------------===//
// Lineage
//===----------------------------------------------------------------------===//

Timestamp Generator::RecordedAt(Date event, Rng& rng) {
  // Most records are entered the same day or within a few days, in working
  // hours; a tail is entered weeks later.
  double u = rng.Uniform();
  int lag = u < 0.55 ? 0 : u < 0.80 ? static_cast<int>(rng.Int(1, 2))
                       : u < 0.95 ? static_cast<int>(rng.Int(3, 10))
                                  : static_cast<int>(rng.Int(11, 45));
  Date d = event + lag;
  int wd = IsoWeekday(d);
  if (wd >= 5) d += 7 - wd;
  if (d > win_.end) d = event;
  return static_cast<Timestamp>(d) * 86400 + 8 * 3600 + 1800 + rng.Int(0, 9 * 3600);
}

void Generator::Lineage(CsvWriter& w, const Person& p, Date event, Rng& rng, bool plant) {
  int team = p.TeamOn(event);
  int worker = p.WorkerOn(event);
  w.Str(council_.teams[team].id).Str(council_.worker_ids[worker]);
  if (rng.Chance(0.02)) {  // lineage unknown
    w.Null().Null().EndRow();
    return;
  }
  Timestamp at = RecordedAt(event, rng);
  PlantState& back = Plant(ScenarioKind::kBackdating);
  if (plant && back.on && back.team == team) {
    // Panic entry before the year end: work done months earlier is keyed in
    // during the last week of the financial year.
    for (Date year_end : back.year_ends) {
      if (event >= year_end - 240 && event <= year_end - 21 && rng.Chance(0.35)) {
        Date d = year_end - rng.Int(0, 6);
        if (IsoWeekday(d) >= 5) d -= IsoWeekday(d) - 4;
        at = static_cast<Timestamp>(d) * 86400 + 8 * 3600 + rng.Int(0, 11 * 3600);
        ++back.records;
        break;
      }
    }
  }
  w.Time(at).Str(rng.Chance(0.85) ? std::string_view{council_.user_ids[worker]}
                                  : std::string_view{council_.teams[team].admin_user});
  w.EndRow();
}

//===----------------------------------------------------------------------===//
// People
//===----------------------------------------------------------------------===//

void Generator::Run(int64_t people) {
  // Person numbers are dense: a service user's carer takes the next number.
  while (W(T::kPeople).rows() < people) {
    int64_t num = W(T::kPeople).rows() + 1;
    Rng rng(MixSeed(seed_, static_cast<uint64_t>(num)));
    ServiceUser(num, rng, people - num);
  }
}

Date Generator::EntryDate(Rng& rng) {
  for (int tries = 0;; ++tries) {
    Date d = static_cast<Date>(rng.Int(win_.history_start, win_.end));
    if (tries >= 8 || rng.Chance(kWinter[CivilFromDate(d).month - 1] / kWinterMax)) return d;
  }
}

void Generator::ServiceUser(int64_t num, Rng& rng, int64_t people_left) {
  Person p;
  p.num = num;
  static constexpr double kAgeBands[] = {0.22, 0.16, 0.30, 0.27, 0.05};
  static constexpr int kAgeLo[] = {18, 65, 75, 85, 95}, kAgeHi[] = {64, 74, 84, 94, 101};
  int band = rng.Pick(kAgeBands);
  p.age = static_cast<int>(rng.Int(kAgeLo[band], kAgeHi[band]));
  p.birth = win_.end - static_cast<Date>(p.age * 365.25) - static_cast<Date>(rng.Int(0, 364));
  p.team0 = p.team1 = rng.Pick(team_weights_);
  const TeamProfile& team = council_.teams[p.team0];
  p.worker0 = p.worker1 = team.first_worker + static_cast<int>(rng.Int(0, team.workers - 1));
  double d = team.diversity;
  const double eth[] = {1 - d - 0.02, 0.15 * d, 0.45 * d, 0.28 * d, 0.12 * d, 0.02};
  p.ethnicity = rng.Pick(eth);
  p.reason = rng.Pick(p.Old() ? std::span<const double>(kReasons65) : kReasonsUnder65);
  Life life;
  life.entry = EntryDate(rng);
  if (rng.Chance(0.04) && council_.teams.size() > 1) {  // moves house to another team's area
    p.move_on = life.entry + static_cast<Date>(rng.Int(30, 900));
    p.team1 = (p.team0 + 1 + static_cast<int>(rng.Int(0, council_.teams.size() - 2))) %
              static_cast<int>(council_.teams.size());
    const TeamProfile& t1 = council_.teams[p.team1];
    p.worker1 = t1.first_worker + static_cast<int>(rng.Int(0, t1.workers - 1));
  }

  CsvWriter& w = W(T::kPeople);
  w.Id("P", num).Str("service_user");
  if (rng.Chance(0.05)) w.Month(p.birth); else w.Day(p.birth);
  double female = p.Old() ? 0.61 : 0.50;
  const double sex[] = {female, 0.995 - female, 0.005};
  w.Str(kSexes[rng.Pick(sex)]).Str(kEthnicities[p.ethnicity]).Str(team.area);
  w.Str(kReasons[p.reason]).Null().Null().EndRow();

  Hospital(p, life.entry, life, rng);
  Date t = life.entry;
  for (int n = 0; n < 3 && t <= win_.end && life.Active(t); ++n) {
    Date next = Journey(p, t, life, rng);
    if (next == kNone) break;
    t = next + 14 + static_cast<Date>(rng.Exponential(400));
  }

  double carer_chance = p.Old() ? 0.33 : 0.22;
  if (people_left >= 1 && rng.Chance(carer_chance)) Carer(num + 1, p, life, rng);
}

//===----------------------------------------------------------------------===//
// Hospital, reablement, care homes
//===----------------------------------------------------------------------===//

void Generator::Hospital(const Person& p, Date from, Life& life, Rng& rng) {
  double rate = p.age < 65 ? 0.12 : p.age < 75 ? 0.22 : p.age < 85 ? 0.35 : 0.50;  // per year
  Date d = from;
  Date forced = kNone;
  bool forced_death = false;
  for (;;) {
    Date admitted;
    bool emergency;
    if (forced != kNone) {
      admitted = forced;
      forced = kNone;
      emergency = true;
    } else {
      d += 1 + static_cast<Date>(rng.Exponential(365.0 / (rate * kWinterMax)));
      if (d > win_.end) return;
      if (!rng.Chance(kWinter[CivilFromDate(d).month - 1] / kWinterMax)) continue;
      admitted = d;
      emergency = rng.Chance(0.85);
    }
    if (admitted > win_.end) return;
    bool in_care_home = life.care_home != kNone && admitted >= life.care_home;
    int stay = forced_death ? static_cast<int>(rng.Int(0, 4))
                            : std::min(90, static_cast<int>(rng.LogNormal(4.5, 0.9)));
    Date discharged = admitted + stay;
    int dest = forced_death ? kDied
               : in_care_home ? rng.Pick(kDestFromCareHome)
               : rng.Pick(p.Old() ? std::span<const double>(kDest65) : kDestUnder65);
    forced_death = false;
    CsvWriter& w = W(T::kHospitalEpisodes);
    w.Id("H", NextId(T::kHospitalEpisodes)).Id("P", p.num).Day(admitted);
    if (discharged > win_.end) {  // still in hospital at the extract
      w.Null().YesNo(emergency).Null();
      Lineage(w, p, admitted, rng);
      return;
    }
    w.Day(discharged).YesNo(emergency).Str(kDestinations[dest]);
    Lineage(w, p, discharged, rng);
    d = std::max(d, discharged);
    switch (dest) {
      case kDied:
        life.death = discharged;
        return;
      case kCareHomeDest:
        if (!in_care_home) CareHome(p, discharged, rng.Chance(0.35), "from_hospital", life, rng);
        break;
      case kReablementDest: {
        Reablement(p, discharged, "hospital", rng);
        // ASCOF 2B: most are still at home 91 days later; the rest die or
        // move permanently into a care home within the 91 days.
        if (!rng.Chance(council_.teams[p.TeamOn(discharged)].still_home)) {
          Date fail = discharged + static_cast<Date>(rng.Int(14, 84));
          if (fail > win_.end) break;
          if (rng.Chance(0.4)) {
            forced = fail;
            forced_death = true;
          } else {
            CareHome(p, fail, rng.Chance(0.3), "needs", life, rng);
          }
        }
        break;
      }
      default:
        if (rng.Chance(0.13)) forced = discharged + static_cast<Date>(rng.Int(1, 28));
        break;
    }
  }
}

void Generator::CareHome(const Person& p, Date on, bool nursing, const char* reason, Life& life,
                         Rng& rng) {
  if (life.care_home != kNone || on > win_.end) return;
  life.care_home = on;
  CsvWriter& a = W(T::kCareHomeAdmissions);
  a.Id("CH", NextId(T::kCareHomeAdmissions)).Id("P", p.num).Day(on).YesNo(true).Str(reason);
  Lineage(a, p, on, rng);
  int64_t id = NextId(T::kServices);
  double weekly = nursing ? rng.Int(950, 1400) : rng.Int(750, 1100);
  Date end = life.death;
  CsvWriter& s = W(T::kServices);
  s.Id("S", id).Id("P", p.num).Str(nursing ? "nursing" : "residential").Null();
  s.Str(nursing ? "nursing" : "residential").Str("long").Str("commissioned").Day(on).Day(end);
  s.Null().Money(weekly).Id("PRV", 100 + rng.Int(1, 25));
  Lineage(s, p, on, rng);
  finance_.AddRecurring(p.TeamOn(on), nursing ? ServiceType::kNursing : ServiceType::kResidential,
                        on, end, weekly, 1.0);
  Reviews(p, on, end, on + 365, kNoId, rng);
}

void Generator::Reablement(const Person& p, Date on, std::string_view route, Rng& rng) {
  // A request (a hospital discharge, say) that goes straight to short-term
  // reablement (outcome short_term).
  Date start = std::min<Date>(win_.end, on + static_cast<Date>(rng.Int(0, 2)));
  Date end = start + static_cast<Date>(rng.Int(21, 42));
  if (end > win_.end) end = kNone;
  CsvWriter& r = W(T::kRequests);
  r.Id("R", NextId(T::kRequests)).Id("P", p.num).Day(on - 1).Day(on).Str(route);
  r.Str("short_term").Day(start);
  Lineage(r, p, on, rng);
  double weekly = rng.Int(250, 450);
  CsvWriter& s = W(T::kServices);
  s.Id("S", NextId(T::kServices)).Id("P", p.num).Str("reablement").Null().Str("community");
  s.Str("short").Str("commissioned").Day(start).Day(end).Money(rng.Int(6, 14)).Money(weekly);
  s.Str("PRV_REABLE");
  Lineage(s, p, start, rng);
  finance_.AddRecurring(p.TeamOn(start), ServiceType::kReablement, start, end, weekly, 1.0);
}

//===----------------------------------------------------------------------===//
// Requests and assessments
//===----------------------------------------------------------------------===//

int Generator::AssessDays(const Person& p, Date received, Rng& rng) {
  int team = p.TeamOn(received);
  int days = 1 + static_cast<int>(rng.LogNormal(council_.teams[team].assess_median_days, 0.6));
  days = std::min(days, 200);
  if (days >= 29 && days <= 50 && Planted(ScenarioKind::kBunching, team, received + days) &&
      rng.Chance(0.85)) {
    // Closed just inside the deadline, piling up towards day 28.
    static constexpr double kPull[] = {0.1, 0.2, 0.3, 0.4};
    days = 25 + rng.Pick(kPull);
    ++Plant(ScenarioKind::kBunching).records;
  }
  return days;
}

Date Generator::Journey(const Person& p, Date t, Life& life, Rng& rng) {
  int route = rng.Pick(kRouteWeights);
  int outcome = rng.Pick(route == 1 ? std::span<const double>(kOutcomeWeightsHospital)
                                    : kOutcomeWeights);
  Date first_contact = t;
  int team = p.TeamOn(t);
  int lag = 0;
  if (Planted(ScenarioKind::kLateRegistration, team, t) && rng.Chance(0.6)) {
    lag = static_cast<int>(rng.Int(14, 60));  // the clock starts weeks late
    ++Plant(ScenarioKind::kLateRegistration).records;
  } else {
    double u = rng.Uniform();
    lag = u < 0.7 ? 0 : u < 0.95 ? static_cast<int>(rng.Int(1, 3)) : static_cast<int>(rng.Int(4, 10));
  }
  Date received = std::min(win_.end, first_contact + lag);
  bool contact_known = !rng.Chance(0.04);
  auto write_request = [&](Date contact, Date recv, int out, Date closed) {
    int64_t id = NextId(T::kRequests);
    CsvWriter& w = W(T::kRequests);
    w.Id("R", id).Id("P", p.num).Day(contact_known ? contact : kNone).Day(recv).Str(kRoutes[route]);
    if (closed == kNone || closed > win_.end) w.Null().Null();
    else w.Str(kOutcomes[out]).Day(closed);
    Lineage(w, p, recv, rng);
    return id;
  };

  if (outcome == kShortTerm) {
    Reablement(p, received, kRoutes[route], rng);
    Date done = received + 42;
    return done > win_.end ? kNone : done;
  }
  if (outcome != kAssessment && outcome != kLongTerm) {
    Date closed = received + static_cast<Date>(rng.Int(0, 10));
    write_request(first_contact, received, outcome, closed);
    return closed > win_.end ? kNone : closed;
  }
  int days = AssessDays(p, received, rng);
  Date completed = received + days;
  int64_t request_id;
  team = p.TeamOn(received);
  if (days > 28 && Planted(ScenarioKind::kClockReset, team, received) && rng.Chance(0.8) &&
      received + 33 <= win_.end) {
    // Closed before the deadline as "no further action" and re-opened a few
    // days later as a new request: the clock restarts.
    Date closed = received + static_cast<Date>(rng.Int(18, 26));
    write_request(first_contact, received, kNoFurtherAction, closed);
    Date reopened = closed + static_cast<Date>(rng.Int(1, 6));
    first_contact = received = reopened;
    if (completed - reopened < 2) completed = reopened + static_cast<Date>(rng.Int(2, 20));
    ++Plant(ScenarioKind::kClockReset).records;
  } else if (rng.Chance(0.004) && received + 20 <= win_.end) {
    // Genuine re-referrals happen in clean teams too (details missed, the
    // person went into hospital), just rarely.
    Date closed = received + static_cast<Date>(rng.Int(1, 10));
    write_request(first_contact, received, kNoFurtherAction, closed);
    first_contact = received = closed + static_cast<Date>(rng.Int(1, 10));
    completed = received + AssessDays(p, received, rng);
  }
  Date started = received + std::min<Date>(completed - received, static_cast<Date>(rng.Int(0, 7)));
  if (completed > win_.end || !life.Active(completed)) {
    // Still open at the extract, or the person died or moved into a care
    // home first (then the request is closed with no further action).
    Date stop = life.End();
    if (completed <= win_.end && stop != kNone && stop >= received) {
      write_request(first_contact, received, kNoFurtherAction, stop);
      return kNone;
    }
    request_id = write_request(first_contact, received, kAssessment, kNone);
    if (started <= win_.end && life.Active(started)) {
      CsvWriter& a = W(T::kAssessments);
      a.Id("A", NextId(T::kAssessments)).Id("P", p.num).Id("R", request_id).Str("needs");
      a.Day(started).Null().Null();
      Lineage(a, p, started, rng);
    }
    return kNone;
  }
  request_id = write_request(first_contact, received, kAssessment, completed);
  bool eligible = rng.Chance(p.Old() ? 0.74 : 0.66);
  CsvWriter& a = W(T::kAssessments);
  a.Id("A", NextId(T::kAssessments)).Id("P", p.num).Id("R", request_id).Str("needs");
  a.Day(started).Day(completed).YesNo(eligible);
  Lineage(a, p, completed, rng);
  if (!eligible) return completed;
  int64_t baseline = rng.Chance(0.6) ? Measure(p, completed, false, kNoId, rng) : kNoId;
  return LongTermCare(p, completed, baseline, life, rng);
}

//===----------------------------------------------------------------------===//
// Long-term care: plan, service, budget, visits, reviews
//===----------------------------------------------------------------------===//

Date Generator::LongTermCare(const Person& p, Date from, int64_t baseline, Life& life, Rng& rng) {
  Date plan_on = from + static_cast<Date>(rng.Int(0, 10));
  if (plan_on > win_.end || !life.Active(plan_on)) return kNone;
  int team = p.TeamOn(plan_on);
  const TeamProfile& tp = council_.teams[team];
  Date review_due = rng.Chance(0.95) ? plan_on + 365 : kNone;
  CsvWriter& sp = W(T::kSupportPlans);
  sp.Id("SP", NextId(T::kSupportPlans)).Id("P", p.num).Day(plan_on).Int(rng.Int(1, 5));
  sp.Day(review_due).YesNo(rng.Chance(tp.copy_given)).YesNo(rng.Chance(0.9));
  Lineage(sp, p, plan_on, rng);

  ServiceType type = kLtTypes[rng.Pick(p.Old() ? std::span<const double>(kLtWeights65) : kLtWeightsUnder65)];
  Date start = std::min<Date>(win_.end, plan_on + static_cast<Date>(rng.Int(0, 14)));
  if (!life.Active(start)) return kNone;
  if (type == ServiceType::kResidential || type == ServiceType::kNursing) {
    CareHome(p, start, type == ServiceType::kNursing, rng.Chance(0.2) ? "carer_breakdown" : "needs",
             life, rng);
    return kNone;
  }
  int64_t id = NextId(T::kServices);
  CsvWriter& s = W(T::kServices);
  if (type == ServiceType::kEquipment) {
    double cost = rng.Int(80, 900);
    s.Id("S", id).Id("P", p.num).Str("equipment").Null().Str("community").Str("short");
    s.Str("commissioned").Day(start).Day(start).Null().Money(cost).Str("PRV_EQUIP");
    Lineage(s, p, start, rng);
    finance_.AddOneOff(p.TeamOn(start), type, start, cost, 1.0);
    return start;
  }
  static constexpr double kMeanDays[] = {320, 700, 0, 0, 0, 0, 0, 500};
  Date end = start + 28 + static_cast<Date>(rng.Exponential(kMeanDays[static_cast<int>(type)]));
  if (Date stop = life.End(); stop != kNone && end > stop) end = stop;
  if (end > win_.end) end = kNone;
  double dp = tp.dp_rate * (p.Old() ? 0.85 : 1.5);
  double u = rng.Uniform();
  int delivery = u < dp ? 0 : u < dp + 0.12 ? 1 : 2;
  static constexpr std::string_view kDelivery[] = {"direct_payment", "managed_budget", "commissioned"};
  double hours = 0, weekly = 0;
  int per_week = 0;
  if (type == ServiceType::kHomeCare) {
    hours = std::clamp(rng.LogNormal(6.5, 0.6), 1.5, 40.0);
    static constexpr double kMinutes[] = {30, 45, 60};
    static constexpr double kMinuteWeights[] = {0.15, 0.35, 0.50};
    double minutes = kMinutes[rng.Pick(kMinuteWeights)];
    per_week = std::max(1, static_cast<int>(std::lround(hours * 60 / minutes)));
    hours = std::round(hours * 4) / 4;
    weekly = hours * (22.0 + rng.Int(0, 60) / 10.0);
  } else if (type == ServiceType::kDayCare) {
    hours = 6.0 * static_cast<double>(rng.Int(1, 3));
    weekly = hours / 6 * (55 + rng.Int(0, 25));
  } else {
    hours = static_cast<double>(rng.Int(2, 10));
    weekly = hours * 20;
  }
  s.Id("S", id).Id("P", p.num).Str(kTypeCodes[static_cast<int>(type)]).Null().Str("community");
  s.Str("long").Str(kDelivery[delivery]).Day(start).Day(end).Money(hours).Money(weekly);
  if (delivery == 0) s.Null(); else s.Id("PRV", rng.Int(1, 40));
  Lineage(s, p, start, rng);
  finance_.AddRecurring(p.TeamOn(start), type, start, end,
                        weekly, type == ServiceType::kHomeCare ? hours : 1.0);

  // Personal budget: every direct payment and managed budget, and some
  // commissioned services; all three criteria evidenced by the start.
  bool budget = delivery < 2 || rng.Chance(council_.teams[p.TeamOn(start)].pb_commissioned);
  if (Plant(ScenarioKind::kLetters).on && Plant(ScenarioKind::kLetters).team == p.TeamOn(start)) {
    // The letters team had few genuine budgets (Somerset: 7%).
    budget = delivery < 2 || rng.Chance(0.08);
  }
  if (budget) {
    Date informed = plan_on - static_cast<Date>(rng.Int(0, 10));
    Date choice = start - static_cast<Date>(rng.Int(0, start - plan_on));
    Budget(p, id, informed, plan_on, choice, start, end, weekly, rng);
  } else if (PlantState& letters = Plant(ScenarioKind::kLetters); letters.on && !letters.year_ends.empty()) {
    Date day = letters.year_ends[0];
    if (p.TeamOn(day) == letters.team && start <= day && (end == kNone || end > day)) {
      // One letter stating the cost of care: only the first criterion.
      CsvWriter& b = W(T::kPersonalBudgets);
      b.Id("B", NextId(T::kPersonalBudgets)).Id("P", p.num).Money(weekly * 52).Day(day).Null().Null();
      b.Day(day).Day(end).YesNo(true);
      b.Str(council_.teams[letters.team].id).Str(council_.worker_ids[p.WorkerOn(day)]);
      b.Time(static_cast<Timestamp>(day) * 86400 + 9 * 3600 + rng.Int(0, 9000));
      b.Str(council_.teams[letters.team].admin_user).EndRow();
      ++letters.records;
    }
  }
  if (type == ServiceType::kHomeCare) Visits(p, id, start, end, hours, per_week, rng);
  Reviews(p, start, end, review_due, baseline, rng);
  Audits(p, start, end, rng);
  Feedback(p, start, end, rng);
  return end;
}

void Generator::Budget(const Person& p, int64_t service, Date informed, Date plan, Date choice,
                       Date start, Date end, double weekly, Rng& rng) {
  CsvWriter& b = W(T::kPersonalBudgets);
  b.Id("B", NextId(T::kPersonalBudgets)).Id("P", p.num).Money(weekly * 52).Day(informed).Day(plan);
  b.Day(choice).Day(start).Day(end).YesNo(true);
  Lineage(b, p, start, rng);
}

void Generator::Visits(const Person& p, int64_t service, Date start, Date end, double hours,
                       int per_week, Rng& rng) {
  Date from = std::max(start, win_.start);
  Date to = end == kNone ? win_.end : std::min(end, win_.end);
  if (from > to) return;
  int minutes = static_cast<int>(hours * 60 / per_week);
  CsvWriter& w = W(T::kVisits);
  const std::string& team_id = council_.teams[p.TeamOn(from)].id;
  const std::string& worker = council_.worker_ids[p.WorkerOn(from)];
  // Visits are logged by the provider's electronic call monitoring, the
  // same day, so their lineage is the monitoring system.
  for (Date week = WeekStart(from); week <= to; week += 7) {
    for (int k = 0; k < per_week; ++k) {
      Date day = week + (k * 7) / per_week;
      if (day < from || day > to || rng.Chance(0.03)) continue;
      int m = std::max(10, minutes + static_cast<int>(rng.Int(-5, 5)));
      w.Id("V", NextId(T::kVisits)).Id("P", p.num).Id("S", service).Day(day).Int(m);
      w.Str(team_id).Str(worker);
      w.Time(static_cast<Timestamp>(day) * 86400 + 7 * 3600 + (k % 4) * 4 * 3600 + rng.Int(0, 3600));
      w.Str("ecm").EndRow();
    }
  }
}

void Generator::Reviews(const Person& p, Date start, Date end, Date first_due, int64_t baseline,
                        Rng& rng) {
  static constexpr std::string_view kAchieved[] = {"Y", "partly", "N"};
  static constexpr double kAchievedWeights[] = {0.55, 0.30, 0.15};
  Date stop = end == kNone ? win_.end : std::min(end, win_.end);
  auto write = [&](std::string_view kind, Date due, Date done) {
    CsvWriter& w = W(T::kReviews);
    w.Id("RV", NextId(T::kReviews)).Id("P", p.num).Str(kind).Day(due).Day(done);
    if (done == kNone) w.Null(); else w.Str(kAchieved[rng.Pick(kAchievedWeights)]);
    Lineage(w, p, done == kNone ? due : done, rng);
  };
  if (rng.Chance(0.7)) {  // the six-to-eight-week review
    Date due = start + 56;
    Date done = due + static_cast<Date>(rng.Int(-14, 21));
    if (done <= stop) write("planned", due, done);
  }
  for (int k = 1;; ++k) {
    Date due = (k == 1 && first_due != kNone) ? first_due : start + 365 * k;
    if (due > stop) break;
    Date done = kNone;
    if (rng.Chance(council_.teams[p.TeamOn(due)].review_rate)) {
      done = due + std::max<Date>(-60, static_cast<Date>(std::lround(rng.Normal() * 25)));
      if (done > stop || done < start + 30) done = kNone;
    }
    if (done != kNone) {
      write("planned", due, done);
      if (baseline != kNoId) {
        Measure(p, done, false, baseline, rng);
        baseline = kNoId;
      }
    } else if (rng.Chance(0.5)) {
      write("planned", due, kNone);
    }
  }
  if (rng.Chance(0.15)) {
    Date on = start + static_cast<Date>(rng.Int(30, 700));
    if (on <= stop) write("unplanned", kNone, on);
  }
}

void Generator::Audits(const Person& p, Date start, Date end, Rng& rng) {
  Date from = std::max(start, win_.start);
  Date to = end == kNone ? win_.end : std::min(end, win_.end);
  for (Date year = from; year <= to; year += 365) {
    if (!rng.Chance(0.15)) continue;
    Date on = std::min<Date>(to, year + static_cast<Date>(rng.Int(0, 364)));
    int64_t id = NextId(T::kCaseAudits);
    double met = council_.teams[p.TeamOn(on)].audit_met;
    for (std::string_view item : kAuditItems) {
      CsvWriter& w = W(T::kCaseAudits);
      w.Id("CA", id).Id("P", p.num).Day(on).Str(item);
      w.Str(rng.Chance(0.07) ? "na" : rng.Chance(met) ? "met" : "not_met");
      Lineage(w, p, on, rng);
    }
  }
}

void Generator::Feedback(const Person& p, Date start, Date end, Rng& rng) {
  Date from = std::max(start, win_.start);
  Date to = end == kNone ? win_.end : std::min(end, win_.end);
  if (from > to) return;
  double years = (to - from + 1) / 365.0;
  for (int kind = 0; kind < 2; ++kind) {
    int n = rng.Poisson((kind == 0 ? 0.03 : 0.06) * years);
    for (int i = 0; i < n; ++i) {
      Date on = static_cast<Date>(rng.Int(from, to));
      Date resolved = kind == 0 ? on + static_cast<Date>(rng.LogNormal(15, 0.6)) : kNone;
      if (resolved != kNone && resolved > win_.end) resolved = kNone;
      CsvWriter& w = W(T::kFeedback);
      w.Id("F", NextId(T::kFeedback));
      if (rng.Chance(0.1)) w.Null(); else w.Id("P", p.num);
      w.Str(kind == 0 ? "complaint" : "compliment").Day(on).Day(resolved);
      Lineage(w, p, on, rng);
    }
  }
}

int64_t Generator::Measure(const Person& p, Date on, bool carer, int64_t baseline, Rng& rng) {
  // ASCOT for service users (8 domains, 0-3, 3 = no unmet need) and the
  // Carers Star for carers (7 domains, 1-10). A follow-up improves on its
  // baseline with the team's rate.
  std::span<const std::string_view> domains =
      carer ? std::span<const std::string_view>(kStarDomains) : std::span<const std::string_view>(kAscotDomains);
  int lo = carer ? 1 : 0, hi = carer ? 10 : 3;
  bool follow = baseline != kNoId;
  // The baseline's scores are re-drawn from the same stream position so that
  // the follow-up can be compared without keeping them: seed by the id.
  Rng base_rng(MixSeed(seed_ ^ 0x5eedULL, static_cast<uint64_t>(follow ? baseline : next_id_[static_cast<int>(T::kOutcomeMeasures)] + 1)));
  int64_t id = NextId(T::kOutcomeMeasures);
  bool improve = follow && rng.Chance(council_.teams[p.TeamOn(on)].improve_rate);
  int changes = follow ? static_cast<int>(rng.Int(1, 3)) : 0;
  for (size_t i = 0; i < domains.size(); ++i) {
    int score = static_cast<int>(base_rng.Int(lo, carer ? 7 : 2));
    if (follow && static_cast<int>(i) < changes) score += improve ? 1 : (rng.Chance(0.5) ? 0 : -1);
    score = std::clamp(score, lo, hi);
    CsvWriter& w = W(T::kOutcomeMeasures);
    w.Id("M", id).Id("P", p.num).Str(carer ? "carers_star" : "ascot").Day(on);
    w.Str(follow ? "follow_up" : "baseline").Str(domains[i]).Int(score);
    Lineage(w, p, on, rng);
  }
  return id;
}

//===----------------------------------------------------------------------===//
// Carers
//===----------------------------------------------------------------------===//

void Generator::Carer(int64_t num, const Person& user, const Life& life, Rng& rng) {
  Person c;
  c.num = num;
  c.carer = true;
  c.team0 = c.team1 = user.team0;
  const TeamProfile& team = council_.teams[c.team0];
  c.worker0 = c.worker1 = team.first_worker + static_cast<int>(rng.Int(0, team.workers - 1));
  double u = rng.Uniform();
  if (u < 0.04) c.age = static_cast<int>(rng.Int(18, 24));
  else if (user.Old() && u < 0.50) c.age = std::clamp(user.age + static_cast<int>(rng.Int(-6, 3)), 60, 98);
  else if (user.Old()) c.age = std::max(25, user.age - static_cast<int>(rng.Int(24, 36)));
  else c.age = std::clamp(user.age + static_cast<int>(rng.Int(20, 32)), 40, 90);
  c.birth = win_.end - static_cast<Date>(c.age * 365.25) - static_cast<Date>(rng.Int(0, 364));
  static constexpr double kOtherEthnicity[] = {0.8, 0.04, 0.08, 0.05, 0.02, 0.01};
  c.ethnicity = rng.Chance(0.9) ? user.ethnicity : rng.Pick(kOtherEthnicity);
  static constexpr std::string_view kEmployment[] = {"full_time", "part_time", "not_working", "retired", "unknown"};
  static constexpr double kWorkingAge[] = {0.32, 0.20, 0.38, 0.0, 0.10};
  static constexpr double kRetirementAge[] = {0.02, 0.05, 0.05, 0.83, 0.05};
  int employment = rng.Pick(c.age < 65 ? std::span<const double>(kWorkingAge) : kRetirementAge);

  CsvWriter& w = W(T::kPeople);
  w.Id("P", num).Str("carer").Day(c.birth).Str(rng.Chance(0.6) ? "F" : "M");
  w.Str(kEthnicities[c.ethnicity]).Str(team.area).Null().Str(kEmployment[employment]);
  std::string groups;
  auto flag = [&](const char* g) {
    if (!groups.empty()) groups += ';';
    groups += g;
  };
  CarerTraits traits;
  traits.age = c.age;
  traits.cared_for_reason = user.reason;
  traits.team = c.team0;
  if ((traits.bme = c.ethnicity >= 1 && c.ethnicity <= 4)) flag("bme");
  if ((traits.refugee = rng.Chance(0.01))) flag("refugee");
  if ((traits.lgbt = rng.Chance(0.04))) flag("lgbt");
  if ((traits.traveller = rng.Chance(0.005))) flag("traveller");
  if ((traits.distance = rng.Chance(0.10))) flag("distance");
  if (c.age <= 25) flag("young_adult");
  w.Str(groups).EndRow();

  Date link_start = life.entry - static_cast<Date>(rng.Int(0, 1200));
  Date link_end = life.End();
  static constexpr double kHours[] = {0.25, 0.20, 0.25, 0.30};
  static constexpr int kHoursLo[] = {2, 10, 20, 50}, kHoursHi[] = {9, 19, 49, 100};
  int hb = rng.Pick(kHours);
  CsvWriter& cl = W(T::kCareLinks);
  cl.Id("P", num).Id("P", user.num).Day(link_start).Day(link_end).Int(rng.Int(kHoursLo[hb], kHoursHi[hb]));
  cl.EndRow();

  // The voluntary sector's support, drawn from the carer's second stream so
  // that everything below is as it would be without it.
  Rng hub_rng(HubStreamSeed(seed_, num));
  Date vs_stop = link_end == kNone ? win_.end : std::min(link_end, win_.end);
  for (const VoluntaryService& v : VoluntarySectorServices(council_, traits, std::max(link_start, win_.history_start),
                                                           vs_stop, win_.end, hub_rng)) {
    CsvWriter& s = W(T::kServices);
    s.Id("S", NextId(T::kServices)).Id("P", num).Str("carer_support").Str(kHub[v.intervention]).Str("community");
    s.Str(v.long_term ? "long" : "short").Str("commissioned").Day(v.start).Day(v.end);
    s.Null().Money(v.weekly_cost).Str(v.provider);
    // Not part of a planted pattern: the voluntary sector's records are
    // keyed as they come.
    Lineage(s, c, v.start, hub_rng, /*plant=*/false);
    finance_.AddRecurring(c.TeamOn(v.start), ServiceType::kCarerSupport, v.start, v.end, v.weekly_cost, 1.0);
  }

  Date contact = std::max({link_start, win_.history_start, life.entry + static_cast<Date>(rng.Int(-60, 240))});
  Date stop = link_end == kNone ? win_.end : std::min(link_end, win_.end);
  if (contact > stop || !rng.Chance(0.75)) return;
  int route = rng.Pick(kCarerRouteWeights);
  static constexpr double kCarerOutcomes[] = {0.72, 0.13, 0.15};
  int outcome = rng.Pick(kCarerOutcomes);  // assessment, universal, signposted
  Date received = contact + (rng.Chance(0.8) ? 0 : static_cast<Date>(rng.Int(1, 5)));
  received = std::min(received, win_.end);
  Date supported = kNone;
  Date closed = outcome == 0 ? kNone : received + static_cast<Date>(rng.Int(0, 7));
  Date completed = kNone;
  Date started = received;
  if (outcome == 0) {
    completed = received + AssessDays(c, received, rng) + static_cast<Date>(rng.Int(0, 4));
    started = received + std::min<Date>(completed - received, static_cast<Date>(rng.Int(0, 5)));
    closed = completed;
  }
  int64_t request_id = NextId(T::kRequests);
  CsvWriter& r = W(T::kRequests);
  r.Id("R", request_id).Id("P", num).Day(contact).Day(received).Str(kRoutes[route]);
  if (closed > win_.end) r.Null().Null();
  else r.Str(outcome == 0 ? "assessment" : outcome == 1 ? "universal" : "signposted").Day(closed);
  Lineage(r, c, received, rng);
  if (outcome == 0 && started <= win_.end) {
    bool done = completed <= win_.end;
    CsvWriter& a = W(T::kAssessments);
    a.Id("A", NextId(T::kAssessments)).Id("P", num).Id("R", request_id).Str(rng.Chance(0.8) ? "carer" : "joint");
    a.Day(started).Day(done ? completed : kNone);
    if (done) a.YesNo(rng.Chance(0.85)); else a.Null();
    Lineage(a, c, done ? completed : started, rng);
    if (done) supported = completed;
  }
  // Support from the carers' hub: after an assessment, or (as the voluntary
  // sector does) without one.
  Date from = supported != kNone ? supported : (rng.Chance(0.3) && closed <= win_.end ? closed : kNone);
  if (from == kNone) return;
  if (supported == kNone) supported = from;
  int services = 1 + rng.Poisson(0.6);
  Date at = from;
  for (int i = 0; i < services; ++i) {
    at += static_cast<Date>(rng.Int(0, i == 0 ? 30 : 150));
    if (at > win_.end) break;
    bool longer = rng.Chance(0.25);
    Date end = at + (longer ? 60 + static_cast<Date>(rng.Exponential(400)) : static_cast<Date>(rng.Int(0, 56)));
    if (end > win_.end) end = kNone;
    bool dp = rng.Chance(0.3);
    double weekly = longer ? rng.Int(20, 120) : rng.Int(30, 250);
    int64_t sid = NextId(T::kServices);
    CsvWriter& s = W(T::kServices);
    int hub = ReceivedIntervention(rng.Pick(kHubWeights), traits);
    s.Id("S", sid).Id("P", num).Str("carer_support").Str(kHub[hub]).Str("community");
    s.Str(longer ? "long" : "short").Str(dp ? "direct_payment" : "commissioned").Day(at).Day(end);
    s.Null().Money(weekly);
    if (dp) {
      s.Null();
    } else {
      rng.Int(1, 3);  // the provider was drawn here once; kept so the stream is unchanged
      s.Str(HubProvider(council_, hub, c.TeamOn(at), hub_rng));
    }
    Lineage(s, c, at, rng);
    finance_.AddRecurring(c.TeamOn(at), ServiceType::kCarerSupport, at, end, weekly, 1.0);
    if (dp) Budget(c, sid, at - static_cast<Date>(rng.Int(0, 14)), at - static_cast<Date>(rng.Int(0, 7)), at, at, end, weekly, rng);
  }
  if (rng.Chance(council_.teams[c.team0].carer_plan_rate)) {
    Date agreed = supported + static_cast<Date>(rng.Int(0, 60));
    if (agreed <= win_.end) {
      Date reviewed = agreed + static_cast<Date>(rng.Int(300, 420));
      if (reviewed > win_.end || !rng.Chance(0.6)) reviewed = kNone;
      CsvWriter& e = W(T::kEmergencyPlans);
      e.Id("EP", NextId(T::kEmergencyPlans)).Id("P", num).Day(agreed).Day(reviewed);
      Lineage(e, c, agreed, rng);
    }
  }
  if (rng.Chance(0.4)) {
    int64_t base = Measure(c, supported, true, kNoId, rng);
    Date later = supported + static_cast<Date>(rng.Int(180, 365));
    if (later <= stop && rng.Chance(0.6)) Measure(c, later, true, base, rng);
  }
  if (rng.Chance(0.08)) Audits(c, supported, stop, rng);
  // The carers' survey runs every autumn (October-November) and samples
  // carers supported before it whose caring continues.
  for (int year = CivilFromDate(win_.start).year; year <= CivilFromDate(win_.end).year; ++year) {
    Date open = DateFromCivil(year, 10, 1);
    if (open < win_.start || supported >= open || (link_end != kNone && link_end <= open)) continue;
    Date on = open + static_cast<Date>(rng.Int(0, 60));
    if (on <= win_.end && rng.Chance(0.35)) Survey(c, on, rng);
  }
}

void Generator::Survey(const Person& p, Date on, Rng& rng) {
  int64_t id = NextId(T::kSurveyResponses);
  double q = 0.7 * rng.Normal() + council_.teams[p.TeamOn(on)].survey_shift;
  auto item = [&](std::string_view name, int answer) {
    if (rng.Chance(0.03)) return;  // item left blank
    CsvWriter& w = W(T::kSurveyResponses);
    w.Id("Q", id).Id("P", p.num).Str("sace").Day(on).Str(name).Int(answer);
    Lineage(w, p, on, rng);
  };
  for (std::string_view name : kQolItems) item(name, ShiftedAnswer(kQolAnswers, q, rng));
  item("q_satisfaction", ShiftedAnswer(kSatisfaction, q, rng));
  // Answer 5 ("no discussions I am aware of", "never tried") is outside the
  // best-worst scale, so it is drawn first and not shifted.
  item("q_involved", rng.Chance(kInvolved[4]) ? 5 : ShiftedAnswer(std::span(kInvolved, 4), q, rng));
  item("q_info_ease", rng.Chance(kInfoEase[4]) ? 5 : ShiftedAnswer(std::span(kInfoEase, 4), q, rng));
}

}  // namespace goldthread::sim
