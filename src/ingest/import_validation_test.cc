// Issue 9: what a user can load must not hang, crash, exhaust memory or lose
// data. The import's rules beyond each field's type (docs/import.md): the
// org-unit tree across batches, a key once per batch, text that is UTF-8,
// bounded fields and bounded lists of problems.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/import.h"
#include "ingest/import_test_util.h"
#include "store/snapshot_loader.h"

namespace goldthread {
namespace {

const std::string kOrgHeader = "org_unit_id,parent_id,name,kind\n";
const std::string kVisitHeader = "visit_id,person_id,service_id,visit_on,minutes" + kLineage + "\n";

using test::Slurp;

// A cycle made across batches: the store has T1 -> S1 -> C1; a later batch
// gives C1 the parent T1.
TEST_F(ImportTest, ACycleAcrossBatchesIsRefused) {
  ASSERT_TRUE(Import(WriteDir("first", ValidFiles())).committed);
  ImportReport r = Import(WriteDir("later", {{"org_units.csv", kOrgHeader + "C1,T1,Council,council\n"}}));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems, (std::vector<std::string>{
                            "org_units.csv:2: parent_id: 'T1' makes a cycle: C1 -> T1 -> S1 -> C1 (expected a tree: "
                            "no unit may be its own ancestor)"}));
  EXPECT_EQ(store_->Batches()->size(), 1u);
  // Moving a team under another parent that exists is fine.
  ImportReport moved = Import(WriteDir("moved", {{"org_units.csv", kOrgHeader + "T1,C1,Team One,team\n"}}));
  EXPECT_TRUE(moved.committed) << (moved.problems.empty() ? "" : moved.problems[0]);
}

// A store written by an older binary may hold a cycle: the snapshot refuses
// it (so compute and check cannot spin), an import that leaves it is told so,
// and one that corrects it is accepted.
TEST_F(ImportTest, AStoredCycleIsNamedUntilABatchCorrectsIt) {
  BatchInfo info;
  info.imported_at = 1719000000;
  info.content_hash = "old binary";
  auto w = store_->BeginBatch(info);
  ASSERT_TRUE(w.ok());
  for (std::vector<std::string_view> row : {std::vector<std::string_view>{"C1", "", "Council", "council"},
                                            {"A", "B", "A", "team"},
                                            {"B", "A", "B", "service"}})
    ASSERT_TRUE((*w)->Add(TableId::kOrgUnits, row, "org_units.csv", 2).ok());
  ASSERT_TRUE((*w)->Commit({}, 0).ok());
  w->reset();

  auto snap = LoadSnapshot(*store_);
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().message(),
            "org_units: the org units form a cycle: A -> B -> A (expected a tree: no unit may be its own ancestor); "
            "import a batch that corrects a parent_id");

  ImportReport other = Import(WriteDir("other", {{"org_units.csv", kOrgHeader + "T9,C1,Team Nine,team\n"}}));
  EXPECT_FALSE(other.committed);
  EXPECT_EQ(other.problems, (std::vector<std::string>{"org_units.csv: the stored org units form a cycle: A -> B -> A "
                                                      "(expected this import to correct a parent_id)"}));
  ImportReport fix = Import(WriteDir("fix", {{"org_units.csv", kOrgHeader + "B,C1,B,service\n"}}));
  EXPECT_TRUE(fix.committed) << (fix.problems.empty() ? "" : fix.problems[0]);
  EXPECT_TRUE(LoadSnapshot(*store_).ok());
}

TEST_F(ImportTest, QuarantineCannotSetAsideTheOrgTree) {
  Files files = ValidFiles();
  files["org_units.csv"] = kOrgHeader + "T1,S1,Team One,team\nC1,,Council,council\nS1,T1,Adults,service\n";
  ImportReport r = Import(WriteDir("d", files), root_ + "/rejects.csv");
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems, (std::vector<std::string>{
                            "org_units.csv: the org-unit tree has problems, which --quarantine cannot set "
                            "aside (expected every parent_id to name a unit, no cycles, and only councils, "
                            "regions and nations without a parent)",
                            "org_units.csv:2: parent_id: 'S1' makes a cycle: T1 -> S1 -> T1 (expected a "
                            "tree: no unit may be its own ancestor)"}));
  EXPECT_TRUE(store_->Batches()->empty());
  EXPECT_FALSE(std::filesystem::exists(root_ + "/rejects.csv"));
}

// A first import whose org_units.csv held only its header, or teams and
// services with no parent, was stored: a store with no council, whose
// council figures were empty, or a team at the top whose records no council
// figure counted. The council must be at the top.
TEST_F(ImportTest, TheCouncilIsAtTheTopOfTheTree) {
  const std::string people = ValidFiles()["people.csv"];
  const std::string expected =
      "(expected at least the council: a row of kind council with an empty parent_id)";
  ImportReport header_only =
      Import(WriteDir("header_only", {{"org_units.csv", kOrgHeader}, {"people.csv", people}}));
  EXPECT_FALSE(header_only.committed);
  EXPECT_EQ(
      header_only.problems,
      (std::vector<std::string>{"org_units.csv:1: header: no org units follow the header " + expected}));
  ImportReport teams = Import(WriteDir(
      "teams",
      {{"org_units.csv", kOrgHeader + "S1,,Adults,service\nT1,S1,Team One,team\nT2,,Team Two,team\n"},
       {"people.csv", people}}));
  EXPECT_FALSE(teams.committed);
  EXPECT_EQ(
      teams.problems,
      (std::vector<std::string>{
          "org_units.csv:2: parent_id: is empty for the service 'S1' (expected the id of the unit above it: "
          "only a council, or a region or nation above councils, has no parent)",
          "org_units.csv:4: parent_id: is empty for the team 'T2' (expected the id of the unit above it: "
          "only a council, or a region or nation above councils, has no parent)"}));
  EXPECT_TRUE(store_->Batches()->empty());
  // With --quarantine too: the tree is stored whole or not at all.
  ImportReport set_aside = Import(
      WriteDir("set_aside", {{"org_units.csv", kOrgHeader + "C1,,Council,council\nT2,,Team Two,team\n"},
                             {"people.csv", people}}),
      root_ + "/rejects.csv");
  EXPECT_FALSE(set_aside.committed);
  EXPECT_EQ(set_aside.problems.size(), 2u);
  EXPECT_TRUE(store_->Batches()->empty());
  // A later batch: another unit without a parent is refused; a header-only
  // org_units.csv adds nothing and is fine.
  ASSERT_TRUE(Import(WriteDir("first", ValidFiles())).committed);
  ImportReport later = Import(WriteDir("later", {{"org_units.csv", kOrgHeader + "T9,,Team Nine,team\n"}}));
  EXPECT_EQ(later.problems, (std::vector<std::string>{
                                "org_units.csv:2: parent_id: is empty for the team 'T9' (expected the id of "
                                "the unit above it: only a council, or a region or nation above councils, has no parent)"}));
  ImportReport nothing = Import(WriteDir("nothing", {{"org_units.csv", kOrgHeader}}));
  EXPECT_TRUE(nothing.problems.empty()) << nothing.problems[0];
}

// A national set (simulate --councils): the nation is at the top, regions
// under it, councils under those; neither needs a parent. A team at the top
// is still refused there.
TEST_F(ImportTest, ANationAndItsRegionsMayBeAboveTheCouncils) {
  const std::string people = "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
                             "P1,service_user,1950-01-01,F,white,A1,physical,,\n";
  ImportReport national = Import(WriteDir(
      "national", {{"org_units.csv", kOrgHeader + "N00,,England,nation\nR1,N00,North East,region\n"
                                                  "C001,R1,Council One,council\nC001-T01,C001,Team,team\n"},
                   {"people.csv", people}}));
  EXPECT_TRUE(national.committed) << (national.problems.empty() ? "" : national.problems[0]);
  ImportReport stray = Import(WriteDir(
      "stray", {{"org_units.csv", kOrgHeader + "R2,,North West,region\nT9,,Team Nine,team\n"}}));
  EXPECT_EQ(stray.problems, (std::vector<std::string>{
                                "org_units.csv:3: parent_id: is empty for the team 'T9' (expected the id of the "
                                "unit above it: only a council, or a region or nation above councils, has no parent)"}));
}

TEST_F(ImportTest, TheOrgTreeIsAtMost32LevelsDeep) {
  Files files = ValidFiles();
  std::string units = kOrgHeader + "T1,S1,Team One,team\nC1,,Council,council\nS1,C1,Adults,service\nU0,C1,U,team\n";
  for (int i = 1; i <= 32; ++i)
    units += "U" + std::to_string(i) + ",U" + std::to_string(i - 1) + ",U,team\n";  // U32 is 33 below C1
  files["org_units.csv"] = units;
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems, (std::vector<std::string>{
                            "org_units.csv: org unit 'U32' is 33 levels below its root (expected at most 32)"}));
}

// The first copy equal to the stored version used to be counted unchanged
// and the second silently became current.
TEST_F(ImportTest, AKeyTwiceInALaterBatchIsAnErrorWhateverIsStored) {
  ASSERT_TRUE(Import(WriteDir("first", ValidFiles())).committed);
  const std::string v1 = "V1,P1,S1,2024-05-02,60,T1,W1,,\n";  // as stored
  ImportReport changed =
      Import(WriteDir("changed", {{"visits.csv", kVisitHeader + v1 + "V1,P1,S1,2024-05-02,90,T1,W1,,\n"}}));
  EXPECT_FALSE(changed.committed);
  EXPECT_EQ(changed.problems, (std::vector<std::string>{"visits.csv:3: visit_id: 'V1' appears twice in this import "
                                                        "(expected one row per visit_id; first at line 2)"}));
  ImportReport exact = Import(WriteDir("exact", {{"visits.csv", kVisitHeader + v1 + v1}}));
  EXPECT_FALSE(exact.committed);
  EXPECT_EQ(exact.problems, changed.problems);
  // With quarantine the second copy is set aside and the first is unchanged.
  ImportReport q = Import(WriteDir("q", {{"visits.csv", kVisitHeader + v1 + "V1,P1,S1,2024-05-02,90,T1,W1,,\n"}}),
                          root_ + "/rejects.csv");
  ASSERT_TRUE(q.committed);
  EXPECT_EQ(q.batch.rows_stored, 0);
  EXPECT_EQ(q.batch.rows_unchanged, 1);
  EXPECT_EQ(q.batch.rows_rejected, 1);
  std::string minutes;
  ASSERT_TRUE(store_
                  ->ScanCurrent(TableId::kVisits,
                                [&](const StoredRow& row) {
                                  if (row.values[0] == "V1") minutes = row.values[4];
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(minutes, "60");
}

// In a first import, the store refuses a second copy of a row it stored; a
// copy of a rejected row is caught by the import itself.
TEST_F(ImportTest, ACopyOfARejectedRowIsAlsoRefused) {
  Files files = ValidFiles();
  files["visits.csv"] = kVisitHeader + "V1,P1,S1,2024-05-02,-1,T1,,,\nV1,P1,S1,2024-05-02,60,T1,,,\n";
  ImportReport r = Import(WriteDir("d", files), root_ + "/rejects.csv");
  ASSERT_TRUE(r.committed);
  EXPECT_EQ(r.problems,
            (std::vector<std::string>{
                "visits.csv:2: minutes: '-1' is not a count (expected a whole number, 0 or more)",
                "visits.csv:3: visit_id: 'V1' appears twice in this import (expected one row per visit_id; first at "
                "line 2)"}));
  EXPECT_EQ(Count(TableId::kVisits), 0);
}

TEST_F(ImportTest, ANulByteIsRefusedWithItsColumnAndOffset) {
  Files files = ValidFiles();
  files["people.csv"] = "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
                        "P1,service_user,1940-05-01,F,white,A" +
                        std::string(1, '\0') + "B,physical,,\nP2,carer,1965-03,M,asian,A1,,full_time,bme;lgbt\n";
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems, (std::vector<std::string>{"people.csv:2: area: 'A\\x00B' has a NUL byte at byte 2 (expected "
                                                  "text without NUL bytes)"}));
}

TEST_F(ImportTest, AByteOrderMarkAtTheStartOfAFileIsAccepted) {
  Files files = ValidFiles();
  for (auto& [name, text] : files) text = "\xEF\xBB\xBF" + text;  // as Excel saves "CSV UTF-8"
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_TRUE(r.committed) << (r.problems.empty() ? "" : r.problems[0]);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(Count(TableId::kOrgUnits), 3);
}

TEST_F(ImportTest, AFieldLongerThan4096BytesIsRefused) {
  Files files = ValidFiles();
  const std::string long_area(5000, 'x');
  files["people.csv"].replace(files["people.csv"].find("A1,physical"), 2, long_area);
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems,
            (std::vector<std::string>{"people.csv:2: area: is 5000 bytes long (expected at most 4096 bytes)"}));
}

// Millions of bad rows must not exhaust memory: the problems listed are
// capped (with a count of all of them) and rejected rows are written to the
// quarantine file as they are found, not held.
TEST_F(ImportTest, ProblemsAreCappedAndCountedInFull) {
  Files files = ValidFiles();
  std::string visits = kVisitHeader;
  const int64_t bad = static_cast<int64_t>(kMaxProblemsKept) + 7;
  for (int64_t i = 0; i < bad; ++i) visits += "X" + std::to_string(i) + ",P1,S1,2024-05-02,-1,T1,,,\n";
  files["visits.csv"] = visits;
  ImportReport r = Import(WriteDir("d", files), root_ + "/rejects.csv");
  ASSERT_TRUE(r.committed);
  EXPECT_EQ(r.problem_count, bad);
  EXPECT_EQ(r.problems.size(), kMaxProblemsKept);
  EXPECT_EQ(r.problems.back(), "visits.csv:" + std::to_string(kMaxProblemsKept + 1) +
                                   ": minutes: '-1' is not a count (expected a whole number, 0 or more)");
  const std::string rejects = Slurp(root_ + "/rejects.csv");
  EXPECT_EQ(std::count(rejects.begin(), rejects.end(), '\n'), bad + 1);  // every row, and the header
}

TEST_F(ImportTest, AHeaderOfManyUnknownColumnsIsOneShortWarning) {
  Files files = ValidFiles();
  std::string extra, extra_values;
  for (int i = 0; i < 15; ++i) extra += ",x" + std::to_string(i), extra_values += ",";
  std::string& people = files["people.csv"];
  people.insert(people.find('\n'), extra);
  people.insert(people.find("bme;lgbt") + 8, extra_values);
  people.insert(people.find(",physical,,") + 11, extra_values);
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_TRUE(r.committed) << (r.problems.empty() ? "" : r.problems[0]);
  EXPECT_EQ(r.warnings, (std::vector<std::string>{"people.csv:1: header: unknown columns 'x0', 'x1', 'x2', 'x3', "
                                                  "'x4', 'x5', 'x6', 'x7', 'x8', 'x9' and 5 more ignored"}));
}

TEST_F(ImportTest, AFolderOfManyStrayFilesIsAShortWarning) {
  Files files = ValidFiles();
  for (int i = 0; i < 12; ++i) files["extra" + std::to_string(10 + i) + ".csv"] = "x\n";
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_TRUE(r.committed);
  ASSERT_EQ(r.warnings.size(), 11u);
  EXPECT_EQ(r.warnings[0], "extra10.csv: not a canonical file, ignored");
  EXPECT_EQ(r.warnings[9], "extra19.csv: not a canonical file, ignored");
  EXPECT_EQ(r.warnings[10], "and 2 more files that are not canonical, ignored");
}

TEST_F(ImportTest, QuarantineIsNeverTheStoreOrAnInput) {
  const std::string dir = WriteDir("d", ValidFiles()), store = root_ + "/store.db";
  const std::string tail = ", which an output must not replace (expected another file name)";
  const std::pair<std::string, std::string> cases[] = {
      {store, "the store '" + store + "'"},
      {store + "-wal", "the store's write-ahead log '" + store + "-wal'"},
      {dir + "/people.csv", "an input file '" + dir + "/people.csv'"},
  };
  for (const auto& [q, what] : cases) {
    ImportOptions o;
    o.quarantine_path = q;
    auto r = ImportDirectory(*store_, dir, o);
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_EQ(r.status().message(), "--quarantine '" + q + "' is " + what + tail);
  }
  EXPECT_TRUE(store_->Batches()->empty());
  EXPECT_EQ(Slurp(dir + "/people.csv"), ValidFiles()["people.csv"]);
}

// Excel in a locale with a decimal comma saves "CSV" with semicolons, and
// some exports use tabs: one problem naming the separator, where there were
// a warning and a problem for every column.
TEST_F(ImportTest, AFileSeparatedBySemicolonsOrTabsIsOneProblemNamingTheSeparator) {
  std::string people = ValidFiles()["people.csv"];
  for (char& c : people)
    if (c == ',') c = '\t';
  ImportReport r = Import(
      WriteDir("d", {{"org_units.csv", "org_unit_id;parent_id;name;kind\nC1;;Council;council\n"}, {"people.csv", people}}));
  EXPECT_FALSE(r.committed);
  const std::string tail = "; in Excel, save as 'CSV UTF-8 (Comma delimited)')";
  EXPECT_EQ(r.problems,
            (std::vector<std::string>{
                "org_units.csv:1: header: the columns are separated by ';' (expected commas, as in "
                "org_unit_id,parent_id,name,kind" + tail,
                "people.csv:1: header: the columns are separated by tabs (expected commas, as in "
                "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups" + tail}));
  EXPECT_EQ(r.warnings, std::vector<std::string>{});
  // One column that merely holds a ';' is still an unknown column.
  ImportReport other = Import(WriteDir("e", {{"org_units.csv", "a;b\n"}, {"people.csv", ValidFiles()["people.csv"]}}));
  EXPECT_EQ(other.warnings, (std::vector<std::string>{"org_units.csv:1: header: unknown column 'a;b' ignored"}));
}

// Org units are held whole until the tree is checked, so their bytes are
// bounded as well as their number: 100,000 records of 1 MiB each (a long
// unknown column) would have been 100 GiB of memory.
TEST_F(ImportTest, TheOrgUnitsHeldForTheTreeAreBoundedInBytes) {
  const std::string pad(900 * 1024, 'x');
  std::string org = "org_unit_id,parent_id,name,kind,note\nC1,,Council,council,\n";
  // Each team record is about 0.88 MiB: the 73rd (line 75) passes 64 MiB.
  for (int i = 0; i < 80; ++i) org += "T" + std::to_string(i) + ",C1,Team,team," + pad + "\n";
  ImportReport r = Import(WriteDir("d", {{"org_units.csv", org}, {"people.csv", ValidFiles()["people.csv"]}}));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems, (std::vector<std::string>{
                            "org_units.csv:75: the rows so far come to more than 64 MiB (expected at most 64 MiB of "
                            "org units, which are read whole to check the tree; drop the extra columns)"}));
  EXPECT_EQ(store_->Batches()->size(), 0u);
}

}  // namespace
}  // namespace goldthread
