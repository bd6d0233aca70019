#include "planning/added_value.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "planning/hub_test_builder.h"

namespace goldthread::planning {
namespace {

/// The two strata of stats/comparison_test.cc as hospital discharges in
/// 2025-26, each of a person with a carer:
///   85+, physical:         10 of 50 supported and 20 of 50 unsupported readmitted
///   65-74, memory:          5 of 20 supported and 15 of 30 unsupported readmitted
/// Supported: the carer's assessment 100 days before the discharge. Also
/// one person without a carer (left out) and one whose carer was assessed
/// 400 days before (not supported: outside the 365 days).
std::unique_ptr<Snapshot> Discharges() {
  testing::HubData d;
  int n = 0;
  auto add = [&](const std::string& birth, const std::string& psr, bool supported, bool readmitted,
                 int assessed_days_before = 100, bool carer = true) {
    ++n;
    std::string p = fmt::format("P{}", n), c = fmt::format("C{}", n);
    Date dis = DateFromCivil(2025, 6, 1) + n;  // all within the year, follow-up observed
    d.Person(p, "service_user", birth, "A1", psr);
    if (carer) {
      d.Person(c, "carer", "1960-01-01", "A1");
      d.Link(c, p, "2020-01-01");
      if (supported || assessed_days_before > 365)
        d.Assessment(fmt::format("A{}", n), c, "carer", FormatDate(dis - assessed_days_before));
    }
    d.Episode(fmt::format("E{}", n), p, FormatDate(dis - 5), FormatDate(dis), "Y", "home");
    if (readmitted) d.Episode(fmt::format("E{}r", n), p, FormatDate(dis + 10), "", "Y", "");
  };
  for (int i = 0; i < 50; ++i) add("1935-01-01", "physical", true, i < 10);
  for (int i = 0; i < 50; ++i) add("1935-01-01", "physical", false, i < 20);
  for (int i = 0; i < 20; ++i) add("1955-01-01", "memory_cognition", true, i < 5);
  for (int i = 0; i < 30; ++i) add("1955-01-01", "memory_cognition", false, i < 15);
  add("1935-01-01", "physical", false, true, 100, /*carer=*/false);
  add("1935-01-01", "physical", false, false, 400);  // assessed too long before: not supported
  return d.Finish();
}

TEST(AddedValueTest, TheStratifiedEstimateMatchesTheHandWorkedExample) {
  auto snap = Discharges();
  ASSERT_TRUE(snap);
  AddedValueOptions o;
  o.year = 2025;
  o.data_end = DateFromCivil(2026, 3, 31);
  auto a = RunAddedValue(*snap, o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->outcomes.size(), 3u);
  const AddedValueOutcome& r = a->outcomes[0];
  EXPECT_EQ(r.id, "readmission-28d");
  ASSERT_EQ(r.strata.size(), 2u);
  EXPECT_EQ(r.strata[0].age_band, "65-74");
  EXPECT_EQ(r.strata[0].reason, "memory_cognition");
  EXPECT_EQ(r.strata[0].table.events_exposed, 5);
  EXPECT_EQ(r.strata[0].table.n_exposed, 20);
  EXPECT_EQ(r.strata[0].table.events_unexposed, 15);
  EXPECT_EQ(r.strata[0].table.n_unexposed, 30);
  EXPECT_EQ(r.strata[1].age_band, "85+");
  EXPECT_EQ(r.strata[1].table.n_unexposed, 51);  // with the carer assessed 400 days before
  // The hand-worked example (stats/comparison_test.cc), plus one
  // unreadmitted, unsupported discharge in the 85+ stratum:
  //   R = 10·51/101 + 5·30/50 = 8.049505, S = 20·50/101 + 6 = 15.900990,
  //   RR = 0.506227.
  ASSERT_TRUE(r.risk_ratio.has_value());
  EXPECT_NEAR(r.risk_ratio->estimate, (10.0 * 51 / 101 + 3.0) / (20.0 * 50 / 101 + 6.0), 1e-12);
  // Greenland-Robins: [(50·51·30 − 10·20·101)/101² + 3.3] / (R·S).
  double v = ((50.0 * 51 * 30 - 10.0 * 20 * 101) / (101.0 * 101) + 3.3) /
             ((10.0 * 51 / 101 + 3.0) * (20.0 * 50 / 101 + 6.0));
  EXPECT_NEAR(r.risk_ratio->log_se, std::sqrt(v), 1e-12);
  EXPECT_EQ(r.crude.n_exposed, 70);
  EXPECT_EQ(r.crude.n_unexposed, 81);  // the person without a carer is left out
  EXPECT_NEAR(*r.crude_risk_ratio, (15.0 / 70) / (35.0 / 81), 1e-12);
  EXPECT_NE(r.words.find("better where carers were supported"), std::string::npos) << r.words;
  EXPECT_NE(r.words.find(std::string(AddedValueCaveat())), std::string::npos);
  const std::string opening =
      "Of 70 discharges of people whose carer was supported, 21% were followed by an emergency readmission "
      "within 28 days, against 43% of 81 whose carer was not";
  EXPECT_EQ(r.words.substr(0, opening.size()), opening);
}

TEST(AddedValueTest, FollowUpPastTheDataIsLeftOut) {
  auto snap = Discharges();
  AddedValueOptions o;
  o.year = 2025;
  o.data_end = DateFromCivil(2025, 7, 1);  // discharges after 2025-06-03 lack their 28 days
  auto a = RunAddedValue(*snap, o);
  ASSERT_TRUE(a.ok());
  // The first two discharges (2025-06-02 and -03) are followed to 2025-07-01;
  // the other 149 with a carer are not.
  EXPECT_EQ(a->outcomes[0].left_out_follow_up, 149);
  EXPECT_EQ(a->outcomes[0].crude.n_exposed + a->outcomes[0].crude.n_unexposed, 2);
  EXPECT_FALSE(a->outcomes[0].risk_ratio.has_value());
}

}  // namespace
}  // namespace goldthread::planning
