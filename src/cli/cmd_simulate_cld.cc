#include "cli/simulate_cld.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <system_error>

#include "cli/commands.h"
#include "ingest/cld_export.h"
#include "ingest/import.h"
#include "store/store.h"

namespace goldthread::cli {

int SimulateCld(const sim::SimOptions& options, const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    std::cerr << "goldthread simulate: cannot create '" << out << "': " << ec.message() << "\n";
    return kExitBadInput;
  }
  const fs::path tmp = fs::path(out) / (".gt-simulate-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } cleanup{tmp};
  const fs::path canonical = tmp / "canonical";
  Result<sim::SimSummary> simulated = sim::Simulate(options, canonical.string());
  if (!simulated.ok()) {
    std::cerr << "goldthread simulate: " << simulated.status().message() << "\n";
    return simulated.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
  }
  Result<std::unique_ptr<Store>> store = OpenStore((tmp / "store.db").string(), OpenMode::kCreateIfMissing);
  if (!store.ok()) {
    std::cerr << "goldthread simulate: " << store.status().message() << "\n";
    return kExitBadInput;
  }
  Result<ImportReport> imported = ImportDirectory(**store, canonical.string(), ImportOptions{});
  if (!imported.ok() || !imported->committed) {
    std::cerr << "goldthread simulate: the simulated council did not import: "
              << (imported.ok() ? (imported->problems.empty() ? "" : imported->problems[0])
                                : imported.status().message())
              << "\n";
    return kExitBadInput;
  }
  Result<CldExportReport> exported = ExportCld(**store, out, CldExportOptions{});
  if (!exported.ok()) {
    std::cerr << "goldthread simulate: " << exported.status().message() << "\n";
    return kExitBadInput;
  }
  fs::copy_file(canonical / "populations.csv", fs::path(out) / "populations.csv",
                fs::copy_options::overwrite_existing, ec);
  if (ec) {
    std::cerr << "goldthread simulate: cannot write populations.csv: " << ec.message() << "\n";
    return kExitBadInput;
  }
  std::cout << "simulated " << options.people << " people as a CLD return: " << exported->rows << " rows in "
            << exported->path << " (" << exported->events[0] << " requests, " << exported->events[1]
            << " assessments, " << exported->events[2] << " services, " << exported->events[3]
            << " reviews), and populations.csv beside it\n";
  return kExitOk;
}

}  // namespace goldthread::cli
