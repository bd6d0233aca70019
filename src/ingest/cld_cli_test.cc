// End-to-end: the built binary's `import --format cld`, `export --format
// cld`, `simulate --format cld`, and what `compute` says of a CLD-only store.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "ingest/cld_format.h"
#include "ingest/cld_mapping.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path, std::ios::binary).rdbuf();
  return s.str();
}

class CldCliTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "/cld_cli_" + testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
            std::to_string(::getpid());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  Outcome Goldthread(const std::string& args) {
    const std::string out = root_ + "/stdout", err = root_ + "/stderr";
    const int status = std::system((std::string(GOLDTHREAD_BINARY) + " " + args + " >" + out + " 2>" + err).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  }
  std::string root_;
};

TEST_F(CldCliTest, WriteMappingWritesTheBuiltInMapping) {
  Outcome r = Goldthread("import --format cld --write-mapping " + root_ + "/m.toml");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote the built-in CLD mapping to " + root_ + "/m.toml\n");
  EXPECT_EQ(Slurp(root_ + "/m.toml"), std::string(DefaultCldMappingText()));
  EXPECT_EQ(Goldthread("import --format cld").code, 2);
  EXPECT_EQ(Goldthread("import --format cld --write-mapping " + root_ + "/x.toml " + root_ + "/s.db").code, 2);
}

TEST_F(CldCliTest, ASimulatedReturnImportsAndComputeSaysWhatItCannotCompute) {
  Outcome sim = Goldthread("simulate --people 300 --months 12 --start 2024-04 --seed 3 --format cld --out " + root_ +
                           "/sim");
  ASSERT_EQ(sim.code, 0) << sim.err;
  const std::string header = Slurp(root_ + "/sim/cld.csv").substr(0, 40);
  EXPECT_EQ(header, "LA_Code,Reporting_Period_Start_Date,Repo");
  const std::string store = root_ + "/s.db";
  Outcome imported = Goldthread("import " + store + " " + root_ + "/sim/cld.csv --format cld");
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_NE(imported.out.find(" CLD rows: "), std::string::npos) << imported.out;
  // A CLD-only store: no visits, so intensive-home-care says so, with no series.
  Outcome c = Goldthread("compute " + store + " --by quarter --json " + root_ + "/c.json");
  ASSERT_EQ(c.code, 0) << c.err;
  nlohmann::json j = nlohmann::json::parse(Slurp(root_ + "/c.json"), nullptr, false);
  ASSERT_TRUE(j.is_object());
  int checked = 0;
  for (const auto& ind : j["indicators"]) {
    if (ind["id"] == "intensive-home-care") {
      EXPECT_EQ(ind["unavailable"],
                "needs visits records, which this store does not hold (no import has supplied visits.csv)");
      EXPECT_TRUE(ind["series"].empty());
      ++checked;
    }
    if (ind["id"] == "requests-new") {
      EXPECT_FALSE(ind.contains("unavailable"));
      EXPECT_FALSE(ind["series"].empty());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2);
  Outcome table = Goldthread("compute " + store + " --by quarter");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("  cannot be computed from this store: needs visits records"), std::string::npos);
  // With its populations.csv the care-home admission rate can be computed.
  fs::create_directories(root_ + "/pop");
  fs::copy_file(root_ + "/sim/populations.csv", root_ + "/pop/populations.csv");
  ASSERT_EQ(Goldthread("import " + store + " " + root_ + "/pop").code, 0);
  ASSERT_EQ(Goldthread("compute " + store + " --by quarter --json " + root_ + "/c2.json").code, 0);
  j = nlohmann::json::parse(Slurp(root_ + "/c2.json"), nullptr, false);
  for (const auto& ind : j["indicators"]) {
    if (ind["id"] == "care-home-admissions-65") {
      EXPECT_FALSE(ind.contains("unavailable"));
    }
  }
  // The report lists them too.
  Outcome report = Goldthread("report " + store + " --audience management --out " + root_ + "/r.html");
  ASSERT_EQ(report.code, 0) << report.err;
  const std::string html = Slurp(root_ + "/r.html");
  EXPECT_NE(html.find("Indicators this store cannot show"), std::string::npos);
  EXPECT_NE(html.find("intensive-home-care"), std::string::npos);
}

TEST_F(CldCliTest, ExportWritesEveryReleaseOneColumnAndCountsWhatItCannotWrite) {
  Outcome sim = Goldthread("simulate --people 200 --months 12 --start 2024-04 --seed 4 --out " + root_ + "/sim");
  ASSERT_EQ(sim.code, 0) << sim.err;
  const std::string store = root_ + "/s.db";
  ASSERT_EQ(Goldthread("import " + store + " " + root_ + "/sim").code, 0);
  Outcome r = Goldthread("export " + store + " --format cld --out " + root_ + "/out");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("not written: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" visits records (CLD has no place for them)"), std::string::npos) << r.out;
  const std::string text = Slurp(root_ + "/out/cld.csv");
  const std::string header = text.substr(0, text.find('\n'));
  std::string want;
  for (int c = 0; c < kCldColumnCount; ++c) want += (c ? "," : "") + std::string(CldColumnName(static_cast<CldCol>(c)));
  EXPECT_EQ(header, want);
  Outcome bad = Goldthread("export " + store + " --format pdf --out " + root_ + "/x");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "goldthread export: --format 'pdf' is not a format (expected one of csv xlsx cld)\n");
  EXPECT_EQ(Goldthread("export " + store).code, 2);
}

}  // namespace
}  // namespace goldthread
