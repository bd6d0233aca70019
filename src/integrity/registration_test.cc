#include "integrity/registration.h"

#include <gtest/gtest.h>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

// Five teams, 40 requests each in 2023-24; T3 logs `late` of them 30 days
// after first contact, the others 2 days after.
std::unique_ptr<Snapshot> Council(int late) {
  testing::TestData data(5);
  int n = 0;
  for (int team = 1; team <= 5; ++team) {
    for (int k = 0; k < 40; ++k) {
      std::string p = "P" + std::to_string(++n);
      data.Person(p);
      Date first = DateFromCivil(2023, 6, 1) + k;
      int lag = (team == 3 && k < late) ? 30 : 2;
      data.Request("R" + std::to_string(n), p, FormatDate(first), FormatDate(first + lag), "",
                   "T" + std::to_string(team), FormatDate(first + lag), team == 3 ? "u3" : "u");
    }
  }
  return data.Finish();
}

TEST(IntegrityLateRegistrationTest, FindsTheTeamThatLogsLate) {
  auto snap = Council(20);
  auto findings = CheckLateRegistration(*snap, LateRegistrationConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "late_registration");
  EXPECT_EQ(f.org_unit, "T3");
  EXPECT_EQ(f.period, "2023-24");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.evidence.records, 20);
  EXPECT_EQ(f.evidence.record_ids.size(), 20u);
  EXPECT_DOUBLE_EQ(f.value, 0.5);
  EXPECT_EQ(f.summary,
            "20 of 40 (50.0%) requests were logged more than 14 days after the person first made contact (median 30 "
            "days late), against 0.0% in other teams, so the clock on these cases started late.");
  EXPECT_EQ(f.evidence.users[0], (std::pair<std::string, int64_t>("u3", 20)));
}

TEST(IntegrityLateRegistrationTest, SilentWhenEveryoneLogsPromptly) {
  auto snap = Council(0);
  EXPECT_TRUE(CheckLateRegistration(*snap, LateRegistrationConfig{}, CheckScope{}).empty());
}

TEST(IntegrityLateRegistrationTest, ScopeLeavesOutOtherYears) {
  auto snap = Council(20);
  CheckScope scope{DateFromCivil(2024, 4, 1), DateFromCivil(2025, 3, 31)};
  EXPECT_TRUE(CheckLateRegistration(*snap, LateRegistrationConfig{}, scope).empty());
}

// Five teams, 40 closed requests each; in T2 `resets` of the people get a
// new request 3 days after the first closed.
std::unique_ptr<Snapshot> Resets(int resets) {
  testing::TestData data(5);
  int n = 0, r = 0;
  for (int team = 1; team <= 5; ++team) {
    for (int k = 0; k < 40; ++k) {
      std::string p = "P" + std::to_string(++n);
      std::string t = "T" + std::to_string(team);
      data.Person(p);
      Date received = DateFromCivil(2023, 7, 1) + k;
      data.Request("R" + std::to_string(++r), p, "", FormatDate(received), FormatDate(received + 20), t);
      if (team == 2 && k < resets)
        data.Request("R" + std::to_string(++r), p, "", FormatDate(received + 23), "", t);
    }
  }
  return data.Finish();
}

TEST(IntegrityClockResetTest, FindsReopenedCases) {
  auto snap = Resets(12);
  auto findings = CheckClockReset(*snap, ClockResetConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].check, "clock_reset");
  EXPECT_EQ(findings[0].org_unit, "T2");
  EXPECT_EQ(findings[0].evidence.records, 12);
  EXPECT_EQ(findings[0].evidence.record_ids[0], "R41>R42");
}

TEST(IntegrityClockResetTest, SilentWithoutReopenings) {
  auto snap = Resets(0);
  EXPECT_TRUE(CheckClockReset(*snap, ClockResetConfig{}, CheckScope{}).empty());
}

}  // namespace
}  // namespace goldthread::integrity
