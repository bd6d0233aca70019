#include "indicators/availability.h"

#include "indicators/fields_used.h"

namespace goldthread::indicators {

std::vector<TableId> UnsuppliedTables(const Definition& def, const SuppliedTables& supplied) {
  std::array<bool, kTableCount> read{};
  for (const FieldUse& u : FieldsUsed(def)) read[static_cast<size_t>(u.table)] = true;
  std::vector<TableId> out;
  for (const TableSpec& t : AllTables())
    if (read[static_cast<size_t>(t.id)] && !supplied[static_cast<size_t>(t.id)]) out.push_back(t.id);
  return out;
}

std::string UnavailableReason(const std::vector<TableId>& missing) {
  if (missing.empty()) return {};
  std::string names, files;
  for (size_t i = 0; i < missing.size(); ++i) {
    const std::string sep = i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ";
    names += sep + std::string(Table(missing[i]).name);
    files += sep + Table(missing[i]).FileName();
  }
  return "needs " + names + " records, which this store does not hold (no import has supplied " + files + ")";
}

}  // namespace goldthread::indicators
