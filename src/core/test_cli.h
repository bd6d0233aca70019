#pragma once
// Test helpers for the end-to-end tests, which run the built goldthread (or
// another program) in a process of its own: a folder per test and per
// process, the program's exit status and output, and a process started in
// the background for tests of two users at once. One copy for every test
// (the run-the-binary helper was copied into five test files).
//
// Test code only (tests/layering_test.cc: a file named test_*); it reads
// GOLDTHREAD_BINARY, defined for the test binary.

#include <sys/resource.h>
#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace goldthread::test {

/// The whole of a file ("" when it cannot be read).
std::string Slurp(const std::string& path);

/// A folder of this test's own, emptied and created:
/// TempDir()/PREFIX_SUITE_TEST_PID. ctest runs every test as a process of
/// its own, two at a time, and other clones may run the same tests on the
/// machine (/tmp is shared), so a fixed name collides. Removed by the
/// destructor (the fixture's TearDown).
class TestDir {
 public:
  explicit TestDir(std::string_view prefix);
  ~TestDir();
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;
  const std::string& path() const { return path_; }
  /// path() + "/" + name.
  std::string operator/(std::string_view name) const;

 private:
  std::string path_;
};

/// What a finished process did.
struct Outcome {
  int code = -1;  // its exit status, or 128 + the signal that ended it
  std::string out, err;
};

struct RunOptions {
  std::vector<std::string> env;          // "NAME=value", added to ours
  std::vector<std::string> unset;        // names taken out of ours
  std::string stdin_text;                // its standard input (none: stdin_path)
  std::string stdin_path = "/dev/null";  // read as its standard input when stdin_text is empty
  std::string cwd;                       // its working folder (none: ours)
  /// A full disk as the process sees it: writes past this many bytes fail
  /// (EFBIG) instead of raising SIGXFSZ.
  rlim_t max_file_bytes = RLIM_INFINITY;
};

/// A program running in the background, its standard output and error in
/// files. argv[0] is the program's path. Killed (SIGKILL) and reaped by the
/// destructor if still running.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::string& out, const std::string& err,
          const RunOptions& options = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  /// Waits for it to end: its exit status, or 128 + its signal.
  int Wait();
  void Kill();
  /// Sends it a signal (SIGINT: as ^C does).
  void Signal(int signal);
  std::string out() const { return Slurp(out_); }
  std::string err() const { return Slurp(err_); }

 private:
  std::string out_, err_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

/// Runs argv to its end (no shell), keeping its output in dir/run.out and
/// dir/run.err.
Outcome Run(const std::vector<std::string>& argv, const std::string& dir, const RunOptions& options = {});
/// Runs the built goldthread with args.
Outcome RunGoldthread(const std::vector<std::string>& args, const std::string& dir,
                      const RunOptions& options = {});
/// The same with args split at spaces (no shell and no quoting: paths with
/// spaces need the vector form).
Outcome RunGoldthread(std::string_view args, const std::string& dir, const RunOptions& options = {});

/// The built goldthread (GOLDTHREAD_BINARY).
std::string GoldthreadBinary();

/// Polls done() every 5 ms for at most two minutes: waits on a condition
/// another process makes true, never on a guess of its timing.
bool WaitUntil(const std::function<bool()>& done);

}  // namespace goldthread::test
