#include "ingest/ascof_csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace goldthread {
namespace {

namespace fs = std::filesystem;

class AscofCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test and process: ctest runs these tests in parallel.
    dir_ = fs::path(::testing::TempDir()) /
           ("ascof_csv_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

constexpr const char* kOpenHeader =
    "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure "
    "Code,Disaggregation "
    "Level,Measure Type,Measure Value,Measure Group,Measure Group Description\n";

constexpr const char* kProcessedHeader =
    "Geographical Description,Geographical Level,ONS Code,Measure Group Description,Disaggregation Level,"
    "Measure Value,IMD - Average rank ,Annual Pay Mean,Population,Year\n";

TEST_F(AscofCsvTest, ReadsTheOpenDataLayout) {
  const std::string path = Write(
      "a.csv",
      std::string(kOpenHeader) +
          "102,Cumbria,Council,E10000006,2B1,Total,Outcome,83.6,2B1,Still at home\n"
          "102,Cumbria,Council,E10000006,2B1,Total,Numerator,107,2B1,Still at home\n"
          "102,Cumbria,Council,E10000006,1A,Total,Outcome,[x],1A,Quality of life\n"
          "1,\"Bournemouth, Christchurch and Poole\",Council,E06000058,2B1,Total,Outcome,80,2B1,Still at "
          "home\n"
          "X,North West,Region,E12000002,2B1,Total,Outcome,81,2B1,Still at home\n");
  auto r = ReadAscofCsv(path, "2020-21", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->layout, "open_data");
  EXPECT_EQ(r->rows_read, 5);
  EXPECT_EQ(r->missing, 1);
  EXPECT_TRUE(r->problems.empty());
  ASSERT_EQ(r->rows.size(), 3u);
  const PublishedRow& first = r->rows[0];
  EXPECT_EQ(first.year, "2020-21");
  EXPECT_EQ(first.ons_code, "E10000006");
  EXPECT_EQ(first.council, "Cumbria");
  EXPECT_EQ(first.measure, "2B1");
  EXPECT_EQ(first.disaggregation, "Total");
  EXPECT_EQ(first.measure_type, "Outcome");
  EXPECT_DOUBLE_EQ(first.value, 83.6);
  EXPECT_EQ(first.description, "Still at home");
  EXPECT_EQ(r->rows[2].council, "Bournemouth, Christchurch and Poole");
}

TEST_F(AscofCsvTest, ProcessedLayoutMapsKnownDescriptionsToCodes) {
  const std::string path =
      Write("b.csv", std::string(kProcessedHeader) +
                         "Cumbria,Council,E10000006,Still at home,Total,79.1,1,2,3,2020\n"
                         "Cumbria,Council,E10000006,Something new,Total,5,1,2,3,2020\n");
  auto r = ReadAscofCsv(path, "2019-20", {{"Still at home", "2B1"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->layout, "processed");
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].measure, "2B1");
  EXPECT_EQ(r->rows[0].measure_type, "Outcome");
  EXPECT_DOUBLE_EQ(r->rows[0].value, 79.1);
  EXPECT_EQ(r->rows[1].measure, "Something new");  // no code known: kept under its description
}

// Bad Council rows are problems with file, line and field; the old reader
// counted "n/a" as not published and stored the rest.
TEST_F(AscofCsvTest, BadRowsAreProblemsWithFileLineAndField) {
  const std::string path =
      Write("bad.csv", std::string(kOpenHeader) +
                           "102,Cumbria,Council,E10000006,2B1,Total,Outcome,n/a,2B1,Still at home\n"
                           "102,Cumbria,Council,10000006,2B1,Total,Outcome,83.6,2B1,Still at home\n"
                           "102,Cumbria,Council,E10000006,2B1,Total,Percent,83.6,2B1,Still at home\n"
                           "102,,Council,E10000006,2B1,,Outcome,83.6,,Still at home\n"
                           "102,Cumbria,Council,E10000006,2B1,Total\n"
                           "102,Cumbria,Council,E10000006,2B1,Total,Outcome,83.6,2B1,Still at home\n"
                           "102,Cumbria,Council,E10000006,2B1,Total,Outcome,84,2B1,Still at home\n"
                           "X,North West,Region,bad code,2B1,Total,Outcome,n/a,2B1,Still at home\n");
  auto r = ReadAscofCsv(path, "2020-21", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(
      r->problems,
      (std::vector<std::string>{
          "bad.csv:2: Measure Value: 'n/a' is not a number (expected a number, or [x], [c], [z] or NA where "
          "not published)",
          "bad.csv:3: ONS Code: '10000006' is not an ONS area code (expected a letter and 8 digits, e.g. "
          "E10000006)",
          "bad.csv:4: Measure Type: 'Percent' is not a measure type (expected Numerator, Denominator, "
          "Outcome, Base or Margin Of Error)",
          "bad.csv:5: Geographical Description: empty (expected the council's name)",
          "bad.csv:5: Disaggregation Level: empty (expected e.g. Total or 65 and over)",
          "bad.csv:5: Measure Group: empty (expected a measure code, e.g. 2B1)",
          "bad.csv:6: expected 10 fields, got 6",
          "bad.csv:8: the same year, council, measure, disaggregation and measure type as line 7 (expected "
          "one row each)",
      }));
}

TEST_F(AscofCsvTest, AProcessedFileOfAnotherYearIsAProblem) {
  const std::string path =
      Write("c.csv", std::string(kProcessedHeader) +
                         "Cumbria,Council,E10000006,Still at home,Total,79.1,1,2,3,2020\n");
  auto r = ReadAscofCsv(path, "2018-19", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->problems,
            std::vector<std::string>{"c.csv:2: Year: '2020' is not 2019, the year 2018-19 ends in (is "
                                     "this another year's file?)"});
}

// The 2019-20 processed file gives users' and carers' self-directed support
// the same description: two values for one council, neither knowable.
TEST_F(AscofCsvTest, OneDescriptionWithTwoValuesIsLeftOutNotGuessed) {
  const std::string path = Write(
      "d.csv",
      std::string(kProcessedHeader) +
          "Southend-on-Sea,Council,E06000033,Proportion who receive self-directed "
          "support,Total,67.0,1,2,3,2020\n"
          "Southend-on-Sea,Council,E06000033,Still at home,Total,80,1,2,3,2020\n"
          "Southend-on-Sea,Council,E06000033,Proportion who receive self-directed "
          "support,Total,13.5,1,2,3,2020\n"
          "Cumbria,Council,E10000006,Proportion who receive self-directed support,Total,90,1,2,3,2020\n"
          "Cumbria,Council,E10000006,Proportion who receive self-directed support,Total,90,1,2,3,2020\n");
  auto r = ReadAscofCsv(path, "2019-20", {{"Proportion who receive self-directed support", "1C1A"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->problems.empty());
  // Southend's two differing values are left out; Cumbria's exact repeat is one value.
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].measure, "Still at home");
  EXPECT_EQ(r->rows[1].ons_code, "E10000006");
  EXPECT_DOUBLE_EQ(r->rows[1].value, 90);
  EXPECT_EQ(r->ambiguous, 2);
  EXPECT_EQ(r->warnings, std::vector<std::string>{
                             "d.csv: 2 values of 'Proportion who receive self-directed support' left out: "
                             "the file gives a council two different values under this one description "
                             "(e.g. E06000033 Total at lines 2 and 4), and this layout does not say which "
                             "measure each is"});
}

// Oflog's file holds several years; --year picks one, or all are read.
TEST_F(AscofCsvTest, ReadsOflogsSeveralYears) {
  const std::string path = Write(
      "oflog.csv",
      "Financial year,Local authority code,Local authority "
      "name,Grouping,Entity_Name,Region,Measure,Code,Value,"
      "MEDIAN,MADs_from_median,rank_order\n"
      "2016-17,E06000005,Darlington,LA_Raw,Unitary Authorities,North East,\"Outcome, ASC Carer Quality of "
      "Life\",ASC1,7.6,7.6,0,desc\n"
      "2017-18,E06000005,Darlington,LA_Raw,Unitary Authorities,North East,\"Outcome, ASC Carer Quality of "
      "Life\",ASC1,,7.6,0,desc\n"
      "2018-19,E06000005,Darlington,LA_Raw,Unitary Authorities,North East,\"Outcome, ASC Carer Quality of "
      "Life\",ASC1,7.9,7.6,0,desc\n");
  auto all = ReadAscofCsv(path, "", {});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->layout, "oflog");
  EXPECT_EQ(all->missing, 1);
  ASSERT_EQ(all->rows.size(), 2u);
  EXPECT_EQ(all->rows[1].year, "2018-19");
  EXPECT_EQ(all->rows[1].ons_code, "E06000005");
  EXPECT_EQ(all->rows[1].council, "Darlington");
  EXPECT_EQ(all->rows[1].measure, "ASC1");
  EXPECT_EQ(all->rows[1].description, "Outcome, ASC Carer Quality of Life");
  EXPECT_EQ(all->rows[1].disaggregation, "Total");
  EXPECT_EQ(all->rows[1].measure_type, "Outcome");
  EXPECT_DOUBLE_EQ(all->rows[1].value, 7.9);
  auto one = ReadAscofCsv(path, "2016-17", {});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->rows.size(), 1u);
  EXPECT_DOUBLE_EQ(one->rows[0].value, 7.6);
}

TEST_F(AscofCsvTest, ReadsLgInformCouncilsNotEnglandOrRegions) {
  const std::string path =
      Write("lg.csv",
            "area_code,area_name,period,indicator,measure,unit,value\n"
            "E09000003,Barnet,2014/15,Satisfied with their care and support,Percentage,Persons,61\n"
            "E92000001,England,2014/15,Satisfied with their care and support,Percentage,Persons,64.7\n"
            "E09000003,Barnet,2015-16,Satisfied with their care and support,Percentage,Persons,62\n"
            "E09000003,Barnet,2016/17,Satisfied with their care and support,Percentage,Persons,62\n"
            "E09000003,Barnet,2016/17,Satisfied with their care and support,Percentage,Persons,63\n");
  auto r = ReadAscofCsv(path, "", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->layout, "lginform");
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].year, "2014-15");
  EXPECT_EQ(r->rows[0].measure, "Satisfied with their care and support");
  EXPECT_EQ(
      r->problems,
      (std::vector<std::string>{
          "lg.csv:4: period: '2015-16' is not a financial year (expected YYYY/YY, e.g. 2020/21)",
          "lg.csv:6: the same year, council, measure, disaggregation and measure type as line 5 (expected "
          "one row each)"}));
}

TEST_F(AscofCsvTest, ASingleYearLayoutNeedsTheYear) {
  auto r = ReadAscofCsv(Write("g.csv", std::string(kOpenHeader)), "", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "g.csv: this file gives no year (open_data layout): --year YYYY-YY is needed");
}

TEST(AscofYearTest, FinancialYears) {
  EXPECT_TRUE(IsFinancialYear("2020-21"));
  EXPECT_TRUE(IsFinancialYear("1999-00"));
  EXPECT_FALSE(IsFinancialYear("2020-22"));
  EXPECT_FALSE(IsFinancialYear("2020/21"));
  EXPECT_FALSE(IsFinancialYear("20-21"));
  EXPECT_FALSE(IsFinancialYear("202a-21"));
}

TEST_F(AscofCsvTest, RefusesOtherFiles) {
  auto r = ReadAscofCsv(Write("e.csv", "a,b\n1,2\n"), "2020-21", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.status().message(),
      "e.csv:1: not an ASCOF file (expected the columns of the NHS Digital open data (Geographical Level, "
      "ONS "
      "Code, Geographical Description, Measure Group Description, Disaggregation Level, Measure Value, ...), "
      "of Oflog's measures (Financial year, Local authority code, Local authority name, Measure, Code, "
      "Value) "
      "or of LG Inform (area_code, area_name, period, indicator, value))");
  auto empty = ReadAscofCsv(Write("f.csv", ""), "2020-21", {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "f.csv: empty file (expected a header row)");
  auto missing = ReadAscofCsv((dir_ / "none.csv").string(), "2020-21", {});
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace goldthread
