#include "planning/hub_rating.h"

#include <fmt/format.h>

#include "planning/hub_codes.h"
#include "planning/hub_format.h"
#include "stats/comparison.h"

namespace goldthread::planning {
namespace {

std::string Joined(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

/// The figures of a cell, in words, and what is missing.
struct Figures {
  std::vector<std::string> said, missing;
  bool satisfaction = false, outcomes = false;  // measured robustly
  double satisfied_share = 0, improved_share = 0;
};

Figures Describe(const HubCell& c, const HubRules& rules) {
  Figures f;
  const std::string group = std::string(HubGroups()[static_cast<size_t>(c.group)].plain);
  if (c.estimated && c.reach) {
    f.said.push_back(fmt::format("reach {} of an estimated {} {}", FormatShareCi(*c.reach, c.reach_ci),
                                 FormatCount(*c.estimated), group));
    if (!c.reach_ci) f.missing.push_back("more carers reached than estimated: the estimate looks too low");
  } else {
    f.said.push_back(fmt::format("{} reached", FormatCount(c.reached)));
    f.missing.push_back(c.estimated ? "the estimate of carers in the group is 0"
                                    : "no estimate of the carers in the group (carer_populations.csv)");
  }
  if (c.respondents >= rules.min_respondents && c.respondents > 0) {
    f.satisfaction = true;
    f.satisfied_share = static_cast<double>(c.satisfied) / static_cast<double>(c.respondents);
    f.said.push_back(fmt::format("{} of {} survey respondents extremely or very satisfied",
                                 FormatShare(f.satisfied_share), FormatCount(c.respondents)));
  } else if (c.respondents > 0) {
    f.missing.push_back(fmt::format("satisfaction not measured robustly ({} survey respondents, {} needed)",
                                    c.respondents, rules.min_respondents));
  } else {
    f.missing.push_back("satisfaction not measured");
  }
  if (c.measured >= rules.min_measured && c.measured > 0) {
    f.outcomes = true;
    f.improved_share = static_cast<double>(c.improved) / static_cast<double>(c.measured);
    f.said.push_back(fmt::format("outcomes improved for {} of {} measured", FormatShare(f.improved_share),
                                 FormatCount(c.measured)));
  } else if (c.measured > 0) {
    f.missing.push_back(fmt::format("outcomes not measured robustly ({} followed up, {} needed)", c.measured,
                                    rules.min_measured));
  } else {
    f.missing.push_back("outcomes not measured");
  }
  size_t providers = c.providers.size();
  if (providers > 0 || c.direct_payments > 0) {
    std::string p = providers == 1 ? "1 provider" : fmt::format("{} providers", providers);
    if (c.direct_payments > 0) p += fmt::format(", {} by direct payment", FormatCount(c.direct_payments));
    f.said.push_back(p);
  }
  if (c.without_assessment > 0)
    f.said.push_back(fmt::format("{} without a carer assessment", FormatCount(c.without_assessment)));
  return f;
}

}  // namespace

std::string_view RatingName(Rating r) {
  switch (r) {
    case Rating::kRed: return "red";
    case Rating::kAmber: return "amber";
    case Rating::kGreen: return "green";
    case Rating::kNone: break;
  }
  return "";
}

std::string_view ScaleName(Scale s) {
  switch (s) {
    case Scale::kEarly: return "early";
    case Scale::kIntermediate: return "intermediate";
    case Scale::kAdvanced: return "advanced";
  }
  return "";
}

void RateCell(HubCell& c, const HubCell* all_carers, const std::vector<std::string>& red_overlooked,
              const HubRules& rules) {
  const ReachThresholds& t = c.intervention < 0 ? rules.reach : rules.ReachFor(c.intervention);
  Figures f = Describe(c, rules);
  std::vector<std::string> red, not_green;
  // Red (seed 001 section 8.7): "little or nothing is offered to carers, or
  // what is on offer is not of an acceptable quality. Carers have few or no
  // choices and many needs remain unmet."
  if (c.reached == 0) {
    red.push_back("nothing offered: no carer in the group reached");
  } else if (c.reach && *c.reach < t.red_below) {
    red.push_back(fmt::format("little offered: reach under {}", FormatShare(t.red_below)));
  }
  if (f.satisfaction && f.satisfied_share < rules.red_satisfaction_below)
    red.push_back(fmt::format("quality not acceptable: under {} satisfied", FormatShare(rules.red_satisfaction_below)));
  if (all_carers && c.reached > 0 && c.reach_ci && all_carers->reach &&
      c.reach_ci->high < rules.red_group_share_of_all * *all_carers->reach)
    red.push_back(fmt::format("few or no choices for this group: reach clearly below {} of all carers' {}",
                              rules.red_group_share_of_all == 0.5 ? std::string("half")
                                                                   : FormatShare(rules.red_group_share_of_all),
                              FormatShare(*all_carers->reach)));
  // Green: "there are comprehensive services of this type for all carers
  // who wish to use them and carers of many groups and communities report
  // high levels of satisfaction. Positive impacts have been measured using
  // robust processes."
  if (!c.reach || *c.reach < t.green_at_least)
    not_green.push_back(fmt::format("reach under {}", FormatShare(t.green_at_least)));
  if (!f.satisfaction) not_green.push_back("satisfaction not measured robustly");
  else if (f.satisfied_share < rules.green_satisfaction_at_least)
    not_green.push_back(fmt::format("under {} satisfied", FormatShare(rules.green_satisfaction_at_least)));
  if (!f.outcomes) not_green.push_back("outcomes not measured robustly");
  else if (f.improved_share < rules.green_improved_at_least)
    not_green.push_back(fmt::format("outcomes improved for under {}", FormatShare(rules.green_improved_at_least)));
  if (!all_carers && rules.green_every_overlooked_group && !red_overlooked.empty())
    not_green.push_back("only reaching certain groups: red for " + Joined(red_overlooked, ", "));

  std::string why;
  if (!red.empty()) {
    c.rating = Rating::kRed;
    why = Joined(red, "; ");
  } else if (!c.reach) {
    c.rating = Rating::kNone;
    why = "reach cannot be judged without an estimate";
  } else if (not_green.empty()) {
    c.rating = Rating::kGreen;
    why = "comprehensive, satisfying and shown to improve outcomes";
  } else {
    // Amber: "there is some activity in this area but room for significant
    // progress ... Evidence of quality, user satisfaction and outcomes is
    // inconclusive or variable."
    c.rating = Rating::kAmber;
    why = "some activity; not green: " + Joined(not_green, "; ");
  }
  std::string name = c.rating == Rating::kNone ? "Not rated" : Capitalised(std::string(RatingName(c.rating)));
  c.evidence = fmt::format("{}: {}. {}.", name, why, Capitalised(Joined(f.said, "; ")));
  c.missing = std::move(f.missing);
}

void ScaleCell(HubCell& c, const std::string& plan, const HubRules& rules) {
  c.has_plan = !plan.empty();
  const bool evaluated = (c.respondents >= rules.min_respondents && c.respondents > 0) ||
                         (c.measured >= rules.min_measured && c.measured > 0);
  bool rise = false, significant_rise = false, significant_fall = false;
  std::string change;
  if (c.previous_reached < 0) {
    change = "no earlier year in the data to show change";
  } else if (auto r = stats::PoissonCountRatio(static_cast<double>(c.reached), static_cast<double>(c.previous_reached))) {
    // Ederer & Mantel (1974): the exact interval for the ratio of this
    // year's count of carers reached to last year's.
    rise = c.reached > c.previous_reached;
    significant_rise = r->ci.low > 1.0;
    significant_fall = r->ci.high < 1.0;
    change = fmt::format("carers reached {} from {} to {} (ratio {}{})", rise ? "rose" : c.reached == c.previous_reached ? "held" : "fell",
                         FormatCount(c.previous_reached), FormatCount(c.reached), FormatRatio(r->estimate, r->ci),
                         significant_rise ? ", beyond chance" : significant_fall ? ", a fall beyond chance" : ", within chance");
  } else {
    change = "no carer reached in either year";
  }
  const bool green_held = c.rating == Rating::kGreen && c.previous_reached >= 0 && !significant_fall;
  std::vector<std::string> said = {change};
  said.push_back(c.has_plan ? "plan: " + plan : "no plan with a target for carers covers it");
  said.push_back(evaluated ? "achievements evaluated (survey or outcome measures)" : "achievements not evaluated");
  // Seed 001 section 8.7. Advanced: "evidence of significant progress and
  // evaluation of current achievements". Intermediate: "some evidence of
  // progress and firm plans in place for future work". Early: "little
  // evidence of change yet; still at a stage of planning and development".
  if (evaluated && (significant_rise || green_held)) {
    c.scale = Scale::kAdvanced;
  } else if (c.has_plan && (rise || green_held)) {
    c.scale = Scale::kIntermediate;
  } else {
    c.scale = Scale::kEarly;
  }
  c.scale_evidence = fmt::format("{}: {}.", Capitalised(std::string(ScaleName(c.scale))), Joined(said, "; "));
}

bool ClearlyLow(const HubCell& c, const HubCell* all_carers, const HubRules& rules) {
  if (!c.reach_ci) return false;
  const ReachThresholds& t = c.intervention < 0 ? rules.reach : rules.ReachFor(c.intervention);
  if (c.reach_ci->high < t.red_below) return true;
  return all_carers && all_carers->reach && c.reach_ci->high < rules.red_group_share_of_all * *all_carers->reach;
}

void RateAudit(HubAudit& a, const HubRules& rules, const std::vector<std::string>& plan_by_area) {
  const int areas = a.AreaCount();
  auto rate_block = [&](auto cell_at) {
    for (int area = -1; area < areas; ++area) {
      HubCell& all = cell_at(kHubGroupAll, area);
      std::vector<std::string> red_overlooked;
      for (int g = 1; g < kHubGroupCount; ++g) {
        HubCell& c = cell_at(g, area);
        RateCell(c, &all, {}, rules);
        if (IsOverlooked(g) && ClearlyLow(c, &all, rules))
          red_overlooked.push_back(std::string(HubGroups()[static_cast<size_t>(g)].id));
      }
      RateCell(all, nullptr, red_overlooked, rules);
      for (int g = 0; g < kHubGroupCount; ++g) ScaleCell(cell_at(g, area), plan_by_area[static_cast<size_t>(area + 1)], rules);
    }
  };
  for (int iv = 0; iv < kHubInterventionCount; ++iv)
    rate_block([&](int g, int area) -> HubCell& { return a.cells[a.CellIndex(iv, g, area)]; });
  rate_block([&](int g, int area) -> HubCell& {
    return a.totals[static_cast<size_t>(g) * (a.areas.size() + 1) + static_cast<size_t>(area + 1)];
  });
}

}  // namespace goldthread::planning
