#pragma once
// Test-only: builds small snapshots row by row for the checks' tests, with
// the canonical field order of shared/DESIGN.md section 3 spelled out once.

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/period.h"
#include "indicators/definition.h"
#include "integrity/indicator_series.h"
#include "model/snapshot.h"

namespace goldthread::integrity::testing {

class TestData {
 public:
  /// A council C with teams T1..Tn.
  explicit TestData(int teams = 3) {
    Add(TableId::kOrgUnits, {"C", "", "Council", "council"});
    for (int i = 1; i <= teams; ++i) {
      std::string id = "T" + std::to_string(i);
      Add(TableId::kOrgUnits, {id, "C", "Team " + std::to_string(i), "team"});
    }
  }
  void Person(const std::string& id) {
    Add(TableId::kPeople, {id, "service_user", "1940-01-01", "F", "white", "", "physical", "", ""});
  }
  // recorded_at: "" or a date (recorded at 10:00 that day).
  void Request(const std::string& id, const std::string& person, const std::string& first,
               const std::string& received, const std::string& closed, const std::string& team,
               const std::string& recorded = "", const std::string& by = "", int64_t batch = 1) {
    Add(TableId::kRequests,
        {id, person, first, received, "self", closed.empty() ? "" : "assessment", closed, team, "W1",
         Ts(recorded), by},
        batch);
  }
  void Assessment(const std::string& id, const std::string& person, const std::string& request,
                  const std::string& completed, const std::string& team, const std::string& recorded = "",
                  const std::string& by = "", int64_t batch = 1) {
    Add(TableId::kAssessments,
        {id, person, request, "needs", "", completed, "Y", team, "W1", Ts(recorded), by}, batch);
  }
  void Budget(const std::string& id, const std::string& person, const std::string& informed,
              const std::string& plan, const std::string& choice, const std::string& start,
              const std::string& claimed, const std::string& team, const std::string& recorded = "",
              const std::string& by = "", int64_t batch = 1, const std::string& amount = "5200") {
    Add(TableId::kPersonalBudgets,
        {id, person, amount, informed, plan, choice, start, "", claimed, team, "W1", Ts(recorded), by},
        batch);
  }
  void Review(const std::string& id, const std::string& person, const std::string& completed,
              const std::string& team, const std::string& recorded = "", const std::string& by = "",
              int64_t batch = 1) {
    Add(TableId::kReviews, {id, person, "planned", "", completed, "Y", team, "W1", Ts(recorded), by}, batch);
  }
  // One row of an outcome measure (a domain's score), a home-care visit and
  // a survey answer: records logged routinely, in their thousands.
  void Outcome(const std::string& id, const std::string& person, const std::string& measured,
               const std::string& team, const std::string& recorded = "", const std::string& by = "",
               int64_t batch = 1) {
    Add(TableId::kOutcomeMeasures,
        {id, person, "ascot", measured, "follow_up", "control", "2", team, "W1", Ts(recorded), by}, batch);
  }
  void Visit(const std::string& id, const std::string& person, const std::string& on, const std::string& team,
             const std::string& recorded = "", const std::string& by = "", int64_t batch = 1) {
    Add(TableId::kVisits, {id, person, "", on, "30", team, "W1", Ts(recorded), by}, batch);
  }
  void Survey(const std::string& id, const std::string& person, const std::string& collected,
              const std::string& team, const std::string& recorded = "", const std::string& by = "",
              int64_t batch = 1) {
    Add(TableId::kSurveyResponses, {id, person, "ascs", collected, "q1", "2", team, "W1", Ts(recorded), by},
        batch);
  }
  void Add(TableId t, std::vector<std::string> values, int64_t batch = 1) {
    std::vector<std::string_view> v(values.begin(), values.end());
    Status s = b_.AddRow(t, v, batch);
    ASSERT_TRUE(s.ok()) << s.ToString() << " in " << values[0];
  }
  std::unique_ptr<Snapshot> Finish() {
    auto r = b_.Finish();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }

 private:
  static std::string Ts(const std::string& d) { return d.empty() ? "" : d + "T10:00:00Z"; }
  SnapshotBuilder b_;
};

/// Hand-built quarterly indicator series: `quarters` quarters from 2023-24
/// Q1, one team T1 and the council C with the same figures, the data
/// starting a year before the first quarter (so the default 12-month
/// warm-up leaves every quarter in).
class Series {
 public:
  explicit Series(int quarters = 12) {
    for (int q = 0; q < quarters; ++q) set_.periods.push_back(QuarterPeriod(2023 + q / 4, q % 4 + 1));
    set_.data_start = AddMonths(set_.periods[0].start, -12);
  }
  /// values[q] on `den` cases in quarter q (percent: numerator = value·den/100;
  /// a count has no denominator).
  void Add(const std::string& id, std::vector<double> values, double den = 100,
           std::vector<std::string> links = {}, indicators::Polarity polarity = indicators::Polarity::kUp,
           indicators::Unit unit = indicators::Unit::kPercent) {
    indicators::Definition& d = defs_.emplace_back();
    d.id = id;
    d.unit = unit;
    d.polarity = polarity;
    d.links = std::move(links);
    IndicatorSeries s;
    s.def = &d;
    s.teams = Table(d, "T1", values, den);
    s.council = Table(d, "C", values, den);
    set_.series.push_back(std::move(s));
  }
  const IndicatorSeriesSet& set() const { return set_; }

 private:
  SeriesTable Table(const indicators::Definition& d, const std::string& unit,
                    const std::vector<double>& values, double den) {
    SeriesTable t;
    t.indicator = d.id;
    t.percent = d.unit == indicators::Unit::kPercent;
    for (const Period& p : set_.periods) t.periods.push_back(p.Label());
    t.units = {unit};
    t.values = {values};
    t.numerators = {{}};
    t.denominators = {{}};
    const bool count = d.unit == indicators::Unit::kCount;
    for (double v : values) {
      t.numerators[0].push_back(count ? v : t.percent ? v * den / 100 : v * den);
      t.denominators[0].push_back(count ? NAN : den);
    }
    return t;
  }
  std::deque<indicators::Definition> defs_;  // stable addresses for IndicatorSeries::def
  IndicatorSeriesSet set_;
};

}  // namespace goldthread::integrity::testing
