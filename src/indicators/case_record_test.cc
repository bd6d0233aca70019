// Which record is the case: with unit "person" the latest record that puts
// the person in the population (it decides the team), with distinct one per
// key. Neither may depend on the order the records were loaded in, and each
// [[population]] keeps its own distinct fields.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Find;
using testing::Ids;
using testing::RunDefs;

// A definition "x" with body after its metadata.
std::vector<Definition> Parse(const std::string& body) {
  return testing::ParseOne(testing::DefinitionHeader("Which record is the case.") + body);
}

// P1 starts two services on the same day, S1 in T1 and S2 in T2: the case
// record is S1 (the lower id), loaded first or last.
TEST(IndicatorCaseRecordTest, TiedLatestRecordsGoToTheLowestIdWhateverTheOrder) {
  for (bool s2_first : {true, false}) {
    SCOPED_TRACE(s2_first ? "S2 loaded first" : "S1 loaded first");
    Data d;
    d.Person("P1", "service_user", "1950-01-01");
    auto svc = [&](const std::string& id, const std::string& team) {
      d.Add("services", {{"service_id", id}, {"person_id", "P1"}, {"service_type", "home_care"}, {"term", "long"},
                         {"start_on", "2024-04-10"}, {"org_unit_id", team}});
    };
    if (s2_first) svc("S2", "T2"), svc("S1", "T1");
    else svc("S1", "T1"), svc("S2", "T2");
    auto s = d.Finish();
    auto r = RunDefs(*s, Parse("[population]\nunit = \"person\"\nfrom = \"services\"\nwhere = \"start_on in period\"\n"),
                     "2024-04", "2024-04");
    ASSERT_NE(Find(r, *s, "2024-04", "T1"), nullptr);
    EXPECT_EQ(Find(r, *s, "2024-04", "T1")->numerator, 1);
    EXPECT_EQ(Find(r, *s, "2024-04", "T2")->numerator, 0);
  }
}

// Two survey rows of one response (the same day) in different teams: one
// case, in the team of the row with the lower id (Q1|q_a).
TEST(IndicatorCaseRecordTest, DistinctKeepsTheLowestIdOfAKeyWhateverTheOrder) {
  for (bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "reversed" : "in order");
    Data d;
    d.Person("P1", "carer", "1960-01-01");
    auto row = [&](const std::string& item, const std::string& team) {
      d.Add("survey_responses", {{"response_id", "Q1"}, {"person_id", "P1"}, {"instrument", "sace"},
                                 {"collected_on", "2024-04-10"}, {"item", item}, {"answer", "1"}, {"org_unit_id", team}});
    };
    if (reversed) row("q_b", "T2"), row("q_a", "T1");
    else row("q_a", "T1"), row("q_b", "T2");
    auto s = d.Finish();
    auto r = RunDefs(*s,
                     Parse("[population]\nunit = \"record\"\nfrom = \"survey_responses\"\n"
                           "distinct = [\"instrument\", \"collected_on\"]\nwhere = \"collected_on in period\"\n"),
                     "2024-04", "2024-04");
    EXPECT_EQ(Find(r, *s, "2024-04", "C")->numerator, 1);
    EXPECT_EQ(Find(r, *s, "2024-04", "T1")->numerator, 1);
    EXPECT_EQ(Find(r, *s, "2024-04", "T2")->numerator, 0);
  }
}

// Each [[population]] has its own distinct: the survey's applies to the
// survey rows only. P1's two assessments (of one request, of one kind) are
// two cases; its two survey rows of one response are one.
TEST(IndicatorCaseRecordTest, DistinctBelongsToItsOwnPopulation) {
  Data d;
  d.Person("P1", "carer", "1960-01-01");
  d.Add("requests", {{"request_id", "R1"}, {"person_id", "P1"}, {"received_on", "2024-04-01"}});
  for (const char* a : {"A1", "A2"})
    d.Add("assessments", {{"assessment_id", a}, {"person_id", "P1"}, {"request_id", "R1"}, {"kind", "carer"},
                          {"completed_on", "2024-04-10"}});
  for (const char* item : {"q_a", "q_b"})
    d.Add("survey_responses", {{"response_id", "Q1"}, {"person_id", "P1"}, {"instrument", "sace"},
                               {"collected_on", "2024-04-10"}, {"item", item}, {"answer", "1"}});
  auto s = d.Finish();
  for (bool survey_first : {true, false}) {
    SCOPED_TRACE(survey_first ? "survey first" : "assessments first");
    const std::string survey =
        "[[population]]\nunit = \"record\"\nfrom = \"survey_responses\"\n"
        "distinct = [\"instrument\", \"collected_on\"]\nwhere = \"collected_on in period\"\n";
    const std::string assessments =
        "[[population]]\nunit = \"record\"\nfrom = \"assessments\"\nwhere = \"completed_on in period\"\n";
    auto r = RunDefs(*s, Parse(survey_first ? survey + assessments : assessments + survey), "2024-04", "2024-04");
    EXPECT_EQ(Find(r, *s, "2024-04", "C")->numerator, 3);
  }
}

// distinct on a record's own id: one case per response (ids are not
// numbers, and were all read as one value).
TEST(IndicatorCaseRecordTest, DistinctOnAnId) {
  Data d;
  d.Person("P1", "carer", "1960-01-01");
  for (const char* q : {"Q1", "Q2"})
    for (const char* item : {"q_a", "q_b", "q_c"})
      d.Add("survey_responses", {{"response_id", q}, {"person_id", "P1"}, {"instrument", "sace"},
                                 {"collected_on", "2024-04-10"}, {"item", item}, {"answer", "1"}});
  auto s = d.Finish();
  auto r = RunDefs(*s,
                   Parse("[population]\nunit = \"record\"\nfrom = \"survey_responses\"\ndistinct = [\"response_id\"]\n"
                         "where = \"collected_on in period\"\n"),
                   "2024-04", "2024-04");
  EXPECT_EQ(Find(r, *s, "2024-04", "C")->numerator, 2);
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->denominator_persons), "P1");
}

}  // namespace
}  // namespace goldthread::indicators
