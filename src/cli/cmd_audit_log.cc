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
#include "store/store.h"

namespace goldthread::cli {
namespace {

// A day (YYYY-MM-DD, from its midnight UTC) or a timestamp.
bool TryParseWhen(const std::string& text, Timestamp& out) {
  if (TryParseTimestamp(text, out)) return true;
  Date d;
  if (!TryParseDate(text, d)) return false;
  out = static_cast<Timestamp>(d) * 86400;
  return true;
}

std::string Figure(const AccessEntry& e) {
  std::string out = e.indicator;
  for (const std::string* part : {&e.period, &e.org_unit, &e.detail})
    if (!part->empty()) out += (out.empty() ? "" : " ") + *part;
  return out.empty() ? "-" : out;
}

}  // namespace

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
  if (!since_text.empty() && !TryParseWhen(since_text, q.since)) {
    std::cerr << "goldthread audit-log: --since '" << since_text << "' is not a day (YYYY-MM-DD) or a time\n";
    return kExitUsage;
  }
  if (!until_text.empty() && !TryParseWhen(until_text, q.until)) {
    std::cerr << "goldthread audit-log: --until '" << until_text << "' is not a day (YYYY-MM-DD) or a time\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Store>> store = OpenStoreFor("audit-log", store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return Fail("audit-log", store.status());
  Result<std::vector<AccessEntry>> entries = (*store)->ReadAccessLog(q);
  if (!entries.ok()) return Fail("audit-log", entries.status());

  if (!json_out.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const AccessEntry& e : *entries)
      list.push_back({{"id", e.id},
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
                      {"outcome", e.outcome}});
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
  for (const AccessEntry& e : *entries)
    std::cout << fmt::format("{:<21} {:<16} {:<8} {:<15} {:<9} {:<8} {:>7}  {}\n", FormatTimestamp(e.at),
                             e.user, e.role, e.remote_addr, e.action, e.outcome, e.records, Figure(e));
  if (q.limit > 0 && static_cast<int64_t>(entries->size()) == q.limit)
    std::cout << "(the latest " << q.limit << "; --limit 0 for all, --json FILE to export)\n";
  return kExitOk;
}

}  // namespace goldthread::cli
