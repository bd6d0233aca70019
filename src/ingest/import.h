#pragma once
// Importing a directory of canonical CSV files (shared/DESIGN.md section 3)
// into a store as one batch.
//
// Rules:
//  - Files are read in AllTables() order, so a record's references point at
//    files already read. A file that is absent is empty, except that
//    org_units.csv and people.csv are required in a store's FIRST import
//    (a later batch may correct a few requests without re-sending everyone).
//  - The header must name the canonical columns in order; unknown extra
//    columns (anywhere) are ignored with a warning naming them.
//  - Every field is checked by TryParseField, every DateOrder of the table,
//    every reference (to a record of this batch or a current record of the
//    store), and no key may appear twice in one batch.
//  - All-or-nothing: with problems, nothing is stored. With a quarantine
//    file, rows with problems are written there and the good rows stored;
//    problems that concern a whole file (header, missing file, broken
//    quoting) still stop the import.
//  - A batch whose content hash (SHA-256 over the files' SHA-256 digests)
//    matches an earlier batch is not imported again.
// Messages: "file:line: column: what is wrong (expected ...)".

#include <csignal>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/file.h"
#include "core/status.h"
#include "store/store.h"

namespace goldthread {

struct ImportOptions {
  std::string quarantine_path;  // empty: all-or-nothing
  bool progress = false;        // rows/s on stderr while importing
  std::string imported_by;      // empty: the OS user
  Timestamp now = kNullTimestamp;  // kNullTimestamp: the clock
  /// Made non-zero by a signal handler (^C): the import stops at the next
  /// row, stores nothing and fails with "interrupted".
  const volatile std::sig_atomic_t* interrupted = nullptr;
};

struct TableImport {
  std::string file;  // "requests.csv"
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;  // stored, or unchanged from the current version
  int64_t rows_rejected = 0;
};

struct ImportReport {
  BatchInfo batch;           // the new batch; the earlier one when duplicate
  bool duplicate = false;    // the same content was imported before: nothing done
  bool committed = false;    // the batch is stored
  std::vector<TableImport> tables;  // the files read, in AllTables() order
  std::vector<std::string> warnings;
  std::vector<std::string> problems;  // the first kMaxProblemsKept, in file and line order
  int64_t problem_count = 0;          // all of them
};

inline constexpr size_t kMaxProblemsKept = 100000;

/// The files an import's outputs (the quarantine file) must never replace:
/// the store with its journal and WAL, and every canonical file of dir.
ProtectedFiles ImportProtectedFiles(const std::string& store_location, const std::string& dir);

/// Imports every canonical file in dir as one batch. Bad input is reported
/// in the report (problems, committed = false); the Status is an error only
/// when the import could not be attempted (dir unreadable, store failure,
/// quarantine file refused or unwritable). The quarantine file is written to
/// a temporary file and renamed into place only when the batch commits.
Result<ImportReport> ImportDirectory(Store& store, const std::string& dir, const ImportOptions& options);

//===----------------------------------------------------------------------===//
// Adapters: a file in another format (the CLD return, ingest/cld_import.h)
// turned into canonical rows, then checked and stored exactly as a canonical
// import's rows are: every field, date order, reference and key, one batch,
// all-or-nothing (or --quarantine), duplicate batches recognised, the store's
// wait for another writer. Every stored row keeps the source file's name and
// line (StoredRow::source_file, source_line): the audit trail back to the row
// of the file it came from, whose SHA-256 the batch records.
//===----------------------------------------------------------------------===//

/// Text that stays where it was put: the fields of an adapter's rows are
/// views of it, so a row costs no allocation of its own and a batch of a
/// million rows is freed as a few hundred blocks.
class TextArena {
 public:
  /// A copy of s that lives as long as the arena.
  std::string_view Add(std::string_view s);
  size_t bytes() const { return bytes_; }  // the text added

 private:
  static constexpr size_t kBlock = size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* at_ = nullptr;
  size_t left_ = 0, bytes_ = 0;
};

/// The canonical rows an adapter made for one table, each from a line of
/// its file: every row's fields (canonical text, in the table's field
/// order) end to end, as views of AdaptedBatch::text.
class AdaptedRows {
 public:
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  /// Every row of a table has its width (the first row's).
  void Add(int64_t line, int64_t raw, std::span<const std::string_view> values) {
    if (rows_.empty()) width_ = values.size();
    fields_.insert(fields_.end(), values.begin(), values.end());
    rows_.push_back({line, raw});
  }
  std::span<const std::string_view> values(size_t i) const { return {fields_.data() + i * width_, width_}; }
  std::span<std::string_view> values(size_t i) { return {fields_.data() + i * width_, width_}; }
  int64_t line(size_t i) const { return rows_[i].line; }  // the source file's line (the header is line 1)
  int64_t raw(size_t i) const { return rows_[i].raw; }    // the row's text: AdaptedBatch::raw_spans index, or -1

 private:
  struct Source {
    int64_t line, raw;
  };
  size_t width_ = 0;
  std::vector<std::string_view> fields_;
  std::vector<Source> rows_;
};

/// A problem an adapter found in a row of its file, before the canonical checks.
struct AdaptedProblem {
  int64_t line = 0;
  int64_t raw = -1;    // as AdaptedRows::raw
  std::string column;  // the source column
  std::string what;    // "what is wrong (expected ...)"
  /// >= 0: one of many rows a summary names (a code the mapping does not
  /// know), so not listed itself: written to the quarantine file only, with
  /// AdaptedBatch::reasons[reason] as its column and text (column and what
  /// stay empty, so a million such rows cost no text).
  int32_t reason = -1;
};

struct AdaptedBatch {
  std::string source;  // what was imported: the file's path (BatchInfo::source)
  std::string file;    // its name in messages and on every stored row ("cld_2024q1.csv")
  std::vector<FileDigest> digests;  // recorded with the batch; their SHA-256s make its content hash
  std::array<AdaptedRows, kTableCount> rows;  // by TableId; stored in AllTables() order
  TextArena text;                             // the rows' fields
  /// Adds a row to table t, its values copied into text.
  void AddRow(TableId t, int64_t line, int64_t raw, std::span<const std::string_view> values);
  /// The source column a canonical field came from, named in problems
  /// ("Event_Start_Date"); "" names the canonical field.
  std::function<std::string(TableId, int field)> column_of;
  std::vector<AdaptedProblem> problems;                   // rows the adapter refused
  std::vector<std::pair<std::string, std::string>> reasons;  // (column, what) of unlisted problems
  /// Listed problems the adapter counted but did not keep (beyond
  /// kMaxProblemsKept, without --quarantine): counted in problem_count.
  int64_t problems_not_kept = 0;
  std::vector<std::pair<int64_t, std::string>> summaries;  // (line, "file:line: ...") listed as problems
  std::vector<std::string> file_problems;  // the whole file is unusable (a missing column): nothing is stored
  std::vector<std::string> warnings;
  int64_t rows_rejected = 0;  // source rows refused by the adapter (set aside with --quarantine)
  /// Source rows' text, kept only for the quarantine file.
  std::string raw_text;
  std::vector<std::pair<size_t, size_t>> raw_spans;  // (offset, length) in raw_text
  std::string_view Raw(int64_t i) const {
    const auto& [at, n] = raw_spans[static_cast<size_t>(i)];
    return std::string_view{raw_text}.substr(at, n);
  }
};

/// Checks and stores an adapter's rows as one batch (see above). Problems
/// are reported as by ImportDirectory. The quarantine file must not be the
/// store (checked here) or the source file (the caller checks).
Result<ImportReport> ImportAdapted(Store& store, const AdaptedBatch& batch, const ImportOptions& options);

}  // namespace goldthread
