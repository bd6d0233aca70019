// The checks that need the store's org tree: prime-indicator warnings
// (none, fewer than 6, more than 8, no better_off measure, no owner, no
// target), one plan per org unit, and gaps in the thread.
#include "planning/plan_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "planning/plan_test_util.h"

namespace goldthread::planning {
namespace {

using testing::Check;
using testing::Matching;
using testing::SmallTree;
using Lines = std::vector<std::string>;

const OrgTree& SmallTreeRef() {
  static const OrgTree tree = SmallTree();
  return tree;
}

// Lines 1-12: years and two objectives.
const std::string kHead = R"(years = ["2025-26", "2026-27", "2027-28"]
[[objective]]
id = "O1"
title = "Carers have a life of their own"
owner = "Director"
perspective = "customer"
[[objective]]
id = "O2"
title = "Staff know their work"
owner = "Principal social worker"
perspective = "learning_growth"

)";

// A team plan for unit `unit` with these prime indicators, each owned.
std::string TeamPlan(const std::string& id, const std::string& unit, const std::vector<std::string>& prime,
                     const std::string& objectives = "[\"O1\"]") {
  std::string list, owners;
  for (const std::string& p : prime) {
    list += (list.empty() ? "\"" : ", \"") + p + "\"";
    owners += (owners.empty() ? "\"" : ", \"") + p + "\" = \"SP\"";
  }
  return "[[plan]]\nid = \"" + id + "\"\norg_unit = \"" + unit + "\"\nowner = \"TM\"\nobjectives = " + objectives +
         "\nprime = [" + list + "]\nowners = { " + owners + " }\n";
}

// A target on every prime indicator of a plan, so the plan has none
// without one.
std::string Targets(const std::string& plan, const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids)
    out += "[[target]]\nplan = \"" + plan + "\"\nindicator = \"" + id +
           "\"\nvalue = 1\nby = 2027-03-31\nowner = \"SP\"\n";
  return out;
}

const std::vector<std::string> kSix = {"reviews-12m",       "assessment-28d", "carer-emergency-plan",
                                       "plan-with-review-date", "still-home-91",  "carer-qol"};

// Plans for the council, both services and teams T2, T3, so that only
// what a test varies about T1 is remarked on.
std::string Rest() {
  std::string out =
      "[[plan]]\nid = \"P-C\"\norg_unit = \"C\"\nowner = \"Director\"\nobjectives = [\"O1\", \"O2\"]\n"
      "[[plan]]\nid = \"P-S1\"\norg_unit = \"S1\"\nowner = \"Head\"\nobjectives = [\"O1\", \"O2\"]\n"
      "[[plan]]\nid = \"P-S2\"\norg_unit = \"S2\"\nowner = \"Head\"\nobjectives = [\"O1\", \"O2\"]\n";
  out += TeamPlan("P-T2", "T2", kSix) + TeamPlan("P-T3", "T3", kSix);
  return out + Targets("P-T2", kSix) + Targets("P-T3", kSix);
}

TEST(PlanCheckTest, AFullPlanHasNothingToRemark) {
  const OrgTree tree = SmallTree();
  EXPECT_EQ(Check(kHead + TeamPlan("P-T1", "T1", kSix) + Targets("P-T1", kSix) + Rest(), &tree), Lines{});
}

TEST(PlanCheckTest, PrimeIndicatorWarnings) {
  const OrgTree tree = SmallTree();
  // Line 13 is T1's [[plan]]; its prime list is on line 18.
  auto t1 = [&](const std::vector<std::string>& prime) {
    return Matching(Check(kHead + TeamPlan("P-T1", "T1", prime) + Targets("P-T1", prime) + Rest(), &tree), "P-T1");
  };
  EXPECT_EQ(t1({}), Lines{"plan.toml:13:1: warning: plan P-T1 (team T1) names no prime indicators (expected prime = "
                          "[...]: the six to eight indicators the team looks after, seed 003)"});
  EXPECT_EQ(t1({"reviews-12m", "still-home-91", "carer-qol"}),
            Lines{"plan.toml:18:9: warning: plan P-T1 (team T1) has 3 prime indicators; a team looks after six to "
                  "eight (seed 003: \"each team ... will have six or eight prime PIs\")"});
  EXPECT_EQ(t1({"reviews-12m", "assessment-28d", "carer-emergency-plan", "plan-with-review-date", "still-home-91",
                "carer-qol", "carer-involved", "dp-share", "pb-share"}),
            Lines{"plan.toml:18:9: warning: plan P-T1 (team T1) has 9 prime indicators; a team looks after six to "
                  "eight (seed 003: \"each team ... will have six or eight prime PIs\")"});
  // Eight is within the range.
  EXPECT_EQ(t1({"reviews-12m", "assessment-28d", "carer-emergency-plan", "plan-with-review-date", "still-home-91",
                "carer-qol", "carer-involved", "dp-share"}),
            Lines{});
  // Counting process instead of outcomes (seed 000).
  EXPECT_EQ(t1({"requests-new", "assessments-completed", "carer-assessments", "carers-supported",
                "intensive-home-care", "complaints"}),
            Lines{"plan.toml:18:9: warning: plan P-T1 (team T1): none of its prime indicators is a better_off "
                  "measure (all how_much: counting process instead of outcomes, seed 000)"});
  EXPECT_EQ(t1({"requests-new", "assessments-completed", "reviews-12m", "assessment-28d", "dp-share", "complaints"}),
            Lines{"plan.toml:18:9: warning: plan P-T1 (team T1): none of its prime indicators is a better_off "
                  "measure (how_much and how_well only: counting process instead of outcomes, seed 000)"});
}

TEST(PlanCheckTest, IndicatorsWithoutOwnerOrTargetAndTeamsWithoutPlan) {
  const OrgTree tree = SmallTree();
  // T1's plan names its six without owners and sets a target for five of
  // them; complaints is watched but owned by nobody.
  const std::string t1 =
      "[[plan]]\nid = \"P-T1\"\norg_unit = \"T1\"\nowner = \"TM\"\nobjectives = [\"O1\"]\nprime = [\"reviews-12m\", "
      "\"assessment-28d\", \"carer-emergency-plan\", \"plan-with-review-date\", \"still-home-91\", \"carer-qol\"]\n"
      "indicators = [\"complaints\"]\nowners = { \"carer-qol\" = \"Carers lead\" }\n";
  const std::vector<std::string> five = {"reviews-12m", "assessment-28d", "carer-emergency-plan",
                                         "plan-with-review-date", "still-home-91"};
  EXPECT_EQ(Matching(Check(kHead + t1 + Targets("P-T1", five) + Rest(), &tree), "P-T1"),
            (Lines{"plan.toml:13:1: warning: plan P-T1 (team T1): indicator complaints has no owner (name one in "
                   "owners = { \"complaints\" = \"...\" } or give it a target with an owner)",
                   "plan.toml:18:9: warning: plan P-T1 (team T1): prime indicator carer-qol has no target (seed 003: "
                   "\"each of the prime PIs must be considered for improvement\")"}));
  // Without T1's plan, the team has no prime indicators.
  EXPECT_EQ(Matching(Check(kHead + Rest(), &tree), "T1"),
            Lines{"plan.toml: warning: team T1 (Team one) has no plan, so no prime indicators"});
}

TEST(PlanCheckTest, TheThreadAndItsUnits) {
  const OrgTree tree = SmallTree();
  // T1 serves O2, which the service plan above it (P-S1) does not; T2
  // has a second plan; P-X names a unit the store does not have.
  const std::string s1 = "[[plan]]\nid = \"P-S1\"\norg_unit = \"S1\"\nowner = \"Head\"\nobjectives = [\"O1\"]\n";
  const std::string plans = s1 + TeamPlan("P-T1", "T1", kSix, "[\"O1\", \"O2\"]") + Targets("P-T1", kSix) +
                            TeamPlan("P-T2", "T2", kSix) + Targets("P-T2", kSix) +
                            TeamPlan("P-T2b", "T2", kSix) + Targets("P-T2b", kSix) +
                            "[[plan]]\nid = \"P-X\"\norg_unit = \"T4\"\nowner = \"X\"\nobjectives = [\"O1\"]\n";
  const Lines all = Check(kHead + plans, &tree);
  EXPECT_EQ(Matching(all, "thread"),
            (Lines{"plan.toml:18:1: warning: plan P-T1 serves objective O2, which the plan above it, P-S1 (S1), does "
                   "not: the thread breaks between S1 and T1"}));
  EXPECT_EQ(Matching(all, "council C"),
            Lines{"plan.toml: warning: council C (Council) has no plan: the plans below it hang straight from the "
                  "objectives"});
  EXPECT_EQ(Matching(all, "org unit"),
            (Lines{"plan.toml:106:12: error: plan P-T2b: org unit T2 already has plan P-T2 (line 61); one plan per org "
                   "unit",
                   "plan.toml:149:12: error: plan P-X: org unit 'T4' is not in the store's org units (did you mean "
                   "'T1'?)"}));
  EXPECT_EQ(Matching(all, "team T3"), Lines{"plan.toml: warning: team T3 (Team three) has no plan, so no prime indicators"});
  // An objective no plan serves.
  const std::string only_o1 = s1 + TeamPlan("P-T1", "T1", kSix) + Targets("P-T1", kSix);
  EXPECT_EQ(Matching(Check(kHead + only_o1, nullptr), "O2"),
            Lines{"plan.toml:7:1: warning: objective O2 is served by no plan: nothing in the thread leads to it"});
}

TEST(PlanCheckTest, ATargetServesOneOfItsPlansObjectives) {
  // T1's plan serves O1 only; its target on line 26 says it serves O2.
  std::string targets = Targets("P-T1", kSix);
  targets.replace(targets.find("owner = \"SP\"\n"), 13, "owner = \"SP\"\nobjective = \"O2\"\n");
  EXPECT_EQ(Matching(Check(kHead + TeamPlan("P-T1", "T1", kSix) + targets + Rest(), &SmallTreeRef()), "objective"),
            Lines{"plan.toml:26:13: error: target reviews-12m at T1 by 2027-03-31: objective O2 is not one its plan "
                  "P-T1 serves (add it to the plan's objectives, or set the target in a plan that serves it)"});
}

TEST(PlanCheckTest, FollowingAFigureUpTheThread) {
  const OrgTree tree = SmallTree();
  PlanDocument doc;
  const std::string s1 = "[[plan]]\nid = \"P-S1\"\norg_unit = \"S1\"\nowner = \"Head\"\nobjectives = [\"O1\"]\n";
  Check(kHead + s1 + TeamPlan("P-T1", "T1", kSix, "[\"O1\", \"O2\"]") + Targets("P-T1", kSix), &tree, &doc);
  LoadedPlan plan;
  plan.doc = doc;
  plan.org = tree;
  plan.thread = BuildThread(plan.doc, &plan.org);
  ThreadUp up = FollowUp(plan, "still-home-91", "T1");
  EXPECT_EQ(up.targets, std::vector<int32_t>{4});
  EXPECT_EQ(up.plans, (std::vector<int32_t>{1, 0}));  // P-T1, then P-S1 above it
  EXPECT_EQ(up.objectives, (std::vector<int32_t>{0, 1}));
  // A unit with no plan of its own goes up to its service's.
  ThreadUp t2 = FollowUp(plan, "reviews-12m", "T2");
  EXPECT_TRUE(t2.targets.empty());
  EXPECT_EQ(t2.plans, std::vector<int32_t>{0});
  EXPECT_EQ(t2.objectives, std::vector<int32_t>{0});
  EXPECT_EQ(PlanIndicators(plan.doc, 1, plan.thread), kSix);
}

}  // namespace
}  // namespace goldthread::planning
