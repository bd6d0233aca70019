#include "indicators/lint.h"

#include <fmt/format.h>

#include "indicators/expr_node.h"

namespace goldthread::indicators {

namespace {

bool HasNegatedConjunct(const Node* n) {
  if (!n) return false;
  if (n->op == Op::kNot) return true;
  if (n->op == Op::kAnd) return HasNegatedConjunct(n->kids[0].get()) || HasNegatedConjunct(n->kids[1].get());
  return false;
}

}  // namespace

bool NumeratorNegatesFrom(const Definition& d) {
  if (!d.has_numerator || d.numerator_from == kNoTable) return false;
  for (const Branch& b : d.branches)
    if (HasNegatedConjunct(b.num_where.root())) return true;
  return false;
}

std::vector<std::string> NegationWarnings(const ComputeResult& r, const Snapshot& snap) {
  std::vector<std::string> out;
  for (const IndicatorResult& ir : r.indicators) {
    const Definition& d = *ir.def;
    if (d.unit != Unit::kPercent || !NumeratorNegatesFrom(d)) continue;
    double num = 0, den = 0;
    for (const Figure& f : ir.figures)
      if (f.group == 0 && snap.OrgParent(f.org_unit) < 0 && f.denominator) num += f.numerator, den += *f.denominator;
    if (den < static_cast<double>(kNegationMinCases) || num < kNegationShare * den) continue;
    const std::string table(Table(d.numerator_from).name);
    out.push_back(fmt::format(
        "{}: indicator '{}': the numerator's 'not (...)' held for {:.0f}% of the council's cases ({:.0f} of {:.0f}) "
        "over the periods computed. With from = \"{}\" it counts a case that has any {} record the condition is "
        "false for; to count cases with no such record, drop 'from' and write where = \"not exists({}, ...)\" "
        "(docs/indicators.md, The negation trap)",
        d.file, d.id, 100 * num / den, num, den, table, table, table));
  }
  return out;
}

}  // namespace goldthread::indicators
