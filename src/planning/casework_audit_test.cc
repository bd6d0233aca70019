#include "planning/casework_audit.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "indicators/engine.h"
#include "planning/hub_test_builder.h"
#include "stats/funnel.h"

namespace goldthread::planning {
namespace {

/// Six teams audited on 2025-06-15, 50 items each, half "review_in_date"
/// and half "consent_recorded": T1, T3-T6 meet 40 of 50 (80%); T2 meets
/// only its 25 consent items (50%) and has 5 more marked na. T2 reviews both
/// its long-term service users, T1 neither: T2's reviews-12m is better than
/// the council's while its files are the worst.
std::unique_ptr<Snapshot> SixTeams() {
  testing::HubData d;
  for (int t = 3; t <= 6; ++t) d.Add(TableId::kOrgUnits, {fmt::format("T{}", t), "S1", fmt::format("Team {}", t), "team"});
  for (int t = 1; t <= 6; ++t) {
    std::string team = fmt::format("T{}", t);
    for (int i = 0; i < 50; ++i) {
      std::string person = fmt::format("P{}_{}", t, i);
      d.Person(person, "service_user", "1940-01-01", "A1");
      std::string item = i % 2 == 0 ? "review_in_date" : "consent_recorded";
      bool met = t == 2 ? item == "consent_recorded" : i < 40;
      d.CaseAudit(fmt::format("CA{}_{}", t, i), person, "2025-06-15", item, met ? "met" : "not_met", team);
    }
  }
  for (int i = 0; i < 5; ++i) d.CaseAudit(fmt::format("CA2_na{}", i), "P2_0", "2025-06-15", fmt::format("x{}", i), "na", "T2");
  for (int t : {1, 2})
    for (int i = 0; i < 2; ++i) {
      std::string person = fmt::format("P{}_{}", t, i);
      d.Service(fmt::format("S{}_{}", t, i), person, "home_care", "", "2024-01-01", "", "PRV1", fmt::format("T{}", t));
      if (t == 2) d.Review(fmt::format("R{}_{}", t, i), person, "2025-10-01", "Y", "T2");
    }
  return d.Finish();
}

std::vector<indicators::Definition> Defs(std::initializer_list<std::string_view> ids) {
  auto all = indicators::LoadDefinitionDir(indicators::BuiltInDir());
  EXPECT_TRUE(all.ok()) << all.status().ToString();
  std::vector<indicators::Definition> out;
  for (auto& d : *all)
    for (std::string_view id : ids)
      if (d.id == id) {
        out.push_back(std::move(d));
        break;  // ids are unique: d is moved once
      }
  return out;
}

TEST(CaseworkTest, ComplianceByTeamItemAndQuarter) {
  auto snap = SixTeams();
  ASSERT_TRUE(snap);
  CaseworkOptions o;
  o.year = 2025;
  auto a = RunCasework(*snap, Defs({"case-audit-met", "reviews-12m"}), o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  // 5 teams x 40 + 25 met of 300 audited; T2's five na items are left out.
  EXPECT_EQ(a->council.met, 225);
  EXPECT_EQ(a->council.audited, 300);
  EXPECT_EQ(a->council.na, 5);
  ASSERT_EQ(a->teams.size(), 6u);
  EXPECT_EQ(snap->OrgUnitId(a->teams[1].org_unit), "T2");
  EXPECT_EQ(a->teams[1].year.met, 25);
  EXPECT_EQ(a->teams[1].year.audited, 50);
  EXPECT_DOUBLE_EQ(*a->teams[1].year.rate, 0.5);
  // Items, the most failed first: review_in_date 100 of 150 (T2 none of 25).
  ASSERT_EQ(a->items.size(), 2u);  // the na-only items have nothing audited
  EXPECT_EQ(a->items[0].item, "review_in_date");
  EXPECT_EQ(a->items[0].council.met, 100);
  EXPECT_EQ(a->items[0].council.audited, 150);
  EXPECT_EQ(a->items[0].by_team[1].met, 0);
  EXPECT_EQ(a->items[1].item, "consent_recorded");
  // Over time: 12 quarters to 2025-26 Q4; all audits fall in 2025-26 Q1.
  ASSERT_EQ(a->quarters.size(), 12u);
  EXPECT_EQ(a->quarters[8].Label(), "2025-26 Q1");
  EXPECT_EQ(a->council_by_quarter[8].audited, 300);
  EXPECT_EQ(a->council_by_quarter[7].audited, 0);
  EXPECT_EQ(a->teams[1].by_quarter[8].met, 25);
  // The same rule as the case-audit-met indicator: the engine agrees.
  indicators::ComputeOptions co;
  co.by = PeriodKind::kYear;
  co.from_month = co.to_month = DateFromCivil(2026, 3, 1);
  auto defs = Defs({"case-audit-met"});
  auto engine = indicators::Compute(*snap, defs, co);
  ASSERT_TRUE(engine.ok());
  for (const indicators::Figure& f : engine->indicators[0].figures)
    if (f.group == 0 && snap->OrgUnitId(f.org_unit) == "T2") {
      EXPECT_EQ(f.numerator, 25);
      EXPECT_EQ(*f.denominator, 50);
    }
}

TEST(CaseworkTest, GoodFiguresPoorFiles) {
  auto snap = SixTeams();
  CaseworkOptions o;
  o.year = 2025;
  o.min_indicators = 1;
  auto a = RunCasework(*snap, Defs({"case-audit-met", "reviews-12m"}), o);
  ASSERT_TRUE(a.ok());
  // T2 lies below the funnel's 95% limit, the limit of stats::FunnelPlot
  // over the six teams (shared/STATISTICS.md section 3).
  std::vector<double> num = {40, 25, 40, 40, 40, 40}, den(6, 50);
  auto funnel = stats::FunnelPlot(num, den, stats::FunnelOptions{});
  ASSERT_TRUE(funnel.ok());
  const CaseworkTeam& t2 = a->teams[1];
  ASSERT_TRUE(t2.funnel_lower95.has_value());
  EXPECT_DOUBLE_EQ(*t2.funnel_lower95, funnel->units[1].limits->lower95);
  EXPECT_TRUE(t2.poor_files);
  ASSERT_EQ(t2.indicators.size(), 1u);
  EXPECT_EQ(t2.indicators[0].indicator, "reviews-12m");
  EXPECT_DOUBLE_EQ(t2.indicators[0].team, 100.0);
  EXPECT_DOUBLE_EQ(t2.indicators[0].council, 50.0);
  EXPECT_TRUE(t2.diverges);
  EXPECT_EQ(a->diverging, (std::vector<int>{1}));
  EXPECT_EQ(t2.why,
            fmt::format("T2's files meet the checklist in 50% (37-63%) of 50 items audited (council 75%; the "
                        "funnel's 95% limit at its number of items is {:.0f}%), yet 1 of its 1 how_well indicators "
                        "are better than the council's; reviews-12m 100% (council 50%) while 'review_in_date' is met "
                        "in 0% of its files (council 67%)",
                        100 * *t2.funnel_lower95));
  // T1 has poor figures and good files: no divergence.
  EXPECT_FALSE(a->teams[0].diverges);
  // With the default of three indicators to compare, one is not enough.
  o.min_indicators = 3;
  auto strict = RunCasework(*snap, Defs({"case-audit-met", "reviews-12m"}), o);
  ASSERT_TRUE(strict.ok());
  EXPECT_TRUE(strict->diverging.empty());
}

TEST(CaseworkTest, AYearWithoutAuditsIsRefused) {
  auto snap = SixTeams();
  CaseworkOptions o;
  o.year = 2023;
  auto a = RunCasework(*snap, Defs({"case-audit-met"}), o);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "case_audits.csv has no audited items (met or not met) in 2023-24");
}

}  // namespace
}  // namespace goldthread::planning
