// The dashboard's pages: the reports' documents (report/report_builder.h)
// built for the request's filters and the reader's role, rendered by the
// report module's renderer inside the dashboard's chrome. The same options
// give the same document as `goldthread report`, so a page and a report
// never disagree.
//   GET /            the reader's home page (by role)
//   GET /cabinet, /management, /team, /public   ?period=&org_unit=&group=
//   GET /api/pages/{audience}   the same page's document as JSON (report/render.h)

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "report/plan_sections.h"
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
#include "server/plan_source.h"
#include "server/roles.h"

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
bool Build(RequestContext& c, const report::Analysis& a, const std::shared_ptr<const report::PlanForReports>& plan,
           report::Audience audience, std::string_view path, Built& out) {
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
  // The plan's targets on the charts and its sections (objectives, every
  // plan, the team plan), as `goldthread report` draws them.
  if (plan) o.targets = report::PlanTargets(plan, report::ReportGrain(o));
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

// A page of one subject (the plan, the Carers' Hub): the audience's document
// with only the sections whose id starts with one of these.
using Only = std::vector<std::string_view>;

// What a page of one subject is called: its own <title> and h1 (and the
// subtitle's words before ", as at PERIOD"), never the audience report's
// whose sections it borrows.
struct Subject {
  Only only;
  std::string heading;
  std::string subtitle;
  std::string if_none;  // the one paragraph when no section is kept
};

void KeepOnly(report::Document& doc, const Only& only) {
  if (only.empty()) return;
  std::erase_if(doc.sections, [&](const report::Section& s) {
    return std::none_of(only.begin(), only.end(), [&](std::string_view p) { return s.id.starts_with(p); });
  });
  // Person-level rows shown are logged (LogViews): none when no kept
  // section holds any.
  if (std::none_of(doc.sections.begin(), doc.sections.end(), [](const report::Section& s) { return s.person_level; }))
    doc.person_level_views.clear();
}

void Page(RequestContext& c, report::Audience audience, std::string_view path, std::string_view title,
          As as = As::kHtml, const Subject* subject = nullptr) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  Result<std::shared_ptr<const report::PlanForReports>> plan = c.state.plans->For(a, *c.state.store);
  if (!plan.ok()) return c.Fail(503, "The council's plan could not be read just now: " + plan.status().message());
  // Everything the content depends on besides the analysis.
  const std::string key = fmt::format("{}|plan {}", CacheKey(c), PlanVersionOf(*plan));
  std::shared_ptr<const CachedPage> page = c.state.pages->Find(a, key);
  if (!page) {
    Built b;
    if (!Build(c, *a, *plan, audience, path, b)) return;
    if (subject) {
      KeepOnly(b.doc, subject->only);
      b.doc.title = subject->heading;
      b.doc.subtitle = fmt::format("{}, as at {}", subject->subtitle, b.doc.period);
      if (b.doc.sections.empty()) {
        report::Section none;
        none.id = "none";
        none.title = std::string(title);
        none.blocks.push_back(report::Paragraph{subject->if_none});
        b.doc.sections.push_back(std::move(none));
      }
    }
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

void PlanPage(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  // A team's own plan for a team (the reader's, or org_unit's); every plan,
  // from the objectives down, for anyone else.
  const std::string unit = c.Param("org_unit").empty() ? c.who->user.org_unit : c.Param("org_unit");
  const int32_t row = unit.empty() ? -1 : a->OrgUnit(unit);
  const bool team = row >= 0 && a->OrgUnitKind(row) == "team";
  Subject s;
  s.only = {"plan-", "team-plan"};
  s.heading = team ? fmt::format("The golden thread: {} {}'s plan, prime indicators and targets", unit,
                                 a->OrgUnitName(row))
                   : "The golden thread: objectives, plans and targets";
  s.subtitle = team ? "The team plan" : "The council's plan";
  s.if_none = fmt::format("The store holds no plan: load one with 'goldthread plan load {} PLAN.toml' (docs/plans.md).",
                          c.state.store->location());
  Page(c, team ? report::Audience::kTeam : report::Audience::kManagement, "/plan", s.heading, As::kHtml, &s);
}

void HubPage(RequestContext& c) {
  // The audit in full, or the public summary (wheel and reach under
  // disclosure control) for a viewer, as the reports show them.
  const bool plain = NeedsDisclosureControl(c.who->role);
  Subject s;
  s.only = {"carers-hub"};
  s.heading = plain ? "Support for carers: who it reaches" : "The Carers' Hub audit: who each kind of support reaches";
  s.subtitle = plain ? "The Carers' Hub, in plain words" : "The Carers' Hub audit";
  s.if_none = "There is no Carers' Hub audit for these data (no carers' services with a hub_intervention in the year).";
  Page(c, plain ? report::Audience::kPublic : report::Audience::kManagement, "/hub", s.heading, As::kHtml, &s);
}

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
