#pragma once
// The SQLite store's dashboard tables: users, sessions and the access log
// (schema version 2). SqliteStore owns one SqliteAuth on its connection and
// forwards the Store methods of that block to it. Every statement is a
// checked sqlite::Stmt: a store held by an import waits (the connection's
// bounded busy wait) and then fails with kBusy, never as bad input.
//
//   users(id, name UNIQUE COLLATE NOCASE, role, org_unit, password_hash,
//         disabled, failed_sign_ins, locked_until, created_at, last_sign_in)
//   sessions(token_hash PRIMARY KEY, user_id, csrf_token, created_at,
//            expires_at, last_seen, remote_addr)
//   access_log(id, at, user, role, remote_addr, action, indicator, period,
//              org_unit, detail, records, outcome): append-only, triggers
//              refuse UPDATE and DELETE
// Times are INTEGER seconds since the epoch (NULL for none).
//
// Thread-safety: as the Store, one thread at a time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace goldthread {

class SqliteAuth {
 public:
  /// db stays owned by the caller and must outlive this object.
  explicit SqliteAuth(sqlite::Db* db) : db_(db) {}
  SqliteAuth(const SqliteAuth&) = delete;
  SqliteAuth& operator=(const SqliteAuth&) = delete;

  Result<int64_t> AddUser(const UserRecord& user);
  Result<std::optional<UserRecord>> FindUser(std::string_view name);
  Result<std::optional<UserRecord>> FindUserById(int64_t id);
  Result<std::vector<UserRecord>> ListUsers();
  Status SetUserDisabled(std::string_view name, bool disabled);
  Status SetUserPassword(std::string_view name, std::string_view password_hash);
  Result<int32_t> RecordFailedSignIn(int64_t user_id, int32_t lock_after, Timestamp locked_until);
  Status RecordSignIn(int64_t user_id, Timestamp at);

  Status SaveSession(const SessionRecord& session);
  Result<std::optional<SessionRecord>> FindSession(std::string_view token_hash);
  Status TouchSession(std::string_view token_hash, Timestamp last_seen);
  Status DeleteSession(std::string_view token_hash);
  Status DeleteUserSessions(int64_t user_id);
  Result<int64_t> DeleteExpiredSessions(Timestamp now);

  Result<int64_t> AppendAccess(const AccessEntry& entry);
  Result<std::vector<AccessEntry>> ReadAccessLog(const AccessQuery& query);

 private:
  Result<std::vector<UserRecord>> QueryUsers(const char* where, std::string_view text, int64_t id);
  /// Runs an UPDATE of one user by name; kNotFound if none changed.
  Status UpdateUserByName(const char* sql, std::string_view name, std::string_view text, int64_t value);

  sqlite::Db* db_;
};

}  // namespace goldthread
