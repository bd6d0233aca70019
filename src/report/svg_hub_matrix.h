#pragma once
// The Carers' Hub audit as a matrix (issue 12: "Drawn as the Hub wheel ...
// and as the matrix"): the 17 interventions as rows, grouped under the five
// National Carers' Strategy outcomes, and carer groups (or areas) as
// columns; each cell coloured by its rating, with its letter (R, A, G) for
// readers who cannot tell the colours apart, a figure under it, and its
// evidence as a tooltip. Self-contained SVG. Pure function.

#include <string>
#include <vector>

namespace goldthread::report {

struct HubMatrixCell {
  std::string rating;   // "red", "amber", "green"; "" not rated
  std::string figure;   // "1.7%"; "" none
  std::string tooltip;  // the evidence
};

struct HubMatrixRow {
  std::string label;
  int outcome = 0;
  std::vector<HubMatrixCell> cells;  // one per column
};

struct HubMatrixData {
  std::string title, subtitle;
  std::vector<std::string> columns;   // short column heads
  std::vector<std::string> outcomes;  // the outcomes' short titles
  std::vector<HubMatrixRow> rows;     // grouped by outcome, in order
};

std::string HubMatrixSvg(const HubMatrixData& data);

}  // namespace goldthread::report
