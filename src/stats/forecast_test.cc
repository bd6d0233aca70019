#include "stats/forecast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "stats/stats_test_util.h"

namespace goldthread::stats {
namespace {

using testing::LoadJson;
using testing::Near;

// tests/data/stats/forecast.json: statsmodels OLS prediction intervals
// (summary_frame obs_ci_lower / obs_ci_upper at alpha 0.2 and 0.05).
TEST(StatsForecastTest, MatchesStatsmodels) {
  for (const auto& c : LoadJson("forecast.json")) {
    std::vector<double> y;
    for (const auto& v : c["y"]) y.push_back(testing::NumberOrNaN(v));
    ForecastOptions o;
    o.window = c["window"];
    o.horizon = c["horizon"];
    o.percent = c["percent"];
    Result<Forecast> f = BaselineForecast(y, o);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_TRUE(Near(f->intercept, c["intercept"]));
    EXPECT_TRUE(Near(f->slope, c["slope"]));
    ASSERT_EQ(f->points.size(), c["points"].size());
    for (size_t h = 0; h < f->points.size(); ++h) {
      const auto& e = c["points"][h];
      const ForecastPoint& p = f->points[h];
      EXPECT_EQ(p.position, e["position"].get<double>());
      EXPECT_TRUE(Near(p.fit, e["fit"]));
      EXPECT_TRUE(Near(p.pi80.low, e["pi80"][0]));
      EXPECT_TRUE(Near(p.pi80.high, e["pi80"][1]));
      EXPECT_TRUE(Near(p.pi95.low, e["pi95"][0]));
      EXPECT_TRUE(Near(p.pi95.high, e["pi95"][1]));
      if (o.percent) {
        EXPECT_GE(p.pi95.low, 0.0);
        EXPECT_LE(p.pi95.high, 100.0);
      }
    }
  }
}

// By hand: y = 1, 2, 3 lies on a line, so s = 0 and the intervals collapse
// onto the forecast 4, 5.
TEST(StatsForecastTest, ExactLineByHand) {
  ForecastOptions o;
  o.horizon = 2;
  Result<Forecast> f = BaselineForecast(std::vector<double>{1, 2, 3}, o);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(Near(f->points[0].fit, 4.0));
  EXPECT_TRUE(Near(f->points[1].fit, 5.0));
  EXPECT_TRUE(Near(f->points[1].pi95.low, 5.0));
  EXPECT_EQ(f->residual_sd, 0.0);
}

TEST(StatsForecastTest, RejectsTooFewPoints) {
  EXPECT_EQ(BaselineForecast(std::vector<double>{1, NAN, 2}, ForecastOptions{}).status().message(),
            "forecast needs at least 3 points, got 2");
  EXPECT_EQ(BaselineForecast(std::vector<double>{}, ForecastOptions{}).status().message(),
            "forecast needs at least 3 points, got 0");
  ForecastOptions o;
  o.window = 2;
  EXPECT_EQ(BaselineForecast(std::vector<double>{1, 2, 3}, o).status().message(),
            "forecast window must be at least 3 points");
  o = ForecastOptions{};
  o.percent = true;
  EXPECT_FALSE(BaselineForecast(std::vector<double>{1, 2, 130}, o).ok());
}

}  // namespace
}  // namespace goldthread::stats
