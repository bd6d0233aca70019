#include "integrity/jump.h"

#include <gtest/gtest.h>

namespace goldthread::integrity {
namespace {

// Twelve councils that each move by about a point a year; S jumps 7 -> 33.
SeriesTable Councils(bool jump, int years) {
  SeriesTable t;
  t.indicator = "pb-share";
  for (int y = 0; y < years; ++y) t.periods.push_back(std::to_string(2010 + y));
  for (int u = 0; u < 12; ++u) {
    t.units.push_back(u == 0 ? "S" : "C" + std::to_string(u));
    std::vector<double> v;
    for (int y = 0; y < years; ++y) v.push_back(7.0 + y * (1.0 + 0.1 * u) + 0.3 * ((u + y) % 3));
    if (jump && u == 0) v.back() = 33.0;
    t.values.push_back(v);
  }
  return t;
}

TEST(IntegrityJumpTest, PeersAloneWithAShortHistory) {
  auto findings = CheckImplausibleJumps(Councils(true, 2), ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].check, "implausible_jump");
  EXPECT_EQ(findings[0].org_unit, "S");
  EXPECT_EQ(findings[0].period, "2011");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_GT(findings[0].value, 3.5);
}

TEST(IntegrityJumpTest, HighWhenOutsideItsOwnHistoryToo) {
  auto findings = CheckImplausibleJumps(Councils(true, 7), ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].period, "2016");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
}

TEST(IntegrityJumpTest, SilentOnOrdinaryMovement) {
  EXPECT_TRUE(CheckImplausibleJumps(Councils(false, 7), ImplausibleJumpConfig{}).empty());
}

TEST(IntegrityJumpTest, SmallChangesDoNotMatter) {
  ImplausibleJumpConfig config;
  config.min_change = 50;
  EXPECT_TRUE(CheckImplausibleJumps(Councils(true, 2), config).empty());
}

}  // namespace
}  // namespace goldthread::integrity
