#include "server/links.h"

#include <fmt/format.h>

#include "server/http_util.h"

namespace goldthread::server {

std::string FindingKey(const integrity::Finding& f) {
  std::string key = fmt::format("{}|{}|{}|", f.check, f.org_unit, f.period);
  for (size_t i = 0; i < f.indicators.size(); ++i) key += (i ? "," : "") + f.indicators[i];
  return key;
}

int FindFinding(const report::Analysis& a, std::string_view key) {
  for (size_t i = 0; i < a.findings.size(); ++i)
    if (FindingKey(a.findings[i]) == key) return static_cast<int>(i);
  return -1;
}

bool MaySeePersons(const report::Analysis& a, const SignedIn& who, int32_t org_unit) {
  if (!SeesPersonLevel(who.role) || org_unit < 0) return false;
  if (SeesEveryUnit(who.role)) return true;
  const int32_t own = who.user.org_unit.empty() ? -1 : a.OrgUnit(who.user.org_unit);
  return own >= 0 && a.Within(org_unit, own);
}

std::string CasesUrl(std::string_view indicator, std::string_view period, std::string_view org_unit,
                     std::string_view group) {
  std::string url = fmt::format("/cases?indicator={}&period={}&org_unit={}", UrlEncode(indicator),
                                UrlEncode(period), UrlEncode(org_unit));
  if (!group.empty() && group != "all") url += "&group=" + UrlEncode(group);
  return url;
}

report::LinkBuilder DashboardLinks(const report::Analysis& a, const SignedIn& who) {
  // The builder outlives neither the analysis nor the request that made it.
  return [&a, who](const report::LinkTarget& t) -> std::string {
    if (t.kind == report::LinkTarget::Kind::kFinding) {
      if (!SeesPersonLevel(who.role) || t.finding < 0 || t.finding >= static_cast<int>(a.findings.size()))
        return "";
      return "/findings/view?key=" + UrlEncode(FindingKey(a.findings[t.finding]));
    }
    if (!MaySeePersons(a, who, a.OrgUnit(t.org_unit))) return "";
    return CasesUrl(t.indicator, t.period, t.org_unit, t.group);
  };
}

}  // namespace goldthread::server
