// What the SPC drawings of a series share: the units and words of an
// indicator, a series' figures and findings, a figure as shown (exact or
// disclosed), and the series as its chart points (ViewSeries).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/charts.h"
#include "report/charts_internal.h"
#include "report/disclosure_derived.h"

namespace goldthread::report {

namespace ind = goldthread::indicators;

std::string ValueSuffix(const ind::Definition& d) {
  switch (d.unit) {
    case ind::Unit::kPercent: return "%";
    case ind::Unit::kRatePer100k: return "";
    case ind::Unit::kDays: return "";
    case ind::Unit::kCount:
    case ind::Unit::kMean: return "";
  }
  return "";
}

std::string AxisLabel(const ind::Definition& d) {
  switch (d.unit) {
    case ind::Unit::kPercent: return "Percent";
    case ind::Unit::kRatePer100k:  // [rate] per, over residents or another population (docs/indicators.md)
      return "Rate " + ind::PerLabel(d.rate_per) +
             (d.derived || d.rate_population || d.rate_table != TableId::kPopulations ? "" : " residents");
    case ind::Unit::kCount: return "Count";
    case ind::Unit::kMean: return "Mean";
    case ind::Unit::kDays: return "Days";
  }
  return "";
}

std::string FormatValue(const ind::Definition& d, double v) {
  switch (d.unit) {
    case ind::Unit::kPercent: return fmt::format("{:.1f}%", v);
    case ind::Unit::kCount: return fmt::format("{:.0f}", v);
    case ind::Unit::kRatePer100k: return fmt::format("{:.1f} {}", v, ind::PerLabel(d.rate_per));
    case ind::Unit::kMean: return fmt::format("{:.2f}", v);
    case ind::Unit::kDays: return fmt::format("{:.1f} days", v);
  }
  return "";
}

std::vector<int32_t> SeriesFigures(const Grain& grain, int indicator, int32_t org_unit, int32_t group) {
  std::vector<int32_t> out(grain.result.periods.size(), -1);
  if (indicator < 0 || static_cast<size_t>(indicator) >= grain.result.indicators.size()) return out;
  const auto& figs = grain.result.indicators[indicator].figures;
  for (size_t i = 0; i < figs.size(); ++i)
    if (figs[i].org_unit == org_unit && figs[i].group == group) out[figs[i].period] = static_cast<int32_t>(i);
  return out;
}

std::vector<int> FindingsOn(const Analysis& a, std::string_view indicator, int32_t org_unit) {
  std::vector<int> out;
  const std::string unit = a.snapshot->OrgUnitId(org_unit);
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const integrity::Finding& f = a.findings[i];
    if (f.org_unit != unit) continue;
    if (std::find(f.indicators.begin(), f.indicators.end(), indicator) != f.indicators.end())
      out.push_back(static_cast<int>(i));
  }
  return out;
}

bool FindingOverlaps(const integrity::Finding& f, const Period& p) {
  Period fp;
  if (!TryParsePeriod(f.period, fp)) return false;
  return fp.start <= p.end && p.start <= fp.end;
}

std::string FindingPhrase(const Analysis& a, const integrity::Finding& f) {
  if (f.check == integrity::kDeadlineBunching) {
    int days = 28;
    for (const std::string& id : f.indicators)
      if (int i = a.IndicatorIndex(id); i >= 0) {
        auto it = a.definitions[i].parameters.find("threshold_days");
        if (it != a.definitions[i].parameters.end()) days = static_cast<int>(it->second);
      }
    return fmt::format("assessments bunched just inside the {}-day deadline", days);
  }
  if (f.check == integrity::kCriteriaGap) return "cases counted that do not meet every criterion of the definition";
  if (f.check == integrity::kImplausibleJump) return "a jump its peers did not see";
  if (f.check == integrity::kBulkChange) return "a bulk change of records on one day";
  if (f.check == integrity::kLateRegistration) return "requests registered long after first contact";
  if (f.check == integrity::kClockReset) return "cases closed and re-opened, restarting the clock";
  if (f.check == integrity::kBackdating) return "records entered long after the event";
  if (f.check == integrity::kPeriodEndSurge) return "a surge of entries at the end of the period";
  if (f.check == integrity::kProcessOutcomeDivergence) return "the process measure moved while its outcomes did not";
  if (f.check == integrity::kDataQuality) return "gaps or errors in the fields it is computed from";
  return f.check;
}

namespace internal {

Shown ShowFigure(const ChartContext& ctx, const ind::Definition& d, const ind::Figure& f) {
  Shown s;
  if (!f.value) return s;
  if (!ctx.disclosure) {
    s.value = f.value;
    return s;
  }
  // A derived figure through its components (docs/disclosure.md).
  const DisclosedFigure x = DiscloseFigure(ctx.analysis, d, f, *ctx.disclosure);
  s.value = x.shown.value;
  s.suppressed = x.shown.suppressed;
  s.reason = x.reason;
  return s;
}

std::string ShortUnit(const ind::Definition& d) {
  switch (d.unit) {
    case ind::Unit::kPercent: return "%";
    case ind::Unit::kRatePer100k: return ind::PerLabel(d.rate_per);
    case ind::Unit::kCount: return "count";
    case ind::Unit::kMean: return "mean";
    case ind::Unit::kDays: return "days";
  }
  return "";
}

Column ValueColumn(const ind::Definition& d, std::string heading) {
  switch (d.unit) {
    case ind::Unit::kPercent: return {std::move(heading), ColumnType::kPercent, 1};
    case ind::Unit::kCount: return {std::move(heading), ColumnType::kCount, 0};
    case ind::Unit::kRatePer100k: return {std::move(heading), ColumnType::kNumber, 1};
    case ind::Unit::kMean: return {std::move(heading), ColumnType::kNumber, 2};
    case ind::Unit::kDays: return {std::move(heading), ColumnType::kNumber, 1};
  }
  return {std::move(heading), ColumnType::kNumber, 1};
}

Cell ValueCell(const ChartContext& ctx, const ind::Definition& d, const Shown& s, std::string link) {
  if (s.suppressed) return DisclosedCell({std::nullopt, true});
  // No figure, no one behind it: a link would open an empty list.
  Cell c = NumberCell(s.value, "no cases", ctx.disclosure || !s.value ? "" : std::move(link));
  c.decimals = ValueColumn(d, "").decimals;  // a count as a whole number in a column of mixed units
  return c;
}

std::string CasesLink(const ChartContext& ctx, const Grain& g, const SeriesRef& ref, int32_t period) {
  if (!ctx.links || ctx.disclosure) return "";
  const auto& ir = g.result.indicators[ref.indicator];
  LinkTarget t;
  t.kind = LinkTarget::Kind::kCases;
  t.indicator = ir.def->id;
  t.period = g.result.periods[period].Label();
  t.org_unit = ctx.analysis->snapshot->OrgUnitId(ref.org_unit);
  t.group = ref.group < static_cast<int32_t>(ir.groups.size()) ? ir.groups[ref.group] : "all";
  return ctx.links(t);
}

stats::Polarity PolarityOf(const ind::Definition& d) {
  return d.polarity == ind::Polarity::kDown ? stats::Polarity::kDown : stats::Polarity::kUp;
}

std::string SeriesTitle(const Analysis& a, const ind::IndicatorResult& ir, const SeriesRef& ref) {
  std::string unit = a.OrgUnitName(ref.org_unit);
  if (unit.empty()) unit = a.snapshot->OrgUnitId(ref.org_unit);
  std::string t = fmt::format("{}: {}", ir.def->title, unit);
  if (ref.group > 0 && ref.group < static_cast<int32_t>(ir.groups.size())) t += " (" + ir.groups[ref.group] + ")";
  return t;
}

std::vector<int32_t> SeriesFiguresTo(const ChartContext& ctx, const SeriesRef& ref) {
  std::vector<int32_t> figs = SeriesFigures(ctx.analysis->grain(ref.by), ref.indicator, ref.org_unit, ref.group);
  if (ctx.last_period >= 0 && static_cast<size_t>(ctx.last_period) + 1 < figs.size()) figs.resize(ctx.last_period + 1);
  return figs;
}

SeriesView ViewSeries(const ChartContext& ctx, const SeriesRef& ref) {
  const Analysis& a = *ctx.analysis;
  const Grain& g = a.grain(ref.by);
  const ind::IndicatorResult& ir = g.result.indicators[ref.indicator];
  const ind::IndicatorStats& is = g.stats.indicators[ref.indicator];
  SeriesView v;
  v.def = ir.def;
  v.figs = SeriesFiguresTo(ctx, ref);
  for (const ind::SeriesSpc& s : is.spc)
    if (s.org_unit == ref.org_unit && s.group == ref.group) v.spc = &s;
  const std::vector<int> findings = FindingsOn(a, v.def->id, ref.org_unit);
  const VersionBreak* vb = a.BreakOf(v.def->id);
  size_t segment = 0;
  for (size_t p = 0; p < v.figs.size(); ++p) {
    const Period& period = g.result.periods[p];
    v.x.push_back(period.Label());
    stats::SpcPoint pt;
    std::vector<std::string> notes;
    Shown shown;
    bool provisional = false;
    // A definition-version break starts a new segment: its limits were
    // computed apart (ComputeSeriesStats' rebase_from), so they are drawn
    // apart.
    if (vb && period.start <= vb->from_month && vb->from_month <= period.end) {
      if (p > 0) ++segment;
      v.breaks.push_back({p, fmt::format("v{}", vb->version)});
      notes.push_back(fmt::format("definition v{} from here (before: v{})", vb->version, vb->previous_version));
    }
    pt.segment = segment;
    if (v.figs[p] < 0) {
      pt.missing = true;
      pt.y = NAN;
    } else {
      const ind::Figure& f = ir.figures[v.figs[p]];
      const ind::FigureStats& fs = is.figures[v.figs[p]];
      shown = ShowFigure(ctx, *v.def, f);
      provisional = fs.provisional;
      pt.missing = !shown.value;
      pt.y = shown.value.value_or(NAN);
      pt.mean = fs.mean, pt.lpl = fs.lpl, pt.upl = fs.upl;
      pt.point_type = fs.point_type;
      pt.trial_limits = v.spc && v.spc->trial_limits;
      if (pt.point_type && *pt.point_type != stats::PointType::kCommonCause) ++v.special;
      if (provisional) notes.push_back("follow-up not complete");
      if (shown.suppressed && !shown.reason.empty()) notes.push_back("not shown: " + shown.reason);
    }
    for (int fi : findings) {
      const integrity::Finding& f = a.findings[fi];
      if (!FindingOverlaps(f, period)) continue;
      // One marker per finding, at the last point of its period.
      const bool last = p + 1 == v.figs.size() || !FindingOverlaps(f, g.result.periods[p + 1]);
      if (last && v.figs[p] >= 0)
        v.markers.push_back({p, fmt::format("{} ({}, {})", FindingPhrase(a, f), integrity::SeverityName(f.severity),
                                            f.period)});
      if (last) notes.push_back(fmt::format("finding: {} ({})", FindingPhrase(a, f), f.period));
    }
    v.chart.points.push_back(pt);
    v.shown.push_back(shown);
    v.provisional.push_back(provisional);
    v.notes.push_back(std::move(notes));
  }
  if (v.spc) v.chart.variation = v.spc->variation;
  return v;
}

}  // namespace internal

}  // namespace goldthread::report
