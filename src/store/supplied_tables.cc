#include "store/supplied_tables.h"

namespace goldthread {

Result<std::array<bool, kTableCount>> SuppliedTables(Store& store) {
  std::array<bool, kTableCount> supplied{};
  Result<std::vector<BatchInfo>> batches = store.Batches();
  if (!batches.ok()) return batches.status();
  for (const BatchInfo& b : *batches)
    for (const FileDigest& f : b.files)
      for (const TableSpec& t : AllTables())
        if (f.file == t.FileName()) supplied[static_cast<size_t>(t.id)] = true;
  for (const TableSpec& t : AllTables()) {
    if (supplied[static_cast<size_t>(t.id)]) continue;
    Result<int64_t> n = store.CountCurrent(t.id);
    if (!n.ok()) return n.status();
    supplied[static_cast<size_t>(t.id)] = *n > 0;
  }
  return supplied;
}

}  // namespace goldthread
