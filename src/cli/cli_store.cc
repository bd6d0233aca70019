#include "cli/cli_store.h"

#include <chrono>
#include <iostream>

namespace goldthread::cli {

void AddStoreFlags(CLI::App& app, StoreFlags& flags) {
  app.add_option("--wait", flags.wait_seconds,
                 "seconds to wait while another process (an import) writes to the store, then exit 75")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
}

StoreOptions StoreOptionsFor(std::string_view command, const StoreFlags& flags) {
  StoreOptions options;
  options.wait = std::chrono::milliseconds(static_cast<int64_t>(flags.wait_seconds * 1000));
  std::string name(command);
  options.on_wait = [name](const std::string& what) {
    std::cerr << "goldthread " << name << ": " << what << "\n";
  };
  return options;
}

Result<std::unique_ptr<Store>> OpenStoreFor(std::string_view command, const std::string& location,
                                            OpenMode mode, const StoreFlags& flags) {
  return OpenStore(location, mode, StoreOptionsFor(command, flags));
}

Result<std::unique_ptr<PublishedStore>> OpenPublishedFor(std::string_view command,
                                                         const std::string& location,
                                                         const StoreFlags& flags) {
  return PublishedStore::Open(location, StoreOptionsFor(command, flags));
}

int ExitCodeFor(const Status& s) { return s.code() == StatusCode::kBusy ? kExitBusy : kExitBadInput; }

int Fail(std::string_view command, const Status& s) {
  std::cerr << "goldthread " << command << ": " << s.message() << "\n";
  if (s.code() == StatusCode::kBusy)
    std::cerr
        << "goldthread " << command
        << ": nothing was changed; try again when the other process has finished, or wait longer with --wait "
           "SECONDS\n";
  return ExitCodeFor(s);
}

}  // namespace goldthread::cli
