#pragma once
// Helpers shared by the chart builders (charts_spc.cc, charts_other.cc) and
// the audience builders: a figure's value as shown (disclosed or exact), its
// cell and column, and its drill-down link. Not part of the public API.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/charts.h"
#include "report/svg_spc.h"

namespace goldthread::report::internal {

struct Shown {
  std::optional<double> value;  // what is drawn and tabled
  bool suppressed = false;
  std::string reason;  // why a derived figure is suppressed (DiscloseFigure)
};

Shown ShowFigure(const ChartContext& ctx, const indicators::Definition& d, const indicators::Figure& f);
Column ValueColumn(const indicators::Definition& d, std::string heading);
/// The unit beside a value in a column of mixed measures: "%", "per
/// 100,000", "count", "mean", "days".
std::string ShortUnit(const indicators::Definition& d);
Cell ValueCell(const ChartContext& ctx, const indicators::Definition& d, const Shown& s, std::string link);
/// The dashboard link to the cases behind a figure; "" without links or
/// under disclosure control.
std::string CasesLink(const ChartContext& ctx, const Grain& g, const SeriesRef& ref, int32_t period);
stats::Polarity PolarityOf(const indicators::Definition& d);
std::string SeriesTitle(const Analysis& a, const indicators::IndicatorResult& ir, const SeriesRef& ref);

/// The words beside the icons when an integrity finding coincides with a
/// series (`see`: its phrases, "deadline bunching (check, 2025-26)"). They
/// agree with the variation icon, which shows the latest point: "improvement,
/// but see: ..." only when the latest point is an improvement; when the
/// improvement lay only in earlier periods under the finding, those periods
/// are named and the latest state is the icon's ("earlier improvement
/// (2025-06, 2025-07; now common cause), but see: ..."); "see: ..." when no
/// improvement coincides.
std::string FindingWarning(std::optional<stats::PointType> now, stats::Polarity polarity,
                           const std::vector<std::string>& improved_under_finding, const std::string& see);

/// SeriesFigures up to the context's "as at" period (ChartContext::last_period).
std::vector<int32_t> SeriesFiguresTo(const ChartContext& ctx, const SeriesRef& ref);

/// A series as every SPC drawing of it sees it (the full chart, its table,
/// the sparkline): per period of the grain up to the "as at" period, the
/// figure, its shown value, the chart point (limits, type, rebase segment),
/// whether it is provisional, and its notes; the version breaks and the
/// findings marked.
struct SeriesView {
  const indicators::Definition* def = nullptr;
  std::vector<int32_t> figs;  // -1: no figure that period
  std::vector<std::string> x;
  std::vector<Shown> shown;
  stats::SpcResult chart;     // y the shown value; variation from the series' SPC
  std::vector<bool> provisional;
  std::vector<std::vector<std::string>> notes;  // per period: breaks, findings, follow-up
  std::vector<std::pair<size_t, std::string>> breaks;
  std::vector<SpcMarker> markers;
  const indicators::SeriesSpc* spc = nullptr;  // nullptr: the series has no chart
  size_t special = 0;  // points of special cause
};
SeriesView ViewSeries(const ChartContext& ctx, const SeriesRef& ref);

}  // namespace goldthread::report::internal
