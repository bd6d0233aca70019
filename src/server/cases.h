#pragma once
// The persons behind one figure (shared/DESIGN.md section 8: GET
// /api/cases): computed on demand for that period only, so the shared
// analysis need not keep every figure's persons in memory (definitions are
// not copyable, so the period's figures of every definition are computed
// and the one asked for is kept). The
// engine is the same as for every figure (indicators::Compute with
// keep_cases), so the list always adds up to the figure shown.
//
// Thread-safety: reads the snapshot and definition only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "indicators/definition.h"
#include "model/snapshot.h"

namespace goldthread::server {

struct FigureCases {
  double numerator = 0;
  std::optional<double> denominator;
  std::optional<double> value;
  /// Every person evaluated for the figure (its denominator; for a count,
  /// everyone with a case), by id, each marked whether it is counted in the
  /// numerator.
  struct Person {
    std::string id;
    bool in_numerator = false;
  };
  std::vector<Person> persons;
};

/// The cases of definition `index` of `defs` for `period` at org unit row `org_unit` (which counts
/// the units below it) and cut group `group` ("all" or one of the
/// definition's groups, "sex:F"). InvalidArgument "group 'x' is not a cut of
/// indicator 'y' (expected all, ...)" for an unknown group; a period or unit
/// without a figure gives an empty list.
Result<FigureCases> CasesOfFigure(const Snapshot& snap, const std::vector<indicators::Definition>& defs, int index,
                                  const Period& period, int32_t org_unit, std::string_view group);

}  // namespace goldthread::server
