#include "integrity/divergence.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "stats/spc.h"

namespace goldthread::integrity {
namespace {

namespace ind = goldthread::indicators;

// One unit's chart of one indicator over the periods after the warm-up.
struct Chart {
  bool measured = false;  // enough charted periods to judge
  int charted = 0;
  std::vector<double> values, num, den;  // NaN where left out
  stats::SpcResult spc;
};

Chart ChartOf(const SeriesTable& t, size_t u, const ind::Definition& def, const DivergenceConfig& config) {
  Chart c;
  const size_t n = t.periods.size();
  const bool percent = def.unit == ind::Unit::kPercent;
  c.values.assign(n, NAN);
  c.num.assign(n, NAN);
  c.den.assign(n, NAN);
  for (size_t p = 0; p < n; ++p) {
    double v = t.values[u][p];
    double d = t.denominators.empty() ? NAN : t.denominators[u][p];
    bool has_den = !std::isnan(d);
    // A count has no denominator; anything else needs enough cases.
    if (std::isnan(v) || (has_den && d < config.min_denominator) || (percent && !has_den)) continue;
    c.values[p] = v;
    c.num[p] = t.numerators.empty() ? NAN : t.numerators[u][p];
    c.den[p] = d;
    ++c.charted;
  }
  if (c.charted < config.min_points) return c;
  stats::SpcOptions opt;
  opt.polarity = def.polarity == ind::Polarity::kUp ? stats::Polarity::kUp : stats::Polarity::kDown;
  opt.run_length = config.run_length;
  // Percent: a p-chart, whose limits follow each period's denominator
  // (shared/STATISTICS.md section 2); anything else: an XmR chart.
  auto chart = percent ? stats::PChart(c.num, c.den, opt) : stats::XmrChart(c.values, opt);
  if (!chart.ok()) return c;
  c.spc = std::move(chart).value();
  c.measured = true;
  return c;
}

bool TypeInWindow(const Chart& c, size_t window_start, stats::PointType type) {
  for (size_t p = window_start; p < c.spc.points.size(); ++p)
    if (c.spc.points[p].point_type == type) return true;
  return false;
}

// The level over periods [a, b): pooled percent, or the mean of the values.
double Level(const Chart& c, const ind::Definition& def, size_t a, size_t b) {
  double x = 0, n = 0;
  for (size_t p = a; p < b; ++p) {
    if (std::isnan(c.values[p])) continue;
    if (def.unit == ind::Unit::kPercent) {
      x += c.num[p];
      n += c.den[p];
    } else {
      x += c.values[p];
      n += 1;
    }
  }
  if (n <= 0) return NAN;
  return def.unit == ind::Unit::kPercent ? 100.0 * x / n : x / n;
}

std::string Value(const ind::Definition& def, double v) {
  if (def.unit == ind::Unit::kPercent) return fmt::format("{:.1f}%", v);
  return fmt::format("{:.3g}", v);
}

std::string Num(double v) { return fmt::format("{:g}", v); }

// "a", "a and b", "a, b and c".
std::string Join(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += i + 1 == items.size() ? " and " : ", ";
    s += items[i];
  }
  return s;
}

// The quarter a day falls in.
Period QuarterOf(Date d) {
  YearMonthDay c = CivilFromDate(d);
  return QuarterPeriod(FinancialYearOf(d), ((c.month + 12 - 4) % 12) / 3 + 1);
}

// An indicator's tables after the warm-up.
struct Sliced {
  const ind::Definition* def;
  SeriesTable teams, council;
  const SeriesTable& table(bool is_council) const { return is_council ? council : teams; }
};

Sliced Slice(const IndicatorSeries& s, size_t first) {
  return {s.def, DropLeadingPeriods(s.teams, first), DropLeadingPeriods(s.council, first)};
}

struct Context {
  const IndicatorSeriesSet& set;
  const DivergenceConfig& config;
  size_t first;  // the first period after the warm-up
};

void CheckUnit(const Context& cx, const Sliced& process, const std::vector<Sliced>& outcomes, bool council,
               size_t u, std::vector<Finding>& out) {
  const DivergenceConfig& config = cx.config;
  const ind::Definition& pdef = *process.def;
  const SeriesTable& pt = process.table(council);
  const size_t n = pt.periods.size();
  if (n < static_cast<size_t>(config.window) + 1) return;
  const size_t w0 = n - config.window;
  Chart pc = ChartOf(pt, u, pdef, config);
  if (!pc.measured || !TypeInWindow(pc, w0, stats::PointType::kImprovement)) return;
  const double earlier = Level(pc, pdef, 0, w0), recent = Level(pc, pdef, w0, n);
  if (std::isnan(earlier) || std::isnan(recent)) return;
  const double better = pdef.polarity == ind::Polarity::kUp ? recent - earlier : earlier - recent;
  const double needed =
      pdef.unit == ind::Unit::kPercent ? config.min_change : config.min_change / 100 * std::fabs(earlier);
  if (better < needed) return;

  std::vector<std::string> flat, unmeasured, worse;
  std::vector<std::pair<std::string, double>> outcome_figures;
  std::vector<std::string> linked;
  for (const Sliced& o : outcomes) {
    linked.push_back(o.def->id);
    const SeriesTable& ot = o.table(council);
    if (u >= ot.units.size() || ot.units[u] != pt.units[u]) continue;  // tables built together share units
    Chart oc = ChartOf(ot, u, *o.def, config);
    if (!oc.measured) {
      unmeasured.push_back(o.def->id);
      outcome_figures.push_back({o.def->id + "_charted_periods", static_cast<double>(oc.charted)});
      continue;
    }
    if (TypeInWindow(oc, w0, stats::PointType::kImprovement)) return;  // the outcome moved too: innocent
    flat.push_back(o.def->id);
    if (TypeInWindow(oc, w0, stats::PointType::kConcern)) worse.push_back(o.def->id);
    outcome_figures.push_back({o.def->id + "_earlier", Level(oc, *o.def, 0, w0)});
    outcome_figures.push_back({o.def->id + "_recent", Level(oc, *o.def, w0, n)});
  }
  if (flat.empty()) return;

  // The improved periods in the window, and where their run began.
  std::vector<std::string> improved;
  std::vector<std::string> rules;
  size_t first_improved = n, last_improved = 0;
  for (size_t p = w0; p < n; ++p) {
    const stats::SpcPoint& pt_p = pc.spc.points[p];
    if (pt_p.point_type != stats::PointType::kImprovement) continue;
    improved.push_back(pt.periods[p]);
    if (first_improved == n) first_improved = p;
    last_improved = p;
  }
  while (first_improved > 0 && pc.spc.points[first_improved - 1].point_type == stats::PointType::kImprovement)
    --first_improved;
  for (stats::SpecialCause rule : {stats::SpecialCause::kOutside, stats::SpecialCause::kTrend,
                                   stats::SpecialCause::kTwoInThree, stats::SpecialCause::kShift}) {
    for (size_t p = first_improved; p <= last_improved; ++p)
      if (pc.spc.points[p].point_type == stats::PointType::kImprovement && pc.spc.points[p].rule == rule) {
        rules.push_back(std::string(stats::SpecialCauseName(rule)));
        break;
      }
  }
  const Period& last_period = cx.set.periods[cx.first + last_improved];
  const Period again = QuarterOf(AddMonths(last_period.end, config.outcome_lag_months));

  Finding f;
  f.check = std::string(kProcessOutcomeDivergence);
  f.indicators = {pdef.id};
  for (const std::string& id : linked) f.indicators.push_back(id);
  f.org_unit = pt.units[u];
  f.period = pt.periods[last_improved];
  f.severity = worse.empty() ? Severity::kMedium : Severity::kHigh;
  std::string span = first_improved == last_improved
                         ? "in " + pt.periods[last_improved]
                         : "from " + pt.periods[first_improved] + " to " + pt.periods[last_improved];
  f.summary = pdef.id + " improved by special cause (" + Join(rules) + ") " + span + " (" +
              Value(pdef, earlier) + " before, " + Value(pdef, recent) + " in the last " +
              std::to_string(config.window) + " quarters), while " + Join(flat) +
              (worse.empty() ? " did not improve" : " did not improve (" + Join(worse) + " got worse)") +
              ": " + (council ? "the council" : "the team") +
              " may be hitting the target and missing the point.";
  f.statistic = "process_change";
  f.value = better;
  f.threshold = fmt::format(
      "an improvement point ({}; outside, trend, two-in-three or shift of {}) in the last {} quarters, the "
      "recent level at least {:g} {} the earlier one, and no improvement point of any linked outcome in "
      "those quarters",
      pdef.unit == ind::Unit::kPercent ? "p-chart" : "XmR chart", config.run_length, config.window,
      config.min_change,
      pdef.unit == ind::Unit::kPercent ? "percentage points better than" : "% better than");
  f.looked_at = "quarterly SPC charts of " + pdef.id + " and the outcome indicators it links to (" +
                Join(linked) + ") for " + pt.units[u] + ", " + pt.periods.front() + " to " +
                pt.periods.back() + "; quarters on fewer than " + Num(config.min_denominator) +
                " cases left out" +
                (unmeasured.empty() ? "" : "; too few quarters to chart " + Join(unmeasured));
  f.innocent_if = "the outcome measures lag the process by up to " +
                  std::to_string(config.outcome_lag_months) + " months; look again when " + again.Label() +
                  " is in: if " + Join(flat) +
                  " then improve too, the process change was real and people are better off.";
  double cases = 0;
  for (size_t p = w0; p < n; ++p)
    if (!std::isnan(pc.den[p])) cases += pc.den[p];
  f.evidence.records = static_cast<int64_t>(cases);
  f.evidence.figures = {{"process_earlier", earlier},
                        {"process_recent", recent},
                        {"process_change", better},
                        {"improvement_points", static_cast<double>(improved.size())}};
  for (auto& fig : outcome_figures) f.evidence.figures.push_back(std::move(fig));
  f.evidence.dates = improved;
  out.push_back(std::move(f));
}

}  // namespace

std::vector<Finding> CheckProcessOutcomeDivergence(const IndicatorSeriesSet& set,
                                                   const DivergenceConfig& config) {
  std::vector<Finding> out;
  if (!config.enabled || config.window < 1) return out;
  Context cx{set, config, set.FirstAfterWarmup(config.warmup_months)};
  for (const IndicatorSeries& process : set.series) {
    if (!process.def || process.def->links.empty()) continue;
    std::vector<Sliced> outcomes;
    for (const std::string& id : process.def->links)
      if (const IndicatorSeries* o = set.Find(id); o && o != &process)
        outcomes.push_back(Slice(*o, cx.first));
    if (outcomes.empty()) continue;
    Sliced p = Slice(process, cx.first);
    for (size_t u = 0; u < p.teams.units.size(); ++u) CheckUnit(cx, p, outcomes, false, u, out);
    for (size_t u = 0; u < p.council.units.size(); ++u) CheckUnit(cx, p, outcomes, true, u, out);
  }
  return out;
}

}  // namespace goldthread::integrity
