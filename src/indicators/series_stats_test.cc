// SPC charts and funnel plots of computed indicators, on hand-built
// ComputeResults whose classifications and limits are worked out by hand
// from shared/STATISTICS.md sections 2 and 3.
#include "indicators/series_stats.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "indicators/figure_stats.h"
#include "indicators/result_json.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using stats::Outlier;
using stats::PointType;

// The org tree of testing::Data (C > S > T1, T2) plus a second service
// S2 > T3, T4: four teams, two services, one council.
class HandBuilt {
 public:
  HandBuilt() {
    testing::Data d;
    d.Org("S2", "C", "service");
    d.Org("T3", "S2", "team");
    d.Org("T4", "S2", "team");
    snap_ = d.Finish();
  }
  const Snapshot& snap() const { return *snap_; }

  /// A new indicator over `months` months from 2024-04, group "all" only.
  IndicatorResult& Indicator(const std::string& id, Unit unit, Polarity polarity, int months) {
    Definition& def = defs_.emplace_back();
    def.id = id;
    def.title = id;
    def.unit = unit;
    def.polarity = polarity;
    result_.periods.clear();
    for (int m = 0; m < months; ++m) result_.periods.push_back(MonthPeriod(2024 + (3 + m) / 12, (3 + m) % 12 + 1));
    IndicatorResult& ir = result_.indicators.emplace_back();
    ir.def = &def;
    ir.groups = {"all"};
    return ir;
  }
  /// Adds a figure; FillFigure's arguments say what the counts mean.
  Figure& Add(IndicatorResult& ir, int period, const std::string& org, int group = 0) {
    Figure& f = ir.figures.emplace_back();
    f.period = period;
    f.org_unit = snap_->FindOrgUnit(org);
    EXPECT_GE(f.org_unit, 0) << org;
    f.group = group;
    return f;
  }
  void Percent(IndicatorResult& ir, int period, const std::string& org, int64_t num, int64_t den) {
    FillFigure(Unit::kPercent, den, num, 0, 0, 0, 0, Add(ir, period, org));
  }
  void Count(IndicatorResult& ir, int period, const std::string& org, int64_t n, int group = 0) {
    FillFigure(Unit::kCount, n, 0, 0, 0, 0, 0, Add(ir, period, org, group));
  }
  void Rate(IndicatorResult& ir, int period, const std::string& org, int64_t events, double residents) {
    FillFigure(Unit::kRatePer100k, events, 0, 0, 0, residents, 100000, Add(ir, period, org));
  }
  ComputeResult& result() { return result_; }
  Definition& def(size_t i) { return defs_[i]; }

  ResultStats Stats(const SeriesStatsOptions& options = {}) {
    Result<ResultStats> r = ComputeSeriesStats(result_, *snap_, options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : ResultStats();
  }

 private:
  std::unique_ptr<Snapshot> snap_;
  std::deque<Definition> defs_;  // a deque: the results point at them
  ComputeResult result_;
};

// The p-chart series of C, 8 months of 100 cases: 20, 20, 20, 20, 20, 20,
// 20, then 50 in the numerator. By hand (STATISTICS.md section 2, p-chart):
// p̄ = 190/800 = 0.2375; σ = sqrt(0.2375·0.7625/100) = 0.0425551;
// UPL = 0.2375 + 3σ = 0.365165, LPL = 0.109835; near limits 0.2375 ± 2σ =
// 0.152390 .. 0.322610. Points 1-7 (0.20) lie inside the near limits but
// below the mean, seven in a row: a shift (rule 4), all seven flagged, low.
// Point 8 (0.50) is above the UPL (rule 1), high. Up is better: seven
// concerns, then an improvement; the variation icon is the last point's.
void AddPChartSeries(HandBuilt& h, IndicatorResult& ir) {
  for (int m = 0; m < 7; ++m) h.Percent(ir, m, "C", 20, 100);
  h.Percent(ir, 7, "C", 50, 100);
}

TEST(SeriesStatsTest, PChartClassifiedByHand) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("p", Unit::kPercent, Polarity::kUp, 8);
  AddPChartSeries(h, ir);
  ResultStats rs = h.Stats();
  ASSERT_EQ(rs.indicators.size(), 1u);
  const IndicatorStats& is = rs.indicators[0];
  ASSERT_EQ(is.spc.size(), 1u);
  const SeriesSpc& s = is.spc[0];
  EXPECT_EQ(h.snap().OrgUnitId(s.org_unit), "C");
  EXPECT_EQ(s.chart, SpcChart::kP);
  EXPECT_EQ(s.points, 8);
  EXPECT_EQ(s.variation, PointType::kImprovement);
  EXPECT_FALSE(s.assurance);    // no target
  EXPECT_TRUE(s.trial_limits);  // 8 < 13 points
  EXPECT_EQ(s.note, "");
  const double sigma = std::sqrt(0.2375 * 0.7625 / 100);
  for (int m = 0; m < 8; ++m) {
    SCOPED_TRACE(m);
    const FigureStats& fs = is.figures[m];
    // In percent, as the figure's value.
    EXPECT_DOUBLE_EQ(*fs.mean, 23.75);
    EXPECT_NEAR(*fs.upl, 100 * (0.2375 + 3 * sigma), 1e-9);
    EXPECT_NEAR(*fs.upl, 36.5165334, 1e-6);
    EXPECT_NEAR(*fs.lpl, 10.9834666, 1e-6);
    EXPECT_EQ(fs.point_type, m < 7 ? PointType::kConcern : PointType::kImprovement);
  }
  // Percentages get a proportion funnel, but C is alone at its level.
  EXPECT_EQ(is.funnel_type, stats::FunnelType::kProportion);
  EXPECT_TRUE(is.funnels.empty());
  EXPECT_EQ(is.funnel_note, "no funnel: no period has two or more units of one kind with a figure to compare");
  EXPECT_EQ(is.figures[7].funnel, -1);

  // Down is better: the same signals read the other way.
  HandBuilt down;
  IndicatorResult& ird = down.Indicator("p", Unit::kPercent, Polarity::kDown, 8);
  AddPChartSeries(down, ird);
  ResultStats rsd = down.Stats();
  EXPECT_EQ(rsd.indicators[0].figures[0].point_type, PointType::kImprovement);
  EXPECT_EQ(rsd.indicators[0].figures[7].point_type, PointType::kConcern);
  EXPECT_EQ(rsd.indicators[0].spc[0].variation, PointType::kConcern);
}

// A count cut by sex: the engine leaves out a group's empty cells, and for
// a count that is a month with no cases. sex:F has 3 cases in months 1, 3,
// 5 and none in 2, 4, 6: y = 3, 0, 3, 0, 3, 0. By hand (XmR): mean 1.5;
// moving ranges all 3, AMR 3 (screening keeps MR < 3.267·3); UPL = 1.5 +
// 2.66·3 = 9.48, LPL = -6.48. No rule fires: common cause throughout.
// "all" is 5 every month: every point the same, so no limits (note S1).
TEST(SeriesStatsTest, XmrCountsTakeEmptyGroupCellsAsZero) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("n", Unit::kCount, Polarity::kUp, 6);
  ir.groups = {"all", "sex:F"};
  for (int m = 0; m < 6; ++m) {
    h.Count(ir, m, "C", 5);
    if (m % 2 == 0) h.Count(ir, m, "C", 3, 1);
  }
  ResultStats rs = h.Stats();
  const IndicatorStats& is = rs.indicators[0];
  ASSERT_EQ(is.spc.size(), 2u);
  const SeriesSpc& all = is.spc[0];
  EXPECT_EQ(all.chart, SpcChart::kXmr);
  EXPECT_EQ(all.variation, PointType::kCommonCause);
  EXPECT_EQ(all.note, "no limits: every point has the same value");
  const SeriesSpc& f = is.spc[1];
  EXPECT_EQ(f.group, 1);
  EXPECT_EQ(f.points, 6);
  EXPECT_EQ(f.note, "");
  EXPECT_EQ(f.variation, PointType::kCommonCause);
  for (size_t i = 0; i < ir.figures.size(); ++i) {
    const FigureStats& fs = is.figures[i];
    if (ir.figures[i].group == 0) {
      EXPECT_DOUBLE_EQ(*fs.mean, 5.0);
      EXPECT_FALSE(fs.upl);
      continue;
    }
    EXPECT_DOUBLE_EQ(*fs.mean, 1.5);
    EXPECT_NEAR(*fs.upl, 9.48, 1e-12);
    EXPECT_NEAR(*fs.lpl, -6.48, 1e-12);
    EXPECT_EQ(fs.point_type, PointType::kCommonCause);
  }
  EXPECT_FALSE(is.funnel_type);
  EXPECT_EQ(is.funnel_note,
            "no funnel: a count has no denominator, so units of different sizes cannot be compared");
}

// A definition-version break rebases the limits (shared/STATISTICS.md
// section 2, "Rebasing"). A count at C over 14 months from 2024-04: months
// 0-6 (old version) 10, 12, 11, 13, 10, 12, 11; months 7-13 (the new
// version from 2024-11-01) the same ten higher. By hand (XmR), each segment
// on its own: mean 79/7 = 11.285714 and 149/7 = 21.285714; moving ranges
// within each segment 2, 1, 2, 3, 2, 1, AMR 11/6 (none screened: all below
// 3.267·AMR = 5.99); limits mean ± 2.66·11/6 = ± 4.876667. No rule fires in
// either segment: common cause. Without the break one mean (228/14 = 16.285714) and
// the last seven points all above it: a shift, read as improvement.
TEST(SeriesStatsTest, AVersionBreakRebasesTheLimits) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("n", Unit::kCount, Polarity::kUp, 14);
  const int y[] = {10, 12, 11, 13, 10, 12, 11};
  for (int m = 0; m < 14; ++m) h.Count(ir, m, "C", y[m % 7] + (m >= 7 ? 10 : 0));
  const ResultStats plain = h.Stats();
  EXPECT_EQ(plain.indicators[0].spc[0].variation, PointType::kImprovement);
  EXPECT_NEAR(*plain.indicators[0].figures[13].mean, 228.0 / 14, 1e-9);

  SeriesStatsOptions o;
  o.rebase_from["n"] = DateFromCivil(2024, 11, 1);
  const ResultStats rs = h.Stats(o);
  const IndicatorStats& is = rs.indicators[0];
  EXPECT_EQ(is.spc[0].variation, PointType::kCommonCause);
  const double half = 2.66 * 11.0 / 6.0;
  for (int m = 0; m < 14; ++m) {
    SCOPED_TRACE(m);
    const FigureStats& fs = is.figures[m];
    const double mean = m < 7 ? 79.0 / 7 : 149.0 / 7;
    EXPECT_NEAR(*fs.mean, mean, 1e-9);
    EXPECT_NEAR(*fs.upl, mean + half, 1e-9);
    EXPECT_NEAR(*fs.lpl, mean - half, 1e-9);
    EXPECT_EQ(fs.point_type, PointType::kCommonCause);
  }
  EXPECT_NEAR(*is.figures[0].upl, 16.1623810, 1e-6);
  // A break mid-period rebases from the period that contains it; one at or
  // before the first period, or for another indicator, changes nothing.
  o.rebase_from["n"] = DateFromCivil(2024, 11, 15);
  EXPECT_NEAR(*h.Stats(o).indicators[0].figures[7].mean, 149.0 / 7, 1e-9);
  o.rebase_from["n"] = DateFromCivil(2024, 4, 1);
  EXPECT_NEAR(*h.Stats(o).indicators[0].figures[7].mean, 228.0 / 14, 1e-9);
  o.rebase_from = {{"other", DateFromCivil(2024, 11, 1)}};
  EXPECT_EQ(h.Stats(o).indicators[0].spc[0].variation, PointType::kImprovement);
}

TEST(SeriesStatsTest, TooFewPointsGetNoLimitsAndMeansNoFunnel) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("q", Unit::kMean, Polarity::kUp, 5);
  for (int m = 0; m < 5; ++m) FillFigure(Unit::kMean, 4, 0, 10.0 + m, 30.0 + m * m, 0, 0, h.Add(ir, m, "C"));
  ResultStats rs = h.Stats();
  const IndicatorStats& is = rs.indicators[0];
  ASSERT_EQ(is.spc.size(), 1u);
  EXPECT_EQ(is.spc[0].chart, SpcChart::kNone);
  EXPECT_EQ(is.spc[0].points, 5);
  EXPECT_EQ(is.spc[0].note, "fewer than 6 points (5): no limits");
  EXPECT_FALSE(is.spc[0].variation);
  EXPECT_FALSE(is.spc[0].trial_limits);
  for (const FigureStats& fs : is.figures) {
    EXPECT_FALSE(fs.mean);
    EXPECT_FALSE(fs.upl);
    EXPECT_FALSE(fs.point_type);
  }
  EXPECT_FALSE(is.funnel_type);
  EXPECT_EQ(is.funnel_note,
            "no funnel: funnels compare proportions and ratios, not means (shared/STATISTICS.md section 3)");
  // A lower minimum charts the same five points.
  SeriesStatsOptions o;
  o.min_points = 5;
  EXPECT_EQ(h.Stats(o).indicators[0].spc[0].chart, SpcChart::kXmr);
}

// One month, teams T1 40/100, T2..T4 20/100 each; services S 60/200 (T1 +
// T2) and S2 40/200; council C 100/400. By hand (STATISTICS.md section 3):
// p̄ = 0.25, asin(√0.25) = π/6.
//   z(T1) = (asin(√0.4) − π/6)·2·√100 = 3.22241; z(T2..T4) = −1.19902.
//   Unadjusted limits at n = 100: sin²(π/6 ± z·√(1/400)):
//   95% 0.170460 .. 0.339113; 99.8% 0.130151 .. 0.393534. T1 (0.40) lies
//   above 0.393534: a high outlier among teams.
//   τ²: z Winsorised at the 10th/90th percentiles (type 7: −1.19902,
//   −1.19902 + 0.7·(3.22241 + 1.19902) = 1.89598), φ = (3·1.19902² +
//   1.89598²)/4 = 1.97693 > 1; w = 4n = 400 each, τ² = (4φ − 3)/(1600 −
//   400) = 0.00408976; limits sin²(π/6 ± z·√(1/400 + τ²)): 99.8% 0.0725619
//   .. 0.489058, and T1 is no longer an outlier.
//   Services: z = (asin(√0.3) − π/6)·2·√200 = 1.58508 and −1.69568.
void AddTeams(HandBuilt& h, IndicatorResult& ir, int period) {
  h.Percent(ir, period, "C", 100, 400);
  h.Percent(ir, period, "S", 60, 200);
  h.Percent(ir, period, "S2", 40, 200);
  h.Percent(ir, period, "T1", 40, 100);
  for (const char* t : {"T2", "T3", "T4"}) h.Percent(ir, period, t, 20, 100);
}

// A 28-day follow-up and data to 2024-12-20: 2024-11 (the 8th month) ends
// 2024-11-30, and 30 November + 28 days is past the data, so its figures are
// provisional; 2024-10 (31 October + 28 = 28 November) is final.
TEST(SeriesStatsTest, ProvisionalPeriodsAreNeitherChartedNorInFunnels) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("p", Unit::kPercent, Polarity::kUp, 8);
  h.def(0).follow_up_days = 28;
  for (int m = 0; m < 7; ++m) h.Percent(ir, m, "C", 20, 100);
  AddTeams(h, ir, 7);  // C 25%, and the only period with teams
  EXPECT_FALSE(IsProvisional(h.result().periods[6], h.def(0), DateFromCivil(2024, 12, 20)));
  EXPECT_TRUE(IsProvisional(h.result().periods[7], h.def(0), DateFromCivil(2024, 12, 20)));
  EXPECT_FALSE(IsProvisional(h.result().periods[7], h.def(0), DateFromCivil(2024, 12, 28)));
  EXPECT_FALSE(IsProvisional(h.result().periods[7], h.def(0), kNullDate));

  // Without knowing where the data end, 2024-11 is charted and compared.
  ResultStats all = h.Stats();
  EXPECT_EQ(all.indicators[0].spc[0].points, 8);
  EXPECT_EQ(all.indicators[0].funnels.size(), 2u);

  SeriesStatsOptions o;
  o.data_end = DateFromCivil(2024, 12, 20);
  ResultStats rs = h.Stats(o);
  const IndicatorStats& is = rs.indicators[0];
  const SeriesSpc& c = is.spc[0];
  EXPECT_EQ(h.snap().OrgUnitId(c.org_unit), "C");
  EXPECT_EQ(c.points, 7);  // seven months at 20%: common cause, p̄ = 0.20
  EXPECT_EQ(c.variation, PointType::kCommonCause);
  const FigureStats& last = is.figures[7];  // C in 2024-11
  EXPECT_EQ(h.snap().OrgUnitId(ir.figures[7].org_unit), "C");
  EXPECT_TRUE(last.provisional);
  EXPECT_FALSE(last.point_type);
  EXPECT_FALSE(last.mean);
  EXPECT_EQ(last.funnel, -1);
  EXPECT_FALSE(is.figures[6].provisional);
  EXPECT_DOUBLE_EQ(*is.figures[6].mean, 20.0);
  EXPECT_TRUE(is.funnels.empty());
  EXPECT_EQ(is.funnel_note, "no funnel: no period has two or more units of one kind with a figure to compare");
  // Every team's 2024-11 figure is provisional too, and says so in the JSON.
  for (size_t i = 7; i < ir.figures.size(); ++i) EXPECT_TRUE(is.figures[i].provisional) << i;
  nlohmann::json j = nlohmann::json::parse(ResultToJson(h.result(), h.snap(), rs, {}));
  const nlohmann::json& series = j["indicators"][0]["series"];
  EXPECT_EQ(series[7]["provisional"], true);
  EXPECT_FALSE(series[6].contains("provisional"));
}

TEST(SeriesStatsTest, ProportionFunnelAmongTeamsByHand) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("p", Unit::kPercent, Polarity::kUp, 1);
  AddTeams(h, ir, 0);
  SeriesStatsOptions unadjusted;
  unadjusted.adjust = stats::FunnelAdjust::kNone;
  ResultStats rs = h.Stats(unadjusted);
  const IndicatorStats& is = rs.indicators[0];
  // Levels in the order of the kinds: service, then team; no council funnel.
  ASSERT_EQ(is.funnels.size(), 2u);
  EXPECT_EQ(is.funnel_note, "");
  const PeriodFunnel& svc = is.funnels[0];
  EXPECT_EQ(svc.level, "service");
  ASSERT_EQ(svc.units.size(), 2u);
  EXPECT_NEAR(*svc.units[0].z, 1.5850778, 1e-6);
  EXPECT_NEAR(*svc.units[1].z, -1.6956751, 1e-6);
  const PeriodFunnel& teams = is.funnels[1];
  EXPECT_EQ(teams.level, "team");
  EXPECT_DOUBLE_EQ(teams.target, 25.0);  // percent, as the values
  EXPECT_FALSE(teams.adjusted);
  ASSERT_EQ(teams.units.size(), 4u);
  const FunnelEntry& t1 = teams.units[0];
  EXPECT_EQ(h.snap().OrgUnitId(t1.org_unit), "T1");
  EXPECT_NEAR(*t1.z, 3.2224085, 1e-6);
  EXPECT_NEAR(t1.limits->lower95, 17.045987, 1e-5);
  EXPECT_NEAR(t1.limits->upper95, 33.911308, 1e-5);
  EXPECT_NEAR(t1.limits->lower998, 13.015083, 1e-5);
  EXPECT_NEAR(t1.limits->upper998, 39.353362, 1e-5);
  EXPECT_EQ(t1.outlier, Outlier::kHigh);
  EXPECT_NEAR(*teams.units[1].z, -1.1990233, 1e-6);
  EXPECT_EQ(teams.units[1].outlier, Outlier::kNone);
  // The figure knows its funnel: the table's "high outlier among teams".
  const FigureStats& ft1 = is.figures[t1.figure];
  EXPECT_EQ(ir.figures[t1.figure].org_unit, t1.org_unit);
  EXPECT_EQ(ft1.funnel, 1);
  EXPECT_EQ(ft1.outlier, Outlier::kHigh);
  EXPECT_EQ(is.figures[0].funnel, -1);  // C

  // The default, FunnelPlotR's τ² adjustment, absorbs the spread.
  ResultStats adj = h.Stats();
  const PeriodFunnel& at = adj.indicators[0].funnels[1];
  EXPECT_NEAR(at.phi, 1.9769268, 1e-6);
  EXPECT_NEAR(at.tau2, 0.00408975597, 1e-10);
  EXPECT_TRUE(at.adjusted);
  EXPECT_NEAR(at.units[0].limits->lower998, 7.2561887, 1e-5);
  EXPECT_NEAR(at.units[0].limits->upper998, 48.905821, 1e-5);
  EXPECT_EQ(at.units[0].outlier, Outlier::kNone);
}

// Σ_{k<=n} e^-μ μ^k / k!: the Poisson cdf, for checking exact limits.
double PoissonCdf(int n, double mu) {
  double term = std::exp(-mu), sum = term;
  for (int k = 1; k <= n; ++k) sum += term *= mu / k;
  return sum;
}

// Rates per 100,000 among teams T1..T3 of 1,000 residents each, with 2, 8
// and 20 events: the rate overall is 30/3000, so each team expects E = 10
// and O/E = 0.2, 0.8, 2.0. Unadjusted exact Poisson limits (STATISTICS.md
// section 3): lower998 = χ²⁻¹(0.001; 20)/20 = 5.9210/20 = 0.29605 (chi-
// square tables), so T1 is a low outlier; upper998 = χ²⁻¹(0.999; 22)/20 =
// 48.268/20 = 2.4134, so T3 is not. On the rate's scale they are times
// 1,000 per 100,000. Exactly, by the Poisson-χ² relation (Garwood 1936),
// μ = 10·lower998 has P(X <= 9) = 0.999 and μ = 10·upper998 has P(X <= 10)
// = 0.001.
TEST(SeriesStatsTest, RateFunnelIsExactPoisson) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("r", Unit::kRatePer100k, Polarity::kDown, 1);
  h.Rate(ir, 0, "T1", 2, 1000);
  h.Rate(ir, 0, "T2", 8, 1000);
  h.Rate(ir, 0, "T3", 20, 1000);
  SeriesStatsOptions unadjusted;
  unadjusted.adjust = stats::FunnelAdjust::kNone;
  ResultStats rs = h.Stats(unadjusted);
  const IndicatorStats& is = rs.indicators[0];
  EXPECT_EQ(is.funnel_type, stats::FunnelType::kRatio);
  ASSERT_EQ(is.funnels.size(), 1u);
  const PeriodFunnel& f = is.funnels[0];
  EXPECT_EQ(f.level, "team");
  EXPECT_DOUBLE_EQ(f.target, 1000.0);
  ASSERT_EQ(f.units.size(), 3u);
  const stats::FunnelLimits& l = *f.units[0].limits;
  EXPECT_NEAR(l.lower998, 296.05, 0.05);
  EXPECT_NEAR(l.upper998, 2413.4, 0.05);
  EXPECT_NEAR(PoissonCdf(9, 10 * l.lower998 / 1000), 0.999, 1e-9);
  EXPECT_NEAR(PoissonCdf(10, 10 * l.upper998 / 1000), 0.001, 1e-9);
  EXPECT_NEAR(PoissonCdf(9, 10 * l.lower95 / 1000), 0.975, 1e-9);
  EXPECT_NEAR(PoissonCdf(10, 10 * l.upper95 / 1000), 0.025, 1e-9);
  EXPECT_NEAR(*f.units[0].z, std::sqrt(10.0) * std::log(0.2), 1e-12);
  EXPECT_EQ(f.units[0].outlier, Outlier::kLow);
  EXPECT_EQ(f.units[1].outlier, Outlier::kNone);
  EXPECT_EQ(f.units[2].outlier, Outlier::kNone);
}

TEST(SeriesStatsTest, RejectsBadOptions) {
  HandBuilt h;
  SeriesStatsOptions o;
  o.run_length = 8;
  EXPECT_EQ(ComputeSeriesStats(h.result(), h.snap(), o).status().message(), "run length must be 6 or 7, got 8");
  o = {};
  o.min_points = 1;
  EXPECT_EQ(ComputeSeriesStats(h.result(), h.snap(), o).status().message(),
            "an SPC chart needs at least 2 points, got a minimum of 1");
}

// End to end through result_json: the added fields' names and values
// (statistics to 7 significant digits), on the two hand-worked cases above:
// the p-chart of C over 8 months, and the teams' funnel in the last month.
TEST(SeriesStatsTest, JsonCarriesSpcAndFunnelFields) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("p", Unit::kPercent, Polarity::kUp, 8);
  AddPChartSeries(h, ir);
  for (const char* t : {"T1", "T2", "T3", "T4"}) h.Percent(ir, 7, t, t[1] == '1' ? 40 : 20, 100);
  ResultStats rs = h.Stats();
  const nlohmann::json j = nlohmann::json::parse(ResultToJson(h.result(), h.snap(), rs, {}));
  const nlohmann::json& ind = j["indicators"][0];
  // The series entry of C in 2024-11 (DESIGN section 10's fields, then the
  // point's SPC fields as `spc --json` names them).
  const nlohmann::json& c8 = ind["series"][7];
  EXPECT_EQ(c8["period"], "2024-11");
  EXPECT_EQ(c8["org_unit"], "C");
  EXPECT_EQ(c8["value"], 50.0);
  EXPECT_EQ(c8["mean"], 23.75);
  EXPECT_EQ(c8["upl"], 36.51653);
  EXPECT_EQ(c8["lpl"], 10.98347);
  EXPECT_EQ(c8["point_type"], "improvement");
  EXPECT_EQ(ind["series"][0]["point_type"], "concern");
  // A team has one month: too few points, its SPC fields are null.
  const nlohmann::json& t1 = ind["series"][8];
  EXPECT_EQ(t1["org_unit"], "T1");
  EXPECT_TRUE(t1["mean"].is_null() && t1["lpl"].is_null() && t1["upl"].is_null() && t1["point_type"].is_null());
  EXPECT_EQ(ind["spc"][0].dump(),
            R"({"assurance":null,"chart":"p","group":"all","note":null,"org_unit":"C","points":8,)"
            R"("trial_limits":true,"variation":"improvement"})");
  EXPECT_EQ(ind["spc"][1].dump(),
            R"({"assurance":null,"chart":"none","group":"all","note":"fewer than 6 points (1): no limits",)"
            R"("org_unit":"T1","points":1,"trial_limits":false,"variation":null})");
  EXPECT_EQ(ind["funnel_type"], "proportion");
  EXPECT_TRUE(ind["funnel_note"].is_null());
  ASSERT_EQ(ind["funnels"].size(), 1u);
  const nlohmann::json& f = ind["funnels"][0];
  EXPECT_EQ(f["period"], "2024-11");
  EXPECT_EQ(f["group"], "all");
  EXPECT_EQ(f["level"], "team");
  EXPECT_EQ(f["target"], 25.0);
  EXPECT_EQ(f["phi"], 1.976927);
  EXPECT_EQ(f["tau2"], 0.004089756);
  EXPECT_EQ(f["adjusted"], true);
  EXPECT_EQ(f["units"][0].dump(),
            R"({"lower95":12.70757,"lower998":7.256189,"outlier":null,"unit":"T1","upper95":39.80257,)"
            R"("upper998":48.90582,"z":3.222409})");
  EXPECT_EQ(f["units"][3]["unit"], "T4");
  EXPECT_EQ(f["units"][3]["z"], -1.199023);
}

// `compute --json` is streamed (a national run's figures are 1.4 GB of
// JSON): the parts, put together, are exactly nlohmann's dump of the
// document they describe (so the file is what it was when the document was
// built whole and dumped), an unavailable indicator among them; and the
// figures arrive one by one, not as one part.
TEST(SeriesStatsTest, StreamedJsonIsTheDocumentsOwnDump) {
  HandBuilt h;
  AddTeams(h, h.Indicator("p", Unit::kPercent, Polarity::kUp, 1), 0);
  h.Indicator("q", Unit::kPercent, Polarity::kUp, 1);  // (moves p's result)
  const IndicatorResult& ir = h.result().indicators[0];
  const ResultStats rs = h.Stats(SeriesStatsOptions{});
  JsonOptions jo;
  jo.unavailable["q"] = "the store has no visits";
  jo.previous_versions["p"] = 7;
  std::vector<std::string> parts;
  WriteResultJson(h.result(), h.snap(), rs, jo, [&parts](std::string_view part) { parts.emplace_back(part); });
  std::string whole;
  for (const std::string& p : parts) whole += p;
  EXPECT_EQ(whole, ResultToJson(h.result(), h.snap(), rs, jo));
  const nlohmann::json doc = nlohmann::json::parse(whole);
  EXPECT_EQ(doc.dump(), whole);
  ASSERT_EQ(doc["indicators"].size(), 2u);
  EXPECT_EQ(doc["indicators"][0]["series"].size(), ir.figures.size());
  EXPECT_EQ(doc["indicators"][0]["previous_version"], 7);
  EXPECT_FALSE(doc["indicators"][0]["funnels"].empty());
  EXPECT_EQ(doc["indicators"][1]["unavailable"], "the store has no visits");
  EXPECT_TRUE(doc["indicators"][1]["series"].empty());
  EXPECT_EQ(doc["periods"], nlohmann::json::array({"2024-04"}));
  size_t figure_parts = 0;
  for (const std::string& p : parts)
    figure_parts += nlohmann::json::accept(p) && nlohmann::json::parse(p).contains("numerator");
  EXPECT_EQ(figure_parts, ir.figures.size());
  EXPECT_EQ(whole.find("goldthread:series-written-in-place"), std::string::npos);
}

// The figure as WriteResultJson built it before it wrote figures by hand:
// a nlohmann object, key by key (docs/indicators.md, "Output").
nlohmann::json FigureTree(const Figure& f, const FigureStats& fs, const IndicatorResult& ir,
                          const ComputeResult& result, const Snapshot& snap, bool of_values, bool cases) {
  auto optional = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  auto stat = [](const std::optional<double>& v) {
    return v && std::isfinite(*v) ? nlohmann::json(std::stod(fmt::format("{:.7g}", *v))) : nlohmann::json();
  };
  auto persons = [&snap](const std::vector<int32_t>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (int32_t p : rows) out.push_back(snap.PersonId(p));
    return out;
  };
  nlohmann::json s;
  s["period"] = result.periods[f.period].Label();
  s["org_unit"] = snap.OrgUnitId(f.org_unit);
  s["group"] = ir.groups[f.group];
  s["numerator"] = f.numerator;
  s["denominator"] = optional(f.denominator);
  s["value"] = optional(f.value);
  if (f.ci_low) s["ci_low"] = *f.ci_low, s["ci_high"] = *f.ci_high;
  s["mean"] = stat(fs.mean);
  s["lpl"] = stat(fs.lpl);
  s["upl"] = stat(fs.upl);
  s["point_type"] = fs.point_type ? nlohmann::json(stats::PointTypeName(*fs.point_type)) : nlohmann::json();
  if (fs.provisional) s["provisional"] = true;
  if (of_values) s["without_value"] = f.without_value;
  if (!ir.def->criteria.empty()) {
    s["claimed"] = f.claimed;
    s["substantiated"] = f.numerator;
    nlohmann::json failing = nlohmann::json::object();
    for (size_t c = 0; c < ir.def->criteria.size(); ++c) failing[ir.def->criteria[c]] = f.failing[c];
    s["failing"] = failing;
  }
  if (cases) s["cases"] = {{"numerator", persons(f.numerator_persons)}, {"denominator", persons(f.denominator_persons)}};
  return s;
}

// A funnel as WriteResultJson built it before it wrote funnels by hand.
nlohmann::json FunnelTree(const PeriodFunnel& pf, const ComputeResult& result, const IndicatorResult& ir,
                          const Snapshot& snap) {
  auto stat = [](const std::optional<double>& v) {
    return v && std::isfinite(*v) ? nlohmann::json(std::stod(fmt::format("{:.7g}", *v))) : nlohmann::json();
  };
  nlohmann::json units = nlohmann::json::array();
  for (const FunnelEntry& e : pf.units) {
    auto limit = [&](double stats::FunnelLimits::*m) {
      return stat(e.limits ? std::optional<double>((*e.limits).*m) : std::nullopt);
    };
    units.push_back({{"unit", snap.OrgUnitId(e.org_unit)},
                     {"z", stat(e.z)},
                     {"lower95", limit(&stats::FunnelLimits::lower95)},
                     {"upper95", limit(&stats::FunnelLimits::upper95)},
                     {"lower998", limit(&stats::FunnelLimits::lower998)},
                     {"upper998", limit(&stats::FunnelLimits::upper998)},
                     {"outlier", e.outlier && *e.outlier != Outlier::kNone
                                     ? nlohmann::json(stats::OutlierName(*e.outlier))
                                     : nlohmann::json()}});
  }
  return {{"period", result.periods[pf.period].Label()},
          {"group", ir.groups[pf.group]},
          {"level", pf.level},
          {"target", stat(pf.target)},
          {"phi", stat(pf.phi)},
          {"tau2", stat(pf.tau2)},
          {"adjusted", pf.adjusted},
          {"units", std::move(units)}};
}

// Figures are written by hand, not built and dumped (53 of a national run's
// 88 s): each is, byte for byte, nlohmann's dump of the object built key by
// key, with every optional key present and absent, criteria (one named
// twice: the last count is the key's), the cases, numbers at the edges of
// the serializer's layouts (whole, -0, 1e-05, 1e+16, non-finite) and names
// that must be escaped; and so is each funnel, its units with and without
// limits, z and an outlier.
TEST(SeriesStatsTest, HandWrittenFiguresAreTheTree) {
  testing::Data d;
  d.Org("T\"5", "S", "team");
  d.Org("Équipe\tNord", "S", "team");
  d.Person("P1", "service_user", "1950-01-01");
  d.Person("P\\2", "service_user", "1950-01-01");
  d.Person("P\u00e93", "service_user", "1950-01-01");
  const std::unique_ptr<Snapshot> snap = d.Finish();
  std::deque<Definition> defs(3);
  defs[0].id = "crit";
  defs[0].unit = Unit::kPercent;
  defs[0].criteria = {"plan", "review \"due\"", "plan"};
  defs[1].id = "mean";
  defs[1].unit = Unit::kMean;
  defs[2].id = "count";
  defs[2].unit = Unit::kCount;
  ComputeResult result;
  result.periods = {MonthPeriod(2024, 4), MonthPeriod(2024, 5)};
  ResultStats rs;
  const std::vector<double> edges = {0.0, -0.0, 2.0, 1e-5, 0.1 + 0.2, 1e16, 123456789.123, -37.5};
  const double inf = std::numeric_limits<double>::infinity();
  for (Definition& def : defs) {
    IndicatorResult& ir = result.indicators.emplace_back();
    ir.def = &def;
    ir.groups = {"all", "sex:F", "carer_group:\"bme\"\n"};
    IndicatorStats& is = rs.indicators.emplace_back();
    for (size_t k = 0; k < edges.size(); ++k) {
      Figure& f = ir.figures.emplace_back();
      f.period = static_cast<int32_t>(k % 2);
      f.org_unit = static_cast<int32_t>(k % snap->table(TableId::kOrgUnits).rows);
      f.group = static_cast<int32_t>(k % 3);
      f.numerator = edges[k];
      if (k % 3 != 0) f.denominator = edges[(k + 1) % edges.size()];
      if (k % 4 != 1) f.value = edges[(k + 2) % edges.size()];
      if (k % 2 == 0) f.ci_low = edges[(k + 3) % edges.size()], f.ci_high = edges[(k + 4) % edges.size()];
      f.without_value = static_cast<int64_t>(k) - 3;
      f.claimed = static_cast<int64_t>(k * 1000000007);
      if (!def.criteria.empty()) f.failing = {static_cast<int64_t>(k), 11, -static_cast<int64_t>(k)};
      f.numerator_persons = {static_cast<int32_t>(k % 3)};
      if (k % 2 == 1) f.denominator_persons = {0, 1, 2};
      FigureStats& fs = is.figures.emplace_back();
      if (k != 3) fs.mean = k == 5 ? inf : edges[k] / 3;
      if (k % 2 == 0) fs.lpl = -edges[k] / 7, fs.upl = std::nan("");
      if (k % 3 == 1) fs.point_type = k == 1 ? PointType::kConcern : PointType::kCommonCause;
      fs.provisional = k == 6;
    }
    for (size_t k = 0; k < 3; ++k) {
      PeriodFunnel& pf = is.funnels.emplace_back();
      pf.period = static_cast<int32_t>(k % 2);
      pf.group = static_cast<int32_t>(k);
      pf.level = k == 2 ? "t\"eam" : "team";
      pf.target = edges[k + 4];
      pf.phi = k == 1 ? inf : edges[k + 2];
      pf.tau2 = edges[k + 3];
      pf.adjusted = k == 1;
      for (size_t u = 0; u < k + 1; ++u) {
        FunnelEntry& e = pf.units.emplace_back();
        e.org_unit = static_cast<int32_t>(u + 3);
        if (u != 1) e.z = edges[u + 3] - 1;
        if (u != 2) e.limits = stats::FunnelLimits{edges[u], -edges[u + 1], edges[u + 2], edges[u + 5]};
        if (u > 0) e.outlier = u == 1 ? Outlier::kNone : Outlier::kHigh;
      }
    }
  }
  for (const bool cases : {false, true}) {
    SCOPED_TRACE(cases);
    JsonOptions jo;
    jo.cases = cases;
    const std::string whole = ResultToJson(result, *snap, rs, jo);
    const nlohmann::json doc = nlohmann::json::parse(whole);
    EXPECT_EQ(doc.dump(), whole);
    ASSERT_EQ(doc["indicators"].size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      const IndicatorResult& ir = result.indicators[i];
      const bool of_values = defs[i].unit == Unit::kMean;
      ASSERT_EQ(doc["indicators"][i]["series"].size(), ir.figures.size());
      ASSERT_EQ(doc["indicators"][i]["funnels"].size(), rs.indicators[i].funnels.size());
      for (size_t k = 0; k < rs.indicators[i].funnels.size(); ++k)
        EXPECT_EQ(doc["indicators"][i]["funnels"][k].dump(),
                  FunnelTree(rs.indicators[i].funnels[k], result, ir, *snap).dump())
            << defs[i].id << " funnel " << k;
      for (size_t k = 0; k < ir.figures.size(); ++k)
        EXPECT_EQ(doc["indicators"][i]["series"][k].dump(),
                  FigureTree(ir.figures[k], rs.indicators[i].figures[k], ir, result, *snap, of_values, cases).dump())
            << defs[i].id << " figure " << k;
    }
  }
  // The layouts the numbers above reach, as written.
  const std::string some = ResultToJson(result, *snap, rs, JsonOptions{});
  for (const char* text : {R"("numerator":-0.0)", R"("numerator":1e-05)", R"("numerator":1e+16)",
                           R"("numerator":0.30000000000000004)", R"("mean":41152260.0)", R"("upl":null)",
                           R"("org_unit":"T\"5")", R"("org_unit":"Équipe\tNord")", R"("failing":{"plan":-6,)",
                           R"("level":"t\"eam")", R"("phi":null)", R"("outlier":"high")"})
    EXPECT_NE(some.find(text), std::string::npos) << text;
}

// Figures and funnels are formatted two batches of 8,192 at a time on two
// threads: across batch edges (20,001 figures, 3 rounds) every figure is
// there once, in its place, the parts still one per figure.
TEST(SeriesStatsTest, ManyFiguresKeepTheirOrderAcrossBatches) {
  HandBuilt h;
  IndicatorResult& ir = h.Indicator("n", Unit::kCount, Polarity::kUp, 1);
  constexpr int kFigures = 20001;
  for (int k = 0; k < kFigures; ++k) h.Count(ir, 0, k % 2 ? "T3" : "T4", k);
  ResultStats rs;
  rs.indicators.emplace_back().figures.resize(kFigures);
  std::vector<std::string> parts;
  WriteResultJson(h.result(), h.snap(), rs, JsonOptions{}, [&parts](std::string_view p) { parts.emplace_back(p); });
  std::string whole;
  for (const std::string& p : parts) whole += p;
  const nlohmann::json doc = nlohmann::json::parse(whole);
  EXPECT_EQ(doc.dump(), whole);
  const nlohmann::json& series = doc["indicators"][0]["series"];
  ASSERT_EQ(series.size(), static_cast<size_t>(kFigures));
  for (int k = 0; k < kFigures; ++k) {
    ASSERT_EQ(series[k]["numerator"], k) << k;
    ASSERT_EQ(series[k]["org_unit"], k % 2 ? "T3" : "T4") << k;
  }
  size_t figure_parts = 0;
  for (const std::string& p : parts) figure_parts += p.starts_with(R"({"ci_high":)");
  EXPECT_EQ(figure_parts, static_cast<size_t>(kFigures));
}

}  // namespace
}  // namespace goldthread::indicators
