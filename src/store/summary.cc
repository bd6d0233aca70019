#include "store/summary.h"

#include <map>

namespace goldthread {

Result<StoreSummary> Summarise(Store& store) {
  Result<std::unique_ptr<ReadView>> view = store.BeginRead();  // one committed state throughout
  if (!view.ok()) return view.status();
  StoreSummary out;
  Result<std::vector<BatchInfo>> batches = store.Batches();
  if (!batches.ok()) return batches.status();
  out.batches = static_cast<int64_t>(batches->size());

  const TableSpec& people = Table(TableId::kPeople);
  Result<std::vector<std::pair<std::string, int64_t>>> roles =
      store.CountCurrentBy(TableId::kPeople, people.FieldIndex("role"));
  if (!roles.ok()) return roles.status();
  out.people_by_role = std::move(*roles);

  std::map<std::string, int64_t> by_unit;
  for (const TableSpec& t : AllTables()) {
    TableSummary ts;
    ts.table = std::string(t.name);
    Result<int64_t> n = store.CountCurrent(t.id);
    if (!n.ok()) return n.status();
    ts.records = *n;
    if (t.date_field >= 0 && ts.records > 0) {
      auto range = store.RangeCurrent(t.id, t.date_field);
      if (!range.ok()) return range.status();
      ts.date_range = std::move(*range);
    }
    out.tables.push_back(std::move(ts));
    if (t.has_lineage && *n > 0) {
      auto counts = store.CountCurrentBy(t.id, t.FieldIndex("org_unit_id"));
      if (!counts.ok()) return counts.status();
      for (auto& [unit, count] : *counts) by_unit[unit] += count;
    }
  }
  std::map<std::string, std::string> names;
  Status s = store.ScanCurrent(TableId::kOrgUnits, [&](const StoredRow& row) {
    names[std::string(row.values[0])] = std::string(row.values[2]);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (auto& [unit, count] : by_unit) {
    auto it = names.find(unit);
    out.teams.push_back({unit, it == names.end() ? std::string() : it->second, count});
  }
  return out;
}

std::string FormatSummary(const StoreSummary& s) {
  std::string out = "batches: " + std::to_string(s.batches) + "\npeople:";
  int64_t total = 0;
  for (const auto& [role, n] : s.people_by_role) total += n;
  out += " " + std::to_string(total);
  for (const auto& [role, n] : s.people_by_role) out += ", " + role + " " + std::to_string(n);
  out += "\nrecords by table:\n";
  for (const TableSummary& t : s.tables) {
    if (t.records == 0) continue;
    std::string name = t.table;
    name.resize(22, ' ');
    std::string n = std::to_string(t.records);
    if (n.size() < 10) n.insert(0, 10 - n.size(), ' ');
    out += "  " + name + n;
    if (t.date_range) out += "  " + t.date_range->first + " .. " + t.date_range->second;
    out += "\n";
  }
  out += "records by team:\n";
  for (const TeamSummary& t : s.teams) {
    std::string id = t.org_unit_id;
    id.resize(12, ' ');
    out += "  " + id + std::to_string(t.records) + (t.name.empty() ? "" : "  " + t.name) + "\n";
  }
  return out;
}

}  // namespace goldthread
