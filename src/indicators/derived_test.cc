// Indicators defined from others ([derived]): figures, intervals, groups,
// cases, SPC and the refusals, on a hand-built store worked by hand.
#include "indicators/derived.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "indicators/series_stats.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Find;
using testing::Ids;
using testing::RunDefs;

std::string Header(const std::string& id, const std::string& unit, const std::string& kind = "snapshot") {
  return "id = \"" + id + "\"\ntitle = \"" + id + "\"\ndescription = \"" + id + "\"\nunit = \"" + unit +
         "\"\npolarity = \"up\"\noba = \"how_well\"\nkind = \"" + kind + "\"\nversion = 1\n";
}

// Of people with a long-term service at the period end: a has a review
// completed in the period, b a plan agreed in it.
std::string PercentA() {
  return Header("a", "percent") + "cuts = [\"sex\"]\nfollow_up_days = 28\n" +
         "[population]\nunit = \"person\"\nfrom = \"services\"\nwhere = \"active_at(period_end)\"\n"
         "[numerator]\nwhere = \"exists(reviews, completed_on in period)\"\n";
}
std::string PercentB() {
  return Header("b", "percent") + "cuts = [\"age_band\", \"sex\"]\n" +
         "[population]\nunit = \"person\"\nfrom = \"services\"\nwhere = \"active_at(period_end)\"\n"
         "[numerator]\nwhere = \"exists(support_plans, agreed_on in period)\"\n";
}
std::string Derived(const std::string& id, const std::string& unit, const std::string& of, const std::string& op,
                    const std::string& more = "") {
  return Header(id, unit) + "[derived]\nof = " + of + "\nop = \"" + op + "\"\n" + more;
}

std::vector<Definition> Parse(const std::vector<std::string>& texts) {
  std::vector<Definition> out;
  for (const std::string& t : texts) {
    auto d = ParseDefinition(t, "x.toml");
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (d.ok()) out.push_back(std::move(d).value());
  }
  return out;
}

// Ten people with a long-term service from 2023: P1-P5 women, P6-P10 men;
// T1 holds P1, P2, P3, P6, P7 and T2 the others. In April 2024 reviews of
// P1-P4 (a: 4 of 10; women 4 of 5, men 0 of 5; T1 3 of 5, T2 1 of 5) and
// plans agreed for P1 and P5 (b: 2 of 10; women 2 of 5; T1 1 of 5, T2 1 of
// 5).
std::unique_ptr<Snapshot> TenPeople() {
  Data d;
  for (int i = 1; i <= 10; ++i) {
    const std::string p = "P" + std::to_string(i);
    const std::string team = (i <= 3 || i == 6 || i == 7) ? "T1" : "T2";
    d.Person(p, "service_user", "1950-01-01", {{"sex", i <= 5 ? "F" : "M"}});
    d.Add("services", {{"service_id", "S" + p}, {"person_id", p}, {"service_type", "home_care"}, {"term", "long"},
                       {"start_on", "2023-01-01"}, {"org_unit_id", team}});
  }
  for (const char* p : {"P1", "P2", "P3", "P4"})
    d.Add("reviews", {{"review_id", std::string("R") + p}, {"person_id", p}, {"kind", "planned"},
                      {"completed_on", "2024-04-10"}});
  for (const char* p : {"P1", "P5"})
    d.Add("support_plans", {{"plan_id", std::string("L") + p}, {"person_id", p}, {"agreed_on", "2024-04-12"}});
  return d.Finish();
}

std::vector<Definition> Resolved(const std::vector<std::string>& texts) {
  std::vector<Definition> defs = Parse(texts);
  Status s = ResolveDerived(defs);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return defs;
}

void ExpectInterval(const Figure* f, double value, double low, double high) {
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->value.has_value());
  EXPECT_NEAR(*f->value, value, 1e-9);
  ASSERT_TRUE(f->ci_low.has_value());
  EXPECT_NEAR(*f->ci_low, low, 1e-6);
  EXPECT_NEAR(*f->ci_high, high, 1e-6);
}

// A ratio of two percentages: the value a / b, Katz's log interval
// R exp(+-1.96 sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)), worked by hand.
TEST(DerivedTest, RatioOfTwoPercentagesWithKatzInterval) {
  auto snap = TenPeople();
  auto r = RunDefs(*snap, Resolved({PercentA(), PercentB(), Derived("r", "mean", "[\"a\", \"b\"]", "ratio")}),
                   "2024-04", "2024-04");
  // Council: 40% / 20% = 2; var = 1/4 - 1/10 + 1/2 - 1/10 = 0.55.
  const Figure* c = Find(r, *snap, "2024-04", "C", "all", 2);
  ExpectInterval(c, 2.0, 0.4674789242298725, 8.556535477165358);
  EXPECT_FIGURE(c, 40, 20);  // the components' values
  // Teams: 60% / 20% = 3 (var 1/3 - 1/5 + 1 - 1/5) and 20% / 20% = 1.
  ExpectInterval(Find(r, *snap, "2024-04", "T1", "all", 2), 3.0, 0.4516296416390541, 19.92783283076195);
  ExpectInterval(Find(r, *snap, "2024-04", "T2", "all", 2), 1.0, 0.0838119123693221, 11.931478136347032);
  // Groups: those both components have (sex; b's age bands are not a's).
  EXPECT_EQ(r.indicators[2].groups, (std::vector<std::string>{"all", "sex:F", "sex:M", "sex:X", "sex:U"}));
  ExpectInterval(Find(r, *snap, "2024-04", "C", "sex:F", 2), 2.0, 0.6272669007522481, 6.376870826761321);
  // Men: 0% / 0%: no value, and so no interval.
  const Figure* m = Find(r, *snap, "2024-04", "C", "sex:M", 2);
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->value.has_value());
  EXPECT_FALSE(m->ci_low.has_value());
  EXPECT_EQ(Find(r, *snap, "2024-04", "C", "sex:X", 2), nullptr);  // in neither component
}

// per scales a ratio: 100 x a / b for a percentage, by default.
TEST(DerivedTest, RatioPerScales) {
  auto snap = TenPeople();
  auto r = RunDefs(*snap,
                   Resolved({PercentA(), PercentB(), Derived("p", "percent", "[\"a\", \"b\"]", "ratio"),
                             Derived("k", "rate_per_100k", "[\"a\", \"b\"]", "ratio", "per = 1000\n")}),
                   "2024-04", "2024-04");
  ExpectInterval(Find(r, *snap, "2024-04", "C", "all", 2), 200.0, 46.74789242298725, 855.6535477165358);
  ExpectInterval(Find(r, *snap, "2024-04", "C", "all", 3), 2000.0, 467.4789242298725, 8556.535477165358);
}

// A difference of two percentages in points, with Newcombe's hybrid score
// interval (MOVER over the Wilson intervals): for 4/10 and 2/10,
// 20 - sqrt((40 - 16.818)^2 + (50.984 - 20)^2) .. 20 + sqrt((68.733 - 40)^2 + (20 - 5.668)^2).
TEST(DerivedTest, DifferenceOfTwoPercentagesWithNewcombeInterval) {
  auto snap = TenPeople();
  auto r = RunDefs(*snap, Resolved({PercentA(), PercentB(), Derived("d", "percent", "[\"a\", \"b\"]", "difference")}),
                   "2024-04", "2024-04");
  ExpectInterval(Find(r, *snap, "2024-04", "C", "all", 2), 20.0, -18.69620828703915, 52.108623189232745);
  ExpectInterval(Find(r, *snap, "2024-04", "C", "sex:F", 2), 40.0, -16.261479448193825, 72.6436164874867);
  // 0% - 0%: 0, within +-the Wilson upper limit of 0 of 5.
  ExpectInterval(Find(r, *snap, "2024-04", "C", "sex:M", 2), 0.0, -43.44824647831748, 43.44824647831748);
}

// Counts: a cut group a count has no case in is 0, not missing; the cases
// behind a derived figure are its components'.
TEST(DerivedTest, CountsTheirZeroGroupsAndCases) {
  Data d;
  d.Person("P1", "service_user", "1950-01-01", {{"sex", "F"}});
  d.Person("P2", "service_user", "1950-01-01", {{"sex", "F"}});
  d.Person("P3", "service_user", "1950-01-01", {{"sex", "F"}});
  d.Person("P4", "service_user", "1950-01-01", {{"sex", "M"}});
  for (const char* p : {"P1", "P2", "P3"})
    d.Add("requests", {{"request_id", std::string("Q") + p}, {"person_id", p}, {"route", "community"},
                       {"received_on", "2024-04-03"}});
  for (const char* p : {"P3", "P4"})
    d.Add("assessments", {{"assessment_id", std::string("A") + p}, {"person_id", p}, {"kind", "needs"},
                          {"started_on", "2024-04-05"}, {"completed_on", "2024-04-20"}});
  auto snap = d.Finish();
  const std::string requests = Header("requests", "count", "flow") + "cuts = [\"sex\"]\n" +
                               "[population]\nunit = \"record\"\nfrom = \"requests\"\nwhere = \"received_on in period\"\n";
  const std::string assessed = Header("assessed", "count", "flow") + "cuts = [\"sex\"]\n" +
                               "[population]\nunit = \"record\"\nfrom = \"assessments\"\nwhere = \"completed_on in period\"\n";
  auto r = RunDefs(*snap,
                   Resolved({requests, assessed, Derived("gap", "count", "[\"requests\", \"assessed\"]", "difference"),
                             Derived("per", "mean", "[\"requests\", \"assessed\"]", "ratio")}),
                   "2024-04", "2024-04");
  // 3 - 2, MOVER over the exact Poisson intervals of 3 and 2.
  const Figure* gap = Find(r, *snap, "2024-04", "C", "all", 2);
  ExpectInterval(gap, 1.0, -4.741784015751671, 7.029201181036507);
  EXPECT_EQ(Ids(*snap, gap->numerator_persons), "P1 P2 P3");           // the first component's cases
  EXPECT_EQ(Ids(*snap, gap->denominator_persons), "P1 P2 P3 P4");      // everyone behind either
  // Women: 3 requests, 1 assessment. Men: no request (a count of 0, with
  // its interval 0 .. 3.689), 1 assessment: 0 - 1.
  // L = -1 - sqrt((0 - 0)^2 + (5.5716 - 1)^2), U = -1 + sqrt((3.6889 - 0)^2 + (1 - 0.0253)^2).
  ExpectInterval(Find(r, *snap, "2024-04", "C", "sex:M", 2), -1.0, -1.0 - (5.571643390938899 - 1),
                 -1.0 + std::hypot(3.688879454113936, 1 - 0.025317807984289842));
  // Neither has a case of sex X: no figure (not 0 - 0).
  EXPECT_EQ(Find(r, *snap, "2024-04", "C", "sex:X", 2), nullptr);
  // 3 / 2 = 1.5, the rate ratio's log interval: var = 1/3 + 1/2.
  ExpectInterval(Find(r, *snap, "2024-04", "C", "all", 3), 1.5, 0.2506421546934704, 8.976941659122339);
  // Men: 0 / 1 = 0, with no interval (the log of 0).
  const Figure* men = Find(r, *snap, "2024-04", "C", "sex:M", 3);
  ASSERT_NE(men, nullptr);
  EXPECT_EQ(men->value, 0.0);
  EXPECT_FALSE(men->ci_low.has_value());
}

// A derived indicator of a derived one; provisional when either component
// is (follow_up_days the larger); charted on an XmR chart, in no funnel.
TEST(DerivedTest, DerivedOfDerivedProvisionalAndCharted) {
  auto snap = TenPeople();
  std::vector<Definition> defs = Resolved({Derived("dd", "mean", "[\"d\", \"b\"]", "ratio"), PercentA(), PercentB(),
                                           Derived("d", "percent", "[\"a\", \"b\"]", "difference")});
  EXPECT_EQ(defs[3].follow_up_days, 28);
  EXPECT_EQ(defs[3].cuts, (std::vector<Cut>{Cut::kSex}));
  EXPECT_EQ(defs[0].follow_up_days, 28);
  auto r = RunDefs(*snap, std::move(defs), "2023-11", "2024-04");
  // dd = (40 - 20) / 20 in April; the first is listed before its components.
  ExpectInterval(Find(r, *snap, "2024-04", "C", "all", 3), 20.0, -18.69620828703915, 52.108623189232745);
  const Figure* dd = Find(r, *snap, "2024-04", "C", "all", 0);
  ASSERT_NE(dd, nullptr);
  EXPECT_DOUBLE_EQ(dd->value.value_or(-1), 1.0);
  EXPECT_FALSE(dd->ci_low.has_value());  // a derived component keeps no variance to combine
  SeriesStatsOptions so;
  ASSERT_TRUE(TryParseDate("2024-06-30", so.data_end));  // April's 28 days of follow-up have run
  auto st = ComputeSeriesStats(r, *snap, so);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  const IndicatorStats& is = st->indicators[3];
  EXPECT_FALSE(is.funnel_type.has_value());
  EXPECT_EQ(is.funnel_note,
            "no funnel: a derived indicator's figures are a ratio or difference of two indicators' figures, not "
            "counts of one population (its components have their own funnels)");
  bool charted = false;
  for (const SeriesSpc& s : is.spc)
    if (s.group == 0 && snap->OrgParent(s.org_unit) < 0) charted = s.chart == SpcChart::kXmr && s.points == 6;
  EXPECT_TRUE(charted);
  ASSERT_TRUE(TryParseDate("2024-05-20", so.data_end));  // a's follow-up of April runs past the data
  st = ComputeSeriesStats(r, *snap, so);
  ASSERT_TRUE(st.ok());
  const std::vector<Figure>& figs = r.indicators[3].figures;
  const size_t april = static_cast<size_t>(Find(r, *snap, "2024-04", "C", "all", 3) - figs.data());
  const size_t march = static_cast<size_t>(Find(r, *snap, "2024-03", "C", "all", 3) - figs.data());
  EXPECT_TRUE(st->indicators[3].figures[april].provisional);
  EXPECT_FALSE(st->indicators[3].figures[march].provisional);
}

Status ResolveError(const std::vector<std::string>& texts) {
  std::vector<Definition> defs = Parse(texts);
  return ResolveDerived(defs);
}

TEST(DerivedTest, UnknownComponentAndCyclesAreRefused) {
  // The header is 8 lines; [derived] is line 9 and of line 10.
  EXPECT_EQ(ResolveError({PercentA(), PercentB(), Derived("r", "mean", "[\"a\", \"bb\"]", "ratio")}).message(),
            "x.toml:10:12: 'bb' is not an indicator (did you mean 'b'?): [derived] of names indicators by their "
            "id, built-in or in the --indicators directory");
  EXPECT_EQ(ResolveError({PercentA(), Derived("r", "mean", "[\"r\", \"a\"]", "ratio")}).message(),
            "x.toml:10:7: indicator 'r' is defined from itself: r -> r. A derived indicator must in the end come "
            "from indicators with a [population]: define one of these from a [population] instead");
  EXPECT_EQ(ResolveError({PercentA(), Derived("p", "mean", "[\"a\", \"q\"]", "ratio"),
                          Derived("q", "mean", "[\"p\", \"a\"]", "ratio")})
                .message(),
            "x.toml:10:7: indicator 'p' is defined from itself: p -> q -> p. A derived indicator must in the end "
            "come from indicators with a [population]: define one of these from a [population] instead");
  EXPECT_EQ(ResolveError({PercentA(), Header("n", "count") + "[population]\nfrom = \"services\"\n",
                          Derived("d", "percent", "[\"a\", \"n\"]", "difference")})
                .message(),
            "x.toml:11:6: op = \"difference\" needs both components in this indicator's unit (percent): 'a' is "
            "percent, 'n' is count");
  // Computing a derived indicator without its component is refused too.
  auto snap = TenPeople();
  std::vector<Definition> alone = Parse({Derived("ratio1", "mean", "[\"a\", \"b\"]", "ratio")});
  ComputeOptions o;
  ASSERT_TRUE(TryParseMonth("2024-04", o.from_month));
  o.to_month = o.from_month;
  EXPECT_EQ(Compute(*snap, alone, o).status().message(),
            "x.toml:10:7: 'a' is not an indicator: [derived] of names indicators by their id, built-in or in the "
            "--indicators directory");
}

// A difference of two rates is per their own number, not the unit's
// 100,000 (it was labelled "per 100,000" whatever its components were).
TEST(DerivedTest, ADifferenceOfRatesIsPerItsComponentsNumber) {
  const std::string k1 = Derived("k1", "rate_per_100k", "[\"a\", \"b\"]", "ratio", "per = 1000\n"),
                    k2 = Derived("k2", "rate_per_100k", "[\"b\", \"a\"]", "ratio", "per = 1000\n"),
                    k3 = Derived("k3", "rate_per_100k", "[\"b\", \"a\"]", "ratio");
  const std::vector<Definition> defs = Resolved(
      {PercentA(), PercentB(), k1, k2, Derived("dk", "rate_per_100k", "[\"k1\", \"k2\"]", "difference")});
  ASSERT_EQ(defs.size(), 5u);
  EXPECT_EQ(defs[4].rate_per, 1000.0);
  EXPECT_EQ(PerLabel(defs[4].rate_per), "per 1,000");
  EXPECT_EQ(
      ResolveError(
          {PercentA(), PercentB(), k1, k3, Derived("dk", "rate_per_100k", "[\"k1\", \"k3\"]", "difference")})
          .message(),
      "x.toml:11:6: op = \"difference\" needs both rates per the same number: 'k1' is per 1,000, 'k3' is per "
      "100,000");
}

TEST(DerivedTest, DefinitionMistakesAreRefused) {
  auto err = [](const std::string& text) { return ParseDefinition(text, "x.toml").status().message(); };
  EXPECT_EQ(err(Derived("r", "count", "[\"a\", \"b\"]", "ratio")),
            "x.toml:4:8: a ratio of two indicators is not a count: write unit = \"mean\" for a / b, \"percent\" for "
            "100 x a / b, or \"rate_per_100k\" with per = 1000 in [derived] for a / b per 1,000");
  EXPECT_EQ(err(Derived("r", "mean", "[\"a\", \"b\"]", "ratoi")),
            "x.toml:11:6: unknown op 'ratoi' (did you mean 'ratio'?)");
  EXPECT_EQ(err(Derived("r", "mean", "[\"a\"]", "ratio")),
            "x.toml:10:6: 'of' must be a list of two indicator ids: of = [\"a\", \"b\"] for a / b or a - b");
  EXPECT_EQ(err(Derived("r", "mean", "[\"a\", \"b\"]", "difference", "per = 10\n")),
            "x.toml:12:7: 'per' goes with op = \"ratio\" (a difference is in the components' unit)");
  EXPECT_EQ(err(Derived("r", "mean", "[\"a\", \"b\"]", "ratio", "per = 0\n")),
            "x.toml:12:7: 'per' must be a number above 0 (per = 1000 for a rate per 1,000)");
  EXPECT_EQ(err(Header("r", "mean") + "cuts = [\"sex\"]\n[derived]\nof = [\"a\", \"b\"]\nop = \"ratio\"\n"),
            "x.toml:9:8: 'cuts' cannot go with [derived]: its groups are those both its components have "
            "(docs/indicators.md, Indicators from indicators)");
  EXPECT_EQ(err(Derived("r", "mean", "[\"a\", \"b\"]", "ratio") + "[population]\nfrom = \"services\"\n"),
            "x.toml:12:1: 'population' cannot go with [derived]: its figures come from its components' figures "
            "(docs/indicators.md, Indicators from indicators)");
}

}  // namespace
}  // namespace goldthread::indicators
