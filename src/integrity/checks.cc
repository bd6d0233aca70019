#include "integrity/checks.h"

#include "integrity/bunching.h"
#include "integrity/criteria.h"
#include "integrity/data_quality.h"
#include "integrity/divergence.h"
#include "integrity/entry.h"
#include "integrity/jump.h"
#include "integrity/registration.h"

namespace goldthread::integrity {

std::vector<Finding> CheckIndicatorJumps(const IndicatorSeriesSet& set, const ImplausibleJumpConfig& config) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const size_t first = set.FirstAfterWarmup(config.warmup_months);
  for (const IndicatorSeries& s : set.series) {
    if (!s.def || s.def->unit == indicators::Unit::kCount) continue;
    for (Finding& f : CheckImplausibleJumps(DropLeadingPeriods(s.teams, first), config))
      out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> RunChecks(const Snapshot& snap, const CheckConfig& config, const CheckScope& scope,
                               const IndicatorInputs& inputs) {
  std::vector<Finding> all;
  auto add = [&all](std::vector<Finding> found) {
    for (Finding& f : found) all.push_back(std::move(f));
  };
  add(CheckCriteriaGap(snap, config.criteria_gap, scope));
  // The three entry checks read the same entries: read them once.
  const EntryLog entries = config.bulk_change.enabled || config.backdating.enabled ||
                                   config.period_end_surge.enabled
                               ? ReadEntries(snap)
                               : EntryLog{};
  add(CheckBulkChange(snap, entries, config.bulk_change, scope));
  add(CheckDeadlineBunching(snap, config.deadline_bunching, scope));
  add(CheckLateRegistration(snap, config.late_registration, scope));
  add(CheckClockReset(snap, config.clock_reset, scope));
  add(CheckBackdating(snap, entries, config.backdating, scope));
  add(CheckPeriodEndSurge(snap, entries, config.period_end_surge, scope));
  if (inputs.definitions)
    add(CheckDataQuality(snap, config.data_quality, scope, FieldsToCheck(*inputs.definitions)));
  else
    add(CheckDataQuality(snap, config.data_quality, scope));
  if (inputs.series) {
    add(CheckIndicatorJumps(*inputs.series, config.implausible_jump));
    add(CheckProcessOutcomeDivergence(*inputs.series, config.process_outcome_divergence));
  }
  RankFindings(all);
  return all;
}

std::vector<Finding> RunChecks(const Snapshot& snap, const CheckConfig& config, const CheckScope& scope) {
  return RunChecks(snap, config, scope, IndicatorInputs{});
}

Result<std::vector<Finding>> RunChecksWithIndicators(const Snapshot& snap, const CheckConfig& config,
                                                     const CheckScope& scope,
                                                     const std::vector<indicators::Definition>& defs) {
  IndicatorInputs inputs;
  inputs.definitions = &defs;
  IndicatorSeriesSet series;
  if (config.implausible_jump.enabled || config.process_outcome_divergence.enabled) {
    auto built = BuildIndicatorSeries(snap, defs, scope);
    if (!built.ok()) return built.status();
    series = std::move(built).value();
    inputs.series = &series;
  }
  return RunChecks(snap, config, scope, inputs);
}

}  // namespace goldthread::integrity
