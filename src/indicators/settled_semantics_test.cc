// shared/DESIGN.md section 4, "Semantics settled": each point on hand-built
// data, with the figures worked out by hand, against the built-in
// definitions. April 2024 (period end 2024-04-30) unless stated.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "indicators/result_json.h"
#include "indicators/series_stats.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::BuiltIns;
using testing::Data;
using testing::Find;
using testing::Ids;
using testing::RunDefs;

//===----------------------------------------------------------------------===//
// "Within N days" after an event: from the event's own day to N days after.
//===----------------------------------------------------------------------===//

// Requests all received on 04-10. Completed 04-09 (before the request: not
// within), 04-10 (day 0: within); 05-08 (day 28: within), 05-09 (day 29: not).
TEST(IndicatorSettledTest, WithinNDaysForAssessments) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  int n = 0;
  for (const char* completed : {"2024-04-09", "2024-04-10", "2024-05-08", "2024-05-09"}) {
    std::string r = "R" + std::to_string(++n);
    d.Add("requests", {{"request_id", r}, {"person_id", "P1"}, {"received_on", "2024-04-10"}});
    d.Add("assessments", {{"assessment_id", "A" + std::to_string(n)}, {"person_id", "P1"}, {"request_id", r},
                          {"kind", "needs"}, {"completed_on", completed}});
  }
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"assessment-28d"}), "2024-04", "2024-05");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 1, 2);
  EXPECT_FIGURE(Find(r, *s, "2024-05", "C"), 1, 2);
}

// Discharges on 04-10; emergency admissions on the same day (day 0), on day
// 28 (05-08) and on day 29 (05-09).
TEST(IndicatorSettledTest, WithinNDaysForReadmissions) {
  Data d;
  for (const char* p : {"P1", "P2", "P3"}) d.Person(p, "service_user", "1950-01-01");
  d.Episode("E1", "P1", "2024-04-01", "2024-04-10", "home");
  d.Episode("E2", "P1", "2024-04-10", "2024-04-20", "home");  // day 0 after E1
  d.Episode("E3", "P2", "2024-04-01", "2024-04-10", "home");
  d.Episode("E4", "P2", "2024-05-08", "2024-05-09", "home");  // day 28 after E3
  d.Episode("E5", "P3", "2024-04-01", "2024-04-10", "home");
  d.Episode("E6", "P3", "2024-05-09", "2024-05-10", "home");  // day 29 after E5
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"readmission-28d"}), "2024-04", "2024-04");
  // Discharges in April: E1, E2, E3, E5; readmitted: E1, E3.
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 2, 4);
  EXPECT_EQ(Ids(*s, f->numerator_persons), "P1 P2");
}

// Discharged to reablement on 04-10; a permanent admission on the day itself
// (day 0) or on day 91 (07-10) is within 91 days, on day 92 (07-11) not.
TEST(IndicatorSettledTest, WithinNDaysForStillAtHome) {
  Data d;
  for (const char* p : {"P1", "P2", "P3"}) d.Person(p, "service_user", "1940-01-01");
  d.Episode("E1", "P1", "2024-04-01", "2024-04-10", "reablement");
  d.Admission("H1", "P1", "2024-04-10", "Y");
  d.Episode("E2", "P2", "2024-04-01", "2024-04-10", "reablement");
  d.Admission("H2", "P2", "2024-07-10", "Y");
  d.Episode("E3", "P3", "2024-04-01", "2024-04-10", "reablement");
  d.Admission("H3", "P3", "2024-07-11", "Y");
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"still-home-91"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 1, 3);
  EXPECT_EQ(Ids(*s, f->numerator_persons), "P3");
}

//===----------------------------------------------------------------------===//
// readmission-28d counts discharges, not persons; any emergency admission
// within 28 days; a discharge with destination died is not in the
// denominator.
//===----------------------------------------------------------------------===//

TEST(IndicatorSettledTest, ReadmissionsCountDischargesAndLeaveOutDeaths) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) d.Person(p, "service_user", "1950-01-01");
  // P1: two discharges in April, both followed by E3 (emergency, 04-25):
  // two cases, both readmitted; E3's own discharge is in May.
  d.Episode("E1", "P1", "2024-04-01", "2024-04-05", "home");
  d.Episode("E2", "P1", "2024-04-10", "2024-04-12", "home");
  d.Episode("E3", "P1", "2024-04-25", "2024-05-03", "home");
  // P2: followed by a planned admission only: not readmitted.
  d.Episode("E4", "P2", "2024-04-01", "2024-04-05", "home");
  d.Episode("E5", "P2", "2024-04-20", "2024-05-02", "home", "N");
  // P3: died in hospital: not in the denominator. P4: destination unknown:
  // in it. A day case (in and out on 04-15, emergency) is not its own
  // readmission.
  d.Episode("E6", "P3", "2024-04-01", "2024-04-08", "died");
  d.Episode("E7", "P4", "2024-04-15", "2024-04-15", "");
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"readmission-28d"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 2, 4);  // E1, E2 of E1, E2, E4, E7
  EXPECT_EQ(Ids(*s, f->denominator_persons), "P1 P2 P4");
}

//===----------------------------------------------------------------------===//
// Ages at the date of the event that puts the person in the population (the
// discharge for still-home-91, the admission for care-home-admissions-65,
// the period end for snapshots); "under 65" for carers at the period end.
//===----------------------------------------------------------------------===//

TEST(IndicatorSettledTest, AgesAtTheEvent) {
  Data d;
  d.Person("P1", "service_user", "1959-04-20");  // 64 on 04-15, 65 on 04-30
  d.Person("P2", "service_user", "1949-04-20");  // 74 on 04-15, 75 on 04-30
  d.Episode("E1", "P1", "2024-04-01", "2024-04-15", "reablement");
  d.Episode("E2", "P2", "2024-04-01", "2024-04-15", "reablement");
  d.Admission("H1", "P1", "2024-04-15", "Y");
  d.Admission("H2", "P2", "2024-04-15", "Y");
  d.Add("populations", {{"area", "A"}, {"year", "2024"}, {"age_band", "65-74"}, {"sex", "F"}, {"count", "100000"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"still-home-91", "care-home-admissions-65", "readmission-28d"}), "2024-04",
                   "2024-04");
  // still-home-91: P1 is 64 at discharge: out; P2 74: in, in band 65-74.
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C", "all", 0)->denominator_persons), "P2");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "age_band:65-74", 0), 0, 1);
  EXPECT_EQ(Find(r, *s, "2024-04", "C", "age_band:75-84", 0), nullptr);
  // care-home-admissions-65: P1 is 64 at admission: one admission, P2's.
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 1), 1, 100000);
  // readmission-28d's age bands: at the discharge too.
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "age_band:18-64", 2), 0, 1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "age_band:65-74", 2), 0, 1);
}

TEST(IndicatorSettledTest, SnapshotAgesAtThePeriodEnd) {
  Data d;
  d.Person("P1", "service_user", "1949-04-20");  // 75 on 04-30
  d.Add("services", {{"service_id", "S1"}, {"person_id", "P1"}, {"service_type", "home_care"}, {"term", "long"},
                     {"start_on", "2024-04-01"}});
  d.Person("P2", "carer", "1959-04-30", {{"employment", "full_time"}});  // 65 on 04-30: not under 65
  d.Person("P3", "carer", "1959-05-01", {{"employment", "full_time"}});  // 64 on 04-30
  for (const char* p : {"P2", "P3"})
    d.Add("assessments", {{"assessment_id", std::string("A") + p}, {"person_id", p}, {"kind", "carer"},
                          {"completed_on", "2024-04-01"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"reviews-12m", "working-carers"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "age_band:75-84", 0), 0, 1);
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C", "all", 1)->denominator_persons), "P3");
}

//===----------------------------------------------------------------------===//
// Rates per 100,000: the populations.csv year on or before the period's
// year, over the period (not annualised); for the council only, saying so.
//===----------------------------------------------------------------------===//

TEST(IndicatorSettledTest, RatesUseThePopulationOfTheYearOnOrBefore) {
  Data d;
  d.Person("P1", "service_user", "1940-01-01");
  d.Admission("H1", "P1", "2022-04-10", "Y");
  d.Admission("H2", "P1", "2024-04-10", "Y");
  d.Admission("H3", "P1", "2024-04-11", "Y");
  d.Add("populations", {{"area", "A"}, {"year", "2023"}, {"age_band", "75-84"}, {"sex", "F"}, {"count", "40000"}});
  d.Add("populations", {{"area", "A"}, {"year", "2025"}, {"age_band", "75-84"}, {"sex", "F"}, {"count", "80000"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"care-home-admissions-65"}), "2022-04", "2024-04");
  // April 2024: 2 admissions in the month per 40,000 (2023's): 5 per
  // 100,000 over the month, not annualised.
  const Figure* april24 = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(april24, 2, 40000);
  EXPECT_DOUBLE_EQ(april24->value.value_or(-1), 5.0);
  // April 2022: no year on or before 2022: no denominator, no rate (2023's
  // was used before).
  const Figure* april22 = Find(r, *s, "2022-04", "C");
  EXPECT_FIGURE(april22, 1, 0);
  EXPECT_FALSE(april22->value.has_value());
  // Teams have no resident population: no figures, and the output says why.
  EXPECT_EQ(Find(r, *s, "2024-04", "T1"), nullptr);
  auto stats = ComputeSeriesStats(r, *s);
  ASSERT_TRUE(stats.ok());
  nlohmann::json j = nlohmann::json::parse(ResultToJson(r, *s, *stats, {}));
  EXPECT_EQ(j["indicators"][0]["rate_note"],
            "rates per 100,000 residents are for the council only (residents are counted by area, not by team), "
            "from the populations.csv year on or before each period's end; none where no such year is loaded");
}

//===----------------------------------------------------------------------===//
// intensive-home-care: a Monday-Sunday week belongs to the period its Monday
// falls in; "more than 10 hours" is > 600 minutes, "6 or more visits" >= 6.
//===----------------------------------------------------------------------===//

TEST(IndicatorSettledTest, IntensiveHomeCareWeeks) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) {
    d.Person(p, "service_user", "1940-01-01");
    d.Add("services", {{"service_id", std::string("S") + p}, {"person_id", p}, {"service_type", "home_care"},
                       {"term", "long"}, {"start_on", "2023-01-01"}});
  }
  int n = 0;
  auto visits = [&](const std::string& p, const std::vector<std::string>& days, const std::vector<int>& minutes) {
    for (size_t i = 0; i < days.size(); ++i)
      d.Add("visits", {{"visit_id", "V" + std::to_string(++n)}, {"person_id", p}, {"service_id", "S" + p},
                       {"visit_on", days[i]}, {"minutes", std::to_string(minutes[i])}});
  };
  // P1: the week of Monday 27 May, all six visits in June (Saturday 1 and
  // Sunday 2): May's.
  visits("P1", {"2024-06-01", "2024-06-01", "2024-06-01", "2024-06-02", "2024-06-02", "2024-06-02"},
         {120, 120, 120, 120, 120, 120});
  // P2: 601 minutes in 6 visits, week of Monday 8 April: April's.
  visits("P2", {"2024-04-08", "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12", "2024-04-14"},
         {101, 100, 100, 100, 100, 100});
  // P3: exactly 600 minutes in 6 visits: not more than 10 hours.
  visits("P3", {"2024-04-08", "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12", "2024-04-14"},
         {100, 100, 100, 100, 100, 100});
  // P4: 750 minutes in 5 visits: not 6.
  visits("P4", {"2024-04-08", "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12"}, {150, 150, 150, 150, 150});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"intensive-home-care"}), "2024-04", "2024-06");
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->denominator_persons), "P2");
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-05", "C")->denominator_persons), "P1");
  EXPECT_EQ(Find(r, *s, "2024-06", "C")->numerator, 0);
}

//===----------------------------------------------------------------------===//
// A carer assessment is one of kind carer or joint, counted for the person
// whose id it carries. "Carers supported in the 12 months" applies
// carers-supported's criteria over those 365 days.
//===----------------------------------------------------------------------===//

TEST(IndicatorSettledTest, CarerAssessmentsCountForThePersonTheyCarry) {
  Data d;
  // P1's joint assessment carries P1, recorded as a service user: P1 is the
  // carer it counts for. P2's needs assessment is no carer assessment.
  d.Person("P1", "service_user", "1960-01-01", {{"employment", "part_time"}});
  d.Person("P2", "carer", "1960-01-01", {{"employment", "full_time"}});
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"kind", "joint"}, {"completed_on", "2024-04-10"}});
  d.Add("assessments", {{"assessment_id", "A2"}, {"person_id", "P2"}, {"kind", "needs"}, {"completed_on", "2024-04-10"}});
  d.Add("emergency_plans", {{"plan_id", "X1"}, {"person_id", "P1"}, {"agreed_on", "2024-04-11"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carer-assessments", "carers-supported", "carer-emergency-plan", "working-carers"}),
                   "2024-04", "2024-04");
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(r.indicators[i].def->id);
    EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C", "all", i)->denominator_persons), "P1");
  }
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 2), 1, 1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 3), 1, 1);
}

// The 12 months: an assessment on period_end - 364 counts, on - 365 not; a
// hub service that ended on period_end - 364 counts, on - 365 not.
TEST(IndicatorSettledTest, CarersSupportedInTheTwelveMonths) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) d.Person(p, "carer", "1960-01-01");
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"kind", "carer"}, {"completed_on", "2023-05-02"}});
  d.Add("assessments", {{"assessment_id", "A2"}, {"person_id", "P2"}, {"kind", "carer"}, {"completed_on", "2023-05-01"}});
  auto hub = [&](const std::string& p, const std::string& end) {
    d.Add("services", {{"service_id", "S" + p}, {"person_id", p}, {"service_type", "carer_support"}, {"term", "short"},
                       {"hub_intervention", "breaks"}, {"start_on", "2023-01-01"}, {"end_on", end}});
  };
  hub("P3", "2023-05-02");
  hub("P4", "2023-05-01");
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carer-emergency-plan"}), "2024-04", "2024-04");
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->denominator_persons), "P1 P3");
}

//===----------------------------------------------------------------------===//
// plan-with-review-date reads the latest support plan agreed on or before
// the period end; "with review_due_on" means the field is filled in.
//===----------------------------------------------------------------------===//

TEST(IndicatorSettledTest, PlanWithReviewDateReadsTheLatestPlan) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) {
    d.Person(p, "service_user", "1940-01-01");
    d.Add("services", {{"service_id", std::string("S") + p}, {"person_id", p}, {"service_type", "home_care"},
                       {"term", "long"}, {"start_on", "2023-01-01"}});
  }
  int n = 0;
  auto plan = [&](const std::string& p, const std::string& agreed, const std::string& due, const std::string& copy) {
    d.Add("support_plans", {{"plan_id", "L" + std::to_string(++n)}, {"person_id", p}, {"agreed_on", agreed},
                            {"review_due_on", due}, {"copy_given", copy}, {"contact_named", "Y"}});
  };
  plan("P1", "2023-06-01", "2024-06-01", "Y");  // complete, but superseded by
  plan("P1", "2024-03-01", "", "Y");            // the latest, with no review date: out
  plan("P2", "2023-06-01", "2023-12-01", "Y");  // the latest by the end (review overdue, but filled in): in
  plan("P2", "2024-05-01", "", "N");            // agreed after the period end: not read
  plan("P3", "2024-04-30", "2025-04-30", "N");  // the latest two, on one day: one of them
  plan("P3", "2024-04-30", "2025-04-30", "Y");  // complete is enough: in
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"plan-with-review-date"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 2, 4);
  EXPECT_EQ(Ids(*s, f->numerator_persons), "P2 P3");
}

//===----------------------------------------------------------------------===//
// A survey respondent is (person_id, instrument, collected_on); carer-qol
// averages respondents who answered all six items.
//===----------------------------------------------------------------------===//

void Answer(Data& d, const std::string& response, const std::string& p, const std::string& on, const std::string& item,
            int answer) {
  d.Add("survey_responses", {{"response_id", response}, {"person_id", p}, {"instrument", "sace"}, {"collected_on", on},
                             {"item", item}, {"answer", std::to_string(answer)}});
}

TEST(IndicatorSettledTest, ARespondentIsPersonInstrumentAndDay) {
  Data d;
  for (const char* p : {"P1", "P2", "P3"}) d.Person(p, "carer", "1960-01-01");
  // P1: the six items in two responses of one day: one respondent, score
  // (3-1)*3 + (3-2)*3 = 9. P2: six items, one answered 4 (no 1-3 answer):
  // not all six answered. P3: all 3s: 0.
  const char* items[] = {"q_occupation", "q_control", "q_self_care", "q_safety", "q_social", "q_support"};
  for (int i = 0; i < 6; ++i) Answer(d, i < 3 ? "Q1" : "Q2", "P1", "2024-04-10", items[i], i < 3 ? 1 : 2);
  for (int i = 0; i < 6; ++i) Answer(d, "Q3", "P2", "2024-04-10", items[i], i == 0 ? 4 : 1);
  for (int i = 0; i < 6; ++i) Answer(d, "Q4", "P3", "2024-04-11", items[i], 3);
  // P1 also answered q_satisfaction in both responses (1 and 1): once.
  Answer(d, "Q1", "P1", "2024-04-10", "q_satisfaction", 1);
  Answer(d, "Q2", "P1", "2024-04-10", "q_satisfaction", 1);
  Answer(d, "Q4", "P3", "2024-04-11", "q_satisfaction", 6);
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carer-qol", "carer-satisfaction"}), "2024-04", "2024-04");
  const Figure* qol = Find(r, *s, "2024-04", "C", "all", 0);
  EXPECT_FIGURE(qol, 9, 2);
  EXPECT_DOUBLE_EQ(qol->value.value_or(-1), 4.5);
  EXPECT_EQ(Ids(*s, qol->denominator_persons), "P1 P3");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 1), 1, 2);
}

//===----------------------------------------------------------------------===//
// case-audit-met counts checklist items (rows); complaints counts rows of
// kind complaint. (outcome-improved's measures: outcome_improved_test.cc.)
//===----------------------------------------------------------------------===//

TEST(IndicatorSettledTest, AuditItemsAndComplaintsAreRows) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  // One audit, three items: three rows (one na).
  for (const auto& [item, result] : std::vector<std::pair<std::string, std::string>>{
           {"plan_signed", "met"}, {"risk_assessed", "not_met"}, {"consent_recorded", "na"}})
    d.Add("case_audits", {{"audit_id", "CA1"}, {"person_id", "P1"}, {"audited_on", "2024-04-10"}, {"item", item},
                          {"result", result}});
  // Two complaints of one person on one day: two.
  for (const char* f : {"F1", "F2"})
    d.Add("feedback", {{"feedback_id", f}, {"person_id", "P1"}, {"kind", "complaint"}, {"received_on", "2024-04-10"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"case-audit-met", "complaints"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 0), 1, 2);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 1), 2, -1);
}

}  // namespace
}  // namespace goldthread::indicators
