// The cabinet report: a short scorecard of the outcome (better_off)
// measures, their trend and assurance, the council's position among peers
// where published data are loaded, and the top integrity findings in plain
// English (shared/DESIGN.md section 1: "director, cabinet member").

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/audiences.h"
#include "report/charts_internal.h"
#include "report/peers.h"

namespace goldthread::report::internal {

namespace ind = goldthread::indicators;

void BuildCabinet(const BuildContext& b, Document& doc) {
  const Analysis& a = *b.a;
  const Grain& g = a.grain(b.by);
  const int32_t council = a.Council();
  const std::vector<int> outcomes = IndicatorsOf(a, ind::Oba::kBetterOff);
  ChartContext cc = b.charts;
  cc.compact_tables = true;
  cc.width = 640;
  cc.height = 360;

  Section glance;
  glance.id = "at-a-glance";
  glance.title = "At a glance";
  Table score;
  score.id = "scorecard";
  score.caption = fmt::format("Outcome measures for the council, latest final {} to {}",
                              b.by == PeriodKind::kQuarter ? "quarter" : "month", doc.period);
  score.columns = {{"Measure", ColumnType::kText, 0},   {"Period", ColumnType::kText, 0},
                   {"Value", ColumnType::kNumber, 1},   {"Unit", ColumnType::kText, 0},
                   {"Variation", ColumnType::kText, 0}, {"Assurance", ColumnType::kText, 0},
                   {"Watch", ColumnType::kText, 0}};
  int improving = 0, concern = 0;
  for (int i : outcomes) {
    const ind::Definition& d = a.definitions[i];
    const SeriesRef ref{b.by, i, council, 0};
    const Icons icons = SeriesIcons(cc, ref);
    const int32_t f = LatestFinal(g, i, council, 0, b.period);
    std::vector<Cell> row{TextCell(d.title)};
    if (f >= 0) {
      const Shown s = ShowFigure(cc, d, g.result.indicators[i].figures[f]);
      row.push_back(TextCell(g.result.periods[g.result.indicators[i].figures[f].period].Label()));
      row.push_back(s.suppressed ? DisclosedCell({std::nullopt, true}) : NumberCell(s.value, "no cases"));
    } else {
      row.push_back(TextCell("none"));
      row.push_back(NumberCell(std::nullopt, "no final figure"));
    }
    row.push_back(TextCell(d.unit == ind::Unit::kPercent ? "%" : AxisLabel(d)));
    row.push_back(TextCell(icons.variation));
    row.push_back(TextCell(icons.assurance));
    row.push_back(TextCell(icons.warning));
    if (icons.variation.rfind("improvement", 0) == 0) ++improving;
    if (icons.variation.rfind("concern", 0) == 0) ++concern;
    score.rows.push_back(std::move(row));
  }
  score.note = "Variation and assurance are the Making Data Count icons in words (SPC over the council's quarters; "
               "a provisional quarter, whose follow-up is not complete, is not the latest final one).";
  if (cc.disclosure) score.note += " " + DisclosureNote(*cc.disclosure);
  glance.blocks.push_back(Paragraph{fmt::format(
      "{} outcome measures: {} with special-cause improvement in the latest quarter, {} with a special-cause concern, "
      "the rest no significant change. {} integrity finding(s) of high severity need an answer before these "
      "figures are relied on.",
      outcomes.size(), improving, concern,
      std::count_if(a.findings.begin(), a.findings.end(),
                    [](const integrity::Finding& f) { return f.severity == integrity::Severity::kHigh; }))});
  glance.blocks.push_back(std::move(score));
  if (!b.options->targets)
    glance.blocks.push_back(Callout{Callout::Kind::kMissing, "No plan loaded.",
                                    "Targets, and whether each measure will meet its target (the assurance icon), "
                                    "appear here once the council's plan is loaded (goldthread plan load)."});
  doc.sections.push_back(std::move(glance));

  Section findings;
  findings.id = "findings";
  findings.title = "What to question: the top integrity findings";
  const auto serious = std::count_if(a.findings.begin(), a.findings.end(),
                                     [](const integrity::Finding& f) { return f.severity != integrity::Severity::kLow; });
  if (serious == 0) findings.blocks.push_back(Paragraph{"No medium or high integrity finding."});
  else
    findings.blocks.push_back(Paragraph{fmt::format(
        "{} finding(s) of medium or high severity; the first three are below, and the management report gives "
        "each with its evidence.",
        serious)});
  int shown = 0;
  for (size_t i = 0; i < a.findings.size() && shown < 3; ++i) {
    if (a.findings[i].severity == integrity::Severity::kLow) continue;
    findings.blocks.push_back(ToBlock(a, static_cast<int>(i), cc, false));
    ++shown;
  }
  doc.sections.push_back(std::move(findings));

  Section trends;
  trends.id = "outcome-trends";
  trends.title = "Outcome measures: trend and assurance";
  trends.page_break_before = true;
  trends.columns = 2;
  for (int i : outcomes) {
    const ind::Definition& d = a.definitions[i];
    const SeriesRef ref{b.by, i, council, 0};
    trends.blocks.push_back(Heading{3, d.title});
    trends.blocks.push_back(SeriesIcons(cc, ref));
    trends.blocks.push_back(SpcChart(cc, ref, "spc-" + d.id));
  }
  doc.sections.push_back(std::move(trends));

  doc.sections.push_back(PeersSection(a, cc, b.by, b.period));
}

}  // namespace goldthread::report::internal
