#pragma once
// How the subcommands open a store and report its failures: every command
// that takes a STORE waits for another process's hold on it (--wait
// SECONDS, default kDefaultStoreWait), says on stderr that it is waiting,
// and exits kExitBusy (75) when the store stayed in use beyond the wait:
// the store is in use, which is neither bad input (1) nor a usage error (2).
// A command that opens a store opens it through these (OpenStoreFor,
// OpenPublishedFor) and reports its failures through Fail, so it inherits
// the wait, its message and the exit status.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "core/status.h"
#include "store/published_store.h"
#include "store/store.h"

namespace goldthread::cli {

struct StoreFlags {
  double wait_seconds = static_cast<double>(kDefaultStoreWait.count());
};

/// Adds --wait SECONDS.
void AddStoreFlags(CLI::App& app, StoreFlags& flags);

/// Opens the store for `command` ("compute"): waits as flags say, printing
/// "goldthread compute: store 'x.db' is in use by another process (an
/// import?); waiting up to 600 s" once a wait lasts half a second.
Result<std::unique_ptr<Store>> OpenStoreFor(std::string_view command, const std::string& location,
                                            OpenMode mode, const StoreFlags& flags);

/// The wait of flags, announced on stderr as "goldthread COMMAND: ...".
StoreOptions StoreOptionsFor(std::string_view command, const StoreFlags& flags);

/// Opens the store's published figures (goldthread benchmark) for
/// `command`, waiting as OpenStoreFor does.
Result<std::unique_ptr<PublishedStore>> OpenPublishedFor(std::string_view command,
                                                         const std::string& location,
                                                         const StoreFlags& flags);

/// kExitBusy for a store in use, kExitBadInput for anything else.
int ExitCodeFor(const Status& s);
/// Prints "goldthread COMMAND: MESSAGE" (and, for a busy store, what to do)
/// and returns ExitCodeFor(s).
int Fail(std::string_view command, const Status& s);

}  // namespace goldthread::cli
