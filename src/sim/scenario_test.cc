#include "sim/scenario.h"

#include <gtest/gtest.h>

#include "sim/simulator.h"

namespace goldthread::sim {
namespace {

TEST(SimScenarioTest, ParsesNameAndTeam) {
  struct Case {
    const char* text;
    ScenarioKind kind;
    const char* team;
  };
  const Case cases[] = {
      {"letters", ScenarioKind::kLetters, "T03"},
      {"letters:T07", ScenarioKind::kLetters, "T07"},
      {"bunching", ScenarioKind::kBunching, "T05"},
      {"late_registration", ScenarioKind::kLateRegistration, "T04"},
      {"clock_reset:T01", ScenarioKind::kClockReset, "T01"},
      {"backdating", ScenarioKind::kBackdating, "T02"},
  };
  for (const Case& c : cases) {
    ScenarioRequest r;
    std::string problem;
    ASSERT_TRUE(TryParseScenario(c.text, r, problem)) << c.text << ": " << problem;
    EXPECT_EQ(r.kind, c.kind) << c.text;
    EXPECT_EQ(r.team, c.team) << c.text;
  }
}

TEST(SimScenarioTest, RejectsUnknownNamesWithTheList) {
  ScenarioRequest r;
  std::string problem;
  EXPECT_FALSE(TryParseScenario("letter", r, problem));
  EXPECT_EQ(problem,
            "unknown scenario 'letter' (expected one of: letters, bunching, late_registration, "
            "clock_reset, backdating)");
  EXPECT_FALSE(TryParseScenario("letters:", r, problem));
  EXPECT_EQ(problem, "scenario 'letters:' names no team after ':' (expected NAME:TEAM, e.g. letters:T03)");
}

TEST(SimScenarioTest, DefaultWindowEndsWithLastCompleteQuarter) {
  // Today 2026-11-23: the last complete quarter is July-September 2026.
  EXPECT_EQ(FormatDate(DefaultStart(DateFromCivil(2026, 11, 23), 36)), "2023-10-01");
  EXPECT_EQ(FormatDate(DefaultStart(DateFromCivil(2026, 11, 23), 12)), "2025-10-01");
  // In January the last complete quarter ended in December of the year before.
  EXPECT_EQ(FormatDate(DefaultStart(DateFromCivil(2027, 1, 5), 3)), "2026-10-01");
  // On 1 April the quarter January-March has just ended.
  EXPECT_EQ(FormatDate(DefaultStart(DateFromCivil(2026, 4, 1), 12)), "2025-04-01");
}

TEST(SimScenarioTest, TeamCountGrowsWithTheCouncil) {
  EXPECT_EQ(TeamCountFor(100), 6);
  EXPECT_EQ(TeamCountFor(5000), 7);
  EXPECT_EQ(TeamCountFor(20000), 9);
  EXPECT_EQ(TeamCountFor(1000000), 12);
}

}  // namespace
}  // namespace goldthread::sim
