// SPC charts of computed series, their icons and the gaming warning.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/charts.h"
#include "report/charts_internal.h"
#include "report/svg_icons.h"
#include "report/svg_spc.h"

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
    case ind::Unit::kRatePer100k: return "Rate per 100,000 residents";
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
    case ind::Unit::kRatePer100k: return fmt::format("{:.1f} per 100,000", v);
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
  const DisclosureRule& r = *ctx.disclosure;
  Disclosed x;
  switch (d.unit) {
    case ind::Unit::kPercent: x = DisclosePercent(f.numerator, f.denominator.value_or(0), r); break;
    case ind::Unit::kCount: x = DiscloseCount(*f.value, r); break;
    case ind::Unit::kRatePer100k: x = DiscloseRate(*f.value, f.numerator, r); break;
    case ind::Unit::kMean:
    case ind::Unit::kDays: x = DiscloseMean(*f.value, f.denominator.value_or(0), 2, r); break;
  }
  s.value = x.value;
  s.suppressed = x.suppressed;
  return s;
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
  return NumberCell(s.value, "no cases", ctx.disclosure ? "" : std::move(link));
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

}  // namespace internal

using namespace internal;  // NOLINT: this file's own helpers

Chart SpcChart(const ChartContext& ctx, const SeriesRef& ref, std::string id) {
  const Analysis& a = *ctx.analysis;
  const Grain& g = a.grain(ref.by);
  const ind::IndicatorResult& ir = g.result.indicators[ref.indicator];
  const ind::IndicatorStats& is = g.stats.indicators[ref.indicator];
  const ind::Definition& d = *ir.def;
  std::vector<int32_t> figs = SeriesFigures(g, ref.indicator, ref.org_unit, ref.group);
  if (ctx.last_period >= 0 && static_cast<size_t>(ctx.last_period) + 1 < figs.size()) figs.resize(ctx.last_period + 1);
  const std::vector<int> findings = FindingsOn(a, d.id, ref.org_unit);
  const VersionBreak* vb = a.BreakOf(d.id);

  stats::SpcResult chart;
  SpcSvgOptions o;
  std::vector<std::string> x;
  Table t;
  t.id = id + "-data";
  t.caption = "The numbers behind the chart: " + SeriesTitle(a, ir, ref);
  t.columns = {{"Period", ColumnType::kText, 0}};
  const bool dc = ctx.disclosure.has_value();
  const bool full = !dc && !ctx.compact_tables;
  const ColumnType count_type = d.unit == ind::Unit::kMean || d.unit == ind::Unit::kDays ? ColumnType::kNumber
                                                                                        : ColumnType::kCount;
  const bool has_den = d.unit != ind::Unit::kCount;
  if (!dc) {
    t.columns.push_back({d.unit == ind::Unit::kMean || d.unit == ind::Unit::kDays ? "Sum" : "Numerator", count_type,
                         count_type == ColumnType::kNumber ? 1 : 0});
    if (has_den) t.columns.push_back({d.unit == ind::Unit::kRatePer100k ? "Population" : "Denominator",
                                      ColumnType::kCount, 0});
  }
  t.columns.push_back(ValueColumn(d, "Value"));
  if (full) {
    t.columns.push_back(ValueColumn(d, "95% CI low"));
    t.columns.push_back(ValueColumn(d, "95% CI high"));
    t.columns.push_back(ValueColumn(d, "Mean"));
    t.columns.push_back(ValueColumn(d, "Lower limit"));
    t.columns.push_back(ValueColumn(d, "Upper limit"));
  }
  t.columns.push_back({"Variation", ColumnType::kText, 0});
  t.columns.push_back({"Note", ColumnType::kText, 0});
  if (dc)  // disclosed percentages are whole
    for (Column& col : t.columns)
      if (col.type == ColumnType::kPercent) col.decimals = 0;

  for (size_t p = 0; p < figs.size(); ++p) {
    const Period& period = g.result.periods[p];
    x.push_back(period.Label());
    stats::SpcPoint pt;
    std::vector<Cell> row{TextCell(period.Label())};
    std::vector<std::string> notes;
    bool provisional = false;
    if (figs[p] < 0) {
      pt.missing = true;
      pt.y = NAN;
      if (!dc) {
        row.push_back(NumberCell(std::nullopt, "none"));
        if (has_den) row.push_back(NumberCell(std::nullopt, "none"));
      }
      row.push_back(NumberCell(std::nullopt, "no cases"));
      if (full) for (int k = 0; k < 5; ++k) row.push_back(NumberCell(std::nullopt));
      row.push_back(TextCell(""));
    } else {
      const ind::Figure& f = ir.figures[figs[p]];
      const ind::FigureStats& fs = is.figures[figs[p]];
      const Shown shown = ShowFigure(ctx, d, f);
      provisional = fs.provisional;
      pt.missing = !shown.value;
      pt.y = shown.value.value_or(NAN);
      pt.mean = fs.mean, pt.lpl = fs.lpl, pt.upl = fs.upl;
      pt.point_type = fs.point_type;
      if (!dc) {
        row.push_back(NumberCell(f.numerator));
        if (has_den) row.push_back(NumberCell(f.denominator, "none"));
      }
      row.push_back(ValueCell(ctx, d, shown, CasesLink(ctx, g, ref, static_cast<int32_t>(p))));
      if (full) {
        row.push_back(NumberCell(f.ci_low));
        row.push_back(NumberCell(f.ci_high));
        row.push_back(NumberCell(fs.mean));
        row.push_back(NumberCell(fs.lpl));
        row.push_back(NumberCell(fs.upl));
      }
      std::string var;
      if (provisional) var = "provisional";
      else if (fs.point_type) var = std::string(stats::PointTypeName(*fs.point_type));
      std::replace(var.begin(), var.end(), '_', ' ');
      row.push_back(TextCell(var));
      if (provisional) notes.push_back("follow-up not complete");
    }
    if (vb && period.start <= vb->from_month && vb->from_month <= period.end) {
      o.breaks.push_back({p, fmt::format("v{}", vb->version)});
      notes.push_back(fmt::format("definition v{} from here (before: v{})", vb->version, vb->previous_version));
    }
    for (int fi : findings) {
      const integrity::Finding& f = a.findings[fi];
      if (!FindingOverlaps(f, period)) continue;
      // One marker per finding, at the last point of its period.
      const bool last = p + 1 == figs.size() || !FindingOverlaps(f, g.result.periods[p + 1]);
      if (last && figs[p] >= 0)
        o.markers.push_back({p, fmt::format("{} ({}, {})", FindingPhrase(a, f), integrity::SeverityName(f.severity),
                                            f.period)});
      if (last) notes.push_back(fmt::format("finding: {} ({})", FindingPhrase(a, f), f.period));
    }
    std::string note;
    for (const std::string& n : notes) note += (note.empty() ? "" : "; ") + n;
    row.push_back(TextCell(note));
    t.rows.push_back(std::move(row));
    o.provisional.push_back(provisional);
    chart.points.push_back(pt);
  }
  for (const ind::SeriesSpc& s : is.spc)
    if (s.org_unit == ref.org_unit && s.group == ref.group) {
      chart.variation = s.variation;
      for (auto& pt : chart.points) pt.trial_limits = s.trial_limits;
      if (!s.note.empty()) t.note = s.note;
    }
  const std::optional<double> target = ctx.targets ? ctx.targets(d.id, ref.org_unit) : std::nullopt;
  o.title = SeriesTitle(a, ir, ref);
  o.target = target;
  o.polarity = PolarityOf(d);
  o.y_label = AxisLabel(d);
  o.x_label = ref.by == PeriodKind::kQuarter ? "Financial quarter" : "Month";
  o.value_suffix = ValueSuffix(d);
  o.width = ctx.width;
  o.height = ctx.height;
  o.side_panel = false;
  if (t.note.empty())
    t.note = d.unit == ind::Unit::kPercent ? "p-chart: limits at 3 sigma of the pooled proportion for each period's denominator."
                                           : "XmR chart: limits at the mean plus or minus 2.66 average moving ranges.";
  if (dc) t.note += " " + DisclosureNote(*ctx.disclosure);

  Chart c;
  c.id = std::move(id);
  c.title = o.title;
  size_t special = 0;
  for (const auto& pt : chart.points)
    if (pt.point_type && *pt.point_type != stats::PointType::kCommonCause) ++special;
  c.alt = fmt::format("SPC chart of {} by {} over {} periods from {} to {}: {} point(s) of special cause{}{}.",
                      d.title, ref.by == PeriodKind::kQuarter ? "quarter" : "month", x.size(),
                      x.empty() ? "" : x.front(), x.empty() ? "" : x.back(), special,
                      o.markers.empty() ? "" : fmt::format("; {} integrity finding(s) marked", o.markers.size()),
                      o.breaks.empty() ? "" : "; a definition-version break is marked");
  o.desc = c.alt;
  c.svg = RenderSpcSvg(x, chart, o);
  c.data = std::move(t);
  return c;
}

Icons SeriesIcons(const ChartContext& ctx, const SeriesRef& ref) {
  const Analysis& a = *ctx.analysis;
  const Grain& g = a.grain(ref.by);
  const ind::IndicatorResult& ir = g.result.indicators[ref.indicator];
  const ind::IndicatorStats& is = g.stats.indicators[ref.indicator];
  const ind::Definition& d = *ir.def;
  Icons icons;
  const ind::SeriesSpc* spc = nullptr;
  for (const ind::SeriesSpc& s : is.spc)
    if (s.org_unit == ref.org_unit && s.group == ref.group) spc = &s;
  const stats::Polarity pol = PolarityOf(d);
  if (spc && spc->variation) {
    icons.variation_svg = VariationIconSvg(*spc->variation, pol);
    icons.variation = VariationWords(*spc->variation, pol);
  } else {
    icons.variation = spc && !spc->note.empty() ? spc->note : "not charted";
  }
  // Improvement points that coincide with a finding on this indicator and unit.
  std::vector<int32_t> figs = SeriesFigures(g, ref.indicator, ref.org_unit, ref.group);
  if (ctx.last_period >= 0 && static_cast<size_t>(ctx.last_period) + 1 < figs.size()) figs.resize(ctx.last_period + 1);
  const std::vector<int> findings = FindingsOn(a, d.id, ref.org_unit);
  std::vector<int> coinciding;
  bool improving_under_finding = false;
  for (int fi : findings) {
    bool hit = false;
    for (size_t p = 0; p < figs.size(); ++p) {
      if (figs[p] < 0 || !FindingOverlaps(a.findings[fi], g.result.periods[p])) continue;
      hit = true;
      const auto& pt = is.figures[figs[p]].point_type;
      if (pt && *pt == stats::PointType::kImprovement) improving_under_finding = true;
    }
    if (hit) coinciding.push_back(fi);
  }
  const std::optional<double> target = ctx.targets ? ctx.targets(d.id, ref.org_unit) : std::nullopt;
  std::optional<stats::Assurance> assurance;
  if (target && spc && spc->chart != ind::SpcChart::kNone) {
    // The assurance icon (shared/STATISTICS.md section 2) against the last
    // charted point's limits.
    for (size_t p = figs.size(); p-- > 0;) {
      if (figs[p] < 0) continue;
      const ind::FigureStats& fs = is.figures[figs[p]];
      if (fs.provisional || !fs.lpl || !fs.upl) continue;
      const bool up = d.polarity == ind::Polarity::kUp;
      if (*target > *fs.upl) assurance = up ? stats::Assurance::kConsistentFail : stats::Assurance::kConsistentPass;
      else if (*target < *fs.lpl) assurance = up ? stats::Assurance::kConsistentPass : stats::Assurance::kConsistentFail;
      else assurance = stats::Assurance::kInconsistent;
      break;
    }
  }
  if (assurance) {
    icons.assurance_svg = AssuranceIconSvg(*assurance);
    icons.assurance = AssuranceWords(*assurance);
  } else {
    icons.assurance_svg = NoTargetIconSvg();
    icons.assurance = target ? "target set, but the series has no limits yet" : "no target set (no plan loaded)";
  }
  if (!coinciding.empty()) {
    // One phrase per check, with every period it fired in.
    std::vector<std::pair<std::string, std::string>> by_check;  // (check, "phrase (check, periods")
    for (int fi : coinciding) {
      const integrity::Finding& f = a.findings[fi];
      auto it = std::find_if(by_check.begin(), by_check.end(), [&](const auto& x) { return x.first == f.check; });
      if (it == by_check.end())
        by_check.push_back({f.check, fmt::format("{} ({}, {}", FindingPhrase(a, f), f.check, f.period)});
      else
        it->second += ", " + f.period;
    }
    std::string see;
    for (const auto& [check, text] : by_check) see += (see.empty() ? "" : "; ") + text + ")";
    const bool improving_now = spc && spc->variation && *spc->variation == stats::PointType::kImprovement;
    if (improving_now || improving_under_finding)
      icons.warning = "improvement, but see: " + see;
    else
      icons.warning = "see: " + see;
    if (assurance && *assurance == stats::Assurance::kConsistentPass)
      icons.warning += ". The target is met by figures under this finding: do not read it as assured.";
  }
  return icons;
}

}  // namespace goldthread::report
