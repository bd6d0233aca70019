#pragma once
// The indicators over a store, as `compute` and `export --format csv|xlsx`
// run them: options parsed the same way (--from, --to, --by, --indicators,
// --threads), the built-in and a council's own definitions, the snapshot,
// the figures, and their SPC and funnels.

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_store.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/series_stats.h"
#include "model/snapshot.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace goldthread::cli {

struct ComputeRequest {
  std::string store_path, from, to, by = "month", extra_dir;
  bool cases = false;
  int threads = 0;
  StoreFlags store_flags;
};

/// Adds --from, --to, --by, --indicators and --threads (and --wait).
void AddComputeOptions(CLI::App& app, ComputeRequest& request);

struct Computed {
  std::unique_ptr<Store> store;
  std::unique_ptr<Snapshot> snap;
  std::vector<indicators::Definition> defs;  // the result points into it: keep it with the result
  indicators::ComputeOptions options;
  indicators::ComputeResult result;
  indicators::SeriesStatsOptions stats_options;
  indicators::ResultStats stats;
  /// Indicators reading records the store was never given (a CLD-only store
  /// has no visits), by id: why each cannot be computed (docs/cld.md).
  std::map<std::string, std::string> unavailable;
  SnapshotLoadInfo snap_info;  // mapped from STORE.snapshot, or built (and written?)
  int64_t snapshot_ms = 0, compute_ms = 0, stats_ms = 0;
};

/// Checks the request's options (usage errors exit 2 with a message naming
/// `command`), loads the definitions and the store, and computes. Returns
/// -1 when out holds the figures, else the exit status to return.
int RunIndicators(std::string_view command, const ComputeRequest& request, Computed& out);

/// One line per definition whose numerator's negated condition held for
/// almost every case (indicators/lint.h), for stderr; empty when none.
std::vector<std::string> ComputeWarnings(const Computed& c);

}  // namespace goldthread::cli
