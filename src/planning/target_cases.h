#pragma once
// Down the thread to the cases: the persons behind one figure of an
// indicator at an org unit, in one period (what a team manager opens from
// a target: who is overdue a review, whose assessment was late). Computed
// by the indicator engine with its persons kept (indicators/engine.h).

#include <string>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "indicators/definition.h"
#include "indicators/engine.h"

namespace goldthread {
class Snapshot;
}

namespace goldthread::planning {

struct FigureCases {
  std::string indicator, org_unit;
  Period period;
  std::optional<double> value;
  double numerator = 0.0;
  std::optional<double> denominator;
  std::vector<std::string> counted;      // person ids in the numerator
  std::vector<std::string> not_counted;  // in the denominator but not the numerator
};

/// A figure's persons as ids: those in the numerator, and those in the
/// denominator but not the numerator (both lists of the figure ascend).
void SplitCases(const indicators::Figure& f, const Snapshot& snap, std::vector<std::string>& counted,
                std::vector<std::string>& not_counted);

/// A fresh copy of def read again from its file, its cuts dropped, so the
/// engine computes group "all" only. Definitions hold compiled expressions
/// and cannot be copied; NotFound when def has no file (built in a test)
/// or the file no longer holds the same id and version.
Result<indicators::Definition> ReloadAllOnly(const indicators::Definition& def);

/// The cases of indicator `id` (one of defs) at org_unit in period.
/// InvalidArgument when the indicator is not defined or the org unit not
/// in the snapshot; NotFound when the engine has no figure for it then.
Result<FigureCases> CasesBehind(const Snapshot& snap, const std::vector<indicators::Definition>& defs,
                                const std::string& id, const std::string& org_unit, const Period& period);

}  // namespace goldthread::planning
