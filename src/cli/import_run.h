#pragma once
// What `import` does around any import (canonical or CLD): open the store
// (built out of sight until its first batch commits), retry once into the
// store another import created meanwhile, stop at ^C or SIGTERM with the
// batch rolled back, print the warnings, a duplicate batch, or the problems
// with "nothing was stored", and write the persisted snapshot afterwards.

#include <csignal>
#include <functional>
#include <memory>
#include <string>

#include "cli/cli_store.h"
#include "ingest/import.h"
#include "store/store.h"

namespace goldthread::cli {

/// run imports into the store it is given and returns the import's report
/// (owned by the caller's closure), or why it could not be attempted.
using ImportRun = std::function<Result<const ImportReport*>(Store&)>;

/// Catches SIGINT and SIGTERM for the import to come (a second signal ends
/// the process at once: the batch is one transaction, so that loses nothing
/// either) and returns the flag to give ImportOptions::interrupted.
const volatile std::sig_atomic_t* CatchImportInterrupts();

/// Returns -1 when a new batch was stored (*stored set: the caller prints
/// what it holds), otherwise the exit status, everything printed.
int RunImport(const std::string& store_path, const StoreFlags& flags, const ImportRun& run,
              const ImportReport** stored);

/// The rows each table stored (and rejected), the batch's totals, and where
/// the rejected rows went (quarantine: the --quarantine path or "").
void PrintStored(const ImportReport& r, const std::string& quarantine);

/// After a stored batch: the persisted snapshot for the batches now stored,
/// so the next command starts at once (docs/store.md). The batch is stored
/// whatever happens here; a snapshot not built or not written is a warning.
void WriteSnapshotAfterImport(const std::string& store_path, const StoreFlags& flags);

}  // namespace goldthread::cli
