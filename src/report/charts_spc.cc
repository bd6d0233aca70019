// SPC charts of computed series, their icons and the gaming warning.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/charts.h"
#include "report/charts_internal.h"
#include "report/svg_icons.h"
#include "report/svg_sparkline.h"
#include "report/svg_spc.h"

namespace goldthread::report {

namespace ind = goldthread::indicators;
using namespace internal;  // NOLINT: this file's own helpers

Chart SpcChart(const ChartContext& ctx, const SeriesRef& ref, std::string id) {
  const Analysis& a = *ctx.analysis;
  const Grain& g = a.grain(ref.by);
  const ind::IndicatorResult& ir = g.result.indicators[ref.indicator];
  const ind::IndicatorStats& is = g.stats.indicators[ref.indicator];
  const ind::Definition& d = *ir.def;
  SeriesView v = ViewSeries(ctx, ref);

  Table t;
  t.id = id + "-data";
  t.caption = "The numbers behind the chart: " + SeriesTitle(a, ir, ref);
  t.columns = {{"Period", ColumnType::kText, 0}};
  const bool dc = ctx.disclosure.has_value();
  const bool full = !dc && !ctx.compact_tables;
  const ColumnType count_type = d.unit == ind::Unit::kMean || d.unit == ind::Unit::kDays ? ColumnType::kNumber
                                                                                        : ColumnType::kCount;
  const bool has_den = d.unit != ind::Unit::kCount || d.derived;
  // A derived figure's numerator and denominator are its components'
  // values: headed by the components' titles and ids, in their units.
  const ind::Definition* parts[2] = {nullptr, nullptr};
  if (d.derived)
    for (size_t j = 0; j < 2 && j < d.derived->of.size(); ++j)
      if (const int c = a.IndicatorIndex(d.derived->of[j]); c >= 0) parts[j] = &a.definitions[c];
  if (!dc && parts[0] && parts[1]) {
    for (const ind::Definition* p : parts)
      t.columns.push_back(ValueColumn(*p, fmt::format("{} ({})", p->title, p->id)));
  } else if (!dc) {
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

  for (size_t p = 0; p < v.figs.size(); ++p) {
    std::vector<Cell> row{TextCell(v.x[p])};
    if (v.figs[p] < 0) {
      if (!dc) {
        row.push_back(NumberCell(std::nullopt, "none"));
        if (has_den) row.push_back(NumberCell(std::nullopt, "none"));
      }
      row.push_back(NumberCell(std::nullopt, "no cases"));
      if (full) for (int k = 0; k < 5; ++k) row.push_back(NumberCell(std::nullopt));
      row.push_back(TextCell(""));
    } else {
      const ind::Figure& f = ir.figures[v.figs[p]];
      const ind::FigureStats& fs = is.figures[v.figs[p]];
      if (!dc && parts[0] && parts[1]) {
        Cell ca = NumberCell(f.numerator), cb = NumberCell(f.denominator, "none");
        ca.decimals = ValueColumn(*parts[0], "").decimals;  // each in its own unit's decimals
        cb.decimals = ValueColumn(*parts[1], "").decimals;
        row.push_back(std::move(ca));
        row.push_back(std::move(cb));
      } else if (!dc) {
        row.push_back(NumberCell(f.numerator));
        if (has_den) row.push_back(NumberCell(f.denominator, "none"));
      }
      row.push_back(ValueCell(ctx, d, v.shown[p], CasesLink(ctx, g, ref, static_cast<int32_t>(p))));
      if (full) {
        row.push_back(NumberCell(f.ci_low));
        row.push_back(NumberCell(f.ci_high));
        row.push_back(NumberCell(fs.mean));
        row.push_back(NumberCell(fs.lpl));
        row.push_back(NumberCell(fs.upl));
      }
      std::string var;
      if (v.provisional[p]) var = "provisional";
      else if (fs.point_type) var = std::string(stats::PointTypeName(*fs.point_type));
      std::replace(var.begin(), var.end(), '_', ' ');
      row.push_back(TextCell(var));
    }
    std::string note;
    for (const std::string& n : v.notes[p]) note += (note.empty() ? "" : "; ") + n;
    row.push_back(TextCell(note));
    t.rows.push_back(std::move(row));
  }
  if (v.spc && !v.spc->note.empty()) t.note = v.spc->note;
  SpcSvgOptions o;
  o.title = SeriesTitle(a, ir, ref);
  o.target = ctx.targets ? ctx.targets(d.id, ref.org_unit) : std::nullopt;
  o.polarity = PolarityOf(d);
  o.y_label = AxisLabel(d);
  o.x_label = ref.by == PeriodKind::kQuarter ? "Financial quarter" : "Month";
  o.value_suffix = ValueSuffix(d);
  o.width = ctx.width;
  o.height = ctx.height;
  o.side_panel = false;
  o.provisional = v.provisional;
  o.markers = v.markers;
  o.breaks = v.breaks;
  if (t.note.empty())
    t.note = d.unit == ind::Unit::kPercent ? "p-chart: limits at 3 sigma of the pooled proportion for each period's denominator."
                                           : "XmR chart: limits at the mean plus or minus 2.66 average moving ranges.";
  if (!v.breaks.empty()) t.note += " Limits are recalculated from the definition-version break on.";
  if (dc) t.note += " " + DisclosureNote(*ctx.disclosure);

  Chart c;
  c.id = std::move(id);
  c.title = o.title;
  c.alt = fmt::format("SPC chart of {} by {} over {} periods from {} to {}: {} point(s) of special cause{}{}.",
                      d.title, ref.by == PeriodKind::kQuarter ? "quarter" : "month", v.x.size(),
                      v.x.empty() ? "" : v.x.front(), v.x.empty() ? "" : v.x.back(), v.special,
                      o.markers.empty() ? "" : fmt::format("; {} integrity finding(s) marked", o.markers.size()),
                      o.breaks.empty() ? "" : "; a definition-version break is marked");
  o.desc = c.alt;
  c.svg = RenderSpcSvg(v.x, v.chart, o);
  c.data = std::move(t);
  return c;
}

Sparkline SparklineOf(const ChartContext& ctx, const SeriesRef& ref) {
  const SeriesView v = ViewSeries(ctx, ref);
  const ind::Definition& d = *v.def;
  Sparkline s;
  size_t shown = 0;
  for (const auto& pt : v.chart.points) shown += !pt.missing;
  s.alt = shown == 0 ? "no figures to chart"
                     : fmt::format("{} {}s; {} special cause{}", shown,
                                   ref.by == PeriodKind::kQuarter ? "quarter" : "month", v.special,
                                   v.breaks.empty() ? "" : "; definition changed");
  SparklineSvgOptions o;
  o.title = "Trend of " + d.title;
  o.desc = s.alt;
  o.provisional = v.provisional;
  o.breaks.reserve(v.breaks.size());
  for (const auto& b : v.breaks) o.breaks.push_back(b.first);
  s.svg = RenderSparklineSvg(v.chart, o);
  return s;
}

std::string internal::FindingWarning(std::optional<stats::PointType> now, stats::Polarity polarity,
                                    const std::vector<std::string>& improved_under_finding, const std::string& see) {
  if (now && *now == stats::PointType::kImprovement) return "improvement, but see: " + see;
  if (improved_under_finding.empty()) return "see: " + see;
  std::string periods;
  for (const std::string& p : improved_under_finding) periods += (periods.empty() ? "" : ", ") + p;
  const std::string latest = now ? VariationWords(*now, polarity) : std::string("not charted");
  // "common cause: no significant change" -> "now common cause".
  return fmt::format("earlier improvement ({}; now {}), but see: {}", periods, latest.substr(0, latest.find(':')),
                     see);
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
  const std::vector<int32_t> figs = SeriesFiguresTo(ctx, ref);
  const std::vector<int> findings = FindingsOn(a, d.id, ref.org_unit);
  std::vector<int> coinciding;
  std::vector<std::string> improved_under_finding;  // periods, in order, each once
  for (int fi : findings) {
    bool hit = false;
    for (size_t p = 0; p < figs.size(); ++p) {
      if (figs[p] < 0 || !FindingOverlaps(a.findings[fi], g.result.periods[p])) continue;
      hit = true;
      const auto& pt = is.figures[figs[p]].point_type;
      const std::string label = g.result.periods[p].Label();
      if (pt && *pt == stats::PointType::kImprovement &&
          std::find(improved_under_finding.begin(), improved_under_finding.end(), label) ==
              improved_under_finding.end())
        improved_under_finding.push_back(label);
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
    // Two findings may cover the same periods in any order: the periods in time order.
    std::sort(improved_under_finding.begin(), improved_under_finding.end());
    icons.warning = FindingWarning(spc ? spc->variation : std::nullopt, pol, improved_under_finding, see);
    if (assurance && *assurance == stats::Assurance::kConsistentPass)
      icons.warning += ". The target is met by figures under this finding: do not read it as assured.";
  }
  return icons;
}

}  // namespace goldthread::report
