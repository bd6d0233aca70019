#include "cli/cli_util.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "core/period.h"

namespace goldthread::cli {

int ParseArgs(CLI::App& app, const Args& args) {
  // CLI11 wants the arguments in reverse order when given as a vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::cerr << "goldthread " << app.get_name() << ": " << e.what() << "\n"
              << "Run 'goldthread " << app.get_name() << " --help' for usage.\n";
    return kExitUsage;
  }
  return -1;
}

bool CheckOutputs(std::string_view command, const std::vector<OutputOption>& outputs,
                  const ProtectedFiles& protect) {
  ProtectedFiles seen = protect;  // the outputs already checked join the protected files
  for (const auto& [flag, path] : outputs) {
    if (path.empty() || path == "-") continue;
    if (Status s = seen.Check(path); !s.ok()) {
      std::cerr << "goldthread " << command << ": " << flag << " " << s.message() << "\n";
      return false;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::cerr << "goldthread " << command << ": " << flag << " '" << path << "' is a directory (expected a file name)\n";
      return false;
    }
    seen.Add(path, "the " + std::string(flag) + " output");
  }
  return true;
}

void ProtectDirectory(ProtectedFiles& protect, const std::string& dir, std::string_view ext, const std::string& what) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().ends_with(ext)) protect.Add(it->path().string(), what);
}

bool CheckWindow(std::string_view command, Date from_month, Date to_month) {
  if (from_month == kNullDate || to_month == kNullDate) return true;
  const std::string window = "--from " + FormatMonth(from_month) + " to --to " + FormatMonth(to_month);
  if (to_month < from_month) {
    std::cerr << "goldthread " << command << ": " << window << " is backwards (expected --from on or before --to)\n";
    return false;
  }
  if (const int64_t n = MonthsBetween(from_month, to_month); n > kMaxWindowMonths) {
    std::cerr << "goldthread " << command << ": " << window << " is " << n << " months (expected at most "
              << kMaxWindowMonths << ", " << kMaxWindowMonths / 12 << " years)\n";
    return false;
  }
  return true;
}

bool WriteOutput(std::string_view command, const std::string& path, const std::string& text,
                 const ProtectedFiles& protect) {
  if (path == "-") {
    std::cout << text;
    return true;
  }
  if (Status s = WriteOutputFile(path, text, protect); !s.ok()) {
    std::cerr << "goldthread " << command << ": " << s.message() << "\n";
    return false;
  }
  return true;
}

}  // namespace goldthread::cli
