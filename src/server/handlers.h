#pragma once
// The routes' handlers, by area; routes.cc lists them.

#include "server/context.h"

namespace goldthread::server {

// handlers_auth.cc: signing in and out.
void LoginForm(RequestContext& c);    // GET /login
void LoginSubmit(RequestContext& c);  // POST /login
void Logout(RequestContext& c);       // POST /logout
void SessionInfo(RequestContext& c);  // GET /api/session

// handlers_admin.cc: the access log, the server's state, the API index.
void AccessLogApi(RequestContext& c);  // GET /api/access-log
void AccessLogPage(RequestContext& c);  // GET /access-log
void StatusApi(RequestContext& c);     // GET /api/status
void ApiIndex(RequestContext& c);      // GET /api/

// handlers_pages.cc: the reports' pages for the request's filters and role.
void HomePage(RequestContext& c);        // GET /
void CabinetPage(RequestContext& c);     // GET /cabinet
void ManagementPage(RequestContext& c);  // GET /management
void TeamPage(RequestContext& c);        // GET /team
void PublicPage(RequestContext& c);      // GET /public
void PageApi(RequestContext& c);         // GET /api/pages/{audience}: the same document as JSON
void PlanPage(RequestContext& c);        // GET /plan: the plan for the reader's org unit
void HubPage(RequestContext& c);         // GET /hub: the Carers' Hub audit

// handlers_cases.cc: the persons behind a figure.
void CasesApi(RequestContext& c);   // GET /api/cases
void CasesPage(RequestContext& c);  // GET /cases

// handlers_findings.cc: integrity findings, their evidence and records.
void FindingsPage(RequestContext& c);  // GET /findings
void FindingPage(RequestContext& c);   // GET /findings/view
void FindingsApi(RequestContext& c);   // GET /api/findings
void FindingApi(RequestContext& c);    // GET /api/findings/view

// handlers_indicators.cc: definitions and series as JSON.
void IndicatorsApi(RequestContext& c);       // GET /api/indicators
void IndicatorSeriesApi(RequestContext& c);  // GET /api/indicators/{id}

// handlers_plans.cc: the council's plan and the Carers' Hub audit as JSON.
void PlansApi(RequestContext& c);      // GET /api/plans
void ScorecardApi(RequestContext& c);  // GET /api/scorecard
void HubApi(RequestContext& c);        // GET /api/hub

// handlers_static.cc: the stylesheets and the script, from this origin.
void StaticAsset(RequestContext& c);  // GET /static/{name}

}  // namespace goldthread::server
