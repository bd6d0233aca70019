// Realism and status of targets on hand-built series: a process whose
// limits are worked out by hand (p-chart, shared/STATISTICS.md section 2),
// targets beyond its limits, already passed every period, and achievable;
// statuses met, on track, off track and not yet measurable; and the
// roll-up of statuses up a hand-built thread.
#include "planning/target_status.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "indicators/figure_stats.h"
#include "indicators/series_stats.h"
#include "indicators/test_util.h"
#include "planning/plan_format.h"
#include "stats/forecast.h"

namespace goldthread::planning {
namespace {

namespace ind = goldthread::indicators;

// Twelve quarters, 2023-24 Q3 to 2026-27 Q2, of one percentage at team T1
// (the org tree of indicators::testing::Data: C > S > T1, T2).
class Series {
 public:
  explicit Series(std::vector<int64_t> numerators, int64_t denominator = 100, int follow_up_days = 0,
                  ind::Polarity polarity = ind::Polarity::kUp) {
    ind::testing::Data d;
    snap_ = d.Finish();
    def_.id = "p";
    def_.unit = ind::Unit::kPercent;
    def_.polarity = polarity;
    def_.follow_up_days = follow_up_days;
    for (int q = 0; q < static_cast<int>(numerators.size()); ++q)
      result_.periods.push_back(QuarterPeriod(2023 + (q + 2) / 4, (q + 2) % 4 + 1));
    ind::IndicatorResult& ir = result_.indicators.emplace_back();
    ir.def = &def_;
    ir.groups = {"all"};
    for (size_t q = 0; q < numerators.size(); ++q) {
      ind::Figure& f = ir.figures.emplace_back();
      f.period = static_cast<int32_t>(q);
      f.org_unit = snap_->FindOrgUnit("T1");
      ind::FillFigure(ind::Unit::kPercent, denominator, numerators[q], 0, 0, 0, 0, f);
    }
  }
  /// The curve, forecast to 2026-27 Q4, with the data ending on data_end.
  Curve Build(Date data_end = kNullDate) {
    ind::SeriesStatsOptions so;
    so.data_end = data_end;
    auto stats = ind::ComputeSeriesStats(result_, *snap_, so);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    return BuildCurve(result_, 0, *stats, snap_->FindOrgUnit("T1"), "T1", QuarterPeriod(2026, 4));
  }
  const ind::Definition& def() const { return def_; }

 private:
  std::unique_ptr<Snapshot> snap_;
  ind::Definition def_;
  ind::ComputeResult result_;
};

// p̄ = 720/1200 = 0.60; σ = sqrt(0.6·0.4/100) = 0.0489898; limits
// 0.60 ± 3σ = 45.30% .. 74.70% for every quarter (equal denominators).
// Best 62% (2023-24 Q4, the first of two), worst 58% (2024-25 Q1).
const std::vector<int64_t> kSteady = {60, 62, 58, 61, 59, 60, 62, 58, 61, 59, 60, 60};

Target MakeTarget(double value, int year, int month, int day) {
  Target t;
  t.plan = "P-T1";
  t.indicator = "p";
  t.org_unit = "T1";
  t.owner = "SP";
  t.value = value;
  t.has_value = true;
  t.by = DateFromCivil(year, month, day);
  return t;
}

// The baseline forecast for 2026-27 Q4 that stats::BaselineForecast gives
// on the last eight quarters (its own tests check it against the OLS
// formula), in the words the checks use.
std::string ForecastWords(const std::vector<int64_t>& numerators) {
  std::vector<double> y(numerators.begin(), numerators.end());
  stats::ForecastOptions fo;
  fo.horizon = 2;
  fo.percent = true;
  auto f = stats::BaselineForecast(y, fo);
  EXPECT_TRUE(f.ok());
  const stats::ForecastPoint& p = f->points[1];
  return fmt::format("the baseline forecast for 2026-27 Q4 is {} (95% {} to {})",
                     FormatValue(p.fit, ind::Unit::kPercent, 100),
                     FormatValue(p.pi95.low, ind::Unit::kPercent, 100),
                     FormatValue(p.pi95.high, ind::Unit::kPercent, 100));
}

TEST(TargetRealismTest, TheCurveCarriesTheChartsLimitsAndTheForecast) {
  Series s(kSteady);
  Curve c = s.Build();
  ASSERT_EQ(c.points.size(), 12u);
  EXPECT_EQ(c.points.front().period.Label(), "2023-24 Q3");
  EXPECT_EQ(c.points.back().period.Label(), "2026-27 Q2");
  EXPECT_EQ(c.chart, ind::SpcChart::kP);
  EXPECT_TRUE(c.trial_limits);  // 12 < 13 points
  const double sigma = std::sqrt(0.6 * 0.4 / 100);
  EXPECT_NEAR(*c.points.back().upl, 100 * (0.6 + 3 * sigma), 1e-9);
  EXPECT_NEAR(*c.points.back().lpl, 45.3030615, 1e-6);
  EXPECT_DOUBLE_EQ(*c.points.back().mean, 60.0);
  ASSERT_EQ(c.forecast.size(), 2u);  // 2026-27 Q3 and Q4
  EXPECT_EQ(c.forecast[1].period.Label(), "2026-27 Q4");
  EXPECT_EQ(c.LastFinal(), 11);
}

TEST(TargetRealismTest, BeyondTheLimitsNeedsAChangeOfPractice) {
  Series s(kSteady);
  Curve c = s.Build();
  RealismCheck r = CheckRealism(c, 80.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(r.realism, Realism::kNeedsChange);
  EXPECT_EQ(r.assurance, stats::Assurance::kConsistentFail);
  EXPECT_EQ(r.periods, 12);
  EXPECT_EQ(r.periods_meeting, 0);
  EXPECT_EQ(r.reason,
            "needs a change of practice, not more effort: 80.0% is beyond the upper process limit 74.7% (Making Data "
            "Count assurance: consistent_fail), which the process has never produced (its best, 62.0% in 2023-24 "
            "Q4); " +
                ForecastWords(kSteady));
  // Lower is better: a target below the lower limit is as far out of reach.
  Series down(kSteady, 100, 0, ind::Polarity::kDown);
  Curve cd = down.Build();
  RealismCheck rd = CheckRealism(cd, 40.0, down.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(rd.realism, Realism::kNeedsChange);
  EXPECT_EQ(rd.reason.substr(0, 109),
            "needs a change of practice, not more effort: 40.0% is beyond the lower process limit 45.3% (Making Data "
            "Count");
  EXPECT_NE(rd.reason.find("(its best, 58.0% in 2024-25 Q1)"), std::string::npos) << rd.reason;
}

TEST(TargetRealismTest, ATargetMetEveryPeriodIsNotStretching) {
  Series s(kSteady);
  Curve c = s.Build();
  RealismCheck r = CheckRealism(c, 55.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(r.realism, Realism::kNotStretching);
  EXPECT_EQ(r.periods_meeting, 12);
  EXPECT_EQ(r.reason,
            "not stretching: the process already meets 55.0% in every one of its 12 quarters (its worst, 58.0% in "
            "2024-25 Q1); set a target that asks for improvement");
  // One low quarter (31%) fails 40%, but the process's lower limit is above
  // 40%: the assurance icon says it passes as it runs now. p̄ = 690/1200 =
  // 0.575, σ = sqrt(0.575·0.425/100) = 0.049434, LPL = 0.575 - 3σ = 42.67%.
  // (The eight quarters before the dip are a shift above the mean, but
  // the last three are not: the latest point is common cause.)
  std::vector<int64_t> dip = kSteady;
  dip[8] = 31;
  Series s2(dip);
  Curve c2 = s2.Build();
  RealismCheck r2 = CheckRealism(c2, 40.0, s2.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(c2.points.back().point_type, stats::PointType::kCommonCause);
  EXPECT_EQ(r2.realism, Realism::kNotStretching);
  EXPECT_EQ(r2.assurance, stats::Assurance::kConsistentPass);
  EXPECT_EQ(r2.periods_meeting, 11);
  EXPECT_NEAR(*r2.lpl, 100 * (0.575 - 3 * std::sqrt(0.575 * 0.425 / 100)), 1e-9);
  EXPECT_EQ(r2.reason,
            "not stretching: the process's lower limit 42.7% is above 40.0% (Making Data Count assurance: "
            "consistent_pass), so as it runs now it meets the target in nearly every quarter");
}

TEST(TargetRealismTest, ATargetWithinTheLimitsIsAchievable) {
  Series s(kSteady);
  Curve c = s.Build();
  RealismCheck r = CheckRealism(c, 61.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(r.realism, Realism::kAchievable);
  EXPECT_EQ(r.assurance, stats::Assurance::kInconsistent);
  EXPECT_EQ(r.reason,
            "achievable: 61.0% lies within the process limits 45.3% to 74.7% (Making Data Count assurance: "
            "inconsistent): the process meets it in some quarters and not others (4 of 12); meeting it every time "
            "needs improvement");
}

// A zigzag that climbs 1-2 points a quarter: no rule fires (no seven
// rising in a row, no run of seven on one side of the mean 59%), so the
// chart's limits stand: p̄ = 0.59, UPL = 0.59 + 3·sqrt(0.59·0.41/100) =
// 73.75%. 75% is beyond them, but the baseline forecast's 95% interval,
// wide for a zigzag, reaches it.
TEST(TargetRealismTest, BeyondTheLimitsButWithinTheForecastIsAchievableIfTheTrendHolds) {
  const std::vector<int64_t> zigzag = {50, 58, 52, 60, 54, 62, 56, 64, 58, 66, 60, 68};
  Series s(zigzag);
  Curve c = s.Build();
  EXPECT_NEAR(*c.points.back().upl, 100 * (0.59 + 3 * std::sqrt(0.59 * 0.41 / 100)), 1e-9);
  EXPECT_EQ(c.points.back().point_type, stats::PointType::kCommonCause);
  RealismCheck r = CheckRealism(c, 75.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(r.assurance, stats::Assurance::kConsistentFail);
  EXPECT_EQ(r.realism, Realism::kAchievable);
  EXPECT_EQ(r.reason,
            "achievable if the current trend holds: 75.0% is beyond the upper process limit 73.8% (Making Data Count "
            "assurance: consistent_fail), but " +
                ForecastWords(zigzag) + ", which reaches it");
}

// A process rising about 3 points a quarter: seven rising in a row is
// special cause (improvement), so the limits fitted round its mean no
// longer describe it, and realism is judged on the forecast alone.
TEST(TargetRealismTest, AProcessThatHasChangedIsJudgedOnItsForecast) {
  const std::vector<int64_t> rising = {30, 34, 35, 40, 41, 45, 47, 50, 52, 56, 57, 61};
  Series s(rising);
  Curve c = s.Build();
  EXPECT_EQ(c.points.back().point_type, stats::PointType::kImprovement);
  const std::string changed =
      "the process has changed (its latest quarter, 61.0% in 2026-27 Q2, is special cause variation: improvement), "
      "so its limits no longer describe it; " +
      ForecastWords(rising);
  // p̄ = 548/1200: limits 30.72% .. 60.61%. Beyond them, but the forecast
  // reaches it.
  const double p = 548.0 / 1200;
  EXPECT_NEAR(*c.points.back().upl, 100 * (p + 3 * std::sqrt(p * (1 - p) / 100)), 1e-9);
  RealismCheck reach = CheckRealism(c, 66.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(reach.assurance, stats::Assurance::kConsistentFail);
  EXPECT_EQ(reach.realism, Realism::kAchievable);
  EXPECT_EQ(reach.reason, "achievable: " + changed + ", which reaches 66.0%");
  RealismCheck far = CheckRealism(c, 90.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(far.realism, Realism::kNeedsChange);
  EXPECT_EQ(far.reason, "needs a change of practice, not more effort: " + changed + ", which does not reach 90.0%");
  // Within the limits, and the whole forecast interval is above.
  RealismCheck low = CheckRealism(c, 45.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(low.assurance, stats::Assurance::kInconsistent);
  EXPECT_EQ(low.realism, Realism::kNotStretching);
  EXPECT_EQ(low.reason, "not stretching: " + changed + ", all of it meeting 45.0%");
}

TEST(TargetRealismTest, TooFewPointsAreNotChecked) {
  Series s({60, 62, 58, 61, 59});
  Curve c = s.Build();
  RealismCheck r = CheckRealism(c, 80.0, s.def(), QuarterPeriod(2026, 4));
  EXPECT_EQ(r.realism, Realism::kNotChecked);
  EXPECT_EQ(r.reason, "realism not checked: fewer than 6 points (5): no limits");
}

TEST(TargetStatusTest, EachStateFromTheFiguresAndTheForecast) {
  Series s(kSteady);
  Curve c = s.Build();
  const ind::Definition& d = s.def();
  struct Case {
    const char* name;
    Target target;
    TargetState state;
    std::string reason;
  } cases[] = {
      {"date within the data, met", MakeTarget(59.0, 2025, 3, 31), TargetState::kMet,
       "met: 60.0% in 2024-25 Q4, against 59.0%"},
      {"date within the data, missed", MakeTarget(62.0, 2025, 3, 31), TargetState::kOffTrack,
       "off track: missed, 60.0% in 2024-25 Q4 against 62.0%"},
      {"date ahead, met already", MakeTarget(60.0, 2027, 3, 31), TargetState::kMet,
       "met already: 60.0% in 2026-27 Q2, against 60.0% by 2026-27 Q4"},
      {"date ahead, forecast short", MakeTarget(75.0, 2027, 3, 31), TargetState::kOffTrack,
       "off track: 60.0% in 2026-27 Q2; " + ForecastWords(kSteady) + ", short of 75.0%"},
      {"date before the data", MakeTarget(60.0, 2023, 6, 30), TargetState::kNotYetMeasurable,
       "not yet measurable: 2023-24 Q1 is before the data begin (2023-24 Q3)"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.name);
    TargetStatus st = JudgeTarget(&c, k.target, &d);
    EXPECT_EQ(st.state, k.state);
    EXPECT_EQ(st.reason, k.reason);
  }
  // On track: rising 2 points a quarter, 62% now; the forecast reaches 64%.
  std::vector<int64_t> rising;
  for (int q = 0; q < 12; ++q) rising.push_back(40 + 2 * q);
  Series up(rising);
  Curve cu = up.Build();
  TargetStatus on = JudgeTarget(&cu, MakeTarget(64.0, 2027, 3, 31), &up.def());
  EXPECT_EQ(on.state, TargetState::kOnTrack);
  EXPECT_EQ(on.reason, "on track: 62.0% in 2026-27 Q2; " + ForecastWords(rising) + ", meeting 64.0%");
  ASSERT_TRUE(on.forecast);
  EXPECT_EQ(on.forecast->period.Label(), "2026-27 Q4");
  EXPECT_FALSE(on.date_reached);
}

TEST(TargetStatusTest, AProvisionalOrMissingFigureIsNotYetMeasurable) {
  // A 91-day follow-up with data to 2026-09-30: 2026-27 Q1 ends 2026-06-30,
  // and 91 days later (2026-09-29) is inside the data, so only Q2 is
  // provisional.
  Series s(kSteady, 100, 91);
  Curve c = s.Build(DateFromCivil(2026, 9, 30));
  EXPECT_TRUE(c.points[11].provisional);
  EXPECT_FALSE(c.points[10].provisional);
  TargetStatus st = JudgeTarget(&c, MakeTarget(50.0, 2026, 9, 30), &s.def());
  EXPECT_EQ(st.state, TargetState::kNotYetMeasurable);
  EXPECT_EQ(st.reason,
            "not yet measurable: the figure for 2026-27 Q2 is provisional (its 91-day follow-up is not over in the "
            "data)");
  EXPECT_EQ(st.latest_period.Label(), "2026-27 Q1");  // the latest final figure
  TargetStatus none = JudgeTarget(nullptr, MakeTarget(50.0, 2026, 9, 30), &s.def());
  EXPECT_EQ(none.state, TargetState::kNotYetMeasurable);
}

// A hand-built thread: objectives O1 (served by the council's, service's
// and T1's plans) and O2 (the council's and T2's); P-C > P-S > P-T1, P-T2.
TEST(TargetStatusTest, StatusesRollUpTheThread) {
  PlanDocument doc;
  doc.years = {2025, 2026, 2027};
  doc.objectives = {Objective{"O1", "Independence", "Director", "", Perspective::kCustomer, {}, {}},
                    Objective{"O2", "Value", "Director", "", Perspective::kFinancial, {}, {}}};
  auto plan = [](std::string id, std::string unit, std::vector<std::string> objectives) {
    Plan p;
    p.id = std::move(id), p.org_unit = std::move(unit), p.owner = "o", p.objectives = std::move(objectives);
    return p;
  };
  doc.plans = {plan("P-C", "C", {"O1", "O2"}), plan("P-S", "S", {"O1"}), plan("P-T1", "T1", {"O1"}),
               plan("P-T2", "T2", {"O2"})};
  auto target = [](std::string plan, std::string unit) {
    Target t = MakeTarget(1, 2026, 3, 31);
    t.plan = std::move(plan), t.org_unit = std::move(unit);
    return t;
  };
  doc.targets = {target("P-T1", "T1"), target("P-T1", "T1"), target("P-T2", "T2"), target("P-S", "S"),
                 target("P-C", "C")};
  doc.targets[4].objective = "O2";  // the council's target serves O2 only, though its plan serves both
  OrgTree org;
  org.Add("C", "", "council", -1);
  org.Add("S", "", "service", 0);
  org.Add("T1", "", "team", 1);
  org.Add("T2", "", "team", 1);
  const Thread thread = BuildThread(doc, &org);
  EXPECT_EQ(thread.parent_plan, (std::vector<int32_t>{-1, 0, 1, 1}));
  using S = TargetState;
  ThreadRollUps r = RollUpThread(doc, thread, {S::kMet, S::kOnTrack, S::kOffTrack, S::kMet, S::kNotYetMeasurable});
  // Own targets.
  EXPECT_EQ(r.plans_own[2].state, S::kOnTrack);  // P-T1: met + on track
  EXPECT_EQ(r.plans_own[3].state, S::kOffTrack);
  EXPECT_EQ(r.plans_own[0].state, S::kNotYetMeasurable);
  EXPECT_EQ(r.plans_own[0].Summary(), "not yet measurable: 1 of 1 target not yet measurable");
  // Up the thread: P-S holds T1's and T2's targets and its own.
  EXPECT_EQ(r.plans[1].state, S::kOffTrack);
  EXPECT_EQ(r.plans[1].Summary(), "off track: 1 of 4 targets off track, 1 on track, 2 met");
  EXPECT_EQ(r.plans[0].total(), 5);
  EXPECT_EQ(r.plans[2].Summary(), "on track: 1 of 2 targets on track, 1 met");
  // Objectives: O1 from P-S and P-T1 (not the council's target, which
  // names O2); O2 from P-C and P-T2.
  EXPECT_EQ(thread.targets_of_objective[0], (std::vector<int32_t>{0, 1, 3}));
  EXPECT_EQ(thread.objectives_of_target[4], std::vector<int32_t>{1});
  EXPECT_EQ(r.objectives[0].Summary(), "on track: 1 of 3 targets on track, 2 met");
  EXPECT_EQ(r.objectives[1].Summary(), "off track: 1 of 2 targets off track, 1 not yet measurable");
  EXPECT_EQ(RollUpOf({}).Summary(), "not yet measurable: no targets");
  EXPECT_EQ(RollUpOf({S::kMet, S::kNotYetMeasurable}).state, S::kMet);
}

}  // namespace
}  // namespace goldthread::planning
