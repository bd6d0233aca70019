#pragma once
// The casework audit and carers' added value as JSON (`goldthread casework
// --json`, `goldthread added-value --json`; docs/casework.md and
// docs/added_value.md list the fields). Absent values are null.

#include <string>

#include "model/snapshot.h"
#include "planning/added_value.h"
#include "planning/casework_audit.h"

namespace goldthread::planning {

std::string CaseworkToJson(const CaseworkAudit& audit, const Snapshot& snap);
std::string AddedValueToJson(const AddedValue& value);

}  // namespace goldthread::planning
