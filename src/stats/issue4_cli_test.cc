// End-to-end tests of `goldthread spc` and `goldthread funnel` (issue 4):
// they run the built binary and check exit codes, exact error messages and
// the JSON of shared/DESIGN.md section 10.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "core/test_cli.h"
#include "stats/stats_test_util.h"

namespace goldthread::stats {
namespace {

namespace fs = std::filesystem;

using CliRun = test::Outcome;
using test::Slurp;

class StatsIssue4CliTest : public ::testing::Test {
 protected:
  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  CliRun Goldthread(const std::string& args) { return test::RunGoldthread(args, scratch_.path()); }

  test::TestDir scratch_{"gt_issue4"};  // per test and process, removed after it
  const fs::path dir_ = scratch_.path();
};

constexpr char kSeries[] =
    "x,y\n2024-01,10\n2024-02,11\n2024-03,9\n2024-04,10\n2024-05,12\n2024-06,9\n2024-07,11\n2024-08,10\n"
    "2024-09,9\n2024-10,11\n2024-11,10\n2024-12,12\n2025-01,13\n2025-02,12\n2025-03,11\n2025-04,13\n"
    "2025-05,12\n2025-06,13\n2025-07,12\n2025-08,11\n2025-09,12\n2025-10,9\n2025-11,10\n2025-12,11\n";

TEST_F(StatsIssue4CliTest, SpcJsonHasTheDesignShape) {
  const fs::path csv = Write("series.csv", kSeries);
  const fs::path json = dir_ / "out.json";
  CliRun r = Goldthread("spc " + csv.string() + " --json " + json.string() + " --target 8");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const nlohmann::json doc = nlohmann::json::parse(Slurp(json));
  ASSERT_EQ(doc["points"].size(), 24u);
  const std::set<std::string> keys = {"x", "y", "mean", "lpl", "upl", "near_lpl", "near_upl", "point_type"};
  for (const auto& p : doc["points"]) {
    std::set<std::string> got;
    for (auto it = p.begin(); it != p.end(); ++it) got.insert(it.key());
    EXPECT_EQ(got, keys);
  }
  EXPECT_EQ(doc["points"][0]["x"], "2024-01");
  EXPECT_EQ(doc["points"][0]["y"], 10.0);
  // The same series as spc.json case "shift_up": points 12-21 are a shift
  // above the mean.
  EXPECT_EQ(doc["points"][0]["point_type"], "common_cause");
  EXPECT_EQ(doc["points"][12]["point_type"], "improvement");
  EXPECT_EQ(doc["variation"], "common_cause");
  EXPECT_EQ(doc["assurance"], "inconsistent");
  const nlohmann::json expected = testing::LoadJson("spc.json")[0];
  ASSERT_EQ(expected["name"], "shift_up");
  for (size_t i = 0; i < 24; ++i) {
    EXPECT_TRUE(testing::Near(doc["points"][i]["upl"], expected["points"][i]["upl"]));
    EXPECT_EQ(doc["points"][i]["point_type"], expected["points"][i]["point_type"]);
  }
  // Without a target there is no assurance; polarity down flips the types.
  r = Goldthread("spc " + csv.string() + " --polarity down --json -");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json down = nlohmann::json::parse(r.out);
  EXPECT_TRUE(down["assurance"].is_null());
  EXPECT_EQ(down["points"][12]["point_type"], "concern");
}

TEST_F(StatsIssue4CliTest, SpcTableSvgAndOptions) {
  const fs::path csv = Write("series.csv", kSeries);
  const fs::path svg = dir_ / "chart.svg";
  CliRun r = Goldthread("spc " + csv.string() + " --baseline 12 --rebase-at 2025-06 --run-length 6 "
                     "--two-in-three 2023 --no-screen --svg " + svg.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("variation: "), std::string::npos);
  EXPECT_NE(r.out.find("2025-06"), std::string::npos);
  EXPECT_EQ(Slurp(svg).rfind("<svg", 0), 0u);
  // p-chart input with a missing y gives nulls in JSON.
  const fs::path p = Write("p.csv", "x,numerator,denominator\n1,3,10\n2,0,0\n3,5,12\n");
  r = Goldthread("spc " + p.string() + " --json -");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["points"][0]["x"], 1.0);  // numeric x stays a number
  EXPECT_TRUE(doc["points"][1]["y"].is_null());
  EXPECT_TRUE(doc["points"][1]["point_type"].is_null());
  EXPECT_TRUE(doc["trial_limits"].get<bool>());
}

TEST_F(StatsIssue4CliTest, SpcBadInputAndUsage) {
  const fs::path bad = Write("bad.csv", "x,y\n2024-01,1\n2024-02,abc\n");
  CliRun r = Goldthread("spc " + bad.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, bad.string() + ":3: y: 'abc' is not a number (expected a number, or empty when missing)\n");
  EXPECT_EQ(r.out, "");
  r = Goldthread("spc " + (dir_ / "missing.csv").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "cannot open '" + (dir_ / "missing.csv").string() + "': No such file or directory\n");
  const fs::path csv = Write("series.csv", kSeries);
  r = Goldthread("spc " + csv.string() + " --run-length 5");
  EXPECT_EQ(r.code, 2);
  r = Goldthread("spc " + csv.string() + " --polarity sideways");
  EXPECT_EQ(r.code, 2);
  r = Goldthread("spc " + csv.string() + " --two-in-three 2019");
  EXPECT_EQ(r.code, 2);
  r = Goldthread("spc");
  EXPECT_EQ(r.code, 2);
  r = Goldthread("spc " + csv.string() + " --rebase-at 2030-01");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "goldthread spc: --rebase-at 2030-01: no point in " + csv.string() + " has x = 2030-01\n");
  r = Goldthread("spc " + csv.string() + " --baseline 1");
  EXPECT_EQ(r.code, 2);
  // A p-chart's target is a proportion; 85 is a percentage given by mistake.
  const fs::path p = Write("p.csv", "x,numerator,denominator\n2024-01,8,10\n2024-02,9,10\n");
  r = Goldthread("spc " + p.string() + " --target 85");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "goldthread spc: --target 85 is not a proportion: a p-chart's target is from 0 to 1 (for 85% give 0.85)\n");
  r = Goldthread("spc " + p.string() + " --target -0.1");
  EXPECT_EQ(r.err, "goldthread spc: --target -0.1 is not a proportion: a p-chart's target is from 0 to 1\n");
}

TEST_F(StatsIssue4CliTest, FunnelOnAscofMatchesReference) {
  const nlohmann::json cases = testing::LoadJson("ascof_funnel.json");
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const std::string adjust = c["adjust"];
    const std::string flags = " --adjust " + adjust + (c["exact"].get<bool>() ? " --exact" : "");
    CliRun r = Goldthread("funnel " + testing::DataPath(c["file"]) + flags + " --json -");
    ASSERT_EQ(r.code, 0) << r.err;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    EXPECT_TRUE(testing::Near(doc["target"], c["target"]));
    EXPECT_TRUE(testing::Near(doc["phi"], c["phi"]));
    EXPECT_TRUE(testing::Near(doc["tau2"], c["tau2"]));
    ASSERT_EQ(doc["units"].size(), c["units"].size());
    for (size_t i = 0; i < doc["units"].size(); ++i) {
      const auto& u = doc["units"][i];
      const auto& e = c["units"][i];
      EXPECT_EQ(u["unit"], e["unit"]);
      EXPECT_EQ(u["outlier"], e["outlier"]) << e["unit"];
      EXPECT_EQ(u["lower95"].is_null(), e["lower95"].is_null());
      if (!e["lower95"].is_null()) {
        EXPECT_TRUE(testing::Near(u["lower95"], e["lower95"]));
        EXPECT_TRUE(testing::Near(u["upper998"], e["upper998"]));
        EXPECT_TRUE(testing::Near(u["z"], e["z"]));
      }
    }
  }
}

TEST_F(StatsIssue4CliTest, FunnelTableSvgBadInputAndUsage) {
  const fs::path csv = Write("u.csv", "unit,numerator,denominator\nA,45,60\nB,120,150\nC,12,20\nD,0,0\n");
  const fs::path svg = dir_ / "f.svg";
  CliRun r = Goldthread("funnel " + csv.string() + " --svg " + svg.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("target 0.76957, phi 0.82691", 0), 0u) << r.out;
  EXPECT_EQ(Slurp(svg).rfind("<svg", 0), 0u);
  r = Goldthread("funnel " + csv.string() + " --type ratio --exact");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "goldthread funnel: --exact applies to --type proportion only (ratio limits are exact Poisson)\n");
  r = Goldthread("funnel " + csv.string() + " --adjust both");
  EXPECT_EQ(r.code, 2);
  const fs::path bad = Write("bad.csv", "unit,numerator,denominator\nA,5,4\n");
  r = Goldthread("funnel " + bad.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, bad.string() + ":2: numerator: 5 exceeds the denominator 4 (expected numerator <= denominator)\n");
  // Ratios may exceed 1.
  r = Goldthread("funnel " + bad.string() + " --type ratio --json -");
  EXPECT_EQ(r.code, 0) << r.err;
  const fs::path none = Write("none.csv", "unit,numerator,denominator\nA,0,0\n");
  r = Goldthread("funnel " + none.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, none.string() + ": funnel: no unit has a positive denominator\n");
}

}  // namespace
}  // namespace goldthread::stats
