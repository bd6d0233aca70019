#include "sim/council.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/period.h"

namespace goldthread::sim {
namespace {

constexpr const char* kAreaNames[] = {"Ashworth", "Bramley",  "Carrow",  "Dunmere",
                                      "Elmstead", "Fernhill", "Greyford", "Hollins",
                                      "Ingleby",  "Kelsall",  "Langmoor", "Millbrook"};
constexpr const char* kServiceNames[] = {"Adult Social Care North", "Adult Social Care Central",
                                         "Adult Social Care South"};
constexpr const char* kServiceIds[] = {"SVC1", "SVC2", "SVC3"};
constexpr std::string_view kServiceTypeCodes[] = {"home_care", "day_care",   "residential",
                                                  "nursing",   "reablement", "equipment",
                                                  "carer_support", "other"};
constexpr std::string_view kUnits[] = {"hours", "weeks", "weeks", "weeks",
                                       "weeks", "items", "weeks", "weeks"};

// Resident age structure (England, ONS mid-year estimates, rounded): 65+ is
// 19% of residents.
struct AgeBand {
  const char* label;
  double share;
  double female;
  double growth;  // per year
};
constexpr AgeBand kAgeBands[] = {{"0-17", 0.20, 0.49, 0.002},
                                 {"18-64", 0.61, 0.50, 0.004},
                                 {"65-74", 0.10, 0.52, 0.012},
                                 {"75-84", 0.065, 0.55, 0.025},
                                 {"85+", 0.025, 0.63, 0.03}};

// Residents per person known to adult social care over the simulation: a
// council of 250,000 residents knows about 10,000 people (4%).
constexpr int64_t kResidentsPerPerson = 25;

double Clamp(double v, double lo, double hi) { return std::max(lo, std::min(hi, v)); }

}  // namespace

Council BuildCouncil(int64_t people, int team_count, Rng& rng, const CouncilIdentity& who) {
  Council c;
  c.who = who;
  const std::string& pre = who.prefix;
  c.residents = people * kResidentsPerPerson;
  double total_weight = 0;
  for (int t = 0; t < team_count; ++t) {
    TeamProfile p;
    p.id = fmt::format("{}T{:02d}", pre, t + 1);
    p.area = pre + kAreaNames[t];
    p.name = std::string(kAreaNames[t]) + " Locality Team";
    p.admin_user = fmt::format("{}adm{:02d}", pre, t + 1);
    p.service = t % 3;
    p.weight = 0.6 + 0.8 * rng.Uniform();
    total_weight += p.weight;
    // One latent "how well run" score drives the process measures, so that a
    // team good at one thing tends to be good at others (as in real data),
    // plus independent noise per measure.
    // The council's character shifts every team's draws (0 for a single
    // council, which so stays as it always was).
    double perf = Clamp(rng.Normal(), -2, 2) + who.perf_shift;
    p.assess_median_days = Clamp(14.0 - 2.5 * perf + rng.Normal(), 8, 22);
    p.dp_rate = Clamp(0.27 + 0.04 * rng.Normal(), 0.18, 0.36) + who.dp_shift;
    p.pb_commissioned = Clamp(0.45 + 0.08 * rng.Normal(), 0.25, 0.65);
    p.review_rate = Clamp(0.72 + 0.05 * perf + 0.03 * rng.Normal(), 0.58, 0.86);
    p.still_home = Clamp(0.85 + 0.025 * perf + 0.02 * rng.Normal(), 0.76, 0.93);
    p.copy_given = Clamp(0.85 + 0.05 * perf, 0.7, 0.97);
    p.audit_met = Clamp(0.78 + 0.06 * perf + 0.03 * rng.Normal(), 0.6, 0.93);
    p.carer_plan_rate = Clamp(0.45 + 0.08 * rng.Normal(), 0.25, 0.65);
    p.improve_rate = Clamp(0.58 + 0.05 * rng.Normal(), 0.45, 0.7);
    p.survey_shift = Clamp(0.15 * rng.Normal(), -0.3, 0.3) + who.survey_shift;
    p.diversity = Clamp(0.12 + 0.08 * rng.Normal(), 0.03, 0.35);
    c.teams.push_back(p);
  }
  // Workers: about one per 120 people, at least 6 a team.
  for (int t = 0; t < team_count; ++t) {
    TeamProfile& p = c.teams[t];
    p.weight /= total_weight;
    p.first_worker = static_cast<int>(c.worker_ids.size());
    p.workers = static_cast<int>(std::max<int64_t>(6, std::llround(people * p.weight / 120.0)));
    p.workers = std::min(p.workers, 9999);
    for (int k = 1; k <= p.workers; ++k) {
      c.worker_ids.push_back(fmt::format("{}W{:02d}{:02d}", pre, t + 1, k));
      c.user_ids.push_back(fmt::format("{}u{:02d}{:02d}", pre, t + 1, k));
    }
  }
  return c;
}

Status WriteOrgUnits(const Council& c, CsvWriter& w) {
  const std::string& pre = c.who.prefix;
  w.Str(c.who.id);
  if (c.who.parent.empty()) w.Null(); else w.Str(c.who.parent);
  w.Str(c.who.name).Str("council").EndRow();
  int services = std::min<int>(3, static_cast<int>(c.teams.size()));
  for (int s = 0; s < services; ++s)
    w.Str(pre + kServiceIds[s]).Str(c.who.id).Str(kServiceNames[s]).Str("service").EndRow();
  for (const TeamProfile& t : c.teams)
    w.Str(t.id).Str(pre + kServiceIds[t.service]).Str(t.name).Str("team").EndRow();
  return Status::Ok();
}

void WritePopulations(const Council& c, int first_year, int last_year, CsvWriter& w) {
  for (const TeamProfile& t : c.teams) {
    double area_residents = static_cast<double>(c.residents) * t.weight;
    for (int year = first_year; year <= last_year; ++year) {
      for (const AgeBand& b : kAgeBands) {
        double n = area_residents * b.share * std::pow(1.0 + b.growth, year - last_year);
        int64_t female = std::llround(n * b.female);
        int64_t male = std::llround(n) - female;
        w.Str(t.area).Int(year).Str(b.label).Str("F").Int(female).EndRow();
        w.Str(t.area).Int(year).Str(b.label).Str("M").Int(male).EndRow();
      }
    }
  }
}

void WriteCarerPopulations(const Council& c, CsvWriter& w) {
  // Census 2021: about 9% of residents aged 5+ provide unpaid care. Group
  // shares are rough national proportions of carers; the groups are the Hub
  // audit's ids (shared/DESIGN.md section 7): the carer flags, the carer's
  // age band, working carers and the cared-for person's condition.
  struct Group {
    const char* name;
    double share;  // of all carers
  };
  static constexpr Group kGroups[] = {
      {"refugee", 0.004},          {"lgbt", 0.03},          {"traveller", 0.002},
      {"distance", 0.12},          {"young_adult", 0.05},   {"age_16_24", 0.06},
      {"age_25_64", 0.66},         {"age_65_plus", 0.28},   {"working", 0.40},
      {"psr_physical", 0.42},      {"psr_sensory", 0.04},   {"psr_memory_cognition", 0.18},
      {"psr_learning_disability", 0.12}, {"psr_mental_health", 0.14}, {"psr_social_support", 0.03}};
  for (const TeamProfile& t : c.teams) {
    double carers = static_cast<double>(c.residents) * t.weight * 0.09;
    w.Str(t.area).Str("all").Int(std::llround(carers)).EndRow();
    w.Str(t.area).Str("bme").Int(std::llround(carers * t.diversity)).EndRow();
    for (const Group& g : kGroups) w.Str(t.area).Str(g.name).Int(std::llround(carers * g.share)).EndRow();
  }
}

Finance::Finance(int teams, Date window_start, int months)
    : teams_(teams), start_(window_start), months_(months) {
  for (int m = 0; m <= months; ++m) month_start_.push_back(AddMonths(window_start, m));
  spend_.assign(static_cast<size_t>(teams) * kServiceTypeCount * months, 0.0);
  units_.assign(spend_.size(), 0.0);
}

void Finance::AddRecurring(int team, ServiceType type, Date start, Date end, double weekly_cost,
                           double units_per_week) {
  Date last = end == kNullDate ? month_start_.back() - 1 : end;
  if (last < start_ || start >= month_start_.back()) return;
  int m = 0;
  while (m < months_ && month_start_[m + 1] <= start) ++m;
  for (; m < months_ && month_start_[m] <= last; ++m) {
    Date a = std::max(start, month_start_[m]);
    Date b = std::min(last, month_start_[m + 1] - 1);
    double weeks = (b - a + 1) / 7.0;
    size_t i = Index(team, static_cast<int>(type), m);
    spend_[i] += weekly_cost * weeks;
    units_[i] += units_per_week * weeks;
  }
}

void Finance::AddOneOff(int team, ServiceType type, Date on, double cost, double units) {
  if (on < start_ || on >= month_start_.back()) return;
  int m = 0;
  while (m < months_ && month_start_[m + 1] <= on) ++m;
  size_t i = Index(team, static_cast<int>(type), m);
  spend_[i] += cost;
  units_[i] += units;
}

void Finance::PlantActivityFall(ServiceType type, Date from, double per_month, double floor) {
  fall_type_ = static_cast<int>(type);
  fall_from_ = from;
  fall_per_month_ = per_month;
  fall_floor_ = floor;
}

double Finance::ActivityFactor(int type, int month) const {
  if (type != fall_type_ || month_start_[month] < fall_from_) return 1.0;
  int since = 0;
  while (since < month && month_start_[month - since - 1] >= fall_from_) ++since;
  return std::max(fall_floor_, 1.0 - fall_per_month_ * (since + 1));
}

double Finance::Units(int team, int type, int month) const {
  const double units = units_[Index(team, type, month)];
  const double factor = ActivityFactor(type, month);
  if (factor >= 1.0 || month < 12) return units * factor;
  // The simulated caseload still grows through the window, so a fall from
  // this month's own activity could still be a rise on the year before;
  // the fall is from the same month a year earlier (the costs audit's
  // like-for-like comparison), never above this month's own activity.
  return std::min(units, units_[Index(team, type, month - 12)]) * factor;
}

void Finance::Write(const Council& c, Rng& rng, CsvWriter& w) const {
  for (int t = 0; t < teams_; ++t) {
    for (int s = 0; s < kServiceTypeCount; ++s) {
      // The budget is set per financial year: the year's mean monthly spend
      // with a planning error of a few percent, flat across its months, so
      // spend runs over in winter and under in summer.
      double bias = 1.0 + 0.04 * rng.Normal();
      for (int m = 0; m < months_;) {
        int fy = FinancialYearOf(month_start_[m]);
        int e = m;
        double sum = 0;
        while (e < months_ && FinancialYearOf(month_start_[e]) == fy) sum += spend_[Index(t, s, e++)];
        double budget = sum / (e - m) * bias * (1.0 + 0.02 * rng.Normal());
        for (; m < e; ++m) {
          size_t i = Index(t, s, m);
          if (spend_[i] <= 0 && budget <= 0) continue;
          w.Month(month_start_[m]).Str(c.teams[t].id).Str(kServiceTypeCodes[s]).Money(budget);
          w.Money(spend_[i]).Money(Units(t, s, m)).Str(kUnits[s]).EndRow();
        }
      }
    }
  }
}

}  // namespace goldthread::sim
