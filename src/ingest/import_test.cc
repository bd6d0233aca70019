#include "ingest/import.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/import_test_util.h"
#include "store/store.h"

namespace goldthread {
namespace {

TEST_F(ImportTest, ValidDirectoryIsStoredAsOneBatch) {
  Files files = ValidFiles();
  files["notes.csv"] = "x\n1\n";
  files["requests.csv"] =
      "request_id,person_id,first_contact_on,received_on,route,team_note,outcome,closed_on" + kLineage +
      ",extra\nR1,P1,,2024-04-02,self,hello,,,T1,,,,z\n";
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_TRUE(r.problems.empty()) << r.problems[0];
  EXPECT_TRUE(r.committed);
  EXPECT_FALSE(r.duplicate);
  EXPECT_EQ(r.batch.id, 1);
  EXPECT_EQ(r.batch.rows_stored, 11);  // 3 units, 2 people, 1 link, 1 request, 1 assessment, 1 service, 2 visits
  EXPECT_EQ(r.batch.imported_by, "tester");
  EXPECT_EQ(r.warnings, (std::vector<std::string>{
                            "notes.csv: not a canonical file, ignored",
                            "requests.csv:1: header: unknown columns 'team_note', 'extra' ignored"}));
  ASSERT_EQ(r.tables.size(), 7u);
  EXPECT_EQ(r.tables[3].file, "requests.csv");
  EXPECT_EQ(r.tables[3].rows_accepted, 1);
  EXPECT_EQ(Count(TableId::kOrgUnits), 3);
  EXPECT_EQ(Count(TableId::kVisits), 2);
  EXPECT_EQ(r.batch.content_hash.size(), 64u);
  auto batches = store_->Batches();
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].files.size(), 7u);
  EXPECT_EQ((*batches)[0].files[1].file, "people.csv");
  EXPECT_EQ((*batches)[0].files[1].rows, 2);
  // The unknown column is dropped: what is stored is the canonical columns.
  std::vector<std::string> stored;
  ASSERT_TRUE(store_
                  ->ScanCurrent(TableId::kRequests,
                                [&](const StoredRow& row) {
                                  stored.assign(row.values.begin(), row.values.end());
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(stored, (std::vector<std::string>{"R1", "P1", "", "2024-04-02", "self", "", "", "T1", "", "", ""}));
}

struct BadCase {
  const char* name;
  const char* file;
  const char* find;     // replaced in the valid file
  const char* replace;
  std::vector<std::string> problems;
};

// Names the case in test listings (ctest) instead of a dump of its bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ImportProblemsTest : public ImportTest, public testing::WithParamInterface<BadCase> {};

TEST_P(ImportProblemsTest, ExactMessagesAndNothingStored) {
  const BadCase& c = GetParam();
  Files files = ValidFiles();
  std::string& text = files[c.file];
  size_t at = text.find(c.find);
  ASSERT_NE(at, std::string::npos) << c.find;
  text.replace(at, std::string(c.find).size(), c.replace);
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems, c.problems);
  EXPECT_EQ(r.problem_count, static_cast<int64_t>(c.problems.size()));
  EXPECT_TRUE(store_->Batches()->empty());
  EXPECT_EQ(Count(TableId::kPeople), 0);
}

const BadCase kBadCases[] = {
    {"BadDate", "requests.csv", "2024-04-02,community", "2024-13-01,community",
     {"requests.csv:2: received_on: '2024-13-01' is not a valid date (expected YYYY-MM-DD)"}},
    {"EmptyRequired", "assessments.csv", "R1,needs", "R1,",
     {"assessments.csv:2: kind: is empty (expected one of: needs, carer, joint)"}},
    {"BadCode", "people.csv", "P1,service_user", "P1,client",
     {"people.csv:2: role: 'client' is not a known code (expected one of: service_user, carer)"}},
    {"BadCodeSet", "people.csv", "bme;lgbt", "bme;goth",
     {"people.csv:3: groups: 'goth' in 'bme;goth' is not a known code (expected ';'-separated codes from: bme, "
      "refugee, lgbt, traveller, distance, young_adult)"}},
    {"BadYesNo", "assessments.csv", ",Y,T1", ",yes,T1",
     {"assessments.csv:2: eligible: 'yes' is not Y or N (expected Y or N)"}},
    {"BadAmount", "services.csv", ",10.5,", ",-1,",
     {"services.csv:2: planned_hours_week: '-1' is not an amount (expected a number, 0 or more)"}},
    {"BadTimestamp", "requests.csv", "2024-04-02T10:00:00Z", "2024-04-02 10:00",
     {"requests.csv:2: recorded_at: '2024-04-02 10:00' is not a valid timestamp (expected YYYY-MM-DDTHH:MM:SS "
      "with optional Z or +HH:MM)"}},
    {"DateOrder", "requests.csv", "2024-05-01,T1", "2024-03-01,T1",
     {"requests.csv:2: closed_on: '2024-03-01' is before received_on '2024-04-02' (expected closed_on on or "
      "after received_on)"}},
    {"DateOrderCareLink", "care_links.csv", "2020-01-01,,", "2020-01-01,2019-12-31,",
     {"care_links.csv:2: end_date: '2019-12-31' is before start_date '2020-01-01' (expected end_date on or after "
      "start_date)"}},
    {"UnknownPerson", "requests.csv", "R2,P2", "R2,P9",
     {"requests.csv:3: person_id: 'P9' matches no people record (expected the id of a people record in this "
      "import or already in the store)"}},
    {"UnknownRequest", "assessments.csv", "P1,R1", "P1,R7",
     {"assessments.csv:2: request_id: 'R7' matches no requests record (expected the id of a requests record in "
      "this import or already in the store)"}},
    {"UnknownService", "visits.csv", "V2,P1,S1", "V2,P1,S2",
     {"visits.csv:3: service_id: 'S2' matches no services record (expected the id of a services record in this "
      "import or already in the store)"}},
    {"UnknownParent", "org_units.csv", "S1,C1", "S1,C2",
     {"org_units.csv:4: parent_id: 'C2' matches no org_units record (expected the id of a org_units record in "
      "this import or already in the store)"}},
    {"UnknownLineageUnit", "visits.csv", "45,T1", "45,T9",
     {"visits.csv:3: org_unit_id: 'T9' matches no org_units record (expected the id of a org_units record in "
      "this import or already in the store)"}},
    {"UnknownCarer", "care_links.csv", "P2,P1", "P3,P1",
     {"care_links.csv:2: carer_id: 'P3' matches no people record (expected the id of a people record in this "
      "import or already in the store)"}},
    {"DuplicateKey", "visits.csv", "V2,", "V1,",
     {"visits.csv:3: visit_id: 'V1' appears twice in this import (expected one row per visit_id; first at line "
      "2)"}},
    {"WrongFieldCount", "visits.csv", "V2,P1,S1,2024-05-03,45,", "V2,P1,S1,2024-05-03,",
     {"visits.csv:3: has 8 fields (expected 9, as in the header)"}},
    {"MissingColumn", "visits.csv", "visit_id,person_id,service_id,visit_on,minutes,",
     "visit_id,person_id,visit_on,minutes,",
     {"visits.csv:1: header: column 'service_id' is missing (expected columns "
      "visit_id,person_id,service_id,visit_on,minutes,org_unit_id,worker_id,recorded_at,recorded_by)"}},
    {"ColumnsOutOfOrder", "visits.csv", "visit_on,minutes,", "minutes,visit_on,",
     {"visits.csv:1: header: columns are out of order (expected columns "
      "visit_id,person_id,service_id,visit_on,minutes,org_unit_id,worker_id,recorded_at,recorded_by)"}},
    {"UnclosedQuote", "visits.csv", "V2,P1", "\"V2,P1",
     {"visits.csv:3: a quoted field is not closed (expected a closing '\"')"}},
    // Issue 9: plausible dates (docs/import.md); the import is at 2024-07-01T00:00:00Z.
    {"DateFarInTheFuture", "visits.csv", "2024-05-03,45", "9999-12-31,45",
     {"visits.csv:3: visit_on: '9999-12-31' is after 2029-07-01 (expected a date from 1900-01-01 to 2029-07-01, 5 "
      "years after the import; leave it empty when unknown)"}},
    {"DateBefore1900", "requests.csv", "R1,P1,2024-04-01", "R1,P1,1899-12-31",
     {"requests.csv:2: first_contact_on: '1899-12-31' is before 1900-01-01 (expected a date from 1900-01-01 to "
      "2029-07-01, 5 years after the import; leave it empty when unknown)"}},
    {"BirthAfterTheImport", "people.csv", "1940-05-01", "9999-01-01",
     {"people.csv:2: birth_date: '9999-01-01' is after the import date 2024-07-01 (expected a birth date from "
      "1904-07-01 to 2024-07-01: not after the import, at most 120 years before it)"}},
    {"BirthOver120YearsAgo", "people.csv", "1965-03", "1850-05",
     {"people.csv:3: birth_date: '1850-05' is before 1904-07-01 (expected a birth date from 1904-07-01 to "
      "2024-07-01: not after the import, at most 120 years before it)"}},
    {"RecordedAfterTheImport", "requests.csv", "2024-04-02T10:00:00Z", "2024-07-02T00:00:01Z",
     {"requests.csv:2: recorded_at: '2024-07-02T00:00:01Z' is after 2024-07-02T00:00:00Z (expected a time from "
      "1970-01-01T00:00:00Z to 2024-07-02T00:00:00Z: a row cannot be entered after its import (a day ahead is "
      "allowed for time zones))"}},
    // Issue 9: text is UTF-8; a value is quoted safely in messages.
    {"InvalidUtf8", "people.csv", "A1,physical", "Caf\xE9,physical",
     {"people.csv:2: area: 'Caf\\xE9' is not valid UTF-8 at byte 4 (expected UTF-8 text; save the file as UTF-8)"}},
    {"ControlCharacterQuotedSafely", "requests.csv", "community,assessment", "comm\x1Bunity,assessment",
     {"requests.csv:2: route: 'comm\\x1Bunity' is not a known code (expected one of: community, hospital, self, gp, "
      "other)"}},
    {"CountBeyond32Bits", "visits.csv", "45,T1", "99999999999,T1",
     {"visits.csv:3: minutes: '99999999999' is out of range (expected a whole number from 0 to 2147483647)"}},
    // Issue 9: the org-unit tree has no cycle.
    {"OwnParent", "org_units.csv", "C1,,Council", "C1,C1,Council",
     {"org_units.csv:3: parent_id: 'C1' makes a cycle: C1 -> C1 (expected a tree: no unit may be its own "
      "ancestor)"}},
    {"Cycle", "org_units.csv", "C1,,Council", "C1,T1,Council",
     {"org_units.csv:2: parent_id: 'S1' makes a cycle: T1 -> S1 -> C1 -> T1 (expected a tree: no unit may be its "
      "own ancestor)"}},
    {"SeveralProblemsInLineOrder", "people.csv", "1940-05-01,F", "1940-02-30,Q",
     {"people.csv:2: birth_date: '1940-02-30' is not a valid date (expected YYYY-MM-DD or YYYY-MM)",
      "people.csv:2: sex: 'Q' is not a known code (expected one of: F, M, X, U)"}},
};

INSTANTIATE_TEST_SUITE_P(Rules, ImportProblemsTest, testing::ValuesIn(kBadCases),
                         [](const testing::TestParamInfo<BadCase>& i) { return std::string(i.param.name); });

TEST_F(ImportTest, RequiredFilesOnFirstImportOnly) {
  Files files = ValidFiles();
  files.erase("people.csv");
  ImportReport r = Import(WriteDir("d", files));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems, (std::vector<std::string>{"people.csv: the file is missing (expected org_units.csv and "
                                                  "people.csv in a store's first import)"}));
  // After a first import, a batch of requests alone is fine, and its rows
  // may refer to people stored by the earlier batch.
  ASSERT_TRUE(Import(WriteDir("first", ValidFiles())).committed);
  ImportReport later = Import(WriteDir(
      "later", {{"requests.csv", "request_id,person_id,first_contact_on,received_on,route,outcome,closed_on" +
                                     kLineage + "\nR9,P2,,2024-06-01,gp,,,T1,,,\n"}}));
  EXPECT_TRUE(later.problems.empty()) << later.problems[0];
  EXPECT_TRUE(later.committed);
  EXPECT_EQ(later.batch.id, 2);
  EXPECT_EQ(Count(TableId::kRequests), 3);
}

TEST_F(ImportTest, BadLastRowLeavesStoreUntouched) {
  ASSERT_TRUE(Import(WriteDir("first", ValidFiles())).committed);
  Files files = ValidFiles();
  files["people.csv"] += "P3,carer,1970-01-01,F,white,A1,,retired,\n";
  files["visits.csv"] += "V3,P3,S1,2024-05-04,30,T1,,,\nV4,P1,S1,2024-05-04,-5,T1,,,\n";
  ImportReport r = Import(WriteDir("second", files));
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.problems,
            (std::vector<std::string>{"visits.csv:5: minutes: '-5' is not a count (expected a whole number, 0 or more)"}));
  EXPECT_EQ(store_->Batches()->size(), 1u);
  EXPECT_EQ(Count(TableId::kPeople), 2);
  EXPECT_EQ(Count(TableId::kVisits), 2);
  EXPECT_FALSE(*store_->HasRecord(TableId::kPeople, "P3"));
}

TEST_F(ImportTest, QuarantineStoresGoodRowsAndWritesBadOnes) {
  Files files = ValidFiles();
  files["requests.csv"] += "R3,P9,,2024-04-11,gp,,,T1,,,\n";
  files["assessments.csv"] += "A2,P1,R3,carer,,,\"N, probably\",T1,,,\n";
  std::string quarantine = root_ + "/rejects.csv";
  ImportReport r = Import(WriteDir("d", files), quarantine);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.batch.rows_rejected, 2);
  EXPECT_EQ(r.batch.rows_stored, 12);
  EXPECT_EQ(r.problem_count, 3);
  EXPECT_EQ(Count(TableId::kRequests), 2);
  EXPECT_FALSE(*store_->HasRecord(TableId::kRequests, "R3"));
  std::stringstream got;
  got << std::ifstream(quarantine).rdbuf();
  EXPECT_EQ(got.str(),
            "file,line,column,problem,row\n"
            "requests.csv,4,person_id,'P9' matches no people record (expected the id of a people record in this "
            "import or already in the store),\"R3,P9,,2024-04-11,gp,,,T1,,,\"\n"
            "assessments.csv,3,request_id,'R3' matches no requests record (expected the id of a requests record in "
            "this import or already in the store),\"A2,P1,R3,carer,,,\"\"N, probably\"\",T1,,,\"\n"
            "assessments.csv,3,eligible,\"'N, probably' is not Y or N (expected Y or N)\",\"A2,P1,R3,carer,,,\"\"N, "
            "probably\"\",T1,,,\"\n");
}

TEST_F(ImportTest, SameContentTwiceDoesNothing) {
  std::string dir = WriteDir("d", ValidFiles());
  ImportReport first = Import(dir);
  ASSERT_TRUE(first.committed);
  ImportReport again = Import(WriteDir("copy", ValidFiles()));  // same bytes, other folder
  EXPECT_TRUE(again.duplicate);
  EXPECT_FALSE(again.committed);
  EXPECT_EQ(again.batch.id, 1);
  EXPECT_EQ(again.batch.imported_at, 1719792000);
  EXPECT_EQ(store_->Batches()->size(), 1u);
  EXPECT_EQ(Count(TableId::kVisits), 2);
}

TEST_F(ImportTest, CorrectionAddsAVersionAndKeepsHistory) {
  ASSERT_TRUE(Import(WriteDir("first", ValidFiles())).committed);
  Files fix = {{"requests.csv", "request_id,person_id,first_contact_on,received_on,route,outcome,closed_on" +
                                    kLineage + "\n" +
                                    "R1,P1,2024-04-01,2024-04-03,community,assessment,2024-05-01,T1,W1,"
                                    "2024-04-02T10:00:00Z,u1\n"
                                    "R2,P2,,2024-04-10,self,,,T1,W1,,\n"}};
  ImportReport r = Import(WriteDir("fix", fix));
  ASSERT_TRUE(r.committed);
  EXPECT_EQ(r.batch.rows_stored, 1);
  EXPECT_EQ(r.batch.rows_unchanged, 1);
  std::vector<std::pair<int64_t, std::string>> history;
  ASSERT_TRUE(store_
                  ->ScanHistory(TableId::kRequests, "R1",
                                [&](const StoredRow& row) {
                                  history.emplace_back(row.batch_id, std::string(row.values[3]));
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(history, (std::vector<std::pair<int64_t, std::string>>{{1, "2024-04-02"}, {2, "2024-04-03"}}));
  std::string current;
  ASSERT_TRUE(store_
                  ->ScanCurrent(TableId::kRequests,
                                [&](const StoredRow& row) {
                                  if (row.values[0] == "R1") current = row.values[3];
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(current, "2024-04-03");
  EXPECT_EQ(Count(TableId::kRequests), 2);
}

TEST_F(ImportTest, NotADirectory) {
  auto r = ImportDirectory(*store_, root_ + "/nope", ImportOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "'" + root_ + "/nope' is not a directory (expected a directory of canonical CSV files)");
}

}  // namespace
}  // namespace goldthread
