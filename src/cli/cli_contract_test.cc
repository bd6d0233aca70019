// Contracts every command keeps (shared/DESIGN.md section 10 and
// docs/store.md), checked over the commands `goldthread help` lists, so a
// new command is held to them too:
// - standard output that cannot be written (a full disk) is exit 1 with a
//   message, never exit 0 with the output cut short;
// - a command that takes a STORE waits for another process's hold on it
//   (--wait SECONDS) and exits 75 when it stays busy, through cli/cli_store.h.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/test_cli.h"

namespace goldthread {
namespace {

TEST(CliOutputTest, StandardOutputThatCannotBeWrittenIsAFailure) {
  const test::TestDir dir("cli_output");
  const std::string series = dir / "series.csv";
  std::ofstream(series) << "x,y\n1,10\n2,11\n3,9\n4,10\n5,12\n6,9\n7,11\n8,10\n9,9\n10,11\n11,10\n12,12\n";
  const std::string full =
      "goldthread: could not write standard output (No space left on device); the output is incomplete\n";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"version"}, {"spc", series}, {"spc", series, "--json", "-"}}) {
    SCOPED_TRACE(args.back());
    std::vector<std::string> argv = {test::GoldthreadBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    test::Process to_full(argv, "/dev/full", dir / "err");
    EXPECT_EQ(to_full.Wait(), 1);
    EXPECT_EQ(to_full.err(), full);
    // The same to a file is fine.
    test::Outcome ok = test::RunGoldthread(args, dir.path());
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_EQ(ok.err, "");
  }
}

// An option out of range is a usage error (exit 2) in the demo as in
// simulate (the demo said 1, as if a file were bad).
TEST(CliContractTest, AnOptionOutOfRangeIsAUsageError) {
  const test::TestDir dir("cli_contract");
  const test::Outcome demo =
      test::RunGoldthread({"demo", "--people", "5", "--no-serve", "--dir", dir / "demo"}, dir.path());
  EXPECT_EQ(demo.code, 2);
  EXPECT_EQ(demo.err, "goldthread demo: --people must be at least 100 (got 5)\n");
  const test::Outcome sim =
      test::RunGoldthread({"simulate", "--people", "5", "--out", dir / "sim"}, dir.path());
  EXPECT_EQ(sim.code, 2);
  EXPECT_EQ(sim.err, "goldthread simulate: --people must be at least 100 (got 5)\n");
}

// "import", "benchmark import", ...: every command and subcommand, as their
// usage messages name them.
std::vector<std::string> Commands(const std::string& dir) {
  std::vector<std::string> out;
  std::istringstream help(test::RunGoldthread("help", dir).out);
  std::vector<std::string> names;
  for (std::string line; std::getline(help, line);)
    if (line.starts_with("  ") && line.size() > 2 && line[2] != ' ')
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
  for (const std::string& name : names) {
    // A command with subcommands names them in its usage: "goldthread user
    // add ...", "goldthread benchmark import|check|funnel ...". (--help:
    // a bare `goldthread demo` would run the demo.)
    const test::Outcome bare = test::RunGoldthread(name + " --help", dir);
    std::set<std::string> subs;
    const std::string usage = bare.out + bare.err, lead = "goldthread " + name + " ";
    for (size_t at = usage.find(lead); at != std::string::npos; at = usage.find(lead, at + 1)) {
      std::istringstream words(
          usage.substr(at + lead.size(), usage.find_first_of(" \n", at + lead.size()) - at - lead.size()));
      for (std::string w; std::getline(words, w, '|');)
        if (!w.empty() && w[0] >= 'a' && w[0] <= 'z' &&
            w.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string::npos)
          subs.insert(w);
    }
    if (subs.empty()) out.push_back(name);
    for (const std::string& sub : subs) out.push_back(name + " " + sub);
  }
  return out;
}

TEST(CliContractTest, EveryCommandWithAStoreWaitsForIt) {
  const test::TestDir dir("cli_contract");
  std::set<std::string> with_store;
  for (const std::string& command : Commands(dir.path())) {
    SCOPED_TRACE(command);
    const test::Outcome help = test::RunGoldthread(command + " --help", dir.path());
    ASSERT_EQ(help.code, 0) << help.err;
    if (help.out.find("\n  STORE ") == std::string::npos) continue;
    with_store.insert(command);
    EXPECT_NE(help.out.find("--wait"), std::string::npos) << help.out;
  }
  EXPECT_EQ(with_store,
            (std::set<std::string>{"added-value", "audit-log", "benchmark check", "benchmark funnel",
                                   "benchmark import", "casework", "check", "compute", "costs", "hub",
                                   "import", "plan load", "plan show", "plan trace", "plan units",
                                   "plan versions", "report", "scorecard", "serve", "story add", "story list",
                                   "user add", "user disable", "user enable", "user list", "user password"}));
}

}  // namespace
}  // namespace goldthread
