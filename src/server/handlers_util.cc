#include "server/handlers_util.h"

#include <fmt/format.h>

#include "core/text.h"
#include "server/page.h"
#include "server/page_cache.h"

namespace goldthread::server {

std::shared_ptr<const report::Analysis> RequireAnalysis(RequestContext& c) {
  std::shared_ptr<const report::Analysis> a = c.state.analysis->Current();
  if (a) return a;
  const ReloaderStatus s = c.state.analysis->status();
  const std::string message =
      s.last_error.empty()
          ? "The figures are being computed from the store; this takes a few seconds after the server starts."
          : "The figures could not be computed from the store: " + s.last_error +
                " (the dashboard tries again when the store changes).";
  c.res.set_header("Retry-After", "5");
  if (c.is_api()) {
    c.Json(503, {{"error", message}});
  } else {
    PageChrome chrome{"Not ready yet", c.who ? &*c.who : nullptr, c.req.path, s.last_error.empty() ? 5 : 0};
    c.Html(503, MessagePage(chrome, "The figures are not ready yet", message));
  }
  return nullptr;
}

std::string CacheKey(const RequestContext& c) {
  return fmt::format("{}\n{}\n{}", c.req.target.empty() ? c.req.path : c.req.target, RoleName(c.who->role),
                     c.who->user.org_unit);
}

void AnswerCached(RequestContext& c, const std::shared_ptr<const report::Analysis>& a,
                  const std::function<void(RequestContext&, const report::Analysis&)>& answer,
                  const std::string& extra_key) {
  const std::string key = extra_key.empty() ? CacheKey(c) : CacheKey(c) + "\n" + extra_key;
  if (std::shared_ptr<const CachedPage> kept = c.state.pages->Find(a, key)) {
    c.res.status = 200;
    c.res.set_content(kept->body, kept->content_type);
    return;
  }
  answer(c, *a);
  if (c.res.status != 200) return;
  auto kept = std::make_shared<CachedPage>();
  kept->body = c.res.body;
  kept->content_type = c.res.get_header_value("Content-Type");
  c.state.pages->Put(a, key, std::move(kept));
}

bool TryPeriodParam(RequestContext& c, const report::Analysis& a, const std::string& name, Period& out) {
  const std::string text = c.Param(name);
  Period p;
  bool ok = TryParsePeriod(text, p) && (p.kind == PeriodKind::kMonth || p.kind == PeriodKind::kQuarter);
  if (ok) {
    const std::vector<Period>& periods = a.grain(p.kind).result.periods;
    ok = std::find(periods.begin(), periods.end(), p) != periods.end();
  }
  if (ok) {
    out = p;
    return true;
  }
  const std::vector<Period>& months = a.monthly.result.periods;
  c.Fail(400,
         fmt::format("{} '{}' is not a month (YYYY-MM) or quarter (YYYY-YY Qn) of the figures{}", name, text,
                     months.empty() ? std::string()
                                    : fmt::format(" (they run from {} to {})", months.front().Label(),
                                                  months.back().Label())));
  return false;
}

bool TryOrgUnitParam(RequestContext& c, const report::Analysis& a, const std::string& name, int32_t fallback,
                     int32_t& out) {
  const std::string text = c.Param(name);
  if (text.empty() && fallback >= 0) {
    out = fallback;
    return true;
  }
  const int32_t row = a.OrgUnit(text);
  if (row < 0) {
    c.Fail(400, fmt::format("{} '{}' is not an org unit of the store", name, text));
    return false;
  }
  out = row;
  return true;
}

bool TryIndicatorParam(RequestContext& c, const report::Analysis& a, const std::string& name, int& out) {
  const std::string text = c.Param(name);
  out = a.IndicatorIndex(text);
  if (out >= 0) return true;
  std::vector<std::string_view> ids;
  for (const indicators::Definition& d : a.definitions) ids.push_back(d.id);
  const std::string hint = ClosestName(text, ids);
  c.Fail(400, fmt::format("{} '{}' is not an indicator{}", name, text,
                          hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
  return false;
}

}  // namespace goldthread::server
