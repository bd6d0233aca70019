// goldthread audit-log STORE: who saw which person-level data, when and from
// where (issue 10): the dashboard writes an entry for every view of cases,
// findings' records and single records, every refusal, and every sign-in,
// sign-out and lock-out. Newest first.

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/date.h"
#include "server/access_log.h"
#include "store/store.h"

namespace goldthread::cli {

int CmdAuditLog(const Args& args) {
  CLI::App app{
      "The dashboard's access log: every view of person-level data, every refusal, sign-in and "
      "lock-out, newest first.",
      "audit-log"};
  std::string store_path, user, since_text, until_text, json_out;
  int64_t limit = 100;
  StoreFlags store_flags;
  app.add_option("STORE", store_path, "the store")->required();
  AddStoreFlags(app, store_flags);
  app.add_option("--user", user, "only this user's entries");
  app.add_option("--since", since_text, "from this day (YYYY-MM-DD, UTC) or time (ISO 8601)");
  app.add_option("--until", until_text, "before this day or time");
  app.add_option("--limit", limit, "at most this many entries (0: all)")->capture_default_str();
  app.add_option("--json", json_out, "write the entries as JSON to FILE ('-' for stdout)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  ProtectedFiles protect;
  protect.AddStore(store_path);
  if (!CheckOutputs("audit-log", {{"--json", json_out}}, protect)) return kExitUsage;

  AccessQuery q;
  q.user = user;
  q.limit = limit <= 0 ? -1 : limit;
  if (!since_text.empty() && !server::TryParseDayOrTime(since_text, q.since)) {
    std::cerr << "goldthread audit-log: --since '" << since_text << "' is not a day (YYYY-MM-DD) or a time\n";
    return kExitUsage;
  }
  if (!until_text.empty() && !server::TryParseDayOrTime(until_text, q.until)) {
    std::cerr << "goldthread audit-log: --until '" << until_text << "' is not a day (YYYY-MM-DD) or a time\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Store>> store = OpenStoreFor("audit-log", store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return Fail("audit-log", store.status());
  Result<std::vector<AccessEntry>> entries = (*store)->ReadAccessLog(q);
  if (!entries.ok()) return Fail("audit-log", entries.status());

  if (!json_out.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const AccessEntry& e : *entries) list.push_back(server::AccessEntryJson(e));
    return WriteOutput("audit-log", json_out, nlohmann::json{{"entries", list}}.dump(1) + "\n", protect)
               ? kExitOk
               : kExitBadInput;
  }
  if (entries->empty()) {
    std::cout << "the access log has no entries"
              << (user.empty() && q.since == kNullTimestamp && q.until == kNullTimestamp ? "" : " that match")
              << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("{:<21} {:<16} {:<8} {:<15} {:<9} {:<8} {:>7}  {}\n", "when (UTC)", "user", "role",
                           "from", "action", "outcome", "records", "what");
  for (const AccessEntry& e : *entries) {
    const std::string what = server::AccessEntryWhat(e);
    std::cout << fmt::format("{:<21} {:<16} {:<8} {:<15} {:<9} {:<8} {:>7}  {}\n", FormatTimestamp(e.at),
                             e.user, e.role, e.remote_addr, e.action, e.outcome, e.records,
                             what.empty() ? "-" : what);
  }
  if (q.limit > 0 && static_cast<int64_t>(entries->size()) == q.limit)
    std::cout << "(the latest " << q.limit << "; --limit 0 for all, --json FILE to export)\n";
  return kExitOk;
}

}  // namespace goldthread::cli
