#pragma once
// Helpers the checks share: the scope of a run, team and period labels, and
// tallies of the users and batches behind a set of records.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/period.h"
#include "integrity/finding.h"
#include "model/snapshot.h"

namespace goldthread::integrity {

/// The days a run looks at, inclusive; null ends mean "all the data".
struct CheckScope {
  Date from = kNullDate;
  Date to = kNullDate;
  bool Contains(Date d) const {
    return d != kNullDate && (from == kNullDate || d >= from) && (to == kNullDate || d <= to);
  }
};

/// The org unit's id ("T3"), or "unknown" for a missing reference.
std::string UnitId(const Snapshot& snap, int32_t org_row);

/// The financial year label of a day: "2024-25".
std::string YearLabel(Date d);

/// The date part of a timestamp field, or kNullDate.
Date RecordedDate(const TableData& t, int field, int64_t row);

/// The last day the data knows of: the latest recorded_at or timeline date
/// of any case record (kNullDate for an empty snapshot).
Date DataEnd(const Snapshot& snap);

/// Whether x of n lies above the unadjusted 99.8% funnel limit around the
/// peers' pooled proportion peer_x / peer_n (a leave-one-out funnel,
/// shared/STATISTICS.md section 3). Teams are few, so the overdispersion
/// adjustment would let one gaming team widen the limits that judge it;
/// the floors each check sets on the share keep natural variation between
/// teams from firing. z receives the arcsine-scale z-score.
bool HighAgainstPeers(double x, double n, double peer_x, double peer_n, double& z);

/// Counts the users (recorded_by) and batches of the records added, for
/// evidence; most frequent first when written out.
class LineageTally {
 public:
  void Add(const Snapshot& snap, const TableData& t, int64_t row);
  void Fill(Evidence& e, size_t max_entries = 10) const;
  int64_t total() const { return total_; }
  /// The largest share of records made by one user, and by one batch.
  double TopUserShare() const;
  double TopBatchShare() const;
  std::string TopUser() const;
  int64_t TopBatch() const;

 private:
  std::map<std::string, int64_t> users_;
  std::map<int64_t, int64_t> batches_;
  int64_t total_ = 0;
  int64_t users_known_ = 0;
};

/// p-quantile (0-1) of values by linear interpolation (R type 7); NaN when empty.
double Quantile(std::vector<double> values, double p);
/// Median and median absolute deviation.
double Median(std::vector<double> values);
double Mad(const std::vector<double>& values);

/// "41 of 200 (20.5%)".
std::string CountOf(int64_t part, int64_t whole);

}  // namespace goldthread::integrity
