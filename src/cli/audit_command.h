#pragma once
// What the audit commands (hub, costs, casework, added-value) share: the
// --year option, opening the store and its snapshot, and storing the run.
// Each prints "goldthread COMMAND: message" on failure and returns false.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/cli_store.h"
#include "core/status.h"
#include "model/snapshot.h"
#include "store/store.h"

namespace goldthread::cli {

struct AuditInputs {
  std::unique_ptr<Store> store;
  std::unique_ptr<Snapshot> snap;
};

/// "2025-26" -> 2025; "" leaves year as it is. A bad label is a usage error
/// ("--year '2025' is not a financial year (expected YYYY-YY, e.g. 2025-26)").
bool ParseAuditYear(std::string_view command, const std::string& label, int& year);

/// Opens an existing store (waiting as flags say: cli_store.h) and loads its
/// snapshot; the caller reports a failure with Fail (a busy store is exit 75).
Result<AuditInputs> OpenAuditInputs(std::string_view command, const std::string& store_path,
                                    const StoreFlags& flags);

/// Stores a run of kind `command` with its parameters (a JSON object) and
/// result, over the snapshot's batches.
bool SaveAuditRun(std::string_view command, Store& store, const Snapshot& snap, const std::string& params_json,
                  const std::string& result_json);

}  // namespace goldthread::cli
