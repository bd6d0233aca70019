#include "model/field.h"

#include <gtest/gtest.h>

namespace goldthread {
namespace {

const FieldSpec& FieldOf(TableId t, std::string_view name) {
  const TableSpec& spec = Table(t);
  return spec.fields[spec.FieldIndex(name)];
}

struct Case {
  TableId table;
  const char* field;
  const char* text;
  const char* problem;  // "" when the value is valid
};

// Every validation rule of a single field, with its exact message.
TEST(FieldTest, ValidationMessages) {
  const Case cases[] = {
      {TableId::kRequests, "received_on", "2024-04-01", ""},
      {TableId::kRequests, "received_on", "", "is empty (expected YYYY-MM-DD)"},
      {TableId::kRequests, "received_on", "2024-13-01", "'2024-13-01' is not a valid date (expected YYYY-MM-DD)"},
      {TableId::kRequests, "received_on", "01/04/2024", "'01/04/2024' is not a valid date (expected YYYY-MM-DD)"},
      {TableId::kRequests, "closed_on", "", ""},
      {TableId::kRequests, "route", "gp", ""},
      {TableId::kRequests, "route", "GP", "'GP' is not a known code (expected one of: community, hospital, self, gp, other)"},
      {TableId::kPeople, "birth_date", "1950-07", ""},
      {TableId::kPeople, "birth_date", "1950", "'1950' is not a valid date (expected YYYY-MM-DD or YYYY-MM)"},
      {TableId::kPeople, "groups", "bme;lgbt", ""},
      {TableId::kPeople, "groups", "bme;elderly",
       "'elderly' in 'bme;elderly' is not a known code (expected ';'-separated codes from: bme, refugee, lgbt, "
       "traveller, distance, young_adult)"},
      {TableId::kPersonalBudgets, "recorded_as_budget", "y", "'y' is not Y or N (expected Y or N)"},
      {TableId::kVisits, "minutes", "-5", "'-5' is not a count (expected a whole number, 0 or more)"},
      {TableId::kVisits, "minutes", "4.5", "'4.5' is not a count (expected a whole number, 0 or more)"},
      {TableId::kServices, "weekly_cost", "abc", "'abc' is not an amount (expected a number, 0 or more)"},
      {TableId::kServices, "weekly_cost", "-1", "'-1' is not an amount (expected a number, 0 or more)"},
      {TableId::kOutcomeMeasures, "score", "-1.5", ""},
      {TableId::kOutcomeMeasures, "score", "nan", "'nan' is not a number (expected a number)"},
      {TableId::kRequests, "recorded_at", "2024-04-01T09:00:00Z", ""},
      {TableId::kRequests, "recorded_at", "2024-04-01 09:00",
       "'2024-04-01 09:00' is not a valid timestamp (expected YYYY-MM-DDTHH:MM:SS with optional Z or +HH:MM)"},
      {TableId::kFinance, "period", "2024-4", "'2024-4' is not a valid month (expected YYYY-MM)"},
      {TableId::kPopulations, "year", "20x4", "'20x4' is not a whole number (expected a whole number)"},
      {TableId::kRequests, "person_id", "", "is empty (expected the id of a people record)"},
  };
  for (const Case& c : cases) {
    FieldValue v;
    std::string problem;
    bool ok = TryParseField(FieldOf(c.table, c.field), c.text, v, problem);
    EXPECT_EQ(ok, std::string(c.problem).empty()) << c.field << "=" << c.text;
    if (!ok) {
      EXPECT_EQ(problem, c.problem);
    }
  }
}

TEST(FieldTest, ParsedValues) {
  FieldValue v;
  std::string problem;
  ASSERT_TRUE(TryParseField(FieldOf(TableId::kPeople, "groups"), "lgbt;bme", v, problem));
  EXPECT_EQ(v.i, 0b101);
  ASSERT_TRUE(TryParseField(FieldOf(TableId::kRequests, "outcome"), "long_term", v, problem));
  EXPECT_EQ(v.i, 5);
  ASSERT_TRUE(TryParseField(FieldOf(TableId::kRequests, "outcome"), "", v, problem));
  EXPECT_TRUE(v.null);
}

TEST(SchemaTest, TablesAreInEnumOrderAndLineageIsLast) {
  int i = 0;
  for (const TableSpec& t : AllTables()) {
    EXPECT_EQ(static_cast<int>(t.id), i++);
    EXPECT_EQ(&Table(t.id), &t);
    if (t.has_lineage) {
      size_t n = t.fields.size();
      for (int k = 0; k < 4; ++k) EXPECT_EQ(t.fields[n - 4 + k].name, kLineageFields[k]) << t.name;
    }
    for (int k : t.key) EXPECT_LT(k, static_cast<int>(t.fields.size()));
    for (const FieldSpec& f : t.fields)
      if (f.type == FieldType::kRef) {
        EXPECT_LT(static_cast<int>(f.ref), static_cast<int>(t.id) + 1) << f.name;
      }
  }
  EXPECT_EQ(FindTable("visits")->FileName(), "visits.csv");
  EXPECT_EQ(FindTable("nope"), nullptr);
}

}  // namespace
}  // namespace goldthread
