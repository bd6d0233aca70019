// Values the evaluators must get right whatever the data hold: sums that do
// not depend on the order of rows, unknown results (a zero divisor, a number
// too large), conflicting survey answers, numbers far beyond any date, and a
// person's records centuries apart. Each case is worked by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Find;
using testing::Ids;
using testing::RunDefs;

std::string Header(const std::string& unit, const std::string& id = "x") {
  return "id = \"" + id + "\"\ntitle = \"X\"\ndescription = \"An edge.\"\nunit = \"" + unit +
         "\"\npolarity = \"up\"\noba = \"how_well\"\nkind = \"flow\"\nversion = 1\n";
}

std::vector<Definition> Parse(const std::string& text) {
  auto d = ParseDefinition(text, "x.toml");
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  std::vector<Definition> out;
  if (d.ok()) out.push_back(std::move(d).value());
  return out;
}

// Three domain scores 0.1, 0.2 and 0.3: added as doubles in some orders they
// make 0.6000000000000001, in others 0.6; the exact sum rounded once is 0.6
// (as Python's math.fsum gives) in every order.
TEST(IndicatorEvalTest, SumsDoNotDependOnTheOrderOfRows) {
  std::vector<std::string> scores = {"0.1", "0.2", "0.3"};
  std::sort(scores.begin(), scores.end());
  int orders = 0;
  do {
    SCOPED_TRACE(scores[0] + " " + scores[1] + " " + scores[2]);
    Data d;
    d.Person("P1", "service_user", "1950-01-01");
    int domain = 0;
    for (const std::string& sc : scores)
      d.Add("outcome_measures", {{"measure_id", "M1"}, {"person_id", "P1"}, {"instrument", "ascot"},
                                 {"measured_on", "2024-04-10"}, {"stage", "baseline"},
                                 {"domain", "d" + std::to_string(++domain)}, {"score", sc}});
    auto s = d.Finish();
    auto r = RunDefs(*s,
                     Parse(Header("count") +
                           "[population]\nunit = \"person\"\nfrom = \"outcome_measures\"\n"
                           "where = \"measured_on in period and "
                           "sum(outcome_measures, score, measured_on = outer.measured_on) = 0.6\"\n"),
                     "2024-04", "2024-04");
    EXPECT_EQ(Find(r, *s, "2024-04", "C")->numerator, 1);
    ++orders;
  } while (std::next_permutation(scores.begin(), scores.end()));
  EXPECT_EQ(orders, 6);
}

// A respondent (P1, sace, 04-10) who answered q_satisfaction twice, 1 and 6,
// in two responses of the same day has no answer to it; P2 answered 2 twice:
// 2. Of the respondents with an answer, P2 is satisfied: 1 of 1.
TEST(IndicatorEvalTest, ConflictingAnswersOfOneRespondentAreUnknown) {
  Data d;
  d.Person("P1", "carer", "1960-01-01");
  d.Person("P2", "carer", "1960-01-01");
  auto answer = [&](const std::string& q, const std::string& p, const std::string& a) {
    d.Add("survey_responses", {{"response_id", q}, {"person_id", p}, {"instrument", "sace"},
                               {"collected_on", "2024-04-10"}, {"item", "q_satisfaction"}, {"answer", a}});
  };
  answer("Q1", "P1", "1");
  answer("Q2", "P1", "6");
  answer("Q3", "P2", "2");
  answer("Q4", "P2", "2");
  auto s = d.Finish();
  auto r = RunDefs(*s,
                   Parse(Header("percent") +
                         "[population]\nunit = \"person\"\nfrom = \"survey_responses\"\n"
                         "where = \"collected_on in period and answer('q_satisfaction') is not null\"\n"
                         "[numerator]\nwhere = \"answer('q_satisfaction') in (1, 2)\"\n"),
                   "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Ids(*s, f->denominator_persons), "P2");
  EXPECT_EQ(f->numerator, 1);
}

// A mean of (minutes - 90) / (minutes - 60) over April's visits: 60 minutes
// divides by zero (unknown), 120 gives 0.5, 30 gives 2: mean 1.25, one case
// without a value. A mean of minutes * 1000 over May's: 999,999 minutes
// gives 999,999,000; 1,000,001 gives more than 1e9 (unknown).
TEST(IndicatorEvalTest, MeanLeavesOutAndCountsCasesWithoutAValue) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  int n = 0;
  auto visit = [&](const std::string& on, const std::string& minutes) {
    d.Add("visits", {{"visit_id", "V" + std::to_string(++n)}, {"person_id", "P1"}, {"visit_on", on}, {"minutes", minutes}});
  };
  for (const char* minutes : {"60", "120", "30"}) visit("2024-04-10", minutes);
  for (const char* minutes : {"999999", "1000001"}) visit("2024-05-10", minutes);
  auto s = d.Finish();
  const std::string population = "[population]\nunit = \"record\"\nfrom = \"visits\"\nwhere = \"visit_on in period\"\n";
  std::vector<Definition> defs = Parse(Header("mean") + "value = \"(minutes - 90) / (minutes - 60)\"\n" + population);
  std::vector<Definition> big = Parse(Header("mean", "y") + "value = \"minutes * 1000\"\n" + population);
  defs.push_back(std::move(big.at(0)));
  auto r = RunDefs(*s, std::move(defs), "2024-04", "2024-05");
  const Figure* april = Find(r, *s, "2024-04", "C");
  ASSERT_NE(april, nullptr);
  EXPECT_EQ(april->denominator.value_or(-1), 2);
  EXPECT_DOUBLE_EQ(april->value.value_or(-1), 1.25);
  EXPECT_EQ(april->without_value, 1);
  const Figure* may = Find(r, *s, "2024-05", "C", "all", 1);
  ASSERT_NE(may, nullptr);
  EXPECT_EQ(may->denominator.value_or(-1), 1);
  EXPECT_DOUBLE_EQ(may->value.value_or(-1), 999999000);
  EXPECT_EQ(may->without_value, 1);
}

// days_after(d, n) with n far beyond any date is every day after d; as a
// whole number of days it once wrapped round and held no day at all.
TEST(IndicatorEvalTest, RangesReachingBeyondEveryDateHoldEveryDate) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  d.Add("requests", {{"request_id", "R1"}, {"person_id", "P1"}, {"received_on", "2024-04-02"}});
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"request_id", "R1"}, {"kind", "needs"},
                        {"started_on", "2031-05-01"}});
  auto s = d.Finish();
  for (const char* range : {"days_after(outer.received_on, far)", "days_before(period_end + far, far * 2)"}) {
    SCOPED_TRACE(range);
    auto r = RunDefs(*s,
                     Parse(Header("percent") + "[parameters]\nfar = 1e15\n" +
                           "[population]\nunit = \"record\"\nfrom = \"requests\"\nwhere = \"received_on in period\"\n"
                           "[numerator]\nfrom = \"assessments\"\nwhere = \"started_on in " + range + "\"\n"),
                     "2024-04", "2024-04");
    EXPECT_EQ(Find(r, *s, "2024-04", "C")->numerator, 1);
  }
}

// A number used as a day that no date can be (a week_start or an age_at of
// a date plus 1e15) is unknown, as is the lower age of a band too long to be
// an age.
TEST(IndicatorEvalTest, NumbersBeyondEveryDateAreUnknownDays) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  d.Add("requests", {{"request_id", "R1"}, {"person_id", "P1"}, {"received_on", "2024-04-02"}});
  auto s = d.Finish();
  auto r = RunDefs(*s,
                   Parse(Header("count") + "[parameters]\nfar = 1e15\n" +
                         "[population]\nunit = \"record\"\nfrom = \"requests\"\n"
                         "where = \"received_on in period and week_start(received_on + far) is null and "
                         "age_at(received_on - far) is null and age_at(received_on) = 74\"\n"),
                   "2024-04", "2024-04");
  EXPECT_EQ(Find(r, *s, "2024-04", "C")->numerator, 1);
}

TEST(IndicatorEvalTest, AgeBandsThatAreNoAgeAreLeftOutOfRates) {
  Data d;
  d.Person("P1", "service_user", "1940-01-01");
  d.Add("care_home_admissions", {{"admission_id", "H1"}, {"person_id", "P1"}, {"admitted_on", "2024-04-10"},
                                 {"permanent", "Y"}});
  auto pop = [&](const std::string& band, const std::string& n) {
    d.Add("populations", {{"area", "A"}, {"year", "2024"}, {"age_band", band}, {"sex", "F"}, {"count", n}});
  };
  pop("65-74", "20000");
  pop("99999999999+", "7");  // would not fit an int
  pop("-70", "7");
  pop("old", "7");
  pop("1000-", "7");
  pop("85+", "30000");
  auto s = d.Finish();
  auto r = RunDefs(*s, testing::BuiltIns({"care-home-admissions-65"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->denominator.value_or(-1), 50000);
  EXPECT_DOUBLE_EQ(f->value.value_or(-1), 2.0);
}

// Week scans index the weeks a person has records in, not every week
// between the first and the last: visits in 0001 and in 9999 (a span of
// 520,000 weeks) are two weeks.
TEST(IndicatorEvalTest, WeekScansOverRecordsCenturiesApart) {
  Data d;
  d.Person("P1", "service_user", "1940-01-01");
  d.Add("services", {{"service_id", "S1"}, {"person_id", "P1"}, {"service_type", "home_care"}, {"term", "long"},
                     {"start_on", "0001-01-01"}});
  int n = 0;
  for (const char* day : {"0001-01-01", "2024-04-08", "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12",
                          "2024-04-13", "9999-12-31"})
    d.Add("visits", {{"visit_id", "V" + std::to_string(++n)}, {"person_id", "P1"}, {"service_id", "S1"},
                     {"visit_on", day}, {"minutes", "120"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, testing::BuiltIns({"intensive-home-care"}), "2024-04", "2024-04");
  EXPECT_EQ(Find(r, *s, "2024-04", "C")->numerator, 1);  // 6 visits, 720 minutes in the week of 8 April
}

}  // namespace
}  // namespace goldthread::indicators
