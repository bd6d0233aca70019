#include "integrity/bunching.h"

#include <gtest/gtest.h>

#include <cmath>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

double Smooth(int d) { return std::round(3.0 + 2.0 * std::sin(d / 10.0)); }

TEST(IntegrityBunchingTest, SmoothCountsShowNoExcess) {
  std::vector<double> counts;
  for (int d = 0; d <= 56; ++d) counts.push_back(10.0 + 0.2 * d);  // a straight line: fitted exactly
  auto est = EstimateBunching(counts, 28, 3, 5, 100, 1);
  ASSERT_TRUE(est.ok()) << est.status().ToString();
  EXPECT_NEAR(est->excess, 0.0, 1e-6);
  EXPECT_NEAR(est->ratio, 0.0, 1e-6);
  EXPECT_NEAR(est->missing_mass, 0.0, 1e-6);
}

TEST(IntegrityBunchingTest, ExcessInsideAndMissingMassAfter) {
  std::vector<double> counts;
  for (int d = 0; d <= 56; ++d) counts.push_back(10.0 + 0.2 * d);
  counts[27] += 12;
  counts[28] += 18;
  counts[29] -= 6;
  auto est = EstimateBunching(counts, 28, 3, 5, 200, 7);
  ASSERT_TRUE(est.ok());
  EXPECT_NEAR(est->excess, 30.0, 1e-6);
  EXPECT_NEAR(est->missing_mass, 6.0, 1e-6);
  // Mean counterfactual over days 25..28 is 10 + 0.2 * 26.5 = 15.3.
  EXPECT_NEAR(est->ratio, 30.0 / 15.3, 1e-6);
  EXPECT_GT(est->ci_low, 0.0);
  EXPECT_EQ(est->observed_in_window, 91);
}

TEST(IntegrityBunchingTest, RefusesAWindowOutsideTheCounts) {
  std::vector<double> counts(20, 1.0);
  auto est = EstimateBunching(counts, 28, 3, 5, 0, 1);
  ASSERT_FALSE(est.ok());
  EXPECT_EQ(est.status().message(), "bunching: threshold 28 + window 3 must lie inside the 20 days counted");
}

// Three teams with the same smooth durations; T2 also closes 25 extra
// assessments on days 26-28.
// With `peer_dip`, T1 and T3 have one case fewer on each of days 25-28:
// fewer inside the deadline than their smooth pattern, a negative ratio.
std::unique_ptr<Snapshot> BunchedCouncil(bool bunch, bool peer_dip = false) {
  testing::TestData data(3);
  int n = 0;
  for (int team = 1; team <= 3; ++team) {
    std::vector<int> durations;
    for (int d = 0; d <= 56; ++d)
      for (int k = peer_dip && team != 2 && d >= 25 && d <= 28 ? 1 : 0; k < Smooth(d); ++k) durations.push_back(d);
    if (bunch && team == 2)
      for (int k = 0; k < 25; ++k) durations.push_back(26 + k % 3);
    for (int d : durations) {
      std::string p = "P" + std::to_string(++n);
      data.Person(p);
      Date received = DateFromCivil(2023, 5, 1) + n % 30;
      std::string team_id = "T" + std::to_string(team);
      data.Request("R" + std::to_string(n), p, "", FormatDate(received), "", team_id);
      data.Assessment("A" + std::to_string(n), p, "R" + std::to_string(n), FormatDate(received + d), team_id,
                      FormatDate(received + d), team == 2 && d >= 26 && d <= 28 ? "u_bunch" : "u" + std::to_string(team));
    }
  }
  return data.Finish();
}

TEST(IntegrityBunchingTest, CheckFindsTheBunchedTeamOnly) {
  auto snap = BunchedCouncil(true);
  BunchingConfig config;
  auto findings = CheckDeadlineBunching(*snap, config, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "deadline_bunching");
  EXPECT_EQ(f.org_unit, "T2");
  EXPECT_EQ(f.period, "2023-24");
  EXPECT_EQ(f.indicators, std::vector<std::string>{"assessment-28d"});
  int64_t base = 0;
  for (int d = 25; d <= 28; ++d) base += static_cast<int64_t>(Smooth(d));
  EXPECT_EQ(f.evidence.records, base + 25);
  EXPECT_EQ(static_cast<int64_t>(f.evidence.record_ids.size()), base + 25);
  ASSERT_FALSE(f.evidence.users.empty());
  EXPECT_EQ(f.evidence.users[0].first, "u_bunch");
  EXPECT_GT(f.value, config.min_ratio);
  // T1 and T3 follow the smooth pattern but for rounding: a small ratio.
  double peer_ratio = 0.0;
  for (const auto& [name, v] : f.evidence.figures)
    if (name == "peer_ratio") peer_ratio = v;
  EXPECT_NEAR(peer_ratio, 0.0768, 1e-4);
  EXPECT_EQ(f.summary.substr(f.summary.rfind(" In the same year")),
            " In the same year the other teams together show a bunching ratio of 0.08.");
}

// Peers with fewer cases inside the deadline than their smooth pattern have
// a negative ratio: said in words ("no bunching"), not as a negative ratio.
TEST(IntegrityBunchingTest, PeersWithoutBunchingAreSaidInWords) {
  auto snap = BunchedCouncil(true, true);
  auto findings = CheckDeadlineBunching(*snap, BunchingConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  double peer_ratio = 0.0;
  for (const auto& [name, v] : f.evidence.figures)
    if (name == "peer_ratio") peer_ratio = v;
  EXPECT_LT(peer_ratio, 0.0);
  EXPECT_EQ(f.summary.substr(f.summary.rfind(" In the same year")),
            " In the same year the other teams show no bunching.");
  EXPECT_NE(f.threshold.find("exceeds the peers' ratio (the other teams show no bunching: taken as 0) by >= 2.00"),
            std::string::npos)
      << f.threshold;
}

TEST(IntegrityBunchingTest, CheckIsSilentOnSmoothTeams) {
  auto snap = BunchedCouncil(false);
  EXPECT_TRUE(CheckDeadlineBunching(*snap, BunchingConfig{}, CheckScope{}).empty());
}

TEST(IntegrityBunchingTest, CheckCanBeSwitchedOff) {
  auto snap = BunchedCouncil(true);
  BunchingConfig config;
  config.enabled = false;
  EXPECT_TRUE(CheckDeadlineBunching(*snap, config, CheckScope{}).empty());
}

}  // namespace
}  // namespace goldthread::integrity
