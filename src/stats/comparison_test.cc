#include "stats/comparison.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace goldthread::stats {
namespace {

// Two strata worked by hand (and in the comments of docs/added_value.md):
//   stratum 1: 10 of 50 exposed, 20 of 50 unexposed had the outcome (N 100)
//   stratum 2:  5 of 20 exposed, 15 of 30 unexposed                 (N 50)
// RR: R = 10·50/100 + 5·30/50 = 8; S = 20·50/100 + 15·20/50 = 16; RR = 0.5.
//   Greenland-Robins: (50·50·30 − 10·20·100)/100² + (20·30·20 − 5·15·50)/50²
//   = 5.5 + 3.3 = 8.8; Var = 8.8/(8·16) = 0.06875, SE 0.262202.
// OR: R = 10·30/100 + 5·15/50 = 4.5; S = 40·20/100 + 15·15/50 = 12.5;
//   OR = 0.36. P = 0.4, Q = 0.6 in both strata: ΣPR = 1.8, Σ(PS+QR) = 7.7,
//   ΣQS = 7.5; Var = 1.8/(2·4.5²) + 7.7/(2·4.5·12.5) + 7.5/(2·12.5²)
//   = 0.136889, SE 0.369985.
const std::vector<Stratum2x2> kTwoStrata = {{10, 50, 20, 50}, {5, 20, 15, 30}};

TEST(MantelHaenszelTest, RiskRatioMatchesTheHandWorkedExample) {
  auto rr = MantelHaenszelRiskRatio(kTwoStrata);
  ASSERT_TRUE(rr.has_value());
  EXPECT_DOUBLE_EQ(rr->estimate, 0.5);
  EXPECT_NEAR(rr->log_se, 0.2622022120425379, 1e-12);
  EXPECT_NEAR(rr->ci.low, 0.2990770421195184, 1e-9);
  EXPECT_NEAR(rr->ci.high, 0.8359050170761484, 1e-9);
  EXPECT_EQ(rr->informative_strata, 2);
}

TEST(MantelHaenszelTest, OddsRatioMatchesTheHandWorkedExample) {
  auto odds = MantelHaenszelOddsRatio(kTwoStrata);
  ASSERT_TRUE(odds.has_value());
  EXPECT_DOUBLE_EQ(odds->estimate, 0.36);
  EXPECT_NEAR(odds->log_se * odds->log_se, 0.1368888888888889, 1e-12);
  EXPECT_NEAR(odds->ci.low, 0.17432943027323605, 1e-9);
  EXPECT_NEAR(odds->ci.high, 0.7434200857357868, 1e-9);
}

TEST(MantelHaenszelTest, OneStratumIsTheCrudeRatioWithTheUsualVariance) {
  // One stratum: RR = (a/n1)/(c/n0) and Var(ln RR) = 1/a − 1/n1 + 1/c − 1/n0;
  // OR = ad/bc and (Woolf) Var(ln OR) = 1/a + 1/b + 1/c + 1/d.
  const std::vector<Stratum2x2> one = {{12, 40, 30, 60}};
  auto rr = MantelHaenszelRiskRatio(one);
  ASSERT_TRUE(rr.has_value());
  EXPECT_NEAR(rr->estimate, (12.0 / 40) / (30.0 / 60), 1e-12);
  EXPECT_NEAR(rr->log_se, std::sqrt(1.0 / 12 - 1.0 / 40 + 1.0 / 30 - 1.0 / 60), 1e-12);
  auto odds = MantelHaenszelOddsRatio(one);
  ASSERT_TRUE(odds.has_value());
  EXPECT_NEAR(odds->estimate, (12.0 * 30) / (28.0 * 30), 1e-12);
  EXPECT_NEAR(odds->log_se, std::sqrt(1.0 / 12 + 1.0 / 28 + 1.0 / 30 + 1.0 / 30), 1e-12);
}

TEST(MantelHaenszelTest, StrataWithOneGroupOnlyAddNothing) {
  std::vector<Stratum2x2> with_empty = kTwoStrata;
  with_empty.push_back({3, 7, 0, 0});   // nobody unexposed
  with_empty.push_back({0, 0, 9, 11});  // nobody exposed
  auto rr = MantelHaenszelRiskRatio(with_empty);
  ASSERT_TRUE(rr.has_value());
  EXPECT_DOUBLE_EQ(rr->estimate, 0.5);
  EXPECT_NEAR(rr->log_se, 0.2622022120425379, 1e-12);
  EXPECT_EQ(rr->informative_strata, 2);
}

TEST(MantelHaenszelTest, NothingToEstimate) {
  EXPECT_FALSE(MantelHaenszelRiskRatio({}).has_value());
  // No events among the unexposed: the ratio is infinite.
  const std::vector<Stratum2x2> none_unexposed = {{4, 10, 0, 10}};
  EXPECT_FALSE(MantelHaenszelRiskRatio(none_unexposed).has_value());
  EXPECT_FALSE(MantelHaenszelOddsRatio(none_unexposed).has_value());
  // Invalid tables are refused, not estimated.
  const std::vector<Stratum2x2> bad = {{11, 10, 1, 10}};
  EXPECT_FALSE(MantelHaenszelRiskRatio(bad).has_value());
  const std::vector<Stratum2x2> nan = {{std::nan(""), 10, 1, 10}};
  EXPECT_FALSE(MantelHaenszelOddsRatio(nan).has_value());
}

TEST(PoissonCountRatioTest, ClosedFormLimits) {
  // x1 = 5, x0 = 0: the Clopper-Pearson lower limit of 5 of 5 is 0.025^(1/5)
  // = 0.478176, so r > 0.478176/0.521824 = 0.916356; no upper limit.
  auto up = PoissonCountRatio(5, 0);
  ASSERT_TRUE(up.has_value());
  EXPECT_TRUE(std::isinf(up->estimate));
  EXPECT_NEAR(up->ci.low, 0.9163558573154597, 1e-9);
  EXPECT_TRUE(std::isinf(up->ci.high));
  // x1 = 0, x0 = 4: the upper limit of 0 of 4 is 1 − 0.025^(1/4) = 0.602364,
  // so r < 1.514867.
  auto down = PoissonCountRatio(0, 4);
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->estimate, 0.0);
  EXPECT_EQ(down->ci.low, 0.0);
  EXPECT_NEAR(down->ci.high, 1.514866859365871, 1e-9);
}

TEST(PoissonCountRatioTest, LimitsAreTheBinomialLimitsMapped) {
  auto r = PoissonCountRatio(60, 40);
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(r->estimate, 1.5);
  auto p = ClopperPearsonInterval(60, 100);
  ASSERT_TRUE(p.has_value());
  EXPECT_NEAR(r->ci.low, p->low / (1 - p->low), 1e-12);
  EXPECT_NEAR(r->ci.high, p->high / (1 - p->high), 1e-12);
  EXPECT_LT(r->ci.low, 1.5);
  EXPECT_GT(r->ci.high, 1.5);
  EXPECT_FALSE(PoissonCountRatio(0, 0).has_value());
  EXPECT_FALSE(PoissonCountRatio(-1, 3).has_value());
}

}  // namespace
}  // namespace goldthread::stats
