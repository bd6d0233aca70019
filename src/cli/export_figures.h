#pragma once
// `goldthread export STORE --format csv|xlsx --out FILE` (shared/DESIGN.md
// section 10): every computed figure as one row, for Excel. The figures
// are computed as `compute` computes them (cli/compute_pipeline.h); the
// columns are docs/indicators.md's "Export for Excel". Each format's
// writer and command are in its own file (cmd_export_csv.cc,
// cmd_export_xlsx.cc).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/compute_pipeline.h"
#include "core/status.h"

namespace goldthread::cli {

/// One figure, as exported.
struct FigureRow {
  std::string indicator, title, measure;  // id, title, unit of measure (percent, count, ...)
  std::string period, unit, name, group;  // org unit id and name
  double numerator = 0;
  std::optional<double> denominator, value, ci_low, ci_high;
  std::string point_type;  // DESIGN section 10's point_type, empty when not charted
  bool provisional = false;
};

/// The column headings, in order.
const std::vector<std::string_view>& FigureColumns();

/// Every figure of c, by indicator, period, org unit and group.
std::vector<FigureRow> FigureRows(const Computed& c);

/// The file's bytes in each format.
std::string FiguresCsv(const std::vector<FigureRow>& rows);           // cmd_export_csv.cc
Result<std::string> FiguresXlsx(const std::vector<FigureRow>& rows);  // cmd_export_xlsx.cc

/// export --format F: parses args (the figures' options, --format, --out),
/// computes, and writes write(rows) to --out. ext names the file kind in
/// --help; text: may go to stdout (--out -).
using FiguresWriter = Result<std::string> (*)(const std::vector<FigureRow>& rows);
int ExportFigures(const Args& args, std::string_view format, FiguresWriter write, bool text);

}  // namespace goldthread::cli
