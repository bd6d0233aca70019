#include "indicators/engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <iterator>
#include <limits>
#include <memory>
#include <thread>

#include "indicators/derived.h"
#include "indicators/engine_plan.h"
#include "indicators/eval_internal.h"
#include "indicators/expr_node.h"
#include "indicators/figure_stats.h"
#include "model/snapshot.h"

namespace goldthread::indicators {
namespace {

using internal::AgeBandIndex;
using internal::BranchPlan;
using internal::FilterRows;
using internal::GroupLayout;
using internal::GroupsOf;
using internal::kBirthField;
using internal::LayoutFor;
using internal::MakePlan;
using internal::Plan;
using internal::RowFilter;

//===----------------------------------------------------------------------===//
// Accumulation
//===----------------------------------------------------------------------===//

constexpr double kFixedPoint = 1e6;  // sums of values kept as integers of 1e-6
// The largest value a mean or days case may have: its square in fixed point
// (1e30) summed over 1e8 cases still fits the 128-bit sums. A value beyond
// it is unknown, as a division by zero is, and counted as without a value.
constexpr double kMaxValue = 1e9;

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
  std::vector<__int128> sum_fp;    // per cell, with a value
  std::vector<__int128> sumsq_fp;  // per cell, with a value
  std::vector<int64_t> no_value;   // per cell, with a value: cases whose value is unknown
  std::vector<std::vector<int64_t>> values_fp;  // per cell, median or percentile: every case's value
  std::vector<int64_t> failing;  // cells x criteria
  std::vector<CaseRef> cases;
  int64_t evaluated = 0;
};

struct CaseOut {
  int32_t org = -1;
  int32_t age_day = kNullI32;  // flow, with an age_band cut: the day the age is taken on
  bool num = false;
  bool claimed = false;
  uint32_t fail_mask = 0;
  bool has_value = true;
  double value = 0;
};

//===----------------------------------------------------------------------===//
// Workers: each takes chunks of persons and runs every definition on them
//===----------------------------------------------------------------------===//

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
         const std::vector<std::vector<int32_t>>& chains, int32_t n_org, bool keep_cases, const FastPaths& fast)
      : snap_(snap), plans_(plans), periods_(periods), chains_(chains), n_org_(n_org), keep_(keep_cases),
        fast_(fast) {
    accums_.resize(plans.size());
    size_t max_branches = 0;
    for (size_t i = 0; i < plans.size(); ++i) {
      accums_[i].cells.resize(plans[i].n_cells);
      bool has_value = false;
      for (const Branch& b : plans[i].def->branches) has_value |= b.value.valid();
      if (has_value) {
        accums_[i].sum_fp.resize(plans[i].n_cells);
        accums_[i].sumsq_fp.resize(plans[i].n_cells);
        accums_[i].no_value.resize(plans[i].n_cells);
        if (plans[i].def->statistic != Statistic::kMean) accums_[i].values_fp.resize(plans[i].n_cells);
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
            c.lets = &b.lets;  // the where may use the lets
            if (b.where.valid() && !EvalBool(b.where, c, 0)) continue;
            CaseOut out;
            if (EvalCase(i, bi, r, k, c, out)) Add(i, k, out, -1);
          }
        }
      }
    }
  }

  std::vector<Accum>& accums() { return accums_; }
  /// The week-scan memo, or null when that fast path is off.
  ScanMemo* memo() { return fast_.scan_memo ? &memo_ : nullptr; }

 private:
  EvalContext Context(size_t i, int32_t person, size_t k) {
    EvalContext c;
    c.snap = &snap_;
    c.period = periods_[k];
    c.person = person;
    c.text_ids = &plans_[i].text_ids;
    c.narrow_scans = fast_.scan_bounds;
    c.let_cache = fast_.let_cache ? &let_cache_ : nullptr;
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
    c.lets = &bp.branch->lets;  // the where may use the lets
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
      c.lets = &bp.branch->lets;  // the where may use the lets
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

  // Records that could each be the case record and tie on their timeline
  // date are told apart by their ids (the lowest in text order wins), so the
  // figures never depend on the order the records were loaded in.
  bool IdBefore(const TableData& t, int64_t a, int64_t b) const {
    return t.RecordId(a, snap_) < t.RecordId(b, snap_);
  }

  // A distinct key: the branch and the values of its distinct fields.
  void DistinctKey(const TableData& t, const Branch& b, size_t bi, int64_t r, std::string& key) const {
    key.assign(reinterpret_cast<const char*>(&bi), sizeof bi);
    for (int f : b.distinct) {
      const Column& col = t.columns[f];
      switch (col.type) {
        case FieldType::kId:
          key += col.ids.Get(r);
          key += '\0';
          break;
        case FieldType::kAmount:
        case FieldType::kScore: {
          double v = col.f64[r];
          if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();  // one unknown
          key.append(reinterpret_cast<const char*>(&v), sizeof v);
          break;
        }
        default: {
          int32_t v = col.i32[r];
          key.append(reinterpret_cast<const char*>(&v), sizeof v);
        }
      }
    }
  }

  void RunPeriod(size_t i, int32_t p, size_t k) {
    const Plan& plan = plans_[i];
    const Definition& d = *plan.def;
    EvalContext c = Context(i, p, k);
    if (d.count_persons) {
      // The latest record that puts the person in the population decides
      // the org unit (a person who moved team counts in the new team); of
      // two branches' records on the same day, the earlier branch's.
      int best_branch = -1;
      int64_t best_row = -1;
      int32_t best_date = 0;
      for (size_t bi = 0; bi < plan.branches.size(); ++bi) {
        const BranchPlan& bp = plan.branches[bi];
        PersonRows& pr = rows_[bi];
        const TableData& t = snap_.table(bp.branch->table);
        auto [from, to] = pr.rows.InWindow(bp.where, k);
        for (int64_t r = to - 1; r >= from; --r) {
          if (!Holds(bp, pr, r, k, c)) continue;
          const int32_t date = pr.rows.dates[r - pr.rows.begin];
          int64_t pick = r;
          for (int64_t q = r - 1; q >= from && pr.rows.dates[q - pr.rows.begin] == date; --q)
            if (Holds(bp, pr, q, k, c) && IdBefore(t, q, pick)) pick = q;
          if (best_branch < 0 || date > best_date) best_branch = static_cast<int>(bi), best_row = pick, best_date = date;
          break;
        }
      }
      if (best_branch < 0) return;
      CaseOut out;
      c.rows[0] = best_row;
      if (EvalCase(i, best_branch, best_row, k, c, out)) Add(i, k, out, p);
      return;
    }
    // Record unit: each record is a case, or with distinct one per key: the
    // earliest record of the key, of those the lowest id.
    seen_.clear();
    for (size_t bi = 0; bi < plan.branches.size(); ++bi) {
      const BranchPlan& bp = plan.branches[bi];
      const Branch& b = *bp.branch;
      PersonRows& pr = rows_[bi];
      const TableData& t = snap_.table(b.table);
      auto [from, to] = pr.rows.InWindow(bp.where, k);
      for (int64_t r = from; r < to; ++r) {
        if (!Holds(bp, pr, r, k, c)) continue;
        if (b.distinct.empty()) {
          CaseOut out;
          c.rows[0] = r;
          if (EvalCase(i, bi, r, k, c, out)) Add(i, k, out, p);
          continue;
        }
        DistinctKey(t, b, bi, r, key_);
        auto seen = std::find_if(seen_.begin(), seen_.end(), [&](const Seen& x) { return x.key == key_; });
        if (seen == seen_.end()) {
          seen_.push_back({key_, bi, r});
        } else if (pr.rows.dates[r - pr.rows.begin] == pr.rows.dates[seen->row - pr.rows.begin] &&
                   IdBefore(t, r, seen->row)) {
          seen->row = r;
        }
      }
    }
    for (const Seen& x : seen_) {
      CaseOut out;
      c.rows[0] = x.row;
      if (EvalCase(i, x.branch, x.row, k, c, out)) Add(i, k, out, p);
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
    if (d.kind == Kind::kFlow && plan.age_cut) out.age_day = AgeDay(b, row, k, c);
    if (b.value.valid()) {
      bool null = false;
      out.value = EvalNumber(b.value, c, 0, null);
      if (null || !(std::fabs(out.value) <= kMaxValue)) {
        out.has_value = false;  // not averaged, but counted as without a value
        return true;
      }
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

  // The day a flow case's age is taken on: its age_on, else the case
  // record's timeline date within the period (an active service that began
  // earlier: the period's first day; a week's visit after it: its last).
  int32_t AgeDay(const Branch& b, int64_t row, size_t k, EvalContext& c) {
    const Period& q = periods_[k];
    if (b.age_on.valid()) {
      bool null = false;
      const double v = EvalNumber(b.age_on, c, 0, null);
      int32_t day = kNullI32;
      return !null && AsDay(v, day) ? day : kNullI32;
    }
    const TableData& t = snap_.table(b.table);
    const int32_t day = t.spec->date_field >= 0 ? t.columns[t.spec->date_field].i32[row] : kNullI32;
    if (day == kNullI32) return q.end;
    return std::clamp(day, q.start, q.end);
  }

  // The age band on a day (unknown without a birth date or a day).
  int AgeBandOn(int32_t person, int32_t day) const {
    if (day == kNullI32) return 5;
    return AgeBandIndex(snap_.table(TableId::kPeople).Int(kBirthField, person), day);
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
      if (age_slot_ >= 0) {
        // Ages at the event that puts the case in the population (flow) or
        // at the period end (snapshot): shared/DESIGN.md section 4.
        const int band = d.kind == Kind::kFlow ? AgeBandOn(person, out.age_day) : AgeBand(person, k);
        groups_[age_slot_] = plan.layout.offset[AgeCut(d)] + band;
      }
    }
    const std::vector<int32_t>& chain = chains_[out.org < 0 ? n_org_ : out.org];
    const int n_groups = static_cast<int>(plan.layout.labels.size());
    const size_t n_crit = d.criteria.size();
    const int64_t v_fp = out.value == 0 ? 0 : std::llround(out.value * kFixedPoint);  // |value| <= kMaxValue
    for (int32_t org : chain) {
      for (int g : groups_) {
        uint32_t cell = static_cast<uint32_t>((static_cast<int64_t>(k) * n_org_ + org) * n_groups + g);
        if (!out.has_value) {
          ++acc.no_value[cell];
          continue;
        }
        Cell& x = acc.cells[cell];
        ++x.den;
        if (out.num) ++x.num;
        if (out.claimed) ++x.claimed;
        if (!acc.values_fp.empty()) acc.values_fp[cell].push_back(v_fp);
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
  const FastPaths fast_;
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
  struct Seen {
    std::string key;
    size_t branch;
    int64_t row;
  };
  std::vector<Seen> seen_;  // distinct keys of the current person and period
  std::string key_;
  ScanMemo memo_;
  LetCache let_cache_;
};

// The rate's population in the rows of its table ([rate] table) that its
// where selects: residents in populations.csv for the latest year on or
// before the period's end year, none (so no rate) when every year loaded
// is later (shared/DESIGN.md section 4); estimated carers in
// carer_populations.csv, which are undated.
double Residents(const Snapshot& snap, const Definition& d, const Period& p, const std::vector<int32_t>& text_ids) {
  const TableData& t = snap.table(d.rate_table);
  const bool by_year = d.rate_table == TableId::kPopulations;
  const int count_field = t.spec->FieldIndex(by_year ? "count" : "estimated_count");
  const int year_field = by_year ? t.spec->FieldIndex("year") : -1;
  int year = CivilFromDate(p.end).year;
  int best = by_year ? -1 : 0;
  std::vector<bool> match(t.rows);
  EvalContext c;
  c.snap = &snap;
  c.period = p;
  c.text_ids = &text_ids;
  for (int64_t r = 0; r < t.rows; ++r) {
    c.rows[0] = r;
    match[r] = !d.rate_where.valid() || EvalBool(d.rate_where, c, 0);
    if (!match[r] || !by_year) continue;
    int y = t.columns[year_field].i32[r];
    if (y <= year && y > best) best = y;
  }
  if (best < 0) return 0;
  double total = 0;
  for (int64_t r = 0; r < t.rows; ++r)
    if (match[r] && (!by_year || t.columns[year_field].i32[r] == best)) total += t.columns[count_field].i32[r];
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
  if (options.from_month != kNullDate && options.to_month != kNullDate &&
      MonthsBetween(options.from_month, options.to_month) > kMaxWindowMonths)
    return Status::InvalidArgument(FormatMonth(options.from_month) + " to " + FormatMonth(options.to_month) + " is " +
                                   std::to_string(MonthsBetween(options.from_month, options.to_month)) +
                                   " months (expected at most " + std::to_string(kMaxWindowMonths) + ")");
  result.periods = PeriodsBetween(options.from_month, options.to_month, options.by);
  if (result.periods.empty())
    return Status::InvalidArgument("no " + std::string(PeriodKindName(options.by)) + " ends between " +
                                   FormatMonth(options.from_month) + " and " + FormatMonth(options.to_month));
  const TableData& orgs = snap.table(TableId::kOrgUnits);
  const int32_t n_org = static_cast<int32_t>(orgs.rows);
  if (n_org == 0) return Status::InvalidArgument("the store has no org units (org_units.csv is required)");

  // Each unit's chain up the hierarchy; chain[n_org] is for records with no
  // unit: the first root (the council).
  // (The snapshot's tree is validated: no cycles, at most kMaxOrgDepth deep.)
  const OrgTree& tree = snap.org_tree();
  std::vector<std::vector<int32_t>> chains(n_org + 1);
  for (int32_t o = 0; o < n_org; ++o) chains[o].assign(tree.chain(o).begin(), tree.chain(o).end());
  chains[n_org] = {std::max(tree.first_root(), 0)};

  // A plan per definition with a population, and one per rate over
  // another population ([rate] from): that count definition, with the
  // rate's cuts and kind (definition.cc). Derived definitions have none:
  // their figures are made from their components'.
  std::vector<int> plan_of(defs.size(), -1), rate_plan_of(defs.size(), -1);
  std::vector<Plan> plans;
  plans.reserve(2 * defs.size());
  for (size_t i = 0; i < defs.size(); ++i) {
    if (defs[i].derived) continue;
    plan_of[i] = static_cast<int>(plans.size());
    plans.push_back(MakePlan(snap, defs[i], result.periods, n_org, options.fast));
  }
  for (size_t i = 0; i < defs.size(); ++i) {
    if (defs[i].derived || !defs[i].rate_population || defs[i].unit != Unit::kRatePer100k) continue;
    rate_plan_of[i] = static_cast<int>(plans.size());
    plans.push_back(MakePlan(snap, *defs[i].rate_population, result.periods, n_org, options.fast));
  }

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
    workers.push_back(
        std::make_unique<Worker>(snap, plans, result.periods, chains, n_org, options.keep_cases, options.fast));
  auto run = [&](Worker& w) {
    ScopedScanMemo memo(w.memo());
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
    ScopedScanMemo memo(workers[0]->memo());
    workers[0]->RunOrphans();
  }
  std::vector<Accum> merged(plans.size());
  for (size_t i = 0; i < plans.size(); ++i) {
    Accum& m = merged[i];
    m = std::move(workers[0]->accums()[i]);
    for (size_t w = 1; w < workers.size(); ++w) {
      Accum& a = workers[w]->accums()[i];
      for (size_t c = 0; c < m.cells.size(); ++c) {
        m.cells[c].den += a.cells[c].den;
        m.cells[c].num += a.cells[c].num;
        m.cells[c].claimed += a.cells[c].claimed;
      }
      for (size_t c = 0; c < m.sum_fp.size(); ++c)
        m.sum_fp[c] += a.sum_fp[c], m.sumsq_fp[c] += a.sumsq_fp[c], m.no_value[c] += a.no_value[c];
      for (size_t c = 0; c < m.values_fp.size(); ++c)
        m.values_fp[c].insert(m.values_fp[c].end(), a.values_fp[c].begin(), a.values_fp[c].end());
      for (size_t c = 0; c < m.failing.size(); ++c) m.failing[c] += a.failing[c];
      m.cases.insert(m.cases.end(), a.cases.begin(), a.cases.end());
      m.evaluated += a.evaluated;
    }
  }

  // Figures.
  for (Accum& m : merged) {
    result.cases_evaluated += m.evaluated;
    std::sort(m.cases.begin(), m.cases.end());
  }
  for (size_t i = 0; i < defs.size(); ++i) {
    const Definition& d = defs[i];
    IndicatorResult ir;
    ir.def = &d;
    if (plan_of[i] < 0) {  // derived: ComputeDerived, below
      result.indicators.push_back(std::move(ir));
      continue;
    }
    const Plan& plan = plans[plan_of[i]];
    Accum& m = merged[plan_of[i]];
    // A rate over another population: its cases per cell; such a rate is
    // given for every org unit when its records carry a team.
    const Accum* rate_pop = rate_plan_of[i] < 0 ? nullptr : &merged[rate_plan_of[i]];
    const bool rate_by_unit = rate_pop && Table(d.rate_population->branches[0].table).has_lineage;
    ir.groups = plan.layout.labels;
    const int n_groups = static_cast<int>(ir.groups.size());
    // Each group's cells in the rate's population, by label (the same
    // cuts, unless the definition's were cleared after loading: then "all").
    std::vector<int> pop_group(ir.groups.size(), -1);
    int pop_groups = 0;
    if (rate_pop) {
      const std::vector<std::string>& labels = plans[rate_plan_of[i]].layout.labels;
      pop_groups = static_cast<int>(labels.size());
      for (size_t g = 0; g < ir.groups.size(); ++g)
        if (auto it = std::find(labels.begin(), labels.end(), ir.groups[g]); it != labels.end())
          pop_group[g] = static_cast<int>(it - labels.begin());
    }
    const size_t n_crit = d.criteria.size();
    size_t case_pos = 0;
    for (size_t k = 0; k < result.periods.size(); ++k) {
      const bool rate = d.unit == Unit::kRatePer100k;
      const double residents = rate && !rate_pop ? Residents(snap, d, result.periods[k], plan.text_ids) : 0;
      for (int32_t o = 0; o < n_org; ++o) {
        for (int g = 0; g < n_groups; ++g) {
          uint32_t cell = static_cast<uint32_t>((static_cast<int64_t>(k) * n_org + o) * n_groups + g);
          const Cell& x = m.cells[cell];
          while (case_pos < m.cases.size() && m.cases[case_pos].cell < cell) ++case_pos;
          const int64_t no_value = m.no_value.empty() ? 0 : m.no_value[cell];
          // A rate over another population has a figure wherever that
          // population has someone: none counted is a rate of 0.
          const int64_t pop_cell =
              rate_pop && pop_group[g] >= 0 ? (static_cast<int64_t>(k) * n_org + o) * pop_groups + pop_group[g] : -1;
          const int64_t rate_den = pop_cell >= 0 ? rate_pop->cells[pop_cell].den : 0;
          if (g > 0 && x.den == 0 && no_value == 0 && rate_den == 0) continue;
          if (rate && !rate_by_unit && (snap.OrgParent(o) >= 0 || (g > 0 && !rate_pop))) continue;
          Figure f;
          f.period = static_cast<int32_t>(k);
          f.org_unit = o;
          f.group = g;
          const __int128 sum_fp = m.sum_fp.empty() ? 0 : m.sum_fp[cell];
          const __int128 sumsq_fp = m.sumsq_fp.empty() ? 0 : m.sumsq_fp[cell];
          FillFigure(d.unit, x.den, x.num, static_cast<double>(sum_fp) / kFixedPoint,
                     static_cast<double>(sumsq_fp) / (kFixedPoint * kFixedPoint),
                     rate_pop ? static_cast<double>(rate_den) : residents, d.rate_per, f);
          if (!m.values_fp.empty()) FillQuantile(m.values_fp[cell], d.percentile, f);
          f.claimed = x.claimed;
          f.without_value = no_value;
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
          if (pop_cell >= 0 && !rate_pop->cases.empty()) {
            // The persons behind a rate over another population: those
            // counted, and that population's (with the counted, in order).
            const auto first = std::lower_bound(
                rate_pop->cases.begin(), rate_pop->cases.end(), CaseRef{static_cast<uint32_t>(pop_cell), -1, false});
            std::vector<int32_t> pop;
            for (auto q = first; q != rate_pop->cases.end() && q->cell == pop_cell; ++q)
              if (pop.empty() || pop.back() != q->person) pop.push_back(q->person);
            std::vector<int32_t> all;
            std::set_union(pop.begin(), pop.end(), f.denominator_persons.begin(), f.denominator_persons.end(),
                           std::back_inserter(all));
            f.denominator_persons = std::move(all);
          }
          ir.figures.push_back(std::move(f));
        }
      }
    }
    result.indicators.push_back(std::move(ir));
  }
  GT_RETURN_IF_ERROR(ComputeDerived(defs, n_org, result));
  return result;
}

}  // namespace goldthread::indicators
