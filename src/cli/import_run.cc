#include "cli/import_run.h"

#include <iostream>

#include "cli/commands.h"
#include "core/date.h"
#include "store/snapshot_loader.h"

namespace goldthread::cli {
namespace {

constexpr size_t kMaxProblemsPrinted = 200;

// ^C (SIGINT) or SIGTERM during an import: the batch stops at its next row
// and is rolled back, a new store is not left half-made, the reject file's
// temporary is removed, and the user is told.
volatile std::sig_atomic_t g_signal = 0;  // the signal that interrupted the import (0: none)

extern "C" void OnInterrupt(int signal) { g_signal = signal; }

}  // namespace

const volatile std::sig_atomic_t* CatchImportInterrupts() {
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return &g_signal;
}

int RunImport(const std::string& store_path, const StoreFlags& flags, const ImportRun& run,
              const ImportReport** stored) {
  // A new store is built out of sight and appears only when the batch
  // commits: a failed or killed first import leaves no store behind, and no
  // reader can open it half-made.
  Result<std::unique_ptr<Store>> store = OpenStoreFor("import", store_path, OpenMode::kCreateWithFirstBatch, flags);
  if (!store.ok()) return Fail("import", store.status());
  Result<const ImportReport*> result = run(**store);
  if (!result.ok() && result.status().code() == StatusCode::kAlreadyExists) {
    // Another import created the store while this one built it: import into
    // that store instead (as if this import had started after it).
    std::cerr << "goldthread import: " << result.status().message() << "; importing into it now\n";
    store = OpenStoreFor("import", store_path, OpenMode::kMustExist, flags);
    if (!store.ok()) return Fail("import", store.status());
    result = run(**store);
  }
  if (!result.ok() && g_signal != 0) {
    std::cerr << "goldthread import: interrupted; nothing was stored\n";
    return 128 + g_signal;
  }
  if (!result.ok()) {
    int rc = Fail("import", result.status());
    // A batch is all-or-nothing: whatever failed, the store is as it was.
    if (result.status().code() != StatusCode::kBusy) std::cerr << "goldthread import: nothing was stored\n";
    return rc;
  }
  const ImportReport& r = **result;
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
  *stored = &r;
  return -1;
}

void PrintStored(const ImportReport& r, const std::string& quarantine) {
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
}

void WriteSnapshotAfterImport(const std::string& store_path, const StoreFlags& flags) {
  Result<std::unique_ptr<Store>> store = OpenStoreFor("import", store_path, OpenMode::kMustExist, flags);
  SnapshotLoadInfo snap_info;
  Result<std::unique_ptr<Snapshot>> snap =
      store.ok() ? LoadSnapshot(**store, std::nullopt, {}, &snap_info) : Result<std::unique_ptr<Snapshot>>(store.status());
  if (!snap.ok())
    std::cerr << "warning: the snapshot was not built (" << snap.status().message() << ")\n";
  else if (!snap_info.from_file && !snap_info.written && !snap_info.not_written.empty())
    std::cerr << "warning: the snapshot was not written (" << snap_info.not_written
              << "); each command builds it from the store until one can write it\n";
}

}  // namespace goldthread::cli
