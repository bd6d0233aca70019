// Rates over populations other than residents ([rate] from = ..., or
// table = "carer_populations"): figures per org unit and group worked by
// hand on a small store, the persons behind them, and the refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "indicators/fields_used.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Fields;
using testing::Find;
using testing::Ids;
using testing::ParseOne;
using testing::RunDefs;

const std::string kHeader = testing::DefinitionHeader("A rate over another population.", "rate_per_100k");

void ExpectRate(const Figure* f, double num, double den, double value, double low, double high) {
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->numerator, num);
  EXPECT_DOUBLE_EQ(f->denominator.value_or(-1), den);
  ASSERT_TRUE(f->value.has_value());
  EXPECT_NEAR(*f->value, value, 1e-9);
  ASSERT_TRUE(f->ci_low.has_value());
  EXPECT_NEAR(*f->ci_low, low, 1e-6);
  EXPECT_NEAR(*f->ci_high, high, 1e-6);
}

// Emergency admissions in April 2024 per 1,000 people with a long-term
// service in the month. Services: P1, P2, P3 (women) and P7 (a man) in
// T1; P4, P5 (men) in T2; P6 (a woman, T2) ended in March. Admissions: P1
// twice (T1), P4 and P6 (T2).
TEST(RateDenominatorTest, PerThousandServiceUsersByTeamAndGroup) {
  Data d;
  const char* sexes = "FFFMMFM";
  for (int i = 1; i <= 7; ++i) {
    const std::string p = "P" + std::to_string(i);
    d.Person(p, "service_user", "1950-01-01", {{"sex", std::string(1, sexes[i - 1])}});
    Fields s = {{"service_id", "S" + p}, {"person_id", p},          {"service_type", "home_care"},
                {"term", "long"},        {"start_on", "2023-01-01"}, {"org_unit_id", i <= 3 || i == 7 ? "T1" : "T2"}};
    if (i == 6) s["end_on"] = "2024-03-31";
    d.Add("services", s);
  }
  int n = 0;
  for (auto [p, team] : std::vector<std::pair<std::string, std::string>>{
           {"P1", "T1"}, {"P1", "T1"}, {"P4", "T2"}, {"P6", "T2"}})
    d.Add("hospital_episodes", {{"episode_id", "E" + std::to_string(++n)}, {"person_id", p},
                                {"admitted_on", "2024-04-0" + std::to_string(n)}, {"emergency", "Y"},
                                {"org_unit_id", team}});
  auto snap = d.Finish();
  auto defs = ParseOne(kHeader + "cuts = [\"sex\"]\n" +
                       "[population]\nunit = \"record\"\nfrom = \"hospital_episodes\"\n"
                       "where = \"emergency = 'Y' and admitted_on in period\"\n"
                       "[rate]\nper = 1000\nfrom = \"services\"\n"
                       "where = \"term = 'long' and active_in(period_start, period_end)\"\n");
  ASSERT_EQ(defs.size(), 1u);
  // The rate reads services too (so it is unavailable without them).
  const std::vector<FieldUse> used = FieldsUsed(defs[0]);
  EXPECT_NE(std::find(used.begin(), used.end(),
                      FieldUse{TableId::kServices, Table(TableId::kServices).FieldIndex("term")}),
            used.end());
  auto r = RunDefs(*snap, std::move(defs), "2024-04", "2024-04");
  // 4 admissions / 6 people = 666.7 per 1,000, exact Poisson limits of 4
  // (1.0899, 10.2416) / 6 x 1,000.
  const Figure* c = Find(r, *snap, "2024-04", "C");
  ExpectRate(c, 4, 6, 4000.0 / 6, 181.644228937721, 1706.9314459006162);
  ExpectRate(Find(r, *snap, "2024-04", "S"), 4, 6, 4000.0 / 6, 181.644228937721, 1706.9314459006162);
  // Teams, each over its own people: 2 / 4 and 2 / 2.
  ExpectRate(Find(r, *snap, "2024-04", "T1"), 2, 4, 500, 60.552319635991296, 1806.1719169309902);
  ExpectRate(Find(r, *snap, "2024-04", "T2"), 2, 2, 1000, 121.10463927198259, 3612.3438338619803);
  // Groups: women 3 / 3, men 1 / 3.
  ExpectRate(Find(r, *snap, "2024-04", "C", "sex:F"), 3, 3, 1000, 206.22404096520017, 2922.4243565807756);
  ExpectRate(Find(r, *snap, "2024-04", "C", "sex:M"), 1, 3, 1000.0 / 3, 8.439269328096614, 1857.2144636462997);
  // T1's one man, never admitted: a rate of 0 (a figure, not a gap).
  ExpectRate(Find(r, *snap, "2024-04", "T1", "sex:M"), 0, 1, 0, 0, 3688.879454113936);
  // T2's one admitted woman has no service in April: no one to be a rate of.
  const Figure* none = Find(r, *snap, "2024-04", "T2", "sex:F");
  ASSERT_NE(none, nullptr);
  EXPECT_DOUBLE_EQ(none->denominator.value_or(-1), 0);
  EXPECT_FALSE(none->value.has_value());
  EXPECT_EQ(Find(r, *snap, "2024-04", "T1", "sex:X"), nullptr);  // neither side has anyone
  // Those admitted, and everyone behind the figure: the population's too.
  EXPECT_EQ(Ids(*snap, c->numerator_persons), "P1 P4 P6");
  EXPECT_EQ(Ids(*snap, c->denominator_persons), "P1 P2 P3 P4 P5 P6 P7");
  // A definition's cuts cleared after loading (as planning's drill-down
  // does) leave its denominator's: its "all" is still the denominator's.
  std::vector<Definition> all_only;
  all_only.push_back(std::move(ParseOne(kHeader + "cuts = [\"sex\"]\n" +
                                        "[population]\nunit = \"record\"\nfrom = \"hospital_episodes\"\n"
                                        "where = \"emergency = 'Y' and admitted_on in period\"\n"
                                        "[rate]\nper = 1000\nfrom = \"services\"\n"
                                        "where = \"term = 'long' and active_in(period_start, period_end)\"\n")
                                   .at(0)));
  all_only[0].cuts.clear();
  auto again = RunDefs(*snap, std::move(all_only), "2024-04", "2024-04");
  EXPECT_EQ(again.indicators[0].groups, std::vector<std::string>{"all"});
  ExpectRate(Find(again, *snap, "2024-04", "T1"), 2, 4, 500, 60.552319635991296, 1806.1719169309902);
}

// Carers on the register: care_links current in the period. Its records
// carry no team, so the rate is the council's only. C1 cares for two
// people, C2 since mid-April, C3's caring ended in March; C1 is assessed.
std::unique_ptr<Snapshot> Carers() {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4"}) d.Person(p, "service_user", "1940-01-01");
  for (const char* c : {"C1", "C2", "C3"}) d.Person(c, "carer", "1960-01-01");
  d.Add("care_links", {{"carer_id", "C1"}, {"cared_for_id", "P1"}, {"start_date", "2023-01-01"}});
  d.Add("care_links", {{"carer_id", "C1"}, {"cared_for_id", "P2"}, {"start_date", "2023-06-01"}});
  d.Add("care_links", {{"carer_id", "C2"}, {"cared_for_id", "P3"}, {"start_date", "2024-04-15"}});
  d.Add("care_links",
        {{"carer_id", "C3"}, {"cared_for_id", "P4"}, {"start_date", "2022-01-01"}, {"end_date", "2024-03-31"}});
  d.Add("assessments", {{"assessment_id", "A1"}, {"person_id", "C1"}, {"kind", "carer"},
                        {"completed_on", "2024-04-20"}});
  d.Add("carer_populations", {{"area", "X"}, {"group", "all"}, {"estimated_count", "400"}});
  d.Add("carer_populations", {{"area", "X"}, {"group", "bme"}, {"estimated_count", "50"}});
  return d.Finish();
}

const std::string kCarerAssessed =
    "[population]\nunit = \"person\"\nfrom = \"assessments\"\n"
    "where = \"kind in ('carer', 'joint') and completed_on in period\"\n";

TEST(RateDenominatorTest, PerThousandCarersOnTheRegister) {
  auto snap = Carers();
  auto persons = ParseOne(kHeader + kCarerAssessed +
                          "[rate]\nper = 1000\nfrom = \"care_links\"\nwhere = \"active_in(period_start, period_end)\"\n");
  auto records = ParseOne(kHeader + kCarerAssessed +
                          "[rate]\nper = 1000\nfrom = \"care_links\"\nunit = \"record\"\n"
                          "where = \"active_in(period_start, period_end)\"\n");
  std::vector<Definition> defs = std::move(persons);
  defs.push_back(std::move(records.at(0)));
  auto r = RunDefs(*snap, std::move(defs), "2024-04", "2024-04");
  // 1 carer assessed / 2 carers (C1 once, C2) = 500 per 1,000.
  ExpectRate(Find(r, *snap, "2024-04", "C"), 1, 2, 500, 12.658903992144921, 2785.8216954694494);
  // Counting caring relationships: 1 / 3.
  ExpectRate(Find(r, *snap, "2024-04", "C", "all", 1), 1, 3, 1000.0 / 3, 8.439269328096614, 1857.2144636462997);
  // The council's only, though the assessment is T1's.
  EXPECT_EQ(Find(r, *snap, "2024-04", "T1"), nullptr);
  EXPECT_EQ(Find(r, *snap, "2024-04", "S"), nullptr);
  EXPECT_EQ(r.indicators[0].figures.size(), 1u);
}

TEST(RateDenominatorTest, PerThousandEstimatedCarers) {
  auto snap = Carers();
  auto r = RunDefs(*snap,
                   ParseOne(kHeader + kCarerAssessed +
                            "[rate]\nper = 1000\ntable = \"carer_populations\"\nwhere = \"group = 'all'\"\n"),
                   "2024-04", "2024-04");
  // 1 / 400 estimated carers = 2.5 per 1,000.
  ExpectRate(Find(r, *snap, "2024-04", "C"), 1, 400, 2.5, 0.0632945199607246, 13.929108477347247);
  EXPECT_EQ(r.indicators[0].figures.size(), 1u);
}

TEST(RateDenominatorTest, MistakesAreRefused) {
  auto err = [](const std::string& rate) {
    return ParseDefinition(kHeader + kCarerAssessed + "[rate]\n" + rate, "x.toml").status().message();
  };
  // The header is 8 lines, the population 4: [rate] is line 13.
  EXPECT_EQ(err("table = \"people\"\n"),
            "x.toml:14:9: [rate] table must be \"populations\" (residents: count) or \"carer_populations\" "
            "(estimated carers: estimated_count), got 'people'");
  EXPECT_EQ(err("table = \"populations\"\nfrom = \"services\"\n"),
            "x.toml:14:9: [rate] takes 'table' (a population table's counts) or 'from' (records counted), not both");
  EXPECT_EQ(err("unit = \"person\"\n"), "x.toml:14:8: [rate] 'unit' goes with 'from' (the table whose records are counted)");
  EXPECT_EQ(err("from = \"services\"\nunit = \"people\"\n"), "x.toml:15:8: [rate] unit must be 'person' or 'record'");
  EXPECT_EQ(err("per = -5\n"), "x.toml:14:7: 'per' must be a number above 0 (per = 1000 for a rate per 1,000)");
  EXPECT_EQ(err("from = \"populations\"\n"), "x.toml:14:8: table populations is not on a person's timeline");
  EXPECT_EQ(ParseDefinition(kHeader + kCarerAssessed, "x.toml").status().message(),
            "x.toml:1:1: unit 'rate_per_100k' needs [rate], its denominator: where = \"...\" (which populations.csv "
            "rows), table = \"carer_populations\", or from = \"TABLE\" (its records)");
  EXPECT_EQ(err("from = \"services\"\nwhere = \"trem = 'long'\"\n"),
            "x.toml:15:10: unknown field 'trem' in table services (did you mean 'term'?)");
}

}  // namespace
}  // namespace goldthread::indicators
