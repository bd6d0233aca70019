#include "planning/casework_audit.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "indicators/engine.h"
#include "planning/hub_format.h"
#include "stats/funnel.h"

namespace goldthread::planning {
namespace {

namespace ind = goldthread::indicators;

// Audit items of the simulated council's checklist (seed 004, Exhibit 7's
// "core elements") that check what a built-in indicator counts. A council
// whose items are named otherwise sees no pairs, and the rest unchanged.
constexpr ItemIndicator kPairs[] = {
    {"review_in_date", "reviews-12m"},
    {"plan_signed", "plan-with-review-date"},
    {"assessment_current", "assessment-28d"},
};

void Tally(AuditRate& r, int32_t result, int32_t met, int32_t na) {
  if (result == na) ++r.na;
  else if (result >= 0) ++r.audited, r.met += result == met;
}

void Finish(AuditRate& r) {
  if (r.audited == 0) return;
  r.rate = static_cast<double>(r.met) / static_cast<double>(r.audited);
  r.ci = stats::WilsonInterval(static_cast<double>(r.met), static_cast<double>(r.audited));
}

int32_t Code(const TableData& t, int field, std::string_view code) {
  const auto& codes = t.spec->fields[static_cast<size_t>(field)].codes;
  auto it = std::find(codes.begin(), codes.end(), code);
  return it == codes.end() ? -1 : static_cast<int32_t>(it - codes.begin());
}

/// The year's figure (group "all") of every org unit, by indicator id.
std::map<std::string, std::map<int32_t, ind::Figure>> YearFigures(const Snapshot& snap,
                                                                  const std::vector<ind::Definition>& defs,
                                                                  const Period& year, std::vector<std::string>& notes) {
  std::map<std::string, std::map<int32_t, ind::Figure>> out;
  ind::ComputeOptions o;
  o.by = PeriodKind::kYear;
  o.from_month = o.to_month = AddMonths(year.start, 11);
  auto result = ind::Compute(snap, defs, o);
  if (!result.ok()) {
    notes.push_back("the indicators could not be computed for the year: " + result.status().message());
    return out;
  }
  for (const ind::IndicatorResult& ir : result->indicators)
    for (const ind::Figure& f : ir.figures)
      if (f.group == 0) out[ir.def->id][f.org_unit] = f;
  return out;
}

std::string ItemFor(std::string_view indicator) {
  for (const ItemIndicator& p : kPairs)
    if (indicator == p.indicator) return p.item;
  return "";
}

}  // namespace

std::span<const ItemIndicator> ItemIndicatorPairs() { return kPairs; }

Result<CaseworkAudit> RunCasework(const Snapshot& snap, const std::vector<ind::Definition>& defs,
                                  const CaseworkOptions& o) {
  CaseworkAudit a;
  a.year = FinancialYearPeriod(o.year);
  for (int q = o.quarters - 1; q >= 0; --q) {
    int k = 4 * o.year + 3 - q;  // the year's Q4 is k = 4·year + 3
    a.quarters.push_back(QuarterPeriod(k / 4, k % 4 + 1));
  }
  const TableData& org = snap.table(TableId::kOrgUnits);
  const int f_kind = org.Field("kind");
  const int32_t team_kind = Code(org, f_kind, "team");
  std::map<int32_t, int> team_index;
  for (int32_t u = 0; u < static_cast<int32_t>(org.rows); ++u)
    if (org.Int(f_kind, u) == team_kind) {
      team_index[u] = static_cast<int>(a.teams.size());
      a.teams.emplace_back().org_unit = u;
      a.teams.back().by_quarter.resize(a.quarters.size());
    }
  a.council_by_quarter.resize(a.quarters.size());

  const TableData& ca = snap.table(TableId::kCaseAudits);
  const int f_on = ca.Field("audited_on"), f_item = ca.Field("item"), f_result = ca.Field("result"),
            f_org = ca.Field("org_unit_id");
  const int32_t met = Code(ca, f_result, "met"), na = Code(ca, f_result, "na");
  std::map<int32_t, CaseworkItem> items;  // by string-pool index
  for (int64_t r = 0; r < ca.rows; ++r) {
    Date on = ca.Int(f_on, r);
    int32_t result = ca.Int(f_result, r), item_pool = ca.Int(f_item, r);
    auto team = team_index.find(ca.Int(f_org, r));
    CaseworkItem& item = items[item_pool];
    if (item.by_team.empty()) {
      item.item = std::string(snap.Text(item_pool));
      item.by_team.resize(a.teams.size());
      item.by_quarter.resize(a.quarters.size());
    }
    for (size_t q = 0; q < a.quarters.size(); ++q) {
      if (!a.quarters[q].Contains(on)) continue;
      Tally(a.council_by_quarter[q], result, met, na);
      Tally(item.by_quarter[q], result, met, na);
      if (team != team_index.end()) Tally(a.teams[static_cast<size_t>(team->second)].by_quarter[q], result, met, na);
    }
    if (!a.year.Contains(on)) continue;
    Tally(a.council, result, met, na);
    Tally(item.council, result, met, na);
    if (team != team_index.end()) {
      Tally(a.teams[static_cast<size_t>(team->second)].year, result, met, na);
      Tally(item.by_team[static_cast<size_t>(team->second)], result, met, na);
    }
  }
  if (a.council.audited == 0)
    return Status::InvalidArgument(fmt::format("case_audits.csv has no audited items (met or not met) in {}",
                                               a.year.Label()));
  Finish(a.council);
  for (AuditRate& r : a.council_by_quarter) Finish(r);
  for (CaseworkTeam& t : a.teams) {
    Finish(t.year);
    for (AuditRate& r : t.by_quarter) Finish(r);
  }
  for (auto& [pool, item] : items) {
    Finish(item.council);
    for (AuditRate& r : item.by_team) Finish(r);
    for (AuditRate& r : item.by_quarter) Finish(r);
    if (item.council.audited > 0) a.items.push_back(std::move(item));
  }
  std::stable_sort(a.items.begin(), a.items.end(),
                   [](const CaseworkItem& x, const CaseworkItem& y) { return *x.council.rate < *y.council.rate; });

  // Poor files: below the 95% limit of the funnel of the teams' audit results.
  std::vector<double> num, den;
  for (const CaseworkTeam& t : a.teams) num.push_back(static_cast<double>(t.year.met)), den.push_back(static_cast<double>(t.year.audited));
  auto funnel = stats::FunnelPlot(num, den, stats::FunnelOptions{});
  if (funnel.ok()) {
    for (size_t i = 0; i < a.teams.size(); ++i) {
      CaseworkTeam& t = a.teams[i];
      const stats::FunnelUnit& u = funnel->units[i];
      if (!u.limits || t.year.audited < o.min_items) continue;
      t.funnel_lower95 = u.limits->lower95;
      t.poor_files = *t.year.rate < u.limits->lower95;
    }
  }

  // Good figures: the year's how_well percentages against the council's.
  auto figures = YearFigures(snap, defs, a.year, a.notes);
  const int32_t council = [&] {
    for (int32_t u = 0; u < static_cast<int32_t>(org.rows); ++u)
      if (snap.OrgParent(u) < 0) return u;
    return int32_t{0};
  }();
  auto item_rate = [&](const std::string& item, int team) -> std::pair<std::optional<double>, std::optional<double>> {
    for (const CaseworkItem& it : a.items)
      if (it.item == item) return {team >= 0 ? it.by_team[static_cast<size_t>(team)].rate : std::nullopt, it.council.rate};
    return {std::nullopt, std::nullopt};
  };
  for (size_t i = 0; i < a.teams.size(); ++i) {
    CaseworkTeam& t = a.teams[i];
    for (const ind::Definition& d : defs) {
      if (d.oba != ind::Oba::kHowWell || d.unit != ind::Unit::kPercent || d.id == "case-audit-met") continue;
      auto by_unit = figures.find(d.id);
      if (by_unit == figures.end()) continue;
      auto team_fig = by_unit->second.find(t.org_unit), council_fig = by_unit->second.find(council);
      if (team_fig == by_unit->second.end() || council_fig == by_unit->second.end() || !team_fig->second.value ||
          !council_fig->second.value)
        continue;
      IndicatorStanding s;
      s.indicator = d.id;
      s.team = *team_fig->second.value;
      s.council = *council_fig->second.value;
      s.better = d.polarity == ind::Polarity::kUp ? s.team > s.council : s.team < s.council;
      s.item = ItemFor(d.id);
      if (!s.item.empty()) std::tie(s.item_team, s.item_council) = item_rate(s.item, static_cast<int>(i));
      t.better += s.better;
      t.indicators.push_back(std::move(s));
    }
    const int compared = static_cast<int>(t.indicators.size());
    t.diverges = t.poor_files && compared >= o.min_indicators && 2 * t.better >= compared;
    if (!t.diverges) continue;
    a.diverging.push_back(static_cast<int>(i));
    std::string pairs;
    for (const IndicatorStanding& s : t.indicators)
      if (s.better && s.item_team && s.item_council && *s.item_team < *s.item_council)
        pairs += fmt::format("; {} {:.0f}% (council {:.0f}%) while '{}' is met in {} of its files (council {})",
                             s.indicator, s.team, s.council, s.item, FormatShare(*s.item_team),
                             FormatShare(*s.item_council));
    t.why = fmt::format("{}'s files meet the checklist in {} of {} items audited (council {}; the funnel's 95% limit "
                        "at its number of items is {}), yet {} of its {} how_well indicators are better than the "
                        "council's{}",
                        snap.OrgUnitId(t.org_unit), FormatShareCi(*t.year.rate, t.year.ci), FormatCount(t.year.audited),
                        FormatShare(*a.council.rate), FormatShare(*t.funnel_lower95), t.better, compared, pairs);
  }
  return a;
}

}  // namespace goldthread::planning
