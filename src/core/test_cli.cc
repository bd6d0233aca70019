#include "core/test_cli.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace goldthread::test {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TestDir::TestDir(std::string_view prefix) {
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(prefix);
  if (info) name += std::string("_") + info->test_suite_name() + "_" + info->name();
  for (char& c : name)
    if (c == '/') c = '_';  // parameterised tests: Suite/Name/0
  // Normalised: gtest's TempDir() ends in '/', and a binary that reports a
  // path (goldthread version) prints it without the doubled slash.
  path_ = (fs::path(testing::TempDir()) / (name + "_" + std::to_string(::getpid()))).lexically_normal().string();
  std::error_code ec;
  fs::remove_all(path_, ec);
  fs::create_directories(path_);
}

TestDir::~TestDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TestDir::operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

Process::Process(const std::vector<std::string>& args, const std::string& out, const std::string& err,
                 const RunOptions& o)
    : out_(out), err_(err) {
  // Everything the child needs is made before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> argv_s = args;
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    bool removed = false;
    for (const std::string& name : o.unset) removed = removed || entry.starts_with(name + "=");
    if (!removed) env_s.emplace_back(entry);
  }
  env_s.insert(env_s.end(), o.env.begin(), o.env.end());
  std::vector<char*> envp;
  for (std::string& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string in = o.stdin_path;
  if (!o.stdin_text.empty()) {
    in = out + ".stdin";
    std::ofstream(in, std::ios::binary) << o.stdin_text;
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    int fi = ::open(in.c_str(), O_RDONLY);  // never the test's terminal
    int fo = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fi < 0 || fo < 0 || fe < 0) ::_exit(126);
    ::dup2(fi, 0);
    ::dup2(fo, 1);
    ::dup2(fe, 2);
    if (o.max_file_bytes != RLIM_INFINITY) {
      ::signal(SIGXFSZ, SIG_IGN);
      rlimit r{o.max_file_bytes, o.max_file_bytes};
      ::setrlimit(RLIMIT_FSIZE, &r);
    }
    if (!o.cwd.empty() && ::chdir(o.cwd.c_str()) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
}

Process::~Process() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

int Process::Wait() {
  int status = 0;
  if (pid_ <= 0) return -1;
  ::waitpid(pid_, &status, 0);
  reaped_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void Process::Kill() { Signal(SIGKILL); }

void Process::Signal(int signal) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal);
}

Outcome Run(const std::vector<std::string>& argv, const std::string& dir, const RunOptions& options) {
  Process p(argv, dir + "/run.out", dir + "/run.err", options);
  const int code = p.Wait();
  return {code, p.out(), p.err()};
}

std::string GoldthreadBinary() { return GOLDTHREAD_BINARY; }

Outcome RunGoldthread(const std::vector<std::string>& args, const std::string& dir,
                      const RunOptions& options) {
  std::vector<std::string> argv = {GoldthreadBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, dir, options);
}

Outcome RunGoldthread(std::string_view args, const std::string& dir, const RunOptions& options) {
  std::vector<std::string> words;
  std::istringstream in{std::string(args)};
  for (std::string w; in >> w;) words.push_back(w);
  return RunGoldthread(words, dir, options);
}

bool WaitUntil(const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace goldthread::test
