#pragma once
// Helpers shared by the chart builders (charts_spc.cc, charts_other.cc) and
// the audience builders: a figure's value as shown (disclosed or exact), its
// cell and column, and its drill-down link. Not part of the public API.

#include <optional>
#include <string>

#include "report/charts.h"

namespace goldthread::report::internal {

struct Shown {
  std::optional<double> value;  // what is drawn and tabled
  bool suppressed = false;
};

Shown ShowFigure(const ChartContext& ctx, const indicators::Definition& d, const indicators::Figure& f);
Column ValueColumn(const indicators::Definition& d, std::string heading);
Cell ValueCell(const ChartContext& ctx, const indicators::Definition& d, const Shown& s, std::string link);
/// The dashboard link to the cases behind a figure; "" without links or
/// under disclosure control.
std::string CasesLink(const ChartContext& ctx, const Grain& g, const SeriesRef& ref, int32_t period);
stats::Polarity PolarityOf(const indicators::Definition& d);
std::string SeriesTitle(const Analysis& a, const indicators::IndicatorResult& ir, const SeriesRef& ref);

}  // namespace goldthread::report::internal
