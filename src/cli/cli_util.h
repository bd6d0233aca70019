#pragma once
// Helpers shared by the subcommands: running a CLI11 parser with goldthread's
// exit codes, checking output paths, and writing outputs safely.

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "core/date.h"
#include "core/file.h"

namespace goldthread::cli {

/// Parses args (without the command name) into app. Returns -1 when parsing
/// succeeded and the command should run; otherwise the exit status to return
/// (0 after --help, 2 after a usage error, the message printed to stderr).
int ParseArgs(CLI::App& app, const Args& args);

/// An output option: its flag ("--json") and the path given (empty: not given).
using OutputOption = std::pair<std::string_view, std::string>;

/// Checks, before any work is done, that no output replaces a protected file
/// (the store, an input) or another output of the same command. On refusal
/// prints "goldthread COMMAND: --json 'X' is the store 'Y', which an output
/// must not replace (expected another file name)" and returns false; a
/// directory is refused too. "-" (stdout) and empty paths are skipped.
bool CheckOutputs(std::string_view command, const std::vector<OutputOption>& outputs,
                  const ProtectedFiles& protect);

/// Adds every regular file in dir whose name ends with ext (".toml") to
/// protect, under the description what ("a definition file").
void ProtectDirectory(ProtectedFiles& protect, const std::string& dir, std::string_view ext, const std::string& what);

/// A --from/--to window (first days of months; kNullDate when not given):
/// --from on or before --to, at most kMaxWindowMonths (core/period.h). On
/// refusal prints "goldthread COMMAND: --from 0001-01 to --to 9999-12 is
/// 119988 months (expected at most 600, 50 years)" and returns false.
bool CheckWindow(std::string_view command, Date from_month, Date to_month);

/// Writes text to path (through a temporary file renamed into place, never
/// over a protected file; core/file.h), or to stdout when path is "-". On
/// failure prints "goldthread COMMAND: cannot write 'path': reason" and
/// returns false.
bool WriteOutput(std::string_view command, const std::string& path, const std::string& text,
                 const ProtectedFiles& protect = {});

}  // namespace goldthread::cli
