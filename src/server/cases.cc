#include "server/cases.h"

#include <fmt/format.h>

#include <algorithm>

#include "indicators/engine.h"

namespace goldthread::server {

namespace ind = goldthread::indicators;

Result<FigureCases> CasesOfFigure(const Snapshot& snap, const std::vector<ind::Definition>& defs, int index,
                                  const Period& period, int32_t org_unit, std::string_view group) {
  if (index < 0 || index >= static_cast<int>(defs.size()))
    return Status::Internal(fmt::format("no definition {} of {}", index, defs.size()));
  const ind::Definition& def = defs[index];
  ind::ComputeOptions options;
  options.by = period.kind;
  options.from_month = DateFromCivil(CivilFromDate(period.start).year, CivilFromDate(period.start).month, 1);
  options.to_month = DateFromCivil(CivilFromDate(period.end).year, CivilFromDate(period.end).month, 1);
  options.keep_cases = true;
  options.threads = 1;  // a request's thread; the pool serves the others
  Result<ind::ComputeResult> r = ind::Compute(snap, defs, options);
  if (!r.ok()) return r.status();
  const ind::IndicatorResult& ir = r->indicators[index];
  const auto g = std::find(ir.groups.begin(), ir.groups.end(), group);
  if (g == ir.groups.end()) {
    std::string known;
    for (const std::string& name : ir.groups) known += (known.empty() ? "" : ", ") + name;
    return Status::InvalidArgument(
        fmt::format("group '{}' is not a cut of indicator '{}' (expected {})", group, def.id, known));
  }
  const int32_t group_index = static_cast<int32_t>(g - ir.groups.begin());
  int32_t period_index = -1;
  for (size_t i = 0; i < r->periods.size(); ++i)
    if (r->periods[i] == period) period_index = static_cast<int32_t>(i);
  FigureCases out;
  for (const ind::Figure& f : ir.figures) {
    if (f.period != period_index || f.org_unit != org_unit || f.group != group_index) continue;
    out.numerator = f.numerator;
    out.denominator = f.denominator;
    out.value = f.value;
    // Person rows, ascending (engine.h); the denominator's list holds every
    // person evaluated for the figure, the numerator's those counted.
    const std::vector<int32_t>& all = f.denominator_persons;
    out.persons.reserve(all.size());
    for (int32_t p : all)
      out.persons.push_back(
          {snap.PersonId(p), std::binary_search(f.numerator_persons.begin(), f.numerator_persons.end(), p)});
    std::sort(out.persons.begin(), out.persons.end(),
              [](const FigureCases::Person& a, const FigureCases::Person& b) { return a.id < b.id; });
    break;
  }
  return out;
}

}  // namespace goldthread::server
