// Plans on a council's own indicators (issue 13): a rate per 1,000 is
// worded "per 1,000" (its definition's [rate] per), not "per 100,000";
// and a target may be negative only where the indicator's values can be
// (a derived difference, a ratio of one), with the refusal's exact words
// elsewhere.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "indicators/derived.h"
#include "planning/plan_format.h"
#include "planning/plan_test_util.h"
#include "planning/target_status.h"

namespace goldthread::planning {
namespace {

namespace ind = goldthread::indicators;
using testing::Check;
using testing::Matching;
using Lines = std::vector<std::string>;

// A rate per 1,000 carers on the register (docs/indicators.md's example),
// a difference of two percentages in points, a ratio of two counts per
// 100, and a ratio made from that difference.
const char* const kLocal[] = {
    R"toml(id = "carer-assessments-per-1000"
title = "Carer assessments per 1,000 carers on the register"
description = "Carers assessed per 1,000 carers with a current caring relationship."
unit = "rate_per_100k"
polarity = "up"
oba = "how_much"
kind = "flow"
version = 1

[population]
unit = "person"
from = "assessments"
where = "kind in ('carer', 'joint') and completed_on in period"

[rate]
per = 1000
from = "care_links"
where = "active_in(period_start, period_end)"
)toml",
    R"toml(id = "pb-gap"
title = "Personal budgets claimed but not substantiated (points)"
description = "Claimed less substantiated, in percentage points."
unit = "percent"
polarity = "down"
oba = "how_well"
kind = "snapshot"
version = 1

[derived]
of = ["pb-share-claimed", "pb-share"]
op = "difference"
)toml",
    R"toml(id = "assessment-throughput"
title = "Assessments completed per 100 requests received"
description = "Assessments completed per 100 new requests."
unit = "percent"
polarity = "up"
oba = "how_much"
kind = "flow"
version = 1

[derived]
of = ["assessments-completed", "requests-new"]
op = "ratio"
)toml",
    R"toml(id = "gap-per-share"
title = "The gap per point of substantiated share"
description = "pb-gap over pb-share."
unit = "mean"
polarity = "down"
oba = "how_well"
kind = "snapshot"
version = 1

[derived]
of = ["pb-gap", "pb-share"]
op = "ratio"
)toml",
};

const std::vector<ind::Definition>& Defs() {
  static const std::vector<ind::Definition> defs = [] {
    // Definitions are move-only: a fresh load, not a copy of BuiltIns().
    auto loaded = ind::LoadDefinitionDir(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    std::vector<ind::Definition> out = loaded.ok() ? std::move(loaded).value() : std::vector<ind::Definition>();
    for (const char* text : kLocal) {
      auto d = ind::ParseDefinition(text, "local.toml");
      EXPECT_TRUE(d.ok()) << d.status().ToString();
      if (d.ok()) out.push_back(std::move(d).value());
    }
    const Status s = ind::ResolveDerived(out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }();
  return defs;
}

const ind::Definition& Def(const std::string& id) {
  for (const ind::Definition& d : Defs())
    if (d.id == id) return d;
  ADD_FAILURE() << id;
  return Defs().front();
}

// Lines 1-14: as plan_parse_test's; the target starts at line 15, its
// value on line 18.
std::string Plan(const std::string& indicator, const std::string& value) {
  return std::string(testing::kPlanHead) + R"([[target]]
plan = "P-T1"
indicator = ")" +
         indicator + "\"\nvalue = " + value + "\nby = 2026-03-31\nowner = \"SP\"\n";
}

Lines Problems(const std::string& indicator, const std::string& value) {
  return Matching(Check(Plan(indicator, value), nullptr, nullptr, &Defs()), "Measurable");
}

TEST(PlanUnitsTest, ARatePerThousandIsWordedPerThousand) {
  const ind::Definition& d = Def("carer-assessments-per-1000");
  EXPECT_EQ(FormatValue(8.44, d), "8.4 per 1,000");
  EXPECT_EQ(FormatValue(612.34, Def("care-home-admissions-65")), "612.3 per 100,000");
  EXPECT_EQ(FormatValue(75.0, Def("assessment-throughput")), "75.0%");

  // The target's status, as `plan show --why` and the reports print it.
  Curve c;
  c.indicator = d.id;
  c.org_unit = "T1";
  CurvePoint& p = c.points.emplace_back();
  p.period = QuarterPeriod(2025, 4);  // 2025-26 Q4, ending 2026-03-31
  p.value = 8.44;
  Target t;
  t.indicator = d.id;
  t.value = 9.0;
  t.has_value = true;
  ASSERT_TRUE(TryParseDate("2026-03-31", t.by));
  const TargetStatus s = JudgeTarget(&c, t, &d);
  EXPECT_EQ(s.reason, "off track: missed, 8.4 per 1,000 in 2025-26 Q4 against 9.0 per 1,000");

  // plan check's refusal names the rate's own multiplier.
  EXPECT_EQ(
      Problems(d.id, "-5"),
      Lines{"plan.toml:18:9: error: target carer-assessments-per-1000 at T1 by 2026-03-31 is not Measurable: "
            "value -5 is negative (carer-assessments-per-1000 is a rate per 1,000)"});
}

TEST(PlanUnitsTest, ANegativeTargetIsRefusedOnlyWhereTheIndicatorCannotBeNegative) {
  // A difference of two percentages, in points: -5 is 5 points lower.
  EXPECT_EQ(Problems("pb-gap", "-5.0"), Lines{});
  EXPECT_EQ(
      Problems("pb-gap", "-150"),
      Lines{
          "plan.toml:18:9: error: target pb-gap at T1 by 2026-03-31 is not Measurable: value -150 is outside "
          "-100 to 100 (pb-gap is a difference of percentages, in points: write -5.0 for 5 points lower)"});
  // A ratio with a difference in it can be negative too.
  EXPECT_EQ(Problems("gap-per-share", "-0.2"), Lines{});
  // A ratio per 100 of two counts is above 100 when the list shrinks, and
  // never negative.
  EXPECT_EQ(Problems("assessment-throughput", "110"), Lines{});
  EXPECT_EQ(
      Problems("assessment-throughput", "-10"),
      Lines{
          "plan.toml:18:9: error: target assessment-throughput at T1 by 2026-03-31 is not Measurable: value "
          "-10 is negative (assessment-throughput is a ratio of two indicators that cannot be negative)"});
  // A proportion, a count and a rate keep their refusals.
  EXPECT_EQ(
      Problems("reviews-12m", "-5"),
      Lines{"plan.toml:18:9: error: target reviews-12m at T1 by 2026-03-31 is not Measurable: value -5 is "
            "outside 0-100 (reviews-12m is a percentage: write 60.0 for 60%)"});
  EXPECT_EQ(
      Problems("complaints", "-5"),
      Lines{"plan.toml:18:9: error: target complaints at T1 by 2026-03-31 is not Measurable: value -5 is "
            "negative (complaints is a count)"});
  EXPECT_EQ(
      Problems("care-home-admissions-65", "-5"),
      Lines{"plan.toml:18:9: error: target care-home-admissions-65 at T1 by 2026-03-31 is not Measurable: "
            "value -5 is negative (care-home-admissions-65 is a rate per 100,000)"});
}

}  // namespace
}  // namespace goldthread::planning
