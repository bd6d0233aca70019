// The persons behind a figure (shared/DESIGN.md section 8):
//   GET /api/cases?indicator=ID&period=P&org_unit=ID[&group=G]  JSON
//   GET /cases?...                                              the same as a page
// Person-level roles only (the route's access), a manager only within its
// org subtree (403 outside it). Every call by a signed-in user is written
// to the access log, refusals too, before anything is shown.

#include <fmt/format.h>

#include "report/charts.h"
#include "report/document.h"
#include "report/render_html.h"
#include "report/svg_util.h"
#include "server/access_log.h"
#include "server/cases.h"
#include "server/handlers.h"
#include "server/handlers_util.h"
#include "server/links.h"
#include "server/page.h"

namespace goldthread::server {
namespace {

struct CasesAsked {
  int indicator = -1;
  Period period;
  int32_t unit = -1;
  std::string unit_id, group;
};

// Checks, refuses or computes; false once an answer has been sent.
bool LookUp(RequestContext& c, const report::Analysis& a, CasesAsked& q, FigureCases& out) {
  for (const char* name : {"indicator", "period", "org_unit"})
    if (c.Param(name).empty())
      return c.Fail(400,
                    fmt::format("{} is required (GET /api/cases?indicator=ID&period=P&org_unit=ID)", name)),
             false;
  if (!TryIndicatorParam(c, a, "indicator", q.indicator) || !TryPeriodParam(c, a, "period", q.period) ||
      !TryOrgUnitParam(c, a, "org_unit", -1, q.unit))
    return false;
  q.unit_id = c.Param("org_unit");
  q.group = c.Param("group").empty() ? "all" : c.Param("group");
  const std::string& ind = a.definitions[q.indicator].id;
  const std::string period = q.period.Label();
  AccessWhat what{kActionCases, ind, period, q.unit_id, q.group == "all" ? "" : q.group, 0, kOutcomeRefused};
  if (!MaySeePersons(a, *c.who, q.unit)) {
    Status logged = LogAccess(*c.state.store, c.now(), c.who->user, c.req.remote_addr, what);
    (void)logged;  // a refusal shows nothing, so it stands even unlogged
    return c.Fail(403,
                  fmt::format("A manager sees the cases of its own org unit ({}) and the units below it; {} "
                              "is outside it.",
                              c.who->user.org_unit, q.unit_id)),
           false;
  }
  Result<FigureCases> cases =
      CasesOfFigure(*a.snapshot, a.definitions, q.indicator, q.period, q.unit, q.group);
  if (!cases.ok()) return c.Fail(400, cases.status().message()), false;
  what.records = static_cast<int64_t>(cases->persons.size());
  what.outcome = kOutcomeShown;
  // Logged before it is shown: no entry, no data.
  if (Status logged = LogAccess(*c.state.store, c.now(), c.who->user, c.req.remote_addr, what); !logged.ok())
    return c.Fail(503,
                  "The access log could not be written, so the cases are not shown: " + logged.message()),
           false;
  out = std::move(*cases);
  return true;
}

nlohmann::json Number(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

}  // namespace

void CasesApi(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  CasesAsked q;
  FigureCases cases;
  if (!LookUp(c, *a, q, cases)) return;
  nlohmann::json persons = nlohmann::json::array();
  for (const FigureCases::Person& p : cases.persons)
    persons.push_back({{"person_id", p.id}, {"in_numerator", p.in_numerator}});
  const indicators::Definition& d = a->definitions[q.indicator];
  c.Json(200, {{"indicator", d.id},
               {"title", d.title},
               {"period", q.period.Label()},
               {"org_unit", q.unit_id},
               {"group", q.group},
               {"numerator", cases.numerator},
               {"denominator", Number(cases.denominator)},
               {"value", Number(cases.value)},
               {"cases", persons}});
}

void CasesPage(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  CasesAsked q;
  FigureCases cases;
  if (!LookUp(c, *a, q, cases)) return;
  const indicators::Definition& d = a->definitions[q.indicator];
  report::Section s;
  s.id = "cases";
  s.title = fmt::format("{}: the cases behind {} {}", d.title, q.unit_id, q.period.Label());
  s.person_level = true;
  const int64_t counted = std::count_if(cases.persons.begin(), cases.persons.end(),
                                        [](const FigureCases::Person& p) { return p.in_numerator; });
  const std::string figure = cases.value ? report::FormatValue(d, *cases.value) : "no value";
  s.blocks.push_back(report::Paragraph{
      fmt::format("The figure is {} for {}. {} people were looked at for it and {} of them are counted in "
                  "it. This list is "
                  "person-level data: your view of it is recorded in the access log.",
                  figure, q.group == "all" ? "everyone" : q.group, cases.persons.size(), counted)});
  report::Table t;
  t.id = "cases-table";
  t.caption = "People behind the figure";
  t.person_level = true;
  t.columns = {{"Person", report::ColumnType::kText, 0},
               {"Counted in the figure", report::ColumnType::kText, 0}};
  for (const FigureCases::Person& p : cases.persons)
    t.rows.push_back({report::TextCell(p.id), report::TextCell(p.in_numerator ? "yes" : "no")});
  if (cases.persons.empty()) t.note = "No one was looked at for this figure.";
  s.blocks.push_back(std::move(t));
  const std::string back =
      fmt::format("<p><a href=\"/team?org_unit={}&amp;period={}\">Back to the team page</a></p>",
                  report::SvgEscape(q.unit_id), report::SvgEscape(q.period.Label()));
  c.Html(200, RenderPage({"Cases", &*c.who, "/team"},
                         fmt::format("<h1>Cases</h1>\n{}{}", report::RenderSectionHtml(s), back)));
}

}  // namespace goldthread::server
