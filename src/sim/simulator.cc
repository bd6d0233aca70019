#include "sim/simulator.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/file.h"
#include "sim/carer_support.h"
#include "sim/council.h"
#include "sim/generator.h"
#include "sim/nation.h"

namespace goldthread::sim {
namespace {

/// The 31 Marches (financial-year ends) within [from, to], in order.
std::vector<Date> YearEndsBetween(Date from, Date to) {
  std::vector<Date> out;
  for (int y = CivilFromDate(from).year; y <= CivilFromDate(to).year; ++y) {
    Date d = DateFromCivil(y, 3, 31);
    if (d >= from && d <= to) out.push_back(d);
  }
  return out;
}

Date WeekdayOnOrBefore(Date d) {
  int wd = IsoWeekday(d);
  return wd >= 5 ? d - (wd - 4) : d;
}

std::string Detail(const PlantState& p, ScenarioKind k) {
  switch (k) {
    case ScenarioKind::kLetters:
      return "personal budgets recorded_as_budget=Y with only allocation_informed_on set, all recorded "
             "between 09:00 and 11:30 on one day by one user";
    case ScenarioKind::kBunching:
      return "needs and carer assessments that would have taken 29-50 days closed on day 25-28";
    case ScenarioKind::kLateRegistration:
      return "requests whose received_on is 14-60 days after first_contact_on";
    case ScenarioKind::kClockReset:
      return "requests closed as no_further_action on day 18-26 and re-opened for the same person 1-6 "
             "days later";
    case ScenarioKind::kBackdating:
      return "records whose event was 3 weeks to 8 months earlier, recorded_at in the last week of the "
             "financial year";
  }
  return {};
}

}  // namespace

int TeamCountFor(int64_t people) {
  if (people < 5000) return 6;
  int extra = static_cast<int>(std::floor(std::log2(static_cast<double>(people) / 2500.0)));
  return std::clamp(6 + extra, 6, 12);
}

Date DefaultStart(Date today, int months) {
  YearMonthDay c = CivilFromDate(today);
  // The last quarter (ending June, September, December, March) that has
  // ended before today's month began.
  int end_month = (c.month - 1) / 3 * 3;
  int end_year = c.year;
  if (end_month == 0) end_month = 12, --end_year;
  return AddMonths(DateFromCivil(end_year, end_month, 1), -(months - 1));
}

namespace {

/// One council to generate: its shape, the patterns planted in it, and the
/// people.csv row count to generate up to.
struct Part {
  Council council;
  std::vector<ScenarioRequest> requests;
  std::array<PlantState, kScenarioCount> plants;
  int64_t people = 0;
  int64_t upto = 0;
  uint64_t tail_stream = 0;  // finance's random stream
  int poor_files_team = -1;   // see MarkPoorFilesTeam
};

/// A team with good figures and poor files for the casework audit (issue
/// 12): the team best at reviews keeps its figures, but its case files meet
/// the checklist less often. Only the audit's "met" chance changes, so every
/// random draw, and every other record, is as it was.
void MarkPoorFilesTeam(Part& part) {
  std::vector<TeamProfile>& teams = part.council.teams;
  if (teams.size() < 7) return;
  int best = 0;
  for (int t = 1; t < static_cast<int>(teams.size()); ++t)
    if (teams[t].review_rate > teams[best].review_rate) best = t;
  teams[best].audit_met = 0.55;
  part.poor_files_team = best;
}

/// Day-care activity falls through the last whole financial year under a
/// flat budget (the costs audit's "budget on target while activity falls"),
/// when the window has a year of finance before it to compare with; the
/// first day of that year, or kNullDate.
Date ActivityFallFrom(const Window& win) {
  Date fall_from = kNullDate;
  for (Date end : YearEndsBetween(win.start, win.end)) {
    Date fy_start = AddMonths(end + 1, -12);
    if (fy_start >= AddMonths(win.start, 12)) fall_from = fy_start;
  }
  return fall_from;
}

/// What the Carers' Hub and costs audits should find in one council (issue 12).
nlohmann::json HubExpectations(const Part& part, Date fall_from) {
  const Council& council = part.council;
  nlohmann::json hub = {{"activity_fall", fall_from == kNullDate ? nlohmann::json(nullptr)
                                                                : nlohmann::json{{"service_type", "day_care"},
                                                                                 {"from", FormatMonth(fall_from)}}}};
  if (int t = OverProvidedTeam(council); t >= 0) hub["over_provided_area"] = council.teams[t].area;
  if (int t = GoodPracticeTeam(council); t >= 0) hub["good_practice_area"] = council.teams[t].area;
  if (part.poor_files_team >= 0) hub["poor_files_team"] = council.teams[part.poor_files_team].id;
  return hub;
}

/// Where and when each of the council's scenarios is planted: from a third
/// of the way into the window, so each team's series has a clean stretch
/// first. `no_team` says which teams there are, for the error.
Status PlanPlants(Part& part, const SimOptions& options, const Window& win, const std::string& no_team) {
  Council& council = part.council;
  Date active_from = AddMonths(options.start, options.months / 3);
  std::vector<Date> year_ends = YearEndsBetween(active_from, win.end);
  if (year_ends.empty()) year_ends = YearEndsBetween(win.start, win.end);
  if (year_ends.empty()) year_ends.push_back(win.end);
  for (const ScenarioRequest& r : part.requests) {
    PlantState& p = part.plants[static_cast<int>(r.kind)];
    if (p.on)
      return Status::InvalidArgument("scenario " + std::string(ScenarioName(r.kind)) + " is named twice" +
                                     (council.who.prefix.empty() ? "" : " in " + council.who.id));
    auto it = std::find_if(council.teams.begin(), council.teams.end(),
                           [&](const TeamProfile& t) { return t.id == r.team; });
    if (it == council.teams.end())
      return Status::InvalidArgument("scenario " + std::string(ScenarioName(r.kind)) + ": no team '" + r.team +
                                     "' (" + no_team + ")");
    p.on = true;
    p.team = static_cast<int>(it - council.teams.begin());
    if (r.kind == ScenarioKind::kBunching || r.kind == ScenarioKind::kClockReset) {
      // A team under pressure: slower assessments are what tempt it to game.
      it->assess_median_days = std::max(it->assess_median_days, 19.0);
    }
    p.from = active_from;
    p.to = win.end;
    if (r.kind == ScenarioKind::kLetters) {
      // A morning near the year end (Somerset: the letters went out before
      // the 2013-14 return).
      Date day = WeekdayOnOrBefore(year_ends.back() - 4);
      p.from = p.to = day;
      p.year_ends = {day};
    } else if (r.kind == ScenarioKind::kBackdating) {
      p.year_ends = year_ends;
      p.from = year_ends.front() - 6;
      p.to = year_ends.back();
    }
  }
  return Status::Ok();
}

/// The councils to generate: the one council, or a national set's.
Result<std::vector<Part>> PlanParts(const SimOptions& options, const Window& win) {
  std::vector<Part> parts;
  if (options.councils == 0) {
    const int team_count = TeamCountFor(options.people);
    Rng council_rng(MixSeed(options.seed, 0xC0C1ULL));
    Part& part = parts.emplace_back();
    part.council = BuildCouncil(options.people, team_count, council_rng);
    part.requests = options.scenarios;
    part.people = part.upto = options.people;
    part.tail_stream = MixSeed(options.seed, 0xF1A7ULL);
    MarkPoorFilesTeam(part);
    GT_RETURN_IF_ERROR(PlanPlants(part, options, win,
                                  "a council of " + std::to_string(options.people) + " people has teams T01..T" +
                                      (team_count < 10 ? "0" : "") + std::to_string(team_count)));
    return parts;
  }
  Result<std::vector<CouncilPlan>> planned = PlanCouncils(options.councils, options.people, options.seed);
  if (!planned.ok()) return planned.status();
  const std::vector<CouncilPlan>& plans = *planned;
  // Named scenarios replace the drawn ones; each must name a team in full.
  const std::string no_team = "a national set's teams are named in full, " + plans.front().who.prefix + "T01 to " +
                              plans.back().who.prefix + "T" + (plans.back().teams < 10 ? "0" : "") +
                              std::to_string(plans.back().teams);
  for (const ScenarioRequest& r : options.scenarios) {
    bool found = false;
    for (const CouncilPlan& cp : plans)
      found = found || (r.team.rfind(cp.who.prefix, 0) == 0 && r.team.size() == cp.who.prefix.size() + 3);
    if (!found)
      return Status::InvalidArgument("scenario " + std::string(ScenarioName(r.kind)) + ": no team '" + r.team +
                                     "' (" + no_team + ")");
  }
  int64_t upto = 0;
  for (const CouncilPlan& cp : plans) {
    Rng council_rng(cp.stream);
    Part& part = parts.emplace_back();
    part.council = BuildCouncil(cp.people, cp.teams, council_rng, cp.who);
    if (options.scenarios.empty()) {
      part.requests = cp.scenarios;
    } else {
      for (const ScenarioRequest& r : options.scenarios)
        if (r.team.rfind(cp.who.prefix, 0) == 0) part.requests.push_back(r);
    }
    upto += cp.people;
    part.people = cp.people;
    part.upto = upto;
    part.tail_stream = MixSeed(cp.stream, 0xF1A7ULL);
    MarkPoorFilesTeam(part);
    GT_RETURN_IF_ERROR(PlanPlants(part, options, win, no_team));
  }
  return parts;
}

}  // namespace

Result<SimSummary> Simulate(const SimOptions& options, const std::filesystem::path& out_dir) {
  if (options.people < 100)
    return Status::InvalidArgument("--people must be at least 100 (got " + std::to_string(options.people) + ")");
  if (options.people > 200'000'000)
    return Status::InvalidArgument("--people must be at most 200000000");
  if (options.months < 1 || options.months > 240)
    return Status::InvalidArgument("--months must be 1..240 (got " + std::to_string(options.months) + ")");
  if (options.start == kNullDate || CivilFromDate(options.start).day != 1)
    return Status::InvalidArgument("the start must be the first day of a month");

  Window win;
  win.start = options.start;
  win.history_start = AddMonths(options.start, -12);
  win.end = AddMonths(options.start, options.months) - 1;
  Result<std::vector<Part>> planned = PlanParts(options, win);
  if (!planned.ok()) return planned.status();
  std::vector<Part>& parts = *planned;

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Status::IOError("cannot create " + out_dir.string() + ": " + ec.message());
  Writers writers;
  for (const TableSpec& t : AllTables()) GT_RETURN_IF_ERROR(writers[static_cast<int>(t.id)].Open(out_dir, t));
  auto w = [&](TableId t) -> CsvWriter& { return writers[static_cast<int>(t)]; };

  if (options.councils > 0) WriteNationAndRegions(w(TableId::kOrgUnits));
  for (const Part& part : parts) GT_RETURN_IF_ERROR(WriteOrgUnits(part.council, w(TableId::kOrgUnits)));
  IdCounters ids{};
  const Date fall_from = ActivityFallFrom(win);
  SimSummary summary;
  for (Part& part : parts) {
    const Council& council = part.council;
    const int team_count = static_cast<int>(council.teams.size());
    Finance finance(team_count, win.start, options.months);
    if (fall_from != kNullDate) finance.PlantActivityFall(ServiceType::kDayCare, fall_from, 0.025, 0.6);
    Generator gen(council, win, options.seed, writers, finance, part.plants, ids);
    gen.Run(part.upto);
    Rng tail_rng(part.tail_stream);
    finance.Write(council, tail_rng, w(TableId::kFinance));
    WritePopulations(council, CivilFromDate(win.history_start).year, CivilFromDate(win.end).year,
                     w(TableId::kPopulations));
    WriteCarerPopulations(council, w(TableId::kCarerPopulations));
    summary.teams += team_count;
  }

  summary.start = win.start;
  summary.end = win.end;
  summary.councils = options.councils;
  for (const TableSpec& t : AllTables()) {
    CsvWriter& cw = w(t.id);
    GT_RETURN_IF_ERROR(cw.Close());
    summary.rows[static_cast<int>(t.id)] = cw.rows();
    summary.total_rows += cw.rows();
    summary.total_bytes += cw.bytes();
  }

  nlohmann::json planted = nlohmann::json::array();
  nlohmann::json teams = nlohmann::json::array();
  nlohmann::json councils = nlohmann::json::array();
  for (const Part& part : parts) {
    const Council& council = part.council;
    nlohmann::json council_planted = nlohmann::json::array();
    for (const ScenarioRequest& r : part.requests) {
      const PlantState& p = part.plants[static_cast<int>(r.kind)];
      PlantedScenario ps{r.kind, r.team, p.from, p.to, p.records, Detail(p, r.kind)};
      summary.planted.push_back(ps);
      nlohmann::json j = {{"scenario", ScenarioName(r.kind)}, {"team", r.team},
                          {"from", FormatDate(p.from)},      {"to", FormatDate(p.to)},
                          {"records", p.records},            {"detail", ps.detail}};
      if (r.kind == ScenarioKind::kLetters) j["recorded_by"] = council.teams[p.team].admin_user;
      if (r.kind == ScenarioKind::kBackdating) {
        nlohmann::json ends = nlohmann::json::array();
        for (Date d : p.year_ends) ends.push_back(FormatDate(d));
        j["year_ends"] = ends;
      }
      planted.push_back(j);
      council_planted.push_back(r.team + " " + std::string(ScenarioName(r.kind)));
    }
    nlohmann::json council_teams = nlohmann::json::array();
    for (const TeamProfile& t : council.teams) teams.push_back(t.id), council_teams.push_back(t.id);
    if (options.councils > 0) {
      const CouncilIdentity& who = council.who;
      councils.push_back({{"id", who.id},
                          {"name", who.name},
                          {"region", who.parent},
                          {"people", part.people},
                          {"perf_shift", who.perf_shift},
                          {"dp_shift", who.dp_shift},
                          {"survey_shift", who.survey_shift},
                          {"teams", council_teams},
                          {"scenarios", council_planted},
                          {"hub", HubExpectations(part, fall_from)}});
    }
  }
  nlohmann::json doc = {{"seed", options.seed},
                        {"people", options.people},
                        {"months", options.months},
                        {"start", FormatDate(win.start)},
                        {"end", FormatDate(win.end)},
                        {"history_start", FormatDate(win.history_start)},
                        {"teams", teams},
                        {"scenarios", planted}};
  if (options.councils > 0)
    doc["councils"] = councils;
  else
    doc["hub"] = HubExpectations(parts.front(), fall_from);
  GT_RETURN_IF_ERROR(WriteOutputFile((out_dir / "scenarios.json").string(), doc.dump(2) + "\n"));
  return summary;
}

}  // namespace goldthread::sim
