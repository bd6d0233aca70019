#include "planning/target_curve.h"

#include <cmath>
#include <limits>

#include "stats/forecast.h"

namespace goldthread::planning {

namespace ind = goldthread::indicators;

namespace {

Date MonthOf(Date d) {
  const YearMonthDay c = CivilFromDate(d);
  return DateFromCivil(c.year, c.month, 1);
}

}  // namespace

int32_t Curve::LastFinal() const {
  for (size_t i = points.size(); i-- > 0;)
    if (points[i].value && !points[i].provisional) return static_cast<int32_t>(i);
  return -1;
}

int32_t Curve::Find(const Period& p) const {
  for (size_t i = 0; i < points.size(); ++i)
    if (points[i].period == p) return static_cast<int32_t>(i);
  return -1;
}

const CurveForecast* Curve::ForecastFor(const Period& p) const {
  for (const CurveForecast& f : forecast)
    if (f.period == p) return &f;
  return nullptr;
}

Curve BuildCurve(const ind::ComputeResult& result, size_t indicator, const ind::ResultStats& stats, int32_t org,
                 const std::string& org_id, const Period& forecast_to) {
  const ind::IndicatorResult& ir = result.indicators[indicator];
  const ind::IndicatorStats& is = stats.indicators[indicator];
  Curve c;
  c.indicator = ir.def->id;
  c.org_unit = org_id;
  c.per = result.periods.empty() ? PeriodKind::kQuarter : result.periods.front().kind;
  c.points.resize(result.periods.size());
  for (size_t k = 0; k < result.periods.size(); ++k) c.points[k].period = result.periods[k];
  for (size_t f = 0; f < ir.figures.size(); ++f) {
    const ind::Figure& fig = ir.figures[f];
    if (fig.org_unit != org || fig.group != 0) continue;
    CurvePoint& p = c.points[fig.period];
    const ind::FigureStats& fs = is.figures[f];
    p.figure = static_cast<int32_t>(f);
    p.value = fig.value;
    p.ci_low = fig.ci_low;
    p.ci_high = fig.ci_high;
    p.numerator = fig.numerator;
    p.denominator = fig.denominator;
    p.provisional = fs.provisional;
    p.mean = fs.mean;
    p.lpl = fs.lpl;
    p.upl = fs.upl;
    p.point_type = fs.point_type;
  }
  c.spc_note = "no figures";
  for (const ind::SeriesSpc& s : is.spc) {
    if (s.org_unit != org || s.group != 0) continue;
    c.chart = s.chart;
    c.spc_note = s.note;
    c.trial_limits = s.trial_limits;
    c.variation = s.variation;
  }
  // The forecast runs on every computed period, provisional and empty ones
  // missing (NaN), so its positions are the periods after the last one.
  if (result.periods.empty() || !(forecast_to.end > result.periods.back().end)) return c;
  const std::vector<Period> ahead =
      PeriodsBetween(AddMonths(MonthOf(result.periods.back().end), 1), MonthOf(forecast_to.end), c.per);
  std::vector<double> y(c.points.size(), std::numeric_limits<double>::quiet_NaN());
  for (size_t k = 0; k < c.points.size(); ++k)
    if (c.points[k].value && !c.points[k].provisional) y[k] = *c.points[k].value;
  stats::ForecastOptions fo;
  fo.window = kForecastWindow;
  fo.horizon = ahead.size();
  fo.percent = ir.def->unit == ind::Unit::kPercent;
  Result<stats::Forecast> f = stats::BaselineForecast(y, fo);
  if (!f.ok()) {
    c.forecast_note = f.status().message();
    return c;
  }
  for (size_t h = 0; h < ahead.size() && h < f->points.size(); ++h) {
    const stats::ForecastPoint& fp = f->points[h];
    c.forecast.push_back({ahead[h], fp.fit, fp.pi80.low, fp.pi80.high, fp.pi95.low, fp.pi95.high});
  }
  return c;
}

}  // namespace goldthread::planning
