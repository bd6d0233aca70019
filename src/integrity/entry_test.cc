#include "integrity/entry.h"

#include <gtest/gtest.h>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

TEST(IntegrityEntryTest, PoissonQuantile) {
  EXPECT_EQ(PoissonQuantile(0.0, 0.999), 0);
  EXPECT_EQ(PoissonQuantile(1.0, 0.5), 1);    // P(X<=0)=0.368, P(X<=1)=0.736
  EXPECT_EQ(PoissonQuantile(2.5, 0.999), 9);  // P(X<=8)=0.9988, P(X<=9)=0.9997
}

// An outcome measure is a row per domain, entered together: one entry, or
// every count of them would be a multiple of the domains.
TEST(IntegrityEntryTest, AnOutcomeMeasureIsOneEntryWhateverItsDomains) {
  testing::TestData data(1);
  data.Person("P1");
  data.Person("P2");
  for (const char* domain : {"control", "safety", "social"})
    data.Add(TableId::kOutcomeMeasures, {"M1", "P1", "ascot", "2023-05-01", "baseline", domain, "2", "T1",
                                         "W1", "2023-05-02T10:00:00Z", "u"});
  data.Add(TableId::kOutcomeMeasures,
           {"M2", "P2", "ascot", "2023-05-01", "baseline", "control", "2", "T1", "W1", "", ""});
  data.Add(TableId::kOutcomeMeasures,
           {"M2", "P2", "ascot", "2023-05-01", "baseline", "safety", "2", "T1", "W1", "", ""});
  auto snap = data.Finish();
  const EntryLog log = ReadEntries(*snap);
  ASSERT_EQ(log.entries.size(), 1u);
  EXPECT_EQ(log.entries[0].event, DateFromCivil(2023, 5, 1));
  EXPECT_EQ(log.entries[0].recorded, DateFromCivil(2023, 5, 2));
  EXPECT_EQ(log.lineage_unknown, 1);  // M2, once
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

// 20 reviews a month, entered 1-3 days late; in January 2024 three of them
// 60 days late. That moves the month's 90th percentile (interpolated
// between its 18th and 19th lags) to 60 days, but three records are not a
// finding unless min_late_records allows it.
TEST(IntegrityBackdatingTest, AFewLateRecordsAreNotAFinding) {
  testing::TestData data(1);
  int n = 0;
  for (int m = 0; m < 12; ++m) {
    Date month = AddMonths(DateFromCivil(2023, 4, 1), m);
    for (int k = 0; k < 20; ++k) {
      const std::string p = "P" + std::to_string(++n);
      data.Person(p);
      const int lag = m == 9 && k < 3 ? 60 : 1 + k % 3;
      data.Review("V" + std::to_string(n), p, FormatDate(month + k), "T1", FormatDate(month + k + lag), "w");
    }
  }
  auto snap = data.Finish();
  EXPECT_TRUE(CheckBackdating(*snap, BackdatingConfig{}, CheckScope{}).empty());
  BackdatingConfig config;
  config.min_late_records = 3;
  auto findings = CheckBackdating(*snap, config, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.dates, std::vector<std::string>{"2024-01"});
  EXPECT_EQ(findings[0].evidence.records, 3);
  EXPECT_DOUBLE_EQ(findings[0].value, 60.0);
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

// Five teams enter, each day of 2023-24, `per_day` records of each of
// `kinds` (1: reviews; 2: and assessments; 3: and requests), one kind a day
// in turn when per_day is 0. T2 then rushes `rush[k]` records of kind k
// into the last 7 days of the year.
std::unique_ptr<Snapshot> Mixed(int kinds, int per_day, std::vector<int> rush) {
  testing::TestData data(5);
  int n = 0;
  auto add = [&](int kind, const std::string& t, Date done, Date entered, const std::string& by) {
    const std::string p = "P" + std::to_string(++n), id = std::to_string(n);
    data.Person(p);
    if (kind == 0) data.Review("V" + id, p, FormatDate(done), t, FormatDate(entered), by);
    if (kind == 1) data.Assessment("A" + id, p, "", FormatDate(done), t, FormatDate(entered), by);
    if (kind == 2)
      data.Request("R" + id, p, FormatDate(done), FormatDate(done), "", t, FormatDate(entered), by);
  };
  for (int team = 1; team <= 5; ++team) {
    const std::string t = "T" + std::to_string(team);
    int i = 0;
    for (Date d = DateFromCivil(2023, 4, 1); d <= DateFromCivil(2024, 4, 1); ++d, ++i) {
      if (per_day == 0) add(i % kinds, t, d, d, "w");
      for (int k = 0; k < kinds && per_day > 0; ++k)
        for (int j = 0; j < per_day; ++j) add(k, t, d, d, "w");
    }
    for (int k = 0; team == 2 && k < static_cast<int>(rush.size()); ++k)
      for (int j = 0; j < rush[k]; ++j) {
        Date d = DateFromCivil(2024, 3, 25) + j % 7;
        add(k, t, d - 100, d, "panic");
      }
  }
  return data.Finish();
}

TEST(IntegrityPeriodEndSurgeTest, TheStrongestRecordTypeLeadsAndTheOthersAreNamed) {
  // Reviews: 67 of 151 in the last 7 days, (67/151)/(7/91) = 5.77; assessments
  // 47 of 131, 4.66. One finding, on the reviews, naming the assessments.
  auto snap = Mixed(2, 1, {60, 40});
  auto findings = CheckPeriodEndSurge(*snap, PeriodEndSurgeConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.org_unit, "T2");
  EXPECT_EQ(f.period, "2023-24 Q4");
  EXPECT_NEAR(f.value, (67.0 / 151.0) / (7.0 / 91.0), 1e-9);
  EXPECT_EQ(f.evidence.records, 114);
  EXPECT_EQ(f.indicators, (std::vector<std::string>{"assessments-completed", "reviews-12m"}));
  EXPECT_EQ(
      f.summary,
      "67 of 151 (44.4%) of the team's reviews for 2023-24 Q4 were entered in its last 7 days, 5.8 times the "
      "share an even pace would give. The same in assessments (4.7 times).");
  ASSERT_EQ(f.evidence.figures.size(), 5u);
  EXPECT_EQ(f.evidence.figures[4].first, "assessments_surge_ratio");
  EXPECT_NEAR(f.evidence.figures[4].second, (47.0 / 131.0) / (7.0 / 91.0), 1e-9);
}

TEST(IntegrityPeriodEndSurgeTest, ARushSpreadThinOverSeveralTypesIsFoundPooled) {
  // One record a day, the kinds in turn: about 30 of each a quarter, under
  // the 50 a cell needs; the 45 rushed (15 of each) leave every kind under
  // 50 too. Pooled, T2's quarter has 91 + 45 = 136 entries, 7 + 45 = 52 of
  // them in the last 7 days.
  auto snap = Mixed(3, 0, {15, 15, 15});
  auto findings = CheckPeriodEndSurge(*snap, PeriodEndSurgeConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].org_unit, "T2");
  EXPECT_NEAR(findings[0].value, (52.0 / 136.0) / (7.0 / 91.0), 1e-9);
  EXPECT_EQ(
      findings[0].summary,
      "52 of 136 (38.2%) of the team's entries for 2023-24 Q4 were made in its last 7 days, 5.0 times the "
      "share an even pace would give.");
  EXPECT_EQ(findings[0].looked_at, "the recorded_at dates of the team's case records entered in the quarter");
}

// T1 enters two reviews a day for 100 days; with `bulk`, one user sets 50
// personal budgets on 2023-06-01.
std::unique_ptr<Snapshot> Bulk(bool bulk, const std::string& user = "letters") {
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
      data.Budget("B" + std::to_string(n), p, "2023-06-01", "", "", "2023-06-01", "Y", "T1", "2023-06-01",
                  user);
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
  // The budgets alone, against the team's usual 0.5 budgets a day (50 over
  // its 100 working days), not the day's 52 records against 2.5 a day.
  EXPECT_EQ(f.evidence.records, 50);
  EXPECT_EQ(f.evidence.dates, std::vector<std::string>{"2023-06-01"});
  EXPECT_EQ(f.evidence.users[0], (std::pair<std::string, int64_t>("letters", 50)));
  EXPECT_EQ(f.indicators, std::vector<std::string>{"pb-share-claimed"});
  EXPECT_EQ(
      f.summary,
      "On 2023-06-01, 50 personal budgets were entered for this team, against a usual 0.5 a day; 100% of "
      "them by one user (letters).");
  EXPECT_EQ(f.looked_at,
            "personal budgets per team per day of recorded_at, with who entered them and in which batch");
}

// The summary names the user whole, however long the name: it was cut at
// 400 bytes when it was formatted into a fixed buffer.
TEST(IntegrityBulkChangeTest, SummaryKeepsALongUserNameWhole) {
  const std::string user = "team-admin." + std::string(500, 'x');
  auto snap = Bulk(true, user);
  auto findings = CheckBulkChange(*snap, BulkChangeConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(
      findings[0].summary,
      "On 2023-06-01, 50 personal budgets were entered for this team, against a usual 0.5 a day; 100% of "
      "them by one user (" +
          user + ").");
}

TEST(IntegrityBulkChangeTest, SilentOnOrdinaryDays) {
  auto snap = Bulk(false);
  EXPECT_TRUE(CheckBulkChange(*snap, BulkChangeConfig{}, CheckScope{}).empty());
}

// Four busy teams through 2023-24: each day one review (entered the same
// day), 20 outcome-measure rows, 2 visits and 2 survey answers, all timely,
// entered by five users of the team. With `gaming`, T2 also enters 200
// reviews of work done from October to February in the last seven days of
// the year: a year-end rush of reviews alone, among thousands of timely
// rows of other kinds (the issue's independently generated council).
std::unique_ptr<Snapshot> BusyTeams(bool gaming) {
  testing::TestData data(4);
  int n = 0;
  for (int team = 1; team <= 4; ++team) {
    const std::string t = "T" + std::to_string(team);
    for (int k = 0; k < 50; ++k) data.Person(t + "P" + std::to_string(k));
    auto person = [&](int i) { return t + "P" + std::to_string(i % 50); };
    auto user = [&](int i) {
      return "w" + std::to_string(team) + std::string(1, static_cast<char>('a' + i % 5));
    };
    int i = 0;
    for (Date d = DateFromCivil(2023, 4, 1); d <= DateFromCivil(2024, 4, 1); ++d, ++i) {
      const std::string day = FormatDate(d);
      data.Review("V" + std::to_string(++n), person(i), day, t, day, user(i));
      if (d > DateFromCivil(2024, 3, 31)) break;  // the extract runs a day past the year end
      for (int k = 0; k < 20; ++k)
        data.Outcome("O" + std::to_string(++n), person(i + k), day, t, FormatDate(d + k % 3), user(k));
      for (int k = 0; k < 2; ++k) {
        data.Visit("X" + std::to_string(++n), person(i + k), day, t, day, user(k));
        data.Survey("S" + std::to_string(++n), person(i + k), day, t, FormatDate(d + 2), user(k));
      }
    }
    if (gaming && team == 2) {
      for (int k = 0; k < 200; ++k) {
        Date done = DateFromCivil(2023, 10, 1) + k * 150 / 200;
        Date entered = DateFromCivil(2024, 3, 25) + k % 7;
        data.Review("V" + std::to_string(++n), person(k), FormatDate(done), t, FormatDate(entered), user(k));
      }
    }
  }
  return data.Finish();
}

TEST(IntegrityEntryTest, AYearEndRushOfReviewsIsNotLostAmongTimelyRowsOfOtherKinds) {
  auto snap = BusyTeams(true);
  const EntryLog log = ReadEntries(*snap);
  // period_end_surge: 207 of T2's 291 reviews of the quarter (91 timely, one
  // a day, and the 200) were entered in its last 7 days; pooled with its
  // 1,820 outcome rows the share is 347 / 2111, 2.1 times an even pace.
  auto surge = CheckPeriodEndSurge(*snap, log, PeriodEndSurgeConfig{}, CheckScope{});
  ASSERT_EQ(surge.size(), 1u);
  EXPECT_EQ(surge[0].org_unit, "T2");
  EXPECT_EQ(surge[0].period, "2023-24 Q4");
  EXPECT_EQ(surge[0].indicators, std::vector<std::string>{"reviews-12m"});
  EXPECT_EQ(surge[0].evidence.records, 207);
  EXPECT_NEAR(surge[0].value, (207.0 / 291.0) / (7.0 / 91.0), 1e-9);
  EXPECT_EQ(
      surge[0].summary,
      "207 of 291 (71.1%) of the team's reviews for 2023-24 Q4 were entered in its last 7 days, 9.2 times "
      "the share an even pace would give.");
  // backdating: the reviews of October to February, one in ten or more
  // entered months late, against a usual lag of 0 days.
  auto back = CheckBackdating(*snap, log, BackdatingConfig{}, CheckScope{});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].org_unit, "T2");
  EXPECT_EQ(back[0].period, "2023-24");
  EXPECT_EQ(back[0].indicators, std::vector<std::string>{"reviews-12m"});
  for (const std::string& id : back[0].evidence.record_ids) EXPECT_EQ(id.rfind("reviews:", 0), 0u) << id;
  // Nothing else, and nothing at all without the rush.
  EXPECT_TRUE(CheckBulkChange(*snap, log, BulkChangeConfig{}, CheckScope{}).empty());
  auto clean = BusyTeams(false);
  const EntryLog clean_log = ReadEntries(*clean);
  EXPECT_TRUE(CheckPeriodEndSurge(*clean, clean_log, PeriodEndSurgeConfig{}, CheckScope{}).empty());
  EXPECT_TRUE(CheckBackdating(*clean, clean_log, BackdatingConfig{}, CheckScope{}).empty());
  EXPECT_TRUE(CheckBulkChange(*clean, clean_log, BulkChangeConfig{}, CheckScope{}).empty());
}

// One user sets 50 personal budgets in a morning while the team's outcome
// measures are logged at 30 rows a day by six users: pooled, the day's 82
// entries are 2.5 times the usual 32.5 and the user made 61% of them.
TEST(IntegrityBulkChangeTest, OneUsersBulkDayIsNotLostAmongTimelyRowsOfOtherKinds) {
  testing::TestData data(1);
  data.Person("P");
  int n = 0;
  for (int k = 0; k < 200; ++k) {
    Date d = DateFromCivil(2023, 5, 1) + k / 2;
    data.Review("V" + std::to_string(++n), "P", FormatDate(d), "T1", FormatDate(d), k % 2 ? "a" : "b");
    if (k % 2) continue;
    for (int j = 0; j < 30; ++j)
      data.Outcome("O" + std::to_string(++n), "P", FormatDate(d), "T1", FormatDate(d),
                   "u" + std::to_string(j % 6));
  }
  for (int k = 0; k < 50; ++k)
    data.Budget("B" + std::to_string(++n), "P", "2023-06-01", "", "", "2023-06-01", "Y", "T1", "2023-06-01",
                "letters");
  auto snap = data.Finish();
  auto findings = CheckBulkChange(*snap, BulkChangeConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.org_unit, "T1");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.evidence.records, 50);
  EXPECT_EQ(f.indicators, std::vector<std::string>{"pb-share-claimed"});
  // 50 budgets over the team's 100 working days: 0.5 a day.
  EXPECT_EQ(
      f.summary,
      "On 2023-06-01, 50 personal budgets were entered for this team, against a usual 0.5 a day; 100% of "
      "them by one user (letters).");
}

}  // namespace
}  // namespace goldthread::integrity
