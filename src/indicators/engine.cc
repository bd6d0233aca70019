#include "indicators/engine.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <thread>

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

// A person's groups (indices into the layout) at a date; "all" first.
void GroupsOf(const Snapshot& snap, int32_t person, Date on, const Definition& d, const GroupLayout& g,
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
      case Cut::kAgeBand: out.push_back(base + AgeBandIndex(p.columns[kBirthField].i32[person], on)); break;
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

struct Cell {
  int64_t den = 0;
  int64_t num = 0;
  int64_t claimed = 0;
  int64_t sum_fp = 0;
  __int128 sumsq_fp = 0;
};

struct CaseRef {
  uint32_t cell;
  int32_t person;
  bool in_num;
  bool operator<(const CaseRef& o) const { return cell != o.cell ? cell < o.cell : person < o.person; }
};

struct Accum {
  std::vector<Cell> cells;
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

// Everything a worker needs about one definition.
struct Plan {
  const Definition* def;
  GroupLayout layout;
  int n_cells = 0;
  std::vector<int> org_field;  // per branch: the lineage org_unit_id field, or -1
};

class Worker {
 public:
  Worker(const Snapshot& snap, const std::vector<Plan>& plans, const std::vector<Period>& periods,
         const std::vector<std::vector<int32_t>>& chains, int32_t n_org, bool keep_cases,
         const std::vector<int32_t>& text_ids)
      : snap_(snap), plans_(plans), periods_(periods), chains_(chains), n_org_(n_org), keep_(keep_cases) {
    accums_.resize(plans.size());
    for (size_t i = 0; i < plans.size(); ++i) {
      accums_[i].cells.resize(plans[i].n_cells);
      accums_[i].failing.resize(static_cast<size_t>(plans[i].n_cells) * plans[i].def->criteria.size());
    }
    text_ids_ = &text_ids;
  }

  void RunPersons(int32_t begin, int32_t end) {
    for (int32_t p = begin; p < end; ++p) {
      for (size_t i = 0; i < plans_.size(); ++i) RunPerson(i, p);
    }
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
          EvalContext c = Context(-1, k, d);
          for (int64_t r = t.person_start.back(); r < t.rows; ++r) {
            c.rows[0] = r;
            const Branch& b = d.branches[bi];
            if (b.where.valid() && !EvalBool(b.where, c, 0)) continue;
            CaseOut out;
            if (EvalCase(plans_[i], bi, r, c, out)) Add(i, k, out, -1);
          }
        }
      }
    }
  }

  std::vector<Accum>& accums() { return accums_; }

 private:
  EvalContext Context(int32_t person, size_t k, const Definition& d) {
    EvalContext c;
    c.snap = &snap_;
    c.period = periods_[k];
    c.person = person;
    c.text_ids = text_ids_;
    return c;
  }

  void RunPerson(size_t i, int32_t p) {
    const Plan& plan = plans_[i];
    const Definition& d = *plan.def;
    bool any_rows = false;
    for (const Branch& b : d.branches) {
      const TableData& t = snap_.table(b.table);
      if (b.table == TableId::kPeople || (p + 1 < static_cast<int32_t>(t.person_start.size()) &&
                                          t.person_start[p + 1] > t.person_start[p]))
        any_rows = true;
    }
    if (!any_rows) return;
    for (size_t k = 0; k < periods_.size(); ++k) {
      EvalContext c = Context(p, k, d);
      if (d.count_persons) {
        // The latest record that puts the person in the population decides
        // the org unit (a person who moved team counts in the new team).
        int best_branch = -1;
        int64_t best_row = -1;
        int32_t best_date = 0;
        for (size_t bi = 0; bi < d.branches.size(); ++bi) {
          const Branch& b = d.branches[bi];
          std::pair<int64_t, int64_t> rows = RowsOf(b, c);
          const TableData& t = snap_.table(b.table);
          for (int64_t r = rows.second - 1; r >= rows.first; --r) {
            c.rows[0] = r;
            if (b.where.valid() && !EvalBool(b.where, c, 0)) continue;
            int32_t date = t.spec->date_field >= 0 ? t.columns[t.spec->date_field].i32[r] : 0;
            if (best_branch < 0 || date > best_date) best_branch = static_cast<int>(bi), best_row = r, best_date = date;
            break;
          }
        }
        if (best_branch < 0) continue;
        CaseOut out;
        c.rows[0] = best_row;
        if (EvalCase(plan, best_branch, best_row, c, out)) Add(i, k, out, p);
      } else {
        seen_.clear();
        for (size_t bi = 0; bi < d.branches.size(); ++bi) {
          const Branch& b = d.branches[bi];
          std::pair<int64_t, int64_t> rows = RowsOf(b, c);
          const TableData& t = snap_.table(b.table);
          for (int64_t r = rows.first; r < rows.second; ++r) {
            c.rows[0] = r;
            if (b.where.valid() && !EvalBool(b.where, c, 0)) continue;
            if (!d.distinct.empty()) {
              std::array<int32_t, 4> key{};
              for (size_t f = 0; f < d.distinct.size() && f < key.size(); ++f)
                key[f] = t.columns[d.distinct[f]].i32.empty() ? 0 : t.columns[d.distinct[f]].i32[r];
              key[3] = static_cast<int32_t>(bi);
              if (std::find(seen_.begin(), seen_.end(), key) != seen_.end()) continue;
              seen_.push_back(key);
            }
            CaseOut out;
            if (EvalCase(plan, bi, r, c, out)) Add(i, k, out, p);
          }
        }
      }
    }
  }

  std::pair<int64_t, int64_t> RowsOf(const Branch& b, EvalContext& c) {
    if (b.table == TableId::kPeople) return {c.person, c.person + 1};
    if (b.where.valid()) return CandidateRows(b.where, b.table, c, 0);
    return snap_.table(b.table).PersonRows(c.person);
  }

  // The case record is c.rows[0]. False when the case has no value to count.
  bool EvalCase(const Plan& plan, size_t bi, int64_t row, EvalContext& c, CaseOut& out) {
    const Definition& d = *plan.def;
    const Branch& b = d.branches[bi];
    c.lets = &b.lets;
    out.org = plan.org_field[bi] >= 0 ? snap_.table(b.table).columns[plan.org_field[bi]].i32[row] : -1;
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
    auto visit = [&](int depth) {
      if (!EvalBool(b.num_where, c, depth)) return false;
      bool all = true;
      uint32_t here = 0;
      for (size_t k = 0; k < n_crit; ++k) {
        if (EvalBool(b.criteria[k], c, depth)) here |= 1u << k;
        else all = false;
      }
      if (all) out.num = true;
      bool claimed = !d.has_claimed || EvalBool(b.num_claimed, c, depth);
      if (claimed) out.claimed = true, meets |= here;
      // Without criteria the first matching record settles it.
      return n_crit == 0 && !d.has_claimed;
    };
    if (d.numerator_from == kNoTable) {
      visit(0);
    } else {
      auto [begin, end] = CandidateRows(b.num_where, d.numerator_from, c, 1);
      for (int64_t r = begin; r < end; ++r) {
        c.rows[1] = r;
        if (visit(1)) break;
      }
    }
    if (out.claimed) out.fail_mask = ~meets & ((n_crit >= 32 ? 0 : (1u << n_crit)) - 1);
    return true;
  }

  void Add(size_t i, size_t k, const CaseOut& out, int32_t person) {
    const Plan& plan = plans_[i];
    Accum& acc = accums_[i];
    ++acc.evaluated;
    const Definition& d = *plan.def;
    if (person >= 0) GroupsOf(snap_, person, periods_[k].end, d, plan.layout, groups_);
    else groups_.assign(1, 0);
    const std::vector<int32_t>& chain = chains_[out.org < 0 ? n_org_ : out.org];
    const int n_groups = static_cast<int>(plan.layout.labels.size());
    const size_t n_crit = d.criteria.size();
    int64_t v_fp = std::llround(out.value * kFixedPoint);
    for (int32_t org : chain) {
      for (int g : groups_) {
        uint32_t cell = static_cast<uint32_t>((static_cast<int64_t>(k) * n_org_ + org) * n_groups + g);
        Cell& x = acc.cells[cell];
        ++x.den;
        if (out.num) ++x.num;
        if (out.claimed) ++x.claimed;
        x.sum_fp += v_fp;
        x.sumsq_fp += static_cast<__int128>(v_fp) * v_fp;
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
  const std::vector<int32_t>* text_ids_;
  std::vector<Accum> accums_;
  std::vector<int> groups_;
  std::vector<std::array<int32_t, 4>> seen_;
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
  GroupsOf(snap, person, on, def, g, idx);
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

  // Text literals of every definition, resolved in this snapshot's pool.
  std::vector<std::vector<int32_t>> text_ids(defs.size());
  std::vector<Plan> plans(defs.size());
  for (size_t i = 0; i < defs.size(); ++i) {
    for (const std::string& s : defs[i].text_literals) {
      int32_t id = snap.strings().Find(s);
      text_ids[i].push_back(id < 0 ? -2 : id);
    }
    Plan& p = plans[i];
    p.def = &defs[i];
    p.layout = LayoutFor(defs[i]);
    p.n_cells = static_cast<int>(result.periods.size() * n_org * p.layout.labels.size());
    for (const Branch& b : defs[i].branches) {
      const TableSpec& t = Table(b.table);
      p.org_field.push_back(t.has_lineage ? t.FieldIndex("org_unit_id") : -1);
    }
  }
  // One text-id table per definition: workers run definition by definition,
  // so give each worker a view per definition through a flat copy.
  // (Definitions' literal slots are per definition.)
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, 64));
  const int32_t people = snap.people();
  if (people < threads * 64) threads = 1;

  // Run each definition with its own literal table: workers take all plans
  // but need per-plan text ids, so we run one worker set per definition
  // group sharing the same literal table.
  std::vector<Accum> merged(defs.size());
  for (size_t i = 0; i < defs.size(); ++i) {
    merged[i].cells.resize(plans[i].n_cells);
    merged[i].failing.resize(static_cast<size_t>(plans[i].n_cells) * defs[i].criteria.size());
  }
  for (size_t i = 0; i < defs.size(); ++i) {
    std::vector<Plan> one{plans[i]};
    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < threads; ++t)
      workers.push_back(std::make_unique<Worker>(snap, one, result.periods, chains, n_org, options.keep_cases,
                                                 text_ids[i]));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) {
      int32_t b = static_cast<int32_t>(static_cast<int64_t>(people) * t / threads);
      int32_t e = static_cast<int32_t>(static_cast<int64_t>(people) * (t + 1) / threads);
      pool.emplace_back([&workers, t, b, e] { workers[t]->RunPersons(b, e); });
    }
    workers[0]->RunPersons(0, static_cast<int32_t>(static_cast<int64_t>(people) / threads));
    for (std::thread& th : pool) th.join();
    workers[0]->RunOrphans();
    Accum& m = merged[i];
    for (auto& w : workers) {
      Accum& a = w->accums()[0];
      for (size_t c = 0; c < m.cells.size(); ++c) {
        m.cells[c].den += a.cells[c].den;
        m.cells[c].num += a.cells[c].num;
        m.cells[c].claimed += a.cells[c].claimed;
        m.cells[c].sum_fp += a.cells[c].sum_fp;
        m.cells[c].sumsq_fp += a.cells[c].sumsq_fp;
      }
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
      double residents = d.unit == Unit::kRatePer100k ? Residents(snap, d, result.periods[k], text_ids[i]) : 0;
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
          FillFigure(d.unit, x.den, x.num, static_cast<double>(x.sum_fp) / kFixedPoint,
                     static_cast<double>(x.sumsq_fp) / (kFixedPoint * kFixedPoint), residents, d.rate_per, f);
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
