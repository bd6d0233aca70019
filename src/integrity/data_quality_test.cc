#include "integrity/data_quality.h"

#include <gtest/gtest.h>

#include <cmath>

#include "integrity/test_builder.h"

namespace goldthread::integrity {
namespace {

TEST(IntegrityBenfordTest, ConformingAndNot) {
  // 10^(k/1000) for k in [0, 3000): log-uniform, the Benford distribution.
  std::vector<double> good;
  for (int k = 0; k < 3000; ++k) good.push_back(std::pow(10.0, 2 + k / 1000.0));
  BenfordResult b = Benford(good);
  EXPECT_EQ(b.n, 3000);
  EXPECT_LT(b.mad, 0.006);
  EXPECT_TRUE(b.spans_magnitudes);
  EXPECT_STREQ(BenfordConformity(b.mad), "close");
  // Amounts all starting with 5: far from Benford.
  std::vector<double> bad(500, 5200.0);
  b = Benford(bad);
  EXPECT_NEAR(b.shares[4], 1.0, 1e-12);
  EXPECT_STREQ(BenfordConformity(b.mad), "nonconformity");
  EXPECT_FALSE(b.spans_magnitudes);
  EXPECT_EQ(Benford(std::vector<double>{0.0, -1.0, NAN}).n, 0);
}

// Four teams with 40 requests each; T4 leaves first_contact_on empty on
// `missing` of them.
std::unique_ptr<Snapshot> Requests(int missing) {
  testing::TestData data(4);
  int n = 0;
  for (int team = 1; team <= 4; ++team)
    for (int k = 0; k < 40; ++k) {
      std::string p = "P" + std::to_string(++n);
      data.Person(p);
      Date d = DateFromCivil(2023, 9, 1) + k;
      bool empty = team == 4 && k < missing;
      data.Request("R" + std::to_string(n), p, empty ? "" : FormatDate(d - 1), FormatDate(d), "",
                   "T" + std::to_string(team), FormatDate(d), "w");
    }
  return data.Finish();
}

TEST(IntegrityDataQualityTest, FindsAFieldATeamLeavesEmpty) {
  auto snap = Requests(16);
  auto findings = CheckDataQuality(*snap, DataQualityConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check, "data_quality");
  EXPECT_EQ(f.org_unit, "T4");
  EXPECT_EQ(f.period, "2023-24");
  EXPECT_EQ(f.statistic, "missing_share:requests.first_contact_on");
  EXPECT_EQ(f.evidence.records, 16);
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.summary,
            "16 of 40 (40.0%) requests records of this team leave first_contact_on empty (other teams: 0.0%), so "
            "assessment-28d is computed on incomplete data.");
}

TEST(IntegrityDataQualityTest, SilentOnCompleteData) {
  auto snap = Requests(0);
  EXPECT_TRUE(CheckDataQuality(*snap, DataQualityConfig{}, CheckScope{}).empty());
}

TEST(IntegrityDataQualityTest, FindsAssessmentsCompletedBeforeTheirRequest) {
  testing::TestData data(1);
  for (int k = 0; k < 10; ++k) {
    std::string p = "P" + std::to_string(k), r = "R" + std::to_string(k);
    data.Person(p);
    data.Request(r, p, "", "2023-06-10", "", "T1", "2023-06-10", "w");
    data.Assessment("A" + std::to_string(k), p, r, k < 6 ? "2023-06-01" : "2023-06-20", "T1",
                    k < 6 ? "2023-06-10" : "2023-06-20", "w");
  }
  auto snap = data.Finish();
  auto findings = CheckDataQuality(*snap, DataQualityConfig{}, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].statistic, "completed_before_request_share");
  EXPECT_EQ(findings[0].evidence.records, 6);
  EXPECT_DOUBLE_EQ(findings[0].value, 0.6);
}

}  // namespace
}  // namespace goldthread::integrity
