#pragma once
// Disclosure control of a computed figure (docs/disclosure.md), a derived
// one included: a ratio or difference of two indicators is shown when each
// of its components would be shown under the rule, rounded as the rule
// rounds its own kind, and suppressed with the reason otherwise. Its own
// numerator and denominator are its components' values, not counts, so
// the rule cannot be applied to them; it is applied to the components'
// figures for the same period, org unit and group, in the same grain.

#include <string>

#include "indicators/definition.h"
#include "indicators/engine.h"
#include "report/analysis.h"
#include "report/disclosure.h"

namespace goldthread::report {

struct DisclosedFigure {
  Disclosed shown;
  /// Why a derived figure is suppressed ("its component 'a' is not shown:
  /// a count of 1 to 4"); empty when shown, and for other figures (whose
  /// marker the table's disclosure note explains).
  std::string reason;
};

/// f, a figure of definition d in one of a's grains (a->monthly or
/// a->quarterly, found by its address), as a reader under disclosure
/// control is shown it (a may be null for a figure that is not derived):
///   - a percentage, count, rate, mean or days as DisclosePercent,
///     DiscloseCount, DiscloseRate and DiscloseMean (2 decimals) say;
///   - a derived figure shown when both components' figures would be
///     (recursively for a derived component; a count's empty group is a
///     count of 0, as ComputeDerived takes it), its value from the exact
///     figures rounded for its unit: a percentage (points or per 100) to a
///     whole number, a count to the nearest rule.round_to, a rate to one
///     decimal, a mean or days to two; suppressed otherwise, and when f is
///     in neither grain or a is null.
DisclosedFigure DiscloseFigure(const Analysis* a, const indicators::Definition& d,
                               const indicators::Figure& f, const DisclosureRule& rule);

}  // namespace goldthread::report
