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

// Published series of six years (2010-11 to 2015-16), percentages: eleven
// councils C1..C11 that each rise steadily, by 1.0, 1.1, 1.2, 1.3 or 1.4
// points a year, and S with the values given.
SeriesTable Published(std::vector<double> s_values, double peers_at = NAN) {
  SeriesTable t;
  t.indicator = "1C1A";
  t.percent = true;
  for (int y = 0; y < 6; ++y) t.periods.push_back(std::to_string(2010 + y) + "-" + std::to_string(11 + y));
  t.units.push_back("S");
  t.unit_names.push_back("Shire");
  t.values.push_back(std::move(s_values));
  for (int u = 1; u <= 11; ++u) {
    t.units.push_back("C" + std::to_string(u));
    t.unit_names.push_back("Council " + std::to_string(u));
    std::vector<double> v;
    for (int y = 0; y < 6; ++y) v.push_back(std::isnan(peers_at) ? 50 + y * (1.0 + 0.1 * (u % 5)) : peers_at);
    t.values.push_back(v);
  }
  return t;
}

const double* Figure(const Finding& f, const std::string& name) {
  for (const auto& [n, v] : f.evidence.figures)
    if (n == name) return &v;
  return nullptr;
}

// At 100% for five years, then 47%. The peers' changes that year: 1.0 x3,
// 1.1 x2, 1.2 x2, 1.3 x2, 1.4 x2 and S's -53: median 1.15, MAD 0.15. S's own
// four earlier changes are all 0: zero-width limits, which -53 exceeds.
TEST(IntegrityJumpTest, AConstantHistoryMakesABreakMoreImplausibleNotUnknown) {
  auto findings = CheckImplausibleJumps(Published({100, 100, 100, 100, 100, 47}), ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.org_unit, "S");
  EXPECT_EQ(f.period, "2015-16");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_NEAR(f.value, (-53 - 1.15) / (1.4826 * 0.15), 1e-9);
  EXPECT_EQ(
      f.summary,
      "Shire: 1C1A moved from 100% to 47% (-53 points) between 2014-15 and 2015-16, while the middle of its "
      "peers moved by +1.15 points: a movement that needs explaining. Its own figure had not moved in its 4 "
      "earlier changes, so the break is the more implausible.");
  EXPECT_EQ(
      f.threshold,
      "|change - median| / (1.4826 MAD) > 3.5 and |change| >= 5; own history: outside the XmR limits of its "
      "earlier changes (high)");
  ASSERT_NE(Figure(f, "own_upper_limit"), nullptr);
  EXPECT_EQ(*Figure(f, "own_upper_limit"), 0.0);
  EXPECT_EQ(*Figure(f, "own_lower_limit"), 0.0);
}

// Every other council at 100% all six years: more than half the changes are
// 0, so the MAD is 0. The scale is then 1.253314 x MeanAD = 1.253314 x 53/12,
// and S's fall is as extreme as it looks.
TEST(IntegrityJumpTest, AStillFieldDoesNotSilenceTheOneThatMoves) {
  auto findings =
      CheckImplausibleJumps(Published({100, 100, 100, 100, 100, 47}, 100), ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.org_unit, "S");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_NEAR(f.value, -53 / (1.253314 * 53.0 / 12.0), 1e-9);
  EXPECT_EQ(f.threshold,
            "|change - median| / (1.2533 MeanAD, the MAD being 0) > 3.5 and |change| >= 5; own history: "
            "outside the "
            "XmR limits of its earlier changes (high)");
  EXPECT_EQ(*Figure(f, "peer_mad"), 0.0);
  EXPECT_NEAR(*Figure(f, "peer_scale"), 1.253314 * 53.0 / 12.0, 1e-9);
}

// A 73-point fall, a 74-point rise, then a 91-point fall. Its earlier
// changes +1, -73, +74, 0 give limits 0.5 -/+ 2.66 x 98.33 (their moving
// ranges 74, 147, 74), which the -91 is inside: reported all the same, at
// medium, and the series as a whole is a finding of its own.
TEST(IntegrityJumpTest, AnErraticHistoryIsItselfAFindingAndSilencesNothing) {
  auto findings = CheckImplausibleJumps(Published({95, 96, 23, 97, 97, 6}), ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].period, "2012-13");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_EQ(
      findings[0].summary,
      "Shire: 1C1A moved from 96% to 23% (-73 points) between 2011-12 and 2012-13, while the middle of its "
      "peers moved by +1.15 points: a movement that needs explaining. Its own history is too short to judge "
      "it against (1 earlier change(s), 4 needed).");
  EXPECT_EQ(findings[1].period, "2013-14");
  EXPECT_EQ(findings[1].severity, Severity::kMedium);
  const Finding& last = findings[2];
  EXPECT_EQ(last.period, "2015-16");
  EXPECT_EQ(last.severity, Severity::kMedium);
  EXPECT_EQ(
      last.summary,
      "Shire: 1C1A moved from 97% to 6% (-91 points) between 2014-15 and 2015-16, while the middle of its "
      "peers moved by +1.15 points: a movement that needs explaining. It is within the limits of its own "
      "history (-261.1 points to +262.1 points) only because that history is erratic (earlier: -73 points in "
      "2012-13, +74 points in 2013-14), so its figures are not comparable from one period to the next.");
  EXPECT_NEAR(*Figure(last, "own_lower_limit"), 0.5 - 2.66 * 295.0 / 3.0, 1e-9);
  EXPECT_NEAR(*Figure(last, "own_upper_limit"), 0.5 + 2.66 * 295.0 / 3.0, 1e-9);
  EXPECT_EQ(*Figure(last, "earlier_extreme_changes"), 2.0);
  const Finding& series = findings[3];
  EXPECT_EQ(series.check, "implausible_jump");
  EXPECT_EQ(series.org_unit, "S");
  EXPECT_EQ(series.period, "2011-12 to 2015-16");
  EXPECT_EQ(series.severity, Severity::kHigh);
  EXPECT_EQ(series.statistic, "extreme_changes");
  EXPECT_EQ(series.value, 3.0);
  EXPECT_EQ(
      series.summary,
      "Shire: 1C1A moved against all its peers 3 times between 2011-12 and 2015-16 (-73 points in 2012-13, "
      "+74 points in 2013-14, -91 points in 2015-16): its figures are not comparable from one period to the "
      "next.");
  EXPECT_EQ(series.evidence.dates, (std::vector<std::string>{"2012-13", "2013-14", "2015-16"}));
}

// goldthread's own indicators, the same rule: six teams over six quarters on
// 200 cases each; T1 at 100% for five quarters, then 80%. The others move
// by a point or less.
TEST(IntegrityJumpTest, ATeamsConstantHistoryDoesNotSilenceItsBreak) {
  SeriesTable t;
  t.indicator = "pb-share-claimed";
  t.percent = true;
  for (int q = 1; q <= 4; ++q) t.periods.push_back("2024-25 Q" + std::to_string(q));
  t.periods.push_back("2025-26 Q1");
  t.periods.push_back("2025-26 Q2");
  for (int u = 0; u < 6; ++u) {
    t.units.push_back("T" + std::to_string(u + 1));
    std::vector<double> v, num, den;
    for (int q = 0; q < 6; ++q) {
      double value = u == 0 ? (q < 5 ? 100.0 : 80.0) : 50.0 + 0.5 * ((q + u) % 3);
      v.push_back(value);
      num.push_back(value * 2);
      den.push_back(200);
    }
    t.values.push_back(v);
    t.numerators.push_back(num);
    t.denominators.push_back(den);
  }
  auto findings = CheckImplausibleJumps(t, ImplausibleJumpConfig{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].org_unit, "T1");
  EXPECT_EQ(findings[0].period, "2025-26 Q2");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(
      findings[0].summary.rfind(
          "T1: pb-share-claimed moved from 100% to 80% (-20 points) between 2025-26 Q1 and 2025-26 Q2", 0),
      0u)
      << findings[0].summary;
}

}  // namespace
}  // namespace goldthread::integrity
