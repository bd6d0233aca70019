#include "report/svg_hub_matrix.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/svg_hub_wheel.h"
#include "report/svg_util.h"

namespace goldthread::report {
namespace {

constexpr int kLabelWidth = 170, kCellW = 52, kCellH = 30, kHeadH = 92, kOutcomeH = 22, kTop = 60;

const char* Fill(const std::string& r) {
  return r == "red" ? kRatingRed : r == "amber" ? kRatingAmber : r == "green" ? kRatingGreen : kRatingNone;
}
const char* Ink(const std::string& r) { return r == "amber" || r.empty() ? "#231f20" : "#ffffff"; }
std::string Letter(const std::string& r) { return r == "red" ? "R" : r == "amber" ? "A" : r == "green" ? "G" : "-"; }

}  // namespace

std::string HubMatrixSvg(const HubMatrixData& d) {
  const int cols = static_cast<int>(d.columns.size());
  int outcome_rows = 0;
  for (size_t i = 0; i < d.rows.size(); ++i)
    if (i == 0 || d.rows[i].outcome != d.rows[i - 1].outcome) ++outcome_rows;
  const int width = std::max(400, kLabelWidth + cols * kCellW + 12);
  const int height = kTop + kHeadH + static_cast<int>(d.rows.size()) * kCellH + outcome_rows * kOutcomeH + 16;
  std::string s = SvgOpen(width, height, d.title,
                          fmt::format("A matrix of {} interventions by {} columns, each cell coloured by its "
                                      "rating (R red, A amber, G green, - not rated); its table follows.",
                                      d.rows.size(), cols));
  s += SvgTitle(d.title, d.subtitle, 8);
  // Column heads, turned to read upwards.
  for (int c = 0; c < cols; ++c) {
    const double x = kLabelWidth + c * kCellW + kCellW / 2.0 + 4;
    const double y = kTop + kHeadH - 6;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" fill=\"{}\" transform=\"rotate(-60 {:.1f} "
                     "{:.1f})\">{}</text>\n",
                     x, y, kColourText, x, y, SvgEscape(d.columns[static_cast<size_t>(c)]));
  }
  double y = kTop + kHeadH;
  for (size_t i = 0; i < d.rows.size(); ++i) {
    const HubMatrixRow& row = d.rows[i];
    if (i == 0 || row.outcome != d.rows[i - 1].outcome) {
      const std::string title = row.outcome >= 0 && static_cast<size_t>(row.outcome) < d.outcomes.size()
                                    ? d.outcomes[static_cast<size_t>(row.outcome)]
                                    : "";
      s += fmt::format("<rect x=\"4\" y=\"{:.0f}\" width=\"{}\" height=\"{}\" fill=\"#e8edf3\"/><text x=\"8\" "
                       "y=\"{:.0f}\" font-size=\"12\" font-weight=\"bold\" fill=\"#08306b\">{}. {}</text>\n",
                       y, width - 8, kOutcomeH, y + 15, static_cast<char>('A' + row.outcome), SvgEscape(title));
      y += kOutcomeH;
    }
    s += fmt::format("<text x=\"8\" y=\"{:.0f}\" font-size=\"12\" fill=\"{}\">{}</text>\n", y + kCellH / 2.0 + 4,
                     kColourText, SvgEscape(row.label));
    for (int c = 0; c < cols && static_cast<size_t>(c) < row.cells.size(); ++c) {
      const HubMatrixCell& cell = row.cells[static_cast<size_t>(c)];
      const double x = kLabelWidth + c * kCellW;
      s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" "
                       "stroke-width=\"2\"><title>{}</title></rect>\n",
                       x, y, kCellW, kCellH, Fill(cell.rating), SvgEscape(cell.tooltip));
      s += fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\" font-size=\"11\" font-weight=\"bold\" fill=\"{}\" "
                       "text-anchor=\"middle\">{}</text>\n",
                       x + kCellW / 2.0, y + 12, Ink(cell.rating), Letter(cell.rating));
      if (!cell.figure.empty())
        s += fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\" font-size=\"9\" fill=\"{}\" text-anchor=\"middle\">{}</text>\n",
                         x + kCellW / 2.0, y + 25, Ink(cell.rating), SvgEscape(cell.figure));
    }
    y += kCellH;
  }
  return s + "</svg>\n";
}

}  // namespace goldthread::report
