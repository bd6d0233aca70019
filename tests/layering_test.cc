// The layering of shared/DESIGN.md section 2 and shared/STYLE_ANCHORS.md
// section 1 as a checked rule: data flows one way,
//
//   core <- model <- store/ingest <- indicators <- integrity <- planning
//        <- report <- server/cli
//
// and nothing downstream reaches back upstream. stats is pure mathematics
// beside core: it may use core only, and anything above core may use it.
// sim (the synthetic council) uses the record model and is used only by the
// front ends. Both the include graph of src/ and the link graph of the
// modules' CMakeLists.txt are checked; a violation names the file (and
// line), the include or library, and the rule it breaks.
//
// Test code (*_test.cc and test-only helper headers) may use any module: the
// end-to-end tests drive the whole program.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace goldthread {
namespace {

namespace fs = std::filesystem;

struct Module {
  std::string_view name;
  std::set<std::string_view> may_use;  // besides itself
  std::string_view rule;               // said when it is broken
};

// One row per folder of DESIGN section 2, upstream first. A module being
// written may not exist yet; its place is already fixed here.
const std::vector<Module>& Modules() {
  static const std::vector<Module> modules = {
      {"core", {}, "core is the bottom layer and uses no other module"},
      {"stats", {"core"}, "stats is pure mathematics beside core and may use core only"},
      {"model", {"core", "stats"}, "model may use only core and stats"},
      {"store",
       {"core", "stats", "model"},
       "store may use only model, core and stats (ingest feeds the store, not the reverse)"},
      {"ingest", {"core", "stats", "model", "store"}, "ingest may use only store, model, core and stats"},
      {"indicators",
       {"core", "stats", "model", "store", "ingest"},
       "indicators may use only ingest, store, model, core and stats"},
      {"integrity",
       {"core", "stats", "model", "store", "ingest", "indicators"},
       "integrity may use only indicators and the layers below it (ingest, store, model, core, stats)"},
      {"planning",
       {"core", "stats", "model", "store", "ingest", "indicators", "integrity"},
       "planning may use only integrity and the layers below it"},
      {"report",
       {"core", "stats", "model", "store", "ingest", "indicators", "integrity", "planning"},
       "report may use only planning and the layers below it"},
      {"server",
       {"core", "stats", "model", "store", "ingest", "indicators", "integrity", "planning", "report", "sim"},
       "server may use report, sim and the layers below them, never cli"},
      {"cli",
       {"core", "stats", "model", "store", "ingest", "indicators", "integrity", "planning", "report",
        "server", "sim"},
       "cli may use every module"},
      {"sim",
       {"core", "stats", "model"},
       "sim may use only model, core and stats, and only the front ends (cli, server) may use sim"},
  };
  return modules;
}

const Module* FindModule(std::string_view name) {
  for (const Module& m : Modules())
    if (m.name == name) return &m;
  return nullptr;
}

bool IsTestCode(const fs::path& file) {
  std::string name = file.filename().string();
  auto ends = [&](std::string_view s) { return name.size() >= s.size() && name.ends_with(s); };
  return ends("_test.cc") || ends("_test.h") || ends("_test_util.h") || name.starts_with("test_");
}

std::string Relative(const fs::path& root, const fs::path& p) {
  return fs::relative(p, root).generic_string();
}

/// The module `user` including or linking `used`: "" when allowed, else the
/// rule it breaks.
std::string Breaks(const Module& user, std::string_view used) {
  if (used == user.name || user.may_use.count(used)) return "";
  const Module* target = FindModule(used);
  if (target && target->name == "sim") return std::string(target->rule);
  return std::string(user.rule);
}

/// Every include of src/ that breaks the layering, as
/// "src/stats/spc.cc:7: #include \"model/snapshot.h\": stats is ...";
/// `checked` counts the includes between modules looked at.
std::vector<std::string> IncludeViolations(const fs::path& root, int* checked = nullptr) {
  std::vector<std::string> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root / "src")) {
    std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".h" || ext == ".cc")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::string rel = Relative(root, file);
    fs::path in_src = fs::relative(file, root / "src");
    std::string module_name = in_src.begin()->string();
    const Module* module = in_src.has_parent_path() ? FindModule(module_name) : nullptr;
    if (!module) {
      out.push_back(
          rel + ": " + (in_src.has_parent_path() ? "src/" + module_name : std::string("src/")) +
          " is not a module of shared/DESIGN.md section 2 (add its place to tests/layering_test.cc)");
      continue;
    }
    if (IsTestCode(file)) continue;
    std::ifstream in(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      size_t p = line.find_first_not_of(" \t");
      if (p == std::string::npos || line[p] != '#') continue;
      p = line.find_first_not_of(" \t", p + 1);
      if (p == std::string::npos || line.compare(p, 7, "include") != 0) continue;
      size_t open = line.find('"', p + 7);
      if (open == std::string::npos) continue;  // <system> include
      size_t close = line.find('"', open + 1);
      std::string path =
          line.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
      std::string where = rel + ":" + std::to_string(number) + ": #include \"" + path + "\": ";
      size_t slash = path.find('/');
      if (slash == std::string::npos) {
        out.push_back(where + "includes are written as paths from src/ (shared/STYLE_ANCHORS.md section 2)");
        continue;
      }
      std::string used = path.substr(0, slash);
      if (!FindModule(used)) {
        out.push_back(where + "'" + used + "' is not a module of shared/DESIGN.md section 2");
        continue;
      }
      if (checked && used != module->name) ++*checked;
      std::string rule = Breaks(*module, used);
      if (!rule.empty()) out.push_back(where + rule + " (shared/DESIGN.md section 2)");
    }
  }
  return out;
}

/// Every target_link_libraries() of a module's library (gt_<module>, and
/// the goldthread executable, which is cli's) that links a module's library
/// the layering forbids.
std::vector<std::string> LinkViolations(const fs::path& root, int* checked = nullptr) {
  std::vector<std::string> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root / "src"))
    if (e.is_regular_file() && e.path().filename() == "CMakeLists.txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  auto module_of_target = [](std::string_view target) -> const Module* {
    if (target == "goldthread") return FindModule("cli");
    if (!target.starts_with("gt_")) return nullptr;
    return FindModule(target.substr(3));
  };
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    const std::string call = "target_link_libraries(";
    for (size_t at = text.find(call); at != std::string::npos; at = text.find(call, at + call.size())) {
      size_t end = text.find(')', at);
      if (end == std::string::npos) break;
      std::istringstream args(text.substr(at + call.size(), end - at - call.size()));
      std::string target, lib;
      args >> target;
      const Module* module = module_of_target(target);
      if (!module) continue;  // a test or benchmark executable may link anything
      int line = 1 + static_cast<int>(
                         std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
      while (args >> lib) {
        if (!lib.starts_with("gt_") || lib == "gt_options") continue;
        const Module* used = FindModule(std::string_view{lib}.substr(3));
        if (!used) continue;
        if (checked) ++*checked;
        std::string rule = Breaks(*module, used->name);
        if (!rule.empty())
          out.push_back(Relative(root, file) + ":" + std::to_string(line) + ": " + target + " links " + lib +
                        ": " + rule + " (shared/DESIGN.md section 2)");
      }
    }
  }
  return out;
}

std::string Lines(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += x + "\n";
  return s;
}

// The checked counts guard against a checker that silently reads nothing
// (there were 146 includes across modules and 27 module links when this
// was written).
TEST(LayeringTest, IncludesOfSrcFollowTheDesign) {
  int checked = 0;
  std::vector<std::string> v = IncludeViolations(GOLDTHREAD_SOURCE_DIR, &checked);
  EXPECT_TRUE(v.empty()) << Lines(v);
  EXPECT_GT(checked, 100) << checked;
}

TEST(LayeringTest, ModuleLibrariesLinkOnlyDownstream) {
  int checked = 0;
  std::vector<std::string> v = LinkViolations(GOLDTHREAD_SOURCE_DIR, &checked);
  EXPECT_TRUE(v.empty()) << Lines(v);
  EXPECT_GT(checked, 20) << checked;
}

// The checker itself, on a made-up tree that breaks each rule once.
class LayeringCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::path(::testing::TempDir()) / ("gt_layering_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

TEST_F(LayeringCheckerTest, NamesFileLineIncludeAndRule) {
  Write("src/stats/spc.cc",
        "#include \"stats/spc.h\"\n\n#include <vector>\n#include \"core/date.h\"\n"
        "  #  include \"model/snapshot.h\"\n");
  Write("src/store/store.cc", "#include \"ingest/csv.h\"\n");
  Write("src/integrity/jump.cc", "#include \"sim/simulator.h\"\n#include \"report/svg_spc.h\"\n");
  Write("src/planning/plan.cc",
        "#include \"integrity/finding.h\"\n#include \"plan.h\"\n#include \"carers/hub.h\"\n");
  Write("src/server/routes.cc",
        "#include \"cli/commands.h\"\n#include \"report/html.h\"\n#include \"sim/simulator.h\"\n");
  Write("src/cli/main.cc", "#include \"server/server.h\"\n");
  Write("src/core/date_test.cc", "#include \"cli/commands.h\"\n");  // tests may use anything
  Write("src/integrity/test_builder.h", "#include \"sim/simulator.h\"\n");
  Write("src/carers/hub.cc", "#include \"core/date.h\"\n");
  std::vector<std::string> expected = {
      "src/carers/hub.cc: src/carers is not a module of shared/DESIGN.md section 2 (add its place to "
      "tests/layering_test.cc)",
      "src/integrity/jump.cc:1: #include \"sim/simulator.h\": sim may use only model, core and stats, and "
      "only the "
      "front ends (cli, server) may use sim (shared/DESIGN.md section 2)",
      "src/integrity/jump.cc:2: #include \"report/svg_spc.h\": integrity may use only indicators and the "
      "layers "
      "below it (ingest, store, model, core, stats) (shared/DESIGN.md section 2)",
      "src/planning/plan.cc:2: #include \"plan.h\": includes are written as paths from src/ "
      "(shared/STYLE_ANCHORS.md section 2)",
      "src/planning/plan.cc:3: #include \"carers/hub.h\": 'carers' is not a module of shared/DESIGN.md "
      "section 2",
      "src/server/routes.cc:1: #include \"cli/commands.h\": server may use report, sim and the layers below "
      "them, "
      "never cli (shared/DESIGN.md section 2)",
      "src/stats/spc.cc:5: #include \"model/snapshot.h\": stats is pure mathematics beside core and may use "
      "core "
      "only (shared/DESIGN.md section 2)",
      "src/store/store.cc:1: #include \"ingest/csv.h\": store may use only model, core and stats (ingest "
      "feeds the "
      "store, not the reverse) (shared/DESIGN.md section 2)",
  };
  int checked = 0;
  EXPECT_EQ(IncludeViolations(root_, &checked), expected);
  EXPECT_EQ(checked, 10);  // every include between modules outside the test files, the broken ones too
}

TEST_F(LayeringCheckerTest, LinkGraphNamesTargetAndLibrary) {
  Write("src/stats/CMakeLists.txt",
        "add_library(gt_stats spc.cc)\ntarget_link_libraries(gt_stats PUBLIC gt_core "
        "PRIVATE Boost::headers)\n");
  Write("src/model/CMakeLists.txt",
        "add_library(gt_model a.cc)\n\ntarget_link_libraries(gt_model\n  PUBLIC gt_core "
        "gt_options\n  PRIVATE gt_store)\n");
  Write("src/cli/CMakeLists.txt",
        "target_link_libraries(gt_cli PRIVATE gt_server gt_sim)\n"
        "target_link_libraries(goldthread PRIVATE gt_cli gt_options)\n");
  Write("src/report/CMakeLists.txt",
        "target_link_libraries(gt_report PUBLIC gt_stats gt_cli)\n"
        "target_link_libraries(gt_report_tests PRIVATE gt_cli)\n");
  std::vector<std::string> expected = {
      "src/model/CMakeLists.txt:3: gt_model links gt_store: model may use only core and stats "
      "(shared/DESIGN.md "
      "section 2)",
      "src/report/CMakeLists.txt:1: gt_report links gt_cli: report may use only planning and the layers "
      "below it "
      "(shared/DESIGN.md section 2)",
  };
  EXPECT_EQ(LinkViolations(root_), expected);
}

}  // namespace
}  // namespace goldthread
