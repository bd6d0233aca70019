#include "integrity/jump.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

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

// Six teams over two quarters on `den` cases each: T1 goes from 50% to 70%,
// the others move by at most a point.
SeriesTable Teams(double den) {
  SeriesTable t;
  t.indicator = "assessment-28d";
  t.percent = true;
  t.periods = {"2024-25 Q1", "2024-25 Q2"};
  const double after[] = {70, 51, 49, 50.5, 49.5, 50};
  for (int u = 0; u < 6; ++u) {
    t.units.push_back("T" + std::to_string(u + 1));
    t.values.push_back({50, after[u]});
    t.numerators.push_back({50 * den / 100, after[u] * den / 100});
    t.denominators.push_back({den, den});
  }
  return t;
}

TEST(IntegrityJumpTest, TeamsNeedAChangeBeyondSamplingNoise) {
  // Changes 20, 1, -1, 0.5, -0.5, 0: median 0.25, MAD 0.75, so T1's robust z
  // is 19.75 / (1.4826 · 0.75) = 17.8. On the arcsine scale the change is
  // asin√0.7 − asin√0.5 = 0.991157 − 0.785398 = 0.205758; on 100 cases a quarter its standard
  // error is sqrt(2/400) = 0.0707, z = 2.91 (chance could do it); on 200,
  // 0.05 and z = 4.12.
  EXPECT_TRUE(CheckImplausibleJumps(Teams(100), ImplausibleJumpConfig{}).empty());
  auto findings = CheckImplausibleJumps(Teams(200), ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].org_unit, "T1");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_NEAR(findings[0].value, 19.75 / (1.4826 * 0.75), 1e-9);
  double sampling_z = 0, denominator = 0;
  for (const auto& [name, v] : findings[0].evidence.figures) {
    if (name == "sampling_z") sampling_z = v;
    if (name == "current_denominator") denominator = v;
  }
  EXPECT_NEAR(sampling_z, (std::asin(std::sqrt(0.7)) - std::asin(std::sqrt(0.5))) / 0.05, 1e-9);
  EXPECT_NEAR(sampling_z, 4.1152, 1e-4);
  EXPECT_EQ(denominator, 200);
  EXPECT_EQ(findings[0].evidence.records, 200);
  EXPECT_EQ(findings[0].threshold,
            "|change - median| / (1.4826 MAD) > 3.5 and |change| >= 5, each figure on >= 50 cases, |arcsine "
            "z of the "
            "change| > 3.09; own history: too short to chart (peer test only)");
  // Below the minimum denominator a figure is unknown, however large the move.
  ImplausibleJumpConfig config;
  config.min_denominator = 201;
  EXPECT_TRUE(CheckImplausibleJumps(Teams(200), config).empty());
  // A lower sampling threshold lets the 100-case jump through.
  config = ImplausibleJumpConfig{};
  config.sampling_z = 2.5;
  EXPECT_EQ(CheckImplausibleJumps(Teams(100), config).size(), 1u);
}

}  // namespace
}  // namespace goldthread::integrity
