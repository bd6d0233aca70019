#include "ingest/cld_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <algorithm>

#include "core/file.h"
#include "ingest/cld_mapping.h"
#include "store/store.h"

namespace goldthread {
namespace {

// The columns the tests fill, in the specification's order; every other
// CLD column is absent (read as empty, with a warning).
const std::vector<std::string> kCols = {
    "LA_Code", "Reporting_Period_Start_Date", "Reporting_Period_End_Date", "LA_Person_Unique_Identifier",
    "Gender", "Ethnicity", "Date_of_Birth", "Client_Type", "Primary_Support_Reason", "Employment_Status",
    "Event_Type", "Event_Reference", "Event_Start_Date", "Event_End_Date", "Event_Description", "Event_Outcome",
    "Request_Route_of_Access", "Assessment_Type", "Eligible_Needs_Identified", "Total_Hrs_Caring_per_week",
    "Adult_1_Linked_Person_ID", "Service_Type", "Service_Component", "Delivery_Mechanism",
    "Provider_CQC_Location_ID", "Review_Reason", "Review_Outcomes_Achieved", "Unit_Cost",
    "Cost_Frequency_(Unit_Type)", "Planned_units_per_week"};

using Fields = std::map<std::string, std::string>;

std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A row: the person fields of P1 (a service user) unless overridden.
std::string Row(Fields f, const std::string& q_start = "2024-04-01", const std::string& q_end = "2024-06-30") {
  Fields base = {{"LA_Code", "E10000020"},
                 {"Reporting_Period_Start_Date", q_start},
                 {"Reporting_Period_End_Date", q_end},
                 {"LA_Person_Unique_Identifier", "P1"},
                 {"Gender", "Female"},
                 {"Ethnicity", "White - Irish"},
                 {"Date_of_Birth", "1940-05-01"},
                 {"Client_Type", "Service User"},
                 {"Primary_Support_Reason", "Physical Support: Personal care support"}};
  for (auto& [k, v] : f) base[k] = v;
  std::string line;
  for (size_t i = 0; i < kCols.size(); ++i) {
    auto it = base.find(kCols[i]);
    line += (i ? "," : "") + Quote(it == base.end() ? "" : it->second);
  }
  return line + "\n";
}

std::string Header() {
  std::string h;
  for (size_t i = 0; i < kCols.size(); ++i) h += (i ? "," : "") + kCols[i];
  return h + "\n";
}

const Fields kRequest = {{"Event_Type", "Request"}, {"Event_Start_Date", "2024-04-02"},
                         {"Event_End_Date", "2024-04-03"}, {"Event_Outcome", "Progress to Assessment"},
                         {"Request_Route_of_Access", "Discharge from Hospital"}};
const Fields kAssessment = {{"Event_Type", "Assessment"}, {"Event_Start_Date", "2024-04-05"},
                            {"Event_End_Date", "2024-04-20"}, {"Assessment_Type", "Long Term Assessment"},
                            {"Eligible_Needs_Identified", "Yes"}, {"Event_Outcome", "Progress to Support Planning / Services"}};
const Fields kService = {{"Event_Type", "Service"}, {"Event_Start_Date", "2024-05-01"},
                         {"Service_Type", "Long Term Support: Community"}, {"Service_Component", "Home Care"},
                         {"Delivery_Mechanism", "Direct Payment"}, {"Provider_CQC_Location_ID", "1-123"},
                         {"Unit_Cost", "23.80"}, {"Cost_Frequency_(Unit_Type)", "Hourly"},
                         {"Planned_units_per_week", "10.5"}};
const Fields kReview = {{"Event_Type", "Review"}, {"Event_Start_Date", "2024-06-01"},
                        {"Event_End_Date", "2024-06-10"}, {"Review_Reason", "Planned"},
                        {"Review_Outcomes_Achieved", "Partially achieved"}, {"Event_Outcome", "No change in package"}};

Fields With(Fields f, const Fields& more) {
  for (auto& [k, v] : more) f[k] = v;
  return f;
}

class CldImportTest : public testing::Test {
 protected:
  void SetUp() override {
    const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
    root_ = testing::TempDir() + "/cld_import_test_" + info->name() + "_" + std::to_string(::getpid());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    auto s = OpenStore(root_ + "/store.db", OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = root_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  CldImportReport Import(const std::string& path, const std::string& quarantine = "",
                         const CldMapping* mapping = nullptr, CldImportOptions o = {}) {
    o.mapping = mapping;
    o.import.quarantine_path = quarantine;
    o.import.imported_by = "tester";
    o.import.now = 1727740800;  // 2024-10-01T00:00:00Z
    auto r = ImportCld(*store_, path, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : CldImportReport{};
  }
  /// Current rows of a table as "v1,v2,..." sorted, with " @line" appended.
  std::vector<std::string> Rows(TableId t, bool with_line = false) {
    std::vector<std::string> out;
    EXPECT_TRUE(store_
                    ->ScanCurrent(t,
                                  [&](const StoredRow& row) {
                                    std::string s;
                                    for (size_t i = 0; i < row.values.size(); ++i)
                                      s += (i ? "," : "") + std::string(row.values[i]);
                                    if (with_line)
                                      s += " @" + std::string(row.source_file) + ":" +
                                           std::to_string(row.source_line) + " v" + std::to_string(row.version);
                                    out.push_back(s);
                                    return Status::Ok();
                                  })
                    .ok());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string root_;
  std::unique_ptr<Store> store_;
};

TEST_F(CldImportTest, EveryEventTypeBecomesItsCanonicalRecord) {
  const std::string carer = "P9";
  const std::string path =
      Write("cld.csv", Header() + Row(kRequest) + Row(kAssessment) + Row(kService) + Row(kReview) +
                           Row({{"LA_Person_Unique_Identifier", carer}, {"Client_Type", "Carer"},
                                {"Gender", "Male"}, {"Date_of_Birth", "1965-03-10"},
                                {"Ethnicity", "Asian or Asian British - Indian"},
                                {"Primary_Support_Reason", ""},
                                {"Employment_Status", "Paid: 16 or more hours a week"},
                                {"Event_Type", "Assessment"}, {"Event_Start_Date", "2024-04-08"},
                                {"Event_End_Date", "2024-04-09"}, {"Assessment_Type", "Carer Assessment - Separate"},
                                {"Adult_1_Linked_Person_ID", "P1"}, {"Total_Hrs_Caring_per_week", "35"}}) +
                           Row({{"LA_Person_Unique_Identifier", "P8"}, {"Client_Type", "Carer known by association"},
                                {"Primary_Support_Reason", ""}, {"Adult_1_Linked_Person_ID", "P7"}}));
  CldImportReport r = Import(path);
  ASSERT_TRUE(r.import.committed) << (r.import.problems.empty() ? "" : r.import.problems[0]);
  EXPECT_EQ(r.rows_read, 6);
  EXPECT_EQ(r.events, (std::array<int64_t, 4>{1, 2, 1, 1}));
  EXPECT_EQ(r.carers_by_association, 1);
  EXPECT_EQ(r.stub_people, 1);  // P7, known only through carer P8
  EXPECT_EQ(r.linked_assessments, 1);  // P1's assessment to P1's request; the carer has none
  EXPECT_EQ(Rows(TableId::kOrgUnits), (std::vector<std::string>{"E10000020,,E10000020,council"}));
  EXPECT_EQ(Rows(TableId::kPeople, true),
            (std::vector<std::string>{
                "P1,service_user,1940-05-01,F,white,E10000020,physical,, @cld.csv:5 v1",
                "P7,service_user,,,,E10000020,,, @cld.csv:7 v1",
                "P8,carer,1940-05-01,F,white,E10000020,,, @cld.csv:7 v1",
                "P9,carer,1965-03-10,M,asian,E10000020,,full_time, @cld.csv:6 v1"}));
  EXPECT_EQ(Rows(TableId::kCareLinks),
            (std::vector<std::string>{"P8,P7,2024-04-01,,", "P9,P1,2024-04-08,,35"}));
  EXPECT_EQ(Rows(TableId::kRequests, true),
            (std::vector<std::string>{"R:P1:2024-04-02:dischargefromhospital,P1,,2024-04-02,hospital,assessment,"
                                      "2024-04-03,E10000020,,, @cld.csv:2 v1"}));
  EXPECT_EQ(Rows(TableId::kAssessments),
            (std::vector<std::string>{
                "A:P1:2024-04-05:longtermassessment,P1,R:P1:2024-04-02:dischargefromhospital,needs,2024-04-05,"
                "2024-04-20,Y,E10000020,,,",
                "A:P9:2024-04-08:carerassessmentseparate,P9,,carer,2024-04-08,2024-04-09,,E10000020,,,"}));
  // 23.80 an hour x 10.5 hours a week = 249.90 a week.
  EXPECT_EQ(Rows(TableId::kServices),
            (std::vector<std::string>{"S:P1:2024-05-01:longtermsupportcommunity:homecare:directpayment,P1,home_care,,"
                                      "community,long,direct_payment,2024-05-01,,10.5,249.9,1-123,E10000020,,,"}));
  EXPECT_EQ(Rows(TableId::kReviews),
            (std::vector<std::string>{"V:P1:2024-06-01:planned,P1,planned,,2024-06-10,partly,E10000020,,,"}));
  EXPECT_EQ(Rows(TableId::kCareHomeAdmissions), std::vector<std::string>{});
  // The batch records the return and the mapping by their digests.
  auto batches = store_->Batches();
  ASSERT_EQ(batches->size(), 1u);
  ASSERT_EQ((*batches)[0].files.size(), 2u);
  EXPECT_EQ((*batches)[0].files[0].file, "cld.csv");
  EXPECT_EQ((*batches)[0].files[0].rows, 6);
  EXPECT_EQ((*batches)[0].files[1].file, "cld_mapping:built-in");
  EXPECT_EQ((*batches)[0].files[1].sha256, DefaultCldMapping().digest);
}


TEST_F(CldImportTest, UnmappedCodesAreReportedOnceWithTheirCountAndFirstRowAndNothingIsStored) {
  const Fields typo = With(kService, {{"Service_Type", "Long Term Support: Communty"}});
  const std::string path =
      Write("cld.csv", Header() + Row(kRequest) + Row(typo) + Row(With(typo, {{"Event_Start_Date", "2024-05-08"}})) +
                           Row({{"Event_Type", "Request"}, {"Event_Start_Date", "2024-04-09"},
                                {"Gender", "Femail"}}));
  CldImportReport r = Import(path);
  EXPECT_FALSE(r.import.committed);
  EXPECT_EQ(r.import.problems,
            (std::vector<std::string>{
                "cld.csv:3: Service_Type: 'Long Term Support: Communty' is not in the mapping (2 rows, first at line 3; "
                "expected a value listed in the mapping's [service_type] table; add it to the mapping file, see "
                "docs/cld.md)",
                "cld.csv:5: Gender: 'Femail' is not in the mapping (1 row, first at line 5; expected a value listed in "
                "the mapping's [gender] table; add it to the mapping file, see docs/cld.md)"}));
  ASSERT_EQ(r.unmapped.size(), 2u);
  EXPECT_EQ(r.unmapped[1].column, "Service_Type");
  EXPECT_EQ(r.unmapped[1].rows, 2);
  EXPECT_EQ(r.unmapped[1].first_line, 3);
  EXPECT_EQ(*store_->CountCurrent(TableId::kRequests), 0);
  EXPECT_TRUE(store_->Batches()->empty());
}

TEST_F(CldImportTest, WithQuarantineTheGoodRowsAreStoredAndTheBadOnesWrittenWithTheirReasons) {
  const std::string path = Write(
      "cld.csv", Header() + Row(kRequest) + Row(With(kService, {{"Service_Type", "LTS Community"}})) +
                     Row(With(kAssessment, {{"Event_End_Date", "2024-04-01"}})) + Row(kReview));
  const std::string rejects = root_ + "/rejects.csv";
  CldImportReport r = Import(path, rejects);
  ASSERT_TRUE(r.import.committed) << (r.import.problems.empty() ? "" : r.import.problems[0]);
  EXPECT_EQ(r.import.problems,
            (std::vector<std::string>{
                "cld.csv:3: Service_Type: 'LTS Community' is not in the mapping (1 row, first at line 3; expected a "
                "value listed in the mapping's [service_type] table; add it to the mapping file, see docs/cld.md)",
                "cld.csv:4: Event_End_Date: '2024-04-01' is before Event_Start_Date '2024-04-05' (expected "
                "Event_End_Date on or after Event_Start_Date)"}));
  EXPECT_EQ(*store_->CountCurrent(TableId::kRequests), 1);
  EXPECT_EQ(*store_->CountCurrent(TableId::kServices), 0);
  EXPECT_EQ(*store_->CountCurrent(TableId::kAssessments), 0);
  EXPECT_EQ(*store_->CountCurrent(TableId::kReviews), 1);
  Result<std::string> text = ReadInputFile(rejects);
  ASSERT_TRUE(text.ok());
  std::istringstream in(*text);
  std::string header, first, second;
  std::getline(in, header);
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(header, "file,line,column,problem,row");
  EXPECT_EQ(first.substr(0, 72), "cld.csv,3,Service_Type,'LTS Community' is not in the mapping (expected a");
  EXPECT_NE(first.find("LTS Community,Home Care,Direct Payment"), std::string::npos) << first;
  EXPECT_EQ(second.substr(0, 40), "cld.csv,4,Event_End_Date,'2024-04-01' is");
}

TEST_F(CldImportTest, BadFieldsNameTheCldColumnAndWhatWasExpected) {
  const std::string path = Write(
      "cld.csv", Header() + Row(With(kRequest, {{"Event_Start_Date", "2024-13-01"}})) +
                     Row(With(kService, {{"Unit_Cost", "12,50"}})) +
                     Row(With(kService, {{"Event_Start_Date", "2024-05-02"}, {"Planned_units_per_week", "-3"}})) +
                     Row({{"Event_Type", "Visit"}, {"Event_Start_Date", "2024-04-02"}}) +
                     Row({{"LA_Person_Unique_Identifier", ""}, {"Event_Type", "Request"}}) +
                     Row(With(kRequest, {{"Date_of_Birth", "1800-01-01"}, {"LA_Person_Unique_Identifier", "P2"}})));
  CldImportReport r = Import(path);
  EXPECT_FALSE(r.import.committed);
  EXPECT_EQ(r.import.problems,
            (std::vector<std::string>{
                "cld.csv:2: Event_Start_Date: '2024-13-01' is not a valid date (expected YYYY-MM-DD)",
                "cld.csv:3: Unit_Cost: '12,50' is not a number (expected a decimal such as 18.50)",
                "cld.csv:4: Planned_units_per_week: '-3' is negative (expected 0 or more)",
                "cld.csv:5: Event_Type: 'Visit' is not an event type (expected Request, Assessment, Service or Review)",
                "cld.csv:6: LA_Person_Unique_Identifier: is empty (expected the person's identifier in the council's "
                "system)",
                "cld.csv:7: Date_of_Birth: '1800-01-01' is before 1904-10-01 (expected a birth date from 1904-10-01 to "
                "2024-10-01: not after the import, at most 120 years before it)"}));
}

TEST_F(CldImportTest, AReturnWithoutARequiredColumnIsRefusedWhole) {
  std::string text = Header() + Row(kRequest);
  text.replace(text.find("Event_Type,"), 11, "EventKind,");
  CldImportReport r = Import(Write("cld.csv", text));
  EXPECT_FALSE(r.import.committed);
  ASSERT_EQ(r.import.problems.size(), 1u);
  EXPECT_EQ(r.import.problems[0],
            "cld.csv:1: header: column 'Event_Type' is missing (expected the CLD Release 1 columns, at least LA_Code, "
            "LA_Person_Unique_Identifier, Client_Type, Event_Type, Event_Start_Date)");
  EXPECT_EQ(r.import.warnings.back(), "cld.csv:1: header: columns that are not CLD Release 1 columns, ignored: 'EventKind'");
}

TEST_F(CldImportTest, TheNextQuartersReturnUpdatesContinuingEventsAndVersionsChangedPeople) {
  // Q1: a request closed, a service still open, a carer caring for P1.
  const Fields carer = {{"LA_Person_Unique_Identifier", "P9"}, {"Client_Type", "Carer"},
                        {"Employment_Status", "Paid: 16 or more hours a week"},
                        {"Event_Type", "Assessment"}, {"Event_Start_Date", "2024-05-01"},
                        {"Event_End_Date", "2024-05-02"}, {"Assessment_Type", "Carer Assessment - Separate"},
                        {"Adult_1_Linked_Person_ID", "P1"}};
  CldImportReport q1 = Import(Write("q1.csv", Header() + Row(kRequest) + Row(kService) + Row(carer)));
  ASSERT_TRUE(q1.import.committed) << (q1.import.problems.empty() ? "" : q1.import.problems[0]);
  // Q2 (overlapping): the same request again, the service now ended, the
  // carer now working part time with a review of their own, a new review for P1.
  const std::string q2 = "2024-07-01", q2_end = "2024-09-30";
  CldImportReport r = Import(Write(
      "q2.csv", Header() + Row(kRequest, q2, q2_end) +
                    Row(With(kService, {{"Event_End_Date", "2024-08-15"}}), q2, q2_end) +
                    Row(With(carer, {{"Employment_Status", "Paid: Less than 16 hours a week"},
                                     {"Event_Type", "Review"}, {"Event_Start_Date", "2024-08-01"},
                                     {"Event_End_Date", "2024-08-01"}, {"Review_Reason", "Planned"}}),
                        q2, q2_end) +
                    Row(With(kReview, {{"Event_Start_Date", "2024-08-20"}, {"Event_End_Date", "2024-08-21"}}), q2,
                        q2_end)));
  ASSERT_TRUE(r.import.committed) << (r.import.problems.empty() ? "" : r.import.problems[0]);
  EXPECT_EQ(*store_->CountCurrent(TableId::kRequests), 1);
  EXPECT_EQ(*store_->CountCurrent(TableId::kServices), 1);
  EXPECT_EQ(*store_->CountCurrent(TableId::kCareLinks), 1);  // the link kept its Q1 start
  EXPECT_EQ(Rows(TableId::kServices, true),
            (std::vector<std::string>{"S:P1:2024-05-01:longtermsupportcommunity:homecare:directpayment,P1,home_care,,"
                                      "community,long,direct_payment,2024-05-01,2024-08-15,10.5,249.9,1-123,"
                                      "E10000020,,, @q2.csv:3 v2"}));
  EXPECT_EQ(Rows(TableId::kRequests, true).front().substr(Rows(TableId::kRequests, true).front().size() - 12),
            "@q1.csv:2 v1");
  EXPECT_EQ(Rows(TableId::kCareLinks), (std::vector<std::string>{"P9,P1,2024-05-01,,"}));
  EXPECT_EQ(Rows(TableId::kPeople, true),
            (std::vector<std::string>{"P1,service_user,1940-05-01,F,white,E10000020,physical,, @q1.csv:3 v1",
                                      "P9,carer,1940-05-01,F,white,E10000020,physical,part_time, @q2.csv:4 v2"}));
  EXPECT_EQ(*store_->CountCurrent(TableId::kReviews), 2);
  // Unchanged: the request, P1 (taken from its latest row, the same details)
  // and the care link; the council unit is in the store already, so not sent.
  EXPECT_EQ(r.import.batch.rows_unchanged, 3);
  EXPECT_EQ(r.import.batch.rows_stored, 4);  // the service, P9, two reviews
}

TEST_F(CldImportTest, CostFrequenciesBecomeAWeeklyCost) {
  struct Case {
    const char* frequency;
    const char* cost;
    const char* units;
    const char* weekly;
    const char* hours;
  };
  const Case cases[] = {
      {"Hourly", "20", "12", "240", "12"},      {"Daily", "55.5", "2", "111", ""},
      {"Weekly", "700", "", "700", ""},         {"Fortnightly", "300", "", "150", ""},
      {"4-weekly", "1000", "", "250", ""},      {"Monthly", "1300", "", "300", ""},
      {"Quarterly", "1300", "", "100", ""},     {"Annually", "5200", "", "100", ""},
      {"One-off", "450", "", "", ""},           {"Hourly", "20", "", "", ""},
  };
  std::string text = Header();
  int day = 1;
  for (const Case& c : cases)
    text += Row(With(kService, {{"Event_Start_Date", fmt::format("2024-05-{:02d}", day++)},
                                {"Cost_Frequency_(Unit_Type)", c.frequency}, {"Unit_Cost", c.cost},
                                {"Planned_units_per_week", c.units}}));
  CldImportReport r = Import(Write("cld.csv", text));
  ASSERT_TRUE(r.import.committed) << (r.import.problems.empty() ? "" : r.import.problems[0]);
  std::vector<std::string> got, want;
  ASSERT_TRUE(store_
                  ->ScanCurrent(TableId::kServices,
                                [&](const StoredRow& row) {
                                  got.push_back(std::string(row.values[7]) + " " + std::string(row.values[10]) + " " +
                                                std::string(row.values[9]));
                                  return Status::Ok();
                                })
                  .ok());
  day = 1;
  for (const Case& c : cases) want.push_back(fmt::format("2024-05-{:02d} {} {}", day++, c.weekly, c.hours));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
}

TEST_F(CldImportTest, AFirstLongTermCareHomePlacementIsAPermanentAdmission) {
  const Fields res = {{"Event_Type", "Service"}, {"Service_Type", "Long Term Support: Residential Care"}};
  const std::string path = Write(
      "cld.csv", Header() + Row(With(res, {{"Event_Start_Date", "2024-05-10"}})) +
                     Row(With(res, {{"Event_Start_Date", "2024-04-03"}, {"Event_End_Date", "2024-05-09"},
                                    {"Service_Type", "Long Term Support: Nursing Care"}})) +
                     Row(With(res, {{"LA_Person_Unique_Identifier", "P2"}, {"Event_Start_Date", "2024-06-01"},
                                    {"Service_Type", "Short Term Support: Other Short Term"},
                                    {"Service_Component", "Short Term Residential Care"}})));
  CldImportReport r = Import(path);
  ASSERT_TRUE(r.import.committed) << (r.import.problems.empty() ? "" : r.import.problems[0]);
  EXPECT_EQ(Rows(TableId::kCareHomeAdmissions, true),
            (std::vector<std::string>{"CH:P1:2024-04-03,P1,2024-04-03,Y,needs,E10000020,,, @cld.csv:3 v1"}));
}

TEST_F(CldImportTest, HeadersWithSpacesDayFirstDatesAndALocalMappingAreRead) {
  std::string text = Header() + Row(With(kRequest, {{"Event_Start_Date", "02/04/2024"}, {"Gender", "F"}}));
  for (const char* col : {"Event_Start_Date", "LA_Person_Unique_Identifier", "Request_Route_of_Access"}) {
    std::string spaced = col;
    std::replace(spaced.begin(), spaced.end(), '_', ' ');
    text.replace(text.find(col), std::string(col).size(), spaced);
  }
  text.replace(text.find("Request Route of Access"), 23, "Request: Route of Access");
  std::string mapping(DefaultCldMappingText());
  mapping.replace(mapping.find("[gender]"), 8, "[gender]\n\"F\" = \"F\"");
  auto m = ParseCldMapping(mapping, "local.toml");
  ASSERT_TRUE(m.ok()) << m.status().message();
  CldImportReport r = Import(Write("cld.csv", text), "", &*m);
  ASSERT_TRUE(r.import.committed) << (r.import.problems.empty() ? "" : r.import.problems[0]);
  EXPECT_EQ(Rows(TableId::kRequests).front().substr(0, 58),
            "R:P1:2024-04-02:dischargefromhospital,P1,,2024-04-02,hospi");
  EXPECT_EQ(Rows(TableId::kPeople).front().substr(0, 30), "P1,service_user,1940-05-01,F,w");
  auto batches = store_->Batches();
  EXPECT_EQ((*batches)[0].files[1].sha256, m->digest);
}

TEST_F(CldImportTest, TheSameReturnTwiceIsImportedOnce) {
  const std::string path = Write("cld.csv", Header() + Row(kRequest) + Row(kRequest));
  CldImportReport first = Import(path);
  ASSERT_TRUE(first.import.committed);
  EXPECT_EQ(first.repeated, 1);  // the row given twice is one request
  CldImportReport again = Import(path);
  EXPECT_TRUE(again.import.duplicate);
  EXPECT_EQ(store_->Batches()->size(), 1u);
}

TEST_F(CldImportTest, AnEventsReferenceIsItsIdWhereTheRowFillsItIn) {
  const std::string path = Write(
      "cld.csv", Header() + Row(With(kRequest, {{"Event_Reference", "REF-1"}})) +
                     Row(With(kRequest, {{"Event_Reference", "REF-2"}})) +  // the same day and route: another request
                     Row(With(kRequest, {{"Event_Start_Date", "2024-04-09"}, {"Event_End_Date", "2024-04-10"}})));
  CldImportReport r = Import(path);
  ASSERT_TRUE(r.import.committed) << r.import.problem_count << " " << r.import.duplicate << " "
                                  << (r.import.problems.empty() ? "" : r.import.problems[0]);
  std::vector<std::string> ids;
  for (const std::string& row : Rows(TableId::kRequests)) ids.push_back(row.substr(0, row.find(',')));
  EXPECT_EQ(ids, (std::vector<std::string>{"R:P1:2024-04-09:dischargefromhospital", "REF-1", "REF-2"}));
}

TEST_F(CldImportTest, APersonsOlderRowIsStillCheckedWhenItsFieldsDiffer) {
  // The latest row (Q2) is read first; the older one's unknown gender is
  // still reported, though the details come from the latest.
  const std::string path = Write("cld.csv", Header() + Row(kRequest, "2024-07-01", "2024-09-30") +
                                                Row(With(kService, {{"Gender", "Mal"}})) + Row(kReview));
  CldImportReport r = Import(path);
  EXPECT_FALSE(r.import.committed);
  ASSERT_EQ(r.import.problems.size(), 1u);
  EXPECT_EQ(r.import.problems[0].substr(0, 56), "cld.csv:3: Gender: 'Mal' is not in the mapping (1 row, f");
}

// Nothing a council can send may exhaust memory: a field is at most
// kMaxFieldBytes before anything of it is held, a value the mapping does not
// know is one problem with its count however many rows have it, and a
// million different unknown values are counted, not kept.
TEST_F(CldImportTest, AnOverlongFieldIsRefusedBeforeItIsMapped) {
  const std::string big(5000, 'x');
  const std::string path = Write(
      "cld.csv", Header() + Row(With(kRequest, {{"Gender", big}})) +
                     Row(With(kRequest, {{"LA_Person_Unique_Identifier", big}, {"Event_Start_Date", "2024-04-09"}})) +
                     Row(With(kRequest, {{"Event_Start_Date", "2024-04-10"}, {"Event_End_Date", "2024-04-11"},
                                         {"Event_Description", big}})));
  CldImportReport r = Import(path);
  EXPECT_FALSE(r.import.committed);
  EXPECT_EQ(r.import.problems,
            (std::vector<std::string>{
                "cld.csv:2: Gender: is 5000 bytes long (expected at most 4096 bytes)",
                "cld.csv:3: LA_Person_Unique_Identifier: is 5000 bytes long (expected at most 4096 bytes)"}));
  EXPECT_TRUE(r.unmapped.empty());  // not a value the mapping lacks: a field too long to be one
}

TEST_F(CldImportTest, AReturnOfOneEndlessRowIsRefusedAtItsLine) {
  // No line end: the reader stops at 1 MiB rather than read the file whole.
  std::string text = Header() + Row(kRequest);
  text += std::string(3 << 20, 'y');
  CldImportReport r = Import(Write("cld.csv", text));
  EXPECT_FALSE(r.import.committed);
  ASSERT_EQ(r.import.problems.size(), 1u);
  EXPECT_EQ(r.import.problems[0],
            "cld.csv:3: a record is longer than 1048576 bytes (expected a line end within every 1048576 bytes)");
}

TEST_F(CldImportTest, AMillionDifferentUnknownValuesAreCountedNotKept) {
  // kMaxUnmappedValues + 3 different genders, the last twice: each of the
  // first kMaxUnmappedValues is named with its count, the rest together.
  std::string text = Header();
  const int64_t n = kMaxUnmappedValues + 3;
  for (int64_t i = 0; i <= n; ++i)
    text += Row(With(kRequest, {{"Gender", fmt::format("G{:05d}", std::min(i, n - 1))},
                                {"LA_Person_Unique_Identifier", fmt::format("P{}", i)}}));
  CldImportReport r = Import(Write("cld.csv", text));
  EXPECT_FALSE(r.import.committed);
  ASSERT_EQ(r.unmapped.size(), static_cast<size_t>(kMaxUnmappedValues + 1));
  EXPECT_EQ(r.unmapped[0].value, "G00000");
  EXPECT_EQ(r.unmapped[0].rows, 1);
  EXPECT_FALSE(r.unmapped[0].others);
  const CldUnmapped& others = r.unmapped.back();
  EXPECT_TRUE(others.others);
  EXPECT_EQ(others.value, "G01000");
  EXPECT_EQ(others.rows, 4);
  EXPECT_EQ(others.first_line, kMaxUnmappedValues + 2);
  ASSERT_EQ(r.import.problems.size(), static_cast<size_t>(kMaxUnmappedValues + 1));
  EXPECT_EQ(r.import.problem_count, kMaxUnmappedValues + 1);
  EXPECT_EQ(r.import.problems.back(),
            "cld.csv:1002: Gender: more than 1000 different values are not in the mapping: the others, from "
            "'G01000' on, in 4 rows, first at line 1002 (expected a value listed in the mapping's [gender] table; is "
            "a column shifted or mislabelled? see docs/cld.md)");
}

TEST_F(CldImportTest, WithQuarantineEveryRowOfAnUnknownValueIsSetAsideWithItsValue) {
  std::string text = Header() + Row(kRequest);
  for (int i = 0; i < 3; ++i)
    text += Row(With(kRequest, {{"Gender", i == 2 ? "Femal" : "Femail"},
                                {"LA_Person_Unique_Identifier", fmt::format("Q{}", i)}}));
  const std::string rejects = root_ + "/rejects.csv";
  CldImportReport r = Import(Write("cld.csv", text), rejects);
  ASSERT_TRUE(r.import.committed);
  EXPECT_EQ(r.import.problems.size(), 2u);  // each value once, with its count
  Result<std::string> got = ReadInputFile(rejects);
  ASSERT_TRUE(got.ok());
  std::vector<std::string> lines;
  std::istringstream in(*got);
  for (std::string l; std::getline(in, l);) lines.push_back(l.substr(0, l.find(" is not")));
  EXPECT_EQ(lines, (std::vector<std::string>{"file,line,column,problem,row", "cld.csv,3,Gender,'Femail'",
                                             "cld.csv,4,Gender,'Femail'", "cld.csv,5,Gender,'Femal'"}));
}

TEST_F(CldImportTest, AReturnPastTheByteLimitIsRefusedAtTheRowThatPassesIt) {
  const std::string row = Row(kRequest);
  CldImportOptions o;
  o.max_bytes = 2 * (row.size() - 1) + 1;  // the first two rows' text, without their line ends
  CldImportReport r = Import(Write("cld.csv", Header() + row + row + row), "", nullptr, o);
  EXPECT_FALSE(r.import.committed);
  ASSERT_EQ(r.import.problems.size(), 1u);
  EXPECT_EQ(r.import.problems[0],
            fmt::format("cld.csv:4: the rows so far come to more than {} bytes (expected at most that in one import; "
                        "import the return in parts, a quarter or an event type at a time)",
                        o.max_bytes));
}

TEST_F(CldImportTest, TheUnknownValuesSummaryIsListedEvenBehindAHundredThousandBadRows) {
  // kMaxProblemsKept rows of the wrong width, then one unknown gender: the
  // summary naming it (the one thing to fix in the mapping) is still listed.
  std::string text = Header();
  for (size_t i = 0; i < kMaxProblemsKept; ++i) text += "x\n";
  text += Row(With(kRequest, {{"Gender", "Femail"}}));
  CldImportReport r = Import(Write("cld.csv", text));
  EXPECT_FALSE(r.import.committed);
  EXPECT_EQ(r.import.problem_count, static_cast<int64_t>(kMaxProblemsKept) + 1);
  ASSERT_EQ(r.import.problems.size(), kMaxProblemsKept);
  EXPECT_EQ(r.import.problems.back(),
            "cld.csv:100002: Gender: 'Femail' is not in the mapping (1 row, first at line 100002; expected a value "
            "listed in the mapping's [gender] table; add it to the mapping file, see docs/cld.md)");
  EXPECT_EQ(r.import.problems.front(), "cld.csv:2: has 1 fields (expected 30, as in the header)");
}

}  // namespace
}  // namespace goldthread
