#include "ingest/cld_mapping.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/cld_format.h"

namespace goldthread {
namespace {

TEST(CldMappingTest, TheBuiltInMappingParsesAndMapsTheSpecificationsValues) {
  Result<CldMapping> m = ParseCldMapping(DefaultCldMappingText(), "built-in");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->digest, DefaultCldMapping().digest);
  EXPECT_EQ(m->digest.size(), 64u);
  // Matching ignores case, spaces and punctuation (NHS England's own code
  // strips them from Event_Outcome before matching).
  EXPECT_EQ(*m->request_outcome.Find("NFA - Other"), "no_further_action");
  EXPECT_EQ(*m->request_outcome.Find("nfa- other"), "no_further_action");
  EXPECT_EQ(*m->request_outcome.Find("NFA \xE2\x80\x93 Information & Advice / Signposting only"), "signposted");
  EXPECT_EQ(m->request_outcome.Find("NFA - Something else"), nullptr);
  EXPECT_EQ(*m->client_type.Find("Carer known by association"), "carer");
  EXPECT_EQ(*m->assessment_type.Find("Financial Assessment"), "-");
  EXPECT_EQ(*m->primary_support_reason.Find("Support with Memory & Cognition"), "memory_cognition");
  const CldMapping::ServiceEntry* nursing = m->FindServiceType("Long Term Support: Nursing Care");
  ASSERT_NE(nursing, nullptr);
  EXPECT_EQ(nursing->map.service_type, "nursing");
  EXPECT_EQ(nursing->map.term, "long");
  EXPECT_TRUE(nursing->map.care_home);
  EXPECT_EQ(m->FindServiceComponent("Direct Payment")->map.delivery, "direct_payment");
  EXPECT_EQ(m->cost_frequency.at(CldKey("4-weekly")), CostBasis::kFourWeeks);
  // Export writes the first value listed for a code.
  EXPECT_EQ(m->ethnicity.export_value.at("white"), "White - English, Welsh, Scottish, Northern Irish or British");
  EXPECT_EQ(m->employment_status.export_value.at("part_time"), "Paid: Less than 16 hours a week");
  EXPECT_EQ(m->cost_frequency_export.at(CostBasis::kWeek), "Weekly");
  EXPECT_EQ(m->service_type.front().label, "Long Term Support: Nursing Care");
}

TEST(CldMappingTest, ALocalVariantIsOneMoreLine) {
  std::string text(DefaultCldMappingText());
  text.replace(text.find("[gender]"), 8, "[gender]\n\"F\" = \"F\"\n\"Not recorded\" = \"U\"");
  Result<CldMapping> m = ParseCldMapping(text, "cld_mapping.toml");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(*m->gender.Find("f"), "F");
  EXPECT_EQ(*m->gender.Find("Not recorded"), "U");
  EXPECT_NE(m->digest, DefaultCldMapping().digest);
}

TEST(CldMappingTest, BadMappingsAreRefusedWithTheLineAndWhatWasExpected) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"[gender]\n\"Male\" = \"Q\"\n",
       "m.toml:2: [gender] 'Male' = 'Q': not a code (expected one of F, M, X, U)"},
      {"[gender]\n\"Male\" = \"M\"\n\"MALE \" = \"M\"\n",
       "m.toml:3: [gender] 'MALE ' is the same value as 'Male' (values are matched ignoring case, spaces and "
       "punctuation; expected each once)"},
      {"[gender]\n\"Male\" = \"-\"\n",
       "m.toml:2: [gender] 'Male' = '-': not a code (expected one of F, M, X, U)"},
      {"[genders]\n\"Male\" = \"M\"\n",
       "m.toml:1: [genders]: unknown table (expected options, service_type, service_component, cost_frequency, "
       "client_type, gender, ethnicity, primary_support_reason, employment_status, request_route_of_access, "
       "request_outcome, assessment_type, eligible_needs_identified, review_reason, review_outcomes_achieved, "
       "delivery_mechanism, carer_service_description)"},
      {"[options]\narea = \"ward\"\n",
       "m.toml:2: [options] area: 'ward' (expected one of la_code, postcode, postcode_district, none)"},
      {"[service_type]\n\"Long Term Support: Community\" = { setting = \"community\" }\n",
       "m.toml:2: [service_type] 'Long Term Support: Community': expected service_type and term (every service has "
       "them)"},
      {"[service_type]\n\"X\" = { service_type = \"home\", term = \"long\" }\n",
       "m.toml:2: [service_type] 'X' service_type = 'home': not a code (expected one of home_care, day_care, "
       "residential, nursing, reablement, equipment, carer_support, other)"},
      {"[cost_frequency]\n\"Hourly\" = \"hour\"\n",
       "m.toml:2: [cost_frequency] 'Hourly': expected one of per_unit, week, fortnight, four_weeks, month, "
       "quarter, year, one_off"},
      {"[gender\n", "m.toml:1: "},
  };
  for (const Case& c : cases) {
    Result<CldMapping> m = ParseCldMapping(c.text, "m.toml");
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_EQ(m.status().message().substr(0, std::string(c.error).size()), c.error) << m.status().message();
  }
}

TEST(CldFormatTest, HeadersAreMatchedAsTheReturnsWriteThem) {
  EXPECT_EQ(FindCldColumn("Event_Start_Date"), CldCol::kEventStartDate);
  EXPECT_EQ(FindCldColumn("Event Start Date"), CldCol::kEventStartDate);
  EXPECT_EQ(FindCldColumn("Request: Route of Access"), CldCol::kRouteOfAccess);
  EXPECT_EQ(FindCldColumn("Cost Frequency (Unit Type)"), CldCol::kCostFrequency);
  EXPECT_EQ(FindCldColumn("No. of adults being cared for"), CldCol::kAdultsCaredFor);
  EXPECT_EQ(FindCldColumn("Adult 3 Linked Person_ID"), CldCol::kLinkedPerson3);
  EXPECT_EQ(FindCldColumn("Team"), std::nullopt);
  EXPECT_EQ(CldColumnName(CldCol::kPlannedUnits), "Planned_units_per_week");
}

}  // namespace
}  // namespace goldthread
