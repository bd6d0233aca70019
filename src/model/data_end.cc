#include "model/data_end.h"

namespace goldthread {

Date LastTimelineDay(const Snapshot& snap) {
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

Date FirstOfMonth(Date d) {
  if (d == kNullDate) return kNullDate;
  const YearMonthDay ymd = CivilFromDate(d);
  return DateFromCivil(ymd.year, ymd.month, 1);
}

}  // namespace goldthread
