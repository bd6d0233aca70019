// Issue 9: `cmake --install BUILD --prefix P` gives a working goldthread that
// finds its built-in definitions relative to itself (P/bin/goldthread reads
// P/share/goldthread/indicators), even after P is moved, run from another
// directory; $GOLDTHREAD_INDICATORS still overrides them.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/test_cli.h"
#include "indicators/definition.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

using ShellRun = test::Outcome;
using test::Slurp;

std::set<std::string> IdsIn(const fs::path& json) {
  std::set<std::string> ids;
  const nlohmann::json doc = nlohmann::json::parse(Slurp(json));
  for (const auto& ind : doc["indicators"]) ids.insert(ind["id"].get<std::string>());
  return ids;
}

class Issue9InstallTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_ / "work"); }

  // Runs program ARGS (split at spaces) in dir_/work with
  // $GOLDTHREAD_INDICATORS unset, or set as env says ("NAME=value").
  ShellRun Sh(const std::string& program, std::string_view args, const std::string& env = "") {
    std::vector<std::string> argv = {program};
    std::istringstream words{std::string(args)};
    for (std::string w; words >> w;) argv.push_back(w);
    test::RunOptions o;
    o.cwd = (dir_ / "work").string();
    o.unset = {"GOLDTHREAD_INDICATORS"};
    if (!env.empty()) o.env = {env};
    return test::Run(argv, scratch_.path(), o);
  }

  test::TestDir scratch_{"gt_install"};  // per test and process, removed after it
  const fs::path dir_ = scratch_.path();
};

TEST_F(Issue9InstallTest, InstalledBinaryFindsItsDefinitionsRelativeToItself) {
  const fs::path prefix = dir_ / "prefix";
  ShellRun r = Sh(GOLDTHREAD_CMAKE,
                  std::string("--install ") + GOLDTHREAD_BINARY_DIR + " --prefix " + prefix.string());
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::set<std::string> source_ids, installed_files;
  for (const auto& e : fs::directory_iterator(fs::path(GOLDTHREAD_SOURCE_DIR) / "indicators"))
    if (e.path().extension() == ".toml") source_ids.insert(e.path().stem().string());
  for (const auto& e : fs::directory_iterator(prefix / "share/goldthread/indicators"))
    installed_files.insert(e.path().stem().string());
  EXPECT_EQ(installed_files, source_ids);
  ASSERT_GT(source_ids.size(), 10u);

  // Moved after installing: still found, relative to the binary.
  const fs::path moved = dir_ / "moved";
  fs::rename(prefix, moved);
  const std::string gt = (moved / "bin/goldthread").string();
  r = Sh(gt, "version");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(r.out.find('\n') + 1),
            "built-in definitions: " + (moved / "share/goldthread/indicators").string() + "\n");

  ASSERT_EQ(Sh(gt, "simulate --people 200 --months 12 --seed 1 --out council").code, 0);
  r = Sh(gt, "import council.db council");
  ASSERT_EQ(r.code, 0) << r.err;
  r = Sh(gt, "compute council.db --json all.json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(IdsIn(dir_ / "work/all.json"), source_ids);

  // $GOLDTHREAD_INDICATORS overrides the installed folder.
  fs::create_directories(dir_ / "work/mine");
  fs::copy_file(moved / "share/goldthread/indicators/requests-new.toml",
                dir_ / "work/mine/requests-new.toml");
  r = Sh(gt, "version", "GOLDTHREAD_INDICATORS=mine");
  EXPECT_EQ(r.out.substr(r.out.find('\n') + 1), "built-in definitions: mine\n");
  r = Sh(gt, "compute council.db --json mine.json", "GOLDTHREAD_INDICATORS=mine");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(IdsIn(dir_ / "work/mine.json"), std::set<std::string>{"requests-new"});

  // Without its folder, an installed binary says where it looked; it never
  // falls back to the source tree it was built from.
  fs::remove_all(moved / "share");
  r = Sh(gt, "compute council.db");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find((moved / "share/goldthread/indicators").string()), std::string::npos) << r.err;
}

// The binaries of the build tree (this test binary among them) read the
// source tree's definitions, so an edit there is seen without installing.
TEST(Issue9BuiltInDirTest, BuildTreeBinariesReadTheSourceTree) {
  const char* env = std::getenv("GOLDTHREAD_INDICATORS");
  const std::string saved = env ? env : "";
  ASSERT_EQ(::unsetenv("GOLDTHREAD_INDICATORS"), 0);
  EXPECT_EQ(fs::path(indicators::BuiltInDir()), fs::path(GOLDTHREAD_SOURCE_DIR) / "indicators");
  ASSERT_EQ(::setenv("GOLDTHREAD_INDICATORS", "elsewhere", 1), 0);
  EXPECT_EQ(indicators::BuiltInDir(), "elsewhere");
  if (env)
    ::setenv("GOLDTHREAD_INDICATORS", saved.c_str(), 1);
  else
    ::unsetenv("GOLDTHREAD_INDICATORS");
}

}  // namespace
}  // namespace goldthread
