#pragma once
// goldthread serve: the dashboard's HTTP server (cpp-httplib, Debian's
// libcpp-httplib-dev). Routes are in routes.cc; this class owns the shared
// state (the store's connections, sessions, the analysis kept up to date
// with the store's imports) and puts every request through the same steps:
//   1. find the route (404, or 405 naming the methods allowed);
//   2. recognise the session cookie;
//   3. POST/PUT/DELETE other than /login: the session's CSRF token must be
//      sent (form field csrf_token or header X-CSRF-Token), else 403;
//   4. the route's access: no session 401 (/api/) or a redirect to /login
//      (pages); a role without the access 403;
//   5. the handler; an exception from a library becomes a 500 with a
//      message, never a crash.
// Every response carries the security headers (http_util.h); signed-in
// responses are not cached (Cache-Control: no-store).
//
// Thread-safety: Start/Stop from one thread; requests run on the server's
// worker threads.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>

#include "core/status.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/context.h"
#include "server/page_cache.h"
#include "server/plan_source.h"
#include "server/reloader.h"
#include "server/shared_store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace goldthread::server {

/// A sign-in waits this long for an import's batch by default: most batches
/// commit well within it (docs/store.md has import times), and a browser's
/// request should not hang for the command line's ten minutes.
inline constexpr std::chrono::seconds kServerStoreWait{60};

struct ServerOptions {
  std::string store;               // the store's location (must exist)
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0: any free port (tests)
  /// Worker threads. cpp-httplib gives each keep-alive connection a thread
  /// while it is open, so this bounds the connections served at once.
  int threads = 128;
  bool secure_cookies = false;  // add Secure (behind an HTTPS proxy)
  AuthOptions auth;
  /// How long a request's write to the store (a sign-in, a sign-out, an
  /// access-log entry) waits while an import writes its batch; after that
  /// the request is answered 503 "Not available just now". Reads never wait
  /// (WAL). on_wait (called from request threads, so thread-safe) hears
  /// once per wait that lasts half a second.
  StoreOptions store_options{kServerStoreWait, nullptr};
  ReloaderOptions reload;  // store_location and store are set from `store` and store_options
  /// Builds the analysis from the store (report::LoadAnalysis in `serve`).
  AnalysisSource::Build build;
  const Clock* clock = nullptr;         // null: the system clock
  std::ostream* request_log = nullptr;  // one line per request; null: none
};

class DashboardServer {
 public:
  /// Opens the store (it must exist) and prepares the routes. Errors are
  /// the store's.
  static Result<std::unique_ptr<DashboardServer>> Create(ServerOptions options);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  /// Binds host:port and serves on a thread of its own; starts watching
  /// the store. Returns the port bound. Fails with a message naming the
  /// address if it cannot bind.
  Result<int> Start();
  /// Blocks until Stop() is called (from another thread or a signal handler
  /// thread).
  void Wait();
  void Stop();

  int port() const { return port_; }
  /// The listening socket's accept queue as the kernel holds it (Linux
  /// TCP_INFO), for the test of Start's backlog; -1 before Start.
  int listen_backlog() const;
  ServerState& state() { return state_; }
  AnalysisSource& analysis() { return *analysis_; }

 private:
  explicit DashboardServer(ServerOptions options);
  void Handle(const httplib::Request& req, httplib::Response& res);
  void Dispatch(RequestContext& c);

  ServerOptions options_;
  SystemClock system_clock_;
  std::unique_ptr<SharedStore> store_;
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<AnalysisSource> analysis_;
  PageCache pages_;
  PlanSource plans_;
  std::unique_ptr<httplib::Server> http_;
  ServerState state_;
  std::thread listener_;
  std::atomic<bool> listener_done_{false};  // listen_after_bind has returned
  int listen_socket_ = -1;  // httplib's, remembered from its socket-options hook
  int port_ = 0;
};

}  // namespace goldthread::server
