#pragma once
// The carers' audits every report and dashboard page reads (issue 12): the
// Carers' Hub audit, costs, casework and carers' added value of one
// financial year, run once when the Analysis is built (report/analysis.h)
// by src/planning, which does the work. An audit whose data are missing
// (no finance.csv, no case audits) is absent and says why.

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "indicators/definition.h"
#include "model/snapshot.h"
#include "planning/added_value.h"
#include "planning/casework_audit.h"
#include "planning/costs_audit.h"
#include "planning/hub_audit.h"
#include "planning/hub_rules.h"

namespace goldthread::report {

struct CarersAudits {
  planning::HubRules hub_rules;
  std::optional<planning::HubAudit> hub;
  std::optional<planning::CostsAudit> costs;
  std::optional<planning::CaseworkAudit> casework;
  std::optional<planning::AddedValue> added_value;
  std::vector<std::string> absent;  // "Costs: finance.csv has no rows ..."
};

struct CarersAuditOptions {
  std::string hub_rules;  // the council's rules file; "" the defaults
  std::vector<planning::HubPlanTarget> plan_targets;
  int year = 0;           // 0: the latest financial year the records cover in full
  /// Indicators the rules may name though they are not in defs: those the
  /// store cannot compute (a CLD-only store: Analysis::unavailable). A rule
  /// naming one is no error; it is simply not met from this store.
  std::vector<std::string> unavailable_ids;
};

/// Fails only when the rules file cannot be read or is wrong.
Result<CarersAudits> RunCarersAudits(const Snapshot& snap, const std::vector<indicators::Definition>& defs,
                                     const CarersAuditOptions& options);

}  // namespace goldthread::report
