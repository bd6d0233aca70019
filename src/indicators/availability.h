#pragma once
// Whether an indicator can be computed from what a store holds. An
// indicator that reads a table the store was never given (a CLD return has
// no visits, personal budgets, support plans, hospital episodes, survey
// answers ...) would show zero, or no denominator, as if the council had
// done nothing; instead compute and report say it cannot be computed and
// which records it needs (docs/cld.md).
//
// A table is supplied when it holds a current record, or when an import
// read its canonical file (an empty file with its header says "none", which
// is a figure; an absent file says nothing).

#include <array>
#include <map>
#include <string>
#include <vector>

#include "indicators/definition.h"
#include "model/schema.h"

namespace goldthread::indicators {

using SuppliedTables = std::array<bool, kTableCount>;

/// The tables def reads (indicators/fields_used.h) that are not supplied,
/// in AllTables() order.
std::vector<TableId> UnsuppliedTables(const Definition& def, const SuppliedTables& supplied);

/// "needs visits records, which this store does not hold (no import has
/// supplied visits.csv)"; "" when missing is empty.
std::string UnavailableReason(const std::vector<TableId>& missing);

/// Every definition of defs that cannot be computed, by id, with why: the
/// tables it reads that are not supplied, or for a derived indicator a
/// component that cannot be ("needs the indicator pb-share, which needs
/// ...").
std::map<std::string, std::string> UnavailableDefinitions(const std::vector<Definition>& defs,
                                                          const SuppliedTables& supplied);

}  // namespace goldthread::indicators
