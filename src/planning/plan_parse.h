#pragma once
// Reading a plan file (TOML, docs/plans.md) into a PlanDocument. Parsing
// goes on past a bad table so that one run lists every problem, each with
// the file, line and column toml++ reports for it:
//   plan.toml:41:13: error: target reviews-12m at T03 by 2028-03-31 is not Time bound: ...
// What needs more than the file (indicator definitions, the org units, the
// data) is checked by plan_check.h.

#include <string>
#include <string_view>
#include <vector>

#include "planning/plan_model.h"

namespace goldthread::planning {

struct ParsedPlan {
  PlanDocument doc;
  std::vector<Diagnostic> diagnostics;  // in the order found; SortDiagnostics for line order
};

/// Largest plan file goldthread reads: far above any council's plan (a few
/// hundred targets are some tens of kilobytes), low enough that a wrong
/// file cannot exhaust memory.
inline constexpr size_t kMaxPlanFileBytes = 4 << 20;

/// Parses text; file names it in the document and messages. Never fails:
/// a file that is not TOML gives a document with one "toml" error.
ParsedPlan ParsePlan(std::string_view text, std::string_view file);

}  // namespace goldthread::planning
