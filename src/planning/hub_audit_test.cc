#include "planning/hub_audit.h"

#include <gtest/gtest.h>

#include "planning/hub_codes.h"
#include "planning/hub_test_builder.h"

namespace goldthread::planning {
namespace {

int Iv(std::string_view code) { return FindHubIntervention(code); }
int G(std::string_view id) { return FindHubGroup(id); }

/// Two areas: A1 (1,000 carers, 100 of them BME) and A2 (500, 50 BME).
///   C1  A1, BME, born 1955, retired; cares for U1 (physical); breaks from
///       HUB1 May-June 2025; carer assessment 2025-04-10; satisfied (answer
///       2 in October 2025); outcome measure 7 -> 9.
///   C2  A1, born 1985, full time; cares for U2 (mental health); breaks by
///       direct payment; no assessment.
///   C3  A2, young adult, born 2004; cares for U1; information from VCS1
///       since December 2024, still open; no assessment (the voluntary
///       sector's support).
///   C4  A2, born 1960; information from VCS1 that ended 2025-03-31.
///   C5  A2; a service with no Hub intervention.
std::unique_ptr<Snapshot> TwoAreas() {
  testing::HubData d;
  d.Person("U1", "service_user", "1940-02-01", "A1", "physical");
  d.Person("U2", "service_user", "1980-02-01", "A1", "mental_health");
  d.Person("C1", "carer", "1955-06-01", "A1", "", "retired", "bme", "asian");
  d.Person("C2", "carer", "1985-06-01", "A1", "", "full_time");
  d.Person("C3", "carer", "2004-06-01", "A2", "", "part_time", "young_adult");
  d.Person("C4", "carer", "1960-06-01", "A2", "", "not_working");
  d.Person("C5", "carer", "1960-06-01", "A2");
  d.Link("C1", "U1", "2020-01-01");
  d.Link("C2", "U2", "2020-01-01");
  d.Link("C3", "U1", "2022-01-01");
  d.Link("C4", "U2", "2022-01-01", "2025-03-31");
  d.Service("S1", "C1", "carer_support", "breaks", "2025-05-01", "2025-06-30", "HUB1", "T1");
  d.Service("S2", "C2", "carer_support", "breaks", "2025-07-01", "", "", "T1", "direct_payment");
  d.Service("S3", "C3", "carer_support", "information", "2024-12-01", "", "VCS1", "T2");
  d.Service("S4", "C4", "carer_support", "information", "2024-06-01", "2025-03-31", "VCS1", "T2");
  d.Service("S5", "C5", "carer_support", "", "2025-06-01", "", "HUB1", "T2");
  d.Service("S6", "U1", "home_care", "", "2019-01-01", "", "PRV1", "T1");
  d.Assessment("A1", "C1", "carer", "2025-04-10");
  d.Survey("Q1", "C1", "2025-10-15", "q_satisfaction", "2");
  d.Measure("M1", "C1", "2025-05-01", "baseline", "health", "3");
  d.Measure("M1", "C1", "2025-05-01", "baseline", "caring_role", "4");
  d.Measure("M2", "C1", "2025-11-01", "follow_up", "health", "4");
  d.Measure("M2", "C1", "2025-11-01", "follow_up", "caring_role", "5");
  d.CarerPopulation("A1", "all", "1000");
  d.CarerPopulation("A1", "bme", "100");
  d.CarerPopulation("A2", "all", "500");
  d.CarerPopulation("A2", "bme", "50");
  d.CarerPopulation("A2", "physical", "200");  // a bare reason: not a Hub group
  return d.Finish();
}

HubOptions Options2025() {
  HubOptions o;
  o.year = 2025;
  o.data_start = DateFromCivil(2019, 1, 1);
  o.data_end = DateFromCivil(2026, 3, 31);
  o.rules = DefaultHubRules();
  return o;
}

TEST(HubAuditTest, ReachAndItsIntervalOnHandBuiltCells) {
  auto snap = TwoAreas();
  ASSERT_TRUE(snap);
  auto audit = RunHubAudit(*snap, Options2025());
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  EXPECT_EQ(audit->year.Label(), "2025-26");
  EXPECT_FALSE(audit->partial);
  EXPECT_EQ(audit->areas, (std::vector<std::string>{"A1", "A2"}));
  // Breaks, all carers, the whole council: C1 and C2 of 1,500 (A1 + A2).
  const HubCell& breaks = audit->cell(Iv("breaks"), G("all"), -1);
  EXPECT_EQ(breaks.reached, 2);
  ASSERT_TRUE(breaks.estimated.has_value());
  EXPECT_EQ(*breaks.estimated, 1500);
  EXPECT_DOUBLE_EQ(*breaks.reach, 2.0 / 1500);
  // Wilson (1927) for 2 of 1,500, by hand: centre (2 + z²/2)/(1500 + z²),
  // half z·sqrt(2·1498/1500 + z²/4)/(1500 + z²), z = 1.959964.
  ASSERT_TRUE(breaks.reach_ci.has_value());
  EXPECT_NEAR(breaks.reach_ci->low, 0.00036572427558412626, 1e-12);
  EXPECT_NEAR(breaks.reach_ci->high, 0.0048485612960102115, 1e-12);
  EXPECT_EQ(breaks.without_assessment, 1);  // C2
  ASSERT_EQ(breaks.providers.size(), 1u);
  EXPECT_EQ(breaks.providers[0].id, "HUB1");
  EXPECT_EQ(breaks.direct_payments, 1);
  // BME carers in A1: C1 of 100.
  const HubCell& bme = audit->cell(Iv("breaks"), G("bme"), 0);
  EXPECT_EQ(bme.reached, 1);
  EXPECT_EQ(*bme.estimated, 100);
  EXPECT_NEAR(bme.reach_ci->low, 0.001767432064140647, 1e-12);
  EXPECT_NEAR(bme.reach_ci->high, 0.054486196178705315, 1e-12);
  EXPECT_EQ(bme.respondents, 1);
  EXPECT_EQ(bme.satisfied, 1);
  EXPECT_EQ(bme.measured, 1);
  EXPECT_EQ(bme.improved, 1);
  // Breaks in A2: nobody.
  EXPECT_EQ(audit->cell(Iv("breaks"), G("all"), 1).reached, 0);
}

TEST(HubAuditTest, CarersWithoutAnAssessmentAreReached) {
  auto snap = TwoAreas();
  auto audit = RunHubAudit(*snap, Options2025());
  ASSERT_TRUE(audit.ok());
  // C3's information from the voluntary sector, no assessment ever: reached.
  const HubCell& info = audit->cell(Iv("information"), G("all"), 1);
  EXPECT_EQ(info.reached, 1);
  EXPECT_EQ(info.without_assessment, 1);
  EXPECT_EQ(audit->carers_reached, 3);  // C1, C2, C3; not C4 (ended) nor C5 (no intervention)
  EXPECT_EQ(audit->carers_without_assessment, 2);
  // Last year information reached C3 and C4: the trend's baseline.
  EXPECT_TRUE(audit->previous_comparable);
  EXPECT_EQ(info.previous_reached, 2);
}

TEST(HubAuditTest, CarerGroupsByFlagAgeWorkAndTheCaredForCondition) {
  auto snap = TwoAreas();
  auto audit = RunHubAudit(*snap, Options2025());
  ASSERT_TRUE(audit.ok());
  auto reached = [&](std::string_view iv, std::string_view g) { return audit->cell(Iv(iv), G(g), -1).reached; };
  EXPECT_EQ(reached("breaks", "age_65_plus"), 1);   // C1, 69 on 2025-05-01
  EXPECT_EQ(reached("breaks", "age_25_64"), 1);     // C2
  EXPECT_EQ(reached("breaks", "working"), 1);       // C2, full time
  EXPECT_EQ(reached("breaks", "psr_physical"), 1);  // C1 cares for U1
  EXPECT_EQ(reached("breaks", "psr_mental_health"), 1);
  EXPECT_EQ(reached("information", "young_adult"), 1);
  EXPECT_EQ(reached("information", "age_16_24"), 1);  // C3, 20 on 2025-04-01
  EXPECT_EQ(reached("information", "working"), 1);    // part time
  EXPECT_EQ(reached("information", "psr_physical"), 1);
  EXPECT_EQ(reached("information", "bme"), 0);
  // Totals: any intervention.
  EXPECT_EQ(audit->total(G("all"), -1).reached, 3);
  EXPECT_EQ(audit->total(G("all"), 0).reached, 2);
}

TEST(HubAuditTest, UnknownGroupsInTheEstimatesAreWarnedAbout) {
  auto snap = TwoAreas();
  auto audit = RunHubAudit(*snap, Options2025());
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->warnings.empty());
  EXPECT_EQ(audit->warnings[0],
            "carer_populations.csv: group 'physical' is not a Hub group, so its rows are not used (expected one of "
            "the ids of shared/DESIGN.md section 7; did you mean 'psr_physical'?)");
  // No LGBT estimate anywhere: nothing reached, red, but no reach.
  const HubCell& lgbt = audit->cell(Iv("breaks"), G("lgbt"), -1);
  EXPECT_FALSE(lgbt.estimated.has_value());
  EXPECT_EQ(lgbt.rating, Rating::kRed);
}

TEST(HubAuditTest, ThePreviousYearIsLeftOutWhenTheDataStartLater) {
  auto snap = TwoAreas();
  HubOptions o = Options2025();
  o.data_start = DateFromCivil(2024, 10, 1);
  auto audit = RunHubAudit(*snap, o);
  ASSERT_TRUE(audit.ok());
  EXPECT_FALSE(audit->previous_comparable);
  EXPECT_EQ(audit->cell(Iv("information"), G("all"), 1).previous_reached, -1);
  EXPECT_EQ(audit->cell(Iv("information"), G("all"), 1).scale, Scale::kEarly);
}

TEST(HubAuditTest, DefaultYearIsTheLatestCompleteOne) {
  EXPECT_EQ(DefaultHubYear(DateFromCivil(2026, 9, 30)), 2025);
  EXPECT_EQ(DefaultHubYear(DateFromCivil(2026, 3, 31)), 2025);
  EXPECT_EQ(DefaultHubYear(DateFromCivil(2026, 3, 30)), 2024);
}

/// Under- and over-provision: area A1 has 10,000 carers, 2,000 of them BME.
/// Information reaches 3 carers (0.03%), each through a different provider;
/// no BME carer.
std::unique_ptr<Snapshot> Provision() {
  testing::HubData d;
  d.Person("U1", "service_user", "1940-02-01", "A1", "physical");
  for (int i = 1; i <= 3; ++i) {
    std::string id = "C" + std::to_string(i);
    d.Person(id, "carer", "1960-06-01", "A1");
    d.Link(id, "U1", "2020-01-01");
    d.Service("S" + std::to_string(i), id, "carer_support", "information", "2025-05-01", "", "HUB" + std::to_string(i));
  }
  d.CarerPopulation("A1", "all", "10000");
  d.CarerPopulation("A1", "bme", "2000");
  return d.Finish();
}

TEST(HubAuditTest, UnderAndOverProvision) {
  auto snap = Provision();
  auto audit = RunHubAudit(*snap, Options2025());
  ASSERT_TRUE(audit.ok());
  // Over-provision: three providers, each reaching 1 of 10,000 (0.01%).
  ASSERT_EQ(audit->over.size(), 2u);  // the council and A1, all carers only
  EXPECT_EQ(audit->over[0].area, -1);
  EXPECT_EQ(audit->over[0].why,
            "3 providers run Information for carers in the council: HUB1 1 (0.01%), HUB2 1 (0.01%), HUB3 1 "
            "(0.01%); each reaches under 0.50% of an estimated 10,000");
  // Under-provision: BME carers first (an overlooked group), then all
  // carers; the council before its area.
  ASSERT_GE(audit->under.size(), 4u);
  EXPECT_EQ(audit->under[0].group, G("bme"));
  EXPECT_EQ(audit->under[0].area, -1);
  EXPECT_EQ(audit->under[0].why,
            "no carers from Black and minority ethnic communities reached by Emotional support & counselling in the "
            "council (an estimated 2,000)");
  bool all_info = false;
  for (const HubProvision& p : audit->under)
    if (p.group == G("all") && p.intervention == Iv("information") && p.area == -1) {
      all_info = true;
      EXPECT_EQ(p.why,
                "Information reaches 0.03% (0.01-0.09%) of an estimated 10,000 carers in the council, clearly "
                "under 0.50%");
    }
  EXPECT_TRUE(all_info);
  // Step 3 of seed 001 section 8.3: five questions, each answered.
  ASSERT_EQ(audit->questions.size(), 5u);
  EXPECT_EQ(audit->questions[4].question, "Where is there duplication or over-provision?");
  EXPECT_EQ(audit->questions[4].answers[0], audit->over[0].why + ".");
  EXPECT_EQ(audit->questions[0].answers[0],
            "3 carers were reached by Hub support in 2025-26 (0.03% of an estimated 10,000); 3 of them had no carer "
            "assessment recorded, so an indicator that counts assessments would miss them.");
}

}  // namespace
}  // namespace goldthread::planning
