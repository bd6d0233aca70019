#pragma once
// What a store holds, for `goldthread demo` and for people checking an
// import: people by role, records by table, records by team, and the date
// range of each table.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace goldthread {

struct TableSummary {
  std::string table;  // "requests"
  int64_t records = 0;  // current records
  std::optional<std::pair<std::string, std::string>> date_range;  // of the table's timeline date
};

struct TeamSummary {
  std::string org_unit_id;
  std::string name;  // from org_units; empty if unknown
  int64_t records = 0;  // current records of every lineage table naming this unit
};

struct StoreSummary {
  int64_t batches = 0;
  std::vector<std::pair<std::string, int64_t>> people_by_role;  // ("carer", 120), ("service_user", 880)
  std::vector<TableSummary> tables;  // every table, AllTables() order
  std::vector<TeamSummary> teams;    // units with records, by org_unit_id
};

Result<StoreSummary> Summarise(Store& store);

/// The summary as plain text, one fact a line, for the terminal.
std::string FormatSummary(const StoreSummary& summary);

}  // namespace goldthread
