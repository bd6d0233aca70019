// The store's users, sessions and access log (schema version 2).

#include "store/sqlite_auth.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite_migrations.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace goldthread {
namespace {

// Users, sessions and the access log on both stores.
class AuthBackendTest : public store_test::BackendTest {};
GT_INSTANTIATE_BACKENDS(AuthBackendTest);

std::string TempStore(const std::string& name) {
  // One path per test and process: ctest runs tests in parallel, and CI
  // runs more than one build's tests at once.
  std::string path = testing::TempDir() + "/auth_test_" + name + "_" + std::to_string(::getpid()) + ".db";
  for (const char* s : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + s);
  return path;
}

std::unique_ptr<Store> MustOpen(const std::string& path) {
  auto s = OpenStore(path, OpenMode::kCreateIfMissing);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

UserRecord User(const std::string& name, const std::string& role, const std::string& org = "") {
  UserRecord u;
  u.name = name;
  u.role = role;
  u.org_unit = org;
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  u.created_at = 1712000000;
  return u;
}

TEST(AuthStoreTest, VersionOneStoreIsMigratedKeepingItsBatches) {
  std::string path = TempStore("migrate");
  {
    // The store an earlier goldthread wrote: version 1's tables, one batch.
    sqlite::ConnectionOptions create;
    create.create = true;
    auto db = sqlite::Db::Open(path, create);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(MigrateTo1(**db).ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO schema_version VALUES (1);"
                            "INSERT INTO import_batches VALUES (1, '2024-04-01T19:33:20Z', 'tester', '/data/x', "
                            "'h1', 0, 0, 0)")
                    .ok());
  }
  auto store = MustOpen(path);
  EXPECT_EQ(store->schema_version(), kStoreSchemaVersion);
  auto batches = store->Batches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].content_hash, "h1");
  auto id = store->AddUser(User("ana", "analyst"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 1);
}

TEST_P(AuthBackendTest, UsersAreAddedFoundCaseInsensitivelyAndListedByName) {
  auto store = MustOpen(NewStore("users"));
  ASSERT_TRUE(store->AddUser(User("zoe", "viewer")).ok());
  auto id = store->AddUser(User("Mo", "manager", "T3"));
  ASSERT_TRUE(id.ok());
  auto dup = store->AddUser(User("MO", "admin"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "user 'MO' already exists");

  auto found = store->FindUser("mo");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const UserRecord& u = **found;
  EXPECT_EQ(u.id, *id);
  EXPECT_EQ(u.name, "Mo");
  EXPECT_EQ(u.role, "manager");
  EXPECT_EQ(u.org_unit, "T3");
  EXPECT_EQ(u.password_hash, "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA");
  EXPECT_FALSE(u.disabled);
  EXPECT_EQ(u.failed_sign_ins, 0);
  EXPECT_EQ(u.locked_until, kNullTimestamp);
  EXPECT_EQ(u.created_at, 1712000000);
  EXPECT_EQ(u.last_sign_in, kNullTimestamp);
  auto by_id = store->FindUserById(*id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->name, "Mo");
  auto missing = store->FindUser("nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto all = store->ListUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Mo");  // NOCASE order: "mo" < "zoe"
  EXPECT_EQ((*all)[1].name, "zoe");
}

TEST_P(AuthBackendTest, FailedSignInsLockAtTheThresholdAndASuccessOrEnableClearsThem) {
  auto store = MustOpen(NewStore("lock"));
  auto id = store->AddUser(User("ana", "analyst"));
  ASSERT_TRUE(id.ok());
  for (int i = 1; i <= 2; ++i) {
    auto n = store->RecordFailedSignIn(*id, 3, 5000);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, i);
    EXPECT_EQ((*store->FindUser("ana"))->locked_until, kNullTimestamp);
  }
  auto n = store->RecordFailedSignIn(*id, 3, 5000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3);
  EXPECT_EQ((*store->FindUser("ana"))->locked_until, 5000);

  ASSERT_TRUE(store->RecordSignIn(*id, 6000).ok());
  UserRecord u = **store->FindUser("ana");
  EXPECT_EQ(u.failed_sign_ins, 0);
  EXPECT_EQ(u.locked_until, kNullTimestamp);
  EXPECT_EQ(u.last_sign_in, 6000);

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->RecordFailedSignIn(*id, 3, 9000).ok());
  ASSERT_TRUE(store->SetUserDisabled("ana", true).ok());
  u = **store->FindUser("ana");
  EXPECT_TRUE(u.disabled);
  EXPECT_EQ(u.locked_until, 9000);  // disabling keeps the lock
  ASSERT_TRUE(store->SetUserDisabled("ANA", false).ok());
  u = **store->FindUser("ana");
  EXPECT_FALSE(u.disabled);
  EXPECT_EQ(u.failed_sign_ins, 0);
  EXPECT_EQ(u.locked_until, kNullTimestamp);

  auto none = store->RecordFailedSignIn(99, 3, 1);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "no user with id 99");
  Status s = store->SetUserDisabled("nobody", true);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no user 'nobody'");
}

TEST_P(AuthBackendTest, SetUserPasswordReplacesTheHashAndLiftsTheLock) {
  auto store = MustOpen(NewStore("password"));
  auto id = store->AddUser(User("ana", "analyst"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store->RecordFailedSignIn(*id, 1, 5000).ok());
  ASSERT_TRUE(store->SetUserPassword("ana", "$argon2id$new").ok());
  UserRecord u = **store->FindUser("ana");
  EXPECT_EQ(u.password_hash, "$argon2id$new");
  EXPECT_EQ(u.failed_sign_ins, 0);
  EXPECT_EQ(u.locked_until, kNullTimestamp);
  EXPECT_EQ(store->SetUserPassword("bob", "$x").message(), "no user 'bob'");
  EXPECT_EQ(store->SetUserPassword("ana", "").message(), "an empty password hash");
}

TEST_P(AuthBackendTest, SessionsAreSavedFoundTouchedAndDeleted) {
  auto store = MustOpen(NewStore("sessions"));
  auto ana = store->AddUser(User("ana", "analyst"));
  auto bob = store->AddUser(User("bob", "viewer"));
  ASSERT_TRUE(ana.ok() && bob.ok());
  auto session = [](const std::string& hash, int64_t user, Timestamp expires) {
    SessionRecord s;
    s.token_hash = hash;
    s.user_id = user;
    s.csrf_token = "csrf-" + hash;
    s.created_at = 1000;
    s.expires_at = expires;
    s.remote_addr = "127.0.0.1";
    return s;
  };
  ASSERT_TRUE(store->SaveSession(session("a1", *ana, 2000)).ok());
  ASSERT_TRUE(store->SaveSession(session("a2", *ana, 9000)).ok());
  ASSERT_TRUE(store->SaveSession(session("b1", *bob, 9000)).ok());
  EXPECT_EQ(store->SaveSession(session("a1", *bob, 9000)).code(), StatusCode::kAlreadyExists);

  auto a1 = store->FindSession("a1");
  ASSERT_TRUE(a1.ok() && a1->has_value());
  EXPECT_EQ((*a1)->user_id, *ana);
  EXPECT_EQ((*a1)->csrf_token, "csrf-a1");
  EXPECT_EQ((*a1)->created_at, 1000);
  EXPECT_EQ((*a1)->expires_at, 2000);
  EXPECT_EQ((*a1)->last_seen, 1000);  // defaults to created_at
  EXPECT_EQ((*a1)->remote_addr, "127.0.0.1");

  ASSERT_TRUE(store->TouchSession("a1", 1500).ok());
  EXPECT_EQ((*store->FindSession("a1"))->last_seen, 1500);

  auto removed = store->DeleteExpiredSessions(2000);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);  // a1 ends at 2000: expired at that second
  EXPECT_FALSE(store->FindSession("a1")->has_value());
  ASSERT_TRUE(store->DeleteUserSessions(*ana).ok());
  EXPECT_FALSE(store->FindSession("a2")->has_value());
  EXPECT_TRUE(store->FindSession("b1")->has_value());
  ASSERT_TRUE(store->DeleteSession("b1").ok());
  EXPECT_FALSE(store->FindSession("b1")->has_value());
}

AccessEntry Entry(Timestamp at, const std::string& user, const std::string& action) {
  AccessEntry e;
  e.at = at;
  e.user = user;
  e.role = "manager";
  e.remote_addr = "127.0.0.1";
  e.action = action;
  e.indicator = "review-12m";
  e.period = "2024-25 Q1";
  e.org_unit = "T3";
  e.detail = "";
  e.records = 12;
  e.outcome = "shown";
  return e;
}

TEST_P(AuthBackendTest, AccessLogIsReadNewestFirstWithFiltersAndCannotBeRewritten) {
  std::string path = NewStore("access");
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store->AppendAccess(Entry(100, "mo", "cases")).ok());
    ASSERT_TRUE(store->AppendAccess(Entry(200, "ana", "cases")).ok());
    auto third = store->AppendAccess(Entry(300, "mo", "finding"));
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(*third, 3);

    auto all = store->ReadAccessLog({});
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].id, 3);
    EXPECT_EQ((*all)[0].action, "finding");
    EXPECT_EQ((*all)[2].at, 100);
    const AccessEntry& e = (*all)[1];
    EXPECT_EQ(e.user, "ana");
    EXPECT_EQ(e.role, "manager");
    EXPECT_EQ(e.remote_addr, "127.0.0.1");
    EXPECT_EQ(e.indicator, "review-12m");
    EXPECT_EQ(e.period, "2024-25 Q1");
    EXPECT_EQ(e.org_unit, "T3");
    EXPECT_EQ(e.records, 12);
    EXPECT_EQ(e.outcome, "shown");

    AccessQuery q;
    q.user = "mo";
    auto mo = store->ReadAccessLog(q);
    ASSERT_TRUE(mo.ok());
    ASSERT_EQ(mo->size(), 2u);
    EXPECT_EQ((*mo)[0].at, 300);
    EXPECT_EQ((*mo)[1].at, 100);

    AccessQuery window;
    window.since = 200;
    window.until = 300;
    auto w = store->ReadAccessLog(window);
    ASSERT_TRUE(w.ok());
    ASSERT_EQ(w->size(), 1u);
    EXPECT_EQ((*w)[0].user, "ana");

    AccessQuery page;
    page.before_id = 3;
    page.limit = 1;
    auto p = store->ReadAccessLog(page);
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(p->size(), 1u);
    EXPECT_EQ((*p)[0].id, 2);
  }
  EXPECT_EQ(Sql(path, "UPDATE access_log SET \"user\" = 'x'"), "the access log is append-only");
  EXPECT_EQ(Sql(path, "DELETE FROM access_log"), "the access log is append-only");
  if (pg()) {
    EXPECT_EQ(Sql(path, "TRUNCATE access_log"), "the access log is append-only");
  }
}

}  // namespace
}  // namespace goldthread
