#pragma once
// Computing indicators: every definition over a Snapshot, for every period,
// every org unit (a case counts in its record's unit and every unit above
// it) and every cut group the definition asks for.
//
// Determinism: threads take chunks of 256 persons as they finish the last
// and keep their own tallies; counts are integers and sums are kept in
// fixed point (1e-6), so the totals do not depend on the number of threads
// or on which thread took which chunk.
//
// Thread-safety: Compute reads the snapshot and definitions only; call it
// from any thread. The result owns its data.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "indicators/definition.h"

namespace goldthread {
class Snapshot;
}

namespace goldthread::indicators {

/// The engine's shortcuts. Each gives exactly the figures of the plain
/// interpreter (every condition evaluated as its node tree says, on every
/// record of the person, in every period); differential_test.cc turns them
/// off one at a time and all together and compares. Leave them on.
struct FastPaths {
  /// engine_plan.h: a condition's timeline window and active_at runs per
  /// period, its period-free conjuncts once per record, the numerator's
  /// window.
  bool row_filters = true;
  /// fast_cond.h: conditions compiled to typed checks.
  bool compiled_conditions = true;
  /// A scan's (exists, count, ...) rows narrowed by binary search on the
  /// date bounds its condition sets.
  bool scan_bounds = true;
  /// Week scans' answers kept per person and week.
  bool scan_memo = true;
  /// Each [let] computed once per case.
  bool let_cache = true;

  static FastPaths None() { return {false, false, false, false, false}; }
};

struct ComputeOptions {
  PeriodKind by = PeriodKind::kMonth;
  Date from_month = kNullDate;  // first day of a month
  Date to_month = kNullDate;    // first day of a month
  bool keep_cases = false;      // keep the persons behind each figure
  int threads = 0;              // 0: every core
  FastPaths fast;
};

/// One figure: an indicator's value for one period, org unit and group.
struct Figure {
  int32_t period = 0;    // index into ComputeResult::periods
  int32_t org_unit = 0;  // row of the org unit in the snapshot
  int32_t group = 0;     // index into IndicatorResult::groups; 0 is "all"
  double numerator = 0;  // cases (percent, count, rate); sum of values (mean, days)
  std::optional<double> denominator;  // none for counts
  std::optional<double> value;        // none when the denominator is 0
  std::optional<double> ci_low, ci_high;
  // Mean and days: cases of the population whose value is unknown (a
  // division by zero in the data, a missing field, a value beyond +-1e9):
  // not averaged, so not in the denominator either.
  int64_t without_value = 0;
  // With criteria: the numerator is the substantiated count.
  int64_t claimed = 0;
  std::vector<int64_t> failing;  // claimed cases failing each criterion
  // With keep_cases: person rows, ascending.
  std::vector<int32_t> numerator_persons, denominator_persons;
};

struct IndicatorResult {
  const Definition* def = nullptr;
  std::vector<std::string> groups;  // "all", "age_band:65-74", "sex:F", "carer_group:bme", ...
  std::vector<Figure> figures;      // by period, then org unit (snapshot order), then group
};

struct ComputeResult {
  std::vector<Period> periods;
  std::vector<IndicatorResult> indicators;  // in the order of the definitions
  int64_t cases_evaluated = 0;              // person-period-indicator evaluations with a record
};

/// Computes every definition. Fails when the period range is empty or longer
/// than kMaxWindowMonths (core/period.h), or the snapshot has no org units.
Result<ComputeResult> Compute(const Snapshot& snap, const std::vector<Definition>& defs,
                              const ComputeOptions& options);

/// The group labels of a person at a date for a definition's cuts (without
/// "all"); exposed for tests.
std::vector<std::string> GroupLabelsFor(const Snapshot& snap, int32_t person, Date on, const Definition& def);

}  // namespace goldthread::indicators
