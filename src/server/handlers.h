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
void StatusApi(RequestContext& c);     // GET /api/status
void ApiIndex(RequestContext& c);      // GET /api/

// handlers_static.cc: the stylesheets and the script, from this origin.
void StaticAsset(RequestContext& c);  // GET /static/{name}

}  // namespace goldthread::server
