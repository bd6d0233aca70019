#pragma once
// Serving the dashboard until Ctrl-C (SIGINT) or SIGTERM: shared by
// `goldthread serve` and the end of `goldthread demo`.

#include <string>

#include "cli/cli_store.h"

namespace goldthread::cli {

struct ServeSettings {
  std::string store;
  std::string host = "127.0.0.1";
  int port = 8080;
  bool any_port_if_taken = false;  // the demo: another port when 8080 is in use
  std::string indicators_dir, checks_config;
  int threads = 128;
  bool secure_cookie = false;
  bool log_requests = true;
  int poll_seconds = 2;
  std::string command = "serve";  // for messages
  std::string sign_in_hint;       // printed under the address (the demo's admin)
  StoreFlags store_flags;         // --wait for the store at start-up
};

/// Serves until a signal; returns the exit status (1 when it cannot listen
/// or the store cannot be opened, 75 when the store stayed in use beyond
/// --wait, with the message printed).
int ServeDashboard(const ServeSettings& settings);

}  // namespace goldthread::cli
