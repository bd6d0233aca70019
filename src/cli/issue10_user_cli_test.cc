// End-to-end tests of `goldthread user` and `goldthread audit-log` (issue
// 10): the built binary, its exit codes, exact messages and output.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/test_cli.h"
#include "server/password.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

using CliRun = test::Outcome;

class Issue10UserCliTest : public testing::Test {
 protected:
  // A store with one org unit, T1.
  void MakeStore() {
    auto s = OpenStore(store_, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.ok());
    store_test::CommitOrgUnit(**s, "T1", "Team one", "team");
  }

  // Runs the binary with stdin from the text (or /dev/null when empty).
  CliRun Goldthread(const std::string& args, const std::string& stdin_text = "") {
    test::RunOptions o;
    o.stdin_text = stdin_text;
    return test::RunGoldthread(args, dir_.path(), o);
  }

  UserRecord Find(const std::string& name) {
    auto s = OpenStore(store_, OpenMode::kMustExist);
    EXPECT_TRUE(s.ok());
    auto u = (*s)->FindUser(name);
    EXPECT_TRUE(u.ok() && u->has_value());
    return u.ok() && u->has_value() ? **u : UserRecord{};
  }

  test::TestDir dir_{"gt_issue10_user"};  // per test and process, removed after it
  const std::string store_ = dir_ / "s.db";
};

TEST_F(Issue10UserCliTest, UserAddReadsThePasswordFromStdinOrGeneratesOne) {
  CliRun missing = Goldthread("user add " + store_ + " mo --role manager --org-unit T1");
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "goldthread user add: store '" + store_ +
                             "' does not exist (run 'goldthread import " + store_ + " DIR' first)\n");
  MakeStore();

  CliRun piped =
      Goldthread("user add " + store_ + " mo --role manager --org-unit T1", "a good long password\n");
  EXPECT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(piped.out, "added manager 'mo' of org unit T1\n");
  UserRecord mo = Find("mo");
  EXPECT_EQ(mo.role, "manager");
  EXPECT_EQ(mo.org_unit, "T1");
  EXPECT_EQ(mo.password_hash.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u);
  EXPECT_TRUE(server::VerifyPassword(mo.password_hash, "a good long password"));

  CliRun generated = Goldthread("user add " + store_ + " ana --role analyst");
  EXPECT_EQ(generated.code, 0) << generated.err;
  const std::string head = "added analyst 'ana'\npassword: ";
  ASSERT_EQ(generated.out.rfind(head, 0), 0u) << generated.out;
  const std::string password = generated.out.substr(head.size(), 20);
  EXPECT_EQ(generated.out.substr(head.size() + 20),
            "\n(shown this once: goldthread keeps only its argon2id hash)\n");
  EXPECT_TRUE(server::VerifyPassword(Find("ana").password_hash, password));

  CliRun role = Goldthread("user add " + store_ + " bob --role boss");
  EXPECT_EQ(role.code, 1);
  EXPECT_EQ(role.err,
            "goldthread user add: unknown role 'boss' (expected admin, analyst, manager or viewer)\n");
  CliRun weak = Goldthread("user add " + store_ + " bob --role viewer", "short\n");
  EXPECT_EQ(weak.code, 1);
  EXPECT_EQ(weak.err, "goldthread user add: the password is 5 characters long; it needs at least 12\n");
  // Standard input that never ends a line was read whole into memory.
  test::RunOptions endless;
  endless.stdin_path = "/dev/zero";
  CliRun zeros = test::RunGoldthread("user add " + store_ + " bob --role viewer", dir_.path(), endless);
  EXPECT_EQ(zeros.code, 1);
  EXPECT_EQ(zeros.err, "goldthread user add: the password is longer than 1024 characters\n");
  CliRun taken = Goldthread("user add " + store_ + " MO --role viewer", "a good long password\n");
  EXPECT_EQ(taken.code, 1);
  EXPECT_EQ(taken.err, "goldthread user add: user 'mo' already exists\n");
  CliRun usage = Goldthread("user add " + store_ + " bob");
  EXPECT_EQ(usage.code, 2);
  EXPECT_EQ(usage.err.rfind("goldthread user add: --role is required", 0), 0u) << usage.err;
}

TEST_F(Issue10UserCliTest, UserListDisableEnable) {
  MakeStore();
  CliRun empty = Goldthread("user list " + store_);
  EXPECT_EQ(empty.code, 0);
  EXPECT_EQ(empty.out, "no users yet: add one with 'goldthread user add " + store_ + " NAME --role admin'\n");
  ASSERT_EQ(Goldthread("user add " + store_ + " zoe --role viewer", "a good long password\n").code, 0);
  ASSERT_EQ(
      Goldthread("user add " + store_ + " mo --role manager --org-unit T1", "a good long password\n").code,
      0);
  CliRun disable = Goldthread("user disable " + store_ + " zoe");
  EXPECT_EQ(disable.code, 0);
  EXPECT_EQ(disable.out, "disabled 'zoe'; its sessions have ended\n");
  CliRun list = Goldthread("user list " + store_);
  EXPECT_EQ(list.code, 0);
  EXPECT_EQ(list.out,
            "name                 role     org unit   status                           last sign-in\n"
            "mo                   manager  T1         active                           never\n"
            "zoe                  viewer   -          disabled                         never\n");
  CliRun enable = Goldthread("user enable " + store_ + " zoe");
  EXPECT_EQ(enable.out, "enabled 'zoe'\n");
  EXPECT_FALSE(Find("zoe").disabled);
  CliRun unknown = Goldthread("user disable " + store_ + " nobody");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(unknown.err, "goldthread user disable: no user 'nobody'\n");
  CliRun verb = Goldthread("user remove " + store_ + " zoe");
  EXPECT_EQ(verb.code, 2);
  EXPECT_EQ(verb.err.rfind("goldthread user: unknown action 'remove' (expected add, list, disable, enable or "
                           "password)\n",
                           0),
            0u);
}

TEST_F(Issue10UserCliTest, UserPasswordSetsANewOne) {
  MakeStore();
  ASSERT_EQ(Goldthread("user add " + store_ + " zoe --role viewer", "a good long password\n").code, 0);
  CliRun set = Goldthread("user password " + store_ + " zoe", "another long password\n");
  EXPECT_EQ(set.code, 0) << set.err;
  EXPECT_EQ(set.out, "new password set for 'zoe'; its sessions have ended\n");
  EXPECT_TRUE(server::VerifyPassword(Find("zoe").password_hash, "another long password"));
}

TEST_F(Issue10UserCliTest, AuditLogPrintsNewestFirstAndExportsJson) {
  MakeStore();
  CliRun none = Goldthread("audit-log " + store_);
  EXPECT_EQ(none.code, 0);
  EXPECT_EQ(none.out, "the access log has no entries\n");
  {
    auto s = OpenStore(store_, OpenMode::kMustExist);
    ASSERT_TRUE(s.ok());
    AccessEntry e;
    e.at = 1712000000;  // 2024-04-01T19:33:20Z
    e.user = "mo";
    e.role = "manager";
    e.remote_addr = "127.0.0.1";
    e.action = "cases";
    e.indicator = "review-12m";
    e.period = "2024-04";
    e.org_unit = "T1";
    e.records = 12;
    e.outcome = "shown";
    ASSERT_TRUE((*s)->AppendAccess(e).ok());
    e.at += 60;
    e.user = "zoe";
    e.role = "viewer";
    e.records = 0;
    e.outcome = "refused";
    ASSERT_TRUE((*s)->AppendAccess(e).ok());
  }
  CliRun table = Goldthread("audit-log " + store_);
  EXPECT_EQ(table.code, 0);
  EXPECT_EQ(
      table.out,
      "when (UTC)            user             role     from            action    outcome  records  what\n"
      "2024-04-01T19:34:20Z  zoe              viewer   127.0.0.1       cases     refused        0  "
      "review-12m 2024-04 T1\n"
      "2024-04-01T19:33:20Z  mo               manager  127.0.0.1       cases     shown         12  "
      "review-12m 2024-04 T1\n");
  CliRun mo = Goldthread("audit-log " + store_ + " --user mo --json -");
  EXPECT_EQ(mo.code, 0);
  nlohmann::json j = nlohmann::json::parse(mo.out);
  ASSERT_EQ(j["entries"].size(), 1u);
  EXPECT_EQ(j["entries"][0]["at"], "2024-04-01T19:33:20Z");
  EXPECT_EQ(j["entries"][0]["records"], 12);
  EXPECT_EQ(j["entries"][0]["outcome"], "shown");
  CliRun later = Goldthread("audit-log " + store_ + " --since 2024-04-02");
  EXPECT_EQ(later.out, "the access log has no entries that match\n");
  CliRun over = Goldthread("audit-log " + store_ + " --json " + store_);
  EXPECT_EQ(over.code, 2);
  EXPECT_EQ(over.err, "goldthread audit-log: --json '" + store_ + "' is the store '" + store_ +
                          "', which an output must not replace (expected another file name)\n");
  CliRun bad = Goldthread("audit-log " + store_ + " --since yesterday");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "goldthread audit-log: --since 'yesterday' is not a day (YYYY-MM-DD) or a time\n");
}

}  // namespace
}  // namespace goldthread
