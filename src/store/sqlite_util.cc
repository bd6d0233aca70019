#include "store/sqlite_util.h"

namespace goldthread::sqlite {

Status Error(sqlite3* db, std::string_view location, std::string_view what) {
  std::string msg = "store '" + std::string(location) + "': " + std::string(what) + ": ";
  const int code = sqlite3_errcode(db) & 0xff;  // the primary code of an extended one
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    msg += "the store is in use by another connection (" + std::string(sqlite3_errmsg(db)) + ")";
  else
    msg += sqlite3_errmsg(db);
  return Status::IOError(std::move(msg));
}

Status Prepare(sqlite3* db, std::string_view location, std::string_view sql, Stmt& out,
               std::string_view what) {
  sqlite3_finalize(out.get());
  *out.out() = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), out.out(), nullptr) != SQLITE_OK)
    return Error(db, location, what);
  return Status::Ok();
}

Result<bool> Step(sqlite3* db, std::string_view location, sqlite3_stmt* s, std::string_view what) {
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(db, location, what);
}

Status Exec(sqlite3* db, std::string_view location, const std::string& sql, std::string_view what) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return Error(db, location, what);
  return Status::Ok();
}

}  // namespace goldthread::sqlite
