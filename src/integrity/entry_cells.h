#pragma once
// Where the entry checks (backdating, period_end_surge, bulk_change) look:
// each team's entries of each record type apart, and all its entries
// pooled. A busy team cannot hide a year-end rush of reviews behind its
// thousands of timely outcome measures: the reviews are judged against
// the team's own reviews (and the other teams' reviews), not diluted in
// the team's every row. The pooled cell still catches a pattern spread
// thinly over several types that no single type shows on its own.
//
// A check judges every cell and reports its hits; Merge then makes one
// finding per team and period: from the record types that fired, the
// strongest first and the others named in the summary, or from the pooled
// entries when no single type fired.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "integrity/entry.h"

namespace goldthread::integrity {

/// The kind of a cell holding every record type of a team.
inline constexpr uint8_t kAllKinds = 0xff;

struct EntryCell {
  int32_t team;
  uint8_t kind;  // an entry table, or kAllKinds
  auto operator<=>(const EntryCell&) const = default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 misreads it
};

/// "review" / "reviews" for a kind; "record" / "records" for kAllKinds.
std::string_view EntryNoun(uint8_t kind, bool plural);
/// The table of an entry (for its record id and lineage).
const TableData& EntryTableOf(const Snapshot& snap, const Entry& e);

/// One cell's reason for a finding in one period.
struct EntryHit {
  EntryCell cell;
  double strength = 0.0;  // ranks the hits of a team and period, largest first
  Finding finding;        // everything but the evidence rows and indicators
  std::string also;       // how the hit reads when named after a stronger one: "assessments (3.4 times)"
  std::vector<const Entry*> rows;  // the records behind it
};

/// One finding per (team, period) of the hits (see the file comment).
std::vector<Finding> MergeEntryHits(const Snapshot& snap, std::vector<EntryHit> hits);

}  // namespace goldthread::integrity
