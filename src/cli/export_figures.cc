#include "cli/export_figures.h"

#include <iostream>

#include "cli/cli_util.h"
#include "stats/spc.h"

namespace goldthread::cli {

namespace ind = goldthread::indicators;

const std::vector<std::string_view>& FigureColumns() {
  static const std::vector<std::string_view> kColumns = {
      "indicator", "title", "measure", "period", "unit", "name", "group", "numerator", "denominator",
      "value", "ci_low", "ci_high", "point_type", "provisional"};
  return kColumns;
}

std::vector<FigureRow> FigureRows(const Computed& c) {
  const Snapshot& s = *c.snap;
  const TableData& orgs = s.table(TableId::kOrgUnits);
  const int name_field = orgs.Field("name");
  std::vector<FigureRow> rows;
  for (size_t i = 0; i < c.result.indicators.size(); ++i) {
    const ind::IndicatorResult& ir = c.result.indicators[i];
    const ind::IndicatorStats& is = c.stats.indicators[i];
    const ind::Definition& d = *ir.def;
    // As compute's JSON: an indicator the store cannot compute has no
    // figures, rather than zeros (ExportFigures says why).
    if (c.unavailable.count(d.id)) continue;
    for (size_t f = 0; f < ir.figures.size(); ++f) {
      const ind::Figure& fig = ir.figures[f];
      const ind::FigureStats& fs = is.figures[f];
      FigureRow r;
      r.indicator = d.id, r.title = d.title, r.measure = ind::UnitName(d.unit);
      r.period = c.result.periods[fig.period].Label();
      r.unit = s.OrgUnitId(fig.org_unit);
      const int32_t name = orgs.columns[name_field].i32[fig.org_unit];
      if (name >= 0) r.name = s.Text(name);
      r.group = ir.groups[fig.group];
      r.numerator = fig.numerator, r.denominator = fig.denominator, r.value = fig.value;
      r.ci_low = fig.ci_low, r.ci_high = fig.ci_high;
      if (fs.point_type) r.point_type = stats::PointTypeName(*fs.point_type);
      r.provisional = fs.provisional;
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

// Both formats: compute as `compute` does, then write the figures to --out.
int ExportFigures(const Args& args, std::string_view format, FiguresWriter write, bool text) {
  CLI::App app{"Export every computed figure (period, unit, name, group, numerator, denominator, value, "
               "interval, SPC point type) as " + std::string(format) + ".",
               "export"};
  ComputeRequest request;
  std::string out, format_given;
  AddComputeOptions(app, request);
  app.add_option("--format", format_given, "csv | xlsx")->required();
  app.add_option("--out", out, "the file to write (FILE." + std::string(format) + ")")->required();
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(request.store_path);
  ProtectDirectory(protect, ind::BuiltInDir(), ".toml", "a built-in definition");
  if (!request.extra_dir.empty()) ProtectDirectory(protect, request.extra_dir, ".toml", "a definition file");
  if (out == "-" && !text) {
    std::cerr << "goldthread export: --out must be a file for " << format << " (a workbook is not text)\n";
    return kExitUsage;
  }
  if (!CheckOutputs("export", {{"--out", out}}, protect)) return kExitUsage;
  Computed c;
  if (int rc = RunIndicators("export", request, c); rc >= 0) return rc;
  for (const std::string& w : ComputeWarnings(c)) std::cerr << "goldthread export: warning: " << w << "\n";
  for (const auto& [id, why] : c.unavailable)
    std::cerr << "goldthread export: " << id << ": no rows: it " << why << "\n";
  const std::vector<FigureRow> rows = FigureRows(c);
  Result<std::string> bytes = write(rows);
  if (!bytes.ok()) return Fail("export", bytes.status());
  if (!WriteOutput("export", out, *bytes, protect)) return kExitBadInput;
  if (out != "-")
    std::cout << rows.size() << " figures of " << c.defs.size() - c.unavailable.size() << " indicators, " << c.result.periods.size()
              << " periods (" << c.result.periods.front().Label() << " .. " << c.result.periods.back().Label()
              << "), written to " << out << "\n";
  return kExitOk;
}

}  // namespace goldthread::cli
