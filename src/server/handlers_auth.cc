// Signing in and out (shared/DESIGN.md section 8): GET/POST /login,
// POST /logout, GET /api/session.

#include <fmt/format.h>

#include "report/svg_util.h"
#include "server/access_log.h"
#include "server/handlers.h"
#include "server/http_util.h"
#include "server/page.h"
#include "server/server.h"

namespace goldthread::server {
namespace {

using report::SvgEscape;

std::string LoginBody(std::string_view error, std::string_view name, std::string_view next) {
  std::string out = "<div class=\"gt-login\">\n<h1>Sign in to goldthread</h1>\n";
  if (!error.empty())
    out += fmt::format("<p class=\"gt-error\" role=\"alert\" id=\"login-error\">{}</p>\n", SvgEscape(error));
  out += fmt::format(
      "<form method=\"post\" action=\"/login\">\n"
      "<input type=\"hidden\" name=\"next\" value=\"{}\">\n"
      "<label for=\"name\">Name</label>\n"
      "<input id=\"name\" name=\"name\" type=\"text\" autocomplete=\"username\" required value=\"{}\"{}>\n"
      "<label for=\"password\">Password</label>\n"
      "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" "
      "required{}>\n"
      "<button type=\"submit\">Sign in</button>\n</form>\n"
      "<p class=\"gt-note\">An admin adds users with <code>goldthread user add</code>.</p>\n</div>",
      SvgEscape(next), SvgEscape(name), error.empty() ? "" : " aria-describedby=\"login-error\"",
      error.empty() ? "" : " aria-describedby=\"login-error\"");
  return out;
}

}  // namespace

void LoginForm(RequestContext& c) {
  const std::string next = LocalPath(c.Param("next"));
  if (c.who) return c.Redirect(next);
  c.Html(200, RenderPage({"Sign in", nullptr, ""}, LoginBody("", "", next)));
}

void LoginSubmit(RequestContext& c) {
  if (!SameOrigin(c.req)) return c.Fail(403, "A sign-in from another site is refused.");
  if (!c.req.has_param("name") || !c.req.has_param("password"))
    return c.Fail(400, "The sign-in form needs the fields name and password.");
  const std::string name = c.Param("name"), password = c.Param("password"), next = LocalPath(c.Param("next"));
  SignInResult r = c.state.auth->SignIn(name, password, c.req.remote_addr);
  const Timestamp now = c.now();
  if (r.kind == SignInResult::Kind::kOk) {
    // The sign-in stands even if its log entry cannot be written: it shows
    // no person-level data.
    (void)LogAccess(*c.state.store, now, r.who.user, c.req.remote_addr, Event(kActionSignIn, kOutcomeOk));
    c.res.set_header("Set-Cookie", SessionCookie(r.token, c.state.auth->options().session_seconds,
                                                 c.state.options->secure_cookies));
    return c.Redirect(next);
  }
  if (r.kind == SignInResult::Kind::kUnavailable) {
    c.res.set_header("Retry-After", "5");
    return c.Html(503, RenderPage({"Sign in", nullptr, ""}, LoginBody(r.message, name, next)));
  }
  if (!r.who.user.name.empty()) {
    (void)LogAccess(*c.state.store, now, r.who.user, c.req.remote_addr,
                    Event(kActionSignIn, kOutcomeRefused));
    if (r.locked_now)
      (void)LogAccess(*c.state.store, now, r.who.user, c.req.remote_addr,
                      Event(kActionLockOut, kOutcomeOk,
                            fmt::format("{} failed sign-ins", c.state.auth->options().lock_after)));
  }
  c.Html(401, RenderPage({"Sign in", nullptr, ""}, LoginBody(r.message, name, next)));
}

void Logout(RequestContext& c) {
  Status s = c.state.auth->SignOut(CookieValue(c.req, kSessionCookie));
  if (!s.ok()) return c.Fail(503, "The session could not be ended just now: " + s.message());
  (void)LogAccess(*c.state.store, c.now(), c.who->user, c.req.remote_addr, Event(kActionSignOut, kOutcomeOk));
  c.res.set_header("Set-Cookie", ClearedSessionCookie(c.state.options->secure_cookies));
  c.Redirect("/login");
}

void SessionInfo(RequestContext& c) {
  c.Json(200, {{"user", c.who->user.name},
               {"role", RoleName(c.who->role)},
               {"org_unit",
                c.who->user.org_unit.empty() ? nlohmann::json() : nlohmann::json(c.who->user.org_unit)},
               {"csrf_token", c.who->session.csrf_token}});
}

}  // namespace goldthread::server
