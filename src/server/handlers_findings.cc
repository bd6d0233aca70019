// Integrity findings: the list, and one finding with its evidence and the
// records behind it (person-level: admin and analyst, a manager within its
// org subtree; every view of records logged).
//   GET /findings, GET /findings/view?key=K         pages
//   GET /api/findings, GET /api/findings/view?key=K  JSON

#include <fmt/format.h>

#include "integrity/finding.h"
#include "report/audiences.h"
#include "report/finding_words.h"
#include "report/render_html.h"
#include "server/access_log.h"
#include "server/handlers.h"
#include "server/handlers_util.h"
#include "server/http_util.h"
#include "server/links.h"
#include "server/page.h"

namespace goldthread::server {
namespace {

// Records of a finding: admin and analyst always (a finding may be about
// the council as a whole), a manager within its subtree.
bool MaySeeRecords(const report::Analysis& a, const SignedIn& who, const integrity::Finding& f) {
  if (SeesEveryUnit(who.role)) return true;
  return MaySeePersons(a, who, a.OrgUnit(f.org_unit));
}

report::ChartContext Context(const report::Analysis& a, const SignedIn& who,
                             const report::LinkBuilder& links) {
  report::ChartContext ctx;
  ctx.analysis = &a;
  ctx.links = links;
  return ctx;
}

// The finding of ?key=, or -1 after a 400/404.
int FindingParam(RequestContext& c, const report::Analysis& a) {
  const std::string key = c.Param("key");
  if (key.empty())
    return c.Fail(400, "key is required (a finding's key, as GET /api/findings lists them)"), -1;
  const int i = FindFinding(a, key);
  if (i < 0)
    return c.Fail(404,
                  fmt::format("No finding has the key '{}' in the figures now served (they may have been "
                              "recomputed since: see /findings).",
                              key)),
           -1;
  return i;
}

// Logs a view of a finding's records; false (after a 503) if it could not.
bool LogRecords(RequestContext& c, const integrity::Finding& f, int64_t records) {
  Status s = LogAccess(*c.state.store, c.now(), c.who->user, c.req.remote_addr,
                       {kActionFinding, f.indicators.empty() ? "" : f.indicators.front(), f.period,
                        f.org_unit, FindingKey(f), records, kOutcomeShown});
  if (!s.ok())
    c.Fail(503, "The access log could not be written, so the records are not shown: " + s.message());
  return s.ok();
}

nlohmann::json Summary(const integrity::Finding& f) {
  return {{"key", FindingKey(f)},
          {"check", f.check},
          {"severity", integrity::SeverityName(f.severity)},
          {"indicators", f.indicators},
          {"org_unit", f.org_unit},
          {"period", f.period},
          {"summary", f.summary},
          {"link", "/findings/view?key=" + UrlEncode(FindingKey(f))}};
}

}  // namespace

void FindingsPage(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  const report::ChartContext ctx = Context(*a, *c.who, DashboardLinks(*a, *c.who));
  report::Section s;
  s.id = "findings";
  s.title = fmt::format("Integrity findings ({})", a->findings.size());
  s.blocks.push_back(report::Paragraph{
      "Each finding is a pattern in the records that gaming, or a data problem, would explain, ranked by how "
      "strongly the data show it. Open one to see its evidence and the records behind it."});
  for (size_t i = 0; i < a->findings.size(); ++i)
    s.blocks.push_back(report::internal::ToBlock(*a, static_cast<int>(i), ctx, false));
  if (a->findings.empty()) s.blocks.push_back(report::Paragraph{"No check found anything to report."});
  c.Html(200, RenderPage({"Findings", &*c.who, "/findings"},
                         "<h1>Findings</h1>\n" + report::RenderSectionHtml(s)));
}

void FindingPage(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  const int i = FindingParam(c, *a);
  if (i < 0) return;
  const integrity::Finding& f = a->findings[i];
  // No link builder: the block's only link would lead back to this page.
  const report::ChartContext ctx = Context(*a, *c.who, {});
  report::Section s;
  s.id = "finding";
  s.title = "Evidence and records";
  s.blocks.push_back(report::internal::ToBlock(*a, i, ctx, true));
  if (MaySeeRecords(*a, *c.who, f)) {
    if (!LogRecords(c, f, static_cast<int64_t>(f.evidence.record_ids.size()))) return;
    report::Table t;
    t.id = "finding-records";
    t.caption = "The records behind this finding";
    t.person_level = true;
    t.columns = {{"Record", report::ColumnType::kText, 0}};
    for (const std::string& id : f.evidence.record_ids) t.rows.push_back({report::TextCell(id)});
    t.note =
        f.evidence.record_ids_omitted > 0
            ? fmt::format("{} more records are counted in the evidence but not listed.",
                          f.evidence.record_ids_omitted)
            : (f.evidence.record_ids.empty() ? "This finding rests on figures, not on listed records." : "");
    s.blocks.push_back(std::move(t));
  } else {
    s.blocks.push_back(report::Callout{report::Callout::Kind::kInfo, "Records not shown",
                                       "The records behind this finding are outside your org unit."});
  }
  c.Html(200,
         RenderPage({"Finding", &*c.who, "/findings"}, "<h1>Finding</h1>\n" + report::RenderSectionHtml(s) +
                                                           "<p><a href=\"/findings\">All findings</a></p>"));
}

void FindingsApi(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  nlohmann::json list = nlohmann::json::array();
  for (const integrity::Finding& f : a->findings) list.push_back(Summary(f));
  c.Json(200, {{"findings", list}});
}

void FindingApi(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = RequireAnalysis(c);
  if (!a) return;
  const int i = FindingParam(c, *a);
  if (i < 0) return;
  const integrity::Finding& f = a->findings[i];
  nlohmann::json j = Summary(f);
  const integrity::Evidence& e = f.evidence;
  j["statistic"] = f.statistic;
  j["value"] = f.value;
  j["threshold"] = f.threshold;
  j["looked_at"] = f.looked_at;
  j["innocent_if"] = f.innocent_if;
  j["why"] = report::WhyInWords(f);  // what was looked at and why it fired, in words
  nlohmann::json ev = {{"records", e.records}, {"dates", e.dates}};
  nlohmann::json figures = nlohmann::json::object(), users = nlohmann::json::array(),
                 batches = nlohmann::json::array();
  for (const auto& [name, v] : e.figures) figures[name] = v;
  for (const auto& [user, n] : e.users) users.push_back({{"user", user}, {"records", n}});
  for (const auto& [batch, n] : e.batches) batches.push_back({{"batch", batch}, {"records", n}});
  ev["figures"] = figures;
  ev["users"] = users;
  ev["batches"] = batches;
  if (MaySeeRecords(*a, *c.who, f)) {
    if (!LogRecords(c, f, static_cast<int64_t>(e.record_ids.size()))) return;
    ev["record_ids"] = e.record_ids;
    ev["record_ids_omitted"] = e.record_ids_omitted;
  } else {
    ev["record_ids"] = nullptr;  // outside the reader's org unit
  }
  j["evidence"] = ev;
  c.Json(200, j);
}

}  // namespace goldthread::server
