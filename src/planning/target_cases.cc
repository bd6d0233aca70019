#include "planning/target_cases.h"

#include <fmt/format.h>

#include "indicators/engine.h"
#include "model/snapshot.h"

namespace goldthread::planning {

namespace ind = goldthread::indicators;

void SplitCases(const ind::Figure& f, const Snapshot& snap, std::vector<std::string>& counted,
                std::vector<std::string>& not_counted) {
  for (int32_t p : f.numerator_persons) counted.push_back(snap.PersonId(p));
  size_t j = 0;
  for (int32_t p : f.denominator_persons) {
    while (j < f.numerator_persons.size() && f.numerator_persons[j] < p) ++j;
    if (j < f.numerator_persons.size() && f.numerator_persons[j] == p) continue;
    not_counted.push_back(snap.PersonId(p));
  }
}

Result<ind::Definition> ReloadAllOnly(const ind::Definition& def) {
  if (def.file.empty()) return Status::NotFound(def.id + " has no definition file to read again");
  // A derived indicator is computed from its components, so not alone.
  if (def.derived) return Status::NotFound(def.id + " is derived from other indicators");
  Result<ind::Definition> again = ind::LoadDefinitionFile(def.file);
  if (!again.ok()) return again.status();
  if (again->id != def.id || again->version != def.version)
    return Status::NotFound(fmt::format("'{}' no longer holds {} version {}", def.file, def.id, def.version));
  again->cuts.clear();
  return again;
}

Result<FigureCases> CasesBehind(const Snapshot& snap, const std::vector<ind::Definition>& defs,
                                const std::string& id, const std::string& org_unit, const Period& period) {
  const ind::Definition* def = nullptr;
  for (const ind::Definition& d : defs)
    if (d.id == id) def = &d;
  if (!def) return Status::InvalidArgument(fmt::format("indicator '{}' is not defined", id));
  const int32_t org = snap.FindOrgUnit(org_unit);
  if (org < 0) return Status::InvalidArgument(fmt::format("org unit '{}' is not in the store", org_unit));
  // The one definition, "all" only, when it can be read again; else all of
  // them (the same figures, more work).
  std::vector<ind::Definition> one;
  if (Result<ind::Definition> again = ReloadAllOnly(*def); again.ok()) one.push_back(std::move(*again));
  const std::vector<ind::Definition>& run = one.empty() ? defs : one;
  ind::ComputeOptions o;
  o.by = period.kind;
  const YearMonthDay s = CivilFromDate(period.start), e = CivilFromDate(period.end);
  o.from_month = DateFromCivil(s.year, s.month, 1);
  o.to_month = DateFromCivil(e.year, e.month, 1);
  o.keep_cases = true;
  Result<ind::ComputeResult> r = ind::Compute(snap, run, o);
  if (!r.ok()) return r.status();
  FigureCases out;
  out.indicator = def->id;
  out.org_unit = org_unit;
  out.period = period;
  size_t i = 0;
  while (r->indicators[i].def->id != id) ++i;
  for (const ind::Figure& f : r->indicators[i].figures) {
    if (f.org_unit != org || f.group != 0 || !(r->periods[f.period] == period)) continue;
    out.value = f.value;
    out.numerator = f.numerator;
    out.denominator = f.denominator;
    SplitCases(f, snap, out.counted, out.not_counted);
    return out;
  }
  return Status::NotFound(fmt::format("{} has no figure for {} in {}", id, org_unit, period.Label()));
}

}  // namespace goldthread::planning
