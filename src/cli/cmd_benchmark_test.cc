// goldthread benchmark check's funnel outliers over published data, run
// in-process on a small open-data file whose figures are worked by hand:
// a percentage measure is compared as a proportion, a rate per 100,000 as
// indirectly standardised ratios (shared/STATISTICS.md section 3).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "core/test_cli.h"

namespace goldthread::cli {
namespace {

namespace fs = std::filesystem;

// Twelve councils. 1C1A: 90 of 100 each (outcome 90.0), but E00000011 has
// 50 of 100. 2A2: 500 admissions per 100,000 residents each (outcome 500.0),
// but E00000011 has 100. 2X9: 5 per 1,000 (50 of 10,000 each, outcome
// 5.0), but E00000011 has 1 per 1,000. `odd_name`, when given, names E00000011.
std::string OpenDataFile(const std::string& odd_name = "") {
  std::ostringstream out;
  out << "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure Code,"
         "Disaggregation Level,Measure Type,Measure Value,Measure Group,Measure Group Description\n";
  for (int c = 0; c < 12; ++c) {
    const std::string ons = "E000000" + std::string(c < 10 ? "0" : "") + std::to_string(c);
    const bool odd = c == 11;
    const std::string name = odd && !odd_name.empty() ? odd_name : "Council " + std::to_string(c);
    auto row = [&](const char* measure, const char* type, double v) {
      out << c << "," << name << ",Council," << ons << "," << measure << ",Total," << type << "," << v << ","
          << measure << ",desc\n";
    };
    row("1C1A", "Numerator", odd ? 50 : 90);
    row("1C1A", "Denominator", 100);
    row("1C1A", "Outcome", odd ? 50.0 : 90.0);
    row("2A2", "Numerator", odd ? 100 : 500);
    row("2A2", "Denominator", 100000);
    row("2A2", "Outcome", odd ? 100.0 : 500.0);
    row("2X9", "Numerator", odd ? 10 : 50);
    row("2X9", "Denominator", 10000);
    row("2X9", "Outcome", odd ? 1.0 : 5.0);
  }
  return out.str();
}

TEST(BenchmarkCliTest, FunnelOutliersComparePercentagesAsProportionsAndRatesAsRatios) {
  const test::TestDir scratch("benchmark_cli");  // per test and process, removed after it
  const fs::path dir = scratch.path();
  const std::string csv = (dir / "ascof.csv").string(), db = (dir / "pub.db").string(),
                    json = (dir / "findings.json").string();
  std::ofstream(csv) << OpenDataFile();
  // benchmark import creates the store, as import does.
  ASSERT_EQ(CmdBenchmark({"import", db, csv, "--year", "2020-21"}), kExitOk);
  ASSERT_EQ(CmdBenchmark({"check", db, "--json", json}), kExitOk);
  std::ifstream in(json);
  const nlohmann::json j = nlohmann::json::parse(in);
  int outliers = 0;
  for (const nlohmann::json& f : j["findings"]) {
    if (f["check"] != "funnel_outlier") continue;
    ++outliers;
    EXPECT_EQ(f["org_unit"], "E00000011");
    EXPECT_EQ(f["period"], "2020-21");
    // Proportion: the pooled target is (11 x 90 + 50) / 1200 = 86.67%.
    if (f["indicator"] == "1C1A") {
      EXPECT_EQ(f["summary"],
                "Council 11's 1C1A of 50.0% lies below the 99.8% limits of all councils (overall 86.7%).");
    }
    // Rate: the pooled rate is (11 x 500 + 100) / 1,200,000 = 466.7 per
    // 100,000; E = 466.7 admissions for 100,000 residents, O = 100.
    if (f["indicator"] == "2A2") {
      EXPECT_EQ(f["summary"],
                "Council 11's 2A2 of 100.0 per 100,000 lies below the 99.8% limits of all councils (overall "
                "466.7).");
    }
    // A rate per 1,000, worded per 1,000 (it read "per 100,000" and, with
    // its outcome 1,000 times the ratio, was compared as a proportion):
    // pooled (11 x 50 + 10) / 120,000 = 4.7 per 1,000.
    if (f["indicator"] == "2X9") {
      EXPECT_EQ(
          f["summary"],
          "Council 11's 2X9 of 1.0 per 1,000 lies below the 99.8% limits of all councils (overall 4.7).");
    }
  }
  EXPECT_EQ(outliers, 3);
}

// A council's name is free text from the published file: the summary keeps
// it whole (it was cut at 300 bytes when formatted into a fixed buffer).
TEST(BenchmarkCliTest, SummaryKeepsALongCouncilNameWhole) {
  const test::TestDir scratch("benchmark_cli");  // per test and process, removed after it
  const fs::path dir = scratch.path();
  const std::string csv = (dir / "ascof.csv").string(), db = (dir / "pub.db").string(),
                    json = (dir / "findings.json").string();
  const std::string name = "The Royal Borough of " + std::string(400, 'K');
  std::ofstream(csv) << OpenDataFile(name);
  ASSERT_EQ(CmdBenchmark({"import", db, csv, "--year", "2020-21"}), kExitOk);
  ASSERT_EQ(CmdBenchmark({"check", db, "--json", json}), kExitOk);
  std::ifstream in(json);
  const nlohmann::json j = nlohmann::json::parse(in);
  std::vector<std::string> summaries;
  for (const nlohmann::json& f : j["findings"])
    if (f["check"] == "funnel_outlier" && f["indicator"] == "1C1A") summaries.push_back(f["summary"]);
  EXPECT_EQ(summaries, std::vector<std::string>{name + "'s 1C1A of 50.0% lies below the 99.8% limits of all "
                                                       "councils (overall 86.7%)."});
}

// Two years of 1C1A: every council at 90 of 100 both years but Council 11,
// which falls to 50 of 100 in 2020-21. Eleven of the twelve changes are 0, so the MAD is
// 0 and the scale 1.253314 x MeanAD (40 / 12); the fall is reported, in
// percent and points.
TEST(BenchmarkCliTest, AJumpAmongStillCouncilsIsReportedInPercent) {
  const test::TestDir scratch("benchmark_cli");  // per test and process, removed after it
  const fs::path dir = scratch.path();
  const std::string db = (dir / "pub.db").string(), json = (dir / "findings.json").string();
  for (const char* year : {"2019-20", "2020-21"}) {
    std::ostringstream out;
    out << "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure Code,"
           "Disaggregation Level,Measure Type,Measure Value,Measure Group,Measure Group Description\n";
    for (int c = 0; c < 12; ++c) {
      const bool falls = c == 11 && std::string(year) == "2020-21";
      for (const auto& [type, value] : {std::pair<const char*, int>{"Numerator", falls ? 50 : 90},
                                        {"Denominator", 100},
                                        {"Outcome", falls ? 50 : 90}})
        out << c << ",Council " << c << ",Council,E000000" << (c < 10 ? "0" : "") << c << ",1C1A,Total,"
            << type << "," << value << ",1C1A,desc\n";
    }
    const std::string csv = (dir / (std::string(year) + ".csv")).string();
    std::ofstream(csv) << out.str();
    ASSERT_EQ(CmdBenchmark({"import", db, csv, "--year", year}), kExitOk);
  }
  ASSERT_EQ(CmdBenchmark({"check", db, "--json", json}), kExitOk);
  std::ifstream in(json);
  const nlohmann::json j = nlohmann::json::parse(in);
  std::vector<nlohmann::json> jumps;
  for (const nlohmann::json& f : j["findings"])
    if (f["check"] == "implausible_jump") jumps.push_back(f);
  ASSERT_EQ(jumps.size(), 1u);
  const nlohmann::json& f = jumps[0];
  EXPECT_EQ(f["check"], "implausible_jump");
  EXPECT_EQ(f["org_unit"], "E00000011");
  EXPECT_EQ(f["period"], "2020-21");
  EXPECT_EQ(
      f["summary"],
      "Council 11: 1C1A moved from 90% to 50% (-40 points) between 2019-20 and 2020-21, while the middle of "
      "its peers moved by +0 points: a movement that needs explaining. Its own history is too short to judge "
      "it against (0 earlier change(s), 4 needed).");
}

}  // namespace
}  // namespace goldthread::cli
