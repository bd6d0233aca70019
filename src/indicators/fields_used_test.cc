#include "indicators/fields_used.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

// "table.field" for each use, in FieldsUsed's order (table, then field index).
std::vector<std::string> Names(const Definition& d) {
  std::vector<std::string> out;
  for (const FieldUse& u : FieldsUsed(d)) {
    const TableSpec& t = Table(u.table);
    out.push_back(std::string(t.name) + "." + std::string(t.fields[u.field].name));
  }
  return out;
}

Definition Parse(const std::string& toml) {
  auto d = ParseDefinition(toml, "test.toml");
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? std::move(d).value() : Definition();
}

TEST(FieldsUsedTest, AssessmentWithin28Days) {
  // where: completed_on, request_id; numerator: request_id.received_on;
  // the case record's team; the age_band cut.
  EXPECT_EQ(Names(testing::BuiltIn("assessment-28d")),
            (std::vector<std::string>{"people.birth_date", "requests.received_on", "assessments.request_id",
                                      "assessments.completed_on", "assessments.org_unit_id"}));
}

TEST(FieldsUsedTest, ActiveAtReadsStartAndEndAndTheNumeratorTable) {
  EXPECT_EQ(Names(testing::BuiltIn("reviews-12m")),
            (std::vector<std::string>{"people.birth_date", "people.primary_support_reason", "services.term",
                                      "services.start_on", "services.end_on", "services.org_unit_id",
                                      "reviews.completed_on"}));
}

TEST(FieldsUsedTest, AnswersPersonFieldsScansAndRates) {
  Definition d = Parse(R"toml(
id = "x"
title = "x"
description = "x"
unit = "percent"
polarity = "up"
oba = "better_off"
kind = "flow"
version = 1
cuts = ["sex"]
[population]
unit = "record"
from = "survey_responses"
where = "collected_on in period and person.employment = 'retired' and exists(care_links, hours_per_week > 20)"
[numerator]
where = "answer('q_social') = 1"
)toml");
  EXPECT_EQ(Names(d), (std::vector<std::string>{"people.sex", "people.employment",
                                                "care_links.hours_per_week", "survey_responses.instrument",
                                                "survey_responses.collected_on", "survey_responses.item",
                                                "survey_responses.answer", "survey_responses.org_unit_id"}));
  EXPECT_EQ(Names(testing::BuiltIn("care-home-admissions-65")),
            (std::vector<std::string>{"people.birth_date", "care_home_admissions.admitted_on",
                                      "care_home_admissions.permanent", "care_home_admissions.org_unit_id",
                                      "populations.year", "populations.age_band", "populations.count"}));
}

TEST(FieldsUsedTest, CriteriaFieldsOnRequest) {
  Definition d = testing::BuiltIn("pb-share");
  std::vector<FieldUse> all = FieldsUsed(d), without = FieldsUsed(d, /*include_criteria=*/false);
  auto has = [](const std::vector<FieldUse>& v, const char* field) {
    const TableSpec& t = Table(TableId::kPersonalBudgets);
    for (const FieldUse& u : v)
      if (u.table == t.id && t.fields[u.field].name == field) return true;
    return false;
  };
  EXPECT_TRUE(has(all, "plan_agreed_on"));
  EXPECT_FALSE(has(without, "plan_agreed_on"));
  EXPECT_TRUE(has(without, "recorded_as_budget"));  // the claim is not a criterion
  EXPECT_EQ(all.size(), without.size() + 3);        // the three criteria dates
}

TEST(FieldsUsedTest, WeekScansReadTheTimelineDate) {
  std::vector<std::string> names = Names(testing::BuiltIn("intensive-home-care"));
  EXPECT_EQ(names,
            (std::vector<std::string>{"people.birth_date", "services.service_type", "visits.service_id",
                                      "visits.visit_on", "visits.minutes", "visits.org_unit_id"}));
}

}  // namespace
}  // namespace goldthread::indicators
