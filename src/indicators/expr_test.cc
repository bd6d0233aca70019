// The condition language on its own: a custom indicator written from
// docs/indicators.md, and language constructs the built-ins do not use.
#include "indicators/expr.h"

#include <gtest/gtest.h>

#include "indicators/result_json.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Find;
using testing::BuiltIns;
using testing::RunDefs;

// Written from docs/indicators.md alone ("Writing your own indicator"):
// of new requests from hospital, the share with an assessment started within
// 7 days of the request.
constexpr const char* kCustom = R"toml(id = "hospital-requests-7d"
title = "Hospital requests assessed within a week"
description = "Of requests from hospital received in the period, the share with an assessment started within 7 days."
unit = "percent"
polarity = "up"
oba = "how_well"
kind = "flow"
version = 2
cuts = ["sex"]

[parameters]
days = 7

[population]
unit = "record"
from = "requests"
where = "route = 'hospital' and received_on in period"

[numerator]
from = "assessments"
where = "request_id = outer.request_id and started_on >= outer.received_on and started_on <= outer.received_on + days"
)toml";

TEST(IndicatorExprTest, CustomIndicatorFromTheDocs) {
  auto def = ParseDefinition(kCustom, "local/hospital-requests-7d.toml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  Data d;
  d.Person("P1", "service_user", "1950-01-01", {{"sex", "F"}});
  d.Person("P2", "service_user", "1950-01-01", {{"sex", "M"}});
  d.Person("P3", "service_user", "1950-01-01");  // sex unknown: group sex:U
  d.Add("requests", {{"request_id", "R1"}, {"person_id", "P1"}, {"received_on", "2024-04-02"}, {"route", "hospital"}});
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"request_id", "R1"}, {"kind", "needs"},
                        {"started_on", "2024-04-09"}});  // day 7 (received 2nd, started 9th): within
  d.Add("requests", {{"request_id", "R2"}, {"person_id", "P2"}, {"received_on", "2024-04-02"}, {"route", "hospital"}});
  d.Add("assessments", {{"assessment_id", "A2"}, {"person_id", "P2"}, {"request_id", "R2"}, {"kind", "needs"},
                        {"started_on", "2024-04-10"}});  // day 8: not
  d.Add("requests", {{"request_id", "R3"}, {"person_id", "P3"}, {"received_on", "2024-04-02"}, {"route", "gp"}});
  auto s = d.Finish();
  std::vector<Definition> defs;
  defs.push_back(std::move(def).value());
  auto r = RunDefs(*s, std::move(defs), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->numerator, 1);
  EXPECT_EQ(*f->denominator, 2);
  EXPECT_EQ(Find(r, *s, "2024-04", "C", "sex:F")->numerator, 1);
  EXPECT_EQ(*Find(r, *s, "2024-04", "C", "sex:M")->denominator, 1);

  // The JSON shape of DESIGN section 10 plus version and series_break.
  JsonOptions jo;
  jo.previous_versions["hospital-requests-7d"] = 1;
  auto st = ComputeSeriesStats(r, *s);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  std::string json = ResultToJson(r, *s, *st, jo);
  EXPECT_NE(json.find(R"("series_break":true)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"({"ci_high":)"), std::string::npos) << json;
  // One period: too few points for SPC limits, so its fields are null.
  EXPECT_NE(json.find(R"("denominator":2.0,"group":"all","lpl":null,"mean":null,"numerator":1.0,"org_unit":"C",)"
                      R"("period":"2024-04","point_type":null,"upl":null)"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find("cases"), std::string::npos);
  jo.cases = true;
  json = ResultToJson(r, *s, *st, jo);
  EXPECT_NE(json.find(R"("cases":{"denominator":["P1","P2"],"numerator":["P1"]})"), std::string::npos) << json;
}

// References compare as records: an assessment of this request (request_id
// = outer.request_id), an episode other than this one (episode_id !=
// outer.episode_id), the same team (org_unit_id = outer.org_unit_id).
TEST(IndicatorExprTest, ReferencesCompareAsRecords) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  // R1 and R2 on the same day; only R1 has an assessment, in another team.
  d.Add("requests", {{"request_id", "R1"}, {"person_id", "P1"}, {"received_on", "2024-04-02"}});
  d.Add("requests", {{"request_id", "R2"}, {"person_id", "P1"}, {"received_on", "2024-04-02"}});
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"request_id", "R1"}, {"kind", "needs"},
                        {"started_on", "2024-04-03"}, {"org_unit_id", "T2"}});
  // A day case E1 (admitted and discharged on 04-10) and E2 admitted that day.
  d.Add("hospital_episodes", {{"episode_id", "E1"}, {"person_id", "P1"}, {"admitted_on", "2024-04-10"},
                              {"discharged_on", "2024-04-10"}, {"emergency", "Y"}});
  d.Add("hospital_episodes", {{"episode_id", "E2"}, {"person_id", "P1"}, {"admitted_on", "2024-04-10"},
                              {"discharged_on", "2024-04-20"}, {"emergency", "Y"}});
  auto s = d.Finish();
  const std::string header =
      "title = \"X\"\ndescription = \"X.\"\nunit = \"percent\"\npolarity = \"up\"\noba = \"how_well\"\n"
      "kind = \"flow\"\nversion = 1\n";
  std::vector<Definition> defs;
  for (const std::string& text :
       {"id = \"assessed\"\n" + header +
            "[population]\nunit = \"record\"\nfrom = \"requests\"\nwhere = \"received_on in period\"\n"
            "[numerator]\nfrom = \"assessments\"\nwhere = \"request_id = outer.request_id\"\n",
        "id = \"same-team\"\n" + header +
            "[population]\nunit = \"record\"\nfrom = \"requests\"\nwhere = \"received_on in period\"\n"
            "[numerator]\nfrom = \"assessments\"\nwhere = \"org_unit_id = outer.org_unit_id\"\n",
        "id = \"another-episode\"\n" + header +
            "[population]\nunit = \"record\"\nfrom = \"hospital_episodes\"\nwhere = \"discharged_on in period\"\n"
            "[numerator]\nwhere = \"exists(hospital_episodes, episode_id != outer.episode_id and "
            "admitted_on >= outer.discharged_on and admitted_on <= outer.discharged_on + 28)\"\n"}) {
    auto def = ParseDefinition(text, "x.toml");
    ASSERT_TRUE(def.ok()) << def.status().ToString();
    defs.push_back(std::move(def).value());
  }
  auto r = RunDefs(*s, std::move(defs), "2024-04", "2024-04");
  EXPECT_EQ(Find(r, *s, "2024-04", "C", "all", 0)->numerator, 1);  // R1 of R1, R2
  EXPECT_EQ(Find(r, *s, "2024-04", "C", "all", 1)->numerator, 0);  // A1 is T2's, the requests T1's
  // E1's discharge is followed by E2's admission the same day (day 0); E2's
  // by none (E1 is not after it, and E2 itself does not count).
  EXPECT_EQ(Find(r, *s, "2024-04", "C", "all", 2)->numerator, 1);
  EXPECT_EQ(Find(r, *s, "2024-04", "C", "all", 2)->denominator.value_or(-1), 2);
}

TEST(IndicatorExprTest, ThreadCountDoesNotChangeResults) {
  Data d;
  for (int i = 0; i < 700; ++i) {
    std::string p = "P" + std::to_string(i);
    d.Person(p, "service_user", std::to_string(1930 + i % 70) + "-03-01");
    d.Add("services", {{"service_id", "S" + std::to_string(i)}, {"person_id", p}, {"service_type", "home_care"},
                       {"term", i % 5 ? "long" : "short"}, {"setting", "community"},
                       {"start_on", "2023-0" + std::to_string(1 + i % 9) + "-01"},
                       {"org_unit_id", i % 2 ? "T1" : "T2"}});
    if (i % 3)
      d.Add("reviews", {{"review_id", "V" + std::to_string(i)}, {"person_id", p}, {"kind", "planned"},
                        {"completed_on", "2023-1" + std::to_string(i % 3) + "-15"}});
  }
  auto s = d.Finish();
  auto one = RunDefs(*s, BuiltIns({"reviews-12m"}), "2023-06", "2024-06", true, 1);
  auto three = RunDefs(*s, BuiltIns({"reviews-12m"}), "2023-06", "2024-06", true, 3);
  auto st_one = ComputeSeriesStats(one, *s), st_three = ComputeSeriesStats(three, *s);
  ASSERT_TRUE(st_one.ok() && st_three.ok());
  JsonOptions jo;
  jo.cases = true;
  EXPECT_EQ(ResultToJson(one, *s, *st_one, jo), ResultToJson(three, *s, *st_three, jo));
  EXPECT_GT(Find(one, *s, "2024-06", "C")->denominator.value_or(0), 100);
}

}  // namespace
}  // namespace goldthread::indicators
