#include "server/user_admin.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "server/roles.h"
#include "store/store_test_util.h"

#include <unistd.h>

namespace goldthread::server {
namespace {

class UserAdminTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string path = testing::TempDir() + "/user_admin_" + testing::UnitTest::GetInstance()->current_test_info()->name() +
                       "_" + std::to_string(::getpid()) + ".db";
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
    auto s = OpenStore(path, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    // One org unit, T1, so --org-unit can be checked against the store.
    store_test::CommitOrgUnit(*store_, "T1", "Team one", "team");
  }
  Status Add(const std::string& name, const std::string& role, const std::string& org = "",
             const std::string& password = "a good long password") {
    return AddUser(*store_, {name, role, org, password}, 1000, FastPasswordParamsForTests());
  }
  std::unique_ptr<Store> store_;
};

TEST_F(UserAdminTest, AddsAUserWithAVerifiableHash) {
  ASSERT_TRUE(Add("mo", "manager", "T1").ok());
  auto u = store_->FindUser("mo");
  ASSERT_TRUE(u.ok() && u->has_value());
  EXPECT_EQ((*u)->role, "manager");
  EXPECT_EQ((*u)->org_unit, "T1");
  EXPECT_EQ((*u)->created_at, 1000);
  EXPECT_EQ((*u)->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword((*u)->password_hash, "a good long password"));
}

TEST_F(UserAdminTest, RefusesWhatCannotBeAUser) {
  struct Case {
    std::string name, role, org, password, message;
  };
  const Case cases[] = {
      {"", "viewer", "", "a good long password", "the user name is empty"},
      {"-x", "viewer", "", "a good long password", "the user name must start with a letter or a digit"},
      {"a b", "viewer", "", "a good long password",
       "the user name has ' '; use letters, digits, '.', '_', '-' and '@'"},
      {"ana", "boss", "", "a good long password",
       "unknown role 'boss' (expected admin, analyst, manager or viewer)"},
      {"mo", "manager", "", "a good long password",
       "a manager needs --org-unit (the team or service whose cases it may see)"},
      {"mo", "manager", "T9", "a good long password",
       "org unit 'T9' is not in the store (import the org units first)"},
      {"ana", "analyst", "", "short", "the password is 5 characters long; it needs at least 12"},
  };
  for (const Case& c : cases) {
    Status s = Add(c.name, c.role, c.org, c.password);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
  auto all = store_->ListUsers();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  ASSERT_TRUE(Add("ana", "analyst").ok());
  Status dup = Add("Ana", "viewer");
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "user 'ana' already exists");
}

TEST_F(UserAdminTest, DisableEndsSessionsAndEnableUnlocks) {
  ASSERT_TRUE(Add("ana", "analyst").ok());
  UserRecord u = **store_->FindUser("ana");
  SessionRecord s;
  s.token_hash = "t";
  s.user_id = u.id;
  s.csrf_token = "c";
  s.created_at = 1;
  s.expires_at = 100000;
  ASSERT_TRUE(store_->SaveSession(s).ok());
  ASSERT_TRUE(store_->RecordFailedSignIn(u.id, 1, 5000).ok());
  ASSERT_TRUE(DisableUser(*store_, "ana").ok());
  EXPECT_TRUE((*store_->FindUser("ana"))->disabled);
  EXPECT_FALSE(store_->FindSession("t")->has_value());
  ASSERT_TRUE(EnableUser(*store_, "ana").ok());
  u = **store_->FindUser("ana");
  EXPECT_FALSE(u.disabled);
  EXPECT_EQ(u.locked_until, kNullTimestamp);
  EXPECT_EQ(DisableUser(*store_, "bob").message(), "no user 'bob'");
}

TEST_F(UserAdminTest, SetPasswordReplacesTheHashAndEndsSessions) {
  ASSERT_TRUE(Add("ana", "analyst").ok());
  UserRecord u = **store_->FindUser("ana");
  SessionRecord s;
  s.token_hash = "t";
  s.user_id = u.id;
  s.csrf_token = "c";
  s.created_at = 1;
  s.expires_at = 100000;
  ASSERT_TRUE(store_->SaveSession(s).ok());
  EXPECT_EQ(SetPassword(*store_, "ana", "tiny", FastPasswordParamsForTests()).message(),
            "the password is 4 characters long; it needs at least 12");
  ASSERT_TRUE(SetPassword(*store_, "ana", "another long password", FastPasswordParamsForTests()).ok());
  u = **store_->FindUser("ana");
  EXPECT_TRUE(VerifyPassword(u.password_hash, "another long password"));
  EXPECT_FALSE(VerifyPassword(u.password_hash, "a good long password"));
  EXPECT_FALSE(store_->FindSession("t")->has_value());
}

}  // namespace
}  // namespace goldthread::server
