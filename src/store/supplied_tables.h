#pragma once
// Which canonical tables a store has been given (indicators/availability.h):
// those holding a current record, and those whose canonical file an import
// read, even empty.

#include <array>

#include "core/status.h"
#include "model/schema.h"
#include "store/store.h"

namespace goldthread {

Result<std::array<bool, kTableCount>> SuppliedTables(Store& store);

}  // namespace goldthread
