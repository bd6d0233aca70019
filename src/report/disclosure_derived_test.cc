// Derived figures in reports (issue 13, docs/disclosure.md): their SPC
// tables head the components by title and id, not "Numerator" and
// "Denominator"; under disclosure control a derived ratio or difference is
// shown, rounded for its unit, when both components would be, and
// suppressed with the reason otherwise. Every figure is worked by hand on a
// two-month analysis of team T1 built here.
#include "report/disclosure_derived.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "indicators/figure_stats.h"
#include "indicators/series_stats.h"
#include "indicators/test_util.h"
#include "report/charts.h"
#include "report/charts_internal.h"

namespace goldthread::report {
namespace {

namespace ind = goldthread::indicators;

ind::Definition Plain(const std::string& id, const std::string& title, ind::Unit unit) {
  ind::Definition d;
  d.id = id, d.title = title, d.unit = unit;
  return d;
}

ind::Definition Derived(const std::string& id, ind::Unit unit, ind::DerivedOp op, const std::string& a,
                        const std::string& b) {
  ind::Definition d = Plain(id, id, unit);
  d.derived = ind::Derived{op, {a, b}, {}, ""};
  if (op == ind::DerivedOp::kRatio) d.rate_per = 100;
  return d;
}

// Two months at T1:
//   a (count):   12, 3          b (count): 20, 20
//   r = 100 a / b (percent):    60.0, 15.0
//   n = a - b (count):          -8, -17
//   p (percent): 13 of 23, 5 of 8      q (percent): 10 of 40, 10 of 40
//   g = p - q (points):         56.52 - 25 = 31.52, 62.5 - 25 = 37.5
class DerivedDisclosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ind::testing::Data data;
    a_.snapshot = data.Finish();
    t1_ = a_.snapshot->FindOrgUnit("T1");
    // Definitions are move-only: no initializer list.
    a_.definitions.push_back(Plain("a", "Assessments completed", ind::Unit::kCount));
    a_.definitions.push_back(Plain("b", "Requests received", ind::Unit::kCount));
    a_.definitions.push_back(Derived("r", ind::Unit::kPercent, ind::DerivedOp::kRatio, "a", "b"));
    a_.definitions.push_back(Derived("n", ind::Unit::kCount, ind::DerivedOp::kDifference, "a", "b"));
    a_.definitions.push_back(Plain("p", "Budgets claimed", ind::Unit::kPercent));
    a_.definitions.push_back(Plain("q", "Budgets evidenced", ind::Unit::kPercent));
    a_.definitions.push_back(Derived("g", ind::Unit::kPercent, ind::DerivedOp::kDifference, "p", "q"));
    ind::ComputeResult& res = a_.monthly.result;
    res.periods = {MonthPeriod(2025, 4), MonthPeriod(2025, 5)};
    for (const ind::Definition& d : a_.definitions) {
      ind::IndicatorResult& ir = res.indicators.emplace_back();
      ir.def = &d;
      ir.groups = {"all"};
    }
    for (int32_t k = 0; k < 2; ++k) {
      Count(0, k, k == 0 ? 12 : 3);
      Count(1, k, 20);
      Percent(4, k, k == 0 ? 13 : 5, k == 0 ? 23 : 8);
      Percent(5, k, 10, 40);
      Combined(2, k, 0, 1, [](double x, double y) { return 100 * x / y; });
      Combined(3, k, 0, 1, [](double x, double y) { return x - y; });
      Combined(6, k, 4, 5, [](double x, double y) { return x - y; });
    }
    auto stats = ind::ComputeSeriesStats(res, *a_.snapshot);
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    a_.monthly.stats = std::move(stats).value();
  }
  ind::Figure& Add(int i, int32_t k) {
    ind::Figure& f = a_.monthly.result.indicators[i].figures.emplace_back();
    f.period = k, f.org_unit = t1_, f.group = 0;
    return f;
  }
  void Count(int i, int32_t k, int64_t n) { ind::FillFigure(ind::Unit::kCount, n, 0, 0, 0, 0, 0, Add(i, k)); }
  void Percent(int i, int32_t k, int64_t num, int64_t den) {
    ind::FillFigure(ind::Unit::kPercent, den, num, 0, 0, 0, 0, Add(i, k));
  }
  // As ComputeDerived: numerator and denominator the components' values.
  template <typename Op>
  void Combined(int i, int32_t k, int ia, int ib, Op op) {
    const double x = *a_.monthly.result.indicators[ia].figures[k].value;
    const double y = *a_.monthly.result.indicators[ib].figures[k].value;
    ind::Figure& f = Add(i, k);
    f.numerator = x, f.denominator = y, f.value = op(x, y);
  }
  const ind::Figure& Fig(int i, int32_t k) const { return a_.monthly.result.indicators[i].figures[k]; }
  DisclosedFigure Shown(int i, int32_t k) const {
    return DiscloseFigure(&a_, a_.definitions[i], Fig(i, k), DisclosureRule{});
  }

  Analysis a_;
  int32_t t1_ = -1;
};

TEST_F(DerivedDisclosureTest,
       ARatioOrDifferenceIsShownWhenBothComponentsAreAndSuppressedWithTheReasonOtherwise) {
  // Month 1: a = 12 (shown as 10), b = 20: r = 60% shown whole.
  EXPECT_EQ(Shown(2, 0).shown.value, 60.0);
  EXPECT_FALSE(Shown(2, 0).shown.suppressed);
  EXPECT_EQ(Shown(2, 0).reason, "");
  // n = -8, a count: to the nearest 5, -10.
  EXPECT_EQ(Shown(3, 0).shown.value, -10.0);
  // p = 13 of 23 and q = 10 of 40 both shown: g = 31.52 points, shown 32.
  EXPECT_EQ(Shown(6, 0).shown.value, 32.0);
  // Month 2: a = 3 is suppressed, so r (15%) and n (-17) are too.
  for (int i : {2, 3}) {
    EXPECT_TRUE(Shown(i, 1).shown.suppressed) << i;
    EXPECT_FALSE(Shown(i, 1).shown.value.has_value()) << i;
    EXPECT_EQ(Shown(i, 1).reason, "its component 'a' is not shown: a count of 1 to 4") << i;
  }
  // p = 5 of 8 is out of fewer than 10: g (37.5 points) is suppressed.
  EXPECT_TRUE(Shown(6, 1).shown.suppressed);
  EXPECT_EQ(Shown(6, 1).reason, "its component 'p' is not shown: fewer than 10 people behind it");
  // The components keep their own rules: 12 is shown as 10, 3 suppressed.
  EXPECT_EQ(Shown(0, 0).shown.value, 10.0);
  EXPECT_TRUE(Shown(0, 1).shown.suppressed);
  // A figure of no grain of the analysis cannot be judged: suppressed.
  const ind::Figure copy = Fig(2, 0);
  EXPECT_TRUE(DiscloseFigure(&a_, a_.definitions[2], copy, DisclosureRule{}).shown.suppressed);
}

TEST_F(DerivedDisclosureTest, SpcTablesHeadADerivedFiguresComponentsByName) {
  ChartContext ctx;
  ctx.analysis = &a_;
  const Chart c = SpcChart(ctx, {PeriodKind::kMonth, 2, t1_, 0}, "r");
  std::vector<std::string> headings;
  for (const Column& col : c.data.columns) headings.push_back(col.heading);
  EXPECT_EQ(headings, (std::vector<std::string>{"Period", "Assessments completed (a)",
                                                "Requests received (b)", "Value", "95% CI low", "95% CI high",
                                                "Mean", "Lower limit", "Upper limit", "Variation", "Note"}));
  ASSERT_EQ(c.data.rows.size(), 2u);
  EXPECT_EQ(c.data.rows[0][1].number, 12.0);
  EXPECT_EQ(c.data.rows[0][2].number, 20.0);
  EXPECT_EQ(c.data.rows[0][3].number, 60.0);
  // The difference in points heads its two percentages, each with its
  // unit's one decimal.
  const Chart g = SpcChart(ctx, {PeriodKind::kMonth, 6, t1_, 0}, "g");
  EXPECT_EQ(g.data.columns[1].heading, "Budgets claimed (p)");
  EXPECT_EQ(g.data.columns[2].heading, "Budgets evidenced (q)");
  EXPECT_EQ(g.data.columns[1].type, ColumnType::kPercent);
  EXPECT_EQ(g.data.rows[1][2].number, 25.0);

  // Under disclosure control: no component columns (as no numerator and
  // denominator for other figures); month 1 shown, month 2 marked [c] with
  // the reason in the note.
  ctx.disclosure = DisclosureRule{};
  const Chart d = SpcChart(ctx, {PeriodKind::kMonth, 2, t1_, 0}, "r");
  headings.clear();
  for (const Column& col : d.data.columns) headings.push_back(col.heading);
  EXPECT_EQ(headings, (std::vector<std::string>{"Period", "Value", "Variation", "Note"}));
  EXPECT_EQ(d.data.rows[0][1].number, 60.0);
  EXPECT_EQ(d.data.rows[1][1].text, kSuppressedMark);
  EXPECT_EQ(d.data.rows[1][3].text, "not shown: its component 'a' is not shown: a count of 1 to 4");
}

}  // namespace
}  // namespace goldthread::report
