// goldthread import STORE DIR [--quarantine FILE]: one directory of canonical
// CSV files into the store as one batch (shared/DESIGN.md sections 3, 10).

#include <unistd.h>

#include <iostream>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "ingest/import.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

constexpr size_t kMaxProblemsPrinted = 200;

}  // namespace

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
  // A new store is built out of sight and appears only when the batch
  // commits: a failed or killed first import leaves no store behind, and no
  // reader can open it half-made.
  Result<std::unique_ptr<Store>> store =
      OpenStoreFor("import", store_path, OpenMode::kCreateWithFirstBatch, store_flags);
  if (!store.ok()) return Fail("import", store.status());
  Result<ImportReport> result = ImportDirectory(**store, dir, options);
  if (!result.ok() && result.status().code() == StatusCode::kAlreadyExists) {
    // Another import created the store while this one built it: import into
    // that store instead (as if this import had started after it).
    std::cerr << "goldthread import: " << result.status().message() << "; importing into it now\n";
    store = OpenStoreFor("import", store_path, OpenMode::kMustExist, store_flags);
    if (!store.ok()) return Fail("import", store.status());
    result = ImportDirectory(**store, dir, options);
  }
  if (!result.ok()) {
    int rc = Fail("import", result.status());
    // A batch is all-or-nothing: whatever failed, the store is as it was.
    if (result.status().code() != StatusCode::kBusy) std::cerr << "goldthread import: nothing was stored\n";
    return rc;
  }
  const ImportReport& r = *result;
  for (const std::string& w : r.warnings) std::cerr << "warning: " << w << "\n";
  if (r.duplicate) {
    std::cout << "already imported as batch " << r.batch.id << " on "
              << FormatDate(DateOfTimestamp(r.batch.imported_at)) << ": nothing to do\n";
    return kExitOk;
  }
  for (size_t i = 0; i < r.problems.size() && i < kMaxProblemsPrinted; ++i) std::cerr << r.problems[i] << "\n";
  if (r.problem_count > static_cast<int64_t>(kMaxProblemsPrinted))
    std::cerr << "... and " << r.problem_count - static_cast<int64_t>(kMaxProblemsPrinted) << " more\n";
  if (!r.committed) {
    std::cerr << "goldthread import: " << r.problem_count << (r.problem_count == 1 ? " problem" : " problems")
              << "; nothing was stored\n";
    return kExitBadInput;
  }
  std::cout << "imported batch " << r.batch.id << " from " << dir << " into " << store_path << "\n";
  for (const TableImport& t : r.tables) {
    std::string name = t.file;
    name.resize(26, ' ');
    std::cout << "  " << name << t.rows_accepted << " rows";
    if (t.rows_rejected) std::cout << " (" << t.rows_rejected << " rejected)";
    std::cout << "\n";
  }
  std::cout << "stored " << r.batch.rows_stored << " rows";
  if (r.batch.rows_unchanged) std::cout << ", " << r.batch.rows_unchanged << " unchanged";
  std::cout << "\n";
  if (!quarantine.empty())
    std::cout << r.batch.rows_rejected << " rows rejected, written with their reasons to " << quarantine << "\n";
  return kExitOk;
}

}  // namespace goldthread::cli
