// End-to-end: the built `goldthread import` binary (issue 2), its exit codes
// (0 ok, 1 bad input, 2 usage) and its exact output.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/date.h"

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

class ImportCliTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "/import_cli_" + testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_ + "/good");
    std::ofstream(root_ + "/good/org_units.csv") << "org_unit_id,parent_id,name,kind\nC1,,Council,council\n"
                                                    "T1,C1,Team,team\n";
    std::ofstream(root_ + "/good/people.csv")
        << "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
           "P1,service_user,1940-05-01,F,white,A1,physical,,\n";
    fs::create_directories(root_ + "/bad");
    fs::copy(root_ + "/good/org_units.csv", root_ + "/bad/org_units.csv");
    fs::copy(root_ + "/good/people.csv", root_ + "/bad/people.csv");
    std::ofstream(root_ + "/bad/requests.csv")
        << "request_id,person_id,first_contact_on,received_on,route,outcome,closed_on,org_unit_id,worker_id,"
           "recorded_at,recorded_by\nR1,P1,,2024-13-01,self,,,T1,,,\nR2,P2,,2024-04-01,self,,,T1,,,\n";
  }
  Outcome Goldthread(const std::string& args) {
    std::string out = root_ + "/stdout", err = root_ + "/stderr";
    int status = std::system((std::string(GOLDTHREAD_BINARY) + " " + args + " >" + out + " 2>" + err).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  }
  std::string root_;
};

TEST_F(ImportCliTest, ImportsThenRecognisesTheSameContent) {
  std::string store = root_ + "/s.db";
  Outcome r = Goldthread("import " + store + " " + root_ + "/good");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "imported batch 1 from " + root_ + "/good into " + store +
                       "\n"
                       "  org_units.csv             2 rows\n"
                       "  people.csv                1 rows\n"
                       "stored 3 rows\n");
  Outcome again = Goldthread("import " + store + " " + root_ + "/good");
  EXPECT_EQ(again.code, 0);
  EXPECT_EQ(again.out, "already imported as batch 1 on " + FormatDate(DateOfTimestamp(std::time(nullptr))) +
                           ": nothing to do\n");
}

TEST_F(ImportCliTest, BadInputListsEveryProblemAndStoresNothing) {
  std::string store = root_ + "/s.db";
  Outcome r = Goldthread("import " + store + " " + root_ + "/bad");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "requests.csv:2: received_on: '2024-13-01' is not a valid date (expected YYYY-MM-DD)\n"
            "requests.csv:3: person_id: 'P2' matches no people record (expected the id of a people record in this "
            "import or already in the store)\n"
            "goldthread import: 2 problems; nothing was stored\n");
  EXPECT_FALSE(fs::exists(store));  // a failed first import leaves no empty store behind

  Outcome q = Goldthread("import " + store + " " + root_ + "/bad --quarantine " + root_ + "/rejects.csv");
  EXPECT_EQ(q.code, 0) << q.err;
  EXPECT_NE(q.out.find("2 rows rejected, written with their reasons to " + root_ + "/rejects.csv\n"),
            std::string::npos)
      << q.out;
  EXPECT_EQ(Slurp(root_ + "/rejects.csv").substr(0, 29), "file,line,column,problem,row\n");
}

TEST_F(ImportCliTest, UsageAndMissingDirectory) {
  Outcome r = Goldthread("import");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "goldthread import: STORE is required\nRun 'goldthread import --help' for usage.\n");
  Outcome m = Goldthread("import " + root_ + "/s.db " + root_ + "/nope");
  EXPECT_EQ(m.code, 1);
  EXPECT_EQ(m.err, "goldthread import: '" + root_ + "/nope' is not a directory (expected a directory of canonical "
                   "CSV files)\n");
  Outcome p = Goldthread("import postgresql://h/db " + root_ + "/good");
  EXPECT_EQ(p.code, 1);
  EXPECT_EQ(p.err,
            "goldthread import: store 'postgresql://h/db': PostgreSQL stores are not supported yet (give a file "
            "path for a SQLite store)\n");
}

}  // namespace
}  // namespace goldthread
