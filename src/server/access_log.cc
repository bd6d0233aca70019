#include "server/access_log.h"

namespace goldthread::server {

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
