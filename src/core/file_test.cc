#include "core/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/test_cli.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

class FileTest : public testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  void Make(const std::string& name, const std::string& text) const { std::ofstream(Path(name)) << text; }
  static std::string Slurp(const std::string& path) { return test::Slurp(path); }
  /// Names in the directory (to see that no temporary file is left).
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  test::TestDir scratch_{"file_test"};  // per test and process, removed after it
  const std::string dir_ = scratch_.path();
};

TEST_F(FileTest, OpensARegularFileAndASymlinkToOne) {
  Make("a.csv", "x,y\n");
  fs::create_symlink(Path("a.csv"), Path("link.csv"));
  Result<InputFile> f = OpenInputFile(Path("link.csv"));
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->size(), 4);
  Result<std::string> text = ReadInputFile(Path("link.csv"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "x,y\n");
}

TEST_F(FileTest, RefusesWhatIsNotARegularFile) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", Path("zero.csv"));
  struct Case {
    std::string path, message;
  };
  const Case cases[] = {
      {dir_, "'" + dir_ + "' is a directory (expected a regular file)"},
      {Path("fifo"), "'" + Path("fifo") + "' is a FIFO (named pipe) (expected a regular file)"},
      {"/dev/zero", "'/dev/zero' is a character device (expected a regular file)"},
      {Path("zero.csv"), "'" + Path("zero.csv") + "' is a character device (expected a regular file)"},
      {Path("none.csv"), "cannot open '" + Path("none.csv") + "': No such file or directory"},
  };
  for (const Case& c : cases) {
    Result<InputFile> f = OpenInputFile(c.path);
    ASSERT_FALSE(f.ok()) << c.path;
    EXPECT_EQ(f.status().message(), c.message);
    Result<std::string> text = ReadInputFile(c.path);  // returns at once: never blocks on the FIFO
    ASSERT_FALSE(text.ok()) << c.path;
    EXPECT_EQ(text.status().message(), c.message);
  }
}

TEST_F(FileTest, ReadInputFileRefusesAFileOverItsLimit) {
  Make("big.toml", std::string(1000, 'x'));
  Result<std::string> text = ReadInputFile(Path("big.toml"), 999);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(), "'" + Path("big.toml") + "' is 1000 bytes (expected at most 999)");
  EXPECT_TRUE(ReadInputFile(Path("big.toml"), 1000).ok());
  Make("empty.toml", "");
  Result<std::string> empty = ReadInputFile(Path("empty.toml"));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST_F(FileTest, ProtectedFilesAreFoundByIdentityAndByPath) {
  Make("s.db", "store");
  Make("in.csv", "input");
  fs::create_hard_link(Path("s.db"), Path("hard.db"));
  fs::create_symlink(Path("in.csv"), Path("sym.csv"));
  ProtectedFiles p;
  p.AddStore(Path("s.db"));
  p.Add(Path("in.csv"), "an input file");
  const std::string tail = ", which an output must not replace (expected another file name)";
  struct Case {
    std::string output, message;
  };
  const Case cases[] = {
      {Path("s.db"), "'" + Path("s.db") + "' is the store '" + Path("s.db") + "'" + tail},
      {Path("hard.db"), "'" + Path("hard.db") + "' is the store '" + Path("s.db") + "'" + tail},
      {dir_ + "/./s.db", "'" + dir_ + "/./s.db' is the store '" + Path("s.db") + "'" + tail},
      // Not created yet, so found by its resolved path.
      {Path("s.db-wal"),
       "'" + Path("s.db-wal") + "' is the store's write-ahead log '" + Path("s.db-wal") + "'" + tail},
      {Path("s.db-journal"),
       "'" + Path("s.db-journal") + "' is the store's journal '" + Path("s.db-journal") + "'" + tail},
      {Path("sym.csv"), "'" + Path("sym.csv") + "' is an input file '" + Path("in.csv") + "'" + tail},
  };
  for (const Case& c : cases) {
    Status s = p.Check(c.output);
    EXPECT_EQ(s.message(), c.message) << c.output;
    Result<OutputFile> out = OutputFile::Open(c.output, p);
    EXPECT_FALSE(out.ok());
  }
  EXPECT_TRUE(p.Check(Path("rejects.csv")).ok());
  EXPECT_EQ(Slurp(Path("s.db")), "store");
  EXPECT_EQ(Slurp(Path("in.csv")), "input");
}

TEST_F(FileTest, RelativeAndAbsolutePathsOfOneFileAreTheSame) {
  Make("s.db", "store");
  ProtectedFiles p;
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  p.AddStore("s.db");
  Status wal = p.Check(Path("s.db-wal"));
  fs::current_path(cwd);
  EXPECT_FALSE(wal.ok());
  EXPECT_FALSE(p.Check(Path("s.db")).ok());
}

TEST_F(FileTest, AnOutputAppearsWholeOnCommitAndNotAtAllWithout) {
  Make("out.json", "old");
  {
    Result<OutputFile> out = OutputFile::Open(Path("out.json"), {});
    ASSERT_TRUE(out.ok()) << out.status().message();
    out->Write("new ");
    EXPECT_EQ(Slurp(Path("out.json")), "old");  // untouched while writing
    EXPECT_EQ(Names().size(), 2u);              // out.json and the temporary file
    // Destroyed without Commit: as if never opened.
  }
  EXPECT_EQ(Slurp(Path("out.json")), "old");
  EXPECT_EQ(Names(), std::vector<std::string>{"out.json"});

  ASSERT_TRUE(WriteOutputFile(Path("out.json"), "new text").ok());
  EXPECT_EQ(Slurp(Path("out.json")), "new text");
  ASSERT_TRUE(WriteOutputFile(Path("fresh.json"), "fresh").ok());
  EXPECT_EQ(Slurp(Path("fresh.json")), "fresh");
  EXPECT_EQ(Names(), (std::vector<std::string>{"fresh.json", "out.json"}));
}

TEST_F(FileTest, AnExistingOutputKeepsItsModeAndASymlinkIsFollowed) {
  Make("target.json", "old");
  ::chmod(Path("target.json").c_str(), 0640);
  fs::create_symlink(Path("target.json"), Path("link.json"));
  ASSERT_TRUE(WriteOutputFile(Path("link.json"), "new").ok());
  EXPECT_TRUE(fs::is_symlink(Path("link.json")));
  EXPECT_EQ(Slurp(Path("target.json")), "new");
  struct stat st;
  ASSERT_EQ(::stat(Path("target.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(FileTest, DevicesAreWrittenInPlaceAndDirectoriesRefused) {
  ASSERT_TRUE(WriteOutputFile("/dev/null", "gone").ok());
  struct stat st;
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));  // still the device, never replaced by a file
  Status s = WriteOutputFile(dir_, "x");
  EXPECT_EQ(s.message(), "'" + dir_ + "' is a directory (expected a file name)");
  Status missing = WriteOutputFile(Path("no/such/dir/out.json"), "x");
  EXPECT_EQ(missing.message(), "cannot write '" + Path("no/such/dir/out.json") + "': No such file or directory");
}

// A process stopped by a signal while writing: the target as it was, no
// temporary file left, and the process still dies of the signal.
TEST_F(FileTest, AWriterStoppedByASignalLeavesNoTemporaryFile) {
  Make("out.json", "old");
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    SCOPED_TRACE(sig);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Result<OutputFile> out = OutputFile::Open(Path("out.json"), {});
      Result<OutputFile> other = OutputFile::Open(Path("other.json"), {});
      if (!out.ok() || !other.ok()) ::_exit(3);
      out->Write(std::string(1 << 20, 'x'));
      ::raise(sig);
      ::_exit(4);  // not reached: the signal ends the process
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    EXPECT_EQ(WTERMSIG(status), sig);
    EXPECT_EQ(Slurp(Path("out.json")), "old");
    EXPECT_EQ(Names(), std::vector<std::string>{"out.json"});
  }
}

// Killed outright, a writer leaves its temporary file; the next writer of
// the same target removes it once its process is gone, and leaves a live
// writer's and other targets' alone.
TEST_F(FileTest, AKilledWritersTemporaryFileIsRemovedByTheNextOpen) {
  const pid_t gone = ::fork();
  ASSERT_GE(gone, 0);
  if (gone == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  const std::string dead = ".out.json.tmp-" + std::to_string(gone) + "-0";
  const std::string live = ".out.json.tmp-" + std::to_string(::getpid()) + "-999";
  Make(dead, "half");
  Make(live, "busy");
  Make(".other.json.tmp-" + std::to_string(gone) + "-0", "not ours");
  Make(".out.json.tmp-x-0", "not a writer's name");
  ASSERT_TRUE(WriteOutputFile(Path("out.json"), "whole").ok());
  EXPECT_EQ(Slurp(Path("out.json")), "whole");
  std::vector<std::string> left{live, ".other.json.tmp-" + std::to_string(gone) + "-0", ".out.json.tmp-x-0",
                                "out.json"};
  std::sort(left.begin(), left.end());
  EXPECT_EQ(Names(), left);
}

}  // namespace
}  // namespace goldthread
