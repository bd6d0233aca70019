// The constructs of issue 13, each against figures worked by hand: a
// person's latest or first record read through its fields (ties to the
// lowest id), median and percentiles, group flags in conditions, and
// calendar months.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Find;
using testing::Ids;
using testing::RunDefs;

// The people (everyone loaded) for whom cond holds in `period` (a month),
// as the numerator of a percentage over people.
std::string Who(const Snapshot& s, const std::string& cond, const std::string& period = "2024-04") {
  const std::string text =
      "id = \"x\"\ntitle = \"X\"\ndescription = \"A construct.\"\nunit = \"percent\"\npolarity = \"up\"\n"
      "oba = \"how_well\"\nkind = \"snapshot\"\nversion = 1\n[parameters]\nninety = 90\n"
      "[population]\nfrom = \"people\"\n[numerator]\nwhere = \"" + cond + "\"\n";
  auto d = ParseDefinition(text, "x.toml");
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  if (!d.ok()) return "(error)";
  std::vector<Definition> defs;
  defs.push_back(std::move(d).value());
  auto r = RunDefs(s, std::move(defs), period, period);
  const Figure* f = Find(r, s, period, "C");
  return f ? Ids(s, f->numerator_persons) : "(no figure)";
}

std::string ErrorOf(const std::string& cond) {
  auto d = ParseDefinition(
      "id = \"x\"\ntitle = \"X\"\ndescription = \"A construct.\"\nunit = \"count\"\npolarity = \"up\"\n"
      "oba = \"how_well\"\nkind = \"flow\"\nversion = 1\n[population]\nfrom = \"people\"\nwhere = \"" + cond + "\"\n",
      "x.toml");
  return d.ok() ? "OK" : d.status().message();
}

// Plans (April 2024: period_start 2024-04-01, period_end 2024-04-30):
//   A: L1 agreed 2024-01-01 due 2024-06-01; L2 agreed 2024-03-01 due 2024-04-15.
//   B: L10 and L9 both agreed 2024-02-01, due 2024-05-01 and 2024-03-01:
//      a tie, which "L10" wins (lowest id in text order).
//   C: L3 agreed 2024-01-05 due 2024-02-01; L4 agreed 2024-03-10, no due date.
//   D: no plan. E: one plan agreed 2024-05-05 (after the end) due 2024-04-02.
std::unique_ptr<Snapshot> Plans(bool reversed) {
  Data d;
  for (const char* p : {"A", "B", "C", "D", "E"}) d.Person(p, "service_user", "1940-01-01");
  struct Row {
    const char *id, *person, *agreed, *due;
  };
  std::vector<Row> rows = {{"L1", "A", "2024-01-01", "2024-06-01"}, {"L2", "A", "2024-03-01", "2024-04-15"},
                           {"L10", "B", "2024-02-01", "2024-05-01"}, {"L9", "B", "2024-02-01", "2024-03-01"},
                           {"L3", "C", "2024-01-05", "2024-02-01"}, {"L4", "C", "2024-03-10", ""},
                           {"L5", "E", "2024-05-05", "2024-04-02"}};
  if (reversed) std::reverse(rows.begin(), rows.end());
  for (const Row& r : rows)
    d.Add("support_plans", {{"plan_id", r.id}, {"person_id", r.person}, {"agreed_on", r.agreed},
                            {"review_due_on", r.due}});
  return d.Finish();
}

TEST(IndicatorLanguageTest, LatestAndFirstReadOneRecordTiesToTheLowestId) {
  for (bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "rows loaded in reverse" : "rows in order");
    auto s = Plans(reversed);
    const std::string latest = "latest(support_plans, review_due_on, agreed_on <= period_end)";
    // A: L2's 2024-04-15 (not the 2024-06-01 that max() finds); B: L10's
    // 2024-05-01; C: L4 has no due date, so unknown (L3's is not used).
    EXPECT_EQ(Who(*s, latest + " = period_start + 14"), "A");
    EXPECT_EQ(Who(*s, "max(support_plans, review_due_on, agreed_on <= period_end) = period_start + 61"), "A");
    EXPECT_EQ(Who(*s, latest + " = period_start + 30"), "B");
    EXPECT_EQ(Who(*s, latest + " is null"), "C D E");
    EXPECT_EQ(Who(*s, latest + " <= period_end"), "A");
    // first(): A L1's 2024-06-01; B the tie again, L10; C L3's 2024-02-01.
    const std::string first = "first(support_plans, review_due_on, agreed_on <= period_end)";
    EXPECT_EQ(Who(*s, first + " = period_start + 61"), "A");
    EXPECT_EQ(Who(*s, first + " = period_start + 30"), "B");
    EXPECT_EQ(Who(*s, first + " = period_start - 60"), "C");
    EXPECT_EQ(Who(*s, first + " is null"), "D E");
    // Ordered by another date: the plan with the latest review date, its
    // agreed_on. A: L1 (due 06-01) agreed 2024-01-01; B: L10 agreed
    // 02-01; C: L3 agreed 01-05 (L4 has no due date: never picked); E: L5
    // agreed 05-05.
    const std::string by_due = "latest(support_plans, agreed_on, review_due_on is not null, review_due_on)";
    EXPECT_EQ(Who(*s, by_due + " = period_start - 91"), "A");
    EXPECT_EQ(Who(*s, by_due + " = period_start - 60"), "B");
    EXPECT_EQ(Who(*s, by_due + " = period_start - 87"), "C");
    EXPECT_EQ(Who(*s, by_due + " = period_start + 34"), "E");
  }
  EXPECT_EQ(ErrorOf("latest(support_plans, review_due_on, 1 = 1, outcomes_agreed) is null"),
            "x.toml:11:54: latest() orders records by a date, got a number");
  EXPECT_EQ(ErrorOf("latest(support_plans, (copy_given = 'Y')) is null"),
            "x.toml:11:32: latest() reads a field or value of the record, got a condition");
}

// Codes read through latest() compare with their literals.
TEST(IndicatorLanguageTest, LatestReadsCodes) {
  Data d;
  d.Person("A", "service_user", "1940-01-01");
  d.Person("B", "service_user", "1940-01-01");
  d.Add("reviews", {{"review_id", "R1"}, {"person_id", "A"}, {"kind", "planned"}, {"completed_on", "2024-03-01"}});
  d.Add("reviews", {{"review_id", "R2"}, {"person_id", "A"}, {"kind", "unplanned"}, {"completed_on", "2024-04-02"}});
  d.Add("reviews", {{"review_id", "R3"}, {"person_id", "B"}, {"kind", "unplanned"}, {"completed_on", "2024-03-01"}});
  d.Add("reviews", {{"review_id", "R4"}, {"person_id", "B"}, {"kind", "planned"}, {"completed_on", "2024-04-20"}});
  auto s = d.Finish();
  EXPECT_EQ(Who(*s, "latest(reviews, kind, completed_on <= period_end) = 'unplanned'"), "A");
  EXPECT_EQ(Who(*s, "latest(reviews, kind, completed_on < period_start) = 'unplanned'"), "B");
  EXPECT_EQ(ErrorOf("latest(reviews, kind) = 'unplaned'"), "x.toml:11:34: unknown code 'unplaned' (did you mean 'unplanned'?)");
}

// Visits' minutes in April 2024: P 10, 20, 30, 40; Q 5, 100, 7; R none.
//   P: median (20 + 30) / 2 = 25; 90th percentile h = 3 x 0.9 = 2.7, so
//      30 + 0.7 x 10 = 37; the 0th 10, the 100th 40.
//   Q: median 7 (sorted 5, 7, 100); 90th h = 1.8: 7 + 0.8 x 93 = 81.4.
TEST(IndicatorLanguageTest, MedianAndPercentiles) {
  Data d;
  for (const char* p : {"P", "Q", "R"}) d.Person(p, "service_user", "1940-01-01");
  int n = 0;
  auto visit = [&](const char* p, const char* on, const char* minutes) {
    d.Add("visits", {{"visit_id", "V" + std::to_string(++n)}, {"person_id", p}, {"visit_on", on}, {"minutes", minutes}});
  };
  visit("P", "2024-04-03", "40");
  visit("P", "2024-04-01", "20");
  visit("P", "2024-04-30", "10");
  visit("P", "2024-04-09", "30");
  visit("P", "2024-05-01", "1000");  // after the period
  visit("Q", "2024-04-02", "5");
  visit("Q", "2024-04-02", "100");
  visit("Q", "2024-04-05", "7");
  auto s = d.Finish();
  const std::string in = ", visit_on in period)";
  EXPECT_EQ(Who(*s, "median(visits, minutes" + in + " = 25"), "P");
  EXPECT_EQ(Who(*s, "median(visits, minutes" + in + " = 7"), "Q");
  EXPECT_EQ(Who(*s, "percentile(visits, minutes, 90" + in + " = 37"), "P");
  EXPECT_EQ(Who(*s, "percentile(visits, minutes, ninety" + in + " = 81.4"), "Q");
  EXPECT_EQ(Who(*s, "percentile(visits, minutes, 0" + in + " = 10"), "P");
  EXPECT_EQ(Who(*s, "percentile(visits, minutes, 100" + in + " = 40"), "P");
  EXPECT_EQ(Who(*s, "median(visits, minutes" + in + " is null"), "R");
  EXPECT_EQ(ErrorOf("percentile(visits, minutes, 101) > 0"),
            "x.toml:11:38: percentile() takes a number from 0 to 100 (a constant or parameter) after the value");
  EXPECT_EQ(ErrorOf("median(visits, visit_on) > period_end"), "x.toml:11:25: median() takes numbers, got a date");
}

TEST(IndicatorLanguageTest, GroupFlagsInConditions) {
  Data d;
  d.Person("A", "carer", "1980-01-01", {{"groups", "bme;lgbt"}});
  d.Person("B", "carer", "1980-01-01", {{"groups", "lgbt"}});
  d.Person("C", "carer", "1980-01-01");
  auto s = d.Finish();
  EXPECT_EQ(Who(*s, "has_group('bme')"), "A");
  EXPECT_EQ(Who(*s, "has_group('lgbt')"), "A B");
  EXPECT_EQ(Who(*s, "not has_group('bme')"), "B C");
  EXPECT_EQ(Who(*s, "has_group('lgbt') and not has_group('bme')"), "B");
  EXPECT_EQ(ErrorOf("has_group('bmee')"), "x.toml:11:20: unknown group 'bmee' (did you mean 'bme'?)");
  EXPECT_EQ(ErrorOf("has_group(bme)"), "x.toml:11:10: wrong arguments to has_group(): expected has_group('bme')");
}

// Reviews completed on 2023-04-30, 2023-05-01, 2024-04-30 (A, B, C) and
// 2023-02-28, 2023-03-01 (D, E).
//   April 2024: months_before(period_end, 12) is 2023-05-01 .. 2024-04-30
//   (B, C), where days_before(period_end, 365) starts at 2023-05-02 (2024
//   is a leap year), so it has only C.
//   February 2024 (end 2024-02-29): 12 months back is 2023-02-28, so the
//   range is 2023-03-01 .. 2024-02-29: E, not D.
TEST(IndicatorLanguageTest, CalendarMonths) {
  Data d;
  const std::pair<const char*, const char*> done[] = {
      {"A", "2023-04-30"}, {"B", "2023-05-01"}, {"C", "2024-04-30"}, {"D", "2023-02-28"}, {"E", "2023-03-01"}};
  int n = 0;
  for (auto [p, on] : done) {
    d.Person(p, "service_user", "1940-01-01");
    d.Add("reviews", {{"review_id", "R" + std::to_string(++n)}, {"person_id", p}, {"kind", "planned"},
                      {"due_on", "2024-01-31"}, {"completed_on", on}});
  }
  auto s = d.Finish();
  EXPECT_EQ(Who(*s, "exists(reviews, completed_on in months_before(period_end, 12))"), "B C");
  EXPECT_EQ(Who(*s, "exists(reviews, completed_on in days_before(period_end, 365))"), "C");
  EXPECT_EQ(Who(*s, "exists(reviews, completed_on in months_before(period_end, 12))", "2024-02"), "A B E");
  // months_after(2024-01-31, n): 2024-02-01 .. the day n months on (the
  // day clamped to the month: 2024-02-29 for 1, 2025-01-31 for 12).
  EXPECT_EQ(Who(*s, "exists(reviews, period_end in months_after(due_on, 1))", "2024-02"), "A B C D E");
  EXPECT_EQ(Who(*s, "exists(reviews, period_end in months_after(due_on, 1))", "2024-03"), "");
  EXPECT_EQ(Who(*s, "exists(reviews, add_months(due_on, 1) = period_end)", "2024-02"), "A B C D E");
  EXPECT_EQ(Who(*s, "exists(reviews, add_months(due_on, -2) = period_start - 123)"), "A B C D E");  // 2023-11-30
  // Far beyond any date: no overflow, no crash.
  EXPECT_EQ(Who(*s, "exists(reviews, completed_on in months_before(period_end, 1000000000000))"), "A B C D E");
  EXPECT_EQ(Who(*s, "add_months(period_end, 1000000000000) > period_end"), "A B C D E");
}

// Median days from request to completed assessment (a figure's statistic).
// April 2024's completed assessments wait 3, 10, 10 days (team T1) and 40,
// 7 (team T2); one completed in May and one with no request are out.
//   Council: sorted 3, 7, 10, 10, 40: median 10, mean 14; 90th percentile
//   h = 4 x 0.9 = 3.6: 10 + 0.6 x 30 = 28. Interval (Campbell & Gardner):
//   n = 5, 1.96 sqrt(5 x 0.25) = 2.19; ranks round(2.5 - 2.19) = 0 -> 1 and
//   round(1 + 2.5 + 2.19) = 6 -> 5: 3 .. 40.
//   T1: 3, 10, 10: median 10. T2: 7, 40: median 23.5.
TEST(IndicatorLanguageTest, MedianAndPercentileFigures) {
  Data d;
  const std::tuple<const char*, const char*, const char*, const char*> rows[] = {
      {"A", "2024-04-01", "2024-04-04", "T1"}, {"B", "2024-03-25", "2024-04-04", "T1"},
      {"C", "2024-04-05", "2024-04-15", "T1"}, {"D", "2024-03-01", "2024-04-10", "T2"},
      {"E", "2024-04-20", "2024-04-27", "T2"}, {"F", "2024-04-20", "2024-05-02", "T1"}};
  for (const auto& [p, received, completed, team] : rows) {
    d.Person(p, "service_user", "1940-01-01");
    d.Add("requests", {{"request_id", std::string("Q") + p}, {"person_id", p}, {"received_on", received},
                       {"org_unit_id", team}});
    d.Add("assessments", {{"assessment_id", std::string("S") + p}, {"person_id", p}, {"request_id", std::string("Q") + p},
                          {"kind", "needs"}, {"completed_on", completed}, {"org_unit_id", team}});
  }
  d.Person("G", "service_user", "1940-01-01");
  d.Add("assessments", {{"assessment_id", "SG"}, {"person_id", "G"}, {"kind", "needs"}, {"completed_on", "2024-04-10"}});
  auto s = d.Finish();
  auto def = [](const std::string& statistic) {
    std::string text =
        "id = \"x\"\ntitle = \"X\"\ndescription = \"Days waited.\"\nunit = \"days\"\npolarity = \"down\"\n"
        "oba = \"how_well\"\nkind = \"flow\"\nversion = 1\n" + statistic +
        "value = \"completed_on - request_id.received_on\"\n"
        "[population]\nunit = \"record\"\nfrom = \"assessments\"\n"
        "where = \"completed_on in period and request_id is not null\"\n";
    auto r = ParseDefinition(text, "x.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<Definition> out;
    if (r.ok()) out.push_back(std::move(r).value());
    return out;
  };
  auto median = RunDefs(*s, def("statistic = \"median\"\n"), "2024-04", "2024-04");
  const Figure* c = Find(median, *s, "2024-04", "C");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->value.value_or(-1), 10);
  EXPECT_EQ(c->denominator.value_or(-1), 5);
  EXPECT_EQ(c->ci_low.value_or(-1), 3);
  EXPECT_EQ(c->ci_high.value_or(-1), 40);
  EXPECT_EQ(Find(median, *s, "2024-04", "T1")->value.value_or(-1), 10);
  EXPECT_EQ(Find(median, *s, "2024-04", "T2")->value.value_or(-1), 23.5);
  auto p90 = RunDefs(*s, def("statistic = \"percentile\"\npercentile = 90\n"), "2024-04", "2024-04");
  EXPECT_DOUBLE_EQ(Find(p90, *s, "2024-04", "C")->value.value_or(-1), 28);
  auto mean = RunDefs(*s, def(""), "2024-04", "2024-04");
  EXPECT_EQ(Find(mean, *s, "2024-04", "C")->value.value_or(-1), 14);
  auto err = [](const std::string& text) {
    auto r = ParseDefinition(text, "x.toml");
    return r.ok() ? "OK" : r.status().message();
  };
  const std::string head =
      "id = \"x\"\ntitle = \"X\"\ndescription = \"D.\"\nunit = \"percent\"\npolarity = \"up\"\noba = \"how_well\"\n"
      "kind = \"flow\"\nversion = 1\n";
  EXPECT_EQ(err(head + "statistic = \"median\"\n"), "x.toml:9:13: 'statistic' applies to units mean and days (the cases' values)");
  std::string days = head;
  days.replace(days.find("\"percent\""), 9, "\"days\"");
  EXPECT_EQ(err(days + "statistic = \"percentile\"\n"),
            "x.toml:9:13: statistic = \"percentile\" needs 'percentile' (0-100, e.g. percentile = 90)");
  EXPECT_EQ(err(days + "statistic = \"percentile\"\npercentile = 101\n"),
            "x.toml:10:14: 'percentile' must be a number from 0 to 100");
  EXPECT_EQ(err(days + "statistic = \"medien\"\n"), "x.toml:9:13: unknown statistic 'medien' (did you mean 'median'?)");
}

// Carers offered a break within 12 calendar months of their assessment
// (the docs' carer-break-12m), by hand for February 2024:
//   A assessed 2024-02-29, a break starting 2025-02-28 (12 months on, the
//     day kept within February): in.
//   B assessed 2024-02-29, a break starting 2025-03-01: out.
//   C assessed 2024-02-10 (carer) and 2024-02-20 (joint): the case record
//     is the latest, so a break on 2024-02-15 is before it: out; D's break
//     on the assessment's own day, 2024-02-05: in.
//   E a needs assessment only: not in the population.
TEST(IndicatorLanguageTest, CarersOfferedABreakWithinTwelveCalendarMonths) {
  Data d;
  int n = 0;
  auto assess = [&](const char* p, const char* kind, const char* on) {
    d.Add("assessments", {{"assessment_id", "A" + std::to_string(++n)}, {"person_id", p}, {"kind", kind},
                          {"completed_on", on}});
  };
  auto brk = [&](const char* p, const char* on) {
    d.Add("services", {{"service_id", "S" + std::to_string(++n)}, {"person_id", p}, {"service_type", "carer_support"},
                       {"hub_intervention", "breaks"}, {"term", "short"}, {"start_on", on}});
  };
  for (const char* p : {"A", "B", "C", "D", "E"}) d.Person(p, "carer", "1970-01-01");
  assess("A", "carer", "2024-02-29");
  brk("A", "2025-02-28");
  assess("B", "carer", "2024-02-29");
  brk("B", "2025-03-01");
  assess("C", "carer", "2024-02-10");
  assess("C", "joint", "2024-02-20");
  brk("C", "2024-02-15");
  assess("D", "joint", "2024-02-05");
  brk("D", "2024-02-05");
  assess("E", "needs", "2024-02-05");
  brk("E", "2024-02-06");
  auto s = d.Finish();
  auto def = ParseDefinition(
      "id = \"carer-break-12m\"\ntitle = \"X\"\ndescription = \"X.\"\nunit = \"percent\"\npolarity = \"up\"\n"
      "oba = \"how_well\"\nkind = \"flow\"\nversion = 1\nfollow_up_days = 366\n[population]\nunit = \"person\"\n"
      "from = \"assessments\"\nwhere = \"kind in ('carer', 'joint') and completed_on in period\"\n[numerator]\n"
      "from = \"services\"\nwhere = \"hub_intervention = 'breaks' and start_on >= outer.completed_on and start_on <= "
      "add_months(outer.completed_on, 12)\"\n",
      "x.toml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  std::vector<Definition> defs;
  defs.push_back(std::move(def).value());
  auto r = RunDefs(*s, std::move(defs), "2024-02", "2024-02");
  const Figure* f = Find(r, *s, "2024-02", "C");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Ids(*s, f->denominator_persons), "A B C D");
  EXPECT_EQ(Ids(*s, f->numerator_persons), "A D");
}

}  // namespace
}  // namespace goldthread::indicators
