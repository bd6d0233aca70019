#include "integrity/published.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace goldthread::integrity {
namespace {

namespace fs = std::filesystem;

class IntegrityPublishedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gt_published_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "store.db").close();  // an (empty) SQLite file
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

constexpr const char* kOpenData =
    "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure Code,Disaggregation "
    "Level,Measure Type,Measure Value,Measure Group,Measure Group Description\n"
    "102,Cumbria,Council,E10000006,2B1,Total,Outcome,83.6,2B1,Still at home\n"
    "102,Cumbria,Council,E10000006,2B1,Total,Numerator,107,2B1,Still at home\n"
    "102,Cumbria,Council,E10000006,2B1,Total,Denominator,128,2B1,Still at home\n"
    "102,Cumbria,Council,E10000006,1A,Total,Outcome,[x],1A,Quality of life\n"
    "1,\"Bournemouth, Christchurch and Poole\",Council,E06000058,2B1,Total,Outcome,80,2B1,Still at home\n"
    "X,North West,Region,E12000002,2B1,Total,Outcome,81,2B1,Still at home\n";

TEST_F(IntegrityPublishedTest, ImportsOpenDataAndPivots) {
  auto store = PublishedStore::Open((dir_ / "store.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto r = (*store)->ImportCsv(Write("a.csv", kOpenData), "2020-21");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->layout, "open_data");
  EXPECT_EQ(r->rows_read, 6);
  EXPECT_EQ(r->values_stored, 4);
  EXPECT_EQ(r->missing, 1);
  auto values = (*store)->Values();
  ASSERT_TRUE(values.ok());
  ASSERT_EQ(values->size(), 2u);
  const PublishedValue& cumbria = (*values)[1];
  EXPECT_EQ(cumbria.ons_code, "E10000006");
  EXPECT_EQ(cumbria.measure, "2B1");
  EXPECT_DOUBLE_EQ(cumbria.outcome, 83.6);
  EXPECT_DOUBLE_EQ(cumbria.numerator, 107);
  EXPECT_DOUBLE_EQ(cumbria.denominator, 128);
  EXPECT_EQ((*values)[0].council, "Bournemouth, Christchurch and Poole");
}

TEST_F(IntegrityPublishedTest, ProcessedLayoutMapsKnownDescriptionsToCodes) {
  auto store = PublishedStore::Open((dir_ / "store.db").string());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->ImportCsv(Write("a.csv", kOpenData), "2020-21").ok());
  auto r = (*store)->ImportCsv(
      Write("b.csv",
            "Geographical Description,Geographical Level,ONS Code,Measure Group Description,Disaggregation Level,"
            "Measure Value,IMD - Average rank ,Annual Pay Mean,Population,Year\n"
            "Cumbria,Council,E10000006,Still at home,Total,79.1,1,2,3,2020\n"),
      "2019-20");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->layout, "processed");
  auto values = (*store)->Values();
  ASSERT_TRUE(values.ok());
  ASSERT_EQ(values->size(), 3u);
  EXPECT_EQ((*values)[1].year, "2019-20");
  EXPECT_EQ((*values)[1].measure, "2B1");
  EXPECT_DOUBLE_EQ((*values)[1].outcome, 79.1);
}

TEST_F(IntegrityPublishedTest, RefusesOtherFilesAndMissingStores) {
  auto missing = PublishedStore::Open((dir_ / "nope.db").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "store '" + (dir_ / "nope.db").string() + "' does not exist (run 'goldthread import " +
                (dir_ / "nope.db").string() + " DIR' first)");
  auto store = PublishedStore::Open((dir_ / "store.db").string());
  ASSERT_TRUE(store.ok());
  auto r = (*store)->ImportCsv(Write("c.csv", "a,b\n1,2\n"), "2020-21");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("c.csv:1: not an ASCOF file", 0), 0u);
}

}  // namespace
}  // namespace goldthread::integrity
