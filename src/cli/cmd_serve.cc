// goldthread serve STORE [--port P] [--host H]: the dashboard (issue 10,
// shared/DESIGN.md section 8). Binds 127.0.0.1 unless told otherwise; the
// analysis is computed in the background and recomputed whenever a new
// import lands in the store, without a restart.

#include <signal.h>

#include <iostream>
#include <string>

#include <fmt/format.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/serve.h"
#include "report/analysis.h"
#include "server/server.h"
#include "store/store.h"

namespace goldthread::cli {

int ServeDashboard(const ServeSettings& s) {
  const std::string who = "goldthread " + s.command;
  {
    Result<std::unique_ptr<Store>> store =
        OpenStoreFor(s.command, s.store, OpenMode::kMustExist, s.store_flags);
    if (!store.ok()) return Fail(s.command, store.status());
    Result<std::vector<UserRecord>> users = (*store)->ListUsers();
    if (users.ok() && users->empty())
      std::cerr << "note: the store has no dashboard users yet; add one with 'goldthread user add " << s.store
                << " NAME --role admin'\n";
  }
  server::ServerOptions o;
  o.store = s.store;
  o.host = s.host;
  o.port = s.port;
  o.threads = s.threads;
  o.secure_cookies = s.secure_cookie;
  o.reload.poll_interval = std::chrono::milliseconds(int64_t{1000} * s.poll_seconds);
  o.request_log = s.log_requests ? &std::cerr : nullptr;
  report::AnalysisOptions ao;
  ao.indicators_dir = s.indicators_dir;
  ao.checks_config = s.checks_config;
  ao.run_by = "goldthread serve";
  o.build = [ao](Store& store) { return report::LoadAnalysis(store, ao); };

  // Signals are taken by this thread alone (sigwait below): block them
  // before the server's threads start, so they inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Result<std::unique_ptr<server::DashboardServer>> dashboard = server::DashboardServer::Create(o);
  if (!dashboard.ok()) {
    std::cerr << who << ": " << dashboard.status().message() << "\n";
    return kExitBadInput;
  }
  Result<int> port = (*dashboard)->Start();
  if (!port.ok() && s.any_port_if_taken) {
    (*dashboard).reset();
    o.port = 0;
    dashboard = server::DashboardServer::Create(o);
    if (dashboard.ok()) port = (*dashboard)->Start();
  }
  if (!port.ok()) {
    std::cerr << who << ": " << port.status().message() << "\n";
    return kExitBadInput;
  }
  const bool loopback = s.host == "127.0.0.1" || s.host == "localhost" || s.host == "::1";
  const std::string host = s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host;
  std::cout << fmt::format("The dashboard is at http://{}:{}/  (Ctrl-C stops it)\n", host, *port);
  if (!s.sign_in_hint.empty()) std::cout << s.sign_in_hint;
  if (!loopback)
    std::cerr << "warning: listening on " << s.host
              << ", not only this machine: serve it behind HTTPS (and pass --secure-cookie) before anyone signs "
                 "in from elsewhere\n";
  std::cout << std::flush;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "stopping the dashboard\n";
  (*dashboard)->Stop();
  return kExitOk;
}

int CmdServe(const Args& args) {
  CLI::App app{"Serve the dashboard: the reports' pages for each role, drill-down to cases, JSON under /api/. "
               "Binds 127.0.0.1 unless --host says otherwise; picks up new imports without a restart.",
               "serve"};
  ServeSettings s;
  app.add_option("STORE", s.store, "the store")->required();
  app.add_option("--port", s.port, "TCP port (0: any free port, printed)")->capture_default_str()->check(CLI::Range(0, 65535));
  app.add_option("--host", s.host, "address to listen on")->capture_default_str();
  app.add_option("--indicators", s.indicators_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--checks", s.checks_config, "checks.toml for the integrity checks");
  app.add_option("--threads", s.threads, "worker threads (each open connection holds one)")
      ->capture_default_str()
      ->check(CLI::Range(4, 1024));
  app.add_option("--poll-seconds", s.poll_seconds, "how often to look for a new import")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_flag("--secure-cookie", s.secure_cookie, "mark the session cookie Secure (behind an HTTPS proxy)");
  bool quiet = false;
  app.add_flag("--quiet", quiet, "no line per request on standard error");
  AddStoreFlags(app, s.store_flags);
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  s.log_requests = !quiet;
  return ServeDashboard(s);
}

}  // namespace goldthread::cli
