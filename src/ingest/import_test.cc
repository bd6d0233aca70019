#include "ingest/import.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "store/store.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;
using Files = std::map<std::string, std::string>;

const std::string kLineage = ",org_unit_id,worker_id,recorded_at,recorded_by";

// A small valid council: every referencing rule has a row to check.
Files ValidFiles() {
  return {
      {"org_units.csv",
       "org_unit_id,parent_id,name,kind\nT1,S1,Team One,team\nC1,,Council,council\nS1,C1,Adults,service\n"},
      {"people.csv",
       "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
       "P1,service_user,1940-05-01,F,white,A1,physical,,\n"
       "P2,carer,1965-03,M,asian,A1,,full_time,bme;lgbt\n"},
      {"care_links.csv", "carer_id,cared_for_id,start_date,end_date,hours_per_week\nP2,P1,2020-01-01,,35\n"},
      {"requests.csv",
       "request_id,person_id,first_contact_on,received_on,route,outcome,closed_on" + kLineage + "\n" +
           "R1,P1,2024-04-01,2024-04-02,community,assessment,2024-05-01,T1,W1,2024-04-02T10:00:00Z,u1\n"
           "R2,P2,,2024-04-10,self,,,T1,W1,,\n"},
      {"assessments.csv",
       "assessment_id,person_id,request_id,kind,started_on,completed_on,eligible" + kLineage + "\n" +
           "A1,P1,R1,needs,2024-04-05,2024-04-20,Y,T1,W1,2024-04-20T09:00:00,u1\n"},
      {"services.csv",
       "service_id,person_id,service_type,hub_intervention,setting,term,delivery,start_on,end_on,"
       "planned_hours_week,weekly_cost,provider_id" +
           kLineage + "\n" + "S1,P1,home_care,,community,long,direct_payment,2024-05-01,,10.5,250,PRV1,T1,W1,,\n"},
      {"visits.csv", "visit_id,person_id,service_id,visit_on,minutes" + kLineage + "\n" +
                         "V1,P1,S1,2024-05-02,60,T1,W1,,\n"
                         "V2,P1,S1,2024-05-03,45,T1,W1,,\n"},
  };
}

class ImportTest : public testing::Test {
 protected:
  void SetUp() override {
    const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
    root_ = testing::TempDir() + "/import_test_" + info->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
    auto s = OpenStore(root_ + "/store.db", OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  std::string WriteDir(const std::string& name, const Files& files) {
    std::string dir = root_ + "/" + name;
    fs::create_directories(dir);
    for (const auto& [file, text] : files) std::ofstream(dir + "/" + file, std::ios::binary) << text;
    return dir;
  }
  ImportReport Import(const std::string& dir, const std::string& quarantine = "") {
    ImportOptions o;
    o.quarantine_path = quarantine;
    o.imported_by = "tester";
    o.now = 1712000000;  // 2024-04-01
    auto r = ImportDirectory(*store_, dir, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : ImportReport{};
  }
  int64_t Count(TableId t) { return *store_->CountCurrent(t); }
  std::string root_;
  std::unique_ptr<Store> store_;
};

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
  EXPECT_EQ(again.batch.imported_at, 1712000000);
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
