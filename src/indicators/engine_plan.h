#pragma once
// The indicator engine's plan of a definition (internal to engine.cc):
// its cut groups, and each condition split for speed. A condition's
// conjuncts that only compare a record's dates with values of the period
// (the timeline window, active_at / active_in) become integer compares per
// record and period; the others are compiled (FastCond), and evaluated once
// per record when they do not read the period.
//
// Thread-safety: a Plan is immutable once made; workers share it.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/period.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/eval_internal.h"
#include "indicators/fast_cond.h"
#include "model/snapshot.h"

namespace goldthread::indicators::internal {

inline constexpr std::string_view kAgeBands[] = {"0-17", "18-64", "65-74", "75-84", "85+", "unknown"};
// The people table's columns used by cuts.
inline constexpr int kBirthField = 2, kSexField = 3, kEthnicityField = 4, kReasonField = 6, kGroupsField = 8;

/// The index of a birth date's age band (kAgeBands) at a date.
int AgeBandIndex(int32_t birth, Date on);

struct GroupLayout {
  std::vector<std::string> labels;  // [0] = "all"
  std::vector<int> offset;          // per cut: index of its first group
};

GroupLayout LayoutFor(const Definition& d);
/// A person's groups (indices into the layout), "all" first; age_band is
/// the person's AgeBandIndex at the date the groups are for.
void GroupsOf(const Snapshot& snap, int32_t person, int age_band, const Definition& d, const GroupLayout& g,
              std::vector<int>& out);

/// The conjuncts of a condition (a and b and ...).
void Conjuncts(const Node* n, std::vector<const Node*>& out);

// The rows of a person's timeline a condition can hold for in each period:
// [lo[k], hi[k]] on the table's timeline date, from the conjuncts that bound
// that date by a value of the period alone (`received_on in period`,
// `active_at(period_end)`, `visit_on <= period_end + 6`). Every row the
// condition holds for lies inside, so scanning only the window changes the
// work, never the result; a conjunct that is nothing but such a bound holds
// for every row inside, so it is not evaluated there at all.
struct Window {
  struct Bound {
    enum class Kind : uint8_t { kRange, kLow, kHigh } kind;
    using enum Kind;
    const Node* node;  // the value, or the range node
    bool strict;       // date > value (kLow) / date < value (kHigh)
    bool exact;        // the conjunct holds exactly inside the bound
    const Node* conjunct;
  };
  std::vector<Bound> bounds;
  bool monotone = true;  // lo and hi never decrease from one period to the next
  std::vector<int32_t> lo, hi;

  bool bounded() const { return !bounds.empty(); }

  /// Adds the bounds one conjunct puts on the timeline date.
  void Collect(const Node* c, TableId table, int date_field, int depth);

  /// Evaluates the bounds for every period (lo, hi, monotone).
  void Resolve(const Snapshot& snap, const std::vector<Period>& periods,
               const std::vector<int32_t>& text_ids);

  // Whether the conjunct holds for exactly the rows inside the window.
  bool Implies(const Node* conjunct) const;
};

// active_at(d) / active_in(a, b) on a record's own start and end, with
// values of the period alone: the record is active in period k exactly when
// start <= last_day[k] and (no end or end >= first_day[k]) (whole days:
// start <= b from floor(b), end >= a from ceil(a)).
struct ActiveSpec {
  const Node* conjunct = nullptr;
  int start_field = -1, end_field = -1;
  std::vector<int32_t> first_day, last_day;
  bool monotone = true;

  bool Holds(int32_t start, int32_t end, size_t k) const {
    return start != kNullI32 && start <= last_day[k] && (end == kNullI32 || end >= first_day[k]);
  }
  // False when a value is unknown or too large to be a day; the conjunct is
  // then evaluated as written.
  bool Resolve(const Snapshot& snap, const std::vector<Period>& periods,
               const std::vector<int32_t>& text_ids);
};

// A condition on a table's records (where, or num_where) split for speed:
// conjuncts decided by the period and the record's dates alone (the timeline
// window, active_at / active_in) become integer compares; the rest are
// evaluated, those that do not read the period once per record.
struct RowFilter {
  Window window;
  std::vector<ActiveSpec> actives;
  std::vector<FastCond> fixed_cheap;   // evaluated for every record up front
  std::vector<FastCond> fixed_costly;  // with a scan: evaluated when a record is first a candidate
  std::vector<FastCond> varying;       // read the period: evaluated per record and period
  // Window and actives all monotone: a record passes them in one run of periods.
  bool runs = true;

  /// Without fast.row_filters the whole condition is one varying check.
  void Build(const Expr& cond, TableId table, int depth, const Snapshot& snap,
             const std::vector<Period>& periods, const std::vector<int32_t>& text_ids, const FastPaths& fast);

  static bool HasScan(const Node* n);
};

struct BranchPlan {
  const Branch* branch = nullptr;
  int org_field = -1;  // the lineage org_unit_id field, or -1
  RowFilter where;     // on the branch table, depth 0
  RowFilter num;       // num_where on numerator_from, depth 1 (bounded windows only)
  FastCond num_where;  // whole, where num's window does not apply
  FastCond claimed;
  std::vector<FastCond> criteria;
};

struct Plan {
  const Definition* def = nullptr;
  GroupLayout layout;
  bool age_cut = false;  // the definition is cut by age band
  int n_cells = 0;
  std::vector<int32_t> text_ids;  // the definition's text literals in this snapshot's pool
  std::vector<BranchPlan> branches;
};

// A person's rows of one table, with what the RowFilter compares.
struct FilterRows {
  int64_t begin = 0, end = 0;
  std::vector<int32_t> dates;   // timeline date per row (0 when the table has none)
  std::vector<int32_t> bounds;  // per active spec j: start and end of row i at [2 * (j * n + i)]

  void Read(const TableData& t, const RowFilter& f, int64_t b, int64_t e);
  // The rows inside period k's window.
  std::pair<int64_t, int64_t> InWindow(const RowFilter& f, size_t k) const {
    if (!f.window.bounded()) return {begin, end};
    auto lo = std::lower_bound(dates.begin(), dates.end(), f.window.lo[k]);
    auto hi = std::upper_bound(lo, dates.end(), f.window.hi[k]);
    return {begin + (lo - dates.begin()), begin + (std::max(lo, hi) - dates.begin())};
  }
  bool ActiveIn(const RowFilter& f, int64_t r, size_t k) const {
    const size_t n = dates.size(), i = static_cast<size_t>(r - begin);
    for (size_t j = 0; j < f.actives.size(); ++j)
      if (!f.actives[j].Holds(bounds[2 * (j * n + i)], bounds[2 * (j * n + i) + 1], k)) return false;
    return true;
  }
  // With f.runs: the periods [first, last) in which row r passes the window
  // and the actives.
  std::pair<size_t, size_t> Run(const RowFilter& f, int64_t r, size_t n_periods) const;
};

/// The plan of one definition over a snapshot and its periods, with the
/// fast paths asked for.
Plan MakePlan(const Snapshot& snap, const Definition& d, const std::vector<Period>& periods, int32_t n_org,
              const FastPaths& fast);

}  // namespace goldthread::indicators::internal
