#pragma once
// The dashboard's routes: one row each in a single table (routes.cc;
// shared/STYLE_ANCHORS.md section 7). Adding a page or an API call is one
// row plus its handler in a handlers_<area>.cc; the server does the rest:
// sessions, the role check of the row, CSRF on POST/PUT/DELETE, headers,
// errors as 400/404/405/500 with a message.

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "server/context.h"

namespace goldthread::server {

enum class Method { kGet, kPost, kPut, kDelete };

enum class Access {
  kPublic,       // anyone: the sign-in form, static files
  kSignedIn,     // any role (a viewer sees aggregates under disclosure control)
  kPersonLevel,  // admin, analyst, manager; the handler checks a manager's org subtree
  kAdmin,
};

using Handler = void (*)(RequestContext&);

struct Route {
  Method method;
  std::string_view pattern;  // "/api/findings/{n}": a {name} segment matches one path segment
  Access access;
  Handler handler;
  std::string_view summary;  // for GET /api/
};

/// Every route.
std::span<const Route> Routes();

std::string_view MethodName(Method m);

/// Whether path matches pattern; fills the {name} captures. Segments are
/// compared exactly; a capture matches one non-empty segment.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>& captures);

}  // namespace goldthread::server
