#pragma once
// The Store: where imported records live, append-only, every version kept.
// SQLite (one file) is the embedded default; PostgreSQL will implement the
// same interface (shared/DESIGN.md section 9). Everything above the store
// (ingest, snapshot loading, indicators, checks) talks to this interface only.
//
// Records are passed as canonical text values in the table's field order
// (model/schema.h), exactly as they appear in the CSV, so what is stored is
// what was received.
//
// Thread-safety: a Store is used from one thread at a time.

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

namespace goldthread {

/// The schema version this binary writes and reads. A store with a newer
/// version is refused; an older one is migrated forward on open.
inline constexpr int kStoreSchemaVersion = 1;

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

/// A stored computation or check run, so reports and the dashboard read
/// results without recomputing and a figure can be reproduced later.
struct RunRecord {
  int64_t id = 0;
  std::string kind;  // "compute", "check", "benchmark_check"
  Timestamp started_at = kNullTimestamp;
  std::string run_by;
  std::string params_json;       // the command's parameters
  std::string definitions_json;  // ids and versions of the definitions used
  std::vector<int64_t> batch_ids;  // the store's batches the run read
  std::string result_json;       // the full JSON result (DESIGN section 10 shapes)
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

  virtual Result<std::unique_ptr<BatchWriter>> BeginBatch(BatchInfo info) = 0;
  virtual Result<std::optional<BatchInfo>> FindBatchByHash(std::string_view content_hash) = 0;
  virtual Result<std::vector<BatchInfo>> Batches() = 0;

  /// Whether a current record with this key exists ("P123"; composite keys
  /// joined by '|', as TableData::RecordId).
  virtual Result<bool> HasRecord(TableId table, std::string_view key) = 0;
  /// Every current record (latest version of each key), in no set order.
  virtual Status ScanCurrent(TableId table, const RowVisitor& visit) = 0;
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

  virtual Result<int64_t> SaveRun(const RunRecord& run) = 0;
  /// The latest run of a kind, or nullopt.
  virtual Result<std::optional<RunRecord>> LatestRun(std::string_view kind) = 0;
};

enum class OpenMode { kMustExist, kCreateIfMissing };

/// Opens a store by location: a file path (SQLite). postgresql:// URLs are
/// refused until the PostgreSQL store exists. kMustExist refuses a missing
/// store with "store 'X' does not exist (run 'goldthread import X DIR' first)".
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, OpenMode mode);

}  // namespace goldthread
