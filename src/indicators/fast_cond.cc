// FastCond (fast_cond.h): conditions compiled from the node tree.
#include "indicators/fast_cond.h"

#include <algorithm>
#include <cmath>

#include "indicators/exact_sum.h"
#include "indicators/expr_node.h"
#include "model/snapshot.h"

namespace goldthread::indicators {

//===----------------------------------------------------------------------===//
// Each shape below mirrors its case in Num() (eval.cc) exactly, including
// which values are unknown and how an unknown propagates.
//===----------------------------------------------------------------------===//

struct FastCond::Operand {
  enum class Kind : uint8_t {
    kConst,
    kPeriod,
    kField,
    kRef,
    kPerson,
    kWeekStart,
    kAgeAt,
    kArith,
    kWeekScan,
    kNode
  } kind = kNode;
  using enum Kind;
  Op op = Op::kConst;                // kArith: kAdd, kSub, kMul, kDiv, kNeg
  double value = 0;                  // kConst
  std::vector<double> per;           // kPeriod: the value in each period
  std::vector<uint8_t> per_null;     // kPeriod: unknown in that period
  int depth = 0;                     // kField, kRef: the record's scope depth
  const Column* col = nullptr;       // kField, kPerson: the field; kRef: the reference
  const Column* target = nullptr;    // kRef: the referenced field
  const Column* birth = nullptr;     // kAgeAt
  std::unique_ptr<Operand> a, b;     // kWeekStart, kAgeAt: a; kArith: a, b; kWeekScan: b the value
  std::unique_ptr<Cond> cond;        // kWeekScan: the condition, or null
  const Column* dates = nullptr;     // kWeekScan: the scanned table's timeline
  const TableData* table = nullptr;  // kWeekScan: the scanned table
  const Node* node = nullptr;        // kNode; kWeekScan: the scan
};

struct FastCond::Cond {
  enum class Kind : uint8_t {
    kCmp,
    kInList,
    kInRange,
    kBetween,
    kIsNull,
    kNotNull,
    kTruth,
    kAnd,
    kOr,
    kNot,
    kNode
  } kind = kNode;
  using enum Kind;
  Op op = Op::kConst;            // kCmp: kEq .. kGe; kInRange: the range's op
  Operand a, b, c;               // kCmp: a op b; kBetween: a in [b, c]; kInRange: a in (b, c)
  std::vector<double> list;      // kInList, text literals resolved
  bool range_by_period = false;  // kInRange: lo/hi/ok per period
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
    case Op::kConst:
      o.kind = Operand::kConst, o.value = n->num;
      return;
    case Op::kTextLit:
      o.kind = Operand::kConst, o.value = env.text_ids[static_cast<size_t>(n->num)];
      return;
    case Op::kField: {
      const Column& col = snap.table(n->table).columns[n->field];
      if (Readable(col)) o.kind = Operand::kField, o.col = &col, o.depth = n->depth;
      return;
    }
    case Op::kRefField: {
      const Column& target = snap.table(n->table2).columns[n->field2];
      if (Readable(target))
        o.kind = Operand::kRef, o.col = &snap.table(n->table).columns[n->field], o.target = &target,
        o.depth = n->depth;
      return;
    }
    case Op::kPersonField: {
      const Column& col = snap.table(TableId::kPeople).columns[n->field];
      if (Readable(col)) o.kind = Operand::kPerson, o.col = &col;
      return;
    }
    default:
      break;
  }
  if (n->ty != Ty::kRange && PeriodOnly(n)) {
    o.kind = Operand::kPeriod;
    o.per.resize(env.periods.size());
    o.per_null.resize(env.periods.size());
    for (size_t k = 0; k < env.periods.size(); ++k) {
      EvalContext c = env.At(k);
      bool null = false;
      o.per[k] = EvalNodeNumber(n, c, null);
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
    case Op::kWeekCount:
    case Op::kWeekSum:
      // Only a scan whose answer is the same for every record of the week.
      if (WeekScanMemoKind(n) != 1) return;
      o.kind = Operand::kWeekScan, o.op = n->op, o.depth = n->depth;
      o.table = &snap.table(n->table);
      o.dates = &o.table->columns[o.table->spec->date_field];
      if (n->kids[0]) o.cond = CompileCond(n->kids[0].get(), env);
      if (n->op == Op::kWeekSum) {
        o.b = std::make_unique<Operand>();
        CompileOperand(n->kids[1].get(), env, *o.b);
      }
      return;
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kNeg:
      o.kind = Operand::kArith, o.op = n->op;
      o.a = std::make_unique<Operand>();
      CompileOperand(n->kids[0].get(), env, *o.a);
      if (n->op != Op::kNeg) {
        o.b = std::make_unique<Operand>();
        CompileOperand(n->kids[1].get(), env, *o.b);
      }
      return;
    default:
      break;  // kNode
  }
}

double Value(const Operand& o, EvalContext& c, size_t k, bool& null);

// week_count / week_sum as Scan() computes them (the same rows, summed in
// the same order), with the person's rows indexed by week once, and each
// week's answer kept once computed.
[[gnu::noinline]] double WeekScan(const Operand& o, EvalContext& c, size_t k, bool& null) {
  if (c.person < 0) return 0;
  ScanMemo* memo = CurrentScanMemo();
  if (!memo) return EvalNodeNumber(o.node, c, null);
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
    // The weeks that have rows, each with its first row: as many as the
    // person has rows at most, whatever span of dates they cover.
    wt->person = c.person;
    wt->mondays.clear();
    wt->first_row.clear();
    wt->last = 0;
    auto [begin, end] = o.table->PersonRows(c.person);
    while (begin < end && dates[begin] == kNullI32) ++begin;  // in no week; sorted first
    for (int64_t r = begin; r < end; ++r) {  // rows are in date order
      const int32_t m = WeekStart(dates[r]);
      if (wt->mondays.empty() || wt->mondays.back() != m) {
        wt->mondays.push_back(m);
        wt->first_row.push_back(r);
      }
    }
    wt->first_row.push_back(end);
    wt->answer.assign(wt->mondays.size(), 0);
    wt->known.assign(wt->mondays.size(), 0);
  }
  const int32_t monday = WeekStart(day);
  size_t w = wt->last;
  if (w >= wt->mondays.size() || wt->mondays[w] != monday) {
    auto it = std::lower_bound(wt->mondays.begin(), wt->mondays.end(), monday);
    if (it == wt->mondays.end() || *it != monday) return 0;  // no row in that week
    w = wt->last = static_cast<size_t>(it - wt->mondays.begin());
  }
  if (!wt->known[w]) {
    // As Scan() sums: exactly, so the order of the week's rows is no matter.
    ExactSum sum;
    const int64_t saved = c.rows[o.depth];
    for (int64_t r = wt->first_row[w]; r < wt->first_row[w + 1]; ++r) {
      c.rows[o.depth] = r;
      if (o.cond && !Check(*o.cond, c, k)) continue;
      bool vnull = false;
      double v = o.op == Op::kWeekCount ? 1 : Value(*o.b, c, k, vnull);
      if (!vnull) sum.Add(v);
    }
    c.rows[o.depth] = saved;
    double acc = 0;
    const bool known = sum.Value(acc);
    wt->answer[w] = known ? acc : 0, wt->known[w] = known ? 1 : 2;
  }
  if (wt->known[w] == 2) null = true;
  return wt->answer[w];
}

// The operands read per record are handled in Value(); the rest in Derived(),
// kept out of line so Value() stays small.
[[gnu::noinline]] double Derived(const Operand& o, EvalContext& c, size_t k, bool& null) {
  switch (o.kind) {
    case Operand::kWeekStart: {
      double d = Value(*o.a, c, k, null);
      int32_t day = 0;
      if (null || !AsDay(d, day)) {
        null = true;
        return 0;
      }
      return WeekStart(day);
    }
    case Operand::kAgeAt: {
      double d = Value(*o.a, c, k, null);
      int32_t day = 0;
      if (null || c.person < 0 || !AsDay(d, day)) {
        null = true;
        return 0;
      }
      int32_t birth = o.birth->i32[c.person];
      if (birth == kNullI32) {
        null = true;
        return 0;
      }
      return AgeInYears(birth, day);
    }
    case Operand::kArith: {
      if (o.op == Op::kNeg) return -Value(*o.a, c, k, null);
      double a = Value(*o.a, c, k, null);
      double b = Value(*o.b, c, k, null);
      if (null) return 0;
      return Arith(o.op, a, b, null);
    }
    case Operand::kWeekScan:
      return WeekScan(o, c, k, null);
    default:
      return EvalNodeNumber(o.node, c, null);
  }
}

double Value(const Operand& o, EvalContext& c, size_t k, bool& null) {
  switch (o.kind) {
    case Operand::kConst:
      return o.value;
    case Operand::kPeriod:
      if (o.per_null[k]) null = true;
      return o.per[k];
    case Operand::kField:
      return ReadColumn(*o.col, c.rows[o.depth], null);
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
    default:
      return Derived(o, c, k, null);
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
    case Op::kAnd:
    case Op::kOr:
      q->kind = n->op == Op::kAnd ? Cond::kAnd : Cond::kOr;
      q->x = CompileCond(n->kids[0].get(), env);
      q->y = CompileCond(n->kids[1].get(), env);
      break;
    case Op::kNot:
      q->kind = Cond::kNot;
      q->x = CompileCond(n->kids[0].get(), env);
      break;
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
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
          q->range_ok.push_back(EvalNodeRange(r, c, lo, hi));
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
    case Op::kIsNull:
    case Op::kNotNull:
      q->kind = n->op == Op::kIsNull ? Cond::kIsNull : Cond::kNotNull;
      CompileOperand(n->kids[0].get(), env, q->a);
      break;
    case Op::kConst:
    case Op::kField:
    case Op::kRefField:
    case Op::kPersonField:
      q->kind = Cond::kTruth;
      CompileOperand(n, env, q->a);
      break;
    default:
      break;  // kNode
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
        case Op::kEq:
          return a == b;
        case Op::kNe:
          return a != b;
        case Op::kLt:
          return a < b;
        case Op::kLe:
          return a <= b;
        case Op::kGt:
          return a > b;
        default:
          return a >= b;
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
        DaysRange(q.op, d, n, lo, hi);
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
    case Cond::kAnd:
      return Check(*q.x, c, k) && Check(*q.y, c, k);
    case Cond::kOr:
      return Check(*q.x, c, k) || Check(*q.y, c, k);
    case Cond::kNot:
      return !Check(*q.x, c, k);
    case Cond::kNode:
      return EvalNodeBool(q.node, c);
  }
  return false;
}

bool Interpreted(const Cond& q) {
  if (q.kind == Cond::kNode) return true;
  if ((q.x && Interpreted(*q.x)) || (q.y && Interpreted(*q.y))) return true;
  switch (q.kind) {
    case Cond::kCmp:
      return Interpreted(q.a) || Interpreted(q.b);
    case Cond::kBetween:
      return Interpreted(q.a) || Interpreted(q.b) || Interpreted(q.c);
    case Cond::kInRange:
      return Interpreted(q.a) || (!q.range_by_period && (Interpreted(q.b) || Interpreted(q.c)));
    case Cond::kInList:
    case Cond::kIsNull:
    case Cond::kNotNull:
    case Cond::kTruth:
      return Interpreted(q.a);
    default:
      return false;
  }
}

}  // namespace

FastCond::FastCond() = default;
FastCond::FastCond(FastCond&&) noexcept = default;
FastCond& FastCond::operator=(FastCond&&) noexcept = default;
FastCond::~FastCond() = default;

FastCond FastCond::Compile(const Node* n, const Snapshot& snap, const std::vector<Period>& periods,
                           const std::vector<int32_t>& text_ids, bool compiled) {
  FastCond f;
  if (compiled) {
    f.cond_ = CompileCond(n, CompileEnv2{snap, periods, text_ids});
  } else {
    f.cond_ = std::make_unique<Cond>();
    f.cond_->node = n;  // kNode: the node evaluator
  }
  return f;
}

bool FastCond::Eval(EvalContext& c, size_t k) const { return Check(*cond_, c, k); }

bool FastCond::interpreted() const { return Interpreted(*cond_); }

}  // namespace goldthread::indicators
