#pragma once
// goldthread compute STORE --verify-run N: recomputes a stored compute run
// over the store as it was when the run read it (the records current once
// its last batch had committed), with its parameters and the definitions
// found now, and compares each indicator's figure digest with the run's
// (store/store.h RunRecord, indicators/figures_digest.h).

#include <cstdint>
#include <string>

#include "cli/cli_store.h"

namespace goldthread::cli {

/// Prints what it compared; returns 0 when every indicator of the run is
/// bit-identical, 1 when any differs or cannot be compared (a definition's
/// version changed, an indicator gone), or the store could not be read.
int VerifyComputeRun(const std::string& store_path, int64_t run_id, int threads, const StoreFlags& flags);

}  // namespace goldthread::cli
