#include "planning/hub_provision.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "planning/hub_codes.h"
#include "planning/hub_format.h"
#include "planning/hub_rating.h"

namespace goldthread::planning {
namespace {

std::string_view Title(int intervention) { return HubInterventions()[static_cast<size_t>(intervention)].title; }
std::string_view Plain(int group) { return HubGroups()[static_cast<size_t>(group)].plain; }
std::string InArea(const HubAudit& a, int area) { return area < 0 ? "the council" : a.areas[static_cast<size_t>(area)]; }

int Rank(int group) { return IsOverlooked(group) ? 0 : group == kHubGroupAll ? 2 : 1; }

std::string UnderWhy(const HubAudit& a, const HubCell& c, const HubCell& all, const HubRules& rules) {
  const ReachThresholds& t = rules.ReachFor(c.intervention);
  std::string where = InArea(a, c.area);
  if (c.reached == 0)
    return fmt::format("no {} reached by {} in {} (an estimated {})", Plain(c.group), Title(c.intervention), where,
                       FormatCount(*c.estimated));
  std::string against = c.group != kHubGroupAll && all.reach && c.reach_ci->high >= t.red_below
                            ? fmt::format("against {} for all carers", FormatShare(*all.reach))
                            : fmt::format("clearly under {}", FormatShare(t.red_below));
  return fmt::format("{} reaches {} of an estimated {} {} in {}, {}", Title(c.intervention),
                     FormatShareCi(*c.reach, c.reach_ci), FormatCount(*c.estimated), Plain(c.group), where, against);
}

bool OverProvided(const HubCell& c, const HubRules& rules) {
  if (static_cast<int64_t>(c.providers.size()) < rules.over_min_providers || !c.estimated) return false;
  for (const HubProviderReach& p : c.providers)
    if (!p.reach || *p.reach >= rules.over_provider_reach_below) return false;
  return true;
}

std::string OverWhy(const HubAudit& a, const HubCell& c, const HubRules& rules) {
  std::string list;
  for (const HubProviderReach& p : c.providers)
    list += fmt::format("{}{} {} ({})", list.empty() ? "" : ", ", p.id, FormatCount(p.reached), FormatShare(*p.reach));
  return fmt::format("{} providers run {} for {} in {}: {}; each reaches under {} of an estimated {}",
                     c.providers.size(), Title(c.intervention), Plain(c.group), InArea(a, c.area), list,
                     FormatShare(rules.over_provider_reach_below), FormatCount(*c.estimated));
}

std::string Ratio(double group, double all) { return fmt::format("{:.2f}", group / all); }

}  // namespace

void FindProvision(HubAudit& a, const HubRules& rules) {
  a.under.clear();
  a.over.clear();
  std::vector<const HubCell*> under;
  for (int iv = 0; iv < kHubInterventionCount; ++iv)
    for (int g = 0; g < kHubGroupCount; ++g)
      for (int area = -1; area < a.AreaCount(); ++area) {
        const HubCell& c = a.cell(iv, g, area);
        const HubCell& all = a.cell(iv, kHubGroupAll, area);
        if (c.estimated && *c.estimated > 0 && ClearlyLow(c, g == kHubGroupAll ? nullptr : &all, rules))
          under.push_back(&c);
        bool all_over = g != kHubGroupAll && OverProvided(all, rules);
        if (!all_over && OverProvided(c, rules)) a.over.push_back({iv, g, area, OverWhy(a, c, rules)});
      }
  std::stable_sort(under.begin(), under.end(), [](const HubCell* x, const HubCell* y) {
    if (Rank(x->group) != Rank(y->group)) return Rank(x->group) < Rank(y->group);
    if ((x->area < 0) != (y->area < 0)) return x->area < 0;
    return *x->reach < *y->reach;
  });
  for (const HubCell* c : under)
    a.under.push_back({c->intervention, c->group, c->area, UnderWhy(a, *c, a.cell(c->intervention, kHubGroupAll, c->area), rules)});
}

void AnswerQuestions(HubAudit& a, const HubRules& rules) {
  a.questions.clear();
  const HubCell& everyone = a.total(kHubGroupAll, -1);

  // 1. Who are current services and partnerships reaching?
  HubQuestion q1{"Who are current services and partnerships reaching?", {}};
  std::string of_estimate = everyone.reach ? fmt::format(" ({} of an estimated {})", FormatShare(*everyone.reach),
                                                         FormatCount(*everyone.estimated))
                                           : "";
  q1.answers.push_back(fmt::format(
      "{} carers were reached by Hub support in {}{}; {} of them had no carer assessment recorded, so an "
      "indicator that counts assessments would miss them.",
      FormatCount(a.carers_reached), a.year.Label(), of_estimate, FormatCount(a.carers_without_assessment)));
  std::vector<std::pair<int64_t, int>> used;
  for (int iv = 0; iv < kHubInterventionCount; ++iv) used.push_back({a.cell(iv, kHubGroupAll, -1).reached, iv});
  std::sort(used.begin(), used.end(), [](auto x, auto y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
  std::string top;
  for (size_t i = 0; i < 3 && i < used.size() && used[i].first > 0; ++i)
    top += fmt::format("{}{} ({})", top.empty() ? "" : ", ", Title(used[i].second), FormatCount(used[i].first));
  if (!top.empty()) q1.answers.push_back("Most used: " + top + ".");
  std::vector<std::pair<double, int>> groups;
  for (int g = 1; g < kHubGroupCount; ++g)
    if (const HubCell& t = a.total(g, -1); t.reach && t.reached > 0) groups.push_back({*t.reach, g});
  std::sort(groups.begin(), groups.end(), [](auto x, auto y) { return x.first > y.first; });
  if (groups.size() >= 2) {
    auto name = [&](size_t i) { return fmt::format("{} ({})", Plain(groups[i].second), FormatShare(groups[i].first)); };
    std::string most, least;
    for (size_t i = 0; i < 3 && i < groups.size(); ++i) most += (most.empty() ? "" : ", ") + name(i);
    for (size_t i = groups.size(); i-- > 0 && groups.size() - i <= 3;) least += (least.empty() ? "" : ", ") + name(i);
    q1.answers.push_back(fmt::format("Reached most for their numbers: {}; least: {}.", most, least));
  }
  const HubCell* best = nullptr;
  const HubCell* worst = nullptr;
  for (int area = 0; area < a.AreaCount(); ++area) {
    const HubCell& t = a.total(kHubGroupAll, area);
    if (!t.reach) continue;
    if (!best || *t.reach > *best->reach) best = &t;
    if (!worst || *t.reach < *worst->reach) worst = &t;
  }
  if (best && worst && best != worst)
    q1.answers.push_back(fmt::format("By area, reach is highest in {} ({}) and lowest in {} ({}).", InArea(a, best->area),
                                     FormatShare(*best->reach), InArea(a, worst->area), FormatShare(*worst->reach)));
  a.questions.push_back(std::move(q1));

  // 2. Which groups may have distinct needs in this area? A group using a
  // kind of support clearly (its 95% lower limit) more than twice as often
  // as carers overall.
  HubQuestion q2{"Which groups may have distinct needs in this area?", {}};
  std::vector<std::tuple<double, int, int>> distinct;
  for (int g = 1; g < kHubGroupCount; ++g)
    for (int iv = 0; iv < kHubInterventionCount; ++iv) {
      const HubCell& c = a.cell(iv, g, -1);
      const HubCell& all = a.cell(iv, kHubGroupAll, -1);
      if (c.reach_ci && all.reach && *all.reach > 0 && c.reach_ci->low > 2.0 * *all.reach)
        distinct.push_back({*c.reach / *all.reach, g, iv});
    }
  std::sort(distinct.begin(), distinct.end(), [](auto x, auto y) { return std::get<0>(x) > std::get<0>(y); });
  for (size_t i = 0; i < distinct.size() && i < 8; ++i) {
    auto [ratio, g, iv] = distinct[i];
    q2.answers.push_back(fmt::format("{} use {} {:.1f} times as often as carers overall ({} against {}).",
                                     HubGroups()[static_cast<size_t>(g)].title, Title(iv), ratio,
                                     FormatShare(*a.cell(iv, g, -1).reach), FormatShare(*a.cell(iv, kHubGroupAll, -1).reach)));
  }
  if (q2.answers.empty())
    q2.answers.push_back("No group uses any one kind of support clearly more than twice as often as carers overall.");
  a.questions.push_back(std::move(q2));

  // 3. Who are the most excluded and overlooked groups?
  HubQuestion q3{"Who are the most excluded and overlooked groups?", {}};
  std::vector<std::pair<double, int>> overlooked;
  for (int g = 0; g < kHubGroupCount; ++g)
    if (const HubCell& t = a.total(g, -1); IsOverlooked(g) && t.reach && everyone.reach && *everyone.reach > 0)
      overlooked.push_back({*t.reach / *everyone.reach, g});
  std::sort(overlooked.begin(), overlooked.end());
  for (auto [ratio, g] : overlooked) {
    const HubCell& t = a.total(g, -1);
    std::string none;
    for (int iv = 0; iv < kHubInterventionCount; ++iv) {
      const HubCell& c = a.cell(iv, g, -1);
      const HubCell& all = a.cell(iv, kHubGroupAll, -1);
      // An absence worth naming: at all carers' rate, 3 or more would be expected.
      if (c.reached == 0 && c.estimated && all.reach && static_cast<double>(*c.estimated) * *all.reach >= 3.0)
        none += (none.empty() ? "" : ", ") + std::string(Title(iv));
    }
    q3.answers.push_back(fmt::format("{}: reach {} against {} for all carers ({} times){}.",
                                     HubGroups()[static_cast<size_t>(g)].title, FormatShareCi(*t.reach, t.reach_ci),
                                     FormatShare(*everyone.reach), Ratio(*t.reach, *everyone.reach),
                                     none.empty() ? "" : "; none reached by " + none));
  }
  if (q3.answers.empty()) q3.answers.push_back("No estimates of the overlooked groups, so their reach is not known.");
  a.questions.push_back(std::move(q3));

  // 4. How can those challenges be overcome? Where each of the three least
  // reached overlooked groups is reached best, and by whom.
  HubQuestion q4{"How can those challenges be overcome?", {}};
  for (size_t i = 0; i < overlooked.size() && i < 3; ++i) {
    int g = overlooked[i].second;
    const HubCell& council = a.total(g, -1);
    const HubCell* top = nullptr;
    for (int area = 0; area < a.AreaCount(); ++area) {
      const HubCell& t = a.total(g, area);
      if (t.reach && t.reached >= 5 && (!top || *t.reach > *top->reach)) top = &t;
    }
    if (!top || !council.reach || *top->reach < 1.5 * *council.reach) {
      q4.answers.push_back(fmt::format(
          "{} are reached no better in any area: small-scale work to learn what would reach them is the start "
          "(seed 001 section 9.1).",
          HubGroups()[static_cast<size_t>(g)].title));
      continue;
    }
    std::map<std::string, int64_t> by_provider;
    for (int iv = 0; iv < kHubInterventionCount; ++iv)
      for (const HubProviderReach& p : a.cell(iv, g, top->area).providers) by_provider[p.id] += p.reached;
    std::vector<std::pair<int64_t, std::string>> providers;
    for (auto& [id, n] : by_provider) providers.push_back({n, id});
    std::sort(providers.rbegin(), providers.rend());
    std::string who;
    for (size_t k = 0; k < providers.size() && k < 2; ++k) who += (who.empty() ? "" : " and ") + providers[k].second;
    q4.answers.push_back(fmt::format("{} are reached best in {} ({}, against {} council-wide){}: what works there is "
                                     "the place to start.",
                                     HubGroups()[static_cast<size_t>(g)].title, InArea(a, top->area),
                                     FormatShare(*top->reach), FormatShare(*council.reach),
                                     who.empty() ? "" : ", mostly by " + who));
  }
  if (a.carers_without_assessment > 0)
    q4.answers.push_back(fmt::format("{} of the carers reached had no assessment: keep counting the voluntary "
                                     "sector's support, which reaches carers without one (seed 000).",
                                     a.carers_reached > 0 ? FormatShare(static_cast<double>(a.carers_without_assessment) /
                                                                        static_cast<double>(a.carers_reached))
                                                          : "None"));
  a.questions.push_back(std::move(q4));

  // 5. Where is there duplication or over-provision?
  HubQuestion q5{"Where is there duplication or over-provision?", {}};
  for (const HubProvision& p : a.over) q5.answers.push_back(p.why + ".");
  if (q5.answers.empty())
    q5.answers.push_back(fmt::format("No support is run by {} or more providers each reaching few carers of the same "
                                     "group.",
                                     rules.over_min_providers));
  a.questions.push_back(std::move(q5));
}

}  // namespace goldthread::planning
