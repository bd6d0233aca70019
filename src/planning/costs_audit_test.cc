#include "planning/costs_audit.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "planning/hub_test_builder.h"

namespace goldthread::planning {
namespace {

std::string Month(int fy, int k) {  // k = 0 is April of fy
  Date d = AddMonths(DateFromCivil(fy, 4, 1), k);
  return FormatMonth(d);
}

/// T1's day care: 2024-25 at £1,000 a month for 100 sessions (unit cost
/// £10); 2025-26 the same budget and spend while sessions fall by 2.5 a
/// month, 97.5 to 70 (1,005 in the year). T2's home care overspends: £2,200
/// a month against £2,000 for 100 hours, one month's hours missing.
std::unique_ptr<Snapshot> Finance() {
  testing::HubData d;
  for (int k = 0; k < 12; ++k) {
    d.Finance(Month(2024, k), "T1", "day_care", "1000", "1000", "100", "sessions");
    d.Finance(Month(2025, k), "T1", "day_care", "1000", "1000", fmt::format("{}", 97.5 - 2.5 * k), "sessions");
    d.Finance(Month(2025, k), "T2", "home_care", "2000", "2200", k == 5 ? "" : "100", "hours");
  }
  d.Person("P1", "service_user", "1940-01-01", "A1");
  d.Person("P2", "service_user", "1940-01-01", "A1");
  d.Person("P3", "service_user", "1940-01-01", "A1");
  d.Service("S1", "P1", "day_care", "", "2023-01-01", "", "DC1", "T1");
  d.Service("S2", "P2", "day_care", "", "2025-06-01", "2025-12-31", "DC1", "T1");
  d.Service("S3", "P3", "day_care", "", "2020-01-01", "2025-03-31", "DC1", "T1");  // ended before the year
  d.Review("R1", "P2", "2025-09-01", "Y");
  d.Review("R2", "P1", "2025-09-01", "partly");
  return d.Finish();
}

const CostLine* Find(const std::vector<CostLine>& lines, std::string_view type) {
  for (const CostLine& c : lines)
    if (c.service_type == type) return &c;
  return nullptr;
}

TEST(CostsAuditTest, UnitCostIsARatioOfSums) {
  auto snap = Finance();
  CostsOptions o;
  o.year = 2025;
  auto a = RunCostsAudit(*snap, o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const CostLine* day = Find(a->services, "day_care");
  ASSERT_NE(day, nullptr);
  EXPECT_EQ(day->org_unit, -1);
  EXPECT_DOUBLE_EQ(day->budget, 12000);
  EXPECT_DOUBLE_EQ(day->spend, 12000);
  EXPECT_DOUBLE_EQ(day->activity, 1005);  // 12·100 − 2.5·(1+...+12)
  EXPECT_EQ(day->unit, "sessions");
  ASSERT_TRUE(day->unit_cost.has_value());
  EXPECT_DOUBLE_EQ(*day->unit_cost, 12000.0 / 1005.0);  // £11.94, not the mean of monthly ratios
  double mean_of_ratios = 0;
  for (int k = 0; k < 12; ++k) mean_of_ratios += 1000.0 / (97.5 - 2.5 * k) / 12;
  EXPECT_GT(std::fabs(*day->unit_cost - mean_of_ratios), 0.05);
  // Against the same 12 months of 2024-25: activity -16.25%, unit cost +19.4%.
  EXPECT_EQ(day->comparison, "the same 12 months a year earlier");
  EXPECT_DOUBLE_EQ(*day->previous_activity, 1200);
  EXPECT_DOUBLE_EQ(*day->activity_change, 1005.0 / 1200.0 - 1.0);
  EXPECT_DOUBLE_EQ(*day->previous_unit_cost, 10.0);
  EXPECT_DOUBLE_EQ(*day->unit_cost_change, 12000.0 / 1005.0 / 10.0 - 1.0);
  ASSERT_EQ(day->history.size(), 2u);
  EXPECT_EQ(day->history[0].year, 2024);
  EXPECT_DOUBLE_EQ(*day->history[0].unit_cost, 10.0);

  // Home care: eleven months with hours; the unit cost leaves out the month
  // without them, the spend does not.
  const CostLine* home = Find(a->services, "home_care");
  ASSERT_NE(home, nullptr);
  EXPECT_DOUBLE_EQ(home->spend, 26400);
  EXPECT_DOUBLE_EQ(home->activity, 1100);
  EXPECT_DOUBLE_EQ(*home->unit_cost, 2200.0 * 11 / 1100.0);
  EXPECT_DOUBLE_EQ(*home->budget_variance, 26400.0 / 24000.0 - 1.0);  // spend / budget - 1
}

TEST(CostsAuditTest, BudgetOnTargetWhileActivityFalls) {
  auto snap = Finance();
  CostsOptions o;
  o.year = 2025;
  auto a = RunCostsAudit(*snap, o);
  ASSERT_TRUE(a.ok());
  const CostLine* day = Find(a->services, "day_care");
  EXPECT_EQ(day->flags, (std::vector<std::string>{"activity_falls_budget_on_target", "unit_cost_rising"}));
  EXPECT_EQ(day->evidence,
            "Budget on target (spend £12,000 against £12,000, +0.0%) while activity fell 16% on the same 12 months "
            "a year earlier; the unit cost rose 19% (£10.00 to £11.94 a session): fewer services for the same money.");
  const CostLine* home = Find(a->services, "home_care");
  EXPECT_EQ(home->flags, (std::vector<std::string>{"overspend"}));
  // The team line carries the same flags as the council's.
  const CostLine* t1 = Find(a->units, "day_care");
  ASSERT_NE(t1, nullptr);
  EXPECT_EQ(snap->OrgUnitId(t1->org_unit), "T1");
  EXPECT_EQ(t1->flags, day->flags);
  // A smaller fall than --activity-fall is no flag.
  o.activity_fall = 0.20;
  auto strict = RunCostsAudit(*snap, o);
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(Find(strict->services, "day_care")->flags, (std::vector<std::string>{"unit_cost_rising"}));
}

// Activity fell and the budget is on target in the year as a whole, but the
// like-for-like months' spend fell further, so the unit cost fell: not
// "fewer services for the same money" (seed 004), so no flag.
TEST(CostsAuditTest, ActivityFallsWithUnitCostFallingIsNoFlag) {
  testing::HubData d;
  for (int k = 0; k < 12; ++k) {
    d.Finance(Month(2024, k), "T1", "equipment", "1000", "1000", "100", "items");
    d.Finance(Month(2025, k), "T1", "equipment", "1000", k < 6 ? "800" : "700", "85", "items");
  }
  auto snap = d.Finish();
  ASSERT_TRUE(snap);
  CostsOptions o;
  o.year = 2025;
  auto a = RunCostsAudit(*snap, o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const CostLine* eq = Find(a->services, "equipment");
  ASSERT_NE(eq, nullptr);
  EXPECT_DOUBLE_EQ(*eq->activity_change, 1020.0 / 1200.0 - 1.0);
  EXPECT_DOUBLE_EQ(*eq->budget_variance, 9000.0 / 12000.0 - 1.0);  // -25%: off target by default
  // With 30% counted as on target, the fall with a falling unit cost is still no flag.
  o.on_target = 0.30;
  auto wide = RunCostsAudit(*snap, o);
  ASSERT_TRUE(wide.ok());
  eq = Find(wide->services, "equipment");
  EXPECT_LT(*eq->unit_cost_change, 0);
  EXPECT_DOUBLE_EQ(*eq->unit_cost_change, (9000.0 / 1020.0) / 10.0 - 1.0);
  EXPECT_TRUE(eq->flags.empty()) << eq->evidence;
}

TEST(CostsAuditTest, CostPerPersonAndPerOutcome) {
  auto snap = Finance();
  CostsOptions o;
  o.year = 2025;
  auto a = RunCostsAudit(*snap, o);
  ASSERT_TRUE(a.ok());
  const CostLine* day = Find(a->services, "day_care");
  EXPECT_EQ(day->persons_supported, 2);  // P1, P2; not P3, whose service ended in March 2025
  EXPECT_EQ(day->outcomes_achieved, 1);  // P2's review said Y; P1's "partly" is not achieved
  EXPECT_DOUBLE_EQ(*day->cost_per_person, 6000);
  EXPECT_DOUBLE_EQ(*day->cost_per_outcome, 12000);
}

TEST(CostsAuditTest, ForecastsTheNextYearFromTheTrend) {
  auto snap = Finance();
  CostsOptions o;
  o.year = 2025;
  auto a = RunCostsAudit(*snap, o);
  ASSERT_TRUE(a.ok());
  const CostForecast& f = Find(a->services, "day_care")->forecast;
  ASSERT_TRUE(f.available) << f.note;
  EXPECT_EQ(f.current_year, 2025);
  EXPECT_EQ(f.months_left, 0);  // the data end in March
  // The last 12 months lie on 97.5 − 2.5k: next year's k = 12..23 sum to
  // 12·97.5 − 2.5·(12 + ... + 23) = 645 sessions; spend stays £12,000.
  EXPECT_NEAR(f.next_activity, 645, 1e-6);
  EXPECT_NEAR(f.next_spend, 12000, 1e-6);
  EXPECT_NEAR(f.activity_slope, -2.5, 1e-9);
  ASSERT_EQ(f.months.size(), 12u);
  EXPECT_EQ(FormatMonth(f.months[0].month), "2026-04");
  EXPECT_NEAR(f.months[0].activity, 67.5, 1e-6);
}

TEST(CostsAuditTest, TotalRowsAboveTeamsAreNotCountedTwice) {
  testing::HubData d;
  d.Finance("2025-04", "T1", "home_care", "100", "100", "10", "hours");
  d.Finance("2025-04", "T2", "home_care", "100", "100", "10", "hours");
  d.Finance("2025-04", "C00", "home_care", "200", "200", "20", "hours");
  d.Finance("2025-05", "T1", "equipment", "50", "50", "5", "items");
  d.Finance("2025-06", "T1", "equipment", "50", "50", "5", "loans");
  auto snap = d.Finish();
  CostsOptions o;
  o.year = 2025;
  auto a = RunCostsAudit(*snap, o);
  ASSERT_TRUE(a.ok());
  EXPECT_DOUBLE_EQ(Find(a->services, "home_care")->spend, 200);
  ASSERT_EQ(a->warnings.size(), 2u);
  EXPECT_EQ(a->warnings[0],
            "finance.csv: C00 has rows as well as units below it; its rows are taken as their total and left out of "
            "the council's sums");
  EXPECT_EQ(a->warnings[1],
            "finance.csv: equipment activity is given in different units ('items', 'loans'), so it is not added up "
            "and has no unit cost");
  const CostLine* eq = Find(a->services, "equipment");
  EXPECT_TRUE(eq->mixed_units);
  EXPECT_FALSE(eq->unit_cost.has_value());
  EXPECT_EQ(eq->flags, (std::vector<std::string>{"mixed_units"}));
  EXPECT_TRUE(a->partial);
  // A year without finance rows is refused.
  o.year = 2019;
  auto none = RunCostsAudit(*snap, o);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "finance.csv has no rows for 2019-20");
}

}  // namespace
}  // namespace goldthread::planning
