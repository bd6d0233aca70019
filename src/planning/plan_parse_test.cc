// Reading a plan file: every SMART refusal that the file alone (with the
// indicator definitions and the org units) can show, each with its exact
// message, file, line and column; the file's structure errors; and a good
// plan read into its document.
#include "planning/plan_parse.h"

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

// Lines 1-14: a year range, an objective and team T1's plan. Each test
// appends a [[target]] at line 15.
const std::string kHead = testing::kPlanHead;

std::string WithTarget(const std::string& body) { return kHead + "[[target]]\n" + body; }

const std::string kGoodTarget = R"(plan = "P-T1"
indicator = "reviews-12m"
value = 80.0
by = 2026-03-31
owner = "Senior practitioner"
)";

TEST(PlanParseTest, AGoodPlanHasNoProblemsAndReadsIntoItsDocument) {
  PlanDocument doc;
  EXPECT_EQ(Check(WithTarget(kGoodTarget), nullptr, &doc), Lines{});
  EXPECT_EQ(doc.years, (std::vector<int>{2024, 2025, 2026}));
  EXPECT_EQ(FormatDate(doc.Start()), "2024-04-01");
  EXPECT_EQ(FormatDate(doc.End()), "2027-03-31");
  ASSERT_EQ(doc.objectives.size(), 1u);
  EXPECT_EQ(doc.objectives[0].perspective, Perspective::kCustomer);
  EXPECT_EQ(doc.objectives[0].loc.line, 3);
  ASSERT_EQ(doc.plans.size(), 1u);
  EXPECT_EQ(doc.plans[0].objectives, std::vector<std::string>{"O1"});
  ASSERT_EQ(doc.targets.size(), 1u);
  const Target& t = doc.targets[0];
  EXPECT_EQ(t.org_unit, "T1");  // the plan's unit, since the target names none
  EXPECT_EQ(t.value, 80.0);
  EXPECT_EQ(FormatDate(t.by), "2026-03-31");
  EXPECT_EQ(t.per, PeriodKind::kQuarter);
  EXPECT_EQ(t.loc.line, 15);
  EXPECT_EQ(t.value_loc.line, 18);
  EXPECT_EQ(t.Label(), "reviews-12m at T1 by 2026-03-31");
  // Against the org tree the target is still SMART; only the units
  // without a plan are remarked on.
  const OrgTree tree = SmallTree();
  EXPECT_EQ(Matching(Check(WithTarget(kGoodTarget), &tree), "target"), Lines{});
}

struct Refusal {
  const char* name;
  std::string target;  // the [[target]] body
  bool with_tree;
  Lines expected;
};

// Every refusal of a target that is not SMART, or has no owner, with its
// exact message. The target starts at line 15, its keys on 16-20.
TEST(PlanParseTest, EveryTargetThatIsNotSmartIsRefusedWithItsReason) {
  const Refusal cases[] = {
      {"no indicator", "plan = \"P-T1\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\n", false,
       {"plan.toml:15:1: error: target (no indicator) at T1 by 2026-03-31 is not Specific: it names no indicator "
       "(expected indicator = \"reviews-12m\": one indicator id)"}},
      {"unknown indicator", "plan = \"P-T1\"\nindicator = \"reviews-12\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\n",
       false,
       {"plan.toml:17:13: error: target reviews-12 at T1 by 2026-03-31 is not Specific: indicator 'reviews-12' is not "
       "defined (did you mean 'reviews-12m'?)"}},
      {"two indicators",
       "plan = \"P-T1\"\nindicator = [\"reviews-12m\", \"dp-share\"]\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\n",
       false,
       {"plan.toml:17:13: error: target (no indicator) at T1 by 2026-03-31 is not Specific: indicator must be one "
       "indicator id, got a list (give each its own [[target]])"}},
      {"unknown org unit",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\norg_unit = \"T9\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\n",
       true,
       {"plan.toml:18:12: error: target reviews-12m at T9 by 2026-03-31 is not Specific: org unit 'T9' is not in the "
       "store's org units (did you mean 'T1'?)"}},
      {"org unit outside the plan",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\norg_unit = \"T3\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\n",
       true,
       {"plan.toml:18:12: error: target reviews-12m at T3 by 2026-03-31 is not Specific: org unit T3 is outside plan "
       "P-T1's org unit T1 (a plan's targets are for its own unit or the units below it)"}},
      {"no value", "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nby = 2026-03-31\nowner = \"SP\"\n", false,
       {"plan.toml:15:1: error: target reviews-12m at T1 by 2026-03-31 is not Measurable: it has no value (expected "
       "value = a number in the indicator's unit, such as 60.0 for 60%)"}},
      {"value as text",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = \"80%\"\nby = 2026-03-31\nowner = \"SP\"\n", false,
       {"plan.toml:18:9: error: target reviews-12m at T1 by 2026-03-31 is not Measurable: value must be a number, got "
       "text"}},
      {"percentage over 100",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 160\nby = 2026-03-31\nowner = \"SP\"\n", false,
       {"plan.toml:18:9: error: target reviews-12m at T1 by 2026-03-31 is not Measurable: value 160 is outside 0-100 "
       "(reviews-12m is a percentage: write 60.0 for 60%)"}},
      {"negative count", "plan = \"P-T1\"\nindicator = \"complaints\"\nvalue = -5\nby = 2026-03-31\nowner = \"SP\"\n",
       false,
       {"plan.toml:18:9: error: target complaints at T1 by 2026-03-31 is not Measurable: value -5 is negative "
       "(complaints is a count)"}},
      {"no date", "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nowner = \"SP\"\n", false,
       {"plan.toml:15:1: error: target reviews-12m at T1 is not Time bound: it has no date (expected by = "
       "2027-03-31, within the plan's years)"}},
      {"not a date",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = \"2026-02-30\"\nowner = \"SP\"\n", false,
       {"plan.toml:19:6: error: target reviews-12m at T1 is not Time bound: by '2026-02-30' is not a date (expected "
       "YYYY-MM-DD)"}},
      {"date of the wrong type", "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = 2026\nowner = \"SP\"\n",
       false,
       {"plan.toml:19:6: error: target reviews-12m at T1 is not Time bound: by must be a date, such as 2027-03-31, got "
       "a number"}},
      {"after the plan's years",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = 2028-03-31\nowner = \"SP\"\n", false,
       {"plan.toml:19:6: error: target reviews-12m at T1 by 2028-03-31 is not Time bound: by 2028-03-31 is outside the "
       "plan's years 2024-25 to 2026-27 (2024-04-01 to 2027-03-31)"}},
      {"before the plan's years",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = \"2024-03-31\"\nowner = \"SP\"\n", false,
       {"plan.toml:19:6: error: target reviews-12m at T1 by 2024-03-31 is not Time bound: by 2024-03-31 is outside the "
       "plan's years 2024-25 to 2026-27 (2024-04-01 to 2027-03-31)"}},
      // Its indicator then has no owner in the plan either.
      {"no owner", "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = 2026-03-31\n", false,
       {"plan.toml:9:1: warning: plan P-T1: indicator reviews-12m has no owner (name one in owners = { \"reviews-12m\" = "
       "\"...\" } or give it a target with an owner)",
        "plan.toml:15:1: error: target reviews-12m at T1 by 2026-03-31 has no owner (expected owner = \"Senior "
        "practitioner, Carrow\": who answers for it)"}},
      {"empty owner", "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"\"\n",
       false,
       {"plan.toml:9:1: warning: plan P-T1: indicator reviews-12m has no owner (name one in owners = { \"reviews-12m\" = "
       "\"...\" } or give it a target with an owner)",
        "plan.toml:20:9: error: target reviews-12m at T1 by 2026-03-31: owner is empty (expected the person who "
        "answers for the target)"}},
      {"no plan", "indicator = \"reviews-12m\"\norg_unit = \"T1\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\n", false,
       {"plan.toml:15:1: error: target reviews-12m at T1 by 2026-03-31 names no plan (expected plan = \"P-T03\": the "
       "[[plan]] it belongs to)"}},
      {"unknown plan",
       "plan = \"P-T2\"\nindicator = \"reviews-12m\"\norg_unit = \"T1\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\n",
       false,
       {"plan.toml:15:1: error: target reviews-12m at T1 by 2026-03-31: plan 'P-T2' is not a [[plan]] of this file "
       "(did you mean 'P-T1'?)"}},
      {"unknown objective",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\nobjective = \"O2\"\n",
       false,
       {"plan.toml:21:13: error: target reviews-12m at T1 by 2026-03-31: objective 'O2' is not an [[objective]] of "
        "this file (did you mean 'O1'?)"}},
      {"per that is no period",
       "plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = 2026-03-31\nowner = \"SP\"\nper = \"week\"\n",
       false,
       {"plan.toml:21:7: error: target reviews-12m at T1 by 2026-03-31: per 'week' is not month, quarter or year (the "
       "period whose figure the target is judged on)"}},
  };
  const OrgTree tree = SmallTree();
  for (const Refusal& c : cases) {
    SCOPED_TRACE(c.name);
    const Lines got = Matching(Check(WithTarget(c.target), c.with_tree ? &tree : nullptr), "target");
    EXPECT_EQ(got, c.expected);
  }
}

TEST(PlanParseTest, ADateInsideAPeriodIsJudgedOnThePeriodBefore) {
  const Lines got =
      Check(WithTarget("plan = \"P-T1\"\nindicator = \"reviews-12m\"\nvalue = 80.0\nby = 2026-02-15\nowner = \"SP\"\n"),
            nullptr);
  EXPECT_EQ(got, Lines{"plan.toml:19:6: warning: target reviews-12m at T1 by 2026-02-15: 2026-02-15 is not the end of "
                       "a quarter; it is judged on the quarter ending 2025-12-31 (2025-26 Q3)"});
  EXPECT_EQ(PeriodEndingBy(DateFromCivil(2026, 3, 31), PeriodKind::kQuarter).Label(), "2025-26 Q4");
  EXPECT_EQ(PeriodEndingBy(DateFromCivil(2026, 3, 30), PeriodKind::kMonth).Label(), "2026-02");
  EXPECT_EQ(PeriodEndingBy(DateFromCivil(2026, 3, 30), PeriodKind::kYear).Label(), "2024-25");
  EXPECT_EQ(PeriodEndingBy(DateFromCivil(2025, 6, 30), PeriodKind::kQuarter).Label(), "2025-26 Q1");
}

TEST(PlanParseTest, StructureErrorsNameFileLineAndField) {
  EXPECT_EQ(Check("years = [\"2024-25\",\n", nullptr),
            Lines{"plan.toml:1:21: error: not valid TOML: Error while parsing array: encountered end-of-file"});
  EXPECT_EQ(Check("", nullptr),
            Lines{"plan.toml: error: the plan has no years (expected years = [\"2024-25\", \"2025-26\", \"2026-27\"]: "
                  "the financial years it covers, at least three)"});
  EXPECT_EQ(Check("years = [\"2024-25\", \"2025-26\"]\n", nullptr),
            Lines{"plan.toml:1:9: error: years: a plan covers at least three financial years (seed 004: \"Plans "
                  "should cover at least a three-year timescale\"); this one has 2"});
  EXPECT_EQ(Check("years = [\"2024-25\", \"2026-27\", \"2027-28\"]\n", nullptr),
            Lines{"plan.toml:1:21: error: years: 2026-27 does not follow 2024-25 (expected consecutive financial "
                  "years, in order)"});
  EXPECT_EQ(Check("years = [\"2024/25\", \"2025-26\", \"2026-27\"]\n", nullptr),
            Lines{"plan.toml:1:10: error: years: '2024/25' is not a financial year (expected YYYY-YY, such as "
                  "\"2024-25\")"});
  EXPECT_EQ(Check("years = \"2024-25\"\n", nullptr),
            Lines{"plan.toml:1:9: error: years must be a list of financial years, such as [\"2024-25\", "
                  "\"2025-26\", \"2026-27\"], got text"});
  const std::string objective = R"(years = ["2024-25", "2025-26", "2026-27"]
ttle = "A plan"
[[objective]]
id = "O1"
title = "Independence"
ower = "Director"
perspective = "customers"
[[objective]]
id = "O1"
title = "Again"
owner = "Director"
perspective = "financial"
)";
  EXPECT_EQ(Check(objective, nullptr),
            (Lines{"plan.toml:2:1: warning: unknown key 'ttle' ignored (did you mean 'title'?)",
                   "plan.toml:3:1: error: objective O1 has no owner (expected owner = \"Director of Adult Social "
                   "Care\" (who answers for it))",
                   "plan.toml:3:1: warning: objective O1 is served by no plan: nothing in the thread leads to it",
                   "plan.toml:6:1: warning: objective O1: unknown key 'ower' ignored (did you mean 'owner'?)",
                   "plan.toml:7:15: error: objective O1: perspective 'customers' is not one of financial, customer, "
                   "internal_process, learning_growth (did you mean 'customer'?)",
                   "plan.toml:8:1: error: objective O1 is defined twice (first at line 3)",
                   "plan.toml:8:1: warning: objective O1 is served by no plan: nothing in the thread leads to it"}));
  const std::string plan = R"(years = ["2024-25", "2025-26", "2026-27"]
[[objective]]
id = "O1"
title = "Independence"
owner = "Director"
perspective = "customer"
[[plan]]
id = "P1"
org_unit = "T1"
owner = "TM"
objectives = ["O2"]
prime = ["reviews-12m", "still-home91"]
owners = { "reviews-12m" = 3 }
[[plan]]
id = "P2"
org_unit = "T1"
objectives = []
)";
  EXPECT_EQ(Check(plan, nullptr),
            (Lines{"plan.toml:2:1: warning: objective O1 is served by no plan: nothing in the thread leads to it",
                   "plan.toml:7:1: error: plan P1: objective 'O2' is not an [[objective]] of this file (did you mean "
                   "'O1'?)",
                   "plan.toml:7:1: warning: plan P1: indicator reviews-12m has no owner (name one in owners = { "
                   "\"reviews-12m\" = \"...\" } or give it a target with an owner)",
                   "plan.toml:12:9: error: plan P1: prime indicator 'still-home91' is not defined (did you mean "
                   "'still-home-91'?)",
                   "plan.toml:12:9: warning: plan P1 has 2 prime indicators; a team looks after six to eight (seed "
                   "003: \"each team ... will have six or eight prime PIs\")",
                   "plan.toml:12:9: warning: plan P1: none of its prime indicators is a better_off measure (all "
                   "how_well: counting process instead of outcomes, seed 000)",
                   "plan.toml:12:9: warning: plan P1: prime indicator reviews-12m has no target (seed 003: \"each of "
                   "the prime PIs must be considered for improvement\")",
                   "plan.toml:13:28: error: plan P1: owners.reviews-12m must be text (in quotes), got a number",
                   "plan.toml:14:1: error: plan P2 has no owner (expected owner = \"Team manager, Carrow\" (who "
                   "answers for the plan))",
                   "plan.toml:17:14: error: plan P2 serves no objective (expected objectives = [\"O1\"]: what the "
                   "plan is for, the thread up to the council's objectives)"}));
}

}  // namespace
}  // namespace goldthread::planning
