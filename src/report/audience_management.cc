// The senior management report (seed 004, "Reporting performance": "more
// detailed focus on progress against strategy for each of the major user
// groups"): every indicator by service and by user group (primary support
// reason), each with its SPC chart, the funnel across teams and small
// multiples by team, every integrity finding with its evidence, and data
// quality by team.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/audiences.h"
#include "report/charts_internal.h"
#include "report/disclosure.h"

namespace goldthread::report::internal {

namespace ind = goldthread::indicators;

namespace {

Cell LatestCell(const ChartContext& cc, const Grain& g, int i, int32_t unit, int32_t group, int32_t period) {
  const int32_t f = LatestFinal(g, i, unit, group, period);
  if (f < 0) return NumberCell(std::nullopt, "none");
  const ind::Definition& d = *g.result.indicators[i].def;
  return ValueCell(cc, d, ShowFigure(cc, d, g.result.indicators[i].figures[f]),
                   CasesLink(cc, g, {g.by, i, unit, group}, g.result.indicators[i].figures[f].period));
}

// The cases a share or mean of LatestCell is out of (its denominator), under
// disclosure control as every count; "-" for counts and rates, whose
// denominator is not cases.
Cell LatestCasesCell(const ChartContext& cc, const Grain& g, int i, int32_t unit, int32_t group, int32_t period) {
  const ind::Definition& d = *g.result.indicators[i].def;
  const int32_t f = LatestFinal(g, i, unit, group, period);
  if (f < 0 || d.unit == ind::Unit::kCount || d.unit == ind::Unit::kRatePer100k) return NumberCell(std::nullopt, "-");
  const double den = g.result.indicators[i].figures[f].denominator.value_or(0);
  if (!cc.disclosure) return NumberCell(den);
  const Disclosed x = DiscloseCount(den, *cc.disclosure);
  return x.suppressed ? DisclosedCell(x) : NumberCell(x.value);
}

Section DataQuality(const Analysis& a, const std::vector<int32_t>& teams) {
  Section s;
  s.id = "data-quality";
  s.title = "Data quality by team";
  Table t;
  t.id = "data-quality-table";
  t.caption = "Case records by team: how many, how many say when they were entered and by whom, and the findings";
  t.columns = {{"Team", ColumnType::kText, 0},         {"Records", ColumnType::kCount, 0},
               {"Entry time known", ColumnType::kPercent, 1}, {"Worker known", ColumnType::kPercent, 1},
               {"Data quality findings", ColumnType::kCount, 0}, {"Other findings", ColumnType::kCount, 0}};
  std::map<int32_t, std::array<double, 3>> tally;  // team -> records, recorded_at known, worker known
  for (const TableSpec& spec : AllTables()) {
    if (!spec.has_lineage) continue;
    const TableData& td = a.snapshot->table(spec.id);
    const int org = td.Field("org_unit_id"), at = td.Field("recorded_at"), worker = td.Field("worker_id");
    for (int64_t r = 0; r < td.rows; ++r) {
      const int32_t unit = td.Int(org, r);
      for (int32_t team : teams)
        if (unit >= 0 && a.Within(unit, team)) {
          auto& x = tally[team];
          x[0] += 1;
          x[1] += td.Int(at, r) != kNullI32;
          x[2] += td.Int(worker, r) >= 0;
        }
    }
  }
  for (int32_t team : teams) {
    const auto& x = tally[team];
    int64_t dq = 0, other = 0;
    for (const auto& f : a.findings)
      if (f.org_unit == a.snapshot->OrgUnitId(team)) (f.check == integrity::kDataQuality ? dq : other) += 1;
    t.rows.push_back({TextCell(a.snapshot->OrgUnitId(team) + " " + a.OrgUnitName(team)), NumberCell(x[0]),
                      NumberCell(x[0] > 0 ? std::optional<double>(100.0 * x[1] / x[0]) : std::nullopt),
                      NumberCell(x[0] > 0 ? std::optional<double>(100.0 * x[2] / x[0]) : std::nullopt),
                      NumberCell(static_cast<double>(dq)), NumberCell(static_cast<double>(other))});
  }
  t.note = "Entry time and worker come from each record's lineage columns (recorded_at, worker_id); the checks "
           "that need them say so where they are missing. The data_quality check's findings name the fields.";
  s.blocks.push_back(std::move(t));
  return s;
}

}  // namespace

void BuildManagement(const BuildContext& b, Document& doc) {
  const Analysis& a = *b.a;
  const Grain& g = a.grain(b.by);
  const Grain& q = a.grain(PeriodKind::kQuarter);
  const int32_t root = b.options->org_unit.empty() ? a.Council() : a.OrgUnit(b.options->org_unit);
  const int32_t unit = root < 0 ? a.Council() : root;
  ChartContext cc = b.charts;
  std::vector<int32_t> services, teams;
  for (int32_t s : a.UnitsOfKind("service"))
    if (a.Within(s, unit)) services.push_back(s);
  for (int32_t t : a.UnitsOfKind("team"))
    if (a.Within(t, unit)) teams.push_back(t);

  Section summary;
  summary.id = "summary";
  summary.title = "Every indicator at a glance";
  Table st;
  st.id = "summary-table";
  st.caption = fmt::format("{}, latest final month to {}", a.OrgUnitName(unit), doc.period);
  st.columns = {{"Indicator", ColumnType::kText, 0}, {"OBA", ColumnType::kText, 0},
                {"Value", ColumnType::kNumber, 1},   {"Unit", ColumnType::kText, 0},
                {"Variation", ColumnType::kText, 0},
                {"Teams outlying", ColumnType::kText, 0}, {"Findings", ColumnType::kCount, 0}};
  for (size_t i = 0; i < a.definitions.size(); ++i) {
    const ind::Definition& d = a.definitions[i];
    const Icons icons = SeriesIcons(cc, {b.by, static_cast<int>(i), unit, 0});
    std::string outliers;
    const int32_t f = LatestFinal(g, static_cast<int>(i), unit, 0, b.period);
    const auto& is = g.stats.indicators[i];
    for (size_t k = 0; k < is.figures.size() && f >= 0; ++k) {
      const ind::Figure& fig = g.result.indicators[i].figures[k];
      if (fig.period != g.result.indicators[i].figures[f].period || fig.group != 0) continue;
      if (is.figures[k].outlier && *is.figures[k].outlier != stats::Outlier::kNone)
        outliers += (outliers.empty() ? "" : ", ") + a.snapshot->OrgUnitId(fig.org_unit) +
                    (*is.figures[k].outlier == stats::Outlier::kHigh ? " high" : " low");
    }
    int64_t n = 0;
    for (const auto& fd : a.findings) n += std::count(fd.indicators.begin(), fd.indicators.end(), d.id) > 0;
    std::string oba(ind::ObaName(d.oba));
    std::replace(oba.begin(), oba.end(), '_', ' ');
    st.rows.push_back({TextCell(d.title), TextCell(oba), LatestCell(cc, g, static_cast<int>(i), unit, 0, b.period),
                       TextCell(ShortUnit(d)), TextCell(icons.variation), TextCell(outliers), NumberCell(static_cast<double>(n))});
  }
  st.note =
      "Value in the indicator's own unit (percent, count, mean, or a rate per its stated number). Outlying "
      "teams lie beyond "
      "the 99.8% limits of the funnel plot of that month.";
  summary.blocks.push_back(std::move(st));
  doc.sections.push_back(std::move(summary));

  Section by_service;
  by_service.id = "by-service";
  by_service.title = "By service";
  Table sv;
  sv.id = "by-service-table";
  sv.caption = "Every indicator by service, latest final month";
  sv.columns.push_back({"Indicator", ColumnType::kText, 0});
  sv.columns.push_back({"Unit", ColumnType::kText, 0});
  for (int32_t s : services) sv.columns.push_back({a.snapshot->OrgUnitId(s) + " " + a.OrgUnitName(s), ColumnType::kNumber, 1});
  sv.columns.push_back({a.OrgUnitName(unit), ColumnType::kNumber, 1});
  for (size_t i = 0; i < a.definitions.size(); ++i) {
    std::vector<Cell> row{TextCell(a.definitions[i].title), TextCell(ShortUnit(a.definitions[i]))};
    for (int32_t s : services) row.push_back(LatestCell(cc, g, static_cast<int>(i), s, 0, b.period));
    row.push_back(LatestCell(cc, g, static_cast<int>(i), unit, 0, b.period));
    sv.rows.push_back(std::move(row));
  }
  by_service.blocks.push_back(std::move(sv));
  doc.sections.push_back(std::move(by_service));

  Section by_group;
  by_group.id = "by-user-group";
  by_group.title = "By user group (primary support reason)";
  for (size_t i = 0; i < a.definitions.size(); ++i) {
    const ind::Definition& d = a.definitions[i];
    if (std::find(d.cuts.begin(), d.cuts.end(), ind::Cut::kPrimarySupportReason) == d.cuts.end()) continue;
    const auto& groups = g.result.indicators[i].groups;
    Table gt;
    gt.id = "by-group-" + d.id;
    gt.caption = d.title + ": by primary support reason, latest final month";
    gt.columns = {{"Primary support reason", ColumnType::kText, 0},
                  ValueColumn(d, "Value"),
                  {"Out of (cases)", ColumnType::kCount, 0},
                  {"Variation", ColumnType::kText, 0}};
    for (size_t k = 0; k < groups.size(); ++k) {
      if (k != 0 && groups[k].rfind("primary_support_reason:", 0) != 0) continue;
      std::string label = k == 0 ? "everyone" : groups[k].substr(23);
      std::replace(label.begin(), label.end(), '_', ' ');
      const Icons icons = SeriesIcons(cc, {b.by, static_cast<int>(i), unit, static_cast<int32_t>(k)});
      gt.rows.push_back({TextCell(label), LatestCell(cc, g, static_cast<int>(i), unit, static_cast<int32_t>(k), b.period),
                         LatestCasesCell(cc, g, static_cast<int>(i), unit, static_cast<int32_t>(k), b.period),
                         TextCell(icons.variation)});
    }
    by_group.blocks.push_back(std::move(gt));
  }
  if (by_group.blocks.empty()) by_group.blocks.push_back(Paragraph{"No indicator is cut by primary support reason."});
  doc.sections.push_back(std::move(by_group));

  Section each;
  each.id = "indicators";
  each.title = "Every indicator: trend, teams compared, teams side by side";
  each.page_break_before = true;
  for (size_t i = 0; i < a.definitions.size(); ++i) {
    const ind::Definition& d = a.definitions[i];
    const SeriesRef ref{b.by, static_cast<int>(i), unit, 0};
    each.blocks.push_back(Heading{3, d.title});
    each.blocks.push_back(Paragraph{d.description});
    each.blocks.push_back(SeriesIcons(cc, ref));
    each.blocks.push_back(FoldedData(SpcChart(cc, ref, "spc-" + d.id)));
    if (d.unit == ind::Unit::kPercent) {
      // The funnel of the latest final month across teams.
      const int32_t f = LatestFinal(g, static_cast<int>(i), unit, 0, b.period);
      if (f >= 0)
        each.blocks.push_back(FoldedData(FunnelChart(cc, b.by, static_cast<int>(i),
                                                     g.result.indicators[i].figures[f].period, "team", "funnel-" + d.id)));
      if (!q.result.periods.empty() && !teams.empty())
        each.blocks.push_back(
            FoldedData(SmallMultiples(cc, PeriodKind::kQuarter, static_cast<int>(i), teams, "teams-" + d.id)));
    } else if (!g.stats.indicators[i].funnel_note.empty()) {
      each.blocks.push_back(Paragraph{"No funnel plot: " + g.stats.indicators[i].funnel_note});
    }
  }
  doc.sections.push_back(std::move(each));

  Section findings;
  findings.id = "findings";
  findings.title = "Integrity findings with their evidence";
  findings.page_break_before = true;
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const int32_t u = a.OrgUnit(a.findings[i].org_unit);
    if (u < 0 || a.Within(u, unit)) findings.blocks.push_back(ToBlock(a, static_cast<int>(i), cc, true));
  }
  if (findings.blocks.empty()) findings.blocks.push_back(Paragraph{"No integrity finding."});
  doc.sections.push_back(std::move(findings));
  doc.sections.push_back(DataQuality(a, teams));
}

}  // namespace goldthread::report::internal
