#include "server/routes.h"

#include "server/handlers.h"

namespace goldthread::server {
namespace {

// clang-format off
constexpr Route kRoutes[] = {
    // Signing in and out (shared/DESIGN.md section 8).
    {Method::kGet,  "/login",          Access::kPublic,   LoginForm,    "the sign-in form"},
    {Method::kPost, "/login",          Access::kPublic,   LoginSubmit,  "sign in (form fields name, password); sets the session cookie and redirects"},
    {Method::kPost, "/logout",         Access::kSignedIn, Logout,       "sign out (CSRF token required)"},
    {Method::kGet,  "/api/session",    Access::kSignedIn, SessionInfo,  "{user, role, org_unit, csrf_token}"},
    // The server and its data.
    {Method::kGet,  "/api/",           Access::kSignedIn, ApiIndex,     "this list of routes"},
    {Method::kGet,  "/api/status",     Access::kSignedIn, StatusApi,    "the analysis being served: batches, run, data end, reloads"},
    {Method::kGet,  "/api/access-log", Access::kAdmin,    AccessLogApi, "the access log, newest first (user, since, until, before, limit)"},
    // Assets.
    {Method::kGet,  "/static/{name}",  Access::kPublic,   StaticAsset,  "stylesheets and the dashboard's script"},
};
// clang-format on

}  // namespace

std::span<const Route> Routes() { return kRoutes; }

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
  }
  return "GET";
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>& captures) {
  captures.clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t pe = pattern.find('/'), se = path.find('/');
    std::string_view pseg = pattern.substr(0, pe), sseg = path.substr(0, se);
    if (pseg.size() >= 2 && pseg.front() == '{' && pseg.back() == '}') {
      if (sseg.empty()) return false;
      captures[std::string(pseg.substr(1, pseg.size() - 2))] = std::string(sseg);
    } else if (pseg != sseg) {
      return false;
    }
    pattern = pe == std::string_view::npos ? std::string_view() : pattern.substr(pe);
    path = se == std::string_view::npos ? std::string_view() : path.substr(se);
  }
  return true;
}

}  // namespace goldthread::server
