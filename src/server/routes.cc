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
    // Pages: the reports' documents for the request's filters and the reader's role.
    {Method::kGet,  "/",               Access::kSignedIn,    HomePage,       "the reader's home page"},
    {Method::kGet,  "/cabinet",        Access::kSignedIn,    CabinetPage,    "the cabinet page (period)"},
    {Method::kGet,  "/management",     Access::kSignedIn,    ManagementPage, "the management page (period, org_unit, group)"},
    {Method::kGet,  "/team",           Access::kSignedIn,    TeamPage,       "a team's page (org_unit, period, group)"},
    {Method::kGet,  "/public",         Access::kSignedIn,    PublicPage,     "the public page (period), disclosure control on"},
    {Method::kGet,  "/plan",           Access::kSignedIn,    PlanPage,       "the plan: a team's own (org_unit, else the reader's) or every plan, targets with status and owner"},
    {Method::kGet,  "/hub",            Access::kSignedIn,    HubPage,        "the Carers' Hub audit: wheel, matrices, under/over-provision (the public summary for viewers)"},
    {Method::kGet,  "/cases",          Access::kPersonLevel, CasesPage,      "the persons behind a figure (indicator, period, org_unit, group)"},
    {Method::kGet,  "/findings",       Access::kPersonLevel, FindingsPage,   "the integrity findings"},
    {Method::kGet,  "/findings/view",  Access::kPersonLevel, FindingPage,    "one finding's evidence and records (key)"},
    {Method::kGet,  "/access-log",     Access::kAdmin,       AccessLogPage,  "the access log (user, before)"},
    // The data as JSON (shared/DESIGN.md section 8).
    {Method::kGet,  "/api/cases",      Access::kPersonLevel, CasesApi,       "the persons behind a figure: indicator, period, org_unit[, group]"},
    {Method::kGet,  "/api/indicators", Access::kSignedIn,    IndicatorsApi,  "the indicators, periods and org units"},
    {Method::kGet,  "/api/indicators/{id}", Access::kSignedIn, IndicatorSeriesApi, "an indicator's series (org_unit, group, by=month|quarter)"},
    {Method::kGet,  "/api/findings",   Access::kPersonLevel, FindingsApi,    "the integrity findings"},
    {Method::kGet,  "/api/findings/view", Access::kPersonLevel, FindingApi,  "one finding with its evidence (key)"},
    {Method::kGet,  "/api/pages/{audience}", Access::kSignedIn, PageApi, "a page's document as JSON: cabinet, management, team or public (period, org_unit, group as the page)"},
    {Method::kGet,  "/api/plans",      Access::kSignedIn,    PlansApi,       "the plan's thread: objectives, plans, targets with status and owner (statuses only for viewers)"},
    {Method::kGet,  "/api/scorecard",  Access::kSignedIn,    ScorecardApi,   "a scorecard of the plan: kind=balanced|team|oba (org_unit, quarter)"},
    {Method::kGet,  "/api/hub",        Access::kSignedIn,    HubApi,         "the Carers' Hub audit (disclosure control for viewers)"},
    // The server.
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
