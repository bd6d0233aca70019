#pragma once
// How far a snapshot's case records reach in time: the last day of any
// dated record on a person's timeline (not recorded_at). `compute` ends its
// window at this day's month and marks periods provisional against it
// (indicators::IsProvisional); reports and the dashboard do the same, so a
// figure is provisional in every output or in none.

#include "core/date.h"
#include "model/snapshot.h"

namespace goldthread {

/// The latest timeline date of any case record (tables with a person and a
/// timeline date, people excluded); kNullDate when there is none.
Date LastTimelineDay(const Snapshot& snap);

/// The first day of d's month; kNullDate for kNullDate.
Date FirstOfMonth(Date d);

}  // namespace goldthread
