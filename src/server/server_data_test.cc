// The dashboard's data routes over a small simulated council: the cases of
// a figure by role (401, 403 outside a manager's subtree, every call
// logged), parameters refused with a message, viewers under disclosure
// control, and the pages built by the report module for each role.

#include <gtest/gtest.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "ingest/import.h"
#include "report/analysis.h"
#include "report/svg_util.h"
#include "server/cases.h"
#include "server/server_test_util.h"
#include "sim/simulator.h"

#include <unistd.h>

namespace goldthread::server {
namespace {

using testing_util::DashboardFixture;
using testing_util::Reply;

class ServerDataTest : public DashboardFixture {
 protected:
  // One simulated council for the whole suite: 400 people, 12 months.
  static void SetUpTestSuite() {
    // One folder per process: ctest runs each test of the suite as its own
    // process, in parallel, and a shared folder was removed under another's import.
    const std::filesystem::path dir =
        std::filesystem::path(::testing::TempDir()) / ("gt_server_data_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    dir_suite_ = std::make_unique<std::filesystem::path>(dir);
    sim::SimOptions o;
    o.people = 400;
    o.months = 12;
    o.seed = 5;
    o.start = DateFromCivil(2024, 4, 1);
    ASSERT_TRUE(sim::Simulate(o, dir / "data").ok());
    data_dir_ = std::make_unique<std::string>((dir / "data").string());
  }
  static void TearDownTestSuite() {
    data_dir_.reset();
    data_dir_ = nullptr;
    if (dir_suite_) std::filesystem::remove_all(*dir_suite_);
    dir_suite_.reset();
    dir_suite_ = nullptr;
  }
  void SetUp() override {
    DashboardFixture::SetUp();
    // The fixture's store has users and its own org units: a fresh store
    // with the simulated council instead, and the same users.
    std::filesystem::remove(store_path_);
    {
      auto store = OpenStore(store_path_, OpenMode::kCreateIfMissing);
      ASSERT_TRUE(store.ok());
      ImportOptions io;
      auto imported = ImportDirectory(**store, *data_dir_, io);
      ASSERT_TRUE(imported.ok() && imported->committed);
      for (auto [name, role, org] : {std::tuple{"ada", "admin", ""}, std::tuple{"ana", "analyst", ""},
                                     std::tuple{"mo", "manager", "T01"}, std::tuple{"sam", "manager", "SVC1"},
                                     std::tuple{"vi", "viewer", ""}})
        ASSERT_TRUE(AddUser(**store, {name, role, org, testing_util::kPassword}, testing_util::kStart,
                            FastPasswordParamsForTests())
                        .ok());
      report::AnalysisOptions ao;
      ao.record_run = false;
      auto a = report::LoadAnalysis(**store, ao);
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      analysis_ = *a;
    }
    std::shared_ptr<const report::Analysis> a = analysis_;
    options_.build = [a](Store&) -> Result<std::shared_ptr<const report::Analysis>> { return a; };
    StartServer();
    for (int i = 0; i < 500 && !server_->analysis().Current(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(server_->analysis().Current());
  }
  std::vector<AccessEntry> Log() {
    auto s = OpenStore(store_path_, OpenMode::kMustExist);
    AccessQuery q;
    q.limit = -1;
    auto entries = (*s)->ReadAccessLog(q);
    EXPECT_TRUE(entries.ok());
    return *entries;
  }
  static std::unique_ptr<std::string> data_dir_;
  static std::unique_ptr<std::filesystem::path> dir_suite_;
  std::shared_ptr<const report::Analysis> analysis_;
};

std::unique_ptr<std::string> ServerDataTest::data_dir_;
std::unique_ptr<std::filesystem::path> ServerDataTest::dir_suite_;

TEST_F(ServerDataTest, CasesOfAFigureAddUpToItAndAreLoggedPerRole) {
  const report::Analysis& a = *analysis_;
  const int ind = a.IndicatorIndex("reviews-12m");
  ASSERT_GE(ind, 0);
  const Period period = a.monthly.result.periods.back();
  const std::string url = "/api/cases?indicator=reviews-12m&period=" + period.Label() + "&org_unit=T01";
  // The figure the analysis shows for T01.
  const int32_t t01 = a.OrgUnit("T01");
  const indicators::Figure* fig = nullptr;
  for (const indicators::Figure& f : a.monthly.result.indicators[ind].figures)
    if (f.period == static_cast<int32_t>(a.monthly.result.periods.size()) - 1 && f.org_unit == t01 &&
        f.group == 0)
      fig = &f;
  ASSERT_NE(fig, nullptr);

  EXPECT_EQ(Get(url).status, 401);
  for (const char* who : {"ana", "ada", "mo", "sam"}) {
    Reply r = Get(url, SignIn(who));
    ASSERT_EQ(r.status, 200) << who << ": " << r.body;
    nlohmann::json j = nlohmann::json::parse(r.body);
    int counted = 0;
    for (const auto& p : j["cases"]) counted += p["in_numerator"].get<bool>() ? 1 : 0;
    EXPECT_EQ(counted, fig->numerator) << who;
    EXPECT_EQ(j["cases"].size(), static_cast<size_t>(*fig->denominator)) << who;
    EXPECT_EQ(j["numerator"], fig->numerator);
    EXPECT_EQ(j["period"], period.Label());
  }
  const std::string other = "/api/cases?indicator=reviews-12m&period=" + period.Label() + "&org_unit=T02";
  Reply refused = Get(other, SignIn("mo"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(
      refused.body,
      R"({"error":"A manager sees the cases of its own org unit (T01) and the units below it; T02 is outside it."})");
  // T02 is in SVC2, not SVC1: the service manager is refused it as well.
  EXPECT_EQ(Get(other, SignIn("sam")).status, a.Within(a.OrgUnit("T02"), a.OrgUnit("SVC1")) ? 200 : 403);
  Reply viewer = Get(url, SignIn("vi"));
  EXPECT_EQ(viewer.status, 403);
  EXPECT_EQ(viewer.body, R"({"error":"The viewer role sees aggregates only, not the persons behind them."})");

  int shown = 0, refusals = 0;
  for (const AccessEntry& e : Log()) {
    if (e.action != "cases") continue;
    EXPECT_EQ(e.indicator, "reviews-12m");
    EXPECT_EQ(e.period, period.Label());
    EXPECT_EQ(e.remote_addr, "127.0.0.1");
    if (e.outcome == "shown") {
      ++shown;
      EXPECT_EQ(e.org_unit, "T01");
      EXPECT_EQ(e.records, static_cast<int64_t>(*fig->denominator));
    } else {
      ++refusals;
      EXPECT_EQ(e.org_unit, e.user == "vi" ? "T01" : "T02");
    }
  }
  EXPECT_EQ(shown, 4);
  EXPECT_GE(refusals, 1);
}

TEST_F(ServerDataTest, BadParametersGet400WithAMessage) {
  const std::string token = SignIn("ana");
  struct Case {
    std::string query, error;
  };
  const std::string last = analysis_->monthly.result.periods.back().Label();
  const std::string first = analysis_->monthly.result.periods.front().Label();
  const Case cases[] = {
      {"period=" + last + "&org_unit=T01",
       "indicator is required (GET /api/cases?indicator=ID&period=P&org_unit=ID)"},
      {"indicator=reviews-12m&org_unit=T01",
       "period is required (GET /api/cases?indicator=ID&period=P&org_unit=ID)"},
      {"indicator=review-12m&period=" + last + "&org_unit=T01",
       "indicator 'review-12m' is not an indicator; did you mean 'reviews-12m'?"},
      {"indicator=reviews-12m&period=2099-01&org_unit=T01",
       "period '2099-01' is not a month (YYYY-MM) or quarter (YYYY-YY Qn) of the figures (they run from " +
           first + " to " + last + ")"},
      {"indicator=reviews-12m&period=" + last + "&org_unit=T99",
       "org_unit 'T99' is not an org unit of the store"},
      {"indicator=reviews-12m&period=" + last + "&org_unit=T01&group=nobody",
       "group 'nobody' is not a cut of indicator 'reviews-12m' (expected all"},
  };
  for (const Case& c : cases) {
    Reply r = Get("/api/cases?" + c.query, token);
    EXPECT_EQ(r.status, 400) << c.query;
    const std::string error = nlohmann::json::parse(r.body)["error"];
    EXPECT_EQ(error.substr(0, c.error.size()), c.error) << c.query;
  }
  EXPECT_EQ(Get("/api/indicators/none", token).status, 404);
  Reply by = Get("/api/indicators/reviews-12m?by=week", token);
  EXPECT_EQ(by.status, 400);
  EXPECT_EQ(by.body, R"({"error":"by 'week' is not month or quarter"})");
  EXPECT_EQ(Get("/management?period=someday", token).status, 400);
}

TEST_F(ServerDataTest, AViewerSeesDisclosedNumbersAndNoPersons) {
  const std::string vi = SignIn("vi"), ana = SignIn("ana");
  Reply exact = Get("/api/indicators/reviews-12m?org_unit=T01", ana);
  Reply shown = Get("/api/indicators/reviews-12m?org_unit=T01", vi);
  ASSERT_EQ(exact.status, 200);
  ASSERT_EQ(shown.status, 200);
  nlohmann::json e = nlohmann::json::parse(exact.body), v = nlohmann::json::parse(shown.body);
  EXPECT_FALSE(e["disclosure_control"]);
  EXPECT_TRUE(v["disclosure_control"]);
  ASSERT_EQ(e["points"].size(), v["points"].size());
  for (size_t i = 0; i < e["points"].size(); ++i) {
    const nlohmann::json& x = e["points"][i];
    const nlohmann::json& y = v["points"][i];
    const double num = x["numerator"], den = x["denominator"];
    EXPECT_FALSE(y.contains("ci_low"));
    // Counts 1-4 suppressed, others rounded to 5; percentages only on 10+.
    if (num >= 1 && num <= 4)
      EXPECT_TRUE(y["numerator"].is_null());
    else
      EXPECT_EQ(y["numerator"].get<double>(), 5 * std::floor(num / 5 + 0.5));
    if (den < 10)
      EXPECT_TRUE(y["value"].is_null());
    else
      EXPECT_EQ(y["value"].get<double>(), std::round(100 * num / den));
  }
  for (const char* page : {"/public", "/cabinet", "/management"}) {
    Reply r = Get(page, vi);
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_EQ(r.body.find("href=\"/cases?"), std::string::npos) << page;
  }
  EXPECT_EQ(Get("/findings", vi).status, 403);
  EXPECT_EQ(Get("/api/findings", vi).status, 403);
}

TEST_F(ServerDataTest, PagesFollowTheRole) {
  Reply home = Get("/", SignIn("mo"));
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("Location"), "/team");
  EXPECT_EQ(Get("/", SignIn("vi")).header("Location"), "/public");
  EXPECT_EQ(Get("/", SignIn("ana")).header("Location"), "/management");
  Reply cabinet = Get("/cabinet", SignIn("ana"));
  EXPECT_EQ(cabinet.status, 200);
  EXPECT_NE(cabinet.body.find("href=\"/cases?"), std::string::npos);  // an analyst drills down anywhere
  EXPECT_EQ(cabinet.body.find("<script"), std::string::npos);
  EXPECT_EQ(cabinet.body.find("style=\""), std::string::npos);  // the CSP allows no inline style
  // A manager's team page: the council's figures carry no links to persons.
  Reply mo_cabinet = Get("/cabinet", SignIn("mo"));
  EXPECT_EQ(mo_cabinet.body.find("org_unit=C00"), std::string::npos);
  Reply page = Get("/access-log", SignIn("ada"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<table id=\"access-log-table\">"), std::string::npos);
}

// Every page's data is under /api/: /api/pages/{audience} is the page's
// document as JSON for the same filters and role, the same sections as the
// HTML, kept in the cache, and its person-level views logged as the page's.
TEST_F(ServerDataTest, EveryPageHasItsDocumentUnderApiPages) {
  const std::string ana = SignIn("ana");
  for (const char* page : {"cabinet", "management", "team", "public"}) {
    Reply html = Get(std::string("/") + page, ana);
    Reply json = Get(std::string("/api/pages/") + page, ana);
    ASSERT_EQ(html.status, 200) << page;
    ASSERT_EQ(json.status, 200) << page << ": " << json.body;
    EXPECT_EQ(json.header("Content-Type"), "application/json") << page;
    nlohmann::json j = nlohmann::json::parse(json.body);
    EXPECT_NE(html.body.find("<h1>" + report::SvgEscape(j["title"].get<std::string>()) + "</h1>"), std::string::npos)
        << page;
    ASSERT_FALSE(j["sections"].empty()) << page;
    for (const auto& s : j["sections"])
      EXPECT_NE(html.body.find("<section id=\"" + s["id"].get<std::string>() + "\""), std::string::npos)
          << page << " " << s["id"];
    EXPECT_EQ(html.body.find("no cases</a>"), std::string::npos) << page;  // no link to an empty list
    // A long page opens with links to its sections.
    const bool long_page = j["sections"].size() >= 4;
    EXPECT_EQ(html.body.find("<nav class=\"gt-contents\" aria-label=\"On this page\">") != std::string::npos,
              long_page)
        << page;
    if (long_page) {
      for (const auto& s : j["sections"])
        EXPECT_NE(html.body.find("<li><a href=\"#" + s["id"].get<std::string>() + "\">"), std::string::npos)
            << page << " " << s["id"];
    }
    EXPECT_EQ(Get(std::string("/api/pages/") + page, ana).body, json.body) << page;  // from the cache
  }
  // The filters are the page's: a team and a period.
  const std::string period = analysis_->monthly.result.periods.front().Label();
  nlohmann::json t02 = nlohmann::json::parse(Get("/api/pages/team?org_unit=T02&period=" + period, ana).body);
  EXPECT_EQ(t02["audience"], "team:T02");
  EXPECT_EQ(t02["period"], period);

  // A viewer's: disclosure control, no links to persons.
  Reply vi = Get("/api/pages/management", SignIn("vi"));
  ASSERT_EQ(vi.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(vi.body)["disclosure_control"]);
  EXPECT_EQ(vi.body.find("/cases?"), std::string::npos);

  Reply unknown = Get("/api/pages/board", ana);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, R"({"error":"There is no page 'board' (cabinet, management, team or public)."})");
  EXPECT_EQ(Get("/api/pages/team?org_unit=T99", ana).body,
            R"({"error":"org_unit 'T99' is not an org unit of the store"})");
  EXPECT_EQ(Get("/api/pages/cabinet").status, 401);

  // A manager's team cases: logged for each reading, cached or not.
  const std::string mo = SignIn("mo");
  auto page_views = [&] {
    int n = 0;
    for (const AccessEntry& e : Log()) n += e.action == "page" && e.user == "mo" ? 1 : 0;
    return n;
  };
  ASSERT_EQ(Get("/api/pages/team", mo).status, 200);
  const int once = page_views();
  EXPECT_GT(once, 0);
  ASSERT_EQ(Get("/api/pages/team", mo).status, 200);
  EXPECT_EQ(page_views(), 2 * once);
}

}  // namespace
}  // namespace goldthread::server
