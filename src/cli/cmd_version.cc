#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"

namespace goldthread::cli {

int CmdVersion(const Args& args) {
  CLI::App app{"Print the goldthread version.", "version"};
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  std::cout << "goldthread " << GOLDTHREAD_VERSION << "\n";
  return kExitOk;
}

}  // namespace goldthread::cli
