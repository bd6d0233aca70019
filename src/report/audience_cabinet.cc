// The cabinet report, one or two A4 pages: a scorecard of the outcome
// (better_off) measures with each one's sparkline-size SPC chart and Making
// Data Count icons, the numbers behind the sparklines, the top integrity
// findings in plain English and the council's position among peers where
// published data are loaded (shared/DESIGN.md section 1: "director, cabinet
// member").

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/audiences.h"
#include "report/charts_internal.h"
#include "report/peers.h"

namespace goldthread::report::internal {

namespace ind = goldthread::indicators;

namespace {

// The numbers behind the sparklines: one row per measure, one column per
// period of the grain up to the report's period.
Table TrendNumbers(const BuildContext& b, const ChartContext& cc, const std::vector<int>& outcomes) {
  const Analysis& a = *b.a;
  const Grain& g = a.grain(b.by);
  const int32_t council = a.Council();
  Table t;
  t.id = "trend-numbers";
  t.in_annex = true;
  t.caption = fmt::format("The numbers behind the trends: each measure for the council by {}",
                          b.by == PeriodKind::kQuarter ? "quarter" : "month");
  t.columns = {{"Measure", ColumnType::kText, 0}};
  const int32_t last = std::min<int32_t>(b.period, static_cast<int32_t>(g.result.periods.size()) - 1);
  for (int32_t p = 0; p <= last; ++p) t.columns.push_back({g.result.periods[p].Label(), ColumnType::kNumber, 1});
  std::string provisional;
  for (int i : outcomes) {
    const ind::Definition& d = a.definitions[i];
    const std::vector<int32_t> figs = SeriesFiguresTo(cc, {b.by, i, council, 0});
    std::vector<Cell> row{TextCell(d.title)};
    std::string late;
    for (int32_t p = 0; p <= last; ++p) {
      const int32_t f = p < static_cast<int32_t>(figs.size()) ? figs[p] : -1;
      if (f < 0) {
        row.push_back(NumberCell(std::nullopt, "-"));
        continue;
      }
      const Shown shown = ShowFigure(cc, d, g.result.indicators[i].figures[f]);
      Cell value = shown.suppressed ? DisclosedCell({std::nullopt, true}) : NumberCell(shown.value, "-");
      value.decimals = ValueColumn(d, "").decimals;  // a count as a whole number
      row.push_back(std::move(value));
      if (g.stats.indicators[i].figures[f].provisional) late += (late.empty() ? "" : ", ") + g.result.periods[p].Label();
    }
    if (!late.empty()) provisional += fmt::format("{}{} ({})", provisional.empty() ? "" : "; ", d.title, late);
    t.rows.push_back(std::move(row));
  }
  t.note = "Values in each measure's unit (as the scorecard); - no figure.";
  if (!provisional.empty())
    t.note += " Provisional, the follow-up not complete, so not charted: " + provisional + ".";
  if (cc.disclosure) t.note += " " + DisclosureNote(*cc.disclosure);
  return t;
}

}  // namespace

void BuildCabinet(const BuildContext& b, Document& doc) {
  // Two A4 pages for the cabinet, the numbers behind its charts after them.
  doc.numbers_in_annex = true;
  const Analysis& a = *b.a;
  const Grain& g = a.grain(b.by);
  const int32_t council = a.Council();
  const std::vector<int> outcomes = IndicatorsOf(a, ind::Oba::kBetterOff);
  ChartContext cc = b.charts;
  cc.compact_tables = true;
  const char* grain = b.by == PeriodKind::kQuarter ? "quarter" : "month";

  // One or two A4 pages: a scorecard whose rows carry each measure's
  // sparkline-size SPC chart and its Making Data Count icons, the numbers
  // behind the sparklines, the top findings and the peers. The full SPC
  // charts are in the management report.
  Section glance;
  glance.id = "at-a-glance";
  glance.title = "At a glance";
  Table score;
  score.id = "scorecard";
  score.caption = fmt::format("Outcome measures for the council, latest final {} to {}", grain, doc.period);
  score.columns = {{"Measure", ColumnType::kText, 0},   {"Period", ColumnType::kText, 0},
                   {"Value", ColumnType::kNumber, 1},   {"Unit", ColumnType::kText, 0},
                   {"Trend", ColumnType::kText, 0},     {"Variation", ColumnType::kText, 0},
                   {"Assurance", ColumnType::kText, 0}, {"Watch", ColumnType::kText, 0}};
  int improving = 0, concern = 0;
  bool any_warning = false;
  for (int i : outcomes) {
    const ind::Definition& d = a.definitions[i];
    const SeriesRef ref{b.by, i, council, 0};
    const Icons icons = SeriesIcons(cc, ref);
    const int32_t f = LatestFinal(g, i, council, 0, b.period);
    std::vector<Cell> row{TextCell(d.title)};
    if (f >= 0) {
      const Shown s = ShowFigure(cc, d, g.result.indicators[i].figures[f]);
      row.push_back(TextCell(g.result.periods[g.result.indicators[i].figures[f].period].Label()));
      // The figure links to the persons behind it, for readers allowed to see them.
      row.push_back(ValueCell(cc, d, s, CasesLink(cc, g, ref, g.result.indicators[i].figures[f].period)));
    } else {
      row.push_back(TextCell("none"));
      row.push_back(NumberCell(std::nullopt, "no final figure"));
    }
    row.push_back(TextCell(ShortUnit(d)));
    const Sparkline spark = SparklineOf(cc, ref);
    Cell trend = TextCell(spark.alt);
    trend.svg = spark.svg;
    row.push_back(std::move(trend));
    Cell variation = TextCell(icons.variation);
    variation.svg = icons.variation_svg;
    row.push_back(std::move(variation));
    // Without a plan every row would say so; the callout below says it once.
    Cell assurance = TextCell(b.options->targets ? icons.assurance : "no target set");
    assurance.svg = icons.assurance_svg;
    row.push_back(std::move(assurance));
    row.push_back(TextCell(icons.warning));
    any_warning = any_warning || !icons.warning.empty();
    if (icons.variation.rfind("improvement", 0) == 0) ++improving;
    if (icons.variation.rfind("concern", 0) == 0) ++concern;
    score.rows.push_back(std::move(row));
  }
  if (!any_warning) {  // the Watch column only where a finding coincides with a measure's movement
    score.columns.pop_back();
    for (auto& row : score.rows) row.pop_back();
  }
  score.note = fmt::format(
      "Trend: the council's {0}s as a small SPC chart (mean solid, limits dashed; special causes coloured: "
      "improvement blue, concern orange; hollow: provisional, its follow-up not complete). Variation and assurance: "
      "the Making Data Count icons. The full SPC charts, by month, are in the management report.",
      grain);
  if (cc.disclosure) score.note += " " + DisclosureNote(*cc.disclosure);
  glance.blocks.push_back(Paragraph{fmt::format(
      "{} outcome measures: {} with special-cause improvement in the latest {}, {} with a special-cause concern, "
      "the rest no significant change. {} integrity finding(s) of high severity need an answer before these "
      "figures are relied on.",
      outcomes.size(), improving, grain, concern,
      std::count_if(a.findings.begin(), a.findings.end(),
                    [](const integrity::Finding& f) { return f.severity == integrity::Severity::kHigh; }))});
  glance.blocks.push_back(std::move(score));
  if (!b.options->targets)
    glance.blocks.push_back(Callout{Callout::Kind::kMissing, "No plan loaded.",
                                    "Targets, and whether each measure will meet its target (the assurance icon), "
                                    "appear here once the council's plan is loaded (goldthread plan load)."});
  glance.blocks.push_back(TrendNumbers(b, cc, outcomes));
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
    FindingBlock f = ToBlock(a, static_cast<int>(i), cc, false);
    f.why.clear();
    f.rule.clear();  // the statistic and its threshold: the management report's
    findings.blocks.push_back(std::move(f));
    ++shown;
  }
  doc.sections.push_back(std::move(findings));

  doc.sections.push_back(PeersSection(a, cc, b.by, b.period));
}

}  // namespace goldthread::report::internal
