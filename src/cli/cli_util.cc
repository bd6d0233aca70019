#include "cli/cli_util.h"

#include <algorithm>
#include <fstream>
#include <iostream>

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

bool WriteOutput(std::string_view command, const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "goldthread " << command << ": cannot write '" << path << "'\n";
    return false;
  }
  return true;
}

}  // namespace goldthread::cli
