#include "indicators/engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <thread>

#include "indicators/eval_internal.h"
#include "indicators/expr_node.h"
#include "indicators/figure_stats.h"
#include "model/snapshot.h"

namespace goldthread::indicators {
namespace {

//===----------------------------------------------------------------------===//
// Cut groups
//===----------------------------------------------------------------------===//

constexpr std::string_view kAgeBands[] = {"0-17", "18-64", "65-74", "75-84", "85+", "unknown"};

int AgeBandIndex(int32_t birth, Date on) {
  if (birth == kNullI32) return 5;
  int age = AgeInYears(birth, on);
  return age < 18 ? 0 : age < 65 ? 1 : age < 75 ? 2 : age < 85 ? 3 : 4;
}

// The people table's columns used by cuts.
constexpr int kBirthField = 2, kSexField = 3, kEthnicityField = 4, kReasonField = 6, kGroupsField = 8;

struct GroupLayout {
  std::vector<std::string> labels;  // [0] = "all"
  std::vector<int> offset;          // per cut: index of its first group
};

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
      case Cut::kSex: add_codes(kSexField); break;
      case Cut::kEthnicity: add_codes(kEthnicityField); break;
      case Cut::kPrimarySupportReason: add_codes(kReasonField); break;
      case Cut::kCarerGroup: add_codes(kGroupsField); break;
    }
  }
  return g;
}

// A person's groups (indices into the layout), "all" first; age_band is
// the person's AgeBandIndex at the date the groups are for.
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
      case Cut::kAgeBand: out.push_back(base + age_band); break;
      case Cut::kSex: out.push_back(base + code_or_unknown(kSexField)); break;
      case Cut::kEthnicity: out.push_back(base + code_or_unknown(kEthnicityField)); break;
      case Cut::kPrimarySupportReason: out.push_back(base + code_or_unknown(kReasonField)); break;
      case Cut::kCarerGroup: {
        uint32_t mask = static_cast<uint32_t>(p.columns[kGroupsField].i32[person]);
        for (int b = 0; b < 32; ++b)
          if (mask & (1u << b)) out.push_back(base + b);
        break;
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Accumulation
//===----------------------------------------------------------------------===//

constexpr double kFixedPoint = 1e6;  // sums of values kept as integers of 1e-6

// Counts per cell; sums of values (mean, days) in their own arrays, only
// for definitions with a value, so the cells of the others stay small.
struct Cell {
  int64_t den = 0;
  int64_t num = 0;
  int64_t claimed = 0;
};

struct CaseRef {
  uint32_t cell;
  int32_t person;
  bool in_num;
  bool operator<(const CaseRef& o) const { return cell != o.cell ? cell < o.cell : person < o.person; }
};

struct Accum {
  std::vector<Cell> cells;
  std::vector<int64_t> sum_fp;     // per cell, with a value
  std::vector<__int128> sumsq_fp;  // per cell, with a value
  std::vector<int64_t> failing;  // cells x criteria
  std::vector<CaseRef> cases;
  int64_t evaluated = 0;
};

struct CaseOut {
  int32_t org = -1;
  bool num = false;
  bool claimed = false;
  uint32_t fail_mask = 0;
  bool has_value = true;
  double value = 0;
};

//===----------------------------------------------------------------------===//
// Plans: what a worker needs about one definition, prepared once
//===----------------------------------------------------------------------===//

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

// The rows of a person's timeline a condition can hold for in each period:
// [lo[k], hi[k]] on the table's timeline date, from the conjuncts that bound
// that date by a value of the period alone (`received_on in period`,
// `active_at(period_end)`, `visit_on <= period_end + 6`). Every row the
// condition holds for lies inside, so scanning only the window changes the
// work, never the result; a conjunct that is nothing but such a bound holds
// for every row inside, so it is not evaluated there at all.
struct Window {
  struct Bound {
    enum Kind : uint8_t { kRange, kLow, kHigh } kind;
    const Node* node;       // the value, or the range node
    bool strict;            // date > value (kLow) / date < value (kHigh)
    bool exact;             // the conjunct holds exactly inside the bound
    const Node* conjunct;
  };
  std::vector<Bound> bounds;
  bool monotone = true;  // lo and hi never decrease from one period to the next
  std::vector<int32_t> lo, hi;

  bool bounded() const { return !bounds.empty(); }

  void Collect(const Node* c, TableId table, int date_field, int depth) {
    auto timeline = [&](const Node* f) {
      return f->op == Op::kField && f->depth == depth && f->table == table && f->field == date_field;
    };
    switch (c->op) {
      case Op::kInRange:
        if (timeline(c->kids[0].get()) && PeriodOnly(c->kids[1].get()))
          bounds.push_back({Bound::kRange, c->kids[1].get(), false, true, c});
        break;
      case Op::kEq: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe:
        for (int side = 0; side < 2; ++side) {
          const Node* f = c->kids[side].get();
          const Node* v = c->kids[1 - side].get();
          if (!timeline(f) || !PeriodOnly(v)) continue;
          Op op = c->op;
          if (side == 1)  // v op f  ==  f op' v
            op = op == Op::kLt ? Op::kGt : op == Op::kLe ? Op::kGe : op == Op::kGt ? Op::kLt : op == Op::kGe ? Op::kLe : op;
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
      default: break;
    }
  }

  // Evaluates the bounds for every period, in whole days: date >= v from
  // ceil(v), date > v from floor(v) + 1, date <= v up to floor(v), date < v
  // up to ceil(v) - 1. A row with no date fails every bounding conjunct.
  void Resolve(const Snapshot& snap, const std::vector<Period>& periods, const std::vector<int32_t>& text_ids) {
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

  // Whether the conjunct holds for exactly the rows inside the window.
  bool Implies(const Node* conjunct) const {
    bool any = false;
    for (const Bound& b : bounds)
      if (b.conjunct == conjunct) {
        if (!b.exact) return false;
        any = true;
      }
    return any;
  }
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
  bool Resolve(const Snapshot& snap, const std::vector<Period>& periods, const std::vector<int32_t>& text_ids) {
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

  void Build(const Expr& cond, TableId table, int depth, const Snapshot& snap, const std::vector<Period>& periods,
             const std::vector<int32_t>& text_ids) {
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
      FastCond fast = FastCond::Compile(c, snap, periods, text_ids);
      if (ReadsPeriod(c)) varying.push_back(std::move(fast));
      else if (HasScan(c)) fixed_costly.push_back(std::move(fast));
      else fixed_cheap.push_back(std::move(fast));
    }
    runs = !window.bounded() || window.monotone;
    for (const ActiveSpec& a : actives) runs = runs && a.monotone;
  }

  static bool HasScan(const Node* n) {
    switch (n->op) {
      case Op::kExists: case Op::kCount: case Op::kSum: case Op::kMax: case Op::kMin: case Op::kWeekCount:
      case Op::kWeekSum: case Op::kAnswer:
        return true;
      default: break;
    }
    for (const auto& k : n->kids)
      if (HasScan(k.get())) return true;
    return false;
  }
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
  int n_cells = 0;
  std::vector<int32_t> text_ids;  // the definition's text literals in this snapshot's pool
  std::vector<BranchPlan> branches;
};

Plan MakePlan(const Snapshot& snap, const Definition& d, const std::vector<Period>& periods, int32_t n_org) {
  Plan p;
  p.def = &d;
  p.layout = LayoutFor(d);
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
    bp.where.Build(b.where, b.table, 0, snap, periods, p.text_ids);
    if (d.numerator_from != kNoTable && b.num_where.valid())
      bp.num.Build(b.num_where, d.numerator_from, 1, snap, periods, p.text_ids);
    if (b.num_where.valid()) bp.num_where = FastCond::Compile(b.num_where.root(), snap, periods, p.text_ids);
    if (b.num_claimed.valid()) bp.claimed = FastCond::Compile(b.num_claimed.root(), snap, periods, p.text_ids);
    for (const Expr& e : b.criteria) bp.criteria.push_back(FastCond::Compile(e.root(), snap, periods, p.text_ids));
    p.branches.push_back(std::move(bp));
  }
  return p;
}

//===----------------------------------------------------------------------===//
// Workers: each takes chunks of persons and runs every definition on them
//===----------------------------------------------------------------------===//

// A person's rows of one table, with what the RowFilter compares.
struct FilterRows {
  int64_t begin = 0, end = 0;
  std::vector<int32_t> dates;   // timeline date per row (0 when the table has none)
  std::vector<int32_t> bounds;  // per active spec j: start and end of row i at [2 * (j * n + i)]

  void Read(const TableData& t, const RowFilter& f, int64_t b, int64_t e) {
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
  std::pair<size_t, size_t> Run(const RowFilter& f, int64_t r, size_t n_periods) const {
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
      first = std::max<size_t>(first, std::lower_bound(a.last_day.begin(), a.last_day.end(), start) - a.last_day.begin());
      if (stop != kNullI32)
        last = std::min<size_t>(last, std::upper_bound(a.first_day.begin(), a.first_day.end(), stop) - a.first_day.begin());
    }
    return {first, last};
  }
};

// One branch's rows of the current person.
struct PersonRows {
  FilterRows rows;
  std::vector<int8_t> fixed;  // per row: -1 cheap conjuncts passed, costly not yet evaluated; 0 fails; 1 passes
  std::vector<std::pair<uint16_t, uint16_t>> run;  // per row, with where.runs: periods [first, last)
  bool num_ready = false;     // num_rows read for this person
  FilterRows num_rows;
};

void SetBits(std::vector<uint64_t>& bits, size_t from, size_t to) {
  for (size_t k = from; k < to; ++k) bits[k >> 6] |= uint64_t{1} << (k & 63);
}

class Worker {
 public:
  Worker(const Snapshot& snap, const std::vector<Plan>& plans, const std::vector<Period>& periods,
         const std::vector<std::vector<int32_t>>& chains, int32_t n_org, bool keep_cases)
      : snap_(snap), plans_(plans), periods_(periods), chains_(chains), n_org_(n_org), keep_(keep_cases) {
    accums_.resize(plans.size());
    size_t max_branches = 0;
    for (size_t i = 0; i < plans.size(); ++i) {
      accums_[i].cells.resize(plans[i].n_cells);
      bool has_value = false;
      for (const Branch& b : plans[i].def->branches) has_value |= b.value.valid();
      if (has_value) {
        accums_[i].sum_fp.resize(plans[i].n_cells);
        accums_[i].sumsq_fp.resize(plans[i].n_cells);
      }
      accums_[i].failing.resize(static_cast<size_t>(plans[i].n_cells) * plans[i].def->criteria.size());
      max_branches = std::max(max_branches, plans[i].branches.size());
    }
    rows_.resize(max_branches);
    for (const Period& q : periods) end_civil_.push_back(CivilFromDate(q.end));
  }

  // Definition by definition over the chunk, so one definition's cells
  // stay in cache while its cases are added.
  void RunPersons(int32_t begin, int32_t end) {
    chunk_begin_ = begin;
    age_band_.assign(static_cast<size_t>(end - begin) * periods_.size(), -1);
    groups_person_ = -1;
    for (size_t i = 0; i < plans_.size(); ++i)
      for (int32_t p = begin; p < end; ++p) RunPerson(i, p);
  }

  // Records that belong to no person (e.g. an anonymous complaint): record
  // units only, counted in group "all".
  void RunOrphans() {
    for (size_t i = 0; i < plans_.size(); ++i) {
      const Definition& d = *plans_[i].def;
      if (d.count_persons) continue;
      for (size_t bi = 0; bi < d.branches.size(); ++bi) {
        const TableData& t = snap_.table(d.branches[bi].table);
        if (t.person_start.empty()) continue;
        for (size_t k = 0; k < periods_.size(); ++k) {
          EvalContext c = Context(i, -1, k);
          for (int64_t r = t.person_start[t.person_start.size() - 1]; r < t.rows; ++r) {
            c.rows[0] = r;
            const Branch& b = d.branches[bi];
            if (b.where.valid() && !EvalBool(b.where, c, 0)) continue;
            CaseOut out;
            if (EvalCase(i, bi, r, k, c, out)) Add(i, k, out, -1);
          }
        }
      }
    }
  }

  std::vector<Accum>& accums() { return accums_; }
  ScanMemo& memo() { return memo_; }

 private:
  EvalContext Context(size_t i, int32_t person, size_t k) const {
    EvalContext c;
    c.snap = &snap_;
    c.period = periods_[k];
    c.person = person;
    c.text_ids = &plans_[i].text_ids;
    return c;
  }

  static bool All(const std::vector<FastCond>& conjuncts, EvalContext& c, size_t k) {
    for (const FastCond& f : conjuncts)
      if (!f.Eval(c, k)) return false;
    return true;
  }

  // Whether the branch's where holds for row r in period k (c is k's context).
  bool Holds(const BranchPlan& bp, PersonRows& pr, int64_t r, size_t k, EvalContext& c) {
    const RowFilter& f = bp.where;
    const size_t i = static_cast<size_t>(r - pr.rows.begin);
    int8_t& fixed = pr.fixed[i];
    if (fixed == 0) return false;
    if (f.runs ? (k < pr.run[i].first || k >= pr.run[i].second) : !pr.rows.ActiveIn(f, r, k)) return false;
    c.rows[0] = r;
    if (fixed < 0) fixed = All(f.fixed_costly, c, k) ? 1 : 0;
    return fixed && All(f.varying, c, k);
  }

  void RunPerson(size_t i, int32_t p) {
    const Plan& plan = plans_[i];
    const size_t n_periods = periods_.size();
    bool any_rows = false;
    for (size_t bi = 0; bi < plan.branches.size(); ++bi) {
      const BranchPlan& bp = plan.branches[bi];
      const TableData& t = snap_.table(bp.branch->table);
      PersonRows& pr = rows_[bi];
      pr.num_ready = false;
      int64_t b = 0, e = 0;
      if (bp.branch->table == TableId::kPeople) b = p, e = p + 1;
      else if (p + 1 < static_cast<int64_t>(t.person_start.size())) std::tie(b, e) = t.PersonRows(p);
      pr.rows.begin = b, pr.rows.end = e;
      if (e > b) any_rows = true;
    }
    if (!any_rows) return;
    // Each branch's rows: the conjuncts that need no period once, then the
    // periods in which some row may hold.
    active_.assign((n_periods + 63) / 64, 0);
    EvalContext c = Context(i, p, 0);
    for (size_t bi = 0; bi < plan.branches.size(); ++bi) {
      const BranchPlan& bp = plan.branches[bi];
      const RowFilter& f = bp.where;
      PersonRows& pr = rows_[bi];
      const TableData& t = snap_.table(bp.branch->table);
      pr.rows.Read(t, f, pr.rows.begin, pr.rows.end);
      const size_t n = pr.rows.dates.size();
      pr.fixed.assign(n, -1);
      pr.run.assign(f.runs ? n : 0, {0, 0});
      bool any_passes = false;
      for (size_t r = 0; r < n; ++r) {
        c.rows[0] = pr.rows.begin + static_cast<int64_t>(r);
        if (!All(f.fixed_cheap, c, 0)) {
          pr.fixed[r] = 0;
          continue;
        }
        if (f.fixed_costly.empty()) pr.fixed[r] = 1;
        if (!f.runs) {
          any_passes = true;
          continue;
        }
        auto [first, last] = pr.rows.Run(f, c.rows[0], n_periods);
        if (first >= last) {
          pr.fixed[r] = 0;
          continue;
        }
        pr.run[r] = {static_cast<uint16_t>(first), static_cast<uint16_t>(last)};
        SetBits(active_, first, last);
      }
      if (any_passes) {
        // Periods whose window holds a row that passed (the actives are
        // checked per period).
        for (size_t k = 0; k < n_periods; ++k) {
          auto [from, to] = pr.rows.InWindow(f, k);
          for (int64_t r = from; r < to; ++r)
            if (pr.fixed[r - pr.rows.begin] != 0) {
              SetBits(active_, k, k + 1);
              break;
            }
        }
      }
    }
    for (size_t word = 0; word < active_.size(); ++word) {
      for (uint64_t bits = active_[word]; bits != 0; bits &= bits - 1) {
        const size_t k = word * 64 + static_cast<size_t>(std::countr_zero(bits));
        RunPeriod(i, p, k);
      }
    }
  }

  void RunPeriod(size_t i, int32_t p, size_t k) {
    const Plan& plan = plans_[i];
    const Definition& d = *plan.def;
    EvalContext c = Context(i, p, k);
    if (d.count_persons) {
      // The latest record that puts the person in the population decides
      // the org unit (a person who moved team counts in the new team).
      int best_branch = -1;
      int64_t best_row = -1;
      int32_t best_date = 0;
      for (size_t bi = 0; bi < plan.branches.size(); ++bi) {
        const BranchPlan& bp = plan.branches[bi];
        PersonRows& pr = rows_[bi];
        auto [from, to] = pr.rows.InWindow(bp.where, k);
        for (int64_t r = to - 1; r >= from; --r) {
          if (!Holds(bp, pr, r, k, c)) continue;
          int32_t date = pr.rows.dates[r - pr.rows.begin];
          if (best_branch < 0 || date > best_date) best_branch = static_cast<int>(bi), best_row = r, best_date = date;
          break;
        }
      }
      if (best_branch < 0) return;
      CaseOut out;
      c.rows[0] = best_row;
      if (EvalCase(i, best_branch, best_row, k, c, out)) Add(i, k, out, p);
      return;
    }
    seen_.clear();
    for (size_t bi = 0; bi < plan.branches.size(); ++bi) {
      const BranchPlan& bp = plan.branches[bi];
      PersonRows& pr = rows_[bi];
      const TableData& t = snap_.table(bp.branch->table);
      auto [from, to] = pr.rows.InWindow(bp.where, k);
      for (int64_t r = from; r < to; ++r) {
        if (!Holds(bp, pr, r, k, c)) continue;
        if (!d.distinct.empty()) {
          std::array<int32_t, 4> key{};
          for (size_t f = 0; f < d.distinct.size() && f < key.size(); ++f)
            key[f] = t.columns[d.distinct[f]].i32.empty() ? 0 : t.columns[d.distinct[f]].i32[r];
          key[3] = static_cast<int32_t>(bi);
          if (std::find(seen_.begin(), seen_.end(), key) != seen_.end()) continue;
          seen_.push_back(key);
        }
        CaseOut out;
        c.rows[0] = r;
        if (EvalCase(i, bi, r, k, c, out)) Add(i, k, out, p);
      }
    }
  }

  // The case record is c.rows[0]. False when the case has no value to count.
  bool EvalCase(size_t i, size_t bi, int64_t row, size_t k, EvalContext& c, CaseOut& out) {
    const Plan& plan = plans_[i];
    const Definition& d = *plan.def;
    const Branch& b = d.branches[bi];
    const BranchPlan& bp = plan.branches[bi];
    c.lets = &b.lets;
    out.org = bp.org_field >= 0 ? snap_.table(b.table).columns[bp.org_field].i32[row] : -1;
    if (b.value.valid()) {
      bool null = false;
      out.value = EvalNumber(b.value, c, 0, null);
      if (null) return false;  // a case without a value is not averaged
    }
    if (!d.has_numerator) {
      out.num = true;
      return true;
    }
    const size_t n_crit = b.criteria.size();
    uint32_t meets = 0;
    // With the person's numerator rows in the window, num_where is its
    // filter; otherwise (no window, or no person) it is evaluated whole.
    const bool filtered = d.numerator_from != kNoTable && bp.num.window.bounded() && c.person >= 0;
    auto visit = [&](int depth) {
      if (filtered) {
        if (!num_rows().ActiveIn(bp.num, c.rows[1], k) || !All(bp.num.fixed_cheap, c, k) ||
            !All(bp.num.fixed_costly, c, k) || !All(bp.num.varying, c, k))
          return false;
      } else if (!bp.num_where.Eval(c, k)) {
        return false;
      }
      bool all = true;
      uint32_t here = 0;
      for (size_t cr = 0; cr < n_crit; ++cr) {
        if (bp.criteria[cr].Eval(c, k)) here |= 1u << cr;
        else all = false;
      }
      if (all) out.num = true;
      bool claimed = !d.has_claimed || bp.claimed.Eval(c, k);
      if (claimed) out.claimed = true, meets |= here;
      // Without criteria the first matching record settles it.
      return n_crit == 0 && !d.has_claimed;
    };
    if (d.numerator_from == kNoTable) {
      visit(0);
    } else {
      std::pair<int64_t, int64_t> rows;
      if (filtered) {
        PersonRows& pr = rows_[bi];
        if (!pr.num_ready) {
          const TableData& t = snap_.table(d.numerator_from);
          int64_t nb = 0, ne = 0;
          if (c.person + 1 < static_cast<int64_t>(t.person_start.size())) std::tie(nb, ne) = t.PersonRows(c.person);
          pr.num_rows.Read(t, bp.num, nb, ne);
          pr.num_ready = true;
        }
        num_rows_ = &pr.num_rows;
        rows = pr.num_rows.InWindow(bp.num, k);
      } else {
        rows = CandidateRows(b.num_where, d.numerator_from, c, 1);
      }
      for (int64_t r = rows.first; r < rows.second; ++r) {
        c.rows[1] = r;
        if (visit(1)) break;
      }
    }
    if (out.claimed) out.fail_mask = ~meets & ((n_crit >= 32 ? 0 : (1u << n_crit)) - 1);
    return true;
  }

  const FilterRows& num_rows() const { return *num_rows_; }

  static size_t AgeCut(const Definition& d) {
    return static_cast<size_t>(std::find(d.cuts.begin(), d.cuts.end(), Cut::kAgeBand) - d.cuts.begin());
  }

  // AgeBandIndex(birth, end of period k), for every period at once per
  // person of the chunk: the birth date's civil form once, the periods' ends
  // once per worker.
  int AgeBand(int32_t person, size_t k) {
    const size_t n = periods_.size();
    int8_t* bands = &age_band_[static_cast<size_t>(person - chunk_begin_) * n];
    if (bands[k] >= 0) return bands[k];
    int32_t birth = snap_.table(TableId::kPeople).Int(kBirthField, person);
    if (birth == kNullI32) {
      std::fill(bands, bands + n, int8_t{5});
      return 5;
    }
    const YearMonthDay b = CivilFromDate(birth);
    for (size_t q = 0; q < n; ++q) {
      // AgeInYears: whole years, one fewer before the birthday.
      const YearMonthDay& o = end_civil_[q];
      int age = o.year - b.year - ((o.month < b.month || (o.month == b.month && o.day < b.day)) ? 1 : 0);
      bands[q] = static_cast<int8_t>(age < 18 ? 0 : age < 65 ? 1 : age < 75 ? 2 : age < 85 ? 3 : 4);
    }
    return bands[k];
  }

  void Add(size_t i, size_t k, const CaseOut& out, int32_t person) {
    const Plan& plan = plans_[i];
    Accum& acc = accums_[i];
    ++acc.evaluated;
    const Definition& d = *plan.def;
    // A person's groups: those of the person (sex, carer groups, ...) once
    // per definition and person, the age band per period.
    if (person < 0) {
      groups_.assign(1, 0);
      groups_person_ = -1;
    } else {
      if (groups_plan_ != i || groups_person_ != person) {
        GroupsOf(snap_, person, 0, d, plan.layout, groups_);
        groups_plan_ = i, groups_person_ = person;
        age_slot_ = -1;
        for (size_t c = 0; c < d.cuts.size(); ++c)
          if (d.cuts[c] == Cut::kAgeBand)
            for (size_t g = 0; g < groups_.size(); ++g)
              if (groups_[g] == plan.layout.offset[c]) age_slot_ = static_cast<int>(g);
      }
      if (age_slot_ >= 0) groups_[age_slot_] = plan.layout.offset[AgeCut(d)] + AgeBand(person, k);
    }
    const std::vector<int32_t>& chain = chains_[out.org < 0 ? n_org_ : out.org];
    const int n_groups = static_cast<int>(plan.layout.labels.size());
    const size_t n_crit = d.criteria.size();
    int64_t v_fp = out.value == 0 ? 0 : std::llround(out.value * kFixedPoint);
    for (int32_t org : chain) {
      for (int g : groups_) {
        uint32_t cell = static_cast<uint32_t>((static_cast<int64_t>(k) * n_org_ + org) * n_groups + g);
        Cell& x = acc.cells[cell];
        ++x.den;
        if (out.num) ++x.num;
        if (out.claimed) ++x.claimed;
        if (v_fp != 0) {
          acc.sum_fp[cell] += v_fp;
          acc.sumsq_fp[cell] += static_cast<__int128>(v_fp) * v_fp;
        }
        for (size_t cr = 0; cr < n_crit; ++cr)
          if (out.fail_mask & (1u << cr)) ++acc.failing[cell * n_crit + cr];
        if (keep_ && person >= 0) acc.cases.push_back({cell, person, out.num});
      }
    }
  }

  const Snapshot& snap_;
  const std::vector<Plan>& plans_;
  const std::vector<Period>& periods_;
  const std::vector<std::vector<int32_t>>& chains_;
  int32_t n_org_;
  bool keep_;
  std::vector<Accum> accums_;
  std::vector<PersonRows> rows_;  // per branch of the current definition
  std::vector<uint64_t> active_;  // bit k: some branch may hold in period k
  const FilterRows* num_rows_ = nullptr;
  std::vector<int> groups_;
  size_t groups_plan_ = SIZE_MAX;  // groups_ are of this definition and person
  int32_t groups_person_ = -1;
  int age_slot_ = -1;             // the age band's place in groups_, or -1
  std::vector<YearMonthDay> end_civil_;  // each period's last day
  int32_t chunk_begin_ = 0;
  std::vector<int8_t> age_band_;  // per person of the chunk and period; -1 not yet known
  std::vector<std::array<int32_t, 4>> seen_;
  ScanMemo memo_;
};

// Residents in the populations.csv rows the definition's [rate] selects, for
// the latest year on or before the period's end year (else the earliest).
double Residents(const Snapshot& snap, const Definition& d, const Period& p, const std::vector<int32_t>& text_ids) {
  const TableData& t = snap.table(TableId::kPopulations);
  int year = CivilFromDate(p.end).year;
  int best = -1, earliest = -1;
  std::vector<bool> match(t.rows);
  EvalContext c;
  c.snap = &snap;
  c.period = p;
  c.text_ids = &text_ids;
  for (int64_t r = 0; r < t.rows; ++r) {
    c.rows[0] = r;
    match[r] = !d.rate_where.valid() || EvalBool(d.rate_where, c, 0);
    if (!match[r]) continue;
    int y = t.columns[1].i32[r];
    if (y <= year && y > best) best = y;
    if (earliest < 0 || y < earliest) earliest = y;
  }
  if (best < 0) best = earliest;
  double total = 0;
  for (int64_t r = 0; r < t.rows; ++r)
    if (match[r] && t.columns[1].i32[r] == best) total += t.columns[4].i32[r];
  return total;
}

}  // namespace

std::vector<std::string> GroupLabelsFor(const Snapshot& snap, int32_t person, Date on, const Definition& def) {
  GroupLayout g = LayoutFor(def);
  std::vector<int> idx;
  int age_band = person < 0 ? 5 : AgeBandIndex(snap.table(TableId::kPeople).Int(kBirthField, person), on);
  GroupsOf(snap, person, age_band, def, g, idx);
  std::vector<std::string> out;
  for (size_t i = 1; i < idx.size(); ++i) out.push_back(g.labels[idx[i]]);
  return out;
}

Result<ComputeResult> Compute(const Snapshot& snap, const std::vector<Definition>& defs,
                              const ComputeOptions& options) {
  ComputeResult result;
  result.periods = PeriodsBetween(options.from_month, options.to_month, options.by);
  if (result.periods.empty())
    return Status::InvalidArgument("no " + std::string(PeriodKindName(options.by)) + " ends between " +
                                   FormatMonth(options.from_month) + " and " + FormatMonth(options.to_month));
  const TableData& orgs = snap.table(TableId::kOrgUnits);
  const int32_t n_org = static_cast<int32_t>(orgs.rows);
  if (n_org == 0) return Status::InvalidArgument("the store has no org units (org_units.csv is required)");

  // Each unit's chain up the hierarchy; chain[n_org] is for records with no
  // unit: the first root (the council).
  std::vector<std::vector<int32_t>> chains(n_org + 1);
  int32_t root = -1;
  for (int32_t o = 0; o < n_org; ++o) {
    for (int32_t u = o, guard = 0; u >= 0 && guard <= n_org; u = snap.OrgParent(u), ++guard) chains[o].push_back(u);
    if (snap.OrgParent(o) < 0 && root < 0) root = o;
  }
  if (root < 0) root = 0;
  chains[n_org] = {root};

  std::vector<Plan> plans;
  plans.reserve(defs.size());
  for (const Definition& d : defs) plans.push_back(MakePlan(snap, d, result.periods, n_org));

  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, 64));
  const int32_t people = snap.people();
  if (people < threads * 64) threads = 1;

  // Every thread takes the next chunk of persons and runs every definition
  // on it. Counts are integers and sums fixed point, so the totals do not
  // depend on which thread took which chunk.
  constexpr int32_t kChunk = 256;
  std::atomic<int32_t> next{0};
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t)
    workers.push_back(std::make_unique<Worker>(snap, plans, result.periods, chains, n_org, options.keep_cases));
  auto run = [&](Worker& w) {
    ScopedScanMemo memo(&w.memo());
    for (;;) {
      int32_t b = next.fetch_add(kChunk);
      if (b >= people) break;
      w.RunPersons(b, std::min(people, b + kChunk));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back([&run, &workers, t] { run(*workers[t]); });
  run(*workers[0]);
  for (std::thread& th : pool) th.join();
  {
    ScopedScanMemo memo(&workers[0]->memo());
    workers[0]->RunOrphans();
  }
  std::vector<Accum> merged(defs.size());
  for (size_t i = 0; i < defs.size(); ++i) {
    Accum& m = merged[i];
    m = std::move(workers[0]->accums()[i]);
    for (size_t w = 1; w < workers.size(); ++w) {
      Accum& a = workers[w]->accums()[i];
      for (size_t c = 0; c < m.cells.size(); ++c) {
        m.cells[c].den += a.cells[c].den;
        m.cells[c].num += a.cells[c].num;
        m.cells[c].claimed += a.cells[c].claimed;
      }
      for (size_t c = 0; c < m.sum_fp.size(); ++c) m.sum_fp[c] += a.sum_fp[c], m.sumsq_fp[c] += a.sumsq_fp[c];
      for (size_t c = 0; c < m.failing.size(); ++c) m.failing[c] += a.failing[c];
      m.cases.insert(m.cases.end(), a.cases.begin(), a.cases.end());
      m.evaluated += a.evaluated;
    }
  }

  // Figures.
  for (size_t i = 0; i < defs.size(); ++i) {
    const Definition& d = defs[i];
    Accum& m = merged[i];
    std::sort(m.cases.begin(), m.cases.end());
    result.cases_evaluated += m.evaluated;
    IndicatorResult ir;
    ir.def = &d;
    ir.groups = plans[i].layout.labels;
    const int n_groups = static_cast<int>(ir.groups.size());
    const size_t n_crit = d.criteria.size();
    size_t case_pos = 0;
    for (size_t k = 0; k < result.periods.size(); ++k) {
      double residents = d.unit == Unit::kRatePer100k ? Residents(snap, d, result.periods[k], plans[i].text_ids) : 0;
      for (int32_t o = 0; o < n_org; ++o) {
        for (int g = 0; g < n_groups; ++g) {
          uint32_t cell = static_cast<uint32_t>((static_cast<int64_t>(k) * n_org + o) * n_groups + g);
          const Cell& x = m.cells[cell];
          while (case_pos < m.cases.size() && m.cases[case_pos].cell < cell) ++case_pos;
          if (g > 0 && x.den == 0) continue;
          if (d.unit == Unit::kRatePer100k && (snap.OrgParent(o) >= 0 || g > 0)) continue;
          Figure f;
          f.period = static_cast<int32_t>(k);
          f.org_unit = o;
          f.group = g;
          const int64_t sum_fp = m.sum_fp.empty() ? 0 : m.sum_fp[cell];
          const __int128 sumsq_fp = m.sumsq_fp.empty() ? 0 : m.sumsq_fp[cell];
          FillFigure(d.unit, x.den, x.num, static_cast<double>(sum_fp) / kFixedPoint,
                     static_cast<double>(sumsq_fp) / (kFixedPoint * kFixedPoint), residents, d.rate_per, f);
          f.claimed = x.claimed;
          for (size_t cr = 0; cr < n_crit; ++cr) f.failing.push_back(m.failing[cell * n_crit + cr]);
          for (size_t q = case_pos; q < m.cases.size() && m.cases[q].cell == cell; ++q) {
            const CaseRef& cr = m.cases[q];
            if (!f.denominator_persons.empty() && f.denominator_persons.back() == cr.person) {
              if (cr.in_num && (f.numerator_persons.empty() || f.numerator_persons.back() != cr.person))
                f.numerator_persons.push_back(cr.person);
              continue;
            }
            f.denominator_persons.push_back(cr.person);
            if (cr.in_num) f.numerator_persons.push_back(cr.person);
          }
          ir.figures.push_back(std::move(f));
        }
      }
    }
    result.indicators.push_back(std::move(ir));
  }
  return result;
}

}  // namespace goldthread::indicators
