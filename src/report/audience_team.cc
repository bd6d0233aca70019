// The team report: the team's indicators with their SPC charts and icons
// (its prime indicators once a plan names them), turning the curve for its
// outcome measures, its integrity findings, and its cases needing action
// (seed 003: the team manager's 6-8 prime indicators and the cases behind
// them).

#include <fmt/format.h>

#include <algorithm>

#include "report/audiences.h"
#include "report/cases.h"
#include "report/charts_internal.h"

namespace goldthread::report::internal {

namespace ind = goldthread::indicators;

void BuildTeam(const BuildContext& b, int32_t team, Document& doc) {
  const Analysis& a = *b.a;
  const Grain& g = a.grain(b.by);
  const std::string team_id = a.snapshot->OrgUnitId(team);
  ChartContext cc = b.charts;
  // The team's indicators: every percent measure with a figure for the team
  // (rates are computed for the council only; counts say more of size than
  // of practice), how well first, then better off.
  std::vector<int> mine;
  for (ind::Oba oba : {ind::Oba::kHowWell, ind::Oba::kBetterOff})
    for (int i : IndicatorsOf(a, oba)) {
      const ind::Definition& d = a.definitions[i];
      if (d.unit != ind::Unit::kPercent && d.unit != ind::Unit::kMean) continue;
      if (LatestFinal(g, i, team, 0, b.period) >= 0) mine.push_back(i);
    }

  Section summary;
  summary.id = "team-summary";
  summary.title = "The team's indicators";
  if (!b.options->targets)
    summary.blocks.push_back(Callout{Callout::Kind::kMissing, "No plan loaded.",
                                     "Once the team plan names its 6-8 prime indicators and their targets (goldthread "
                                     "plan load), they lead this report; until then it shows every how-well and "
                                     "better-off measure the team has figures for."});
  Table t;
  t.id = "team-indicators";
  t.caption = fmt::format("{} against the council, latest final month to {}", team_id, doc.period);
  t.columns = {{"Indicator", ColumnType::kText, 0}, {"Month", ColumnType::kText, 0},
               {"Team", ColumnType::kNumber, 1},    {"Council", ColumnType::kNumber, 1},
               {"Variation", ColumnType::kText, 0}, {"Watch", ColumnType::kText, 0}};
  for (int i : mine) {
    const ind::Definition& d = a.definitions[i];
    const int32_t f = LatestFinal(g, i, team, 0, b.period);
    const ind::Figure& fig = g.result.indicators[i].figures[f];
    const int32_t cf = LatestFinal(g, i, a.Council(), 0, fig.period);
    const Icons icons = SeriesIcons(cc, {b.by, i, team, 0});
    const SeriesRef ref{b.by, i, team, 0};
    t.rows.push_back({TextCell(d.title), TextCell(g.result.periods[fig.period].Label()),
                      ValueCell(cc, d, ShowFigure(cc, d, fig), CasesLink(cc, g, ref, fig.period)),
                      cf >= 0 ? ValueCell(cc, d, ShowFigure(cc, d, g.result.indicators[i].figures[cf]), "")
                              : NumberCell(std::nullopt, "none"),
                      TextCell(icons.variation), TextCell(icons.warning)});
  }
  summary.blocks.push_back(std::move(t));
  doc.sections.push_back(std::move(summary));

  Section charts;
  charts.id = "team-charts";
  charts.title = "Trends: SPC charts of the team's indicators";
  charts.page_break_before = true;
  for (int i : mine) {
    const ind::Definition& d = a.definitions[i];
    const SeriesRef ref{b.by, i, team, 0};
    charts.blocks.push_back(Heading{3, d.title});
    charts.blocks.push_back(SeriesIcons(cc, ref));
    charts.blocks.push_back(FoldedData(SpcChart(cc, ref, fmt::format("spc-{}-{}", d.id, team_id))));
  }
  doc.sections.push_back(std::move(charts));

  Section curve;
  curve.id = "turning-the-curve";
  curve.title = "Turning the curve: where the team's outcomes go if nothing changes";
  for (int i : mine)
    if (a.definitions[i].oba == ind::Oba::kBetterOff) {
      curve.blocks.push_back(Heading{3, a.definitions[i].title});
      curve.blocks.push_back(FoldedData(CurveChart(cc, {PeriodKind::kQuarter, i, team, 0},
                                                   fmt::format("curve-{}-{}", a.definitions[i].id, team_id))));
    }
  if (curve.blocks.empty()) curve.blocks.push_back(Paragraph{"The team has no outcome measure with figures."});
  doc.sections.push_back(std::move(curve));

  Section findings;
  findings.id = "team-findings";
  findings.title = "Integrity findings for the team";
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const int32_t unit = a.OrgUnit(a.findings[i].org_unit);
    if (unit >= 0 && a.Within(unit, team)) findings.blocks.push_back(ToBlock(a, static_cast<int>(i), cc, true));
  }
  if (findings.blocks.empty()) findings.blocks.push_back(Paragraph{"No integrity finding for this team."});
  doc.sections.push_back(std::move(findings));

  if (!b.options->person_level || cc.disclosure) return;
  const Date as_at = std::min(g.result.periods[b.period].end, a.provenance.data_end);
  Section cases;
  cases.id = "cases-needing-action";
  cases.title = "Cases needing action, as at " + FormatDate(as_at);
  cases.page_break_before = true;
  cases.person_level = true;
  cases.blocks.push_back(Callout{Callout::Kind::kWarning, "Person-level data.",
                                 "These lists name people. Viewing them is recorded in the access log; do not "
                                 "share them beyond those working with these people."});
  int deadline = 28;
  if (int i = a.IndicatorIndex("assessment-28d"); i >= 0) {
    auto it = a.definitions[i].parameters.find("threshold_days");
    if (it != a.definitions[i].parameters.end()) deadline = static_cast<int>(it->second);
  }
  for (Table table : {ReviewsOverdue(a, team, as_at), AssessmentsNearDeadline(a, team, as_at, deadline, 7),
                      BudgetsMissingCriterion(a, team, as_at), CarersWithoutEmergencyPlan(a, team, as_at)}) {
    table.note = fmt::format("{} case(s).", table.rows.size());
    doc.person_level_views.push_back({"team_cases", team_id, table.id, static_cast<int64_t>(table.rows.size())});
    cases.blocks.push_back(std::move(table));
  }
  doc.sections.push_back(std::move(cases));
}

}  // namespace goldthread::report::internal
