#pragma once
// Helpers shared by the subcommands: running a CLI11 parser with goldthread's
// exit codes, and checking that a store exists.

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

#include "cli/commands.h"

namespace goldthread::cli {

/// Parses args (without the command name) into app. Returns -1 when parsing
/// succeeded and the command should run; otherwise the exit status to return
/// (0 after --help, 2 after a usage error, the message printed to stderr).
int ParseArgs(CLI::App& app, const Args& args);

/// Writes text to path, or to stdout when path is "-". On
/// failure prints "goldthread COMMAND: cannot write 'path'" and returns
/// false.
bool WriteOutput(std::string_view command, const std::string& path, const std::string& text);

}  // namespace goldthread::cli
