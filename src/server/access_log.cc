#include "server/access_log.h"

#include "core/date.h"

namespace goldthread::server {

nlohmann::json AccessEntryJson(const AccessEntry& e) {
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

std::string AccessEntryWhat(const AccessEntry& e) {
  std::string out = e.indicator;
  for (const std::string* part : {&e.period, &e.org_unit, &e.detail})
    if (!part->empty()) out += (out.empty() ? "" : " ") + *part;
  return out;
}

bool TryParseDayOrTime(std::string_view text, Timestamp& out) {
  if (TryParseTimestamp(text, out)) return true;
  Date d;
  if (!TryParseDate(text, d)) return false;
  out = static_cast<Timestamp>(d) * 86400;
  return true;
}

Status LogAccess(SharedStore& store, Timestamp at, const UserRecord& user, std::string_view remote_addr,
                 const AccessWhat& what) {
  AccessEntry e;
  e.at = at;
  e.user = user.name;
  e.role = user.role;
  e.remote_addr = std::string(remote_addr);
  e.action = std::string(what.action);
  e.indicator = std::string(what.indicator);
  e.period = std::string(what.period);
  e.org_unit = std::string(what.org_unit);
  e.detail = std::string(what.detail);
  e.records = what.records;
  e.outcome = std::string(what.outcome);
  Result<int64_t> id = store.Write([&](Store& s) { return s.AppendAccess(e); });
  return id.ok() ? Status::Ok() : id.status();
}

}  // namespace goldthread::server
