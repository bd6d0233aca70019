// Issue 9, "a second user", end to end with the built binary in real
// processes: readers (compute, check) while an import is inside its
// transaction, a second writer, imports killed at each moment of their
// batch, a full disk, files that are not goldthread stores, and the store's
// size over many runs. The import is held at an exact point by the store's
// test pause points (store/test_pause.h), not by sleeps that race.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/date.h"
#include "core/sha256.h"
#include "core/test_cli.h"
#include "store/store.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

using test::Outcome;
using test::Slurp;
using test::WaitUntil;
using Proc = test::Process;

// The built goldthread with args.
std::vector<std::string> Goldthread(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {test::GoldthreadBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

class Issue9StoreCliTest : public testing::Test {
 protected:
  // Two councils, simulated once: c1 is the first import, c2 a later one.
  static void SetUpTestSuite() {
    // Shared by the tests' processes (the same seeds give the same files):
    // built under a name of this process's own and renamed into place, so a
    // test never reads another's half-written data.
    data_ = testing::TempDir() + "/issue9_store_cli_data";
    if (fs::exists(data_ + "/c2/people.csv")) return;
    const std::string building = data_ + ".building-" + std::to_string(::getpid());
    fs::remove_all(building);
    fs::create_directories(building);
    for (const char* seed : {"1", "2"}) {
      std::string cmd = std::string(GOLDTHREAD_BINARY) + " simulate --people 600 --months 12 --seed " + seed +
                        " --out " + building + "/c" + seed + " >/dev/null";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    std::error_code ec;
    fs::rename(building, data_, ec);  // fails if another process got there first: use its copy
    if (ec) fs::remove_all(building);
    ASSERT_TRUE(fs::exists(data_ + "/c2/people.csv"));
  }
  void SetUp() override { fs::create_directories(root_ + "/pause"); }
  Outcome Run(const std::vector<std::string>& args, const test::RunOptions& o = {}) {
    return test::RunGoldthread(args, root_, o);
  }
  // An import of dir held at `point` until Resume(point).
  std::unique_ptr<Proc> StartPaused(const std::string& store, const std::string& dir,
                                    const std::string& point, const std::string& name = "import") {
    test::RunOptions o;
    o.env = {"GOLDTHREAD_TEST_PAUSE=" + point, "GOLDTHREAD_TEST_PAUSE_DIR=" + root_ + "/pause"};
    auto p = std::make_unique<Proc>(Goldthread({"import", store, dir}), root_ + "/" + name + ".out",
                                    root_ + "/" + name + ".err", o);
    EXPECT_TRUE(WaitUntil([&] { return fs::exists(root_ + "/pause/paused-" + point); })) << point;
    return p;
  }
  void Resume(const std::string& point) { std::ofstream(root_ + "/pause/resume-" + point) << "go\n"; }
  std::unique_ptr<Proc> Start(const std::vector<std::string>& args, const std::string& name) {
    return std::make_unique<Proc>(Goldthread(args), root_ + "/" + name + ".out", root_ + "/" + name + ".err");
  }
  static bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
  // PRAGMA integrity_check, and how many batches the store holds.
  static std::pair<std::string, int64_t> Inspect(const std::string& store) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    auto one = [&](const char* sql) {
      sqlite3_stmt* s = nullptr;
      sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
      std::string v =
          sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "";
      sqlite3_finalize(s);
      return v;
    };
    std::string check = one("PRAGMA integrity_check");
    std::string batches = one("SELECT count(*) FROM import_batches");
    sqlite3_close(db);
    return {check, batches.empty() ? -1 : std::stoll(batches)};
  }
  std::string c1() const { return data_ + "/c1"; }
  std::string c2() const { return data_ + "/c2"; }

  static std::string data_;
  test::TestDir dir_{"issue9_store_cli"};  // removed after the test
  const std::string root_ = dir_.path(), store_ = root_ + "/s.db";
};
std::string Issue9StoreCliTest::data_;

// The fault: while an import ran, every compute and check failed at once
// with "database is locked", exit 1. Now they see the store as it was
// before the import, write their figures, wait (saying so) to record their
// run, and finish once the import commits.
TEST_F(Issue9StoreCliTest, ComputeAndCheckDuringAnImport) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  Outcome before = Run({"compute", store_, "--json", root_ + "/before.json"});
  ASSERT_EQ(before.code, 0) << before.err;
  ASSERT_EQ(Run({"check", store_, "--json", root_ + "/before_findings.json"}).code, 0);

  auto import = StartPaused(store_, c2(), "before-commit");
  auto compute = Start({"compute", store_, "--json", root_ + "/during.json"}, "compute");
  auto check = Start({"check", store_, "--json", root_ + "/during_findings.json"}, "check");
  const std::string waiting = "is in use by another process (an import?); waiting up to 600 s\n";
  ASSERT_TRUE(WaitUntil([&] { return Contains(compute->err(), waiting) && Contains(check->err(), waiting); }))
      << compute->err() << check->err();
  // Both have written what they found before recording their runs: the
  // store as it was before the import.
  EXPECT_EQ(Slurp(root_ + "/during.json"), Slurp(root_ + "/before.json"));
  EXPECT_EQ(Slurp(root_ + "/during_findings.json"), Slurp(root_ + "/before_findings.json"));
  Resume("before-commit");
  EXPECT_EQ(import->Wait(), 0) << import->err();
  EXPECT_EQ(compute->Wait(), 0) << compute->err();
  EXPECT_EQ(check->Wait(), 0) << check->err();
  EXPECT_EQ(compute->err(), "goldthread compute: store '" + store_ + "' " + waiting);
  EXPECT_TRUE(Contains(compute->out(), " stored\n")) << compute->out();
  // After the import, the new batch is read.
  ASSERT_EQ(Run({"compute", store_, "--json", root_ + "/after.json"}).code, 0);
  EXPECT_NE(Slurp(root_ + "/after.json"), Slurp(root_ + "/before.json"));
}

// The dashboard's users and access log from the command line while an
// import writes: reading them does not wait; adding a user waits for the
// batch and, still blocked at the end of --wait, is exit 75 with nothing
// changed (before, these commands failed at once, exit 1).
TEST_F(Issue9StoreCliTest, UsersAndTheAccessLogDuringAnImport) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  Outcome ada = Run({"user", "add", store_, "ada", "--role", "admin"});
  ASSERT_EQ(ada.code, 0) << ada.err;
  auto import = StartPaused(store_, c2(), "before-commit");
  Outcome list = Run({"user", "list", store_, "--wait", "0"});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, "ada")) << list.out;
  Outcome log = Run({"audit-log", store_, "--wait", "0"});
  EXPECT_EQ(log.code, 0) << log.err;
  EXPECT_EQ(log.out, "the access log has no entries\n");
  Outcome busy = Run({"user", "add", store_, "bo", "--role", "viewer", "--wait", "0"});
  EXPECT_EQ(busy.code, 75);
  EXPECT_EQ(busy.err, "goldthread user add: store '" + store_ +
                          "': adding a user: in use by another process (gave up after waiting 0 s)\n"
                          "goldthread user add: nothing was changed; try again when the other process has "
                          "finished, or wait longer with --wait SECONDS\n");
  auto waiting = Start({"user", "add", store_, "cy", "--role", "viewer"}, "user");
  ASSERT_TRUE(WaitUntil([&] { return Contains(waiting->err(), "waiting up to 600 s\n"); })) << waiting->err();
  Resume("before-commit");
  EXPECT_EQ(import->Wait(), 0) << import->err();
  EXPECT_EQ(waiting->Wait(), 0) << waiting->err();
  EXPECT_EQ(waiting->err(), "goldthread user add: store '" + store_ +
                                "' is in use by another process (an import?); waiting up to 600 s\n");
  Outcome after = Run({"user", "list", store_});
  EXPECT_TRUE(Contains(after.out, "cy")) << after.out;
  EXPECT_FALSE(Contains(after.out, "bo")) << after.out;
}

// A store still in use after --wait is exit 75, neither bad input nor
// usage; the figures are written all the same, and nothing is changed.
TEST_F(Issue9StoreCliTest, BusyBeyondTheWaitIsExit75) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  ASSERT_EQ(Run({"compute", store_, "--json", root_ + "/before.json"}).code, 0);
  auto import = StartPaused(store_, c2(), "rows-2000");
  Outcome compute = Run({"compute", store_, "--wait", "1", "--json", root_ + "/during.json"});
  EXPECT_EQ(compute.code, 75);
  EXPECT_EQ(compute.err,
            "goldthread compute: store '" + store_ +
                "' is in use by another process (an import?); waiting up to 1 s\n"
                "goldthread compute: the figures were written, but the run could not be recorded\n"
                "goldthread compute: store '" +
                store_ +
                "': saving the run: in use by another process (gave up after waiting 1 s)\n"
                "goldthread compute: nothing was changed; try again when the other process has "
                "finished, or wait longer with --wait SECONDS\n");
  EXPECT_EQ(Slurp(root_ + "/during.json"), Slurp(root_ + "/before.json"));
  Outcome second = Run({"import", store_, c2(), "--wait", "1"});
  EXPECT_EQ(second.code, 75);
  EXPECT_EQ(second.out, "");
  EXPECT_EQ(second.err, "goldthread import: store '" + store_ +
                            "' is in use by another process (an import?); waiting up to 1 s\n"
                            "goldthread import: store '" +
                            store_ +
                            "': starting a batch: in use by another process (gave up after waiting 1 s)\n"
                            "goldthread import: nothing was changed; try again when the other process has "
                            "finished, or wait longer with --wait SECONDS\n");
  Resume("rows-2000");
  EXPECT_EQ(import->Wait(), 0) << import->err();
  EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 2}));
}

// goldthread benchmark as every other command: it waits for an import's
// batch (--wait), says so, and is exit 75 when the store is still in use,
// with nothing changed. (Before, `benchmark import` gave up after 5 s with
// exit 1, as if the file were bad, and `benchmark check` exited 0 with its
// run unrecorded.)
TEST_F(Issue9StoreCliTest, BenchmarkCommandsWaitForAnImportThenExit75) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  const std::string csv = root_ + "/ascof.csv";
  {
    std::ofstream out(csv);
    out << "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure Code,"
           "Disaggregation Level,Measure Type,Measure Value,Measure Group,Measure Group Description\n";
    for (const char* type : {"Numerator", "Denominator", "Outcome"})
      out << "1,Council one,Council,E10000001,1C1A,Total," << type << ","
          << (std::string(type) == "Denominator" ? "100" : "90") << ",1C1A,desc\n";
  }
  auto import = StartPaused(store_, c2(), "before-commit");
  const std::string waiting = "' is in use by another process (an import?); waiting up to 1 s\n";
  const std::string gave_up = ": in use by another process (gave up after waiting 1 s)\n";
  const std::string try_again =
      ": nothing was changed; try again when the other process has finished, or wait longer with --wait "
      "SECONDS\n";
  Outcome imported = Run({"benchmark", "import", store_, csv, "--year", "2020-21", "--wait", "1"});
  EXPECT_EQ(imported.code, 75);
  EXPECT_EQ(imported.out, "");
  EXPECT_EQ(imported.err, "goldthread benchmark import: store '" + store_ + waiting +
                              "goldthread benchmark import: store '" + store_ +
                              "': starting to store published figures" + gave_up +
                              "goldthread benchmark import" + try_again);
  Outcome checked = Run({"benchmark", "check", store_, "--wait", "1"});
  EXPECT_EQ(checked.code, 75);
  EXPECT_EQ(checked.out, "0 findings over 0 measures and 0 years\n");
  EXPECT_EQ(checked.err,
            "goldthread benchmark check: store '" + store_ + waiting +
                "goldthread benchmark check: the findings were written, but the run could not be "
                "recorded\ngoldthread benchmark check: store '" +
                store_ + "': saving the run" + gave_up + "goldthread benchmark check" + try_again);
  // Reading the published figures never waits.
  Outcome funnel =
      Run({"benchmark", "funnel", store_, "1C1A", "2020-21", "--svg", root_ + "/f.svg", "--wait", "0"});
  EXPECT_EQ(funnel.code, 1);
  EXPECT_EQ(funnel.err,
            "goldthread benchmark funnel: no councils with a numerator and denominator for 1C1A in "
            "2020-21\n");
  // One that waits long enough gets its turn once the batch commits.
  auto patient = Start({"benchmark", "import", store_, csv, "--year", "2020-21"}, "patient");
  ASSERT_TRUE(WaitUntil([&] { return Contains(patient->err(), "waiting up to 600 s\n"); })) << patient->err();
  Resume("before-commit");
  EXPECT_EQ(import->Wait(), 0) << import->err();
  EXPECT_EQ(patient->Wait(), 0) << patient->err();
  EXPECT_EQ(patient->out(),
            "imported 3 council values for 2020-21 (open_data layout, 3 rows read, 0 missing)\n");
  EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 2}));
}

// Two writers: the second waits for the first, says so, then imports.
// The same files twice at once are stored once.
TEST_F(Issue9StoreCliTest, SecondImportWaitsItsTurn) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  auto first = StartPaused(store_, c2(), "before-commit", "first");
  auto same = Start({"import", store_, c2()}, "same");
  ASSERT_TRUE(WaitUntil([&] { return Contains(same->err(), "waiting up to 600 s"); })) << same->err();
  Resume("before-commit");
  EXPECT_EQ(first->Wait(), 0) << first->err();
  EXPECT_TRUE(Contains(first->out(), "imported batch 2 from " + c2())) << first->out();
  EXPECT_EQ(same->Wait(), 0) << same->err();
  EXPECT_EQ(same->out(), "already imported as batch 2 on " + FormatDate(DateOfTimestamp(std::time(nullptr))) +
                             ": nothing to do\n");
  EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 2}));
}

// Two first imports of one new store at once: the one that finishes second
// finds the other's store and imports into it instead of replacing it.
TEST_F(Issue9StoreCliTest, TwoFirstImportsAtOnce) {
  auto late = StartPaused(store_, c2(), "committed", "late");
  Outcome early = Run({"import", store_, c1()});
  ASSERT_EQ(early.code, 0) << early.err;
  Resume("committed");
  EXPECT_EQ(late->Wait(), 0) << late->err();
  EXPECT_TRUE(
      Contains(late->err(), "goldthread import: store '" + store_ +
                                "' was created by another process while this import built it; this batch "
                                "was not stored; importing into it now\n"))
      << late->err();
  EXPECT_TRUE(Contains(late->out(), "imported batch 2 from " + c2())) << late->out();
  EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 2}));
}

// An import killed at any moment of its batch leaves the store as it was
// (an existing store) or no store at all (a new one), and the next import
// works.
TEST_F(Issue9StoreCliTest, ImportKilledAtEachMoment) {
  const std::string base = root_ + "/base.db";
  ASSERT_EQ(Run({"import", base, c1()}).code, 0);
  for (const std::string point : {"batch-begun", "rows-2000", "before-commit"}) {
    SCOPED_TRACE("existing store, killed at " + point);
    fs::remove(store_);
    fs::copy_file(base, store_);
    auto import = StartPaused(store_, c2(), point);
    import->Kill();
    EXPECT_EQ(import->Wait(), 128 + SIGKILL);
    EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 1}));
    Outcome again = Run({"import", store_, c2()});
    EXPECT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 2}));
    fs::remove_all(root_ + "/pause");
    fs::create_directories(root_ + "/pause");
  }
  for (const std::string point : {"batch-begun", "rows-2000", "before-commit", "committed"}) {
    SCOPED_TRACE("new store, killed at " + point);
    const std::string fresh = root_ + "/fresh_" + point + ".db";
    auto import = StartPaused(fresh, c1(), point);
    import->Kill();
    EXPECT_EQ(import->Wait(), 128 + SIGKILL);
    EXPECT_FALSE(fs::exists(fresh));
    Outcome compute = Run({"compute", fresh});
    EXPECT_EQ(compute.code, 1);
    EXPECT_EQ(compute.err, "goldthread compute: store '" + fresh +
                               "' does not exist (run 'goldthread import " + fresh + " DIR' first)\n");
    Outcome again = Run({"import", fresh, c1()});
    EXPECT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(Inspect(fresh), (std::pair<std::string, int64_t>{"ok", 1}));
    for (const auto& e : fs::directory_iterator(root_))
      EXPECT_FALSE(Contains(e.path().filename().string(), ".importing-")) << e.path();
    fs::remove_all(root_ + "/pause");
    fs::create_directories(root_ + "/pause");
  }
}

// ^C (SIGINT) or SIGTERM during an import: before, the process died, which
// lost no data but left a new store's half-built file (STORE.importing-PID)
// and said nothing. Now the batch stops, is rolled back, nothing is left
// behind, and the user is told.
TEST_F(Issue9StoreCliTest, AnInterruptedImportStoresNothingAndSaysSo) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  for (int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(signal);
    auto import = StartPaused(store_, c2(), "rows-2000");
    import->Signal(signal);
    Resume("rows-2000");
    EXPECT_EQ(import->Wait(), 128 + signal);
    EXPECT_EQ(import->err(), "goldthread import: interrupted; nothing was stored\n");
    EXPECT_EQ(import->out(), "");
    EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 1}));
    fs::remove_all(root_ + "/pause");
    fs::create_directories(root_ + "/pause");
  }
  const std::string fresh = root_ + "/fresh.db";
  auto first = StartPaused(fresh, c1(), "rows-2000");
  first->Signal(SIGINT);
  Resume("rows-2000");
  EXPECT_EQ(first->Wait(), 128 + SIGINT);
  EXPECT_EQ(first->err(), "goldthread import: interrupted; nothing was stored\n");
  EXPECT_FALSE(fs::exists(fresh));
  for (const auto& e : fs::directory_iterator(root_))
    EXPECT_FALSE(Contains(e.path().filename().string(), ".importing-")) << e.path();
  // And the next import works.
  Outcome again = Run({"import", store_, c2()});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 2}));
}

// A full disk while a batch is written: the import fails naming the store,
// and the store is as it was (or, for a new store, absent).
TEST_F(Issue9StoreCliTest, DiskFullDuringAnImport) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  test::RunOptions full;
  full.max_file_bytes = 256 * 1024;
  Outcome r = Run({"import", store_, c2()}, full);
  EXPECT_EQ(r.code, 1);
  // RLIMIT_FSIZE fails writes with EFBIG, which SQLite reports as an I/O
  // error; a truly full disk (a short write) as SQLITE_FULL, "the disk is
  // full (database or disk is full)".
  EXPECT_EQ(r.err, "goldthread import: store '" + store_ +
                       "': committing the batch: disk I/O error\ngoldthread import: nothing was stored\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 1}));
  Outcome again = Run({"import", store_, c2()});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(Inspect(store_), (std::pair<std::string, int64_t>{"ok", 2}));

  const std::string fresh = root_ + "/fresh.db";
  full.max_file_bytes = 2 * 1024 * 1024;  // room for the tables, not the records
  Outcome n = Run({"import", fresh, c1()}, full);
  EXPECT_EQ(n.code, 1);
  EXPECT_EQ(n.err, "goldthread import: store '" + fresh +
                       "': committing the batch: disk I/O error\ngoldthread import: nothing was stored\n");
  EXPECT_FALSE(fs::exists(fresh));
  for (const auto& e : fs::directory_iterator(root_))
    EXPECT_FALSE(Contains(e.path().filename().string(), ".importing-")) << e.path();
}

// A file that is not a goldthread store, or a store of a newer goldthread:
// every command refuses it and leaves it exactly as it was.
TEST_F(Issue9StoreCliTest, ForeignFilesAreRefusedUntouched) {
  const std::string other = root_ + "/other.db", text = root_ + "/notes.txt", newer = root_ + "/newer.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::ofstream(text)
      << "not a database, though long enough to have a header of one hundred bytes or so.......\n";
  ASSERT_EQ(Run({"import", newer, c1()}).code, 0);
  ASSERT_EQ(sqlite3_open(newer.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = version + 1", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::string newer_version = std::to_string(kStoreSchemaVersion + 1);
  struct Case {
    std::string file, message;
  };
  for (const Case& c : std::vector<Case>{
           {other, "' is not a goldthread store (it is a SQLite file without a schema_version table)"},
           {text, "' is not a goldthread store (file is not a database)"},
           {newer, "' has schema version " + newer_version + ", newer than version " +
                       std::to_string(kStoreSchemaVersion) +
                       " that this goldthread knows (upgrade goldthread to open it)"},
       }) {
    const std::string digest = Sha256Of(Slurp(c.file));
    for (const std::string command : {"import", "compute", "check"}) {
      SCOPED_TRACE(command + " " + c.file);
      std::vector<std::string> args = {command, c.file};
      if (command == "import") args.push_back(c2());
      Outcome r = Run(args);
      EXPECT_EQ(r.code, 1);
      EXPECT_EQ(r.err, "goldthread " + command + ": store '" + c.file + c.message + "\n");
      EXPECT_EQ(Sha256Of(Slurp(c.file)), digest);
      for (const char* s : {"-wal", "-shm", "-journal"}) EXPECT_FALSE(fs::exists(c.file + s)) << s;
    }
  }
}

// Each compute used to store its whole JSON (about 7 MB on a 10 MB store:
// 22 runs made it 172 MB). Now a run keeps its record and digests: twenty
// more runs cost less than one run's JSON, and only --keep-result keeps one.
TEST_F(Issue9StoreCliTest, TwentyTwoRunsLeaveTheStoreFlat) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  // By year, to keep the test quick: 0.7 MB of JSON a run here.
  ASSERT_EQ(Run({"compute", store_, "--by", "year", "--json", root_ + "/run.json"}).code, 0);
  ASSERT_EQ(Run({"compute", store_, "--by", "year"}).code, 0);
  const auto after_two = fs::file_size(store_);
  for (int i = 3; i <= 22; ++i) ASSERT_EQ(Run({"compute", store_, "--by", "year"}).code, 0) << "run " << i;
  const auto after_22 = fs::file_size(store_);
  const auto json_bytes = fs::file_size(root_ + "/run.json");
  EXPECT_LT(after_22 - after_two, json_bytes) << after_two << " -> " << after_22;
  EXPECT_LE(after_22 - after_two, 20u * 16384u);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(store_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT result_sha256, result_bytes, length(result_json) FROM runs WHERE id = 1",
                         -1, &s, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), Sha256Of(Slurp(root_ + "/run.json")));
  EXPECT_EQ(sqlite3_column_int64(s, 1), static_cast<int64_t>(json_bytes));
  EXPECT_EQ(sqlite3_column_int64(s, 2), 0);
  sqlite3_finalize(s);
  sqlite3_close(db);

  ASSERT_EQ(Run({"compute", store_, "--by", "year", "--keep-result"}).code, 0);
  ASSERT_EQ(Run({"compute", store_, "--by", "year", "--keep-result"}).code, 0);
  ASSERT_EQ(sqlite3_open_v2(store_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE result_json != ''", -1, &s, nullptr),
            SQLITE_OK);
  std::vector<int64_t> kept;
  while (sqlite3_step(s) == SQLITE_ROW) kept.push_back(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  EXPECT_EQ(kept, (std::vector<int64_t>{24}));
}

// A run keeps digests instead of figures, so it can be recomputed and
// checked later, though more batches have been imported since.
TEST_F(Issue9StoreCliTest, RunVerifiedAfterALaterImport) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  ASSERT_EQ(Run({"compute", store_, "--by", "quarter"}).code, 0);
  ASSERT_EQ(Run({"import", store_, c2()}).code, 0);
  Outcome v = Run({"compute", store_, "--verify-run", "1", "--threads", "1"});
  EXPECT_EQ(v.code, 0) << v.out << v.err;
  EXPECT_TRUE(v.out.starts_with("run 1: compute by ")) << v.out;
  EXPECT_TRUE(Contains(v.out, " by quarter, over batches 1\nverified: all 23 indicators bit-identical\n")) << v.out;
  EXPECT_EQ(v.err, "");

  // A figure digest that does not match is named.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE runs SET digests_json = json_set(digests_json, '$.\"reviews-12m\"', 'ab')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Outcome bad = Run({"compute", store_, "--verify-run", "1"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(Contains(bad.out, "\n  reviews-12m: figures differ (digest ")) << bad.out;
  EXPECT_TRUE(Contains(bad.out, ", ab in the run)\nnot verified: 22 of 23 indicators bit-identical\n")) << bad.out;

  Outcome none = Run({"compute", store_, "--verify-run", "9"});
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err, "goldthread compute: store '" + store_ + "' has no run 9\n");
  Outcome mixed = Run({"compute", store_, "--verify-run", "1", "--by", "month"});
  EXPECT_EQ(mixed.code, 2);
}

// Issue 14: import writes the persisted snapshot; compute maps it; the
// figures from it are bit-identical to those from a snapshot built from
// SQLite (a run computed with GOLDTHREAD_SNAPSHOT=off, verified over the
// mapped file: every indicator's figure digest).
TEST_F(Issue9StoreCliTest, ImportWritesTheSnapshotAndItsFiguresMatchTheStores) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  ASSERT_TRUE(fs::exists(store_ + ".snapshot"));
  test::RunOptions off;
  off.env = {"GOLDTHREAD_SNAPSHOT=off"};
  Outcome built = Run({"compute", store_}, off);
  ASSERT_EQ(built.code, 0) << built.err;
  EXPECT_TRUE(Contains(built.out, "ms (built from the store)")) << built.out;
  EXPECT_TRUE(Contains(built.out, "run 1 stored")) << built.out;
  Outcome verified = Run({"compute", store_, "--verify-run", "1"});
  ASSERT_EQ(verified.code, 0) << verified.out << verified.err;
  EXPECT_TRUE(Contains(verified.out, "verified: all ")) << verified.out;
  Outcome mapped = Run({"compute", store_});
  ASSERT_EQ(mapped.code, 0) << mapped.err;
  EXPECT_TRUE(Contains(mapped.out, "ms (mapped from " + store_ + ".snapshot)")) << mapped.out;
  // The snapshot may be deleted: the next command builds and writes it again.
  fs::remove(store_ + ".snapshot");
  Outcome again = Run({"compute", store_});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(Contains(again.out, "ms (built from the store, written to " + store_ + ".snapshot)")) << again.out;
}

// A writer killed between writing its temp file and renaming it leaves the
// old snapshot as it was (stale now, so rebuilt) and its temp file, which
// the next writer removes; a killed first import leaves no snapshot at all.
TEST_F(Issue9StoreCliTest, ASnapshotWriterKilledBeforeItsRenameLeavesTheOldFile) {
  ASSERT_EQ(Run({"import", store_, c1()}).code, 0);
  const std::string old_bytes = Slurp(store_ + ".snapshot");
  ASSERT_FALSE(old_bytes.empty());
  {
    auto p = StartPaused(store_, c2(), "snapshot-written");
    p->Kill();
    p->Wait();
  }
  EXPECT_EQ(Inspect(store_).second, 2);  // the batch itself committed
  EXPECT_EQ(Slurp(store_ + ".snapshot"), old_bytes);
  bool temp_left = false;
  for (const auto& e : fs::directory_iterator(root_))
    temp_left = temp_left || e.path().filename().string().starts_with("s.db.snapshot.tmp-");
  EXPECT_TRUE(temp_left);
  Outcome rebuilt = Run({"compute", store_});
  ASSERT_EQ(rebuilt.code, 0) << rebuilt.err;
  EXPECT_TRUE(Contains(rebuilt.out, "(built from the store, written to")) << rebuilt.out;
  for (const auto& e : fs::directory_iterator(root_))
    EXPECT_FALSE(e.path().filename().string().starts_with("s.db.snapshot.tmp-")) << e.path();
  EXPECT_TRUE(Contains(Run({"compute", store_}).out, "(mapped from"));

  const std::string fresh = root_ + "/new.db";
  fs::remove(root_ + "/pause/paused-snapshot-written");  // the first writer's
  {
    auto p = StartPaused(fresh, c1(), "snapshot-written", "first");
    p->Kill();
    p->Wait();
  }
  EXPECT_EQ(Inspect(fresh).second, 1);
  EXPECT_FALSE(fs::exists(fresh + ".snapshot"));
  EXPECT_TRUE(Contains(Run({"compute", fresh}).out, "(built from the store, written to"));
}

}  // namespace
}  // namespace goldthread
