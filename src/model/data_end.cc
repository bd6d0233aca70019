#include "model/data_end.h"

namespace goldthread {

namespace {

// The extreme (by `better`) timeline date of any case record that passes
// ByAsOf: LastTimelineDay and FirstTimelineDay read the same records.
template <typename Better>
Date ExtremeTimelineDay(const Snapshot& snap, Better better) {
  Date out = kNullDate;
  for (const TableSpec& spec : AllTables()) {
    if (spec.date_field < 0 || spec.person_field < 0 || spec.id == TableId::kPeople) continue;
    const TableData& t = snap.table(spec.id);
    for (int64_t row = 0; row < t.rows; ++row) {
      const int32_t v = t.Int(spec.date_field, row);
      if (v != kNullI32 && ByAsOf(snap, v) && (out == kNullDate || better(v, out))) out = v;
    }
  }
  return out;
}

}  // namespace

Date LastTimelineDay(const Snapshot& snap) {
  return ExtremeTimelineDay(snap, [](Date a, Date b) { return a > b; });
}

Date FirstTimelineDay(const Snapshot& snap) {
  return ExtremeTimelineDay(snap, [](Date a, Date b) { return a < b; });
}

Date FirstOfMonth(Date d) {
  if (d == kNullDate) return kNullDate;
  const YearMonthDay ymd = CivilFromDate(d);
  return DateFromCivil(ymd.year, ymd.month, 1);
}

}  // namespace goldthread
