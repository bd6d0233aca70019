// The public report (seed 004: "users and carers ... need to see feedback on
// how services of relevance to them are doing"): plain English, "is anyone
// better off?", the council's aggregates only, disclosure control on.

#include <fmt/format.h>

#include "report/audiences.h"
#include "report/charts_internal.h"

namespace goldthread::report::internal {

namespace ind = goldthread::indicators;

namespace {

// "Of about 310 people ..., 80% ...": the sentence of one outcome measure.
std::string Sentence(const ChartContext& cc, const ind::Definition& d, const ind::Figure& f, const std::string& when) {
  const DisclosureRule& rule = *cc.disclosure;
  const Shown v = ShowFigure(cc, d, f);
  if (v.suppressed || !v.value)
    return fmt::format("{}: too few people in {} to publish a figure without risk of identifying someone.", d.title, when);
  if (d.unit == ind::Unit::kPercent) {
    const Disclosed den = DiscloseCount(f.denominator.value_or(0), rule);
    return fmt::format("{}: {:.0f}% in {} (out of about {:.0f} people counted).", d.title, *v.value, when,
                       den.value.value_or(0));
  }
  if (d.unit == ind::Unit::kMean)
    return fmt::format("{}: an average of {:.1f} in {} (from about {:.0f} answers).", d.title, *v.value, when,
                       DiscloseCount(f.denominator.value_or(0), rule).value.value_or(0));
  return fmt::format("{}: {} in {}.", d.title, FormatValue(d, *v.value), when);
}

}  // namespace

void BuildPublic(const BuildContext& b, Document& doc) {
  const Analysis& a = *b.a;
  const Grain& g = a.grain(b.by);
  const int32_t council = a.Council();
  ChartContext cc = b.charts;
  if (!cc.disclosure) cc.disclosure = DisclosureRule{};
  cc.compact_tables = true;

  Section intro;
  intro.id = "better-off";
  intro.title = "Is anyone better off?";
  intro.blocks.push_back(Paragraph{
      "This report is for the people who use adult social care, the carers who support them, and everyone who "
      "pays for it. It shows whether people are better off, not only how much work was done. The figures come "
      "straight from the council's case records. Small numbers are hidden or rounded so that nobody can be "
      "recognised."});
  std::vector<int> outcomes = IndicatorsOf(a, ind::Oba::kBetterOff);
  for (int i : outcomes) {
    const int32_t f = LatestFinal(g, i, council, 0, b.period);
    if (f < 0) continue;
    const ind::Figure& fig = g.result.indicators[i].figures[f];
    intro.blocks.push_back(Paragraph{Sentence(cc, a.definitions[i], fig, g.result.periods[fig.period].Label())});
  }
  intro.blocks.push_back(Callout{Callout::Kind::kInfo, "How to read the charts.",
                                 "Each dot is a quarter. Grey dots are the normal ups and downs; a blue dot is a "
                                 "real improvement, an orange dot a real change for the worse. A hollow dot is a "
                                 "recent quarter whose results are not all known yet."});
  doc.sections.push_back(std::move(intro));

  Section trends;
  trends.id = "trends";
  trends.title = "How each measure has changed";
  trends.page_break_before = true;
  trends.columns = 2;
  for (int i : outcomes) {
    const ind::Definition& d = a.definitions[i];
    const SeriesRef ref{b.by, i, council, 0};
    trends.blocks.push_back(Heading{3, d.title});
    trends.blocks.push_back(Paragraph{d.description});
    trends.blocks.push_back(SpcChart(cc, ref, "public-" + d.id));
  }
  doc.sections.push_back(std::move(trends));

  Section care;
  care.id = "checks";
  care.title = "Can these figures be trusted?";
  int high = 0;
  for (const auto& f : a.findings) high += f.severity == integrity::Severity::kHigh;
  care.blocks.push_back(Paragraph{fmt::format(
      "goldthread checks the records behind every figure for signs that they were recorded to meet a target rather "
      "than to describe the work: deadlines met by a day, budgets counted without the plan behind them, records "
      "changed in bulk. This time {} such finding{} of high severity {} being looked into by the council. The "
      "findings are about how records were kept, not about any person.",
      high, high == 1 ? "" : "s", high == 1 ? "is" : "are")});
  care.blocks.push_back(Paragraph{DisclosureNote(*cc.disclosure)});
  doc.sections.push_back(std::move(care));
}

}  // namespace goldthread::report::internal
