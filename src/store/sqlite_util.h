#pragma once
// Small SQLite helpers shared by the store's SQLite code (the case-record
// store and the published-figures store): an owned prepared statement,
// checked prepare and step, and text in and out without copies.
//
// Every prepare and every step is checked: a statement that fails to
// prepare, or a step that returns anything but SQLITE_ROW or SQLITE_DONE
// (SQLITE_BUSY included), is an error, never the end of the data.

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace goldthread::sqlite {

/// Owns a prepared statement.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(Stmt&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Stmt& operator=(Stmt&& o) noexcept {
    if (this != &o) {
      sqlite3_finalize(s_);
      s_ = std::exchange(o.s_, nullptr);
    }
    return *this;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() const { return s_; }
  sqlite3_stmt** out() { return &s_; }

 private:
  sqlite3_stmt* s_ = nullptr;
};

/// The text of a column without a copy (empty for NULL); valid until the
/// next step or reset of the statement.
inline std::string_view ColumnText(sqlite3_stmt* s, int col) {
  const unsigned char* p = sqlite3_column_text(s, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, col))};
}

/// Binds text, or NULL for empty text. SQLITE_STATIC: the caller's text
/// must outlive the step that reads it.
inline void BindText(sqlite3_stmt* s, int index, std::string_view text) {
  if (text.empty())
    sqlite3_bind_null(s, index);
  else
    sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

/// The error of the connection's last call, as an IOError naming the store
/// and what was being done: "store 'X': reading published_measures: ...";
/// a busy or locked store says so ("... is in use by another connection").
Status Error(sqlite3* db, std::string_view location, std::string_view what);

/// Prepares sql into out; an error names the store and `what`.
Status Prepare(sqlite3* db, std::string_view location, std::string_view sql, Stmt& out,
               std::string_view what);

/// Steps s: true at a row, false when done; any other result is an error
/// (see Error), never taken for the end of the data.
Result<bool> Step(sqlite3* db, std::string_view location, sqlite3_stmt* s, std::string_view what);

/// Runs sql that returns no rows (sqlite3_exec); an error names `what`.
Status Exec(sqlite3* db, std::string_view location, const std::string& sql, std::string_view what);

}  // namespace goldthread::sqlite
