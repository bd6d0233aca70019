#pragma once
// Runs every enabled check (shared/DESIGN.md section 6) and ranks the
// findings: what `goldthread check` prints and stores.
//
// Two kinds of input: the snapshot, which every check reads, and the
// indicator definitions with their computed series, which the three
// indicator checks read (data_quality: the fields the definitions use;
// implausible_jump and process_outcome_divergence: the quarterly series of
// indicator_series.h). Without definitions, data_quality falls back to a
// fixed list of fields the built-in indicators use, and the two series
// checks do not run.

#include <vector>

#include "core/status.h"
#include "indicators/definition.h"
#include "integrity/check_util.h"
#include "integrity/config.h"
#include "integrity/finding.h"
#include "integrity/indicator_series.h"
#include "model/snapshot.h"

namespace goldthread::integrity {

/// What the indicator checks read; either may be null (see above). Not owned.
struct IndicatorInputs {
  const std::vector<indicators::Definition>* definitions = nullptr;
  const IndicatorSeriesSet* series = nullptr;
};

/// Every check, findings ranked by severity (RankFindings). Thread-safe for
/// concurrent calls on the same inputs.
std::vector<Finding> RunChecks(const Snapshot& snap, const CheckConfig& config, const CheckScope& scope,
                               const IndicatorInputs& inputs);

/// The snapshot checks only (no definitions).
std::vector<Finding> RunChecks(const Snapshot& snap, const CheckConfig& config, const CheckScope& scope);

/// Computes the definitions' series (BuildIndicatorSeries; skipped when both
/// series checks are switched off) and runs every check. Fails only when
/// the engine cannot compute the series.
Result<std::vector<Finding>> RunChecksWithIndicators(const Snapshot& snap, const CheckConfig& config,
                                                     const CheckScope& scope,
                                                     const std::vector<indicators::Definition>& defs);

/// implausible_jump over the teams' quarterly series of every percent, rate,
/// mean and days indicator, after the warm-up. Counts are left out: a count
/// grows with a team's caseload and size, so a team's count moving against
/// its peers' says nothing of how well it works, and peers of different
/// sizes move by different amounts by construction.
std::vector<Finding> CheckIndicatorJumps(const IndicatorSeriesSet& set, const ImplausibleJumpConfig& config);

}  // namespace goldthread::integrity
