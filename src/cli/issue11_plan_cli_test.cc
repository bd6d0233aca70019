// End-to-end (issue 11): the built binary's plan, story and scorecard
// commands on a tiny store: exit codes (0 ok, 1 bad input, 2 usage), the
// exact refusal lines, versions, stories as history, and outputs that must
// not replace the store.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace goldthread {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

// Council C1 > service S1 > team T1; 3 to 6 requests a quarter at T1 from
// 2025-04 to 2026-03 (3, 4, 5, 6), so requests-new has figures at T1 and reviews-12m
// (no services) has none.
class PlanCliTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "/plan_cli_" + testing::UnitTest::GetInstance()->current_test_info()->name() +
            "_" + std::to_string(::getpid());
    fs::remove_all(root_);
    fs::create_directories(root_ + "/data");
    std::ofstream(root_ + "/data/org_units.csv")
        << "org_unit_id,parent_id,name,kind\nC1,,Council,council\nS1,C1,Service,service\nT1,S1,Team one,team\n";
    std::ofstream(root_ + "/data/people.csv")
        << "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
           "P1,service_user,1940-05-01,F,white,A1,physical,,\n";
    std::ofstream req(root_ + "/data/requests.csv");
    req << "request_id,person_id,first_contact_on,received_on,route,outcome,closed_on,org_unit_id,worker_id,"
           "recorded_at,recorded_by\n";
    const char* months[] = {"2025-04", "2025-07", "2025-10", "2026-03"};
    int id = 0;
    for (int q = 0; q < 4; ++q)
      for (int k = 0; k < 3 + q; ++k) req << "R" << ++id << ",P1,," << months[q] << "-1" << k << ",self,,,T1,,,\n";
    req.close();
    store_ = root_ + "/s.db";
    ASSERT_EQ(Goldthread("import " + store_ + " " + root_ + "/data").code, 0);
  }
  void TearDown() override { fs::remove_all(root_); }
  Outcome Goldthread(const std::string& args, const std::string& input = "") {
    const std::string out = root_ + "/stdout", err = root_ + "/stderr", in = root_ + "/stdin";
    std::ofstream(in) << input;
    const int status = std::system(
        (std::string(GOLDTHREAD_BINARY) + " " + args + " <" + in + " >" + out + " 2>" + err).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  }
  std::string Plan(const std::string& name, const std::string& targets) {
    const std::string path = root_ + "/" + name;
    std::ofstream(path) << "years = [\"2025-26\", \"2026-27\", \"2027-28\"]\n"
                           "[[objective]]\nid = \"O1\"\ntitle = \"People are heard\"\nowner = \"Director\"\n"
                           "perspective = \"customer\"\n"
                           "[[plan]]\nid = \"P-T1\"\norg_unit = \"T1\"\nowner = \"TM\"\nobjectives = [\"O1\"]\n"
                        << targets;
    return path;
  }
  std::string root_, store_;
};

// Lines 1-11 are the head; a target starts on line 12.
const std::string kRequests =
    "[[target]]\nplan = \"P-T1\"\nindicator = \"requests-new\"\nvalue = 9\nby = 2027-03-31\nowner = \"SP\"\n";

TEST_F(PlanCliTest, CheckWithoutAndWithTheStore) {
  const std::string good = Plan("good.toml", kRequests);
  Outcome r = Goldthread("plan check " + good);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(good + ": 0 targets refused, 0 other errors, 0 warnings\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(checked without a store: "), std::string::npos);
  EXPECT_NE(r.out.find("the plan can be loaded: goldthread plan load STORE " + good), std::string::npos);

  const std::string late = Plan("late.toml", "[[target]]\nplan = \"P-T1\"\nindicator = \"requests-new\"\nvalue = "
                                             "10\nby = 2029-03-31\nowner = \"SP\"\n");
  r = Goldthread("plan check " + late);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            late + ":16:6: error: target requests-new at T1 by 2029-03-31 is not Time bound: by 2029-03-31 is outside "
                   "the plan's years 2025-26 to 2027-28 (2025-04-01 to 2028-03-31)");

  // Against the store: reviews-12m has no figure at T1 (no services).
  const std::string reviews = Plan("reviews.toml", kRequests + "[[target]]\nplan = \"P-T1\"\nindicator = "
                                                               "\"reviews-12m\"\nvalue = 80\nby = 2027-03-31\nowner = "
                                                               "\"SP\"\n");
  r = Goldthread("plan check " + reviews + " --store " + store_ + " --json " + root_ + "/check.json");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find(reviews + ":20:13: error: target reviews-12m at T1 by 2027-03-31 is not Measurable: "
                                 "reviews-12m has no figures for T1 in the data (2025-26 Q1 to 2025-26 Q4)\n"),
            std::string::npos)
      << r.out;
  auto j = nlohmann::json::parse(Slurp(root_ + "/check.json"));
  EXPECT_EQ(j["refused"], true);
  EXPECT_EQ(j["errors"], 1);
  ASSERT_EQ(j["targets"].size(), 2u);
  EXPECT_EQ(j["targets"][0]["indicator"], "requests-new");
  EXPECT_EQ(j["targets"][0]["latest"], 6.0);  // 2025-26 Q4
  EXPECT_EQ(j["targets"][0]["latest_period"], "2025-26 Q4");

  // Not a regular file.
  r = Goldthread("plan check /dev/zero");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread plan check: '/dev/zero' is a character device (expected a regular file)\n");
}

TEST_F(PlanCliTest, LoadStoresVersionsAndRefusesWhatIsNotSmart) {
  Outcome r = Goldthread("plan show " + store_);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread plan show: the store '" + store_ + "' holds no plan (load one with 'goldthread plan "
                   "load " + store_ + " PLAN.toml')\n");
  const std::string good = Plan("plan.toml", kRequests);
  r = Goldthread("plan load " + store_ + " " + good);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("plan version 1 stored in " + store_ + ": 1 objectives, 1 plans, 1 targets\n"),
            std::string::npos)
      << r.out;
  r = Goldthread("plan load " + store_ + " " + good);
  EXPECT_NE(r.out.find("unchanged: " + good + " is the store's latest plan, version 1; nothing stored\n"),
            std::string::npos);
  // A refused plan stores nothing.
  const std::string bad = Plan("plan.toml", kRequests + "[[target]]\nplan = \"P-T1\"\nindicator = \"requests-new\"\n"
                                                        "value = 12\nby = 2027-03-31\n");
  r = Goldthread("plan load " + store_ + " " + bad);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread plan load: " + bad + " is refused; nothing is stored\n");
  // A changed plan is the next version; the first stays.
  Plan("plan.toml", kRequests + "[[target]]\nplan = \"P-T1\"\nindicator = \"requests-new\"\nvalue = 12\nby = "
                                "2028-03-31\nowner = \"TM\"\n");
  r = Goldthread("plan load " + store_ + " " + good);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("plan version 2 stored"), std::string::npos);
  r = Goldthread("plan versions " + store_ + " --json -");
  auto versions = nlohmann::json::parse(r.out)["versions"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1]["version"], 2);
  EXPECT_EQ(versions[1]["years"], (nlohmann::json{"2025-26", "2026-27", "2027-28"}));
  auto v1 = nlohmann::json::parse(Goldthread("plan show " + store_ + " --version 1 --json -").out);
  EXPECT_EQ(v1["targets"].size(), 1u);
  auto v2 = nlohmann::json::parse(Goldthread("plan show " + store_ + " --json -").out);
  ASSERT_EQ(v2["targets"].size(), 2u);
  EXPECT_EQ(v2["version"]["version"], 2);
  // 6 requests in 2025-26 Q4, rising 1 a quarter: the forecast is 10 for
  // 2026-27 Q4, past 9 (on track), and 14 for 2027-28 Q4, past 12.
  EXPECT_EQ(v2["targets"][0]["status"], "on_track");
  EXPECT_EQ(v2["plans"][0]["summary"], "on track: 2 of 2 targets on track");
  EXPECT_EQ(Goldthread("plan show " + store_ + " --version 3").code, 1);
  // An output over the store is refused before any work.
  r = Goldthread("plan show " + store_ + " --json " + store_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("which an output must not replace"), std::string::npos) << r.err;
}

TEST_F(PlanCliTest, StoriesAreKeptAsHistory) {
  Outcome r = Goldthread("story add " + store_ + " --indicator requests-new --org-unit T1 --author amy",
                         "Requests rose after the GP surgery opened.\n");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "story #1 stored: requests-new at T1, story, by amy (1 entry for this curve)\n");
  r = Goldthread("story add " + store_ + " --indicator requests-new --org-unit T1 --author bob --section action_plan "
                 "--text 'Duty rota from May.'");
  EXPECT_EQ(r.out, "story #2 stored: requests-new at T1, action_plan, by bob (2 entries for this curve)\n");
  auto stories = nlohmann::json::parse(Goldthread("story list " + store_ + " --json -").out)["stories"];
  ASSERT_EQ(stories.size(), 2u);
  EXPECT_EQ(stories[0]["author"], "amy");
  EXPECT_EQ(stories[0]["text"], "Requests rose after the GP surgery opened.");
  EXPECT_EQ(stories[1]["section"], "action_plan");
  r = Goldthread("story add " + store_ + " --indicator requests-new --org-unit T9 --text x");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread story add: org unit 'T9' is not in the store\n");
  r = Goldthread("story add " + store_ + " --indicator requests-new --org-unit T1 --section gossip --text x");
  EXPECT_EQ(r.code, 2);
  r = Goldthread("story add " + store_ + " --indicator requests-new --org-unit T1", "\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread story add: the story is empty (give --text or write it on standard input)\n");
  EXPECT_EQ(Goldthread("scorecard " + store_ + " bogus").code, 2);
}

TEST_F(PlanCliTest, UnitsPrintsTheTreeWithEachUnitsPlan) {
  Outcome r = Goldthread("plan units " + store_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "org units (the store holds no plan yet)\n"
            "C1          council  Council\n"
            "  S1        service  Service\n"
            "    T1      team     Team one\n");
  ASSERT_EQ(Goldthread("plan load " + store_ + " " + Plan("plan.toml", kRequests)).code, 0);
  r = Goldthread("plan units " + store_);
  EXPECT_EQ(r.out,
            "org units, with their plans in plan version 1\n"
            "C1          council  Council                           no plan\n"
            "  S1        service  Service                           no plan\n"
            "    T1      team     Team one                          plan P-T1\n");
  // The report leads with the team's plan once one is loaded.
  r = Goldthread("report " + store_ + " --audience team:T1 --out " + root_ + "/team.json --quiet");
  EXPECT_EQ(r.code, 0) << r.err;
  auto report = nlohmann::json::parse(Slurp(root_ + "/team.json"));
  EXPECT_EQ(report["sections"][0]["id"], "team-plan") << report.dump().substr(0, 400);
  EXPECT_EQ(Goldthread("plan units " + root_ + "/missing.db").code, 1);
  EXPECT_EQ(Goldthread("plan units").code, 2);
}

}  // namespace
}  // namespace goldthread
