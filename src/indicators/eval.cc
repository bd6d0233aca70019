// Evaluation of compiled expressions (expr.h) against a Snapshot.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>

#include "indicators/eval_internal.h"
#include "indicators/exact_sum.h"
#include "indicators/expr.h"
#include "indicators/expr_node.h"
#include "model/snapshot.h"

namespace goldthread::indicators {
namespace {

thread_local ScanMemo* t_scan_memo = nullptr;

constexpr int32_t kMinDate = std::numeric_limits<int32_t>::min() + 1;
constexpr int32_t kMaxDate = std::numeric_limits<int32_t>::max();

double Num(const Node* n, EvalContext& c, bool& null);
double Let(const Node* n, EvalContext& c, bool& null);

bool Bool(const Node* n, EvalContext& c) {
  bool null = false;
  double v = Num(n, c, null);
  return !null && v != 0;
}

double ReadField(const TableData& t, int field, int64_t row, bool& null) { return ReadColumn(t.columns[field], row, null); }

// The [low, high] days of a range node (period, days_before, days_after).
bool Range(const Node* r, EvalContext& c, int32_t& lo, int32_t& hi) {
  if (r->op == Op::kPeriodRange) {
    lo = c.period.start, hi = c.period.end;
    return true;
  }
  bool null = false;
  double d = Num(r->kids[0].get(), c, null);
  double n = Num(r->kids[1].get(), c, null);
  if (null) return false;
  // "the N days ending on d": d-N+1 .. d (so 365 days back is not in);
  // "the N days after d": d+1 .. d+N.
  DaysRange(r->op, d, n, lo, hi);
  return true;
}

// Narrows [begin, end) of a table's rows (sorted by date within a person)
// with the date bounds; false when no row can match.
bool Narrow(const std::vector<DateBound>& bounds, const TableData& t, EvalContext& c, int64_t& begin,
            int64_t& end) {
  if (bounds.empty() || begin >= end || !c.narrow_scans) return begin < end;
  int32_t lo = kMinDate, hi = kMaxDate;
  for (const DateBound& b : bounds) {
    if (b.kind == DateBound::kRange) {
      int32_t l, h;
      if (!Range(b.node, c, l, h)) return false;
      lo = std::max(lo, l), hi = std::min(hi, h);
    } else {
      bool null = false;
      double v = Num(b.node, c, null);
      if (null || std::isnan(v)) return false;  // a comparison with an unknown is false
      // Whole days: date >= v from ceil(v), date > v from floor(v) + 1,
      // date <= v up to floor(v), date < v up to ceil(v) - 1 (adjust is the
      // strict comparisons' +1 / -1).
      double x = b.kind == DateBound::kLow ? (b.adjust > 0 ? std::floor(v) + 1 : std::ceil(v))
                                           : (b.adjust < 0 ? std::ceil(v) - 1 : std::floor(v));
      int32_t day = static_cast<int32_t>(std::clamp(x, static_cast<double>(kMinDate), static_cast<double>(kMaxDate)));
      if (b.kind == DateBound::kLow) lo = std::max(lo, day);
      else hi = std::min(hi, day);
    }
  }
  if (lo > hi) return false;
  const PackedInts& date = t.columns[t.spec->date_field].i32;
  begin = date.LowerBound(begin, end, lo);
  end = date.UpperBound(begin, end, hi);
  return begin < end;
}

// Whether a week scan's answer depends only on the person, the week and
// (kind 2) the period: its condition and value read no record outside the
// scanned rows and no [let] binding.
uint8_t MemoKind(const Node* scan) {
  bool ok = true, period = false;
  auto walk = [&](auto& self, const Node* x) -> void {
    if (!x || !ok) return;
    switch (x->op) {
      case Op::kField: case Op::kRefField: case Op::kRowId: case Op::kActiveAt: case Op::kActiveIn: case Op::kAnswer:
        if (x->depth < scan->depth) ok = false;
        break;
      case Op::kLet: ok = false; break;
      case Op::kPeriodStart: case Op::kPeriodEnd: case Op::kPeriodRange: period = true; break;
      default: break;
    }
    for (const auto& k : x->kids) self(self, k.get());
  };
  for (const auto& k : scan->kids) walk(walk, k.get());
  return ok ? (period ? 2 : 1) : 0;
}

ScanMemo::Entry* MemoSlot(ScanMemo& memo, const Node* n, const EvalContext& c, int32_t week, bool& hit) {
  hit = false;
  uint8_t kind = 0;
  bool known = false;
  for (const auto& [node, k] : memo.kinds)
    if (node == n) kind = k, known = true;
  if (!known) memo.kinds.emplace_back(n, kind = MemoKind(n));
  if (kind == 0) return nullptr;
  int32_t ps = kind == 2 ? c.period.start : 0, pe = kind == 2 ? c.period.end : 0;
  uint64_t h = (reinterpret_cast<uintptr_t>(n) >> 4) * 0x9E3779B97F4A7C15ull + static_cast<uint32_t>(week);
  ScanMemo::Entry& e = memo.slots[(h ^ (h >> 29)) % ScanMemo::kSlots];
  hit = e.node == n && e.person == c.person && e.week == week && e.period_start == ps && e.period_end == pe;
  if (!hit) e.node = n, e.person = c.person, e.week = week, e.period_start = ps, e.period_end = pe;
  return &e;
}

// latest() / first(): the value of the one record meeting the condition
// with the latest (earliest) order date, the table's timeline date unless
// a date is given; of records that tie on it, the one with the lowest id in
// text order (the engine's rule for the case record), so the answer never
// depends on the order the rows were loaded in. A record whose order date
// is unknown is never picked. The value is that record's, unknown when its
// field is empty (an earlier record's is not used instead).
double Pick(const Node* n, const TableData& t, EvalContext& c, int64_t begin, int64_t end, bool& null) {
  const Node* cond = n->kids[0].get();
  const Node* order = n->kids.size() > 2 ? n->kids[2].get() : nullptr;
  const int d = n->depth;
  const bool latest = n->op == Op::kLatest;
  int64_t best = -1;
  double best_day = 0;
  for (int64_t r = begin; r < end; ++r) {
    c.rows[d] = r;
    if (cond && !Bool(cond, c)) continue;
    bool dnull = false;
    const double day = order ? Num(order, c, dnull) : ReadField(t, t.spec->date_field, r, dnull);
    if (dnull) continue;
    if (best < 0 || (latest ? day > best_day : day < best_day) ||
        (day == best_day && t.RecordId(r, *c.snap) < t.RecordId(best, *c.snap)))
      best = r, best_day = day;
  }
  if (best < 0) {
    null = true;
    return 0;
  }
  c.rows[d] = best;
  return Num(n->kids[1].get(), c, null);
}

// median() / percentile(): of the known values of the records meeting the
// condition, the p-th percentile (PercentileOf: Hyndman & Fan's definition
// 7); the median is p = 50 (the mean of the two middle values of an even
// count). Unknown when no record has a value. Order-free: values are sorted.
double Quantile(const Node* n, EvalContext& c, int64_t begin, int64_t end, bool& null) {
  const Node* cond = n->kids[0].get();
  std::vector<double> values;
  for (int64_t r = begin; r < end; ++r) {
    c.rows[n->depth] = r;
    if (cond && !Bool(cond, c)) continue;
    bool vnull = false;
    const double v = Num(n->kids[1].get(), c, vnull);
    if (!vnull) values.push_back(v);
  }
  if (values.empty()) {
    null = true;
    return 0;
  }
  return PercentileOf(values, n->op == Op::kMedian ? 50 : n->num);
}

double Scan(const Node* n, EvalContext& c, bool& null) {
  const TableData& t = c.snap->table(n->table);
  const Node* cond = n->kids[0].get();
  const Node* value = n->kids[1].get();
  int d = n->depth;
  int64_t begin = 0, end = 0;
  if (n->op == Op::kWeekCount || n->op == Op::kWeekSum) {
    // The rows of the same Monday-Sunday week as the current record.
    if (c.person < 0) return 0;
    bool dnull = false;
    double day = ReadField(t, t.spec->date_field, c.rows[d - 1], dnull);
    if (dnull) {
      null = true;
      return 0;
    }
    const int32_t ws = WeekStart(static_cast<int32_t>(day));
    const int32_t sunday = ws <= kMaxDate - 6 ? ws + 6 : kMaxDate;
    bool hit = false;
    ScanMemo::Entry* memo = t_scan_memo ? MemoSlot(*t_scan_memo, n, c, ws, hit) : nullptr;
    if (hit) {
      if (memo->null) null = true;
      return memo->value;
    }
    std::tie(begin, end) = t.PersonRows(c.person);
    const PackedInts& date = t.columns[t.spec->date_field].i32;
    begin = date.LowerBound(begin, end, ws);
    end = date.UpperBound(begin, end, sunday);
    ExactSum sum;
    for (int64_t r = begin; r < end; ++r) {
      c.rows[d] = r;
      if (cond && !Bool(cond, c)) continue;
      bool vnull = false;
      double v = n->op == Op::kWeekCount ? 1 : Num(value, c, vnull);
      if (!vnull) sum.Add(v);
    }
    double acc = 0;
    const bool known = sum.Value(acc);
    if (!known) null = true, acc = 0;
    if (memo) memo->value = acc, memo->null = !known;
    return acc;
  } else {
    if (c.person < 0 || c.person >= static_cast<int32_t>(t.person_start.size()) - 1) {
      if (n->op != Op::kExists && n->op != Op::kCount && n->op != Op::kSum) null = true;
      return 0;
    }
    std::tie(begin, end) = t.PersonRows(c.person);
    if (!Narrow(n->bounds, t, c, begin, end)) begin = end;
  }
  if (n->op == Op::kLatest || n->op == Op::kFirst) return Pick(n, t, c, begin, end, null);
  if (n->op == Op::kMedian || n->op == Op::kPercentile) return Quantile(n, c, begin, end, null);
  // Counts are whole numbers and sums exact (ExactSum), and max and min of
  // finite numbers are order-free: the answer does not depend on the order
  // of the rows.
  double acc = 0;
  bool any = false;
  ExactSum sum;
  for (int64_t r = begin; r < end; ++r) {
    c.rows[d] = r;
    if (cond && !Bool(cond, c)) continue;
    switch (n->op) {
      case Op::kExists: return 1;
      case Op::kCount: acc += 1; break;
      default: {
        bool vnull = false;
        double v = Num(value, c, vnull);
        if (vnull) break;
        if (n->op == Op::kSum) sum.Add(v);
        else if (!any) acc = v;
        else acc = n->op == Op::kMax ? std::max(acc, v) : std::min(acc, v);
        any = true;
      }
    }
  }
  if ((n->op == Op::kMax || n->op == Op::kMin) && !any) null = true;
  if (n->op == Op::kSum && !sum.Value(acc)) null = true, acc = 0;
  return acc;
}

// The lower age of a band such as "65-74" or "85+": its leading digits;
// unknown when there are none (or more than an age has).
double AgeLow(const Node* n, EvalContext& c, bool& null) {
  bool anull = false;
  double v = Num(n->kids[0].get(), c, anull);
  std::string_view s = anull ? std::string_view() : c.snap->Text(static_cast<int32_t>(v));
  int age = 0;
  const bool digit = !s.empty() && s[0] >= '0' && s[0] <= '9';
  auto [end, ec] = std::from_chars(s.data(), s.data() + std::min<size_t>(s.size(), 3), age);
  if (!digit || ec != std::errc() || (end < s.data() + s.size() && *end >= '0' && *end <= '9')) {
    null = true;
    return 0;
  }
  return age;
}

// A [let] binding is a value of the case record (rows[0]): it is compiled
// in the case record's scope, so its own scans use scope depths from 1 up,
// the depths of the scan it may be used in (a let inside exists() over
// another table). Those rows are kept while it is evaluated, so the let
// gives what its expression gives on the case record, and the scan around
// it goes on with its own row.
double Let(const Node* n, EvalContext& c, bool& null) {
  const size_t i = static_cast<size_t>(n->num);
  LetCache* cache = c.let_cache;
  if (cache) {
    cache->Bind(c);
    if (cache->state[i] != 0) {
      if (cache->state[i] == 2) null = true;
      return cache->value[i];
    }
  }
  int64_t saved[kMaxScopes];
  std::copy(std::begin(c.rows), std::end(c.rows), saved);
  bool let_null = false;
  const double v = Num((*c.lets)[i].root(), c, let_null);
  std::copy(std::begin(saved), std::end(saved), c.rows);
  if (cache) cache->value[i] = v, cache->state[i] = let_null ? 2 : 1;
  if (let_null) null = true;
  return v;
}

double Answer(const Node* n, EvalContext& c, bool& null) {
  const TableData& t = c.snap->table(TableId::kSurveyResponses);
  int64_t row = c.rows[n->depth];
  int32_t instrument = t.columns[2].i32[row], collected = t.columns[3].i32[row];
  int32_t item = (*c.text_ids)[static_cast<size_t>(n->num)];
  const PackedInts& date = t.columns[3].i32;
  int64_t begin = 0, end = 0;
  if (c.person >= 0 && c.person + 1 < static_cast<int64_t>(t.person_start.size())) {
    std::tie(begin, end) = t.PersonRows(c.person);
    begin = date.LowerBound(begin, end, collected);
  } else if (!t.person_start.empty()) {
    begin = t.person_start[t.person_start.size() - 1], end = t.rows;  // rows with no person
  }
  // A respondent (person, instrument, day) who gave two different answers
  // to one item has no answer to it: which came first is the load order.
  bool found = false;
  int32_t answer = 0;
  for (int64_t r = begin; r < end; ++r) {
    if (date[r] != collected) {
      if (c.person >= 0) break;  // a person's rows are in date order
      continue;
    }
    if (t.columns[4].i32[r] != item || t.columns[2].i32[r] != instrument) continue;
    const int32_t a = t.columns[5].i32[r];
    if (a == kNullI32 || (found && a != answer)) {
      null = true;
      return 0;
    }
    found = true, answer = a;
  }
  if (!found) null = true;
  return found ? answer : 0;
}

double Num(const Node* n, EvalContext& c, bool& null) {
  switch (n->op) {
    case Op::kConst: return n->num;
    case Op::kTextLit: return (*c.text_ids)[static_cast<size_t>(n->num)];
    case Op::kField: return ReadField(c.snap->table(n->table), n->field, c.rows[n->depth], null);
    case Op::kRefField: {
      const TableData& t = c.snap->table(n->table);
      int32_t target = t.columns[n->field].i32[c.rows[n->depth]];
      if (target < 0) {
        null = true;
        return 0;
      }
      return ReadField(c.snap->table(n->table2), n->field2, target, null);
    }
    case Op::kPersonField:
      if (c.person < 0) {
        null = true;
        return 0;
      }
      return ReadField(c.snap->table(TableId::kPeople), n->field, c.person, null);
    case Op::kRowId: return static_cast<double>(c.rows[n->depth]);
    case Op::kPeriodStart: return c.period.start;
    case Op::kPeriodEnd: return c.period.end;
    case Op::kLet: return Let(n, c, null);
    case Op::kAnd: return Bool(n->kids[0].get(), c) && Bool(n->kids[1].get(), c);
    case Op::kOr: return Bool(n->kids[0].get(), c) || Bool(n->kids[1].get(), c);
    case Op::kNot: return !Bool(n->kids[0].get(), c);
    case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe: {
      bool anull = false;
      double a = Num(n->kids[0].get(), c, anull);
      double b = Num(n->kids[1].get(), c, anull);
      if (anull) return 0;  // a comparison with an unknown value is false
      switch (n->op) {
        case Op::kEq: return a == b;
        case Op::kNe: return a != b;
        case Op::kLt: return a < b;
        case Op::kLe: return a <= b;
        case Op::kGt: return a > b;
        default: return a >= b;
      }
    }
    case Op::kInList: {
      bool anull = false;
      double a = Num(n->kids[0].get(), c, anull);
      if (anull) return 0;
      for (double v : n->list) {
        double w = n->list_text ? (*c.text_ids)[static_cast<size_t>(v)] : v;
        if (a == w) return 1;
      }
      return 0;
    }
    case Op::kInRange: {
      bool anull = false;
      double a = Num(n->kids[0].get(), c, anull);
      int32_t lo, hi;
      if (anull || !Range(n->kids[1].get(), c, lo, hi)) return 0;
      return a >= lo && a <= hi;
    }
    case Op::kBetween: {
      bool anull = false;
      double a = Num(n->kids[0].get(), c, anull);
      double lo = Num(n->kids[1].get(), c, anull);
      double hi = Num(n->kids[2].get(), c, anull);
      return !anull && a >= lo && a <= hi;
    }
    case Op::kIsNull:
    case Op::kNotNull: {
      bool anull = false;
      Num(n->kids[0].get(), c, anull);
      return (n->op == Op::kIsNull) == anull;
    }
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: {
      double a = Num(n->kids[0].get(), c, null);
      double b = Num(n->kids[1].get(), c, null);
      if (null) return 0;
      return Arith(n->op, a, b, null);
    }
    case Op::kNeg: return -Num(n->kids[0].get(), c, null);
    case Op::kExists: case Op::kCount: case Op::kSum: case Op::kMax: case Op::kMin:
    case Op::kWeekCount: case Op::kWeekSum: case Op::kLatest: case Op::kFirst: case Op::kMedian:
    case Op::kPercentile:
      return Scan(n, c, null);
    case Op::kHasGroup: {
      if (c.person < 0) {
        null = true;
        return 0;
      }
      const int32_t mask = c.snap->table(TableId::kPeople).columns[n->field].i32[c.person];
      return (mask >> static_cast<int>(n->num)) & 1;
    }
    case Op::kAddMonths: {
      const double d = Num(n->kids[0].get(), c, null);
      const double m = Num(n->kids[1].get(), c, null);
      int32_t day = 0;
      if (null || !AsDay(d, day)) {
        null = true;
        return 0;
      }
      const double v = ShiftMonths(day, m);
      if (!(v >= kFirstDay && v <= kLastDay)) {
        null = true;  // no day a date can be
        return 0;
      }
      return v;
    }
    case Op::kActiveAt:
    case Op::kActiveIn: {
      // Active at d: started on or before d and not ended before d.
      // Active in [a, b]: started on or before b and not ended before a.
      const TableData& t = c.snap->table(n->table);
      int64_t row = c.rows[n->depth];
      int32_t start = t.columns[n->field].i32[row], end = t.columns[n->field2].i32[row];
      bool anull = false;
      double a = Num(n->kids[0].get(), c, anull);
      double b = n->op == Op::kActiveIn ? Num(n->kids[1].get(), c, anull) : a;
      if (anull || start == kNullI32) return 0;
      return start <= b && (end == kNullI32 || end >= a);
    }
    case Op::kAgeAt: {
      double d = Num(n->kids[0].get(), c, null);
      int32_t day = 0;
      if (null || c.person < 0 || !AsDay(d, day)) {
        null = true;
        return 0;
      }
      int32_t birth = c.snap->table(TableId::kPeople).columns[2].i32[c.person];
      if (birth == kNullI32) {
        null = true;
        return 0;
      }
      return AgeInYears(birth, day);
    }
    case Op::kAnswer: return Answer(n, c, null);
    case Op::kWeekStart: {
      double d = Num(n->kids[0].get(), c, null);
      int32_t day = 0;
      if (null || !AsDay(d, day)) {
        null = true;
        return 0;
      }
      return WeekStart(day);
    }
    case Op::kAgeLow: return AgeLow(n, c, null);
    case Op::kPeriodRange: case Op::kDaysBefore: case Op::kDaysAfter: case Op::kMonthsBefore:
    case Op::kMonthsAfter:
      null = true;  // ranges only appear after 'in'; the compiler enforces it
      return 0;
  }
  return 0;
}

}  // namespace

bool EvalBool(const Expr& e, EvalContext& ctx, int depth) { return Bool(e.root(), ctx); }

bool EvalNodeBool(const Node* n, EvalContext& ctx) { return Bool(n, ctx); }

uint8_t WeekScanMemoKind(const Node* scan) { return MemoKind(scan); }

ScanMemo* CurrentScanMemo() { return t_scan_memo; }

double EvalNodeNumber(const Node* n, EvalContext& ctx, bool& null) { return Num(n, ctx, null); }

bool EvalNodeRange(const Node* range, EvalContext& ctx, int32_t& lo, int32_t& hi) { return Range(range, ctx, lo, hi); }

ScopedScanMemo::ScopedScanMemo(ScanMemo* memo) : previous_(t_scan_memo) { t_scan_memo = memo; }

ScopedScanMemo::~ScopedScanMemo() { t_scan_memo = previous_; }

double EvalNumber(const Expr& e, EvalContext& ctx, int depth, bool& null) {
  null = false;
  return Num(e.root(), ctx, null);
}

std::pair<int64_t, int64_t> CandidateRows(const Expr& cond, TableId table, EvalContext& ctx, int depth) {
  const TableData& t = ctx.snap->table(table);
  if (ctx.person < 0 || ctx.person >= static_cast<int32_t>(t.person_start.size()) - 1) return {0, 0};
  auto [begin, end] = t.PersonRows(ctx.person);
  if (cond.valid() && !Narrow(cond.scan_bounds_, t, ctx, begin, end)) return {begin, begin};
  return {begin, end};
}

//===----------------------------------------------------------------------===//
// Node properties the engine plans with
//===----------------------------------------------------------------------===//

bool PeriodOnly(const Node* n) {
  if (!n) return true;
  switch (n->op) {
    case Op::kField: case Op::kRefField: case Op::kRowId: case Op::kPersonField: case Op::kLet: case Op::kActiveAt:
    case Op::kActiveIn: case Op::kAgeAt: case Op::kAnswer: case Op::kExists: case Op::kCount: case Op::kSum:
    case Op::kMax: case Op::kMin: case Op::kWeekCount: case Op::kWeekSum: case Op::kLatest: case Op::kFirst:
    case Op::kMedian: case Op::kPercentile: case Op::kHasGroup:
      return false;
    default: break;
  }
  for (const auto& k : n->kids)
    if (!PeriodOnly(k.get())) return false;
  return true;
}

bool ReadsPeriod(const Node* n) {
  if (!n) return false;
  switch (n->op) {
    case Op::kPeriodStart: case Op::kPeriodEnd: case Op::kPeriodRange: case Op::kLet: return true;
    default: break;
  }
  for (const auto& k : n->kids)
    if (ReadsPeriod(k.get())) return true;
  return false;
}

}  // namespace goldthread::indicators
