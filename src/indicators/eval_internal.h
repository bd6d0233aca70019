#pragma once
// What the indicator engine (engine.cc) needs from the evaluator (eval.cc)
// beyond expr.h: evaluating parts of a compiled expression (one conjunct of
// a condition, a range), and a per-thread memo of week scans. Internal to
// the indicators module.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/period.h"
#include "indicators/expr.h"
#include "indicators/expr_node.h"
#include "model/snapshot.h"

namespace goldthread::indicators {

struct Node;

/// Whether a node's value depends on nothing but the period and constants
/// (it reads no record, person or [let] binding).
bool PeriodOnly(const Node* n);
/// Whether a node reads the period (or a [let] binding, which may).
bool ReadsPeriod(const Node* n);

/// A field's value as a number, as expressions see it; sets null when the
/// value is unknown (NaN amounts, negative codes and references, kNullI32).
/// Every known value is finite.
inline double ReadColumn(const Column& col, int64_t row, bool& null) {
  switch (col.type) {
    case FieldType::kAmount:
    case FieldType::kScore: {
      double v = col.f64[row];
      if (!std::isfinite(v)) null = true, v = 0;
      return v;
    }
    case FieldType::kCode:
    case FieldType::kYesNo:
    case FieldType::kText:
    case FieldType::kRef: {
      int32_t v = col.i32[row];
      if (v < 0) null = true;
      return v;
    }
    default: {
      int32_t v = col.i32[row];
      if (v == kNullI32) null = true;
      return v;
    }
  }
}

//===----------------------------------------------------------------------===//
// Arithmetic as every evaluator does it (eval.cc, fast_cond.cc)
//===----------------------------------------------------------------------===//

/// a + b, a - b, a * b, a / b (op kAdd .. kDiv). The result is unknown (null)
/// when it would not be a finite number: a division by 0 (a constant 0 is
/// refused when the definition loads), or a result too large for a double.
/// So every known value is finite and compares, sums and orders as numbers.
inline double Arith(Op op, double a, double b, bool& null) {
  double v;
  switch (op) {
    case Op::kAdd: v = a + b; break;
    case Op::kSub: v = a - b; break;
    case Op::kMul: v = a * b; break;
    default:
      if (b == 0) {
        null = true;
        return 0;
      }
      v = a / b;
  }
  if (!std::isfinite(v)) {
    null = true;
    return 0;
  }
  return v;
}

/// The days a snapshot's dates can take (int32 days since 1970, kNullI32
/// being unknown).
inline constexpr double kFirstDay = static_cast<double>(kNullI32) + 1;
inline constexpr double kLastDay = 2147483647.0;

/// A number used as a day (week_start, age_at): its whole part; false when
/// it is no day a date can be.
inline bool AsDay(double v, int32_t& day) {
  if (!(v >= kFirstDay && v <= kLastDay)) return false;
  day = static_cast<int32_t>(v);
  return true;
}

/// The p-th percentile (0-100) of values (not empty; sorted in place) by
/// linear interpolation between order statistics: h = (n - 1) p / 100,
/// x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]) (Hyndman & Fan
/// 1996, "Sample quantiles in statistical packages", definition 7: R's
/// default and Excel's PERCENTILE.INC). p = 50 is the median.
inline double PercentileOf(std::vector<double>& values, double p) {
  std::sort(values.begin(), values.end());
  const double h = static_cast<double>(values.size() - 1) * p / 100;
  const size_t lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= values.size()) return values.back();
  const double a = values[lo], b = values[lo + 1];
  // a + (h - lo)(b - a), written so that equal neighbours give exactly a
  // and the result stays finite for finite a and b of opposite signs.
  const double f = h - static_cast<double>(lo);
  return f == 0 || a == b ? a : a * (1 - f) + b * f;
}

/// add_months(d, n): d moved by the whole part of n calendar months, the
/// day clamped to the month's length (2024-01-31 + 1 month is 2024-02-29;
/// core/date.h AddMonths). d's whole part is the day; a d beyond +-1,000,000
/// years, or an n beyond +-12,000,000 months, is clamped there first, so
/// the calendar arithmetic never overflows (no date in the data is near).
inline double ShiftMonths(double d, double n) {
  constexpr double kDayLimit = 365.2425 * 1000000, kMonthLimit = 12000000;
  const double day = std::floor(std::clamp(d, -kDayLimit, kDayLimit));
  const double months = std::trunc(std::clamp(n, -kMonthLimit, kMonthLimit));
  return AddMonths(static_cast<Date>(day), static_cast<int>(months));
}

/// The days of days_before(d, n) (d-n+1 .. d), days_after(d, n)
/// (d+1 .. d+n), months_before(d, n) (the day after d moved back n calendar
/// months .. d, so months_before(2025-03-31, 12) is 2024-04-01 ..
/// 2025-03-31) or months_after(d, n) (d+1 .. d moved on n months), whole
/// parts, clamped to the days a date can be (every date is inside a range
/// that reaches beyond them).
inline void DaysRange(Op op, double d, double n, int32_t& lo, int32_t& hi) {
  double l, h;
  switch (op) {
    case Op::kDaysBefore: l = d - n + 1, h = d; break;
    case Op::kMonthsBefore: l = ShiftMonths(d, -n) + 1, h = std::floor(d); break;
    case Op::kMonthsAfter: l = std::floor(d) + 1, h = ShiftMonths(d, n); break;
    default: l = d + 1, h = d + n; break;
  }
  lo = static_cast<int32_t>(std::clamp(l, kFirstDay, kLastDay));
  hi = static_cast<int32_t>(std::clamp(h, kFirstDay, kLastDay));
}

/// A node's value as a condition (false when unknown) / as a number.
bool EvalNodeBool(const Node* n, EvalContext& ctx);
double EvalNodeNumber(const Node* n, EvalContext& ctx, bool& null);
/// The [lo, hi] days of a range node (period, days_before, days_after), as
/// `x in range` compares them; false when unknown.
bool EvalNodeRange(const Node* range, EvalContext& ctx, int32_t& lo, int32_t& hi);

/// The values of a case's [let] bindings, each computed when first used
/// (EvalContext::let_cache). A let is a value of the case record, so it is
/// the same wherever it is used while the case is evaluated; the cache
/// starts afresh whenever the case record, the person, the period or the
/// bindings differ from those its values were computed for.
struct LetCache {
  int64_t row = -1;
  int32_t person = -1;
  Period period;
  const std::vector<Expr>* lets = nullptr;
  std::vector<double> value;
  std::vector<uint8_t> state;  // per let: 0 not yet computed, 1 known, 2 unknown

  /// Makes the cache hold c's case, clearing it if it held another.
  void Bind(const EvalContext& c) {
    if (row == c.rows[0] && person == c.person && period.start == c.period.start && period.end == c.period.end &&
        lets == c.lets)
      return;
    row = c.rows[0], person = c.person, period = c.period, lets = c.lets;
    const size_t n = lets ? lets->size() : 0;
    value.assign(n, 0);
    state.assign(n, 0);
  }
};

/// Week scans (week_count, week_sum) whose condition and value read only the
/// scanned rows give the same answer for every record of the same person and
/// week: the memo keeps recent answers. One per thread, owned by the caller;
/// valid while one snapshot and one set of definitions are evaluated.
class ScanMemo {
 public:
  struct Entry {
    const Node* node = nullptr;
    int32_t person = -1, week = 0, period_start = 0, period_end = 0;
    double value = 0;
    bool null = false;
  };
  static constexpr int kSlots = 64;
  Entry slots[kSlots];
  /// Per scan node: 0 not memoisable, 1 memoisable, 2 memoisable per period.
  std::vector<std::pair<const Node*, uint8_t>> kinds;
  /// A compiled week scan's answers for one person, for the weeks the
  /// person has rows in, computed as each week is first asked for.
  struct WeekTable {
    const void* scan = nullptr;
    int32_t person = -1;
    // The weeks that hold rows only, so one far-off date costs one entry,
    // not an array as long as the years between (issue 9).
    std::vector<int32_t> mondays;    // the distinct weeks' Mondays, ascending
    std::vector<int64_t> first_row;  // per entry of mondays, and one past the last
    size_t last = 0;                 // the entry last asked for: records come in date order
    std::vector<double> answer;
    std::vector<uint8_t> known;      // 0 not yet, 1 known, 2 unknown
  };
  std::vector<WeekTable> week_tables;
};

/// Makes memo the calling thread's week-scan memo while alive.
/// For a week scan node: 0 not memoisable, 1 the same answer for every
/// record of a person's week, 2 also per period.
uint8_t WeekScanMemoKind(const Node* scan);
/// The calling thread's memo (ScopedScanMemo), or null.
ScanMemo* CurrentScanMemo();

class ScopedScanMemo {
 public:
  explicit ScopedScanMemo(ScanMemo* memo);
  ~ScopedScanMemo();
  ScopedScanMemo(const ScopedScanMemo&) = delete;
  ScopedScanMemo& operator=(const ScopedScanMemo&) = delete;

 private:
  ScanMemo* previous_;
};

}  // namespace goldthread::indicators
