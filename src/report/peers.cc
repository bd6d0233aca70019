#include "report/peers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/charts_internal.h"

namespace goldthread::report::internal {

namespace ind = goldthread::indicators;

std::string_view AscofMeasure(std::string_view indicator) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"still-home-91", "2B1"}, {"care-home-admissions-65", "2A2"}, {"pb-share", "1C1A"},
      {"dp-share", "1C2A"},     {"carer-qol", "1D"},                 {"carer-satisfaction", "3B"},
      {"carer-involved", "3C"}, {"carer-info-easy", "3D2"}};
  for (const auto& [id, code] : kMap)
    if (id == indicator) return code;
  return "";
}

Section PeersSection(const Analysis& a, const ChartContext& ctx, PeriodKind by, int32_t period) {
  Section s;
  s.id = "peers";
  s.title = "Compared with other councils";
  if (a.published.empty()) {
    s.blocks.push_back(Callout{Callout::Kind::kMissing, "No published figures loaded.",
                               "The council's position among other councils appears here once NHS Digital's ASCOF "
                               "figures are loaded (goldthread benchmark import STORE FILE --year YYYY-YY)."});
    return s;
  }
  const Grain& g = a.grain(by);
  const int32_t council = a.Council();
  Table t;
  t.id = "peers-table";
  t.caption = "The council's last four final quarters against the latest published year of every council";
  t.columns = {{"Measure", ColumnType::kText, 0},        {"ASCOF", ColumnType::kText, 0},
               {"This council", ColumnType::kNumber, 1}, {"Published year", ColumnType::kText, 0},
               {"Councils", ColumnType::kCount, 0},      {"Median", ColumnType::kNumber, 1},
               {"Councils below", ColumnType::kPercent, 0}};
  for (size_t i = 0; i < a.definitions.size(); ++i) {
    const ind::Definition& d = a.definitions[i];
    const std::string_view code = AscofMeasure(d.id);
    if (code.empty()) continue;
    std::string year;
    for (const auto& v : a.published)
      if (v.measure == code && v.disaggregation == "Total" && std::isfinite(v.outcome)) year = std::max(year, v.year);
    if (year.empty()) continue;
    std::vector<double> values;
    for (const auto& v : a.published)
      if (v.measure == code && v.disaggregation == "Total" && v.year == year && std::isfinite(v.outcome))
        values.push_back(v.outcome);
    // Ours: the last four final quarters pooled (a year's numerator over its
    // denominator, as ASCOF's annual figures are).
    const std::vector<int32_t> figs = SeriesFigures(g, static_cast<int>(i), council, 0);
    double num = 0, den = 0;
    int used = 0;
    for (int32_t p = std::min<int32_t>(period, static_cast<int32_t>(figs.size()) - 1); p >= 0 && used < 4; --p) {
      if (figs[p] < 0 || g.stats.indicators[i].figures[figs[p]].provisional) continue;
      const ind::Figure& f = g.result.indicators[i].figures[figs[p]];
      num += f.numerator;
      den += f.denominator.value_or(0);
      ++used;
    }
    std::optional<double> ours;
    if (den > 0 && d.unit == ind::Unit::kPercent) ours = 100.0 * num / den;
    if (den > 0 && d.unit == ind::Unit::kMean) ours = num / den;
    std::sort(values.begin(), values.end());
    const double median = values.empty() ? NAN : values[values.size() / 2];
    std::optional<double> below;
    if (ours && !values.empty())
      below = 100.0 * static_cast<double>(std::lower_bound(values.begin(), values.end(), *ours) - values.begin()) /
              static_cast<double>(values.size());
    t.rows.push_back({TextCell(d.title), TextCell(std::string(code)),
                      NumberCell(ours, d.unit == ind::Unit::kRatePer100k ? "rate: council year needed" : "no figure"),
                      TextCell(year), NumberCell(static_cast<double>(values.size())), NumberCell(median),
                      NumberCell(below)});
  }
  if (t.rows.empty()) {
    s.blocks.push_back(Callout{Callout::Kind::kMissing, "No comparable published measure.",
                               "The published figures loaded have none of the outcome measures this report shows."});
    return s;
  }
  t.note = "Published: NHS Digital, Measures from the Adult Social Care Outcomes Framework. The years differ: ours are "
           "the latest four quarters computed here, theirs the latest year loaded. A council is shown as its published "
           "outcome; a funnel plot of the published councils is `goldthread benchmark funnel`.";
  (void)ctx;
  s.blocks.push_back(std::move(t));
  return s;
}

}  // namespace goldthread::report::internal
