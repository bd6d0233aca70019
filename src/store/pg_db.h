#pragma once
// A checked PostgreSQL connection (libpq's C API) for the PostgreSQL store:
// every call's result is read and turned into a Status, results are freed
// by their owner, and every value travels as a parameter (PQexecParams),
// never inside the SQL text. Nothing outside src/store includes libpq-fe.h.
//
// Errors: "store 'LABEL': WHAT: MESSAGE", with the StatusCode from the
// SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html):
// lock and serialisation failures (55P03, 40001, 40P01) and a cancelled
// statement (57014) are kBusy; data corruption (XX001, XX002) kCorruption;
// a unique violation (23505) keeps its SQLSTATE for the caller to word
// (Conn::last_sqlstate); everything else is kIOError with the server's
// message (a refused privilege names the table and the role's lack).
//
// Thread-safety: a Conn is used from one thread at a time.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct pg_conn;
struct pg_result;

namespace goldthread::pg {

/// SQLSTATE of a unique violation.
inline constexpr std::string_view kUniqueViolation = "23505";

/// A statement's parameters, as text (the server converts them to the
/// columns' types). Values are copied, so the caller's may go.
class Params {
 public:
  Params() = default;
  Params(const Params&) = delete;
  Params& operator=(const Params&) = delete;
  Params& Text(std::string_view v);
  /// "" as NULL (how the store keeps an empty field).
  Params& TextOrNull(std::string_view v);
  Params& Int(int64_t v);
  Params& Null();
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::deque<std::string> storage_;  // stable addresses for values_
  std::vector<const char*> values_;
};

struct ResultDeleter {
  void operator()(pg_result* r) const;
};

/// The rows of a statement's result, in text form.
class Rows {
 public:
  explicit Rows(pg_result* r) : r_(r) {}
  int size() const;
  bool IsNull(int row, int col) const;
  std::string_view Text(int row, int col) const;  // "" for NULL
  int64_t Int(int row, int col) const;            // 0 for NULL
  /// Rows an INSERT, UPDATE or DELETE changed.
  int64_t Affected() const;

 private:
  std::unique_ptr<pg_result, ResultDeleter> r_;
};

class Conn {
 public:
  /// Connects to url (a postgresql:// URL or a libpq connection string);
  /// messages name the store as "store 'LABEL'". A database that does not
  /// exist is kNotFound.
  static Result<std::unique_ptr<Conn>> Open(const std::string& url, std::string label);
  /// Use Open; public only for make_unique.
  explicit Conn(std::string label) : label_(std::move(label)) {}
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  const std::string& label() const { return label_; }

  /// Runs one statement; `what` names it in messages ("starting a batch").
  Result<Rows> Exec(std::string_view sql, const Params& params, std::string_view what);
  Result<Rows> Exec(std::string_view sql, std::string_view what) { return Exec(sql, Params(), what); }
  Status Run(std::string_view sql, const Params& params, std::string_view what);
  Status Run(std::string_view sql, std::string_view what) { return Run(sql, Params(), what); }
  /// The first column of the first row as an integer.
  Result<int64_t> QueryInt(std::string_view sql, const Params& params, std::string_view what);

  /// COPY ... FROM STDIN: Begin, any number of Put (whole rows or not),
  /// then End, which reports the server's verdict on all of it. Abort
  /// ends a COPY without storing anything (the transaction is then failed).
  Status BeginCopyIn(std::string_view sql, std::string_view what);
  Status PutCopyData(std::string_view data);
  Status EndCopyIn();
  void AbortCopyIn();
  bool copying() const { return copying_; }

  /// COPY ... TO STDOUT: calls on_data with each message's bytes (PostgreSQL
  /// sends one row per message; a caller must not rely on it). While it
  /// runs, no other statement can use this connection.
  Status CopyOut(std::string_view sql, std::string_view what, const std::function<Status(std::string_view)>& on_data);

  /// The SQLSTATE of the latest failed statement ("" before any).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  /// The Status for a failed result (r may be null: the connection's message).
  Status Error(std::string_view what, const pg_result* r);

 private:
  std::string label_;
  pg_conn* conn_ = nullptr;
  bool copying_ = false;
  std::string copy_what_;
  std::string last_sqlstate_;
};

/// An SQL identifier in double quotes, embedded quotes doubled.
std::string QuoteName(std::string_view name);

/// The URL as messages may show it: a password (user:PASSWORD@ or
/// password=...) replaced by "***".
std::string RedactUrl(std::string_view url);

}  // namespace goldthread::pg
