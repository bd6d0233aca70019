#include "core/period.h"

#include <gtest/gtest.h>

namespace goldthread {
namespace {

TEST(PeriodTest, FinancialQuartersAndYears) {
  Period q1 = QuarterPeriod(2024, 1);
  EXPECT_EQ(q1.Label(), "2024-25 Q1");
  EXPECT_EQ(FormatDate(q1.start), "2024-04-01");
  EXPECT_EQ(FormatDate(q1.end), "2024-06-30");
  Period q4 = QuarterPeriod(2024, 4);
  EXPECT_EQ(FormatDate(q4.start), "2025-01-01");
  EXPECT_EQ(FormatDate(q4.end), "2025-03-31");
  Period y = FinancialYearPeriod(1999);
  EXPECT_EQ(y.Label(), "1999-00");
  EXPECT_EQ(y.Days(), 366);  // includes 29 February 2000
}

TEST(PeriodTest, LabelsRoundTrip) {
  for (const char* label : {"2024-04", "2024-25 Q1", "2024-25 Q4", "2024-25", "2025-03 R12"}) {
    Period p;
    ASSERT_TRUE(TryParsePeriod(label, p)) << label;
    EXPECT_EQ(p.Label(), label);
  }
  Period p;
  EXPECT_FALSE(TryParsePeriod("2024-26", p));
  EXPECT_FALSE(TryParsePeriod("2024-25 Q5", p));
  EXPECT_FALSE(TryParsePeriod("2024-13", p));
}

TEST(PeriodTest, Rolling12EndsOnMonthEnd) {
  Period r = Rolling12Period(2025, 3);
  EXPECT_EQ(FormatDate(r.start), "2024-04-01");
  EXPECT_EQ(FormatDate(r.end), "2025-03-31");
}

TEST(PeriodTest, PeriodsBetweenKeepsPeriodsEndingInRange) {
  Date from, to;
  ASSERT_TRUE(TryParseMonth("2024-04", from));
  ASSERT_TRUE(TryParseMonth("2025-03", to));
  EXPECT_EQ(PeriodsBetween(from, to, PeriodKind::kMonth).size(), 12u);
  auto quarters = PeriodsBetween(from, to, PeriodKind::kQuarter);
  ASSERT_EQ(quarters.size(), 4u);
  EXPECT_EQ(quarters[3].Label(), "2024-25 Q4");
  auto years = PeriodsBetween(from, to, PeriodKind::kYear);
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[0].Label(), "2024-25");
  EXPECT_TRUE(PeriodsBetween(to, from, PeriodKind::kMonth).empty());
}

}  // namespace
}  // namespace goldthread
