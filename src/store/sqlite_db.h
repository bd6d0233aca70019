#pragma once
// A checked SQLite connection and its prepared statements: every call's
// result code is read, and none is mistaken for another. SQLITE_BUSY and
// SQLITE_LOCKED become StatusCode::kBusy (the store is in use; try again),
// never end-of-data and never bad input; SQLITE_CORRUPT and SQLITE_NOTADB
// become kCorruption; SQLITE_FULL is said as a full disk; everything else
// is kIOError with SQLite's own message. The SQLite store and the
// published-figures store are built on these; nothing outside src/store
// includes sqlite3.h.
//
// Waiting: a connection waits for another connection's lock for at most
// ConnectionOptions::wait (a busy handler, https://sqlite.org/c3ref/busy_handler.html),
// and says once that it is waiting (on_wait) after announce_after.
//
// Thread-safety: a Db and its statements are used from one thread at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace goldthread::sqlite {

struct ConnectionOptions {
  bool create = false;     // create the file if missing (else it must exist)
  bool read_only = false;  // SQLITE_OPEN_READONLY
  std::string label;       // the store as messages name it ("store 'LABEL'"); default: the path
  std::chrono::milliseconds wait = kDefaultStoreWait;
  std::chrono::milliseconds announce_after{500};
  /// Called once per wait that lasts announce_after, with a sentence such as
  /// "store 'x.db' is in use by another process (an import?); waiting up to 600 s".
  std::function<void(const std::string&)> on_wait;
};

class Db;

/// A prepared statement. Bind errors are kept and returned by the next Step.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt();
  Stmt(Stmt&& o) noexcept;
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool prepared() const { return s_ != nullptr; }
  sqlite3_stmt* get() const { return s_; }

  /// Text bound as is (copied); BindTextOrNull binds "" as NULL. The _static
  /// forms do not copy: the text must outlive the step that reads it.
  void BindText(int index, std::string_view text);
  void BindTextStatic(int index, std::string_view text);
  void BindTextOrNullStatic(int index, std::string_view text);
  void BindInt(int index, int64_t v);
  void BindDouble(int index, double v);
  void BindNull(int index);

  /// true: a row is ready; false: no more rows (the statement is done).
  Result<bool> Step();
  /// Steps a statement that returns no rows.
  Status Run();
  /// Ready to step again from the start; bindings are kept.
  void Reset();

  std::string_view Text(int col) const;  // "" for NULL
  int64_t Int(int col) const;
  double Double(int col) const;
  bool IsNull(int col) const;

 private:
  friend class Db;
  Stmt(Db* db, sqlite3_stmt* s, std::string what) : db_(db), s_(s), what_(std::move(what)) {}
  void Check(int rc, int index);
  Db* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
  std::string what_;  // for messages
  int bind_rc_ = 0;   // the first failed bind's result code (0: none)
  int bind_index_ = 0;
};

class Db {
 public:
  /// Opens path (a file; SQLite's URI names are not interpreted). Messages
  /// name it as "store 'LABEL'" (ConnectionOptions::label, else the path).
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const ConnectionOptions& options);
  /// Use Open; public only for make_unique.
  Db(std::string path, ConnectionOptions options)
      : path_(std::move(path)),
        label_(options.label.empty() ? path_ : options.label),
        options_(std::move(options)) {}
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  /// Runs SQL without results (one or more statements). `what` names it in
  /// messages ("committing the batch"); by default its first words.
  Status Exec(std::string_view sql, std::string_view what = {});
  /// `what` names the statement in its errors ("storing a row of visits");
  /// by default its first words. persistent: kept for many uses
  /// (SQLITE_PREPARE_PERSISTENT).
  Result<Stmt> Prepare(std::string_view sql, std::string_view what = {}, bool persistent = false);
  /// Prepares into slot the first time (make_sql() builds the text only
  /// then); later calls reset it, so a per-row path builds no SQL.
  template <typename MakeSql>
  Status PrepareCached(Stmt& slot, std::string_view what, MakeSql make_sql) {
    if (slot.prepared()) {
      slot.Reset();
      return Status::Ok();
    }
    Result<Stmt> s = Prepare(make_sql(), what, true);
    if (!s.ok()) return s.status();
    slot = std::move(*s);
    return Status::Ok();
  }
  /// The first column of the first row; an error if there is no row.
  /// `what` names it in messages, as for Prepare.
  Result<int64_t> QueryInt(std::string_view sql, std::string_view what = {});
  Result<std::string> QueryText(std::string_view sql, std::string_view what = {});

  int64_t LastInsertRowid() const;
  /// Rows changed by the latest INSERT, UPDATE or DELETE (sqlite3_changes64).
  int64_t Changes() const;
  /// The Status for a failed call with result code rc: "store 'PATH': WHAT: MESSAGE".
  Status Error(std::string_view what, int rc);
  /// The result code of the latest Error (0 before any).
  int last_error() const { return last_error_; }
  /// Waits after a busy result are bounded by the options' wait; this
  /// changes it (e.g. 0 for a try that must not wait).
  void SetWait(std::chrono::milliseconds wait) { options_.wait = wait; }
  std::chrono::milliseconds wait() const { return options_.wait; }

 private:
  static int OnBusy(void* self, int count);

  std::string path_, label_;
  ConnectionOptions options_;
  sqlite3* db_ = nullptr;
  std::chrono::steady_clock::time_point busy_since_{};
  bool announced_ = false;
  int last_error_ = 0;
  std::chrono::milliseconds gave_up_after_{-1};  // the busy handler's last wait, until Error reports it
};

/// The StatusCode for a SQLite result code (primary or extended).
StatusCode CodeOf(int rc);

/// An SQL identifier in double quotes, embedded quotes doubled.
std::string QuoteName(std::string_view name);

}  // namespace goldthread::sqlite
