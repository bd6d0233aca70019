#pragma once
// The council's shape: org units, teams with their performance profiles,
// workers, resident and carer populations, and monthly finance. Internal to
// the simulator.

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "sim/csv_writer.h"
#include "sim/rng.h"

namespace goldthread::sim {

/// Service types in model/schema order (the finance accumulator's index).
enum class ServiceType { kHomeCare, kDayCare, kResidential, kNursing, kReablement, kEquipment, kCarerSupport, kOther };
inline constexpr int kServiceTypeCount = 8;

/// One locality team. Rates are the team's own, so teams differ the way real
/// ones do (funnel plots and SPC charts need that spread).
struct TeamProfile {
  std::string id;    // "T01"
  std::string name;  // "Ashworth Locality Team"
  std::string area;  // "Ashworth"
  std::string admin_user;  // "adm01"
  int service = 0;         // index of its service (SVC1..)
  double weight = 1;       // share of the council's people
  double assess_median_days = 14;
  double dp_rate = 0.27;          // direct payments among long-term community services
  double pb_commissioned = 0.45;  // commissioned services that still carry a personal budget
  double review_rate = 0.72;      // annual reviews done
  double still_home = 0.84;       // reablement discharges at home 91 days later
  double copy_given = 0.85;
  double audit_met = 0.78;
  double carer_plan_rate = 0.45;
  double improve_rate = 0.58;     // outcome follow-up better than baseline
  double survey_shift = 0;        // carers' survey: + is better
  double diversity = 0.12;        // share of residents not white British
  int first_worker = 0;           // index into Council::workers
  int workers = 8;
};

/// Who the council is. The defaults are the single simulated council; in a
/// national set (simulate --councils) each council has its own ids, under
/// its region, and its own character: shifts applied to every team's draws.
struct CouncilIdentity {
  std::string id = "C00";
  std::string name = "Goldshire County Council";
  std::string parent;        // its region's org unit, empty for a root
  std::string prefix;        // on every org unit, worker, user and area id: "C001-"
  double perf_shift = 0;     // added to each team's latent performance (SDs)
  double dp_shift = 0;       // added to each team's direct-payment share
  double survey_shift = 0;   // added to each team's carers' survey shift
};

struct Council {
  CouncilIdentity who;
  std::vector<TeamProfile> teams;
  std::vector<std::string> worker_ids;  // "W0103": team 01, worker 03
  std::vector<std::string> user_ids;    // the worker's login, "u0103"
  int64_t residents = 0;                // in the window's last year
};

/// Builds the teams and workers for a council of `people` people in
/// `team_count` teams, from the council's own random stream.
Council BuildCouncil(int64_t people, int team_count, Rng& rng, const CouncilIdentity& who = {});

/// The council, its services and its teams.
Status WriteOrgUnits(const Council& c, CsvWriter& w);

/// populations.csv for every calendar year from first_year to last_year.
void WritePopulations(const Council& c, int first_year, int last_year, CsvWriter& w);
void WriteCarerPopulations(const Council& c, CsvWriter& w);

/// Monthly spend and activity per team and service type, accumulated while
/// people are generated, then written with a budget per financial year.
class Finance {
 public:
  Finance(int teams, Date window_start, int months);
  /// A service active over [start, end] (end kNullDate: to the window's end)
  /// costing weekly_cost and delivering units_per_week.
  void AddRecurring(int team, ServiceType type, Date start, Date end, double weekly_cost,
                    double units_per_week);
  void AddOneOff(int team, ServiceType type, Date on, double cost, double units);
  /// From `from` (the first day of a month) on, `type`'s activity falls by
  /// per_month a month (to at most 1 - floor below the same month a year
  /// earlier, or its own level if lower) while its
  /// spend, and so its budget, stays as it was: a block contract paid in
  /// full for fewer sessions (seed 004, "Financial management": "the budget
  /// being on target but the council securing fewer services").
  void PlantActivityFall(ServiceType type, Date from, double per_month, double floor);
  void Write(const Council& c, Rng& rng, CsvWriter& w) const;

 private:
  size_t Index(int team, int type, int month) const {
    return (static_cast<size_t>(team) * kServiceTypeCount + type) * months_ + month;
  }
  int teams_;
  Date start_;
  int months_;
  std::vector<Date> month_start_;  // months_ + 1 entries
  std::vector<double> spend_;
  std::vector<double> units_;
  int fall_type_ = -1;
  Date fall_from_ = kNullDate;
  double fall_per_month_ = 0.0, fall_floor_ = 1.0;

  double ActivityFactor(int type, int month) const;
  /// The activity written for a month: with the planted fall.
  double Units(int team, int type, int month) const;
};

}  // namespace goldthread::sim
