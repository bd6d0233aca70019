// Definition errors: each with its exact "file:line:col: message".
#include "indicators/definition.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/test_cli.h"

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

// Every function an unknown name is told about, in FunctionNames() order.
constexpr const char* kFunctions =
    "exists, count, sum, max, min, week_count, week_sum, active_at, active_in, age_at, answer, week_start, "
    "age_low, between, days_before, days_after, latest, first, median, percentile, has_group, months_before, "
    "months_after, add_months";

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
       "indicators/x.toml:11:10: unknown function 'active' (did you mean 'active_at'?); the functions are: " +
           std::string(kFunctions)},
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
      {"a reference is no number",
       "[population]\nfrom = \"assessments\"\nwhere = \"request_id = 3\"\n",
       "indicators/x.toml:11:21: cannot compare record reference with number"},
      {"references to different tables",
       "[population]\nfrom = \"assessments\"\nwhere = \"request_id = person_id\"\n",
       "indicators/x.toml:11:21: cannot compare a reference to requests with a reference to people"},
      {"references are not ordered",
       "[population]\nfrom = \"assessments\"\nwhere = \"request_id < request_id\"\n",
       "indicators/x.toml:11:21: '<' orders numbers and dates, not record references"},
      {"no sum of references",
       "[population]\nfrom = \"assessments\"\nwhere = \"sum(visits, service_id) > 1\"\n",
       "indicators/x.toml:11:22: sum() sums or compares numbers or dates, got a record reference"},
      {"an id of a composite key",
       "[population]\nfrom = \"survey_responses\"\nwhere = \"response_id = response_id\"\n",
       "indicators/x.toml:11:10: field 'response_id' (id) cannot be used in conditions"},
      {"multi-line string",
       "[population]\nfrom = \"services\"\nwhere = \"\"\"\nterm = 'long'\nand  stat_on <= period_end\n\"\"\"\n",
       "indicators/x.toml:13:6: unknown field 'stat_on' in table services (did you mean 'start_on'?)"},
  };
  for (const Case& c : kCases) EXPECT_EQ(ErrorOf(kHeader + c.body), c.message) << c.name;
}

// Habits from SQL, DAX or C, and TOML's table rule, are met with what to
// write instead (issue 13).
TEST(IndicatorDefinitionTest, MessagesSayWhatToDo) {
  const std::string pop = "[population]\nfrom = \"services\"\nwhere = \"";
  const Case kCases[] = {
      {"== for =", pop + "term == 'long'\"\n",
       "indicators/x.toml:11:15: '==' is not an operator here: use '=' to compare (x = 1)"},
      {"&& for and", pop + "term = 'long' && start_on <= period_end\"\n",
       "indicators/x.toml:11:24: '&&' is not an operator here: use 'and'"},
      {"|| for or", pop + "term = 'long' || start_on <= period_end\"\n",
       "indicators/x.toml:11:24: '||' is not an operator here: use 'or'"},
      {"and and", pop + "term = 'long' and and start_on <= period_end\"\n",
       "indicators/x.toml:11:28: expected a condition or value after 'and', got the keyword 'and' (is something "
       "missing or written twice?)"},
      {"a condition starting with or", pop + "or term = 'long'\"\n",
       "indicators/x.toml:11:10: expected a condition or value, got the keyword 'or' (is something missing or "
       "written twice?)"},
      // The unknown function is named before its arguments are read (the
      // table name 'reviews' used to be reported as an unknown field).
      {"an unknown aggregate", pop + "medain(reviews, completed_on) > 0\"\n",
       "indicators/x.toml:11:10: unknown function 'medain' (did you mean 'median'?); the functions are: " +
           std::string(kFunctions)},
      {"an unknown function far from any", pop + "frobnicate(reviews) > 0\"\n",
       "indicators/x.toml:11:10: unknown function 'frobnicate'; the functions are: " + std::string(kFunctions)},
      {"double-quoted string", "[population]\nfrom = \"services\"\nwhere = '''term = \"long\"'''\n",
       "indicators/x.toml:11:19: strings are written in single quotes here ('long', not \"long\")"},
      {"a top-level key after [parameters]",
       "[parameters]\ndays = 7\ncuts = [\"sex\"]\n[population]\nfrom = \"services\"\n",
       "indicators/x.toml:11:1: 'cuts' is read as part of [parameters], since TOML puts every key after a [table] "
       "header into that table: move 'cuts' above the first [table] header"},
      {"a number after [parameters] that is a top-level key",
       "[parameters]\nfollow_up_days = 91\n[population]\nfrom = \"services\"\n",
       "indicators/x.toml:10:1: 'follow_up_days' is read as part of [parameters], since TOML puts every key after a "
       "[table] header into that table: move 'follow_up_days' above the first [table] header"},
      {"a top-level key after [population]",
       "[population]\nfrom = \"services\"\nversion = 2\n",
       "indicators/x.toml:11:1: 'version' is read as part of [population], since TOML puts every key after a [table] "
       "header into that table: move 'version' above the first [table] header"},
      {"value after [let]",
       "[let]\nk = \"1\"\nvalue = \"k\"\n[population]\nfrom = \"services\"\n",
       "indicators/x.toml:11:1: 'value' is read as part of [let], since TOML puts every key after a [table] header "
       "into that table: move 'value' above the first [table] header"},
  };
  for (const Case& c : kCases) EXPECT_EQ(ErrorOf(kHeader + c.body), c.message) << c.name;
}

// A let is usable in the population's where (it used to be compiled after
// it: "unknown field 'due' in table services").
TEST(IndicatorDefinitionTest, LetsAreUsableInThePopulation) {
  EXPECT_EQ(ErrorOf(std::string(kHeader) +
                    "[population]\nfrom = \"services\"\nwhere = \"due <= period_end\"\n"
                    "[let]\ndue = \"max(support_plans, review_due_on, agreed_on <= period_end)\"\n"
                    "[numerator]\nwhere = \"1 = 1\"\n"),
            "OK");
}

// A constant divisor of 0 is refused where it is written; one read from the
// data only makes that value unknown (eval_test.cc).
TEST(IndicatorDefinitionTest, ConstantDivisionByZeroIsRefused) {
  const Case kCases[] = {
      {"literal",
       "[population]\nfrom = \"visits\"\nwhere = \"minutes / 0 > 1\"\n",
       "indicators/x.toml:11:20: division by zero: the divisor is always 0"},
      {"decimal literal",
       "[population]\nfrom = \"visits\"\nwhere = \"minutes / 0.0 > 1\"\n",
       "indicators/x.toml:11:20: division by zero: the divisor is always 0"},
      {"parameter",
       "[parameters]\nhours = 0\n[population]\nfrom = \"visits\"\nwhere = \"minutes / hours > 1\"\n",
       "indicators/x.toml:13:20: division by zero: parameter 'hours' is 0"},
      {"arithmetic of constants",
       "[parameters]\nhours = 2\n[population]\nfrom = \"visits\"\nwhere = \"minutes / (hours - 2 * 1) > 1\"\n",
       "indicators/x.toml:13:20: division by zero: the divisor is always 0"},
      {"in a let",
       "[parameters]\nn = 0\n[population]\nfrom = \"visits\"\n[let]\nk = \"1 / n\"\n[numerator]\nwhere = \"k > 0\"\n",
       "indicators/x.toml:14:10: division by zero: parameter 'n' is 0"},
  };
  for (const Case& c : kCases) EXPECT_EQ(ErrorOf(kHeader + c.body), c.message) << c.name;
  // 1 / 1e-300 is large but not infinite; 0 / 2 divides by 2.
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "[population]\nfrom = \"visits\"\nwhere = \"0 / 2 < minutes\"\n"
                    "[numerator]\nwhere = \"1 = 1\"\n"),
            "OK");
}

TEST(IndicatorDefinitionTest, NumbersMustBeNumbers) {
  const Case kCases[] = {
      {"two points",
       "[population]\nfrom = \"visits\"\nwhere = \"minutes > 1.2.3\"\n",
       "indicators/x.toml:11:20: malformed number '1.2.3' (expected digits, or digits.digits)"},
      {"no digits after the point",
       "[population]\nfrom = \"visits\"\nwhere = \"minutes > 1.\"\n",
       "indicators/x.toml:11:20: malformed number '1.' (expected digits, or digits.digits)"},
      {"too large",
       "[population]\nfrom = \"visits\"\nwhere = \"minutes > " + std::string(400, '9') + "\"\n",
       "indicators/x.toml:11:20: number too large (400 digits)"},
      {"infinite parameter",
       "[parameters]\nn = inf\n[population]\nfrom = \"visits\"\n",
       "indicators/x.toml:10:5: parameter 'n' must be a number"},
      {"nan parameter",
       "[parameters]\nn = nan\n[population]\nfrom = \"visits\"\n",
       "indicators/x.toml:10:5: parameter 'n' must be a number"},
  };
  for (const Case& c : kCases) EXPECT_EQ(ErrorOf(kHeader + c.body), c.message) << c.name;
}

// Nesting is limited where the expression is read, so no walk over it can
// run out of stack: 5,000 parentheses, 100,000 unary minuses, 'not's, a
// chain of 100,000 'and's or '+'s, lets built on lets.
TEST(IndicatorDefinitionTest, NestingIsLimited) {
  const std::string limit = "expression nested too deeply (at most 256 levels of parentheses, operators, "
                            "function calls and lets)";
  auto where = [&](const std::string& expr) {
    return ErrorOf(std::string(kHeader) + "[population]\nfrom = \"visits\"\nwhere = \"" + expr +
                   "\"\n[numerator]\nwhere = \"1 = 1\"\n");
  };
  EXPECT_EQ(where(std::string(5000, '(') + "minutes > 1" + std::string(5000, ')')),
            "indicators/x.toml:11:266: " + limit);
  EXPECT_EQ(where("minutes > " + std::string(100000, '-') + "1"), "indicators/x.toml:11:275: " + limit);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  EXPECT_EQ(where(nots + "minutes > 1"), "indicators/x.toml:11:1030: " + limit);
  std::string ands = "minutes > 1";
  for (int i = 0; i < 100000; ++i) ands += " and minutes > 1";
  EXPECT_EQ(where(ands), "indicators/x.toml:11:4100: " + limit);
  std::string sum = "minutes";
  for (int i = 0; i < 100000; ++i) sum += " + 1";
  EXPECT_EQ(where(sum + " > 1"), "indicators/x.toml:11:1040: " + limit);
  // 200 levels are fine.
  EXPECT_EQ(where(std::string(200, '(') + "minutes > 1" + std::string(200, ')')), "OK");
  // Each let counts the levels of those it uses.
  std::string lets = "[let]\nl0 = \"minutes\"\n";
  for (int i = 1; i < 300; ++i)
    lets += "l" + std::to_string(i) + " = \"(l" + std::to_string(i - 1) + " + 1)\"\n";
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "[population]\nfrom = \"visits\"\n" + lets +
                    "[numerator]\nwhere = \"1 = 1\"\n"),
            "indicators/x.toml:140:17: " + limit);
}

// A scan within a scan within ... opens a scope each; week_count and
// week_sum did not count, and past the last scope wrote beyond the records
// an evaluation keeps.
TEST(IndicatorDefinitionTest, ScansNestAtMostSixDeep) {
  std::string weeks = "minutes > 1";
  for (int i = 0; i < 7; ++i) weeks = "week_count(" + weeks + ") > 0";
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "[population]\nfrom = \"visits\"\nwhere = \"" + weeks +
                    "\"\n[numerator]\nwhere = \"1 = 1\"\n"),
            "indicators/x.toml:11:86: conditions nest at most 6 deep");
  std::string exists = "minutes > 1";
  for (int i = 0; i < 7; ++i) exists = "exists(visits, " + exists + ")";
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "[population]\nfrom = \"visits\"\nwhere = \"" + exists +
                    "\"\n[numerator]\nwhere = \"1 = 1\"\n"),
            "indicators/x.toml:11:107: conditions nest at most 6 deep");
}

// Dotted keys nest tables, and toml++ bounds arrays and inline tables but
// not them: 50,000 parts overflowed its stack.
TEST(IndicatorDefinitionTest, DottedKeysNestAtMost64Deep) {
  std::string key = "a";
  for (int i = 0; i < 100000; ++i) key += ".b";
  // The 64th dot (column 128) makes the 65th part.
  EXPECT_EQ(ErrorOf(std::string(kHeader) + key + " = 1\n"), "indicators/x.toml:9:128: a key of more than 64 dotted parts");
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "[" + key + "]\nx = 1\n"),
            "indicators/x.toml:9:129: a key of more than 64 dotted parts");
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "x = {" + key + " = 1}\n"),
            "indicators/x.toml:9:133: a key of more than 64 dotted parts");
  // 64 parts are read (and refused as an unknown key).
  std::string key64 = "a";
  for (int i = 0; i < 63; ++i) key64 += ".b";
  EXPECT_EQ(ErrorOf(std::string(kHeader) + key64 + " = 1\n"), "indicators/x.toml:9:1: unknown key 'a' (did you mean 'id'?)");
  // Dots in values, strings and comments are no keys.
  std::string values = "[parameters]\n";
  for (int i = 0; i < 100; ++i) values += "p" + std::to_string(i) + " = 0.5  # a.b.c.d.e\n";
  std::string dots(300, '.');
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "title2 = \"" + dots + "\"\n" + values),
            "indicators/x.toml:9:1: unknown key 'title2' (did you mean 'title'?)");
}

TEST(IndicatorDefinitionTest, OnlyRegularFilesOfBoundedSizeAreRead) {
  auto link = LoadDefinitionFile("/dev/zero");
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.status().message(), "'/dev/zero' is a character device (expected a regular file)");
  const test::TestDir dir("definition_test");  // per test and process, removed after it
  const std::string big = dir / "big_definition.toml";
  {
    std::ofstream out(big, std::ios::binary);
    out << std::string(kMaxDefinitionBytes + 1, '#');
  }
  auto r = LoadDefinitionFile(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "'" + big + "' is 1048577 bytes (expected at most 1048576)");
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
  EXPECT_EQ(ErrorOf(std::string(kHeader) + "cuts = [\"sex\", \"age_band\", \"sex\"]\n"),
            "indicators/x.toml:9:28: cut 'sex' is listed twice");
  std::string criteria = "[population]\nfrom = \"personal_budgets\"\n[numerator]\nwhere = \"1 = 1\"\n[criteria]\n";
  for (int i = 0; i < 33; ++i) criteria += "c" + std::to_string(i) + " = \"start_on <= period_end\"\n";
  EXPECT_EQ(ErrorOf(std::string(kHeader) + criteria), "indicators/x.toml:13:1: [criteria] has 33 criteria (at most 32)");
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
