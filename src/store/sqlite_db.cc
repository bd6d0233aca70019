#include "store/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <thread>
#include <utility>

namespace goldthread::sqlite {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// "SELECT x FROM t WHERE ..." for a message: the statement's first words.
std::string Brief(std::string_view sql) {
  constexpr size_t kMax = 72;
  std::string out(sql.substr(0, std::min(sql.size(), kMax)));
  std::replace(out.begin(), out.end(), '\n', ' ');
  if (sql.size() > kMax) out += "...";
  return out;
}

}  // namespace

StatusCode CodeOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return StatusCode::kOk;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StatusCode::kBusy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StatusCode::kCorruption;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return StatusCode::kInternal;
    default:
      return StatusCode::kIOError;
  }
}

std::string QuoteName(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

//===----------------------------------------------------------------------===//
// Stmt
//===----------------------------------------------------------------------===//

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt::Stmt(Stmt&& o) noexcept
    : db_(o.db_),
      s_(std::exchange(o.s_, nullptr)),
      what_(std::move(o.what_)),
      bind_rc_(o.bind_rc_),
      bind_index_(o.bind_index_) {}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = std::exchange(o.s_, nullptr);
    what_ = std::move(o.what_);
    bind_rc_ = o.bind_rc_;
    bind_index_ = o.bind_index_;
  }
  return *this;
}

void Stmt::Check(int rc, int index) {
  if (rc != SQLITE_OK && bind_rc_ == 0) {
    bind_rc_ = rc;
    bind_index_ = index;
  }
}

void Stmt::BindText(int index, std::string_view text) {
  Check(sqlite3_bind_text64(s_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
}
void Stmt::BindTextStatic(int index, std::string_view text) {
  Check(sqlite3_bind_text64(s_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8), index);
}
void Stmt::BindTextOrNullStatic(int index, std::string_view text) {
  if (text.empty())
    BindNull(index);
  else
    BindTextStatic(index, text);
}
void Stmt::BindInt(int index, int64_t v) { Check(sqlite3_bind_int64(s_, index, v), index); }
void Stmt::BindDouble(int index, double v) { Check(sqlite3_bind_double(s_, index, v), index); }
void Stmt::BindNull(int index) { Check(sqlite3_bind_null(s_, index), index); }

Result<bool> Stmt::Step() {
  if (bind_rc_ != 0) return db_->Error(fmt::format("{}: binding parameter {}", what_, bind_index_), bind_rc_);
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status s = db_->Error(what_, rc);
  sqlite3_reset(s_);
  return s;
}

Status Stmt::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Stmt::Reset() {
  // The last step's error, if any, was returned by that step.
  sqlite3_reset(s_);
  bind_rc_ = 0;
}

std::string_view Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, col))};
}
int64_t Stmt::Int(int col) const { return sqlite3_column_int64(s_, col); }
double Stmt::Double(int col) const { return sqlite3_column_double(s_, col); }
bool Stmt::IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

//===----------------------------------------------------------------------===//
// Db
//===----------------------------------------------------------------------===//

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const ConnectionOptions& options) {
  // Memory statistics cost a global mutex on every allocation; goldthread
  // never reads them. Must precede sqlite3_initialize(); later calls are
  // refused with SQLITE_MISUSE, harmlessly. https://sqlite.org/c3ref/c_config_covering_index_scan.html
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize() == SQLITE_OK;
  }();
  if (!configured) return Status::IOError("SQLite failed to initialise");
  auto db = std::make_unique<Db>(path, options);
  int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db->db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    if (!db->db_) return Status::IOError("store '" + db->label_ + "': cannot open: out of memory");
    return db->Error("cannot open", rc);
  }
  sqlite3_extended_result_codes(db->db_, 1);
  sqlite3_busy_handler(db->db_, &Db::OnBusy, db.get());
  return db;
}

Db::~Db() {
  // close_v2: statements still alive are finalised later without leaking the
  // connection (https://sqlite.org/c3ref/close.html).
  sqlite3_close_v2(db_);
}

int Db::OnBusy(void* self, int count) {
  Db& db = *static_cast<Db*>(self);
  const Clock::time_point now = Clock::now();
  if (count == 0) {
    db.busy_since_ = now;
    db.announced_ = false;
  }
  const milliseconds waited = std::chrono::duration_cast<milliseconds>(now - db.busy_since_);
  if (waited >= db.options_.wait) {
    db.gave_up_after_ = waited;
    return 0;  // give up: the call returns SQLITE_BUSY
  }
  if (!db.announced_ && waited >= db.options_.announce_after && db.options_.on_wait) {
    db.announced_ = true;
    db.options_.on_wait(
        fmt::format("store '{}' is in use by another process (an import?); waiting up to {} s", db.label_,
                    std::chrono::ceil<std::chrono::seconds>(db.options_.wait).count()));
  }
  // Short sleeps first (most locks are held for milliseconds), then 100 ms.
  constexpr int kSleepMs[] = {1, 2, 5, 10, 20, 50};
  milliseconds nap{count < 6 ? kSleepMs[count] : 100};
  std::this_thread::sleep_for(std::min(nap, db.options_.wait - waited));
  return 1;
}

Status Db::Error(std::string_view what, int rc) {
  last_error_ = rc;
  std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  // "database is locked" names the wrong thing for a user: the store is in
  // use, not broken.
  if (CodeOf(rc) == StatusCode::kBusy) {
    message = "in use by another process";
    if (gave_up_after_.count() >= 0)
      message += fmt::format(" (gave up after waiting {} s)",
                             std::chrono::round<std::chrono::seconds>(gave_up_after_).count());
  } else if ((rc & 0xff) == SQLITE_FULL) {
    message = "the disk is full (" + message + ")";
  }
  gave_up_after_ = milliseconds{-1};
  std::string text = fmt::format("store '{}': {}: {}", label_, what, message);
  switch (CodeOf(rc)) {
    case StatusCode::kBusy:
      return Status::Busy(std::move(text));
    case StatusCode::kCorruption:
      return Status::Corruption(std::move(text));
    case StatusCode::kIOError:
      return Status::IOError(std::move(text));
    default:
      return Status::Internal(std::move(text));
  }
}

Status Db::Exec(std::string_view sql, std::string_view what) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // the same text as sqlite3_errmsg, which Error reads
  if (rc != SQLITE_OK) return Error(what.empty() ? Brief(sql) : std::string(what), rc);
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql, std::string_view what, bool persistent) {
  std::string label = what.empty() ? Brief(sql) : std::string(what);
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    return Error(label, rc);
  }
  if (!s) return Status::Internal("store '" + label_ + "': no statement in: " + Brief(sql));
  return Stmt(this, s, std::move(label));
}

Result<int64_t> Db::QueryInt(std::string_view sql, std::string_view what) {
  Result<Stmt> s = Prepare(sql, what);
  if (!s.ok()) return s.status();
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("store '" + label_ + "': no result from: " + Brief(sql));
  return s->Int(0);
}

Result<std::string> Db::QueryText(std::string_view sql, std::string_view what) {
  Result<Stmt> s = Prepare(sql, what);
  if (!s.ok()) return s.status();
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("store '" + label_ + "': no result from: " + Brief(sql));
  return std::string(s->Text(0));
}

int64_t Db::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Db::Changes() const { return sqlite3_changes64(db_); }

}  // namespace goldthread::sqlite
