#pragma once
// The JSON of `goldthread compute --json` (shared/DESIGN.md section 10) plus
// goldthread's additions: each indicator's oba, kind, version, links and
// criteria; a series_break flag when its version differs from the previous
// stored run; per figure the claimed count and the claimed cases failing each
// criterion; with cases, the person ids behind the figure; and the SPC and
// funnel fields of series_stats.h (names as `spc --json` and `funnel --json`):
// per figure mean, lpl, upl, point_type; per indicator spc, funnel_type,
// funnels and funnel_note. docs/indicators.md ("Output") lists them all.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/series_stats.h"

namespace goldthread {
class Snapshot;
}

namespace goldthread::indicators {

struct JsonOptions {
  bool cases = false;
  /// id -> version of the previous run; a different version marks a break.
  std::map<std::string, int64_t> previous_versions;
  /// id -> why the store cannot feed it (indicators/availability.h): the
  /// indicator is written with "unavailable" and no series, not zeros.
  std::map<std::string, std::string> unavailable;
};

/// Receives the JSON in parts, in order.
using JsonSink = std::function<void(std::string_view)>;

/// The document ResultToJson returns, given to sink in parts as it is made,
/// so that it is never held whole (the figures of a national run are 1.4 GB
/// of JSON). series_stats must come from ComputeSeriesStats(result, snap).
void WriteResultJson(const ComputeResult& result, const Snapshot& snap, const ResultStats& series_stats,
                     const JsonOptions& options, const JsonSink& sink);

/// series_stats must come from ComputeSeriesStats(result, snap).
std::string ResultToJson(const ComputeResult& result, const Snapshot& snap, const ResultStats& series_stats,
                         const JsonOptions& options);

/// [{"id": ..., "version": n, "file": ...}] for the run record.
std::string DefinitionsJson(const std::vector<Definition>& defs);
/// Reads DefinitionsJson's output back (id -> version); empty on bad input.
std::map<std::string, int64_t> ParseDefinitionsJson(const std::string& json);

}  // namespace goldthread::indicators
