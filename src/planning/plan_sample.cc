#include "planning/plan_sample.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/period.h"

namespace goldthread::planning {
namespace {

// The teams' prime indicators: process measures of timeliness and quality
// and two outcomes (seed 003's "six or eight prime PIs"; seed 000: not
// only process).
struct PrimeTarget {
  const char* indicator;
  double value;
  const char* owner;      // "senior" or "manager": whose the target is
  const char* objective;  // the objective it serves
};
constexpr PrimeTarget kTeamTargets[] = {
    {"reviews-12m", 65.0, "senior", "O3"},         {"assessment-28d", 85.0, "manager", "O3"},
    {"carer-emergency-plan", 50.0, "senior", "O1"}, {"plan-with-review-date", 70.0, "senior", "O5"},
    {"still-home-91", 85.0, "manager", "O2"},      {"readmission-28d", 10.0, "manager", "O2"},
    {"case-audit-met", 80.0, "manager", "O5"},
};

std::string Area(const OrgUnitInfo& u) {
  const std::string suffix = " Locality Team";
  if (u.name.size() > suffix.size() && u.name.compare(u.name.size() - suffix.size(), suffix.size(), suffix) == 0)
    return u.name.substr(0, u.name.size() - suffix.size());
  return u.name.empty() ? u.id : u.name;
}

constexpr const char* kObjectives = R"([[objective]]
id = "O1"
title = "Carers have a life of their own alongside caring"
owner = "Director of Adult Social Care"
perspective = "customer"
description = "National Carers' Strategy: carers supported, with a plan for emergencies, and satisfied with that support."
indicators = ["carer-qol", "carer-satisfaction"]   # population indicators, at the council

[[objective]]
id = "O2"
title = "People live at home, independently, after a crisis"
owner = "Assistant Director, Adults"
perspective = "customer"
indicators = ["care-home-admissions-65", "still-home-91"]

[[objective]]
id = "O3"
title = "Assessments and reviews are timely and done well"
owner = "Assistant Director, Operations"
perspective = "internal_process"

[[objective]]
id = "O4"
title = "Personal budgets that people control, at a cost the council can sustain"
owner = "Head of Finance, Adults"
perspective = "financial"

[[objective]]
id = "O5"
title = "Staff record each case fully, so the figures are the work"
owner = "Principal Social Worker"
perspective = "learning_growth"

)";

}  // namespace

SamplePlan MakeSamplePlan(const OrgTree& org, Date data_end) {
  const int fy = FinancialYearOf(data_end);
  const std::string last_year_end = FormatDate(FinancialYearPeriod(fy - 1).end);
  const std::string year_end = FormatDate(FinancialYearPeriod(fy).end);
  const std::string next_year_end = FormatDate(FinancialYearPeriod(fy + 1).end);
  const int32_t root = org.Root();
  const std::string council_id = root >= 0 ? org.at(root).id : "C00";

  std::string head = fmt::format(
      "# A sample plan for the simulated council, written by `goldthread demo`.\n"
      "# docs/plans.md explains every table and key.\n"
      "title = \"Adult social care business plan {} to {}\"\n"
      "years = [\"{}\", \"{}\", \"{}\"]\n\n",
      FinancialYearPeriod(fy - 1).Label(), FinancialYearPeriod(fy + 1).Label(), FinancialYearPeriod(fy - 1).Label(),
      FinancialYearPeriod(fy).Label(), FinancialYearPeriod(fy + 1).Label());
  std::string body = kObjectives;

  // The council's strategic plan.
  body += fmt::format(
      "[[plan]]\nid = \"P-{0}\"\norg_unit = \"{0}\"\ntitle = \"Strategic plan\"\nowner = \"Director of Adult Social "
      "Care\"\nobjectives = [\"O1\", \"O2\", \"O3\", \"O4\", \"O5\"]\n"
      "indicators = [\"care-home-admissions-65\", \"carer-qol\", \"carer-satisfaction\"]\n"
      "owners = {{ \"carer-satisfaction\" = \"Carers' Lead\" }}\n\n"
      "[[target]]\nplan = \"P-{0}\"\nindicator = \"care-home-admissions-65\"\nvalue = 150.0   # per 100,000 "
      "residents aged 65+, in a quarter\nby = {1}\nowner = \"Assistant Director, Adults\"\nobjective = \"O2\"\n\n"
      "[[target]]\nplan = \"P-{0}\"\nindicator = \"carer-qol\"\nvalue = 8.0\nby = {2}\nper = \"year\"   # the "
      "carers' survey is once a year\nowner = \"Carers' Lead\"\nobjective = \"O1\"\n\n",
      council_id, year_end, next_year_end);

  // The teams whose ids sort first and third take the unrealistic and the
  // refused target ("T01" and "T03" in a simulated council).
  std::vector<std::string> team_ids;
  for (int32_t t = 0; t < org.size(); ++t)
    if (org.at(t).kind == "team") team_ids.push_back(org.at(t).id);
  std::sort(team_ids.begin(), team_ids.end());
  const std::string unrealistic_team = team_ids.empty() ? "" : team_ids.front();
  const std::string refused_team = team_ids.size() < 3 ? unrealistic_team : team_ids[2];

  // Each service's plan, and each team's under it.
  std::string draft_extra;
  for (int32_t s = 0; s < org.size(); ++s) {
    if (org.at(s).kind != "service") continue;
    const std::string& sid = org.at(s).id;
    body += fmt::format(
        "[[plan]]\nid = \"P-{0}\"\norg_unit = \"{0}\"\ntitle = \"Service plan, {1}\"\nowner = \"Head of Service, "
        "{1}\"\nobjectives = [\"O1\", \"O2\", \"O3\", \"O4\", \"O5\"]\nindicators = [\"requests-new\", "
        "\"assessments-completed\", \"pb-share\", \"dp-share\"]\n"
        "owners = {{ \"requests-new\" = \"Head of Service, {1}\", \"assessments-completed\" = \"Head of Service, "
        "{1}\" }}\n\n"
        "[[target]]\nplan = \"P-{0}\"\nindicator = \"pb-share\"\nvalue = 66.0\nby = {2}\nowner = \"Personalisation "
        "lead, {1}\"\nobjective = \"O4\"\n\n"
        "[[target]]\nplan = \"P-{0}\"\nindicator = \"dp-share\"\nvalue = 33.0\nby = {3}\nowner = \"Personalisation "
        "lead, {1}\"\nobjective = \"O4\"\n\n",
        sid, org.at(s).name.empty() ? sid : org.at(s).name, next_year_end, year_end);
    for (int32_t t = 0; t < org.size(); ++t) {
      if (org.at(t).kind != "team" || org.at(t).parent != s) continue;
      const std::string& tid = org.at(t).id;
      const std::string area = Area(org.at(t));
      std::string prime;
      for (const PrimeTarget& p : kTeamTargets) prime += fmt::format("{}\"{}\"", prime.empty() ? "" : ", ", p.indicator);
      body += fmt::format(
          "[[plan]]\nid = \"P-{0}\"\norg_unit = \"{0}\"\ntitle = \"Team plan, {1}\"\nowner = \"Team manager, "
          "{1}\"\nobjectives = [\"O1\", \"O2\", \"O3\", \"O5\"]\nprime = [{2}]\n\n",
          tid, area, prime);
      // A milestone already due: reviews at 55% by the end of last year.
      body += fmt::format(
          "[[target]]\nplan = \"P-{0}\"\nindicator = \"reviews-12m\"\nvalue = 55.0\nby = {1}\nowner = \"Senior "
          "practitioner, {2}\"\nobjective = \"O3\"\nnote = \"milestone\"\n\n",
          tid, last_year_end, area);
      for (const PrimeTarget& p : kTeamTargets) {
        // The first team's unrealistic target: 95% of assessments in 28 days.
        const bool unrealistic = tid == unrealistic_team && std::string(p.indicator) == "assessment-28d";
        const double value = unrealistic ? 95.0 : p.value;
        body += fmt::format("[[target]]\nplan = \"P-{0}\"\nindicator = \"{1}\"\nvalue = {2:.1f}\nby = {3}\nowner = "
                            "\"{4}, {5}\"\nobjective = \"{6}\"\n{7}\n",
                            tid, p.indicator, value, year_end,
                            std::string(p.owner) == "senior" ? "Senior practitioner" : "Team manager", area,
                            p.objective, unrealistic ? "note = \"the director's ask\"\n" : "");
      }
      // The refused team's target that is not SMART: a rate per 100,000
      // residents, which a team (with no residents of its own) has no
      // figure for.
      if (tid == refused_team)
        draft_extra = fmt::format(
            "[[target]]\nplan = \"P-{0}\"\nindicator = \"care-home-admissions-65\"\nvalue = 120.0\nby = {1}\nowner "
            "= \"Team manager, {2}\"\nobjective = \"O2\"\n\n",
            tid, year_end, area);
    }
  }
  return {head + body + draft_extra, head + body};
}

}  // namespace goldthread::planning
