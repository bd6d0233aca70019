#include "integrity/criteria.h"

#include <gtest/gtest.h>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

// 20 substantiated budgets in T1; in T2, 10 substantiated and `letters`
// that only have the allocation letter (Somerset).
std::unique_ptr<Snapshot> Budgets(int letters) {
  testing::TestData data(2);
  int n = 0;
  auto add = [&](const std::string& team, bool letter) {
    std::string p = "P" + std::to_string(++n);
    data.Person(p);
    if (letter)
      data.Budget("B" + std::to_string(n), p, "2024-01-15", "", "", "2024-01-15", "Y", team, "2024-01-15", "bulk", 9);
    else
      data.Budget("B" + std::to_string(n), p, "2023-05-01", "2023-05-10", "2023-05-20", "2023-06-01", "Y", team,
                  "2023-06-01", "w");
  };
  for (int k = 0; k < 20; ++k) add("T1", false);
  for (int k = 0; k < 10; ++k) add("T2", false);
  for (int k = 0; k < letters; ++k) add("T2", true);
  // Data runs to the end of the financial year.
  data.Review("V1", "P1", "2024-03-31", "T1", "2024-03-31", "w");
  return data.Finish();
}

TEST(IntegrityCriteriaGapTest, CountsLettersAsUnsubstantiated) {
  auto snap = Budgets(30);
  auto findings = CheckCriteriaGap(*snap, CriteriaGapConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "criteria_gap");
  EXPECT_EQ(f.org_unit, "T2");
  EXPECT_EQ(f.period, "2023-24");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.evidence.records, 30);
  EXPECT_EQ(f.summary,
            "30 of 40 (75.0%) personal budgets the case system counts at 2024-03-31 do not meet all three criteria of a "
            "personal budget; most often missing: plan_agreed_on (30).");
  ASSERT_EQ(f.evidence.dates.size(), 1u);
  EXPECT_EQ(f.evidence.dates[0], "2024-01-15");
  EXPECT_EQ(f.evidence.batches[0], (std::pair<int64_t, int64_t>(9, 30)));
  EXPECT_NE(f.innocent_if.find("support plans agreed on these budgets"), std::string::npos);
}

TEST(IntegrityCriteriaGapTest, SilentWhenEveryBudgetMeetsTheCriteria) {
  auto snap = Budgets(0);
  EXPECT_TRUE(CheckCriteriaGap(*snap, CriteriaGapConfig{}, CheckScope{}).empty());
}

TEST(IntegrityCriteriaGapTest, SmallGapsBelowTheFloorAreNotFindings) {
  auto snap = Budgets(4);  // fewer than min_gap = 5
  EXPECT_TRUE(CheckCriteriaGap(*snap, CriteriaGapConfig{}, CheckScope{}).empty());
}

}  // namespace
}  // namespace goldthread::integrity
