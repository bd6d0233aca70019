#pragma once
// HTTP details shared by the routes: the security headers every response
// carries, the session cookie, and the checks on what a browser sends.

#include <httplib.h>

#include <string>
#include <string_view>

namespace goldthread::server {

inline constexpr std::string_view kSessionCookie = "gt_session";

/// Headers on every response, errors included:
///   Content-Security-Policy: scripts, styles, images, fonts and fetches
///     only from this origin (no inline script), no plugins, no framing
///     (frame-ancestors 'none'), forms post only here, no <base>;
///   X-Frame-Options: DENY (the same for older browsers);
///   X-Content-Type-Options: nosniff; Referrer-Policy: same-origin (no
///     referrer leaves the site; "no-referrer" would make Chromium send
///     Origin: null on form posts, which the sign-in check refuses);
///   Cross-Origin-Opener-Policy: same-origin.
httplib::Headers SecurityHeaders();

/// The value of a cookie in the request's Cookie headers ("" if absent).
std::string CookieValue(const httplib::Request& req, std::string_view name);

/// Set-Cookie values: the session (HttpOnly, SameSite=Strict, Path=/,
/// Max-Age; Secure when asked), and the one that clears it.
std::string SessionCookie(std::string_view token, int64_t max_age_seconds, bool secure);
std::string ClearedSessionCookie(bool secure);

/// The CSRF token a request sends: form field csrf_token, else header
/// X-CSRF-Token ("" if neither).
std::string SentCsrfToken(const httplib::Request& req);

/// Whether an Origin header (if any) names this server's own Host: a
/// cross-site form post to /login has a foreign Origin.
bool SameOrigin(const httplib::Request& req);

/// A redirect target from the user: a local absolute path ("/team?x=1"),
/// never "//host" or "http://...", else "/".
std::string LocalPath(std::string_view next);

/// Percent-encodes a query parameter value.
std::string UrlEncode(std::string_view text);

}  // namespace goldthread::server
