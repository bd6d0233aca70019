#include "store/pg_db.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <utility>

namespace goldthread::pg {
namespace {

// The server's message without libpq's trailing newline.
std::string Trimmed(const char* text) {
  std::string out = text ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

StatusCode CodeOfSqlstate(std::string_view state) {
  if (state == "55P03" || state == "40001" || state == "40P01" || state == "57014") return StatusCode::kBusy;
  if (state == "XX001" || state == "XX002") return StatusCode::kCorruption;
  return StatusCode::kIOError;
}

}  // namespace

//===----------------------------------------------------------------------===//
// Params and Rows
//===----------------------------------------------------------------------===//

Params& Params::Text(std::string_view v) {
  storage_.emplace_back(v);
  values_.push_back(storage_.back().c_str());
  return *this;
}

Params& Params::TextOrNull(std::string_view v) { return v.empty() ? Null() : Text(v); }

Params& Params::Int(int64_t v) { return Text(std::to_string(v)); }

Params& Params::Null() {
  values_.push_back(nullptr);
  return *this;
}

void ResultDeleter::operator()(pg_result* r) const { PQclear(r); }

int Rows::size() const { return PQntuples(r_.get()); }

bool Rows::IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }

std::string_view Rows::Text(int row, int col) const {
  if (IsNull(row, col)) return {};
  return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
}

int64_t Rows::Int(int row, int col) const {
  std::string_view t = Text(row, col);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

int64_t Rows::Affected() const {
  const char* n = PQcmdTuples(r_.get());
  int64_t v = 0;
  if (n) std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

//===----------------------------------------------------------------------===//
// Conn
//===----------------------------------------------------------------------===//

Result<std::unique_ptr<Conn>> Conn::Open(const std::string& url, std::string label) {
  auto c = std::make_unique<Conn>(std::move(label));
  // Keywords before dbname are defaults that the URL's own settings
  // override (expand_dbname: https://www.postgresql.org/docs/15/libpq-connect.html).
  const char* keys[] = {"fallback_application_name", "connect_timeout", "client_encoding", "dbname", nullptr};
  const char* values[] = {"goldthread", "10", "UTF8", url.c_str(), nullptr};
  c->conn_ = PQconnectdbParams(keys, values, 1);
  if (!c->conn_) return Status::IOError("store '" + c->label_ + "': cannot connect: out of memory");
  if (PQstatus(c->conn_) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(c->conn_));
    // libpq gives no SQLSTATE for a refused connection: the server's text
    // is all there is ("database \"x\" does not exist").
    if (message.find("\" does not exist") != std::string::npos && message.find("database \"") != std::string::npos)
      return Status::NotFound("store '" + c->label_ + "' does not exist (" + message +
                              "; create the database first: docs/deploy.md)");
    return Status::IOError("store '" + c->label_ + "': cannot connect: " + message);
  }
  // Notices ("... does not exist, skipping") are not for the user's terminal.
  PQsetNoticeProcessor(c->conn_, [](void*, const char*) {}, nullptr);
  return c;
}

Conn::~Conn() {
  if (copying_) AbortCopyIn();
  PQfinish(conn_);
}

Status Conn::Error(std::string_view what, const pg_result* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state ? state : "";
  std::string message = r ? Trimmed(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) : "";
  if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
  if (message.empty()) message = "no result";
  StatusCode code = CodeOfSqlstate(last_sqlstate_);
  if (code == StatusCode::kBusy) message = "in use by another process (" + message + ")";
  if (last_sqlstate_ == "53100") message = "the disk is full (" + message + ")";
  std::string text = fmt::format("store '{}': {}: {}", label_, what, message);
  switch (code) {
    case StatusCode::kBusy:
      return Status::Busy(std::move(text));
    case StatusCode::kCorruption:
      return Status::Corruption(std::move(text));
    default:
      return Status::IOError(std::move(text));
  }
}

Result<Rows> Conn::Exec(std::string_view sql, const Params& params, std::string_view what) {
  if (copying_)
    return Status::Internal(fmt::format("store '{}': {}: the connection is busy with {}", label_, what, copy_what_));
  const std::string text(sql);
  pg_result* r = PQexecParams(conn_, text.c_str(), params.size(), nullptr, params.values(), nullptr, nullptr, 0);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Status s = Error(what, r);
    PQclear(r);
    return s;
  }
  return Rows(r);
}

Status Conn::Run(std::string_view sql, const Params& params, std::string_view what) {
  return Exec(sql, params, what).status();
}

Result<int64_t> Conn::QueryInt(std::string_view sql, const Params& params, std::string_view what) {
  Result<Rows> rows = Exec(sql, params, what);
  if (!rows.ok()) return rows.status();
  if (rows->size() == 0) return Status::Internal(fmt::format("store '{}': {}: no result", label_, what));
  return rows->Int(0, 0);
}

//===----------------------------------------------------------------------===//
// COPY
//===----------------------------------------------------------------------===//

Status Conn::BeginCopyIn(std::string_view sql, std::string_view what) {
  if (copying_)
    return Status::Internal(fmt::format("store '{}': {}: the connection is busy with {}", label_, what, copy_what_));
  const std::string text(sql);
  pg_result* r = PQexec(conn_, text.c_str());
  const bool ok = r && PQresultStatus(r) == PGRES_COPY_IN;
  Status s = ok ? Status::Ok() : Error(what, r);
  PQclear(r);
  if (!ok) return s;
  copying_ = true;
  copy_what_ = std::string(what);
  return Status::Ok();
}

Status Conn::PutCopyData(std::string_view data) {
  // Blocking connection: PQputCopyData queues or sends, 1 on success.
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1)
    return Error(copy_what_, nullptr);
  return Status::Ok();
}

Status Conn::EndCopyIn() {
  Status s = Status::Ok();
  if (PQputCopyEnd(conn_, nullptr) != 1) s = Error(copy_what_, nullptr);
  // The COPY's result, then the end of the command.
  while (pg_result* r = PQgetResult(conn_)) {
    if (s.ok() && PQresultStatus(r) != PGRES_COMMAND_OK) s = Error(copy_what_, r);
    PQclear(r);
  }
  copying_ = false;
  return s;
}

void Conn::AbortCopyIn() {
  (void)PQputCopyEnd(conn_, "the batch was abandoned");
  while (pg_result* r = PQgetResult(conn_)) PQclear(r);
  copying_ = false;
}

Status Conn::CopyOut(std::string_view sql, std::string_view what,
                     const std::function<Status(std::string_view)>& on_data) {
  if (copying_)
    return Status::Internal(fmt::format("store '{}': {}: the connection is busy with {}", label_, what, copy_what_));
  const std::string text(sql);
  pg_result* r = PQexec(conn_, text.c_str());
  const bool ok = r && PQresultStatus(r) == PGRES_COPY_OUT;
  Status s = ok ? Status::Ok() : Error(what, r);
  PQclear(r);
  if (!ok) return s;
  copying_ = true;
  copy_what_ = std::string(what);
  while (true) {
    char* buf = nullptr;
    const int n = PQgetCopyData(conn_, &buf, 0);
    if (n < 0) {
      if (n == -2 && s.ok()) s = Error(what, nullptr);
      break;
    }
    // After a visitor's error, the rest is read and dropped: libpq offers
    // no way to stop a COPY OUT short of cancelling the statement.
    if (s.ok()) s = on_data(std::string_view(buf, static_cast<size_t>(n)));
    PQfreemem(buf);
  }
  copying_ = false;
  while (pg_result* res = PQgetResult(conn_)) {
    if (s.ok() && PQresultStatus(res) != PGRES_COMMAND_OK) s = Error(what, res);
    PQclear(res);
  }
  return s;
}

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

std::string QuoteName(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // postgresql://user:secret@host/db
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t at = out.find('@', start);
    const size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&... or password=secret in a connection string
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const size_t v = p + 9;
    size_t end = out.find_first_of("& ", v);
    if (end == std::string::npos) end = out.size();
    out.replace(v, end - v, "***");
  }
  return out;
}

}  // namespace goldthread::pg
