// outcome-improved against independent computations: hand-worked cases, and
// a plain re-implementation of shared/DESIGN.md section 4's definition ("a
// measure is all rows of (person_id, instrument, stage, measured_on); its
// total is the sum of its domain scores; the follow-up is compared with the
// latest baseline of the same instrument before it") straight from the
// simulated council's rows, for every team and month.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "indicators/test_council.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;
using testing::Find;
using testing::Ids;

// P1: two baselines on one day of two instruments, the follow-up of one:
//     compared with its own instrument's (3 + 3 = 6 < 7): improved.
// P2: baselines on 01-10 (total 2) and 02-10 (total 9), follow-up 04-10
//     (total 8): compared with the latest, 02-10: not improved.
// P3: a baseline on the follow-up's own day only: not earlier: out.
// P4: two follow-ups in April (04-05, 04-20), baseline 03-01 (total 4):
//     totals 5 (improved) and 4 (equal: not): two cases, one improved.
// P5: a follow-up in May: not in April.
TEST(IndicatorOutcomeImprovedTest, HandWorked) {
  Data d;
  for (const char* p : {"P1", "P2", "P3", "P4", "P5"}) d.Person(p, "service_user", "1950-01-01");
  int n = 0;
  auto m = [&](const std::string& p, const std::string& instrument, const std::string& on, const std::string& stage,
               std::vector<int> scores) {
    ++n;
    int domain = 0;
    for (int sc : scores)
      d.Add("outcome_measures", {{"measure_id", "M" + std::to_string(n)}, {"person_id", p}, {"instrument", instrument},
                                 {"measured_on", on}, {"stage", stage}, {"domain", "d" + std::to_string(++domain)},
                                 {"score", std::to_string(sc)}});
  };
  m("P1", "ascot", "2024-01-10", "baseline", {3, 3});
  m("P1", "wemwbs", "2024-01-10", "baseline", {9, 9});
  m("P1", "ascot", "2024-04-10", "follow_up", {4, 3});
  m("P2", "ascot", "2024-01-10", "baseline", {1, 1});
  m("P2", "ascot", "2024-02-10", "baseline", {4, 5});
  m("P2", "ascot", "2024-04-10", "follow_up", {4, 4});
  m("P3", "ascot", "2024-04-10", "baseline", {1, 1});
  m("P3", "ascot", "2024-04-10", "follow_up", {3, 3});
  m("P4", "ascot", "2024-03-01", "baseline", {2, 2});
  m("P4", "ascot", "2024-04-05", "follow_up", {3, 2});
  m("P4", "ascot", "2024-04-20", "follow_up", {2, 2});
  m("P5", "ascot", "2024-03-01", "baseline", {0, 0});
  m("P5", "ascot", "2024-05-01", "follow_up", {3, 3});
  auto s = d.Finish();
  auto r = testing::RunDefs(*s, testing::BuiltIns({"outcome-improved"}), "2024-04", "2024-05");
  const Figure* april = Find(r, *s, "2024-04", "C");
  ASSERT_NE(april, nullptr);
  EXPECT_EQ(april->numerator, 2);
  EXPECT_EQ(april->denominator.value_or(-1), 4);  // P1, P2, P4 twice
  EXPECT_EQ(Ids(*s, april->numerator_persons), "P1 P4");
  EXPECT_EQ(Ids(*s, april->denominator_persons), "P1 P2 P4");
  const Figure* may = Find(r, *s, "2024-05", "C");
  ASSERT_NE(may, nullptr);
  EXPECT_EQ(may->numerator, 1);
  EXPECT_EQ(may->denominator.value_or(-1), 1);
}

// The re-implementation: measures from the rows, then per month and unit.
TEST(IndicatorOutcomeImprovedTest, AgreesWithAPlainComputationOnASimulatedCouncil) {
  using testing::FieldOf;
  const testing::Rows& rows = testing::SimulatedCouncil();
  const TableId om = TableId::kOutcomeMeasures;
  // measure (person, instrument, stage, day) -> total, and the org unit of
  // the follow-up's case record (its row with the lowest measure_id|domain).
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, double> total;
  std::map<Key, std::pair<std::string, std::string>> org;  // key -> (record id, org unit)
  std::map<std::string, std::string> parent;
  for (const auto& [t, row] : rows) {
    if (t == TableId::kOrgUnits) parent[FieldOf(row, t, "org_unit_id")] = FieldOf(row, t, "parent_id");
    if (t != om) continue;
    Key k{FieldOf(row, om, "person_id"), FieldOf(row, om, "instrument"), FieldOf(row, om, "stage"),
          FieldOf(row, om, "measured_on")};
    total[k] += std::stod(FieldOf(row, om, "score"));
    std::string id = FieldOf(row, om, "measure_id") + "|" + FieldOf(row, om, "domain");
    auto it = org.find(k);
    if (it == org.end() || id < it->second.first) org[k] = {id, FieldOf(row, om, "org_unit_id")};
  }
  // (month, unit) -> (improved, follow-ups)
  std::map<std::pair<std::string, std::string>, std::pair<int, int>> want;
  for (const auto& [k, follow_total] : total) {
    const auto& [person, instrument, stage, day] = k;
    if (stage != "follow_up") continue;
    const std::string month = day.substr(0, 7);
    if (month < "2023-04" || month > "2025-03") continue;
    // The latest baseline of the same instrument before the follow-up.
    auto lo = total.lower_bound(Key{person, instrument, "baseline", ""});
    auto hi = total.lower_bound(Key{person, instrument, "baseline", day});
    if (lo == hi) continue;
    const double baseline_total = std::prev(hi)->second;
    for (std::string u = org[k].second; !u.empty(); u = parent[u]) {
      auto& [num, den] = want[{month, u}];
      ++den;
      if (follow_total > baseline_total) ++num;
    }
  }
  ASSERT_GT(want.size(), 50u);

  auto snap = testing::BuildSnapshot(rows);
  auto r = testing::RunDefs(*snap, testing::BuiltIns({"outcome-improved"}), "2023-04", "2025-03", false, 2);
  int agree = 0, compared = 0;
  for (const Figure& f : r.indicators[0].figures) {
    if (f.group != 0) continue;
    auto it = want.find({r.periods[f.period].Label(), snap->OrgUnitId(f.org_unit)});
    const std::pair<int, int> expected = it == want.end() ? std::pair<int, int>{0, 0} : it->second;
    ++compared;
    if (f.numerator == expected.first && f.denominator.value_or(-1) == expected.second) ++agree;
    else
      ADD_FAILURE() << r.periods[f.period].Label() << " " << snap->OrgUnitId(f.org_unit) << ": engine " << f.numerator
                    << "/" << f.denominator.value_or(-1) << ", plain " << expected.first << "/" << expected.second;
  }
  EXPECT_EQ(agree, compared);
  // Every unit-month with a follow-up has a figure.
  std::set<std::pair<std::string, std::string>> seen;
  for (const Figure& f : r.indicators[0].figures)
    if (f.group == 0) seen.insert({r.periods[f.period].Label(), snap->OrgUnitId(f.org_unit)});
  for (const auto& [key, v] : want) EXPECT_TRUE(seen.count(key)) << key.first << " " << key.second;
}

}  // namespace
}  // namespace goldthread::indicators
