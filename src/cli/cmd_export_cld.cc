// goldthread export STORE --format cld --out DIR [--mapping FILE] [--la-code CODE]
// The store's current canonical records as a CLD return, DIR/cld.csv (docs/cld.md).

#include <iostream>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "ingest/cld_export.h"
#include "ingest/cld_mapping.h"
#include "model/schema.h"
#include "store/store.h"

namespace goldthread::cli {

int CmdExportCld(const Args& args) {
  CLI::App app{"Write STORE's current records as an Adult Social Care Client Level Data (CLD) return, Release 1: "
               "DIR/cld.csv. What CLD has no column for is counted, not written (docs/cld.md).",
               "export"};
  std::string store_path, format, out, mapping_path, la_code;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store")->required();
  app.add_option("--format", format, "cld")->check(CLI::IsMember({"cld"}))->required();
  app.add_option("--out", out, "output directory (cld.csv is written in it)")->required();
  app.add_option("--mapping", mapping_path, "the CLD mapping whose first value for each code is written "
                                            "(default: built in)");
  app.add_option("--la-code", la_code, "the LA_Code of every row (default: the store's council org unit)");
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  CldMapping mapping;
  CldExportOptions options;
  options.la_code = la_code;
  if (!mapping_path.empty()) {
    Result<CldMapping> loaded = LoadCldMapping(mapping_path);
    if (!loaded.ok()) {
      std::cerr << "goldthread export: " << loaded.status().message() << "\n";
      return kExitBadInput;
    }
    mapping = std::move(*loaded);
    options.mapping = &mapping;
  }
  Result<std::unique_ptr<Store>> store = OpenStoreFor("export", store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return Fail("export", store.status());
  Result<CldExportReport> r = ExportCld(**store, out, options);
  if (!r.ok()) return Fail("export", r.status());
  std::cout << "wrote " << r->rows << " CLD rows (LA_Code " << r->la_code << ") to " << r->path << ": "
            << r->events[0] << " requests, " << r->events[1] << " assessments, " << r->events[2] << " services, "
            << r->events[3] << " reviews, " << r->carers_by_association << " carers known by association\n";
  if (r->people_without_events)
    std::cout << "  not written: " << r->people_without_events << " service users with no event (CLD is one row per event)\n";
  for (const TableSpec& t : AllTables())
    if (r->not_written[static_cast<size_t>(t.id)] > 0)
      std::cout << "  not written: " << r->not_written[static_cast<size_t>(t.id)] << " " << t.name
                << " records (CLD has no place for them)\n";
  return kExitOk;
}

}  // namespace goldthread::cli
