// Funnel plots, "turning the curve" and small multiples of computed series.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

#include "report/charts.h"
#include "report/charts_internal.h"
#include "model/data_end.h"
#include "report/svg_funnel.h"
#include "report/svg_util.h"
#include "stats/forecast.h"

namespace goldthread::report {

namespace ind = goldthread::indicators;
using namespace internal;  // NOLINT: the chart helpers

Chart FunnelChart(const ChartContext& ctx, PeriodKind by, int indicator, int32_t period, std::string_view level,
                  std::string id) {
  const Analysis& a = *ctx.analysis;
  const Grain& g = a.grain(by);
  const ind::IndicatorResult& ir = g.result.indicators[indicator];
  const ind::IndicatorStats& is = g.stats.indicators[indicator];
  const ind::Definition& d = *ir.def;
  const std::string label = g.result.periods[period].Label();
  Chart c;
  c.id = std::move(id);
  c.title = fmt::format("{}: {}s compared, {}", d.title, level, label);
  c.data.id = c.id + "-data";
  c.data.caption = "The numbers behind the funnel plot: " + c.title;
  c.data.columns = {{"Unit", ColumnType::kText, 0},       {"Numerator", ColumnType::kCount, 0},
                    {"Denominator", ColumnType::kCount, 0}, ValueColumn(d, "Value"),
                    ValueColumn(d, "99.8% low"),             ValueColumn(d, "99.8% high"),
                    {"Outlier", ColumnType::kText, 0}};
  const ind::PeriodFunnel* pf = nullptr;
  for (const ind::PeriodFunnel& f : is.funnels)
    if (f.period == period && f.group == 0 && f.level == level) pf = &f;
  if (!pf || is.funnel_type != stats::FunnelType::kProportion) {
    c.alt = is.funnel_note.empty() ? "No funnel plot for this period." : is.funnel_note;
    c.data.note = c.alt;
    return c;
  }
  stats::FunnelResult fr;
  fr.model.options.type = stats::FunnelType::kProportion;
  fr.model.target = pf->target / 100.0;
  fr.model.phi = pf->phi;
  fr.model.tau2 = pf->tau2;
  fr.model.adjusted = pf->adjusted;
  fr.model.options.adjust = pf->adjusted ? stats::FunnelAdjust::kTau2 : stats::FunnelAdjust::kNone;
  std::vector<std::string> names;
  size_t outliers = 0;
  for (const ind::FunnelEntry& e : pf->units) {
    const ind::Figure& f = ir.figures[e.figure];
    stats::FunnelUnit u;
    u.numerator = f.numerator;
    u.denominator = f.denominator.value_or(0);
    if (f.value) u.value = *f.value / 100.0;
    u.z = e.z;
    u.outlier = e.outlier;
    fr.units.push_back(u);
    const std::string unit = a.snapshot->OrgUnitId(e.org_unit);
    names.push_back(unit);
    const bool out = e.outlier && *e.outlier != stats::Outlier::kNone;
    outliers += out;
    SeriesRef ref{by, indicator, e.org_unit, 0};
    const Shown shown = ShowFigure(ctx, d, f);
    std::vector<Cell> row{TextCell(unit + " " + a.OrgUnitName(e.org_unit))};
    if (ctx.disclosure) {
      row.push_back(DisclosedCell(DiscloseCount(f.numerator, *ctx.disclosure)));
      row.push_back(DisclosedCell(DiscloseCount(f.denominator.value_or(0), *ctx.disclosure)));
    } else {
      row.push_back(NumberCell(f.numerator));
      row.push_back(NumberCell(f.denominator));
    }
    row.push_back(ValueCell(ctx, d, shown, CasesLink(ctx, g, ref, period)));
    row.push_back(NumberCell(e.limits ? std::optional<double>(e.limits->lower998) : std::nullopt));
    row.push_back(NumberCell(e.limits ? std::optional<double>(e.limits->upper998) : std::nullopt));
    row.push_back(TextCell(out ? std::string(stats::OutlierName(*e.outlier)) : ""));
    c.data.rows.push_back(std::move(row));
  }
  FunnelSvgOptions o;
  // In the chart only what the heading above it does not say: a measure's
  // full name at 18 px ran past the 480-unit chart (seen in the management
  // report); the figure's label, <desc> and table name the measure.
  std::string levels = fmt::format("{}s compared, {}", level, label);
  levels[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(levels[0])));
  o.title = std::move(levels);
  o.x_label = "Denominator (cases in the period)";
  o.y_label = "Percent";
  o.percent = true;
  o.width = ctx.width;
  o.height = ctx.height + 40;
  o.legend_below = ctx.width < 720;
  o.clip_id = c.id + "-clip";
  c.alt = fmt::format("Funnel plot of {} for {} {}s in {}: overall {:.1f}%; {} outside the 99.8% limits.", d.title,
                      pf->units.size(), level, label, pf->target, outliers);
  o.desc = c.alt;
  c.svg = RenderFunnelSvg(names, fr, o);
  c.data.note = fmt::format("Overall value {:.1f}%; limits {} (τ² = {:.4f}); outliers beyond the 99.8% limits.",
                            pf->target, pf->adjusted ? "adjusted for overdispersion" : "unadjusted", pf->tau2);
  if (ctx.disclosure) c.data.note += " " + DisclosureNote(*ctx.disclosure);
  return c;
}

Chart CurveChart(const ChartContext& ctx, const SeriesRef& ref, std::string id) {
  const Analysis& a = *ctx.analysis;
  const Grain& g = a.grain(ref.by);
  const ind::IndicatorResult& ir = g.result.indicators[ref.indicator];
  const ind::IndicatorStats& is = g.stats.indicators[ref.indicator];
  const ind::Definition& d = *ir.def;
  std::vector<int32_t> figs = SeriesFigures(g, ref.indicator, ref.org_unit, ref.group);
  if (ctx.last_period >= 0 && static_cast<size_t>(ctx.last_period) + 1 < figs.size()) figs.resize(ctx.last_period + 1);
  Chart c;
  c.id = std::move(id);
  c.title = "Turning the curve: " + SeriesTitle(a, ir, ref);
  // History: final (not provisional) values as shown.
  std::vector<double> y(figs.size(), NAN);
  std::vector<bool> prov(figs.size(), false);
  for (size_t p = 0; p < figs.size(); ++p) {
    if (figs[p] < 0) continue;
    prov[p] = is.figures[figs[p]].provisional;
    const Shown s = ShowFigure(ctx, d, ir.figures[figs[p]]);
    if (s.value) y[p] = *s.value;
  }
  std::vector<double> fit_y = y;
  for (size_t p = 0; p < fit_y.size(); ++p)
    if (prov[p]) fit_y[p] = NAN;
  // The forecast starts after the last final point.
  size_t last_final = 0;
  bool any = false;
  for (size_t p = 0; p < fit_y.size(); ++p)
    if (!std::isnan(fit_y[p])) last_final = p, any = true;
  stats::ForecastOptions fo;
  fo.percent = d.unit == ind::Unit::kPercent;
  fo.horizon = ref.by == PeriodKind::kQuarter ? 4 : 6;
  std::vector<double> history(fit_y.begin(), fit_y.begin() + (any ? last_final + 1 : 0));
  auto forecast = stats::BaselineForecast(history, fo);
  const std::optional<double> target = ctx.targets ? ctx.targets(d.id, ref.org_unit) : std::nullopt;

  // Labels: the periods and the projected ones after the last final point.
  std::vector<std::string> labels;
  for (size_t p = 0; p < figs.size(); ++p) labels.push_back(g.result.periods[p].Label());
  const size_t total = forecast.ok() ? std::max(figs.size(), history.size() + fo.horizon) : figs.size();
  while (labels.size() < total && !figs.empty()) {
    const Period& lastp = g.result.periods[figs.size() - 1];
    const size_t ahead = labels.size() - figs.size() + 1;
    const int months = (ref.by == PeriodKind::kQuarter ? 3 : 1) * static_cast<int>(ahead);
    const YearMonthDay ymd = CivilFromDate(AddMonths(FirstOfMonth(lastp.end), months));
    Period p = ref.by == PeriodKind::kQuarter
                   ? QuarterPeriod(ymd.month >= 4 ? ymd.year : ymd.year - 1, ((ymd.month + 8) % 12) / 3 + 1)
                   : MonthPeriod(ymd.year, ymd.month);
    labels.push_back(p.Label());
  }
  // Scales.
  const double left = 72, right = ctx.width - 24.0, top = 64, bottom = ctx.height - 96.0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  auto widen = [&](double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  };
  for (double v : y) widen(v);
  if (forecast.ok())
    for (const auto& fp : forecast->points) widen(fp.pi95.low), widen(fp.pi95.high);
  if (target) widen(*target);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo < 1e-9) lo -= 1, hi += 1;
  const double pad = (hi - lo) * 0.08;
  const std::vector<double> ticks = NiceTicks(lo - pad, hi + pad, 6);
  const LinearScale sy{std::min(lo - pad, ticks.front()), std::max(hi + pad, ticks.back()), bottom, top};
  const LinearScale sx{-0.5, static_cast<double>(std::max<size_t>(labels.size(), 1)) - 0.5, left, right};
  const std::string suffix = ValueSuffix(d);

  c.alt = fmt::format("Turning the curve for {}: the history over {} periods{}{}.", d.title, figs.size(),
                      forecast.ok() ? fmt::format(" and where the baseline forecast says it goes if nothing changes "
                                                  "({} more periods, with 80% and 95% bands)",
                                                  fo.horizon)
                                    : ", too short for a forecast",
                      target ? fmt::format(", against the target {}", FormatValue(d, *target))
                             : "; no target is set (no plan loaded)");
  std::ostringstream s;
  s << SvgOpen(ctx.width, ctx.height, c.title, c.alt)
    << SvgTitle("", forecast.ok() ? "history, baseline forecast (if nothing changes) and target"
                                       : "history (too few points for a forecast)",
                left);
  for (double t : ticks)
    s << fmt::format("<line x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#e5e5e5\"/>"
                     "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\" font-size=\"14\" fill=\"{5}\">{6}{7}</text>\n",
                     left, right, sy(t), left - 8, sy(t) + 4, kColourText, FormatNumber(t), SvgEscape(suffix));
  s << fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#595959\"/>"
                   "<line x1=\"{0:.1f}\" x2=\"{3:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#595959\"/>\n",
                   left, top, bottom, right);
  const size_t every = std::max<size_t>(1, (labels.size() + 15) / 16);
  for (size_t i = 0; i < labels.size(); i += every)
    s << fmt::format("<text transform=\"translate({:.1f},{:.1f}) rotate(-40)\" text-anchor=\"end\" font-size=\"14\" "
                     "fill=\"{}\">{}</text>\n",
                     sx(static_cast<double>(i)), bottom + 16, kColourText, SvgEscape(labels[i]));
  s << fmt::format("<text transform=\"translate(16,{:.1f}) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\" "
                   "fill=\"{}\">{}</text>\n",
                   (top + bottom) / 2, kColourText, SvgEscape(AxisLabel(d)));
  // Forecast bands, then the fit line.
  if (forecast.ok() && !forecast->points.empty()) {
    auto band = [&](bool wide, std::string_view fill) {
      std::string up, down;
      for (const auto& fp : forecast->points) {
        const auto& iv = wide ? fp.pi95 : fp.pi80;
        up += fmt::format("{}{:.1f},{:.1f}", up.empty() ? "M" : "L", sx(fp.position), sy(iv.high));
      }
      for (auto it = forecast->points.rbegin(); it != forecast->points.rend(); ++it) {
        const auto& iv = wide ? it->pi95 : it->pi80;
        down += fmt::format("L{:.1f},{:.1f}", sx(it->position), sy(iv.low));
      }
      s << "<path d=\"" << up << down << "Z\" fill=\"" << fill << "\" stroke=\"none\"/>\n";
    };
    band(true, "#dbeaf7");
    band(false, "#a9cbe8");
    std::string fitline = fmt::format("M{:.1f},{:.1f}", sx(static_cast<double>(last_final)), sy(fit_y[last_final]));
    for (const auto& fp : forecast->points) fitline += fmt::format("L{:.1f},{:.1f}", sx(fp.position), sy(fp.fit));
    s << "<path d=\"" << fitline << "\" fill=\"none\" stroke=\"#005eb8\" stroke-width=\"2\" stroke-dasharray=\"6,4\"/>\n";
  }
  if (target)
    s << fmt::format("<line x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" "
                     "stroke-width=\"1.5\" stroke-dasharray=\"2,3\"/><text x=\"{1:.1f}\" y=\"{4:.1f}\" "
                     "text-anchor=\"end\" font-size=\"14\" fill=\"{3}\">target {5}</text>\n",
                     left, right, sy(*target), kColourTarget, sy(*target) - 4, SvgEscape(FormatValue(d, *target)));
  std::string path;
  bool pen = false;
  for (size_t p = 0; p < y.size(); ++p) {
    if (std::isnan(y[p]) || prov[p]) {
      pen = false;
      continue;
    }
    path += fmt::format("{}{:.1f},{:.1f}", pen ? "L" : "M", sx(static_cast<double>(p)), sy(y[p]));
    pen = true;
  }
  s << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << kColourText << "\" stroke-width=\"2\"/>\n";
  for (size_t p = 0; p < y.size(); ++p)
    if (!std::isnan(y[p]))
      s << fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\">"
                       "<title>{}: {}</title></circle>\n",
                       sx(static_cast<double>(p)), sy(y[p]), prov[p] ? "#ffffff" : kColourText, kColourText,
                       SvgEscape(labels[p]), SvgEscape(FormatValue(d, y[p]) + (prov[p] ? " (provisional)" : "")));
  // Legend.
  const double ly = ctx.height - 12.0;
  s << fmt::format(
      "<path d=\"M{0:.1f},{1:.1f}h16\" stroke=\"{2}\" stroke-width=\"2\"/><text x=\"{3:.1f}\" y=\"{4:.1f}\" "
      "font-size=\"14\" fill=\"{2}\">Actual</text>"
      "<path d=\"M{5:.1f},{1:.1f}h16\" stroke=\"#005eb8\" stroke-width=\"2\" stroke-dasharray=\"6,4\"/>"
      "<text x=\"{6:.1f}\" y=\"{4:.1f}\" font-size=\"14\" fill=\"{2}\">Baseline forecast</text>"
      "<rect x=\"{7:.1f}\" y=\"{8:.1f}\" width=\"16\" height=\"10\" fill=\"#a9cbe8\"/>"
      "<text x=\"{9:.1f}\" y=\"{4:.1f}\" font-size=\"14\" fill=\"{2}\">80% band</text>"
      "<rect x=\"{10:.1f}\" y=\"{8:.1f}\" width=\"16\" height=\"10\" fill=\"#dbeaf7\"/>"
      "<text x=\"{11:.1f}\" y=\"{4:.1f}\" font-size=\"14\" fill=\"{2}\">95% band</text>\n",
      left, ly, kColourText, left + 20, ly + 4, left + 72, left + 92, left + 222, ly - 5, left + 242, left + 310,
      left + 330);
  s << "</svg>\n";
  c.svg = s.str();

  // The table: actual and forecast per period.
  Table& t = c.data;
  t.id = c.id + "-data";
  t.caption = "The numbers behind the chart: " + c.title;
  t.columns = {{"Period", ColumnType::kText, 0}, ValueColumn(d, "Actual"),      ValueColumn(d, "Forecast"),
               ValueColumn(d, "80% low"),         ValueColumn(d, "80% high"),    ValueColumn(d, "95% low"),
               ValueColumn(d, "95% high"),        ValueColumn(d, "Target"),      {"Note", ColumnType::kText, 0}};
  for (size_t p = 0; p < labels.size(); ++p) {
    std::vector<Cell> row{TextCell(labels[p])};
    row.push_back(NumberCell(p < y.size() && !std::isnan(y[p]) ? std::optional<double>(y[p]) : std::nullopt));
    const stats::ForecastPoint* fp = nullptr;
    if (forecast.ok())
      for (const auto& q : forecast->points)
        if (static_cast<size_t>(q.position) == p) fp = &q;
    row.push_back(NumberCell(fp ? std::optional<double>(fp->fit) : std::nullopt));
    row.push_back(NumberCell(fp ? std::optional<double>(fp->pi80.low) : std::nullopt));
    row.push_back(NumberCell(fp ? std::optional<double>(fp->pi80.high) : std::nullopt));
    row.push_back(NumberCell(fp ? std::optional<double>(fp->pi95.low) : std::nullopt));
    row.push_back(NumberCell(fp ? std::optional<double>(fp->pi95.high) : std::nullopt));
    row.push_back(NumberCell(target, target ? "" : "no plan"));
    row.push_back(TextCell(p < prov.size() && prov[p] ? "provisional" : p >= figs.size() ? "projected" : ""));
    t.rows.push_back(std::move(row));
  }
  t.note = forecast.ok()
               ? fmt::format("Baseline forecast: least squares on the last {} final points{}, with prediction "
                             "intervals (shared/STATISTICS.md section 4). {}",
                             forecast->points_used, fo.percent ? " on the logit scale" : "",
                             target ? "" : "No target: no plan is loaded for this indicator.")
               : "Too few final points for a baseline forecast (at least 3 are needed). " +
                     std::string(target ? "" : "No target: no plan is loaded for this indicator.");
  if (ctx.disclosure) t.note += " " + DisclosureNote(*ctx.disclosure);
  return c;
}

Chart SmallMultiples(const ChartContext& ctx, PeriodKind by, int indicator, const std::vector<int32_t>& units,
                     std::string id) {
  const Analysis& a = *ctx.analysis;
  const Grain& g = a.grain(by);
  const ind::IndicatorResult& ir = g.result.indicators[indicator];
  const ind::IndicatorStats& is = g.stats.indicators[indicator];
  const ind::Definition& d = *ir.def;
  Chart c;
  c.id = std::move(id);
  c.title = d.title + ": every team";
  const int cols = ctx.width < 600 ? 2 : 3;
  const int rows = static_cast<int>((units.size() + cols - 1) / cols);
  const double pw = ctx.width / static_cast<double>(cols), ph = 150;
  const int height = static_cast<int>(60 + rows * ph + 44);
  // One y scale for all panels, so teams compare at a glance.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::vector<std::vector<int32_t>> series;
  for (int32_t u : units) {
    series.push_back(SeriesFigures(g, indicator, u, 0));
    for (int32_t f : series.back())
      if (f >= 0) {
        const Shown s = ShowFigure(ctx, d, ir.figures[f]);
        if (s.value) lo = std::min(lo, *s.value), hi = std::max(hi, *s.value);
      }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo < 1e-9) lo -= 1, hi += 1;
  c.alt = fmt::format("Small multiples of {} by {}: one panel per team ({} teams) on a shared scale from {} to {}; "
                      "coloured points are special cause.",
                      d.title, by == PeriodKind::kQuarter ? "quarter" : "month", units.size(), FormatValue(d, lo),
                      FormatValue(d, hi));
  std::ostringstream s;
  s << SvgOpen(ctx.width, height, c.title, c.alt)
    << SvgTitle("Every team", fmt::format("{} to {}; shared scale {} to {}", g.result.periods.front().Label(),
                                      g.result.periods.back().Label(), FormatValue(d, lo), FormatValue(d, hi)),
                12);
  size_t n = g.result.periods.size();
  if (ctx.last_period >= 0 && static_cast<size_t>(ctx.last_period) < n) n = ctx.last_period + 1;
  for (size_t k = 0; k < units.size(); ++k) {
    const size_t row = k / cols, col = k % cols;  // small multiples, three to a row
    const double x0 = static_cast<double>(col) * pw + 12, y0 = 60 + static_cast<double>(row) * ph;
    const LinearScale sx{-0.5, static_cast<double>(n) - 0.5, x0 + 4, x0 + pw - 20};
    const LinearScale sy{lo, hi, y0 + ph - 30, y0 + 28};
    const std::vector<int> findings = FindingsOn(a, d.id, units[k]);
    std::optional<double> last;
    for (int32_t f : series[k])
      if (f >= 0 && !is.figures[f].provisional) last = ShowFigure(ctx, d, ir.figures[f]).value;
    s << fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" "
                     "stroke=\"#d9d9d9\"/>",
                     x0, y0, pw - 16, ph - 10)
      << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"13\" font-weight=\"bold\" fill=\"{}\">{} {}</text>",
                     x0 + 6, y0 + 18, kColourText, SvgEscape(a.snapshot->OrgUnitId(units[k])),
                     last ? SvgEscape(FormatValue(d, *last)) : "")
      << (findings.empty() ? ""
                           : fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"14\" "
                                         "fill=\"{}\">▲ finding</text>",
                                         x0 + pw - 22, y0 + 18, kColourTarget));
    std::string path;
    bool pen = false;
    for (size_t p = 0; p < n; ++p) {
      const int32_t f = series[k][p];
      const Shown sh = f >= 0 ? ShowFigure(ctx, d, ir.figures[f]) : Shown{};
      if (!sh.value || is.figures[f].provisional) {
        pen = false;
        continue;
      }
      path += fmt::format("{}{:.1f},{:.1f}", pen ? "L" : "M", sx(static_cast<double>(p)), sy(*sh.value));
      pen = true;
    }
    s << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << kColourLine << "\" stroke-width=\"1.5\"/>";
    for (size_t p = 0; p < n; ++p) {
      const int32_t f = series[k][p];
      if (f < 0) continue;
      const Shown sh = ShowFigure(ctx, d, ir.figures[f]);
      if (!sh.value) continue;
      const ind::FigureStats& fs = is.figures[f];
      std::string_view colour = kColourCommonCause;
      if (fs.point_type == stats::PointType::kImprovement) colour = kColourImprovement;
      if (fs.point_type == stats::PointType::kConcern) colour = kColourConcern;
      if (fs.point_type == stats::PointType::kNeutralHigh || fs.point_type == stats::PointType::kNeutralLow)
        colour = kColourNeutral;
      s << fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{} {}: {}</title></circle>",
                       sx(static_cast<double>(p)), sy(*sh.value), fs.provisional ? "#ffffff" : colour,
                       SvgEscape(a.snapshot->OrgUnitId(units[k])), SvgEscape(g.result.periods[p].Label()),
                       SvgEscape(FormatValue(d, *sh.value)));
    }
    s << "\n";
  }
  s << fmt::format("<text x=\"12\" y=\"{}\" font-size=\"13\" fill=\"{}\">Blue: improvement; orange: concern;</text>"
                   "<text x=\"12\" y=\"{}\" font-size=\"13\" fill=\"{}\">grey: common cause; hollow: provisional.</text>"
                   "\n</svg>\n",
                   height - 26, kColourText, height - 8, kColourText);
  c.svg = s.str();
  // The table: periods down, teams across.
  Table& t = c.data;
  t.id = c.id + "-data";
  t.caption = "The numbers behind the small multiples: " + c.title;
  t.columns.push_back({"Period", ColumnType::kText, 0});
  for (int32_t u : units) t.columns.push_back(ValueColumn(d, a.snapshot->OrgUnitId(u)));
  for (size_t p = 0; p < n; ++p) {
    std::vector<Cell> row{TextCell(g.result.periods[p].Label())};
    for (size_t k = 0; k < units.size(); ++k) {
      const int32_t f = series[k][p];
      SeriesRef ref{by, indicator, units[k], 0};
      row.push_back(f < 0 ? NumberCell(std::nullopt, "no cases")
                          : ValueCell(ctx, d, ShowFigure(ctx, d, ir.figures[f]),
                                      CasesLink(ctx, g, ref, static_cast<int32_t>(p))));
    }
    t.rows.push_back(std::move(row));
  }
  if (ctx.disclosure) t.note = DisclosureNote(*ctx.disclosure);
  return c;
}

}  // namespace goldthread::report
