#pragma once
// A dashboard on an ephemeral loopback port over a small store, with one
// user of each role and a clock the test moves. For the server's tests.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server/clock.h"
#include "server/password.h"
#include "server/server.h"
#include "server/user_admin.h"
#include "store/store.h"

namespace goldthread::server::testing_util {

inline constexpr const char* kPassword = "a good long password";
inline constexpr Timestamp kStart = 1760000000;  // 2025-10-09T08:53:20Z

/// Org units: C (council) > S1 (service) > T1, T2 (teams).
inline void AddOrgUnits(Store& store) {
  BatchInfo b;
  b.imported_at = 1;
  b.content_hash = "org";
  auto w = store.BeginBatch(b);
  ASSERT_TRUE(w.ok());
  const size_t n = Table(TableId::kOrgUnits).fields.size();
  auto add = [&](std::string_view id, std::string_view parent, std::string_view name, std::string_view kind) {
    std::vector<std::string_view> v(n, "");
    v[0] = id;
    v[1] = parent;
    v[2] = name;
    v[3] = kind;
    ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, v, "org_units.csv", 2).ok());
  };
  add("C", "", "Council", "council");
  add("S1", "C", "Adult services", "service");
  add("T1", "S1", "Team one", "team");
  add("T2", "S1", "Team two", "team");
  ASSERT_TRUE((*w)->Commit({}, 0).ok());
}

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class DashboardFixture : public ::testing::Test {
 protected:
  /// Sets up the store and the users; StartServer() then starts it.
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("gt_server_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));  // one per test and process
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_path_ = (dir_ / "s.db").string();
    auto store = OpenStore(store_path_, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok());
    AddOrgUnits(**store);
    for (auto [name, role, org] : {std::tuple{"ada", "admin", ""}, std::tuple{"ana", "analyst", ""},
                                   std::tuple{"mo", "manager", "T1"}, std::tuple{"vi", "viewer", ""}})
      ASSERT_TRUE(AddUser(**store, {name, role, org, kPassword}, kStart, FastPasswordParamsForTests()).ok());
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  /// Starts the server; options_ may be changed before.
  void StartServer() {
    options_.store = store_path_;
    options_.port = 0;
    options_.threads = 8;
    options_.clock = &clock_;
    if (!options_.build)
      options_.build = [](Store&) -> Result<std::shared_ptr<const report::Analysis>> {
        return Status::Unsupported("no analysis in this test");
      };
    auto s = DashboardServer::Create(options_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(30);
    return c;
  }

  static Reply From(const httplib::Result& r) {
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.body = r->body;
    out.headers = r->headers;
    return out;
  }

  Reply Get(const std::string& path, const std::string& cookie = "") {
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", "gt_session=" + cookie);
    return From(Client().Get(path, h));
  }
  Reply PostForm(const std::string& path, const httplib::Params& form, const std::string& cookie = "",
                 httplib::Headers h = {}) {
    if (!cookie.empty()) h.emplace("Cookie", "gt_session=" + cookie);
    return From(Client().Post(path, h, form));
  }
  Reply SignInReply(const std::string& name, const std::string& password = kPassword) {
    return PostForm("/login", {{"name", name}, {"password", password}});
  }
  /// Signs in and returns the session token from the cookie ("" on failure).
  std::string SignIn(const std::string& name, const std::string& password = kPassword) {
    Reply r = SignInReply(name, password);
    const std::string cookie = r.header("Set-Cookie");
    const std::string prefix = "gt_session=";
    if (r.status != 303 || cookie.rfind(prefix, 0) != 0) return "";
    return cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
  }

  std::filesystem::path dir_;
  std::string store_path_;
  FakeClock clock_{kStart};
  ServerOptions options_;
  std::unique_ptr<DashboardServer> server_;
  int port_ = 0;
};

}  // namespace goldthread::server::testing_util
