#include "stats/intervals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "stats/stats_test_util.h"

namespace goldthread::stats {
namespace {

using testing::LoadJson;
using testing::Near;

// Expected values: statsmodels proportion_confint (wilson, beta) and scipy
// chi2.ppf / t.ppf, written by tests/data/stats/generate.py.
TEST(StatsIntervalsTest, ProportionsMatchStatsmodels) {
  const nlohmann::json data = LoadJson("intervals.json");
  for (const auto& c : data["proportion"]) {
    const double x = c["x"], n = c["n"];
    SCOPED_TRACE("x=" + std::to_string(x) + " n=" + std::to_string(n));
    auto wilson = WilsonInterval(x, n);
    auto beta = ClopperPearsonInterval(x, n);
    if (c["wilson"].is_null()) {
      EXPECT_FALSE(wilson);
      EXPECT_FALSE(beta);
      continue;
    }
    ASSERT_TRUE(wilson && beta);
    EXPECT_TRUE(Near(wilson->low, c["wilson"][0]));
    EXPECT_TRUE(Near(wilson->high, c["wilson"][1]));
    EXPECT_TRUE(Near(beta->low, c["beta"][0]));
    EXPECT_TRUE(Near(beta->high, c["beta"][1]));
    auto w90 = WilsonInterval(x, n, 0.90);
    ASSERT_TRUE(w90);
    EXPECT_TRUE(Near(w90->low, c["wilson90"][0]));
    EXPECT_TRUE(Near(w90->high, c["wilson90"][1]));
  }
}

TEST(StatsIntervalsTest, PoissonMatchesScipy) {
  const nlohmann::json data = LoadJson("intervals.json");
  for (const auto& c : data["poisson"]) {
    auto iv = PoissonCountInterval(c["x"].get<double>());
    ASSERT_TRUE(iv);
    EXPECT_TRUE(Near(iv->low, c["low"])) << c["x"];
    EXPECT_TRUE(Near(iv->high, c["high"])) << c["x"];
  }
  for (const auto& c : data["rate"]) {
    auto iv = PoissonRateInterval(c["x"], c["population"], c["per"]);
    ASSERT_TRUE(iv);
    EXPECT_TRUE(Near(iv->low, c["low"]));
    EXPECT_TRUE(Near(iv->high, c["high"]));
  }
}

// The quantiles are remembered per thread (distributions.cc): asked again,
// after the same degrees of freedom were asked at another confidence, each
// limit is still scipy's, and still its own confidence's.
TEST(StatsIntervalsTest, RememberedQuantilesAreTheirArgumentsOwn) {
  const nlohmann::json data = LoadJson("intervals.json");
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass);
    for (const auto& c : data["poisson"]) {
      const double x = c["x"].get<double>();
      auto iv = PoissonCountInterval(x);
      auto iv90 = PoissonCountInterval(x, 0.90);
      ASSERT_TRUE(iv && iv90);
      EXPECT_TRUE(Near(iv->low, c["low"])) << x;
      EXPECT_TRUE(Near(iv->high, c["high"])) << x;
      if (x > 0) {
        EXPECT_LT(iv->low, iv90->low) << x;
      }
      EXPECT_GT(iv->high, iv90->high) << x;
    }
    for (const auto& c : data["mean"]) {
      const std::vector<double> values = c["values"];
      auto iv = MeanInterval(values);
      auto iv90 = MeanInterval(values, 0.90);
      ASSERT_TRUE(iv && iv90);
      EXPECT_TRUE(Near(iv->low, c["low"]));
      EXPECT_TRUE(Near(iv->high, c["high"]));
      EXPECT_LE(iv->low, iv90->low);  // equal when the values are
      EXPECT_GE(iv->high, iv90->high);
    }
  }
}

TEST(StatsIntervalsTest, MeansMatchScipy) {
  const nlohmann::json data = LoadJson("intervals.json");
  for (const auto& c : data["mean"]) {
    const std::vector<double> values = c["values"];
    auto iv = MeanInterval(values);
    ASSERT_TRUE(iv);
    EXPECT_TRUE(Near(iv->low, c["low"]));
    EXPECT_TRUE(Near(iv->high, c["high"]));
  }
}

TEST(StatsIntervalsTest, EdgeCases) {
  // n = 0: no interval, for every method.
  EXPECT_FALSE(WilsonInterval(0, 0));
  EXPECT_FALSE(ClopperPearsonInterval(0, 0));
  EXPECT_FALSE(PoissonRateInterval(3, 0));
  // Impossible or missing inputs: no interval rather than NaN.
  EXPECT_FALSE(WilsonInterval(5, 4));
  EXPECT_FALSE(WilsonInterval(-1, 4));
  EXPECT_FALSE(WilsonInterval(NAN, 4));
  EXPECT_FALSE(ClopperPearsonInterval(1, NAN));
  EXPECT_FALSE(PoissonCountInterval(NAN));
  EXPECT_FALSE(PoissonCountInterval(-2));
  EXPECT_FALSE(WilsonInterval(1, 4, 1.0));
  // x = 0 and x = n are exact at the bound.
  EXPECT_EQ(WilsonInterval(0, 20)->low, 0.0);
  EXPECT_EQ(WilsonInterval(20, 20)->high, 1.0);
  EXPECT_EQ(ClopperPearsonInterval(0, 20)->low, 0.0);
  EXPECT_EQ(ClopperPearsonInterval(20, 20)->high, 1.0);
  EXPECT_EQ(PoissonCountInterval(0)->low, 0.0);
  // Clopper-Pearson at x = 0 by hand: high = 1 - 0.025^(1/n).
  EXPECT_TRUE(Near(ClopperPearsonInterval(0, 20)->high, 1.0 - std::pow(0.025, 1.0 / 20.0)));
  // Poisson x = 0 by hand: high = χ²⁻¹(0.975; 2)/2 = -ln(0.025).
  EXPECT_TRUE(Near(PoissonCountInterval(0)->high, -std::log(0.025)));
  // Means: n = 1 has no spread; NaNs are skipped; all-equal values give a
  // zero-width interval.
  EXPECT_FALSE(MeanInterval(std::vector<double>{4.0}));
  EXPECT_FALSE(MeanInterval(std::vector<double>{}));
  auto skip = MeanInterval(std::vector<double>{1.0, NAN, 2.0});
  auto plain = MeanInterval(std::vector<double>{1.0, 2.0});
  ASSERT_TRUE(skip && plain);
  EXPECT_EQ(skip->low, plain->low);
  auto flat = MeanInterval(std::vector<double>{3.0, 3.0, 3.0});
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->low, 3.0);
  EXPECT_EQ(flat->high, 3.0);
  EXPECT_EQ(ProportionInterval(3, 10, ProportionMethod::kClopperPearson)->low,
            ClopperPearsonInterval(3, 10)->low);
}

}  // namespace
}  // namespace goldthread::stats
