#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/field.h"
#include "model/snapshot.h"
#include "sim/sim_test_util.h"

namespace goldthread::sim {
namespace {

namespace fs = std::filesystem;

/// One simulated CSV file, split (the simulator never quotes).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Col(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
};

Csv Load(const fs::path& dir, TableId t) {
  Csv csv;
  std::ifstream in(dir / Table(t).FileName());
  std::string line;
  std::getline(in, line);
  csv.header = Split(line);
  while (std::getline(in, line)) csv.rows.push_back(Split(line));
  return csv;
}

Date D(const std::string& s) {
  Date d = kNullDate;
  if (!s.empty()) {
    EXPECT_TRUE(TryParseDate(s, d)) << s;
  }
  return d;
}

fs::path TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("goldthread_sim_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  return p;
}

SimOptions Options(int64_t people, uint64_t seed) {
  SimOptions o;
  o.people = people;
  o.months = 24;
  o.seed = seed;
  o.start = DateFromCivil(2024, 10, 1);  // window 2024-10 .. 2026-09
  return o;
}

/// One council with every scenario planted, shared by the tests below.
class SimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<fs::path>(TempDir("council"));
    SimOptions o = Options(6000, 42);
    for (const char* s : {"letters", "bunching", "late_registration", "clock_reset", "backdating"}) {
      ScenarioRequest r;
      std::string problem;
      ASSERT_TRUE(TryParseScenario(s, r, problem));
      o.scenarios.push_back(r);
    }
    auto r = Simulate(o, *dir_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    summary_ = std::make_unique<SimSummary>(*r);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    dir_.reset();
    summary_.reset();
  }
  static const PlantedScenario& Planted(ScenarioKind k) {
    for (const PlantedScenario& p : summary_->planted)
      if (p.kind == k) return p;
    static PlantedScenario none;
    ADD_FAILURE() << "not planted";
    return none;
  }
  static std::unique_ptr<fs::path> dir_;
  static std::unique_ptr<SimSummary> summary_;
};
std::unique_ptr<fs::path> SimTest::dir_;
std::unique_ptr<SimSummary> SimTest::summary_;

TEST(SimDeterminismTest, SameSeedSameBytesDifferentSeedDifferent) {
  fs::path a = TempDir("a"), b = TempDir("b"), c = TempDir("c");
  SimOptions o = Options(400, 7);
  o.scenarios.push_back({ScenarioKind::kBunching, "T05"});
  ASSERT_TRUE(Simulate(o, a).ok());
  ASSERT_TRUE(Simulate(o, b).ok());
  o.seed = 8;
  ASSERT_TRUE(Simulate(o, c).ok());
  int differing = 0;
  for (const TableSpec& t : AllTables()) {
    EXPECT_EQ(ReadAll(a / t.FileName()), ReadAll(b / t.FileName())) << t.name;
    differing += ReadAll(a / t.FileName()) != ReadAll(c / t.FileName());
  }
  EXPECT_EQ(ReadAll(a / "scenarios.json"), ReadAll(b / "scenarios.json"));
  EXPECT_NE(ReadAll(a / "people.csv"), ReadAll(c / "people.csv"));
  EXPECT_GE(differing, 15);
  for (const fs::path& p : {a, b, c}) fs::remove_all(p);
}

TEST(SimOptionsTest, RejectsBadOptions) {
  SimOptions o = Options(50, 1);
  EXPECT_EQ(Simulate(o, TempDir("x")).status().message(), "--people must be at least 100 (got 50)");
  o = Options(1000, 1);
  o.scenarios.push_back({ScenarioKind::kLetters, "T09"});
  EXPECT_EQ(Simulate(o, TempDir("x")).status().message(),
            "scenario letters: no team 'T09' (a council of 1000 people has teams T01..T06)");
}

TEST_F(SimTest, EveryFileHasTheCanonicalHeaderAndValidRows) {
  SnapshotBuilder builder;
  int64_t total = 0;
  for (const TableSpec& t : AllTables()) {
    std::ifstream in(*dir_ / t.FileName());
    ASSERT_TRUE(in) << t.name;
    std::string line;
    std::getline(in, line);
    std::string header;
    for (const FieldSpec& f : t.fields) header += (header.empty() ? "" : ",") + std::string(f.name);
    EXPECT_EQ(line, header) << t.name;
    int64_t rows = 0;
    while (std::getline(in, line)) {
      ++rows;
      std::vector<std::string> v = Split(line);
      ASSERT_EQ(v.size(), t.fields.size()) << t.name << ":" << rows + 1;
      std::vector<FieldValue> parsed(v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        std::string problem;
        if (v[i].empty()) {
          EXPECT_FALSE(t.fields[i].required) << t.name << ":" << rows + 1 << ": " << t.fields[i].name;
          continue;
        }
        ASSERT_TRUE(TryParseField(t.fields[i], v[i], parsed[i], problem))
            << t.name << ":" << rows + 1 << ": " << t.fields[i].name << ": " << problem;
      }
      for (const DateOrder& o : t.date_orders) {
        if (parsed[o.start].null || parsed[o.end].null) continue;
        EXPECT_LE(parsed[o.start].i, parsed[o.end].i) << t.name << ":" << rows + 1 << ": " << line;
      }
      if (t.has_lineage) {  // nothing recorded after the extract
        const FieldValue& at = parsed[t.FieldIndex("recorded_at")];
        if (!at.null) {
          EXPECT_LE(DateOfTimestamp(at.i), summary_->end) << t.name << ": " << line;
        }
      }
      std::vector<std::string_view> views(v.begin(), v.end());
      Status s = builder.AddRow(t.id, views, 1);
      ASSERT_TRUE(s.ok()) << t.name << ":" << rows + 1 << ": " << s.ToString();
    }
    EXPECT_EQ(rows, summary_->rows[static_cast<int>(t.id)]) << t.name;
    if (t.id != TableId::kFeedback) {
      EXPECT_GT(rows, 0) << t.name;
    }
    total += rows;
  }
  EXPECT_EQ(total, summary_->total_rows);
  auto snap = builder.Finish();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->dangling_references(), 0);
  EXPECT_EQ((*snap)->people(), 6000);
}

TEST_F(SimTest, ScenariosJsonNamesWhatWasPlantedWhere) {
  nlohmann::json j = nlohmann::json::parse(ReadAll(*dir_ / "scenarios.json"));
  EXPECT_EQ(j["seed"], 42);
  EXPECT_EQ(j["start"], "2024-10-01");
  EXPECT_EQ(j["end"], "2026-09-30");
  ASSERT_EQ(j["scenarios"].size(), 5u);
  std::map<std::string, std::string> teams;
  for (const auto& s : j["scenarios"]) {
    teams[s["scenario"]] = s["team"];
    EXPECT_GT(s["records"].get<int64_t>(), 0) << s["scenario"];
  }
  EXPECT_EQ(teams["letters"], "T03");
  EXPECT_EQ(teams["bunching"], "T05");
  EXPECT_EQ(teams["backdating"], "T02");
}

//===----------------------------------------------------------------------===//
// Realistic rates (clean teams)
//===----------------------------------------------------------------------===//

bool ActiveOn(const std::vector<std::string>& r, int start, int end, Date on) {
  Date s = D(r[start]), e = D(r[end]);
  return s <= on && (e == kNullDate || e >= on);
}

TEST_F(SimTest, DirectPaymentsAndReviewsAtTheWindowEnd) {
  Csv sv = Load(*dir_, TableId::kServices);
  Csv rv = Load(*dir_, TableId::kReviews);
  const Date end = summary_->end;
  int type = sv.Col("service_type"), setting = sv.Col("setting"), term = sv.Col("term"),
      delivery = sv.Col("delivery"), start = sv.Col("start_on"), stop = sv.Col("end_on"), person = sv.Col("person_id");
  std::set<std::string> community, dp, long_term;
  for (const auto& r : sv.rows) {
    if (r[term] != "long" || r[type] == "carer_support" || !ActiveOn(r, start, stop, end)) continue;
    long_term.insert(r[person]);
    if (r[setting] != "community") continue;
    community.insert(r[person]);
    if (r[delivery] == "direct_payment") dp.insert(r[person]);
  }
  ASSERT_GT(community.size(), 200u);
  double dp_share = static_cast<double>(dp.size()) / community.size();
  EXPECT_GE(dp_share, 0.20);
  EXPECT_LE(dp_share, 0.35);
  std::set<std::string> reviewed;
  for (const auto& r : rv.rows) {
    Date done = D(r[rv.Col("completed_on")]);
    if (done != kNullDate && done > end - 365 && done <= end) reviewed.insert(r[rv.Col("person_id")]);
  }
  int n = 0;
  for (const std::string& p : long_term) n += reviewed.count(p);
  double review_rate = static_cast<double>(n) / long_term.size();
  EXPECT_GE(review_rate, 0.60);
  EXPECT_LE(review_rate, 0.85);
}

/// Days from the request's received_on to the assessment's completion, by team.
std::map<std::string, std::vector<int>> AssessmentDurations(const fs::path& dir, Date from) {
  Csv rq = Load(dir, TableId::kRequests);
  Csv as = Load(dir, TableId::kAssessments);
  std::map<std::string, Date> received;
  for (const auto& r : rq.rows) received[r[0]] = D(r[rq.Col("received_on")]);
  std::map<std::string, std::vector<int>> out;
  for (const auto& r : as.rows) {
    Date done = D(r[as.Col("completed_on")]);
    const std::string& req = r[as.Col("request_id")];
    if (done == kNullDate || done < from || req.empty()) continue;
    out[r[as.Col("org_unit_id")]].push_back(done - received.at(req));
  }
  return out;
}

TEST_F(SimTest, MostAssessmentsWithin28DaysWithALongTail) {
  int within = 0, total = 0, over_42 = 0;
  for (const auto& [team, days] : AssessmentDurations(*dir_, summary_->start)) {
    if (team == "T04" || team == "T05" || team == "T06") continue;  // planted there
    for (int d : days) {
      EXPECT_GE(d, 0);
      ++total;
      within += d <= 28;
      over_42 += d > 42;
    }
  }
  ASSERT_GT(total, 500);
  EXPECT_GE(within, 0.75 * total);
  EXPECT_LE(within, 0.95 * total);
  EXPECT_GE(over_42, 0.02 * total);
}

TEST_F(SimTest, MostReablementDischargesOf65PlusAreStillHomeAfter91Days) {
  Csv people = Load(*dir_, TableId::kPeople);
  Csv ep = Load(*dir_, TableId::kHospitalEpisodes);
  Csv ch = Load(*dir_, TableId::kCareHomeAdmissions);
  std::map<std::string, Date> birth;
  for (const auto& r : people.rows) {
    Date b = kNullDate;
    if (TryParseDateOrMonth(r[2], b)) birth[r[0]] = b;
  }
  std::multimap<std::string, Date> gone;  // died or moved permanently into a care home
  for (const auto& r : ep.rows)
    if (r[ep.Col("discharge_destination")] == "died") gone.emplace(r[1], D(r[ep.Col("discharged_on")]));
  for (const auto& r : ch.rows)
    if (r[ch.Col("permanent")] == "Y") gone.emplace(r[1], D(r[ch.Col("admitted_on")]));
  int home = 0, total = 0;
  for (const auto& r : ep.rows) {
    if (r[ep.Col("discharge_destination")] != "reablement") continue;
    Date out = D(r[ep.Col("discharged_on")]);
    if (out > summary_->end - 91 || !birth.count(r[1]) || AgeInYears(birth[r[1]], out) < 65) continue;
    ++total;
    bool left = false;
    for (auto [it, last] = gone.equal_range(r[1]); it != last; ++it)
      left |= it->second > out && it->second <= out + 91;
    home += !left;
  }
  ASSERT_GT(total, 100);
  EXPECT_GE(home, 0.76 * total);
  EXPECT_LE(home, 0.92 * total);
}

TEST_F(SimTest, CarersSurveyPopulationsAndCareHomeRates) {
  Csv sv = Load(*dir_, TableId::kSurveyResponses);
  std::map<std::string, std::map<std::string, int>> answers;
  for (const auto& r : sv.rows) answers[r[0]][r[4]] = std::stoi(r[5]);
  int complete = 0, qol_sum = 0, sat_n = 0, sat_good = 0;
  for (const auto& [id, a] : answers) {
    int q = 0, items = 0;
    for (const char* item : {"q_occupation", "q_control", "q_self_care", "q_safety", "q_social", "q_support"}) {
      auto it = a.find(item);
      if (it == a.end()) continue;
      EXPECT_GE(it->second, 1);
      EXPECT_LE(it->second, 3);
      q += 3 - it->second;
      ++items;
    }
    if (items == 6) ++complete, qol_sum += q;
    if (auto it = a.find("q_satisfaction"); it != a.end()) ++sat_n, sat_good += it->second <= 2;
  }
  ASSERT_GT(complete, 100);
  double qol = static_cast<double>(qol_sum) / complete;
  EXPECT_GE(qol, 6.8);
  EXPECT_LE(qol, 8.2);
  EXPECT_GE(sat_good, 0.28 * sat_n);
  EXPECT_LE(sat_good, 0.48 * sat_n);

  // 65+ residents are ~19% of the population; permanent admissions of 65+
  // run in the hundreds per 100,000 of them a year (ASCOF 2A(2)).
  Csv pop = Load(*dir_, TableId::kPopulations);
  int64_t all = 0, old = 0;
  for (const auto& r : pop.rows) {
    if (r[1] != "2025") continue;
    int64_t n = std::stoll(r[4]);
    all += n;
    if (r[2] == "65-74" || r[2] == "75-84" || r[2] == "85+") old += n;
  }
  EXPECT_NEAR(static_cast<double>(old) / all, 0.19, 0.015);
  Csv people = Load(*dir_, TableId::kPeople);
  std::map<std::string, Date> birth;
  for (const auto& r : people.rows) {
    Date b = kNullDate;
    if (TryParseDateOrMonth(r[2], b)) birth[r[0]] = b;
  }
  Csv ch = Load(*dir_, TableId::kCareHomeAdmissions);
  int admissions = 0;
  for (const auto& r : ch.rows) {
    Date on = D(r[2]);
    if (r[3] == "Y" && on >= DateFromCivil(2025, 4, 1) && on <= DateFromCivil(2026, 3, 31) && birth.count(r[1]) &&
        AgeInYears(birth[r[1]], on) >= 65)
      ++admissions;
  }
  double rate = admissions * 100000.0 / old;
  EXPECT_GE(rate, 250);
  EXPECT_LE(rate, 1000);
}

TEST_F(SimTest, SomeHomeCareIsIntensive) {
  // PAF C28: more than 10 hours and 6 or more visits in a week.
  Csv v = Load(*dir_, TableId::kVisits);
  std::map<std::pair<std::string, Date>, std::pair<int, int>> weeks;  // minutes, visits
  std::set<std::string> home_care;
  for (const auto& r : v.rows) {
    auto& w = weeks[{r[1], WeekStart(D(r[3]))}];
    w.first += std::stoi(r[4]);
    ++w.second;
    home_care.insert(r[1]);
  }
  std::set<std::string> intensive;
  for (const auto& [key, w] : weeks)
    if (w.first > 600 && w.second >= 6) intensive.insert(key.first);
  EXPECT_GT(intensive.size(), 0.05 * home_care.size());
  EXPECT_LT(intensive.size(), 0.5 * home_care.size());
}

//===----------------------------------------------------------------------===//
// Planted scenarios: present where asked, absent elsewhere
//===----------------------------------------------------------------------===//

TEST_F(SimTest, LettersAreOneMorningsBatchInTheirTeamOnly) {
  Csv b = Load(*dir_, TableId::kPersonalBudgets);
  int informed = b.Col("allocation_informed_on"), plan = b.Col("plan_agreed_on"), choice = b.Col("choice_confirmed_on"),
      start = b.Col("start_on"), team = b.Col("org_unit_id"), at = b.Col("recorded_at"), by = b.Col("recorded_by");
  int64_t letters = 0;
  std::set<std::string> days, users;
  Timestamp first = 0, last = 0;
  for (const auto& r : b.rows) {
    ASSERT_EQ(r[b.Col("recorded_as_budget")], "Y");
    if (r[plan].empty() && r[choice].empty()) {
      EXPECT_EQ(r[team], "T03");
      EXPECT_FALSE(r[informed].empty());
      Timestamp t = 0;
      ASSERT_TRUE(TryParseTimestamp(r[at], t));
      first = letters == 0 ? t : std::min(first, t);
      last = letters == 0 ? t : std::max(last, t);
      days.insert(r[at].substr(0, 10));
      users.insert(r[by]);
      ++letters;
    } else {
      // A genuine budget: all three criteria met on or before its start.
      for (int c : {informed, plan, choice}) EXPECT_LE(D(r[c]), D(r[start])) << r[0];
    }
  }
  EXPECT_EQ(letters, Planted(ScenarioKind::kLetters).records);
  EXPECT_GE(letters, 20);
  EXPECT_EQ(days.size(), 1u);
  EXPECT_EQ(users.size(), 1u);
  EXPECT_LE(last - first, 3 * 3600);
}

TEST_F(SimTest, BunchingPilesAssessmentsJustInsideTheDeadlineInItsTeamOnly) {
  const PlantedScenario& p = Planted(ScenarioKind::kBunching);
  for (const auto& [team, days] : AssessmentDurations(*dir_, p.from)) {
    int inside = 0, after = 0;  // days 25-28, days 29-35
    for (int d : days) inside += d >= 25 && d <= 28, after += d >= 29 && d <= 35;
    double ratio = static_cast<double>(after) / std::max(1, inside);
    if (team == p.team) {
      EXPECT_GE(inside, 30) << team;
      EXPECT_LT(ratio, 0.4) << team;
    } else if (team != "T06") {  // clock_reset shortens durations too
      EXPECT_GT(ratio, 0.6) << team << " " << inside << " " << after;
    }
  }
}

TEST_F(SimTest, LateRegistrationOnlyInItsTeam) {
  const PlantedScenario& p = Planted(ScenarioKind::kLateRegistration);
  Csv rq = Load(*dir_, TableId::kRequests);
  std::map<std::string, std::pair<int, int>> late;  // team -> (late, total)
  for (const auto& r : rq.rows) {
    Date contact = D(r[rq.Col("first_contact_on")]);
    if (contact == kNullDate || contact < p.from) continue;
    auto& l = late[r[rq.Col("org_unit_id")]];
    l.first += D(r[rq.Col("received_on")]) - contact >= 14;
    ++l.second;
  }
  for (const auto& [team, l] : late) {
    if (team == p.team) {
      EXPECT_GT(l.first, 0.3 * l.second) << team;
    } else {
      EXPECT_EQ(l.first, 0) << team;
    }
  }
}

TEST_F(SimTest, ClockResetsOnlyInTheirTeam) {
  const PlantedScenario& p = Planted(ScenarioKind::kClockReset);
  Csv rq = Load(*dir_, TableId::kRequests);
  std::map<std::string, std::vector<std::pair<Date, Date>>> by_person;  // received, closed-as-nfa
  for (const auto& r : rq.rows)
    by_person[r[1]].push_back({D(r[rq.Col("received_on")]),
                               r[rq.Col("outcome")] == "no_further_action" ? D(r[rq.Col("closed_on")]) : kNullDate});
  std::map<std::string, int> resets, requests;
  for (const auto& r : rq.rows) ++requests[r[rq.Col("org_unit_id")]];
  for (const auto& r : rq.rows) {
    Date closed = r[rq.Col("outcome")] == "no_further_action" ? D(r[rq.Col("closed_on")]) : kNullDate;
    if (closed == kNullDate) continue;
    for (const auto& [received, unused] : by_person[r[1]])
      if (received > closed && received <= closed + 7) {
        ++resets[r[rq.Col("org_unit_id")]];
        break;
      }
  }
  EXPECT_GE(resets[p.team], Planted(ScenarioKind::kClockReset).records);
  for (const auto& [team, n] : requests) {
    if (team != p.team) {
      EXPECT_LT(resets[team], 0.01 * n) << team;
    }
  }
}

TEST_F(SimTest, BackdatingSurgesAtTheYearEndOnlyInItsTeam) {
  const PlantedScenario& p = Planted(ScenarioKind::kBackdating);
  std::map<std::string, int> surge;
  for (const TableSpec& t : AllTables()) {
    if (!t.has_lineage || t.date_field < 0) continue;
    Csv c = Load(*dir_, t.id);
    int at = c.Col("recorded_at"), team = c.Col("org_unit_id");
    for (const auto& r : c.rows) {
      Date event = D(r[t.date_field]);
      Timestamp ts = 0;
      if (event == kNullDate || r[at].empty() || !TryParseTimestamp(r[at], ts)) continue;
      Date entered = DateOfTimestamp(ts);
      YearMonthDay ymd = CivilFromDate(entered);
      if (ymd.month == 3 && ymd.day >= 25 && entered - event >= 21) ++surge[r[team]];
    }
  }
  EXPECT_GE(surge[p.team], 200);
  for (const auto& [team, n] : surge) {
    if (team != p.team) {
      EXPECT_LT(n * 10, surge[p.team]) << team;
    }
  }
}

}  // namespace
}  // namespace goldthread::sim
