// goldthread export STORE --format FORMAT ...: the store's records or figures
// in another format. Each format is one row of kExportFormats, its command in
// its own cmd_export_<format>.cc (csv: cmd_export_csv.cc, xlsx:
// cmd_export_xlsx.cc, both computing the figures as export_figures.h says;
// cld: cmd_export_cld.cc, the records).

#include <iostream>
#include <string>
#include <string_view>

#include "cli/commands.h"

namespace goldthread::cli {
namespace {

struct ExportFormat {
  std::string_view name;
  std::string_view help;
  int (*run)(const Args& args);
};

// Add a format: one row here, its command in cmd_export_<name>.cc.
constexpr ExportFormat kExportFormats[] = {
    {"csv", "every computed figure as CSV, for Excel (--out FILE.csv)", CmdExportCsv},
    {"xlsx", "every computed figure as an Excel workbook (--out FILE.xlsx)", CmdExportXlsx},
    {"cld", "the canonical records as an Adult Social Care Client Level Data return (--out DIR)", CmdExportCld},
};

void Usage(std::ostream& out) {
  out << "usage: goldthread export STORE --format FORMAT ...\nformats:\n";
  for (const ExportFormat& f : kExportFormats) out << "  " << f.name << "  " << f.help << "\n";
  out << "run 'goldthread export --format FORMAT --help' for a format's options\n";
}

}  // namespace

int CmdExport(const Args& args) {
  std::string_view format;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--format" && i + 1 < args.size()) format = args[i + 1];
    else if (args[i].starts_with("--format=")) format = std::string_view(args[i]).substr(9);
  }
  for (const ExportFormat& f : kExportFormats)
    if (f.name == format) return f.run(args);
  if (format.empty()) {
    const bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
    Usage(help ? std::cout : std::cerr);
    return help ? kExitOk : kExitUsage;
  }
  std::cerr << "goldthread export: --format '" << format << "' is not a format (expected one of";
  for (const ExportFormat& f : kExportFormats) std::cerr << " " << f.name;
  std::cerr << ")\n";
  return kExitUsage;
}

}  // namespace goldthread::cli
