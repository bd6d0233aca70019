#include "indicators/engine_plan.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "indicators/expr_node.h"

namespace goldthread::indicators::internal {

//===----------------------------------------------------------------------===//
// Cut groups
//===----------------------------------------------------------------------===//

int AgeBandIndex(int32_t birth, Date on) {
  if (birth == kNullI32) return 5;
  int age = AgeInYears(birth, on);
  return age < 18 ? 0 : age < 65 ? 1 : age < 75 ? 2 : age < 85 ? 3 : 4;
}

GroupLayout LayoutFor(const Definition& d) {
  GroupLayout g;
  g.labels.push_back("all");
  const TableSpec& people = Table(TableId::kPeople);
  for (Cut c : d.cuts) {
    g.offset.push_back(static_cast<int>(g.labels.size()));
    std::string prefix = std::string(CutName(c)) + ":";
    auto add_codes = [&](int field) {
      for (std::string_view code : people.fields[field].codes) g.labels.push_back(prefix + std::string(code));
    };
    switch (c) {
      case Cut::kAgeBand:
        for (std::string_view b : kAgeBands) g.labels.push_back(prefix + std::string(b));
        break;
      case Cut::kSex:
        add_codes(kSexField);
        break;
      case Cut::kEthnicity:
        add_codes(kEthnicityField);
        break;
      case Cut::kPrimarySupportReason:
        add_codes(kReasonField);
        break;
      case Cut::kCarerGroup:
        add_codes(kGroupsField);
        break;
    }
  }
  return g;
}

void GroupsOf(const Snapshot& snap, int32_t person, int age_band, const Definition& d, const GroupLayout& g,
              std::vector<int>& out) {
  out.clear();
  out.push_back(0);
  if (person < 0) return;
  const TableData& p = snap.table(TableId::kPeople);
  auto code_or_unknown = [&](int field) {
    int32_t v = p.columns[field].i32[person];
    if (v >= 0) return static_cast<int>(v);
    // Unknown maps to the list's own unknown code ("U" for sex).
    std::span<const std::string_view> codes = Table(TableId::kPeople).fields[field].codes;
    for (size_t i = 0; i < codes.size(); ++i)
      if (codes[i] == "unknown" || codes[i] == "U") return static_cast<int>(i);
    return static_cast<int>(codes.size()) - 1;
  };
  for (size_t i = 0; i < d.cuts.size(); ++i) {
    int base = g.offset[i];
    switch (d.cuts[i]) {
      case Cut::kAgeBand:
        out.push_back(base + age_band);
        break;
      case Cut::kSex:
        out.push_back(base + code_or_unknown(kSexField));
        break;
      case Cut::kEthnicity:
        out.push_back(base + code_or_unknown(kEthnicityField));
        break;
      case Cut::kPrimarySupportReason:
        out.push_back(base + code_or_unknown(kReasonField));
        break;
      case Cut::kCarerGroup: {
        uint32_t mask = static_cast<uint32_t>(p.columns[kGroupsField].i32[person]);
        for (int b = 0; b < 32; ++b)
          if (mask & (1u << b)) out.push_back(base + b);
        break;
      }
    }
  }
}

// A condition is evaluated as its conjuncts (a and b and ...), in any order:
// expressions have no side effects, and an unknown conjunct is false, as in
// `and`. Conjuncts that do not depend on the period are evaluated once per
// record; the others once per record and period.
void Conjuncts(const Node* n, std::vector<const Node*>& out) {
  if (n->op == Op::kAnd) {
    Conjuncts(n->kids[0].get(), out);
    Conjuncts(n->kids[1].get(), out);
  } else {
    out.push_back(n);
  }
}

//===----------------------------------------------------------------------===//
// Window
//===----------------------------------------------------------------------===//

void Window::Collect(const Node* c, TableId table, int date_field, int depth) {
  auto timeline = [&](const Node* f) {
    return f->op == Op::kField && f->depth == depth && f->table == table && f->field == date_field;
  };
  switch (c->op) {
    case Op::kInRange:
      if (timeline(c->kids[0].get()) && PeriodOnly(c->kids[1].get()))
        bounds.push_back({Bound::kRange, c->kids[1].get(), false, true, c});
      break;
    case Op::kEq:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      for (int side = 0; side < 2; ++side) {
        const Node* f = c->kids[side].get();
        const Node* v = c->kids[1 - side].get();
        if (!timeline(f) || !PeriodOnly(v)) continue;
        Op op = c->op;
        if (side == 1)  // v op f  ==  f op' v
          op = op == Op::kLt   ? Op::kGt
               : op == Op::kLe ? Op::kGe
               : op == Op::kGt ? Op::kLt
               : op == Op::kGe ? Op::kLe
                               : op;
        if (op != Op::kLt && op != Op::kLe) bounds.push_back({Bound::kLow, v, op == Op::kGt, true, c});
        if (op != Op::kGt && op != Op::kGe) bounds.push_back({Bound::kHigh, v, op == Op::kLt, true, c});
      }
      break;
    case Op::kBetween:
      if (timeline(c->kids[0].get()) && PeriodOnly(c->kids[1].get()) && PeriodOnly(c->kids[2].get())) {
        bounds.push_back({Bound::kLow, c->kids[1].get(), false, true, c});
        bounds.push_back({Bound::kHigh, c->kids[2].get(), false, true, c});
      }
      break;
    case Op::kActiveAt:
    case Op::kActiveIn: {
      // Active at d / in [a, b]: started on or before d / b (and not ended
      // before: more than the bound says, so the conjunct stays).
      const Node* last = c->kids[c->op == Op::kActiveAt ? 0 : 1].get();
      if (c->depth == depth && c->table == table && c->field == date_field && PeriodOnly(last))
        bounds.push_back({Bound::kHigh, last, false, false, c});
      break;
    }
    default:
      break;
  }
}

// Evaluates the bounds for every period, in whole days: date >= v from
// ceil(v), date > v from floor(v) + 1, date <= v up to floor(v), date < v
// up to ceil(v) - 1. A row with no date fails every bounding conjunct.
void Window::Resolve(const Snapshot& snap, const std::vector<Period>& periods,
                     const std::vector<int32_t>& text_ids) {
  if (bounds.empty()) return;
  constexpr int32_t kMinDay = kNullI32 + 1, kMaxDay = std::numeric_limits<int32_t>::max();
  lo.assign(periods.size(), kMinDay);
  hi.assign(periods.size(), kMaxDay);
  for (size_t k = 0; k < periods.size(); ++k) {
    EvalContext c;
    c.snap = &snap;
    c.period = periods[k];
    c.text_ids = &text_ids;
    bool empty = false;
    for (Bound& b : bounds) {
      int32_t l = kMinDay, h = kMaxDay;
      if (b.kind == Bound::kRange) {
        if (!EvalNodeRange(b.node, c, l, h)) empty = true;
      } else {
        bool null = false;
        double v = EvalNodeNumber(b.node, c, null);
        if (null || std::isnan(v)) {
          empty = true;  // a comparison with an unknown is false
        } else {
          double x = b.kind == Bound::kLow ? (b.strict ? std::floor(v) + 1 : std::ceil(v))
                                           : (b.strict ? std::ceil(v) - 1 : std::floor(v));
          double clamped = std::clamp(x, static_cast<double>(kMinDay), static_cast<double>(kMaxDay));
          if (clamped != x) b.exact = false;
          (b.kind == Bound::kLow ? l : h) = static_cast<int32_t>(clamped);
        }
      }
      lo[k] = std::max(lo[k], l), hi[k] = std::min(hi[k], h);
    }
    if (empty || lo[k] > hi[k]) lo[k] = kMaxDay, hi[k] = kMinDay;
  }
  for (size_t k = 1; k < periods.size(); ++k)
    if (lo[k] < lo[k - 1] || hi[k] < hi[k - 1]) monotone = false;
}

bool Window::Implies(const Node* conjunct) const {
  bool any = false;
  for (const Bound& b : bounds)
    if (b.conjunct == conjunct) {
      if (!b.exact) return false;
      any = true;
    }
  return any;
}

//===----------------------------------------------------------------------===//
// ActiveSpec, RowFilter
//===----------------------------------------------------------------------===//

bool ActiveSpec::Resolve(const Snapshot& snap, const std::vector<Period>& periods,
                         const std::vector<int32_t>& text_ids) {
  const Node* a = conjunct->kids[0].get();
  const Node* b = conjunct->kids[conjunct->op == Op::kActiveIn ? 1 : 0].get();
  first_day.resize(periods.size());
  last_day.resize(periods.size());
  for (size_t k = 0; k < periods.size(); ++k) {
    EvalContext c;
    c.snap = &snap;
    c.period = periods[k];
    c.text_ids = &text_ids;
    bool null = false;
    double va = EvalNodeNumber(a, c, null), vb = EvalNodeNumber(b, c, null);
    if (null || !(std::fabs(va) < 1e9) || !(std::fabs(vb) < 1e9)) return false;
    first_day[k] = static_cast<int32_t>(std::ceil(va));
    last_day[k] = static_cast<int32_t>(std::floor(vb));
    if (k > 0 && (first_day[k] < first_day[k - 1] || last_day[k] < last_day[k - 1])) monotone = false;
  }
  return true;
}

void RowFilter::Build(const Expr& cond, TableId table, int depth, const Snapshot& snap,
                      const std::vector<Period>& periods, const std::vector<int32_t>& text_ids,
                      const FastPaths& fast) {
  if (!fast.row_filters) {
    if (cond.valid()) varying.push_back(FastCond::Compile(cond.root(), snap, periods, text_ids, fast.compiled_conditions));
    return;
  }
  std::vector<const Node*> all;
  if (cond.valid()) Conjuncts(cond.root(), all);
  const int date_field = Table(table).date_field;
  if (date_field >= 0)
    for (const Node* c : all) window.Collect(c, table, date_field, depth);
  window.Resolve(snap, periods, text_ids);
  for (const Node* c : all) {
    if (window.Implies(c)) continue;
    if ((c->op == Op::kActiveAt || c->op == Op::kActiveIn) && c->depth == depth && c->table == table &&
        PeriodOnly(c->kids[0].get()) && (c->op == Op::kActiveAt || PeriodOnly(c->kids[1].get()))) {
      ActiveSpec a;
      a.conjunct = c;
      a.start_field = c->field, a.end_field = c->field2;
      if (a.Resolve(snap, periods, text_ids)) {
        actives.push_back(std::move(a));
        continue;
      }
    }
    FastCond check = FastCond::Compile(c, snap, periods, text_ids, fast.compiled_conditions);
    if (ReadsPeriod(c))
      varying.push_back(std::move(check));
    else if (HasScan(c))
      fixed_costly.push_back(std::move(check));
    else
      fixed_cheap.push_back(std::move(check));
  }
  runs = !window.bounded() || window.monotone;
  for (const ActiveSpec& a : actives) runs = runs && a.monotone;
}

bool RowFilter::HasScan(const Node* n) {
  switch (n->op) {
    case Op::kExists:
    case Op::kCount:
    case Op::kSum:
    case Op::kMax:
    case Op::kMin:
    case Op::kWeekCount:
    case Op::kWeekSum:
    case Op::kLatest:
    case Op::kFirst:
    case Op::kMedian:
    case Op::kPercentile:
    case Op::kAnswer:
      return true;
    default:
      break;
  }
  for (const auto& k : n->kids)
    if (HasScan(k.get())) return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Plans, FilterRows
//===----------------------------------------------------------------------===//

Plan MakePlan(const Snapshot& snap, const Definition& d, const std::vector<Period>& periods, int32_t n_org,
              const FastPaths& fast) {
  Plan p;
  p.def = &d;
  p.layout = LayoutFor(d);
  p.age_cut = std::find(d.cuts.begin(), d.cuts.end(), Cut::kAgeBand) != d.cuts.end();
  p.n_cells = static_cast<int>(periods.size() * n_org * p.layout.labels.size());
  for (const std::string& s : d.text_literals) {
    int32_t id = snap.strings().Find(s);
    p.text_ids.push_back(id < 0 ? -2 : id);
  }
  for (const Branch& b : d.branches) {
    BranchPlan bp;
    bp.branch = &b;
    const TableSpec& t = Table(b.table);
    bp.org_field = t.has_lineage ? t.FieldIndex("org_unit_id") : -1;
    const bool compiled = fast.compiled_conditions;
    bp.where.Build(b.where, b.table, 0, snap, periods, p.text_ids, fast);
    if (d.numerator_from != kNoTable && b.num_where.valid())
      bp.num.Build(b.num_where, d.numerator_from, 1, snap, periods, p.text_ids, fast);
    if (b.num_where.valid())
      bp.num_where = FastCond::Compile(b.num_where.root(), snap, periods, p.text_ids, compiled);
    if (b.num_claimed.valid())
      bp.claimed = FastCond::Compile(b.num_claimed.root(), snap, periods, p.text_ids, compiled);
    for (const Expr& e : b.criteria)
      bp.criteria.push_back(FastCond::Compile(e.root(), snap, periods, p.text_ids, compiled));
    p.branches.push_back(std::move(bp));
  }
  return p;
}

void FilterRows::Read(const TableData& t, const RowFilter& f, int64_t b, int64_t e) {
  begin = b, end = e;
  const size_t n = static_cast<size_t>(e - b);
  dates.assign(n, 0);
  if (t.spec->date_field >= 0) {
    const PackedInts& col = t.columns[t.spec->date_field].i32;
    for (int64_t r = b; r < e; ++r) dates[r - b] = col[r];
  }
  bounds.resize(2 * n * f.actives.size());
  for (size_t j = 0; j < f.actives.size(); ++j) {
    const PackedInts& start = t.columns[f.actives[j].start_field].i32;
    const PackedInts& stop = t.columns[f.actives[j].end_field].i32;
    for (size_t i = 0; i < n; ++i) {
      bounds[2 * (j * n + i)] = start[b + static_cast<int64_t>(i)];
      bounds[2 * (j * n + i) + 1] = stop[b + static_cast<int64_t>(i)];
    }
  }
}

std::pair<size_t, size_t> FilterRows::Run(const RowFilter& f, int64_t r, size_t n_periods) const {
  const size_t n = dates.size(), i = static_cast<size_t>(r - begin);
  size_t first = 0, last = n_periods;
  if (f.window.bounded()) {
    const std::vector<int32_t>& lo = f.window.lo;
    const std::vector<int32_t>& hi = f.window.hi;
    first = std::lower_bound(hi.begin(), hi.end(), dates[i]) - hi.begin();
    last = std::upper_bound(lo.begin(), lo.end(), dates[i]) - lo.begin();
  }
  for (size_t j = 0; j < f.actives.size() && first < last; ++j) {
    const ActiveSpec& a = f.actives[j];
    int32_t start = bounds[2 * (j * n + i)], stop = bounds[2 * (j * n + i) + 1];
    if (start == kNullI32) return {0, 0};
    first = std::max<size_t>(
        first, std::lower_bound(a.last_day.begin(), a.last_day.end(), start) - a.last_day.begin());
    if (stop != kNullI32)
      last = std::min<size_t>(
          last, std::upper_bound(a.first_day.begin(), a.first_day.end(), stop) - a.first_day.begin());
  }
  return {first, last};
}

}  // namespace goldthread::indicators::internal
