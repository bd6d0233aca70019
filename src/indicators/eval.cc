// Evaluation of compiled expressions (expr.h) against a Snapshot.
#include <algorithm>
#include <cmath>
#include <limits>

#include "indicators/eval_internal.h"
#include "indicators/expr.h"
#include "indicators/expr_node.h"
#include "model/snapshot.h"

namespace goldthread::indicators {
namespace {

thread_local ScanMemo* t_scan_memo = nullptr;

constexpr int32_t kMinDate = std::numeric_limits<int32_t>::min() + 1;
constexpr int32_t kMaxDate = std::numeric_limits<int32_t>::max();

double Num(const Node* n, EvalContext& c, bool& null);

bool Bool(const Node* n, EvalContext& c) {
  bool null = false;
  double v = Num(n, c, null);
  return !null && v != 0;
}

inline double ReadColumn(const Column& col, int64_t row, bool& null) {
  switch (col.type) {
    case FieldType::kAmount:
    case FieldType::kScore: {
      double v = col.f64[row];
      if (std::isnan(v)) null = true;
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
  if (r->op == Op::kDaysBefore) {
    // "the N days ending on d": d-N+1 .. d (so 365 days back is not in).
    lo = static_cast<int32_t>(d - n + 1), hi = static_cast<int32_t>(d);
  } else {
    // "within N days after d": d+1 .. d+N.
    lo = static_cast<int32_t>(d + 1), hi = static_cast<int32_t>(d + n);
  }
  return true;
}

// Narrows [begin, end) of a table's rows (sorted by date within a person)
// with the date bounds; false when no row can match.
bool Narrow(const std::vector<DateBound>& bounds, const TableData& t, EvalContext& c, int64_t& begin,
            int64_t& end) {
  if (bounds.empty() || begin >= end) return begin < end;
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
      case Op::kField: case Op::kRefField: case Op::kActiveAt: case Op::kActiveIn: case Op::kAnswer:
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
    int32_t ws = WeekStart(static_cast<int32_t>(day));
    bool hit = false;
    ScanMemo::Entry* memo = t_scan_memo ? MemoSlot(*t_scan_memo, n, c, ws, hit) : nullptr;
    if (hit) {
      if (memo->null) null = true;
      return memo->value;
    }
    std::tie(begin, end) = t.PersonRows(c.person);
    const PackedInts& date = t.columns[t.spec->date_field].i32;
    begin = date.LowerBound(begin, end, ws);
    end = date.UpperBound(begin, end, ws + 6);
    double acc = 0;
    for (int64_t r = begin; r < end; ++r) {
      c.rows[d] = r;
      if (cond && !Bool(cond, c)) continue;
      if (n->op == Op::kWeekCount) {
        acc += 1;
      } else {
        bool vnull = false;
        double v = Num(value, c, vnull);
        if (!vnull) acc += v;
      }
    }
    if (memo) memo->value = acc, memo->null = false;
    return acc;
  } else {
    if (c.person < 0 || c.person >= static_cast<int32_t>(t.person_start.size()) - 1) {
      if (n->op == Op::kMax || n->op == Op::kMin) null = true;
      return 0;
    }
    std::tie(begin, end) = t.PersonRows(c.person);
    if (!Narrow(n->bounds, t, c, begin, end)) begin = end;
  }
  double acc = 0;
  bool any = false;
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
        if (n->op == Op::kSum) acc += v;
        else if (!any) acc = v;
        else acc = n->op == Op::kMax ? std::max(acc, v) : std::min(acc, v);
        any = true;
      }
    }
  }
  if ((n->op == Op::kMax || n->op == Op::kMin) && !any) null = true;
  return acc;
}

double Answer(const Node* n, EvalContext& c, bool& null) {
  const TableData& t = c.snap->table(TableId::kSurveyResponses);
  int64_t row = c.rows[n->depth];
  int32_t instrument = t.columns[2].i32[row], collected = t.columns[3].i32[row];
  int32_t item = (*c.text_ids)[static_cast<size_t>(n->num)];
  auto [begin, end] = t.PersonRows(c.person);
  const PackedInts& date = t.columns[3].i32;
  begin = date.LowerBound(begin, end, collected);
  for (int64_t r = begin; r < end && date[r] == collected; ++r)
    if (t.columns[4].i32[r] == item && t.columns[2].i32[r] == instrument) return t.columns[5].i32[r];
  null = true;
  return 0;
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
    case Op::kPeriodStart: return c.period.start;
    case Op::kPeriodEnd: return c.period.end;
    case Op::kLet: {
      const Expr& e = (*c.lets)[static_cast<size_t>(n->num)];
      return Num(e.root(), c, null);
    }
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
      switch (n->op) {
        case Op::kAdd: return a + b;
        case Op::kSub: return a - b;
        case Op::kMul: return a * b;
        default:
          if (b == 0) {
            null = true;
            return 0;
          }
          return a / b;
      }
    }
    case Op::kNeg: return -Num(n->kids[0].get(), c, null);
    case Op::kExists: case Op::kCount: case Op::kSum: case Op::kMax: case Op::kMin:
    case Op::kWeekCount: case Op::kWeekSum:
      return Scan(n, c, null);
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
      if (null || c.person < 0) {
        null = true;
        return 0;
      }
      int32_t birth = c.snap->table(TableId::kPeople).columns[2].i32[c.person];
      if (birth == kNullI32) {
        null = true;
        return 0;
      }
      return AgeInYears(birth, static_cast<int32_t>(d));
    }
    case Op::kAnswer: return Answer(n, c, null);
    case Op::kWeekStart: {
      double d = Num(n->kids[0].get(), c, null);
      return null ? 0 : WeekStart(static_cast<int32_t>(d));
    }
    case Op::kAgeLow: {
      bool anull = false;
      double v = Num(n->kids[0].get(), c, anull);
      std::string_view s = anull ? std::string_view() : c.snap->Text(static_cast<int32_t>(v));
      size_t i = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == 0) {
        null = true;
        return 0;
      }
      return std::stoi(std::string(s.substr(0, i)));
    }
    case Op::kPeriodRange: case Op::kDaysBefore: case Op::kDaysAfter:
      null = true;  // ranges only appear after 'in'; the compiler enforces it
      return 0;
  }
  return 0;
}

}  // namespace

bool EvalBool(const Expr& e, EvalContext& ctx, int depth) { return Bool(e.root(), ctx); }

bool EvalNodeBool(const Node* n, EvalContext& ctx) { return Bool(n, ctx); }

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
    case Op::kField: case Op::kRefField: case Op::kPersonField: case Op::kLet: case Op::kActiveAt:
    case Op::kActiveIn: case Op::kAgeAt: case Op::kAnswer: case Op::kExists: case Op::kCount: case Op::kSum:
    case Op::kMax: case Op::kMin: case Op::kWeekCount: case Op::kWeekSum:
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

//===----------------------------------------------------------------------===//
// FastCond: each shape below mirrors its case in Num() exactly, including
// which values are unknown and how an unknown propagates.
//===----------------------------------------------------------------------===//

struct FastCond::Operand {
  enum Kind : uint8_t {
    kConst, kPeriod, kField, kRef, kPerson, kWeekStart, kAgeAt, kArith, kWeekScan, kNode
  } kind = kNode;
  Op op = Op::kConst;              // kArith: kAdd, kSub, kMul, kDiv, kNeg
  double value = 0;                // kConst
  std::vector<double> per;         // kPeriod: the value in each period
  std::vector<uint8_t> per_null;   // kPeriod: unknown in that period
  int depth = 0;                   // kField, kRef: the record's scope depth
  const Column* col = nullptr;     // kField, kPerson: the field; kRef: the reference
  const Column* target = nullptr;  // kRef: the referenced field
  const Column* birth = nullptr;   // kAgeAt
  std::unique_ptr<Operand> a, b;   // kWeekStart, kAgeAt: a; kArith: a, b; kWeekScan: b the value
  std::unique_ptr<Cond> cond;      // kWeekScan: the condition, or null
  const Column* dates = nullptr;   // kWeekScan: the scanned table's timeline
  const TableData* table = nullptr;  // kWeekScan: the scanned table
  const Node* node = nullptr;      // kNode; kWeekScan: the scan
};

struct FastCond::Cond {
  enum Kind : uint8_t {
    kCmp, kInList, kInRange, kBetween, kIsNull, kNotNull, kTruth, kAnd, kOr, kNot, kNode
  } kind = kNode;
  Op op = Op::kConst;      // kCmp: kEq .. kGe; kInRange: the range's op
  Operand a, b, c;         // kCmp: a op b; kBetween: a in [b, c]; kInRange: a in (b, c)
  std::vector<double> list;                    // kInList, text literals resolved
  bool range_by_period = false;                // kInRange: lo/hi/ok per period
  std::vector<int32_t> lo, hi;
  std::vector<uint8_t> range_ok;
  std::unique_ptr<Cond> x, y;  // kAnd, kOr: x, y; kNot: x
  const Node* node = nullptr;  // kNode
};

namespace {

using Operand = FastCond::Operand;
using Cond = FastCond::Cond;

struct CompileEnv2 {
  const Snapshot& snap;
  const std::vector<Period>& periods;
  const std::vector<int32_t>& text_ids;
  EvalContext At(size_t k) const {
    EvalContext c;
    c.snap = &snap;
    c.period = periods[k];
    c.text_ids = &text_ids;
    return c;
  }
};

bool Readable(const Column& col) { return col.type != FieldType::kId; }

std::unique_ptr<Cond> CompileCond(const Node* n, const CompileEnv2& env);
bool Check(const Cond& q, EvalContext& c, size_t k);

void CompileOperand(const Node* n, const CompileEnv2& env, Operand& o) {
  o.node = n;
  const Snapshot& snap = env.snap;
  switch (n->op) {
    case Op::kConst: o.kind = Operand::kConst, o.value = n->num; return;
    case Op::kTextLit: o.kind = Operand::kConst, o.value = env.text_ids[static_cast<size_t>(n->num)]; return;
    case Op::kField: {
      const Column& col = snap.table(n->table).columns[n->field];
      if (Readable(col)) o.kind = Operand::kField, o.col = &col, o.depth = n->depth;
      return;
    }
    case Op::kRefField: {
      const Column& target = snap.table(n->table2).columns[n->field2];
      if (Readable(target))
        o.kind = Operand::kRef, o.col = &snap.table(n->table).columns[n->field], o.target = &target, o.depth = n->depth;
      return;
    }
    case Op::kPersonField: {
      const Column& col = snap.table(TableId::kPeople).columns[n->field];
      if (Readable(col)) o.kind = Operand::kPerson, o.col = &col;
      return;
    }
    default: break;
  }
  if (n->ty != Ty::kRange && PeriodOnly(n)) {
    o.kind = Operand::kPeriod;
    o.per.resize(env.periods.size());
    o.per_null.resize(env.periods.size());
    for (size_t k = 0; k < env.periods.size(); ++k) {
      EvalContext c = env.At(k);
      bool null = false;
      o.per[k] = Num(n, c, null);
      o.per_null[k] = null;
    }
    return;
  }
  switch (n->op) {
    case Op::kWeekStart:
    case Op::kAgeAt:
      o.kind = n->op == Op::kWeekStart ? Operand::kWeekStart : Operand::kAgeAt;
      o.a = std::make_unique<Operand>();
      CompileOperand(n->kids[0].get(), env, *o.a);
      if (o.kind == Operand::kAgeAt) o.birth = &snap.table(TableId::kPeople).columns[2];
      return;
    case Op::kWeekCount: case Op::kWeekSum:
      // Only a scan whose answer is the same for every record of the week.
      if (MemoKind(n) != 1) return;
      o.kind = Operand::kWeekScan, o.op = n->op, o.depth = n->depth;
      o.table = &snap.table(n->table);
      o.dates = &o.table->columns[o.table->spec->date_field];
      if (n->kids[0]) o.cond = CompileCond(n->kids[0].get(), env);
      if (n->op == Op::kWeekSum) {
        o.b = std::make_unique<Operand>();
        CompileOperand(n->kids[1].get(), env, *o.b);
      }
      return;
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kNeg:
      o.kind = Operand::kArith, o.op = n->op;
      o.a = std::make_unique<Operand>();
      CompileOperand(n->kids[0].get(), env, *o.a);
      if (n->op != Op::kNeg) {
        o.b = std::make_unique<Operand>();
        CompileOperand(n->kids[1].get(), env, *o.b);
      }
      return;
    default: break;  // kNode
  }
}

double Value(const Operand& o, EvalContext& c, size_t k, bool& null);

// week_count / week_sum as Scan() computes them (the same rows, summed in
// the same order), with the person's rows indexed by week once, and each
// week's answer kept once computed.
[[gnu::noinline]] double WeekScan(const Operand& o, EvalContext& c, size_t k, bool& null) {
  if (c.person < 0) return 0;
  ScanMemo* memo = t_scan_memo;
  if (!memo) return Num(o.node, c, null);
  // The record's week: read, as Scan() does, with the scanned table's date.
  const PackedInts& dates = o.dates->i32;
  int32_t day = dates[c.rows[o.depth - 1]];
  if (day == kNullI32) {
    null = true;
    return 0;
  }
  ScanMemo::WeekTable* wt = nullptr;
  for (ScanMemo::WeekTable& w : memo->week_tables)
    if (w.scan == &o) wt = &w;
  if (!wt) {
    memo->week_tables.emplace_back();
    wt = &memo->week_tables.back();
    wt->scan = &o;
  }
  if (wt->person != c.person) {
    wt->person = c.person;
    wt->first_row.clear();
    auto [begin, end] = o.table->PersonRows(c.person);
    while (begin < end && dates[begin] == kNullI32) ++begin;  // in no week; sorted first
    if (begin < end) {
      wt->first_monday = WeekStart(dates[begin]);
      const size_t weeks = static_cast<size_t>((WeekStart(dates[end - 1]) - wt->first_monday) / 7 + 1);
      wt->first_row.assign(weeks + 1, end);
      for (int64_t r = end - 1; r >= begin; --r)
        wt->first_row[static_cast<size_t>((WeekStart(dates[r]) - wt->first_monday) / 7)] = r;
      for (size_t w = weeks; w-- > 0;) wt->first_row[w] = std::min(wt->first_row[w], wt->first_row[w + 1]);
      wt->answer.assign(weeks, 0);
      wt->known.assign(weeks, 0);
    }
  }
  const int32_t monday = WeekStart(day);
  if (wt->first_row.empty() || monday < wt->first_monday) return 0;
  const size_t w = static_cast<size_t>((monday - wt->first_monday) / 7);
  if (w >= wt->answer.size()) return 0;
  if (!wt->known[w]) {
    double acc = 0;
    const int64_t saved = c.rows[o.depth];
    for (int64_t r = wt->first_row[w]; r < wt->first_row[w + 1]; ++r) {
      c.rows[o.depth] = r;
      if (o.cond && !Check(*o.cond, c, k)) continue;
      if (o.op == Op::kWeekCount) {
        acc += 1;
      } else {
        bool vnull = false;
        double v = Value(*o.b, c, k, vnull);
        if (!vnull) acc += v;
      }
    }
    c.rows[o.depth] = saved;
    wt->answer[w] = acc, wt->known[w] = 1;
  }
  return wt->answer[w];
}

// The operands read per record are handled in Value(); the rest in Derived(),
// kept out of line so Value() stays small.
[[gnu::noinline]] double Derived(const Operand& o, EvalContext& c, size_t k, bool& null) {
  switch (o.kind) {
    case Operand::kWeekStart: {
      double d = Value(*o.a, c, k, null);
      return null ? 0 : WeekStart(static_cast<int32_t>(d));
    }
    case Operand::kAgeAt: {
      double d = Value(*o.a, c, k, null);
      if (null || c.person < 0) {
        null = true;
        return 0;
      }
      int32_t birth = o.birth->i32[c.person];
      if (birth == kNullI32) {
        null = true;
        return 0;
      }
      return AgeInYears(birth, static_cast<int32_t>(d));
    }
    case Operand::kArith: {
      if (o.op == Op::kNeg) return -Value(*o.a, c, k, null);
      double a = Value(*o.a, c, k, null);
      double b = Value(*o.b, c, k, null);
      if (null) return 0;
      switch (o.op) {
        case Op::kAdd: return a + b;
        case Op::kSub: return a - b;
        case Op::kMul: return a * b;
        default:
          if (b == 0) {
            null = true;
            return 0;
          }
          return a / b;
      }
    }
    case Operand::kWeekScan: return WeekScan(o, c, k, null);
    default: return Num(o.node, c, null);
  }
}

double Value(const Operand& o, EvalContext& c, size_t k, bool& null) {
  switch (o.kind) {
    case Operand::kConst: return o.value;
    case Operand::kPeriod:
      if (o.per_null[k]) null = true;
      return o.per[k];
    case Operand::kField: return ReadColumn(*o.col, c.rows[o.depth], null);
    case Operand::kRef: {
      int32_t target = o.col->i32[c.rows[o.depth]];
      if (target < 0) {
        null = true;
        return 0;
      }
      return ReadColumn(*o.target, target, null);
    }
    case Operand::kPerson:
      if (c.person < 0) {
        null = true;
        return 0;
      }
      return ReadColumn(*o.col, c.person, null);
    default: return Derived(o, c, k, null);
  }
}

bool Interpreted(const Cond& q);

bool Interpreted(const Operand& o) {
  return o.kind == Operand::kNode || (o.a && Interpreted(*o.a)) || (o.b && Interpreted(*o.b)) ||
         (o.cond && Interpreted(*o.cond));
}

std::unique_ptr<Cond> CompileCond(const Node* n, const CompileEnv2& env) {
  auto q = std::make_unique<Cond>();
  q->node = n;
  switch (n->op) {
    case Op::kAnd: case Op::kOr:
      q->kind = n->op == Op::kAnd ? Cond::kAnd : Cond::kOr;
      q->x = CompileCond(n->kids[0].get(), env);
      q->y = CompileCond(n->kids[1].get(), env);
      break;
    case Op::kNot:
      q->kind = Cond::kNot;
      q->x = CompileCond(n->kids[0].get(), env);
      break;
    case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe:
      q->kind = Cond::kCmp, q->op = n->op;
      CompileOperand(n->kids[0].get(), env, q->a);
      CompileOperand(n->kids[1].get(), env, q->b);
      break;
    case Op::kInList:
      q->kind = Cond::kInList;
      CompileOperand(n->kids[0].get(), env, q->a);
      for (double v : n->list) q->list.push_back(n->list_text ? env.text_ids[static_cast<size_t>(v)] : v);
      break;
    case Op::kInRange: {
      const Node* r = n->kids[1].get();
      q->kind = Cond::kInRange, q->op = r->op;
      CompileOperand(n->kids[0].get(), env, q->a);
      if (PeriodOnly(r)) {
        q->range_by_period = true;
        for (size_t k = 0; k < env.periods.size(); ++k) {
          EvalContext c = env.At(k);
          int32_t lo = 0, hi = 0;
          q->range_ok.push_back(Range(r, c, lo, hi));
          q->lo.push_back(lo), q->hi.push_back(hi);
        }
      } else if (r->op == Op::kDaysBefore || r->op == Op::kDaysAfter) {
        CompileOperand(r->kids[0].get(), env, q->b);
        CompileOperand(r->kids[1].get(), env, q->c);
      } else {
        q->kind = Cond::kNode;
      }
      break;
    }
    case Op::kBetween:
      q->kind = Cond::kBetween;
      CompileOperand(n->kids[0].get(), env, q->a);
      CompileOperand(n->kids[1].get(), env, q->b);
      CompileOperand(n->kids[2].get(), env, q->c);
      break;
    case Op::kIsNull: case Op::kNotNull:
      q->kind = n->op == Op::kIsNull ? Cond::kIsNull : Cond::kNotNull;
      CompileOperand(n->kids[0].get(), env, q->a);
      break;
    case Op::kConst: case Op::kField: case Op::kRefField: case Op::kPersonField:
      q->kind = Cond::kTruth;
      CompileOperand(n, env, q->a);
      break;
    default: break;  // kNode
  }
  return q;
}

bool Check(const Cond& q, EvalContext& c, size_t k) {
  switch (q.kind) {
    case Cond::kCmp: {
      bool anull = false;
      double a = Value(q.a, c, k, anull);
      double b = Value(q.b, c, k, anull);
      if (anull) return false;  // a comparison with an unknown value is false
      switch (q.op) {
        case Op::kEq: return a == b;
        case Op::kNe: return a != b;
        case Op::kLt: return a < b;
        case Op::kLe: return a <= b;
        case Op::kGt: return a > b;
        default: return a >= b;
      }
    }
    case Cond::kInList: {
      bool anull = false;
      double a = Value(q.a, c, k, anull);
      if (anull) return false;
      for (double w : q.list)
        if (a == w) return true;
      return false;
    }
    case Cond::kInRange: {
      bool anull = false;
      double a = Value(q.a, c, k, anull);
      if (anull) return false;
      int32_t lo, hi;
      if (q.range_by_period) {
        if (!q.range_ok[k]) return false;
        lo = q.lo[k], hi = q.hi[k];
      } else {
        bool null = false;
        double d = Value(q.b, c, k, null);
        double n = Value(q.c, c, k, null);
        if (null) return false;
        if (q.op == Op::kDaysBefore) lo = static_cast<int32_t>(d - n + 1), hi = static_cast<int32_t>(d);
        else lo = static_cast<int32_t>(d + 1), hi = static_cast<int32_t>(d + n);
      }
      return a >= lo && a <= hi;
    }
    case Cond::kBetween: {
      bool anull = false;
      double a = Value(q.a, c, k, anull);
      double lo = Value(q.b, c, k, anull);
      double hi = Value(q.c, c, k, anull);
      return !anull && a >= lo && a <= hi;
    }
    case Cond::kIsNull:
    case Cond::kNotNull: {
      bool anull = false;
      Value(q.a, c, k, anull);
      return (q.kind == Cond::kIsNull) == anull;
    }
    case Cond::kTruth: {
      bool null = false;
      double v = Value(q.a, c, k, null);
      return !null && v != 0;
    }
    case Cond::kAnd: return Check(*q.x, c, k) && Check(*q.y, c, k);
    case Cond::kOr: return Check(*q.x, c, k) || Check(*q.y, c, k);
    case Cond::kNot: return !Check(*q.x, c, k);
    case Cond::kNode: return Bool(q.node, c);
  }
  return false;
}

bool Interpreted(const Cond& q) {
  if (q.kind == Cond::kNode) return true;
  if ((q.x && Interpreted(*q.x)) || (q.y && Interpreted(*q.y))) return true;
  switch (q.kind) {
    case Cond::kCmp: return Interpreted(q.a) || Interpreted(q.b);
    case Cond::kBetween: return Interpreted(q.a) || Interpreted(q.b) || Interpreted(q.c);
    case Cond::kInRange: return Interpreted(q.a) || (!q.range_by_period && (Interpreted(q.b) || Interpreted(q.c)));
    case Cond::kInList: case Cond::kIsNull: case Cond::kNotNull: case Cond::kTruth: return Interpreted(q.a);
    default: return false;
  }
}

}  // namespace

FastCond::FastCond() = default;
FastCond::FastCond(FastCond&&) noexcept = default;
FastCond& FastCond::operator=(FastCond&&) noexcept = default;
FastCond::~FastCond() = default;

FastCond FastCond::Compile(const Node* n, const Snapshot& snap, const std::vector<Period>& periods,
                           const std::vector<int32_t>& text_ids) {
  FastCond f;
  f.cond_ = CompileCond(n, CompileEnv2{snap, periods, text_ids});
  return f;
}

bool FastCond::Eval(EvalContext& c, size_t k) const { return Check(*cond_, c, k); }

bool FastCond::interpreted() const { return Interpreted(*cond_); }

}  // namespace goldthread::indicators
