#pragma once
// Generates people and every record about them, one person (and their carer)
// at a time, writing straight into the canonical CSV writers. Internal to the
// simulator; see simulator.h for what is simulated.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "model/schema.h"
#include "sim/council.h"
#include "sim/csv_writer.h"
#include "sim/rng.h"
#include "sim/scenario.h"

namespace goldthread::sim {

using Writers = std::array<CsvWriter, kTableCount>;
/// The last record number used in each table: shared by the councils of a
/// national set, so that record ids are unique across them.
using IdCounters = std::array<int64_t, kTableCount>;

/// A planted scenario's state while generating: where, when, how many.
struct PlantState {
  bool on = false;
  int team = -1;
  Date from = kNullDate;
  Date to = kNullDate;
  int64_t records = 0;
  std::vector<Date> year_ends;  // backdating: the period ends surged; letters: the day
};

struct Window {
  Date history_start;  // a year before start: existing caseload
  Date start;
  Date end;  // last day, inclusive
};

class Generator {
 public:
  Generator(const Council& council, const Window& window, uint64_t seed, Writers& out,
            Finance& finance, std::array<PlantState, kScenarioCount>& plants, IdCounters& ids);
  /// Writes people numbered on from the rows people.csv already has (1 for
  /// the first council) up to `people` (service users, each maybe followed
  /// by a carer) and all their records.
  void Run(int64_t people);

 private:
  struct Person;
  struct Life;

  CsvWriter& W(TableId t) { return out_[static_cast<int>(t)]; }
  int64_t NextId(TableId t) { return ++next_id_[static_cast<int>(t)]; }
  PlantState& Plant(ScenarioKind k) { return plants_[static_cast<int>(k)]; }
  bool Planted(ScenarioKind k, int team, Date on) {
    const PlantState& p = plants_[static_cast<int>(k)];
    return p.on && p.team == team && on >= p.from && on <= p.to;
  }

  Date EntryDate(Rng& rng);
  /// plant: false for records no planted scenario may touch.
  void Lineage(CsvWriter& w, const Person& p, Date event, Rng& rng, bool plant = true);
  Timestamp RecordedAt(Date event, Rng& rng);

  void ServiceUser(int64_t num, Rng& rng, int64_t people_left);
  void Hospital(const Person& p, Date from, Life& life, Rng& rng);
  Date Journey(const Person& p, Date t, Life& life, Rng& rng);
  Date LongTermCare(const Person& p, Date from, int64_t baseline, Life& life, Rng& rng);
  void CareHome(const Person& p, Date on, bool nursing, const char* reason, Life& life, Rng& rng);
  void Reablement(const Person& p, Date on, std::string_view route, Rng& rng);
  int AssessDays(const Person& p, Date received, Rng& rng);
  int64_t Measure(const Person& p, Date on, bool carer, int64_t baseline, Rng& rng);
  void Budget(const Person& p, int64_t service, Date informed, Date plan, Date choice, Date start,
              Date end, double weekly, Rng& rng);
  void Visits(const Person& p, int64_t service, Date start, Date end, double hours, int per_week,
              Rng& rng);
  void Reviews(const Person& p, Date start, Date end, Date first_due, int64_t baseline, Rng& rng);
  void Audits(const Person& p, Date start, Date end, Rng& rng);
  void Feedback(const Person& p, Date start, Date end, Rng& rng);
  void Carer(int64_t num, const Person& user, const Life& life, Rng& rng);
  void Survey(const Person& p, Date on, Rng& rng);

  const Council& council_;
  Window win_;
  uint64_t seed_;
  Writers& out_;
  Finance& finance_;
  std::array<PlantState, kScenarioCount>& plants_;
  IdCounters& next_id_;
  std::vector<double> team_weights_;
};

}  // namespace goldthread::sim
