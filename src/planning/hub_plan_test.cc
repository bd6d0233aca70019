// The Hub's scale reads the store's latest plan: a target on a carers'
// indicator at a team makes that team's area Intermediate-capable ("firm
// plans in place"), named in the evidence; a store without a plan gives
// no targets.
#include "planning/hub_plan.h"

#include <gtest/gtest.h>

#include <string>

#include "planning/hub_codes.h"
#include "planning/hub_test_builder.h"
#include "planning/plan_load.h"
#include "planning/plan_parse.h"
#include "store/store_test_util.h"

namespace goldthread::planning {
namespace {

// The carers' lead's plan for team T1: carers' quality of life by March 2027.
const std::string kPlan = R"(years = ["2025-26", "2026-27", "2027-28"]

[[objective]]
id = "O1"
title = "Carers have a life of their own"
owner = "Director"
perspective = "customer"

[[plan]]
id = "P-T1"
org_unit = "T1"
owner = "Team manager"
objectives = ["O1"]

[[target]]
plan = "P-T1"
indicator = "carer-qol"
value = 8.0
by = 2027-03-31
per = "year"
owner = "Carers' lead"
)";

/// Carers in two areas: C1 in A1 (team T1's breaks), C2 in A2 (team T2's).
std::unique_ptr<Snapshot> TwoTeams() {
  testing::HubData d;
  d.Person("U1", "service_user", "1940-02-01", "A1", "physical");
  d.Person("C1", "carer", "1955-06-01", "A1");
  d.Person("C2", "carer", "1960-06-01", "A2");
  d.Link("C1", "U1", "2020-01-01");
  d.Link("C2", "U1", "2020-01-01");
  d.Service("S1", "C1", "carer_support", "breaks", "2025-05-01", "2025-06-30", "HUB1", "T1");
  d.Service("S2", "C2", "carer_support", "breaks", "2025-05-01", "2025-06-30", "HUB1", "T2");
  d.CarerPopulation("A1", "all", "1000");
  d.CarerPopulation("A2", "all", "500");
  return d.Finish();
}

TEST(HubPlanTest, TheLatestPlansTargetsReachTheScale) {
  auto snap = TwoTeams();
  ASSERT_TRUE(snap);
  auto store = OpenStore(store_test::TempStore("hub_plan"), OpenMode::kCreateIfMissing);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // No plan yet: nothing counts as one.
  auto none = LatestPlanHubTargets(**store, *snap);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());

  const ParsedPlan parsed = ParsePlan(kPlan, "plan.toml");
  ASSERT_FALSE(HasErrors(parsed.diagnostics));
  PlanVersionInfo info;
  info.loaded_by = "tester";
  info.source = "plan.toml";
  ASSERT_TRUE((*store)->SavePlanVersion(ToRecord(parsed.doc, kPlan, info)).ok());
  auto targets = LatestPlanHubTargets(**store, *snap);
  ASSERT_TRUE(targets.ok()) << targets.status().ToString();
  ASSERT_EQ(targets->size(), 1u);
  EXPECT_EQ((*targets)[0].plan, "P-T1");
  EXPECT_EQ((*targets)[0].indicator, "carer-qol");
  EXPECT_EQ((*targets)[0].org_unit_id, "T1");
  EXPECT_EQ((*targets)[0].org_unit, snap->FindOrgUnit("T1"));
  EXPECT_EQ(FormatDate((*targets)[0].by), "2027-03-31");

  HubOptions o;
  o.year = 2025;
  o.data_start = DateFromCivil(2019, 1, 1);
  o.data_end = DateFromCivil(2026, 3, 31);
  o.rules = DefaultHubRules();
  o.plan_targets = *targets;
  auto audit = RunHubAudit(*snap, o);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  ASSERT_EQ(audit->plan_targets.size(), 1u);
  const int breaks = FindHubIntervention("breaks"), all = FindHubGroup("all");
  // A1's carers are T1's: its cells have the plan; A2 (T2's) and the
  // council as a whole (the target is not the council's) have none.
  const HubCell& a1 = audit->cell(breaks, all, 0);
  EXPECT_TRUE(a1.has_plan);
  EXPECT_NE(a1.scale_evidence.find("plan: P-T1's target on carer-qol at T1 by 2027-03-31"), std::string::npos)
      << a1.scale_evidence;
  EXPECT_FALSE(audit->cell(breaks, all, 1).has_plan);
  EXPECT_FALSE(audit->cell(breaks, all, -1).has_plan);
}

}  // namespace
}  // namespace goldthread::planning
