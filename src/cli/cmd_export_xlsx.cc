// goldthread export STORE --format xlsx --out FILE.xlsx: the figures
// (export_figures.h) on a sheet "figures" (continued on
// "figures 2", ... past Excel's 1,048,576 rows), one header row, frozen and
// filterable; numbers as numbers, empty cells where a figure has none.
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "cli/export_figures.h"

namespace goldthread::cli {

namespace {

constexpr lxw_row_t kRowsPerSheet = 1048575;  // Excel's rows, less the header

lxw_worksheet* NewSheet(lxw_workbook* wb, int n, lxw_format* header) {
  const std::string name = n == 1 ? "figures" : fmt::format("figures {}", n);
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
  const std::vector<std::string_view>& cols = FigureColumns();
  for (size_t c = 0; c < cols.size(); ++c)
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), std::string(cols[c]).c_str(), header);
  worksheet_set_column(ws, 0, 0, 24, nullptr);
  worksheet_set_column(ws, 1, 1, 40, nullptr);
  worksheet_set_column(ws, 5, 6, 22, nullptr);
  worksheet_freeze_panes(ws, 1, 0);
  return ws;
}

}  // namespace

Result<std::string> FiguresXlsx(const std::vector<FigureRow>& rows) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/goldthread-export-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return Status::IOError("cannot create a temporary file for the workbook in " + path);
  close(fd);
  // Rows are written in order, so the workbook need not be held in memory.
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) {
    std::remove(path.c_str());
    return Status::IOError("libxlsxwriter cannot open " + path);
  }
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  int sheet = 1;
  lxw_worksheet* ws = NewSheet(wb, sheet, header);
  lxw_row_t row = 0;
  const lxw_col_t n_cols = static_cast<lxw_col_t>(FigureColumns().size());
  for (const FigureRow& r : rows) {
    if (row == kRowsPerSheet) {
      worksheet_autofilter(ws, 0, 0, row, n_cols - 1);
      ws = NewSheet(wb, ++sheet, header), row = 0;
    }
    ++row;
    lxw_col_t c = 0;
    for (const std::string* s : {&r.indicator, &r.title, &r.measure, &r.period, &r.unit, &r.name, &r.group})
      worksheet_write_string(ws, row, c++, s->c_str(), nullptr);
    worksheet_write_number(ws, row, c++, r.numerator, nullptr);
    for (const std::optional<double>* v : {&r.denominator, &r.value, &r.ci_low, &r.ci_high}) {
      if (*v) worksheet_write_number(ws, row, c, **v, nullptr);
      ++c;
    }
    if (!r.point_type.empty()) worksheet_write_string(ws, row, c, r.point_type.c_str(), nullptr);
    ++c;
    worksheet_write_string(ws, row, c, r.provisional ? "Y" : "N", nullptr);
  }
  worksheet_autofilter(ws, 0, 0, row, n_cols - 1);
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    std::remove(path.c_str());
    return Status::IOError(std::string("libxlsxwriter: ") + lxw_strerror(err));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::remove(path.c_str());
  if (!in) return Status::IOError("cannot read back the workbook written to " + path);
  return bytes.str();
}

int CmdExportXlsx(const Args& args) { return ExportFigures(args, "xlsx", FiguresXlsx, /*text=*/false); }

}  // namespace goldthread::cli
