#include "integrity/divergence.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

namespace ind = goldthread::indicators;

using testing::Series;

// 70% for five quarters, then 85% for seven: a shift of seven above the
// p-chart's centre line p̄ = (5·70 + 7·85)/12 = 78.75%.
const std::vector<double> kShiftUp = {70, 70, 70, 70, 70, 85, 85, 85, 85, 85, 85, 85};
// Common cause around 50%: alternating, so no run, trend or close pair.
const std::vector<double> kFlat = {48, 52, 48, 52, 48, 52, 48, 52, 48, 52, 48, 52};

TEST(IntegrityDivergenceTest, FiresWhenTheProcessShiftsAndOutcomesStayFlat) {
  Series s;
  s.Add("proc", kShiftUp, 100, {"out1", "out2"});
  s.Add("out1", kFlat);
  s.Add("out2", kFlat);
  auto findings = CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{});
  ASSERT_EQ(findings.size(), 2u);  // the team and the council
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "process_outcome_divergence");
  EXPECT_EQ(f.org_unit, "T1");
  EXPECT_EQ(f.period, "2025-26 Q4");
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_EQ(f.indicators, (std::vector<std::string>{"proc", "out1", "out2"}));
  // Earlier: the first eight quarters pooled, (5·70 + 3·85)/800 = 75.625%.
  EXPECT_EQ(
      f.summary,
      "proc improved by special cause (shift) from 2024-25 Q2 to 2025-26 Q4 (75.6% before, 85.0% in the last "
      "4 "
      "quarters), while out1 and out2 did not improve: the team may be hitting the target and missing the "
      "point.");
  EXPECT_EQ(f.statistic, "process_change");
  EXPECT_DOUBLE_EQ(f.value, 85.0 - 75.625);
  // The last improved quarter ends 2026-03-31; six months on is 2026-09-30.
  EXPECT_EQ(
      f.innocent_if,
      "the outcome measures lag the process by up to 6 months; look again when 2026-27 Q2 is in: if out1 and "
      "out2 then improve too, the process change was real and people are better off.");
  EXPECT_EQ(f.evidence.records, 400);
  EXPECT_EQ(f.evidence.dates,
            (std::vector<std::string>{"2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4"}));
  EXPECT_EQ(findings[1].org_unit, "C");
  EXPECT_NE(findings[1].summary.find("did not improve: the council may be hitting"), std::string::npos);
}

TEST(IntegrityDivergenceTest, SilentWhenAnOutcomeImprovesToo) {
  Series s;
  s.Add("proc", kShiftUp, 100, {"out1", "out2"});
  s.Add("out1", kFlat);
  s.Add("out2", {40, 40, 40, 40, 40, 55, 55, 55, 55, 55, 55, 55});
  EXPECT_TRUE(CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{}).empty());
}

TEST(IntegrityDivergenceTest, SilentWhenTheProcessIsCommonCause) {
  // On 20 cases a quarter the recent four (72.5%) beat the earlier eight
  // (65%) by 7.5 points, but p̄ = 67.9% and the limits are ±31 points wide:
  // no point outside or close to them, no trend, and the longest run above
  // the centre line is five.
  Series s;
  s.Add("proc", {60, 70, 60, 70, 60, 70, 60, 70, 75, 70, 75, 70}, 20, {"out1"});
  s.Add("out1", kFlat);
  EXPECT_TRUE(CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{}).empty());
}

TEST(IntegrityDivergenceTest, SilentWithTooFewPoints) {
  // Seven quarters, the last beyond the upper limit (p̄ = 73.6%, UPL 86.8%):
  // judged with min_points 7, not with the default 8.
  Series s(7);
  s.Add("proc", {70, 70, 70, 70, 70, 70, 95}, 100, {"out1"});
  s.Add("out1", {48, 52, 48, 52, 48, 52, 48});
  EXPECT_TRUE(CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{}).empty());
  DivergenceConfig seven;
  seven.min_points = 7;
  auto findings = CheckProcessOutcomeDivergence(s.set(), seven);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_NE(findings[0].summary.find("(outside) in 2024-25 Q3"), std::string::npos) << findings[0].summary;
  // Twelve quarters on 20 cases each: charted by default, none charted when
  // a quarter needs 21 cases.
  Series small;
  small.Add("proc", kShiftUp, 20, {"out1"});
  small.Add("out1", kFlat, 20);
  EXPECT_EQ(CheckProcessOutcomeDivergence(small.set(), DivergenceConfig{}).size(), 2u);
  DivergenceConfig config;
  config.min_denominator = 21;
  EXPECT_TRUE(CheckProcessOutcomeDivergence(small.set(), config).empty());
  // The warm-up counts from the data start, a year before the first quarter:
  // 24 months leave the last 8 quarters (70, then seven at 85), 27 leave 7.
  config = DivergenceConfig{};
  config.min_change = 1;  // the last 8 quarters' earlier half is (70 + 3·85)/4 = 81.25%
  config.warmup_months = 24;
  Series s2;
  s2.Add("proc", kShiftUp, 100, {"out1"});
  s2.Add("out1", kFlat);
  EXPECT_EQ(CheckProcessOutcomeDivergence(s2.set(), config).size(), 2u);
  config.warmup_months = 27;
  EXPECT_TRUE(CheckProcessOutcomeDivergence(s2.set(), config).empty());
}

TEST(IntegrityDivergenceTest, SmallSpecialCauseDoesNotMatter) {
  // 70% then 72% on 10,000 cases a quarter: special cause, but 2 points.
  Series s;
  s.Add("proc", {70, 70, 70, 70, 70, 72, 72, 72, 72, 72, 72, 72}, 10000, {"out1"});
  s.Add("out1", kFlat);
  EXPECT_TRUE(CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{}).empty());
  DivergenceConfig config;
  config.min_change = 1;  // earlier (5·70 + 3·72)/8 = 70.75%, recent 72%
  EXPECT_EQ(CheckProcessOutcomeDivergence(s.set(), config).size(), 2u);
}

TEST(IntegrityDivergenceTest, HighWhenAnOutcomeGetsWorse) {
  Series s;
  s.Add("proc", kShiftUp, 100, {"out1", "out2"});
  s.Add("out1", kFlat);
  s.Add("out2", {60, 60, 60, 60, 60, 45, 45, 45, 45, 45, 45, 45});
  auto findings = CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_NE(findings[0].summary.find("while out1 and out2 did not improve (out2 got worse): the team"),
            std::string::npos)
      << findings[0].summary;
}

TEST(IntegrityDivergenceTest, LowerIsBetterImprovesDownwards) {
  Series s;
  s.Add("proc", {30, 30, 30, 30, 30, 15, 15, 15, 15, 15, 15, 15}, 100, {"out1"}, ind::Polarity::kDown);
  s.Add("out1", kFlat);
  auto findings = CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{});
  ASSERT_EQ(findings.size(), 2u);
  // Earlier (5·30 + 3·15)/800 = 24.375%, recent 15%: 9.375 points better.
  EXPECT_DOUBLE_EQ(findings[0].value, 24.375 - 15.0);
  // The same fall is no improvement when higher is better.
  Series up;
  up.Add("proc", {30, 30, 30, 30, 30, 15, 15, 15, 15, 15, 15, 15}, 100, {"out1"});
  up.Add("out1", kFlat);
  EXPECT_TRUE(CheckProcessOutcomeDivergence(up.set(), DivergenceConfig{}).empty());
}

TEST(IntegrityDivergenceTest, MeansOnAnXmrChart) {
  // A mean score stepping from about 7 to about 8.5: centre 7.917, moving
  // ranges 0.2 0.3 0.2 0.1 1.5 0.2 0.3 0.2 0.1 0.2 0.3; 1.5 is screened out
  // (>= 3.267 · 0.327), AMR 0.21, UPL 7.917 + 2.66 · 0.21 = 8.475. The
  // recent points beyond it are outside; 8.4 is in the shift of seven.
  Series s;
  s.Add("proc", {7.0, 7.2, 6.9, 7.1, 7.0, 8.5, 8.7, 8.4, 8.6, 8.5, 8.7, 8.4}, 50, {"out1"},
        ind::Polarity::kUp, ind::Unit::kMean);
  s.Add("out1", kFlat);
  auto findings = CheckProcessOutcomeDivergence(s.set(), DivergenceConfig{});
  ASSERT_EQ(findings.size(), 2u);
  // Earlier: the mean of the first eight, 60.8 / 8 = 7.6; recent 34.2 / 4 =
  // 8.55, 0.95 better, and 5% of 7.6 is 0.38.
  EXPECT_NEAR(findings[0].value, 0.95, 1e-9);
  EXPECT_NE(findings[0].summary.find("proc improved by special cause (outside and shift) from 2024-25 Q2 to "
                                     "2025-26 Q4 (7.6 before, 8.55 in the last 4 quarters)"),
            std::string::npos)
      << findings[0].summary;
  EXPECT_NE(findings[0].threshold.find("XmR chart"), std::string::npos);
  // Needing 15% of the earlier level (1.14), the step is not enough.
  DivergenceConfig config;
  config.min_change = 15;
  EXPECT_TRUE(CheckProcessOutcomeDivergence(s.set(), config).empty());
}

}  // namespace
}  // namespace goldthread::integrity
