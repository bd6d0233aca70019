#include "integrity/checks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

namespace ind = goldthread::indicators;

// Six teams over `quarters` quarters on 400 cases each; T1 jumps from 50 to
// 70 in the last quarter, the others stay within a point of 50.
void AddJump(IndicatorSeriesSet& set, std::deque<ind::Definition>& defs, const std::string& id,
             ind::Unit unit) {
  ind::Definition& d = defs.emplace_back();
  d.id = id;
  d.unit = unit;
  IndicatorSeries s;
  s.def = &d;
  SeriesTable& t = s.teams;
  t.indicator = id;
  t.percent = unit == ind::Unit::kPercent;
  for (const Period& p : set.periods) t.periods.push_back(p.Label());
  const size_t n = set.periods.size();
  for (int u = 0; u < 6; ++u) {
    t.units.push_back("T" + std::to_string(u + 1));
    std::vector<double> v(n), num(n), den(n, unit == ind::Unit::kCount ? NAN : 400.0);
    for (size_t p = 0; p < n; ++p) {
      v[p] = 50 + ((u + p) % 3) * 0.5;
      if (u == 0 && p + 1 == n) v[p] = 70;
      num[p] = unit == ind::Unit::kCount ? v[p] : v[p] * 4;
    }
    t.values.push_back(v);
    t.numerators.push_back(num);
    t.denominators.push_back(den);
  }
  s.council.indicator = id;
  s.council.periods = t.periods;
  set.series.push_back(std::move(s));
}

IndicatorSeriesSet Quarters(int n, int months_of_data_before) {
  IndicatorSeriesSet set;
  for (int q = 0; q < n; ++q) set.periods.push_back(QuarterPeriod(2023 + q / 4, q % 4 + 1));
  set.data_start = AddMonths(set.periods[0].start, -months_of_data_before);
  return set;
}

TEST(IntegrityChecksTest, JumpsOnPercentagesNotCounts) {
  std::deque<ind::Definition> defs;
  IndicatorSeriesSet set = Quarters(3, 12);
  AddJump(set, defs, "share", ind::Unit::kPercent);
  AddJump(set, defs, "volume", ind::Unit::kCount);
  auto findings = CheckIndicatorJumps(set, ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].indicators, (std::vector<std::string>{"share"}));
  EXPECT_EQ(findings[0].org_unit, "T1");
  EXPECT_EQ(findings[0].period, "2023-24 Q3");
}

TEST(IntegrityChecksTest, JumpsLeaveOutTheWarmup) {
  // The data starts with the first quarter: a 12-month warm-up leaves none
  // of the three quarters; 3 months leave the last two, jump included.
  std::deque<ind::Definition> defs;
  IndicatorSeriesSet set = Quarters(3, 0);
  AddJump(set, defs, "share", ind::Unit::kPercent);
  EXPECT_TRUE(CheckIndicatorJumps(set, ImplausibleJumpConfig{}).empty());
  ImplausibleJumpConfig config;
  config.warmup_months = 3;
  EXPECT_EQ(CheckIndicatorJumps(set, config).size(), 1u);
  config.enabled = false;
  EXPECT_TRUE(CheckIndicatorJumps(set, config).empty());
}

TEST(IntegrityChecksTest, SeriesChecksRunOnlyWithSeries) {
  testing::TestData data(1);
  auto snap = data.Finish();
  testing::Series s;
  s.Add("proc", {70, 70, 70, 70, 70, 85, 85, 85, 85, 85, 85, 85}, 100, {"out"});
  s.Add("out", {48, 52, 48, 52, 48, 52, 48, 52, 48, 52, 48, 52});
  auto count = [](const std::vector<Finding>& fs, std::string_view check) {
    int n = 0;
    for (const Finding& f : fs) n += f.check == check;
    return n;
  };
  EXPECT_EQ(count(RunChecks(*snap, CheckConfig{}, CheckScope{}), "process_outcome_divergence"), 0);
  IndicatorInputs inputs;
  inputs.series = &s.set();
  EXPECT_EQ(count(RunChecks(*snap, CheckConfig{}, CheckScope{}, inputs), "process_outcome_divergence"), 2);
  CheckConfig off;
  off.process_outcome_divergence.enabled = false;
  EXPECT_EQ(count(RunChecks(*snap, off, CheckScope{}, inputs), "process_outcome_divergence"), 0);
}

}  // namespace
}  // namespace goldthread::integrity
