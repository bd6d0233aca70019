#include "integrity/data_quality.h"

#include <gtest/gtest.h>

#include <cmath>

#include "indicators/definition.h"
#include "integrity/indicator_series.h"
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
// `missing` of them, the other teams on `peers_missing` each.
std::unique_ptr<Snapshot> Requests(int missing, int peers_missing = 0) {
  testing::TestData data(4);
  int n = 0;
  for (int team = 1; team <= 4; ++team)
    for (int k = 0; k < 40; ++k) {
      std::string p = "P" + std::to_string(++n);
      data.Person(p);
      Date d = DateFromCivil(2023, 9, 1) + k;
      bool empty = k < (team == 4 ? missing : peers_missing);
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

std::vector<indicators::Definition> Defs(const std::vector<std::string>& tomls) {
  std::vector<indicators::Definition> defs;
  for (const std::string& t : tomls) {
    auto d = indicators::ParseDefinition(t, "test.toml");
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (d.ok()) defs.push_back(std::move(d).value());
  }
  return defs;
}

std::vector<indicators::Definition> BuiltIn(const std::string& id) {
  std::vector<indicators::Definition> defs;
  auto d = indicators::LoadDefinitionFile(indicators::BuiltInDir() + "/" + id + ".toml");
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  if (d.ok()) defs.push_back(std::move(d).value());
  return defs;
}

std::vector<std::string> Names(const std::vector<CheckedField>& fields) {
  std::vector<std::string> out;
  for (const CheckedField& f : fields) out.push_back(std::string(Table(f.table).name) + "." + f.field);
  return out;
}

TEST(IntegrityDataQualityTest, FieldsComeFromTheDefinitions) {
  // assessment-28d reads assessments.completed_on (the timeline date: not
  // checked), request_id and requests.received_on (required: not checked);
  // late_registration reads first_contact_on and the entry checks recorded_at.
  std::vector<CheckedField> fields = FieldsToCheck(BuiltIn("assessment-28d"));
  EXPECT_EQ(Names(fields), (std::vector<std::string>{"requests.first_contact_on", "requests.recorded_at",
                                                     "assessments.request_id", "assessments.recorded_at"}));
  EXPECT_EQ(fields[2].indicators, (std::vector<std::string>{"assessment-28d"}));
  EXPECT_EQ(fields[2].consequence, "assessment-28d is computed on incomplete data");
  EXPECT_EQ(fields[0].consequence,
            "late_registration cannot see how long these requests waited to be registered");
  // A council's own indicator: the optional fields it reads are checked,
  // except an end date (empty: still open) and its criteria's fields.
  auto defs = Defs({R"toml(
id = "local-a"
title = "a"
description = "a"
unit = "percent"
polarity = "up"
oba = "how_well"
kind = "flow"
version = 1
[population]
unit = "record"
from = "requests"
where = "received_on in period and closed_on is not null"
[numerator]
where = "route = 'gp' and outcome = 'assessment'"
)toml",
                    R"toml(
id = "local-b"
title = "b"
description = "b"
unit = "percent"
polarity = "up"
oba = "how_well"
kind = "flow"
version = 1
[population]
unit = "record"
from = "requests"
where = "received_on in period"
[numerator]
where = "route = 'gp'"
claimed = "outcome = 'assessment'"
[criteria]
contacted = "first_contact_on <= received_on"
)toml"});
  fields = FieldsToCheck(defs);
  EXPECT_EQ(Names(fields), (std::vector<std::string>{"requests.first_contact_on", "requests.route",
                                                     "requests.outcome", "requests.recorded_at"}));
  EXPECT_EQ(fields[1].indicators, (std::vector<std::string>{"local-a", "local-b"}));
  EXPECT_EQ(fields[1].consequence, "local-a and local-b are computed on incomplete data");
  EXPECT_EQ(fields[3].consequence,
            "backdating, period_end_surge and bulk_change cannot see when they were entered");
}

TEST(IntegrityDataQualityTest, WithDefinitionsTheSummaryNamesWhatIsSpoilt) {
  auto snap = Requests(16);
  std::vector<CheckedField> fields = FieldsToCheck(BuiltIn("assessment-28d"));
  auto findings = CheckDataQuality(*snap, DataQualityConfig{}, CheckScope{}, fields);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].org_unit, "T4");
  EXPECT_EQ(findings[0].indicators, (std::vector<std::string>{"assessment-28d"}));
  EXPECT_EQ(
      findings[0].summary,
      "16 of 40 (40.0%) requests records of this team leave first_contact_on empty (other teams: 0.0%), so "
      "late_registration cannot see how long these requests waited to be registered.");
  EXPECT_EQ(findings[0].looked_at, "completeness of requests.first_contact_on, used by assessment-28d");
}

TEST(IntegrityDataQualityTest, AFieldOtherTeamsMostlyLeaveEmptyIsNotJudged) {
  // The other teams leave it empty on 24 of 40 (60%), T4 on all 40: T4 is
  // far above the funnel limit, but the field is one that often does not
  // apply.
  auto snap = Requests(40, 24);
  EXPECT_TRUE(CheckDataQuality(*snap, DataQualityConfig{}, CheckScope{}).empty());
  DataQualityConfig config;
  config.max_peer_missing_share = 0.6;
  auto findings = CheckDataQuality(*snap, config, CheckScope{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].org_unit, "T4");
  EXPECT_DOUBLE_EQ(findings[0].value, 1.0);
}

}  // namespace
}  // namespace goldthread::integrity
