#include "server/page.h"

#include <fmt/format.h>

#include "report/svg_util.h"

namespace goldthread::server {
namespace {

using report::SvgEscape;

struct NavEntry {
  std::string_view path, label;
  bool (*allowed)(Role);
};

bool Everyone(Role) { return true; }
bool NotViewer(Role r) { return r != Role::kViewer; }

// The navigation, in order. A later page is one more row.
constexpr NavEntry kNav[] = {
    {"/cabinet", "Cabinet", Everyone},    {"/management", "Management", Everyone},
    {"/team", "Teams", NotViewer},        {"/public", "Public", Everyone},
    {"/plan", "Plan", Everyone},          {"/hub", "Carers' Hub", Everyone},
    {"/findings", "Findings", NotViewer}, {"/access-log", "Access log", ReadsAccessLog},
};

}  // namespace

std::string RenderPage(const PageChrome& chrome, std::string_view body_html) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n{}<title>{} - "
      "goldthread</title>\n"
      "<link rel=\"stylesheet\" href=\"/static/report.css\">\n<link rel=\"stylesheet\" "
      "href=\"/static/dashboard.css\">\n"
      "</head>\n<body>\n<a class=\"gt-skip\" href=\"#main\">Skip to the content</a>\n<header "
      "class=\"gt-bar\">\n"
      "<a class=\"gt-brand\" href=\"/\">goldthread</a>\n",
      chrome.refresh_seconds > 0
          ? fmt::format("<meta http-equiv=\"refresh\" content=\"{}\">\n", chrome.refresh_seconds)
          : std::string(),
      SvgEscape(chrome.title));
  if (chrome.who) {
    out += "<nav aria-label=\"Pages\"><ul>";
    for (const NavEntry& e : kNav) {
      if (!e.allowed(chrome.who->role)) continue;
      out += fmt::format("<li><a href=\"{}\"{}>{}</a></li>", e.path,
                         e.path == chrome.current ? " aria-current=\"page\"" : "", e.label);
    }
    out += "</ul></nav>\n";
    const UserRecord& u = chrome.who->user;
    out += fmt::format(
        "<div class=\"gt-user\"><span>{} ({}{})</span><form method=\"post\" action=\"/logout\">"
        "<input type=\"hidden\" name=\"csrf_token\" value=\"{}\"><button type=\"submit\">Sign out</button>"
        "</form></div>\n",
        SvgEscape(u.name), RoleName(chrome.who->role), u.org_unit.empty() ? "" : ", " + SvgEscape(u.org_unit),
        SvgEscape(chrome.who->session.csrf_token));
  }
  out += "</header>\n<main id=\"main\">\n";
  out += body_html;
  out += "\n</main>\n</body>\n</html>\n";
  return out;
}

std::string MessagePage(const PageChrome& chrome, std::string_view heading, std::string_view message) {
  return RenderPage(chrome, fmt::format("<h1>{}</h1>\n<p>{}</p>", SvgEscape(heading), SvgEscape(message)));
}

}  // namespace goldthread::server
