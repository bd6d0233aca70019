// goldthread import STORE DIR [--quarantine FILE]: one directory of canonical
// CSV files into the store as one batch (shared/DESIGN.md sections 3, 10).

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "ingest/import.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

constexpr size_t kMaxProblemsPrinted = 200;

void RemoveStoreFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
}

}  // namespace

int CmdImport(const Args& args) {
  CLI::App app{"Import a directory of canonical CSV files into STORE as one batch. All-or-nothing: on any bad "
               "row nothing is stored and every problem is listed.",
               "import"};
  std::string store_path, dir, quarantine;
  app.add_option("STORE", store_path, "store file (created if missing)")->required();
  app.add_option("DIR", dir, "directory of canonical CSV files")->required();
  app.add_option("--quarantine", quarantine, "store the good rows; write the bad ones, with reasons, to FILE");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  // Before the store is opened or created: a quarantine file that is the
  // store, its journal or WAL, or an input would destroy it.
  if (!CheckOutputs("import", {{"--quarantine", quarantine}}, ImportProtectedFiles(store_path, dir))) return kExitUsage;

  std::error_code ec;
  const bool existed = std::filesystem::exists(store_path, ec);
  Result<std::unique_ptr<Store>> store = OpenStore(store_path, OpenMode::kCreateIfMissing);
  if (!store.ok()) {
    std::cerr << "goldthread import: " << store.status().message() << "\n";
    return kExitBadInput;
  }
  ImportOptions options;
  options.quarantine_path = quarantine;
  options.progress = ::isatty(STDERR_FILENO) != 0;
  Result<ImportReport> result = ImportDirectory(**store, dir, options);
  bool committed = result.ok() && result->committed;
  if (!committed && !existed) {
    // Leave no empty store behind a failed first import.
    store->reset();
    RemoveStoreFiles(store_path);
  }
  if (!result.ok()) {
    std::cerr << "goldthread import: " << result.status().message() << "\n";
    return kExitBadInput;
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
  if (!committed) {
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
