#include "planning/hub_rules.h"

#include <gtest/gtest.h>

#include "planning/hub_codes.h"
#include "planning/hub_rating.h"

namespace goldthread::planning {
namespace {

/// A hand-built cell: `reached` of `estimated` carers (Wilson interval as
/// the audit computes it), `satisfied` of `respondents`, `improved` of
/// `measured`.
HubCell Cell(int64_t reached, int64_t estimated, int64_t satisfied = 0, int64_t respondents = 0,
             int64_t improved = 0, int64_t measured = 0, int group = kHubGroupAll) {
  HubCell c;
  c.intervention = FindHubIntervention("breaks");
  c.group = group;
  c.reached = reached;
  c.estimated = estimated;
  c.reach = static_cast<double>(reached) / static_cast<double>(estimated);
  c.reach_ci = stats::WilsonInterval(static_cast<double>(reached), static_cast<double>(estimated));
  c.satisfied = satisfied;
  c.respondents = respondents;
  c.improved = improved;
  c.measured = measured;
  return c;
}

TEST(HubRulesTest, DefaultsAreTheDocumentedNumbers) {
  const HubRules& r = DefaultHubRules();
  EXPECT_DOUBLE_EQ(r.reach.red_below, 0.005);
  EXPECT_DOUBLE_EQ(r.reach.green_at_least, 0.02);
  EXPECT_DOUBLE_EQ(r.red_satisfaction_below, 0.20);
  EXPECT_DOUBLE_EQ(r.red_group_share_of_all, 0.5);
  EXPECT_DOUBLE_EQ(r.green_satisfaction_at_least, 0.40);
  EXPECT_DOUBLE_EQ(r.green_improved_at_least, 0.50);
  EXPECT_TRUE(r.green_every_overlooked_group);
  EXPECT_EQ(r.min_respondents, 10);
  EXPECT_EQ(r.min_measured, 10);
  EXPECT_EQ(r.over_min_providers, 3);
  EXPECT_DOUBLE_EQ(r.over_provider_reach_below, 0.005);
  EXPECT_EQ(r.plan_indicators.size(), 8u);
  EXPECT_EQ(r.source, "");
  for (const auto& own : r.intervention_reach) EXPECT_FALSE(own.has_value());
}

TEST(HubRatingTest, RedWhenLittleOrNothingIsOffered) {
  const HubRules& rules = DefaultHubRules();
  HubCell none = Cell(0, 4000);
  RateCell(none, nullptr, {}, rules);
  EXPECT_EQ(none.rating, Rating::kRed);
  EXPECT_EQ(none.evidence,
            "Red: nothing offered: no carer in the group reached. Reach 0.00% (0.00-0.10%) of an estimated 4,000 "
            "carers.");
  HubCell little = Cell(12, 4000);  // 0.3%, under 0.5%
  RateCell(little, nullptr, {}, rules);
  EXPECT_EQ(little.rating, Rating::kRed);
  // 12 of 4,000: Wilson 0.17-0.52%.
  EXPECT_EQ(little.evidence,
            "Red: little offered: reach under 0.50%. Reach 0.30% (0.17-0.52%) of an estimated 4,000 carers.");
  EXPECT_EQ(little.missing, (std::vector<std::string>{"satisfaction not measured", "outcomes not measured"}));
}

TEST(HubRatingTest, AmberGreenAndWhatIsMissing) {
  const HubRules& rules = DefaultHubRules();
  // 1% reach, well measured: amber only for reach.
  HubCell amber = Cell(40, 4000, 10, 20, 12, 20);
  RateCell(amber, nullptr, {}, rules);
  EXPECT_EQ(amber.rating, Rating::kAmber);
  EXPECT_EQ(amber.evidence,
            "Amber: some activity; not green: reach under 2.0%. Reach 1.00% (0.74-1.36%) of an estimated 4,000 "
            "carers; 50% of 20 survey respondents extremely or very satisfied; outcomes improved for 60% of 20 "
            "measured.");
  EXPECT_TRUE(amber.missing.empty());
  // 3% reach, satisfied and improving: green.
  HubCell green = Cell(120, 4000, 10, 20, 12, 20);
  RateCell(green, nullptr, {}, rules);
  EXPECT_EQ(green.rating, Rating::kGreen);
  // The same with five survey respondents: satisfaction is not measured
  // robustly, so amber, and the evidence says what is missing.
  HubCell few = Cell(120, 4000, 3, 5, 12, 20);
  RateCell(few, nullptr, {}, rules);
  EXPECT_EQ(few.rating, Rating::kAmber);
  EXPECT_EQ(few.missing, (std::vector<std::string>{"satisfaction not measured robustly (5 survey respondents, 10 needed)"}));
  EXPECT_NE(few.evidence.find("not green: satisfaction not measured robustly"), std::string::npos);
  // Poorly rated by its carers: red whatever its reach.
  HubCell poor = Cell(120, 4000, 2, 20, 12, 20);
  RateCell(poor, nullptr, {}, rules);
  EXPECT_EQ(poor.rating, Rating::kRed);
  EXPECT_EQ(poor.evidence.substr(0, 51), "Red: quality not acceptable: under 20% satisfied. R");
}

TEST(HubRatingTest, GroupsAgainstAllCarers) {
  const HubRules& rules = DefaultHubRules();
  HubCell all = Cell(120, 4000, 10, 20, 12, 20);
  RateCell(all, nullptr, {}, rules);
  // BME carers: 4 of 800 (0.5%, upper 1.3%) against 3% for all carers: red.
  HubCell bme = Cell(4, 800, 0, 0, 0, 0, FindHubGroup("bme"));
  RateCell(bme, &all, {}, rules);
  EXPECT_EQ(bme.rating, Rating::kRed);
  EXPECT_NE(bme.evidence.find("few or no choices for this group: reach clearly below half of all carers' 3.0%"),
            std::string::npos)
      << bme.evidence;
  EXPECT_TRUE(ClearlyLow(bme, &all, rules));
  // A small group with none reached: red (nothing offered), but not clearly
  // low: 0 of 9 is what chance gives at 3%.
  HubCell traveller = Cell(0, 9, 0, 0, 0, 0, FindHubGroup("traveller"));
  RateCell(traveller, &all, {}, rules);
  EXPECT_EQ(traveller.rating, Rating::kRed);
  EXPECT_FALSE(ClearlyLow(traveller, &all, rules));
  // All carers' cell is not green while an overlooked group's is clearly red.
  HubCell all_again = Cell(120, 4000, 10, 20, 12, 20);
  RateCell(all_again, nullptr, {"bme"}, rules);
  EXPECT_EQ(all_again.rating, Rating::kAmber);
  EXPECT_NE(all_again.evidence.find("only reaching certain groups: red for bme"), std::string::npos);
  // No estimate: not rated, and says why.
  HubCell unknown = Cell(5, 100, 0, 0, 0, 0, FindHubGroup("lgbt"));
  unknown.estimated.reset();
  unknown.reach.reset();
  unknown.reach_ci.reset();
  RateCell(unknown, &all, {}, rules);
  EXPECT_EQ(unknown.rating, Rating::kNone);
  EXPECT_EQ(unknown.evidence,
            "Not rated: reach cannot be judged without an estimate. 5 reached.");
  EXPECT_EQ(unknown.missing.front(), "no estimate of the carers in the group (carer_populations.csv)");
}

TEST(HubRatingTest, AnEditedRuleFileChangesTheRating) {
  auto edited = ParseHubRules(R"(
[green]
reach_at_least_percent = 1

[evidence]
min_respondents = 5

[intervention.breaks]
reach_below_percent = 1.5
reach_at_least_percent = 4
)",
                              "rules.toml");
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_DOUBLE_EQ(edited->reach.green_at_least, 0.01);
  EXPECT_DOUBLE_EQ(edited->reach.red_below, 0.005);  // kept
  EXPECT_EQ(edited->min_respondents, 5);
  EXPECT_EQ(edited->source, "rules.toml");
  // Breaks has its own thresholds: 1% reach is red under them.
  HubCell breaks = Cell(40, 4000, 10, 20, 12, 20);
  RateCell(breaks, nullptr, {}, *edited);
  EXPECT_EQ(breaks.rating, Rating::kRed);
  EXPECT_EQ(breaks.evidence.substr(0, 38), "Red: little offered: reach under 1.5%.");
  // Another intervention at 1% with five respondents is green under the
  // edited council-wide thresholds, amber under the defaults.
  HubCell info = Cell(40, 4000, 3, 5, 12, 20);
  info.intervention = FindHubIntervention("information");
  HubCell info_default = info;
  RateCell(info, nullptr, {}, *edited);
  RateCell(info_default, nullptr, {}, DefaultHubRules());
  EXPECT_EQ(info.rating, Rating::kGreen);
  EXPECT_EQ(info_default.rating, Rating::kAmber);
}

TEST(HubRulesTest, BadFilesAreRefusedWithFileLineAndKey) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"[red]\nreach_below_percent = -1\n",
       "rules.toml:2: red.reach_below_percent: expected a number from 0 to 100 (got -1)"},
      {"[green]\ncolour = \"green\"\n",
       "rules.toml:2: green.colour: unknown key (expected one of: reach_at_least_percent, "
       "satisfaction_at_least_percent, outcomes_improved_at_least_percent, every_overlooked_group)"},
      {"[amber]\nx = 1\n",
       "rules.toml:1: amber: unknown table (expected one of: red, green, evidence, over_provision, scale, "
       "intervention)"},
      {"[evidence]\nmin_respondents = 2.5\n",
       "rules.toml:2: evidence.min_respondents: expected a whole number of 0 or more (got 2.5)"},
      {"[intervention.respite]\nreach_below_percent = 1\n",
       "rules.toml:1: intervention.respite: unknown intervention (expected one of: emotional_support, brokerage, "
       "advocacy, health_wellbeing, caring_training, information, shaping_services, whole_family, education_1to1, "
       "activities_clubs, transitions, emergency_support, breaks, peer_community, benefits_finance, work_training, "
       "housing)"},
      {"[red]\nreach_below_percent = 5\n",
       "rules.toml:2: red.reach_below_percent is above green.reach_at_least_percent (red would overlap green)"},
      // The clash is reported at the key the file sets, here green's.
      {"[green]\nsatisfaction_at_least_percent = 10\n",
       "rules.toml:2: red.satisfaction_below_percent is above green.satisfaction_at_least_percent"},
      // nan is valid TOML and compares false with everything.
      {"[red]\nreach_below_percent = nan\n",
       "rules.toml:2: red.reach_below_percent: expected a number from 0 to 100 (got nan)"},
      {"[red]\ngroup_share_of_all = -nan\n",
       "rules.toml:2: red.group_share_of_all: expected a number from 0 to 1 (got nan)"},
      // One provider alone is no duplication.
      {"[over_provision]\nmin_providers = 1\n",
       "rules.toml:2: over_provision.min_providers: expected a whole number of 2 or more (got 1)"},
      {"[scale]\nplan_indicators = [\"carers-supported\", 3]\n",
       "rules.toml:2: scale.plan_indicators: expected an array of indicator ids (got an item that is 3)"},
      {"[red\n", "rules.toml:1: Error while parsing table header: expected ']', saw '\\n'"},
  };
  for (const Case& c : cases) {
    auto r = ParseHubRules(c.text, "rules.toml");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().message(), c.message);
  }
}

TEST(HubRulesTest, PlanIndicatorsMustBeIndicators) {
  const std::vector<std::string> ids = {"carer-qol", "carers-supported"};
  auto edited = ParseHubRules("# mine\n[scale]\nplan_indicators = [\"carer-qol\", \"carer-qoll\"]\n", "rules.toml");
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(CheckPlanIndicators(*edited, ids).message(),
            "rules.toml:3: scale.plan_indicators: 'carer-qoll' is not an indicator (the indicators are: carer-qol, "
            "carers-supported)");
  auto fine = ParseHubRules("[scale]\nplan_indicators = [\"carer-qol\"]\n", "rules.toml");
  ASSERT_TRUE(fine.ok());
  EXPECT_TRUE(CheckPlanIndicators(*fine, ids).ok());
  // The defaults name indicators that are not among these two.
  EXPECT_EQ(CheckPlanIndicators(DefaultHubRules(), ids).message().substr(0, 70),
            "the default rules: scale.plan_indicators: 'carer-assessments' is not a");
}

TEST(HubScaleTest, EarlyIntermediateAdvancedFromTrendPlanAndEvaluation) {
  const HubRules& rules = DefaultHubRules();
  // 40 -> 80 carers: a rise beyond chance; evaluated by 20 respondents.
  HubCell advanced = Cell(80, 4000, 10, 20);
  advanced.previous_reached = 40;
  RateCell(advanced, nullptr, {}, rules);
  ScaleCell(advanced, "", rules);
  EXPECT_EQ(advanced.scale, Scale::kAdvanced);
  // Ederer-Mantel: the Clopper-Pearson limits of 80 of 120 carers mapped by p/(1-p).
  EXPECT_EQ(advanced.scale_evidence,
            "Advanced: carers reached rose from 40 to 80 (ratio 2.00 (1.35-3.00), beyond chance); no plan with a "
            "target for carers covers it; achievements evaluated (survey or outcome measures).");
  // 40 -> 44: a rise within chance, with a plan and no evaluation.
  HubCell intermediate = Cell(44, 4000);
  intermediate.previous_reached = 40;
  RateCell(intermediate, nullptr, {}, rules);
  ScaleCell(intermediate, "P1's target on carers-supported at C00 by 2027-03-31", rules);
  EXPECT_EQ(intermediate.scale, Scale::kIntermediate);
  EXPECT_TRUE(intermediate.has_plan);
  // The same without a plan: early.
  HubCell early = intermediate;
  ScaleCell(early, "", rules);
  EXPECT_EQ(early.scale, Scale::kEarly);
  // No earlier year: early, and it says so.
  HubCell first = Cell(80, 4000, 10, 20);
  first.previous_reached = -1;
  ScaleCell(first, "P1", rules);
  EXPECT_EQ(first.scale, Scale::kEarly);
  EXPECT_EQ(first.scale_evidence.substr(0, 51), "Early: no earlier year in the data to show change; ");
}

}  // namespace
}  // namespace goldthread::planning
