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

std::map<std::string, std::string> UnavailableDefinitions(const std::vector<Definition>& defs,
                                                          const SuppliedTables& supplied) {
  std::map<std::string, std::string> out;
  for (const Definition& d : defs)
    if (std::string why = UnavailableReason(UnsuppliedTables(d, supplied)); !why.empty()) out[d.id] = why;
  // Nor can a derived indicator whose component cannot (a component may
  // come later in the list, or be derived itself: until none is added; each
  // pass adds one at least, so at most defs.size() passes).
  for (bool added = true; added;) {
    added = false;
    for (const Definition& d : defs) {
      if (!d.derived || out.count(d.id)) continue;
      for (const std::string& c : d.derived->of)
        if (auto it = out.find(c); it != out.end()) {
          out[d.id] = "needs the indicator " + c + ", which " + it->second;
          added = true;
          break;
        }
    }
  }
  return out;
}

}  // namespace goldthread::indicators
