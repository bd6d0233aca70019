// A second user is normal: the dashboard's writes (sign-ins, access-log
// entries) made while an import writes its batch wait for the batch, for at
// most ServerOptions::store_options.wait, instead of failing at once (they
// answered 503 with "database is locked" before the store's bounded wait).
// The import is a BatchWriter on a connection of the test's own, held open
// until the test commits it; the server's on_wait hook says when a request
// is waiting, so nothing here depends on timing.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>

#include "server/crypto.h"
#include "server/server_test_util.h"

namespace goldthread::server {
namespace {

using testing_util::DashboardFixture;
using testing_util::Reply;

class StoreWaitTest : public DashboardFixture {
 protected:
  /// Starts the server with a hook that fulfils waiting_ the first time a
  /// store call of the server waits for another connection.
  void StartWatchedServer(std::chrono::milliseconds wait) {
    options_.store_options.wait = wait;
    options_.store_options.on_wait = [this](const std::string& what) {
      if (!told_.exchange(true)) waiting_.set_value(what);
    };
    StartServer();
  }
  /// An import's batch, begun: it holds the store's write lock until Commit.
  std::unique_ptr<BatchWriter> BeginImport() {
    auto store = OpenStore(store_path_, OpenMode::kMustExist);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    importer_ = std::move(*store);
    BatchInfo b;
    b.imported_at = 2;
    b.content_hash = "import";
    auto w = importer_->BeginBatch(b);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? std::move(*w) : nullptr;
  }
  /// What the server said when it started to wait ("" if it never did
  /// within a minute: a hang guard, not a timing assumption).
  std::string WaitForTheServerToWait() {
    auto f = waiting_.get_future();
    if (f.wait_for(std::chrono::seconds(60)) != std::future_status::ready) return "";
    return f.get();
  }

  std::promise<std::string> waiting_;
  std::atomic<bool> told_{false};
  std::unique_ptr<Store> importer_;
};

TEST_F(StoreWaitTest, ASignInDuringAnImportWaitsForTheBatchAndSucceeds) {
  StartWatchedServer(std::chrono::seconds(600));
  auto batch = BeginImport();
  ASSERT_TRUE(batch);
  auto token = std::async(std::launch::async, [this] { return SignIn("mo"); });
  EXPECT_EQ(WaitForTheServerToWait(),
            "store '" + store_path_ + "' is in use by another process (an import?); waiting up to 600 s");
  ASSERT_TRUE(batch->Commit({}, 0).ok());
  EXPECT_NE(token.get(), "");
  auto users = importer_->FindUser("mo");
  ASSERT_TRUE(users.ok() && users->has_value());
  EXPECT_EQ((*users)->last_sign_in, testing_util::kStart);
}

TEST_F(StoreWaitTest, AnAccessLogEntryDuringAnImportWaitsForTheBatch) {
  StartWatchedServer(std::chrono::seconds(600));
  const std::string ada = SignIn("ada");
  ASSERT_NE(ada, "");
  auto batch = BeginImport();
  ASSERT_TRUE(batch);
  // Reading the access log writes to it: the entry waits, the page is shown.
  auto reply = std::async(std::launch::async, [&] { return Get("/api/access-log", ada); });
  EXPECT_NE(WaitForTheServerToWait(), "");
  ASSERT_TRUE(batch->Commit({}, 0).ok());
  Reply r = reply.get();
  EXPECT_EQ(r.status, 200) << r.body;
  AccessQuery q;
  q.limit = 1;
  auto entries = importer_->ReadAccessLog(q);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].action, "access_log");
  EXPECT_EQ((*entries)[0].user, "ada");
}

// The wait is bounded: a write still blocked at its end is answered 503,
// saying why, and the import is not disturbed.
TEST_F(StoreWaitTest, AWriteStillBlockedAfterTheWaitIsToldSo) {
  StartWatchedServer(std::chrono::milliseconds(0));
  auto batch = BeginImport();
  ASSERT_TRUE(batch);
  Reply r = SignInReply("mo");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("The dashboard could not start a session just now: store &#39;" + store_path_ +
                        "&#39;: saving a session: in use by another process (gave up after waiting 0 s)"),
            std::string::npos)
      << r.body;
  ASSERT_TRUE(batch->Commit({}, 0).ok());
  EXPECT_NE(SignIn("mo"), "");
}

// A page never waits to note that its session is still in use: with the
// store busy the touch is skipped (zero wait, no waiting announced), the
// page is answered, and the next request after the import touches it.
TEST_F(StoreWaitTest, APageDuringAnImportSkipsTheSessionTouchWithoutWaiting) {
  StartWatchedServer(std::chrono::seconds(600));
  const std::string ana = SignIn("ana");
  ASSERT_NE(ana, "");
  clock_.Advance(120);  // past the touch interval (60 s), within the idle limit
  auto batch = BeginImport();
  ASSERT_TRUE(batch);
  auto reply = std::async(std::launch::async, [&] { return Get("/api/session", ana); });
  // Until the page is answered or the server starts to wait (a hang guard of
  // a minute, not a timing assumption).
  for (int i = 0; i < 6000 && !told_.load(); ++i)
    if (reply.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready) break;
  EXPECT_FALSE(told_.load()) << "the request waited for the import to touch its session";
  const bool answered = reply.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  ASSERT_TRUE(batch->Commit({}, 0).ok());
  ASSERT_TRUE(answered);
  EXPECT_EQ(reply.get().status, 200);
  const std::string hash = Sha256Hex(ana);
  auto session = importer_->FindSession(hash);
  ASSERT_TRUE(session.ok() && session->has_value());
  EXPECT_EQ((*session)->last_seen, testing_util::kStart);  // skipped, not waited for

  EXPECT_EQ(Get("/api/session", ana).status, 200);
  session = importer_->FindSession(hash);
  ASSERT_TRUE(session.ok() && session->has_value());
  EXPECT_EQ((*session)->last_seen, testing_util::kStart + 120);  // tried again, and done
}

}  // namespace
}  // namespace goldthread::server
