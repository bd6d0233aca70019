#include "stats/spc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "stats/stats_test_util.h"

namespace goldthread::stats {
namespace {

using testing::LoadJson;
using testing::NearOrNull;
using testing::NumberOrNaN;

SpcOptions OptionsFrom(const nlohmann::json& j) {
  SpcOptions o;
  EXPECT_TRUE(TryParsePolarity(j["polarity"].get<std::string>(), o.polarity));
  if (!j["target"].is_null()) o.target = j["target"].get<double>();
  o.baseline = j["baseline"].get<size_t>();
  for (const auto& r : j["rebase_at"]) o.rebase_at.push_back(r.get<size_t>());
  o.run_length = j["run_length"];
  o.two_in_three = j["two_in_three"] == "2023" ? TwoInThree::k2023 : TwoInThree::kReference;
  o.screen = j["screen"];
  return o;
}

std::vector<double> Numbers(const nlohmann::json& j) {
  std::vector<double> out;
  for (const auto& v : j) out.push_back(NumberOrNaN(v));
  return out;
}

// Every case of tests/data/stats/spc.json: expected values from the
// line-by-line Python transcription of NHSRplotthedots in generate.py.
// Limits to 1e-6 relative, classifications exactly.
TEST(StatsSpcTest, MatchesNhsrPlotTheDotsTranscription) {
  const nlohmann::json cases = LoadJson("spc.json");
  ASSERT_GE(cases.size(), 20u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const SpcOptions options = OptionsFrom(c["options"]);
    Result<SpcResult> r = c["chart"] == "p" ? PChart(Numbers(c["num"]), Numbers(c["den"]), options)
                                            : XmrChart(Numbers(c["y"]), options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->points.size(), c["points"].size());
    for (size_t i = 0; i < r->points.size(); ++i) {
      SCOPED_TRACE("point " + std::to_string(i + 1));
      const SpcPoint& p = r->points[i];
      const nlohmann::json& e = c["points"][i];
      EXPECT_EQ(p.missing, e["y"].is_null());
      if (!p.missing) {
        EXPECT_TRUE(testing::Near(p.y, e["y"]));
      }
      EXPECT_TRUE(NearOrNull(p.mean, e["mean"]));
      EXPECT_TRUE(NearOrNull(p.lpl, e["lpl"]));
      EXPECT_TRUE(NearOrNull(p.upl, e["upl"]));
      EXPECT_TRUE(NearOrNull(p.near_lpl, e["near_lpl"]));
      EXPECT_TRUE(NearOrNull(p.near_upl, e["near_upl"]));
      if (e["point_type"].is_null()) {
        EXPECT_FALSE(p.point_type);
      } else {
        ASSERT_TRUE(p.point_type);
        EXPECT_EQ(PointTypeName(*p.point_type), e["point_type"].get<std::string>());
        EXPECT_EQ(SpecialCauseName(p.rule), e["rule"].get<std::string>());
        EXPECT_EQ(p.trial_limits, e["trial_limits"].get<bool>());
      }
    }
    if (c["variation"].is_null()) {
      EXPECT_FALSE(r->variation);
    } else {
      ASSERT_TRUE(r->variation);
      EXPECT_EQ(PointTypeName(*r->variation), c["variation"].get<std::string>());
    }
    if (c["assurance"].is_null()) {
      EXPECT_FALSE(r->assurance);
    } else {
      ASSERT_TRUE(r->assurance);
      EXPECT_EQ(AssuranceName(*r->assurance), c["assurance"].get<std::string>());
    }
  }
}

// Worked by hand from STATISTICS.md section 2, y = 1, 3, 2, 4, 3:
// mean = 13/5 = 2.6; MR = 2, 1, 2, 1, AMR = 1.5; screening keeps all
// (threshold 4.9005); UPL = 2.6 + 2.66·1.5 = 6.59, LPL = -1.39;
// near = 2.6 ± 1.7733…·1.5 = 2.6 ± 2.66.
TEST(StatsSpcTest, XmrLimitsByHand) {
  Result<SpcResult> r = XmrChart(std::vector<double>{1, 3, 2, 4, 3}, SpcOptions{});
  ASSERT_TRUE(r.ok());
  const SpcPoint& p = r->points[0];
  EXPECT_TRUE(testing::Near(*p.mean, 2.6));
  EXPECT_TRUE(testing::Near(*p.upl, 6.59));
  EXPECT_TRUE(testing::Near(*p.lpl, -1.39));
  EXPECT_TRUE(testing::Near(*p.near_upl, 5.26));
  EXPECT_TRUE(testing::Near(*p.near_lpl, -0.06));
  EXPECT_TRUE(p.trial_limits);  // 5 points < 13
  EXPECT_EQ(*r->variation, PointType::kCommonCause);
  EXPECT_FALSE(r->assurance);  // no target
}

// p-chart by hand: x = 10, 20 of n = 100, 100: p̄ = 0.15;
// σ = sqrt(0.15·0.85/100) = 0.0357071; UPL = 0.2571214, LPL = 0.0428786.
TEST(StatsSpcTest, PChartLimitsByHand) {
  Result<SpcResult> r = PChart(std::vector<double>{10, 20}, std::vector<double>{100, 100}, SpcOptions{});
  ASSERT_TRUE(r.ok());
  const double sigma = std::sqrt(0.15 * 0.85 / 100.0);
  EXPECT_TRUE(testing::Near(*r->points[0].upl, 0.15 + 3 * sigma));
  EXPECT_TRUE(testing::Near(*r->points[1].lpl, 0.15 - 3 * sigma));
  EXPECT_TRUE(testing::Near(*r->points[1].near_upl, 0.15 + 2 * sigma));
}

TEST(StatsSpcTest, EmptyAndAllMissing) {
  Result<SpcResult> empty = XmrChart(std::vector<double>{}, SpcOptions{});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->points.empty());
  EXPECT_FALSE(empty->variation);
  SpcOptions with_target;
  with_target.target = 3.0;
  Result<SpcResult> missing = XmrChart(std::vector<double>{NAN, NAN}, with_target);
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->points[0].missing);
  EXPECT_FALSE(missing->points[0].mean);
  EXPECT_FALSE(missing->variation);
  EXPECT_FALSE(missing->assurance);
}

TEST(StatsSpcTest, RejectsBadOptionsAndInputs) {
  SpcOptions o;
  o.run_length = 8;
  EXPECT_EQ(XmrChart(std::vector<double>{1, 2}, o).status().message(), "run length must be 6 or 7, got 8");
  o = SpcOptions{};
  o.baseline = 1;
  EXPECT_EQ(XmrChart(std::vector<double>{1, 2}, o).status().message(),
            "a baseline needs at least 2 points, got 1");
  EXPECT_EQ(PChart(std::vector<double>{1}, std::vector<double>{1, 2}, SpcOptions{}).status().message(),
            "p-chart: 1 numerators but 2 denominators");
  EXPECT_EQ(PChart(std::vector<double>{1, 5}, std::vector<double>{2, 4}, SpcOptions{}).status().message(),
            "p-chart point 2: need 0 <= numerator <= denominator");
}

TEST(StatsSpcTest, Names) {
  Polarity p;
  EXPECT_TRUE(TryParsePolarity("down", p));
  EXPECT_EQ(p, Polarity::kDown);
  EXPECT_FALSE(TryParsePolarity("sideways", p));
  EXPECT_EQ(PointTypeName(PointType::kNeutralLow), "neutral_low");
  EXPECT_EQ(AssuranceName(Assurance::kConsistentFail), "consistent_fail");
}

// The assurance rule on its own (STATISTICS.md section 2): a target above
// the last point's UPL fails an up-is-better measure every period and
// passes a down-is-better one; below the LPL the reverse; on a limit or
// between the limits, or with undefined limits, "inconsistent".
TEST(StatsSpcTest, AssuranceForATargetAgainstTheLastPoint) {
  SpcPoint last;
  last.lpl = 40.0;
  last.upl = 60.0;
  struct Case {
    double target;
    Polarity polarity;
    std::optional<Assurance> expected;
  } cases[] = {
      {61.0, Polarity::kUp, Assurance::kConsistentFail},  {61.0, Polarity::kDown, Assurance::kConsistentPass},
      {39.0, Polarity::kUp, Assurance::kConsistentPass},  {39.0, Polarity::kDown, Assurance::kConsistentFail},
      {60.0, Polarity::kUp, Assurance::kInconsistent},    {40.0, Polarity::kDown, Assurance::kInconsistent},
      {50.0, Polarity::kUp, Assurance::kInconsistent},    {50.0, Polarity::kNeutral, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    EXPECT_EQ(AssuranceFor(last, c.target, c.polarity), c.expected);
  }
  EXPECT_EQ(AssuranceFor(last, std::nullopt, Polarity::kUp), std::nullopt);
  EXPECT_EQ(AssuranceFor(SpcPoint{}, 99.0, Polarity::kUp), Assurance::kInconsistent);  // no limits
  // The same rule as the charts': XmR of 10, 12, 10, 12, ... has UPL 16.32.
  std::vector<double> y;
  for (int i = 0; i < 8; ++i) y.push_back(i % 2 ? 12.0 : 10.0);
  SpcOptions o;
  o.target = 17.0;
  auto chart = XmrChart(y, o);
  ASSERT_TRUE(chart.ok());
  EXPECT_EQ(chart->assurance, Assurance::kConsistentFail);
  EXPECT_EQ(AssuranceFor(chart->points.back(), 17.0, Polarity::kUp), chart->assurance);
}

}  // namespace
}  // namespace goldthread::stats
