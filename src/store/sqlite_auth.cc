#include "store/sqlite_auth.h"

#include <fmt/format.h>

#include "store/sqlite_util.h"

namespace goldthread {
namespace {

using sqlite::ColumnText;
using sqlite::Stmt;

void Bind(sqlite3_stmt* s, int i, std::string_view text) {
  // SQLITE_TRANSIENT: some callers pass temporaries.
  sqlite3_bind_text(s, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void BindTime(sqlite3_stmt* s, int i, Timestamp t) {
  if (t == kNullTimestamp)
    sqlite3_bind_null(s, i);
  else
    sqlite3_bind_int64(s, i, t);
}

Timestamp ColumnTime(sqlite3_stmt* s, int col) {
  return sqlite3_column_type(s, col) == SQLITE_NULL ? kNullTimestamp : sqlite3_column_int64(s, col);
}

constexpr const char* kUserColumns =
    "SELECT id, name, role, org_unit, password_hash, disabled, failed_sign_ins, locked_until, created_at, "
    "last_sign_in FROM users ";

UserRecord ReadUser(sqlite3_stmt* s) {
  UserRecord u;
  u.id = sqlite3_column_int64(s, 0);
  u.name = ColumnText(s, 1);
  u.role = ColumnText(s, 2);
  u.org_unit = ColumnText(s, 3);
  u.password_hash = ColumnText(s, 4);
  u.disabled = sqlite3_column_int(s, 5) != 0;
  u.failed_sign_ins = sqlite3_column_int(s, 6);
  u.locked_until = ColumnTime(s, 7);
  u.created_at = ColumnTime(s, 8);
  u.last_sign_in = ColumnTime(s, 9);
  return u;
}

}  // namespace

std::vector<std::string> SqliteAuth::MigrationToVersion2() {
  return {
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT "
      "NULL, "
      "org_unit TEXT NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, "
      "failed_sign_ins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER, created_at INTEGER NOT NULL, "
      "last_sign_in INTEGER)",
      "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), "
      "csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, "
      "last_seen INTEGER NOT NULL, remote_addr TEXT NOT NULL)",
      "CREATE INDEX sessions_user ON sessions(user_id)",
      "CREATE INDEX sessions_expiry ON sessions(expires_at)",
      "CREATE TABLE access_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user TEXT NOT "
      "NULL, "
      "role TEXT NOT NULL, remote_addr TEXT NOT NULL, action TEXT NOT NULL, indicator TEXT NOT NULL, "
      "period TEXT NOT NULL, org_unit TEXT NOT NULL, detail TEXT NOT NULL, records INTEGER NOT NULL, "
      "outcome TEXT NOT NULL)",
      "CREATE INDEX access_log_user ON access_log(user, id)",
      "CREATE INDEX access_log_at ON access_log(at)",
      // An audit trail that the program itself cannot rewrite by mistake.
      "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
      "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END",
      "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
      "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END",
  };
}

Status SqliteAuth::Error(std::string_view what) const { return sqlite::Error(db_, *location_, what); }

//===----------------------------------------------------------------------===//
// Users
//===----------------------------------------------------------------------===//

Result<int64_t> SqliteAuth::AddUser(const UserRecord& user) {
  Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, *location_,
      "INSERT INTO users (name, role, org_unit, password_hash, disabled, failed_sign_ins, "
      "locked_until, created_at, last_sign_in) VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, ?6, NULL)",
      s, "preparing"));
  Bind(s.get(), 1, user.name);
  Bind(s.get(), 2, user.role);
  Bind(s.get(), 3, user.org_unit);
  Bind(s.get(), 4, user.password_hash);
  sqlite3_bind_int(s.get(), 5, user.disabled ? 1 : 0);
  BindTime(s.get(), 6, user.created_at == kNullTimestamp ? 0 : user.created_at);
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    return Status::AlreadyExists(fmt::format("user '{}' already exists", user.name));
  if (rc != SQLITE_DONE) return Error("adding a user");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<UserRecord>> SqliteAuth::QueryUsers(const char* where, std::string_view text, int64_t id) {
  Stmt s;
  std::string sql = std::string(kUserColumns) + where;
  GT_RETURN_IF_ERROR(sqlite::Prepare(db_, *location_, sql.c_str(), s, "preparing"));
  if (sqlite3_bind_parameter_count(s.get()) > 0) {
    if (id != 0)
      sqlite3_bind_int64(s.get(), 1, id);
    else
      Bind(s.get(), 1, text);
  }
  std::vector<UserRecord> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out.push_back(ReadUser(s.get()));
  if (rc != SQLITE_DONE) return Error("reading users");
  return out;
}

Result<std::optional<UserRecord>> SqliteAuth::FindUser(std::string_view name) {
  auto users = QueryUsers("WHERE name = ?1", name, 0);
  if (!users.ok()) return users.status();
  if (users->empty()) return std::optional<UserRecord>();
  return std::optional<UserRecord>(std::move(users->front()));
}

Result<std::optional<UserRecord>> SqliteAuth::FindUserById(int64_t id) {
  auto users = QueryUsers("WHERE id = ?1", {}, id);
  if (!users.ok()) return users.status();
  if (users->empty()) return std::optional<UserRecord>();
  return std::optional<UserRecord>(std::move(users->front()));
}

Result<std::vector<UserRecord>> SqliteAuth::ListUsers() { return QueryUsers("ORDER BY name", {}, 0); }

Status SqliteAuth::UpdateUserByName(const char* sql, std::string_view name, std::string_view text,
                                    int64_t value) {
  Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(db_, *location_, sql, s, "preparing"));
  Bind(s.get(), 1, name);
  if (sqlite3_bind_parameter_count(s.get()) >= 2) {
    if (text.data())
      Bind(s.get(), 2, text);
    else
      sqlite3_bind_int64(s.get(), 2, value);
  }
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("updating a user");
  if (sqlite3_changes(db_) == 0) return Status::NotFound(fmt::format("no user '{}'", name));
  return Status::Ok();
}

Status SqliteAuth::SetUserDisabled(std::string_view name, bool disabled) {
  // Enabling a user also lifts a lock-out: it is how an admin unlocks one.
  return UpdateUserByName(disabled
                              ? "UPDATE users SET disabled = ?2 WHERE name = ?1"
                              : "UPDATE users SET disabled = ?2, failed_sign_ins = 0, locked_until = NULL "
                                "WHERE name = ?1",
                          name, {}, disabled ? 1 : 0);
}

Status SqliteAuth::SetUserPassword(std::string_view name, std::string_view password_hash) {
  if (password_hash.empty()) return Status::InvalidArgument("an empty password hash");
  return UpdateUserByName(
      "UPDATE users SET password_hash = ?2, failed_sign_ins = 0, locked_until = NULL WHERE name = ?1", name,
      password_hash, 0);
}

Result<int32_t> SqliteAuth::RecordFailedSignIn(int64_t user_id, int32_t lock_after, Timestamp locked_until) {
  Stmt s;
  GT_RETURN_IF_ERROR(
      sqlite::Prepare(db_, *location_,
                      "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, locked_until = CASE WHEN "
                      "failed_sign_ins + 1 >= ?2 THEN ?3 ELSE locked_until END WHERE id = ?1 "
                      "RETURNING failed_sign_ins",
                      s, "preparing"));
  sqlite3_bind_int64(s.get(), 1, user_id);
  sqlite3_bind_int(s.get(), 2, lock_after);
  BindTime(s.get(), 3, locked_until);
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) return Status::NotFound(fmt::format("no user with id {}", user_id));
  if (rc != SQLITE_ROW) return Error("recording a failed sign-in");
  int32_t count = sqlite3_column_int(s.get(), 0);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("recording a failed sign-in");
  return count;
}

Status SqliteAuth::RecordSignIn(int64_t user_id, Timestamp at) {
  Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, *location_,
      "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in = ?2 WHERE id = ?1", s,
      "preparing"));
  sqlite3_bind_int64(s.get(), 1, user_id);
  BindTime(s.get(), 2, at);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("recording a sign-in");
  return Status::Ok();
}

//===----------------------------------------------------------------------===//
// Sessions
//===----------------------------------------------------------------------===//

Status SqliteAuth::SaveSession(const SessionRecord& session) {
  Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, *location_,
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen, "
      "remote_addr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      s, "preparing"));
  Bind(s.get(), 1, session.token_hash);
  sqlite3_bind_int64(s.get(), 2, session.user_id);
  Bind(s.get(), 3, session.csrf_token);
  sqlite3_bind_int64(s.get(), 4, session.created_at);
  sqlite3_bind_int64(s.get(), 5, session.expires_at);
  sqlite3_bind_int64(s.get(), 6,
                     session.last_seen == kNullTimestamp ? session.created_at : session.last_seen);
  Bind(s.get(), 7, session.remote_addr);
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::AlreadyExists("a session with this token already exists");
  if (rc != SQLITE_DONE) return Error("saving a session");
  return Status::Ok();
}

Result<std::optional<SessionRecord>> SqliteAuth::FindSession(std::string_view token_hash) {
  Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, *location_,
      "SELECT token_hash, user_id, csrf_token, created_at, expires_at, last_seen, remote_addr "
      "FROM sessions WHERE token_hash = ?1",
      s, "preparing"));
  Bind(s.get(), 1, token_hash);
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) return std::optional<SessionRecord>();
  if (rc != SQLITE_ROW) return Error("reading a session");
  SessionRecord r;
  r.token_hash = ColumnText(s.get(), 0);
  r.user_id = sqlite3_column_int64(s.get(), 1);
  r.csrf_token = ColumnText(s.get(), 2);
  r.created_at = ColumnTime(s.get(), 3);
  r.expires_at = ColumnTime(s.get(), 4);
  r.last_seen = ColumnTime(s.get(), 5);
  r.remote_addr = ColumnText(s.get(), 6);
  return std::optional<SessionRecord>(std::move(r));
}

Status SqliteAuth::TouchSession(std::string_view token_hash, Timestamp last_seen) {
  Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, *location_, "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1", s, "preparing"));
  Bind(s.get(), 1, token_hash);
  sqlite3_bind_int64(s.get(), 2, last_seen);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("updating a session");
  return Status::Ok();
}

Status SqliteAuth::DeleteSession(std::string_view token_hash) {
  Stmt s;
  GT_RETURN_IF_ERROR(
      sqlite::Prepare(db_, *location_, "DELETE FROM sessions WHERE token_hash = ?1", s, "preparing"));
  Bind(s.get(), 1, token_hash);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("deleting a session");
  return Status::Ok();
}

Status SqliteAuth::DeleteUserSessions(int64_t user_id) {
  Stmt s;
  GT_RETURN_IF_ERROR(
      sqlite::Prepare(db_, *location_, "DELETE FROM sessions WHERE user_id = ?1", s, "preparing"));
  sqlite3_bind_int64(s.get(), 1, user_id);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("deleting sessions");
  return Status::Ok();
}

Result<int64_t> SqliteAuth::DeleteExpiredSessions(Timestamp now) {
  Stmt s;
  GT_RETURN_IF_ERROR(
      sqlite::Prepare(db_, *location_, "DELETE FROM sessions WHERE expires_at <= ?1", s, "preparing"));
  sqlite3_bind_int64(s.get(), 1, now);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("deleting expired sessions");
  return static_cast<int64_t>(sqlite3_changes(db_));
}

//===----------------------------------------------------------------------===//
// The access log
//===----------------------------------------------------------------------===//

Result<int64_t> SqliteAuth::AppendAccess(const AccessEntry& e) {
  Stmt s;
  GT_RETURN_IF_ERROR(sqlite::Prepare(
      db_, *location_,
      "INSERT INTO access_log (at, user, role, remote_addr, action, indicator, period, org_unit, "
      "detail, records, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      s, "preparing"));
  sqlite3_bind_int64(s.get(), 1, e.at == kNullTimestamp ? 0 : e.at);
  const std::string* texts[] = {&e.user,      &e.role,   &e.remote_addr, &e.action,
                                &e.indicator, &e.period, &e.org_unit,    &e.detail};
  for (int i = 0; i < 8; ++i) Bind(s.get(), i + 2, *texts[i]);
  sqlite3_bind_int64(s.get(), 10, e.records);
  Bind(s.get(), 11, e.outcome);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("writing the access log");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<AccessEntry>> SqliteAuth::ReadAccessLog(const AccessQuery& q) {
  // Every filter is a parameter; an unused one is NULL and matches all.
  Stmt s;
  GT_RETURN_IF_ERROR(
      sqlite::Prepare(db_, *location_,
                      "SELECT id, at, user, role, remote_addr, action, indicator, period, org_unit, detail, "
                      "records, outcome FROM access_log WHERE (?1 IS NULL OR user = ?1) AND "
                      "(?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3) AND (?4 IS NULL OR id < ?4) "
                      "ORDER BY id DESC LIMIT ?5",
                      s, "preparing"));
  if (!q.user.empty()) Bind(s.get(), 1, q.user);
  BindTime(s.get(), 2, q.since);
  BindTime(s.get(), 3, q.until);
  if (q.before_id > 0) sqlite3_bind_int64(s.get(), 4, q.before_id);
  sqlite3_bind_int64(s.get(), 5, q.limit < 0 ? -1 : q.limit);
  std::vector<AccessEntry> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    sqlite3_stmt* r = s.get();
    AccessEntry e;
    e.id = sqlite3_column_int64(r, 0);
    e.at = sqlite3_column_int64(r, 1);
    std::string* texts[] = {&e.user,      &e.role,   &e.remote_addr, &e.action,
                            &e.indicator, &e.period, &e.org_unit,    &e.detail};
    for (int i = 0; i < 8; ++i) *texts[i] = ColumnText(r, i + 2);
    e.records = sqlite3_column_int64(r, 10);
    e.outcome = ColumnText(r, 11);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return Error("reading the access log");
  return out;
}

}  // namespace goldthread
