#include "store/sqlite_auth.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/sqlite_migrations.h"

namespace goldthread {
namespace {

using sqlite::Stmt;

void BindTime(Stmt& s, int i, Timestamp t) {
  if (t == kNullTimestamp)
    s.BindNull(i);
  else
    s.BindInt(i, t);
}

Timestamp ColumnTime(const Stmt& s, int col) { return s.IsNull(col) ? kNullTimestamp : s.Int(col); }

constexpr const char* kUserColumns =
    "SELECT id, name, role, org_unit, password_hash, disabled, failed_sign_ins, locked_until, created_at, "
    "last_sign_in FROM users ";

UserRecord ReadUser(const Stmt& s) {
  UserRecord u;
  u.id = s.Int(0);
  u.name = s.Text(1);
  u.role = s.Text(2);
  u.org_unit = s.Text(3);
  u.password_hash = s.Text(4);
  u.disabled = s.Int(5) != 0;
  u.failed_sign_ins = static_cast<int32_t>(s.Int(6));
  u.locked_until = ColumnTime(s, 7);
  u.created_at = ColumnTime(s, 8);
  u.last_sign_in = ColumnTime(s, 9);
  return u;
}

}  // namespace

// Schema version 2: the dashboard's users, sessions and access log.
Status MigrateTo2(sqlite::Db& db) {
  return db.Exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT "
      "NULL, "
      "org_unit TEXT NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, "
      "failed_sign_ins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER, created_at INTEGER NOT NULL, "
      "last_sign_in INTEGER);"
      "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), "
      "csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, "
      "last_seen INTEGER NOT NULL, remote_addr TEXT NOT NULL);"
      "CREATE INDEX sessions_user ON sessions(user_id);"
      "CREATE INDEX sessions_expiry ON sessions(expires_at);"
      "CREATE TABLE access_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user TEXT NOT "
      "NULL, "
      "role TEXT NOT NULL, remote_addr TEXT NOT NULL, action TEXT NOT NULL, indicator TEXT NOT NULL, "
      "period TEXT NOT NULL, org_unit TEXT NOT NULL, detail TEXT NOT NULL, records INTEGER NOT NULL, "
      "outcome TEXT NOT NULL);"
      "CREATE INDEX access_log_user ON access_log(user, id);"
      "CREATE INDEX access_log_at ON access_log(at);"
      // An audit trail that the program itself cannot rewrite by mistake.
      "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
      "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;"
      "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
      "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END",
      "creating the users, sessions and access log tables");
}

//===----------------------------------------------------------------------===//
// Users
//===----------------------------------------------------------------------===//

Result<int64_t> SqliteAuth::AddUser(const UserRecord& user) {
  Result<Stmt> s = db_->Prepare(
      "INSERT INTO users (name, role, org_unit, password_hash, disabled, failed_sign_ins, "
      "locked_until, created_at, last_sign_in) VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, ?6, NULL)",
      "adding a user");
  if (!s.ok()) return s.status();
  s->BindText(1, user.name);
  s->BindText(2, user.role);
  s->BindText(3, user.org_unit);
  s->BindText(4, user.password_hash);
  s->BindInt(5, user.disabled ? 1 : 0);
  BindTime(*s, 6, user.created_at == kNullTimestamp ? 0 : user.created_at);
  Status run = s->Run();
  if (!run.ok()) {
    if (db_->last_error() == SQLITE_CONSTRAINT_UNIQUE)
      return Status::AlreadyExists(fmt::format("user '{}' already exists", user.name));
    return run;
  }
  return db_->LastInsertRowid();
}

Result<std::vector<UserRecord>> SqliteAuth::QueryUsers(const char* where, std::string_view text, int64_t id) {
  Result<Stmt> s = db_->Prepare(std::string(kUserColumns) + where, "reading users");
  if (!s.ok()) return s.status();
  if (sqlite3_bind_parameter_count(s->get()) > 0) {
    if (id != 0)
      s->BindInt(1, id);
    else
      s->BindText(1, text);
  }
  std::vector<UserRecord> out;
  while (true) {
    Result<bool> row = s->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReadUser(*s));
  }
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
  Result<Stmt> s = db_->Prepare(sql, "updating a user");
  if (!s.ok()) return s.status();
  s->BindText(1, name);
  if (sqlite3_bind_parameter_count(s->get()) >= 2) {
    if (text.data())
      s->BindText(2, text);
    else
      s->BindInt(2, value);
  }
  GT_RETURN_IF_ERROR(s->Run());
  if (db_->Changes() == 0) return Status::NotFound(fmt::format("no user '{}'", name));
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
  Result<Stmt> s = db_->Prepare(
      "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, locked_until = CASE WHEN "
      "failed_sign_ins + 1 >= ?2 THEN ?3 ELSE locked_until END WHERE id = ?1 "
      "RETURNING failed_sign_ins",
      "recording a failed sign-in");
  if (!s.ok()) return s.status();
  s->BindInt(1, user_id);
  s->BindInt(2, lock_after);
  BindTime(*s, 3, locked_until);
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(fmt::format("no user with id {}", user_id));
  const auto count = static_cast<int32_t>(s->Int(0));
  GT_RETURN_IF_ERROR(s->Run());  // the update is done when the statement is
  return count;
}

Status SqliteAuth::RecordSignIn(int64_t user_id, Timestamp at) {
  Result<Stmt> s = db_->Prepare(
      "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in = ?2 WHERE id = ?1",
      "recording a sign-in");
  if (!s.ok()) return s.status();
  s->BindInt(1, user_id);
  BindTime(*s, 2, at);
  return s->Run();
}

//===----------------------------------------------------------------------===//
// Sessions
//===----------------------------------------------------------------------===//

Status SqliteAuth::SaveSession(const SessionRecord& session) {
  Result<Stmt> s = db_->Prepare(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen, "
      "remote_addr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "saving a session");
  if (!s.ok()) return s.status();
  s->BindText(1, session.token_hash);
  s->BindInt(2, session.user_id);
  s->BindText(3, session.csrf_token);
  s->BindInt(4, session.created_at);
  s->BindInt(5, session.expires_at);
  s->BindInt(6, session.last_seen == kNullTimestamp ? session.created_at : session.last_seen);
  s->BindText(7, session.remote_addr);
  Status run = s->Run();
  if (!run.ok() && db_->last_error() == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::AlreadyExists("a session with this token already exists");
  return run;
}

Result<std::optional<SessionRecord>> SqliteAuth::FindSession(std::string_view token_hash) {
  Result<Stmt> s = db_->Prepare(
      "SELECT token_hash, user_id, csrf_token, created_at, expires_at, last_seen, remote_addr "
      "FROM sessions WHERE token_hash = ?1",
      "reading a session");
  if (!s.ok()) return s.status();
  s->BindText(1, token_hash);
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<SessionRecord>();
  SessionRecord r;
  r.token_hash = s->Text(0);
  r.user_id = s->Int(1);
  r.csrf_token = s->Text(2);
  r.created_at = ColumnTime(*s, 3);
  r.expires_at = ColumnTime(*s, 4);
  r.last_seen = ColumnTime(*s, 5);
  r.remote_addr = s->Text(6);
  return std::optional<SessionRecord>(std::move(r));
}

Status SqliteAuth::TouchSession(std::string_view token_hash, Timestamp last_seen) {
  Result<Stmt> s = db_->Prepare("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1", "updating a session");
  if (!s.ok()) return s.status();
  s->BindText(1, token_hash);
  s->BindInt(2, last_seen);
  return s->Run();
}

Status SqliteAuth::DeleteSession(std::string_view token_hash) {
  Result<Stmt> s = db_->Prepare("DELETE FROM sessions WHERE token_hash = ?1", "deleting a session");
  if (!s.ok()) return s.status();
  s->BindText(1, token_hash);
  return s->Run();
}

Status SqliteAuth::DeleteUserSessions(int64_t user_id) {
  Result<Stmt> s = db_->Prepare("DELETE FROM sessions WHERE user_id = ?1", "deleting sessions");
  if (!s.ok()) return s.status();
  s->BindInt(1, user_id);
  return s->Run();
}

Result<int64_t> SqliteAuth::DeleteExpiredSessions(Timestamp now) {
  Result<Stmt> s = db_->Prepare("DELETE FROM sessions WHERE expires_at <= ?1", "deleting expired sessions");
  if (!s.ok()) return s.status();
  s->BindInt(1, now);
  GT_RETURN_IF_ERROR(s->Run());
  return db_->Changes();
}

//===----------------------------------------------------------------------===//
// The access log
//===----------------------------------------------------------------------===//

Result<int64_t> SqliteAuth::AppendAccess(const AccessEntry& e) {
  Result<Stmt> s = db_->Prepare(
      "INSERT INTO access_log (at, user, role, remote_addr, action, indicator, period, org_unit, "
      "detail, records, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      "writing the access log");
  if (!s.ok()) return s.status();
  s->BindInt(1, e.at == kNullTimestamp ? 0 : e.at);
  const std::string* texts[] = {&e.user,      &e.role,   &e.remote_addr, &e.action,
                                &e.indicator, &e.period, &e.org_unit,    &e.detail};
  for (int i = 0; i < 8; ++i) s->BindText(i + 2, *texts[i]);
  s->BindInt(10, e.records);
  s->BindText(11, e.outcome);
  GT_RETURN_IF_ERROR(s->Run());
  return db_->LastInsertRowid();
}

Result<std::vector<AccessEntry>> SqliteAuth::ReadAccessLog(const AccessQuery& q) {
  // Every filter is a parameter; an unused one is NULL and matches all.
  Result<Stmt> s = db_->Prepare(
      "SELECT id, at, user, role, remote_addr, action, indicator, period, org_unit, detail, "
      "records, outcome FROM access_log WHERE (?1 IS NULL OR user = ?1) AND "
      "(?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3) AND (?4 IS NULL OR id < ?4) "
      "ORDER BY id DESC LIMIT ?5",
      "reading the access log");
  if (!s.ok()) return s.status();
  if (!q.user.empty()) s->BindText(1, q.user);
  BindTime(*s, 2, q.since);
  BindTime(*s, 3, q.until);
  if (q.before_id > 0) s->BindInt(4, q.before_id);
  s->BindInt(5, q.limit < 0 ? -1 : q.limit);
  std::vector<AccessEntry> out;
  while (true) {
    Result<bool> row = s->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AccessEntry e;
    e.id = s->Int(0);
    e.at = s->Int(1);
    std::string* texts[] = {&e.user,      &e.role,   &e.remote_addr, &e.action,
                            &e.indicator, &e.period, &e.org_unit,    &e.detail};
    for (int i = 0; i < 8; ++i) *texts[i] = s->Text(i + 2);
    e.records = s->Int(10);
    e.outcome = s->Text(11);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace goldthread
