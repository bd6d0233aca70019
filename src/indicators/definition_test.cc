// Definition errors: each with its exact "file:line:col: message".
#include "indicators/definition.h"

#include <gtest/gtest.h>

namespace goldthread::indicators {
namespace {

constexpr const char* kHeader = R"(id = "x"
title = "X"
description = "An example."
unit = "percent"
polarity = "up"
oba = "how_well"
kind = "flow"
version = 1
)";

std::string ErrorOf(const std::string& text) {
  auto r = ParseDefinition(text, "indicators/x.toml");
  return r.ok() ? "OK" : r.status().message();
}

struct Case {
  const char* name;
  std::string body;  // after the 8 header lines
  std::string message;
};

TEST(IndicatorDefinitionTest, ErrorsNameFileLineColumnAndHint) {
  const Case kCases[] = {
      {"misspelt field",
       "[population]\nunit = \"record\"\nfrom = \"requests\"\nwhere = \"recieved_on in period\"\n",
       "indicators/x.toml:12:10: unknown field 'recieved_on' in table requests (did you mean 'received_on'?)"},
      {"field further into the expression",
       "[population]\nfrom = \"requests\"\nwhere = \"received_on in period and rout = 'gp'\"\n",
       "indicators/x.toml:11:36: unknown field 'rout' in table requests (did you mean 'route'?)"},
      {"unknown code",
       "[population]\nfrom = \"services\"\nwhere = \"term = 'lng'\"\n",
       "indicators/x.toml:11:17: unknown code 'lng' (did you mean 'long'?)"},
      {"unknown code without a near one",
       "[population]\nfrom = \"services\"\nwhere = \"term = 'forever'\"\n",
       "indicators/x.toml:11:17: unknown code 'forever' (expected one of: long, short)"},
      {"unknown table",
       "[population]\nfrom = \"request\"\n",
       "indicators/x.toml:10:8: unknown table 'request' (did you mean 'requests'?)"},
      {"unknown key",
       "[population]\nfrom = \"requests\"\nwehre = \"1 = 1\"\n",
       "indicators/x.toml:11:1: unknown key 'population.wehre' (did you mean 'population.where'?)"},
      {"type error",
       "[population]\nfrom = \"requests\"\nwhere = \"received_on = 3\"\n",
       "indicators/x.toml:11:22: cannot compare date with number"},
      {"not a condition",
       "[population]\nfrom = \"requests\"\nwhere = \"received_on\"\n",
       "indicators/x.toml:11:10: expected a condition, got a date"},
      {"unknown function",
       "[population]\nfrom = \"services\"\nwhere = \"active(period_end)\"\n",
       "indicators/x.toml:11:10: unknown function 'active' (did you mean 'active_at'?)"},
      {"active_at without dates",
       "[population]\nfrom = \"reviews\"\nwhere = \"active_at(period_end)\"\n",
       "indicators/x.toml:11:10: active_at() needs a record with start and end dates; table reviews has none"},
      {"null comparison",
       "[population]\nfrom = \"services\"\nwhere = \"end_on = null\"\n",
       "indicators/x.toml:11:17: cannot compare with null (use 'is null' or 'is not null')"},
      {"bad Y/N literal",
       "[population]\nfrom = \"personal_budgets\"\nwhere = \"recorded_as_budget = 'yes'\"\n",
       "indicators/x.toml:11:31: a Y/N field is compared with 'Y' or 'N', not 'yes'"},
      {"unclosed parenthesis",
       "[population]\nfrom = \"requests\"\nwhere = \"(received_on in period\"\n",
       "indicators/x.toml:11:32: expected ')', got end of expression"},
      {"numerator field in the wrong table",
       "[population]\nfrom = \"services\"\n[numerator]\nfrom = \"reviews\"\nwhere = \"start_on <= period_end\"\n",
       "indicators/x.toml:13:10: unknown field 'start_on' in table reviews"},
      {"outer at the top",
       "[population]\nfrom = \"services\"\nwhere = \"outer.start_on <= period_end\"\n",
       "indicators/x.toml:11:10: 'outer' used where there is no enclosing record"},
      {"percent without numerator",
       "[population]\nfrom = \"services\"\n",
       "indicators/x.toml:1:1: unit 'percent' needs [numerator]"},
      {"multi-line string",
       "[population]\nfrom = \"services\"\nwhere = \"\"\"\nterm = 'long'\nand  stat_on <= period_end\n\"\"\"\n",
       "indicators/x.toml:13:6: unknown field 'stat_on' in table services (did you mean 'start_on'?)"},
  };
  for (const Case& c : kCases) EXPECT_EQ(ErrorOf(kHeader + c.body), c.message) << c.name;
}

TEST(IndicatorDefinitionTest, MetadataErrors) {
  EXPECT_EQ(ErrorOf("id = \"x\"\n"), "indicators/x.toml:1:1: missing 'title'");
  std::string bad_unit = kHeader;
  bad_unit.replace(bad_unit.find("\"percent\""), 9, "\"percnt\"");
  EXPECT_EQ(ErrorOf(bad_unit + "[population]\nfrom = \"requests\"\n"),
            "indicators/x.toml:4:8: unknown unit 'percnt' (did you mean 'percent'?)");
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "titel = \"y\"\n"),
            "indicators/x.toml:9:1: unknown key 'titel' (did you mean 'title'?)");
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "cuts = [\"agebands\"]\n"),
            "indicators/x.toml:9:9: unknown cut 'agebands' (did you mean 'age_band'?)");
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "follow_up_days = -1\n"),
            "indicators/x.toml:9:18: 'follow_up_days' must be a whole number of days from 0 to 3660");
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "follow_up_days = \"91\"\n"),
            "indicators/x.toml:9:18: 'follow_up_days' must be a whole number of days from 0 to 3660");
  // A TOML syntax error keeps toml++'s description.
  std::string msg = ErrorOf("id = \"x\n");
  EXPECT_EQ(msg.rfind("indicators/x.toml:1:", 0), 0u) << msg;
}

TEST(IndicatorDefinitionTest, ParsesMetadataParametersAndCriteria) {
  auto d = ParseDefinition(std::string(kHeader) +
                               "cuts = [\"sex\", \"carer_group\"]\nlinks = [\"outcome-improved\"]\n"
                               "[parameters]\nthreshold_days = 28\n"
                               "[population]\nunit = \"person\"\nfrom = \"services\"\n"
                               "where = \"term = 'long' and active_at(period_end)\"\n"
                               "[numerator]\nfrom = \"personal_budgets\"\nwhere = \"active_at(period_end)\"\n"
                               "claimed = \"recorded_as_budget = 'Y'\"\n"
                               "[criteria]\nb_second = \"plan_agreed_on <= period_end\"\n"
                               "a_first = \"allocation_informed_on <= period_end - threshold_days\"\n",
                           "x.toml");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->id, "x");
  EXPECT_EQ(d->follow_up_days, 0);
  EXPECT_EQ(d->cuts, (std::vector<Cut>{Cut::kSex, Cut::kCarerGroup}));
  EXPECT_EQ(d->links, std::vector<std::string>{"outcome-improved"});
  EXPECT_EQ(d->parameters.at("threshold_days"), 28);
  EXPECT_EQ(d->numerator_from, TableId::kPersonalBudgets);
  EXPECT_TRUE(d->has_claimed);
  // Criteria keep the order they are written in.
  EXPECT_EQ(d->criteria, (std::vector<std::string>{"b_second", "a_first"}));
}

TEST(IndicatorDefinitionTest, DuplicateIdsAreRefused) {
  std::vector<Definition> base, extra;
  auto a = ParseDefinition(std::string(kHeader) + "[population]\nfrom = \"requests\"\n[numerator]\nwhere = \"1 = 1\"\n",
                           "a.toml");
  auto b = ParseDefinition(std::string(kHeader) + "[population]\nfrom = \"requests\"\n[numerator]\nwhere = \"1 = 1\"\n",
                           "b.toml");
  ASSERT_TRUE(a.ok() && b.ok());
  base.push_back(std::move(a).value());
  extra.push_back(std::move(b).value());
  Status s = MergeDefinitions(base, std::move(extra));
  EXPECT_EQ(s.message(), "b.toml: indicator 'x' is already defined in a.toml");
}

}  // namespace
}  // namespace goldthread::indicators
