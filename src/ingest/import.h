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
#include <cstdint>
#include <string>
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

}  // namespace goldthread
