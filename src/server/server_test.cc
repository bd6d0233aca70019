// The dashboard's sign-in, sessions, CSRF, roles, lock-out, headers and
// access log, through HTTP on an ephemeral loopback port.

#include "server/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/auth.h"
#include "server/server_test_util.h"

namespace goldthread::server {
namespace {

using testing_util::DashboardFixture;
using testing_util::kPassword;
using testing_util::Reply;

class ServerTest : public DashboardFixture {
 protected:
  void SetUp() override {
    DashboardFixture::SetUp();
    StartServer();
  }
  nlohmann::json Session(const std::string& token) {
    return nlohmann::json::parse(Get("/api/session", token).body);
  }
  std::vector<AccessEntry> Log() {
    auto s = OpenStore(store_path_, OpenMode::kMustExist);
    EXPECT_TRUE(s.ok());
    AccessQuery q;
    q.limit = -1;
    auto entries = (*s)->ReadAccessLog(q);
    EXPECT_TRUE(entries.ok());
    return *entries;
  }
};

const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// httplib's compiled-in backlog of 5 dropped the SYNs of a hundred clients
// connecting at once (1 s retries: the load benchmark's p99 and timeouts).
TEST_F(ServerTest, ListensWithABacklogForAHundredClientsConnectingAtOnce) {
  EXPECT_EQ(server_->listen_backlog(), 1024);
}

TEST_F(ServerTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const char* path : {"/login", "/nowhere", "/api/session"}) {
    Reply r = Get(path);
    EXPECT_EQ(r.header("Content-Security-Policy"), kCsp) << path;
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r.header("Referrer-Policy"), "same-origin") << path;
  }
  Reply form = Get("/login");
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<form method=\"post\" action=\"/login\">"), std::string::npos);
  EXPECT_EQ(form.body.find("<script"), std::string::npos);  // no script, inline or not
}

TEST_F(ServerTest, SignInSetsAnHttpOnlyStrictCookieAndRedirects) {
  Reply r = SignInReply("mo");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/");
  const std::regex cookie("gt_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
  EXPECT_TRUE(std::regex_match(r.header("Set-Cookie"), cookie)) << r.header("Set-Cookie");

  Reply next = PostForm("/login", {{"name", "mo"}, {"password", kPassword}, {"next", "/team?org_unit=T1"}});
  EXPECT_EQ(next.header("Location"), "/team?org_unit=T1");
  for (const char* evil :
       {"//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"}) {
    Reply r2 = PostForm("/login", {{"name", "mo"}, {"password", kPassword}, {"next", evil}});
    EXPECT_EQ(r2.header("Location"), "/") << evil;
  }
}

TEST_F(ServerTest, SessionApiSaysWhoIsSignedIn) {
  Reply none = Get("/api/session");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, R"({"error":"Sign in first (POST /login)."})");
  EXPECT_EQ(Get("/api/session", "not-a-token").status, 401);

  std::string token = SignIn("mo");
  ASSERT_FALSE(token.empty());
  Reply r = Get("/api/session", token);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  nlohmann::json j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["user"], "mo");
  EXPECT_EQ(j["role"], "manager");
  EXPECT_EQ(j["org_unit"], "T1");
  EXPECT_EQ(j["csrf_token"].get<std::string>().size(), 43u);
  EXPECT_TRUE(Session(SignIn("ada"))["org_unit"].is_null());
}

TEST_F(ServerTest, EveryPostButLoginNeedsTheSessionsCsrfToken) {
  std::string token = SignIn("ana");
  const std::string csrf = Session(token)["csrf_token"];
  Reply missing = PostForm("/logout", {}, token);
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(
      missing.body.find("This request needs the CSRF token (form field csrf_token or header X-CSRF-Token)."),
      std::string::npos);
  Reply wrong = PostForm("/logout", {{"csrf_token", std::string(43, 'A')}}, token);
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.body.find("The CSRF token does not match this session (sign in again)."),
            std::string::npos);
  // Another session's token is no good either.
  const std::string other = Session(SignIn("ana"))["csrf_token"];
  EXPECT_EQ(PostForm("/logout", {{"csrf_token", other}}, token).status, 403);
  // Without a session there is nothing to match.
  EXPECT_EQ(PostForm("/logout", {{"csrf_token", csrf}}).status, 403);
  EXPECT_EQ(Get("/api/session", token).status, 200);  // none of those signed out

  Reply out = PostForm("/logout", {}, token, {{"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.header("Location"), "/login");
  EXPECT_EQ(out.header("Set-Cookie"), "gt_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  EXPECT_EQ(Get("/api/session", token).status, 401);
}

TEST_F(ServerTest, FailedSignInsAllSayTheSameAndLockTheAccountAfterFive) {
  const std::string refused = Auth::RefusedMessage(AuthOptions{});
  EXPECT_EQ(refused,
            "The name or password is not right, or the account is disabled, or it is locked after 5 failed "
            "sign-ins in a row (it unlocks after 15 minutes; an admin can unlock it sooner).");
  Reply unknown = SignInReply("nobody", "whatever password");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(unknown.body.find(refused), std::string::npos);
  EXPECT_EQ(unknown.header("Set-Cookie"), "");
  for (int i = 0; i < 5; ++i) {
    Reply r = SignInReply("mo", "not the password");
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find(refused), std::string::npos);
  }
  // Locked: the right password is refused with the same words.
  Reply locked = SignInReply("mo");
  EXPECT_EQ(locked.status, 401);
  EXPECT_NE(locked.body.find(refused), std::string::npos);
  clock_.Advance(15 * 60 - 1);
  EXPECT_EQ(SignInReply("mo").status, 401);
  clock_.Advance(1);
  EXPECT_EQ(SignInReply("mo").status, 303);

  std::vector<AccessEntry> log = Log();
  int refusals = 0, lockouts = 0;
  for (const AccessEntry& e : log) {
    if (e.user != "mo") continue;
    if (e.action == "sign_in" && e.outcome == "refused") ++refusals;
    if (e.action == "lock_out") {
      ++lockouts;
      EXPECT_EQ(e.detail, "5 failed sign-ins");
      EXPECT_EQ(e.remote_addr, "127.0.0.1");
    }
  }
  EXPECT_EQ(refusals, 5);  // attempts while locked are not counted again
  EXPECT_EQ(lockouts, 1);
  EXPECT_EQ(log.front().action, "sign_in");
  EXPECT_EQ(log.front().outcome, "ok");
}

TEST_F(ServerTest, ASessionEndsWhenIdleForThirtyMinutesOrAfterEightHours) {
  std::string token = SignIn("vi");
  clock_.Advance(30 * 60 - 1);
  EXPECT_EQ(Get("/api/session", token).status, 200);
  clock_.Advance(30 * 60 - 1);  // seen a moment ago: still idle under 30 minutes
  EXPECT_EQ(Get("/api/session", token).status, 200);
  clock_.Advance(30 * 60);
  EXPECT_EQ(Get("/api/session", token).status, 401);

  token = SignIn("vi");
  for (int i = 0; i < 16; ++i) {  // active every 29 minutes: 7 h 44 min
    clock_.Advance(29 * 60);
    ASSERT_EQ(Get("/api/session", token).status, 200) << i;
  }
  clock_.Advance(16 * 60);  // 8 h after signing in
  EXPECT_EQ(Get("/api/session", token).status, 401);
}

TEST_F(ServerTest, DisablingAUserEndsItsSessionAtOnce) {
  std::string token = SignIn("ana");
  ASSERT_EQ(Get("/api/session", token).status, 200);
  auto s = OpenStore(store_path_, OpenMode::kMustExist);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(DisableUser(**s, "ana").ok());
  EXPECT_EQ(Get("/api/session", token).status, 401);
  EXPECT_EQ(SignInReply("ana").status, 401);
}

TEST_F(ServerTest, OnlyAdminsReadTheAccessLog) {
  std::string mo = SignIn("mo"), vi = SignIn("vi"), ada = SignIn("ada");
  Reply refused = Get("/api/access-log", mo);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body, R"({"error":"Only an admin may open this."})");
  EXPECT_EQ(Get("/api/access-log", vi).status, 403);
  EXPECT_EQ(Get("/api/access-log").status, 401);

  Reply r = Get("/api/access-log?limit=2", ada);
  ASSERT_EQ(r.status, 200) << r.body;
  nlohmann::json j = nlohmann::json::parse(r.body);
  ASSERT_EQ(j["entries"].size(), 2u);
  EXPECT_EQ(j["entries"][0]["user"], "ada");
  EXPECT_EQ(j["entries"][0]["action"], "sign_in");
  EXPECT_EQ(j["entries"][1]["user"], "vi");
  EXPECT_EQ(j["entries"][0]["at"], "2025-10-09T08:53:20Z");
  EXPECT_EQ(j["next_before"], j["entries"][1]["id"]);
  Reply older = Get("/api/access-log?before=" + std::to_string(j["next_before"].get<int64_t>()), ada);
  nlohmann::json o = nlohmann::json::parse(older.body);
  ASSERT_EQ(o["entries"].size(), 1u);
  EXPECT_EQ(o["entries"][0]["user"], "mo");
  EXPECT_TRUE(o["next_before"].is_null());
  // Reading the log is itself logged.
  EXPECT_EQ(Log().front().action, "access_log");
  EXPECT_EQ(Log().front().user, "ada");

  Reply bad = Get("/api/access-log?limit=lots", ada);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, R"({"error":"limit 'lots' is not a whole number from 1 to 1000"})");
  Reply day = Get("/api/access-log?since=yesterday", ada);
  EXPECT_EQ(day.status, 400);
  EXPECT_EQ(day.body,
            R"j({"error":"since 'yesterday' is not a day (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SSZ)"})j");
}

TEST_F(ServerTest, UnknownPathsAndWrongMethodsAreRefusedWithAMessage) {
  Reply none = Get("/api/nothing-here", SignIn("ana"));
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.body, R"({"error":"There is no page or API call at /api/nothing-here."})");
  Reply method = Get("/logout");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.header("Allow"), "POST");
  EXPECT_NE(method.body.find("GET is not allowed on /logout (only POST)."), std::string::npos);
}

TEST_F(ServerTest, ASignInPostedFromAnotherSiteIsRefused) {
  Reply r =
      PostForm("/login", {{"name", "mo"}, {"password", kPassword}}, "", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("Set-Cookie"), "");
  Reply same = PostForm("/login", {{"name", "mo"}, {"password", kPassword}}, "",
                        {{"Origin", "http://127.0.0.1:" + std::to_string(port_)}});
  EXPECT_EQ(same.status, 303);
  Reply missing = PostForm("/login", {{"name", "mo"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("The sign-in form needs the fields name and password."), std::string::npos);
}

TEST_F(ServerTest, PagesRedirectToTheSignInFormAndTheApiIndexListsTheRoutes) {
  Reply r = Get("/api/", SignIn("vi"));
  ASSERT_EQ(r.status, 200);
  nlohmann::json j = nlohmann::json::parse(r.body);
  bool found = false;
  for (const auto& route : j["routes"])
    if (route["method"] == "GET" && route["path"] == "/api/session") found = true;
  EXPECT_TRUE(found);
  Reply css = Get("/static/dashboard.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(Get("/static/other.js").status, 404);
}

}  // namespace
}  // namespace goldthread::server
