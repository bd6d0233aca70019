#include "model/data_range.h"

namespace goldthread {

Date LastEventDate(const Snapshot& snap) {
  Date last = kNullDate;
  for (const TableSpec& spec : AllTables()) {
    if (spec.date_field < 0 || spec.person_field < 0 || spec.id == TableId::kPeople) continue;
    const TableData& t = snap.table(spec.id);
    for (int64_t row = 0; row < t.rows; ++row) {
      const int32_t v = t.Int(spec.date_field, row);
      if (v != kNullI32 && ByAsOf(snap, v) && (last == kNullDate || v > last)) last = v;
    }
  }
  return last;
}

}  // namespace goldthread
