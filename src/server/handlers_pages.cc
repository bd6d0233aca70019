// The dashboard's pages: the reports' documents (report/report_builder.h)
// built for the request's filters and the reader's role, rendered by the
// report module's renderer inside the dashboard's chrome. The same options
// give the same document as `goldthread report`, so a page and a report
// never disagree.
//   GET /            the reader's home page (by role)
//   GET /cabinet, /management, /team, /public   ?period=&org_unit=&group=
//   GET /api/pages/{audience}   the same page's document as JSON (report/render.h)

#include <fmt/format.h>

#include "report/render.h"
#include "report/render_html.h"
#include "report/report_builder.h"
#include "report/svg_util.h"
#include "server/access_log.h"
#include "server/filters.h"
#include "server/handlers.h"
#include "server/handlers_util.h"
#include "server/links.h"
#include "server/page.h"
#include "server/page_cache.h"

namespace goldthread::server {
namespace {

struct Built {
  report::Document doc;
  std::string filters_html;
};

// The team a reader sees first: a manager's own team, else the first team.
int32_t DefaultTeam(const report::Analysis& a, const SignedIn& who) {
  const int32_t own = who.user.org_unit.empty() ? -1 : a.OrgUnit(who.user.org_unit);
  const std::vector<int32_t> teams = a.UnitsOfKind("team");
  if (own >= 0 && a.OrgUnitKind(own) == "team") return own;
  for (int32_t t : teams)
    if (own >= 0 && a.Within(t, own)) return t;
  return teams.empty() ? -1 : teams.front();
}

// Builds the audience's document for this request; false once an error
// has been answered.
bool Build(RequestContext& c, const report::Analysis& a, report::Audience audience, std::string_view path,
           Built& out) {
  report::ReportOptions o;
  o.audience = audience;
  o.period = c.Param("period");
  o.group = c.Param("group");
  if (NeedsDisclosureControl(c.who->role)) o.disclosure = true;
  o.person_level = SeesPersonLevel(c.who->role);
  o.links = DashboardLinks(a, *c.who);
  FilterChoice choice;
  FilterValues values{o.period, c.Param("org_unit"), o.group};
  switch (audience) {
    case report::Audience::kCabinet:
    case report::Audience::kPublic:
      choice.by = PeriodKind::kQuarter;
      break;
    case report::Audience::kManagement: {
      o.org_unit = values.org_unit;
      choice.units.push_back(a.Council());
      for (int32_t s : a.UnitsOfKind("service")) choice.units.push_back(s);
      choice.unit_label = "Service";
      choice.group = true;
      break;
    }
    case report::Audience::kTeam: {
      int32_t team = values.org_unit.empty() ? DefaultTeam(a, *c.who) : a.OrgUnit(values.org_unit);
      if (team < 0)
        return c.Fail(400,
                      values.org_unit.empty()
                          ? std::string("The store has no teams.")
                          : fmt::format("org_unit '{}' is not an org unit of the store", values.org_unit)),
               false;
      o.team = a.snapshot->OrgUnitId(team);
      values.org_unit = o.team;
      // The team's cases needing action: only for readers who may see them.
      o.person_level = MaySeePersons(a, *c.who, team);
      choice.units = a.UnitsOfKind("team");
      choice.unit_label = "Team";
      choice.group = true;
      break;
    }
  }
  Result<report::Document> doc = report::BuildReport(a, o);
  if (!doc.ok()) return c.Fail(400, doc.status().message()), false;
  out.doc = std::move(*doc);
  out.filters_html = FilterForm(a, path, choice, values);
  return true;
}

// A long page (management has every indicator's charts) opens with links
// to its sections, after its title.
std::string WithContents(const report::Document& doc, std::string body) {
  if (doc.sections.size() < 4) return body;
  std::string nav = "<nav class=\"gt-contents\" aria-label=\"On this page\"><p>On this page</p><ul>";
  for (const report::Section& s : doc.sections)
    nav += fmt::format("<li><a href=\"#{}\">{}</a></li>", report::SvgEscape(s.id), report::SvgEscape(s.title));
  nav += "</ul></nav>\n";
  const size_t at = body.find("<section");
  body.insert(at == std::string::npos ? 0 : at, nav);
  return body;
}

// Logs the page's person-level views; false (after a 503) if it cannot.
bool LogViews(RequestContext& c, const CachedPage& page) {
  for (const report::PersonLevelView& v : page.person_level_views) {
    Status logged =
        LogAccess(*c.state.store, c.now(), c.who->user, c.req.remote_addr,
                  {kActionPage, v.what, page.period, v.org_unit, v.detail, v.records, kOutcomeShown});
    if (!logged.ok())
      return c.Fail(503,
                    "The access log could not be written, so this page is not shown: " + logged.message()),
             false;
  }
  return true;
}

enum class As { kHtml, kJson };

void Page(RequestContext& c, report::Audience audience, std::string_view path, std::string_view title,
          As as = As::kHtml) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  // Everything the content depends on besides the analysis.
  const std::string key = CacheKey(c);
  std::shared_ptr<const CachedPage> page = c.state.pages->Find(a, key);
  if (!page) {
    Built b;
    if (!Build(c, *a, audience, path, b)) return;
    auto built = std::make_shared<CachedPage>();
    built->body = as == As::kJson ? report::RenderJson(b.doc, -1)
                                  : b.filters_html + WithContents(b.doc, report::RenderBodyHtml(b.doc));
    built->period = b.doc.period;
    built->person_level_views = std::move(b.doc.person_level_views);
    c.state.pages->Put(a, key, built);
    page = std::move(built);
  }
  // Person-level rows are logged before they are shown, for every reader.
  if (!LogViews(c, *page)) return;
  if (as == As::kJson) {
    c.res.status = 200;
    c.res.set_content(page->body, "application/json");
    return;
  }
  c.Html(200, RenderPage({std::string(title), &*c.who, path}, page->body));
}

}  // namespace

void HomePage(RequestContext& c) {
  switch (c.who->role) {
    case Role::kViewer:
      return c.Redirect("/public");
    case Role::kManager:
      return c.Redirect("/team");
    case Role::kAdmin:
    case Role::kAnalyst:
      return c.Redirect("/management");
  }
}

void CabinetPage(RequestContext& c) { Page(c, report::Audience::kCabinet, "/cabinet", "Cabinet"); }
void ManagementPage(RequestContext& c) {
  Page(c, report::Audience::kManagement, "/management", "Management");
}
void TeamPage(RequestContext& c) { Page(c, report::Audience::kTeam, "/team", "Team"); }
void PublicPage(RequestContext& c) { Page(c, report::Audience::kPublic, "/public", "Public"); }

void PageApi(RequestContext& c) {
  const std::string& name = c.path["audience"];
  static constexpr std::pair<std::string_view, report::Audience> kPages[] = {
      {"cabinet", report::Audience::kCabinet},
      {"management", report::Audience::kManagement},
      {"team", report::Audience::kTeam},
      {"public", report::Audience::kPublic}};
  for (const auto& [page, audience] : kPages)
    if (name == page) return Page(c, audience, fmt::format("/{}", page), page, As::kJson);
  c.Fail(404, fmt::format("There is no page '{}' (cabinet, management, team or public).", name));
}

}  // namespace goldthread::server
