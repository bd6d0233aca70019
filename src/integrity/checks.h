#pragma once
// Runs every enabled check over a snapshot (shared/DESIGN.md section 6) and
// ranks the findings: what `goldthread check` prints and stores.

#include <vector>

#include "integrity/check_util.h"
#include "integrity/config.h"
#include "integrity/finding.h"
#include "model/snapshot.h"

namespace goldthread::integrity {

/// All snapshot checks, findings ranked by severity (RankFindings).
/// Thread-safe for concurrent calls on the same snapshot.
std::vector<Finding> RunChecks(const Snapshot& snap, const CheckConfig& config, const CheckScope& scope);

}  // namespace goldthread::integrity
