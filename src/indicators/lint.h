#pragma once
// Warnings about definitions that load and compute but probably do not
// mean what their author meant (docs/indicators.md, "The negation trap").

#include <string>
#include <vector>

#include "indicators/definition.h"
#include "indicators/engine.h"
#include "model/snapshot.h"

namespace goldthread::indicators {

/// Whether d's numerator looks on another table (`from`) with a negated
/// condition at its top (`not (...)`, alone or and-ed with others): it then
/// counts a case with any record of that table for which the condition is
/// false, which is seldom "has no such record".
bool NumeratorNegatesFrom(const Definition& d);

/// A case share at or above which such a numerator is "almost always true",
/// over at least kNegationMinCases cases of the council's figures.
inline constexpr double kNegationShare = 0.95;
inline constexpr int64_t kNegationMinCases = 20;

/// One message per indicator of r whose numerator negates its `from` and
/// held for at least kNegationShare of the council's cases over the periods
/// computed, saying what to write instead.
std::vector<std::string> NegationWarnings(const ComputeResult& r, const Snapshot& snap);

}  // namespace goldthread::indicators
