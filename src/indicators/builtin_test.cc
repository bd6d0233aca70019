// Each built-in indicator (indicators/*.toml) on a small hand-built data set
// whose numerator and denominator were worked out by hand. April 2024 is the
// period unless stated: 2024-04-01 .. 2024-04-30.
#include <gtest/gtest.h>

#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Find;
using testing::Ids;
using testing::BuiltIns;
using testing::RunDefs;

TEST(IndicatorBuiltinTest, RequestsNewCountsReceivedInPeriodIncludingPeriodEnd) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  d.Person("P2", "service_user", "1990-01-01");
  d.Add("requests", {{"request_id", "R1"}, {"person_id", "P1"}, {"received_on", "2024-04-30"}});  // end day: in
  d.Add("requests", {{"request_id", "R2"}, {"person_id", "P1"}, {"received_on", "2024-05-01"}});  // May
  d.Add("requests", {{"request_id", "R3"}, {"person_id", "P2"}, {"received_on", "2024-04-01"}, {"org_unit_id", "T2"}});
  d.Add("requests", {{"request_id", "R4"}, {"person_id", "P2"}, {"received_on", "2024-03-31"}});  // March
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"requests-new"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 2, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "S"), 2, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T1"), 1, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T2"), 1, -1);
  // P1 is 74 on 2024-04-30, P2 is 34.
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "age_band:65-74"), 1, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "age_band:18-64"), 1, -1);
  EXPECT_EQ(Find(r, *s, "2024-04", "C", "age_band:85+"), nullptr);  // empty groups are left out
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->denominator_persons), "P1 P2");
  // Exact Poisson interval of 2: chi2(0.025; 4)/2 .. chi2(0.975; 6)/2.
  EXPECT_NEAR(*Find(r, *s, "2024-04", "C")->ci_low, 0.2422, 1e-4);
  EXPECT_NEAR(*Find(r, *s, "2024-04", "C")->ci_high, 7.2247, 1e-4);
}

TEST(IndicatorBuiltinTest, AssessmentsCompletedIgnoresMissingCompletionDate) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"kind", "needs"}, {"completed_on", "2024-04-15"}});
  d.Add("assessments", {{"assessment_id", "A2"}, {"person_id", "P1"}, {"kind", "needs"}, {"started_on", "2024-04-02"}});
  d.Add("assessments", {{"assessment_id", "A3"}, {"person_id", "P1"}, {"kind", "needs"}, {"completed_on", "2024-05-01"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"assessments-completed"}), "2024-04", "2024-05");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 1, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-05", "C"), 1, -1);
}

TEST(IndicatorBuiltinTest, CarerAssessmentsCountsCarerAndJoint) {
  Data d;
  d.Person("P1", "carer", "1960-01-01");
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"kind", "carer"}, {"completed_on", "2024-04-15"}});
  d.Add("assessments", {{"assessment_id", "A2"}, {"person_id", "P1"}, {"kind", "joint"}, {"completed_on", "2024-04-16"}});
  d.Add("assessments", {{"assessment_id", "A3"}, {"person_id", "P1"}, {"kind", "needs"}, {"completed_on", "2024-04-17"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carer-assessments"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 2, -1);
}

TEST(IndicatorBuiltinTest, CarersSupportedCountsEachCarerOnceInTheLatestTeam) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P5"}) d.Person(p, "carer", "1960-01-01");
  d.Person("P4", "service_user", "1960-01-01");
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"kind", "carer"}, {"completed_on", "2024-04-10"}});
  // Open-ended hub service started before the period: active in it.
  d.Add("services", {{"service_id", "S2"}, {"person_id", "P2"}, {"service_type", "carer_support"}, {"term", "long"},
                     {"hub_intervention", "breaks"}, {"start_on", "2024-01-01"}, {"org_unit_id", "T2"}});
  // Ended the day before the period starts: not active in it.
  d.Add("services", {{"service_id", "S3"}, {"person_id", "P3"}, {"service_type", "carer_support"}, {"term", "long"},
                     {"hub_intervention", "breaks"}, {"start_on", "2024-01-01"}, {"end_on", "2024-03-31"}});
  // Recorded as a service user: a hub service counts for the person it
  // carries whatever their role (shared/DESIGN.md section 4; version 1
  // required role = 'carer').
  d.Add("services", {{"service_id", "S4"}, {"person_id", "P4"}, {"service_type", "carer_support"}, {"term", "long"},
                     {"hub_intervention", "breaks"}, {"start_on", "2024-01-01"}});
  // Both routes; the service (starting 04-20) is later than the assessment (04-10): team T2.
  d.Add("assessments", {{"assessment_id", "A5"}, {"person_id", "P5"}, {"kind", "carer"}, {"completed_on", "2024-04-10"}});
  d.Add("services", {{"service_id", "S5"}, {"person_id", "P5"}, {"service_type", "carer_support"}, {"term", "short"},
                     {"hub_intervention", "information"}, {"start_on", "2024-04-20"}, {"org_unit_id", "T2"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carers-supported"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 4, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T1"), 2, -1);
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "T1")->denominator_persons), "P1 P4");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T2"), 2, -1);
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "T2")->denominator_persons), "P2 P5");
}

TEST(IndicatorBuiltinTest, Assessment28dCountsDay28AsWithin) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  d.Add("requests", {{"request_id", "R1"}, {"person_id", "P1"}, {"received_on", "2024-04-01"}});
  d.Add("requests", {{"request_id", "R2"}, {"person_id", "P1"}, {"received_on", "2024-04-01"}});
  // 28 days after received_on: within.
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"request_id", "R1"}, {"kind", "needs"},
                        {"completed_on", "2024-04-29"}});
  // 29 days: not within.
  d.Add("assessments", {{"assessment_id", "A2"}, {"person_id", "P1"}, {"request_id", "R2"}, {"kind", "needs"},
                        {"completed_on", "2024-04-30"}});
  // No request: outside the population.
  d.Add("assessments", {{"assessment_id", "A3"}, {"person_id", "P1"}, {"kind", "needs"}, {"completed_on", "2024-04-05"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"assessment-28d"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 1, 2);
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_DOUBLE_EQ(*f->value, 50.0);
  // Wilson 1/2: centre (1 + z²/2)/(2 + z²), as statsmodels gives.
  EXPECT_NEAR(*f->ci_low, 9.4531, 1e-3);
  EXPECT_NEAR(*f->ci_high, 90.5469, 1e-3);
}

TEST(IndicatorBuiltinTest, Reviews12mWindowEdgesOpenEndedServicesAndTeamMoves) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"}) d.Person(p, "service_user", "1940-01-01");
  auto lt = [&](const std::string& id, const std::string& p, const std::string& start, const std::string& end,
                const std::string& term = "long", const std::string& team = "T1") {
    d.Add("services", {{"service_id", id}, {"person_id", p}, {"service_type", "home_care"}, {"term", term},
                       {"setting", "community"}, {"start_on", start}, {"end_on", end}, {"org_unit_id", team}});
  };
  auto review = [&](const std::string& id, const std::string& p, const std::string& on) {
    d.Add("reviews", {{"review_id", id}, {"person_id", p}, {"kind", "planned"}, {"completed_on", on}});
  };
  lt("S1", "P1", "2020-01-01", "");  // open-ended
  // 2023-05-02 is period_end - 364: the first day of "the 365 days ending on
  // the period end", so it counts.
  review("V1", "P1", "2023-05-02");
  lt("S2", "P2", "2020-01-01", "");
  // 2023-05-01 is period_end - 365, exactly 365 days back: outside the 365
  // days ending on 2024-04-30, so it does not count.
  review("V2", "P2", "2023-05-01");
  lt("S3", "P3", "2020-01-01", "2024-04-30");  // ends on the period-end day: still active
  review("V3", "P3", "2024-04-30");           // on the period-end day: counts
  lt("S4", "P4", "2020-01-01", "2024-04-29");  // ended before the period end: out
  lt("S5", "P5", "2020-01-01", "", "short");   // short-term: out
  lt("S6", "P6", "2024-05-01", "");            // starts after: out
  lt("S7", "P7", "2020-01-01", "");
  d.Add("reviews", {{"review_id", "V7"}, {"person_id", "P7"}, {"kind", "planned"}, {"due_on", "2024-04-01"}});  // not done
  // P8 moves from T1 to T2 on 2024-03-16.
  lt("S8a", "P8", "2023-01-01", "2024-03-15");
  lt("S8b", "P8", "2024-03-16", "", "long", "T2");
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"reviews-12m"}), "2024-02", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 2, 5);
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->numerator_persons), "P1 P3");
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->denominator_persons), "P1 P2 P3 P7 P8");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T1"), 2, 4);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T2"), 0, 1);
  // In February P8 is still in T1 (and P4 is still active).
  EXPECT_FIGURE(Find(r, *s, "2024-02", "T1"), 2, 6);
  EXPECT_FIGURE(Find(r, *s, "2024-02", "T2"), 0, 0);
  EXPECT_FALSE(Find(r, *s, "2024-02", "T2")->value.has_value());  // 0/0 has no value
  EXPECT_FALSE(Find(r, *s, "2024-02", "T2")->ci_low.has_value());
}

// The Somerset case (seed 002): budgets claimed that fail the criteria.
Data PersonalBudgetData() {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4", "P5", "P6"}) d.Person(p, "service_user", "1940-01-01");
  auto svc = [&](const std::string& p, const std::string& setting, const std::string& delivery) {
    d.Add("services", {{"service_id", "S" + p}, {"person_id", p}, {"service_type", "home_care"}, {"term", "long"},
                       {"setting", setting}, {"delivery", delivery}, {"start_on", "2023-01-01"}});
  };
  auto pb = [&](const std::string& p, const std::string& informed, const std::string& plan, const std::string& choice,
                const std::string& recorded) {
    d.Add("personal_budgets", {{"budget_id", "B" + p}, {"person_id", p}, {"allocation_informed_on", informed},
                               {"plan_agreed_on", plan}, {"choice_confirmed_on", choice}, {"start_on", "2023-06-01"},
                               {"recorded_as_budget", recorded}});
  };
  svc("P1", "community", "managed_budget");
  pb("P1", "2023-05-01", "2023-05-10", "2023-05-20", "Y");  // substantiated and claimed
  svc("P2", "community", "commissioned");
  pb("P2", "2023-05-01", "", "", "Y");  // the letter: criterion 1 only
  svc("P3", "community", "managed_budget");
  pb("P3", "2023-05-01", "2023-05-10", "2023-05-20", "N");  // real but not recorded as one
  svc("P4", "community", "direct_payment");                // no budget record
  svc("P5", "community", "managed_budget");
  pb("P5", "2023-05-01", "2024-05-10", "2023-05-20", "Y");  // plan agreed after the period end
  svc("P6", "residential", "commissioned");                 // not community: out
  pb("P6", "2023-05-01", "2023-05-10", "2023-05-20", "Y");
  return d;
}

TEST(IndicatorBuiltinTest, PbShareReportsClaimedSubstantiatedAndFailingCriteria) {
  Data d = PersonalBudgetData();
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"pb-share", "pb-share-claimed"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 2, 5);  // P1, P3 substantiated of P1-P5
  EXPECT_EQ(Ids(*s, f->numerator_persons), "P1 P3");
  EXPECT_EQ(f->claimed, 3);  // P1, P2, P5
  ASSERT_EQ(r.indicators[0].def->criteria,
            (std::vector<std::string>{"allocation_informed", "plan_agreed", "choice_confirmed"}));
  EXPECT_EQ(f->failing, (std::vector<int64_t>{0, 2, 1}));  // plan: P2, P5; choice: P2
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 1), 3, 5);  // claimed: 60% against 40%
  EXPECT_DOUBLE_EQ(*Find(r, *s, "2024-04", "C", "all", 1)->value, 60.0);
}

TEST(IndicatorBuiltinTest, DpShareCountsDirectPayments) {
  Data d = PersonalBudgetData();
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"dp-share"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 1, 5);
}

TEST(IndicatorBuiltinTest, PlanWithReviewDateNeedsAllThreeAndAgreedByPeriodEnd) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) {
    d.Person(p, "service_user", "1940-01-01");
    d.Add("services", {{"service_id", std::string("S") + p}, {"person_id", p}, {"service_type", "home_care"},
                       {"term", "long"}, {"start_on", "2023-01-01"}});
  }
  auto plan = [&](const std::string& p, const std::string& agreed, const std::string& due, const std::string& copy,
                  const std::string& contact) {
    d.Add("support_plans", {{"plan_id", "L" + p}, {"person_id", p}, {"agreed_on", agreed}, {"review_due_on", due},
                            {"copy_given", copy}, {"contact_named", contact}});
  };
  plan("P1", "2024-01-01", "2025-01-01", "Y", "Y");
  plan("P2", "2024-01-01", "", "Y", "Y");            // no review date
  plan("P3", "2024-01-01", "2025-01-01", "N", "Y");  // no copy
  plan("P4", "2024-05-02", "2025-01-01", "Y", "Y");  // agreed after the period end
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"plan-with-review-date"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 1, 4);
}

TEST(IndicatorBuiltinTest, IntensiveHomeCareWeekRule) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4", "P5"}) d.Person(p, "service_user", "1940-01-01");
  auto svc = [&](const std::string& p, const std::string& type) {
    d.Add("services", {{"service_id", "S" + p}, {"person_id", p}, {"service_type", type}, {"term", "long"},
                       {"start_on", "2023-01-01"}});
  };
  int n = 0;
  auto visits = [&](const std::string& p, const std::vector<std::string>& days, int minutes) {
    for (const std::string& day : days)
      d.Add("visits", {{"visit_id", "V" + std::to_string(++n)}, {"person_id", p}, {"service_id", "S" + p},
                       {"visit_on", day}, {"minutes", std::to_string(minutes)}});
  };
  const std::vector<std::string> week = {"2024-04-08", "2024-04-09", "2024-04-10",
                                         "2024-04-11", "2024-04-12", "2024-04-14"};  // Monday 8th .. Sunday 14th
  svc("P1", "home_care");
  visits("P1", week, 101);  // 606 minutes > 600, 6 visits: yes
  svc("P2", "home_care");
  visits("P2", week, 100);  // exactly 600 minutes: not more than 10 hours
  svc("P3", "home_care");
  visits("P3", {week.begin(), week.begin() + 5}, 150);  // 750 minutes but 5 visits
  svc("P4", "home_care");
  // The week of Monday 29 April runs into May: it belongs to April.
  visits("P4", {"2024-04-29", "2024-04-30", "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04"}, 120);
  svc("P5", "day_care");
  visits("P5", week, 200);  // not home care
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"intensive-home-care"}), "2024-04", "2024-05");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 2, -1);
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->denominator_persons), "P1 P4");
  EXPECT_FIGURE(Find(r, *s, "2024-05", "C"), 0, -1);
}

TEST(IndicatorBuiltinTest, CarerEmergencyPlan) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) d.Person(p, "carer", "1960-01-01");
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "P1"}, {"kind", "carer"}, {"completed_on", "2023-06-01"}});
  d.Add("emergency_plans", {{"plan_id", "E1"}, {"person_id", "P1"}, {"agreed_on", "2024-04-30"}});  // on the end day
  // Exactly 365 days back: not in the 12 months.
  d.Add("assessments", {{"assessment_id", "A2"}, {"person_id", "P2"}, {"kind", "carer"}, {"completed_on", "2023-05-01"}});
  d.Add("services", {{"service_id", "S3"}, {"person_id", "P3"}, {"service_type", "carer_support"}, {"term", "short"},
                     {"hub_intervention", "breaks"}, {"start_on", "2023-01-01"}, {"end_on", "2023-12-31"}});
  d.Add("assessments", {{"assessment_id", "A4"}, {"person_id", "P4"}, {"kind", "joint"}, {"completed_on", "2024-02-01"}});
  d.Add("emergency_plans", {{"plan_id", "E4"}, {"person_id", "P4"}, {"agreed_on", "2024-05-01"}});  // after
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carer-emergency-plan"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 1, 3);
  EXPECT_EQ(Ids(*s, Find(r, *s, "2024-04", "C")->denominator_persons), "P1 P3 P4");
}

TEST(IndicatorBuiltinTest, StillHome91) {
  Data d;
  d.Person("P1", "service_user", "1954-01-01");  // 70
  d.Person("P2", "service_user", "1944-01-01");  // 80
  d.Person("P3", "service_user", "1954-01-01");
  d.Person("P4", "service_user", "1964-01-01");  // 60: out
  d.Person("P5", "service_user", "1949-01-01");
  d.Person("P6", "service_user", "1934-01-01");
  d.Person("P7", "service_user", "1954-01-01");
  auto ep = [&](const std::string& id, const std::string& p, const std::string& in, const std::string& out,
                const std::string& dest, const std::string& emergency = "Y") {
    d.Add("hospital_episodes", {{"episode_id", id}, {"person_id", p}, {"admitted_on", in}, {"discharged_on", out},
                                {"emergency", emergency}, {"discharge_destination", dest}});
  };
  auto adm = [&](const std::string& id, const std::string& p, const std::string& on, const std::string& permanent) {
    d.Add("care_home_admissions", {{"admission_id", id}, {"person_id", p}, {"admitted_on", on}, {"permanent", permanent}});
  };
  ep("E1", "P1", "2024-04-01", "2024-04-10", "reablement");  // still home
  ep("E2", "P2", "2024-04-01", "2024-04-15", "reablement");
  adm("H2", "P2", "2024-07-15", "Y");  // day 91 after discharge: within
  ep("E3", "P3", "2024-04-01", "2024-04-20", "reablement");
  adm("H3", "P3", "2024-07-21", "Y");  // day 92: outside, still home at 91 days
  ep("E4", "P4", "2024-04-01", "2024-04-10", "reablement");
  ep("E5", "P5", "2024-04-01", "2024-04-10", "home");  // not reablement
  ep("E6", "P6", "2024-04-01", "2024-04-05", "reablement");
  ep("E6b", "P6", "2024-04-25", "2024-05-01", "died");  // died within 91 days
  ep("E7", "P7", "2024-03-25", "2024-04-01", "reablement");
  adm("H7", "P7", "2024-05-01", "N");  // respite, not permanent
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"still-home-91"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 3, 5);
  EXPECT_EQ(Ids(*s, f->numerator_persons), "P1 P3 P7");
}

TEST(IndicatorBuiltinTest, Readmission28d) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) d.Person(p, "service_user", "1950-01-01");
  auto ep = [&](const std::string& id, const std::string& p, const std::string& in, const std::string& out,
                const std::string& emergency) {
    d.Add("hospital_episodes", {{"episode_id", id}, {"person_id", p}, {"admitted_on", in}, {"discharged_on", out},
                                {"emergency", emergency}, {"discharge_destination", "home"}});
  };
  ep("E1", "P1", "2024-03-20", "2024-04-02", "Y");
  ep("E2", "P1", "2024-04-30", "2024-05-05", "Y");  // 28 days after E1: a readmission
  ep("E3", "P2", "2024-04-01", "2024-04-10", "Y");
  ep("E4", "P2", "2024-05-09", "2024-05-10", "Y");  // 29 days: not
  ep("E5", "P3", "2024-04-10", "2024-04-15", "Y");
  ep("E6", "P3", "2024-04-20", "2024-04-25", "N");  // planned: not a readmission, but a discharge
  ep("E7", "P4", "2024-04-20", "", "Y");            // not yet discharged
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"readmission-28d"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 1, 4);
}

TEST(IndicatorBuiltinTest, CareHomeAdmissions65PerHundredThousand) {
  Data d;
  d.Person("P1", "service_user", "1954-01-01");
  d.Person("P2", "service_user", "1964-01-01");
  d.Person("P3", "service_user", "1944-01-01");
  d.Person("P4", "service_user", "1939-01-01");
  auto adm = [&](const std::string& id, const std::string& p, const std::string& on, const std::string& permanent) {
    d.Add("care_home_admissions", {{"admission_id", id}, {"person_id", p}, {"admitted_on", on}, {"permanent", permanent}});
  };
  adm("H1", "P1", "2024-04-10", "Y");
  adm("H2", "P2", "2024-04-10", "Y");  // 60
  adm("H3", "P3", "2024-04-10", "N");  // not permanent
  adm("H4", "P4", "2024-04-30", "Y");
  auto pop = [&](const std::string& year, const std::string& band, const std::string& sex, const std::string& n) {
    d.Add("populations", {{"area", "A"}, {"year", year}, {"age_band", band}, {"sex", sex}, {"count", n}});
  };
  pop("2023", "65-74", "F", "99999");  // an older year: not used for 2024
  pop("2024", "18-64", "F", "100000");
  pop("2024", "65-74", "F", "16000");
  pop("2024", "65-74", "M", "15000");
  pop("2024", "75-84", "F", "8000");
  pop("2024", "75-84", "M", "7000");
  pop("2024", "85+", "F", "2500");
  pop("2024", "85+", "M", "1500");
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"care-home-admissions-65"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 2, 50000);
  EXPECT_DOUBLE_EQ(*f->value, 4.0);
  EXPECT_EQ(Find(r, *s, "2024-04", "T1"), nullptr);  // residents are by area: council only
}

void Answers(Data& d, const std::string& p, const std::string& on, const std::vector<std::pair<std::string, int>>& items,
             const std::string& instrument = "sace") {
  for (const auto& [item, answer] : items)
    d.Add("survey_responses", {{"response_id", "Q" + p + on + instrument}, {"person_id", p}, {"instrument", instrument},
                               {"collected_on", on}, {"item", item}, {"answer", std::to_string(answer)}});
}

TEST(IndicatorBuiltinTest, CarerQolMeanOfCompleteResponses) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) d.Person(p, "carer", "1960-01-01");
  // 2+2+1+2+0+1 = 8
  Answers(d, "P1", "2024-04-10",
          {{"q_occupation", 1}, {"q_control", 1}, {"q_self_care", 2}, {"q_safety", 1}, {"q_social", 3}, {"q_support", 2}});
  Answers(d, "P1", "2024-04-10", {{"q_occupation", 3}}, "ascs");  // another instrument, same day
  Answers(d, "P2", "2024-04-12",
          {{"q_occupation", 1}, {"q_control", 1}, {"q_self_care", 1}, {"q_safety", 1}, {"q_social", 1}, {"q_support", 1}});
  Answers(d, "P3", "2024-04-12",  // five of six: left out
          {{"q_occupation", 1}, {"q_control", 1}, {"q_self_care", 1}, {"q_safety", 1}, {"q_social", 1}});
  Answers(d, "P4", "2024-05-01",  // May
          {{"q_occupation", 1}, {"q_control", 1}, {"q_self_care", 1}, {"q_safety", 1}, {"q_social", 1}, {"q_support", 1}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carer-qol"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 20, 2);
  EXPECT_DOUBLE_EQ(*f->value, 10.0);
  // t interval: 10 ± t(0.975; 1) * 2.8284 / sqrt(2) = 10 ± 12.7062 * 2.
  EXPECT_NEAR(*f->ci_low, 10 - 25.4124, 1e-3);
  EXPECT_NEAR(*f->ci_high, 10 + 25.4124, 1e-3);
}

TEST(IndicatorBuiltinTest, CarerSurveyShares) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4", "P5"}) d.Person(p, "carer", "1960-01-01");
  Answers(d, "P1", "2024-04-10", {{"q_satisfaction", 1}, {"q_involved", 1}, {"q_info_ease", 2}});
  Answers(d, "P2", "2024-04-10", {{"q_satisfaction", 2}, {"q_involved", 4}, {"q_info_ease", 3}});
  Answers(d, "P3", "2024-04-10", {{"q_satisfaction", 5}, {"q_involved", 5}, {"q_info_ease", 5}});
  Answers(d, "P4", "2024-04-10", {{"q_involved", 2}, {"q_info_ease", 5}});  // did not answer q_satisfaction
  Answers(d, "P5", "2024-04-10", {{"q_satisfaction", 3}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"carer-satisfaction", "carer-involved", "carer-info-easy"}), "2024-04",
               "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 0), 2, 4);  // 1, 2 of 1, 2, 5, 3
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 1), 2, 3);  // 1, 2 of 1, 4, 2 (5 left out)
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C", "all", 2), 1, 2);  // 2 of 2, 3 (5s left out)
}

TEST(IndicatorBuiltinTest, OutcomeImprovedAgainstLatestEarlierBaseline) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4", "P5"}) d.Person(p, "service_user", "1950-01-01");
  int n = 0;
  auto m = [&](const std::string& p, const std::string& instrument, const std::string& on, const std::string& stage,
               std::vector<double> scores) {
    ++n;
    int domain = 0;
    for (double sc : scores)
      d.Add("outcome_measures", {{"measure_id", "M" + std::to_string(n)}, {"person_id", p}, {"instrument", instrument},
                                 {"measured_on", on}, {"stage", stage}, {"domain", "d" + std::to_string(++domain)},
                                 {"score", std::to_string(sc)}});
  };
  m("P1", "wemwbs", "2024-01-10", "baseline", {3, 4});
  m("P1", "wemwbs", "2024-04-10", "follow_up", {5, 4});  // 9 > 7
  m("P2", "wemwbs", "2024-01-01", "baseline", {5, 5});
  m("P2", "wemwbs", "2024-04-10", "follow_up", {4, 6});  // 10 = 10: not improved
  m("P3", "wemwbs", "2024-04-10", "follow_up", {4, 6});  // no baseline: out
  m("P4", "wemwbs", "2023-06-01", "baseline", {1, 1});
  m("P4", "wemwbs", "2024-02-01", "baseline", {4, 4});
  m("P4", "wemwbs", "2024-04-10", "follow_up", {3, 3});  // 6 < 8 (the latest baseline)
  m("P5", "other", "2024-01-01", "baseline", {1, 1});
  m("P5", "wemwbs", "2024-04-10", "follow_up", {3, 3});  // baseline of another instrument: out
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"outcome-improved"}), "2024-04", "2024-04");
  const Figure* f = Find(r, *s, "2024-04", "C");
  EXPECT_FIGURE(f, 1, 3);
  EXPECT_EQ(Ids(*s, f->numerator_persons), "P1");
}

TEST(IndicatorBuiltinTest, WorkingCarersUnder65) {
  Data d;
  d.Person("P1", "carer", "1984-01-01", {{"employment", "full_time"}});
  d.Person("P2", "carer", "1974-01-01", {{"employment", "not_working"}});
  d.Person("P3", "carer", "1954-01-01", {{"employment", "full_time"}});  // 70: out
  d.Person("P4", "carer", "1994-01-01", {{"employment", "part_time"}});  // assessed too long ago
  d.Person("P5", "carer", "1959-05-01", {{"employment", "part_time"}});  // 64 on 2024-04-30, 65 the next day
  for (const char* p : {"P1", "P2", "P3", "P5"})
    d.Add("assessments", {{"assessment_id", std::string("A") + p}, {"person_id", p}, {"kind", "carer"},
                          {"completed_on", "2024-01-15"}});
  d.Add("assessments", {{"assessment_id", "A4"}, {"person_id", "P4"}, {"kind", "carer"}, {"completed_on", "2023-01-01"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"working-carers"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 2, 3);
}

TEST(IndicatorBuiltinTest, CaseAuditMetLeavesOutNa) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  auto a = [&](const std::string& item, const std::string& on, const std::string& result) {
    d.Add("case_audits", {{"audit_id", "CA1"}, {"person_id", "P1"}, {"audited_on", on}, {"item", item}, {"result", result}});
  };
  a("plan", "2024-04-10", "met");
  a("review", "2024-04-10", "met");
  a("carer", "2024-04-10", "not_met");
  a("risk", "2024-04-10", "na");
  a("consent", "2024-05-10", "not_met");
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"case-audit-met"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 2, 3);
}

TEST(IndicatorBuiltinTest, ComplaintsIncludeThoseWithoutAPerson) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01");
  d.Add("feedback", {{"feedback_id", "F1"}, {"person_id", "P1"}, {"kind", "complaint"}, {"received_on", "2024-04-03"}});
  d.Add("feedback", {{"feedback_id", "F2"}, {"kind", "complaint"}, {"received_on", "2024-04-30"}, {"org_unit_id", "T2"}});
  d.Add("feedback", {{"feedback_id", "F3"}, {"person_id", "P1"}, {"kind", "compliment"}, {"received_on", "2024-04-03"}});
  d.Add("feedback", {{"feedback_id", "F4"}, {"person_id", "P1"}, {"kind", "complaint"}, {"received_on", "2024-05-01"}});
  auto s = d.Finish();
  auto r = RunDefs(*s, BuiltIns({"complaints"}), "2024-04", "2024-04");
  EXPECT_FIGURE(Find(r, *s, "2024-04", "C"), 2, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T1"), 1, -1);
  EXPECT_FIGURE(Find(r, *s, "2024-04", "T2"), 1, -1);
}

TEST(IndicatorBuiltinTest, AllBuiltInsLoadWithTheirFixedIds) {
  auto defs = LoadDefinitionDir(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators");
  ASSERT_TRUE(defs.ok()) << defs.status().ToString();
  std::vector<std::string> ids;
  for (const Definition& d : *defs) ids.push_back(d.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "assessment-28d", "assessments-completed", "care-home-admissions-65", "carer-assessments",
                     "carer-emergency-plan", "carer-info-easy", "carer-involved", "carer-qol", "carer-satisfaction",
                     "carers-supported", "case-audit-met", "complaints", "dp-share", "intensive-home-care",
                     "outcome-improved", "pb-share", "pb-share-claimed", "plan-with-review-date", "readmission-28d",
                     "requests-new", "reviews-12m", "still-home-91", "working-carers"}));
}

}  // namespace
}  // namespace goldthread::indicators
