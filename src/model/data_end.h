#pragma once
// How far a snapshot's case records reach in time: the last day of any
// dated record on a person's timeline (not recorded_at) that had happened by
// the store's latest import (Snapshot::as_of). `compute` ends its window at
// this day's month and marks periods provisional against it
// (indicators::IsProvisional); reports and the dashboard do the same, so a
// figure is provisional in every output or in none.
//
// A record dated after the extract that holds it is a plan (a review due, a
// service booked) or a mistake (a visit on 9999-12-31), and one such date
// must not move every figure into an empty future (issue 9); the checks'
// periods are bounded the same way (ByAsOf).

#include "core/date.h"
#include "model/snapshot.h"

namespace goldthread {

/// 1900-01-01: the import refuses earlier dates (docs/import.md), so an
/// earlier one comes from a store written by an older binary.
inline constexpr Date kEarliestEventDate = -25567;

/// Whether a date can be an event of the data: from kEarliestEventDate to
/// snap.as_of() (no upper bound when as_of is not known).
/// kNullDate, the smallest Date, is below kEarliestEventDate, so the lower
/// bound refuses it too (clang-tidy misc-redundant-expression found the
/// separate test of it).
static_assert(kNullDate < kEarliestEventDate);
inline bool ByAsOf(const Snapshot& snap, Date d) {
  return d >= kEarliestEventDate && (snap.as_of() == kNullDate || d <= snap.as_of());
}

/// The latest timeline date (each table's date_field) of any case record
/// (tables with a person and a timeline date, people excluded) that passes
/// ByAsOf; kNullDate when there is none.
Date LastTimelineDay(const Snapshot& snap);

/// The earliest timeline date of any case record that passes ByAsOf (the
/// same records as LastTimelineDay); kNullDate when there is none: where
/// the records begin (plans' curves start there; the Hub audit compares a
/// year with the one before only when the records reach back to its start).
Date FirstTimelineDay(const Snapshot& snap);

/// The first day of d's month; kNullDate for kNullDate.
Date FirstOfMonth(Date d);

}  // namespace goldthread
