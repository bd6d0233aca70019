// The access log (admins), the server's state and the API's index.

#include <fmt/format.h>

#include <charconv>

#include "report/analysis.h"
#include "report/document.h"
#include "report/render_html.h"
#include "report/svg_util.h"
#include "server/access_log.h"
#include "server/handlers.h"
#include "server/http_util.h"
#include "server/page.h"
#include "server/routes.h"
#include "server/server.h"

namespace goldthread::server {
namespace {

// A whole number parameter within [lo, hi]; false with a message otherwise.
bool TryIntParam(RequestContext& c, const std::string& name, int64_t lo, int64_t hi, int64_t& out) {
  const std::string text = c.Param(name);
  if (text.empty()) return true;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
    c.Fail(400, name + " '" + text + "' is not a whole number from " + std::to_string(lo) + " to " +
                    std::to_string(hi));
    return false;
  }
  out = v;
  return true;
}

// A day (YYYY-MM-DD, from midnight UTC) or an ISO 8601 time.
bool TryTimeParam(RequestContext& c, const std::string& name, Timestamp& out) {
  const std::string text = c.Param(name);
  if (text.empty() || TryParseDayOrTime(text, out)) return true;
  c.Fail(400, name + " '" + text + "' is not a day (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SSZ)");
  return false;
}

}  // namespace

namespace {

// Reads the entries the request asks for and logs that they were read;
// false once an error has been answered.
bool ReadLog(RequestContext& c, AccessQuery& q, std::vector<AccessEntry>& out) {
  q.user = c.Param("user");
  if (!TryIntParam(c, "limit", 1, 1000, q.limit) || !TryIntParam(c, "before", 1, INT64_MAX, q.before_id) ||
      !TryTimeParam(c, "since", q.since) || !TryTimeParam(c, "until", q.until))
    return false;
  Result<std::vector<AccessEntry>> entries =
      c.state.store->Read([&](Store& s) { return s.ReadAccessLog(q); });
  if (!entries.ok())
    return c.Fail(503, "The access log could not be read just now: " + entries.status().message()), false;
  Status logged =
      LogAccess(*c.state.store, c.now(), c.who->user, c.req.remote_addr,
                Event(kActionAccessLog, kOutcomeShown, q.user, static_cast<int64_t>(entries->size())));
  if (!logged.ok())
    return c.Fail(503, "The access log could not be written just now: " + logged.message()), false;
  out = std::move(*entries);
  return true;
}

// Entries older than the last one shown, when the page is full.
std::optional<int64_t> NextBefore(const AccessQuery& q, const std::vector<AccessEntry>& entries) {
  if (entries.empty() || static_cast<int64_t>(entries.size()) != q.limit) return std::nullopt;
  return entries.back().id;
}

}  // namespace

void AccessLogApi(RequestContext& c) {
  AccessQuery q;
  std::vector<AccessEntry> entries;
  if (!ReadLog(c, q, entries)) return;
  nlohmann::json list = nlohmann::json::array();
  for (const AccessEntry& e : entries) list.push_back(AccessEntryJson(e));
  const std::optional<int64_t> next = NextBefore(q, entries);
  c.Json(200, {{"entries", list}, {"next_before", next ? nlohmann::json(*next) : nlohmann::json()}});
}

void AccessLogPage(RequestContext& c) {
  AccessQuery q;
  std::vector<AccessEntry> entries;
  if (!ReadLog(c, q, entries)) return;
  using report::Column;
  using report::ColumnType;
  using report::TextCell;
  report::Section s;
  s.id = "access-log";
  s.title = "Who saw which person-level data";
  report::Table t;
  t.id = "access-log-table";
  t.caption = q.user.empty() ? "The latest entries, newest first" : "Entries of " + q.user + ", newest first";
  t.columns = {{"When (UTC)", ColumnType::kText, 0}, {"User", ColumnType::kText, 0},
               {"Role", ColumnType::kText, 0},       {"From", ColumnType::kText, 0},
               {"Action", ColumnType::kText, 0},     {"What", ColumnType::kText, 0},
               {"Records", ColumnType::kCount, 0},   {"Outcome", ColumnType::kText, 0}};
  for (const AccessEntry& e : entries) {
    t.rows.push_back({TextCell(FormatTimestamp(e.at)), TextCell(e.user), TextCell(e.role),
                      TextCell(e.remote_addr), TextCell(e.action), TextCell(AccessEntryWhat(e)),
                      report::NumberCell(static_cast<double>(e.records)), TextCell(e.outcome)});
  }
  if (entries.empty()) t.note = "No entries match.";
  s.blocks.push_back(std::move(t));
  std::string body = fmt::format(
      "<h1>Access log</h1>\n<form class=\"gt-filters\" method=\"get\" action=\"/access-log\" "
      "aria-label=\"Filters\"><label>User<input name=\"user\" value=\"{}\"></label>"
      "<button type=\"submit\">Show</button></form>\n",
      report::SvgEscape(q.user));
  body += report::RenderSectionHtml(s);
  if (const std::optional<int64_t> next = NextBefore(q, entries))
    body += fmt::format("<p><a href=\"/access-log?before={}{}\">Older entries</a></p>", *next,
                        q.user.empty() ? "" : "&amp;user=" + report::SvgEscape(UrlEncode(q.user)));
  body += "<p class=\"gt-note\">The same log, in full: <code>goldthread audit-log STORE</code>.</p>";
  c.Html(200, RenderPage({"Access log", &*c.who, "/access-log"}, body));
}

void StatusApi(RequestContext& c) {
  const ReloaderStatus s = c.state.analysis->status();
  std::shared_ptr<const report::Analysis> a = c.state.analysis->Current();
  nlohmann::json analysis;
  if (a) {
    const report::Provenance& p = a->provenance;
    analysis = {{"run_id", p.run_id},
                {"computed_at", FormatTimestamp(p.computed_at)},
                {"data_end", FormatDate(p.data_end)},
                {"records", p.records},
                {"figures_digest", p.figures_digest},
                {"findings", a->findings.size()}};
  }
  c.Json(200, {{"ready", a != nullptr},
               {"generation", s.generation},
               {"batches", s.batches},
               {"rebuilding", s.building},
               {"last_error", s.last_error.empty() ? nlohmann::json() : nlohmann::json(s.last_error)},
               {"analysis", analysis}});
}

void ApiIndex(RequestContext& c) {
  nlohmann::json routes = nlohmann::json::array();
  for (const Route& r : Routes())
    routes.push_back({{"method", MethodName(r.method)}, {"path", r.pattern}, {"summary", r.summary}});
  c.Json(200, {{"routes", routes}});
}

}  // namespace goldthread::server
