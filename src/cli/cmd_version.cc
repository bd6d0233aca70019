#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "indicators/definition.h"

namespace goldthread::cli {

int CmdVersion(const Args& args) {
  CLI::App app{"Print the goldthread version and where its built-in definitions are.", "version"};
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  std::cout << "goldthread " << GOLDTHREAD_VERSION << "\n"
            << "built-in definitions: " << indicators::BuiltInDir() << "\n";
  return kExitOk;
}

}  // namespace goldthread::cli
