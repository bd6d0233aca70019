#pragma once
// Indicators defined from others ([derived] in a definition): a ratio
// (per x a / b) or a difference (a - b) of two indicators' figures, period
// by period, org unit by org unit, group by group (docs/indicators.md,
// "Indicators from indicators").
//
// Loading: ResolveDerived checks every derived definition against the
// whole set (built-in and a council's own): each component exists, no
// definition reaches itself through its components, a difference's units
// agree. Computing: the engine computes the other definitions, then
// ComputeDerived fills the derived ones from their figures.

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "indicators/definition.h"
#include "indicators/engine.h"

namespace goldthread::indicators {

/// Checks each derived definition of defs and sets its cuts (those both
/// components have, in the first's order) and follow_up_days (the larger
/// of theirs), components first. Errors name the file, line and column:
///   local/x.toml:14:8: 'carers-suported' is not an indicator (did you mean 'carers-supported'?) ...
///   local/a.toml:12:8: indicator 'a' is defined from itself: a -> b -> a ...
Status ResolveDerived(std::vector<Definition>& defs);

/// Fills result.indicators[i].groups and .figures for every derived defs[i]
/// from its components' figures (computed, in result, for the same
/// periods), in dependency order. Fails when a component is not among defs
/// or a definition reaches itself (ResolveDerived not run).
Status ComputeDerived(const std::vector<Definition>& defs, int32_t n_org, ComputeResult& result);

}  // namespace goldthread::indicators
