#include "stats/funnel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "stats/series_csv.h"
#include "stats/stats_test_util.h"

namespace goldthread::stats {
namespace {

using testing::LoadJson;
using testing::Near;
using testing::NearOrNull;
using testing::NumberOrNaN;

FunnelOptions OptionsFrom(const nlohmann::json& c) {
  FunnelOptions o;
  o.type = c["type"] == "ratio" ? FunnelType::kRatio : FunnelType::kProportion;
  o.adjust = c["adjust"] == "none" ? FunnelAdjust::kNone
             : c["adjust"] == "phi" ? FunnelAdjust::kPhi
                                    : FunnelAdjust::kTau2;
  o.exact = c["exact"];
  o.outliers_at_998 = c["outliers_at_998"];
  return o;
}

void ExpectMatches(const FunnelResult& r, const nlohmann::json& c) {
  EXPECT_TRUE(Near(r.model.target, c["target"]));
  EXPECT_TRUE(Near(r.model.phi, c["phi"]));
  EXPECT_TRUE(Near(r.model.tau2, c["tau2"]));
  EXPECT_EQ(r.model.adjusted, c["adjusted"].get<bool>());
  ASSERT_EQ(r.units.size(), c["units"].size());
  for (size_t i = 0; i < r.units.size(); ++i) {
    const FunnelUnit& u = r.units[i];
    const nlohmann::json& e = c["units"][i];
    SCOPED_TRACE(e["unit"].get<std::string>());
    EXPECT_TRUE(NearOrNull(u.value, e["value"]));
    EXPECT_TRUE(NearOrNull(u.z, e["z"]));
    if (e["lower95"].is_null()) {
      EXPECT_FALSE(u.limits);
      EXPECT_FALSE(u.outlier);
      continue;
    }
    ASSERT_TRUE(u.limits);
    EXPECT_TRUE(Near(u.limits->lower95, e["lower95"]));
    EXPECT_TRUE(Near(u.limits->upper95, e["upper95"]));
    EXPECT_TRUE(Near(u.limits->lower998, e["lower998"]));
    EXPECT_TRUE(Near(u.limits->upper998, e["upper998"]));
    ASSERT_TRUE(u.outlier);
    const std::string expected = e["outlier"].is_null() ? "none" : e["outlier"].get<std::string>();
    EXPECT_EQ(OutlierName(*u.outlier), expected);
  }
}

// tests/data/stats/funnel.json: FunnelPlotR transcribed in generate.py.
TEST(StatsFunnelTest, MatchesFunnelPlotRTranscription) {
  const nlohmann::json cases = LoadJson("funnel.json");
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    std::vector<double> num, den;
    for (const auto& u : c["units"]) {
      num.push_back(NumberOrNaN(u["numerator"]));
      den.push_back(NumberOrNaN(u["denominator"]));
    }
    Result<FunnelResult> r = FunnelPlot(num, den, OptionsFrom(c));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ExpectMatches(*r, c);
  }
}

// Real data: ASCOF 2020-21 measures 1C1A (self-directed support) and 2B1
// (still at home 91 days after reablement) across the 151 councils, read
// from the extracted CSVs through the same reader the CLI uses.
TEST(StatsFunnelTest, AscofCouncilsMatchReference) {
  const nlohmann::json cases = LoadJson("ascof_funnel.json");
  ASSERT_EQ(cases.size(), 6u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    Result<FunnelData> data = ReadFunnelCsv(testing::DataPath(c["file"]), true);
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    Result<FunnelResult> r = FunnelPlot(data->numerators, data->denominators, OptionsFrom(c));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ExpectMatches(*r, c);
  }
  // The figures shared/DESIGN.md section 10 quotes for 1C1A.
  EXPECT_NEAR(cases[0]["phi"].get<double>(), 372.1, 0.05);
  EXPECT_NEAR(cases[0]["tau2"].get<double>(), 0.0318, 0.00005);
}

// R: quantile(c(1, 2, 3, 4, 10), c(0.1, 0.9)) = 1.4, 7.6;
// quantile(c(5), 0.1) = 5; quantile(c(-1, 1), 0.25) = -0.5.
TEST(StatsFunnelTest, QuantileType7ByHand) {
  const std::vector<double> a = {1, 2, 3, 4, 10};
  EXPECT_TRUE(Near(QuantileType7(a, 0.1), 1.4));
  EXPECT_TRUE(Near(QuantileType7(a, 0.9), 7.6));
  EXPECT_EQ(QuantileType7(std::vector<double>{5}, 0.1), 5.0);
  EXPECT_TRUE(Near(QuantileType7(std::vector<double>{-1, 1}, 0.25), -0.5));
}

// One unit: φ = z², τ² = 0 (R would give Inf), limits unadjusted.
// All units at the target: z = 0, φ = 0, no adjustment.
TEST(StatsFunnelTest, EdgeCases) {
  Result<FunnelResult> one = FunnelPlot(std::vector<double>{3}, std::vector<double>{10}, FunnelOptions{});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->model.tau2, 0.0);
  EXPECT_FALSE(one->model.adjusted);
  EXPECT_EQ(*one->units[0].z, 0.0);
  Result<FunnelResult> flat =
      FunnelPlot(std::vector<double>{5, 10, 20}, std::vector<double>{10, 20, 40}, FunnelOptions{});
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->model.phi, 0.0);
  EXPECT_EQ(*flat->units[2].outlier, Outlier::kNone);
  // Limits stay within [0, 1] at tiny denominators (the arcsine clip).
  const FunnelLimits l = LimitsAt(flat->model, 1.0);
  EXPECT_EQ(l.lower998, 0.0);
  EXPECT_EQ(l.upper998, 1.0);
  // Ratios: O = 0 has no finite z; it is still an outlier candidate.
  FunnelOptions ratio;
  ratio.type = FunnelType::kRatio;
  Result<FunnelResult> zero = FunnelPlot(std::vector<double>{0, 5}, std::vector<double>{8, 5}, ratio);
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(zero->units[0].z);
  EXPECT_EQ(*zero->units[0].outlier, Outlier::kLow);
}

TEST(StatsFunnelTest, RejectsBadInput) {
  const FunnelOptions o;
  EXPECT_EQ(FunnelPlot(std::vector<double>{1}, std::vector<double>{}, o).status().message(),
            "funnel: 1 numerators but 0 denominators");
  EXPECT_EQ(FunnelPlot(std::vector<double>{1}, std::vector<double>{0}, o).status().message(),
            "funnel: no unit has a positive denominator");
  EXPECT_EQ(FunnelPlot(std::vector<double>{5, 1}, std::vector<double>{4, 2}, o).status().message(),
            "funnel unit 1: numerator exceeds denominator");
  EXPECT_EQ(FunnelPlot(std::vector<double>{-1}, std::vector<double>{4}, o).status().message(),
            "funnel unit 1: negative count");
}

}  // namespace
}  // namespace goldthread::stats
