#pragma once
// What the dashboard writes to the store's access log (store/store.h
// AccessEntry; issue 10: who, which figure or record, when, from where).
// Person-level data are logged before they are sent: if the entry cannot
// be written, the data are not shown.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/auth.h"
#include "server/shared_store.h"

namespace goldthread::server {

// AccessEntry::action values.
inline constexpr std::string_view kActionCases = "cases";           // the persons behind a figure
inline constexpr std::string_view kActionFinding = "finding";       // a finding's evidence and records
inline constexpr std::string_view kActionPage = "page";             // a page holding person-level rows
inline constexpr std::string_view kActionAccessLog = "access_log";  // an admin read the log
inline constexpr std::string_view kActionSignIn = "sign_in";
inline constexpr std::string_view kActionSignOut = "sign_out";
inline constexpr std::string_view kActionLockOut = "lock_out";  // failed sign-ins locked the account

// AccessEntry::outcome values.
inline constexpr std::string_view kOutcomeShown = "shown";
inline constexpr std::string_view kOutcomeRefused = "refused";
inline constexpr std::string_view kOutcomeOk = "ok";

struct AccessWhat {
  std::string_view action;
  std::string_view indicator, period, org_unit, detail;
  int64_t records = 0;
  std::string_view outcome = kOutcomeShown;
};

/// An event without a figure: a sign-in, a lock-out, reading the log.
inline AccessWhat Event(std::string_view action, std::string_view outcome, std::string_view detail = "",
                        int64_t records = 0) {
  return AccessWhat{action, "", "", "", detail, records, outcome};
}

/// The entry as GET /api/access-log and `goldthread audit-log --json` give it.
nlohmann::json AccessEntryJson(const AccessEntry& e);
/// What the entry is about: its indicator, period, org unit and detail, the
/// ones present, separated by spaces ("" when none is).
std::string AccessEntryWhat(const AccessEntry& e);
/// A --since/--until (or since=/until=) bound: a day (YYYY-MM-DD, from its
/// midnight UTC) or an ISO 8601 time.
bool TryParseDayOrTime(std::string_view text, Timestamp& out);

/// Appends one entry for the user (name and role) from remote_addr.
Status LogAccess(SharedStore& store, Timestamp at, const UserRecord& user, std::string_view remote_addr,
                 const AccessWhat& what);

}  // namespace goldthread::server
