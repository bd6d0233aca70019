#pragma once
// Digests of computed figures, kept in a run's record instead of the
// figures (store/store.h RunRecord::digests_json), so that recomputing a
// run later (the same batches, definitions and parameters) can be checked
// to give bit-identical figures without the store keeping them.
//
// Per indicator: SHA-256 over its id, version, the run's periods, its group
// labels and, for every figure in order, the org unit's id, the period and
// group, and the exact IEEE-754 bits of numerator, denominator, value and
// interval (absent ones marked), the claimed count and the failing counts.
// The persons behind a figure (--cases) are not included: a run with and
// without them has the same digests.

#include <map>
#include <string>

#include "indicators/engine.h"

namespace goldthread {
class Snapshot;
}

namespace goldthread::indicators {

/// id -> 64 hex digits, one per indicator of the result.
std::map<std::string, std::string> FiguresDigests(const ComputeResult& result, const Snapshot& snap);
/// The same as a JSON object: {"<id>": "<hex>", ...}, ids in sorted order.
std::string FiguresDigestsJson(const ComputeResult& result, const Snapshot& snap);

}  // namespace goldthread::indicators
