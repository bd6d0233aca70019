// goldthread import STORE DIR [--quarantine FILE]: one directory of canonical
// CSV files into the store as one batch (shared/DESIGN.md sections 3, 10).

#include <unistd.h>

#include <csignal>
#include <iostream>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/import_run.h"
#include "ingest/import.h"
#include "store/store.h"

namespace goldthread::cli {
int CmdImport(const Args& args) {
  // --format cld: a CLD return, not a directory (cmd_import_cld.cc).
  for (size_t i = 0; i < args.size(); ++i)
    if ((args[i] == "--format" && i + 1 < args.size() && args[i + 1] == "cld") || args[i] == "--format=cld" ||
        args[i] == "--write-mapping" || args[i].starts_with("--write-mapping="))
      return CmdImportCld(args);
  CLI::App app{"Import a directory of canonical CSV files into STORE as one batch. All-or-nothing: on any bad "
               "row nothing is stored and every problem is listed.",
               "import"};
  std::string store_path, dir, quarantine;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "store file (created if missing)")->required();
  app.add_option("DIR", dir, "directory of canonical CSV files")->required();
  app.add_option("--quarantine", quarantine, "store the good rows; write the bad ones, with reasons, to FILE");
  std::string format = "canonical";
  app.add_option("--format", format,
                 "canonical (DIR of canonical CSV files), or cld (FILE, an Adult Social Care Client Level Data "
                 "return: see 'import --format cld --help')")
      ->check(CLI::IsMember({"canonical", "cld"}));
  AddStoreFlags(app, store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  // Before the store is opened or created: a quarantine file that is the
  // store, its journal or WAL, or an input would destroy it.
  if (!CheckOutputs("import", {{"--quarantine", quarantine}}, ImportProtectedFiles(store_path, dir))) return kExitUsage;

  ImportOptions options;
  options.quarantine_path = quarantine;
  options.progress = ::isatty(STDERR_FILENO) != 0;
  options.interrupted = CatchImportInterrupts();
  Result<ImportReport> result = Status::Internal("not run");
  const ImportReport* stored = nullptr;
  if (int rc = RunImport(store_path, store_flags,
                         [&](Store& store) -> Result<const ImportReport*> {
                           result = ImportDirectory(store, dir, options);
                           if (!result.ok()) return result.status();
                           return &*result;
                         },
                         &stored);
      rc >= 0)
    return rc;
  std::cout << "imported batch " << stored->batch.id << " from " << dir << " into " << store_path << "\n";
  PrintStored(*stored, quarantine);
  WriteSnapshotAfterImport(store_path, store_flags);
  return kExitOk;
}

}  // namespace goldthread::cli
