#pragma once
// The Store: where imported records live, append-only, every version kept.
// SQLite (one file) is the embedded default; PostgreSQL (pg_store.h, a
// postgresql:// URL) implements the same interface for a server shared by
// many users (shared/DESIGN.md section 9). Everything above the store
// (ingest, snapshot loading, indicators, checks) talks to this interface only.
//
// Records are passed as canonical text values in the table's field order
// (model/schema.h), exactly as they appear in the CSV, so what is stored is
// what was received.
//
// Several processes may use one store at once (shared/DESIGN.md section 9:
// an import while the dashboard, compute and check read). A reader sees the
// store as one committed state (BeginRead), never half of a batch, and is
// not refused while a batch is written. Writers take turns: one that finds
// another writing waits, for at most StoreOptions::wait, saying so through
// StoreOptions::on_wait, and then fails with StatusCode::kBusy (the store is
// in use, not broken: try again later). Batches are writers on both stores;
// on SQLite every write is (a run, a session), while on PostgreSQL those
// small writes do not wait for a batch.
//
// Thread-safety: a Store is used from one thread at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "model/schema.h"
#include "store/plan_records.h"

namespace goldthread {

/// The schema version this binary writes and reads. A store with a newer
/// version is refused; an older one is migrated forward on open.
inline constexpr int kStoreSchemaVersion = 4;

struct FileDigest {
  std::string file;    // "requests.csv"
  std::string sha256;  // hex digest of the file's bytes
  int64_t rows = 0;    // data rows read
};

/// One import: what was read, when, by whom.
struct BatchInfo {
  int64_t id = 0;  // assigned by the store on BeginBatch
  Timestamp imported_at = kNullTimestamp;
  std::string imported_by;   // the OS user who ran the import
  std::string source;        // the directory or file imported
  std::string content_hash;  // sha256 over the files' digests: detects a repeated import
  std::vector<FileDigest> files;
  int64_t rows_stored = 0;     // new records and new versions written
  int64_t rows_unchanged = 0;  // rows identical to the record's current version: not stored again
  int64_t rows_rejected = 0;   // with --quarantine
};

/// A stored record version.
struct StoredRow {
  std::span<const std::string_view> values;  // canonical text, field order
  int64_t batch_id = 0;
  std::string_view source_file;
  int64_t source_line = 0;  // 1-based line in the source file (header is line 1)
  int32_t version = 1;      // 1 for the first version of a key, 2 for its first correction, ...
};
using RowVisitor = std::function<Status(const StoredRow&)>;

/// Writes one batch. Nothing is visible to readers until Commit() succeeds;
/// destroying the writer without a successful Commit() discards everything.
class BatchWriter {
 public:
  virtual ~BatchWriter() = default;
  /// Adds a row. A key already current in the store gets a new version (or,
  /// when every value equals the current version, is counted as unchanged
  /// and not stored again). A key already added in this batch fails with
  /// kAlreadyExists whose message is the earlier row's source line, in
  /// decimal ("12"), so the caller can word the problem.
  virtual Status Add(TableId table, std::span<const std::string_view> values, std::string_view source_file,
                     int64_t source_line) = 0;
  /// Records the file digests and row counts and makes the batch durable.
  virtual Result<BatchInfo> Commit(std::vector<FileDigest> files, int64_t rows_rejected) = 0;
};

/// A stored computation or check run: when, by whom, with which
/// parameters, over which batches and definition versions, and digests of
/// what it produced, so a later recomputation can be verified to be
/// bit-identical. The figures themselves are not kept unless asked for
/// (result_json): they can be recomputed from the batches, and kept in
/// full they grew a store by about 7 MB a run.
struct RunRecord {
  int64_t id = 0;
  std::string kind;  // "compute", "check", "benchmark_check", "analysis" (report)
  Timestamp started_at = kNullTimestamp;
  std::string run_by;
  std::string params_json;       // the command's parameters
  std::string definitions_json;  // ids and versions of the definitions used
  std::vector<int64_t> batch_ids;  // the store's batches the run read
  std::string digests_json;      // {"<indicator id>": "<sha256 of its figures>", ...}, or "{}"
  std::string result_sha256;     // of the result JSON exactly as the command wrote it
  int64_t result_bytes = 0;      // its length
  /// With full_result: the full JSON result (DESIGN section 10 shapes), kept
  /// only when the run asked for it (--keep-result); SaveRun then drops the
  /// full result kept by any earlier run of the same kind, so at most one
  /// per kind is stored. Without: a small summary every run of its kind
  /// keeps (the report's analysis run: its figures digest, findings count
  /// and version breaks), or empty.
  std::string result_json;
  bool full_result = false;
};

/// While alive, every read through the store sees the same committed state
/// (a read transaction: SQLite's WAL snapshot, PostgreSQL's REPEATABLE
/// READ), whatever batches other processes commit meanwhile.
class ReadView {
 public:
  virtual ~ReadView() = default;
};

//===----------------------------------------------------------------------===//
// Dashboard users, sessions and the access log (schema version 2). The store
// keeps them; the rules (argon2id hashing, lock-out, expiry, roles) live in
// src/server/. SQLite: sqlite_auth.cc. Times are seconds since the epoch.
//===----------------------------------------------------------------------===//

struct UserRecord {
  int64_t id = 0;  // assigned by AddUser
  std::string name;
  std::string role;           // "admin", "analyst", "manager", "viewer" (server/roles.h)
  std::string org_unit;       // the org unit the user belongs to; "" for the whole council
  std::string password_hash;  // argon2id, PHC string format ("$argon2id$v=19$m=...")
  bool disabled = false;
  int32_t failed_sign_ins = 0;  // consecutive failed sign-ins since the last success
  Timestamp locked_until = kNullTimestamp;
  Timestamp created_at = kNullTimestamp;
  Timestamp last_sign_in = kNullTimestamp;
};

/// A signed-in browser. The cookie carries a random token; the store keeps
/// only its SHA-256, so a copy of the store file opens no session.
struct SessionRecord {
  std::string token_hash;  // hex SHA-256 of the cookie's token
  int64_t user_id = 0;
  std::string csrf_token;  // sent back on every POST/PUT/DELETE
  Timestamp created_at = kNullTimestamp;
  Timestamp expires_at = kNullTimestamp;  // absolute end
  Timestamp last_seen = kNullTimestamp;   // for the idle time-out
  std::string remote_addr;
};

/// One view of person-level data (or a refusal, or a sign-in event).
struct AccessEntry {
  int64_t id = 0;  // assigned by AppendAccess; grows with time
  Timestamp at = kNullTimestamp;
  std::string user;         // the user's name
  std::string role;
  std::string remote_addr;  // where from
  std::string action;       // "cases", "finding", "record", "sign_in", ... (server/access_log.h)
  std::string indicator;    // the figure: indicator id, period label, org unit ("" where none)
  std::string period;
  std::string org_unit;
  std::string detail;       // what else identifies it: a finding, a record key
  int64_t records = 0;      // how many person-level records were shown
  std::string outcome;      // "shown", "refused", "ok"
};

struct AccessQuery {
  std::string user;                        // "" = every user
  Timestamp since = kNullTimestamp;        // inclusive
  Timestamp until = kNullTimestamp;        // exclusive
  int64_t before_id = 0;                   // > 0: only entries older than this id (paging)
  int64_t limit = 100;
};

class Store {
 public:
  virtual ~Store() = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  virtual int schema_version() const = 0;
  /// Where the store is: the file path or URL it was opened with.
  virtual const std::string& location() const = 0;

  /// Starts writing a batch, waiting (StoreOptions::wait) while another
  /// process writes. Fails with kAlreadyExists, message "batch N", when a
  /// batch with the same content_hash is already stored (checked once the
  /// store is ours to write, so two imports of the same files store one).
  virtual Result<std::unique_ptr<BatchWriter>> BeginBatch(BatchInfo info) = 0;
  /// Fixes the state every read sees until the view is destroyed. Not while
  /// a batch is being written, and not nested.
  virtual Result<std::unique_ptr<ReadView>> BeginRead() = 0;
  virtual Result<std::optional<BatchInfo>> FindBatchByHash(std::string_view content_hash) = 0;
  virtual Result<std::vector<BatchInfo>> Batches() = 0;

  /// Whether a current record with this key exists ("P123"; composite keys
  /// joined by '|', as TableData::RecordId).
  virtual Result<bool> HasRecord(TableId table, std::string_view key) = 0;
  /// Every current record (latest version of each key), in no set order.
  virtual Status ScanCurrent(TableId table, const RowVisitor& visit) = 0;
  /// Every record as it was current once batch `as_of` had committed (the
  /// latest version of each key stored by that batch or an earlier one), in
  /// the order ScanCurrent gives them: the store as a run that read batches
  /// up to `as_of` saw it.
  virtual Status ScanCurrentAsOf(TableId table, int64_t as_of, const RowVisitor& visit) = 0;
  /// Every version of every record, oldest first per key.
  virtual Status ScanAllVersions(TableId table, const RowVisitor& visit) = 0;
  /// Every version of one record, oldest first.
  virtual Status ScanHistory(TableId table, std::string_view key, const RowVisitor& visit) = 0;
  virtual Result<int64_t> CountCurrent(TableId table) = 0;
  /// Current records counted by the text of one field ("" = unknown), in
  /// ascending text order.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> CountCurrentBy(TableId table, int field) = 0;
  /// The smallest and largest non-empty text of a field over current
  /// records (text order is date order for dates and months); nullopt if none.
  virtual Result<std::optional<std::pair<std::string, std::string>>> RangeCurrent(TableId table, int field) = 0;

  /// Stores a run record (its id is assigned); see RunRecord::result_json
  /// for what is kept.
  virtual Result<int64_t> SaveRun(const RunRecord& run) = 0;
  /// The latest run of a kind, or nullopt.
  virtual Result<std::optional<RunRecord>> LatestRun(std::string_view kind) = 0;
  /// The run with this id, or nullopt.
  virtual Result<std::optional<RunRecord>> FindRun(int64_t id) = 0;

  //===--- Users, sessions and the access log (sqlite_auth.cc) ---===//
  /// Adds a user and returns its id; kAlreadyExists "user 'NAME' already exists".
  virtual Result<int64_t> AddUser(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(std::string_view name) = 0;
  virtual Result<std::optional<UserRecord>> FindUserById(int64_t id) = 0;
  /// Every user, by name.
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  /// kNotFound "no user 'NAME'" for an unknown name.
  virtual Status SetUserDisabled(std::string_view name, bool disabled) = 0;
  /// Sets a new password hash and clears the failed count and any lock.
  virtual Status SetUserPassword(std::string_view name, std::string_view password_hash) = 0;
  /// Adds one to the user's failed count in one statement; once it reaches
  /// lock_after, sets locked_until. Returns the new count.
  virtual Result<int32_t> RecordFailedSignIn(int64_t user_id, int32_t lock_after, Timestamp locked_until) = 0;
  /// A successful sign-in: failed count 0, lock cleared, last_sign_in set.
  virtual Status RecordSignIn(int64_t user_id, Timestamp at) = 0;

  virtual Status SaveSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(std::string_view token_hash) = 0;
  virtual Status TouchSession(std::string_view token_hash, Timestamp last_seen) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  /// Ends every session of a user (when disabled or its password changes).
  virtual Status DeleteUserSessions(int64_t user_id) = 0;
  /// Removes sessions whose expires_at is at or before now; returns how many.
  virtual Result<int64_t> DeleteExpiredSessions(Timestamp now) = 0;

  /// Appends to the access log (never updated or deleted); returns the id.
  virtual Result<int64_t> AppendAccess(const AccessEntry& entry) = 0;
  /// Entries matching the query, newest first.
  virtual Result<std::vector<AccessEntry>> ReadAccessLog(const AccessQuery& query) = 0;

  //===--- Plans and stories (issue 11; rows in store/plan_records.h) ---===//
  /// Stores plan as the next version (1 for the first), text and rows in one
  /// transaction: all or nothing. plan.info.version is ignored; the stored
  /// info, with its version, is returned.
  virtual Result<PlanVersionInfo> SavePlanVersion(const PlanRecord& plan) = 0;
  /// Every stored version, oldest first (info only).
  virtual Result<std::vector<PlanVersionInfo>> PlanVersions() = 0;
  /// One version with its text and rows in file order; 0 means the latest.
  /// nullopt when there is no such version (or no plan at all).
  virtual Result<std::optional<PlanRecord>> LoadPlanVersion(int64_t version) = 0;
  /// Appends a story (never replaces one); returns its id.
  virtual Result<int64_t> AddStory(const StoryRecord& story) = 0;
  /// The stories about indicator at org_unit, oldest first; an empty
  /// indicator or org_unit matches any.
  virtual Result<std::vector<StoryRecord>> Stories(std::string_view indicator, std::string_view org_unit) = 0;
};

enum class OpenMode {
  kMustExist,        // refuse a missing store
  kCreateIfMissing,  // create a missing store, empty, at once
  /// A missing store is built out of sight and appears, complete, when its
  /// first batch commits: until then no other process can open it, and a
  /// failed or killed first import leaves no store behind. (An existing
  /// store is opened as with kCreateIfMissing.)
  kCreateWithFirstBatch,
};

/// How long to wait for another process's hold on the store by default:
/// long enough for an import of a large council to finish.
inline constexpr std::chrono::seconds kDefaultStoreWait{600};

struct StoreOptions {
  std::chrono::milliseconds wait = kDefaultStoreWait;
  /// Called once a wait has lasted half a second, with a sentence naming
  /// the store and the wait ("store 'x.db' is in use by another process (an
  /// import?); waiting up to 600 s"), so a user knows why nothing happens.
  std::function<void(const std::string&)> on_wait;
};

/// Opens a store by location: a file path (SQLite), or a postgresql:// (or
/// postgres://) URL naming a database (PostgreSQL: pg_store.h). kMustExist
/// refuses a missing store with "store 'X' does not exist (run 'goldthread
/// import X DIR' first)", and an empty database with "store 'X' holds no
/// goldthread data (...)".
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, OpenMode mode,
                                         const StoreOptions& options = {});

}  // namespace goldthread
