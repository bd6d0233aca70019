#pragma once
// The council's position among peers where published ASCOF figures are
// loaded (`goldthread benchmark import`): each outcome measure with a
// published twin, the council's own last four final quarters against every
// council's published figure of the latest year loaded. Internal to
// src/report.

#include <string_view>

#include "report/audiences.h"

namespace goldthread::report::internal {

/// The ASCOF measure group a built-in indicator matches ("" none):
/// still-home-91 2B1, care-home-admissions-65 2A2, pb-share 1C1A,
/// dp-share 1C2A, carer-qol 1D, carer-satisfaction 3B, carer-involved 3C,
/// carer-info-easy 3D2 (shared/DESIGN.md section 4 names the measures).
std::string_view AscofMeasure(std::string_view indicator);

Section PeersSection(const Analysis& a, const ChartContext& ctx, PeriodKind by, int32_t period);

}  // namespace goldthread::report::internal
