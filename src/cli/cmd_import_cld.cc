// goldthread import STORE FILE --format cld [--mapping cld_mapping.toml] [--quarantine FILE]
// goldthread import --format cld --write-mapping cld_mapping.toml
// The NHS England CLD return as the council produces it (docs/cld.md).

#include <unistd.h>

#include <iostream>
#include <string>

#include <fmt/format.h>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/import_run.h"
#include "ingest/cld_import.h"
#include "ingest/cld_mapping.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

void PrintReport(const CldImportReport& c, const std::string& file, const std::string& store_path,
                 const std::string& quarantine) {
  const ImportReport& r = c.import;
  std::cout << "imported batch " << r.batch.id << " from " << file << " (CLD) into " << store_path << "\n";
  std::cout << "  " << c.rows_read << " CLD rows: " << c.events[0] << " requests, " << c.events[1]
            << " assessments, " << c.events[2] << " services, " << c.events[3] << " reviews";
  if (c.carers_by_association) std::cout << ", " << c.carers_by_association << " carers known by association";
  std::cout << "\n";
  if (c.skipped) std::cout << "  " << c.skipped << " rows not imported by the mapping (\"-\")\n";
  if (c.repeated) std::cout << "  " << c.repeated << " rows repeating an earlier row exactly, counted once\n";
  std::cout << "  " << c.people << " people";
  if (c.stub_people) std::cout << " (+" << c.stub_people << " cared-for adults known only through a carer)";
  std::cout << ", " << c.care_links << " care links, " << c.care_home_admissions
            << " care-home admissions derived, " << c.linked_assessments << " assessments linked to a request\n";
  PrintStored(r, quarantine);
}

}  // namespace

int CmdImportCld(const Args& args) {
  CLI::App app{"Import an Adult Social Care Client Level Data (CLD) return, Release 1, into STORE as one batch "
               "(docs/cld.md). All-or-nothing: on any bad row or unmapped code nothing is stored and every "
               "problem is listed.",
               "import"};
  std::string store_path, file, format, mapping_path, write_mapping, quarantine;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "store file (created if missing)");
  app.add_option("FILE", file, "the CLD return (CSV)");
  app.add_option("--format", format, "cld")->check(CLI::IsMember({"cld"}));
  app.add_option("--mapping", mapping_path, "the mapping of CLD values to goldthread codes (default: built in)");
  app.add_option("--write-mapping", write_mapping, "write the built-in mapping to FILE, to adjust it, and stop");
  app.add_option("--quarantine", quarantine, "store the good rows; write the bad ones, with reasons, to FILE");
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  if (!write_mapping.empty()) {
    if (!store_path.empty() || !file.empty()) {
      std::cerr << "goldthread import: --write-mapping writes the mapping and stops (expected no STORE or FILE)\n";
      return kExitUsage;
    }
    if (!CheckOutputs("import", {{"--write-mapping", write_mapping}}, {})) return kExitUsage;
    if (!WriteOutput("import", write_mapping, std::string(DefaultCldMappingText()))) return kExitBadInput;
    std::cout << "wrote the built-in CLD mapping to " << write_mapping << "\n";
    return kExitOk;
  }
  if (store_path.empty() || file.empty()) {
    std::cerr << "goldthread import: expected STORE and FILE (run 'goldthread import --help')\n";
    return kExitUsage;
  }
  ProtectedFiles protect;
  protect.AddStore(store_path);
  protect.Add(file, "the input file");
  if (!mapping_path.empty()) protect.Add(mapping_path, "the mapping file");
  if (!CheckOutputs("import", {{"--quarantine", quarantine}}, protect)) return kExitUsage;

  CldMapping mapping;
  CldImportOptions options;
  if (!mapping_path.empty()) {
    Result<CldMapping> loaded = LoadCldMapping(mapping_path);
    if (!loaded.ok()) {
      std::cerr << "goldthread import: " << loaded.status().message() << "\n";
      return kExitBadInput;
    }
    mapping = std::move(*loaded);
    options.mapping = &mapping;
    options.mapping_name = mapping_path;
  }
  options.import.quarantine_path = quarantine;
  options.import.progress = ::isatty(STDERR_FILENO) != 0;
  options.import.interrupted = CatchImportInterrupts();
  Result<CldImportReport> result = Status::Internal("not run");
  const ImportReport* stored = nullptr;
  if (int rc = RunImport(store_path, store_flags,
                         [&](Store& store) -> Result<const ImportReport*> {
                           result = ImportCld(store, file, options);
                           if (!result.ok()) return result.status();
                           return &result->import;
                         },
                         &stored);
      rc >= 0)
    return rc;
  PrintReport(*result, file, store_path, quarantine);
  WriteSnapshotAfterImport(store_path, store_flags);
  return kExitOk;
}

}  // namespace goldthread::cli
