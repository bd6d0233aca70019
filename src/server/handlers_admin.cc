// The access log (admins), the server's state and the API's index.

#include <charconv>

#include "server/access_log.h"
#include "server/handlers.h"
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
  if (text.empty()) return true;
  Date d;
  if (TryParseTimestamp(text, out)) return true;
  if (TryParseDate(text, d)) {
    out = static_cast<Timestamp>(d) * 86400;
    return true;
  }
  c.Fail(400, name + " '" + text + "' is not a day (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SSZ)");
  return false;
}

nlohmann::json EntryJson(const AccessEntry& e) {
  return {{"id", e.id},
          {"at", FormatTimestamp(e.at)},
          {"user", e.user},
          {"role", e.role},
          {"remote_addr", e.remote_addr},
          {"action", e.action},
          {"indicator", e.indicator},
          {"period", e.period},
          {"org_unit", e.org_unit},
          {"detail", e.detail},
          {"records", e.records},
          {"outcome", e.outcome}};
}

}  // namespace

void AccessLogApi(RequestContext& c) {
  AccessQuery q;
  q.user = c.Param("user");
  if (!TryIntParam(c, "limit", 1, 1000, q.limit) || !TryIntParam(c, "before", 1, INT64_MAX, q.before_id) ||
      !TryTimeParam(c, "since", q.since) || !TryTimeParam(c, "until", q.until))
    return;
  Result<std::vector<AccessEntry>> entries =
      c.state.store->Read([&](Store& s) { return s.ReadAccessLog(q); });
  if (!entries.ok())
    return c.Fail(503, "The access log could not be read just now: " + entries.status().message());
  Status logged =
      LogAccess(*c.state.store, c.now(), c.who->user, c.req.remote_addr,
                Event(kActionAccessLog, kOutcomeShown, q.user, static_cast<int64_t>(entries->size())));
  if (!logged.ok()) return c.Fail(503, "The access log could not be written just now: " + logged.message());
  nlohmann::json list = nlohmann::json::array();
  for (const AccessEntry& e : *entries) list.push_back(EntryJson(e));
  nlohmann::json body{{"entries", list}};
  // The next page: entries older than the last one shown.
  body["next_before"] = static_cast<int64_t>(entries->size()) == q.limit && !entries->empty()
                            ? nlohmann::json(entries->back().id)
                            : nlohmann::json();
  c.Json(200, body);
}

void StatusApi(RequestContext& c) {
  ReloaderStatus s = c.state.analysis->status();
  c.Json(200, {{"ready", c.state.analysis->Current() != nullptr},
               {"generation", s.generation},
               {"batches", s.batches},
               {"rebuilding", s.building},
               {"last_error", s.last_error.empty() ? nlohmann::json() : nlohmann::json(s.last_error)}});
}

void ApiIndex(RequestContext& c) {
  nlohmann::json routes = nlohmann::json::array();
  for (const Route& r : Routes())
    routes.push_back({{"method", MethodName(r.method)}, {"path", r.pattern}, {"summary", r.summary}});
  c.Json(200, {{"routes", routes}});
}

}  // namespace goldthread::server
