#include "integrity/indicator_series.h"

#include <gtest/gtest.h>

#include <cmath>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

std::vector<indicators::Definition> AssessmentWithin28Days() {
  std::vector<indicators::Definition> defs;
  auto d = indicators::LoadDefinitionFile(indicators::BuiltInDir() + "/assessment-28d.toml");
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  if (d.ok()) defs.push_back(std::move(d).value());
  return defs;
}

// Assessments from 2023-04-15 to 2023-12-20. T1: two in 2023-24 Q1 (one
// within 28 days), one in Q2 (within); T2: one in Q1 (late); both one in
// December, a quarter the data ends inside.
std::unique_ptr<Snapshot> Assessments() {
  testing::TestData data(2);
  int n = 0;
  auto add = [&](const char* team, const char* received, const char* completed) {
    std::string k = std::to_string(++n), p = "P" + k;
    data.Person(p);
    data.Request("R" + k, p, received, received, "", team);
    data.Assessment("A" + k, p, "R" + k, completed, team);
  };
  add("T1", "2023-04-15", "2023-05-01");
  add("T1", "2023-05-01", "2023-06-20");
  add("T1", "2023-08-01", "2023-08-29");  // day 28: within
  add("T2", "2023-05-02", "2023-06-30");
  add("T1", "2023-12-01", "2023-12-20");
  add("T2", "2023-12-01", "2023-12-20");
  return data.Finish();
}

TEST(IntegrityIndicatorSeriesTest, WholeQuartersPerTeamAndCouncil) {
  auto snap = Assessments();
  auto defs = AssessmentWithin28Days();
  ASSERT_EQ(defs.size(), 1u);
  EXPECT_EQ(DataStart(*snap), DateFromCivil(2023, 4, 1));
  auto set = BuildIndicatorSeries(*snap, defs, CheckScope{}, 1);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  // The data ends on 2023-12-20, inside 2023-24 Q3: Q1 and Q2 only.
  ASSERT_EQ(set->periods.size(), 2u);
  EXPECT_EQ(set->periods[0].Label(), "2023-24 Q1");
  EXPECT_EQ(set->periods[1].Label(), "2023-24 Q2");
  ASSERT_EQ(set->series.size(), 1u);
  const IndicatorSeries* s = set->Find("assessment-28d");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(set->Find("nope"), nullptr);
  EXPECT_EQ(s->teams.units, (std::vector<std::string>{"T1", "T2"}));
  EXPECT_EQ(s->council.units, (std::vector<std::string>{"C"}));
  EXPECT_EQ(s->teams.periods, (std::vector<std::string>{"2023-24 Q1", "2023-24 Q2"}));
  EXPECT_DOUBLE_EQ(s->teams.values[0][0], 50.0);
  EXPECT_DOUBLE_EQ(s->teams.numerators[0][0], 1);
  EXPECT_DOUBLE_EQ(s->teams.denominators[0][0], 2);
  EXPECT_DOUBLE_EQ(s->teams.values[0][1], 100.0);
  EXPECT_DOUBLE_EQ(s->teams.values[1][0], 0.0);
  EXPECT_DOUBLE_EQ(s->teams.denominators[1][1], 0);  // no case: no value
  EXPECT_TRUE(std::isnan(s->teams.values[1][1]));
  EXPECT_NEAR(s->council.values[0][0], 100.0 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(s->council.values[0][1], 100.0);
}

// With a 90-day follow-up, 2023-24 Q2 (to 30 September; + 90 days = 29
// December) is past the data's end on 2023-12-20: unknown, not a movement.
// Q1 (30 June + 90 = 28 September) is final.
TEST(IntegrityIndicatorSeriesTest, ProvisionalQuartersAreUnknown) {
  auto snap = Assessments();
  auto defs = AssessmentWithin28Days();
  defs[0].follow_up_days = 90;
  auto set = BuildIndicatorSeries(*snap, defs, CheckScope{}, 1);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const IndicatorSeries& s = set->series[0];
  EXPECT_DOUBLE_EQ(s.teams.values[0][0], 50.0);
  EXPECT_TRUE(std::isnan(s.teams.values[0][1]));
  EXPECT_TRUE(std::isnan(s.teams.denominators[0][1]));
  EXPECT_TRUE(std::isnan(s.council.values[0][1]));
  EXPECT_NEAR(s.council.values[0][0], 100.0 / 3, 1e-9);
}

TEST(IntegrityIndicatorSeriesTest, WarmupAndScope) {
  auto snap = Assessments();
  auto defs = AssessmentWithin28Days();
  auto set = BuildIndicatorSeries(*snap, defs, CheckScope{}, 1);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->FirstAfterWarmup(0), 0u);
  EXPECT_EQ(set->FirstAfterWarmup(3), 1u);  // Q2 starts on 2023-07-01
  EXPECT_EQ(set->FirstAfterWarmup(12), 2u);
  SeriesTable later = DropLeadingPeriods(set->series[0].teams, 1);
  EXPECT_EQ(later.periods, (std::vector<std::string>{"2023-24 Q2"}));
  ASSERT_EQ(later.values.size(), 2u);
  EXPECT_TRUE(std::isnan(later.values[1][0]));
  EXPECT_DOUBLE_EQ(later.values[0][0], 100.0);
  EXPECT_DOUBLE_EQ(later.denominators[0][0], 1);
  // A scope starting in May moves to the next whole quarter.
  CheckScope scope;
  scope.from = DateFromCivil(2023, 5, 1);
  auto narrowed = BuildIndicatorSeries(*snap, defs, scope, 1);
  ASSERT_TRUE(narrowed.ok());
  ASSERT_EQ(narrowed->periods.size(), 1u);
  EXPECT_EQ(narrowed->periods[0].Label(), "2023-24 Q2");
  // No whole quarter at all: an empty set, not an error.
  scope.from = DateFromCivil(2023, 10, 1);
  auto none = BuildIndicatorSeries(*snap, defs, scope, 1);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->periods.empty());
  EXPECT_TRUE(none->series.empty());
}

}  // namespace
}  // namespace goldthread::integrity
