#pragma once
// What `import` does around any import (canonical or CLD): open the store
// (built out of sight until its first batch commits), retry once into the
// store another import created meanwhile, and print the warnings, a
// duplicate batch, or the problems with "nothing was stored".

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

/// Returns -1 when a new batch was stored (*stored set: the caller prints
/// what it holds), otherwise the exit status, everything printed.
int RunImport(const std::string& store_path, const StoreFlags& flags, const ImportRun& run,
              const ImportReport** stored);

/// The rows each table stored (and rejected), the batch's totals, and where
/// the rejected rows went (quarantine: the --quarantine path or "").
void PrintStored(const ImportReport& r, const std::string& quarantine);

}  // namespace goldthread::cli
