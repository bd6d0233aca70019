#include "planning/hub_audit.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "planning/hub_codes.h"
#include "planning/hub_count.h"
#include "planning/hub_provision.h"
#include "planning/hub_rating.h"

namespace goldthread::planning {
namespace {

using internal::AreaList;
using internal::CarerFacts;

/// carer_populations.csv as (area, group) -> estimated carers; area -1 is
/// a row whose area is "all" (the council's own figure).
struct Estimates {
  std::map<std::pair<int, int>, int64_t> count;
  std::set<int> areas_with_rows;
};

Estimates ReadEstimates(const Snapshot& snap, const AreaList& areas, std::vector<std::string>& warnings) {
  Estimates e;
  const TableData& cp = snap.table(TableId::kCarerPopulations);
  const int f_area = cp.Field("area"), f_group = cp.Field("group"), f_count = cp.Field("estimated_count");
  std::vector<std::string_view> ids;
  for (const HubGroupInfo& g : HubGroups()) ids.push_back(g.id);
  std::set<std::string> unknown;
  for (int64_t r = 0; r < cp.rows; ++r) {
    std::string_view area = snap.Text(cp.Int(f_area, r)), group = snap.Text(cp.Int(f_group, r));
    int32_t n = cp.Int(f_count, r);
    int g = FindHubGroup(group);
    if (g < 0) {
      if (unknown.insert(std::string(group)).second) {
        std::string hint = ClosestName(group, ids);
        if (hint.empty() && FindHubGroup("psr_" + std::string(group)) >= 0) hint = "psr_" + std::string(group);
        warnings.push_back(fmt::format("carer_populations.csv: group '{}' is not a Hub group, so its rows are not used "
                                       "(expected one of the ids of shared/DESIGN.md section 7{})",
                                       group, hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      }
      continue;
    }
    if (n == kNullI32) continue;
    int a = area == "all" ? -1 : areas.Find(area);
    e.count[{a, g}] += n;
    e.areas_with_rows.insert(a);
  }
  return e;
}

/// The estimate of a group in an area; for the council, its own row or the
/// sum of every area's (none when some area with estimates lacks the group).
std::optional<int64_t> EstimateFor(const Estimates& e, int group, int area) {
  if (auto it = e.count.find({area, group}); it != e.count.end()) return it->second;
  if (area >= 0) return std::nullopt;
  int64_t sum = 0;
  bool any = false;
  for (int a : e.areas_with_rows) {
    if (a < 0) continue;
    auto it = e.count.find({a, group});
    if (it == e.count.end()) return std::nullopt;
    sum += it->second;
    any = true;
  }
  return any ? std::optional<int64_t>(sum) : std::nullopt;
}

/// Per cell, while counting: the providers by string-pool index.
using ProviderTally = std::vector<std::pair<int32_t, int64_t>>;

void Count(HubCell& c, const CarerFacts& f, int intervention, ProviderTally* providers) {
  ++c.reached;
  if (!f.assessed) ++c.without_assessment;
  if (f.satisfied >= 0) ++c.respondents, c.satisfied += f.satisfied;
  if (f.improved >= 0) ++c.measured, c.improved += f.improved;
  if (!providers) return;
  for (const auto& [iv, provider] : f.providers) {
    if (iv != intervention) continue;
    if (provider == internal::kDirectPayment) {
      ++c.direct_payments;
      continue;
    }
    auto it = std::find_if(providers->begin(), providers->end(), [&](const auto& p) { return p.first == provider; });
    if (it == providers->end()) providers->emplace_back(provider, 1);
    else ++it->second;
  }
}

template <typename Fn>
void ForEachCellOf(const CarerFacts& f, int area_count, Fn fn) {
  for (int g = 0; g < kHubGroupCount; ++g) {
    if (!(f.groups & (1u << g))) continue;
    fn(g, -1);
    if (f.area >= 0 && f.area < area_count) fn(g, f.area);
  }
}

void Finish(HubCell& c, const Estimates& e, const Snapshot& snap, const ProviderTally* tally) {
  c.estimated = EstimateFor(e, c.group, c.area);
  if (c.estimated && *c.estimated > 0) {
    const double n = static_cast<double>(*c.estimated);
    c.reach = static_cast<double>(c.reached) / n;
    // Wilson (shared/STATISTICS.md section 1): the interval treats the
    // estimate as exact; its own uncertainty is not in it (docs/hub.md).
    c.reach_ci = stats::WilsonInterval(static_cast<double>(c.reached), n);
  }
  if (!tally) return;
  for (const auto& [pool, n] : *tally) {
    HubProviderReach p;
    p.id = std::string(snap.Text(pool));
    p.reached = n;
    if (c.estimated && *c.estimated > 0) p.reach = static_cast<double>(n) / static_cast<double>(*c.estimated);
    c.providers.push_back(std::move(p));
  }
  std::sort(c.providers.begin(), c.providers.end(), [](const HubProviderReach& a, const HubProviderReach& b) {
    return a.reached != b.reached ? a.reached > b.reached : a.id < b.id;
  });
}

/// Which target of a loaded plan covers each area (index area + 1): a
/// target on a Hub plan indicator, due on or after the year's start, set
/// for the council or (areas) for the team recording most of the area's
/// Hub services or a unit above it.
std::vector<std::string> PlansByArea(const Snapshot& snap, const HubAudit& a, const std::vector<CarerFacts>& facts,
                                     const HubOptions& o, std::vector<HubPlanTarget>& used) {
  std::vector<std::string> out(a.areas.size() + 1);
  std::vector<std::map<int32_t, int64_t>> teams(a.areas.size());
  for (const CarerFacts& f : facts)
    if (f.area >= 0 && f.team >= 0) ++teams[static_cast<size_t>(f.area)][f.team];
  auto covers = [&](int32_t unit, int32_t team) {
    for (int32_t u = team; u >= 0; u = snap.OrgParent(u))
      if (u == unit) return true;
    return false;
  };
  for (const HubPlanTarget& t : o.plan_targets) {
    if (std::find(o.rules.plan_indicators.begin(), o.rules.plan_indicators.end(), t.indicator) ==
            o.rules.plan_indicators.end() ||
        t.org_unit < 0 || (t.by != kNullDate && t.by < a.year.start))
      continue;
    bool counted = false;
    std::string words = fmt::format("{}'s target on {} at {} by {}", t.plan, t.indicator, snap.OrgUnitId(t.org_unit),
                                    FormatDate(t.by));
    if (snap.OrgParent(t.org_unit) < 0 && out[0].empty()) out[0] = words, counted = true;
    for (size_t area = 0; area < a.areas.size(); ++area) {
      if (!out[area + 1].empty() || teams[area].empty()) continue;
      int32_t team = std::max_element(teams[area].begin(), teams[area].end(), [](const auto& x, const auto& y) {
                       return x.second != y.second ? x.second < y.second : x.first > y.first;
                     })->first;
      if (covers(t.org_unit, team)) out[area + 1] = words, counted = true;
    }
    if (counted) used.push_back(t);
  }
  return out;
}

}  // namespace

int DefaultHubYear(Date data_end) {
  if (data_end == kNullDate) return 0;
  int fy = FinancialYearOf(data_end);
  return data_end >= FinancialYearPeriod(fy).end ? fy : fy - 1;
}

Result<HubAudit> RunHubAudit(const Snapshot& snap, const HubOptions& o) {
  if (snap.table(TableId::kOrgUnits).rows == 0) return Status::InvalidArgument("the store has no org units");
  HubAudit a;
  a.year = FinancialYearPeriod(o.year);
  a.data_end = o.data_end;
  a.partial = o.data_end != kNullDate && o.data_end < a.year.end;
  const Period previous = FinancialYearPeriod(o.year - 1);
  a.previous_comparable = o.data_start != kNullDate && o.data_start <= previous.start;
  if (a.partial)
    a.warnings.push_back(fmt::format("the records end on {}, before the year does: reach counts only part of {}",
                                     FormatDate(o.data_end), a.year.Label()));

  AreaList areas = internal::CollectAreas(snap);
  a.areas = areas.names;
  const int area_count = a.AreaCount();
  Estimates estimates = ReadEstimates(snap, areas, a.warnings);
  if (estimates.count.empty())
    a.warnings.push_back("carer_populations.csv has no estimates of carers by group: reach cannot be computed");

  const size_t per_block = a.areas.size() + 1;
  a.cells.resize(static_cast<size_t>(kHubInterventionCount) * kHubGroupCount * per_block);
  a.totals.resize(static_cast<size_t>(kHubGroupCount) * per_block);
  for (int iv = 0; iv < kHubInterventionCount; ++iv)
    for (int g = 0; g < kHubGroupCount; ++g)
      for (int area = -1; area < area_count; ++area) {
        HubCell& c = a.cells[a.CellIndex(iv, g, area)];
        c.intervention = iv, c.group = g, c.area = area;
        c.previous_reached = a.previous_comparable ? 0 : -1;
      }
  for (int g = 0; g < kHubGroupCount; ++g)
    for (int area = -1; area < area_count; ++area) {
      HubCell& c = a.totals[static_cast<size_t>(g) * per_block + static_cast<size_t>(area + 1)];
      c.intervention = -1, c.group = g, c.area = area;
      c.previous_reached = a.previous_comparable ? 0 : -1;
    }

  std::vector<CarerFacts> facts = internal::CollectCarers(snap, a.year, areas);
  std::vector<ProviderTally> tallies(a.cells.size());
  for (const CarerFacts& f : facts) {
    ++a.carers_reached;
    if (!f.assessed) ++a.carers_without_assessment;
    if (f.unknown_condition) ++a.carers_unknown_condition;
    if (f.unknown_age) ++a.carers_unknown_age;
    ForEachCellOf(f, area_count, [&](int g, int area) {
      Count(a.totals[static_cast<size_t>(g) * per_block + static_cast<size_t>(area + 1)], f, -1, nullptr);
      for (int iv = 0; iv < kHubInterventionCount; ++iv) {
        if (!(f.interventions & (1u << iv))) continue;
        size_t i = a.CellIndex(iv, g, area);
        Count(a.cells[i], f, iv, &tallies[i]);
      }
    });
  }
  if (a.previous_comparable) {
    for (const CarerFacts& f : internal::CollectCarers(snap, previous, areas)) {
      ForEachCellOf(f, area_count, [&](int g, int area) {
        ++a.totals[static_cast<size_t>(g) * per_block + static_cast<size_t>(area + 1)].previous_reached;
        for (int iv = 0; iv < kHubInterventionCount; ++iv)
          if (f.interventions & (1u << iv)) ++a.cells[a.CellIndex(iv, g, area)].previous_reached;
      });
    }
  }
  for (size_t i = 0; i < a.cells.size(); ++i) Finish(a.cells[i], estimates, snap, &tallies[i]);
  for (HubCell& c : a.totals) Finish(c, estimates, snap, nullptr);
  if (a.carers_unknown_condition > 0)
    a.warnings.push_back(fmt::format(
        "{} of the {} carers reached have no cared-for person with a known primary support reason in the year (no "
        "care link, or the reason is unknown): they are in no psr_ group",
        a.carers_unknown_condition, a.carers_reached));
  if (a.carers_unknown_age > 0)
    a.warnings.push_back(fmt::format("{} carers reached have no birth date: they are in no age group",
                                     a.carers_unknown_age));

  std::vector<std::string> plans = PlansByArea(snap, a, facts, o, a.plan_targets);
  RateAudit(a, o.rules, plans);
  FindProvision(a, o.rules);
  AnswerQuestions(a, o.rules);
  return a;
}

}  // namespace goldthread::planning
