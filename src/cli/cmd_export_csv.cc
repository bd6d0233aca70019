// goldthread export STORE --format csv --out FILE.csv: every computed
// figure (export_figures.h), RFC 4180 (CRLF line ends, fields with a comma, quote
// or line break in double quotes, quotes doubled), UTF-8, one header row.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/export_figures.h"

namespace goldthread::cli {

namespace {

// A text cell. One that starts with = + - @ (or a tab or carriage return)
// is a formula to a spreadsheet: an org unit named "=HYPERLINK(...)" would
// run when the file is opened, so such a cell is written with a leading '
// (OWASP, "CSV Injection").
void Text(std::string& out, std::string_view s) {
  const bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
  const bool quote = formula || s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += s;
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// A number as the shortest text that reads back as the same double; empty
// when there is none.
void Number(std::string& out, const std::optional<double>& v) {
  if (v) out += fmt::format("{}", *v);
}

}  // namespace

std::string FiguresCsv(const std::vector<FigureRow>& rows) {
  std::string out;
  const std::vector<std::string_view>& cols = FigureColumns();
  for (size_t c = 0; c < cols.size(); ++c) out += (c ? "," : "") + std::string(cols[c]);
  out += "\r\n";
  for (const FigureRow& r : rows) {
    for (std::string_view s : {std::string_view(r.indicator), std::string_view(r.title), std::string_view(r.measure),
                               std::string_view(r.period), std::string_view(r.unit), std::string_view(r.name),
                               std::string_view(r.group)}) {
      Text(out, s);
      out += ',';
    }
    Number(out, r.numerator);
    out += ',';
    for (const std::optional<double>* v : {&r.denominator, &r.value, &r.ci_low, &r.ci_high}) {
      Number(out, *v);
      out += ',';
    }
    out += r.point_type;
    out += ',';
    out += r.provisional ? "Y" : "N";
    out += "\r\n";
  }
  return out;
}

int CmdExportCsv(const Args& args) {
  return ExportFigures(
      args, "csv", [](const std::vector<FigureRow>& rows) { return Result<std::string>(FiguresCsv(rows)); },
      /*text=*/true);
}

}  // namespace goldthread::cli
