// The dashboard's plan and Carers' Hub routes (issues 11 and 12) over a
// small simulated council with a plan for team T01: the thread and the
// scorecards as `plan show --json` and `scorecard --json` make them, the
// Hub audit as `hub --json`, a viewer under disclosure control (plan
// statuses only, Hub counts disclosed and no evidence sentences), the
// pages by role, a plan loaded while serving shown at the next request,
// and the refusals with their messages.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "ingest/import.h"
#include "planning/hub_json.h"
#include "planning/plan_json.h"
#include "planning/plan_load.h"
#include "planning/plan_parse.h"
#include "report/analysis.h"
#include "report/plan_sections.h"
#include "report/svg_util.h"
#include "server/routes.h"
#include "server/server_test_util.h"
#include "sim/simulator.h"

namespace goldthread::server {
namespace {

using nlohmann::json;
using testing_util::DashboardFixture;
using testing_util::Reply;

// Team T01's plan: reviews within 12 months, 80% by March 2026.
const std::string kPlan = R"(years = ["2024-25", "2025-26", "2026-27"]

[[objective]]
id = "O1"
title = "People are reviewed on time"
owner = "Director of adult social care"
perspective = "internal_process"

[[plan]]
id = "P-T01"
org_unit = "T01"
owner = "Team manager T01"
objectives = ["O1"]
prime = ["reviews-12m"]

[[target]]
plan = "P-T01"
indicator = "reviews-12m"
value = 80.0
by = 2026-03-31
owner = "Senior practitioner T01"
objective = "O1"
)";

class ServerPlanTest : public DashboardFixture {
 protected:
  static void SetUpTestSuite() {
    const std::filesystem::path dir =
        std::filesystem::path(::testing::TempDir()) / ("gt_server_plan_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    dir_suite_ = std::make_unique<std::filesystem::path>(dir);
    sim::SimOptions o;
    o.people = 400;
    o.months = 12;
    o.seed = 5;
    o.start = DateFromCivil(2024, 4, 1);
    ASSERT_TRUE(sim::Simulate(o, dir / "data").ok());
  }
  static void TearDownTestSuite() {
    if (dir_suite_) std::filesystem::remove_all(*dir_suite_);
    dir_suite_.reset();
  }
  void SetUp() override {
    DashboardFixture::SetUp();
    std::filesystem::remove(store_path_);
    auto store = OpenStore(store_path_, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok());
    ImportOptions io;
    auto imported = ImportDirectory(**store, (*dir_suite_ / "data").string(), io);
    ASSERT_TRUE(imported.ok() && imported->committed);
    for (auto [name, role, org] : {std::tuple{"ada", "admin", ""}, std::tuple{"ana", "analyst", ""},
                                   std::tuple{"mo", "manager", "T01"}, std::tuple{"vi", "viewer", ""}})
      ASSERT_TRUE(AddUser(**store, {name, role, org, testing_util::kPassword}, testing_util::kStart,
                          FastPasswordParamsForTests())
                      .ok());
    report::AnalysisOptions ao;
    ao.record_run = false;
    auto a = report::LoadAnalysis(**store, ao);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    analysis_ = *a;
    std::shared_ptr<const report::Analysis> shared = analysis_;
    options_.build = [shared](Store&) -> Result<std::shared_ptr<const report::Analysis>> { return shared; };
    StartServer();
    for (int i = 0; i < 500 && !server_->analysis().Current(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(server_->analysis().Current());
  }
  // Stores kPlan as the next plan version, as `plan load` does.
  void LoadPlan() {
    auto store = OpenStore(store_path_, OpenMode::kMustExist);
    ASSERT_TRUE(store.ok());
    const planning::ParsedPlan parsed = planning::ParsePlan(kPlan, "plan.toml");
    ASSERT_FALSE(planning::HasErrors(parsed.diagnostics));
    PlanVersionInfo info;
    info.loaded_by = "tester";
    info.source = "plan.toml";
    ASSERT_TRUE((*store)->SavePlanVersion(planning::ToRecord(parsed.doc, kPlan, info)).ok());
  }
  // The plan evaluated on the served analysis, as `goldthread report` does.
  std::shared_ptr<const report::PlanForReports> Expected() {
    auto store = OpenStore(store_path_, OpenMode::kMustExist);
    auto p = report::LoadPlanForReports(**store, analysis_);
    EXPECT_TRUE(p.ok() && *p);
    return p.ok() ? *p : nullptr;
  }
  static std::unique_ptr<std::filesystem::path> dir_suite_;
  std::shared_ptr<const report::Analysis> analysis_;
};

std::unique_ptr<std::filesystem::path> ServerPlanTest::dir_suite_;

TEST_F(ServerPlanTest, WithoutAPlanTheRoutesSaySoAndThePageSaysHowToLoadOne) {
  EXPECT_EQ(Get("/api/plans").status, 401);
  Reply r = Get("/api/plans", SignIn("ana"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["error"],
            "The store holds no plan (load one with 'goldthread plan load " + store_path_ + " PLAN.toml').");
  EXPECT_EQ(Get("/api/scorecard?kind=balanced", SignIn("ana")).status, 404);
  Reply page = Get("/plan", SignIn("ana"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("The store holds no plan: load one with"), std::string::npos);
}

TEST_F(ServerPlanTest, ThePlanLoadedWhileServingIsTheThreadOfPlanShow) {
  ASSERT_EQ(Get("/api/plans", SignIn("ana")).status, 404);
  LoadPlan();  // no import, no restart: the next request sees version 1
  Reply r = Get("/api/plans", SignIn("ana"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json got = json::parse(r.body);
  auto want = Expected();
  ASSERT_TRUE(want);
  EXPECT_EQ(got, json::parse(planning::PlanJson(want->plan, want->evaluation,
                                                planning::IndexDefinitions(analysis_->definitions), false)));
  ASSERT_EQ(got["targets"].size(), 1u);
  const json& t = got["targets"][0];
  EXPECT_EQ(t["plan"], "P-T01");
  EXPECT_EQ(t["indicator"], "reviews-12m");
  EXPECT_EQ(t["org_unit"], "T01");
  EXPECT_EQ(t["owner"], "Senior practitioner T01");
  EXPECT_EQ(t["value"], 80.0);
  EXPECT_EQ(t["by"], "2026-03-31");
  EXPECT_EQ(got["version"]["version"], 1);
  EXPECT_EQ(got["objectives"][0]["id"], "O1");
  EXPECT_EQ(got["plans"][0]["owner"], "Team manager T01");
  EXPECT_FALSE(got.contains("disclosure_control"));
}

TEST_F(ServerPlanTest, AViewerSeesThePlansStatusesOnly) {
  LoadPlan();
  Reply r = Get("/api/plans", SignIn("vi"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json got = json::parse(r.body);
  EXPECT_EQ(got["disclosure_control"], true);
  const json& t = got["targets"][0];
  EXPECT_TRUE(t["latest"].is_null());
  EXPECT_TRUE(t["latest_period"].is_null());
  auto want = Expected();
  ASSERT_TRUE(want);
  const json full = json::parse(planning::PlanJson(want->plan, want->evaluation,
                                                   planning::IndexDefinitions(analysis_->definitions), false));
  EXPECT_EQ(t["status"], full["targets"][0]["status"]);
  EXPECT_EQ(t["owner"], "Senior practitioner T01");
}

TEST_F(ServerPlanTest, ScorecardsAreTheCommandsDocumentsAndBadParametersAreRefused) {
  LoadPlan();
  const std::string cookie = SignIn("mo");
  Reply team = Get("/api/scorecard?kind=team&org_unit=T01", cookie);
  ASSERT_EQ(team.status, 200) << team.body;
  auto want = Expected();
  ASSERT_TRUE(want);
  const planning::DefinitionIndex index = planning::IndexDefinitions(analysis_->definitions);
  EXPECT_EQ(json::parse(team.body),
            json::parse(planning::TeamProgressJson(
                planning::BuildTeamProgress(want->plan, want->evaluation, index, std::nullopt, "T01"))));
  Reply balanced = Get("/api/scorecard", cookie);
  ASSERT_EQ(balanced.status, 200);
  EXPECT_EQ(json::parse(balanced.body),
            json::parse(planning::BalancedJson(planning::BuildBalancedScorecard(want->plan, want->evaluation, index))));
  Reply bad = Get("/api/scorecard?kind=pie", cookie);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"], "kind 'pie' is not a scorecard (balanced, team or oba)");
  Reply no_unit = Get("/api/scorecard?kind=oba", cookie);
  EXPECT_EQ(json::parse(no_unit.body)["error"], "kind=oba needs org_unit (the service or team)");
  Reply other = Get("/api/scorecard?kind=team&org_unit=T02", cookie);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(json::parse(other.body)["error"], "The plan has no plan for org unit 'T02'.");
  Reply unknown = Get("/api/scorecard?kind=team&org_unit=NOPE", cookie);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json::parse(unknown.body)["error"], "org_unit 'NOPE' is not an org unit of the store");
}

TEST_F(ServerPlanTest, TheHubAuditAsHubJsonAndDisclosedForAViewer) {
  ASSERT_TRUE(analysis_->audits.hub.has_value());
  Reply full = Get("/api/hub", SignIn("ana"));
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(json::parse(full.body),
            json::parse(planning::HubAuditToJson(*analysis_->audits.hub, analysis_->audits.hub_rules)));
  Reply viewer = Get("/api/hub", SignIn("vi"));
  ASSERT_EQ(viewer.status, 200);
  const json v = json::parse(viewer.body);
  EXPECT_EQ(v["disclosure_control"], true);
  ASSERT_FALSE(v["cells"].empty());
  int suppressed = 0;
  for (const json& c : v["cells"]) {
    EXPECT_TRUE(c["evidence"].is_null());
    EXPECT_TRUE(c["reach_low"].is_null());
    const json& n = c["reached"];
    if (n.is_string()) {
      EXPECT_EQ(n, "[c]");
      ++suppressed;
    } else {
      EXPECT_EQ(static_cast<int64_t>(n.get<double>()) % 5, 0) << c.dump();
    }
  }
  EXPECT_GT(suppressed, 0) << "a small council has cells of 1-4 carers";
}

TEST_F(ServerPlanTest, PagesByRole) {
  LoadPlan();
  // A manager's plan page is its team's: the team plan with its target.
  Reply mo = Get("/plan", SignIn("mo"));
  ASSERT_EQ(mo.status, 200) << mo.body;
  EXPECT_NE(mo.body.find("The team plan: prime indicators and targets"), std::string::npos);
  EXPECT_NE(mo.body.find("Senior practitioner T01"), std::string::npos);
  // An analyst's is every plan.
  Reply ana = Get("/plan", SignIn("ana"));
  ASSERT_EQ(ana.status, 200);
  EXPECT_NE(ana.body.find("Every plan: the thread from objectives to teams"), std::string::npos);
  // The team page carries the plan's section too, as the team report does.
  EXPECT_NE(Get("/team", SignIn("mo")).body.find("The team plan: prime indicators and targets"), std::string::npos);
  EXPECT_EQ(Get("/hub", SignIn("ana")).status, 200);
  EXPECT_EQ(Get("/hub", SignIn("vi")).status, 200);
  EXPECT_EQ(Get("/plan").status, 303);  // to the sign-in page
}

// The one h1 of an HTML page and its <title>.
std::string Between(const std::string& body, const std::string& open, const std::string& close) {
  const size_t at = body.find(open);
  if (at == std::string::npos) return "(no " + open + ")";
  const size_t from = at + open.size(), to = body.find(close, from);
  return to == std::string::npos ? "(unclosed " + open + ")" : body.substr(from, to - from);
}

// The plan page says what it is, not what the report it borrows sections
// from is: the golden thread, for the council or for the reader's team.
TEST_F(ServerPlanTest, ThePlanPageHasItsOwnHeading) {
  LoadPlan();
  Reply ana = Get("/plan", SignIn("ana"));
  ASSERT_EQ(ana.status, 200);
  EXPECT_EQ(Between(ana.body, "<h1>", "</h1>"), "The golden thread: objectives, plans and targets");
  EXPECT_EQ(Between(ana.body, "<title>", "</title>"), "The golden thread: objectives, plans and targets - goldthread");
  EXPECT_EQ(Between(ana.body, "<p class=\"subtitle\">", "</p>"),
            "The council&#39;s plan, as at " + analysis_->monthly.result.periods.back().Label());
  const std::string t01 = report::SvgEscape(analysis_->OrgUnitName(analysis_->OrgUnit("T01")));
  Reply mo = Get("/plan", SignIn("mo"));
  ASSERT_EQ(mo.status, 200);
  EXPECT_EQ(Between(mo.body, "<h1>", "</h1>"),
            "The golden thread: T01 " + t01 + "&#39;s plan, prime indicators and targets");
  EXPECT_EQ(mo.body.find("Team report, as at"), std::string::npos);
}

// Every page of the dashboard, walked from the route table: each has one
// h1 and a <title> of its own, no page another's. A page route added later
// fails here until it is given its heading.
TEST_F(ServerPlanTest, EveryPageHasItsOwnHeading) {
  LoadPlan();
  const std::string ada = SignIn("ada"), mo = SignIn("mo");
  const std::string council = report::SvgEscape(analysis_->OrgUnitName(analysis_->Council()));
  const std::string t01 = report::SvgEscape(analysis_->OrgUnitName(analysis_->OrgUnit("T01")));
  // A figure's cases and a finding: the first links the pages offer.
  const std::string team = Get("/team", mo).body;
  std::string cases = Between(team, "href=\"/cases?", "\"");
  for (size_t at; (at = cases.find("&amp;")) != std::string::npos;) cases.replace(at, 5, "&");
  // The small council may have no finding: its page is then walked by the
  // tests of findings (server_data_test.cc), not here.
  const json findings = json::parse(Get("/api/findings", ada).body);
  const bool any_finding = !findings["findings"].empty();
  struct Expected {
    std::string path, cookie, title, h1;
  };
  std::vector<Expected> pages = {
      {"/login", "", "Sign in", "Sign in to goldthread"},
      {"/cabinet", ada, "Cabinet", council + ": adult social care outcomes"},
      {"/management", ada, "Management", council + ": performance by service and user group"},
      {"/team", mo, "Team", "T01 " + t01 + ": the team&#39;s indicators and cases"},
      {"/public", ada, "Public", council + ": is anyone better off?"},
      {"/plan", ada, "The golden thread: objectives, plans and targets",
       "The golden thread: objectives, plans and targets"},
      {"/hub", ada, "The Carers&#39; Hub audit: who each kind of support reaches",
       "The Carers&#39; Hub audit: who each kind of support reaches"},
      {"/cases?" + cases, ada, "Cases", "Cases"},
      {"/findings", ada, "Findings", "Findings"},
      {"/access-log", ada, "Access log", "Access log"},
  };
  if (any_finding) pages.push_back({findings["findings"][0]["link"].get<std::string>(), ada, "Finding", "Finding"});
  std::set<std::string> titles, h1s;
  for (const Route& r : Routes()) {
    if (r.method != Method::kGet || r.pattern == "/" || r.pattern.starts_with("/api/") ||
        r.pattern.starts_with("/static/") || (!any_finding && r.pattern == "/findings/view"))
      continue;
    auto e = std::find_if(pages.begin(), pages.end(),
                          [&](const Expected& p) { return p.path.substr(0, p.path.find('?')) == r.pattern; });
    ASSERT_NE(e, pages.end()) << r.pattern << " has no heading in this test";
    Reply page = Get(e->path, e->cookie);
    ASSERT_EQ(page.status, 200) << e->path << ": " << page.body;
    EXPECT_EQ(Between(page.body, "<h1>", "</h1>"), e->h1) << e->path;
    EXPECT_EQ(page.body.find("<h1>", page.body.find("<h1>") + 1), std::string::npos) << e->path << ": one h1";
    EXPECT_EQ(Between(page.body, "<title>", "</title>"), e->title + " - goldthread") << e->path;
    EXPECT_TRUE(titles.insert(e->title).second) << e->path << " has another page's title";
    EXPECT_TRUE(h1s.insert(e->h1).second) << e->path << " has another page's h1";
  }
  EXPECT_EQ(h1s.size(), pages.size());  // every page above was walked
  // A viewer's Hub page is the plain summary, with a heading to match.
  Reply vi = Get("/hub", SignIn("vi"));
  EXPECT_EQ(Between(vi.body, "<h1>", "</h1>"), "Support for carers: who it reaches");
}

}  // namespace
}  // namespace goldthread::server
