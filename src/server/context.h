#pragma once
// What a route's handler gets: the request, the response it fills, who is
// signed in, and the server's shared state. Handlers never throw on bad
// input: they answer 400 with a message naming the parameter (Fail).

#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth.h"
#include "server/reloader.h"
#include "server/shared_store.h"

namespace goldthread::report {
struct Analysis;
}

namespace goldthread::server {

/// The analysis every page and API route reads (report/analysis.h), kept
/// up to date with the store's imports.
using AnalysisSource = Reloader<report::Analysis>;
struct ServerOptions;
class PageCache;
class PlanSource;

/// The state every request shares; owned by DashboardServer.
struct ServerState {
  const ServerOptions* options = nullptr;
  SharedStore* store = nullptr;
  Auth* auth = nullptr;
  AnalysisSource* analysis = nullptr;
  PageCache* pages = nullptr;
  PlanSource* plans = nullptr;  // the council's plan for the analysis served
};

struct RequestContext {
  const httplib::Request& req;
  httplib::Response& res;
  ServerState& state;
  std::optional<SignedIn> who;              // set for every route but the public ones
  std::map<std::string, std::string> path;  // {name} segments of the route's pattern

  bool is_api() const { return req.path.starts_with("/api/"); }
  Timestamp now() const { return state.auth->clock().Now(); }

  /// A query or form parameter ("" when absent).
  std::string Param(const std::string& name) const {
    return req.has_param(name) ? req.get_param_value(name) : std::string();
  }

  void Json(int status, const nlohmann::json& body);
  void Html(int status, std::string body);
  /// Status and message: {"error": message} under /api/, a page elsewhere.
  void Fail(int status, std::string_view message);
  /// 303 See Other to a local path.
  void Redirect(const std::string& location);
};

}  // namespace goldthread::server
