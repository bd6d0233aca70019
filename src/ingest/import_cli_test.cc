// End-to-end: the built `goldthread import` binary (issue 2), its exit codes
// (0 ok, 1 bad input, 2 usage) and its exact output.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/date.h"
#include "core/test_cli.h"
#include "store/store.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

using test::Outcome;
using test::Slurp;

class ImportCliTest : public testing::Test {
 protected:
  void SetUp() override {
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
  Outcome Goldthread(const std::string& args) { return test::RunGoldthread(args, root_); }
  test::TestDir dir_{"import_cli"};  // per test and process, removed after it
  const std::string root_ = dir_.path();
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
                   "CSV files)\ngoldthread import: nothing was stored\n");
  // A store that is not a regular file: SQLite wrote a journal beside
  // /dev/null, and waited on a FIFO.
  ASSERT_EQ(::mkfifo((root_ + "/fifo.db").c_str(), 0600), 0);
  for (const std::string& s : {std::string("/dev/null"), root_ + "/fifo.db"}) {
    Outcome d = Goldthread("import " + s + " " + root_ + "/good");
    EXPECT_EQ(d.code, 1) << s;
    EXPECT_EQ(d.err, "goldthread import: store '" + s + "' is " +
                         (s == "/dev/null" ? "a character device" : "a FIFO (named pipe)") +
                         " (expected a store file)\n");
  }
  EXPECT_FALSE(fs::exists("/dev/null-journal"));
  // A PostgreSQL store whose server is not there: said, nothing stored.
  Outcome p = Goldthread("import postgresql:///db?host=" + root_ + "/no_server " + root_ + "/good");
  EXPECT_EQ(p.code, 1);
  EXPECT_EQ(p.err, "goldthread import: store 'postgresql:///db?host=" + root_ +
                       "/no_server': cannot connect: connection to server on socket \"" + root_ +
                       "/no_server/.s.PGSQL.5432\" failed: No such file or directory\n\tIs the server running "
                       "locally and accepting connections on that socket?\n");
}

// Issue 9: --quarantine pointed at the store destroyed it (SIGBUS, a 29-byte
// file), and pointed at an input overwrote it. Every such path is refused
// (exit 2) before the store is opened, by identity as well as by name.
TEST_F(ImportCliTest, Issue9QuarantineNeverReplacesTheStoreOrAnInput) {
  std::string store = root_ + "/s.db";
  ASSERT_EQ(Goldthread("import " + store + " " + root_ + "/good").code, 0);
  const std::string before = Slurp(store);
  fs::create_hard_link(store, root_ + "/hard.db");
  fs::create_symlink(root_ + "/bad/people.csv", root_ + "/people-link.csv");
  const std::string tail = ", which an output must not replace (expected another file name)\n";
  struct Case {
    std::string quarantine, err;
  };
  const Case cases[] = {
      {store, "'" + store + "' is the store '" + store + "'"},
      {root_ + "/hard.db", "'" + root_ + "/hard.db' is the store '" + store + "'"},
      {store + "-wal", "'" + store + "-wal' is the store's write-ahead log '" + store + "-wal'"},
      {store + "-journal", "'" + store + "-journal' is the store's journal '" + store + "-journal'"},
      {root_ + "/bad/requests.csv", "'" + root_ + "/bad/requests.csv' is an input file '" + root_ + "/bad/requests.csv'"},
      {root_ + "/people-link.csv", "'" + root_ + "/people-link.csv' is an input file '" + root_ + "/bad/people.csv'"},
      // Absent from this import, but the next one would read it as visits.
      {root_ + "/bad/visits.csv", "'" + root_ + "/bad/visits.csv' is an input file '" + root_ + "/bad/visits.csv'"},
  };
  for (const Case& c : cases) {
    Outcome r = Goldthread("import " + store + " " + root_ + "/bad --quarantine " + c.quarantine);
    EXPECT_EQ(r.code, 2) << c.quarantine;
    EXPECT_EQ(r.err, "goldthread import: --quarantine " + c.err + tail);
    EXPECT_EQ(r.out, "");
  }
  Outcome d = Goldthread("import " + store + " " + root_ + "/bad --quarantine " + root_);
  EXPECT_EQ(d.code, 2);
  EXPECT_EQ(d.err, "goldthread import: --quarantine '" + root_ + "' is a directory (expected a file name)\n");
  EXPECT_EQ(Slurp(store), before);
  EXPECT_FALSE(fs::exists(store + "-wal"));
  EXPECT_FALSE(fs::exists(root_ + "/bad/visits.csv"));
  EXPECT_EQ(Slurp(root_ + "/bad/requests.csv").substr(0, 11), "request_id,");
  Outcome again = Goldthread("import " + store + " " + root_ + "/good");
  EXPECT_EQ(again.code, 0);
  EXPECT_EQ(again.out.substr(0, 26), "already imported as batch ");

  // A new store is not even created when the quarantine path is refused.
  Outcome fresh = Goldthread("import " + root_ + "/new.db " + root_ + "/bad --quarantine " + root_ + "/new.db");
  EXPECT_EQ(fresh.code, 2);
  EXPECT_FALSE(fs::exists(root_ + "/new.db"));
}

// Issue 9: the reject file appears whole when the batch is stored, and an
// earlier reject file is left as it was when nothing is stored.
TEST_F(ImportCliTest, Issue9TheRejectFileIsReplacedOnlyWhenTheBatchIsStored) {
  std::string store = root_ + "/s.db", rejects = root_ + "/rejects.csv";
  std::ofstream(rejects) << "earlier\n";
  std::ofstream(root_ + "/bad/org_units.csv") << "org_unit_id,parent_id\n";  // a whole-file problem
  Outcome r = Goldthread("import " + store + " " + root_ + "/bad --quarantine " + rejects);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(Slurp(rejects), "earlier\n");
  fs::copy(root_ + "/good/org_units.csv", root_ + "/bad/org_units.csv", fs::copy_options::overwrite_existing);
  Outcome q = Goldthread("import " + store + " " + root_ + "/bad --quarantine " + rejects);
  EXPECT_EQ(q.code, 0) << q.err;
  EXPECT_EQ(Slurp(rejects),
            "file,line,column,problem,row\n"
            "requests.csv,2,received_on,'2024-13-01' is not a valid date (expected YYYY-MM-DD),"
            "\"R1,P1,,2024-13-01,self,,,T1,,,\"\n"
            "requests.csv,3,person_id,'P2' matches no people record (expected the id of a people record in this "
            "import or already in the store),\"R2,P2,,2024-04-01,self,,,T1,,,\"\n");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(root_)) names.push_back(e.path().filename().string());
  // An unwritable reject file is found before anything is read, not after.
  Outcome u = Goldthread("import " + root_ + "/t.db " + root_ + "/bad --quarantine " + root_ + "/no/r.csv");
  EXPECT_EQ(u.code, 1);
  EXPECT_EQ(u.err, "goldthread import: --quarantine cannot write '" + root_ +
                       "/no/r.csv': No such file or directory\ngoldthread import: nothing was stored\n");
  EXPECT_FALSE(fs::exists(root_ + "/t.db"));
  for (const std::string& n : names) EXPECT_EQ(n.find(".tmp-"), std::string::npos) << n;  // no temporary left
}

// Issue 9: a CSV that is a link to an endless file (/dev/zero) hung the
// import while hashing it. What is not a regular file is refused.
TEST_F(ImportCliTest, Issue9RefusesWhatIsNotARegularFile) {
  fs::create_symlink("/dev/zero", root_ + "/good/visits.csv");
  ASSERT_EQ(::mkfifo((root_ + "/good/reviews.csv").c_str(), 0600), 0);
  fs::create_directories(root_ + "/good/feedback.csv");
  std::string store = root_ + "/s.db";
  Outcome r = Goldthread("import " + store + " " + root_ + "/good");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  const std::string d = root_ + "/good/";
  EXPECT_EQ(r.err, "visits.csv: '" + d + "visits.csv' is a character device (expected a regular file)\n"
                   "reviews.csv: '" + d + "reviews.csv' is a FIFO (named pipe) (expected a regular file)\n"
                   "feedback.csv: '" + d + "feedback.csv' is a directory (expected a regular file)\n"
                   "goldthread import: 3 problems; nothing was stored\n");
  EXPECT_FALSE(fs::exists(store));
}

// Issue 9: every output of every command is checked the same way.
TEST_F(ImportCliTest, Issue9NoOutputReplacesTheStoreOrAnInput) {
  std::string store = root_ + "/s.db";
  ASSERT_EQ(Goldthread("import " + store + " " + root_ + "/good").code, 0);
  const std::string before = Slurp(store);
  std::ofstream(root_ + "/series.csv") << "x,y\n1,2\n2,3\n";
  std::ofstream(root_ + "/checks.toml") << "";
  const std::string tail = ", which an output must not replace (expected another file name)\n";
  struct Case {
    std::string args, err;
  };
  const Case cases[] = {
      {"compute " + store + " --json " + store, "goldthread compute: --json '" + store + "' is the store '" + store + "'"},
      {"compute " + store + " --json " + store + "-wal",
       "goldthread compute: --json '" + store + "-wal' is the store's write-ahead log '" + store + "-wal'"},
      {"check " + store + " --json " + store, "goldthread check: --json '" + store + "' is the store '" + store + "'"},
      {"check " + store + " --config " + root_ + "/checks.toml --json " + root_ + "/checks.toml",
       "goldthread check: --json '" + root_ + "/checks.toml' is the configuration '" + root_ + "/checks.toml'"},
      {"spc " + root_ + "/series.csv --json " + root_ + "/series.csv",
       "goldthread spc: --json '" + root_ + "/series.csv' is the input file '" + root_ + "/series.csv'"},
      {"spc " + root_ + "/series.csv --json " + root_ + "/out --svg " + root_ + "/out",
       "goldthread spc: --svg '" + root_ + "/out' is the --json output '" + root_ + "/out'"},
      {"funnel " + root_ + "/series.csv --svg " + root_ + "/series.csv",
       "goldthread funnel: --svg '" + root_ + "/series.csv' is the input file '" + root_ + "/series.csv'"},
      {"benchmark check " + store + " --json " + store,
       "goldthread benchmark check: --json '" + store + "' is the store '" + store + "'"},
      {"benchmark funnel " + store + " 1C1A 2020-21 --svg " + store,
       "goldthread benchmark funnel: --svg '" + store + "' is the store '" + store + "'"},
  };
  for (const Case& c : cases) {
    Outcome r = Goldthread(c.args);
    EXPECT_EQ(r.code, 2) << c.args;
    EXPECT_EQ(r.err, c.err + tail);
  }
  EXPECT_EQ(Slurp(store), before);
  EXPECT_EQ(Slurp(root_ + "/series.csv"), "x,y\n1,2\n2,3\n");
}

// Issue 9: every file a command reads goes through the same checked open, so
// no input can be an endless device or a FIFO that never delivers.
TEST_F(ImportCliTest, Issue9EveryInputMustBeARegularFile) {
  std::string store = root_ + "/s.db";
  ASSERT_EQ(Goldthread("import " + store + " " + root_ + "/good").code, 0);
  ASSERT_EQ(::mkfifo((root_ + "/fifo").c_str(), 0600), 0);
  fs::create_directories(root_ + "/defs");
  fs::create_symlink("/dev/zero", root_ + "/defs/endless.toml");
  const std::string fifo = "'" + root_ + "/fifo' is a FIFO (named pipe) (expected a regular file)\n";
  struct Case {
    std::string args, err;
  };
  const Case cases[] = {
      {"spc /dev/zero", "'/dev/zero' is a character device (expected a regular file)\n"},
      {"funnel " + root_ + "/fifo", fifo},
      {"check " + store + " --config " + root_ + "/fifo", "goldthread check: " + fifo},
      {"benchmark check " + store + " --config " + root_ + "/fifo", "goldthread benchmark check: " + fifo},
      {"compute " + store + " --indicators " + root_ + "/defs",
       "goldthread compute: '" + root_ + "/defs/endless.toml' is a character device (expected a regular file)\n"},
      {"benchmark import " + store + " " + root_ + "/fifo --year 2020-21",
       "goldthread benchmark import: fifo: " + fifo},
  };
  for (const Case& c : cases) {
    Outcome r = Goldthread(c.args);
    EXPECT_EQ(r.code, 1) << c.args;
    EXPECT_EQ(r.err, c.err) << c.args;
  }
}

// Issue 9, as found: each of these imported with exit 0 and then hung
// compute or check, crashed check, or was stored as it was.
TEST_F(ImportCliTest, Issue9BadRecordsAreRefusedWithFileLineAndColumn) {
  const std::string people_header =
      "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n";
  const std::string requests_header =
      "request_id,person_id,first_contact_on,received_on,route,outcome,closed_on,org_unit_id,worker_id,recorded_at,"
      "recorded_by\n";
  const int year = CivilFromDate(DateOfTimestamp(std::time(nullptr))).year;
  struct Case {
    std::string name, file, text, err;
  };
  const Case cases[] = {
      {"cycle", "org_units.csv", "org_unit_id,parent_id,name,kind\nC1,,Council,council\nA,B,A,team\nB,A,B,service\n",
       "org_units.csv:3: parent_id: 'B' makes a cycle: A -> B -> A (expected a tree: no unit may be its own "
       "ancestor)\n"},
      {"own_parent", "org_units.csv", "org_unit_id,parent_id,name,kind\nC1,C1,Council,council\n",
       "org_units.csv:2: parent_id: 'C1' makes a cycle: C1 -> C1 (expected a tree: no unit may be its own "
       "ancestor)\n"},
      {"far_future", "requests.csv", requests_header + "R1,P1,,9999-12-31,self,,,T1,,,\n",
       "requests.csv:2: received_on: '9999-12-31' is after " + std::to_string(year + 5)},
      {"born_9999", "people.csv", people_header + "P1,service_user,9999-01-01,F,white,A1,physical,,\n",
       "people.csv:2: birth_date: '9999-01-01' is after the import date "},
      {"nul", "people.csv", people_header + "P1,service_user,1940-05-01,F,white,A" + std::string(1, '\0') +
                                "1,physical,,\n",
       "people.csv:2: area: 'A\\x001' has a NUL byte at byte 2 (expected text without NUL bytes)\n"},
      {"latin1", "people.csv", people_header + "P1,service_user,1940-05-01,F,white,Caf\xE9,physical,,\n",
       "people.csv:2: area: 'Caf\\xE9' is not valid UTF-8 at byte 4 (expected UTF-8 text; save the file as "
       "UTF-8)\n"},
      {"endless_line", "requests.csv", requests_header + std::string(2 << 20, 'x'),
       "requests.csv:2: a record is longer than 1048576 bytes (expected a line end within every 1048576 bytes)\n"},
  };
  for (const Case& c : cases) {
    const std::string dir = root_ + "/" + c.name;
    fs::create_directories(dir);
    fs::copy(root_ + "/good/org_units.csv", dir + "/org_units.csv");
    fs::copy(root_ + "/good/people.csv", dir + "/people.csv");
    std::ofstream(dir + "/" + c.file, std::ios::binary | std::ios::trunc) << c.text;
    const std::string store = root_ + "/" + c.name + ".db";
    Outcome r = Goldthread("import " + store + " " + dir);
    EXPECT_EQ(r.code, 1) << c.name << ": " << r.out;
    EXPECT_EQ(r.err.substr(0, c.err.size()), c.err) << c.name;
    EXPECT_NE(r.err.find("; nothing was stored\n"), std::string::npos) << c.name << ": " << r.err;
    EXPECT_FALSE(fs::exists(store)) << c.name;
  }
}

// Issue 9: a later batch with one id twice, the first copy as stored, was
// imported with exit 0 and the second copy silently became current.
TEST_F(ImportCliTest, Issue9AnIdTwiceInALaterBatchIsRefused) {
  const std::string store = root_ + "/s.db";
  ASSERT_EQ(Goldthread("import " + store + " " + root_ + "/good").code, 0);
  fs::create_directories(root_ + "/later");
  std::ofstream(root_ + "/later/people.csv")
      << "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
         "P1,service_user,1940-05-01,F,white,A1,physical,,\n"
         "P1,service_user,1940-05-01,M,white,A1,physical,,\n";
  Outcome r = Goldthread("import " + store + " " + root_ + "/later");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "people.csv:3: person_id: 'P1' appears twice in this import (expected one row per person_id; first at "
            "line 2)\n"
            "goldthread import: 1 problem; nothing was stored\n");
}

// Issue 9: compute --from 0001-01 --to 9999-12 was accepted; a window is a
// usage error when backwards or longer than 50 years.
TEST_F(ImportCliTest, Issue9ComputeRefusesAnUnboundedWindow) {
  const std::string store = root_ + "/s.db";
  ASSERT_EQ(Goldthread("import " + store + " " + root_ + "/good").code, 0);
  Outcome r = Goldthread("compute " + store + " --from 0001-01 --to 9999-12");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "goldthread compute: --from 0001-01 to --to 9999-12 is 119988 months (expected at most 600, 50 "
                   "years)\n");
  Outcome b = Goldthread("compute " + store + " --from 2025-01 --to 2024-12");
  EXPECT_EQ(b.code, 2);
  EXPECT_EQ(b.err, "goldthread compute: --from 2025-01 to --to 2024-12 is backwards (expected --from on or before "
                   "--to)\n");
  Outcome c = Goldthread("check " + store + " --from 1900-01 --to 2024-12");
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.err, "goldthread check: --from 1900-01 to --to 2024-12 is 1500 months (expected at most 600, 50 "
                   "years)\n");
}

// Issue 9: a store written before the date checks may hold a visit on
// 9999-12-31. compute moved its window to 9997-9999 (every figure empty) and
// check died of bad_alloc; the data's range now ends at the latest event by
// the latest import.
TEST_F(ImportCliTest, Issue9AFarFutureDateInAnOldStoreMovesNothing) {
  const std::string store = root_ + "/old.db";
  {
    auto s = OpenStore(store, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.ok());
    BatchInfo info;
    info.imported_at = std::time(nullptr);
    info.content_hash = "written by an older binary";
    auto w = (*s)->BeginBatch(info);
    ASSERT_TRUE(w.ok());
    using Row = std::vector<std::string_view>;
    ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, Row{"C1", "", "Council", "council"}, "org_units.csv", 2).ok());
    ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, Row{"T1", "C1", "Team", "team"}, "org_units.csv", 3).ok());
    ASSERT_TRUE((*w)
                    ->Add(TableId::kPeople, Row{"P1", "service_user", "1940-05-01", "F", "white", "A1", "physical", "", ""},
                          "people.csv", 2)
                    .ok());
    for (const auto& [id, on] : {std::pair<std::string_view, std::string_view>{"R1", "2024-03-05"},
                                 {"R2", "2024-04-10"},
                                 {"R3", "9999-12-31"}})
      ASSERT_TRUE((*w)
                      ->Add(TableId::kRequests, Row{id, "P1", "", on, "self", "", "", "T1", "", "", ""}, "requests.csv",
                            2)
                      .ok());
    ASSERT_TRUE((*w)->Commit({}, 0).ok());
  }
  Outcome c = Goldthread("compute " + store);
  EXPECT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.out.substr(0, c.out.find('\n')), "period 2024-04: the council and every unit below it");
  EXPECT_NE(c.out.find("36 periods (2021-05 .. 2024-04)"), std::string::npos) << c.out;
  Outcome k = Goldthread("check " + store);
  EXPECT_EQ(k.code, 0) << k.err;
  EXPECT_EQ(k.err, "");
}

}  // namespace
}  // namespace goldthread
