#pragma once
// Checks on when records were entered, from the lineage columns
// (recorded_at, recorded_by) and import batches of every case record:
//
// - backdating: lag = recorded_at − event date; each team's monthly upper
//   quantile (90th) of the lag on an XmR chart (shared/STATISTICS.md
//   section 2), flagged on special cause above the mean by a shift that
//   matters.
// - period_end_surge: the share of a quarter's entries made in its last k
//   days divided by k / days in the quarter; each team's quarters on a
//   p-chart, and the quarter's teams on a funnel; flagged on special cause.
// - bulk_change: records entered per team per day against the team's own
//   Poisson rate; a day beyond the 99.8% limit where one user or one batch
//   made most of the entries.
//
// Each check looks at every team's entries of each record type apart as
// well as all of them pooled (integrity/entry_cells.h): what a team backdates
// is its reviews, not its visits, and thousands of timely outcome measures
// must not hide 200 reviews keyed in the year's last week. One finding per
// team and period names the record types that show the pattern.
//
// Records without recorded_at have unknown lineage: they are counted in the
// evidence ("lineage_unknown") and never guessed at.

#include <vector>

#include "integrity/check_util.h"
#include "integrity/config.h"

namespace goldthread::integrity {

/// One entry: a case record of an entry table (a piece of work, not a
/// visit or survey answer) with a known recorded_at; one per outcome
/// measure or case audit, not one per domain or item row.
struct Entry {
  uint8_t kind;  // which entry table (entry_cells.cc)
  int64_t row;
  int32_t team;
  Date event;     // kNullDate when the event date is unknown
  Date recorded;
};

/// Every entry of a snapshot, read once for all three checks.
struct EntryLog {
  std::vector<Entry> entries;
  int64_t lineage_unknown = 0;  // records without recorded_at, left out
};
EntryLog ReadEntries(const Snapshot& snap);

std::vector<Finding> CheckBackdating(const Snapshot& snap, const EntryLog& log, const BackdatingConfig& config,
                                     const CheckScope& scope);
std::vector<Finding> CheckPeriodEndSurge(const Snapshot& snap, const EntryLog& log,
                                         const PeriodEndSurgeConfig& config, const CheckScope& scope);
std::vector<Finding> CheckBulkChange(const Snapshot& snap, const EntryLog& log, const BulkChangeConfig& config,
                                     const CheckScope& scope);

/// The same, reading the entries themselves.
std::vector<Finding> CheckBackdating(const Snapshot& snap, const BackdatingConfig& config, const CheckScope& scope);
std::vector<Finding> CheckPeriodEndSurge(const Snapshot& snap, const PeriodEndSurgeConfig& config,
                                         const CheckScope& scope);
std::vector<Finding> CheckBulkChange(const Snapshot& snap, const BulkChangeConfig& config, const CheckScope& scope);

/// The smallest c with P(X <= c) >= q for X ~ Poisson(lambda).
int64_t PoissonQuantile(double lambda, double q);

}  // namespace goldthread::integrity
