// End-to-end tests of the Carers' Hub and costs audits (issue 12) on the
// demo council: the built binary's `hub --json` and `costs --json` figures
// checked against an independent computation, SQL over the SQLite store run
// by the sqlite3 command-line tool, written from shared/DESIGN.md sections 3
// and 7 and docs/hub.md without the C++ (no snapshot, no engine, no
// planning code). Also the commands' usage errors and exit codes.

#include <gtest/gtest.h>

#include <memory>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <set>
#include <tuple>

#include "ingest/import.h"
#include "sim/simulator.h"
#include "store/store.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

struct ShellRun {
  int exit_code = -1;
  std::string out, err;
};

ShellRun Shell(const std::string& cmd, const fs::path& dir, const std::string& input = "/dev/null") {
  const fs::path out = dir / "stdout", err = dir / "stderr";
  const int status = std::system((cmd + " <" + input + " >" + out.string() + " 2>" + err.string()).c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
}

// The demo council exactly as `goldthread demo` makes it (20,000 people, 36
// months, seed 2026, letters and bunching planted), with the window fixed
// by a fixed "today" so the test does not move with the calendar: the
// records run 2023-10 to 2026-09, and the latest whole financial year is
// 2025-26.
class Issue12HubCliTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<fs::path>(fs::path(testing::TempDir()) / ("gt_issue12_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    sim::SimOptions o;
    o.people = 20000;
    o.months = 36;
    o.seed = 2026;
    o.start = sim::DefaultStart(DateFromCivil(2026, 11, 23), 36);
    for (sim::ScenarioKind k : {sim::ScenarioKind::kLetters, sim::ScenarioKind::kBunching}) {
      sim::ScenarioRequest r;
      r.kind = k;
      r.team = std::string(sim::DefaultScenarioTeam(k));
      o.scenarios.push_back(r);
    }
    auto summary = sim::Simulate(o, *dir_ / "data");
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    auto store = OpenStore(Store(), OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto imported = ImportDirectory(**store, (*dir_ / "data").string(), ImportOptions{});
    ASSERT_TRUE(imported.ok() && imported->committed) << (imported.ok() ? "" : imported.status().ToString());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    dir_.reset();
  }
  static std::string Store() { return (*dir_ / "demo.db").string(); }

  static ShellRun Goldthread(const std::string& args) { return Shell(std::string(GOLDTHREAD_BINARY) + " " + args, *dir_); }

  /// Runs SQL with the sqlite3 tool, rows as JSON objects.
  static json Sql(const std::string& sql) {
    const fs::path file = *dir_ / "query.sql";
    std::ofstream(file, std::ios::binary) << sql;
    ShellRun r = Shell("sqlite3 -readonly -json " + Store(), *dir_, file.string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.empty() ? json::array() : json::parse(r.out);
  }

  static std::unique_ptr<fs::path> dir_;
};

std::unique_ptr<fs::path> Issue12HubCliTest::dir_;

// The Hub's figures per cell, from docs/hub.md "What is counted", in SQL:
// a carer is reached by an intervention when a current service row with
// that hub_intervention overlaps 2025-26; groups by flag, age on the first
// day of the year with a service, employment and the cared-for person's
// reason under a care link overlapping the year; areas by the carer's own
// area (else a cared-for person's).
constexpr const char* kCellsSql = R"SQL(
WITH y(ys, ye) AS (VALUES ('2025-04-01', '2026-03-31')),
svc AS (
  SELECT s.person_id AS person, s.hub_intervention AS iv, s.provider_id AS provider, s.delivery AS delivery,
         s.start_on AS start_on
  FROM services s, y
  WHERE s.current = 1 AND COALESCE(s.hub_intervention, '') <> '' AND s.start_on <= y.ye
    AND (COALESCE(s.end_on, '') = '' OR s.end_on >= y.ys)),
reached AS (SELECT person, MAX(MIN(start_on), (SELECT ys FROM y)) AS first_day FROM svc GROUP BY person),
links AS (
  SELECT l.carer_id AS person, c.primary_support_reason AS psr, c.area AS area
  FROM care_links l JOIN people c ON c.person_id = l.cared_for_id AND c.current = 1, y
  WHERE l.current = 1 AND l.start_date <= y.ye AND (COALESCE(l.end_date, '') = '' OR l.end_date >= y.ys)),
info AS (
  SELECT r.person AS person, r.first_day AS first_day, p.groups AS flags, p.employment AS employment,
         CASE WHEN length(p.birth_date) = 7 THEN p.birth_date || '-01' ELSE p.birth_date END AS birth,
         COALESCE(NULLIF(p.area, ''),
                  (SELECT k.area FROM links k WHERE k.person = r.person AND COALESCE(k.area, '') <> '' LIMIT 1)) AS area
  FROM reached r JOIN people p ON p.person_id = r.person AND p.current = 1),
ages AS (
  SELECT person, CAST(substr(first_day, 1, 4) AS INTEGER) - CAST(substr(birth, 1, 4) AS INTEGER)
                 - (substr(first_day, 6, 5) < substr(birth, 6, 5)) AS age
  FROM info WHERE COALESCE(birth, '') <> ''),
flags(name) AS (VALUES ('bme'), ('refugee'), ('lgbt'), ('traveller'), ('distance'), ('young_adult')),
member AS (
  SELECT person, 'all' AS grp FROM info
  UNION ALL
  SELECT i.person, f.name FROM info i, flags f WHERE ';' || COALESCE(i.flags, '') || ';' LIKE '%;' || f.name || ';%'
  UNION ALL
  SELECT person, CASE WHEN age <= 24 THEN 'age_16_24' WHEN age <= 64 THEN 'age_25_64' ELSE 'age_65_plus' END
  FROM ages WHERE age >= 16
  UNION ALL
  SELECT person, 'working' FROM info WHERE employment IN ('full_time', 'part_time')
  UNION ALL
  SELECT DISTINCT k.person, 'psr_' || k.psr FROM links k JOIN reached r ON r.person = k.person
  WHERE COALESCE(k.psr, '') NOT IN ('', 'unknown')),
cellp AS (
  SELECT DISTINCT s.iv AS iv, m.grp AS grp, 'all' AS area, s.person AS person
  FROM svc s JOIN member m ON m.person = s.person
  UNION
  SELECT DISTINCT s.iv, m.grp, i.area, s.person
  FROM svc s JOIN member m ON m.person = s.person JOIN info i ON i.person = s.person
  WHERE COALESCE(i.area, '') <> ''),
assessed AS (
  SELECT DISTINCT a.person_id AS person FROM assessments a, y
  WHERE a.current = 1 AND a.kind IN ('carer', 'joint') AND COALESCE(a.completed_on, '') <> '' AND a.completed_on <= y.ye),
prov AS (
  SELECT c.iv AS iv, c.grp AS grp, c.area AS area, COUNT(DISTINCT s.provider) AS providers
  FROM cellp c JOIN svc s ON s.person = c.person AND s.iv = c.iv
  WHERE COALESCE(s.delivery, '') <> 'direct_payment' AND COALESCE(s.provider, '') <> ''
  GROUP BY 1, 2, 3),
sat AS (
  SELECT person, answer FROM (
    SELECT q.person_id AS person, CAST(q.answer AS INTEGER) AS answer,
           ROW_NUMBER() OVER (PARTITION BY q.person_id ORDER BY q.collected_on DESC) AS rn
    FROM survey_responses q, y
    WHERE q.current = 1 AND q.instrument = 'sace' AND q.item = 'q_satisfaction'
      AND q.collected_on BETWEEN y.ys AND y.ye AND CAST(q.answer AS INTEGER) BETWEEN 1 AND 7)
  WHERE rn = 1),
m AS (
  SELECT person_id AS person, instrument, stage, measured_on, SUM(CAST(score AS REAL)) AS total
  FROM outcome_measures WHERE current = 1 GROUP BY 1, 2, 3, 4),
fu AS (
  SELECT person, instrument, measured_on, total FROM (
    SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.person ORDER BY m.measured_on DESC) AS rn
    FROM m, y WHERE m.stage = 'follow_up' AND m.measured_on BETWEEN y.ys AND y.ye)
  WHERE rn = 1),
imp AS (
  SELECT f.person AS person,
         f.total > (SELECT b.total FROM m b WHERE b.person = f.person AND b.instrument = f.instrument
                    AND b.stage = 'baseline' AND b.measured_on < f.measured_on ORDER BY b.measured_on DESC LIMIT 1)
           AS improved
  FROM fu f
  WHERE EXISTS (SELECT 1 FROM m b WHERE b.person = f.person AND b.instrument = f.instrument
                AND b.stage = 'baseline' AND b.measured_on < f.measured_on))
SELECT c.iv AS iv, c.grp AS grp, c.area AS area, COUNT(*) AS reached,
       SUM(c.person NOT IN (SELECT person FROM assessed)) AS without_assessment,
       COALESCE((SELECT p.providers FROM prov p WHERE p.iv = c.iv AND p.grp = c.grp AND p.area = c.area), 0)
         AS providers,
       SUM(s.answer IS NOT NULL) AS respondents, SUM(COALESCE(s.answer <= 2, 0)) AS satisfied,
       SUM(i.improved IS NOT NULL) AS measured, SUM(COALESCE(i.improved, 0)) AS improved
FROM cellp c LEFT JOIN sat s ON s.person = c.person LEFT JOIN imp i ON i.person = c.person
GROUP BY 1, 2, 3;
)SQL";

// Wilson (1927), typed here from shared/STATISTICS.md section 1 rather than
// taken from src/stats.
std::pair<double, double> Wilson(double x, double n) {
  const double z = 1.959963984540054, z2 = z * z;
  const double centre = (x + z2 / 2) / (n + z2), half = z * std::sqrt(x * (n - x) / n + z2 / 4) / (n + z2);
  return {x == 0 ? 0.0 : centre - half, x == n ? 1.0 : centre + half};
}

TEST_F(Issue12HubCliTest, HubJsonAgreesWithSqlOverTheStore) {
  ShellRun hub = Goldthread("hub " + Store() + " --json " + (*dir_ / "hub.json").string());
  ASSERT_EQ(hub.exit_code, 0) << hub.err;
  json doc = json::parse(Slurp(*dir_ / "hub.json"));
  EXPECT_EQ(doc["year"], "2025-26");
  EXPECT_EQ(doc["data_end"], "2026-09-30");

  std::map<std::tuple<std::string, std::string, std::string>, json> sql;
  for (const json& row : Sql(kCellsSql)) sql[{row["iv"], row["grp"], row["area"]}] = row;
  ASSERT_GT(sql.size(), 500u);
  // Estimates: carer_populations.csv by area and group; the council's is
  // the sum over its areas (the simulated council gives no "all" area row).
  std::map<std::pair<std::string, std::string>, int64_t> estimate;
  for (const json& row : Sql("SELECT area, \"group\" AS grp, SUM(CAST(estimated_count AS INTEGER)) AS n "
                             "FROM carer_populations WHERE current = 1 GROUP BY 1, 2;")) {
    estimate[{row["area"], row["grp"]}] += row["n"].get<int64_t>();
    estimate[{"all", row["grp"]}] += row["n"].get<int64_t>();
  }

  const json& cells = doc["cells"];
  ASSERT_EQ(cells.size(), 17u * 17u * (doc["areas"].size() + 1));
  size_t compared = 0, nonzero = 0;
  for (const json& c : cells) {
    const std::string iv = c["intervention"], grp = c["group"], area = c["area"];
    SCOPED_TRACE(iv + " / " + grp + " / " + area);
    auto it = sql.find({iv, grp, area});
    const int64_t reached = it == sql.end() ? 0 : (*it).second["reached"].get<int64_t>();
    EXPECT_EQ(c["reached"].get<int64_t>(), reached);
    if (it != sql.end()) {
      const json& r = it->second;
      ++nonzero;
      EXPECT_EQ(c["without_assessment"], r["without_assessment"]);
      EXPECT_EQ(c["providers"], r["providers"]);
      EXPECT_EQ(c["respondents"], r["respondents"]);
      EXPECT_EQ(c["satisfied"], r["satisfied"]);
      EXPECT_EQ(c["measured"], r["measured"]);
      EXPECT_EQ(c["improved"], r["improved"]);
    }
    auto e = estimate.find({area, grp});
    if (e == estimate.end()) {
      EXPECT_TRUE(c["estimated"].is_null());
      EXPECT_TRUE(c["reach"].is_null());
      continue;
    }
    ASSERT_EQ(c["estimated"].get<int64_t>(), e->second);
    const double n = static_cast<double>(e->second);
    EXPECT_NEAR(c["reach"].get<double>(), reached / n, 1e-12);
    auto [low, high] = Wilson(static_cast<double>(reached), n);
    EXPECT_NEAR(c["reach_low"].get<double>(), low, 1e-9);
    EXPECT_NEAR(c["reach_high"].get<double>(), high, 1e-9);
    ++compared;
  }
  EXPECT_GT(compared, 2000u);
  EXPECT_GT(nonzero, 500u);
  // Carers reached by any intervention, and without an assessment.
  json total = Sql(std::string(kCellsSql).substr(0, std::string(kCellsSql).rfind("SELECT c.iv")) +
                   "SELECT COUNT(*) AS n, SUM(person NOT IN (SELECT person FROM assessed)) AS without FROM reached;");
  EXPECT_EQ(doc["carers_reached"], total[0]["n"]);
  EXPECT_EQ(doc["carers_without_assessment"], total[0]["without"]);
}

TEST_F(Issue12HubCliTest, TheDemoShowsDifferencesBetweenGroupsAndAreas) {
  ShellRun hub = Goldthread("hub " + Store() + " --json " + (*dir_ / "hub2.json").string());
  ASSERT_EQ(hub.exit_code, 0) << hub.err;
  json doc = json::parse(Slurp(*dir_ / "hub2.json"));
  json scenarios = json::parse(Slurp(*dir_ / "data" / "scenarios.json"));
  const std::string over_area = scenarios["hub"]["over_provided_area"];
  // Over-provision is found in the area the simulator over-provided, and only there.
  ASSERT_FALSE(doc["over_provision"].empty());
  for (const json& o : doc["over_provision"]) EXPECT_TRUE(o["area"] == over_area || o["area"] == "all") << o.dump();
  // Interventions some groups never get are red for them across the council.
  std::map<std::pair<std::string, std::string>, json> council;
  auto at = [&](const std::string& iv, const std::string& grp) { return council[{iv, grp}]; };
  for (const json& c : doc["cells"])
    if (c["area"] == "all") council[{c["intervention"], c["group"]}] = c;
  EXPECT_EQ(at("emotional_support", "bme")["reached"], 0);
  EXPECT_EQ(at("emotional_support", "bme")["rating"], "red");
  EXPECT_EQ(at("peer_community", "lgbt")["reached"], 0);
  EXPECT_GT(at("emotional_support", "all")["reached"].get<int>(), 100);
  // Under-provision starts with an overlooked group.
  ASSERT_FALSE(doc["under_provision"].empty());
  const std::string first = doc["under_provision"][0]["group"];
  EXPECT_TRUE(first == "bme" || first == "refugee" || first == "lgbt" || first == "traveller" ||
              first == "distance" || first == "young_adult")
      << first;
  // The ratings differ: more than one colour on the council's wheel.
  std::set<std::string> ratings;
  for (const auto& [key, c] : council)
    if (key.second == "all" && c["rating"].is_string()) ratings.insert(c["rating"]);
  EXPECT_GE(ratings.size(), 2u);
  // Every step-3 question has an answer.
  ASSERT_EQ(doc["questions"].size(), 5u);
  for (const json& q : doc["questions"]) EXPECT_FALSE(q["answers"].empty()) << q["question"];
}

TEST_F(Issue12HubCliTest, CostsJsonAgreesWithSqlAndFlagsTheDayCareFall) {
  ShellRun costs = Goldthread("costs " + Store() + " --json " + (*dir_ / "costs.json").string());
  ASSERT_EQ(costs.exit_code, 0) << costs.err;
  json doc = json::parse(Slurp(*dir_ / "costs.json"));
  EXPECT_EQ(doc["year"], "2025-26");
  // Unit cost = the year's spend over its activity, months with both.
  std::map<std::string, json> sql;
  for (const json& r : Sql("SELECT service_type, SUM(CAST(spend AS REAL)) AS spend, "
                           "SUM(CAST(activity_units AS REAL)) AS activity, SUM(CAST(budget AS REAL)) AS budget "
                           "FROM finance WHERE current = 1 AND period BETWEEN '2025-04' AND '2026-03' "
                           "AND COALESCE(spend, '') <> '' AND COALESCE(activity_units, '') <> '' GROUP BY 1;"))
    sql[r["service_type"]] = r;
  ASSERT_FALSE(doc["services"].empty());
  for (const json& s : doc["services"]) {
    const json& r = sql.at(s["service_type"].get<std::string>());
    SCOPED_TRACE(s["service_type"].get<std::string>());
    EXPECT_NEAR(s["spend"].get<double>(), r["spend"].get<double>(), 0.01);
    EXPECT_NEAR(s["activity_units"].get<double>(), r["activity"].get<double>(), 0.01);
    EXPECT_NEAR(s["unit_cost"].get<double>(), r["spend"].get<double>() / r["activity"].get<double>(), 1e-6);
  }
  bool day_care = false;
  for (const json& s : doc["services"])
    if (s["service_type"] == "day_care") {
      day_care = true;
      std::vector<std::string> flags = s["flags"];
      EXPECT_NE(std::find(flags.begin(), flags.end(), "activity_falls_budget_on_target"), flags.end()) << s.dump();
    }
  EXPECT_TRUE(day_care);
}

TEST_F(Issue12HubCliTest, UsageErrorsAndBadRules) {
  ShellRun year = Goldthread("hub " + Store() + " --year 2025");
  EXPECT_EQ(year.exit_code, 2);
  EXPECT_EQ(year.err, "goldthread hub: --year '2025' is not a financial year (expected YYYY-YY, e.g. 2025-26)\n");
  ShellRun missing = Goldthread("costs " + (*dir_ / "nope.db").string());
  EXPECT_EQ(missing.exit_code, 1);
  const fs::path rules = *dir_ / "rules.toml";
  std::ofstream(rules) << "[green]\nreach_at_least_percent = 200\n";
  ShellRun bad = Goldthread("hub " + Store() + " --rules " + rules.string());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "goldthread hub: " + rules.string() +
                         ":2: green.reach_at_least_percent: expected a number from 0 to 100 (got 200)\n");
  // The default rules, written for a council to edit, read back as they are.
  const fs::path defaults = *dir_ / "defaults.toml";
  ShellRun write = Goldthread("hub --write-rules " + defaults.string());
  ASSERT_EQ(write.exit_code, 0) << write.err;
  ShellRun again = Goldthread("hub " + Store() + " --rules " + defaults.string() + " --json " + (*dir_ / "h3.json").string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(Slurp(*dir_ / "h3.json"))["rules"], defaults.string());
  // --json over the store is refused before any work.
  ShellRun over = Goldthread("hub " + Store() + " --json " + Store());
  EXPECT_EQ(over.exit_code, 2);
}

}  // namespace
}  // namespace goldthread
