// Where the built-in definitions are: BuiltInDir() of definition.h.
//
// An installed goldthread finds them relative to itself, so an installed
// tree can be moved: <prefix>/bin/goldthread reads
// <prefix>/share/goldthread/indicators (the relative path from the install's
// bin to its data folder is fixed at configure time, GNUInstallDirs). A
// binary of the build tree (goldthread, the tests, the benchmarks) has no
// such folder beside it and reads the source tree's indicators/, so an edit
// there is seen without installing; a binary outside the build tree never
// does. The executable is read from /proc/self/exe (Linux, the platform the
// project targets).

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "indicators/definition.h"

namespace goldthread::indicators {
namespace {

namespace fs = std::filesystem;

fs::path Executable() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : p;
}

// Whether path lies inside dir (both made absolute, symbolic links resolved).
bool IsWithin(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec), d = fs::weakly_canonical(dir, ec);
  if (ec) return false;
  auto [d_end, p_at] = std::mismatch(d.begin(), d.end(), p.begin(), p.end());
  return d_end == d.end();
}

}  // namespace

std::string BuiltInDir() {
  if (const char* env = std::getenv("GOLDTHREAD_INDICATORS")) return env;
  const fs::path exe = Executable();
  if (exe.empty()) return GOLDTHREAD_SOURCE_INDICATORS_DIR;
  const fs::path installed = (exe.parent_path() / GOLDTHREAD_INSTALLED_INDICATORS_DIR).lexically_normal();
  std::error_code ec;
  if (fs::is_directory(installed, ec)) return installed.string();
  if (IsWithin(exe, GOLDTHREAD_BUILD_DIR)) return GOLDTHREAD_SOURCE_INDICATORS_DIR;
  return installed.string();  // missing: loading it says which folder was looked for
}

}  // namespace goldthread::indicators
