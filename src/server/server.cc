#include "server/server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>

#include "report/plan_sections.h"
#include "server/crypto.h"
#include "server/http_util.h"
#include "server/page.h"
#include "server/routes.h"

namespace goldthread::server {
namespace {

bool TryMethod(std::string_view text, Method& out) {
  for (Method m : {Method::kGet, Method::kPost, Method::kPut, Method::kDelete})
    if (text == MethodName(m) || (m == Method::kGet && text == "HEAD")) {
      out = m;
      return true;
    }
  return false;
}

std::mutex log_mu;

// Debian's cpp-httplib 0.11 is a compiled library whose listen() asks for a
// backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, fixed inside the .so). A hundred
// clients connecting at once overflow it; the kernel drops their SYNs
// (TcpExtListenOverflows) and they retry after the 1 s initial
// retransmission timeout: the dashboard's p99 was 100-160 ms with 1.7 s
// outliers and timeouts on an idle machine. listen(2) may be called again
// on a listening socket to change its backlog (Linux: inet_listen updates
// sk_max_ack_backlog), so Start does that after the bind; the kernel caps
// it at net.core.somaxconn (4096 on Debian 12).
constexpr int kListenBacklog = 1024;

}  // namespace

//===----------------------------------------------------------------------===//
// RequestContext
//===----------------------------------------------------------------------===//

void RequestContext::Json(int status, const nlohmann::json& body) {
  res.status = status;
  // Invalid UTF-8 in stored text is replaced, never a throw.
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void RequestContext::Html(int status, std::string body) {
  res.status = status;
  res.set_content(body, "text/html; charset=utf-8");  // httplib 0.11 copies: no rvalue overload
}

void RequestContext::Fail(int status, std::string_view message) {
  if (is_api()) return Json(status, {{"error", message}});
  const char* heading = status == 400   ? "That request could not be read"
                        : status == 401 ? "Please sign in"
                        : status == 403 ? "Not allowed"
                        : status == 404 ? "Not found"
                        : status == 503 ? "Not available just now"
                                        : "Something went wrong";
  Html(status, MessagePage({heading, who ? &*who : nullptr, ""}, heading, message));
}

void RequestContext::Redirect(const std::string& location) {
  res.status = 303;
  res.set_header("Location", LocalPath(location));
}

//===----------------------------------------------------------------------===//
// DashboardServer
//===----------------------------------------------------------------------===//

DashboardServer::DashboardServer(ServerOptions options) : options_(std::move(options)) {}

DashboardServer::~DashboardServer() { Stop(); }

Result<std::unique_ptr<DashboardServer>> DashboardServer::Create(ServerOptions options) {
  GT_RETURN_IF_ERROR(InitCrypto());
  // The plan's sections in the pages (report/plan_sections.h): shown when
  // the store holds a plan, as in `goldthread report`.
  report::RegisterPlanSections();
  if (!options.build) return Status::InvalidArgument("the dashboard needs a way to build its analysis");
  std::unique_ptr<DashboardServer> s(new DashboardServer(std::move(options)));
  Result<std::unique_ptr<SharedStore>> store = SharedStore::Open(s->options_.store, s->options_.store_options);
  if (!store.ok()) return store.status();
  s->store_ = std::move(*store);
  const Clock& clock = s->options_.clock ? *s->options_.clock : s->system_clock_;
  s->auth_ = std::make_unique<Auth>(*s->store_, clock, s->options_.auth);
  s->options_.reload.store_location = s->options_.store;
  s->options_.reload.store = s->options_.store_options;
  s->analysis_ = std::make_unique<AnalysisSource>(s->options_.reload, s->options_.build);
  s->state_ = {&s->options_, s->store_.get(), s->auth_.get(), s->analysis_.get(), &s->pages_, &s->plans_};

  auto http = std::make_unique<httplib::Server>();
  const int threads = s->options_.threads > 0 ? s->options_.threads : 8;
  // httplib's hook returns a raw TaskQueue*, which Server::listen_internal
  // takes into a std::unique_ptr of its own: the API, not an owner here.
  http->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));  // NOLINT(cppcoreguidelines-owning-memory)
  };
  http->set_default_headers(SecurityHeaders());
  http->set_payload_max_length(size_t{1} << 20);  // forms and JSON are small
  // The default options (SO_REUSEADDR), and the socket remembered for Start.
  http->set_socket_options([self = s.get()](socket_t sock) {
    httplib::default_socket_options(sock);
    self->listen_socket_ = sock;
  });
  // Responses go out as a header write and a body write: with Nagle's
  // algorithm the body waits for the client's delayed ACK of the header,
  // 40 ms on Linux, so every request took 44 ms (bench/dashboard_load.sh,
  // 10 clients: 226 requests/s). Accepted sockets inherit TCP_NODELAY from
  // the listening one.
  http->set_tcp_nodelay(true);
  http->set_keep_alive_max_count(1000);
  http->set_keep_alive_timeout(5);
  http->set_read_timeout(10);
  http->set_write_timeout(10);
  DashboardServer* self = s.get();
  auto handler = [self](const httplib::Request& req, httplib::Response& res) { self->Handle(req, res); };
  http->Get(".*", handler);
  http->Post(".*", handler);
  http->Put(".*", handler);
  http->Delete(".*", handler);
  http->Patch(".*", handler);
  http->Options(".*", handler);
  // Anything a handler lets escape (a library's exception) is a 500 with a
  // message; the server carries on.
  http->set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    res.status = 500;
    res.set_content(nlohmann::json{{"error", "internal error: " + what}}.dump(), "application/json");
  });
  s->http_ = std::move(http);
  return s;
}

Result<int> DashboardServer::Start() {
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port <= 0) return Status::IOError(fmt::format("cannot listen on {} (any port)", options_.host));
  } else if (!http_->bind_to_port(options_.host, port)) {
    return Status::IOError(fmt::format("cannot listen on {}:{} (in use, or not an address of this machine?)",
                                       options_.host, port));
  }
  port_ = port;
  if (listen_socket_ >= 0 && ::listen(listen_socket_, kListenBacklog) != 0)
    return Status::IOError(fmt::format("cannot listen on {}:{} with a backlog of {}: {}", options_.host, port,
                                       kListenBacklog, std::strerror(errno)));
  GT_RETURN_IF_ERROR(analysis_->Start());
  listener_ = std::thread([this] {
    http_->listen_after_bind();
    listener_done_ = true;
  });
  return port_;
}

int DashboardServer::listen_backlog() const {
  if (listen_socket_ < 0) return -1;
  // For a socket in LISTEN state Linux reports the accept queue's limit in
  // tcpi_sacked (net/ipv4/tcp.c, tcp_get_info).
  tcp_info info{};
  socklen_t len = sizeof info;
  if (::getsockopt(listen_socket_, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return -1;
  return static_cast<int>(info.tcpi_sacked);
}

void DashboardServer::Wait() {
  if (listener_.joinable()) listener_.join();
}

void DashboardServer::Stop() {
  // httplib's stop() does nothing until listen_after_bind has marked the
  // server running on the listener thread: a Stop straight after Start
  // (a test that only looks at the socket) would otherwise leave the
  // listener polling for ever and the join below waiting for it.
  if (http_ && listener_.joinable())
    while (!listener_done_ && !http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (http_) http_->stop();
  if (listener_.joinable()) listener_.join();
  if (analysis_) analysis_->Stop();
}

void DashboardServer::Handle(const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  RequestContext c{req, res, state_, std::nullopt, {}};
  try {
    Dispatch(c);
  } catch (const std::exception& e) {
    // Our code does not throw; a library might (nlohmann::json, std::regex).
    c.Fail(500, std::string("internal error: ") + e.what());
  }
  if (c.who) res.set_header("Cache-Control", "no-store");
  if (options_.request_log) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard<std::mutex> lock(log_mu);
    *options_.request_log << fmt::format("{} {} {} {} {:.1f}ms {}\n", req.remote_addr, req.method, req.path,
                                         res.status, ms, c.who ? c.who->user.name : "-");
  }
}

void DashboardServer::Dispatch(RequestContext& c) {
  const httplib::Request& req = c.req;
  Method method;
  const Route* route = nullptr;
  std::string allowed;
  if (TryMethod(req.method, method)) {
    std::map<std::string, std::string> captures;
    for (const Route& r : Routes()) {
      if (!MatchPattern(r.pattern, req.path, captures)) continue;
      if (r.method == method) {
        route = &r;
        c.path = captures;
        break;
      }
      allowed += (allowed.empty() ? "" : ", ") + std::string(MethodName(r.method));
    }
  }
  if (!route) {
    if (!allowed.empty()) {
      c.res.set_header("Allow", allowed);
      return c.Fail(405, fmt::format("{} is not allowed on {} (only {}).", req.method, req.path, allowed));
    }
    return c.Fail(404, fmt::format("There is no page or API call at {}.", req.path));
  }

  const std::string token = CookieValue(req, kSessionCookie);
  if (!token.empty()) {
    Result<std::optional<SignedIn>> who = auth_->Authenticate(token);
    if (!who.ok())
      return c.Fail(503, "The dashboard could not check the session just now: " + who.status().message());
    c.who = std::move(*who);
  }
  if (method != Method::kGet && route->pattern != "/login") {
    const std::string sent = SentCsrfToken(req);
    if (sent.empty())
      return c.Fail(403, "This request needs the CSRF token (form field csrf_token or header X-CSRF-Token).");
    if (!c.who || !ConstantTimeEquals(sent, c.who->session.csrf_token))
      return c.Fail(403, "The CSRF token does not match this session (sign in again).");
  }
  if (route->access != Access::kPublic && !c.who) {
    if (c.is_api()) return c.Fail(401, "Sign in first (POST /login).");
    std::string next = req.target.empty() ? req.path : req.target;
    return c.Redirect("/login?next=" + UrlEncode(next));
  }
  if (c.who) {
    const Role role = c.who->role;
    if (route->access == Access::kPersonLevel && !SeesPersonLevel(role))
      return c.Fail(
          403, fmt::format("The {} role sees aggregates only, not the persons behind them.", RoleName(role)));
    if (route->access == Access::kAdmin && role != Role::kAdmin)
      return c.Fail(403, "Only an admin may open this.");
  }
  route->handler(c);
}

}  // namespace goldthread::server
