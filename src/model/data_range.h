#pragma once
// How far a snapshot's data reach: what compute's default window and the
// checks' periods are built on (issue 9). The end is the latest event that
// had happened by the store's latest import (Snapshot::as_of): a record
// dated after the extract that holds it is a plan (a review due, a service
// booked) or a mistake (a visit on 9999-12-31), and one such date must not
// move every figure into an empty future.

#include "core/date.h"
#include "model/snapshot.h"

namespace goldthread {

/// 1900-01-01: the import refuses earlier dates (docs/import.md), so an
/// earlier one comes from a store written by an older binary.
inline constexpr Date kEarliestEventDate = -25567;

/// Whether a date can be an event of the data: from kEarliestEventDate to
/// snap.as_of() (no upper bound when as_of is not known).
inline bool ByAsOf(const Snapshot& snap, Date d) {
  return d != kNullDate && d >= kEarliestEventDate && (snap.as_of() == kNullDate || d <= snap.as_of());
}

/// The last timeline date (each table's date_field; people have none) of any
/// record that passes ByAsOf, or kNullDate when there is none.
Date LastEventDate(const Snapshot& snap);

}  // namespace goldthread
