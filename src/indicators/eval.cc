// Evaluation of compiled expressions (expr.h) against a Snapshot.
#include <algorithm>
#include <cmath>
#include <limits>

#include "indicators/expr.h"
#include "indicators/expr_node.h"
#include "model/snapshot.h"

namespace goldthread::indicators {
namespace {

constexpr int32_t kMinDate = std::numeric_limits<int32_t>::min() + 1;
constexpr int32_t kMaxDate = std::numeric_limits<int32_t>::max();

double Num(const Node* n, EvalContext& c, bool& null);

bool Bool(const Node* n, EvalContext& c) {
  bool null = false;
  double v = Num(n, c, null);
  return !null && v != 0;
}

double ReadField(const TableData& t, int field, int64_t row, bool& null) {
  const Column& col = t.columns[field];
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
      if (null) return false;
      int32_t x = static_cast<int32_t>(v) + b.adjust;
      if (b.kind == DateBound::kLow) lo = std::max(lo, x);
      else hi = std::min(hi, x);
    }
  }
  if (lo > hi) return false;
  const int32_t* date = t.columns[t.spec->date_field].i32.data();
  begin = std::lower_bound(date + begin, date + end, lo) - date;
  end = std::upper_bound(date + begin, date + end, hi) - date;
  return begin < end;
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
    std::tie(begin, end) = t.PersonRows(c.person);
    const int32_t* date = t.columns[t.spec->date_field].i32.data();
    int32_t ws = WeekStart(static_cast<int32_t>(day));
    begin = std::lower_bound(date + begin, date + end, ws) - date;
    end = std::upper_bound(date + begin, date + end, ws + 6) - date;
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
      case Op::kCount:
      case Op::kWeekCount: acc += 1; break;
      default: {
        bool vnull = false;
        double v = Num(value, c, vnull);
        if (vnull) break;
        if (n->op == Op::kSum || n->op == Op::kWeekSum) acc += v;
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
  const int32_t* date = t.columns[3].i32.data();
  begin = std::lower_bound(date + begin, date + end, collected) - date;
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

}  // namespace goldthread::indicators
