#include "integrity/entry.h"

#include <gtest/gtest.h>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

TEST(IntegrityEntryTest, PoissonQuantile) {
  EXPECT_EQ(PoissonQuantile(0.0, 0.999), 0);
  EXPECT_EQ(PoissonQuantile(1.0, 0.5), 1);      // P(X<=0)=0.368, P(X<=1)=0.736
  EXPECT_EQ(PoissonQuantile(2.5, 0.999), 9);    // P(X<=8)=0.9988, P(X<=9)=0.9997
}

// Team T1 reviews 25 people a month in 2023-24, entered 1-5 days later;
// with `backdate`, in January-March 2024 ten a month are entered 60 days late.
std::unique_ptr<Snapshot> Reviews(bool backdate) {
  testing::TestData data(1);
  int n = 0;
  for (int m = 0; m < 12; ++m) {
    Date month = AddMonths(DateFromCivil(2023, 4, 1), m);
    for (int k = 0; k < 25; ++k) {
      std::string p = "P" + std::to_string(++n);
      data.Person(p);
      Date done = month + k;
      int lag = 1 + k % (3 + m % 3);
      if (backdate && m >= 9 && k < 10) lag = 60;
      data.Review("V" + std::to_string(n), p, FormatDate(done), "T1", FormatDate(done + lag),
                  lag == 60 ? "late_user" : "w");
    }
  }
  return data.Finish();
}

TEST(IntegrityBackdatingTest, FindsAShiftOfTheUpperLag) {
  auto snap = Reviews(true);
  auto findings = CheckBackdating(*snap, BackdatingConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "backdating");
  EXPECT_EQ(f.org_unit, "T1");
  EXPECT_EQ(f.period, "2023-24");
  EXPECT_EQ(f.evidence.dates, (std::vector<std::string>{"2024-01", "2024-02", "2024-03"}));
  EXPECT_EQ(f.evidence.records, 30);
  EXPECT_EQ(f.evidence.users[0], (std::pair<std::string, int64_t>("late_user", 30)));
  EXPECT_EQ(f.indicators, std::vector<std::string>{"reviews-12m"});
  EXPECT_DOUBLE_EQ(f.value, 60.0);
}

TEST(IntegrityBackdatingTest, SilentOnUsualLags) {
  auto snap = Reviews(false);
  EXPECT_TRUE(CheckBackdating(*snap, BackdatingConfig{}, CheckScope{}).empty());
}

// Five teams enter one review a day through 2023-24; with `surge`, T2 also
// enters 60 in the last 7 days of the year.
std::unique_ptr<Snapshot> Daily(bool surge) {
  testing::TestData data(5);
  int n = 0;
  for (int team = 1; team <= 5; ++team) {
    std::string t = "T" + std::to_string(team);
    for (Date d = DateFromCivil(2023, 4, 1); d <= DateFromCivil(2024, 3, 31); ++d) {
      std::string p = "P" + std::to_string(++n);
      data.Person(p);
      data.Review("V" + std::to_string(n), p, FormatDate(d), t, FormatDate(d), "w" + std::to_string(team));
    }
    std::string p = "P" + std::to_string(++n);
    data.Person(p);
    data.Review("V" + std::to_string(n), p, "2024-04-01", t, "2024-04-01", "w");
    if (surge && team == 2) {
      for (int k = 0; k < 60; ++k) {
        std::string p = "P" + std::to_string(++n);
        data.Person(p);
        Date d = DateFromCivil(2024, 3, 25) + k % 7;
        data.Review("V" + std::to_string(n), p, FormatDate(d - 100), t, FormatDate(d), "panic");
      }
    }
  }
  return data.Finish();
}

TEST(IntegrityPeriodEndSurgeTest, FindsTheYearEndRush) {
  auto snap = Daily(true);
  auto findings = CheckPeriodEndSurge(*snap, PeriodEndSurgeConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "period_end_surge");
  EXPECT_EQ(f.org_unit, "T2");
  EXPECT_EQ(f.period, "2023-24 Q4");
  EXPECT_EQ(f.evidence.records, 67);
  EXPECT_EQ(f.evidence.dates.size(), 7u);
  EXPECT_EQ(f.evidence.users[0], (std::pair<std::string, int64_t>("panic", 60)));
  // (67 / 151) / (7 / 91)
  EXPECT_NEAR(f.value, (67.0 / 151.0) / (7.0 / 91.0), 1e-9);
}

TEST(IntegrityPeriodEndSurgeTest, SilentAtAnEvenPace) {
  auto snap = Daily(false);
  EXPECT_TRUE(CheckPeriodEndSurge(*snap, PeriodEndSurgeConfig{}, CheckScope{}).empty());
}

// T1 enters two reviews a day for 100 days; with `bulk`, one user sets 50
// personal budgets on 2023-06-01.
std::unique_ptr<Snapshot> Bulk(bool bulk) {
  testing::TestData data(1);
  int n = 0;
  for (int k = 0; k < 200; ++k) {
    std::string p = "P" + std::to_string(++n);
    data.Person(p);
    Date d = DateFromCivil(2023, 5, 1) + k / 2;
    data.Review("V" + std::to_string(n), p, FormatDate(d), "T1", FormatDate(d), k % 2 ? "a" : "b");
  }
  if (bulk) {
    for (int k = 0; k < 50; ++k) {
      std::string p = "P" + std::to_string(++n);
      data.Person(p);
      data.Budget("B" + std::to_string(n), p, "2023-06-01", "", "", "2023-06-01", "Y", "T1", "2023-06-01", "letters");
    }
  }
  return data.Finish();
}

TEST(IntegrityBulkChangeTest, FindsOneUsersBulkDay) {
  auto snap = Bulk(true);
  auto findings = CheckBulkChange(*snap, BulkChangeConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "bulk_change");
  EXPECT_EQ(f.org_unit, "T1");
  EXPECT_EQ(f.period, "2023-06");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.evidence.records, 52);
  EXPECT_EQ(f.evidence.dates, std::vector<std::string>{"2023-06-01"});
  EXPECT_EQ(f.evidence.users[0], (std::pair<std::string, int64_t>("letters", 50)));
  EXPECT_EQ(f.summary,
            "On 2023-06-01, 52 records were entered for this team, against a usual 2.5 a day; 96% of them by one user "
            "(letters).");
}

TEST(IntegrityBulkChangeTest, SilentOnOrdinaryDays) {
  auto snap = Bulk(false);
  EXPECT_TRUE(CheckBulkChange(*snap, BulkChangeConfig{}, CheckScope{}).empty());
}

}  // namespace
}  // namespace goldthread::integrity
